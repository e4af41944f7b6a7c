// Auto Scaling's API: groups, their instances' protection and detachment, tags, target
// groups, processes and activities. The reconciler is in reconciler.cc.

#include "cloud/autoscaling/autoscaling_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>

#include "base/clock.h"
#include "cloud/autoscaling/autoscaling_internal.h"
#include "cloud/core/ids.h"

namespace cf::cloud::autoscaling {

namespace {

const std::set<std::string>& ProcessNames() {
  static const std::set<std::string> kNames = {
      "Launch",           "Terminate",         "HealthCheck",
      "ReplaceUnhealthy", "AZRebalance",       "AlarmNotification",
      "ScheduledActions", "AddToLoadBalancer", "InstanceRefresh"};
  return kNames;
}

ServiceError GroupNotFound(const std::string& name) {
  return ValidationError(
      fmt::format("AutoScalingGroup name not found - AutoScalingGroup {} not "
                  "found",
                  name));
}

ServiceError NotInGroup(const std::string& id, const std::string& group) {
  return ValidationError(
      fmt::format("The instance {} is not part of Auto Scaling group {}.", id, group));
}

std::vector<std::string> Strings(const Json& input, const char* member) {
  std::vector<std::string> out;
  for (const Json& value : input.value(member, Json::array())) {
    out.push_back(value.get<std::string>());
  }
  return out;
}

// The group's size bounds after `input` is applied; an error when they do not fit.
ServiceStatus CheckSizes(int64_t min, int64_t max, int64_t desired) {
  if (min < 0 || max < 0) {
    return ValidationError("MinSize and MaxSize must be non-negative.");
  }
  if (max < min) {
    return ValidationError(
        fmt::format("Max bound, {}, must be greater than or equal to min bound, {}", max, min));
  }
  if (desired < min || desired > max) {
    return ValidationError(
        fmt::format("Desired capacity:{} must be between the specified min size:{} and max size:{}",
                    desired, min, max));
  }
  return {};
}

// One page of `items` per MaxRecords (1..limit, default 50 or `limit`) and NextToken (an
// index into the list).
ServiceResult Page(const std::vector<Json>& items, const Json& input, const std::string& list_name,
                   int64_t limit) {
  int64_t max = input.value("MaxRecords", std::min<int64_t>(50, limit));
  if (max < 1 || max > limit) {
    return ValidationError(fmt::format("MaxRecords must be between 1 and {}", limit));
  }
  size_t start = 0;
  if (input.contains("NextToken")) {
    std::string token = input["NextToken"].get<std::string>();
    if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos ||
        token.size() > 9 || std::stoul(token) > items.size()) {
      return ServiceError{"InvalidNextToken", "The token '" + token + "' is invalid.", 400, true};
    }
    start = std::stoul(token);
  }
  Json out = {{list_name, Json::array()}};
  size_t end = std::min(items.size(), start + static_cast<size_t>(max));
  for (size_t i = start; i < end; ++i) {
    out[list_name].push_back(items[i]);
  }
  if (end < items.size()) {
    out["NextToken"] = std::to_string(end);
  }
  return out;
}

}  // namespace

// ---- Internal helpers shared with the reconciler (autoscaling_internal.h) ----

Json GroupView(Json group) {
  for (auto it = group.begin(); it != group.end();) {
    it = it.key().rfind('_', 0) == 0 ? group.erase(it) : std::next(it);
  }
  for (Json& instance : group["Instances"]) {
    for (auto it = instance.begin(); it != instance.end();) {
      it = it.key().rfind('_', 0) == 0 ? instance.erase(it) : std::next(it);
    }
  }
  return group;
}

bool Suspended(const Json& group, const std::string& process) {
  for (const Json& suspended : group.value("SuspendedProcesses", Json::array())) {
    if (suspended.value("ProcessName", "") == process) {
      return true;
    }
  }
  return false;
}

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

std::string ServiceLinkedRoleArn(const std::string& account) {
  return fmt::format(
      "arn:aws:iam::{}:role/aws-service-role/autoscaling.amazonaws.com/"
      "AWSServiceRoleForAutoScaling",
      account);
}

// ---- Service ----

AutoScalingService::~AutoScalingService() {
  StopReconciler();
}

