#pragma once

// The instance types the local cloud's DescribeInstanceTypes knows: the storage-optimised
// families WEKA runs on (i3en, i8ge), the compute and general families of its clients and of
// W&B (c5, c5n, m5, m6i, r6i, t3), with the figures EC2's own DescribeInstanceTypes reports
// (instance_types.cc says where they were checked).

#include <cstdint>
#include <span>

namespace cf::cloud::ec2 {

struct InstanceTypeSpec {
  const char* name;          // "i3en.large"
  int vcpus;                 // DefaultVCpus
  int threads_per_core;      // 2 for Intel/AMD, 1 for Graviton
  int64_t memory_mib;        // MemoryInfo.SizeInMiB
  int disk_count;            // local NVMe disks (0: EBS only)
  int64_t disk_size_gb;      // size of each disk in GB
  const char* network;       // NetworkPerformance: "Up to 25 Gigabit", "100 Gigabit"
  int max_interfaces;        // MaximumNetworkInterfaces
  int ipv4_per_interface;    // Ipv4AddressesPerInterface
  const char* architecture;  // "x86_64" or "arm64"
  double clock_ghz;          // SustainedClockSpeedInGhz
  bool bare_metal;
  bool burstable;
  bool efa;  // EfaSupported
  bool free_tier;
};

// Every known type, ordered by name within each family.
std::span<const InstanceTypeSpec> InstanceTypeTable();

}  // namespace cf::cloud::ec2
