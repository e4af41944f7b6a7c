// The AWS provider against the real local cloud, in-process on 127.0.0.1 (port 0): for each
// type, create, read back, update in place, find, import, delete, read gone; bad input comes
// back as the service's error; and every call a type makes is in its IAM policy.

#include "provider/aws_provider.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "provider/aws_provider_test_fixture.h"
#include "testing/status_matchers.h"

namespace cf::provider {
namespace {

constexpr char kTrust[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})";
constexpr char kPolicy[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]})";
constexpr char kPolicy2[] =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:DescribeInstances","ec2:DescribeVolumes"],"Resource":"*"}]})";

TEST_F(AwsProviderTest, Vpc) {
  Lifecycle({"aws_vpc",
             {{"cidr_block", "127.10.0.0/16"},
              {"enable_dns_support", true},
              {"enable_dns_hostnames", true},
              {"tags", {{"Name", "test-vpc"}}}},
             {{"cidr_block", "127.10.0.0/16"},
              {"enable_dns_support", true},
              {"enable_dns_hostnames", false},
              {"tags", {{"Name", "renamed"}}}},
             ById});
}

TEST_F(AwsProviderTest, SubnetGatewaysAndRoutes) {
  Json vpc = Apply("aws_vpc", "net", {{"cidr_block", "127.20.0.0/16"}});
  std::string vpc_id = vpc["id"];
  Json subnet = Lifecycle({"aws_subnet",
                           {{"vpc_id", vpc_id},
                            {"cidr_block", "127.20.1.0/24"},
                            {"map_public_ip_on_launch", true},
                            {"tags", {{"Name", "public"}}}},
                           {{"vpc_id", vpc_id},
                            {"cidr_block", "127.20.1.0/24"},
                            {"map_public_ip_on_launch", false},
                            {"tags", {{"Name", "public"}}}},
                           ById});
  EXPECT_EQ(subnet["map_public_ip_on_launch"], false);

  Lifecycle(
      {"aws_internet_gateway", {{"vpc_id", vpc_id}, {"tags", {{"Name", "igw"}}}}, Json(), ById});
  Json igw = Apply("aws_internet_gateway", "gw", {{"vpc_id", vpc_id}});
  Json sub = Apply("aws_subnet", "s", {{"vpc_id", vpc_id}, {"cidr_block", "127.20.2.0/24"}});

  Lifecycle({"aws_eip", {{"domain", "vpc"}, {"tags", {{"Name", "nat-eip"}}}}, Json(), ById});
  Json eip = Apply("aws_eip", "nat", {{"domain", "vpc"}});
  Lifecycle({"aws_nat_gateway",
             {{"allocation_id", eip["id"]}, {"subnet_id", sub["id"]}, {"tags", {{"Name", "nat"}}}},
             Json(),
             ById});

  Json table =
      Lifecycle({"aws_route_table",
                 {{"vpc_id", vpc_id},
                  {"route", {{{"cidr_block", "0.0.0.0/0"}, {"gateway_id", igw["id"]}}}},
                  {"tags", {{"Name", "public-rt"}}}},
                 {{"vpc_id", vpc_id}, {"route", Json::array()}, {"tags", {{"Name", "public-rt"}}}},
                 ById});
  EXPECT_EQ(table["route"], Json::array());

  Json rt = Apply("aws_route_table", "rt", {{"vpc_id", vpc_id}});
  Lifecycle({"aws_route",
             {{"route_table_id", rt["id"]},
              {"destination_cidr_block", "0.0.0.0/0"},
              {"gateway_id", igw["id"]}},
             Json(),
             [](const Json& s) { return s["route_table_id"].get<std::string>() + "_0.0.0.0/0"; }});
  Lifecycle({"aws_route_table_association",
             {{"subnet_id", sub["id"]}, {"route_table_id", rt["id"]}},
             Json(),
             [](const Json& s) {
               return s["subnet_id"].get<std::string>() + "/" +
                      s["route_table_id"].get<std::string>();
             }});
  Lifecycle({"aws_vpc_endpoint",
             {{"vpc_id", vpc_id},
              {"service_name", "com.amazonaws.us-east-1.s3"},
              {"vpc_endpoint_type", "Gateway"},
              {"route_table_ids", {rt["id"]}},
              {"tags", {{"Name", "s3"}}}},
             Json(),
             ById,
             {"route_table_ids"}});

  Lifecycle({"aws_flow_log",
             {{"vpc_id", vpc_id},
              {"traffic_type", "REJECT"},
              {"log_destination_type", "s3"},
              {"log_destination", "arn:aws:s3:::flow-logs"},
              {"tags", {{"Name", "flow"}}}},
             {{"vpc_id", vpc_id},
              {"traffic_type", "REJECT"},
              {"log_destination_type", "s3"},
              {"log_destination", "arn:aws:s3:::flow-logs"},
              {"tags", {{"Name", "flow2"}}}},
             ById});
  Destroy("aws_route_table", "rt", rt);
  Destroy("aws_eip", "nat", eip);
  Destroy("aws_subnet", "s", sub);
  Destroy("aws_internet_gateway", "gw", igw);
  Destroy("aws_vpc", "net", vpc);
  EXPECT_FALSE(ReadOne("aws_vpc", vpc).has_value());
}

