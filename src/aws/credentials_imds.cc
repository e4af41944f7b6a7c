#include "aws/credentials_imds.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace cf::aws {

namespace {

constexpr char kTokenPath[] = "/latest/api/token";
constexpr char kRolesPath[] = "/latest/meta-data/iam/security-credentials/";

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  std::string s(text);
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) {
    return std::nullopt;
  }
  if (*end == '.') {
    ++end;
    while (*end >= '0' && *end <= '9') {
      ++end;
    }
  }
  if (*end != 'Z' && std::string_view(end) != "+00:00") {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

ImdsOptions ImdsOptionsFromEnvironment(const Environment& env) {
  ImdsOptions options;
  std::optional<std::string> endpoint = env.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (endpoint && !endpoint->empty()) {
    while (!endpoint->empty() && endpoint->back() == '/') {
      endpoint->pop_back();
    }
    options.endpoint = *endpoint;
  }
  return options;
}

ImdsClient::ImdsClient(HttpTransport& transport, const Clock& clock, ImdsOptions options)
    : transport_(transport), clock_(clock), options_(std::move(options)) {}

Result<std::string> ImdsClient::Token(bool force_new) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!force_new && !token_.empty() && clock_.Monotonic() < token_expires_) {
    return token_;
  }
  HttpRequest request;
  request.method = "PUT";
  request.path = kTokenPath;
  request.headers.push_back(
      {"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl.count())});
  ASSIGN_OR_RETURN(HttpResponse response, transport_.Send(options_.endpoint, request));
  if (response.status != 200 || response.body.empty()) {
    return UnavailableError("IMDS refused a session token (HTTP " +
                            std::to_string(response.status) + ")");
  }
  token_ = response.body;
  token_expires_ = clock_.Monotonic() + options_.token_ttl - std::chrono::seconds(60);
  return token_;
}

Result<std::string> ImdsClient::Get(const std::string& path) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    ASSIGN_OR_RETURN(std::string token, Token(/*force_new=*/attempt > 0));
    HttpRequest request;
    request.method = "GET";
    request.path = path;
    request.headers.push_back({"X-aws-ec2-metadata-token", token});
    ASSIGN_OR_RETURN(HttpResponse response, transport_.Send(options_.endpoint, request));
    if (response.status == 200) {
      return response.body;
    }
    if (response.status == 404) {
      return NotFoundError("IMDS has nothing at " + path);
    }
    if (response.status != 401) {
      return UnavailableError("IMDS answered HTTP " + std::to_string(response.status) + " for " +
                              path);
    }
  }
  return UnavailableError("IMDS keeps refusing its own session token");
}

Result<std::string> ImdsClient::Region() {
  return Get("/latest/meta-data/placement/region");
}

Result<Credentials> ImdsCredentialsProvider::Fetch() {
  Result<std::string> roles = imds_.Get(kRolesPath);
  if (!roles.ok()) {
    if (roles.status().code() == StatusCode::kNotFound) {
      return NotFoundError("the instance has no IAM role (IMDS)");
    }
    return roles.status();
  }
  std::string role = roles->substr(0, roles->find('\n'));
  if (role.empty()) {
    return NotFoundError("the instance has no IAM role (IMDS)");
  }
  ASSIGN_OR_RETURN(std::string body, imds_.Get(kRolesPath + role));
  Credentials c;
  try {
    nlohmann::json j = nlohmann::json::parse(body);
    if (j.value("Code", "Success") != "Success") {
      return UnavailableError("IMDS credentials for role " + role + ": " + j.value("Code", "") +
                              " " + j.value("Message", ""));
    }
    c.access_key_id = j.at("AccessKeyId").get<std::string>();
    c.secret_access_key = j.at("SecretAccessKey").get<std::string>();
    c.session_token = j.value("Token", "");
    if (j.contains("Expiration")) {
      c.expiration = ParseRfc3339(j["Expiration"].get<std::string>());
      if (!c.expiration) {
        return UnavailableError("IMDS credentials carry a bad Expiration");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return UnavailableError(std::string("IMDS credentials do not parse: ") + e.what());
  }
  c.source = "imds role " + role;
  return c;
}

Result<Credentials> ImdsCredentialsProvider::GetCredentials() {
  std::lock_guard<std::mutex> lock(mu_);
  const auto now = clock_.Now();
  if (cached_ && (!cached_->expiration || *cached_->expiration - std::chrono::minutes(5) > now)) {
    return *cached_;
  }
  Result<Credentials> fresh = Fetch();
  if (fresh.ok()) {
    cached_ = *fresh;
    return fresh;
  }
  // Still-valid credentials beat a hiccup of the metadata service.
  if (cached_ && cached_->expiration && *cached_->expiration > now) {
    return *cached_;
  }
  if (!cached_ && fresh.status().code() == StatusCode::kUnavailable) {
    return NotFoundError("no instance metadata service (" + fresh.status().message() + ")");
  }
  return fresh.status();
}

}  // namespace cf::aws
