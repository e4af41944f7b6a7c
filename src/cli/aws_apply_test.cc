// Acceptance of issue 12 on the local cloud: the built `clusterform` binary applies the
// network, IAM, KMS, secrets, DynamoDB and S3 parts of examples/weka-minimal and
// examples/wandb-standard to a `clusterform cloud start` in a temporary data directory on
// loopback, plans "No changes.", updates and replaces, destroys, and the cloud is then asked
// (through `clusterform aws`) whether anything is left. Also: two applies on one state.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "base/process.h"
#include "testing/cloud/local_cloud.h"

namespace cf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kBinary = CF_CLUSTERFORM_BINARY;

using Ran = ChildOutput;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The -target addresses of each example that need no compute type (instances, autoscaling,
// load balancers, Lambda, Step Functions, EventBridge, EKS, RDS, SQS).
std::vector<std::string> WekaTargets() {
  const std::string m = "module.weka_deployment.";
  std::vector<std::string> out;
  for (const char* a :
       {"aws_route_table_association.public[0]", "aws_route_table_association.alb_additional[0]",
        "aws_vpc_endpoint.secretmanager[0]", "aws_security_group.backend[0]",
        "aws_iam_instance_profile.backend[0]", "aws_iam_role_policy_attachment.backend[\"eni\"]",
        "aws_iam_role_policy_attachment.backend[\"logs\"]",
        "aws_iam_role_policy_attachment.backend[\"ssm\"]", "aws_kms_alias.ebs[0]",
        "aws_secretsmanager_secret_version.weka_username",
        "aws_secretsmanager_secret_version.get_weka_io_token[0]",
        "aws_secretsmanager_secret.weka_password", "aws_dynamodb_table_item.state",
        "aws_placement_group.this[0]", "aws_key_pair.this[0]",
        "aws_cloudwatch_log_group.scale_down_sfn"}) {
    out.push_back(fmt::format("-target={}{}", m, a));
  }
  return out;
}

std::vector<std::string> WandbTargets() {
  const std::string m = "module.wandb.";
  std::vector<std::string> out;
  for (const char* a : {"aws_route_table_association.database",
                        "aws_route_table_association.elasticache",
                        "aws_route_table_association.private",
                        "aws_route_table_association.public",
                        "aws_route.private_nat_gateway",
                        "aws_route.public_internet_gateway[0]",
                        "aws_default_security_group.this[0]",
                        "aws_security_group.alb_inbound",
                        "aws_security_group.database",
                        "aws_security_group.redis[0]",
                        "aws_iam_role_policy_attachment.node_managed",
                        "aws_iam_role_policy_attachment.cluster",
                        "aws_iam_role_policy.cluster_encryption",
                        "aws_kms_alias.this",
                        "aws_secretsmanager_secret_version.weave_worker_auth",
                        "aws_s3_bucket_acl.file_storage[0]",
                        "aws_s3_bucket_cors_configuration.file_storage[0]",
                        "aws_s3_bucket_lifecycle_configuration.file_storage[0]",
                        "aws_s3_bucket_ownership_controls.file_storage[0]",
                        "aws_s3_bucket_public_access_block.file_storage[0]",
                        "aws_s3_bucket_server_side_encryption_configuration.file_storage[0]",
                        "aws_s3_bucket_versioning.file_storage[0]",
                        "aws_cloudwatch_log_group.cluster"}) {
    out.push_back(fmt::format("-target={}{}", m, a));
  }
  return out;
}

class AwsApplyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "cf_aws_apply_XXXXXX").string();
    root_ = new std::string(mkdtemp(pattern.data()));
    Ran start = RunIn({"cloud", "start", "--port", "0", "--data-dir", CloudDir()}, {});
    ASSERT_EQ(start.code, 0) << start.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(start.out, m, std::regex("127\\.0\\.0\\.1:(\\d+)")));
    endpoint_ = new std::string(fmt::format("http://127.0.0.1:{}", m[1].str()));
  }
  static std::string CloudDir() { return (fs::path(*root_) / "cloud").string(); }
  static void TearDownTestSuite() {
    RunIn({"cloud", "stop", "--data-dir", CloudDir()}, {});
    fs::remove_all(*root_);
    delete root_;
    delete endpoint_;
  }

  static std::map<std::string, std::string> Environment() {
    return {{"AWS_ENDPOINT_URL", endpoint_ ? *endpoint_ : ""},
            {"AWS_ACCESS_KEY_ID", "test"},
            {"AWS_SECRET_ACCESS_KEY", "test"},
            {"HOME", root_ ? *root_ : "/nonexistent"},
            {"PATH", "/usr/bin:/bin"},
            {"TF_VAR_get_weka_io_token", "token-for-the-test"},
            {"TF_VAR_license", "license-for-the-test"}};
  }

  static Ran RunIn(std::vector<std::string> args, std::map<std::string, std::string> env) {
    return RunChild(kBinary, args, env, std::chrono::minutes(3));
  }
  Ran Cf(std::vector<std::string> args) { return RunIn(std::move(args), Environment()); }

  // A copy of examples/NAME to work in.
  fs::path Example(const std::string& name) {
    fs::path dir = fs::path(*root_) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(fs::path(CF_SOURCE_DIR) / "examples" / name, dir, fs::copy_options::recursive);
    return dir;
  }

  static std::vector<std::string> With(std::vector<std::string> a,
                                       const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  // `clusterform aws SERVICE OPERATION --input JSON` against the local cloud.
  Json Aws(const std::string& region, const std::string& service, const std::string& op,
           const Json& input = Json::object()) {
    Ran r = Cf({"aws", service, op, "--input", input.dump(), "--region", region, "--endpoint-url",
                *endpoint_});
    Json out = Json::parse(r.out, nullptr, false);
    if (r.code != 0 || out.is_discarded()) {
      return Json{{"error", fmt::format("{}{}", r.err, r.out)}};
    }
    return out;
  }

  // The state's instances: address -> attributes.
  std::map<std::string, Json> StateOf(const fs::path& dir) {
    std::map<std::string, Json> out;
    Json state = Json::parse(ReadText(dir / "clusterform.tfstate"), nullptr, false);
    if (state.is_discarded()) {
      return out;
    }
    for (const Json& r : state["resources"]) {
      for (const Json& i : r["instances"]) {
        std::string module = r.value("module", "");
        std::string address =
            fmt::format("{}{}{}.{}", module, module.empty() ? "" : ".",
                        r["type"].get<std::string>(), r["name"].get<std::string>());
        if (i.contains("index_key")) {
          address += fmt::format("[{}]", i["index_key"].dump());
        }
        out[address] = i["attributes"];
      }
    }
    return out;
  }

  static std::string* root_;
  static std::string* endpoint_;
};

