// IAM (and STS AssumeRole against IAM's roles) through the real server, driven by Debian's
// awscli: a client nobody here wrote.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

using Cli = ShellResult;

// Runs awscli against 127.0.0.1:port with the given keys and nothing from the environment.
// awscli against 127.0.0.1:port with the given keys (testing/awscli.h).
Cli Aws(uint16_t port, const std::string& args, const std::string& key = "test",
        const std::string& secret = "test", const std::string& token = "") {
  AwsCliKey keys;
  keys.access_key_id = key;
  keys.secret_access_key = secret;
  keys.session_token = token;
  return RunAwsCli(port, args, keys);
}

class IamAwsCliTest : public ::testing::Test {
 protected:
  IamAwsCliTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_iam_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    options_.port = 0;
    options_.data_dir = dir_;
  }
  ~IamAwsCliTest() override { std::filesystem::remove_all(dir_); }

  std::string File(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return "file://" + path;
  }

  // Runs `args` and expects success; returns the parsed output.
  Json Ok(const std::string& args) {
    Cli r = Aws(server_->port(), args);
    EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
    return r.Json();
  }

  // Runs `args` and expects failure naming `code`.
  void Fails(const std::string& args, const std::string& code) {
    Cli r = Aws(server_->port(), args);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_NE(r.output.find("(" + code + ")"), std::string::npos) << args << "\n" << r.output;
  }

  void Start() {
    server_.reset();
    auto server = CloudServer::Start(options_, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
  }

  std::string dir_;
  CloudOptions options_;
  SystemClock clock_;
  NullLogger logger_;
  std::unique_ptr<CloudServer> server_;
};

constexpr char kTrust[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::000000000000:root",
                               "Service": "ec2.amazonaws.com"},
                 "Action": "sts:AssumeRole"}]
})";

