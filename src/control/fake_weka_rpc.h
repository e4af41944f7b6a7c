#pragma once

// A WekaRpc with canned answers per method, for the control plane's tests: records every
// call (method, params) and every dropped IP; a method can be made to fail. Unknown methods
// answer Unavailable "Method not found", as a pool that found no backend would. `on_call`, when
// set, runs before each answer and may change `answers` (a cluster that reacts to a call).

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "control/weka_rpc.h"

namespace cf::control {

class FakeWekaRpc : public WekaRpc {
 public:
  std::map<std::string, nlohmann::json> answers;
  std::map<std::string, Status> failures;
  std::vector<std::pair<std::string, nlohmann::json>> calls;
  std::vector<std::string> dropped;
  std::function<void(FakeWekaRpc&, const std::string& method, const nlohmann::json& params)>
      on_call;

  Result<nlohmann::json> Call(const std::string& method, const nlohmann::json& params) override {
    calls.push_back({method, params});
    if (on_call) {
      on_call(*this, method, params);
    }
    auto f = failures.find(method);
    if (f != failures.end()) {
      return f->second;
    }
    auto a = answers.find(method);
    if (a == answers.end()) {
      return UnavailableError(method + ": Method not found");
    }
    return a->second;
  }
  void Drop(const std::string& ip) override { dropped.push_back(ip); }

  std::vector<nlohmann::json> CallsTo(const std::string& method) const {
    std::vector<nlohmann::json> out;
    for (const auto& [m, p] : calls) {
      if (m == method) {
        out.push_back(p);
      }
    }
    return out;
  }
};

}  // namespace cf::control