std::string* AwsApplyTest::root_ = nullptr;
std::string* AwsApplyTest::endpoint_ = nullptr;

void Replace(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = ReadText(file);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  std::ofstream(file) << text;
}

TEST_F(AwsApplyTest, WekaMinimalAppliesUpdatesReplacesAndDestroys) {
  fs::path dir = Example("weka-minimal");
  const std::string region = "eu-west-1";
  Ran apply = Cf(With({"apply", "-auto-approve", dir.string()}, WekaTargets()));
  ASSERT_EQ(apply.code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out, HasSubstr("Apply complete! Resources: 33 added, 0 changed, 0 destroyed."));
  std::map<std::string, Json> state = StateOf(dir);
  const std::string vpc = "module.weka_deployment.aws_vpc.this[0]";
  const std::string subnet = "module.weka_deployment.aws_subnet.public[0]";
  ASSERT_EQ(state.count(vpc), 1u);
  std::string vpc_id = state[vpc]["id"];
  std::string subnet_id = state[subnet]["id"];
  EXPECT_EQ(Aws(region, "ec2", "DescribeVpcs", {{"VpcIds", {vpc_id}}})["Vpcs"].size(), 1u);
  Json table =
      Aws(region, "dynamodb", "DescribeTable",
          {{"TableName", state["module.weka_deployment.aws_dynamodb_table.state[0]"]["name"]}});
  EXPECT_EQ(table["Table"]["TableStatus"], "ACTIVE") << table.dump();

  Ran plan = Cf(With({"plan", dir.string()}, WekaTargets()));
  EXPECT_EQ(plan.code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("No changes."));

  // A tag for every resource: an update in place.
  Replace(dir / "main.tf", "  weka_version      = \"4.4.10\"\n",
          "  weka_version      = \"4.4.10\"\n  tags_map          = { team = \"storage\" }\n");
  Ran tagged = Cf(With({"apply", "-auto-approve", dir.string()}, WekaTargets()));
  ASSERT_EQ(tagged.code, 0) << tagged.out << tagged.err;
  EXPECT_THAT(tagged.out, HasSubstr(fmt::format("{}: Modifications complete", vpc)));
  EXPECT_THAT(tagged.out, HasSubstr(", 0 destroyed."));
  EXPECT_THAT(tagged.out, Not(HasSubstr(" 0 changed")));
  Json vpcs = Aws(region, "ec2", "DescribeVpcs", {{"VpcIds", {vpc_id}}});
  ASSERT_EQ(vpcs["Vpcs"].size(), 1u) << vpcs.dump();
  EXPECT_THAT(vpcs["Vpcs"][0]["Tags"].dump(), HasSubstr(R"({"Key":"team","Value":"storage"})"));
  EXPECT_THAT(Cf(With({"plan", dir.string()}, WekaTargets())).out, HasSubstr("No changes."));

  // A public key of the user's own: the key pair's public_key forces a new key pair.
  const std::string key_pair = "module.weka_deployment.aws_key_pair.this[0]";
  std::string key_pair_id = StateOf(dir)[key_pair]["key_pair_id"];
  ASSERT_FALSE(key_pair_id.empty());
  Replace(dir / "main.tf", "  tags_map ",
          "  ssh_public_key    = \"ssh-ed25519 "
          "AAAAC3NzaC1lZDI1NTE5AAAAIBIzgwJPwOtnXXeGbUK/sRFPDR8uzo3SYN9yH2csOY/k user\"\n"
          "  tags_map ");
  Ran replaced = Cf(With({"apply", "-auto-approve", dir.string()}, WekaTargets()));
  ASSERT_EQ(replaced.code, 0) << replaced.out << replaced.err;
  EXPECT_THAT(replaced.out, HasSubstr(fmt::format("# {} must be replaced", key_pair)));
  EXPECT_THAT(replaced.out, HasSubstr(fmt::format("{}: Destruction complete", key_pair)));
  std::string new_key_pair_id = StateOf(dir)[key_pair]["key_pair_id"];
  EXPECT_NE(new_key_pair_id, key_pair_id);
  Json pairs = Aws(region, "ec2", "DescribeKeyPairs", {{"IncludePublicKey", true}});
  ASSERT_EQ(pairs["KeyPairs"].size(), 1u) << pairs.dump();
  EXPECT_EQ(pairs["KeyPairs"][0]["KeyPairId"], new_key_pair_id);
  EXPECT_THAT(pairs["KeyPairs"][0]["PublicKey"].dump(),
              HasSubstr("AAAAC3NzaC1lZDI1NTE5AAAAIBIzgwJPwOtnXXeGbUK/sRFPDR8uzo3SYN9yH2csOY/k"));
  EXPECT_THAT(Cf(With({"plan", dir.string()}, WekaTargets())).out, HasSubstr("No changes."));

  Ran destroy = Cf({"destroy", "-auto-approve", dir.string()});
  ASSERT_EQ(destroy.code, 0) << destroy.out << destroy.err;
  EXPECT_THAT(destroy.out, HasSubstr("Destroy complete! Resources: "));
  EXPECT_EQ(Cf({"state", "list", "-dir", dir.string()}).out, "");
  EXPECT_EQ(Aws(region, "ec2", "DescribeVpcs",
                {{"Filters", {{{"Name", "vpc-id"}, {"Values", {vpc_id}}}}}})["Vpcs"]
                .size(),
            0u);
  Json roles = Aws(region, "iam", "ListRoles");
  EXPECT_THAT(roles.dump(), Not(HasSubstr("weka-poc"))) << roles.dump();
  Json policies = Aws(region, "iam", "ListPolicies", {{"Scope", "Local"}});
  EXPECT_THAT(policies.dump(), Not(HasSubstr("weka-poc")));
  Json secrets = Aws(region, "secretsmanager", "ListSecrets");
  EXPECT_THAT(secrets.dump(), Not(HasSubstr("weka/weka-poc"))) << secrets.dump();
  EXPECT_THAT(Aws(region, "dynamodb", "ListTables").dump(), Not(HasSubstr("weka-poc")));
  EXPECT_THAT(Aws(region, "kms", "ListAliases").dump(), Not(HasSubstr("weka")));
  EXPECT_THAT(Aws(region, "logs", "DescribeLogGroups").dump(), Not(HasSubstr("weka")));
  EXPECT_EQ(Aws(region, "ec2", "DescribeKeyPairs")["KeyPairs"].size(), 0u);
}

