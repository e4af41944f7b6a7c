#include "cli/tf_flags.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::cli {
namespace {

const FlagSpec kSpec{{"var", "var-file"}, {"json"}};

TEST(TfFlagsTest, SingleAndDoubleDashInlineAndSeparateValues) {
  Result<ParsedFlags> f = ParseFlags(
      {"-var", "a=1", "--var=b=2", "-var-file", "x.tfvars", "-json", "examples/weka"}, kSpec);
  ASSERT_OK(f);
  ASSERT_EQ(f->values.size(), 3u);
  EXPECT_EQ(f->values[0], (std::pair<std::string, std::string>{"var", "a=1"}));
  EXPECT_EQ(f->values[1], (std::pair<std::string, std::string>{"var", "b=2"}));
  EXPECT_EQ(f->values[2], (std::pair<std::string, std::string>{"var-file", "x.tfvars"}));
  EXPECT_TRUE(f->Has("json"));
  EXPECT_EQ(f->dir, "examples/weka");
  EXPECT_EQ(f->Last("var"), "b=2");
}

TEST(TfFlagsTest, ErrorsNameTheFlag) {
  EXPECT_THAT(ParseFlags({"-vars", "a=1"}, kSpec),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("\"-vars\"")));
  EXPECT_THAT(ParseFlags({"-var"}, kSpec),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("-var needs a value")));
  EXPECT_THAT(ParseFlags({"a", "b"}, kSpec),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("\"b\"")));
  EXPECT_THAT(ParseFlags({"-json=maybe"}, kSpec),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("-json")));
}

}  // namespace
}  // namespace cf::cli
