// KMS end to end: Debian's awscli against a real local cloud on 127.0.0.1, port 0.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aws/sigv4.h"
#include "base/base64.h"
#include "cloud/cloud_server.h"
#include "cloud/loopback_client.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

using KmsCliResult = ShellResult;

KmsCliResult RunAws(uint16_t port, const std::string& args) {
  return RunAwsCli(port, args);
}

Json ParseOutput(const KmsCliResult& r) {
  Json json = Json::parse(r.output, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << r.output;
  return json.is_discarded() ? Json::object() : json;
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

class KmsAwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/bin/aws")) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_kms_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    options_.port = 0;
    options_.data_dir = dir_ + "/data";
  }
  void TearDown() override {
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  std::string dir_;
  CloudOptions options_;
  SystemClock clock_;
  NullLogger logger_;
};

TEST_F(KmsAwsCliTest, EncryptDecryptWithContextRotationAndRestart) {
  std::string key_id;
  std::string blob_path = dir_ + "/blob.bin";
  std::string plain_path = dir_ + "/plain.bin";
  std::string plaintext("cluster secret \x00\xff bytes", 23);
  WriteBytes(plain_path, plaintext);
  {
    auto server = CloudServer::Start(options_, clock_, logger_);
    ASSERT_OK(server);
    uint16_t port = (*server)->port();
    KmsCliResult created =
        RunAws(port, "kms create-key --description 'weka state' --tags TagKey=team,TagValue=infra");
    ASSERT_EQ(created.status, 0) << created.output;
    Json meta = ParseOutput(created)["KeyMetadata"];
    key_id = meta["KeyId"];
    EXPECT_EQ(meta["Arn"], "arn:aws:kms:us-east-1:000000000000:key/" + key_id);
    EXPECT_EQ(meta["KeyState"], "Enabled");

    KmsCliResult alias =
        RunAws(port, "kms create-alias --alias-name alias/clusterform --target-key-id " + key_id);
    ASSERT_EQ(alias.status, 0) << alias.output;
    KmsCliResult reserved =
        RunAws(port, "kms create-alias --alias-name alias/aws/mine --target-key-id " + key_id);
    EXPECT_NE(reserved.status, 0);
    EXPECT_NE(reserved.output.find("NotAuthorizedException"), std::string::npos) << reserved.output;

    KmsCliResult encrypted = RunAws(port,
                                    "kms encrypt --key-id alias/clusterform --plaintext "
                                    "fileb://" +
                                        plain_path + " --encryption-context cluster=poc");
    ASSERT_EQ(encrypted.status, 0) << encrypted.output;
    Json enc = ParseOutput(encrypted);
    EXPECT_EQ(enc["KeyId"], "arn:aws:kms:us-east-1:000000000000:key/" + key_id);
    std::optional<std::string> blob = Base64Decode(enc["CiphertextBlob"].get<std::string>());
    ASSERT_TRUE(blob);
    WriteBytes(blob_path, *blob);

    KmsCliResult decrypted = RunAws(port, "kms decrypt --ciphertext-blob fileb://" + blob_path +
                                              " --encryption-context cluster=poc");
    ASSERT_EQ(decrypted.status, 0) << decrypted.output;
    EXPECT_EQ(Base64Decode(ParseOutput(decrypted)["Plaintext"].get<std::string>()), plaintext);

    KmsCliResult wrong = RunAws(port, "kms decrypt --ciphertext-blob fileb://" + blob_path +
                                          " --encryption-context cluster=prod");
    EXPECT_NE(wrong.status, 0);
    EXPECT_NE(wrong.output.find("InvalidCiphertextException"), std::string::npos) << wrong.output;

    KmsCliResult other = RunAws(port, "kms create-key");
    ASSERT_EQ(other.status, 0) << other.output;
    std::string other_id = ParseOutput(other)["KeyMetadata"]["KeyId"];
    KmsCliResult incorrect =
        RunAws(port, "kms decrypt --ciphertext-blob fileb://" + blob_path +
                         " --encryption-context cluster=poc --key-id " + other_id);
    EXPECT_NE(incorrect.status, 0);
    EXPECT_NE(incorrect.output.find("IncorrectKeyException"), std::string::npos)
        << incorrect.output;

    KmsCliResult rotation = RunAws(port, "kms enable-key-rotation --key-id " + key_id);
    ASSERT_EQ(rotation.status, 0) << rotation.output;
    KmsCliResult status = RunAws(port, "kms get-key-rotation-status --key-id " + key_id);
    ASSERT_EQ(status.status, 0) << status.output;
    EXPECT_EQ(ParseOutput(status)["KeyRotationEnabled"], true);

    KmsCliResult data_key =
        RunAws(port, "kms generate-data-key --key-id alias/clusterform --key-spec AES_256");
    ASSERT_EQ(data_key.status, 0) << data_key.output;
    EXPECT_EQ(Base64Decode(ParseOutput(data_key)["Plaintext"].get<std::string>())->size(), 32u);
  }
  // State, including key material, survives a restart on the same data dir.
  auto server = CloudServer::Start(options_, clock_, logger_);
  ASSERT_OK(server);
  uint16_t port = (*server)->port();
  KmsCliResult described = RunAws(port, "kms describe-key --key-id alias/clusterform");
  ASSERT_EQ(described.status, 0) << described.output;
  EXPECT_EQ(ParseOutput(described)["KeyMetadata"]["KeyId"], key_id);
  KmsCliResult decrypted = RunAws(port, "kms decrypt --ciphertext-blob fileb://" + blob_path +
                                            " --encryption-context cluster=poc");
  ASSERT_EQ(decrypted.status, 0) << decrypted.output;
  EXPECT_EQ(Base64Decode(ParseOutput(decrypted)["Plaintext"].get<std::string>()), plaintext);

  KmsCliResult scheduled =
      RunAws(port, "kms schedule-key-deletion --key-id " + key_id + " --pending-window-in-days 7");
  ASSERT_EQ(scheduled.status, 0) << scheduled.output;
  EXPECT_EQ(ParseOutput(scheduled)["KeyState"], "PendingDeletion");
  KmsCliResult refused = RunAws(port, "kms decrypt --ciphertext-blob fileb://" + blob_path +
                                          " --encryption-context cluster=poc");
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.output.find("KMSInvalidStateException"), std::string::npos) << refused.output;
  KmsCliResult cancelled = RunAws(port, "kms cancel-key-deletion --key-id " + key_id);
  ASSERT_EQ(cancelled.status, 0) << cancelled.output;
  KmsCliResult after = RunAws(port, "kms describe-key --key-id " + key_id);
  EXPECT_EQ(ParseOutput(after)["KeyMetadata"]["KeyState"], "Disabled");
  KmsCliResult missing = RunAws(port, "kms describe-key --key-id alias/nothing-here");
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.output.find("NotFoundException"), std::string::npos) << missing.output;
}

