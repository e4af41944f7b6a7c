#pragma once

// Reading the SigV4 authentication of a request: from the Authorization header
// ("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=...,
// Signature=...") or from a presigned query string (X-Amz-Credential, X-Amz-Signature, ...).
// The credential scope names the service and region the request is for: the server routes
// by it.

#include <chrono>
#include <optional>
#include <string>

#include "base/status.h"
#include "cloud/http_message.h"

namespace cf::cloud {

struct SigV4Auth {
  bool presigned = false;
  std::string access_key_id;
  std::string scope_date;  // "20150830"
  std::string region;      // "us-east-1"
  std::string service;     // "iam"
  std::string signed_headers;
  std::string signature;
  std::string amz_date;         // X-Amz-Date (header or query), "20150830T123600Z"
  std::string session_token;    // X-Amz-Security-Token, when present
  int64_t expires_seconds = 0;  // presigned: X-Amz-Expires
  // S3's presigned query of the older form (AWSAccessKeyId, Expires, Signature): no scope,
  // no date, no signed headers; the verifier checks it (aws/sigv4_verifier.h).
  bool s3_query_v2 = false;
};

// The region of requests signed without a scope (S3's older presigned form).
inline constexpr std::string_view kS3QueryV2Region = "us-east-1";

// NotFound when the request carries no authentication at all; InvalidArgument (with the text
// for the client) when it is there but malformed.
Result<SigV4Auth> ParseSigV4(const HttpRequest& request);

// "20150830T123600Z" -> the instant; nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> ParseAmzDate(const std::string& text);

}  // namespace cf::cloud
