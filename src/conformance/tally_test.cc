#include "conformance/tally.h"

#include <gtest/gtest.h>

namespace cf::conformance {
namespace {

TEST(TallyTest, CountsAndExitCode) {
  Tally tally;
  tally.Pass("a");
  EXPECT_EQ(tally.Finish(), 0);
  tally.Fail("b", "differs");
  EXPECT_EQ(tally.failed(), 1);
  EXPECT_EQ(tally.Finish(), 1);
}

TEST(TallyTest, KnownFailuresAreSkippedAndMustKeepFailing) {
  Tally tally({"known"});
  tally.Fail("known", "still broken");
  EXPECT_EQ(tally.skipped(), 1);
  EXPECT_EQ(tally.failed(), 0);
  Tally stale({"fixed"});
  stale.Pass("fixed");
  EXPECT_EQ(stale.failed(), 1);
  EXPECT_EQ(stale.passed(), 0);
}

}  // namespace
}  // namespace cf::conformance
