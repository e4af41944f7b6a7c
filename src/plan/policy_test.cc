#include "plan/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace cf::plan {
namespace {

using graph::InstanceKey;
using graph::ResourceInstance;
using graph::ResourceMode;
using hcl::Value;

Value S(const std::string& s) {
  return Value::String(s);
}
Value Unknown() {
  return Value::Unknown(hcl::Type::String());
}

ResourceInstance Make(const std::string& type, const std::string& name, hcl::ValueMap values,
                      std::vector<std::string> depends_on = {}, InstanceKey key = {},
                      ResourceMode mode = ResourceMode::kManaged) {
  ResourceInstance instance;
  instance.module = "module.weka";
  instance.mode = mode;
  instance.type = type;
  instance.name = name;
  instance.key = std::move(key);
  instance.values = Value::Object(std::move(values));
  instance.depends_on = std::move(depends_on);
  return instance;
}

// A cut-down WEKA deployment: network, roles, lambdas, secrets, an ASG.
std::vector<ResourceInstance> Weka(const std::string& cluster, int lambdas) {
  std::string p = "module.weka.";
  std::vector<ResourceInstance> out = {
      Make("aws_availability_zones", "available", {}, {}, {}, ResourceMode::kData),
      Make("aws_vpc", "this", {{"cidr_block", S("10.0.0.0/16")}}),
      Make("aws_subnet", "this", {{"availability_zone", S("eu-west-1a")}}, {p + "aws_vpc.this"}),
      Make("aws_iam_role", "lambda", {{"name", S("weka-" + cluster + "-lambda-role")}}),
      Make("aws_iam_role", "backend", {{"name", S("weka-" + cluster + "-iam-role")}}),
      Make("aws_iam_instance_profile", "backend",
           {{"name", S("weka-" + cluster + "-instance-profile")}, {"role", Unknown()}},
           {p + "aws_iam_role.backend"}),
      Make("aws_launch_template", "backend",
           {{"instance_type", S("i3en.2xlarge")},
            {"iam_instance_profile", Value::Tuple({Value::Object({{"arn", Unknown()}})})}},
           {p + "aws_iam_instance_profile.backend", p + "aws_subnet.this"}),
      Make("aws_autoscaling_group", "backend",
           {{"name", S("weka-" + cluster + "-autoscaling-group")},
            {"launch_template", Value::Tuple({Value::Object({{"id", Unknown()}})})}},
           {p + "aws_launch_template.backend"}),
      Make("aws_secretsmanager_secret", "password",
           {{"name", S("weka/weka-" + cluster + "/weka-password-Ab1x")}}),
      Make("tls_private_key", "ssh", {{"algorithm", S("RSA")}}),
  };
  for (int i = 0; i < lambdas; ++i) {
    std::string fn = "weka-" + cluster + "-function-number-" + std::to_string(i) + "-lambda";
    out.push_back(Make("aws_lambda_function", "this",
                       {{"function_name", S(fn)},
                        {"role", Unknown()},
                        {"s3_bucket", S("weka-tf-aws-releases-eu-west-1")},
                        {"s3_key", S("release/abc.zip")}},
                       {p + "aws_iam_role.lambda"}, InstanceKey::String(std::to_string(i))));
    out.push_back(Make("aws_cloudwatch_log_group", "this", {{"name", S("/aws/lambda/weka/" + fn)}},
                       {}, InstanceKey::String(std::to_string(i))));
  }
  return out;
}

graph::DesiredState State(std::vector<ResourceInstance> instances) {
  graph::DesiredState desired;
  desired.config.provider.region = "eu-west-1";
  desired.modules.emplace_back();
  desired.modules.back().instances = std::move(instances);
  return desired;
}

std::vector<std::string> Rendered(const Policy& policy) {
  std::vector<std::string> out;
  for (const auto& document : policy.documents) {
    out.push_back(RenderPolicyDocument(document, false));
  }
  return out;
}

// action -> resources, over every document.
std::map<std::string, std::set<std::string>> Grants(const Policy& policy) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& document : policy.documents) {
    for (const PolicyStatement& s : document) {
      for (const std::string& action : s.actions) {
        out[action].insert(s.resources.begin(), s.resources.end());
      }
    }
  }
  return out;
}