TEST_F(AwsApplyTest, WandbStandardAppliesAndDestroys) {
  fs::path dir = Example("wandb-standard");
  const std::string region = "us-west-2";
  Ran apply = Cf(With({"apply", "-auto-approve", dir.string()}, WandbTargets()));
  ASSERT_EQ(apply.code, 0) << apply.out << apply.err;
  EXPECT_THAT(apply.out, HasSubstr("Apply complete!"));
  std::map<std::string, Json> state = StateOf(dir);
  std::string bucket = state["module.wandb.aws_s3_bucket.file_storage[0]"]["id"];
  std::string vpc_id = state["module.wandb.aws_vpc.this[0]"]["id"];
  ASSERT_FALSE(bucket.empty());
  Json versioning = Aws(region, "s3", "GetBucketVersioning", {{"Bucket", bucket}});
  EXPECT_EQ(versioning["Status"], "Enabled") << versioning.dump();
  Json nats = Aws(region, "ec2", "DescribeNatGateways",
                  {{"Filter", {{{"Name", "vpc-id"}, {"Values", {vpc_id}}}}}});
  EXPECT_EQ(nats["NatGateways"].size(), 2u) << nats.dump();

  Ran plan = Cf(With({"plan", dir.string()}, WandbTargets()));
  EXPECT_EQ(plan.code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("No changes."));

  Ran destroy = Cf({"destroy", "-auto-approve", dir.string()});
  ASSERT_EQ(destroy.code, 0) << destroy.out << destroy.err;
  EXPECT_EQ(Cf({"state", "list", "-dir", dir.string()}).out, "");
  EXPECT_THAT(Aws(region, "s3", "ListBuckets").dump(), Not(HasSubstr(bucket)));
  EXPECT_EQ(Aws(region, "ec2", "DescribeVpcs",
                {{"Filters", {{{"Name", "vpc-id"}, {"Values", {vpc_id}}}}}})["Vpcs"]
                .size(),
            0u);
  Json eips = Aws(region, "ec2", "DescribeAddresses");
  EXPECT_EQ(eips["Addresses"].size(), 0u) << eips.dump();
  EXPECT_THAT(Aws(region, "iam", "ListRoles").dump(), Not(HasSubstr("wandb")));
}

