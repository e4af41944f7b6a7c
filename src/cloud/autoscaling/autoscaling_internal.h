#pragma once

// Helpers shared by the autoscaling service's files (not a public interface).

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "cloud/core/service.h"

namespace cf::cloud::autoscaling {

// The group as DescribeAutoScalingGroups shows it: internal "_..." members dropped (its own
// and its instances').
Json GroupView(Json group);
// Whether `process` ("Launch", "ReplaceUnhealthy", ...) is suspended for the group.
bool Suspended(const Json& group, const std::string& process);
int64_t NowMs(const Clock& clock);
// The account's AWSServiceRoleForAutoScaling ARN.
std::string ServiceLinkedRoleArn(const std::string& account);

}  // namespace cf::cloud::autoscaling
