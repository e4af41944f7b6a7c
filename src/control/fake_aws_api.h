#pragma once

// A scripted AwsApi for the control plane's tests: answers per "service.Operation" from
// handlers the test installs, records every call in order. Unknown operations answer
// UnknownOperationException. Thread-safe.

#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "control/aws_api.h"

namespace cf::control {

class FakeAwsApi : public AwsApi {
 public:
  using Handler = std::function<AwsCallResult(const nlohmann::json& params)>;
  struct Call {
    std::string op;  // "ec2.TerminateInstances"
    nlohmann::json params;
  };

  void On(const std::string& op, Handler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handlers_[op] = std::move(handler);
  }
  void OnOutput(const std::string& op, nlohmann::json output) {
    On(op, [output](const nlohmann::json&) { return AwsCallResult{output, std::nullopt}; });
  }
  void OnError(const std::string& op, std::string code, std::string message = "") {
    On(op, [code, message](const nlohmann::json&) {
      return AwsCallResult{nlohmann::json::object(), AwsCallError{code, message}};
    });
  }
  Result<AwsCallResult> Invoke(std::string_view service, std::string_view operation,
                               const nlohmann::json& params) override {
    std::string op = std::string(service) + "." + std::string(operation);
    Handler h;
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back({op, params});
      auto it = handlers_.find(op);
      if (it == handlers_.end()) {
        return AwsCallResult{nlohmann::json::object(),
                             AwsCallError{"UnknownOperationException", op}};
      }
      h = it->second;
    }
    return h(params);
  }
  std::vector<Call> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  // The calls to one operation, in order.
  std::vector<nlohmann::json> CallsTo(const std::string& op) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<nlohmann::json> out;
    for (const Call& c : calls_) {
      if (c.op == op) {
        out.push_back(c.params);
      }
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, Handler> handlers_;  // guarded by mu_
  std::vector<Call> calls_;                  // guarded by mu_
};

}  // namespace cf::control