// A run killed between CreateInternetGateway and AttachInternetGateway leaves a gateway that
// is tagged but not attached: Find adopts it with vpc_id "", and Update attaches it.
TEST_F(AwsProviderTest, AnInternetGatewayAdoptedBeforeItsAttachmentIsAttachedByUpdate) {
  Json vpc = Apply("aws_vpc", "net", {{"cidr_block", "127.21.0.0/16"}});
  std::string vpc_id = vpc["id"];
  Json config = {{"vpc_id", vpc_id}, {"tags", {{"Name", "igw"}}}};
  Json unattached = Apply("aws_internet_gateway", "gw", {{"tags", {{"Name", "igw"}}}});
  ASSERT_FALSE(Str(unattached, "id").empty());
  EXPECT_EQ(unattached["vpc_id"], "");
  std::optional<Json> read = ReadOne("aws_internet_gateway", unattached);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ((*read)["vpc_id"], "");

  auto found = provider_->Find(Ref("aws_internet_gateway", "gw"), config);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((**found)["id"], unattached["id"]);
  EXPECT_EQ((**found)["vpc_id"], "");
  auto updated = provider_->Update(Ref("aws_internet_gateway", "gw"), **found, config);
  ASSERT_OK(updated);
  Json attached = Settle("aws_internet_gateway", *updated);
  EXPECT_EQ(attached["vpc_id"], vpc_id);
  read = ReadOne("aws_internet_gateway", attached);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ((*read)["vpc_id"], vpc_id);
  // Detached behind clusterform's back: read reports it, and an update attaches it again.
  current_type_ = "aws_internet_gateway";
  ASSERT_OK(client_->Call("ec2", "DetachInternetGateway",
                          {{"InternetGatewayId", attached["id"]}, {"VpcId", vpc_id}}));
  read = ReadOne("aws_internet_gateway", attached);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ((*read)["vpc_id"], "");
  ASSERT_OK(provider_->Update(Ref("aws_internet_gateway", "gw"), *read, config));
  EXPECT_EQ((*ReadOne("aws_internet_gateway", attached))["vpc_id"], vpc_id);
  Destroy("aws_internet_gateway", "gw", attached);
  Destroy("aws_vpc", "net", vpc);
  EXPECT_FALSE(ReadOne("aws_vpc", vpc).has_value());
}

