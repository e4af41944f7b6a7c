#pragma once

// Preflight: what would make an apply of this desired state fail or be unsafe, found before
// any call is made: vCPU needs per instance family, AZ and subnet rules, name length limits,
// instance types the modules have no sizing for, management ports open to the world.

#include <string>
#include <vector>

#include "graph/configuration.h"

namespace cf::plan {

struct Finding {
  enum class Severity { kError, kWarning, kInfo };
  Severity severity = Severity::kInfo;
  std::string address;  // the resource instance or module call it is about; may be empty
  std::string summary;  // one line: "6 × i3en.6xlarge = 144 vCPUs (i family)"
  std::string detail;   // what to do about it; may be empty
};

// The findings for `desired`, errors first, then warnings, then information; within a
// severity in address order.
std::vector<Finding> Preflight(const graph::DesiredState& desired);

}  // namespace cf::plan
