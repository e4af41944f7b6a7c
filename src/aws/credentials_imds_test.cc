#include "aws/credentials_imds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/transport_recording.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

// An IMDS that hands out tokens "tok-N" and role credentials expiring at `expiration`.
class FakeImds {
 public:
  Result<HttpResponse> operator()(std::string_view, const HttpRequest& r) {
    HttpResponse response;
    if (r.method == "PUT" && r.path == "/latest/api/token") {
      const std::string* ttl = FindHeader(r.headers, "X-aws-ec2-metadata-token-ttl-seconds");
      if (ttl == nullptr) {
        response.status = 400;
        return response;
      }
      response.body = "tok-" + std::to_string(++tokens);
      return response;
    }
    const std::string* token = FindHeader(r.headers, "X-aws-ec2-metadata-token");
    if (token == nullptr || *token != "tok-" + std::to_string(tokens) || expire_tokens) {
      expire_tokens = false;
      response.status = 401;
      return response;
    }
    if (r.path == "/latest/meta-data/iam/security-credentials/") {
      if (role.empty()) {
        response.status = 404;
      } else {
        response.body = role + "\n";
      }
      return response;
    }
    if (r.path == "/latest/meta-data/iam/security-credentials/" + role) {
      ++credential_fetches;
      response.body =
          R"({"Code": "Success", "AccessKeyId": "ASIA)" + std::to_string(credential_fetches) +
          R"(", "SecretAccessKey": "s", "Token": "t", "Expiration": ")" + expiration + R"("})";
      return response;
    }
    if (r.path == "/latest/meta-data/placement/region") {
      response.body = "eu-north-1";
      return response;
    }
    response.status = 404;
    return response;
  }

  int tokens = 0;
  int credential_fetches = 0;
  bool expire_tokens = false;
  std::string role = "cluster-role";
  std::string expiration = "2015-08-30T13:36:00Z";  // one hour after FakeClock's start
};

class ImdsTest : public ::testing::Test {
 protected:
  ImdsTest()
      : transport_([this](std::string_view url, const HttpRequest& r) { return imds_(url, r); }),
        client_(transport_, clock_),
        provider_(client_, clock_) {}

  FakeImds imds_;
  FakeClock clock_;
  RecordingTransport transport_;
  ImdsClient client_;
  ImdsCredentialsProvider provider_;
};

TEST_F(ImdsTest, FetchesRoleCredentialsWithASessionToken) {
  auto c = provider_.GetCredentials();
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIA1");
  EXPECT_EQ(c->session_token, "t");
  EXPECT_EQ(c->expiration, ParseRfc3339("2015-08-30T13:36:00Z"));
  auto requests = transport_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].request.method, "PUT");
  EXPECT_EQ(requests[0].base_url, "http://169.254.169.254");
}

TEST_F(ImdsTest, RefreshesFiveMinutesBeforeExpiry) {
  ASSERT_OK(provider_.GetCredentials());
  clock_.Advance(std::chrono::minutes(50));
  EXPECT_EQ(provider_.GetCredentials()->access_key_id, "ASIA1");
  EXPECT_EQ(imds_.credential_fetches, 1);
  clock_.Advance(std::chrono::minutes(6));
  EXPECT_EQ(provider_.GetCredentials()->access_key_id, "ASIA2");
  // The session token was still good: one PUT only.
  EXPECT_EQ(imds_.tokens, 1);
}

TEST_F(ImdsTest, ARejectedTokenIsRenewedOnce) {
  ASSERT_OK(client_.Region());
  imds_.expire_tokens = true;
  auto region = client_.Region();
  ASSERT_OK(region);
  EXPECT_EQ(*region, "eu-north-1");
  EXPECT_EQ(imds_.tokens, 2);
}

TEST_F(ImdsTest, NoRoleIsNotFound) {
  imds_.role.clear();
  EXPECT_THAT(provider_.GetCredentials(),
              StatusIs(StatusCode::kNotFound, HasSubstr("no IAM role")));
}

TEST(ImdsNoServiceTest, UnreachableImdsIsNotFoundSoTheChainMovesOn) {
  FakeClock clock;
  RecordingTransport transport([](std::string_view, const HttpRequest&) -> Result<HttpResponse> {
    return UnavailableError("connection refused");
  });
  ImdsClient client(transport, clock);
  ImdsCredentialsProvider provider(client, clock);
  EXPECT_THAT(provider.GetCredentials(),
              StatusIs(StatusCode::kNotFound, HasSubstr("no instance metadata service")));
}

TEST(ImdsOptionsTest, EndpointFromTheEnvironment) {
  MapEnvironment env;
  env.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.5:8080/");
  EXPECT_EQ(ImdsOptionsFromEnvironment(env).endpoint, "http://127.0.0.5:8080");
  EXPECT_EQ(ImdsOptionsFromEnvironment(MapEnvironment()).endpoint, "http://169.254.169.254");
}

TEST(ParseRfc3339Test, AcceptsFractionsAndRejectsJunk) {
  EXPECT_EQ(ParseRfc3339("2015-08-30T12:36:00.123Z"),
            std::chrono::system_clock::from_time_t(1440938160));
  EXPECT_EQ(ParseRfc3339("2015-08-30 12:36"), std::nullopt);
}

}  // namespace
}  // namespace cf::aws
