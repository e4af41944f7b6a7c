#pragma once

// What a load balancer needs from Auto Scaling, without knowing its API: the groups attached
// to a target group and their instances with private addresses; and the hook through which
// target health reaches groups whose HealthCheckType is "ELB".
//
// Groups live in the Store under "autoscaling/group", key "REGION/NAME", in the
// AutoScalingGroup shape of the model (TargetGroupARNs, Instances [{InstanceId,
// AvailabilityZone, LifecycleState, HealthStatus, ProtectedFromScaleIn, ...}]) plus internal
// "_..." members.

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cloud/core/store.h"

namespace cf::cloud::autoscaling {

inline constexpr char kGroupNamespace[] = "autoscaling/group";
inline constexpr char kActivityNamespace[] = "autoscaling/activity";

struct GroupMember {
  std::string instance_id;
  std::string private_ip;  // "" when EC2 no longer knows the instance
  std::string availability_zone;
  std::string lifecycle_state;  // "Pending", "InService", "Terminating", ...
  std::string health_status;    // "Healthy" or "Unhealthy"
};

struct GroupTargets {
  std::string group_name;
  std::vector<std::string> target_group_arns;
  std::vector<GroupMember> members;  // every instance of the group, in id order
};

// The group `name` of `region`, or nullopt when there is none.
Result<std::optional<GroupTargets>> GroupTargetsOf(Store& store, const std::string& region,
                                                   const std::string& name);

// The groups of `region` whose TargetGroupARNs contain `target_group_arn`, by name.
Result<std::vector<GroupTargets>> GroupsForTargetGroup(Store& store, const std::string& region,
                                                       const std::string& target_group_arn);

// Target health as a load balancer sees it. Implemented by the ELBv2 service; the
// autoscaling service consults it for groups with HealthCheckType "ELB". Thread-safe.
class TargetHealthSource {
 public:
  virtual ~TargetHealthSource() = default;
  // false when the instance is an unhealthy target of `target_group_arn`; nullopt when the
  // load balancer has no verdict (not registered, checks not run yet).
  virtual std::optional<bool> Healthy(const std::string& region,
                                      const std::string& target_group_arn,
                                      const std::string& instance_id) = 0;
};

}  // namespace cf::cloud::autoscaling