TEST_F(AwsProviderTest, SecurityGroupsAndRules) {
  Json vpc = Apply("aws_vpc", "net", {{"cidr_block", "127.30.0.0/16"}});
  std::string vpc_id = vpc["id"];
  Json ingress = Json::array({{{"description", "SSH"},
                               {"from_port", 22},
                               {"to_port", 22},
                               {"protocol", "tcp"},
                               {"cidr_blocks", {"127.0.0.0/8"}}},
                              {{"description", "All inside"},
                               {"from_port", 0},
                               {"to_port", 0},
                               {"protocol", "-1"},
                               {"self", true}}});
  Json egress = Json::array(
      {{{"from_port", 0}, {"to_port", 0}, {"protocol", "-1"}, {"cidr_blocks", {"0.0.0.0/0"}}}});
  Json config = {{"name", "weka-sg"}, {"description", "WEKA cluster"},
                 {"vpc_id", vpc_id},  {"ingress", ingress},
                 {"egress", egress},  {"tags", {{"Name", "weka-sg"}}}};
  Json update = config;
  update["ingress"] = Json::array({ingress[1]});
  Json sg = Lifecycle({"aws_security_group", config, update, ById, {"ingress", "egress"}});
  EXPECT_EQ(sg["ingress"], update["ingress"]);

  Json group = Apply("aws_security_group", "g", {{"name", "rules"}, {"vpc_id", vpc_id}});
  EXPECT_EQ(group["egress"], Json::array()) << "the default egress rule is revoked";
  Lifecycle({"aws_security_group_rule",
             {{"type", "ingress"},
              {"security_group_id", group["id"]},
              {"from_port", 443},
              {"to_port", 443},
              {"protocol", "tcp"},
              {"cidr_blocks", {"127.0.0.0/8"}},
              {"description", "HTTPS"}},
             Json(),
             [](const Json& s) {
               return s["security_group_id"].get<std::string>() +
                      "_ingress_tcp_443_443_127.0.0.0/8";
             },
             {"description"}});
  Lifecycle({"aws_default_security_group",
             {{"vpc_id", vpc_id}, {"ingress", Json::array({ingress[1]})}, {"egress", egress}},
             Json(),
             nullptr,
             {},
             /*gone_after_delete=*/false});
  Destroy("aws_security_group", "g", group);
  Destroy("aws_vpc", "net", vpc);
}

TEST_F(AwsProviderTest, KeyPairPlacementGroupAndLaunchTemplate) {
  Lifecycle({"aws_key_pair",
             {{"key_name", "weka-key"},
              {"public_key",
               "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBIzgwJPwOtnXXeGbUK/sRFPDR8uzo3SYN9yH2csOY/k "
               "test"},
              {"tags", {{"Name", "key"}}}},
             {{"key_name", "weka-key"},
              {"public_key",
               "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBIzgwJPwOtnXXeGbUK/sRFPDR8uzo3SYN9yH2csOY/k "
               "test"},
              {"tags", {{"Name", "renamed"}, {"team", "storage"}}}},
             ById,
             {"public_key"}});
  Lifecycle({"aws_placement_group",
             {{"name", "weka-pg"}, {"strategy", "cluster"}, {"tags", {{"Name", "pg"}}}},
             {{"name", "weka-pg"}, {"strategy", "cluster"}, {"tags", {{"team", "storage"}}}},
             ById});
  Json lt = {
      {"name", "weka-backend"},
      {"image_id", "ami-0123456789abcdef0"},
      {"instance_type", "i3en.2xlarge"},
      {"update_default_version", true},
      {"block_device_mappings",
       {{{"device_name", "/dev/sdp"},
         {"ebs",
          {{{"volume_size", 48}, {"volume_type", "gp3"}, {"delete_on_termination", true}}}}}}},
      {"metadata_options",
       {{{"http_endpoint", "enabled"},
         {"http_tokens", "required"},
         {"http_put_response_hop_limit", 1}}}},
      {"tag_specifications", {{{"resource_type", "instance"}, {"tags", {{"Name", "backend"}}}}}},
      {"tags", {{"Name", "lt"}}}};
  Json lt2 = lt;
  lt2["instance_type"] = "i3en.3xlarge";
  Json state = Lifecycle({"aws_launch_template", lt, lt2, ById, {"update_default_version"}});
  EXPECT_EQ(state["latest_version"], 2);
  EXPECT_EQ(state["default_version"], 2);
}

