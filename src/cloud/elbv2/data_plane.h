#pragma once

// The load balancers' data plane: real sockets on loopback addresses. Each listener binds its
// load balancer's address and port (127.0.0.0/8 only) and proxies:
// - HTTP listeners (ALB): HTTP/1.1 with keep-alive on both sides; each request goes through
//   the listener's rules (rules.h) to a forward, fixed-response or redirect action; forwarded
//   requests get X-Forwarded-For/-Proto/-Port and X-Amzn-Trace-Id and go round-robin to the
//   target group's healthy targets (all registered ones when none is healthy: ELB fails open),
//   503 when the group has no target, 502 when the target cannot be reached or answers
//   garbage, 504 when it does not answer within the idle timeout.
// - TCP listeners (NLB): each connection is piped to one target, chosen round-robin as above.
// Health checks run per registered target of every group behind a listener, on the group's
// protocol, path, port, interval, timeout, thresholds and matcher (health.h), with the
// intervals multiplied by the time scale. A deregistered target drains for the group's
// deregistration delay (also scaled): it gets no new requests and is then forgotten.
//
// The control plane (Elbv2Service) hands over the whole desired configuration with Apply();
// the data plane reconciles its sockets and targets to it, keeping the health of targets that
// stay. Thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cloud/elbv2/health.h"
#include "cloud/elbv2/rules.h"

namespace cf::cloud::elbv2 {

struct TargetConfig {
  std::string id;       // as registered: an instance id or an IP address
  uint16_t port = 0;    // the traffic port
  std::string address;  // where to connect; empty when the target cannot be reached (an
                        // instance that is not running): reported unused, never picked
  bool operator==(const TargetConfig&) const = default;
};

struct TargetGroupConfig {
  std::string arn;
  std::string protocol = "HTTP";  // HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP
  HealthCheckSpec health;
  std::vector<TargetConfig> targets;
  std::chrono::milliseconds deregistration_delay{300000};
};

struct ListenerConfig {
  std::string arn;
  std::string address;            // "127.240.0.5"
  uint16_t port = 80;             // 0: any free port (tests); see BoundPort
  std::string protocol = "HTTP";  // HTTP / HTTPS served as HTTP; TCP / TLS / UDP as TCP
  std::vector<RuleSpec> rules;    // sorted by priority
  ActionSpec default_action;
};

struct DataPlaneConfig {
  std::vector<ListenerConfig> listeners;
  std::vector<TargetGroupConfig> groups;
};

struct TargetHealthReport {
  std::string id;
  uint16_t port = 0;
  uint16_t health_check_port = 0;
  HealthView health;
};

struct DataPlaneOptions {
  int threads = 1;
  // Multiplies health-check intervals and timeouts and deregistration delays; read at each
  // use (the profile may change). Null: 1.
  std::function<double()> time_scale;
  // How long a client or target connection may stay silent (ALB's idle timeout).
  std::chrono::milliseconds idle_timeout{60000};
  uint64_t max_body_bytes = 64 * 1024 * 1024;
};

class DataPlane {
 public:
  explicit DataPlane(DataPlaneOptions options);
  ~DataPlane();  // Stops.
  DataPlane(const DataPlane&) = delete;
  DataPlane& operator=(const DataPlane&) = delete;

  // Reconciles to `config`. Listeners whose address, port or protocol changed are rebound;
  // rules and actions take effect for the next request. Returns, by listener ARN, why a
  // listener could not bind (address not loopback, port taken, a port below 1024 without
  // privilege); the other listeners serve.
  std::map<std::string, std::string> Apply(const DataPlaneConfig& config);

  // The group's targets (draining ones included) with their health; empty for an unknown
  // group.
  std::vector<TargetHealthReport> Health(const std::string& group_arn) const;

  // The port a listener actually bound (its configured port, or the one picked for 0); 0
  // when it is not serving.
  uint16_t BoundPort(const std::string& listener_arn) const;

  // Closes every socket and joins the threads. Idempotent.
  void Stop();

  // The sockets, sessions and probes (data_plane.cc).
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cf::cloud::elbv2