const OperationTable<AutoScalingService>& AutoScalingService::Operations() {
  static const OperationTable<AutoScalingService> kTable({
      {"CreateAutoScalingGroup", &AutoScalingService::CreateAutoScalingGroup},
      {"UpdateAutoScalingGroup", &AutoScalingService::UpdateAutoScalingGroup},
      {"DeleteAutoScalingGroup", &AutoScalingService::DeleteAutoScalingGroup},
      {"DescribeAutoScalingGroups", &AutoScalingService::DescribeAutoScalingGroups},
      {"DescribeAutoScalingInstances", &AutoScalingService::DescribeAutoScalingInstances},
      {"SetDesiredCapacity", &AutoScalingService::SetDesiredCapacity},
      {"TerminateInstanceInAutoScalingGroup",
       &AutoScalingService::TerminateInstanceInAutoScalingGroup},
      {"DetachInstances", &AutoScalingService::DetachInstances},
      {"SetInstanceProtection", &AutoScalingService::SetInstanceProtection},
      {"DescribeScalingActivities", &AutoScalingService::DescribeScalingActivities},
      {"SuspendProcesses", &AutoScalingService::SuspendProcesses},
      {"ResumeProcesses", &AutoScalingService::ResumeProcesses},
      {"CreateOrUpdateTags", &AutoScalingService::CreateOrUpdateTags},
      {"DeleteTags", &AutoScalingService::DeleteTags},
      {"DescribeTags", &AutoScalingService::DescribeTags},
      {"AttachLoadBalancerTargetGroups", &AutoScalingService::AttachLoadBalancerTargetGroups},
      {"DetachLoadBalancerTargetGroups", &AutoScalingService::DetachLoadBalancerTargetGroups},
      {"DescribeLoadBalancerTargetGroups", &AutoScalingService::DescribeLoadBalancerTargetGroups},
      {"DescribeScalingProcessTypes", &AutoScalingService::DescribeScalingProcessTypes},
  });
  return kTable;
}

ServiceResult AutoScalingService::CallEc2(const std::string& region, const std::string& account,
                                          const std::string& operation, Json input) {
  ServiceCall call;
  call.service = "ec2";
  call.operation = operation;
  call.input = std::move(input);
  call.account_id = account;
  call.region = region;
  call.request_id = context_.ids.RequestId();
  call.caller.account_id = account;
  call.caller.arn =
      fmt::format("arn:aws:sts::{}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling", account);
  call.caller.user_id = "AROAAUTOSCALINGSLR000:AutoScaling";
  return ec2_.Handle(call);
}

ServiceOr<Json> AutoScalingService::LoadGroup(CallTxn& txn, const ServiceCall& call,
                                              const std::string& name) {
  if (name.empty()) {
    return ValidationError(
        "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy "
        "constraint: Member must not be null");
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> group,
                           txn.Get(kGroupNamespace, call.region + "/" + name));
  if (!group || group->value("_account", "") != call.account_id) {
    return GroupNotFound(name);
  }
  return std::move(*group);
}

ServiceStatus AutoScalingService::SaveGroup(CallTxn& txn, const ServiceCall& call,
                                            const Json& group) {
  SERVICE_RETURN_IF_ERROR(
      txn.Put(kGroupNamespace, call.region + "/" + group.value("AutoScalingGroupName", ""), group));
  return {};
}

Json AutoScalingService::RecordActivity(const std::string& region, const Json& group,
                                        const std::string& description, const std::string& cause,
                                        const std::string& status_code,
                                        const std::string& status_message) {
  int64_t now_ms = NowMs(context_.clock);
  Json activity = {{"ActivityId", context_.ids.RequestId()},
                   {"AutoScalingGroupName", group.value("AutoScalingGroupName", "")},
                   {"AutoScalingGroupARN", group.value("AutoScalingGroupARN", "")},
                   {"Description", description},
                   {"Cause", cause},
                   {"StartTime", now_ms / 1000.0},
                   {"EndTime", now_ms / 1000.0},
                   {"StatusCode", status_code},
                   {"Progress", 100},
                   {"Details", "{}"}};
  if (!status_message.empty()) {
    activity["StatusMessage"] = status_message;
  }
  // Keys sort by time within a group: "REGION/GROUP/<ms, 15 digits>-<sequence>".
  static std::atomic<uint64_t> sequence{0};
  std::string key =
      fmt::format("{}/{}/{:015d}-{:08d}", region, group.value("AutoScalingGroupName", ""), now_ms,
                  sequence.fetch_add(1) % 100000000);
  Status s = context_.store.Put(kActivityNamespace, key, activity);
  (void)s;  // an activity that cannot be recorded does not undo what was done
  return activity;
}

