// The autoscaling reconciler (autoscaling_service.h describes a pass) and the EC2 look-ups
// groups are checked with.

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>

#include "cloud/autoscaling/autoscaling_internal.h"
#include "cloud/autoscaling/autoscaling_service.h"

namespace cf::cloud::autoscaling {

namespace {

constexpr double kDefaultIntervalSeconds = 2.0;  // simulated seconds between passes
constexpr double kRetrySeconds = 10.0;           // after a failed launch
constexpr double kSettlingSeconds = 0.25;        // between passes while instances settle

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

ServiceError TemplateError(const Json& spec) {
  std::string id = spec.value("LaunchTemplateId", "");
  return ValidationError(fmt::format(
      "You must use a valid fully-formed launch template. The specified launch template, with "
      "template {} {}, does not exist.",
      id.empty() ? "name" : "ID", id.empty() ? spec.value("LaunchTemplateName", "") : id));
}

}  // namespace

ServiceOr<Json> AutoScalingService::ResolveTemplate(const std::string& region,
                                                    const std::string& account, const Json& spec) {
  std::string id = spec.value("LaunchTemplateId", "");
  std::string name = spec.value("LaunchTemplateName", "");
  if (id.empty() == name.empty()) {
    return ValidationError(
        "You must use a valid fully-formed launch template. Valid requests must contain either "
        "launchTemplateId or launchTemplateName.");
  }
  Json query =
      id.empty() ? Json{{"LaunchTemplateNames", {name}}} : Json{{"LaunchTemplateIds", {id}}};
  ServiceResult found = CallEc2(region, account, "DescribeLaunchTemplates", query);
  if (!found.ok()) {
    if (found.error().code.find("NotFound") != std::string::npos ||
        found.error().code.find("Malformed") != std::string::npos) {
      return TemplateError(spec);
    }
    return found.error();
  }
  const Json& templates = found.output().value("LaunchTemplates", Json::array());
  if (templates.empty()) {
    return TemplateError(spec);
  }
  std::string version = spec.value("Version", "$Default");
  if (version != "$Default" && version != "$Latest") {
    ServiceResult versions =
        CallEc2(region, account, "DescribeLaunchTemplateVersions",
                {{"LaunchTemplateId", templates[0]["LaunchTemplateId"]}, {"Versions", {version}}});
    if (!versions.ok() ||
        versions.output().value("LaunchTemplateVersions", Json::array()).empty()) {
      return ValidationError(
          "You must use a valid fully-formed launch template. The specified launch template "
          "version does not exist.");
    }
  }
  return Json{{"LaunchTemplateId", templates[0]["LaunchTemplateId"]},
              {"LaunchTemplateName", templates[0]["LaunchTemplateName"]},
              {"Version", version}};
}

ServiceOr<AutoScalingService::Placement> AutoScalingService::ResolveSubnets(
    const std::string& region, const std::string& account, const std::string& vpc_zone_identifier,
    const std::vector<std::string>& zones) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start <= vpc_zone_identifier.size()) {
    size_t comma = vpc_zone_identifier.find(',', start);
    std::string id = Trim(vpc_zone_identifier.substr(start, comma - start));
    if (!id.empty()) {
      ids.push_back(id);
    }
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  Json query;
  if (!ids.empty()) {
    for (const std::string& id : ids) {
      ServiceResult one = CallEc2(region, account, "DescribeSubnets", {{"SubnetIds", {id}}});
      if (!one.ok()) {
        return ValidationError(fmt::format("The subnet ID '{}' does not exist", id));
      }
    }
    query = {{"SubnetIds", ids}};
  } else if (!zones.empty()) {
    query = {{"Filters",
              {{{"Name", "default-for-az"}, {"Values", {"true"}}},
               {{"Name", "availability-zone"}, {"Values", zones}}}}};
  } else {
    return ValidationError("At least one Availability Zone or VPC Subnet is required.");
  }
  ServiceResult found = CallEc2(region, account, "DescribeSubnets", query);
  if (!found.ok()) {
    return found.error();
  }
  Placement placement;
  std::set<std::string> seen_zones;
  std::string joined;
  for (const Json& subnet : found.output().value("Subnets", Json::array())) {
    std::string zone = subnet.value("AvailabilityZone", "");
    placement.subnets.push_back({{"SubnetId", subnet["SubnetId"]}, {"AvailabilityZone", zone}});
    if (seen_zones.insert(zone).second) {
      placement.zones.push_back(zone);
    }
    if (!joined.empty()) {
      joined.push_back(',');
    }
    joined.append(subnet.value("SubnetId", ""));
  }
  if (placement.subnets.empty()) {
    return ValidationError("At least one Availability Zone or VPC Subnet is required.");
  }
  placement.vpc_zone_identifier = ids.empty() ? "" : joined;
  return placement;
}

