#include "aws/sigv4.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/crypto.h"
#include "base/strings.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const auto kTime = std::chrono::system_clock::from_time_t(1440938160);  // 20150830T123600Z

Credentials Creds(std::string token = "") {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.session_token = std::move(token);
  return c;
}

HttpRequest Get(std::string path, std::string host = "example.amazonaws.com") {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.headers.push_back({"Host", std::move(host)});
  return r;
}

std::optional<std::string> HeaderOf(const HttpRequest& r, std::string_view name) {
  const std::string* v = FindHeader(r.headers, name);
  return v == nullptr ? std::nullopt : std::optional<std::string>(*v);
}

std::string CanonicalUriLine(const SignatureParts& parts) {
  size_t a = parts.canonical_request.find('\n');
  size_t b = parts.canonical_request.find('\n', a + 1);
  return parts.canonical_request.substr(a + 1, b - a - 1);
}

std::string PayloadLine(const SignatureParts& parts) {
  return parts.canonical_request.substr(parts.canonical_request.rfind('\n') + 1);
}

TEST(Sha256Test, MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(HmacSha256("key", "The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(PercentEncodeTest, EncodesEverythingButUnreserved) {
  EXPECT_EQ(PercentEncode("a b/c~d+e=", false), "a%20b%2Fc~d%2Be%3D");
  EXPECT_EQ(PercentEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(PercentDecode("a%20b%2fc+%zz"), "a b/c+%zz");
}

TEST(SigV4Test, NonS3ServicesEncodeThePathTwiceAndNormalize) {
  HttpRequest r = Get("/a/./b//c/../my%20key");
  auto parts = SignRequest(r, Creds(), DefaultSigningParams("ec2", "us-east-1", kTime));
  ASSERT_OK(parts);
  EXPECT_EQ(CanonicalUriLine(*parts), "/a/b/my%2520key");
}

TEST(SigV4Test, S3SignsThePathAsSent) {
  HttpRequest r = Get("/bucket/a/./b//my%20key", "bucket.s3.amazonaws.com");
  auto parts = SignRequest(r, Creds(), DefaultSigningParams("s3", "us-east-1", kTime));
  ASSERT_OK(parts);
  EXPECT_EQ(CanonicalUriLine(*parts), "/bucket/a/./b//my%20key");
  // S3 always carries the payload hash header, and signs it.
  EXPECT_EQ(HeaderOf(r, "x-amz-content-sha256"), Sha256Hex(""));
  EXPECT_THAT(parts->signed_headers, HasSubstr("x-amz-content-sha256"));
}

TEST(SigV4Test, UnsignedAndStreamingPayloadMarkersAreSignedLiterally) {
  for (std::string_view marker : {kUnsignedPayload, kStreamingPayload}) {
    HttpRequest r = Get("/bucket/key", "bucket.s3.amazonaws.com");
    r.method = "PUT";
    r.body = "data";
    SigningParams params = DefaultSigningParams("s3", "us-east-1", kTime);
    params.payload_hash = std::string(marker);
    auto parts = SignRequest(r, Creds(), params);
    ASSERT_OK(parts);
    EXPECT_EQ(PayloadLine(*parts), marker);
    EXPECT_EQ(HeaderOf(r, "x-amz-content-sha256"), std::string(marker));
  }
}

TEST(SigV4Test, SessionTokenIsSentAndSigned) {
  HttpRequest r = Get("/");
  auto parts = SignRequest(r, Creds("TOKEN"), DefaultSigningParams("sts", "us-east-1", kTime));
  ASSERT_OK(parts);
  EXPECT_EQ(HeaderOf(r, "X-Amz-Security-Token"), "TOKEN");
  EXPECT_EQ(parts->signed_headers, "host;x-amz-date;x-amz-security-token");
}

TEST(SigV4Test, ResigningReplacesTheOldSignature) {
  HttpRequest r = Get("/");
  SigningParams params = DefaultSigningParams("ec2", "us-east-1", kTime);
  ASSERT_OK(SignRequest(r, Creds(), params));
  params.time += std::chrono::seconds(5);
  auto second = SignRequest(r, Creds(), params);
  ASSERT_OK(second);
  int authorizations = 0;
  for (const auto& [name, value] : r.headers) {
    if (name == "Authorization") {
      ++authorizations;
      EXPECT_THAT(value, HasSubstr(second->signature));
    }
  }
  EXPECT_EQ(authorizations, 1);
  EXPECT_EQ(HeaderOf(r, "x-amz-date"), "20150830T123605Z");
}

TEST(SigV4Test, UserAgentIsNotSigned) {
  HttpRequest r = Get("/");
  r.headers.push_back({"User-Agent", "clusterform/0.1"});
  auto parts = SignRequest(r, Creds(), DefaultSigningParams("ec2", "us-east-1", kTime));
  ASSERT_OK(parts);
  EXPECT_EQ(parts->signed_headers, "host;x-amz-date");
}

TEST(SigV4Test, RequiresAHostHeader) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/";
  EXPECT_THAT(SignRequest(r, Creds(), DefaultSigningParams("ec2", "us-east-1", kTime)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("Host")));
}

TEST(SigV4Test, QueryParametersAreSortedAndReencoded) {
  EXPECT_EQ(CanonicalQuery("b=2&a=z&a=y&c&d=%7e%2f&e=a b"), "a=y&a=z&b=2&c=&d=~%2F&e=a%20b");
  EXPECT_EQ(CanonicalQuery("X-Amz-Signature=abc&x=1", {"X-Amz-Signature"}), "x=1");
}

TEST(SigV4Test, RepeatedAndFoldedHeadersAreJoinedAndTrimmed) {
  HttpHeaders headers = {{"My-Header", "  a   b  "}, {"my-header", "c\n   d"}, {"Other", "x"}};
  EXPECT_EQ(CanonicalHeaders(headers, {"my-header"}), "my-header:a b,c d\n");
}

TEST(PresignTest, AddsTheQueryParametersInOrder) {
  HttpRequest r = Get("/bucket/key", "bucket.s3.amazonaws.com");
  SigningParams params = DefaultSigningParams("s3", "us-east-1", kTime);
  params.payload_hash = std::string(kUnsignedPayload);
  params.expires = std::chrono::seconds(600);
  auto parts = PresignRequest(r, Creds("TOK/EN"), params);
  ASSERT_OK(parts);
  EXPECT_THAT(r.path,
              StartsWith("/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE"
                         "%2F20150830%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date="
                         "20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=600&"
                         "X-Amz-Security-Token=TOK%2FEN&X-Amz-Signature="));
  EXPECT_EQ(PayloadLine(*parts), kUnsignedPayload);
  // Presigning adds no headers.
  EXPECT_EQ(r.headers.size(), 1u);
}

TEST(PresignTest, RefusesLifetimesOverSevenDays) {
  HttpRequest r = Get("/");
  SigningParams params = DefaultSigningParams("s3", "us-east-1", kTime);
  params.expires = std::chrono::seconds(7 * 24 * 3600 + 1);
  EXPECT_THAT(PresignRequest(r, Creds(), params),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("7 days")));
}

}  // namespace
}  // namespace cf::aws