ServiceResult AutoScalingService::CreateAutoScalingGroup(const ServiceCall& call, CallTxn& txn) {
  const Json& input = call.input;
  std::string name = input.value("AutoScalingGroupName", "");
  Json launch_template = input.value("LaunchTemplate", Json::object());
  if (launch_template.empty() && input.contains("MixedInstancesPolicy")) {
    launch_template = input["MixedInstancesPolicy"]
                          .value("LaunchTemplate", Json::object())
                          .value("LaunchTemplateSpecification", Json::object());
  }
  if (launch_template.empty()) {
    return ValidationError(
        "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, "
        "InstanceId or MixedInstancesPolicy parameter.");
  }
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing,
                           txn.Get(kGroupNamespace, call.region + "/" + name));
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // before EC2 is called; groups_mu_ is held
  if (existing) {
    return ServiceError{"AlreadyExists",
                        fmt::format("AutoScalingGroup by this name already exists - A group with "
                                    "the name {} already exists",
                                    name),
                        400, true};
  }
  SERVICE_ASSIGN_OR_RETURN(Json resolved,
                           ResolveTemplate(call.region, call.account_id, launch_template));
  int64_t min = input.value("MinSize", int64_t{0});
  int64_t max = input.value("MaxSize", int64_t{0});
  int64_t desired = input.value("DesiredCapacity", min);
  SERVICE_RETURN_IF_ERROR(CheckSizes(min, max, desired));
  SERVICE_ASSIGN_OR_RETURN(Placement where, ResolveSubnets(call.region, call.account_id,
                                                           input.value("VPCZoneIdentifier", ""),
                                                           Strings(input, "AvailabilityZones")));
  std::string health_check = input.value("HealthCheckType", "EC2");
  if (health_check != "EC2" && health_check != "ELB" && health_check != "EBS" &&
      health_check != "VPC_LATTICE") {
    return ValidationError(fmt::format("Invalid health check type: {}", health_check));
  }
  Json tags = Json::array();
  for (const Json& tag : input.value("Tags", Json::array())) {
    tags.push_back({{"ResourceId", name},
                    {"ResourceType", "auto-scaling-group"},
                    {"Key", tag.value("Key", "")},
                    {"Value", tag.value("Value", "")},
                    {"PropagateAtLaunch", tag.value("PropagateAtLaunch", false)}});
  }
  Json group = {
      {"AutoScalingGroupName", name},
      {"AutoScalingGroupARN", Arn("autoscaling", call.region, call.account_id,
                                  fmt::format("autoScalingGroup:{}:autoScalingGroupName/{}",
                                              context_.ids.RequestId(), name))},
      {"LaunchTemplate", resolved},
      {"MinSize", min},
      {"MaxSize", max},
      {"DesiredCapacity", desired},
      {"DefaultCooldown", input.value("DefaultCooldown", int64_t{300})},
      {"AvailabilityZones", where.zones},
      {"LoadBalancerNames", input.value("LoadBalancerNames", Json::array())},
      {"TargetGroupARNs", input.value("TargetGroupARNs", Json::array())},
      {"HealthCheckType", health_check},
      {"HealthCheckGracePeriod", input.value("HealthCheckGracePeriod", int64_t{0})},
      {"Instances", Json::array()},
      {"CreatedTime", NowMs(context_.clock) / 1000},
      {"SuspendedProcesses", Json::array()},
      {"VPCZoneIdentifier", where.vpc_zone_identifier},
      {"EnabledMetrics", Json::array()},
      {"Tags", tags},
      {"TerminationPolicies", input.value("TerminationPolicies", Json::array({"Default"}))},
      {"NewInstancesProtectedFromScaleIn", input.value("NewInstancesProtectedFromScaleIn", false)},
      {"ServiceLinkedRoleARN",
       input.value("ServiceLinkedRoleARN", ServiceLinkedRoleArn(call.account_id))},
      {"CapacityRebalance", input.value("CapacityRebalance", false)},
      {"_account", call.account_id},
      {"_subnets", where.subnets},
  };
  if (input.contains("PlacementGroup")) {
    group["PlacementGroup"] = input["PlacementGroup"];
  }
  if (input.contains("MaxInstanceLifetime")) {
    group["MaxInstanceLifetime"] = input["MaxInstanceLifetime"];
  }
  if (input.contains("DefaultInstanceWarmup")) {
    group["DefaultInstanceWarmup"] = input["DefaultInstanceWarmup"];
  }
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  Kick();
  return Json::object();
}

