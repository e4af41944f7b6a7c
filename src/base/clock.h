#pragma once

// Time, behind an interface so tests can drive it (FakeClock in src/testing).

#include <chrono>
#include <cstdint>
#include <string>

namespace cf {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (UTC): for timestamps, signatures, expiries.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Monotonic time: for timeouts and durations.
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;
  // Blocks the calling thread (a fake advances its time instead).
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;
};

// The machine's clocks. Thread-safe.
class SystemClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override;
  std::chrono::steady_clock::time_point Monotonic() const override;
  void SleepFor(std::chrono::nanoseconds duration) override;
};

// "20150830T123600Z" (the SigV4 basic format).
std::string FormatIso8601Basic(std::chrono::system_clock::time_point t);
// "2015-08-30T12:36:00Z" (RFC 3339, whole seconds).
std::string FormatRfc3339(std::chrono::system_clock::time_point t);

}  // namespace cf
