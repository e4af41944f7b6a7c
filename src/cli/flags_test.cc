#include "cli/flags.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::cli {
namespace {

using ::testing::HasSubstr;

const FlagSpec kTerraformStyle{{ValueFlag("var"), ValueFlag("var-file"), BooleanFlag("json")},
                               {},
                               /*directory=*/true};

TEST(FlagsTest, SingleAndDoubleDashInlineAndSeparateValues) {
  Result<ParsedFlags> f =
      ParseFlags({"-var", "a=1", "--var=b=2", "-var-file", "x.tfvars", "-json", "examples/weka"},
                 kTerraformStyle);
  ASSERT_OK(f);
  ASSERT_EQ(f->values.size(), 3u);
  EXPECT_EQ(f->values[0], (std::pair<std::string, std::string>{"var", "a=1"}));
  EXPECT_EQ(f->values[1], (std::pair<std::string, std::string>{"var", "b=2"}));
  EXPECT_EQ(f->values[2], (std::pair<std::string, std::string>{"var-file", "x.tfvars"}));
  EXPECT_TRUE(f->Has("json"));
  EXPECT_EQ(f->dir, "examples/weka");
  EXPECT_EQ(f->Last("var"), "b=2");
  EXPECT_TRUE(f->Given("var-file"));
  EXPECT_FALSE(f->Given("out"));
  EXPECT_FALSE(f->help);
}

TEST(FlagsTest, BooleansTakeAnOptionalTrueOrFalse) {
  EXPECT_TRUE(ParseFlags({"-json=true"}, kTerraformStyle)->Has("json"));
  EXPECT_FALSE(ParseFlags({"-json", "--json=false"}, kTerraformStyle)->Has("json"));
  EXPECT_EQ(ParseFlags({}, kTerraformStyle)->dir, ".");
}

TEST(FlagsTest, ErrorsNameTheFlag) {
  EXPECT_THAT(ParseFlags({"-vars", "a=1"}, kTerraformStyle),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"-vars\"")));
  EXPECT_THAT(ParseFlags({"-var"}, kTerraformStyle),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("-var needs a value")));
  EXPECT_THAT(ParseFlags({"--var"}, kTerraformStyle),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("--var needs a value")));
  EXPECT_THAT(ParseFlags({"a", "b"}, kTerraformStyle),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"b\"")));
  EXPECT_THAT(ParseFlags({"-json=maybe"}, kTerraformStyle),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("-json")));
}

TEST(FlagsTest, PositionalsAreRequiredInOrderAndNoMore) {
  const FlagSpec spec{{ValueFlag("region"), BooleanFlag("paginate")},
                      {{"service", ""}, {"operation", ""}}};
  Result<ParsedFlags> f = ParseFlags({"--region", "eu-west-1", "ec2", "--paginate", "Op"}, spec);
  ASSERT_OK(f);
  EXPECT_EQ(f->positionals, (std::vector<std::string>{"ec2", "Op"}));
  EXPECT_EQ(f->Last("region"), "eu-west-1");
  EXPECT_TRUE(f->Has("paginate"));
  EXPECT_THAT(ParseFlags({}, spec), StatusIs(StatusCode::kInvalidArgument, "service is required"));
  EXPECT_THAT(ParseFlags({"ec2"}, spec),
              StatusIs(StatusCode::kInvalidArgument, "operation is required"));
  EXPECT_THAT(ParseFlags({"ec2", "Op", "extra"}, spec),
              StatusIs(StatusCode::kInvalidArgument, "unexpected argument \"extra\""));
  EXPECT_THAT(ParseFlags({"stray"}, FlagSpec{}),
              StatusIs(StatusCode::kInvalidArgument, "unexpected argument \"stray\""));
}

TEST(FlagsTest, HelpStopsParsingWhereverItStands) {
  for (const char* help : {"-h", "-help", "--help"}) {
    Result<ParsedFlags> f = ParseFlags({"-json", help, "-unknown"}, kTerraformStyle);
    ASSERT_OK(f);
    EXPECT_TRUE(f->help);
  }
  // A help flag given as a flag's value is that value.
  EXPECT_EQ(ParseFlags({"-var", "--help"}, kTerraformStyle)->Last("var"), "--help");
}

}  // namespace
}  // namespace cf::cli