ServiceResult AutoScalingService::UpdateAutoScalingGroup(const ServiceCall& call, CallTxn& txn) {
  const Json& input = call.input;
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(Json group,
                           LoadGroup(txn, call, input.value("AutoScalingGroupName", "")));
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // before EC2 is called; groups_mu_ is held
  if (input.contains("LaunchTemplate")) {
    SERVICE_ASSIGN_OR_RETURN(group["LaunchTemplate"], ResolveTemplate(call.region, call.account_id,
                                                                      input["LaunchTemplate"]));
  }
  int64_t min = input.value("MinSize", group.value("MinSize", int64_t{0}));
  int64_t max = input.value("MaxSize", group.value("MaxSize", int64_t{0}));
  int64_t desired = group.value("DesiredCapacity", int64_t{0});
  if (input.contains("DesiredCapacity")) {
    desired = input["DesiredCapacity"].get<int64_t>();
  } else {
    desired = std::clamp(desired, min, std::max(min, max));
  }
  SERVICE_RETURN_IF_ERROR(CheckSizes(min, max, desired));
  if (input.contains("VPCZoneIdentifier") || input.contains("AvailabilityZones")) {
    SERVICE_ASSIGN_OR_RETURN(Placement where, ResolveSubnets(call.region, call.account_id,
                                                             input.value("VPCZoneIdentifier", ""),
                                                             Strings(input, "AvailabilityZones")));
    group["AvailabilityZones"] = where.zones;
    group["VPCZoneIdentifier"] = where.vpc_zone_identifier;
    group["_subnets"] = where.subnets;
  }
  if (input.contains("HealthCheckType")) {
    std::string type = input["HealthCheckType"];
    if (type != "EC2" && type != "ELB" && type != "EBS" && type != "VPC_LATTICE") {
      return ValidationError(fmt::format("Invalid health check type: {}", type));
    }
    group["HealthCheckType"] = type;
  }
  for (const char* member :
       {"HealthCheckGracePeriod", "DefaultCooldown", "NewInstancesProtectedFromScaleIn",
        "TerminationPolicies", "CapacityRebalance", "MaxInstanceLifetime", "PlacementGroup",
        "ServiceLinkedRoleARN", "DefaultInstanceWarmup"}) {
    if (input.contains(member)) {
      group[member] = input[member];
    }
  }
  group["MinSize"] = min;
  group["MaxSize"] = max;
  group["DesiredCapacity"] = desired;
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  Kick();
  return Json::object();
}

ServiceResult AutoScalingService::DeleteAutoScalingGroup(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  std::string name = call.input.value("AutoScalingGroupName", "");
  SERVICE_ASSIGN_OR_RETURN(Json group, LoadGroup(txn, call, name));
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // before EC2 is called; groups_mu_ is held
  bool force = call.input.value("ForceDelete", false);
  if (!group["Instances"].empty() && !force) {
    return ServiceError{"ResourceInUse",
                        "You cannot delete an AutoScalingGroup while there are instances or "
                        "pending Spot instance request(s) still in the group.",
                        400, true};
  }
  std::vector<std::string> ids;
  for (const Json& instance : group["Instances"]) {
    ids.push_back(instance.value("InstanceId", ""));
  }
  if (!ids.empty()) {
    ServiceResult terminated =
        CallEc2(call.region, call.account_id, "TerminateInstances", {{"InstanceIds", ids}});
    if (!terminated.ok() && terminated.error().code != "InvalidInstanceID.NotFound") {
      return terminated.error();
    }
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kGroupNamespace, call.region + "/" + name));
  SERVICE_ASSIGN_OR_RETURN(auto activities,
                           txn.List(kActivityNamespace, call.region + "/" + name + "/"));
  for (const auto& [key, activity] : activities) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kActivityNamespace, key));
  }
  return Json::object();
}

