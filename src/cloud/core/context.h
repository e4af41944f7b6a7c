#pragma once

// What a service is given when it is created: the outside world and the shared state of the
// local cloud. Everything referenced outlives the services.

#include <chrono>
#include <string>

#include "base/clock.h"
#include "cloud/core/credentials.h"
#include "cloud/core/ids.h"
#include "cloud/core/store.h"

namespace cf::cloud {

// How long simulated transitions take (a NAT gateway's pending -> available), already scaled
// by the profile's time-scale factor. Thread-safe.
class LatencyProfile {
 public:
  virtual ~LatencyProfile() = default;
  // The delay named "<service>:<name>" ("ec2:NatGateway"); zero when not configured.
  virtual std::chrono::nanoseconds StateDelay(const std::string& name) const = 0;
  // Real seconds per simulated second (0.1: ten times faster than AWS). Simulated durations
  // (Step Functions Wait states and retry intervals, EventBridge schedules, the autoscaling
  // reconciler, health-check grace periods) last this many times their nominal length.
  virtual double TimeScale() const { return 1.0; }
};

struct ServiceContext {
  Store& store;
  IdGenerator& ids;
  const Clock& clock;
  CredentialStore& credentials;
  const LatencyProfile& latency;
};

}  // namespace cf::cloud
