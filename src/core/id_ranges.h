// A set of 64-bit integers kept as disjoint ranges [first, last]. Order-line ids mostly arrive
// in order with few gaps, so the memory it takes grows with the number of gaps, not with the
// number of ids: the silver stage's record of every id ever accepted (de-duplication across
// runs) stays small however long the stream runs. In-order inserts extend the last range
// without allocating; out-of-order ids cost a tree lookup, and a new range only when an id
// starts one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>

namespace pizzastream {

class IdRanges {
 public:
  // Returns true if `id` was not in the set.
  bool Insert(int64_t id) {
    if (!ranges_.empty()) {  // fast path: at or just after the end of the last range
      auto& [first, last] = *ranges_.rbegin();
      if (last != INT64_MAX && id == last + 1) {
        ++last;
        ++size_;
        return true;
      }
      if (id >= first && id <= last) return false;
    }
    // The range starting at or before `id`, if any, and the one after it.
    auto next = ranges_.upper_bound(id);
    if (next != ranges_.begin()) {
      auto prev = std::prev(next);
      if (id <= prev->second) return false;
      if (prev->second != INT64_MAX && id == prev->second + 1) {
        prev->second = id;
        if (next != ranges_.end() && id != INT64_MAX && next->first == id + 1) {  // gap closed
          prev->second = next->second;
          ranges_.erase(next);
        }
        ++size_;
        return true;
      }
    }
    if (next != ranges_.end() && id != INT64_MAX && next->first == id + 1) {
      const int64_t last = next->second;
      ranges_.erase(next);
      ranges_.emplace(id, last);
    } else {
      ranges_.emplace(id, id);
    }
    ++size_;
    return true;
  }

  bool Contains(int64_t id) const {
    auto next = ranges_.upper_bound(id);
    return next != ranges_.begin() && id <= std::prev(next)->second;
  }

  // Adds [first, last], which must lie after every id in the set (rebuilding a saved set).
  void AppendRange(int64_t first, int64_t last) {
    ranges_.emplace_hint(ranges_.end(), first, last);
    size_ += static_cast<size_t>(last - first) + 1;
  }
  const std::map<int64_t, int64_t>& ranges() const { return ranges_; }  // first -> last

  size_t size() const { return size_; }                  // ids in the set
  size_t range_count() const { return ranges_.size(); }  // what memory is proportional to
  void Clear() {
    ranges_.clear();
    size_ = 0;
  }

 private:
  std::map<int64_t, int64_t> ranges_;  // first -> last
  size_t size_ = 0;
};

}  // namespace pizzastream
