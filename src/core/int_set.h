// A set of non-negative 64-bit integers with open addressing in one flat array: inserting and
// probing allocate nothing except when the table doubles. Used for the order-line ids seen so
// far (de-duplication) where a node-based set would allocate per record.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pizzastream {

class IntSet {
 public:
  explicit IntSet(size_t expected = 1024) { Rehash(expected * 2); }

  // Returns true if `key` was not in the set. REQUIRES: key >= 0.
  bool Insert(int64_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) Rehash(slots_.size() * 2);
    size_t i = Slot(key);
    while (slots_[i] != kEmpty) {
      if (slots_[i] == key) return false;
      i = (i + 1) & mask_;
    }
    slots_[i] = key;
    ++size_;
    return true;
  }

  bool Contains(int64_t key) const {
    for (size_t i = Slot(key); slots_[i] != kEmpty; i = (i + 1) & mask_) {
      if (slots_[i] == key) return true;
    }
    return false;
  }

  size_t size() const { return size_; }
  void Clear() {
    std::fill(slots_.begin(), slots_.end(), kEmpty);
    size_ = 0;
  }

 private:
  static constexpr int64_t kEmpty = -1;
  size_t Slot(int64_t key) const {
    uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h ^ (h >> 29)) & mask_;
  }
  void Rehash(size_t capacity) {
    size_t n = 16;
    while (n < capacity) n <<= 1;
    std::vector<int64_t> old = std::move(slots_);
    slots_.assign(n, kEmpty);
    mask_ = n - 1;
    size_ = 0;
    for (int64_t k : old) {
      if (k != kEmpty) Insert(k);
    }
  }
  std::vector<int64_t> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace pizzastream
