// The verifier against an independent signer: the AWS CLI (botocore, Debian's awscli) sends
// requests to a loopback server that verifies each one with SigV4Verifier and answers with
// the server half of the codecs. Query (EC2), JSON (DynamoDB) and REST-XML (S3, with its
// checksum headers) requests, and an S3 presigned URL, must all verify; a wrong secret must
// not. Skipped when the `aws` command is not installed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <mutex>

#include "aws/codec.h"
#include "aws/models.h"
#include "aws/sigv4_verifier.h"
#include "aws/transport_test_server.h"
#include "base/clock.h"

namespace cf::aws {
namespace {

class Keys : public SecretLookup {
 public:
  std::optional<KnownKey> FindKey(std::string_view id) const override {
    if (id == "AKIDAWSCLI") {
      return KnownKey{"awscli-secret/with+chars", ""};
    }
    return std::nullopt;
  }
};

// Verifies every request and answers it as `service` would (an empty output).
class VerifyingServer {
 public:
  explicit VerifyingServer(std::string service)
      : service_(std::move(service)),
        verifier_(keys_, clock_),
        server_([this](const HttpRequest& r) { return Handle(r); }) {}

  std::string url() const { return server_.url(); }
  std::vector<std::string> results() {
    std::lock_guard<std::mutex> lock(mu_);
    return results_;
  }

 private:
  HttpResponse Handle(const HttpRequest& request) {
    VerifyResult verified = verifier_.Verify(request, VerifyOptions{});
    {
      std::lock_guard<std::mutex> lock(mu_);
      results_.push_back(verified.ok() ? "ok" : verified.error->message);
    }
    auto model = models_.Find(service_);
    if (!verified.ok()) {
      AwsError error;
      error.code = verified.error->AwsCode(service_, (*model)->protocol() == Protocol::kJson);
      error.message = verified.error->message;
      error.http_status = verified.error->HttpStatus();
      return SerializeError(**model, error);
    }
    auto op = RouteRequest(**model, request);
    if (!op.ok()) {
      HttpResponse bad;
      bad.status = 400;
      return bad;
    }
    auto response = SerializeResponse(**model, **op, nlohmann::json::object(), "req-1");
    return response.ok() ? *response : HttpResponse{500, {}, ""};
  }

  std::string service_;
  SystemClock clock_;
  Keys keys_;
  Models models_;
  SigV4Verifier verifier_;
  std::mutex mu_;
  std::vector<std::string> results_;  // guarded by mu_
  LoopbackServer server_;
};

bool HaveAwsCli() {
  return std::system("aws --version >/dev/null 2>&1") == 0;
}

// Runs the AWS CLI with a clean environment and the given secret; returns its stdout.
std::string RunAwsCli(const std::string& args,
                      const std::string& secret = "awscli-secret/with+chars") {
  const std::string command =
      "env -i PATH=/usr/bin:/bin HOME=/nonexistent AWS_ACCESS_KEY_ID=AKIDAWSCLI "
      "AWS_SECRET_ACCESS_KEY='" +
      secret +
      "' AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true "
      "AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent "
      "AWS_MAX_ATTEMPTS=1 timeout 60 aws " +
      args + " 2>/dev/null";
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) {
    out.append(buffer.data(), n);
  }
  return out;
}

class AwsCliSigV4Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveAwsCli()) {
      GTEST_SKIP() << "the aws command (Debian's awscli) is not installed";
    }
  }
};

TEST_F(AwsCliSigV4Test, VerifiesQueryJsonAndRestXmlRequests) {
  VerifyingServer ec2("ec2");
  RunAwsCli("--endpoint-url " + ec2.url() +
            " ec2 describe-instances --instance-ids i-1 i-2 --filters "
            "Name=tag:Name,Values='a b',c");
  VerifyingServer dynamodb("dynamodb");
  RunAwsCli("--endpoint-url " + dynamodb.url() + " dynamodb list-tables --limit 5");
  VerifyingServer s3("s3");
  RunAwsCli("--endpoint-url " + s3.url() +
            " s3api put-object --bucket bucket --key 'dir/a key+~.txt' --body /etc/hostname");
  RunAwsCli("--endpoint-url " + s3.url() + " s3api list-objects-v2 --bucket bucket --prefix 'a b'");
  for (VerifyingServer* server : {&ec2, &dynamodb, &s3}) {
    std::vector<std::string> results = server->results();
    ASSERT_FALSE(results.empty()) << server->url();
    for (const std::string& r : results) {
      EXPECT_EQ(r, "ok");
    }
  }
  EXPECT_EQ(s3.results().size(), 2u);
}

TEST_F(AwsCliSigV4Test, RefusesAWrongSecret) {
  VerifyingServer dynamodb("dynamodb");
  RunAwsCli("--endpoint-url " + dynamodb.url() + " dynamodb list-tables", "not-the-secret");
  std::vector<std::string> results = dynamodb.results();
  ASSERT_FALSE(results.empty());
  EXPECT_THAT(results[0], ::testing::HasSubstr("signature we calculated does not match"));
}

TEST_F(AwsCliSigV4Test, VerifiesS3PresignedUrls) {
  VerifyingServer s3("s3");
  std::string url = RunAwsCli("--endpoint-url " + s3.url() +
                              " s3 presign s3://bucket/dir/a%20key.txt --expires-in 600");
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r')) {
    url.pop_back();
  }
  ASSERT_EQ(url.rfind(s3.url(), 0), 0u) << url;
  HttpRequest request;
  request.method = "GET";
  request.path = url.substr(s3.url().size());
  request.headers = {{"Host", s3.url().substr(std::string("http://").size())}};
  SystemClock clock;
  Keys keys;
  SigV4Verifier verifier(keys, clock);
  VerifyResult result = verifier.Verify(request, VerifyOptions{});
  EXPECT_TRUE(result.ok()) << result.error->message << "\n" << url;
  EXPECT_TRUE(result.caller.presigned);
}

}  // namespace
}  // namespace cf::aws
