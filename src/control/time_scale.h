#pragma once

// The control plane's time scale. On the local cloud, whose clock runs faster than the wall
// clock by its latency profile's `time_scale` (docs/local-cloud.md), the Lambda service puts
// CLUSTERFORM_TIME_SCALE=<scale> in every function's environment; on AWS it is absent. Every
// duration the functions compare against elapsed wall time (scale-down's grace periods,
// terminate's "never joined" age, the lock's lease) is multiplied by it, so that "down for
// 120 minutes" means 120 simulated minutes: 72 wall seconds at scale 0.01.

#include <chrono>
#include <map>
#include <string>

namespace cf::control {

inline constexpr char kTimeScaleVariable[] = "CLUSTERFORM_TIME_SCALE";

// The scale CLUSTERFORM_TIME_SCALE gives: a positive finite number, else 1.0 (absent, empty,
// not a number, zero or negative: AWS's own clock).
double TimeScaleFromEnvironment(const std::map<std::string, std::string>& env);

// `d` multiplied by `scale`, in nanoseconds.
std::chrono::nanoseconds Scaled(std::chrono::nanoseconds d, double scale);

}  // namespace cf::control
