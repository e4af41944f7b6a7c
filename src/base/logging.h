#pragma once

// Logging for people and for debugging, behind a small interface: code that logs takes a
// Logger& from its constructor. Secrets are never passed to a Logger.

#include <mutex>
#include <string_view>

namespace cf {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Log(LogLevel level, std::string_view message) = 0;
  bool Enabled(LogLevel level) const { return level >= min_level_; }
  void set_min_level(LogLevel level) { min_level_ = level; }

 private:
  LogLevel min_level_ = LogLevel::kInfo;
};

// Writes "W message" lines to stderr. Thread-safe.
class StderrLogger : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override;

 private:
  std::mutex mu_;
};

// Drops everything.
class NullLogger : public Logger {
 public:
  void Log(LogLevel, std::string_view) override {}
};

// Crashes loudly with a message when an invariant is broken (a bug, never bad input).
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition);

}  // namespace cf

#define CF_CHECK(condition)                              \
  do {                                                   \
    if (!(condition)) {                                  \
      ::cf::CheckFailed(__FILE__, __LINE__, #condition); \
    }                                                    \
  } while (false)
