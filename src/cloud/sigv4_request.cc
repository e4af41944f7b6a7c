#include "cloud/sigv4_request.h"

#include <ctime>

namespace cf::cloud {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// "AKID/20150830/us-east-1/iam/aws4_request" into the auth's credential fields.
Status ParseCredential(std::string_view credential, SigV4Auth& auth) {
  std::string parts[5];
  // The access key id is everything before the last four '/'-separated fields.
  std::string_view rest = credential;
  for (int i = 4; i >= 1; --i) {
    size_t pos = rest.rfind('/');
    if (pos == std::string_view::npos) {
      return InvalidArgumentError(
          "Credential should be scoped to a valid region, service and "
          "date: " +
          std::string(credential));
    }
    parts[i] = std::string(rest.substr(pos + 1));
    rest = rest.substr(0, pos);
  }
  parts[0] = std::string(rest);
  if (parts[0].empty() || parts[1].size() != 8 || parts[2].empty() || parts[3].empty() ||
      parts[4] != "aws4_request") {
    return InvalidArgumentError("Credential should be scoped correctly: " +
                                std::string(credential));
  }
  auth.access_key_id = parts[0];
  auth.scope_date = parts[1];
  auth.region = parts[2];
  auth.service = parts[3];
  return OkStatus();
}

}  // namespace

Result<SigV4Auth> ParseSigV4(const HttpRequest& request) {
  SigV4Auth auth;
  std::string_view header = request.Header("authorization");
  if (!header.empty()) {
    constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
    if (header.substr(0, kAlgorithm.size()) != kAlgorithm) {
      return InvalidArgumentError(
          "Unsupported Authorization header; only AWS4-HMAC-SHA256 is "
          "accepted");
    }
    std::string_view rest = header.substr(kAlgorithm.size());
    bool have_credential = false;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view item = Trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      size_t eq = item.find('=');
      if (eq == std::string_view::npos) {
        continue;
      }
      std::string_view key = item.substr(0, eq);
      std::string_view value = item.substr(eq + 1);
      if (key == "Credential") {
        RETURN_IF_ERROR(ParseCredential(value, auth));
        have_credential = true;
      } else if (key == "SignedHeaders") {
        auth.signed_headers = std::string(value);
      } else if (key == "Signature") {
        auth.signature = std::string(value);
      }
    }
    if (!have_credential || auth.signed_headers.empty() || auth.signature.empty()) {
      return InvalidArgumentError(
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
    }
    auth.amz_date = std::string(request.Header("x-amz-date"));
    auth.session_token = std::string(request.Header("x-amz-security-token"));
    return auth;
  }
  bool have_credential = false;
  for (const auto& [key, value] : ParseFormEncoded(request.Query())) {
    if (key == "X-Amz-Credential") {
      RETURN_IF_ERROR(ParseCredential(value, auth));
      have_credential = true;
    } else if (key == "X-Amz-Signature") {
      auth.signature = value;
    } else if (key == "X-Amz-SignedHeaders") {
      auth.signed_headers = value;
    } else if (key == "X-Amz-Date") {
      auth.amz_date = value;
    } else if (key == "X-Amz-Security-Token") {
      auth.session_token = value;
    } else if (key == "X-Amz-Expires") {
      try {
        auth.expires_seconds = std::stoll(value);
      } catch (const std::exception&) {
        return InvalidArgumentError("X-Amz-Expires must be a number of seconds");
      }
    }
  }
  if (!have_credential) {
    // S3's presigned query of the older form (signature version 2) names no scope: it is
    // S3's, and region-less (the one default region serves it).
    for (const auto& [key, value] : ParseFormEncoded(request.Query())) {
      if (key == "AWSAccessKeyId") {
        auth.access_key_id = value;
      } else if (key == "Signature") {
        auth.signature = value;
      } else if (key == "x-amz-security-token") {
        auth.session_token = value;
      }
    }
    if (!auth.access_key_id.empty()) {
      auth.presigned = true;
      auth.s3_query_v2 = true;
      auth.service = "s3";
      auth.region = kS3QueryV2Region;
      return auth;
    }
    return NotFoundError("Request is missing Authentication Token");
  }
  if (auth.signature.empty() || auth.signed_headers.empty()) {
    return InvalidArgumentError(
        "A presigned request requires X-Amz-Signature and X-Amz-SignedHeaders");
  }
  auth.presigned = true;
  return auth;
}

std::optional<std::chrono::system_clock::time_point> ParseAmzDate(const std::string& text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
    return std::nullopt;
  }
  std::tm tm{};
  auto number = [&text](size_t pos, size_t len, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return false;
      }
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!number(0, 4, year) || !number(4, 2, month) || !number(6, 2, day) || !number(9, 2, hour) ||
      !number(11, 2, minute) || !number(13, 2, second) || month < 1 || month > 12 || day < 1 ||
      day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace cf::cloud