// A json-1.1 request to `target` ("TrentService.Encrypt") with a raw body, signed for
// `service` like any client would.
HttpResponse SendJson(uint16_t port, const std::string& service, const std::string& target,
                      const std::string& body, const Clock& clock) {
  aws::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  aws::SetHeader(&request.headers, "Host", fmt::format("127.0.0.1:{}", port));
  aws::SetHeader(&request.headers, "Content-Type", "application/x-amz-json-1.1");
  aws::SetHeader(&request.headers, "X-Amz-Target", target);
  request.body = body;
  aws::Credentials credentials{"test", "test", "", std::nullopt, "test"};
  auto signed_parts = aws::SignRequest(
      request, credentials, aws::DefaultSigningParams(service, "us-east-1", clock.Now()));
  EXPECT_OK(signed_parts);
  HttpRequest r;
  r.method = request.method;
  r.target = request.path;
  for (const auto& h : request.headers) {
    r.headers.emplace_back(h.name, h.value);
  }
  r.body = request.body;
  LoopbackHttpClient client(port);
  auto response = client.Send(r);
  EXPECT_OK(response);
  return response.ok() ? *response : HttpResponse{};
}

std::string ErrorType(const HttpResponse& r) {
  Json body = Json::parse(r.body, nullptr, false);
  if (body.is_discarded() || !body.contains("__type")) {
    return "(no __type in " + r.body + ")";
  }
  std::string type = body["__type"];
  size_t hash = type.rfind('#');
  return hash == std::string::npos ? type : type.substr(hash + 1);
}

TEST(KmsWireTest, BadRequestsGetTheServicesErrorsNotCrashes) {
  SystemClock clock;
  NullLogger logger;
  CloudOptions options;
  options.port = 0;
  auto server = CloudServer::Start(options, clock, logger);
  ASSERT_OK(server);
  uint16_t port = (*server)->port();
  struct Case {
    const char* service;
    const char* target;
    const char* body;
    int status;
    std::vector<std::string> codes;  // any of these
  };
  const std::vector<Case> cases = {
      {"kms", "TrentService.DescribeKey", "{}", 400, {"ValidationException"}},
      {"kms",
       "TrentService.DescribeKey",
       R"({"KeyId": 5})",
       400,
       {"ValidationException", "SerializationException"}},
      {"kms", "TrentService.DescribeKey", "not json", 400, {"SerializationException"}},
      {"kms",
       "TrentService.DescribeKey",
       R"({"KeyId": "11111111-2222-3333-4444-555555555555"})",
       400,
       {"NotFoundException"}},
      {"kms",
       "TrentService.Decrypt",
       R"({"CiphertextBlob": "AAAA"})",
       400,
       {"InvalidCiphertextException"}},
      {"kms",
       "TrentService.Encrypt",
       R"({"KeyId": "alias/none", "Plaintext": "aGk="})",
       400,
       {"NotFoundException"}},
      {"kms",
       "TrentService.Sign",
       R"({"KeyId": "k", "Message": "aGk=", "SigningAlgorithm": "RSASSA_PSS_SHA_256"})",
       400,
       {"UnknownOperationException"}},
      {"kms",
       "TrentService.CreateKey",
       R"({"KeySpec": "NOT_A_SPEC"})",
       400,
       {"ValidationException"}},
      {"secretsmanager",
       "secretsmanager.GetSecretValue",
       R"({"SecretId": "nope"})",
       400,
       {"ResourceNotFoundException"}},
      {"secretsmanager",
       "secretsmanager.CreateSecret",
       R"({"Name": "a b"})",
       400,
       {"InvalidParameterException"}},
      {"secretsmanager", "secretsmanager.GetSecretValue", "{}", 400, {"ValidationException"}},
      {"secretsmanager",
       "secretsmanager.DeleteSecret",
       R"({"SecretId": "x", "RecoveryWindowInDays": 3})",
       400,
       {"InvalidParameterException"}},
  };
  for (const Case& c : cases) {
    HttpResponse r = SendJson(port, c.service, c.target, c.body, clock);
    EXPECT_EQ(r.status, c.status) << c.target << " " << c.body << ": " << r.body;
    std::string type = ErrorType(r);
    EXPECT_NE(std::find(c.codes.begin(), c.codes.end(), type), c.codes.end())
        << c.target << " " << c.body << ": " << r.body;
  }
}

}  // namespace
}  // namespace cf::cloud
