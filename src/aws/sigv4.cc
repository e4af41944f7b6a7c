#include "aws/sigv4.h"

#include <algorithm>
#include <map>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/strings.h"

namespace cf::aws {

namespace {

// Headers that proxies and transports may add, drop or rewrite: never signed.
constexpr std::string_view kUnsignedHeaders[] = {
    "authorization",       "connection", "expect",         "keep-alive",
    "proxy-authorization", "te",         "trailer",        "upgrade",
    "transfer-encoding",   "user-agent", "x-amzn-trace-id"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') {
      x = static_cast<char>(x - 'A' + 'a');
    }
    if (y >= 'A' && y <= 'Z') {
      y = static_cast<char>(y - 'A' + 'a');
    }
    if (x != y) {
      return false;
    }
  }
  return true;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Trims and collapses every run of whitespace (including folded line breaks) to one space.
void AppendTrimmedValue(std::string_view value, std::string& out) {
  bool pending_space = false;
  bool any = false;
  for (char c : value) {
    if (IsSpace(c)) {
      pending_space = any;
      continue;
    }
    if (pending_space) {
      out.push_back(' ');
      pending_space = false;
    }
    out.push_back(c);
    any = true;
  }
}

std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) {
        segments.pop_back();
      }
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) {
      out.push_back('/');
    }
    out.append(segments[i]);
  }
  if (!segments.empty() && path.back() == '/') {
    out.push_back('/');
  }
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) {
      out.push_back(';');
    }
    out.append(name);
  }
  return out;
}

std::string BuildCanonicalRequest(std::string_view method, std::string_view uri,
                                  std::string_view query, std::string_view headers,
                                  std::string_view signed_headers, std::string_view payload) {
  std::string out;
  out.reserve(method.size() + uri.size() + query.size() + headers.size() + signed_headers.size() +
              payload.size() + 8);
  out.append(method).append("\n");
  out.append(uri).append("\n");
  out.append(query).append("\n");
  out.append(headers).append("\n");
  out.append(signed_headers).append("\n");
  out.append(payload);
  return out;
}

void RemoveHeader(HttpHeaders& headers, std::string_view name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return EqualsIgnoreCase(h.name, name); }),
                headers.end());
}

}  // namespace

SigningParams DefaultSigningParams(std::string_view service, std::string_view region,
                                   std::chrono::system_clock::time_point time) {
  SigningParams params;
  params.service = std::string(service);
  params.region = std::string(region);
  params.time = time;
  if (service == "s3") {
    params.normalize_path = false;
    params.double_encode_path = false;
    params.add_content_sha256_header = true;
  }
  return params;
}

std::string CanonicalUri(std::string_view path, bool normalize, bool double_encode) {
  if (path.empty()) {
    return "/";
  }
  std::string p = normalize ? NormalizePath(path) : std::string(path);
  return double_encode ? PercentEncode(p, /*keep_slash=*/true) : p;
}

std::string CanonicalQuery(std::string_view query, const std::vector<std::string_view>& exclude) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) {
      end = query.size();
    }
    std::string_view item = query.substr(start, end - start);
    start = end + 1;
    if (item.empty()) {
      continue;
    }
    size_t eq = item.find('=');
    std::string key = PercentDecode(item.substr(0, eq));
    if (std::find(exclude.begin(), exclude.end(), key) != exclude.end()) {
      continue;
    }
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(item.substr(eq + 1));
    pairs.emplace_back(PercentEncode(key, false), PercentEncode(value, false));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out.append(key).append("=").append(value);
  }
  return out;
}

std::string CanonicalHeaders(const HttpHeaders& headers,
                             const std::vector<std::string>& signed_names) {
  std::map<std::string, std::string> joined;
  for (const auto& [name, value] : headers) {
    std::string lower = AsciiLower(name);
    if (std::find(signed_names.begin(), signed_names.end(), lower) == signed_names.end()) {
      continue;
    }
    auto [it, inserted] = joined.try_emplace(lower);
    if (!inserted) {
      it->second.push_back(',');
    }
    AppendTrimmedValue(value, it->second);
  }
  std::string out;
  for (const auto& [name, value] : joined) {
    out.append(name).append(":").append(value).append("\n");
  }
  return out;
}

std::string CredentialScope(std::string_view date8, std::string_view region,
                            std::string_view service) {
  std::string out;
  out.append(date8).append("/").append(region).append("/").append(service).append("/aws4_request");
  return out;
}

std::string DeriveSigningKey(std::string_view secret, std::string_view date8,
                             std::string_view region, std::string_view service) {
  std::string key = HmacSha256("AWS4" + std::string(secret), date8);
  key = HmacSha256(key, region);
  key = HmacSha256(key, service);
  return HmacSha256(key, "aws4_request");
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out;
  out.append(kSigV4Algorithm).append("\n");
  out.append(amz_date).append("\n");
  out.append(scope).append("\n");
  out.append(Sha256Hex(canonical_request));
  return out;
}

