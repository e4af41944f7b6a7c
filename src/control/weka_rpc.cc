#include "control/weka_rpc.h"

#include <arpa/inet.h>
#include <fmt/core.h>

#include <algorithm>

namespace cf::control {

using nlohmann::json;

bool IsLoopbackAddress(const std::string& ip) {
  in_addr addr{};
  if (inet_pton(AF_INET, ip.c_str(), &addr) != 1) {
    return false;
  }
  return (ntohl(addr.s_addr) >> 24) == 127;
}

JsonRpcPool::JsonRpcPool(aws::HttpTransport& transport, std::vector<std::string> ips,
                         std::string username, std::string password, WekaRpcOptions options)
    : transport_(transport),
      ips_(std::move(ips)),
      username_(std::move(username)),
      password_(std::move(password)),
      options_(options) {}

void JsonRpcPool::Drop(const std::string& ip) {
  ips_.erase(std::remove(ips_.begin(), ips_.end(), ip), ips_.end());
  if (active_ == ip) {
    active_.clear();
    token_.clear();
  }
}

Result<json> JsonRpcPool::Send(const std::string& ip, const std::string& method, const json& params,
                               const std::string& token) {
  if (options_.loopback_only && !IsLoopbackAddress(ip)) {
    return PermissionDeniedError(
        fmt::format("refusing to send JSON-RPC to {}: only 127.0.0.0/8 on the local cloud", ip));
  }
  aws::HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1";
  request.headers.push_back({"Content-Type", "application/json"});
  if (!token.empty()) {
    request.headers.push_back({"Authorization", "Bearer " + token});
  }
  request.body =
      json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", next_id_++}}.dump();
  Result<aws::HttpResponse> response =
      transport_.Send(fmt::format("http://{}:{}", ip, options_.port), request);
  if (!response.ok()) {
    return UnavailableError(fmt::format("{}: {}", ip, response.status().message()));
  }
  json body = json::parse(response->body, nullptr, false);
  if (response->status == 401 || response->status == 403) {
    return PermissionDeniedError(fmt::format("{}: {}: HTTP {}", ip, method, response->status));
  }
  if (body.is_discarded() || !body.is_object()) {
    return UnavailableError(
        fmt::format("{}: {}: HTTP {} with no JSON-RPC answer", ip, method, response->status));
  }
  if (body.contains("error") && !body["error"].is_null()) {
    int code = body["error"].value("code", 0);
    std::string message = body["error"].value("message", "");
    if (code == -32601) {
      return UnavailableError(fmt::format("{}: {}: Method not found", ip, method));
    }
    return InvalidArgumentError(fmt::format("{}: {} (code {})", method, message, code));
  }
  return body.contains("result") ? body["result"] : json(nullptr);
}

Status JsonRpcPool::Login(const std::string& ip) {
  Result<json> r = Send(ip, "user_login", {{"username", username_}, {"password", password_}}, "");
  if (!r.ok()) {
    return UnavailableError("tokenSource failed to acquire token: " + r.status().message());
  }
  if (!r->is_object() || !r->contains("access_token")) {
    return UnavailableError(
        fmt::format("tokenSource failed to acquire token: {} gave no access_token", ip));
  }
  token_ = (*r)["access_token"].get<std::string>();
  return OkStatus();
}

Result<json> JsonRpcPool::Call(const std::string& method, const json& params) {
  std::string last_error = "no backend IPs";
  while (true) {
    if (active_.empty()) {
      if (ips_.empty()) {
        return UnavailableError(
            fmt::format("{}: no backend answered JSON-RPC ({})", method, last_error));
      }
      active_ = ips_.front();
      token_.clear();
    }
    Status login = token_.empty() ? Login(active_) : OkStatus();
    Result<json> r = json(nullptr);
    if (!login.ok()) {
      r = login;
    } else {
      r = Send(active_, method, params, token_);
      if (r.status().code() == StatusCode::kPermissionDenied &&
          r.status().message().find("HTTP 401") != std::string::npos) {
        // The token expired: log in again once on the same IP.
        token_.clear();
        Status again = Login(active_);
        r = again.ok() ? Send(active_, method, params, token_) : Result<json>(again);
      }
    }
    // An answer, or WEKA's own refusal, ends the call; anything else moves to the next IP.
    if (r.ok() || r.status().code() == StatusCode::kInvalidArgument) {
      return r;
    }
    last_error = r.status().message();
    Drop(active_);
  }
}

}  // namespace cf::control