TEST_F(AwsProviderTest, IamTypes) {
  Json role = Lifecycle({"aws_iam_role",
                         {{"name", "weka-backend"},
                          {"assume_role_policy", kTrust},
                          {"description", "backends"},
                          {"tags", {{"Name", "role"}}}},
                         {{"name", "weka-backend"},
                          {"assume_role_policy", kTrust},
                          {"description", "the backends"},
                          {"tags", {{"Name", "role"}}}},
                         ById});
  EXPECT_EQ(role["arn"], "arn:aws:iam::000000000000:role/weka-backend");

  Json policy = Lifecycle({"aws_iam_policy",
                           {{"name", "weka-eni"}, {"policy", kPolicy}, {"tags", {{"Name", "p"}}}},
                           {{"name", "weka-eni"}, {"policy", kPolicy2}, {"tags", {{"Name", "p"}}}},
                           ById});
  EXPECT_EQ(policy["policy"], kPolicy2);

  Json r = Apply("aws_iam_role", "r", {{"name", "lambda"}, {"assume_role_policy", kTrust}});
  Json p = Apply("aws_iam_policy", "p", {{"name", "lambda-policy"}, {"policy", kPolicy}});
  Lifecycle({"aws_iam_role_policy_attachment",
             {{"role", "lambda"}, {"policy_arn", p["arn"]}},
             Json(),
             [](const Json& s) {
               return s["role"].get<std::string>() + "/" + s["policy_arn"].get<std::string>();
             }});
  Lifecycle({"aws_iam_role_policy",
             {{"role", "lambda"}, {"name", "inline"}, {"policy", kPolicy}},
             {{"role", "lambda"}, {"name", "inline"}, {"policy", kPolicy2}},
             [](const Json& s) { return s["role"].get<std::string>() + ":inline"; }});
  Lifecycle({"aws_iam_instance_profile",
             {{"name", "weka-profile"}, {"role", "lambda"}, {"tags", {{"Name", "ip"}}}},
             Json(),
             ById});
  Lifecycle({"aws_iam_openid_connect_provider",
             {{"url", "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123"},
              {"client_id_list", {"sts.amazonaws.com"}},
              {"thumbprint_list", {"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"}},
              {"tags", {{"Name", "eks"}}}},
             {{"url", "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE0123"},
              {"client_id_list", {"sts.amazonaws.com", "other"}},
              {"thumbprint_list", {"0000000000000000000000000000000000000000"}},
              {"tags", {{"Name", "eks"}}}},
             ById});
  Destroy("aws_iam_policy", "p", p);
  Destroy("aws_iam_role", "r", r);
}

TEST_F(AwsProviderTest, KmsKeysAndAliases) {
  Json key = Lifecycle({"aws_kms_key",
                        {{"description", "weka secrets"},
                         {"enable_key_rotation", true},
                         {"deletion_window_in_days", 7},
                         {"tags", {{"Name", "key"}}}},
                        {{"description", "weka secrets, rotated"},
                         {"enable_key_rotation", true},
                         {"deletion_window_in_days", 7},
                         {"tags", {{"Name", "key2"}}}},
                        ById,
                        {"deletion_window_in_days"}});
  EXPECT_EQ(key["enable_key_rotation"], true);
  Json k = Apply("aws_kms_key", "k", {{"description", "for the alias"}});
  Json k2 = Apply("aws_kms_key", "k2", {{"description", "the alias's next key"}});
  Lifecycle({"aws_kms_alias",
             {{"name", "alias/weka-secrets"}, {"target_key_id", k["key_id"]}},
             {{"name", "alias/weka-secrets"}, {"target_key_id", k2["key_id"]}},
             ById});
  Destroy("aws_kms_key", "k", k);
  Destroy("aws_kms_key", "k2", k2);
}

