#pragma once

// The AWS calls of `status` and `scale`, over one aws::Client (AWS or the local cloud):
// invoking the deployment's status function, describing its autoscaling group and the
// group's instances, and changing the group's size.

#include <nlohmann/json.hpp>
#include <string>

#include "aws/client.h"
#include "base/status.h"
#include "cli/cluster_report.h"
#include "cli/weka_deployment.h"

namespace cf::cli {

class ClusterObserver {
 public:
  // `client` must outlive the observer.
  ClusterObserver(aws::Client& client, WekaDeployment deployment, std::string region)
      : client_(client), deployment_(std::move(deployment)), region_(std::move(region)) {}

  // The status function's answer to {"type": TYPE} ("progress" or "status"). Unavailable
  // when the function failed (its error message), the endpoint's errors otherwise.
  Result<nlohmann::json> InvokeStatus(const std::string& type);
  // The backends' group (one element of AutoScalingGroups). NotFound when it does not exist.
  Result<nlohmann::json> DescribeGroup();
  // One look: progress, status, the group and its instances.
  Result<ClusterReport> Observe();

  // SetDesiredCapacity with HonorCooldown false.
  Status SetDesiredCapacity(int desired);
  // UpdateAutoScalingGroup MinSize (the module creates min = cluster_size).
  Status SetMinSize(int min_size);

  const WekaDeployment& deployment() const { return deployment_; }

 private:
  aws::Client& client_;
  WekaDeployment deployment_;
  std::string region_;
};

}  // namespace cf::cli
