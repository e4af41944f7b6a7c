#include "plan/plan.h"

#include <gtest/gtest.h>

#include "config/loader.h"
#include "hcl/parser.h"
#include "provider/plan_data_sources.h"
#include "testing/memory_file_system.h"

namespace cf::plan {
namespace {

// A stand-in for the built-in module "weka/weka/aws", expanded from a root module in memory.
class MakeCreatePlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hcl::ParseResult parsed = hcl::Parse(R"(
variable "name" { default = "demo" }
variable "subnets" { default = 2 }
variable "password" {
  default   = "hunter2"
  sensitive = true
}
data "aws_region" "current" {}
resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "${var.name}-vpc" }
}
resource "aws_subnet" "this" {
  count      = var.subnets
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_secretsmanager_secret_version" "password" {
  secret_id     = "x"
  secret_string = "plain"
}
resource "random_password" "db" {
  length  = 16
  special = true
}
resource "aws_iam_role" "this" {
  name = "${var.name}-${data.aws_region.current.name}"
}
data "aws_subnet" "given" {
  id = "subnet-1"
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  subnet        = data.aws_subnet.given.vpc_id
  environment {
    variables = { A = "1" }
  }
}
output "vpc_id" { value = aws_vpc.this.id }
output "region" { value = data.aws_region.current.name }
)",
                                         "<built-in test/m/aws>/main.tf");
    body_.files.push_back(std::move(parsed.file));
    hcl::Diagnostics diags;
    config::DecodeModuleBody(body_, diags);
    ASSERT_FALSE(diags.HasErrors()) << hcl::FormatDiagnostics(diags);
    definition_ = {"weka/weka/aws", &body_, nullptr};
  }

  Plan MakePlan(const std::string& main_tf) {
    EXPECT_TRUE(fs_.WriteFileAtomic("/cfg/main.tf", main_tf).ok());
    loaded_ = config::LoadRootModule("/cfg", fs_);
    hcl::Diagnostics diags = loaded_.diagnostics;
    graph::ConfigurationOptions options;
    options.lookup = [this](std::string_view source) -> const config::ModuleDefinition* {
      return source == "weka/weka/aws" ? &definition_ : nullptr;
    };
    options.schemas = &schemas_;
    options.data_sources = [](const config::ProviderSettings& p) {
      return provider::MakePlanDataSources(p);
    };
    graph::DesiredState desired = graph::ExpandConfiguration(*loaded_.module, {}, options, diags);
    EXPECT_FALSE(diags.HasErrors()) << hcl::FormatDiagnostics(diags);
    return MakeCreatePlan(desired, schemas_);
  }

  const ResourceChange* Find(const Plan& plan, const std::string& address) {
    for (const ResourceChange& c : plan.resource_changes) {
      if (c.address == address) {
        return &c;
      }
    }
    return nullptr;
  }

  config::RootModule body_;
  config::ModuleDefinition definition_;
  provider::AwsResourceSchemas schemas_;
  InMemoryFileSystem fs_;
  config::LoadResult loaded_;
};

constexpr const char* kMain = R"(
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Owner = "ops" }
  }
}
module "net" {
  source  = "weka/weka/aws"
  subnets  = 11
}
output "vpc" { value = module.net.vpc_id }
output "region" { value = module.net.region }
)";

TEST_F(MakeCreatePlanTest, EveryManagedInstanceIsACreateSortedByAddress) {
  Plan plan = MakePlan(kMain);
  std::vector<std::string> addresses;
  for (const ResourceChange& c : plan.resource_changes) {
    addresses.push_back(c.address);
    EXPECT_EQ(c.action, c.mode == graph::ResourceMode::kData ? Action::kRead : Action::kCreate);
    EXPECT_TRUE(c.before.IsNull());
  }
  ASSERT_EQ(addresses.size(), 17u);
  EXPECT_EQ(addresses[0], "module.net.aws_iam_role.this");
  EXPECT_EQ(addresses[1], "module.net.aws_lambda_function.f");
  EXPECT_EQ(addresses[2], "module.net.aws_secretsmanager_secret_version.password");
  // Numeric keys sort numerically.
  EXPECT_EQ(addresses[3], "module.net.aws_subnet.this[0]");
  EXPECT_EQ(addresses[4], "module.net.aws_subnet.this[1]");
  EXPECT_EQ(addresses[5], "module.net.aws_subnet.this[2]");
  EXPECT_EQ(addresses[13], "module.net.aws_subnet.this[10]");
  EXPECT_EQ(addresses[14], "module.net.aws_vpc.this");
  EXPECT_EQ(addresses[15], "module.net.data.aws_subnet.given");
  EXPECT_EQ(addresses[16], "module.net.random_password.db");
  EXPECT_EQ(plan.ToAdd(), 16);
  EXPECT_TRUE(plan.HasChanges());
}