TEST(PolicyTest, RendersValidIamJson) {
  Policy policy = LeastPrivilegePolicy(State(Weka("poc", 2)), {.account = "123456789012"});
  ASSERT_EQ(policy.documents.size(), 1u);
  nlohmann::json doc = nlohmann::json::parse(RenderPolicyDocument(policy.documents[0], true));
  EXPECT_EQ(doc["Version"], "2012-10-17");
  std::set<std::string> sids;
  for (const auto& statement : doc["Statement"]) {
    EXPECT_EQ(statement["Effect"], "Allow");
    EXPECT_TRUE(statement["Action"].is_array());
    EXPECT_TRUE(statement["Resource"].is_array());
    std::string sid = statement["Sid"];
    EXPECT_TRUE(std::all_of(sid.begin(), sid.end(), [](char c) { return std::isalnum(c); })) << sid;
    EXPECT_TRUE(sids.insert(sid).second) << sid;
  }
  EXPECT_EQ(doc["Statement"][0]["Sid"], "AutoscalingAny");
  EXPECT_THAT(RenderPolicyDocument(policy.documents[0], false),
              testing::StartsWith("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
                                  "\"AutoscalingAny\",\"Effect\":\"Allow\",\"Action\":["));
}

TEST(PolicyTest, GroupsStatementsPerServiceAndResourceSet) {
  Policy policy = LeastPrivilegePolicy(State(Weka("poc", 2)), {.account = "123456789012"});
  std::vector<std::string> sids;
  for (const PolicyStatement& s : policy.documents[0]) {
    sids.push_back(s.sid);
  }
  EXPECT_THAT(sids, testing::ElementsAre("AutoscalingAny", "AutoscalingScoped1", "Ec2Any",
                                         "ElasticloadbalancingAny", "IamScoped1", "IamScoped2",
                                         "IamScoped3", "IamScoped4", "IamPassToEc2",
                                         "IamPassToLambda", "LambdaScoped1", "LogsAny",
                                         "LogsScoped1", "S3Scoped1", "SecretsmanagerScoped1"));
  // A role handed to EC2 (through the launch template) and to Lambda: PassRole pinned to each
  // service with iam:PassedToService, on that service's roles only.
  const PolicyStatement& to_ec2 = policy.documents[0][8];
  EXPECT_THAT(to_ec2.actions, testing::ElementsAre("iam:PassRole"));
  EXPECT_EQ(to_ec2.passed_to_service, "ec2.amazonaws.com");
  EXPECT_THAT(to_ec2.resources,
              testing::ElementsAre("arn:aws:iam::123456789012:role/weka-poc-iam-role"));
  const PolicyStatement& to_lambda = policy.documents[0][9];
  EXPECT_EQ(to_lambda.passed_to_service, "lambda.amazonaws.com");
  EXPECT_THAT(to_lambda.resources,
              testing::ElementsAre("arn:aws:iam::123456789012:role/weka-poc-lambda-role"));
  EXPECT_THAT(RenderPolicyDocument({to_lambda}, false),
              testing::HasSubstr("\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":"
                                 "\"lambda.amazonaws.com\"}}"));
  const PolicyStatement& code = policy.documents[0][13];
  EXPECT_THAT(code.actions, testing::ElementsAre("s3:GetObject"));
  EXPECT_THAT(code.resources,
              testing::ElementsAre("arn:aws:s3:::weka-tf-aws-releases-eu-west-1/release/abc.zip"));
}

TEST(PolicyTest, ScopesNamesToTheDeployment) {
  auto grants = Grants(LeastPrivilegePolicy(State(Weka("poc", 2)), {.account = "123456789012"}));
  EXPECT_THAT(
      grants["lambda:CreateFunction"],
      testing::ElementsAre(
          "arn:aws:lambda:eu-west-1:123456789012:function:weka-poc-function-number-0-lambda",
          "arn:aws:lambda:eu-west-1:123456789012:function:weka-poc-function-number-1-lambda"));
  EXPECT_THAT(grants["iam:CreateRole"],
              testing::ElementsAre("arn:aws:iam::123456789012:role/weka-poc-iam-role",
                                   "arn:aws:iam::123456789012:role/weka-poc-lambda-role"));
  EXPECT_THAT(grants["secretsmanager:CreateSecret"],
              testing::ElementsAre("arn:aws:secretsmanager:eu-west-1:123456789012:secret:"
                                   "weka/weka-poc/weka-password-Ab1x-??????"));
  EXPECT_THAT(grants["ec2:CreateVpc"], testing::ElementsAre("*"));
  EXPECT_THAT(grants["ec2:DescribeAvailabilityZones"], testing::ElementsAre("*"));
}

TEST(PolicyTest, EveryActionOfEveryUsedTypeAppears) {
  graph::DesiredState desired = State(Weka("poc", 3));
  auto grants = Grants(LeastPrivilegePolicy(desired));
  for (const ResourceInstance& instance : desired.modules[0].instances) {
    for (const std::string& action : provider::IamActionsFor(instance.mode, instance.type)) {
      EXPECT_EQ(grants.count(action), 1u) << instance.type << " " << action;
    }
  }
}

