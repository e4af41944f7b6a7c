#include "base/clock.h"

#include <gtest/gtest.h>

#include "testing/fake_clock.h"

namespace cf {
namespace {

TEST(ClockTest, FormatsUtcTimestamps) {
  FakeClock clock;
  EXPECT_EQ(FormatIso8601Basic(clock.Now()), "20150830T123600Z");
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2015-08-30T12:36:00Z");
}

TEST(FakeClockTest, SleepAdvancesTimeWithoutBlocking) {
  FakeClock clock;
  auto before = clock.Monotonic();
  clock.SleepFor(std::chrono::hours(2));
  EXPECT_EQ(clock.Monotonic() - before, std::chrono::hours(2));
  EXPECT_EQ(FormatRfc3339(clock.Now()), "2015-08-30T14:36:00Z");
  EXPECT_EQ(clock.slept(), std::chrono::hours(2));
}

}  // namespace
}  // namespace cf