TEST_F(MakeCreatePlanTest, PlanTimeDataSourcesAreReadWhilePlanningOthersDuringApply) {
  Plan plan = MakePlan(kMain);
  EXPECT_EQ(Find(plan, "module.net.data.aws_region.current"), nullptr);
  const ResourceChange* subnet = Find(plan, "module.net.data.aws_subnet.given");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->action, Action::kRead);
  EXPECT_EQ(subnet->after.GetAttr("id").AsString(), "subnet-1");
  const ResourceChange* role = Find(plan, "module.net.aws_iam_role.this");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->after.GetAttr("name").AsString(), "demo-eu-west-1");
}

TEST_F(MakeCreatePlanTest, ComputedAttributesAreUnknownAndFlaggedInAfterUnknown) {
  Plan plan = MakePlan(kMain);
  const ResourceChange* vpc = Find(plan, "module.net.aws_vpc.this");
  ASSERT_NE(vpc, nullptr);
  EXPECT_FALSE(vpc->after.GetAttr("arn").IsKnown());
  EXPECT_EQ(vpc->after.GetAttr("cidr_block").AsString(), "10.0.0.0/16");
  EXPECT_TRUE(vpc->after_unknown.GetAttr("arn").AsBool());
  EXPECT_TRUE(vpc->after_unknown.GetAttr("id").AsBool());
  // Known attributes are not listed.
  EXPECT_TRUE(vpc->after_unknown.GetAttr("cidr_block").IsNull());
  const ResourceChange* subnet = Find(plan, "module.net.aws_subnet.this[3]");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->after.GetAttr("cidr_block").AsString(), "10.0.3.0/24");
  EXPECT_FALSE(subnet->after.GetAttr("vpc_id").IsKnown());
  EXPECT_EQ(subnet->index.index(), 3);
}

TEST_F(MakeCreatePlanTest, UnsetArgumentsWithAProviderDefaultAreShownWithIt) {
  Plan plan = MakePlan(kMain);
  const ResourceChange* vpc = Find(plan, "module.net.aws_vpc.this");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->after.GetAttr("instance_tenancy").AsString(), "default");
  EXPECT_TRUE(vpc->after.GetAttr("enable_dns_support").AsBool());
  const ResourceChange* f = Find(plan, "module.net.aws_lambda_function.f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->after.GetAttr("timeout").AsNumber().ToString(), "3");
  // Set arguments win over defaults.
  const ResourceChange* password = Find(plan, "module.net.random_password.db");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->after.GetAttr("length").AsNumber().ToString(), "16");
  EXPECT_TRUE(password->after.GetAttr("special").AsBool());
  // Data sources get none.
  const ResourceChange* subnet = Find(plan, "module.net.data.aws_subnet.given");
  ASSERT_NE(subnet, nullptr);
  EXPECT_TRUE(subnet->after.GetAttr("map_public_ip_on_launch").IsNull());
}

TEST_F(MakeCreatePlanTest, TagsAllMergesDefaultTagsWhenKnown) {
  Plan plan = MakePlan(kMain);
  const ResourceChange* vpc = Find(plan, "module.net.aws_vpc.this");
  ASSERT_NE(vpc, nullptr);
  hcl::Value tags_all = vpc->after.GetAttr("tags_all");
  ASSERT_TRUE(tags_all.IsKnown());
  EXPECT_EQ(tags_all.GetAttr("Name").AsString(), "demo-vpc");
  EXPECT_EQ(tags_all.GetAttr("Owner").AsString(), "ops");
  // Without tags, default_tags alone.
  const ResourceChange* subnet = Find(plan, "module.net.aws_subnet.this[0]");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->after.GetAttr("tags_all").GetAttr("Owner").AsString(), "ops");
}

