#include "state/state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::state {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

State Sample() {
  State s;
  s.lineage = "8d1c7a86-0000-4000-8000-000000000000";
  s.terraform_version = "0.1.0";
  s.serial = 3;
  InstanceState& vpc = s.Upsert(*ParseAddress("module.weka.aws_vpc.this[0]"),
                                "provider[\"registry.terraform.io/hashicorp/aws\"]");
  vpc.attributes = {{"id", "vpc-1"}, {"cidr_block", "10.0.0.0/16"}};
  InstanceState& pw = s.Upsert(*ParseAddress("random_password.admin"),
                               "provider[\"registry.terraform.io/hashicorp/random\"]");
  pw.attributes = {{"id", "none"}, {"result", "s3cret"}};
  pw.sensitive_attributes = {"result"};
  pw.dependencies = {"module.weka.aws_vpc.this[0]"};
  InstanceState& pending = s.Upsert(*ParseAddress("aws_kms_key.k[\"a\"]"), "p");
  pending.pending = PendingCreate{"cf-abc", "2026-01-01T00:00:00Z"};
  s.outputs["vpc_id"] = OutputState{"vpc-1", "string", false};
  return s;
}

TEST(StateTest, RoundTripsEveryField) {
  State s = Sample();
  std::string text = Serialize(s);
  Result<State> back = Parse(text);
  ASSERT_OK(back);
  EXPECT_EQ(Serialize(*back), text);
  EXPECT_EQ(back->serial, 3);
  EXPECT_EQ(back->lineage, s.lineage);
  const InstanceState* pw = back->Find("random_password.admin");
  ASSERT_NE(pw, nullptr);
  EXPECT_THAT(pw->sensitive_attributes, ElementsAre("result"));
  EXPECT_THAT(pw->dependencies, ElementsAre("module.weka.aws_vpc.this[0]"));
  const InstanceState* pending = back->Find("aws_kms_key.k[\"a\"]");
  ASSERT_NE(pending, nullptr);
  ASSERT_TRUE(pending->pending.has_value());
  EXPECT_EQ(pending->pending->token, "cf-abc");
  EXPECT_FALSE(pending->Exists());
}

TEST(StateTest, WritesTerraformV4Layout) {
  Json doc = Json::parse(Serialize(Sample()));
  EXPECT_EQ(doc["version"], 4);
  EXPECT_EQ(doc["serial"], 3);
  ASSERT_EQ(doc["resources"].size(), 3u);
  // Sorted by module, mode, type, name: root resources first.
  EXPECT_EQ(doc["resources"][0]["type"], "aws_kms_key");
  EXPECT_EQ(doc["resources"][0]["instances"][0]["index_key"], "a");
  EXPECT_EQ(doc["resources"][2]["module"], "module.weka");
  EXPECT_EQ(doc["resources"][2]["instances"][0]["index_key"], 0);
  EXPECT_EQ(doc["resources"][1]["instances"][0]["sensitive_attributes"],
            Json::parse(R"([[{"type":"get_attr","value":"result"}]])"));
  EXPECT_EQ(doc["outputs"]["vpc_id"]["value"], "vpc-1");
}

TEST(StateTest, AddressesAndRemove) {
  State s = Sample();
  EXPECT_THAT(s.Addresses(), ElementsAre("aws_kms_key.k[\"a\"]", "random_password.admin",
                                         "module.weka.aws_vpc.this[0]"));
  EXPECT_TRUE(s.Remove("random_password.admin"));
  EXPECT_FALSE(s.Remove("random_password.admin"));
  EXPECT_EQ(s.resources.size(), 2u);
}

TEST(StateTest, ParsesAddresses) {
  Result<ParsedAddress> a = ParseAddress("module.a.module.b.data.aws_region.r[\"x\\\"y\"]");
  ASSERT_OK(a);
  EXPECT_EQ(a->module, "module.a.module.b");
  EXPECT_EQ(a->mode, "data");
  EXPECT_EQ(a->type, "aws_region");
  EXPECT_EQ(a->index_key, "x\"y");
  EXPECT_THAT(ParseAddress("aws_vpc"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("aws_vpc")));
  EXPECT_THAT(ParseAddress("aws_vpc.x[abc]"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("")));
}

TEST(StateTest, RefusesOtherVersionsAndGarbage) {
  EXPECT_THAT(Parse("{\"version\": 3, \"serial\": 1, \"lineage\": \"x\"}"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("version 3")));
  EXPECT_THAT(Parse("not json"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("JSON")));
  EXPECT_THAT(Parse("{\"version\": 4, \"serial\": 1}"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("lineage")));
}

TEST(StateTest, TokensAreDeterministicPerLineageAndAddress) {
  std::string t = CreateToken("l1", "aws_vpc.a");
  EXPECT_EQ(t, CreateToken("l1", "aws_vpc.a"));
  EXPECT_NE(t, CreateToken("l2", "aws_vpc.a"));
  EXPECT_NE(t, CreateToken("l1", "aws_vpc.b"));
  EXPECT_EQ(t.size(), 36u);
  EXPECT_NE(NewLineage(), NewLineage());
}

}  // namespace
}  // namespace cf::state
