#pragma once

// The EC2 instance types clusterform knows the size of (the families the built-in modules
// use: i3en, i8ge, c5, c5n, c6i, m5, m6i, m6a, r6i, t3), from AWS's instance type
// specifications, and the On-Demand vCPU quota class each family counts against.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cf::plan {

struct InstanceTypeInfo {
  std::string_view name;  // "i3en.6xlarge"
  int vcpus = 0;
  double memory_gib = 0;
};

// The size of `instance_type`, or nullopt when it is not in the table.
std::optional<InstanceTypeInfo> LookupInstanceType(std::string_view instance_type);

// Every type in the table, sorted by name.
const std::vector<InstanceTypeInfo>& KnownInstanceTypes();

// "i3en" for "i3en.6xlarge"; the whole string when there is no dot.
std::string_view InstanceFamily(std::string_view instance_type);

// The Running On-Demand quota an instance type counts against: "Standard (A, C, D, H, I, M, R,
// T, Z)" for the families of those letters, otherwise the letter class ("G and VT", "P",
// "X", "F", "Inf", "DL", "Trn", "HPC", "High Memory"), empty when not recognised.
std::string OnDemandQuotaClass(std::string_view instance_type);

}  // namespace cf::plan
