#include "base/logging.h"

#include <cstdio>
#include <cstdlib>

namespace cf {

void StderrLogger::Log(LogLevel level, std::string_view message) {
  if (!Enabled(level)) {
    return;
  }
  static constexpr char kLetters[] = {'D', 'I', 'W', 'E'};
  std::lock_guard<std::mutex> lock(mu_);
  std::fprintf(stderr, "%c %.*s\n", kLetters[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
}

void CheckFailed(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "%s:%d: internal error: check failed: %s\n", file, line, condition);
  std::abort();
}

}  // namespace cf