TEST_F(MakeCreatePlanTest, ObjectsWrittenForMapAttributesAreMaps) {
  Plan plan = MakePlan(kMain);
  const ResourceChange* vpc = Find(plan, "module.net.aws_vpc.this");
  ASSERT_NE(vpc, nullptr);
  EXPECT_TRUE(vpc->after.GetAttr("tags").type().IsMap());
  const ResourceChange* f = Find(plan, "module.net.aws_lambda_function.f");
  ASSERT_NE(f, nullptr);
  hcl::Value environment = f->after.GetAttr("environment");
  ASSERT_EQ(environment.Length(), 1u);
  EXPECT_TRUE(environment.Elements()[0].GetAttr("variables").type().IsMap());
}

TEST_F(MakeCreatePlanTest, TagsAllIsUnknownWithoutAnyTags) {
  Plan plan = MakePlan(R"(
provider "aws" { region = "eu-west-1" }
module "net" { source = "weka/weka/aws" }
)");
  const ResourceChange* subnet = Find(plan, "module.net.aws_subnet.this[0]");
  ASSERT_NE(subnet, nullptr);
  EXPECT_FALSE(subnet->after.GetAttr("tags_all").IsKnown());
  EXPECT_TRUE(plan.output_changes.empty());
}

TEST_F(MakeCreatePlanTest, SchemaSensitiveAttributesAreMarked) {
  Plan plan = MakePlan(kMain);
  const ResourceChange* secret =
      Find(plan, "module.net.aws_secretsmanager_secret_version.password");
  ASSERT_NE(secret, nullptr);
  EXPECT_TRUE(secret->after.GetAttr("secret_string").IsSensitive());
  EXPECT_TRUE(secret->after_sensitive.GetAttr("secret_string").AsBool());
  EXPECT_TRUE(secret->after_sensitive.GetAttr("secret_id").IsNull());
  const ResourceChange* password = Find(plan, "module.net.random_password.db");
  ASSERT_NE(password, nullptr);
  EXPECT_TRUE(password->after.GetAttr("result").IsSensitive());
  EXPECT_FALSE(password->after.GetAttr("result").IsKnown());
}

TEST_F(MakeCreatePlanTest, OutputsAreCreatesSortedByName) {
  Plan plan = MakePlan(kMain);
  ASSERT_EQ(plan.output_changes.size(), 2u);
  EXPECT_EQ(plan.output_changes[0].name, "region");
  EXPECT_EQ(plan.output_changes[0].after.AsString(), "eu-west-1");
  EXPECT_EQ(plan.output_changes[1].name, "vpc");
  EXPECT_FALSE(plan.output_changes[1].after.IsKnown());
  ASSERT_EQ(plan.module_calls.size(), 1u);
  EXPECT_EQ(plan.module_calls[0].source, "weka/weka/aws");
  EXPECT_EQ(plan.region, "eu-west-1");
}

TEST(AsBoolTest, UnknownAsBoolFollowsTerraform) {
  hcl::Value v = hcl::Value::Object(
      {{"a", hcl::Value::Unknown(hcl::Type::String())},
       {"b", hcl::Value::String("x")},
       {"c",
        hcl::Value::Tuple({hcl::Value::String("x"), hcl::Value::Unknown(hcl::Type::String())})},
       {"d", hcl::Value::Map(hcl::Type::String(), {{"k", hcl::Value::String("v")}})},
       {"e", hcl::Value::Null(hcl::Type::String())}});
  EXPECT_EQ(UnknownAsBool(v).ToDebugString(), "{a = true, c = [false, true], d = {}}");
}

TEST(AsBoolTest, SensitiveAsBoolFollowsTerraform) {
  hcl::Value v = hcl::Value::Object(
      {{"a", hcl::Value::String("s").WithSensitive()},
       {"b", hcl::Value::String("x")},
       {"c", hcl::Value::Tuple({hcl::Value::String("x")})},
       {"d", hcl::Value::Unknown(hcl::Type::List(hcl::Type::String()))},
       {"e", hcl::Value::Map(hcl::Type::String(), {{"k", hcl::Value::String("v")}})}});
  EXPECT_EQ(SensitiveAsBool(v).ToDebugString(), "{a = true, c = [false], d = [], e = {}}");
}

}  // namespace
}  // namespace cf::plan
