// The local cloud seen by two clients at once: Debian's awscli and clusterform's own
// src/aws client. What one writes, the other reads back with the same identifiers and
// contents, service by service.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "aws/client.h"
#include "aws/transport_curl.h"
#include "base/base64.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

class CrossClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveAwsCli()) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_cross_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    CloudOptions options;
    options.port = 0;
    options.data_dir = dir_;
    auto server = CloudServer::Start(options, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    aws::ClientOptions client_options;
    client_options.region = "us-east-1";
    client_options.endpoint_url = fmt::format("http://127.0.0.1:{}", server_->port());
    client_options.retry.max_attempts = 1;
    client_ = std::make_unique<aws::Client>(models_, credentials_, transport_, clock_, random_,
                                            client_options);
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Stop();
    }
    std::filesystem::remove_all(dir_);
  }

  nlohmann::json Call(const std::string& service, const std::string& operation,
                      const nlohmann::json& input) {
    Result<nlohmann::json> out = client_->Call(service, operation, input);
    EXPECT_OK(out) << service << "." << operation;
    return out.ok() ? *out : nlohmann::json::object();
  }

  nlohmann::json Cli(const std::string& args) {
    ShellResult r = RunAwsCli(server_->port(), args);
    EXPECT_EQ(r.status, 0) << "aws " << args << "\n" << r.output;
    return r.Json();
  }

  std::string WriteFile(const std::string& name, const std::string& bytes) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  SystemClock clock_;
  NullLogger logger_;
  std::string dir_;
  std::unique_ptr<CloudServer> server_;
  aws::Models models_;
  aws::StaticCredentialsProvider credentials_{{"test", "test", "", std::nullopt, "test"}};
  aws::CurlTransport transport_;
  aws::SystemRandomSource random_;
  std::unique_ptr<aws::Client> client_;
};

TEST_F(CrossClientTest, IamRolesAndPolicies) {
  std::string trust = WriteFile(
      "trust.json",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  nlohmann::json created =
      Cli("iam create-role --role-name backend --assume-role-policy-document file://" + trust);
  nlohmann::json role = Call("iam", "GetRole", {{"RoleName", "backend"}})["Role"];
  EXPECT_EQ(role["Arn"], created["Role"]["Arn"]);
  EXPECT_EQ(role["RoleId"], created["Role"]["RoleId"]);

  nlohmann::json policy = Call(
      "iam", "CreatePolicy",
      {{"PolicyName", "eni"},
       {"PolicyDocument",
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*"}]})"}})
      ["Policy"];
  nlohmann::json seen = Cli("iam get-policy --policy-arn " + policy["Arn"].get<std::string>());
  EXPECT_EQ(seen["Policy"]["PolicyId"], policy["PolicyId"]);
  EXPECT_EQ(seen["Policy"]["DefaultVersionId"], "v1");
}

TEST_F(CrossClientTest, KmsCiphertextFromOneClientDecryptsInTheOther) {
  std::string key_id = Call("kms", "CreateKey", nlohmann::json::object())["KeyMetadata"]["KeyId"];
  nlohmann::json encrypted = Call("kms", "Encrypt",
                                  {{"KeyId", key_id},
                                   {"Plaintext", "cluster secret"},
                                   {"EncryptionContext", {{"cluster", "poc"}}}});
  // The client returns blobs as raw bytes.
  std::string blob = WriteFile("blob", encrypted["CiphertextBlob"].get<std::string>());
  nlohmann::json decrypted =
      Cli("kms decrypt --ciphertext-blob fileb://" + blob + " --encryption-context cluster=poc");
  EXPECT_EQ(decrypted["Plaintext"], Base64Encode("cluster secret"));
  EXPECT_EQ(decrypted["KeyId"], encrypted["KeyId"]);
}

TEST_F(CrossClientTest, SecretsWrittenByAwsCliReadByTheClient) {
  nlohmann::json created =
      Cli("secretsmanager create-secret --name weka/poc/password --secret-string s3cr3t");
  nlohmann::json value =
      Call("secretsmanager", "GetSecretValue", {{"SecretId", "weka/poc/password"}});
  EXPECT_EQ(value["SecretString"], "s3cr3t");
  EXPECT_EQ(value["ARN"], created["ARN"]);
  EXPECT_EQ(value["VersionId"], created["VersionId"]);
}

TEST_F(CrossClientTest, DynamoDbItemsAndEc2Vpcs) {
  Cli("dynamodb create-table --table-name state --attribute-definitions "
      "AttributeName=Key,AttributeType=S --key-schema AttributeName=Key,KeyType=HASH "
      "--billing-mode PAY_PER_REQUEST");
  Cli(R"(dynamodb put-item --table-name state --item '{"Key":{"S":"poc"},"Locked":{"BOOL":false},"Size":{"N":"6"}}')");
  nlohmann::json item = Call("dynamodb", "GetItem",
                             {{"TableName", "state"},
                              {"Key", {{"Key", {{"S", "poc"}}}}},
                              {"ConsistentRead", true}})["Item"];
  EXPECT_EQ(item["Size"]["N"], "6");
  EXPECT_EQ(item["Locked"]["BOOL"], false);

  std::string vpc_id = Call("ec2", "CreateVpc", {{"CidrBlock", "127.20.0.0/16"}})["Vpc"]["VpcId"];
  nlohmann::json vpcs = Cli("ec2 describe-vpcs --vpc-ids " + vpc_id);
  ASSERT_EQ(vpcs["Vpcs"].size(), 1u);
  EXPECT_EQ(vpcs["Vpcs"][0]["CidrBlock"], "127.20.0.0/16");
}

TEST_F(CrossClientTest, S3ObjectsAndLogEvents) {
  Call("s3", "CreateBucket", {{"Bucket", "weka-obs"}});
  Call("s3", "PutObject", {{"Bucket", "weka-obs"}, {"Key", "tier/a.bin"}, {"Body", "0123456789"}});
  std::string out = dir_ + "/a.bin";
  nlohmann::json got = Cli("s3api get-object --bucket weka-obs --key tier/a.bin " + out);
  EXPECT_EQ(got["ContentLength"], 10);
  std::ifstream in(out, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, "0123456789");

  Call("logs", "CreateLogGroup", {{"logGroupName", "/wekaio/poc"}});
  Call("logs", "CreateLogStream", {{"logGroupName", "/wekaio/poc"}, {"logStreamName", "b1"}});
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  Call("logs", "PutLogEvents",
       {{"logGroupName", "/wekaio/poc"},
        {"logStreamName", "b1"},
        {"logEvents", {{{"timestamp", now}, {"message", "clusterized"}}}}});
  nlohmann::json events = Cli(
      "logs get-log-events --log-group-name /wekaio/poc --log-stream-name b1 --start-from-head");
  ASSERT_EQ(events["events"].size(), 1u);
  EXPECT_EQ(events["events"][0]["message"], "clusterized");
}

}  // namespace
}  // namespace cf::cloud
