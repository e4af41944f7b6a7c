#include "provider/plan_data_sources.h"

#include <gtest/gtest.h>

namespace cf::provider {
namespace {

std::vector<std::string> Strings(const hcl::Value& list) {
  std::vector<std::string> out;
  for (const hcl::Value& v : list.Elements()) {
    out.push_back(v.AsString());
  }
  return out;
}

class PlanDataSourcesTest : public ::testing::Test {
 protected:
  hcl::Value Read(const std::string& region, std::string_view type,
                  hcl::Value arguments = hcl::Value::EmptyObject(), bool local_cloud = false) {
    config::ProviderSettings provider;
    provider.region = region;
    provider.local_cloud = local_cloud;
    std::unique_ptr<graph::DataSources> sources = MakePlanDataSources(provider);
    return sources->Read(type, arguments, hcl::Range{}, diags_);
  }
  hcl::Diagnostics diags_;
};

TEST_F(PlanDataSourcesTest, RegionNamesTheProviderRegion) {
  hcl::Value v = Read("eu-west-1", "aws_region");
  EXPECT_EQ(v.GetAttr("name").AsString(), "eu-west-1");
  EXPECT_EQ(v.GetAttr("id").AsString(), "eu-west-1");
  EXPECT_EQ(v.GetAttr("description").AsString(), "Europe (Ireland)");
  EXPECT_TRUE(diags_.empty());
}

TEST_F(PlanDataSourcesTest, RegionWithoutAnyRegionIsAnError) {
  hcl::Value v = Read("", "aws_region");
  EXPECT_FALSE(v.IsKnown());
  EXPECT_TRUE(diags_.HasErrors());
}

TEST_F(PlanDataSourcesTest, AnUnknownRegionIsAnErrorWithTheClosestName) {
  config::ProviderSettings provider;
  provider.region = "eu-wset-1";
  provider.has_region_range = true;
  provider.region_range = hcl::Range{"main.tf", {3, 12, 30}, {3, 23, 41}};
  std::unique_ptr<graph::DataSources> sources = MakePlanDataSources(provider);
  sources->Read("aws_region", hcl::Value::EmptyObject(), hcl::Range{}, diags_);
  sources->Read("aws_availability_zones", hcl::Value::EmptyObject(), hcl::Range{}, diags_);
  ASSERT_EQ(diags_.size(), 1u);  // once, however many data sources are read
  EXPECT_EQ(diags_[0].summary, "Invalid AWS Region");
  EXPECT_NE(diags_[0].detail.find("Did you mean \"eu-west-1\"?"), std::string::npos);
  EXPECT_EQ(diags_[0].filename, "main.tf");
  EXPECT_EQ(diags_[0].start.line, 3);
}

TEST_F(PlanDataSourcesTest, SkipRegionValidationAcceptsANewRegion) {
  config::ProviderSettings provider;
  provider.region = "xx-future-1";
  provider.skip_region_validation = true;
  hcl::Value v =
      MakePlanDataSources(provider)->Read("aws_region", hcl::Value::EmptyObject(), {}, diags_);
  EXPECT_TRUE(diags_.empty());
  EXPECT_EQ(v.GetAttr("name").AsString(), "xx-future-1");
  EXPECT_TRUE(Read("ap-southeast-7", "aws_region").IsKnown());
  EXPECT_TRUE(diags_.empty());
}

TEST_F(PlanDataSourcesTest, PartitionFollowsTheRegionPrefix) {
  EXPECT_EQ(Read("us-east-1", "aws_partition").GetAttr("partition").AsString(), "aws");
  EXPECT_EQ(Read("us-east-1", "aws_partition").GetAttr("dns_suffix").AsString(), "amazonaws.com");
  EXPECT_EQ(Read("cn-north-1", "aws_partition").GetAttr("partition").AsString(), "aws-cn");
  EXPECT_EQ(Read("cn-north-1", "aws_partition").GetAttr("dns_suffix").AsString(),
            "amazonaws.com.cn");
  EXPECT_EQ(Read("us-gov-west-1", "aws_partition").GetAttr("partition").AsString(), "aws-us-gov");
}

TEST_F(PlanDataSourcesTest, AvailabilityZonesPerRegion) {
  hcl::Value v = Read("eu-west-1", "aws_availability_zones",
                      hcl::Value::Object({{"state", hcl::Value::String("available")}}));
  EXPECT_EQ(Strings(v.GetAttr("names")),
            (std::vector<std::string>{"eu-west-1a", "eu-west-1b", "eu-west-1c"}));
  EXPECT_EQ(Strings(v.GetAttr("zone_ids")),
            (std::vector<std::string>{"euw1-az1", "euw1-az2", "euw1-az3"}));
  EXPECT_EQ(v.GetAttr("state").AsString(), "available");
  EXPECT_EQ(Read("us-east-1", "aws_availability_zones").GetAttr("names").Length(), 6u);
  EXPECT_EQ(Strings(Read("ap-southeast-2", "aws_availability_zones").GetAttr("zone_ids"))[0],
            "apse2-az1");
}

TEST_F(PlanDataSourcesTest, AvailabilityZonesHonourExcludeNames) {
  hcl::Value v =
      Read("us-east-2", "aws_availability_zones",
           hcl::Value::Object(
               {{"exclude_names", hcl::Value::Tuple({hcl::Value::String("us-east-2b")})}}));
  EXPECT_EQ(Strings(v.GetAttr("names")), (std::vector<std::string>{"us-east-2a", "us-east-2c"}));
}

TEST_F(PlanDataSourcesTest, CallerIdentityIsKnownOnlyOnTheLocalCloud) {
  hcl::Value aws = Read("us-east-1", "aws_caller_identity");
  EXPECT_FALSE(aws.GetAttr("account_id").IsKnown());
  hcl::Value local = Read("us-east-1", "aws_caller_identity", hcl::Value::EmptyObject(), true);
  EXPECT_EQ(local.GetAttr("account_id").AsString(), "000000000000");
  EXPECT_EQ(local.GetAttr("arn").AsString(), "arn:aws:iam::000000000000:root");
}

TEST_F(PlanDataSourcesTest, OtherDataSourcesAreReadDuringApply) {
  hcl::Value v =
      Read("us-east-1", "aws_subnet", hcl::Value::Object({{"id", hcl::Value::String("subnet-1")}}));
  EXPECT_FALSE(v.IsKnown());
  EXPECT_TRUE(diags_.empty());
  EXPECT_FALSE(IsPlanTimeDataSource("aws_subnet"));
  EXPECT_TRUE(IsPlanTimeDataSource("aws_region"));
}

}  // namespace
}  // namespace cf::provider
