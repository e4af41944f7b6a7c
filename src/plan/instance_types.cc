#include "plan/instance_types.h"

#include <algorithm>

namespace cf::plan {

namespace {

// Default vCPUs and memory (GiB) per size, from the EC2 instance type specifications.
const std::vector<InstanceTypeInfo>& Table() {
  static const std::vector<InstanceTypeInfo> kTable = [] {
    std::vector<InstanceTypeInfo> table = {
        // Storage optimized.
        {"i3en.large", 2, 16},
        {"i3en.xlarge", 4, 32},
        {"i3en.2xlarge", 8, 64},
        {"i3en.3xlarge", 12, 96},
        {"i3en.6xlarge", 24, 192},
        {"i3en.12xlarge", 48, 384},
        {"i3en.24xlarge", 96, 768},
        {"i3en.metal", 96, 768},
        {"i8ge.large", 2, 16},
        {"i8ge.xlarge", 4, 32},
        {"i8ge.2xlarge", 8, 64},
        {"i8ge.3xlarge", 12, 96},
        {"i8ge.6xlarge", 24, 192},
        {"i8ge.12xlarge", 48, 384},
        {"i8ge.18xlarge", 72, 576},
        {"i8ge.24xlarge", 96, 768},
        {"i8ge.48xlarge", 192, 1536},
        {"i8ge.metal-24xl", 96, 768},
        {"i8ge.metal-48xl", 192, 1536},
        // Compute optimized.
        {"c5.large", 2, 4},
        {"c5.xlarge", 4, 8},
        {"c5.2xlarge", 8, 16},
        {"c5.4xlarge", 16, 32},
        {"c5.9xlarge", 36, 72},
        {"c5.12xlarge", 48, 96},
        {"c5.18xlarge", 72, 144},
        {"c5.24xlarge", 96, 192},
        {"c5.metal", 96, 192},
        {"c5n.large", 2, 5.25},
        {"c5n.xlarge", 4, 10.5},
        {"c5n.2xlarge", 8, 21},
        {"c5n.4xlarge", 16, 42},
        {"c5n.9xlarge", 36, 96},
        {"c5n.18xlarge", 72, 192},
        {"c5n.metal", 72, 192},
        {"c6i.large", 2, 4},
        {"c6i.xlarge", 4, 8},
        {"c6i.2xlarge", 8, 16},
        {"c6i.4xlarge", 16, 32},
        {"c6i.8xlarge", 32, 64},
        {"c6i.12xlarge", 48, 96},
        {"c6i.16xlarge", 64, 128},
        {"c6i.24xlarge", 96, 192},
        {"c6i.32xlarge", 128, 256},
        {"c6i.metal", 128, 256},
        // General purpose.
        {"m5.large", 2, 8},
        {"m5.xlarge", 4, 16},
        {"m5.2xlarge", 8, 32},
        {"m5.4xlarge", 16, 64},
        {"m5.8xlarge", 32, 128},
        {"m5.12xlarge", 48, 192},
        {"m5.16xlarge", 64, 256},
        {"m5.24xlarge", 96, 384},
        {"m5.metal", 96, 384},
        {"m6i.large", 2, 8},
        {"m6i.xlarge", 4, 16},
        {"m6i.2xlarge", 8, 32},
        {"m6i.4xlarge", 16, 64},
        {"m6i.8xlarge", 32, 128},
        {"m6i.12xlarge", 48, 192},
        {"m6i.16xlarge", 64, 256},
        {"m6i.24xlarge", 96, 384},
        {"m6i.32xlarge", 128, 512},
        {"m6i.metal", 128, 512},
        {"m6a.large", 2, 8},
        {"m6a.xlarge", 4, 16},
        {"m6a.2xlarge", 8, 32},
        {"m6a.4xlarge", 16, 64},
        {"m6a.8xlarge", 32, 128},
        {"m6a.12xlarge", 48, 192},
        {"m6a.16xlarge", 64, 256},
        {"m6a.24xlarge", 96, 384},
        {"m6a.32xlarge", 128, 512},
        {"m6a.48xlarge", 192, 768},
        {"m6a.metal", 192, 768},
        {"t3.nano", 2, 0.5},
        {"t3.micro", 2, 1},
        {"t3.small", 2, 2},
        {"t3.medium", 2, 4},
        {"t3.large", 2, 8},
        {"t3.xlarge", 4, 16},
        {"t3.2xlarge", 8, 32},
        // Memory optimized.
        {"r6i.large", 2, 16},
        {"r6i.xlarge", 4, 32},
        {"r6i.2xlarge", 8, 64},
        {"r6i.4xlarge", 16, 128},
        {"r6i.8xlarge", 32, 256},
        {"r6i.12xlarge", 48, 384},
        {"r6i.16xlarge", 64, 512},
        {"r6i.24xlarge", 96, 768},
        {"r6i.32xlarge", 128, 1024},
        {"r6i.metal", 128, 1024},
    };
    std::sort(table.begin(), table.end(),
              [](const InstanceTypeInfo& a, const InstanceTypeInfo& b) { return a.name < b.name; });
    return table;
  }();
  return kTable;
}

}  // namespace

std::optional<InstanceTypeInfo> LookupInstanceType(std::string_view instance_type) {
  const std::vector<InstanceTypeInfo>& table = Table();
  auto it = std::lower_bound(
      table.begin(), table.end(), instance_type,
      [](const InstanceTypeInfo& info, std::string_view name) { return info.name < name; });
  if (it == table.end() || it->name != instance_type) {
    return std::nullopt;
  }
  return *it;
}

const std::vector<InstanceTypeInfo>& KnownInstanceTypes() {
  return Table();
}

std::string_view InstanceFamily(std::string_view instance_type) {
  return instance_type.substr(0, instance_type.find('.'));
}

std::string OnDemandQuotaClass(std::string_view instance_type) {
  std::string_view family = InstanceFamily(instance_type);
  if (family.empty()) {
    return "";
  }
  auto starts = [family](std::string_view prefix) {
    return family.substr(0, prefix.size()) == prefix;
  };
  if (starts("u-")) {
    return "High Memory";
  }
  if (starts("inf")) {
    return "Inf";
  }
  if (starts("dl")) {
    return "DL";
  }
  if (starts("trn")) {
    return "Trn";
  }
  if (starts("hpc")) {
    return "HPC";
  }
  if (starts("vt") || family[0] == 'g') {
    return "G and VT";
  }
  switch (family[0]) {
    case 'a':
    case 'c':
    case 'd':
    case 'h':
    case 'i':
    case 'm':
    case 'r':
    case 't':
    case 'z':
      return "Standard (A, C, D, H, I, M, R, T, Z)";
    case 'p':
      return "P";
    case 'x':
      return "X";
    case 'f':
      return "F";
    default:
      return "";
  }
}

}  // namespace cf::plan
