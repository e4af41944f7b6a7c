#pragma once

// Latency profile and fault injection for the local cloud (docs/local-cloud.md, "Faults and
// latency"). A profile is JSON:
//   {"seed": 7, "time_scale": 0.1,
//    "rules": [{"service": "ec2", "operation": "CreateVpc", "latency_ms": 200,
//               "throttle_rate": 0.1, "error_500_rate": 0, "error_503_rate": 0,
//               "drop_rate": 0}],
//    "state_delays_ms": {"ec2:NatGateway": 60000}}
// For each request the first rule whose service and operation match ("*" matches any) applies:
// one uniform draw u in [0, 1) picks throttling when u < throttle_rate, else a 500 when
// u < throttle_rate + error_500_rate, else a 503, else a dropped connection, in that order of
// accumulated rates; the response (or the drop) is held back latency_ms * time_scale.

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cloud/core/context.h"
#include "cloud/core/random.h"

namespace cf::cloud {

using Json = nlohmann::json;

struct FaultRule {
  std::string service = "*";
  std::string operation = "*";
  double latency_ms = 0;
  double throttle_rate = 0;
  double error_500_rate = 0;
  double error_503_rate = 0;
  double drop_rate = 0;
};

struct FaultProfile {
  std::optional<uint64_t> seed;
  double time_scale = 1.0;
  std::vector<FaultRule> rules;
  std::map<std::string, double> state_delays_ms;

  // InvalidArgument naming the bad member (unknown keys, rates outside [0, 1], rates summing
  // above 1, negative latencies or time scale).
  static Result<FaultProfile> FromJson(const Json& json);
  Json ToJson() const;
};

enum class FaultKind { kNone, kThrottle, kInternalError, kUnavailable, kDropConnection };

struct FaultDecision {
  FaultKind kind = FaultKind::kNone;
  std::chrono::nanoseconds delay{0};
};

// Thread-safe.
class FaultInjector : public LatencyProfile {
 public:
  // `random` is used for every draw; a profile with a seed reseeds it.
  explicit FaultInjector(SeededRandom& random) : random_(random) {}

  void SetProfile(FaultProfile profile);
  FaultProfile profile() const;

  FaultDecision Decide(const std::string& service, const std::string& operation);
  std::chrono::nanoseconds StateDelay(const std::string& name) const override;
  double TimeScale() const override;

 private:
  SeededRandom& random_;
  mutable std::mutex mu_;
  FaultProfile profile_;  // guarded by mu_
};

}  // namespace cf::cloud
