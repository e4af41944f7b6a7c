#pragma once

// Auto Scaling for the local cloud (docs/local-cloud.md, "Auto Scaling"): groups on launch
// templates with min/max/desired capacity, subnets (VPCZoneIdentifier), target groups, health
// check type and grace period, tags (propagated at launch when asked), scale-in protection,
// suspended processes and termination policies; SetDesiredCapacity, Update, Delete
// (ForceDelete), TerminateInstanceInAutoScalingGroup, DetachInstances,
// SetInstanceProtection, Suspend/ResumeProcesses, tags, target group attachments and
// DescribeAutoScalingGroups/Instances/ScalingActivities.
//
// The reconciler makes groups real. Each pass (ReconcileOnce), for every group:
//  1. reads its instances from EC2: gone or terminated ones leave the group; pending ones
//     that EC2 reports running become InService; an InService instance whose EC2 state is
//     not running, whose status check is impaired, or (HealthCheckType ELB) that a target
//     group reports unhealthy, is marked Unhealthy once HealthCheckGracePeriod has passed
//     since its launch (unless HealthCheck is suspended);
//  2. terminates Unhealthy instances (ReplaceUnhealthy), even protected ones, as AWS does;
//  3. launches instances up to DesiredCapacity (Launch), balanced across the subnets' zones,
//     tagged aws:autoscaling:groupName plus the group's PropagateAtLaunch tags, protected
//     from scale-in when NewInstancesProtectedFromScaleIn;
//  4. terminates surplus instances (Terminate) that are not protected from scale-in: the
//     zone with most instances first, then the oldest.
// Every launch and termination is a scaling activity (Successful, or Failed with EC2's
// error message); after a failed launch the group waits 10 simulated seconds before the next
// try. Suspended processes are skipped. A background thread runs a pass every
// latency-profile "autoscaling:ReconcileInterval" (default 2 simulated seconds, 0.25 while
// instances are pending or terminating) on the server's clock; tests
// call ReconcileOnce themselves.
//
// EC2 is reached through its Service (in-process calls, signed as the account's
// AWSServiceRoleForAutoScaling service-linked role).

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cloud/autoscaling/group_members.h"
#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"

namespace cf::cloud::autoscaling {

class AutoScalingService : public TableService<AutoScalingService> {
 public:
  // `ec2` must outlive the service.
  AutoScalingService(const ServiceContext& context, Service& ec2)
      : TableService(context.store, Operations()), context_(context), ec2_(ec2) {}
  ~AutoScalingService() override;

  std::string name() const override { return "autoscaling"; }

  // One reconciler pass over every group of every region. Thread-safe (serialized with the
  // mutating API calls).
  void ReconcileOnce();
  // Starts the background reconciler (idempotent); stopped by the destructor.
  void StartReconciler();
  void StopReconciler();
  // Where ELB health comes from (null: EC2 checks only). Set before serving.
  void SetTargetHealthSource(TargetHealthSource* source) { target_health_ = source; }

 private:
  // Handlers that call EC2 (or record activities, which the reconciler writes outside any
  // call) commit what they read first: EC2 uses the store itself.
  static const OperationTable<AutoScalingService>& Operations();

  ServiceResult CreateAutoScalingGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateAutoScalingGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteAutoScalingGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeAutoScalingGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeAutoScalingInstances(const ServiceCall& call, CallTxn& txn);
  ServiceResult SetDesiredCapacity(const ServiceCall& call, CallTxn& txn);
  ServiceResult TerminateInstanceInAutoScalingGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DetachInstances(const ServiceCall& call, CallTxn& txn);
  ServiceResult SetInstanceProtection(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeScalingActivities(const ServiceCall& call, CallTxn& txn);
  ServiceResult SuspendProcesses(const ServiceCall& call, CallTxn& txn);
  ServiceResult ResumeProcesses(const ServiceCall& call, CallTxn& txn);
  ServiceResult CreateOrUpdateTags(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteTags(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeTags(const ServiceCall& call, CallTxn& txn);
  ServiceResult AttachLoadBalancerTargetGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult DetachLoadBalancerTargetGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeLoadBalancerTargetGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeScalingProcessTypes(const ServiceCall& call, CallTxn& txn);

  // Where a group launches: its subnets and their zones.
  struct Placement {
    Json zones = Json::array();       // AvailabilityZones
    std::string vpc_zone_identifier;  // "subnet-a,subnet-b"
    Json subnets = Json::array();     // [{SubnetId, AvailabilityZone}]
  };
  // The launch template `spec` names, checked with EC2: {LaunchTemplateId,
  // LaunchTemplateName, Version} as DescribeAutoScalingGroups reports it.
  ServiceOr<Json> ResolveTemplate(const std::string& region, const std::string& account,
                                  const Json& spec);
  // The subnets of `vpc_zone_identifier`, or the default subnets of `zones`, checked with EC2.
  ServiceOr<Placement> ResolveSubnets(const std::string& region, const std::string& account,
                                      const std::string& vpc_zone_identifier,
                                      const std::vector<std::string>& zones);
  // Wakes the background reconciler for an early pass.
  void Kick();

  // Reads the group named in call.input["AutoScalingGroupName"]; ValidationError when absent.
  ServiceOr<Json> LoadGroup(CallTxn& txn, const ServiceCall& call, const std::string& name);
  ServiceStatus SaveGroup(CallTxn& txn, const ServiceCall& call, const Json& group);
  // Records a scaling activity of `group` in the store directly (no call's transaction may be
  // open); returns it (the model's Activity shape).
  Json RecordActivity(const std::string& region, const Json& group, const std::string& description,
                      const std::string& cause, const std::string& status_code,
                      const std::string& status_message);
  // An EC2 call as the group's service-linked role.
  ServiceResult CallEc2(const std::string& region, const std::string& account,
                        const std::string& operation, Json input);
  // The reconciler's pass over one group (see the header comment).
  void ReconcileGroup(const std::string& region, Json group);
  // Terminates `instance_id` through EC2 and marks it Terminating in `group` (no call's
  // transaction may be open).
  ServiceStatus TerminateMember(const std::string& region, Json& group,
                                const std::string& instance_id, const std::string& cause);

  ServiceContext context_;
  Service& ec2_;
  TargetHealthSource* target_health_ = nullptr;
  // Serializes reconciler passes with the API calls that change groups.
  std::mutex groups_mu_;

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool loop_stop_ = false;    // guarded by loop_mu_
  bool loop_kicked_ = false;  // guarded by loop_mu_
  // Set by a pass that left instances Pending or Terminating: the next pass comes after
  // 0.25 simulated seconds instead of the full interval.
  std::atomic<bool> settling_{false};
  std::thread loop_;
};

}  // namespace cf::cloud::autoscaling