void AutoScalingService::Kick() {
  std::lock_guard<std::mutex> lock(loop_mu_);
  loop_kicked_ = true;
  loop_cv_.notify_all();
}

void AutoScalingService::StartReconciler() {
  std::lock_guard<std::mutex> lock(loop_mu_);
  if (loop_.joinable()) {
    return;
  }
  loop_stop_ = false;
  loop_ = std::thread([this] {
    while (true) {
      ReconcileOnce();
      auto configured = context_.latency.StateDelay("autoscaling:ReconcileInterval");
      auto interval = configured.count() > 0
                          ? configured
                          : std::chrono::nanoseconds(static_cast<int64_t>(
                                kDefaultIntervalSeconds * context_.latency.TimeScale() * 1e9));
      if (settling_.exchange(false)) {
        // Instances are pending or terminating: look again soon.
        interval = std::min<std::chrono::nanoseconds>(
            interval, std::chrono::nanoseconds(static_cast<int64_t>(
                          kSettlingSeconds * context_.latency.TimeScale() * 1e9)));
      }
      interval = std::max<std::chrono::nanoseconds>(interval, std::chrono::milliseconds(10));
      std::unique_lock<std::mutex> wait(loop_mu_);
      loop_cv_.wait_for(wait, interval, [this] { return loop_stop_ || loop_kicked_; });
      loop_kicked_ = false;
      if (loop_stop_) {
        return;
      }
    }
  });
}

void AutoScalingService::StopReconciler() {
  {
    std::lock_guard<std::mutex> lock(loop_mu_);
    loop_stop_ = true;
    loop_cv_.notify_all();
  }
  if (loop_.joinable()) {
    loop_.join();
  }
}

void AutoScalingService::ReconcileOnce() {
  std::lock_guard<std::mutex> lock(groups_mu_);
  Result<std::vector<std::pair<std::string, Json>>> all = context_.store.List(kGroupNamespace);
  if (!all.ok()) {
    return;
  }
  for (auto& [key, group] : *all) {
    ReconcileGroup(key.substr(0, key.find('/')), std::move(group));
  }
}