TEST_F(AwsProviderTest, SecretsAndVersions) {
  Lifecycle(
      {"aws_secretsmanager_secret",
       {{"name", "weka/poc/username"}, {"description", "user"}, {"tags", {{"Name", "s"}}}},
       {{"name", "weka/poc/username"}, {"description", "the user"}, {"tags", {{"Name", "s"}}}},
       ById});
  Json secret = Apply("aws_secretsmanager_secret", "s",
                      {{"name", "weka/poc/password"}, {"recovery_window_in_days", 0}});
  Lifecycle({"aws_secretsmanager_secret_version",
             {{"secret_id", secret["id"]}, {"secret_string", "s3cr3t"}},
             Json(),
             [](const Json& s) {
               return s["secret_id"].get<std::string>() + "|" + s["version_id"].get<std::string>();
             },
             {},
             /*gone_after_delete=*/false});
  Destroy("aws_secretsmanager_secret", "s", secret);
}

TEST_F(AwsProviderTest, DynamoDbTableAndItem) {
  Json config = {{"name", "weka-state"},
                 {"billing_mode", "PAY_PER_REQUEST"},
                 {"hash_key", "Key"},
                 {"attribute", {{{"name", "Key"}, {"type", "S"}}}},
                 {"server_side_encryption", {{{"enabled", true}}}},
                 {"tags", {{"Name", "state"}}}};
  Json update = config;
  update["point_in_time_recovery"] = {{{"enabled", true}}};
  Lifecycle({"aws_dynamodb_table", config, update, ById, {"server_side_encryption"}});
  Json table = Apply("aws_dynamodb_table", "t",
                     {{"name", "items"},
                      {"billing_mode", "PAY_PER_REQUEST"},
                      {"hash_key", "Key"},
                      {"attribute", {{{"name", "Key"}, {"type", "S"}}}}});
  Lifecycle({"aws_dynamodb_table_item",
             {{"table_name", "items"},
              {"hash_key", "Key"},
              {"item", R"({"Key":{"S":"backend"},"Locked":{"BOOL":false}})"}},
             {{"table_name", "items"},
              {"hash_key", "Key"},
              {"item", R"({"Key":{"S":"backend"},"Locked":{"BOOL":true}})"}},
             nullptr});
  Destroy("aws_dynamodb_table", "t", table);
}

TEST_F(AwsProviderTest, LogGroup) {
  Lifecycle({"aws_cloudwatch_log_group",
             {{"name", "/wekaio/poc"}, {"retention_in_days", 30}, {"tags", {{"Name", "lg"}}}},
             {{"name", "/wekaio/poc"}, {"retention_in_days", 7}, {"tags", {{"Name", "lg2"}}}},
             ById});
}

