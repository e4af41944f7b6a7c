#pragma once

// The EC2 instance types clusterform knows, in one table shared by the client side (plan's
// preflight: vCPUs for quotas) and the local cloud (DescribeInstanceTypes): the families the
// built-in modules use (i3en, i8ge, c5, c5n, c6i, m5, m6i, m6a, r6i, t3), with the figures
// EC2's own DescribeInstanceTypes reports (instance_types.cc says where they were checked).
// Static data: thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cf::aws {

struct InstanceTypeSpec {
  const char* name;    // "i3en.large"
  int vcpus;           // VCpuInfo.DefaultVCpus
  int64_t memory_mib;  // MemoryInfo.SizeInMiB
  // The rest of DescribeInstanceTypes' answer. threads_per_core is 0 for a type whose details
  // are not recorded (only its size is): the local cloud does not describe such a type.
  int threads_per_core = 0;       // 2 for Intel/AMD, 1 for Graviton
  int disk_count = 0;             // local NVMe disks (0: EBS only)
  int64_t disk_size_gb = 0;       // size of each disk in GB
  const char* network = "";       // NetworkPerformance: "Up to 25 Gigabit", "100 Gigabit"
  int max_interfaces = 0;         // MaximumNetworkInterfaces
  int ipv4_per_interface = 0;     // Ipv4AddressesPerInterface
  const char* architecture = "";  // "x86_64" or "arm64"
  double clock_ghz = 0;           // SustainedClockSpeedInGhz
  bool bare_metal = false;
  bool burstable = false;
  bool efa = false;  // EfaSupported
  bool free_tier = false;

  bool described() const { return threads_per_core > 0; }
  double memory_gib() const { return static_cast<double>(memory_mib) / 1024; }
};

// Every known type, ordered by name within each family.
std::span<const InstanceTypeSpec> InstanceTypeTable();

// The type named `instance_type`, or nullptr when it is not in the table.
const InstanceTypeSpec* FindInstanceType(std::string_view instance_type);

// "i3en" for "i3en.6xlarge"; the whole string when there is no dot.
std::string_view InstanceFamily(std::string_view instance_type);

// The Running On-Demand quota an instance type counts against: "Standard (A, C, D, H, I, M, R,
// T, Z)" for the families of those letters, otherwise the letter class ("G and VT", "P",
// "X", "F", "Inf", "DL", "Trn", "HPC", "High Memory"), empty when not recognised.
std::string OnDemandQuotaClass(std::string_view instance_type);

}  // namespace cf::aws
