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
// Memory is in MiB, disk sizes in GB, as DescribeInstanceTypes reports them. src/plan keeps its
// own vCPU/GiB table (plan/instance_types.cc) for preflight; its rows for these types agree.

#include "cloud/ec2/instance_types.h"

namespace cf::cloud::ec2 {

namespace {

constexpr char kX86[] = "x86_64";
constexpr char kArm[] = "arm64";

// name, vCPUs, threads/core, MiB, disks, GB each, network, ENIs, IPv4/ENI, arch, GHz, metal,
// burstable, EFA, free tier.
// clang-format off
constexpr InstanceTypeSpec kTypes[] = {
    // i3en: Intel Xeon Platinum 8259CL, 1250 GB to 60 TB of NVMe.
    {"i3en.large", 2, 2, 16384, 1, 1250, "Up to 25 Gigabit", 3, 10, kX86, 3.1, false, false, false, false},
    {"i3en.xlarge", 4, 2, 32768, 1, 2500, "Up to 25 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"i3en.2xlarge", 8, 2, 65536, 2, 2500, "Up to 25 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"i3en.3xlarge", 12, 2, 98304, 1, 7500, "Up to 25 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"i3en.6xlarge", 24, 2, 196608, 2, 7500, "25 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"i3en.12xlarge", 48, 2, 393216, 4, 7500, "50 Gigabit", 8, 30, kX86, 3.1, false, false, true, false},
    {"i3en.24xlarge", 96, 2, 786432, 8, 7500, "100 Gigabit", 15, 50, kX86, 3.1, false, false, true, false},
    {"i3en.metal", 96, 2, 786432, 8, 7500, "100 Gigabit", 15, 50, kX86, 3.1, true, false, true, false},
    // i8ge: AWS Graviton4, 1250 GB to 120 TB of NVMe; EFA on the 48xlarge sizes only.
    {"i8ge.large", 2, 1, 16384, 1, 1250, "Up to 25 Gigabit", 3, 10, kArm, 2.8, false, false, false, false},
    {"i8ge.xlarge", 4, 1, 32768, 1, 2500, "Up to 25 Gigabit", 4, 15, kArm, 2.8, false, false, false, false},
    {"i8ge.2xlarge", 8, 1, 65536, 2, 2500, "Up to 25 Gigabit", 4, 15, kArm, 2.8, false, false, false, false},
    {"i8ge.3xlarge", 12, 1, 98304, 1, 7500, "Up to 25 Gigabit", 6, 30, kArm, 2.8, false, false, false, false},
    {"i8ge.6xlarge", 24, 1, 196608, 2, 7500, "37.5 Gigabit", 10, 30, kArm, 2.8, false, false, false, false},
    {"i8ge.12xlarge", 48, 1, 393216, 4, 7500, "75 Gigabit", 12, 30, kArm, 2.8, false, false, false, false},
    {"i8ge.18xlarge", 72, 1, 589824, 6, 7500, "112.5 Gigabit", 16, 50, kArm, 2.8, false, false, false, false},
    {"i8ge.24xlarge", 96, 1, 786432, 8, 7500, "150 Gigabit", 16, 50, kArm, 2.8, false, false, false, false},
    {"i8ge.48xlarge", 192, 1, 1572864, 16, 7500, "300 Gigabit", 24, 50, kArm, 2.7, false, false, true, false},
    {"i8ge.metal-24xl", 96, 1, 786432, 8, 7500, "150 Gigabit", 16, 50, kArm, 2.8, true, false, false, false},
    {"i8ge.metal-48xl", 192, 1, 1572864, 16, 7500, "300 Gigabit", 24, 50, kArm, 2.7, true, false, true, false},
    // c5: Intel Xeon Platinum 8000 series, EBS only.
    {"c5.large", 2, 2, 4096, 0, 0, "Up to 10 Gigabit", 3, 10, kX86, 3.4, false, false, false, false},
    {"c5.xlarge", 4, 2, 8192, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5.2xlarge", 8, 2, 16384, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5.4xlarge", 16, 2, 32768, 0, 0, "Up to 10 Gigabit", 8, 30, kX86, 3.4, false, false, false, false},
    {"c5.9xlarge", 36, 2, 73728, 0, 0, "12 Gigabit", 8, 30, kX86, 3.4, false, false, false, false},
    {"c5.12xlarge", 48, 2, 98304, 0, 0, "12 Gigabit", 8, 30, kX86, 3.6, false, false, false, false},
    {"c5.18xlarge", 72, 2, 147456, 0, 0, "25 Gigabit", 15, 50, kX86, 3.4, false, false, false, false},
    {"c5.24xlarge", 96, 2, 196608, 0, 0, "25 Gigabit", 15, 50, kX86, 3.6, false, false, false, false},
    {"c5.metal", 96, 2, 196608, 0, 0, "25 Gigabit", 15, 50, kX86, 3.6, true, false, false, false},
    // c5n: c5 with 100 Gigabit networking and more memory.
    {"c5n.large", 2, 2, 5376, 0, 0, "Up to 25 Gigabit", 3, 10, kX86, 3.4, false, false, false, false},
    {"c5n.xlarge", 4, 2, 10752, 0, 0, "Up to 25 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5n.2xlarge", 8, 2, 21504, 0, 0, "Up to 25 Gigabit", 4, 15, kX86, 3.4, false, false, false, false},
    {"c5n.4xlarge", 16, 2, 43008, 0, 0, "Up to 25 Gigabit", 8, 30, kX86, 3.4, false, false, false, false},
    {"c5n.9xlarge", 36, 2, 98304, 0, 0, "50 Gigabit", 8, 30, kX86, 3.4, false, false, true, false},
    {"c5n.18xlarge", 72, 2, 196608, 0, 0, "100 Gigabit", 15, 50, kX86, 3.4, false, false, true, false},
    {"c5n.metal", 72, 2, 196608, 0, 0, "100 Gigabit", 15, 50, kX86, 3.4, true, false, true, false},
    // m5: Intel Xeon Platinum 8175M, EBS only.
    {"m5.large", 2, 2, 8192, 0, 0, "Up to 10 Gigabit", 3, 10, kX86, 3.1, false, false, false, false},
    {"m5.xlarge", 4, 2, 16384, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"m5.2xlarge", 8, 2, 32768, 0, 0, "Up to 10 Gigabit", 4, 15, kX86, 3.1, false, false, false, false},
    {"m5.4xlarge", 16, 2, 65536, 0, 0, "Up to 10 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"m5.8xlarge", 32, 2, 131072, 0, 0, "10 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"m5.12xlarge", 48, 2, 196608, 0, 0, "12 Gigabit", 8, 30, kX86, 3.1, false, false, false, false},
    {"m5.16xlarge", 64, 2, 262144, 0, 0, "20 Gigabit", 15, 50, kX86, 3.1, false, false, false, false},
    {"m5.24xlarge", 96, 2, 393216, 0, 0, "25 Gigabit", 15, 50, kX86, 3.1, false, false, false, false},
    {"m5.metal", 96, 2, 393216, 0, 0, "25 Gigabit", 15, 50, kX86, 3.1, true, false, false, false},
    // m6i: Intel Xeon Platinum 8375C (Ice Lake), EBS only.
    {"m6i.large", 2, 2, 8192, 0, 0, "Up to 12.5 Gigabit", 3, 10, kX86, 3.5, false, false, false, false},
    {"m6i.xlarge", 4, 2, 16384, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"m6i.2xlarge", 8, 2, 32768, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"m6i.4xlarge", 16, 2, 65536, 0, 0, "Up to 12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"m6i.8xlarge", 32, 2, 131072, 0, 0, "12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"m6i.12xlarge", 48, 2, 196608, 0, 0, "18.75 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"m6i.16xlarge", 64, 2, 262144, 0, 0, "25 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"m6i.24xlarge", 96, 2, 393216, 0, 0, "37.5 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"m6i.32xlarge", 128, 2, 524288, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, false, false, true, false},
    {"m6i.metal", 128, 2, 524288, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, true, false, true, false},
    // r6i: m6i's processors with 8 GiB per vCPU.
    {"r6i.large", 2, 2, 16384, 0, 0, "Up to 12.5 Gigabit", 3, 10, kX86, 3.5, false, false, false, false},
    {"r6i.xlarge", 4, 2, 32768, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"r6i.2xlarge", 8, 2, 65536, 0, 0, "Up to 12.5 Gigabit", 4, 15, kX86, 3.5, false, false, false, false},
    {"r6i.4xlarge", 16, 2, 131072, 0, 0, "Up to 12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"r6i.8xlarge", 32, 2, 262144, 0, 0, "12.5 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"r6i.12xlarge", 48, 2, 393216, 0, 0, "18.75 Gigabit", 8, 30, kX86, 3.5, false, false, false, false},
    {"r6i.16xlarge", 64, 2, 524288, 0, 0, "25 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"r6i.24xlarge", 96, 2, 786432, 0, 0, "37.5 Gigabit", 15, 50, kX86, 3.5, false, false, false, false},
    {"r6i.32xlarge", 128, 2, 1048576, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, false, false, true, false},
    {"r6i.metal", 128, 2, 1048576, 0, 0, "50 Gigabit", 15, 50, kX86, 3.5, true, false, true, false},
    // t3: burstable Intel Xeon, EBS only.
    {"t3.nano", 2, 2, 512, 0, 0, "Up to 5 Gigabit", 2, 2, kX86, 2.5, false, true, false, false},
    {"t3.micro", 2, 2, 1024, 0, 0, "Up to 5 Gigabit", 2, 2, kX86, 2.5, false, true, false, true},
    {"t3.small", 2, 2, 2048, 0, 0, "Up to 5 Gigabit", 3, 4, kX86, 2.5, false, true, false, true},
    {"t3.medium", 2, 2, 4096, 0, 0, "Up to 5 Gigabit", 3, 6, kX86, 2.5, false, true, false, false},
    {"t3.large", 2, 2, 8192, 0, 0, "Up to 5 Gigabit", 3, 12, kX86, 2.5, false, true, false, false},
    {"t3.xlarge", 4, 2, 16384, 0, 0, "Up to 5 Gigabit", 4, 15, kX86, 2.5, false, true, false, false},
    {"t3.2xlarge", 8, 2, 32768, 0, 0, "Up to 5 Gigabit", 4, 15, kX86, 2.5, false, true, false, false},
};
// clang-format on

}  // namespace

std::span<const InstanceTypeSpec> InstanceTypeTable() {
  return kTypes;
}

}  // namespace cf::cloud::ec2
