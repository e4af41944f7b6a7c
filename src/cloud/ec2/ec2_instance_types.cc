// DescribeInstanceTypes from the table in instance_types.cc, in the model's InstanceTypeInfo
// shape, with EC2's filters and pagination (MaxResults 5..100, ordered by type name).

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>

#include "aws/instance_types.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

namespace {

Json TypeInfo(const aws::InstanceTypeSpec& spec) {
  Json info = {
      {"InstanceType", spec.name},
      {"CurrentGeneration", true},
      {"FreeTierEligible", spec.free_tier},
      {"SupportedUsageClasses", Json::array({"on-demand", "spot"})},
      {"SupportedRootDeviceTypes", Json::array({"ebs"})},
      {"SupportedVirtualizationTypes", Json::array({"hvm"})},
      {"BareMetal", spec.bare_metal},
      {"ProcessorInfo",
       {{"SupportedArchitectures", Json::array({spec.architecture})},
        {"SustainedClockSpeedInGhz", spec.clock_ghz}}},
      {"VCpuInfo",
       {{"DefaultVCpus", spec.vcpus},
        {"DefaultCores", spec.vcpus / spec.threads_per_core},
        {"DefaultThreadsPerCore", spec.threads_per_core}}},
      {"MemoryInfo", {{"SizeInMiB", spec.memory_mib}}},
      {"InstanceStorageSupported", spec.disk_count > 0},
      {"EbsInfo",
       {{"EbsOptimizedSupport", "default"},
        {"EncryptionSupport", "supported"},
        {"NvmeSupport", "required"}}},
      {"NetworkInfo",
       {{"NetworkPerformance", spec.network},
        {"MaximumNetworkInterfaces", spec.max_interfaces},
        {"MaximumNetworkCards", 1},
        {"DefaultNetworkCardIndex", 0},
        {"NetworkCards", Json::array({{{"NetworkCardIndex", 0},
                                       {"NetworkPerformance", spec.network},
                                       {"MaximumNetworkInterfaces", spec.max_interfaces}}})},
        {"Ipv4AddressesPerInterface", spec.ipv4_per_interface},
        {"Ipv6AddressesPerInterface", spec.ipv4_per_interface},
        {"Ipv6Supported", true},
        {"EnaSupport", "required"},
        {"EfaSupported", spec.efa},
        {"EncryptionInTransitSupported", spec.disk_count > 0 || spec.efa}}},
      {"PlacementGroupInfo",
       {{"SupportedStrategies", Json::array({"cluster", "partition", "spread"})}}},
      {"HibernationSupported", !spec.bare_metal && spec.disk_count == 0},
      {"BurstablePerformanceSupported", spec.burstable},
      {"DedicatedHostsSupported", !spec.burstable},
      {"AutoRecoverySupported", spec.disk_count == 0},
      {"SupportedBootModes", std::string(spec.architecture) == "arm64"
                                 ? Json::array({"uefi"})
                                 : Json::array({"legacy-bios", "uefi"})},
  };
  if (!spec.bare_metal) {
    info["Hypervisor"] = "nitro";
  }
  if (spec.disk_count > 0) {
    info["InstanceStorageInfo"] = {
        {"TotalSizeInGB", spec.disk_count * spec.disk_size_gb},
        {"Disks",
         Json::array(
             {{{"SizeInGB", spec.disk_size_gb}, {"Count", spec.disk_count}, {"Type", "ssd"}}})},
        {"NvmeSupport", "required"},
        {"EncryptionSupport", "required"}};
  }
  return info;
}

}  // namespace

