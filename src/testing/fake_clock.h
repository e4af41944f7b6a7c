#pragma once

#include <mutex>

#include "base/clock.h"

namespace cf {

// A clock that stands still until told to move; SleepFor advances it instead of blocking.
// Thread-safe.
class FakeClock : public Clock {
 public:
  // Starts at 2015-08-30T12:36:00Z (the SigV4 suite's instant) unless told otherwise.
  FakeClock();
  explicit FakeClock(std::chrono::system_clock::time_point start);

  std::chrono::system_clock::time_point Now() const override;
  std::chrono::steady_clock::time_point Monotonic() const override;
  void SleepFor(std::chrono::nanoseconds duration) override;

  void Advance(std::chrono::nanoseconds duration);
  // Total time slept through SleepFor.
  std::chrono::nanoseconds slept() const;

 private:
  mutable std::mutex mu_;
  std::chrono::system_clock::time_point wall_;       // guarded by mu_
  std::chrono::steady_clock::time_point monotonic_;  // guarded by mu_
  std::chrono::nanoseconds slept_{0};                // guarded by mu_
};

}  // namespace cf
