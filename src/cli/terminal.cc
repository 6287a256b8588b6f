#include "cli/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

// Last: curses.h defines macros (OK, ERR, clear, ...) that must not reach other headers.
#include <curses.h>
#include <term.h>

namespace pizzastream::cli {

namespace {
// A capability's string, "" when the terminal lacks it.
std::string Capability(const char* name) {
  const char* s = tigetstr(name);
  return s == nullptr || s == reinterpret_cast<const char*>(-1) ? "" : s;
}
}  // namespace

bool Terminal::Open(int fd) {
  if (!isatty(fd)) return false;
  int error = 0;
  if (setupterm(nullptr, fd, &error) != OK) return false;
  fd_ = fd;
  up_one_ = Capability("cuu1");
  up_n_ = Capability("cuu");
  clear_eol_ = Capability("el");
  carriage_return_ = Capability("cr");
  if (carriage_return_.empty()) carriage_return_ = std::string(1, '\r');
  return !clear_eol_.empty() && (!up_one_.empty() || !up_n_.empty());
}

std::string Terminal::Up(int n) const {
  std::string out;
  out.append(carriage_return_);
  if (n <= 0) return out;
  const char* parm = up_n_.empty() ? nullptr : tiparm(up_n_.c_str(), n);
  if (parm != nullptr) {
    out.append(parm);
  } else {
    for (int i = 0; i < n; ++i) out.append(up_one_);
  }
  return out;
}

int Terminal::Columns() const {
  winsize size{};
  if (fd_ >= 0 && ioctl(fd_, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  const int cols = tigetnum("cols");
  return cols > 0 ? cols : 80;
}

}  // namespace pizzastream::cli