// A replaced VPC replaces what refers to its id where vpc_id forces it (subnet, security
// group): they are deleted before the old VPC (which the cloud refuses to delete while they
// exist) and created in the new one.
TEST_F(AwsApplyTest, AReplacedVpcReplacesItsSubnetAndSecurityGroup) {
  fs::path dir = fs::path(*root_) / "replace-propagation";
  fs::create_directories(dir);
  std::ofstream(dir / "main.tf") << R"(
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "v" {
  cidr_block = "127.40.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "127.40.1.0/24"
}
resource "aws_security_group" "g" {
  name   = "propagation"
  vpc_id = aws_vpc.v.id
}
)";
  Ran apply = Cf({"apply", "-auto-approve", dir.string()});
  ASSERT_EQ(apply.code, 0) << apply.out << apply.err;
  std::string old_vpc = StateOf(dir)["aws_vpc.v"]["id"];
  Ran plan = Cf({"plan", "-replace=aws_vpc.v", dir.string()});
  EXPECT_THAT(plan.out, HasSubstr("# aws_subnet.s must be replaced"));
  EXPECT_THAT(plan.out, HasSubstr("# aws_security_group.g must be replaced"));
  EXPECT_THAT(plan.out, HasSubstr("Plan: 3 to add, 0 to change, 3 to destroy."));
  Ran replaced = Cf({"apply", "-auto-approve", "-replace=aws_vpc.v", dir.string()});
  ASSERT_EQ(replaced.code, 0) << replaced.out << replaced.err;
  std::map<std::string, Json> state = StateOf(dir);
  std::string new_vpc = state["aws_vpc.v"]["id"];
  EXPECT_NE(new_vpc, old_vpc);
  EXPECT_EQ(state["aws_subnet.s"]["vpc_id"], new_vpc);
  EXPECT_EQ(state["aws_security_group.g"]["vpc_id"], new_vpc);
  EXPECT_EQ(Aws("us-east-1", "ec2", "DescribeVpcs",
                {{"Filters", {{{"Name", "vpc-id"}, {"Values", {old_vpc}}}}}})["Vpcs"]
                .size(),
            0u);
  Json subnets = Aws("us-east-1", "ec2", "DescribeSubnets",
                     {{"Filters", {{{"Name", "cidr-block"}, {"Values", {"127.40.1.0/24"}}}}}});
  ASSERT_EQ(subnets["Subnets"].size(), 1u) << subnets.dump();
  EXPECT_EQ(subnets["Subnets"][0]["VpcId"], new_vpc);
  EXPECT_THAT(Cf({"plan", dir.string()}).out, HasSubstr("No changes."));
  ASSERT_EQ(Cf({"destroy", "-auto-approve", dir.string()}).code, 0);
}

