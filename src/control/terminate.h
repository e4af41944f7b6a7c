#pragma once

// terminate and transient (reference §4.11-§4.12): what scale-down decided, applied to the
// autoscaling groups.
//
// Per group (the backend ASG, then the NFS gateways' ASG when it exists):
//  1. Unhealthy members (HealthStatus Unhealthy): detached (InService or Standby only, batches
//     of 20, ShouldDecrementDesiredCapacity=false so the ASG relaunches) when not protected
//     from scale-in or when EC2 says terminated / does not know it; when protected and stopped,
//     terminated first, then detached.
//  2. The delta, members whose private IP is not in scale-down's `hosts`: terminated when in
//     `to_terminate` (id and IP) or launched more than 30 min ago (never joined); instances
//     already shutting down or terminated are skipped.
//  3. At most 50 terminations per run: DisableApiTermination=false and DisableApiStop=false,
//     then SetInstanceProtection ProtectedFromScaleIn=false (when that fails, none of that
//     batch is terminated), then TerminateInstances.
// Output {"set_to_terminate_instances":[{"instance_id","creation_date"}], "TransientErrors":
// [...incoming and new...] or null, "version":1}.

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"
#include "control/aws_api.h"

namespace cf::control {

struct AsgMember {
  std::string id;
  std::string health;     // "Healthy" / "Unhealthy"
  std::string lifecycle;  // "InService", "Standby", "Terminating", ...
  bool protected_from_scale_in = false;
};

struct Ec2Facts {
  std::string state;  // "running", "stopped", "shutting-down", "terminated"
  std::string private_ip;
  std::chrono::system_clock::time_point launch_time;
  std::string launch_time_text;
};

struct TerminatePlan {
  std::vector<std::string> detach;
  std::vector<std::string> terminate;  // at most 50
};

// Rules 1-3 as a pure function. `ec2` lacks the instances EC2 does not know. `time_scale`
// (control/time_scale.h) multiplies the 30 minutes of rule 2.
TerminatePlan PlanTerminate(const std::vector<AsgMember>& members,
                            const std::map<std::string, Ec2Facts>& ec2,
                            const nlohmann::json& scale_response,
                            std::chrono::system_clock::time_point now, double time_scale = 1.0);

// The terminate function: `scale_response` is scale-down's output; the groups are named by
// ASG_NAME and NFS_ASG_NAME (may be empty). InvalidArgument "incompatible scale response
// version" / "ASG_NAME is not set".
Result<nlohmann::json> Terminate(AwsApi& aws, const nlohmann::json& scale_response,
                                 const std::string& asg_name, const std::string& nfs_asg_name,
                                 std::chrono::system_clock::time_point now,
                                 double time_scale = 1.0);

// The transient function: an error "the following errors were found:\n<errors, one a line>"
// when the input's TransientErrors is non-empty, else OK.
Status Transient(const nlohmann::json& terminate_response);

}  // namespace cf::control