ServiceResult AutoScalingService::DescribeAutoScalingGroups(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kGroupNamespace, call.region + "/"));
  std::vector<std::string> names = Strings(call.input, "AutoScalingGroupNames");
  std::vector<Json> groups;
  for (const auto& [key, group] : all) {
    if (group.value("_account", "") != call.account_id) {
      continue;
    }
    if (!names.empty() && std::find(names.begin(), names.end(),
                                    group.value("AutoScalingGroupName", "")) == names.end()) {
      continue;
    }
    bool pass = true;
    for (const Json& filter : call.input.value("Filters", Json::array())) {
      std::string filter_name = filter.value("Name", "");
      std::vector<std::string> values = Strings(filter, "Values");
      bool any = false;
      for (const Json& tag : group.value("Tags", Json::array())) {
        std::string key_name = tag.value("Key", "");
        std::string value = tag.value("Value", "");
        for (const std::string& wanted : values) {
          if (filter_name == "tag-key") {
            any = any || key_name == wanted;
          } else if (filter_name == "tag-value") {
            any = any || value == wanted;
          } else if (filter_name.rfind("tag:", 0) == 0) {
            any = any || (key_name == filter_name.substr(4) && value == wanted);
          }
        }
      }
      if (filter_name != "tag-key" && filter_name != "tag-value" &&
          filter_name.rfind("tag:", 0) != 0) {
        return ValidationError(fmt::format("Filter name {} is not valid.", filter_name));
      }
      pass = pass && any;
    }
    if (pass) {
      groups.push_back(GroupView(group));
    }
  }
  return Page(groups, call.input, "AutoScalingGroups", 100);
}

ServiceResult AutoScalingService::DescribeAutoScalingInstances(const ServiceCall& call,
                                                               CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kGroupNamespace, call.region + "/"));
  std::vector<std::string> ids = Strings(call.input, "InstanceIds");
  std::vector<Json> instances;
  for (const auto& [key, group] : all) {
    if (group.value("_account", "") != call.account_id) {
      continue;
    }
    for (const Json& instance : group["Instances"]) {
      std::string id = instance.value("InstanceId", "");
      if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) {
        continue;
      }
      std::string health = instance.value("HealthStatus", "Healthy");
      std::transform(health.begin(), health.end(), health.begin(), ::toupper);
      Json view = {{"InstanceId", id},
                   {"InstanceType", instance.value("InstanceType", "")},
                   {"AutoScalingGroupName", group.value("AutoScalingGroupName", "")},
                   {"AvailabilityZone", instance.value("AvailabilityZone", "")},
                   {"LifecycleState", instance.value("LifecycleState", "")},
                   {"HealthStatus", health},
                   {"ProtectedFromScaleIn", instance.value("ProtectedFromScaleIn", false)}};
      if (instance.contains("LaunchTemplate")) {
        view["LaunchTemplate"] = instance["LaunchTemplate"];
      }
      instances.push_back(view);
    }
  }
  std::sort(instances.begin(), instances.end(), [](const Json& a, const Json& b) {
    return a["InstanceId"].get<std::string>() < b["InstanceId"].get<std::string>();
  });
  return Page(instances, call.input, "AutoScalingInstances", 50);
}

ServiceResult AutoScalingService::SetDesiredCapacity(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(Json group,
                           LoadGroup(txn, call, call.input.value("AutoScalingGroupName", "")));
  int64_t desired = call.input.value("DesiredCapacity", int64_t{0});
  int64_t min = group.value("MinSize", int64_t{0});
  int64_t max = group.value("MaxSize", int64_t{0});
  if (desired > max) {
    return ValidationError(fmt::format(
        "New SetDesiredCapacity value {} is above max value {} for the AutoScalingGroup.", desired,
        max));
  }
  if (desired < min) {
    return ValidationError(fmt::format(
        "New SetDesiredCapacity value {} is below min value {} for the AutoScalingGroup.", desired,
        min));
  }
  group["DesiredCapacity"] = desired;
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  Kick();
  return Json::object();
}

ServiceStatus AutoScalingService::TerminateMember(const std::string& region, Json& group,
                                                  const std::string& instance_id,
                                                  const std::string& cause) {
  ServiceResult result = CallEc2(region, group.value("_account", ""), "TerminateInstances",
                                 {{"InstanceIds", {instance_id}}});
  if (!result.ok() && result.error().code != "InvalidInstanceID.NotFound") {
    RecordActivity(region, group, "Terminating EC2 instance: " + instance_id, cause, "Failed",
                   result.error().message);
    return result.error();
  }
  for (Json& instance : group["Instances"]) {
    if (instance.value("InstanceId", "") == instance_id) {
      instance["LifecycleState"] = "Terminating";
    }
  }
  RecordActivity(region, group, "Terminating EC2 instance: " + instance_id, cause, "Successful",
                 "");
  return {};
}

