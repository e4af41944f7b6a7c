#pragma once

// Target health as ELBv2 reports it, and the pure state machine that turns health-check
// results into it. No I/O here: the data plane (data_plane.h) runs the probes and feeds their
// outcomes to a HealthTracker per target.
//
// States and reasons follow DescribeTargetHealth:
//   initial   (Elb.RegistrationInProgress before the first probe, then Elb.InitialHealthChecking)
//   healthy
//   unhealthy (Target.ResponseCodeMismatch, Target.Timeout, Target.FailedHealthChecks)
//   unused    (Target.NotInUse: the group is behind no listener)
//   draining  (Target.DeregistrationInProgress)
//   unavailable (Target.HealthCheckDisabled)
// A target leaves initial for healthy after `healthy_threshold` consecutive successes and for
// unhealthy after `unhealthy_threshold` consecutive failures; healthy and unhealthy flip after
// the same counts of the opposite result.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cf::cloud::elbv2 {

enum class TargetState { kInitial, kHealthy, kUnhealthy, kUnused, kDraining, kUnavailable };

// "initial", "healthy", ... as the model's TargetHealthStateEnum spells them.
std::string_view TargetStateName(TargetState state);

// A target group's health-check settings (the TargetGroup members of the same names).
struct HealthCheckSpec {
  bool enabled = true;
  std::string protocol = "HTTP";  // HTTP, HTTPS or TCP
  std::string path = "/";         // HTTP(S) only
  std::optional<uint16_t> port;   // nullopt: the target's traffic port
  std::chrono::milliseconds interval{30000};
  std::chrono::milliseconds timeout{5000};
  int healthy_threshold = 5;
  int unhealthy_threshold = 2;
  std::string matcher = "200";  // HttpCode: "200", "200,302", "200-299"

  bool operator==(const HealthCheckSpec&) const = default;
};

// A parsed HttpCode matcher: a list of codes and inclusive ranges.
class HttpCodeMatcher {
 public:
  // nullopt when `text` is not a list of 3-digit codes or ranges ("200", "200,202",
  // "200-299") within 200..499 (ALB's limits for HTTP health checks).
  static std::optional<HttpCodeMatcher> Parse(std::string_view text);
  bool Matches(int status) const;

 private:
  std::vector<std::pair<int, int>> ranges_;
};

// How one probe ended.
enum class ProbeOutcome { kSuccess, kTimeout, kCodeMismatch, kConnectFailed };

struct HealthView {
  TargetState state = TargetState::kInitial;
  std::string reason;       // "" for healthy; else the model's TargetHealthReasonEnum value
  std::string description;  // human text, as ELB gives it
};

// The health of one registered target. Not thread-safe: the data plane guards it.
class HealthTracker {
 public:
  HealthTracker() = default;
  // Feeds one probe's outcome; `status` is the HTTP status for kCodeMismatch.
  void Record(ProbeOutcome outcome, const HealthCheckSpec& spec, int status = 0);
  // The state when health checks run (the group is in use, checks enabled, not draining).
  const HealthView& view() const { return view_; }
  bool probed() const { return probed_; }

 private:
  HealthView view_{TargetState::kInitial, "Elb.RegistrationInProgress",
                   "Target registration is in progress"};
  bool probed_ = false;
  int successes_ = 0;  // consecutive
  int failures_ = 0;   // consecutive
};

}  // namespace cf::cloud::elbv2
