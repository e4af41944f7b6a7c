#include "config/suggest.h"

#include <gtest/gtest.h>

namespace cf::config {
namespace {

TEST(SuggestTest, EditDistance) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("same", "same"), 0u);
}

TEST(SuggestTest, SuggestsOnlyLikelyTypos) {
  std::vector<std::string_view> names = {"cluster_size", "cluster_name", "instance_type"};
  EXPECT_EQ(SuggestName("cluster_sise", names), "cluster_size");
  EXPECT_EQ(SuggestName("instance_typ", names), "instance_type");
  EXPECT_EQ(SuggestName("region", names), "");
}

TEST(SuggestTest, ShortRanges) {
  hcl::Range one{"main.tf", {3, 1, 0}, {3, 20, 19}};
  EXPECT_EQ(FormatRangeShort(one), "main.tf:3,1-20");
  hcl::Range two{"main.tf", {3, 1, 0}, {5, 2, 40}};
  EXPECT_EQ(FormatRangeShort(two), "main.tf:3,1-5,2");
}

}  // namespace
}  // namespace cf::config
