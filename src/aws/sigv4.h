#pragma once

// AWS Signature Version 4 (AWS4-HMAC-SHA256): signing outgoing requests, either with an
// Authorization header or as a presigned URL (query parameters).
//
// Path rules differ by service: S3 signs the path exactly as sent (no second encoding, no
// normalization); every other service encodes the already-encoded path once more and
// removes "." / ".." / empty segments first. DefaultSigningParams() picks them by service.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/http.h"
#include "base/status.h"

namespace cf::aws {

inline constexpr std::string_view kSigV4Algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

// Requests are aws::HttpRequest (http.h) in wire form: `path` is the percent-encoded path
// and query exactly as sent ("/a%20b?x=1"); headers keep their order, case and repeats.

struct SigningParams {
  std::string region;   // "us-east-1"
  std::string service;  // the signing name: "s3", "ec2", "dynamodb", "sts", ...
  std::chrono::system_clock::time_point time;
  // Remove "." and ".." segments and collapse "//" before encoding (all but S3).
  bool normalize_path = true;
  // Percent-encode the wire path once more (all but S3).
  bool double_encode_path = true;
  // What to sign as the payload: empty for the hex SHA-256 of the body; otherwise a literal
  // such as kUnsignedPayload, kStreamingPayload or a precomputed hex hash.
  std::string payload_hash;
  // Also send (and sign) the payload hash as x-amz-content-sha256 (S3 requires it).
  bool add_content_sha256_header = false;
  // Attach the session token after signing, outside the signature (some services want it).
  bool omit_session_token = false;
  // Lifetime of a presigned request, 1 second to 7 days.
  std::chrono::seconds expires{3600};
};

// The usual parameters for `service`: S3 gets its own path rules and the content hash header.
SigningParams DefaultSigningParams(std::string_view service, std::string_view region,
                                   std::chrono::system_clock::time_point time);

// Every intermediate of one signature (for tests, the conformance suite and debugging).
struct SignatureParts {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;       // 64 lowercase hex digits
  std::string signed_headers;  // "host;x-amz-date"
  std::string credential_scope;
};

// Signs with an Authorization header. Adds X-Amz-Security-Token (when the credentials have
// a token), X-Amz-Date, x-amz-content-sha256 (when asked) and Authorization, in that order,
// replacing earlier values. Requires a Host header. Signs every header except hop-by-hop
// and user-agent style ones (see kUnsignedHeaders in sigv4.cc).
Result<SignatureParts> SignRequest(HttpRequest& request, const Credentials& credentials,
                                   const SigningParams& params);

// Presigns: appends X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires,
// -Security-Token and -Signature to the query, keeping the existing query as it was.
Result<SignatureParts> PresignRequest(HttpRequest& request, const Credentials& credentials,
                                      const SigningParams& params);

// ---- Building blocks (shared with the verifier) ----

// The canonical URI of a wire path under the given rules.
std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode);
// The canonical query string: pairs decoded, re-encoded strictly, sorted by key then value.
// Parameters named in `exclude` (exact, case-sensitive) are left out.
std::string CanonicalQuery(std::string_view query,
                           const std::vector<std::string_view>& exclude = {});
// The canonical header block ("name:value\n" each, sorted, values trimmed, inner whitespace
// runs collapsed, repeated headers joined with ',') for the named lowercase headers.
// Names absent from `headers` are left out.
std::string CanonicalHeaders(const HttpHeaders& headers,
                             const std::vector<std::string>& signed_names);
// "20150830/us-east-1/service/aws4_request".
std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service);
// The signing key: HMAC chain over date, region, service and "aws4_request".
std::string DeriveSigningKey(std::string_view secret, std::string_view date8,
                             std::string_view region, std::string_view service);
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
// Lowercase names of the headers the signer signs, sorted and unique.
std::vector<std::string> HeadersToSign(const HttpHeaders& headers);

}  // namespace cf::aws
