#include "provider/resource_schemas.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace cf::provider {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsSupersetOf;
using ::testing::Not;

TEST(AwsResourceSchemasTest, VpcComputesItsIdsArnAndTagsAll) {
  AwsResourceSchemas schemas;
  EXPECT_THAT(schemas.Computed("aws_vpc"),
              IsSupersetOf({"arn", "default_route_table_id", "default_security_group_id", "id",
                            "main_route_table_id", "owner_id", "tags_all"}));
}

TEST(AwsResourceSchemasTest, ComputedListsAreSortedAndAlwaysHoldId) {
  AwsResourceSchemas schemas;
  for (const char* type :
       {"aws_vpc", "aws_lb", "aws_launch_template", "aws_route_table_association",
        "aws_s3_bucket_policy", "random_password", "aws_lambda_function"}) {
    std::vector<std::string> computed = schemas.Computed(type);
    EXPECT_TRUE(std::is_sorted(computed.begin(), computed.end())) << type;
    EXPECT_THAT(computed, Contains("id")) << type;
    EXPECT_EQ(std::adjacent_find(computed.begin(), computed.end()), computed.end()) << type;
  }
}

TEST(AwsResourceSchemasTest, LoadBalancerComputesDnsNameAndZoneId) {
  AwsResourceSchemas schemas;
  EXPECT_THAT(schemas.Computed("aws_lb"),
              IsSupersetOf({"arn", "arn_suffix", "dns_name", "id", "zone_id"}));
  EXPECT_THAT(schemas.Computed("aws_lambda_function"),
              IsSupersetOf({"arn", "invoke_arn", "qualified_arn", "version"}));
  EXPECT_THAT(schemas.Computed("aws_eks_cluster"),
              IsSupersetOf({"certificate_authority", "endpoint", "identity"}));
}

TEST(AwsResourceSchemasTest, UnknownTypesComputeOnlyId) {
  AwsResourceSchemas schemas;
  EXPECT_THAT(schemas.Computed("aws_made_up_thing"), ElementsAre("id"));
  EXPECT_FALSE(schemas.Knows("aws_made_up_thing"));
  EXPECT_TRUE(schemas.Knows("aws_sfn_state_machine"));
  EXPECT_TRUE(schemas.Sensitive("aws_made_up_thing").empty());
}

TEST(AwsResourceSchemasTest, EveryTypeTheModulesUseIsKnown) {
  AwsResourceSchemas schemas;
  for (const char* type : {"aws_vpc",
                           "aws_subnet",
                           "aws_internet_gateway",
                           "aws_nat_gateway",
                           "aws_eip",
                           "aws_route_table",
                           "aws_route",
                           "aws_route_table_association",
                           "aws_security_group",
                           "aws_vpc_security_group_ingress_rule",
                           "aws_vpc_security_group_egress_rule",
                           "aws_security_group_rule",
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
                           "aws_s3_bucket_ownership_controls",
                           "aws_s3_bucket_notification",
                           "aws_s3_bucket_policy",
                           "aws_s3_bucket_cors_configuration",
                           "aws_s3_bucket_lifecycle_configuration",
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
                           "aws_iam_openid_connect_provider",
                           "aws_efs_file_system",
                           "aws_efs_mount_target",
                           "aws_eks_access_entry",
                           "tls_private_key",
                           "tls_self_signed_cert",
                           "random_password",
                           "random_string"}) {
    EXPECT_TRUE(schemas.Knows(type)) << type;
  }
}

TEST(AwsResourceSchemasTest, SecretsAreSensitiveBySchema) {
  AwsResourceSchemas schemas;
  EXPECT_THAT(schemas.Sensitive("random_password"), ElementsAre("bcrypt_hash", "result"));
  EXPECT_THAT(schemas.Sensitive("aws_secretsmanager_secret_version"), Contains("secret_string"));
  EXPECT_THAT(schemas.Sensitive("aws_rds_cluster"), Contains("master_password"));
  EXPECT_THAT(schemas.Sensitive("tls_private_key"), Contains("private_key_pem"));
  EXPECT_THAT(schemas.Sensitive("aws_vpc"), Not(Contains("arn")));
}

