#pragma once

// How background work of the local cloud waits: the services hold a `const Clock&` (read
// only), so blocking goes through this small interface. The server passes ThreadSleeper
// (real time); tests pass ClockSleeper over a FakeClock, whose time moves as they sleep.

#include <chrono>
#include <thread>

#include "base/clock.h"

namespace cf::cloud {

// Thread-safe.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Blocks the calling thread for about `duration` (a fake advances its clock instead).
  virtual void SleepFor(std::chrono::nanoseconds duration) = 0;
};

// Real time.
class ThreadSleeper : public Sleeper {
 public:
  void SleepFor(std::chrono::nanoseconds duration) override {
    std::this_thread::sleep_for(duration);
  }
};

// Sleeps through `clock.SleepFor` (a FakeClock advances). `clock` must outlive it.
class ClockSleeper : public Sleeper {
 public:
  explicit ClockSleeper(Clock& clock) : clock_(clock) {}
  void SleepFor(std::chrono::nanoseconds duration) override { clock_.SleepFor(duration); }

 private:
  Clock& clock_;
};

}  // namespace cf::cloud
