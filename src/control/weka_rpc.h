#pragma once

// WEKA's JSON-RPC 2.0 management API on the backends (http://IP:14000/api/v1; the contract
// with the simulator, /work/briefs/weka-contract.md §1): a pool over the cluster's backend
// IPs that logs in with user_login, carries the bearer token, and moves on to the next IP when
// one does not answer (connection refused or timed out, "Method not found", login failure),
// as go-cloud-lib's jrpc.Pool does.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/transport.h"
#include "base/status.h"

namespace cf::control {

// One call; tests implement it with canned answers.
class WekaRpc {
 public:
  virtual ~WekaRpc() = default;
  // The `result` member of the answer. A JSON-RPC error answer is InvalidArgument
  // "METHOD: MESSAGE (code N)" (WEKA's refusals: protection, capacity); no backend answering
  // is Unavailable.
  virtual Result<nlohmann::json> Call(const std::string& method, const nlohmann::json& params) = 0;
  // Stops using `ip` (a machine just deactivated).
  virtual void Drop(const std::string& ip) = 0;
};

struct WekaRpcOptions {
  int port = 14000;
  // The local cloud: refuse any address outside 127.0.0.0/8 rather than send to it.
  bool loopback_only = true;
};

// Not thread-safe (one function invocation uses one pool). The transport must outlive it.
class JsonRpcPool : public WekaRpc {
 public:
  // `ips` in the order to try them (callers shuffle).
  JsonRpcPool(aws::HttpTransport& transport, std::vector<std::string> ips, std::string username,
              std::string password, WekaRpcOptions options = {});

  Result<nlohmann::json> Call(const std::string& method, const nlohmann::json& params) override;
  void Drop(const std::string& ip) override;

  // The IP currently in use ("" before the first call).
  const std::string& active() const { return active_; }

 private:
  // One request to `ip`; Unavailable for "try the next IP" failures.
  Result<nlohmann::json> Send(const std::string& ip, const std::string& method,
                              const nlohmann::json& params, const std::string& token);
  Status Login(const std::string& ip);

  aws::HttpTransport& transport_;
  std::vector<std::string> ips_;
  const std::string username_;
  const std::string password_;
  const WekaRpcOptions options_;
  std::string active_;
  std::string token_;
  int next_id_ = 1;
};

// True for an IPv4 address in 127.0.0.0/8.
bool IsLoopbackAddress(const std::string& ip);

}  // namespace cf::control