void AutoScalingService::ReconcileGroup(const std::string& region, Json group) {
  const std::string account = group.value("_account", "");
  const int64_t now_ms = NowMs(context_.clock);
  const std::string now_text = FormatRfc3339(context_.clock.Now());
  const Json before = group;
  // 1. What EC2 says of the members.
  std::map<std::string, Json> ec2_instances;
  std::map<std::string, std::string> health;
  if (!group["Instances"].empty()) {
    std::vector<std::string> ids;
    for (const Json& instance : group["Instances"]) {
      ids.push_back(instance.value("InstanceId", ""));
    }
    ServiceResult described = CallEc2(region, account, "DescribeInstances",
                                      {{"Filters", {{{"Name", "instance-id"}, {"Values", ids}}}}});
    if (!described.ok()) {
      return;  // EC2 is unavailable: try again next pass
    }
    for (const Json& reservation : described.output().value("Reservations", Json::array())) {
      for (const Json& instance : reservation.value("Instances", Json::array())) {
        ec2_instances[instance.value("InstanceId", "")] = instance;
      }
    }
    ServiceResult statuses =
        CallEc2(region, account, "DescribeInstanceStatus",
                {{"Filters", {{{"Name", "instance-state-name"}, {"Values", {"running"}}}}}});
    if (!statuses.ok()) {
      return;
    }
    for (const Json& status : statuses.output().value("InstanceStatuses", Json::array())) {
      health[status.value("InstanceId", "")] = status["InstanceStatus"].value("Status", "");
    }
  }
  double scale = context_.latency.TimeScale();
  int64_t grace_ms =
      static_cast<int64_t>(group.value("HealthCheckGracePeriod", int64_t{0}) * 1000 * scale);
  bool elb = group.value("HealthCheckType", "EC2") == "ELB";
  Json kept = Json::array();
  for (Json& member : group["Instances"]) {
    std::string id = member.value("InstanceId", "");
    auto it = ec2_instances.find(id);
    std::string state =
        it == ec2_instances.end() ? "terminated" : it->second["State"].value("Name", "");
    if (state == "terminated" || state == "shutting-down") {
      if (member.value("LifecycleState", "") != "Terminating") {
        RecordActivity(region, group, "Terminating EC2 instance: " + id,
                       fmt::format("At {} an instance was taken out of service in response to an "
                                   "EC2 health check indicating it has been terminated or "
                                   "stopped.",
                                   now_text),
                       "Successful", "");
      }
      continue;  // gone: it leaves the group
    }
    if (member.value("LifecycleState", "") == "Pending" && state == "running") {
      member["LifecycleState"] = "InService";
    }
    bool past_grace = now_ms - member.value("_launched_ms", int64_t{0}) >= grace_ms;
    if (member.value("LifecycleState", "") == "InService" && !Suspended(group, "HealthCheck") &&
        past_grace && member.value("HealthStatus", "Healthy") == "Healthy") {
      bool unhealthy = state != "running" || health[id] == "impaired";
      if (elb && !unhealthy && target_health_ != nullptr) {
        for (const Json& arn : group.value("TargetGroupARNs", Json::array())) {
          std::optional<bool> healthy = target_health_->Healthy(region, arn, id);
          unhealthy = unhealthy || (healthy.has_value() && !*healthy);
        }
      }
      if (unhealthy) {
        member["HealthStatus"] = "Unhealthy";
      }
    }
    kept.push_back(member);
  }
  group["Instances"] = kept;

  // 2. Replace unhealthy instances (protection does not apply to health replacement).
  if (!Suspended(group, "ReplaceUnhealthy")) {
    std::vector<std::string> unhealthy;
    for (const Json& member : group["Instances"]) {
      if (member.value("HealthStatus", "") == "Unhealthy" &&
          member.value("LifecycleState", "") != "Terminating") {
        unhealthy.push_back(member.value("InstanceId", ""));
      }
    }
    for (const std::string& id : unhealthy) {
      (void)TerminateMember(  // a failure is recorded as a Failed activity
          region, group, id,
          elb ? fmt::format("At {} an instance was taken out of service in response to an ELB "
                            "system health check failure.",
                            now_text)
              : fmt::format("At {} an instance was taken out of service in response to an EC2 "
                            "instance status checks failure.",
                            now_text));
    }
  }

  // 3 and 4. Launch up to desired, or scale in.
  auto active = [&group] {
    std::vector<Json> out;
    for (const Json& member : group["Instances"]) {
      std::string lifecycle = member.value("LifecycleState", "");
      if (lifecycle == "Pending" || lifecycle == "InService") {
        out.push_back(member);
      }
    }
    return out;
  };
  int64_t desired = group.value("DesiredCapacity", int64_t{0});
  int64_t count = static_cast<int64_t>(active().size());
  // After a failed launch the group waits kRetrySeconds (simulated) before trying again.
  bool backing_off = now_ms - group.value("_launch_failed_ms", int64_t{-1000000000000}) <
                     static_cast<int64_t>(kRetrySeconds * 1000 * scale);
  if (count < desired && !Suspended(group, "Launch") && !backing_off) {
    Json propagated = Json::array({{{"Key", "aws:autoscaling:groupName"},
                                    {"Value", group.value("AutoScalingGroupName", "")}}});
    for (const Json& tag : group.value("Tags", Json::array())) {
      if (tag.value("PropagateAtLaunch", false)) {
        propagated.push_back({{"Key", tag["Key"]}, {"Value", tag["Value"]}});
      }
    }
    std::string cause = fmt::format(
        "At {} an instance was started in response to a difference between desired and actual "
        "capacity, increasing the capacity from {} to {}.",
        now_text, count, desired);
    for (int64_t n = count; n < desired; ++n) {
      // The subnet of the zone with the fewest active instances.
      std::map<std::string, int> per_zone;
      for (const Json& subnet : group["_subnets"]) {
        per_zone[subnet.value("AvailabilityZone", "")] += 0;
      }
      for (const Json& member : active()) {
        per_zone[member.value("AvailabilityZone", "")] += 1;
      }
      const Json* chosen = nullptr;
      for (const Json& subnet : group["_subnets"]) {
        if (chosen == nullptr || per_zone[subnet.value("AvailabilityZone", "")] <
                                     per_zone[chosen->value("AvailabilityZone", "")]) {
          chosen = &subnet;
        }
      }
      if (chosen == nullptr) {
        break;
      }
      const Json& spec = group["LaunchTemplate"];
      Json input = {{"MinCount", 1},
                    {"MaxCount", 1},
                    {"LaunchTemplate",
                     {{"LaunchTemplateId", spec.value("LaunchTemplateId", "")},
                      {"Version", spec.value("Version", "$Default")}}},
                    {"SubnetId", chosen->value("SubnetId", "")},
                    {"TagSpecifications", {{{"ResourceType", "instance"}, {"Tags", propagated}}}}};
      if (group.contains("PlacementGroup")) {
        input["Placement"] = {{"GroupName", group["PlacementGroup"]}};
      }
      ServiceResult launched = CallEc2(region, account, "RunInstances", input);
      if (!launched.ok()) {
        RecordActivity(region, group,
                       "Launching a new EC2 instance.  Status Reason: " + launched.error().message,
                       cause, "Failed", launched.error().message);
        group["_launch_failed_ms"] = now_ms;
        break;
      }
      const Json& instance = launched.output()["Instances"][0];
      std::string id = instance.value("InstanceId", "");
      group["Instances"].push_back(
          {{"InstanceId", id},
           {"InstanceType", instance.value("InstanceType", "")},
           {"AvailabilityZone", instance["Placement"].value("AvailabilityZone", "")},
           {"LifecycleState", "Pending"},
           {"HealthStatus", "Healthy"},
           {"LaunchTemplate", spec},
           {"ProtectedFromScaleIn", group.value("NewInstancesProtectedFromScaleIn", false)},
           {"_launched_ms", now_ms}});
      RecordActivity(region, group, "Launching a new EC2 instance: " + id, cause, "Successful", "");
    }
  } else if (count > desired && !Suspended(group, "Terminate")) {
    std::vector<Json> candidates;
    for (const Json& member : active()) {
      if (!member.value("ProtectedFromScaleIn", false)) {
        candidates.push_back(member);
      }
    }
    std::string cause = fmt::format(
        "At {} an instance was taken out of service in response to a difference between desired "
        "and actual capacity, shrinking the capacity from {} to {}.",
        now_text, count, desired);
    for (int64_t n = count; n > desired && !candidates.empty(); --n) {
      std::map<std::string, int> per_zone;
      for (const Json& member : active()) {
        per_zone[member.value("AvailabilityZone", "")] += 1;
      }
      auto victim = std::min_element(
          candidates.begin(), candidates.end(), [&per_zone](const Json& a, const Json& b) {
            int za = per_zone[a.value("AvailabilityZone", "")];
            int zb = per_zone[b.value("AvailabilityZone", "")];
            if (za != zb) {
              return za > zb;  // the fuller zone first
            }
            return a.value("_launched_ms", int64_t{0}) < b.value("_launched_ms", int64_t{0});
          });
      std::string id = victim->value("InstanceId", "");
      candidates.erase(victim);
      (void)TerminateMember(region, group, id, cause);  // recorded as an activity
    }
  }
  for (const Json& member : group["Instances"]) {
    std::string lifecycle = member.value("LifecycleState", "");
    if (lifecycle == "Pending" || lifecycle == "Terminating") {
      settling_ = true;
    }
  }
  if (group != before) {
    Status s = context_.store.Put(kGroupNamespace,
                                  region + "/" + group.value("AutoScalingGroupName", ""), group);
    (void)s;  // the next pass recomputes from EC2 if this write was lost
  }
}

}  // namespace cf::cloud::autoscaling