TEST_F(AwsProviderTest, S3BucketAndConfigurations) {
  Lifecycle(
      {"aws_s3_bucket",
       {{"bucket", "wandb-file-storage"}, {"force_destroy", true}, {"tags", {{"Name", "files"}}}},
       {{"bucket", "wandb-file-storage"}, {"force_destroy", true}, {"tags", {{"Name", "files2"}}}},
       ById,
       {"force_destroy"}});
  Json bucket = Apply("aws_s3_bucket", "b", {{"bucket", "wandb-files"}});
  Lifecycle({"aws_s3_bucket_versioning",
             {{"bucket", "wandb-files"}, {"versioning_configuration", {{{"status", "Enabled"}}}}},
             Json(),
             ById,
             {},
             /*gone_after_delete=*/false});
  Lifecycle({"aws_s3_bucket_server_side_encryption_configuration",
             {{"bucket", "wandb-files"},
              {"rule",
               {{{"apply_server_side_encryption_by_default", {{{"sse_algorithm", "AES256"}}}},
                 {"bucket_key_enabled", true}}}}},
             {{"bucket", "wandb-files"},
              {"rule",
               {{{"apply_server_side_encryption_by_default", {{{"sse_algorithm", "aws:kms"}}}},
                 {"bucket_key_enabled", true}}}}},
             // AWS (and the local cloud) fall back to SSE-S3 once a configuration is deleted.
             ById,
             {},
             /*gone_after_delete=*/false});
  Lifecycle({"aws_s3_bucket_public_access_block",
             {{"bucket", "wandb-files"},
              {"block_public_acls", true},
              {"block_public_policy", true},
              {"ignore_public_acls", true},
              {"restrict_public_buckets", true}},
             {{"bucket", "wandb-files"},
              {"block_public_acls", false},
              {"block_public_policy", true},
              {"ignore_public_acls", true},
              {"restrict_public_buckets", true}},
             ById});
  Lifecycle(
      {"aws_s3_bucket_ownership_controls",
       {{"bucket", "wandb-files"}, {"rule", {{{"object_ownership", "BucketOwnerPreferred"}}}}},
       {{"bucket", "wandb-files"}, {"rule", {{{"object_ownership", "BucketOwnerEnforced"}}}}},
       ById});
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::wandb-files","arn:aws:s3:::wandb-files/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]})";
  Lifecycle(
      {"aws_s3_bucket_policy", {{"bucket", "wandb-files"}, {"policy", policy}}, Json(), ById});
  Lifecycle({"aws_s3_bucket_cors_configuration",
             {{"bucket", "wandb-files"},
              {"cors_rule",
               {{{"allowed_headers", {"*"}},
                 {"allowed_methods", {"GET", "HEAD", "PUT"}},
                 {"allowed_origins", {"*"}},
                 {"expose_headers", {"ETag"}},
                 {"max_age_seconds", 3000}}}}},
             Json(),
             ById});
  Lifecycle({"aws_s3_bucket_lifecycle_configuration",
             {{"bucket", "wandb-files"},
              {"rule",
               {{{"id", "noncurrent"},
                 {"status", "Enabled"},
                 {"filter", {Json::object()}},
                 {"noncurrent_version_expiration", {{{"noncurrent_days", 30}}}},
                 {"abort_incomplete_multipart_upload", {{{"days_after_initiation", 7}}}}}}}},
             Json(),
             ById});
  Lifecycle({"aws_s3_bucket_notification",
             {{"bucket", "wandb-files"},
              {"queue",
               {{{"queue_arn", "arn:aws:sqs:us-east-1:000000000000:files"},
                 {"events", {"s3:ObjectCreated:*"}}}}}},
             {{"bucket", "wandb-files"},
              {"queue",
               {{{"queue_arn", "arn:aws:sqs:us-east-1:000000000000:files"},
                 {"events", {"s3:ObjectCreated:*", "s3:ObjectRemoved:*"}}}}}},
             ById,
             {"queue"}});
  Lifecycle({"aws_s3_bucket_acl",
             {{"bucket", "wandb-files"}, {"acl", "private"}},
             {{"bucket", "wandb-files"}, {"acl", "public-read"}},
             ById,
             {},
             /*gone_after_delete=*/false});
  Destroy("aws_s3_bucket", "b", bucket);
}

TEST_F(AwsProviderTest, BucketAclRefusedWhenOwnershipIsEnforced) {
  Json bucket = Apply("aws_s3_bucket", "b", {{"bucket", "enforced"}});
  Apply("aws_s3_bucket_ownership_controls", "o",
        {{"bucket", "enforced"}, {"rule", {{{"object_ownership", "BucketOwnerEnforced"}}}}});
  current_type_ = "aws_s3_bucket_acl";
  auto acl = provider_->Create(Ref("aws_s3_bucket_acl", "a"),
                               {{"bucket", "enforced"}, {"acl", "public-read"}});
  ASSERT_FALSE(acl.ok());
  EXPECT_NE(acl.status().message().find("s3.PutBucketAcl: AccessControlListNotSupported"),
            std::string::npos)
      << acl.status().message();
  Destroy("aws_s3_bucket", "b", bucket);
}

