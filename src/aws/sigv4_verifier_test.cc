#include "aws/sigv4_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

class FakeSecrets : public SecretLookup {
 public:
  std::optional<KnownKey> FindKey(std::string_view id) const override {
    auto it = keys.find(std::string(id));
    if (it == keys.end()) {
      return std::nullopt;
    }
    return it->second;
  }
  std::map<std::string, KnownKey> keys;
};

class VerifierTest : public ::testing::Test {
 protected:
  VerifierTest() : verifier_(secrets_, clock_) {
    secrets_.keys["AKID"] = {"SECRET", ""};
    secrets_.keys["ASIATEMP"] = {"TEMPSECRET", "THE-TOKEN"};
    options_.region = "us-east-1";
  }

  HttpRequest Signed(std::string service = "ec2", Credentials creds = {}) {
    if (creds.access_key_id.empty()) {
      creds.access_key_id = "AKID";
      creds.secret_access_key = "SECRET";
    }
    HttpRequest r;
    r.method = "POST";
    r.path = "/?Action=DescribeInstances&Version=2016-11-15";
    r.headers = {{"Host", "ec2.us-east-1.amazonaws.com"}, {"Content-Type", "text/plain"}};
    r.body = "hello";
    auto parts = SignRequest(r, creds, DefaultSigningParams(service, "us-east-1", clock_.Now()));
    EXPECT_OK(parts);
    return r;
  }

  HttpRequest Presigned(std::chrono::seconds expires) {
    HttpRequest r;
    r.method = "GET";
    r.path = "/bucket/my%20key";
    r.headers = {{"Host", "127.0.0.1:4566"}};
    SigningParams params = DefaultSigningParams("s3", "us-east-1", clock_.Now());
    params.payload_hash = std::string(kUnsignedPayload);
    params.expires = expires;
    Credentials creds{"AKID", "SECRET", "", std::nullopt, ""};
    EXPECT_OK(PresignRequest(r, creds, params));
    return r;
  }

  AuthErrorCode ErrorOf(const HttpRequest& r) {
    VerifyResult result = verifier_.Verify(r, options_);
    EXPECT_FALSE(result.ok());
    return result.ok() ? AuthErrorCode::kRequestExpired : result.error->code;
  }

  FakeClock clock_;
  FakeSecrets secrets_;
  SigV4Verifier verifier_;
  VerifyOptions options_;
};

TEST_F(VerifierTest, AcceptsWhatTheSignerSigned) {
  VerifyResult result = verifier_.Verify(Signed(), options_);
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.caller.access_key_id, "AKID");
  EXPECT_EQ(result.caller.service, "ec2");
  EXPECT_FALSE(result.caller.presigned);
}

TEST_F(VerifierTest, RefusesAChangedBodyOrQuery) {
  HttpRequest r = Signed();
  r.body = "hellO";
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kSignatureDoesNotMatch);
  r = Signed();
  r.path = "/?Action=TerminateInstances&Version=2016-11-15";
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierTest, S3RefusesABodyThatDoesNotMatchItsDeclaredHash) {
  HttpRequest r = Signed("s3");
  options_.service = "s3";
  ASSERT_TRUE(verifier_.Verify(r, options_).ok());
  r.body = "other";
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kContentSha256Mismatch);
  EXPECT_EQ(verifier_.Verify(r, options_).error->AwsCode("s3", false), "XAmzContentSHA256Mismatch");
}

TEST_F(VerifierTest, StreamingMarkersAreSignedButNotHashed) {
  // awscli's flexible-checksum uploads declare a marker instead of a hash.
  HttpRequest r;
  r.method = "PUT";
  r.path = "/bucket/key";
  r.headers = {{"Host", "127.0.0.1:4566"}, {"Content-Encoding", "aws-chunked"}};
  r.body = "6\r\nhello\n\r\n0\r\nx-amz-checksum-crc32:NjowIA==\r\n\r\n";
  SigningParams params = DefaultSigningParams("s3", "us-east-1", clock_.Now());
  params.payload_hash = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
  ASSERT_OK(SignRequest(r, Credentials{"AKID", "SECRET", "", std::nullopt, ""}, params));
  VerifyResult result = verifier_.Verify(r, options_);
  EXPECT_TRUE(result.ok()) << result.error->message;
}

TEST_F(VerifierTest, MissingAuthenticationIsItsOwnError) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"Host", "x"}};
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kMissingAuthenticationToken);
}

TEST_F(VerifierTest, AnIncompleteHeaderIsIncompleteSignature) {
  HttpRequest r = Signed();
  SetHeader(&r.headers, "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ec2/"
            "aws4_request, Signature=abc");
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kIncompleteSignature);
  EXPECT_THAT(verifier_.Verify(r, options_).error->message, HasSubstr("SignedHeaders"));
}

TEST_F(VerifierTest, UnknownKeysAreNamedPerProtocol) {
  HttpRequest r = Signed("ec2", Credentials{"NOPE", "SECRET", "", std::nullopt, ""});
  VerifyResult result = verifier_.Verify(r, options_);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->code, AuthErrorCode::kUnknownAccessKey);
  EXPECT_EQ(result.error->AwsCode("ec2", false), "InvalidClientTokenId");
  EXPECT_EQ(result.error->AwsCode("dynamodb", true), "UnrecognizedClientException");
  EXPECT_EQ(result.error->AwsCode("s3", false), "InvalidAccessKeyId");
  EXPECT_EQ(result.error->HttpStatus(), 403);
}