TEST(AwsResourceSchemasTest, PlainDefaultsAreNotComputed) {
  AwsResourceSchemas schemas;
  hcl::ValueMap kms = schemas.Defaults("aws_kms_key");
  EXPECT_EQ(kms.at("key_usage").AsString(), "ENCRYPT_DECRYPT");
  EXPECT_EQ(schemas.Defaults("aws_iam_role").at("path").AsString(), "/");
  EXPECT_TRUE(schemas.Defaults("aws_made_up_thing").empty());
  for (const char* type : {"aws_vpc",
                           "aws_subnet",
                           "aws_security_group",
                           "aws_iam_role",
                           "aws_iam_policy",
                           "aws_iam_instance_profile",
                           "aws_kms_key",
                           "aws_lambda_function",
                           "aws_cloudwatch_log_group",
                           "aws_s3_bucket",
                           "aws_sqs_queue",
                           "aws_secretsmanager_secret",
                           "aws_sfn_state_machine",
                           "aws_cloudwatch_event_rule",
                           "aws_lb",
                           "aws_lb_target_group",
                           "aws_autoscaling_group",
                           "tls_private_key",
                           "random_password",
                           "random_string"}) {
    for (const auto& [name, value] : schemas.Defaults(type)) {
      EXPECT_THAT(schemas.Computed(type), Not(Contains(name))) << type << "." << name;
    }
  }
}

TEST(AwsResourceSchemasTest, LoadBalancerDefaultsFollowItsType) {
  AwsResourceSchemas schemas;
  // Unset, load_balancer_type is "application": the HTTP settings hold.
  hcl::ValueMap alb = schemas.Defaults("aws_lb");
  EXPECT_EQ(alb.at("idle_timeout").AsNumber().ToString(), "60");
  EXPECT_TRUE(alb.at("enable_http2").AsBool());
  EXPECT_EQ(alb.count("dns_record_client_routing_policy"), 0u);

  hcl::ValueMap config;
  config["load_balancer_type"] = hcl::Value::String("network");
  hcl::ValueMap nlb = schemas.Defaults("aws_lb", config);
  EXPECT_EQ(nlb.count("idle_timeout"), 0u);
  EXPECT_EQ(nlb.count("enable_http2"), 0u);
  EXPECT_EQ(nlb.at("dns_record_client_routing_policy").AsString(), "any_availability_zone");
  EXPECT_FALSE(nlb.at("enable_cross_zone_load_balancing").AsBool());
  EXPECT_FALSE(nlb.at("internal").AsBool());

  // Not knowing the type yet, neither set is planned.
  config["load_balancer_type"] = hcl::Value::Unknown(hcl::Type::String());
  hcl::ValueMap unknown = schemas.Defaults("aws_lb", config);
  EXPECT_EQ(unknown.count("idle_timeout"), 0u);
  EXPECT_EQ(unknown.count("dns_record_client_routing_policy"), 0u);
}

TEST(AwsResourceSchemasTest, NestedBlocksByPath) {
  AwsResourceSchemas schemas;
  EXPECT_TRUE(schemas.IsBlock("aws_launch_template", "metadata_options"));
  EXPECT_TRUE(schemas.IsBlock("aws_launch_template", "block_device_mappings.ebs"));
  EXPECT_TRUE(schemas.IsBlock("aws_lb_listener", "default_action"));
  EXPECT_TRUE(schemas.IsBlock("aws_vpc", "timeouts"));
  // Attributes written as blocks in configuration stay attributes in the plan.
  EXPECT_FALSE(schemas.IsBlock("aws_security_group", "ingress"));
  EXPECT_FALSE(schemas.IsBlock("aws_launch_template", "tags"));
  EXPECT_FALSE(schemas.IsBlock("aws_launch_template", "ebs"));
}

TEST(AwsResourceSchemasTest, MapAttributesByPath) {
  AwsResourceSchemas schemas;
  EXPECT_TRUE(schemas.IsMap("aws_vpc", "tags"));
  EXPECT_TRUE(schemas.IsMap("aws_launch_template", "tag_specifications.tags"));
  EXPECT_TRUE(schemas.IsMap("aws_lambda_function", "environment.variables"));
  EXPECT_FALSE(schemas.IsMap("aws_lambda_function", "variables"));
  EXPECT_FALSE(schemas.IsMap("aws_vpc", "cidr_block"));
}

TEST(AwsResourceSchemasTest, ProviderNamesByTypePrefix) {
  EXPECT_EQ(AwsResourceSchemas::ProviderName("aws_vpc"), "registry.terraform.io/hashicorp/aws");
  EXPECT_EQ(AwsResourceSchemas::ProviderName("tls_private_key"),
            "registry.terraform.io/hashicorp/tls");
  EXPECT_EQ(AwsResourceSchemas::ProviderName("random_password"),
            "registry.terraform.io/hashicorp/random");
  EXPECT_EQ(AwsResourceSchemas::ProviderName("local_file"),
            "registry.terraform.io/hashicorp/local");
}

}  // namespace
}  // namespace cf::provider
