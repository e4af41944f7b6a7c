#include "cli/cluster_observer.h"

#include <fmt/format.h>

namespace cf::cli {

using Json = nlohmann::json;

Result<Json> ClusterObserver::InvokeStatus(const std::string& type) {
  ASSIGN_OR_RETURN(Json out, client_.Call("lambda", "Invoke",
                                          {{"FunctionName", deployment_.status_function},
                                           {"Payload", Json{{"type", type}}.dump()}}));
  std::string payload = out.value("Payload", std::string("null"));
  Json answer = Json::parse(payload, nullptr, false);
  if (out.contains("FunctionError")) {
    std::string message = answer.is_object() ? answer.value("errorMessage", payload) : payload;
    return UnavailableError(
        fmt::format("the status function {} failed: {}", deployment_.status_function, message));
  }
  if (answer.is_discarded()) {
    return UnavailableError(fmt::format("the status function {} answered no JSON: {}",
                                        deployment_.status_function, payload));
  }
  if (answer.is_string()) {  // "Invalid status type" and the like
    return UnavailableError(fmt::format("the status function {} answered: {}",
                                        deployment_.status_function, answer.get<std::string>()));
  }
  return answer;
}

Result<Json> ClusterObserver::DescribeGroup() {
  ASSIGN_OR_RETURN(Json out, client_.Call("autoscaling", "DescribeAutoScalingGroups",
                                          {{"AutoScalingGroupNames", {deployment_.asg_name}}}));
  if (!out.contains("AutoScalingGroups") || !out["AutoScalingGroups"].is_array() ||
      out["AutoScalingGroups"].empty()) {
    return NotFoundError(fmt::format(
        "the autoscaling group {} does not exist (the state records it: was it deleted outside "
        "clusterform?)",
        deployment_.asg_name));
  }
  return out["AutoScalingGroups"][0];
}

Result<ClusterReport> ClusterObserver::Observe() {
  ASSIGN_OR_RETURN(Json progress, InvokeStatus("progress"));
  ASSIGN_OR_RETURN(Json status, InvokeStatus("status"));
  ASSIGN_OR_RETURN(Json group, DescribeGroup());
  Json ids = Json::array();
  for (const Json& i : group.value("Instances", Json::array())) {
    ids.push_back(i.value("InstanceId", ""));
  }
  Json reservations = Json::array();
  if (!ids.empty()) {
    ASSIGN_OR_RETURN(Json described,
                     client_.Call("ec2", "DescribeInstances", {{"InstanceIds", ids}}));
    reservations = described.value("Reservations", Json::array());
  }
  return BuildReport(deployment_, region_, progress, status, group, reservations);
}

Status ClusterObserver::SetDesiredCapacity(int desired) {
  return client_
      .Call("autoscaling", "SetDesiredCapacity",
            {{"AutoScalingGroupName", deployment_.asg_name},
             {"DesiredCapacity", desired},
             {"HonorCooldown", false}})
      .status();
}

Status ClusterObserver::SetMinSize(int min_size) {
  return client_
      .Call("autoscaling", "UpdateAutoScalingGroup",
            {{"AutoScalingGroupName", deployment_.asg_name}, {"MinSize", min_size}})
      .status();
}

}  // namespace cf::cli