TEST_F(VerifierTest, TemporaryKeysNeedTheirToken) {
  Credentials temp{"ASIATEMP", "TEMPSECRET", "THE-TOKEN", std::nullopt, ""};
  EXPECT_TRUE(verifier_.Verify(Signed("ec2", temp), options_).ok());
  temp.session_token = "OTHER";
  EXPECT_EQ(ErrorOf(Signed("ec2", temp)), AuthErrorCode::kInvalidSecurityToken);
}

TEST_F(VerifierTest, RefusesRequestsSkewedByMoreThanFifteenMinutes) {
  HttpRequest r = Signed();
  clock_.Advance(std::chrono::minutes(14));
  EXPECT_TRUE(verifier_.Verify(r, options_).ok());
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kRequestTimeTooSkewed);
  VerifyResult result = verifier_.Verify(r, options_);
  EXPECT_EQ(result.error->AwsCode("s3", false), "RequestTimeTooSkewed");
}

TEST_F(VerifierTest, RefusesAScopeForAnotherRegionOrService) {
  HttpRequest r = Signed();
  options_.region = "eu-west-1";
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kSignatureDoesNotMatch);
  options_.region = "us-east-1";
  options_.service = "iam";
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kSignatureDoesNotMatch);
}

TEST_F(VerifierTest, PresignedRequestsWorkUntilTheyExpire) {
  HttpRequest r = Presigned(std::chrono::seconds(600));
  VerifyResult result = verifier_.Verify(r, options_);
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_TRUE(result.caller.presigned);
  clock_.Advance(std::chrono::seconds(601));
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kRequestExpired);
}

TEST_F(VerifierTest, PresignedRequestsRefuseAChangedPath) {
  HttpRequest r = Presigned(std::chrono::seconds(600));
  r.path = "/bucket/other" + r.path.substr(r.path.find('?'));
  EXPECT_EQ(ErrorOf(r), AuthErrorCode::kSignatureDoesNotMatch);
}

// S3's older presigned form, with the example of S3's documentation (signature version 2,
// query-string authentication): GET /johnsmith/photos/puppy.jpg expiring at 1175139620.
TEST(S3QueryV2Test, VerifiesTheDocumentedExampleUntilItExpires) {
  FakeSecrets secrets;
  secrets.keys["AKIAIOSFODNN7EXAMPLE"] = {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  FakeClock clock(std::chrono::system_clock::from_time_t(1175139620 - 60));
  SigV4Verifier verifier(secrets, clock);
  VerifyOptions options;
  options.service = "s3";
  HttpRequest r;
  r.method = "GET";
  r.path =
      "/johnsmith/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&"
      "Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D";
  r.headers = {{"Host", "127.0.0.1:4566"}};
  VerifyResult ok = verifier.Verify(r, options);
  ASSERT_TRUE(ok.ok()) << ok.error->message;
  EXPECT_EQ(ok.caller.access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_TRUE(ok.caller.presigned);

  HttpRequest put = r;
  put.method = "PUT";
  EXPECT_EQ(verifier.Verify(put, options).error->code, AuthErrorCode::kSignatureDoesNotMatch);
  HttpRequest other = r;
  other.path.replace(0, other.path.find('?'), "/johnsmith/photos/kitten.jpg");
  EXPECT_EQ(verifier.Verify(other, options).error->code, AuthErrorCode::kSignatureDoesNotMatch);
  // A signed subresource is part of the signature; an unsigned parameter is not.
  HttpRequest acl = r;
  acl.path += "&acl";
  EXPECT_EQ(verifier.Verify(acl, options).error->code, AuthErrorCode::kSignatureDoesNotMatch);
  HttpRequest extra = r;
  extra.path += "&cache-buster=1";
  EXPECT_TRUE(verifier.Verify(extra, options).ok());

  HttpRequest unknown = r;
  unknown.path.replace(unknown.path.find("AKIAIOSFODNN7EXAMPLE"), 20, "AKIAOTHERKEY00000000");
  VerifyResult refused = verifier.Verify(unknown, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error->AwsCode("s3", false), "InvalidAccessKeyId");

  HttpRequest incomplete = r;
  incomplete.path = "/johnsmith/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE";
  EXPECT_EQ(verifier.Verify(incomplete, options).error->code, AuthErrorCode::kIncompleteSignature);

  clock.Advance(std::chrono::seconds(61));
  VerifyResult late = verifier.Verify(r, options);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error->code, AuthErrorCode::kRequestExpired);
  EXPECT_EQ(late.error->AwsCode("s3", false), "AccessDenied");
}

TEST(ParseIso8601BasicTest, ParsesAndRejects) {
  EXPECT_EQ(ParseIso8601Basic("20150830T123600Z"),
            std::chrono::system_clock::from_time_t(1440938160));
  EXPECT_FALSE(ParseIso8601Basic("2015-08-30T12:36:00Z"));
  EXPECT_FALSE(ParseIso8601Basic("20151330T123600Z"));
}

}  // namespace
}  // namespace cf::aws
