// The instance type table, typed in by hand and then checked row by row, every field, against a
// dump of real DescribeInstanceTypes answers (one JSON object per type, members named as the
// API names them):
//   getmoto/moto, moto/ec2/resources/instance_types.json
//   (commit 008b9e13966c7f32cd01e8209db511907b22942d).
// What each column was checked against in that dump: VCpuInfo.DefaultVCpus and
// .DefaultThreadsPerCore, MemoryInfo.SizeInMiB, InstanceStorageInfo.Disks[0].Count and .SizeInGB
// (their product is the dump's TotalSizeInGB; no storage where InstanceStorageSupported is false),
// NetworkInfo.NetworkPerformance (the instance-level string, not the per-card one),
// .MaximumNetworkInterfaces, .Ipv4AddressesPerInterface and .EfaSupported,
// ProcessorInfo.SupportedArchitectures and .SustainedClockSpeedInGhz, BareMetal,
// BurstablePerformanceSupported and FreeTierEligible.
// - i3en (8 sizes): all fields as in the dump; also matched earlier against Karpenter's generated
//   reference (aws/karpenter-provider-aws, website/content/en/preview/reference/
//   instance-types.md: memory, total NVMe, max pods = ENIs * (IPv4 per ENI - 1) + 2).
// - i8ge (11 sizes): vCPUs, memory and disks as in the dump. Corrected from it: the small sizes
//   are "Up to 25 Gigabit", ENIs run 3/4/4/6/10/12/16/16/24, only the 48xlarge sizes have EFA
//   and a 2.7 GHz sustained clock.
// - c5 (9 sizes): as in the dump except c5.12xlarge's clock, 3.6 GHz like the 24xlarge and metal.
//   c5.large also agrees with Karpenter's reference (2 vCPUs, 4096 MiB, 3400 MHz, 29 pods).
// - c5n (7 sizes), m5 (9), m6i (10), r6i (10): every field as in the dump.
// - t3 (7 sizes): as in the dump; t3.small is FreeTierEligible there, like t3.micro.
// FreeTierEligible depends on the account's free-tier plan (the same dump has t2.micro false);
// the table follows the dump. No field is left unverified.
// - c6i (10 sizes), m6a (11): vCPUs and memory only, from the EC2 instance type specifications
//   (what plan's preflight needs); their other fields are not recorded, so the local cloud does
//   not describe them.
// Memory is in MiB, disk sizes in GB, as DescribeInstanceTypes reports them.

#include "aws/instance_types.h"

#include <algorithm>
#include <vector>