ServiceResult Ec2Service::DescribeInstanceTypes(const ServiceCall& call) {
  std::vector<Json> types;
  for (const aws::InstanceTypeSpec& spec : aws::InstanceTypeTable()) {
    if (spec.described()) {
      types.push_back(TypeInfo(spec));
    }
  }
  std::sort(types.begin(), types.end(),
            [](const Json& a, const Json& b) { return a["InstanceType"] < b["InstanceType"]; });
  std::vector<std::string> wanted = StringList(call.input, "InstanceTypes");
  if (!wanted.empty()) {
    std::vector<std::string> unknown;
    std::vector<Json> selected;
    for (const Json& type : types) {
      if (std::find(wanted.begin(), wanted.end(), type["InstanceType"]) != wanted.end()) {
        selected.push_back(type);
      }
    }
    for (const std::string& name : wanted) {
      bool known = std::any_of(types.begin(), types.end(),
                               [&name](const Json& t) { return t["InstanceType"] == name; });
      if (!known) {
        unknown.push_back(name);
      }
    }
    if (!unknown.empty()) {
      return ServiceError{"InvalidInstanceType",
                          fmt::format("The following supplied instance types do not exist: [{}]",
                                      fmt::join(unknown, ", ")),
                          400, true};
    }
    types = std::move(selected);
  }
  if (call.input.contains("MaxResults") && call.input["MaxResults"].get<int64_t>() > 100) {
    return InvalidValue(fmt::format(
        "Value ( {} ) for parameter maxResults is invalid. Expecting a value between 5 and 100.",
        call.input["MaxResults"].get<int64_t>()));
  }
  auto page = FilterAndPage(
      std::move(types), call.input,
      MemberFilters({
          {"instance-type", "InstanceType"},
          {"current-generation", "CurrentGeneration"},
          {"free-tier-eligible", "FreeTierEligible"},
          {"bare-metal", "BareMetal"},
          {"hypervisor", "Hypervisor"},
          {"burstable-performance-supported", "BurstablePerformanceSupported"},
          {"dedicated-hosts-supported", "DedicatedHostsSupported"},
          {"hibernation-supported", "HibernationSupported"},
          {"auto-recovery-supported", "AutoRecoverySupported"},
          {"instance-storage-supported", "InstanceStorageSupported"},
          {"instance-storage-info.total-size-in-gb", "InstanceStorageInfo.TotalSizeInGB"},
          {"instance-storage-info.disk.count", "InstanceStorageInfo.Disks[].Count"},
          {"instance-storage-info.disk.size-in-gb", "InstanceStorageInfo.Disks[].SizeInGB"},
          {"instance-storage-info.disk.type", "InstanceStorageInfo.Disks[].Type"},
          {"instance-storage-info.nvme-support", "InstanceStorageInfo.NvmeSupport"},
          {"memory-info.size-in-mib", "MemoryInfo.SizeInMiB"},
          {"network-info.network-performance", "NetworkInfo.NetworkPerformance"},
          {"network-info.maximum-network-interfaces", "NetworkInfo.MaximumNetworkInterfaces"},
          {"network-info.maximum-network-cards", "NetworkInfo.MaximumNetworkCards"},
          {"network-info.ipv4-addresses-per-interface", "NetworkInfo.Ipv4AddressesPerInterface"},
          {"network-info.ipv6-supported", "NetworkInfo.Ipv6Supported"},
          {"network-info.ena-support", "NetworkInfo.EnaSupport"},
          {"network-info.efa-supported", "NetworkInfo.EfaSupported"},
          {"network-info.encryption-in-transit-supported",
           "NetworkInfo.EncryptionInTransitSupported"},
          {"processor-info.supported-architecture", "ProcessorInfo.SupportedArchitectures"},
          {"processor-info.sustained-clock-speed-in-ghz", "ProcessorInfo.SustainedClockSpeedInGhz"},
          {"vcpu-info.default-vcpus", "VCpuInfo.DefaultVCpus"},
          {"vcpu-info.default-cores", "VCpuInfo.DefaultCores"},
          {"vcpu-info.default-threads-per-core", "VCpuInfo.DefaultThreadsPerCore"},
          {"supported-usage-class", "SupportedUsageClasses"},
          {"supported-root-device-type", "SupportedRootDeviceTypes"},
          {"supported-virtualization-type", "SupportedVirtualizationTypes"},
          {"supported-boot-mode", "SupportedBootModes"},
          {"placement-group-info.supported-strategies", "PlacementGroupInfo.SupportedStrategies"},
      }),
      "InstanceType", "InstanceTypes", [](Json t) { return t; });
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::move(std::get<Json>(page));
}

}  // namespace cf::cloud::ec2
