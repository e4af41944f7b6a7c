#include "plan/render_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cf::plan {
namespace {

using Json = nlohmann::json;

hcl::Value S(const char* s) {
  return hcl::Value::String(s);
}

ResourceChange Create(std::string module, std::string type, std::string name,
                      graph::InstanceKey key, hcl::ValueMap after) {
  ResourceChange c;
  c.module = std::move(module);
  c.type = std::move(type);
  c.name = std::move(name);
  c.index = key;
  c.address = (c.module.empty() ? "" : c.module + ".") + c.type + "." + c.name + key.ToString();
  c.provider_name = "registry.terraform.io/hashicorp/aws";
  c.before = hcl::Value::Null(hcl::Type::Dynamic());
  c.after = hcl::Value::Object(std::move(after));
  c.after_unknown = UnknownAsBool(c.after);
  c.after_sensitive = SensitiveAsBool(c.after);
  return c;
}

Plan SamplePlan() {
  Plan plan;
  plan.resource_changes.push_back(
      Create("module.weka", "aws_subnet", "this", graph::InstanceKey::Index(1),
             {{"cidr_block", S("10.0.1.0/24")},
              {"vpc_id", hcl::Value::Unknown(hcl::Type::String())},
              {"tags", hcl::Value::Map(hcl::Type::String(), {{"Name", S("a")}})},
              {"zones", hcl::Value::Tuple({S("a"), hcl::Value::Unknown(hcl::Type::String())})}}));
  plan.resource_changes.push_back(
      Create("module.weka", "aws_secretsmanager_secret_version", "token",
             graph::InstanceKey::String("get.weka.io"),
             {{"secret_string", S("hunter2").WithSensitive()}, {"secret_id", S("arn:x")}}));
  plan.output_changes.push_back(
      {"id", Action::kCreate, hcl::Value::Unknown(hcl::Type::String()), false, {}});
  plan.output_changes.push_back({"name", Action::kCreate, S("poc"), false, {}});
  plan.output_changes.push_back({"token", Action::kCreate, S("hunter2"), true, {}});
  plan.variables["region"] = S("eu-west-1");
  plan.variables["token"] = S("hunter2").WithSensitive();
  plan.region = "eu-west-1";
  plan.module_calls.push_back({"weka", "weka/weka/aws"});
  return plan;
}

Json Parse(const Plan& plan) {
  return Json::parse(RenderPlanJson(plan, {"0.1.0", true}));
}

TEST(RenderPlanJsonTest, TopLevelFieldsInTerraformsOrder) {
  std::string text = RenderPlanJson(SamplePlan(), {"0.1.0", true});
  Json doc = Json::parse(text);
  EXPECT_EQ(doc["format_version"], "1.2");
  EXPECT_EQ(doc["terraform_version"], "0.1.0");
  EXPECT_EQ(doc["applyable"], true);
  EXPECT_EQ(doc["complete"], true);
  EXPECT_EQ(doc["errored"], false);
  EXPECT_LT(text.find("\"format_version\""), text.find("\"planned_values\""));
  EXPECT_LT(text.find("\"planned_values\""), text.find("\"resource_changes\""));
  EXPECT_LT(text.find("\"resource_changes\""), text.find("\"output_changes\""));
  EXPECT_EQ(text.back(), '\n');
}

TEST(RenderPlanJsonTest, ResourceChangesCarryAfterAndItsUnknownAndSensitiveShapes) {
  Json doc = Parse(SamplePlan());
  const Json& subnet = doc["resource_changes"][0];
  EXPECT_EQ(subnet["address"], "module.weka.aws_subnet.this[1]");
  EXPECT_EQ(subnet["module_address"], "module.weka");
  EXPECT_EQ(subnet["mode"], "managed");
  EXPECT_EQ(subnet["type"], "aws_subnet");
  EXPECT_EQ(subnet["name"], "this");
  EXPECT_EQ(subnet["index"], 1);
  EXPECT_EQ(subnet["provider_name"], "registry.terraform.io/hashicorp/aws");
  const Json& change = subnet["change"];
  EXPECT_EQ(change["actions"], Json::array({"create"}));
  EXPECT_TRUE(change["before"].is_null());
  EXPECT_EQ(change["after"], Json::parse(R"({"cidr_block": "10.0.1.0/24", "tags": {"Name": "a"},
                                              "zones": ["a", null]})"));
  EXPECT_EQ(change["after_unknown"],
            Json::parse(R"({"vpc_id": true, "tags": {}, "zones": [false, true]})"));
  EXPECT_EQ(change["before_sensitive"], false);
  EXPECT_EQ(change["after_sensitive"], Json::parse(R"({"tags": {}, "zones": [false, false]})"));
}

TEST(RenderPlanJsonTest, SensitiveValuesNeverAppear) {
  Plan plan = SamplePlan();
  std::string text = RenderPlanJson(plan, {"0.1.0", false});
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  Json doc = Json::parse(text);
  const Json& secret = doc["resource_changes"][1];
  EXPECT_EQ(secret["index"], "get.weka.io");
  EXPECT_EQ(secret["change"]["after"], Json::parse(R"({"secret_id": "arn:x"})"));
  EXPECT_EQ(secret["change"]["after_sensitive"], Json::parse(R"({"secret_string": true})"));
  EXPECT_FALSE(doc["variables"].contains("token"));
  EXPECT_EQ(doc["variables"]["region"]["value"], "eu-west-1");
  EXPECT_FALSE(doc["output_changes"]["token"].contains("after"));
  EXPECT_EQ(doc["output_changes"]["token"]["after_sensitive"], true);
}

TEST(RenderPlanJsonTest, PlannedValuesGroupResourcesByModule) {
  Json doc = Parse(SamplePlan());
  const Json& root = doc["planned_values"]["root_module"];
  EXPECT_FALSE(root.contains("resources"));
  ASSERT_EQ(root["child_modules"].size(), 1u);
  const Json& child = root["child_modules"][0];
  EXPECT_EQ(child["address"], "module.weka");
  ASSERT_EQ(child["resources"].size(), 2u);
  const Json& subnet = child["resources"][0];
  EXPECT_EQ(subnet["address"], "module.weka.aws_subnet.this[1]");
  EXPECT_EQ(subnet["schema_version"], 0);
  EXPECT_EQ(subnet["values"]["cidr_block"], "10.0.1.0/24");
  EXPECT_FALSE(subnet["values"].contains("vpc_id"));
  EXPECT_EQ(subnet["sensitive_values"], Json::parse(R"({"tags": {}, "zones": [false, false]})"));
}

TEST(RenderPlanJsonTest, OutputChanges) {
  Json doc = Parse(SamplePlan());
  const Json& outputs = doc["output_changes"];
  EXPECT_EQ(outputs["id"]["actions"], Json::array({"create"}));
  EXPECT_TRUE(outputs["id"]["before"].is_null());
  EXPECT_FALSE(outputs["id"].contains("after"));
  EXPECT_EQ(outputs["id"]["after_unknown"], true);
  EXPECT_EQ(outputs["name"]["after"], "poc");
  EXPECT_EQ(outputs["name"]["after_unknown"], false);
  EXPECT_EQ(outputs["name"]["after_sensitive"], false);
  const Json& planned = doc["planned_values"]["outputs"];
  EXPECT_EQ(planned["name"],
            Json::parse(R"({"sensitive": false, "type": "string", "value": "poc"})"));
  EXPECT_EQ(planned["id"], Json::parse(R"({"sensitive": false})"));
  EXPECT_EQ(planned["token"], Json::parse(R"({"sensitive": true, "type": "string"})"));
}

TEST(RenderPlanJsonTest, ConfigurationNamesProviderAndModuleCalls) {
  Json doc = Parse(SamplePlan());
  const Json& config = doc["configuration"];
  EXPECT_EQ(config["provider_config"]["aws"]["full_name"], "registry.terraform.io/hashicorp/aws");
  EXPECT_EQ(config["provider_config"]["aws"]["expressions"]["region"]["constant_value"],
            "eu-west-1");
  EXPECT_EQ(config["root_module"]["module_calls"]["weka"]["source"], "weka/weka/aws");
}

TEST(RenderPlanJsonTest, NumbersStayExact) {
  Plan plan;
  plan.resource_changes.push_back(
      Create("", "aws_vpc", "this", graph::InstanceKey(),
             {{"a", hcl::Value::Num(hcl::Number(3))},
              {"b", hcl::Value::Num(*hcl::Number::Parse("0.5"))},
              {"c", hcl::Value::Num(*hcl::Number::Parse("12345678901234567890"))}}));
  std::string text = RenderPlanJson(plan, {"0.1.0", false});
  EXPECT_NE(text.find(R"("a":3,"b":0.5,"c":12345678901234567890)"), std::string::npos) << text;
  Json doc = Json::parse(text);
  EXPECT_FALSE(doc["resource_changes"][0].contains("index"));
  EXPECT_FALSE(doc["resource_changes"][0].contains("module_address"));
  EXPECT_EQ(doc["planned_values"]["root_module"]["resources"][0]["address"], "aws_vpc.this");
}

}  // namespace
}  // namespace cf::plan