TEST_F(AwsProviderTest, BadInputIsTheServiceErrorAndLeavesNothing) {
  current_type_ = "aws_vpc";
  auto bad = provider_->Create(Ref("aws_vpc", "bad"), {{"cidr_block", "not-a-cidr"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("ec2.CreateVpc: InvalidParameterValue"), std::string::npos)
      << bad.status().message();
  auto found = provider_->Find(Ref("aws_vpc", "bad"), {{"cidr_block", "not-a-cidr"}});
  ASSERT_OK(found);
  EXPECT_FALSE(found->has_value());

  current_type_ = "aws_iam_role";
  auto role = provider_->Create(Ref("aws_iam_role", "bad"),
                                {{"name", "r"}, {"assume_role_policy", "{not json"}});
  ASSERT_FALSE(role.ok());
  EXPECT_NE(role.status().message().find("iam.CreateRole: MalformedPolicyDocument"),
            std::string::npos)
      << role.status().message();

  current_type_ = "aws_subnet";
  auto subnet = provider_->Create(Ref("aws_subnet", "bad"),
                                  {{"vpc_id", "vpc-00000000"}, {"cidr_block", "127.1.0.0/24"}});
  ASSERT_FALSE(subnet.ok());
  EXPECT_EQ(subnet.status().code(), StatusCode::kNotFound);
  EXPECT_NE(subnet.status().message().find("InvalidVpcID.NotFound"), std::string::npos)
      << subnet.status().message();

  current_type_ = "aws_vpc";
  auto unknown = provider_->Create(Ref("aws_nope", "x"), Json::object());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  auto missing = provider_->Import("aws_vpc", "vpc-00000000");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(AwsProviderTest, ReadIsOneCallForManyVpcs) {
  std::vector<Json> states;
  for (int i = 0; i < 5; ++i) {
    states.push_back(Apply("aws_vpc", fmt::format("v{}", i),
                           {{"cidr_block", fmt::format("127.{}.0.0/16", 40 + i)}}));
  }
  states.push_back({{"id", "vpc-0000000000000dead"}});
  int describes = 0;
  AwsProviderOptions options;
  options.on_call = [&](std::string_view, std::string_view op) {
    describes += op == "DescribeVpcs" ? 1 : 0;
  };
  auto counting = MakeAwsProvider(*client_, options);
  auto read = counting->Read("aws_vpc", states);
  ASSERT_OK(read);
  EXPECT_EQ(describes, 1);
  ASSERT_EQ(read->size(), 6u);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE((*read)[i].has_value());
    EXPECT_EQ((*read)[i]->value("cidr_block", ""), fmt::format("127.{}.0.0/16", 40 + i));
  }
  EXPECT_FALSE((*read)[5].has_value());
}

TEST(IamActionForCallTest, UsesIamPrefixesWhereTheyDifferFromTheServiceName) {
  EXPECT_EQ(IamActionForCall("ec2", "RunInstances"), "ec2:RunInstances");
  EXPECT_EQ(IamActionForCall("elbv2", "CreateLoadBalancer"),
            "elasticloadbalancing:CreateLoadBalancer");
  EXPECT_EQ(IamActionForCall("stepfunctions", "CreateStateMachine"), "states:CreateStateMachine");
  EXPECT_EQ(IamActionForCall("s3", "PutBucketEncryption"), "s3:PutEncryptionConfiguration");
  EXPECT_EQ(IamActionForCall("sts", "GetCallerIdentity"), "");
}

TEST_F(AwsProviderTest, RulesNameForceNewArguments) {
  EXPECT_EQ(provider_->Pool("aws_vpc"), "ec2");
  EXPECT_EQ(provider_->Pool("aws_iam_role"), "iam");
  std::vector<std::string> vpc = provider_->Rules("aws_vpc").force_new;
  EXPECT_NE(std::find(vpc.begin(), vpc.end(), "cidr_block"), vpc.end());
  EXPECT_EQ(std::find(vpc.begin(), vpc.end(), "enable_dns_hostnames"), vpc.end());
  EXPECT_FALSE(provider_->Supports("random_pet"));
}

}  // namespace
}  // namespace cf::provider