std::vector<std::string> HeadersToSign(const HttpHeaders& headers) {
  std::vector<std::string> names;
  for (const auto& header : headers) {
    std::string lower = AsciiLower(header.name);
    if (std::find(std::begin(kUnsignedHeaders), std::end(kUnsignedHeaders), lower) ==
        std::end(kUnsignedHeaders)) {
      names.push_back(std::move(lower));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<SignatureParts> SignRequest(HttpRequest& request, const Credentials& credentials,
                                   const SigningParams& params) {
  if (credentials.empty()) {
    return InvalidArgumentError("cannot sign: no credentials");
  }
  if (FindHeader(request.headers, "host") == nullptr) {
    return InvalidArgumentError("cannot sign: the request has no Host header");
  }
  const auto [path, query] = SplitPathAndQuery(request.path);
  const std::string amz_date = FormatIso8601Basic(params.time);
  const std::string date8 = amz_date.substr(0, 8);
  const std::string payload =
      params.payload_hash.empty() ? Sha256Hex(request.body) : params.payload_hash;

  RemoveHeader(request.headers, "authorization");
  RemoveHeader(request.headers, "x-amz-security-token");
  if (!credentials.session_token.empty()) {
    SetHeader(&request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  SetHeader(&request.headers, "X-Amz-Date", amz_date);
  if (params.add_content_sha256_header) {
    SetHeader(&request.headers, "x-amz-content-sha256", payload);
  }

  std::vector<std::string> names = HeadersToSign(request.headers);
  if (params.omit_session_token) {
    names.erase(std::remove(names.begin(), names.end(), "x-amz-security-token"), names.end());
  }

  SignatureParts parts;
  parts.signed_headers = JoinNames(names);
  parts.credential_scope = CredentialScope(date8, params.region, params.service);
  parts.canonical_request = BuildCanonicalRequest(
      request.method, CanonicalUri(path, params.normalize_path, params.double_encode_path),
      CanonicalQuery(query), CanonicalHeaders(request.headers, names), parts.signed_headers,
      payload);
  parts.string_to_sign = StringToSign(amz_date, parts.credential_scope, parts.canonical_request);
  parts.signature = HexEncode(HmacSha256(
      DeriveSigningKey(credentials.secret_access_key, date8, params.region, params.service),
      parts.string_to_sign));

  std::string authorization;
  authorization.append(kSigV4Algorithm)
      .append(" Credential=")
      .append(credentials.access_key_id)
      .append("/")
      .append(parts.credential_scope)
      .append(", SignedHeaders=")
      .append(parts.signed_headers)
      .append(", Signature=")
      .append(parts.signature);
  SetHeader(&request.headers, "Authorization", std::move(authorization));
  return parts;
}

Result<SignatureParts> PresignRequest(HttpRequest& request, const Credentials& credentials,
                                      const SigningParams& params) {
  if (credentials.empty()) {
    return InvalidArgumentError("cannot presign: no credentials");
  }
  if (FindHeader(request.headers, "host") == nullptr) {
    return InvalidArgumentError("cannot presign: the request has no Host header");
  }
  if (params.expires.count() < 1 || params.expires.count() > 7 * 24 * 3600) {
    return InvalidArgumentError("presigned requests expire after 1 second to 7 days, not " +
                                std::to_string(params.expires.count()) + " seconds");
  }
  const std::string amz_date = FormatIso8601Basic(params.time);
  const std::string date8 = amz_date.substr(0, 8);
  const std::string payload =
      params.payload_hash.empty() ? Sha256Hex(request.body) : params.payload_hash;
  const std::vector<std::string> names = HeadersToSign(request.headers);

  SignatureParts parts;
  parts.signed_headers = JoinNames(names);
  parts.credential_scope = CredentialScope(date8, params.region, params.service);
  const std::string credential = credentials.access_key_id + "/" + parts.credential_scope;
  const std::string expires = std::to_string(params.expires.count());
  const bool sign_token = !credentials.session_token.empty() && !params.omit_session_token;

  const auto [path_view, query_view] = SplitPathAndQuery(request.path);
  const std::string path(path_view);
  std::string signed_query(query_view);
  auto add = [&signed_query](std::string_view key, std::string_view value) {
    if (!signed_query.empty()) {
      signed_query.push_back('&');
    }
    signed_query.append(key).append("=").append(PercentEncode(value, false));
  };
  add("X-Amz-Algorithm", kSigV4Algorithm);
  add("X-Amz-Credential", credential);
  add("X-Amz-Date", amz_date);
  add("X-Amz-SignedHeaders", parts.signed_headers);
  add("X-Amz-Expires", expires);
  if (sign_token) {
    add("X-Amz-Security-Token", credentials.session_token);
  }

  parts.canonical_request = BuildCanonicalRequest(
      request.method, CanonicalUri(path, params.normalize_path, params.double_encode_path),
      CanonicalQuery(signed_query), CanonicalHeaders(request.headers, names), parts.signed_headers,
      payload);
  parts.string_to_sign = StringToSign(amz_date, parts.credential_scope, parts.canonical_request);
  parts.signature = HexEncode(HmacSha256(
      DeriveSigningKey(credentials.secret_access_key, date8, params.region, params.service),
      parts.string_to_sign));

  if (!credentials.session_token.empty() && !sign_token) {
    add("X-Amz-Security-Token", credentials.session_token);
  }
  add("X-Amz-Signature", parts.signature);
  request.path = path + "?" + signed_query;
  return parts;
}

}  // namespace cf::aws