TEST_F(AwsApplyTest, AnAwsErrorNamesTheStepAndTheAddress) {
  fs::path dir = fs::path(*root_) / "bad-cidr";
  fs::create_directories(dir);
  std::ofstream(dir / "main.tf") << R"(
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "this" {
  cidr_block = "127.0.0.0/8"
}
)";
  Ran apply = Cf({"apply", "-auto-approve", dir.string()});
  EXPECT_EQ(apply.code, 1);
  EXPECT_THAT(apply.err,
              HasSubstr("Error: creating aws_vpc.this: InvalidVpc.Range: The CIDR '127.0.0.0/8' "
                        "is invalid"));
  EXPECT_THAT(apply.err, HasSubstr("  with aws_vpc.this"));
  EXPECT_EQ(Cf({"state", "list", "-dir", dir.string()}).out, "");
}

TEST_F(AwsApplyTest, ASecondApplyWaitsForTheLockThenNamesTheHolder) {
  fs::path dir = Example("weka-minimal");
  ProcessOptions p;
  p.argv = {kBinary, "apply", "-auto-approve", dir.string()};
  for (const std::string& t : WekaTargets()) {
    p.argv.push_back(t);
  }
  p.environment = Environment();
  p.stdout_redirect = Redirect::File((dir / "first.log").string(), false);
  p.stderr_redirect = Redirect::ToStdout();
  Result<std::unique_ptr<Process>> first = Process::Spawn(p);
  ASSERT_TRUE(first.ok()) << first.status().message();
  fs::path lock = dir / "clusterform.tfstate.lock.info";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!fs::exists(lock) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(fs::exists(lock));
  auto start = std::chrono::steady_clock::now();
  Ran second =
      Cf(With({"apply", "-auto-approve", "-lock-timeout=1s", dir.string()}, WekaTargets()));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(second.code, 1);
  EXPECT_THAT(second.err, HasSubstr("Error acquiring the state lock"));
  EXPECT_THAT(second.err, HasSubstr(fmt::format("Pid:       {}", (*first)->pid())));
  EXPECT_THAT(second.err, HasSubstr("Operation: OperationTypeApply"));
  ExitStatus done = (*first)->Wait();
  EXPECT_TRUE(done.success()) << done.ToString() << ReadText(dir / "first.log");
  // The first one finished as if alone; the state then destroys cleanly.
  EXPECT_THAT(Cf(With({"plan", dir.string()}, WekaTargets())).out, HasSubstr("No changes."));
  Ran destroy = Cf({"destroy", "-auto-approve", dir.string()});
  EXPECT_EQ(destroy.code, 0) << destroy.err;
}

