// Values remembered by the address of a text's bytes. The rows a reader took from one
// dictionary entry share those bytes, so a text met before in a batch is found again with a
// pointer comparison instead of a lookup by content. The addresses stand for their text while
// the batch they come from lives: Forget() before looking up texts of another one (a freed
// buffer's address can come back holding other text). A slot holds the text last remembered
// in it. Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pizzastream::lake {

template <typename Value>
class TextAddressCache {
 public:
  // The value remembered for these very bytes, or nullptr.
  const Value* Find(std::string_view text) const {
    const Slot& slot = slots_[SlotOf(text.data())];
    const bool same = slot.data != nullptr && slot.data == text.data() && slot.size == text.size();
    return same ? &slot.value : nullptr;
  }
  void Remember(std::string_view text, Value value) {
    slots_[SlotOf(text.data())] = {text.data(), text.size(), value};
  }
  void Forget() { slots_.fill(Slot{}); }

 private:
  struct Slot {
    const char* data = nullptr;
    size_t size = 0;
    Value value{};
  };
  // A dictionary's texts lie back to back, most 4 bytes or more apart ("13.25", "16.75",
  // "1/1/2015", ...): texts within 2 KiB of each other then take slots of their own.
  static size_t SlotOf(const char* data) {
    return (reinterpret_cast<uintptr_t>(data) >> 2) % kSlots;
  }
  static constexpr size_t kSlots = 512;
  std::array<Slot, kSlots> slots_{};
};

}  // namespace pizzastream::lake