constexpr char kPolicy[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": ["arn:aws:s3:::weka-bucket", "arn:aws:s3:::weka-bucket/*"]}]
})";

constexpr char kPolicyV2[] = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
})";

// Each test is its own ctest case, and awscli takes about two seconds per call on a busy
// machine: the scenario is split in three to stay well inside ctest's time limit.

TEST_F(IamAwsCliTest, RolesPoliciesAndProfilesScenarioSurvivesRestart) {
  if (!std::filesystem::exists("/usr/bin/aws")) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  Start();
  std::string trust = File("trust.json", kTrust);
  std::string policy = File("policy.json", kPolicy);
  std::string policy_v2 = File("policy-v2.json", kPolicyV2);

  // Roles.
  Json role =
      Ok("iam create-role --role-name weka-backend --path /weka/ "
         "--assume-role-policy-document " +
         trust + " --description backends --tags Key=team,Value=storage")["Role"];
  std::string role_id = role["RoleId"];
  EXPECT_TRUE(std::regex_match(role_id, std::regex("AROA[0-9A-Z]{17}"))) << role_id;
  EXPECT_EQ(role["Arn"], "arn:aws:iam::000000000000:role/weka/weka-backend");
  // botocore decodes IAM's URL-encoded documents back into JSON.
  EXPECT_EQ(role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
            "ec2.amazonaws.com");
  Fails("iam create-role --role-name weka-backend --assume-role-policy-document " + trust,
        "EntityAlreadyExists");
  Fails("iam create-role --role-name bad --assume-role-policy-document " + policy,
        "MalformedPolicyDocument");
  Json got = Ok("iam get-role --role-name weka-backend")["Role"];
  EXPECT_EQ(got["RoleId"], role_id);
  EXPECT_EQ(got["Tags"][0]["Value"], "storage");

  // Inline policy.
  Ok("iam put-role-policy --role-name weka-backend --policy-name inline-read "
     "--policy-document " +
     policy);
  Json inline_policy = Ok("iam get-role-policy --role-name weka-backend --policy-name inline-read");
  EXPECT_EQ(inline_policy["PolicyDocument"]["Statement"][0]["Sid"], "Read");

  // Managed policy with a second version.
  Json created = Ok("iam create-policy --policy-name weka-read --path /weka/ --policy-document " +
                    policy)["Policy"];
  std::string arn = created["Arn"];
  EXPECT_EQ(arn, "arn:aws:iam::000000000000:policy/weka/weka-read");
  Json v2 = Ok("iam create-policy-version --policy-arn " + arn + " --policy-document " + policy_v2 +
               " --set-as-default")["PolicyVersion"];
  EXPECT_EQ(v2["VersionId"], "v2");
  EXPECT_EQ(v2["IsDefaultVersion"], true);
  Json doc = Ok("iam get-policy-version --policy-arn " + arn + " --version-id v2")["PolicyVersion"];
  EXPECT_EQ(doc["Document"]["Statement"][0]["Action"], "s3:*");

  // Attachments.
  Ok("iam attach-role-policy --role-name weka-backend --policy-arn " + arn);
  Ok("iam attach-role-policy --role-name weka-backend --policy-arn "
     "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
  Json attached = Ok("iam list-attached-role-policies --role-name weka-backend");
  EXPECT_EQ(attached["AttachedPolicies"].size(), 2u);

  // Instance profile.
  Json profile =
      Ok("iam create-instance-profile --instance-profile-name weka-profile "
         "--path /weka/")["InstanceProfile"];
  EXPECT_TRUE(std::regex_match(profile["InstanceProfileId"].get<std::string>(),
                               std::regex("AIPA[0-9A-Z]{17}")));
  Ok("iam add-role-to-instance-profile --instance-profile-name weka-profile "
     "--role-name weka-backend");
  Fails(
      "iam add-role-to-instance-profile --instance-profile-name weka-profile "
      "--role-name weka-backend",
      "LimitExceeded");

  // Delete conflicts.
  Fails("iam delete-role --role-name weka-backend", "DeleteConflict");
  Fails("iam delete-policy --policy-arn " + arn, "DeleteConflict");
  Fails("iam delete-instance-profile --instance-profile-name weka-profile", "DeleteConflict");

  // Everything survives a restart.
  Start();
  EXPECT_EQ(Ok("iam get-role --role-name weka-backend")["Role"]["RoleId"], role_id);
  Json profiles = Ok("iam list-instance-profiles-for-role --role-name weka-backend");
  ASSERT_EQ(profiles["InstanceProfiles"].size(), 1u);
  EXPECT_EQ(profiles["InstanceProfiles"][0]["InstanceProfileName"], "weka-profile");
  Json after = Ok("iam get-policy --policy-arn " + arn)["Policy"];
  EXPECT_EQ(after["DefaultVersionId"], "v2");
  EXPECT_EQ(after["AttachmentCount"], 1);

  // Cleanup, in the order IAM requires.
  Ok("iam remove-role-from-instance-profile --instance-profile-name weka-profile "
     "--role-name weka-backend");
  Ok("iam delete-instance-profile --instance-profile-name weka-profile");
  Ok("iam detach-role-policy --role-name weka-backend --policy-arn " + arn);
  Ok("iam detach-role-policy --role-name weka-backend --policy-arn "
     "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
  Ok("iam delete-role-policy --role-name weka-backend --policy-name inline-read");
  Ok("iam delete-role --role-name weka-backend");
  Fails("iam delete-policy-version --policy-arn " + arn + " --version-id v2", "DeleteConflict");
  Ok("iam delete-policy-version --policy-arn " + arn + " --version-id v1");
  Ok("iam delete-policy --policy-arn " + arn);
  Fails("iam get-role --role-name weka-backend", "NoSuchEntity");
  Fails("iam get-policy --policy-arn " + arn, "NoSuchEntity");
}

TEST_F(IamAwsCliTest, ListsPaginateOnTheClientAndOnTheServer) {
  if (!std::filesystem::exists("/usr/bin/aws")) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  Start();
  std::string trust = File("trust.json", kTrust);
  for (int i = 1; i <= 4; ++i) {
    Ok(fmt::format("iam create-role --role-name page-{} --assume-role-policy-document {}", i,
                   trust));
  }
  Ok("iam create-role --role-name other --path /other/ --assume-role-policy-document " + trust);
  // --max-items: awscli truncates and hands out its own NextToken.
  Json first = Ok("iam list-roles --max-items 2");
  ASSERT_EQ(first["Roles"].size(), 2u);
  ASSERT_TRUE(first.contains("NextToken")) << first.dump();
  EXPECT_EQ(first["Roles"][0]["RoleName"], "other");
  EXPECT_EQ(first["Roles"][1]["RoleName"], "page-1");
  Json second =
      Ok("iam list-roles --max-items 2 --starting-token " + first["NextToken"].get<std::string>());
  ASSERT_EQ(second["Roles"].size(), 2u);
  EXPECT_EQ(second["Roles"][0]["RoleName"], "page-2");
  // --page-size: the server answers MaxItems per page and awscli follows the Markers.
  EXPECT_EQ(Ok("iam list-roles --page-size 2")["Roles"].size(), 5u);
  EXPECT_EQ(Ok("iam list-roles --path-prefix /other/")["Roles"].size(), 1u);
  Json aws = Ok("iam list-policies --scope AWS --path-prefix /service-role/ --page-size 2");
  EXPECT_GE(aws["Policies"].size(), 5u);
  for (const Json& p : aws["Policies"]) {
    EXPECT_EQ(p["Path"], "/service-role/");
  }
}

TEST_F(IamAwsCliTest, AssumeRoleNeedsAnExistingRoleThatTrustsTheCaller) {
  if (!std::filesystem::exists("/usr/bin/aws")) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  Start();
  std::string role_id =
      Ok("iam create-role --role-name weka-backend --path /weka/ --assume-role-policy-document " +
         File("trust.json", kTrust))["Role"]["RoleId"];
  Json assumed =
      Ok("sts assume-role --role-arn arn:aws:iam::000000000000:role/weka/weka-backend "
         "--role-session-name s1");
  EXPECT_EQ(assumed["AssumedRoleUser"]["AssumedRoleId"], role_id + ":s1");
  const Json& creds = assumed["Credentials"];
  Cli who = Aws(server_->port(), "sts get-caller-identity", creds["AccessKeyId"],
                creds["SecretAccessKey"], creds["SessionToken"]);
  ASSERT_EQ(who.status, 0) << who.output;
  EXPECT_EQ(who.Json()["Arn"], "arn:aws:sts::000000000000:assumed-role/weka-backend/s1");

  Fails("sts assume-role --role-arn arn:aws:iam::000000000000:role/ghost --role-session-name s1",
        "AccessDenied");
  Ok("iam update-assume-role-policy --role-name weka-backend --policy-document " +
     File("ec2-only.json", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
         "Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})"));
  Fails(
      "sts assume-role --role-arn arn:aws:iam::000000000000:role/weka/weka-backend "
      "--role-session-name s2",
      "AccessDenied");
}

}  // namespace
}  // namespace cf::cloud