TEST(PolicyTest, AccountComesFromTheCallerIdentityOrIsAWildcard) {
  graph::DesiredState desired = State(Weka("poc", 1));
  EXPECT_THAT(Grants(LeastPrivilegePolicy(desired))["iam:CreateRole"],
              testing::Contains("arn:aws:iam::*:role/weka-poc-lambda-role"));
  desired.modules[0].instances.push_back(Make("aws_caller_identity", "current",
                                              {{"account_id", S("000000000000")}}, {}, {},
                                              ResourceMode::kData));
  EXPECT_THAT(Grants(LeastPrivilegePolicy(desired))["iam:CreateRole"],
              testing::Contains("arn:aws:iam::000000000000:role/weka-poc-lambda-role"));
  desired.config.provider.region = "cn-north-1";
  EXPECT_EQ(ArnContextFor(desired).partition, "aws-cn");
}

TEST(PolicyTest, WildcardsAbsorbTheNamesTheyCover) {
  std::vector<ResourceInstance> instances = Weka("poc", 1);
  instances.push_back(Make("aws_iam_role", "later", {{"name", Unknown()}}));
  auto grants = Grants(LeastPrivilegePolicy(State(instances), {.account = "123456789012"}));
  EXPECT_THAT(grants["iam:CreateRole"], testing::ElementsAre("arn:aws:iam::123456789012:role/*"));
}

TEST(PolicyTest, SplitsABigDeploymentIntoDocumentsWithinTheLimit) {
  std::vector<ResourceInstance> instances;
  for (int c = 0; c < 6; ++c) {
    std::vector<ResourceInstance> cluster = Weka("cluster-" + std::to_string(c), 11);
    for (ResourceInstance& instance : cluster) {
      instance.module = "module.weka" + std::to_string(c);
      for (std::string& dep : instance.depends_on) {
        dep = instance.module + dep.substr(std::string("module.weka").size());
      }
      instances.push_back(std::move(instance));
    }
  }
  graph::DesiredState desired = State(instances);
  Policy policy = LeastPrivilegePolicy(desired, {.account = "123456789012"});
  ASSERT_GT(policy.documents.size(), 2u);
  std::set<std::string> sids;
  size_t lambda_arns = 0;
  for (const std::string& text : Rendered(policy)) {
    EXPECT_LE(text.size(), kManagedPolicyMaxChars);
    nlohmann::json doc = nlohmann::json::parse(text);
    EXPECT_EQ(doc["Version"], "2012-10-17");
    for (const auto& statement : doc["Statement"]) {
      EXPECT_TRUE(sids.insert(statement["Sid"].get<std::string>()).second);
      for (const auto& action : statement["Action"]) {
        if (action == "lambda:CreateFunction") {
          lambda_arns += statement["Resource"].size();
        }
      }
    }
  }
  EXPECT_EQ(lambda_arns, 66u);
  // Nothing lost in the split.
  auto grants = Grants(policy);
  for (const ResourceInstance& instance : desired.modules[0].instances) {
    for (const std::string& action : provider::IamActionsFor(instance.mode, instance.type)) {
      EXPECT_EQ(grants.count(action), 1u) << action;
    }
  }
}

TEST(PolicyTest, SmallerLimitsGiveMoreDocuments) {
  graph::DesiredState desired = State(Weka("poc", 11));
  Policy wide = LeastPrivilegePolicy(desired);
  Policy narrow = LeastPrivilegePolicy(desired, {.max_document_chars = 1500, .account = ""});
  EXPECT_GT(narrow.documents.size(), wide.documents.size());
  for (const std::string& text : Rendered(narrow)) {
    EXPECT_LE(text.size(), 1500u);
  }
  EXPECT_EQ(Grants(narrow), Grants(wide));
}

TEST(PolicyTest, SameDeploymentSameDocuments) {
  std::vector<ResourceInstance> instances = Weka("poc", 5);
  std::vector<ResourceInstance> reversed(instances.rbegin(), instances.rend());
  EXPECT_EQ(Rendered(LeastPrivilegePolicy(State(instances))),
            Rendered(LeastPrivilegePolicy(State(reversed))));
}

TEST(PolicyTest, ReportsTypesItHasNoActionsFor) {
  std::vector<ResourceInstance> instances = Weka("poc", 1);
  instances.push_back(Make("aws_fsx_lustre_file_system", "scratch", {}));
  instances.push_back(Make("aws_ses_domain_identity", "p", {}, {}, {}, ResourceMode::kData));
  Policy policy = LeastPrivilegePolicy(State(instances));
  EXPECT_THAT(policy.uncovered_types,
              testing::ElementsAre("aws_fsx_lustre_file_system", "data.aws_ses_domain_identity"));
}

}  // namespace
}  // namespace cf::plan