// The s3 backend on the local cloud: the state is an object of the bucket, sealed under a KMS
// data key; the lock is KEY.tflock. A second apply waits for it and names the holder; a killed
// holder is taken over by the next apply, which converges.
TEST_F(AwsApplyTest, TheS3BackendLocksWithTflockSealsWithKmsAndSurvivesAKill) {
  fs::path dir = Example("weka-minimal");
  const std::string region = "eu-west-1";
  Json bucket = Aws(region, "s3", "CreateBucket", {{"Bucket", "cf-states"}});
  ASSERT_FALSE(bucket.contains("error")) << bucket.dump();
  std::ofstream(dir / "backend.tf") << fmt::format(R"(
terraform {{
  backend "s3" {{
    bucket    = "cf-states"
    key       = "weka/minimal.tfstate"
    region    = "{}"
    encrypt   = true
    endpoints = {{ s3 = "{}" }}
  }}
}}
)",
                                                   region, *endpoint_);
  auto object = [&](const std::string& key) {
    return Aws(region, "s3", "GetObject", {{"Bucket", "cf-states"}, {"Key", key}});
  };
  std::string printed;

  ProcessOptions p;
  p.argv = {kBinary, "apply", "-auto-approve", dir.string()};
  for (const std::string& t : WekaTargets()) {
    p.argv.push_back(t);
  }
  p.environment = Environment();
  p.stdout_redirect = Redirect::File((dir / "first.log").string(), false);
  p.stderr_redirect = Redirect::ToStdout();
  Result<std::unique_ptr<Process>> first = Process::Spawn(p);
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  Json lock = object("weka/minimal.tfstate.tflock");
  while (lock.contains("error") && std::chrono::steady_clock::now() < deadline) {
    lock = object("weka/minimal.tfstate.tflock");
  }
  ASSERT_FALSE(lock.contains("error")) << lock.dump();
  Json holder = Json::parse(lock["Body"].get<std::string>(), nullptr, false);
  EXPECT_EQ(holder["Pid"], (*first)->pid());
  EXPECT_EQ(holder["Path"], "s3://cf-states/weka/minimal.tfstate");

  Ran second =
      Cf(With({"apply", "-auto-approve", "-lock-timeout=1s", dir.string()}, WekaTargets()));
  EXPECT_EQ(second.code, 1);
  EXPECT_THAT(second.err, HasSubstr("Error acquiring the state lock"));
  EXPECT_THAT(second.err, HasSubstr(fmt::format("Pid:       {}", (*first)->pid())));
  EXPECT_THAT(second.err, HasSubstr("s3://cf-states/weka/minimal.tfstate"));
  printed += second.out + second.err;

  // Killed mid-apply: its lock stays behind, and the next apply takes it over and converges.
  ExitStatus killed = (*first)->Kill();
  EXPECT_FALSE(killed.success()) << "the first apply finished before it could be killed";
  printed += ReadText(dir / "first.log");
  EXPECT_FALSE(object("weka/minimal.tfstate.tflock").contains("error"));
  Ran rerun = Cf(With({"apply", "-auto-approve", dir.string()}, WekaTargets()));
  ASSERT_EQ(rerun.code, 0) << rerun.out << rerun.err;
  EXPECT_THAT(rerun.err, HasSubstr("no longer exists"));
  printed += rerun.out + rerun.err;
  EXPECT_TRUE(object("weka/minimal.tfstate.tflock").contains("error"));  // released
  Ran plan = Cf(With({"plan", dir.string()}, WekaTargets()));
  EXPECT_THAT(plan.out, HasSubstr("No changes.")) << plan.err;
  printed += plan.out + plan.err;
  EXPECT_FALSE(fs::exists(dir / "clusterform.tfstate"));

  // The state object: sealed values under a KMS data key, no secret in clear, SSE asked for.
  Json stored = object("weka/minimal.tfstate");
  ASSERT_FALSE(stored.contains("error")) << stored.dump();
  EXPECT_EQ(stored["ServerSideEncryption"], "AES256");
  std::string text = stored["Body"];
  Json state = Json::parse(text);
  EXPECT_THAT(text, HasSubstr("clusterform_sealed"));
  EXPECT_FALSE(state["clusterform"]["data_key"]["ciphertext"].get<std::string>().empty());
  // The get.weka.io token: a sensitive input, kept in a secret version's secret_string.
  std::vector<std::string> secrets = {"token-for-the-test"};
  Ran destroy = Cf({"destroy", "-auto-approve", dir.string()});
  ASSERT_EQ(destroy.code, 0) << destroy.out << destroy.err;
  printed += destroy.out + destroy.err;
  for (const std::string& s : secrets) {
    EXPECT_THAT(text, Not(HasSubstr(s)));
    EXPECT_THAT(printed, Not(HasSubstr(s)));
  }
  EXPECT_EQ(Cf({"state", "list", "-dir", dir.string()}).out, "");
}

