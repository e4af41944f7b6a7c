#include "control/terminate.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "aws/credentials_imds.h"
#include "base/clock.h"
#include "control/time_scale.h"

namespace cf::control {

using nlohmann::json;

namespace {

constexpr size_t kMaxTerminations = 50;
constexpr size_t kDetachBatch = 20;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TerminatePlan PlanTerminate(const std::vector<AsgMember>& members,
                            const std::map<std::string, Ec2Facts>& ec2, const json& response,
                            std::chrono::system_clock::time_point now, double time_scale) {
  TerminatePlan plan;
  std::set<std::string> host_ips;
  if (response.contains("hosts") && response["hosts"].is_array()) {
    for (const json& h : response["hosts"]) {
      host_ips.insert(h.value("private_ip", ""));
    }
  }
  std::set<std::pair<std::string, std::string>> to_terminate;
  if (response.contains("to_terminate") && response["to_terminate"].is_array()) {
    for (const json& t : response["to_terminate"]) {
      to_terminate.insert({t.value("Id", ""), t.value("PrivateIp", "")});
    }
  }
  auto add_terminate = [&](const std::string& id) {
    if (!Contains(plan.terminate, id) && plan.terminate.size() < kMaxTerminations) {
      plan.terminate.push_back(id);
    }
  };
  for (const AsgMember& m : members) {
    auto it = ec2.find(m.id);
    bool gone = it == ec2.end() || it->second.state == "terminated";
    if (m.health == "Unhealthy") {
      bool detachable = m.lifecycle == "InService" || m.lifecycle == "Standby";
      if (!m.protected_from_scale_in || gone) {
        if (detachable) {
          plan.detach.push_back(m.id);
        }
      } else if (it != ec2.end() && it->second.state == "stopped") {
        add_terminate(m.id);
        if (detachable) {
          plan.detach.push_back(m.id);
        }
      }
      continue;
    }
    if (gone || it->second.state == "shutting-down") {
      continue;
    }
    const Ec2Facts& facts = it->second;
    if (host_ips.count(facts.private_ip)) {
      continue;
    }
    if (to_terminate.count({m.id, facts.private_ip}) ||
        now - facts.launch_time > Scaled(std::chrono::minutes(30), time_scale)) {
      add_terminate(m.id);
    }
  }
  return plan;
}

Result<json> Terminate(AwsApi& aws, const json& response, const std::string& asg_name,
                       const std::string& nfs_asg_name, std::chrono::system_clock::time_point now,
                       double time_scale) {
  if (!response.is_object() || response.value("version", 0) != 1) {
    return InvalidArgumentError("incompatible scale response version");
  }
  if (asg_name.empty()) {
    return InvalidArgumentError("ASG_NAME is not set");
  }
  std::vector<std::string> errors;
  if (response.contains("TransientErrors") && response["TransientErrors"].is_array()) {
    for (const json& e : response["TransientErrors"]) {
      errors.push_back(e.is_string() ? e.get<std::string>() : e.dump());
    }
  }
  json terminated = json::array();
  for (const std::string& name : {asg_name, nfs_asg_name}) {
    if (name.empty()) {
      continue;
    }
    ASSIGN_OR_RETURN(json groups, aws.Call("autoscaling", "DescribeAutoScalingGroups",
                                           {{"AutoScalingGroupNames", {name}}}));
    if (!groups.contains("AutoScalingGroups") || groups["AutoScalingGroups"].empty()) {
      continue;  // e.g. no NFS gateways
    }
    std::vector<AsgMember> members;
    std::vector<std::string> ids;
    for (const json& i : groups["AutoScalingGroups"][0].value("Instances", json::array())) {
      members.push_back({i.value("InstanceId", ""), i.value("HealthStatus", ""),
                         i.value("LifecycleState", ""), i.value("ProtectedFromScaleIn", false)});
      ids.push_back(members.back().id);
    }
    std::map<std::string, Ec2Facts> facts;
    if (!ids.empty()) {
      ASSIGN_OR_RETURN(json described,
                       aws.Call("ec2", "DescribeInstances",
                                {{"Filters", {{{"Name", "instance-id"}, {"Values", ids}}}}}));
      for (const json& r : described.value("Reservations", json::array())) {
        for (const json& i : r.value("Instances", json::array())) {
          Ec2Facts f;
          f.state = i.contains("State") ? i["State"].value("Name", "") : "";
          f.private_ip = i.value("PrivateIpAddress", "");
          // The client's timestamps are seconds since the epoch (aws/codec.h); a string is
          // taken as RFC 3339.
          const json launched = i.value("LaunchTime", json());
          if (launched.is_number()) {
            f.launch_time = std::chrono::system_clock::time_point(
                std::chrono::duration_cast<std::chrono::system_clock::duration>(
                    std::chrono::duration<double>(launched.get<double>())));
          } else if (launched.is_string()) {
            f.launch_time = aws::ParseRfc3339(launched.get<std::string>())
                                .value_or(std::chrono::system_clock::time_point{});
          }
          f.launch_time_text = FormatRfc3339(f.launch_time);
          facts[i.value("InstanceId", "")] = f;
        }
      }
    }
    TerminatePlan plan = PlanTerminate(members, facts, response, now, time_scale);
    if (!plan.terminate.empty()) {
      for (const std::string& id : plan.terminate) {
        for (const char* attr : {"DisableApiTermination", "DisableApiStop"}) {
          Result<json> r = aws.Call("ec2", "ModifyInstanceAttribute",
                                    {{"InstanceId", id}, {attr, {{"Value", false}}}});
          if (!r.ok()) {
            errors.push_back("terminate:" + r.status().message());
          }
        }
      }
      std::vector<std::string> in_group;
      for (const std::string& id : plan.terminate) {
        if (std::any_of(members.begin(), members.end(), [&](const AsgMember& m) {
              return m.id == id && m.lifecycle != "Detached";
            })) {
          in_group.push_back(id);
        }
      }
      Result<json> unprotect = json::object();
      if (!in_group.empty()) {
        unprotect = aws.Call("autoscaling", "SetInstanceProtection",
                             {{"InstanceIds", in_group},
                              {"AutoScalingGroupName", name},
                              {"ProtectedFromScaleIn", false}});
      }
      if (!unprotect.ok()) {
        errors.push_back("terminate:" + unprotect.status().message());
      } else {
        Result<json> r = aws.Call("ec2", "TerminateInstances", {{"InstanceIds", plan.terminate}});
        if (!r.ok()) {
          errors.push_back("terminate:" + r.status().message());
        } else {
          for (const std::string& id : plan.terminate) {
            terminated.push_back(
                {{"instance_id", id},
                 {"creation_date", facts.count(id) ? facts[id].launch_time_text : ""}});
          }
        }
      }
    }
    for (size_t i = 0; i < plan.detach.size(); i += kDetachBatch) {
      std::vector<std::string> batch(
          plan.detach.begin() + static_cast<std::ptrdiff_t>(i),
          plan.detach.begin() +
              static_cast<std::ptrdiff_t>(std::min(plan.detach.size(), i + kDetachBatch)));
      Result<json> r = aws.Call("autoscaling", "DetachInstances",
                                {{"InstanceIds", batch},
                                 {"AutoScalingGroupName", name},
                                 {"ShouldDecrementDesiredCapacity", false}});
      if (!r.ok()) {
        errors.push_back("detachUnhealthy:" + r.status().message());
      }
    }
  }
  json out = {
      {"set_to_terminate_instances", terminated}, {"TransientErrors", nullptr}, {"version", 1}};
  if (!errors.empty()) {
    out["TransientErrors"] = errors;
  }
  return out;
}

Status Transient(const json& response) {
  if (!response.is_object() || !response.contains("TransientErrors") ||
      !response["TransientErrors"].is_array() || response["TransientErrors"].empty()) {
    return OkStatus();
  }
  std::string joined;
  for (const json& e : response["TransientErrors"]) {
    if (!joined.empty()) {
      joined += "\n";
    }
    joined += e.is_string() ? e.get<std::string>() : e.dump();
  }
  return UnavailableError("the following errors were found:\n" + joined);
}

}  // namespace cf::control
