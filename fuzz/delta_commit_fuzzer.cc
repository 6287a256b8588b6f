// libFuzzer target: Delta commit parsing (src/lake/delta_actions.h), the text a stage reads from
// any writer of a shared lake. Beyond "no crash, no UB, no exception": a parsed line holds
// exactly one action (or names one pizzastream does not interpret), and an add or remove that
// pizzastream writes back (AddLine/RemoveLine) parses again to the same path and size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lake/delta_actions.h"

using namespace pizzastream;

namespace {

int KindsSet(const lake::Action& a) {
  return int{a.add.has_value()} + int{a.remove.has_value()} + int{a.protocol.has_value()} +
         int{a.metadata.has_value()} + int{a.txn.has_value()} + int{a.commit_info.has_value()} +
         int{!a.other.empty()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto actions = lake::ParseCommit(text, "fuzz version 0");
  if (!actions.ok()) return 0;
  for (const lake::Action& a : *actions) {
    if (KindsSet(a) != 1) std::abort();
    if (a.add) {
      auto again = lake::ParseAction(lake::AddLine(*a.add), "fuzz add");
      if (!again.ok() || !again->add || again->add->path != a.add->path ||
          again->add->size != a.add->size) {
        std::abort();
      }
    }
    if (a.remove) {
      auto again = lake::ParseAction(lake::RemoveLine(*a.remove), "fuzz remove");
      if (!again.ok() || !again->remove || again->remove->path != a.remove->path) std::abort();
    }
  }
  return 0;
}
