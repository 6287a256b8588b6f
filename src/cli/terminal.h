// The terminal the run display draws on, through terminfo (ncurses' libtinfo): the control
// sequences come from the terminal's own description, so the in-place block works on any
// terminal terminfo knows, and nothing is drawn on one it does not. Not thread-safe.
#pragma once

#include <string>

namespace pizzastream::cli {

class Terminal {
 public:
  // Sets up terminfo for `fd`. Returns false when `fd` is not a terminal or its type has no
  // cursor-up and clear-to-end-of-line capabilities (then use plain lines).
  bool Open(int fd);
  // Moves the cursor up `n` lines, to the first column.
  std::string Up(int n) const;
  // Clears from the cursor to the end of the line.
  std::string ClearToEnd() const { return clear_eol_; }
  // Columns of the terminal now (it may have been resized); 80 when unknown.
  int Columns() const;

 private:
  int fd_ = -1;
  std::string up_one_, up_n_, clear_eol_, carriage_return_;
};

}  // namespace pizzastream::cli
