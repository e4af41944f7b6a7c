#include "testing/fake_clock.h"

namespace cf {

FakeClock::FakeClock()
    : FakeClock(std::chrono::system_clock::time_point(std::chrono::seconds(1440938160))) {}

FakeClock::FakeClock(std::chrono::system_clock::time_point start) : wall_(start) {}

std::chrono::system_clock::time_point FakeClock::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return wall_;
}

std::chrono::steady_clock::time_point FakeClock::Monotonic() const {
  std::lock_guard<std::mutex> lock(mu_);
  return monotonic_;
}

void FakeClock::SleepFor(std::chrono::nanoseconds duration) {
  std::lock_guard<std::mutex> lock(mu_);
  wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
  monotonic_ += duration;
  slept_ += duration;
}

void FakeClock::Advance(std::chrono::nanoseconds duration) {
  std::lock_guard<std::mutex> lock(mu_);
  wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(duration);
  monotonic_ += duration;
}

std::chrono::nanoseconds FakeClock::slept() const {
  std::lock_guard<std::mutex> lock(mu_);
  return slept_;
}

}  // namespace cf
