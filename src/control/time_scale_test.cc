#include "control/time_scale.h"

#include <gtest/gtest.h>

#include "control/state.h"

namespace cf::control {
namespace {

using namespace std::chrono_literals;

TEST(TimeScaleTest, ReadsAPositiveScaleAndFallsBackToOne) {
  EXPECT_EQ(TimeScaleFromEnvironment({}), 1.0);
  EXPECT_EQ(TimeScaleFromEnvironment({{"CLUSTERFORM_TIME_SCALE", "0.05"}}), 0.05);
  EXPECT_EQ(TimeScaleFromEnvironment({{"CLUSTERFORM_TIME_SCALE", "2"}}), 2.0);
  for (const char* bad : {"", "0", "-1", "fast", "0.5x", "inf", "nan"}) {
    EXPECT_EQ(TimeScaleFromEnvironment({{"CLUSTERFORM_TIME_SCALE", bad}}), 1.0) << bad;
  }
}

TEST(TimeScaleTest, ScalesDurations) {
  EXPECT_EQ(Scaled(120min, 0.01), 72s);
  EXPECT_EQ(Scaled(5min, 1.0), 5min);
  EXPECT_EQ(Scaled(3h, 0.05), 540s);
}

TEST(TimeScaleTest, TheLockLeaseIsScaledButNeverUnderTwoSeconds) {
  EXPECT_EQ(LockOptionsForTimeScale(1.0).lease, 20s);
  EXPECT_EQ(LockOptionsForTimeScale(0.5).lease, 10s);
  EXPECT_EQ(LockOptionsForTimeScale(0.01).lease, 2s);
  EXPECT_EQ(LockOptionsForTimeScale(0.01).wait, LockOptions{}.wait);
}

}  // namespace
}  // namespace cf::control