ServiceResult AutoScalingService::TerminateInstanceInAutoScalingGroup(const ServiceCall& call,
                                                                      CallTxn& txn) {
  std::string id = call.input.value("InstanceId", "");
  bool decrement = call.input.value("ShouldDecrementDesiredCapacity", false);
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kGroupNamespace, call.region + "/"));
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // before EC2 is called; groups_mu_ is held
  for (auto& [key, group] : all) {
    if (group.value("_account", "") != call.account_id) {
      continue;
    }
    for (const Json& instance : group["Instances"]) {
      if (instance.value("InstanceId", "") != id) {
        continue;
      }
      int64_t desired = group.value("DesiredCapacity", int64_t{0});
      int64_t min = group.value("MinSize", int64_t{0});
      if (decrement && desired <= min) {
        return ValidationError(
            fmt::format("Currently, desiredSize equals minSize ({}). Terminating instance without "
                        "replacement will violate group's min size constraint. Either set "
                        "shouldDecrementDesiredCapacity flag to false or lower group's min size.",
                        min));
      }
      if (instance.value("LifecycleState", "") == "Terminating") {
        return ServiceError{"ScalingActivityInProgress",
                            fmt::format("Instance {} is already terminating.", id), 400, true};
      }
      std::string cause = fmt::format(
          "At {} instance {} was taken out of service in response to a user request{}.",
          FormatRfc3339(context_.clock.Now()), id,
          decrement ? fmt::format(", shrinking the capacity from {} to {}", desired, desired - 1)
                    : "");
      if (decrement) {
        group["DesiredCapacity"] = desired - 1;
      }
      SERVICE_RETURN_IF_ERROR(TerminateMember(call.region, group, id, cause));
      SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
      Kick();
      SERVICE_ASSIGN_OR_RETURN(
          auto activities,
          txn.List(kActivityNamespace,
                   call.region + "/" + group.value("AutoScalingGroupName", "") + "/"));
      Json activity = activities.empty() ? Json::object() : activities.back().second;
      return Json{{"Activity", activity}};
    }
  }
  return ValidationError(
      fmt::format("Instance Id not found - No managed instance found for instance ID: {}", id));
}

ServiceResult AutoScalingService::DetachInstances(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  std::string name = call.input.value("AutoScalingGroupName", "");
  SERVICE_ASSIGN_OR_RETURN(Json group, LoadGroup(txn, call, name));
  std::vector<std::string> ids = Strings(call.input, "InstanceIds");
  bool decrement = call.input.value("ShouldDecrementDesiredCapacity", false);
  std::set<std::string> members;
  for (const Json& instance : group["Instances"]) {
    members.insert(instance.value("InstanceId", ""));
  }
  for (const std::string& id : ids) {
    if (members.count(id) == 0) {
      return NotInGroup(id, name);
    }
  }
  int64_t desired = group.value("DesiredCapacity", int64_t{0});
  int64_t remaining = desired - (decrement ? static_cast<int64_t>(ids.size()) : 0);
  if (remaining < group.value("MinSize", int64_t{0})) {
    return ValidationError(fmt::format(
        "The number of instances to detach would take the desired capacity ({}) below the "
        "group's minimum size ({}).",
        remaining, group.value("MinSize", int64_t{0})));
  }
  Json kept = Json::array();
  for (const Json& instance : group["Instances"]) {
    if (std::find(ids.begin(), ids.end(), instance.value("InstanceId", "")) == ids.end()) {
      kept.push_back(instance);
    }
  }
  group["Instances"] = kept;
  group["DesiredCapacity"] = remaining;
  Json activities = Json::array();
  SERVICE_RETURN_IF_ERROR(txn.Commit());  // RecordActivity uses the store itself
  for (const std::string& id : ids) {
    activities.push_back(RecordActivity(
        call.region, group, "Detaching EC2 instance: " + id,
        fmt::format("At {} instance {} was detached in response to a user request{}.",
                    FormatRfc3339(context_.clock.Now()), id,
                    decrement ? ", shrinking the capacity" : ""),
        "Successful", ""));
  }
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  Kick();
  return Json{{"Activities", activities}};
}