namespace cf::aws {

namespace {

constexpr char kX86[] = "x86_64";
constexpr char kArm[] = "arm64";

// name, vCPUs, MiB, threads/core, disks, GB each, network, ENIs, IPv4/ENI, arch, GHz, metal,
// burstable, EFA, free tier.
// clang-format off
constexpr InstanceTypeSpec kTypes[] = {
    // i3en: Intel Xeon Platinum 8259CL, 1250 GB to 60 TB of NVMe.
    {"i3en.large", 2, 16384, 2, 1, 1250, "Up to 25 Gigabit", 3, 10, kX86, 3.1, false, false, false, false},
    {"i3en.xlarge", 4, 32768, 2, 1, 2500, "Up to 25 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"i3en.2xlarge", 8, 65536, 2, 2, 2500, "Up to 25 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"i3en.3xlarge", 12, 98304, 2, 1, 7500, "Up to 25 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"i3en.6xlarge", 24, 196608, 2, 2, 7500, "25 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"i3en.12xlarge", 48, 393216, 2, 4, 7500, "50 Gigabit", 8, 30, kX86, 3.1, false, false, true, false},
    {"i3en.24xlarge", 96, 786432, 2, 8, 7500, "100 Gigabit", 15, 50, kX86, 3.1, false, false, true, false},
    {"i3en.metal", 96, 786432, 2, 8, 7500, "100 Gigabit", 15, 50, kX86, 3.1, true, false, true, false},
    // i8ge: AWS Graviton4, 1250 GB to 120 TB of NVMe; EFA on the 48xlarge sizes only.
    {"i8ge.large", 2, 16384, 1, 1, 1250, "Up to 25 Gigabit", 3, 10, kArm, 2.8, false, false, false, false},
    {"i8ge.xlarge", 4, 32768, 1, 1, 2500, "Up to 25 Gigabit", 4, 15, kArm, 2.8, false, false, false, false},
    {"i8ge.2xlarge", 8, 65536, 1, 2, 2500, "Up to 25 Gigabit", 4, 15, kArm, 2.8, false, false, false, false},
    {"i8ge.3xlarge", 12, 98304, 1, 1, 7500, "Up to 25 Gigabit", 6, 30, kArm, 2.8, false, false, false, false},
    {"i8ge.6xlarge", 24, 196608, 1, 2, 7500, "37.5 Gigabit", 10, 30, kArm, 2.8, false, false, false, false},
    {"i8ge.12xlarge", 48, 393216, 1, 4, 7500, "75 Gigabit", 12, 30, kArm, 2.8, false, false, false, false},
    {"i8ge.18xlarge", 72, 589824, 1, 6, 7500, "112.5 Gigabit", 16, 50, kArm, 2.8, false, false, false, false},
    {"i8ge.24xlarge", 96, 786432, 1, 8, 7500, "150 Gigabit", 16, 50, kArm, 2.8, false, false, false, false},
    {"i8ge.48xlarge", 192, 1572864, 1, 16, 7500, "300 Gigabit", 24, 50, kArm, 2.7, false, false, true, false},
    {"i8ge.metal-24xl", 96, 786432, 1, 8, 7500, "150 Gigabit", 16, 50, kArm, 2.8, true, false, false, false},
    {"i8ge.metal-48xl", 192, 1572864, 1, 16, 7500, "300 Gigabit", 24, 50, kArm, 2.7, true, false, true, false},
    // c5: Intel Xeon Platinum 8000 series, EBS only.
    {"c5.large", 2, 4096, 2, 0, 0, "Up to 10 Gigabit", 3, 10, kX86, 3.4, false, false, false, false},
    {"c5.xlarge", 4, 8192, 2, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5.2xlarge", 8, 16384, 2, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5.4xlarge", 16, 32768, 2, 0, 0, "Up to 10 Gigabit", 8, 30, kX86, 3.4, false, false, false, false},
    {"c5.9xlarge", 36, 73728, 2, 0, 0, "12 Gigabit", 8, 30, kX86, 3.4, false, false, false, false},
    {"c5.12xlarge", 48, 98304, 2, 0, 0, "12 Gigabit", 8, 30, kX86, 3.6, false, false, false, false},
    {"c5.18xlarge", 72, 147456, 2, 0, 0, "25 Gigabit", 15, 50, kX86, 3.4, false, false, false, false},
    {"c5.24xlarge", 96, 196608, 2, 0, 0, "25 Gigabit", 15, 50, kX86, 3.6, false, false, false, false},
    {"c5.metal", 96, 196608, 2, 0, 0, "25 Gigabit", 15, 50, kX86, 3.6, true, false, false, false},
    // c5n: c5 with 100 Gigabit networking and more memory.
    {"c5n.large", 2, 5376, 2, 0, 0, "Up to 25 Gigabit", 3, 10, kX86, 3.4, false, false, false, false},
    {"c5n.xlarge", 4, 10752, 2, 0, 0, "Up to 25 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5n.2xlarge", 8, 21504, 2, 0, 0, "Up to 25 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5n.4xlarge", 16, 43008, 2, 0, 0, "Up to 25 Gigabit", 8, 30, kX86, 3.4, false, false, false, false},
    {"c5n.9xlarge", 36, 98304, 2, 0, 0, "50 Gigabit", 8, 30, kX86, 3.4, false, false, true, false},
    {"c5n.18xlarge", 72, 196608, 2, 0, 0, "100 Gigabit", 15, 50, kX86, 3.4, false, false, true, false},
    {"c5n.metal", 72, 196608, 2, 0, 0, "100 Gigabit", 15, 50, kX86, 3.4, true, false, true, false},
    // c6i: Intel Xeon (Ice Lake), EBS only. vCPUs and memory only: not described.
    {"c6i.large", 2, 4096},
    {"c6i.xlarge", 4, 8192},
    {"c6i.2xlarge", 8, 16384},
    {"c6i.4xlarge", 16, 32768},
    {"c6i.8xlarge", 32, 65536},
    {"c6i.12xlarge", 48, 98304},
    {"c6i.16xlarge", 64, 131072},
    {"c6i.24xlarge", 96, 196608},
    {"c6i.32xlarge", 128, 262144},
    {"c6i.metal", 128, 262144},
    // m5: Intel Xeon Platinum 8175M, EBS only.
    {"m5.large", 2, 8192, 2, 0, 0, "Up to 10 Gigabit", 3, 10, kX86, 3.1, false, false, false, false},
    {"m5.xlarge", 4, 16384, 2, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"m5.2xlarge", 8, 32768, 2, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"m5.4xlarge", 16, 65536, 2, 0, 0, "Up to 10 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"m5.8xlarge", 32, 131072, 2, 0, 0, "10 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"m5.12xlarge", 48, 196608, 2, 0, 0, "12 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"m5.16xlarge", 64, 262144, 2, 0, 0, "20 Gigabit", 15, 50, kX86, 3.1, false, false, false, false},
    {"m5.24xlarge", 96, 393216, 2, 0, 0, "25 Gigabit", 15, 50, kX86, 3.1, false, false, false, false},
    {"m5.metal", 96, 393216, 2, 0, 0, "25 Gigabit", 15, 50, kX86, 3.1, true, false, false, false},
    // m6i: Intel Xeon Platinum 8375C (Ice Lake), EBS only.
    {"m6i.large", 2, 8192, 2, 0, 0, "Up to 12.5 Gigabit", 3, 10, kX86, 3.5, false, false, false, false},
    {"m6i.xlarge", 4, 16384, 2, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"m6i.2xlarge", 8, 32768, 2, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"m6i.4xlarge", 16, 65536, 2, 0, 0, "Up to 12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"m6i.8xlarge", 32, 131072, 2, 0, 0, "12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"m6i.12xlarge", 48, 196608, 2, 0, 0, "18.75 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"m6i.16xlarge", 64, 262144, 2, 0, 0, "25 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"m6i.24xlarge", 96, 393216, 2, 0, 0, "37.5 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"m6i.32xlarge", 128, 524288, 2, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, false, false, true, false},
    {"m6i.metal", 128, 524288, 2, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, true, false, true, false},
    // m6a: AMD EPYC (Milan), EBS only. vCPUs and memory only: not described.
    {"m6a.large", 2, 8192},
    {"m6a.xlarge", 4, 16384},
    {"m6a.2xlarge", 8, 32768},
    {"m6a.4xlarge", 16, 65536},
    {"m6a.8xlarge", 32, 131072},
    {"m6a.12xlarge", 48, 196608},
    {"m6a.16xlarge", 64, 262144},
    {"m6a.24xlarge", 96, 393216},
    {"m6a.32xlarge", 128, 524288},
    {"m6a.48xlarge", 192, 786432},
    {"m6a.metal", 192, 786432},
    // r6i: m6i's processors with 8 GiB per vCPU.
    {"r6i.large", 2, 16384, 2, 0, 0, "Up to 12.5 Gigabit", 3, 10, kX86, 3.5, false, false, false, false},
    {"r6i.xlarge", 4, 32768, 2, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"r6i.2xlarge", 8, 65536, 2, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"r6i.4xlarge", 16, 131072, 2, 0, 0, "Up to 12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"r6i.8xlarge", 32, 262144, 2, 0, 0, "12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"r6i.12xlarge", 48, 393216, 2, 0, 0, "18.75 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"r6i.16xlarge", 64, 524288, 2, 0, 0, "25 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"r6i.24xlarge", 96, 786432, 2, 0, 0, "37.5 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"r6i.32xlarge", 128, 1048576, 2, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, false, false, true, false},
    {"r6i.metal", 128, 1048576, 2, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, true, false, true, false},
    // t3: burstable Intel Xeon, EBS only.
    {"t3.nano", 2, 512, 2, 0, 0, "Up to 5 Gigabit", 2, 2, kX86, 2.5, false, true, false, false},
    {"t3.micro", 2, 1024, 2, 0, 0, "Up to 5 Gigabit", 2, 2, kX86, 2.5, false, true, false, true},
    {"t3.small", 2, 2048, 2, 0, 0, "Up to 5 Gigabit", 3, 4, kX86, 2.5, false, true, false, true},
    {"t3.medium", 2, 4096, 2, 0, 0, "Up to 5 Gigabit", 3, 6, kX86, 2.5, false, true, false, false},
    {"t3.large", 2, 8192, 2, 0, 0, "Up to 5 Gigabit", 3, 12, kX86, 2.5, false, true, false, false},
    {"t3.xlarge", 4, 16384, 2, 0, 0, "Up to 5 Gigabit", 4, 15, kX86, 2.5, false, true, false, false},
    {"t3.2xlarge", 8, 32768, 2, 0, 0, "Up to 5 Gigabit", 4, 15, kX86, 2.5, false, true, false, false},
    // clang-format on
};
// clang-format on

}  // namespace

std::span<const InstanceTypeSpec> InstanceTypeTable() {
  return kTypes;
}

const InstanceTypeSpec* FindInstanceType(std::string_view instance_type) {
  static const std::vector<const InstanceTypeSpec*> kByName = [] {
    std::vector<const InstanceTypeSpec*> sorted;
    for (const InstanceTypeSpec& spec : kTypes) {
      sorted.push_back(&spec);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const InstanceTypeSpec* a, const InstanceTypeSpec* b) {
                return std::string_view(a->name) < std::string_view(b->name);
              });
    return sorted;
  }();
  auto it = std::lower_bound(kByName.begin(), kByName.end(), instance_type,
                             [](const InstanceTypeSpec* spec, std::string_view name) {
                               return std::string_view(spec->name) < name;
                             });
  return it != kByName.end() && (*it)->name == instance_type ? *it : nullptr;
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

}  // namespace cf::aws
