// Secrets Manager end to end: Debian's awscli against a real local cloud on 127.0.0.1, port 0.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cloud/cloud_server.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

using SecretsCliResult = ShellResult;

SecretsCliResult RunAws(uint16_t port, const std::string& args) {
  return RunAwsCli(port, args);
}

Json Parse(const SecretsCliResult& r) {
  Json json = Json::parse(r.output, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << r.output;
  return json.is_discarded() ? Json::object() : json;
}

// Every byte of every file under `dir` (the database, its WAL, the master key file).
std::string AllBytes(const std::string& dir) {
  std::string out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      out += bytes.str();
    }
  }
  return out;
}

constexpr char kFirst[] = "Plaintext-Admin-Password-1";
constexpr char kSecond[] = "Plaintext-Admin-Password-2";

TEST(SecretsManagerAwsCliTest, VersionsDeletionFiltersAndRestartWithoutPlaintextOnDisk) {
  if (!std::filesystem::exists("/usr/bin/aws")) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "cf_sm_XXXXXX").string();
  std::string dir = mkdtemp(pattern.data());
  SystemClock clock;
  NullLogger logger;
  CloudOptions options;
  options.port = 0;
  options.data_dir = dir;
  std::string arn;
  {
    auto server = CloudServer::Start(options, clock, logger);
    ASSERT_OK(server);
    uint16_t port = (*server)->port();
    SecretsCliResult created =
        RunAws(port, fmt::format("secretsmanager create-secret --name weka/admin --secret-string "
                                 "{} --description 'cluster admin' --tags Key=env,Value=prod",
                                 kFirst));
    ASSERT_EQ(created.status, 0) << created.output;
    arn = Parse(created)["ARN"];
    EXPECT_EQ(arn.rfind("arn:aws:secretsmanager:us-east-1:000000000000:secret:weka/admin-", 0), 0u)
        << arn;
    SecretsCliResult duplicate =
        RunAws(port, "secretsmanager create-secret --name weka/admin --secret-string x");
    EXPECT_NE(duplicate.status, 0);
    EXPECT_NE(duplicate.output.find("ResourceExistsException"), std::string::npos)
        << duplicate.output;

    SecretsCliResult value = RunAws(port, "secretsmanager get-secret-value --secret-id weka/admin");
    ASSERT_EQ(value.status, 0) << value.output;
    EXPECT_EQ(Parse(value)["SecretString"], kFirst);
    EXPECT_EQ(Parse(value)["VersionStages"], Json({"AWSCURRENT"}));

    SecretsCliResult put = RunAws(
        port, fmt::format("secretsmanager put-secret-value --secret-id {} --secret-string {}", arn,
                          kSecond));
    ASSERT_EQ(put.status, 0) << put.output;
    std::string second_version = Parse(put)["VersionId"];
    SecretsCliResult described =
        RunAws(port, "secretsmanager describe-secret --secret-id weka/admin");
    ASSERT_EQ(described.status, 0) << described.output;
    Json stages = Parse(described)["VersionIdsToStages"];
    EXPECT_EQ(stages.size(), 2u);
    EXPECT_EQ(stages[second_version], Json({"AWSCURRENT"}));
    SecretsCliResult previous = RunAws(
        port, "secretsmanager get-secret-value --secret-id weka/admin --version-stage AWSPREVIOUS");
    ASSERT_EQ(previous.status, 0) << previous.output;
    EXPECT_EQ(Parse(previous)["SecretString"], kFirst);

    SecretsCliResult other =
        RunAws(port, "secretsmanager create-secret --name dev/db --secret-string devpass");
    ASSERT_EQ(other.status, 0) << other.output;
    SecretsCliResult filtered =
        RunAws(port, "secretsmanager list-secrets --filters Key=name,Values=weka/");
    ASSERT_EQ(filtered.status, 0) << filtered.output;
    Json listed = Parse(filtered)["SecretList"];
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["Name"], "weka/admin");
    SecretsCliResult by_tag =
        RunAws(port, "secretsmanager list-secrets --filters Key=tag-value,Values=prod");
    ASSERT_EQ(by_tag.status, 0) << by_tag.output;
    EXPECT_EQ(Parse(by_tag)["SecretList"].size(), 1u);

    SecretsCliResult deleted =
        RunAws(port, "secretsmanager delete-secret --secret-id dev/db --recovery-window-in-days 7");
    ASSERT_EQ(deleted.status, 0) << deleted.output;
    SecretsCliResult refused = RunAws(port, "secretsmanager get-secret-value --secret-id dev/db");
    EXPECT_NE(refused.status, 0);
    EXPECT_NE(refused.output.find("InvalidRequestException"), std::string::npos) << refused.output;
    EXPECT_NE(refused.output.find("marked for deletion"), std::string::npos) << refused.output;
    SecretsCliResult restored = RunAws(port, "secretsmanager restore-secret --secret-id dev/db");
    ASSERT_EQ(restored.status, 0) << restored.output;
    SecretsCliResult back = RunAws(port, "secretsmanager get-secret-value --secret-id dev/db");
    ASSERT_EQ(back.status, 0) << back.output;
    EXPECT_EQ(Parse(back)["SecretString"], "devpass");

    SecretsCliResult password =
        RunAws(port, "secretsmanager get-random-password --password-length 20");
    ASSERT_EQ(password.status, 0) << password.output;
    EXPECT_EQ(Parse(password)["RandomPassword"].get<std::string>().size(), 20u);
    SecretsCliResult missing = RunAws(port, "secretsmanager get-secret-value --secret-id nope");
    EXPECT_NE(missing.status, 0);
    EXPECT_NE(missing.output.find("ResourceNotFoundException"), std::string::npos)
        << missing.output;
  }
  // The data dir holds no plaintext secret value.
  std::string bytes = AllBytes(dir);
  EXPECT_NE(bytes.find("weka/admin"), std::string::npos);  // the scan does see the store
  EXPECT_EQ(bytes.find(kFirst), std::string::npos);
  EXPECT_EQ(bytes.find(kSecond), std::string::npos);
  EXPECT_EQ(bytes.find("devpass"), std::string::npos);

  auto server = CloudServer::Start(options, clock, logger);
  ASSERT_OK(server);
  uint16_t port = (*server)->port();
  SecretsCliResult value = RunAws(port, "secretsmanager get-secret-value --secret-id " + arn);
  ASSERT_EQ(value.status, 0) << value.output;
  EXPECT_EQ(Parse(value)["SecretString"], kSecond);
  SecretsCliResult all = RunAws(port, "secretsmanager list-secrets");
  ASSERT_EQ(all.status, 0) << all.output;
  EXPECT_EQ(Parse(all)["SecretList"].size(), 2u);
  SecretsCliResult key = RunAws(port, "kms describe-key --key-id alias/aws/secretsmanager");
  ASSERT_EQ(key.status, 0) << key.output;
  EXPECT_EQ(Parse(key)["KeyMetadata"]["KeyManager"], "AWS");
  (*server)->Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cf::cloud