ServiceResult AutoScalingService::SetInstanceProtection(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  std::string name = call.input.value("AutoScalingGroupName", "");
  SERVICE_ASSIGN_OR_RETURN(Json group, LoadGroup(txn, call, name));
  bool protect = call.input.value("ProtectedFromScaleIn", false);
  for (const std::string& id : Strings(call.input, "InstanceIds")) {
    bool found = false;
    for (Json& instance : group["Instances"]) {
      if (instance.value("InstanceId", "") == id) {
        found = true;
      }
    }
    if (!found) {
      return NotInGroup(id, name);
    }
  }
  for (const std::string& id : Strings(call.input, "InstanceIds")) {
    for (Json& instance : group["Instances"]) {
      if (instance.value("InstanceId", "") == id) {
        instance["ProtectedFromScaleIn"] = protect;
      }
    }
  }
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  return Json::object();
}

ServiceResult AutoScalingService::DescribeScalingActivities(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("AutoScalingGroupName", "");
  if (!name.empty()) {
    if (!LoadGroup(txn, call, name).ok() && !call.input.value("IncludeDeletedGroups", false)) {
      return Json{{"Activities", Json::array()}};
    }
  }
  std::string prefix = call.region + "/" + (name.empty() ? "" : name + "/");
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kActivityNamespace, prefix));
  std::vector<std::string> ids = Strings(call.input, "ActivityIds");
  std::vector<Json> activities;
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (ids.empty() ||
        std::find(ids.begin(), ids.end(), it->second.value("ActivityId", "")) != ids.end()) {
      activities.push_back(it->second);
    }
  }
  if (name.empty()) {
    std::stable_sort(activities.begin(), activities.end(), [](const Json& a, const Json& b) {
      return a.value("StartTime", 0.0) > b.value("StartTime", 0.0);
    });
  }
  return Page(activities, call.input, "Activities", 100);
}

ServiceResult AutoScalingService::SuspendProcesses(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(Json group,
                           LoadGroup(txn, call, call.input.value("AutoScalingGroupName", "")));
  std::vector<std::string> processes = Strings(call.input, "ScalingProcesses");
  if (processes.empty()) {
    processes.assign(ProcessNames().begin(), ProcessNames().end());
  }
  for (const std::string& process : processes) {
    if (ProcessNames().count(process) == 0) {
      return ValidationError(fmt::format("Process {} is not a valid scaling process.", process));
    }
  }
  for (const std::string& process : processes) {
    if (!Suspended(group, process)) {
      group["SuspendedProcesses"].push_back(
          {{"ProcessName", process},
           {"SuspensionReason",
            fmt::format("User suspended at {}", FormatRfc3339(context_.clock.Now()))}});
    }
  }
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  return Json::object();
}

ServiceResult AutoScalingService::ResumeProcesses(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(Json group,
                           LoadGroup(txn, call, call.input.value("AutoScalingGroupName", "")));
  std::vector<std::string> processes = Strings(call.input, "ScalingProcesses");
  for (const std::string& process : processes) {
    if (ProcessNames().count(process) == 0) {
      return ValidationError(fmt::format("Process {} is not a valid scaling process.", process));
    }
  }
  Json kept = Json::array();
  for (const Json& suspended : group["SuspendedProcesses"]) {
    std::string process = suspended.value("ProcessName", "");
    if (!processes.empty() &&
        std::find(processes.begin(), processes.end(), process) == processes.end()) {
      kept.push_back(suspended);
    }
  }
  group["SuspendedProcesses"] = kept;
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  Kick();
  return Json::object();
}

ServiceResult AutoScalingService::CreateOrUpdateTags(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  std::map<std::string, Json> groups;
  for (const Json& tag : call.input.value("Tags", Json::array())) {
    std::string name = tag.value("ResourceId", "");
    if (tag.value("ResourceType", "auto-scaling-group") != "auto-scaling-group") {
      return ValidationError("ResourceType must be auto-scaling-group");
    }
    if (groups.count(name) == 0) {
      SERVICE_ASSIGN_OR_RETURN(groups[name], LoadGroup(txn, call, name));
    }
    Json& group = groups[name];
    Json entry = {{"ResourceId", name},
                  {"ResourceType", "auto-scaling-group"},
                  {"Key", tag.value("Key", "")},
                  {"Value", tag.value("Value", "")},
                  {"PropagateAtLaunch", tag.value("PropagateAtLaunch", false)}};
    bool replaced = false;
    for (Json& existing : group["Tags"]) {
      if (existing.value("Key", "") == entry["Key"]) {
        existing = entry;
        replaced = true;
      }
    }
    if (!replaced) {
      group["Tags"].push_back(entry);
    }
  }
  for (auto& [name, group] : groups) {
    SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  }
  return Json::object();
}

