#include "cloud/faults.h"

#include <fmt/core.h>

namespace cf::cloud {

namespace {

Status CheckKeys(const Json& object, std::initializer_list<const char*> allowed,
                 const std::string& where) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* name : allowed) {
      known = known || key == name;
    }
    if (!known) {
      return InvalidArgumentError(fmt::format("{}: unknown member \"{}\"", where, key));
    }
  }
  return OkStatus();
}

Result<double> Number(const Json& object, const char* key, const std::string& where, double min,
                      double max) {
  if (!object.contains(key)) {
    return 0.0;
  }
  const Json& v = object.at(key);
  if (!v.is_number()) {
    return InvalidArgumentError(fmt::format("{}.{}: expected a number", where, key));
  }
  double d = v.get<double>();
  if (d < min || d > max) {
    return InvalidArgumentError(
        fmt::format("{}.{}: {} is outside [{}, {}]", where, key, d, min, max));
  }
  return d;
}

}  // namespace

Result<FaultProfile> FaultProfile::FromJson(const Json& json) {
  if (!json.is_object()) {
    return InvalidArgumentError("faults: expected an object");
  }
  RETURN_IF_ERROR(CheckKeys(json, {"seed", "time_scale", "rules", "state_delays_ms"}, "faults"));
  FaultProfile profile;
  if (json.contains("seed")) {
    if (!json["seed"].is_number_unsigned()) {
      return InvalidArgumentError("faults.seed: expected a non-negative integer");
    }
    profile.seed = json["seed"].get<uint64_t>();
  }
  if (json.contains("time_scale")) {
    ASSIGN_OR_RETURN(profile.time_scale, Number(json, "time_scale", "faults", 0, 1e6));
  }
  if (json.contains("rules")) {
    if (!json["rules"].is_array()) {
      return InvalidArgumentError("faults.rules: expected a list");
    }
    for (size_t i = 0; i < json["rules"].size(); ++i) {
      const Json& r = json["rules"][i];
      std::string where = fmt::format("faults.rules[{}]", i);
      if (!r.is_object()) {
        return InvalidArgumentError(where + ": expected an object");
      }
      RETURN_IF_ERROR(CheckKeys(r,
                                {"service", "operation", "latency_ms", "throttle_rate",
                                 "error_500_rate", "error_503_rate", "drop_rate"},
                                where));
      FaultRule rule;
      for (auto [key, field] :
           {std::pair{"service", &rule.service}, std::pair{"operation", &rule.operation}}) {
        if (r.contains(key)) {
          if (!r[key].is_string()) {
            return InvalidArgumentError(fmt::format("{}.{}: expected a string", where, key));
          }
          *field = r[key].get<std::string>();
        }
      }
      ASSIGN_OR_RETURN(rule.latency_ms, Number(r, "latency_ms", where, 0, 3.6e6));
      ASSIGN_OR_RETURN(rule.throttle_rate, Number(r, "throttle_rate", where, 0, 1));
      ASSIGN_OR_RETURN(rule.error_500_rate, Number(r, "error_500_rate", where, 0, 1));
      ASSIGN_OR_RETURN(rule.error_503_rate, Number(r, "error_503_rate", where, 0, 1));
      ASSIGN_OR_RETURN(rule.drop_rate, Number(r, "drop_rate", where, 0, 1));
      if (rule.throttle_rate + rule.error_500_rate + rule.error_503_rate + rule.drop_rate >
          1.0 + 1e-9) {
        return InvalidArgumentError(where + ": the rates add up to more than 1");
      }
      profile.rules.push_back(std::move(rule));
    }
  }
  if (json.contains("state_delays_ms")) {
    const Json& d = json["state_delays_ms"];
    if (!d.is_object()) {
      return InvalidArgumentError("faults.state_delays_ms: expected an object");
    }
    for (const auto& [name, value] : d.items()) {
      if (!value.is_number() || value.get<double>() < 0) {
        return InvalidArgumentError(
            fmt::format("faults.state_delays_ms.{}: expected a non-negative number", name));
      }
      profile.state_delays_ms[name] = value.get<double>();
    }
  }
  return profile;
}

Json FaultProfile::ToJson() const {
  Json json = Json::object();
  if (seed) {
    json["seed"] = *seed;
  }
  json["time_scale"] = time_scale;
  json["rules"] = Json::array();
  for (const FaultRule& r : rules) {
    json["rules"].push_back({{"service", r.service},
                             {"operation", r.operation},
                             {"latency_ms", r.latency_ms},
                             {"throttle_rate", r.throttle_rate},
                             {"error_500_rate", r.error_500_rate},
                             {"error_503_rate", r.error_503_rate},
                             {"drop_rate", r.drop_rate}});
  }
  json["state_delays_ms"] = Json::object();
  for (const auto& [name, ms] : state_delays_ms) {
    json["state_delays_ms"][name] = ms;
  }
  return json;
}

void FaultInjector::SetProfile(FaultProfile profile) {
  std::lock_guard<std::mutex> lock(mu_);
  if (profile.seed) {
    random_.Reseed(*profile.seed);
  }
  profile_ = std::move(profile);
}

FaultProfile FaultInjector::profile() const {
  std::lock_guard<std::mutex> lock(mu_);
  return profile_;
}

FaultDecision FaultInjector::Decide(const std::string& service, const std::string& operation) {
  std::lock_guard<std::mutex> lock(mu_);
  FaultDecision decision;
  for (const FaultRule& rule : profile_.rules) {
    if ((rule.service != "*" && rule.service != service) ||
        (rule.operation != "*" && rule.operation != operation)) {
      continue;
    }
    decision.delay =
        std::chrono::nanoseconds(static_cast<int64_t>(rule.latency_ms * profile_.time_scale * 1e6));
    double total = rule.throttle_rate + rule.error_500_rate + rule.error_503_rate + rule.drop_rate;
    if (total <= 0) {
      return decision;
    }
    double u = random_.Uniform();
    if (u < rule.throttle_rate) {
      decision.kind = FaultKind::kThrottle;
    } else if (u < rule.throttle_rate + rule.error_500_rate) {
      decision.kind = FaultKind::kInternalError;
    } else if (u < rule.throttle_rate + rule.error_500_rate + rule.error_503_rate) {
      decision.kind = FaultKind::kUnavailable;
    } else if (u < total) {
      decision.kind = FaultKind::kDropConnection;
    }
    return decision;
  }
  return decision;
}

std::chrono::nanoseconds FaultInjector::StateDelay(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = profile_.state_delays_ms.find(name);
  if (it == profile_.state_delays_ms.end()) {
    return std::chrono::nanoseconds(0);
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(it->second * profile_.time_scale * 1e6));
}

double FaultInjector::TimeScale() const {
  std::lock_guard<std::mutex> lock(mu_);
  return profile_.time_scale;
}

}  // namespace cf::cloud
