#include "provider/iam_actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace cf::provider {
namespace {

using graph::ResourceInstance;
using graph::ResourceMode;
using hcl::Value;
using testing::ElementsAre;
using testing::IsEmpty;

ResourceInstance Make(const std::string& type, const std::string& name, hcl::ValueMap values,
                      std::vector<std::string> depends_on = {}) {
  ResourceInstance instance;
  instance.module = "module.weka";
  instance.type = type;
  instance.name = name;
  instance.values = Value::Object(std::move(values));
  instance.depends_on = std::move(depends_on);
  return instance;
}

Value S(const std::string& s) {
  return Value::String(s);
}
Value Unknown() {
  return Value::Unknown(hcl::Type::String());
}

class IamActionsTest : public testing::Test {
 protected:
  void Add(ResourceInstance instance) {
    std::string address = instance.Address();
    instances_[address] = std::move(instance);
  }
  std::vector<IamGrant> Grants(const std::string& address) {
    return IamGrantsFor(instances_.at(address), context_, [this](std::string_view a) {
      auto it = instances_.find(std::string(a));
      return it == instances_.end() ? nullptr : &it->second;
    });
  }
  // The resources granted for `action`.
  std::vector<std::string> ResourcesFor(const std::string& address, const std::string& action) {
    std::vector<std::string> out;
    for (const IamGrant& grant : Grants(address)) {
      if (std::find(grant.actions.begin(), grant.actions.end(), action) != grant.actions.end()) {
        out.insert(out.end(), grant.resources.begin(), grant.resources.end());
      }
    }
    return out;
  }