ServiceResult AutoScalingService::DeleteTags(const ServiceCall& call, CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  std::map<std::string, Json> groups;
  for (const Json& tag : call.input.value("Tags", Json::array())) {
    std::string name = tag.value("ResourceId", "");
    if (groups.count(name) == 0) {
      SERVICE_ASSIGN_OR_RETURN(groups[name], LoadGroup(txn, call, name));
    }
    Json& group = groups[name];
    Json kept = Json::array();
    for (const Json& existing : group["Tags"]) {
      if (existing.value("Key", "") != tag.value("Key", "")) {
        kept.push_back(existing);
      }
    }
    group["Tags"] = kept;
  }
  for (auto& [name, group] : groups) {
    SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  }
  return Json::object();
}

ServiceResult AutoScalingService::DescribeTags(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kGroupNamespace, call.region + "/"));
  std::vector<Json> tags;
  for (const auto& [key, group] : all) {
    if (group.value("_account", "") != call.account_id) {
      continue;
    }
    for (const Json& tag : group["Tags"]) {
      bool pass = true;
      for (const Json& filter : call.input.value("Filters", Json::array())) {
        std::string name = filter.value("Name", "");
        std::vector<std::string> values = Strings(filter, "Values");
        std::string actual;
        if (name == "auto-scaling-group") {
          actual = tag.value("ResourceId", "");
        } else if (name == "key") {
          actual = tag.value("Key", "");
        } else if (name == "value") {
          actual = tag.value("Value", "");
        } else if (name == "propagate-at-launch") {
          actual = tag.value("PropagateAtLaunch", false) ? "true" : "false";
        } else {
          return ValidationError(fmt::format("Filter name {} is not valid.", name));
        }
        pass = pass && std::find(values.begin(), values.end(), actual) != values.end();
      }
      if (pass) {
        tags.push_back(tag);
      }
    }
  }
  return Page(tags, call.input, "Tags", 100);
}

ServiceResult AutoScalingService::AttachLoadBalancerTargetGroups(const ServiceCall& call,
                                                                 CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(Json group,
                           LoadGroup(txn, call, call.input.value("AutoScalingGroupName", "")));
  for (const std::string& arn : Strings(call.input, "TargetGroupARNs")) {
    if (std::find(group["TargetGroupARNs"].begin(), group["TargetGroupARNs"].end(), arn) ==
        group["TargetGroupARNs"].end()) {
      group["TargetGroupARNs"].push_back(arn);
    }
  }
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  return Json::object();
}

ServiceResult AutoScalingService::DetachLoadBalancerTargetGroups(const ServiceCall& call,
                                                                 CallTxn& txn) {
  std::lock_guard<std::mutex> lock(groups_mu_);
  SERVICE_ASSIGN_OR_RETURN(Json group,
                           LoadGroup(txn, call, call.input.value("AutoScalingGroupName", "")));
  std::vector<std::string> arns = Strings(call.input, "TargetGroupARNs");
  Json kept = Json::array();
  for (const Json& arn : group["TargetGroupARNs"]) {
    if (std::find(arns.begin(), arns.end(), arn.get<std::string>()) == arns.end()) {
      kept.push_back(arn);
    }
  }
  group["TargetGroupARNs"] = kept;
  SERVICE_RETURN_IF_ERROR(SaveGroup(txn, call, group));
  return Json::object();
}

ServiceResult AutoScalingService::DescribeLoadBalancerTargetGroups(const ServiceCall& call,
                                                                   CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json group,
                           LoadGroup(txn, call, call.input.value("AutoScalingGroupName", "")));
  std::vector<Json> attached;
  for (const Json& arn : group["TargetGroupARNs"]) {
    attached.push_back({{"LoadBalancerTargetGroupARN", arn}, {"State", "InService"}});
  }
  return Page(attached, call.input, "LoadBalancerTargetGroups", 100);
}

ServiceResult AutoScalingService::DescribeScalingProcessTypes(const ServiceCall&, CallTxn&) {
  Json processes = Json::array();
  for (const std::string& name : ProcessNames()) {
    processes.push_back({{"ProcessName", name}});
  }
  return Json{{"Processes", processes}};
}

}  // namespace cf::cloud::autoscaling
