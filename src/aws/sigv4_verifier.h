#pragma once

// Verifies SigV4 signatures of incoming requests (the local cloud's front door): parses the
// Authorization header or the presigned query, looks up the secret of the access key,
// recomputes the signature and compares it in constant time, and checks the credential
// scope, the clock skew and presigned expiry. S3 also accepts the presigned query of the
// older form (signature version 2) that the AWS CLI's `s3 presign` still writes. Each refusal
// carries the AWS error code the real service would send.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "base/clock.h"

namespace cf::aws {

// What the server knows about an access key.
struct KnownKey {
  std::string secret_access_key;
  // Temporary credentials: the token that must come with the key. Empty for long-term keys.
  std::string session_token;
};

// Finds the secret of an access key (IAM users, STS sessions, ...). Must be thread-safe when
// the verifier is shared by threads.
class SecretLookup {
 public:
  virtual ~SecretLookup() = default;
  virtual std::optional<KnownKey> FindKey(std::string_view access_key_id) const = 0;
};

enum class AuthErrorCode {
  kMissingAuthenticationToken,  // no Authorization header and no presigned query
  kIncompleteSignature,         // a part of the signature is missing or malformed
  kUnknownAccessKey,            // InvalidClientTokenId / UnrecognizedClientException
  kInvalidSecurityToken,        // the session token does not belong to the key
  kSignatureDoesNotMatch,       // wrong signature or wrong credential scope
  kRequestTimeTooSkewed,        // more than the allowed skew (15 minutes) from server time
  kRequestExpired,              // a presigned request past its X-Amz-Expires
  kContentSha256Mismatch,       // x-amz-content-sha256 is a hash, not the body's
};

struct AuthError {
  AuthErrorCode code;
  std::string message;

  // The AWS error code as the named service spells it: "InvalidClientTokenId" for query and
  // XML services, "UnrecognizedClientException" for JSON ones, "InvalidAccessKeyId" for S3.
  std::string AwsCode(std::string_view service, bool json_protocol) const;
  // 400 or 403, as AWS answers.
  int HttpStatus() const;
};

// Who signed a request that verified.
struct VerifiedCaller {
  std::string access_key_id;
  std::string session_token;
  std::string region;
  std::string service;
  bool presigned = false;
  std::chrono::system_clock::time_point signed_at;
};

struct VerifyOptions {
  // The region this endpoint serves; empty accepts any region in the scope.
  std::string region;
  // The signing name this endpoint serves; empty accepts any.
  std::string service;
  std::chrono::seconds max_skew{15 * 60};
  // Path rules; by default from the scope's service (S3: neither; others: both).
  std::optional<bool> normalize_path;
  std::optional<bool> double_encode_path;
};

struct VerifyResult {
  std::optional<AuthError> error;  // set when refused
  VerifiedCaller caller;           // meaningful when !error
  bool ok() const { return !error.has_value(); }
};

// Stateless apart from the references it holds; thread-safe when `secrets` is.
class SigV4Verifier {
 public:
  SigV4Verifier(const SecretLookup& secrets, const Clock& clock)
      : secrets_(secrets), clock_(clock) {}

  // Thread-safe.
  VerifyResult Verify(const HttpRequest& request, const VerifyOptions& options) const;

 private:
  // S3's presigned query of the older form (AWSAccessKeyId, Expires, Signature).
  VerifyResult VerifyS3QueryV2(const HttpRequest& request, std::string_view path,
                               std::string_view query) const;

  // The signing key for (secret, date, region, service), derived once per day and scope: four
  // HMACs per request otherwise.
  std::string SigningKey(std::string_view secret, std::string_view date8, std::string_view region,
                         std::string_view service) const;

  const SecretLookup& secrets_;
  const Clock& clock_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::string, std::less<>> signing_keys_;  // guarded by mu_
};

// Parses "20150830T123600Z". Nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> ParseIso8601Basic(std::string_view s);

}  // namespace cf::aws