  ArnContext context_{"aws", "eu-west-1", "123456789012"};
  std::map<std::string, ResourceInstance> instances_;
};

TEST_F(IamActionsTest, VpcActions) {
  std::vector<std::string> actions = IamActionsFor(ResourceMode::kManaged, "aws_vpc");
  for (const char* action :
       {"ec2:CreateVpc", "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:ModifyVpcAttribute",
        "ec2:DeleteVpc", "ec2:CreateTags", "ec2:DeleteTags"}) {
    EXPECT_THAT(actions, testing::Contains(action));
  }
  Add(Make("aws_vpc", "this", {{"cidr_block", S("10.0.0.0/16")}}));
  EXPECT_THAT(ResourcesFor("module.weka.aws_vpc.this", "ec2:CreateVpc"), ElementsAre("*"));
}

TEST_F(IamActionsTest, CoversEveryTypeTheModulesUse) {
  for (const char* type : {"aws_vpc",
                           "aws_subnet",
                           "aws_internet_gateway",
                           "aws_nat_gateway",
                           "aws_eip",
                           "aws_route_table",
                           "aws_route_table_association",
                           "aws_route",
                           "aws_security_group",
                           "aws_security_group_rule",
                           "aws_vpc_security_group_ingress_rule",
                           "aws_vpc_security_group_egress_rule",
                           "aws_iam_role",
                           "aws_iam_policy",
                           "aws_iam_role_policy",
                           "aws_iam_role_policy_attachment",
                           "aws_iam_instance_profile",
                           "aws_vpc_endpoint",
                           "aws_key_pair",
                           "aws_placement_group",
                           "aws_launch_template",
                           "aws_autoscaling_group",
                           "aws_kms_key",
                           "aws_kms_alias",
                           "aws_lb",
                           "aws_lb_target_group",
                           "aws_lb_listener",
                           "aws_acm_certificate",
                           "aws_route53_record",
                           "aws_dynamodb_table",
                           "aws_dynamodb_table_item",
                           "aws_secretsmanager_secret",
                           "aws_secretsmanager_secret_version",
                           "aws_lambda_function",
                           "aws_cloudwatch_log_group",
                           "aws_sfn_state_machine",
                           "aws_cloudwatch_event_rule",
                           "aws_cloudwatch_event_target",
                           "aws_instance",
                           "aws_s3_bucket",
                           "aws_s3_bucket_versioning",
                           "aws_s3_bucket_server_side_encryption_configuration",
                           "aws_s3_bucket_public_access_block",
                           "aws_s3_bucket_policy",
                           "aws_s3_bucket_notification",
                           "aws_sqs_queue",
                           "aws_sqs_queue_policy",
                           "aws_rds_cluster",
                           "aws_rds_cluster_instance",
                           "aws_rds_cluster_parameter_group",
                           "aws_db_parameter_group",
                           "aws_db_subnet_group",
                           "aws_elasticache_replication_group",
                           "aws_elasticache_subnet_group",
                           "aws_eks_cluster",
                           "aws_eks_node_group",
                           "aws_eks_addon",
                           "aws_eks_access_entry",
                           "aws_iam_openid_connect_provider",
                           "aws_efs_file_system",
                           "aws_efs_mount_target"}) {
    EXPECT_TRUE(IamActionsKnown(ResourceMode::kManaged, type)) << type;
    EXPECT_THAT(IamActionsFor(ResourceMode::kManaged, type), testing::Not(IsEmpty())) << type;
  }
  EXPECT_TRUE(IamActionsKnown(ResourceMode::kManaged, "tls_private_key"));
  EXPECT_TRUE(IamActionsKnown(ResourceMode::kManaged, "random_password"));
  EXPECT_FALSE(IamActionsKnown(ResourceMode::kManaged, "aws_fsx_lustre_file_system"));
  EXPECT_TRUE(IamActionsKnown(ResourceMode::kData, "aws_region"));
}

TEST_F(IamActionsTest, KnownNamesGiveExactArns) {
  Add(Make("aws_iam_role", "lambda", {{"name", S("weka-poc-lambda-role")}}));
  Add(Make("aws_lambda_function", "deploy",
           {{"function_name", S("weka-poc-deploy-lambda")}, {"role", Unknown()}},
           {"module.weka.aws_iam_role.lambda"}));
  Add(Make("aws_secretsmanager_secret", "password",
           {{"name", S("weka/weka-poc/weka-password-Ab1x")}}));
  Add(Make("aws_cloudwatch_log_group", "deploy", {{"name", S("/aws/lambda/weka-poc-deploy")}}));
  Add(Make("aws_s3_bucket", "obs", {{"bucket", S("weka-poc-obs")}}));
  Add(Make("aws_dynamodb_table", "state", {{"name", S("weka-poc-weka-deployment")}}));
  Add(Make("aws_kms_alias", "ebs", {{"name", S("alias/weka-poc")}}));

  EXPECT_THAT(ResourcesFor("module.weka.aws_iam_role.lambda", "iam:CreateRole"),
              ElementsAre("arn:aws:iam::123456789012:role/weka-poc-lambda-role"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_lambda_function.deploy", "lambda:CreateFunction"),
              ElementsAre("arn:aws:lambda:eu-west-1:123456789012:function:weka-poc-deploy-lambda"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_lambda_function.deploy", "iam:PassRole"),
              ElementsAre("arn:aws:iam::123456789012:role/weka-poc-lambda-role"));
  EXPECT_THAT(
      ResourcesFor("module.weka.aws_secretsmanager_secret.password", "secretsmanager:CreateSecret"),
      ElementsAre("arn:aws:secretsmanager:eu-west-1:123456789012:secret:weka/weka-poc/"
                  "weka-password-Ab1x-??????"));
  EXPECT_THAT(
      ResourcesFor("module.weka.aws_cloudwatch_log_group.deploy", "logs:CreateLogGroup"),
      ElementsAre("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/weka-poc-deploy",
                  "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/weka-poc-deploy:*"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_s3_bucket.obs", "s3:CreateBucket"),
              ElementsAre("arn:aws:s3:::weka-poc-obs"));
  EXPECT_THAT(
      ResourcesFor("module.weka.aws_dynamodb_table.state", "dynamodb:CreateTable"),
      ElementsAre("arn:aws:dynamodb:eu-west-1:123456789012:table/weka-poc-weka-deployment"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_kms_alias.ebs", "kms:CreateAlias"),
              ElementsAre("arn:aws:kms:eu-west-1:123456789012:alias/weka-poc",
                          "arn:aws:kms:eu-west-1:123456789012:key/*"));
}

TEST_F(IamActionsTest, UnknownNamesBecomeWildcards) {
  context_.account = "*";
  Add(Make("aws_iam_role", "later", {{"name", Unknown()}}));
  Add(Make("aws_iam_role", "prefixed", {{"name_prefix", S("weka-")}}));
  EXPECT_THAT(ResourcesFor("module.weka.aws_iam_role.later", "iam:CreateRole"),
              ElementsAre("arn:aws:iam::*:role/*"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_iam_role.prefixed", "iam:CreateRole"),
              ElementsAre("arn:aws:iam::*:role/weka-*"));
  Add(Make("aws_s3_bucket", "prefixed", {{"bucket_prefix", S("wandb-")}}));
  EXPECT_THAT(ResourcesFor("module.weka.aws_s3_bucket.prefixed", "s3:CreateBucket"),
              ElementsAre("arn:aws:s3:::wandb-*"));
  Add(Make("aws_eks_node_group", "ng", {{"node_role_arn", Unknown()}},
           {"module.weka.aws_iam_role.prefixed"}));
  EXPECT_THAT(ResourcesFor("module.weka.aws_eks_node_group.ng", "iam:PassRole"),
              ElementsAre("arn:aws:iam::*:role/weka-*"));
}

TEST_F(IamActionsTest, SubResourcesTakeTheirParentsName) {
  Add(Make("aws_iam_role", "backend", {{"name", S("weka-poc-iam-role")}}));
  Add(Make("aws_iam_role_policy", "eni",
           {{
                "name",
                S("eni"),
            },
            {"role", Unknown()}},
           {"module.weka.aws_iam_role.backend"}));
  Add(Make("aws_s3_bucket", "b", {{"bucket", S("wandb-files")}}));
  Add(Make("aws_s3_bucket_policy", "b", {{"bucket", Unknown()}}, {"module.weka.aws_s3_bucket.b"}));
  Add(Make("aws_secretsmanager_secret", "token", {{"name", S("weka/token-x")}}));
  Add(Make("aws_secretsmanager_secret_version", "token", {{"secret_id", Unknown()}},
           {"module.weka.aws_secretsmanager_secret.token"}));
  EXPECT_THAT(ResourcesFor("module.weka.aws_iam_role_policy.eni", "iam:PutRolePolicy"),
              ElementsAre("arn:aws:iam::123456789012:role/weka-poc-iam-role"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_s3_bucket_policy.b", "s3:PutBucketPolicy"),
              ElementsAre("arn:aws:s3:::wandb-files"));
  EXPECT_THAT(
      ResourcesFor("module.weka.aws_secretsmanager_secret_version.token",
                   "secretsmanager:PutSecretValue"),
      ElementsAre("arn:aws:secretsmanager:eu-west-1:123456789012:secret:weka/token-x-??????"));
}

TEST_F(IamActionsTest, AutoscalingGroupPassesTheRoleOfItsLaunchTemplatesProfile) {
  Add(Make("aws_iam_role", "backend", {{"name", S("weka-poc-iam-role")}}));
  Add(Make("aws_iam_instance_profile", "backend",
           {{"name", S("weka-poc-instance-profile")}, {"role", S("weka-poc-iam-role")}},
           {"module.weka.aws_iam_role.backend"}));
  Add(Make("aws_launch_template", "backend",
           {{"iam_instance_profile", Value::Tuple({Value::Object({{"arn", Unknown()}})})}},
           {"module.weka.aws_iam_instance_profile.backend"}));
  Add(Make("aws_autoscaling_group", "backend",
           {{"name", S("weka-poc-autoscaling-group")},
            {"launch_template", Value::Tuple({Value::Object({{"id", Unknown()}})})}},
           {"module.weka.aws_launch_template.backend"}));
  Add(Make("aws_launch_template", "bare", {}));
  Add(Make("aws_autoscaling_group", "bare",
           {{"launch_template", Value::Tuple({Value::Object({{"id", Unknown()}})})}},
           {"module.weka.aws_launch_template.bare"}));

  const char* role = "arn:aws:iam::123456789012:role/weka-poc-iam-role";
  EXPECT_THAT(ResourcesFor("module.weka.aws_autoscaling_group.backend", "iam:PassRole"),
              ElementsAre(role));
  EXPECT_THAT(ResourcesFor("module.weka.aws_launch_template.backend", "iam:PassRole"),
              ElementsAre(role));
  EXPECT_THAT(ResourcesFor("module.weka.aws_iam_instance_profile.backend", "iam:PassRole"),
              ElementsAre(role));
  EXPECT_THAT(ResourcesFor("module.weka.aws_autoscaling_group.backend",
                           "autoscaling:CreateAutoScalingGroup"),
              ElementsAre("arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:"
                          "autoScalingGroupName/weka-poc-autoscaling-group"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_autoscaling_group.bare", "iam:PassRole"), IsEmpty());
  EXPECT_THAT(ResourcesFor("module.weka.aws_launch_template.bare", "iam:PassRole"), IsEmpty());
}

TEST_F(IamActionsTest, AGivenRoleArnIsPassedAsIs) {
  Add(Make("aws_sfn_state_machine", "scale_down",
           {{"name", S("weka-poc-scale-down-state-machine")},
            {"role_arn", S("arn:aws:iam::123456789012:role/my-sfn-role")}}));
  Add(Make("aws_instance", "client", {{"iam_instance_profile", S("someone-elses-profile")}}));
  EXPECT_THAT(ResourcesFor("module.weka.aws_sfn_state_machine.scale_down", "iam:PassRole"),
              ElementsAre("arn:aws:iam::123456789012:role/my-sfn-role"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_instance.client", "iam:PassRole"),
              ElementsAre("arn:aws:iam::123456789012:role/*"));
}

TEST_F(IamActionsTest, LambdaCodeFromS3OnlyWhenTheFunctionSaysSo) {
  Add(Make("aws_lambda_function", "s3",
           {{"function_name", S("f1")},
            {"s3_bucket", S("weka-tf-aws-releases-eu-west-1")},
            {"s3_key", S("release/85b38faf.zip")}}));
  Add(Make("aws_lambda_function", "local", {{"function_name", S("f2")}, {"filename", S("f.zip")}}));
  EXPECT_THAT(ResourcesFor("module.weka.aws_lambda_function.s3", "s3:GetObject"),
              ElementsAre("arn:aws:s3:::weka-tf-aws-releases-eu-west-1/release/85b38faf.zip"));
  EXPECT_THAT(ResourcesFor("module.weka.aws_lambda_function.local", "s3:GetObject"), IsEmpty());
}

TEST_F(IamActionsTest, TypesWithoutAwsCallsGrantNothing) {
  Add(Make("tls_private_key", "ssh", {{"algorithm", S("RSA")}}));
  EXPECT_THAT(Grants("module.weka.tls_private_key.ssh"), IsEmpty());
}

TEST_F(IamActionsTest, CoveredTypesAreSorted) {
  std::vector<std::string> types = IamCoveredTypes();
  EXPECT_TRUE(std::is_sorted(types.begin(), types.end()));
  EXPECT_GT(types.size(), 60u);
}

}  // namespace
}  // namespace cf::provider
