#include "cloud/autoscaling/group_members.h"

namespace cf::cloud::autoscaling {

namespace {

// EC2's instance records (cloud/ec2: "ec2/instance", key "REGION/ID").
constexpr char kInstanceNs[] = "ec2/instance";

Result<GroupTargets> ToTargets(StoreTxn& txn, const std::string& region, const Json& group) {
  GroupTargets out;
  out.group_name = group.value("AutoScalingGroupName", "");
  for (const Json& arn : group.value("TargetGroupARNs", Json::array())) {
    out.target_group_arns.push_back(arn.get<std::string>());
  }
  for (const Json& instance : group.value("Instances", Json::array())) {
    GroupMember member;
    member.instance_id = instance.value("InstanceId", "");
    member.availability_zone = instance.value("AvailabilityZone", "");
    member.lifecycle_state = instance.value("LifecycleState", "");
    member.health_status = instance.value("HealthStatus", "");
    ASSIGN_OR_RETURN(std::optional<Json> ec2,
                     txn.Get(kInstanceNs, region + "/" + member.instance_id));
    if (ec2) {
      member.private_ip = ec2->value("PrivateIpAddress", "");
    }
    out.members.push_back(std::move(member));
  }
  return out;
}

}  // namespace

Result<std::optional<GroupTargets>> GroupTargetsOf(Store& store, const std::string& region,
                                                   const std::string& name) {
  ASSIGN_OR_RETURN(StoreTxn txn, store.Begin());
  ASSIGN_OR_RETURN(std::optional<Json> group, txn.Get(kGroupNamespace, region + "/" + name));
  if (!group) {
    return std::optional<GroupTargets>();
  }
  ASSIGN_OR_RETURN(GroupTargets targets, ToTargets(txn, region, *group));
  return std::optional<GroupTargets>(std::move(targets));
}

Result<std::vector<GroupTargets>> GroupsForTargetGroup(Store& store, const std::string& region,
                                                       const std::string& target_group_arn) {
  ASSIGN_OR_RETURN(StoreTxn txn, store.Begin());
  ASSIGN_OR_RETURN(auto groups, txn.List(kGroupNamespace, region + "/"));
  std::vector<GroupTargets> out;
  for (const auto& [key, group] : groups) {
    for (const Json& arn : group.value("TargetGroupARNs", Json::array())) {
      if (arn == target_group_arn) {
        ASSIGN_OR_RETURN(GroupTargets targets, ToTargets(txn, region, group));
        out.push_back(std::move(targets));
        break;
      }
    }
  }
  return out;
}

}  // namespace cf::cloud::autoscaling