// The provider block's access_key/secret_key come before the environment's credentials.
TEST_F(AwsApplyTest, TheProviderBlocksKeysAreTheOnesUsed) {
  fs::path dir = fs::path(*root_) / "block-keys";
  fs::create_directories(dir);
  auto write = [&](const std::string& keys) {
    std::ofstream(dir / "main.tf") << fmt::format(R"(
provider "aws" {{
  region = "us-east-1"
{}
}}
resource "aws_cloudwatch_log_group" "this" {{
  name = "block-keys"
}}
)",
                                                  keys);
  };
  write("  access_key = \"AKIDUNKNOWN\"\n  secret_key = \"not-a-key\"");
  Ran refused = Cf({"apply", "-auto-approve", dir.string()});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("UnrecognizedClientException")) << refused.err;
  EXPECT_THAT(refused.err, Not(HasSubstr("not-a-key")));
  EXPECT_EQ(Cf({"state", "list", "-dir", dir.string()}).out, "");

  write("  access_key = \"AKIDUNKNOWN\"");
  Ran half = Cf({"plan", dir.string()});
  EXPECT_EQ(half.code, 1);
  EXPECT_THAT(half.err, HasSubstr("only one of access_key and secret_key"));

  // The right keys in the block, none in the environment.
  write("  access_key = \"test\"\n  secret_key = \"test\"");
  std::map<std::string, std::string> env = Environment();
  env.erase("AWS_ACCESS_KEY_ID");
  env.erase("AWS_SECRET_ACCESS_KEY");
  Ran applied = RunIn({"apply", "-auto-approve", dir.string()}, env);
  ASSERT_EQ(applied.code, 0) << applied.out << applied.err;
  EXPECT_THAT(Aws("us-east-1", "logs", "DescribeLogGroups").dump(), HasSubstr("block-keys"));
  Ran destroy = RunIn({"destroy", "-auto-approve", dir.string()}, env);
  EXPECT_EQ(destroy.code, 0) << destroy.err;
}

TEST_F(AwsApplyTest, AnS3BackendBlockWithABadArgumentIsRefusedAtTheBlock) {
  fs::path dir = fs::path(*root_) / "bad-backend";
  fs::create_directories(dir);
  auto plan_with = [&](const std::string& body) {
    std::ofstream(dir / "main.tf")
        << "terraform {\n  backend \"s3\" {\n"
        << body << "  }\n}\nresource \"random_id\" \"x\" {\n  byte_length = 2\n}\n";
    return Cf({"plan", dir.string()});
  };
  Ran no_key = plan_with("    bucket = \"b\"\n");
  EXPECT_EQ(no_key.code, 1);
  EXPECT_THAT(no_key.err, HasSubstr("main.tf:2:3: the s3 backend needs \"bucket\" and \"key\""));
  Ran table = plan_with("    bucket = \"b\"\n    key = \"k\"\n    dynamodb_table = \"locks\"\n");
  EXPECT_EQ(table.code, 1);
  EXPECT_THAT(table.err, HasSubstr("main.tf:5:22: the s3 backend's \"dynamodb_table\""));
  Ran unknown = plan_with("    bucket = \"b\"\n    key = \"k\"\n    colour = \"blue\"\n");
  EXPECT_THAT(unknown.err, HasSubstr("the s3 backend has no argument \"colour\""));
  Ran typed = plan_with("    bucket = \"b\"\n    key = \"k\"\n    encrypt = \"yes\"\n");
  EXPECT_THAT(typed.err, HasSubstr("the backend's \"encrypt\" must be a bool"));
  EXPECT_FALSE(fs::exists(dir / "clusterform.tfstate"));
}

}  // namespace
}  // namespace cf::cli
