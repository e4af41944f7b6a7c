#include "aws/sigv4_verifier.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <vector>

#include "base/base64.h"
#include "base/crypto.h"
#include "base/strings.h"

namespace cf::aws {

namespace {

AuthError Error(AuthErrorCode code, std::string message) {
  return AuthError{code, std::move(message)};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// The signature material of a request, from its header or its query.
struct Claimed {
  bool presigned = false;
  std::string access_key_id;
  std::string date8;
  std::string region;
  std::string service;
  std::string amz_date;
  std::string signed_headers;
  std::string signature;
  std::string session_token;
  std::optional<long long> expires;
};

std::optional<AuthError> ParseCredential(std::string_view credential, Claimed& claimed) {
  std::vector<std::string_view> parts = Split(credential, '/');
  if (parts.size() != 5 || parts[0].empty()) {
    return Error(AuthErrorCode::kIncompleteSignature,
                 "Credential must have the form ACCESS_KEY/DATE/REGION/SERVICE/aws4_request");
  }
  if (parts[4] != "aws4_request") {
    return Error(AuthErrorCode::kSignatureDoesNotMatch,
                 "Credential should be scoped with a valid terminator: 'aws4_request'");
  }
  claimed.access_key_id = std::string(parts[0]);
  claimed.date8 = std::string(parts[1]);
  claimed.region = std::string(parts[2]);
  claimed.service = std::string(parts[3]);
  return std::nullopt;
}

std::optional<AuthError> ParseAuthorizationHeader(std::string_view header, Claimed& claimed) {
  header = Trim(header);
  if (header.substr(0, kSigV4Algorithm.size()) != kSigV4Algorithm ||
      (header.size() > kSigV4Algorithm.size() && header[kSigV4Algorithm.size()] != ' ')) {
    return Error(AuthErrorCode::kIncompleteSignature,
                 "Unsupported Authorization type; only AWS4-HMAC-SHA256 is accepted");
  }
  std::string_view rest = header.substr(kSigV4Algorithm.size());
  std::optional<std::string_view> credential, signed_headers, signature;
  for (std::string_view item : Split(rest, ',')) {
    item = Trim(item);
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    std::string_view key = item.substr(0, eq);
    std::string_view value = item.substr(eq + 1);
    if (key == "Credential") {
      credential = value;
    } else if (key == "SignedHeaders") {
      signed_headers = value;
    } else if (key == "Signature") {
      signature = value;
    }
  }
  if (!credential || !signed_headers || !signature) {
    std::string missing;
    for (auto [name, part] :
         {std::pair{"Credential", credential}, std::pair{"SignedHeaders", signed_headers},
          std::pair{"Signature", signature}}) {
      if (!part) {
        missing += std::string(missing.empty() ? "" : ", ") + name;
      }
    }
    return Error(AuthErrorCode::kIncompleteSignature,
                 "Authorization header requires " + missing + " parameters");
  }
  claimed.signed_headers = std::string(*signed_headers);
  claimed.signature = std::string(*signature);
  return ParseCredential(*credential, claimed);
}

// The query parameters that are part of an S3 version-2 signature's resource (the rest of
// the query is not signed), as botocore's HmacV1Auth lists them.
constexpr std::string_view kS3SignedSubresources[] = {"accelerate",
                                                      "acl",
                                                      "analytics",
                                                      "cors",
                                                      "defaultObjectAcl",
                                                      "delete",
                                                      "inventory",
                                                      "lifecycle",
                                                      "location",
                                                      "logging",
                                                      "metrics",
                                                      "notification",
                                                      "object-lock",
                                                      "partNumber",
                                                      "policy",
                                                      "replication",
                                                      "requestPayment",
                                                      "response-cache-control",
                                                      "response-content-disposition",
                                                      "response-content-encoding",
                                                      "response-content-language",
                                                      "response-content-type",
                                                      "response-expires",
                                                      "restore",
                                                      "select",
                                                      "select-type",
                                                      "storageClass",
                                                      "tagging",
                                                      "torrent",
                                                      "uploadId",
                                                      "uploads",
                                                      "versionId",
                                                      "versioning",
                                                      "versions",
                                                      "website"};

// The decoded value of the first query parameter named `key`.
std::optional<std::string> QueryParam(std::string_view query, std::string_view key) {
  for (std::string_view item : Split(query, '&')) {
    size_t eq = item.find('=');
    if (PercentDecode(item.substr(0, eq)) == key) {
      return eq == std::string_view::npos ? std::string() : PercentDecode(item.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::optional<AuthError> ParsePresignedQuery(std::string_view query, Claimed& claimed) {
  claimed.presigned = true;
  std::optional<std::string> algorithm = QueryParam(query, "X-Amz-Algorithm");
  if (*algorithm != kSigV4Algorithm) {
    return Error(AuthErrorCode::kIncompleteSignature,
                 "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  std::optional<std::string> credential = QueryParam(query, "X-Amz-Credential");
  std::optional<std::string> date = QueryParam(query, "X-Amz-Date");
  std::optional<std::string> signed_headers = QueryParam(query, "X-Amz-SignedHeaders");
  std::optional<std::string> signature = QueryParam(query, "X-Amz-Signature");
  std::optional<std::string> expires = QueryParam(query, "X-Amz-Expires");
  if (!credential || !date || !signed_headers || !signature || !expires) {
    return Error(AuthErrorCode::kIncompleteSignature,
                 "a presigned request needs X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, "
                 "X-Amz-Expires and X-Amz-Signature");
  }
  char* end = nullptr;
  long long seconds = std::strtoll(expires->c_str(), &end, 10);
  if (expires->empty() || *end != '\0' || seconds < 0) {
    return Error(AuthErrorCode::kIncompleteSignature, "X-Amz-Expires must be a number");
  }
  if (seconds > 7 * 24 * 3600) {
    return Error(AuthErrorCode::kIncompleteSignature,
                 "X-Amz-Expires must be less than a week (in seconds); that is, the given "
                 "X-Amz-Expires must be less than 604800 seconds");
  }
  claimed.expires = seconds;
  claimed.amz_date = *date;
  claimed.signed_headers = *signed_headers;
  claimed.signature = *signature;
  claimed.session_token = QueryParam(query, "X-Amz-Security-Token").value_or("");
  return ParseCredential(*credential, claimed);
}

// Parses an RFC 1123 Date header ("Sun, 30 Aug 2015 12:36:00 GMT").
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (end == nullptr) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

bool IsHexSha256(std::string_view s) {
  if (s.size() != 64) {
    return false;
  }
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseIso8601Basic(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') {
    return std::nullopt;
  }
  for (size_t i = 0; i < 15; ++i) {
    if (i != 8 && (s[i] < '0' || s[i] > '9')) {
      return std::nullopt;
    }
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(4, 2) - 1;
  tm.tm_mday = num(6, 2);
  tm.tm_hour = num(9, 2);
  tm.tm_min = num(11, 2);
  tm.tm_sec = num(13, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// S3's query-string authentication of the older form (signature version 2), which the AWS
// CLI's `s3 presign` produces by default: AWSAccessKeyId, Expires (seconds since the epoch)
// and Signature = base64(HMAC-SHA1(secret, string to sign)), the string to sign being
//   METHOD \n Content-MD5 \n Content-Type \n Expires \n [x-amz-name:value \n ...] resource
// where the x-amz-* values come from the headers or, as presigners move them, the query, and
// the resource is the path as sent plus the signed subresources of the query, sorted.
VerifyResult SigV4Verifier::VerifyS3QueryV2(const HttpRequest& request, std::string_view path,
                                            std::string_view query) const {
  VerifyResult result;
  auto fail = [&result](AuthErrorCode code, std::string message) {
    result.error = Error(code, std::move(message));
    return result;
  };
  std::optional<std::string> access_key = QueryParam(query, "AWSAccessKeyId");
  std::optional<std::string> signature = QueryParam(query, "Signature");
  std::optional<std::string> expires = QueryParam(query, "Expires");
  if (!access_key || access_key->empty() || !signature || !expires) {
    return fail(AuthErrorCode::kIncompleteSignature,
                "Query-string authentication requires the Signature, Expires and AWSAccessKeyId "
                "parameters");
  }
  long long expires_at = 0;
  if (expires->empty() || expires->size() > 12 ||
      !std::all_of(expires->begin(), expires->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail(AuthErrorCode::kIncompleteSignature,
                "Expires must be a number of seconds since the epoch, not '" + *expires + "'");
  }
  expires_at = std::stoll(*expires);
  const auto now = clock_.Now();
  if (std::chrono::system_clock::from_time_t(static_cast<std::time_t>(expires_at)) < now) {
    return fail(AuthErrorCode::kRequestExpired, "Request has expired");
  }

  // The signed values: a header, or the query parameter a presigner moved it to.
  auto signed_value = [&](std::string_view lower_name) -> std::string {
    if (const std::string* value = FindHeader(request.headers, lower_name)) {
      return std::string(Trim(*value));
    }
    return QueryParam(query, lower_name).value_or("");
  };
  std::map<std::string, std::string> amz;
  for (const auto& [name, value] : request.headers) {
    std::string lower = AsciiLower(name);
    if (lower.rfind("x-amz-", 0) == 0) {
      std::string& joined = amz[lower];
      joined += (joined.empty() ? "" : ",") + std::string(Trim(value));
    }
  }
  std::vector<std::pair<std::string, std::string>> subresources;
  for (std::string_view item : Split(query, '&')) {
    size_t eq = item.find('=');
    std::string name = PercentDecode(item.substr(0, eq));
    std::optional<std::string> value;
    if (eq != std::string_view::npos) {
      value = PercentDecode(item.substr(eq + 1));
    }
    std::string lower = AsciiLower(name);
    if (lower.rfind("x-amz-", 0) == 0 && amz.count(lower) == 0) {
      amz[lower] = value.value_or("");
    } else if (std::find(std::begin(kS3SignedSubresources), std::end(kS3SignedSubresources),
                         name) != std::end(kS3SignedSubresources)) {
      subresources.emplace_back(name, value ? "=" + *value : "");
    }
  }
  std::sort(subresources.begin(), subresources.end());

  std::string to_sign;
  to_sign.append(request.method).append("\n");
  to_sign.append(signed_value("content-md5")).append("\n");
  to_sign.append(signed_value("content-type")).append("\n");
  to_sign.append(*expires).append("\n");
  for (const auto& [name, value] : amz) {
    to_sign.append(name).append(":").append(value).append("\n");
  }
  to_sign.append(path.empty() ? "/" : path);
  for (size_t i = 0; i < subresources.size(); ++i) {
    to_sign.append(i == 0 ? "?" : "&").append(subresources[i].first).append(subresources[i].second);
  }

  std::optional<KnownKey> key = secrets_.FindKey(*access_key);
  if (!key) {
    return fail(AuthErrorCode::kUnknownAccessKey,
                "The AWS Access Key Id you provided does not exist in our records.");
  }
  std::string token = amz.count("x-amz-security-token") ? amz["x-amz-security-token"] : "";
  if (!ConstantTimeEquals(key->session_token, token)) {
    return fail(AuthErrorCode::kInvalidSecurityToken,
                "The provided token is malformed or invalid.");
  }
  if (!ConstantTimeEquals(Base64Encode(HmacSha1(key->secret_access_key, to_sign)), *signature)) {
    return fail(AuthErrorCode::kSignatureDoesNotMatch,
                "The request signature we calculated does not match the signature you provided. "
                "Check your key and signing method.");
  }
  result.caller.access_key_id = *access_key;
  result.caller.session_token = token;
  result.caller.service = "s3";
  result.caller.presigned = true;
  result.caller.signed_at = now;
  return result;
}

std::string AuthError::AwsCode(std::string_view service, bool json_protocol) const {
  switch (code) {
    case AuthErrorCode::kMissingAuthenticationToken:
      return service == "s3" ? "AccessDenied" : "MissingAuthenticationToken";
    case AuthErrorCode::kIncompleteSignature:
      return service == "s3" ? "AuthorizationQueryParametersError" : "IncompleteSignature";
    case AuthErrorCode::kUnknownAccessKey:
      if (service == "s3") {
        return "InvalidAccessKeyId";
      }
      return json_protocol ? "UnrecognizedClientException" : "InvalidClientTokenId";
    case AuthErrorCode::kInvalidSecurityToken:
      return service == "s3" ? "InvalidToken" : "InvalidClientTokenId";
    case AuthErrorCode::kSignatureDoesNotMatch:
      return json_protocol ? "InvalidSignatureException" : "SignatureDoesNotMatch";
    case AuthErrorCode::kRequestTimeTooSkewed:
      return service == "s3" ? "RequestTimeTooSkewed"
                             : (json_protocol ? "InvalidSignatureException" : "RequestExpired");
    case AuthErrorCode::kRequestExpired:
      return service == "s3" ? "AccessDenied" : "RequestExpired";
    case AuthErrorCode::kContentSha256Mismatch:
      return service == "s3" ? "XAmzContentSHA256Mismatch" : "SignatureDoesNotMatch";
  }
  return "AccessDenied";
}

int AuthError::HttpStatus() const {
  switch (code) {
    case AuthErrorCode::kIncompleteSignature:
    case AuthErrorCode::kContentSha256Mismatch:
      return 400;
    default:
      return 403;
  }
}

VerifyResult SigV4Verifier::Verify(const HttpRequest& request, const VerifyOptions& options) const {
  VerifyResult result;
  // Plain variables rather than a structured binding: lambdas below capture them, which
  // clang accepts only from version 16.
  const auto path_and_query = SplitPathAndQuery(request.path);
  const auto& path = path_and_query.first;
  const auto& query = path_and_query.second;
  auto header = [&request](std::string_view name) -> std::optional<std::string> {
    const std::string* value = FindHeader(request.headers, name);
    if (value == nullptr) {
      return std::nullopt;
    }
    return *value;
  };
  auto fail = [&result](AuthErrorCode code, std::string message) {
    result.error = Error(code, std::move(message));
    return result;
  };

  Claimed claimed;
  std::optional<std::string> authorization = header("authorization");
  std::optional<AuthError> parse_error;
  if (!authorization && QueryParam(query, "AWSAccessKeyId") &&
      (options.service.empty() || options.service == "s3")) {
    return VerifyS3QueryV2(request, path, query);
  }
  if (authorization) {
    parse_error = ParseAuthorizationHeader(*authorization, claimed);
  } else if (QueryParam(query, "X-Amz-Algorithm")) {
    parse_error = ParsePresignedQuery(query, claimed);
  } else {
    return fail(AuthErrorCode::kMissingAuthenticationToken,
                "Request is missing Authentication Token");
  }
  if (parse_error) {
    result.error = std::move(parse_error);
    return result;
  }

  // The time of signing.
  std::optional<std::chrono::system_clock::time_point> signed_at;
  if (!claimed.presigned) {
    if (std::optional<std::string> amz_date = header("x-amz-date")) {
      claimed.amz_date = *amz_date;
      signed_at = ParseIso8601Basic(*amz_date);
    } else if (std::optional<std::string> date = header("date")) {
      signed_at = ParseHttpDate(*date);
      if (signed_at) {
        claimed.amz_date = FormatIso8601Basic(*signed_at);
      }
    } else {
      return fail(AuthErrorCode::kIncompleteSignature,
                  "Authorization header requires existence of either a 'X-Amz-Date' or a "
                  "'Date' header");
    }
    claimed.session_token = header("x-amz-security-token").value_or("");
  } else {
    signed_at = ParseIso8601Basic(claimed.amz_date);
  }
  if (!signed_at) {
    return fail(AuthErrorCode::kIncompleteSignature,
                "the date of the request is not in the form 20150830T123600Z");
  }

  // Scope.
  if (claimed.amz_date.substr(0, 8) != claimed.date8) {
    return fail(AuthErrorCode::kSignatureDoesNotMatch,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                "from HTTP: '" +
                    claimed.date8 + "' != '" + claimed.amz_date.substr(0, 8) + "'");
  }
  if (!options.region.empty() && claimed.region != options.region) {
    return fail(AuthErrorCode::kSignatureDoesNotMatch,
                "Credential should be scoped to a valid region, not '" + claimed.region + "'");
  }
  if (!options.service.empty() && claimed.service != options.service) {
    return fail(AuthErrorCode::kSignatureDoesNotMatch,
                "Credential should be scoped to correct service: '" + options.service + "'");
  }
  std::vector<std::string> names;
  for (std::string_view name : Split(claimed.signed_headers, ';')) {
    names.emplace_back(name);
  }
  if (std::find(names.begin(), names.end(), "host") == names.end()) {
    return fail(AuthErrorCode::kSignatureDoesNotMatch,
                "the host header must be among the SignedHeaders");
  }

  // Time.
  const auto now = clock_.Now();
  if (claimed.presigned) {
    if (*signed_at - now > options.max_skew) {
      return fail(AuthErrorCode::kRequestTimeTooSkewed,
                  "The difference between the request time and the server's time is too large");
    }
    if (now > *signed_at + std::chrono::seconds(*claimed.expires)) {
      return fail(AuthErrorCode::kRequestExpired, "Request has expired");
    }
  } else if (now - *signed_at > options.max_skew || *signed_at - now > options.max_skew) {
    return fail(AuthErrorCode::kRequestTimeTooSkewed,
                "Signature expired: " + claimed.amz_date + " is now earlier or later than " +
                    FormatIso8601Basic(now) + " by more than 15 minutes");
  }

  // Key.
  std::optional<KnownKey> key = secrets_.FindKey(claimed.access_key_id);
  if (!key) {
    return fail(AuthErrorCode::kUnknownAccessKey,
                "The security token included in the request is invalid");
  }
  if (!ConstantTimeEquals(key->session_token, claimed.session_token)) {
    return fail(AuthErrorCode::kInvalidSecurityToken,
                "The security token included in the request is invalid");
  }

  // Signature.
  const bool s3 = claimed.service == "s3";
  const bool normalize = options.normalize_path.value_or(!s3);
  const bool double_encode = options.double_encode_path.value_or(!s3);
  std::string payload;
  if (std::optional<std::string> declared = header("x-amz-content-sha256")) {
    payload = *declared;
  } else if (claimed.presigned && s3) {
    payload = std::string(kUnsignedPayload);
  } else {
    payload = Sha256Hex(request.body);
  }
  const std::string uri = CanonicalUri(path, normalize, double_encode);
  const std::string headers = CanonicalHeaders(request.headers, names);
  const std::string scope = CredentialScope(claimed.date8, claimed.region, claimed.service);
  const std::string signing_key =
      SigningKey(key->secret_access_key, claimed.date8, claimed.region, claimed.service);
  auto signature_for = [&](const std::vector<std::string_view>& exclude) {
    std::string canonical;
    canonical.append(request.method).append("\n");
    canonical.append(uri).append("\n");
    canonical.append(CanonicalQuery(query, exclude)).append("\n");
    canonical.append(headers).append("\n");
    canonical.append(claimed.signed_headers).append("\n");
    canonical.append(payload);
    return HexEncode(HmacSha256(signing_key, StringToSign(claimed.amz_date, scope, canonical)));
  };
  bool match = false;
  if (claimed.presigned) {
    match = ConstantTimeEquals(signature_for({"X-Amz-Signature"}), claimed.signature);
    // Some signers attach the session token after signing (outside the signature).
    if (!match && !claimed.session_token.empty()) {
      match = ConstantTimeEquals(signature_for({"X-Amz-Signature", "X-Amz-Security-Token"}),
                                 claimed.signature);
    }
  } else {
    match = ConstantTimeEquals(signature_for({}), claimed.signature);
  }
  if (!match) {
    return fail(AuthErrorCode::kSignatureDoesNotMatch,
                "The request signature we calculated does not match the signature you provided. "
                "Check your AWS Secret Access Key and signing method.");
  }
  // A declared body hash must be the real one. Markers (UNSIGNED-PAYLOAD, STREAMING-...)
  // declare no hash; their bodies are the service's business.
  if (header("x-amz-content-sha256") && IsHexSha256(payload) &&
      payload != Sha256Hex(request.body)) {
    return fail(AuthErrorCode::kContentSha256Mismatch,
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  result.caller.access_key_id = claimed.access_key_id;
  result.caller.session_token = claimed.session_token;
  result.caller.region = claimed.region;
  result.caller.service = claimed.service;
  result.caller.presigned = claimed.presigned;
  result.caller.signed_at = *signed_at;
  return result;
}

std::string SigV4Verifier::SigningKey(std::string_view secret, std::string_view date8,
                                      std::string_view region, std::string_view service) const {
  std::string cache_key;
  cache_key.append(secret).append("\n").append(date8).append("\n").append(region);
  cache_key.append("\n").append(service);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = signing_keys_.find(cache_key);
  if (it != signing_keys_.end()) {
    return it->second;
  }
  if (signing_keys_.size() >= 1024) {
    signing_keys_.clear();  // bounded: keys, days and regions are few
  }
  std::string derived = DeriveSigningKey(secret, date8, region, service);
  signing_keys_.emplace(std::move(cache_key), derived);
  return derived;
}

}  // namespace cf::aws
