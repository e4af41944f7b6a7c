// Instances of the EC2 service: RunInstances (launch template and arguments merged), their
// network interfaces (allocated from the subnet like CreateNetworkInterface's), EBS volumes
// and instance store, lifecycle operations and Describe calls. Instances are stored in the
// Instance shape of the model under "ec2/instance" with internal members:
//   _next {Name, At (ms since the epoch)}  a transition due at At (InstanceNow applies it)
//   _user_data (base64 as given), _role {RoleName, Arn, RoleId} (the profile's role),
//   _reservation_id, _zone_id, _instance_store [{VirtualName, Device, SizeGb}],
//   _attributes {DisableApiTermination, DisableApiStop, InstanceInitiatedShutdownBehavior},
//   _cpu_credits ("standard" / "unlimited" as launched, "" for the type's default).

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <regex>
#include <set>

#include "aws/instance_types.h"
#include "base/base64.h"
#include "base/clock.h"
#include "cloud/core/ids.h"
#include "cloud/ec2/cidr.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"
#include "cloud/ec2/images.h"
#include "cloud/iam/iam_store.h"

namespace cf::cloud::ec2 {

namespace {

constexpr size_t kMaxUserData = 16 * 1024;

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

int64_t NowSeconds(const Clock& clock) {
  return NowMs(clock) / 1000;
}

Json StateOf(const std::string& name) {
  static const std::map<std::string, int> kCodes = {{"pending", 0},        {"running", 16},
                                                    {"shutting-down", 32}, {"terminated", 48},
                                                    {"stopping", 64},      {"stopped", 80}};
  auto it = kCodes.find(name);
  return Json{{"Code", it == kCodes.end() ? 0 : it->second}, {"Name", name}};
}

std::string StateName(const Json& instance) {
  return instance.contains("State") ? instance["State"].value("Name", "") : "";
}

bool IsAutoScalingCaller(const ServiceCall& call) {
  return call.caller.arn.find("/AWSServiceRoleForAutoScaling") != std::string::npos;
}

ServiceError IncorrectState(const std::string& id, const std::string& what) {
  return ServiceError{
      "IncorrectInstanceState",
      fmt::format("The instance '{}' is not in a state from which it can be {}.", id, what), 400,
      true};
}

// A type the local cloud can run (one whose details are recorded), or nullptr.
const aws::InstanceTypeSpec* FindType(const std::string& name) {
  const aws::InstanceTypeSpec* spec = aws::FindInstanceType(name);
  return spec != nullptr && spec->described() ? spec : nullptr;
}

// The tags of the specifications for `type` ("instance", "volume", "network-interface").
std::map<std::string, std::string> TagsOf(const Json& specs, const std::string& type) {
  std::map<std::string, std::string> tags;
  for (const Json& spec : specs) {
    if (spec.value("ResourceType", "") == type) {
      for (const Json& tag : spec.value("Tags", Json::array())) {
        tags[tag.value("Key", "")] = tag.value("Value", "");
      }
    }
  }
  return tags;
}

std::optional<ServiceError> CheckSpecTypes(const Json& specs, bool internal) {
  static const std::set<std::string> kTypes = {"instance", "volume", "network-interface",
                                               "spot-instances-request", "elastic-gpu"};
  for (const Json& spec : specs) {
    std::string type = spec.value("ResourceType", "");
    if (kTypes.count(type) == 0) {
      return ServiceError{
          "InvalidParameterValue",
          fmt::format("'{}' is not a valid taggable resource type for this operation.", type), 400,
          true};
    }
    std::map<std::string, std::string> tags = TagsOf(Json::array({spec}), type);
    if (internal) {
      std::erase_if(tags, [](const auto& kv) { return kv.first.rfind("aws:", 0) == 0; });
    }
    if (auto error = CheckTags(tags)) {
      return error;
    }
  }
  return std::nullopt;
}

// "ip-127-31-0-4.ec2.internal" (us-east-1) or "ip-127-31-0-4.REGION.compute.internal".
std::string PrivateDnsName(const std::string& ip, const std::string& region) {
  std::string dashed = ip;
  std::replace(dashed.begin(), dashed.end(), '.', '-');
  return "ip-" + dashed +
         (region == "us-east-1" ? ".ec2.internal" : "." + region + ".compute.internal");
}

// Everything RunInstances needs once the template and the request are merged.
struct LaunchSpec {
  Json data;  // merged LaunchTemplateData-shaped members
  std::optional<ResolvedTemplate> from_template;
};

// The request's members over the template's (RunInstances' own arguments win).
Json MergeLaunchData(const Json& template_data, const Json& input) {
  Json data = template_data;
  static const char* const kMembers[] = {"ImageId",
                                         "InstanceType",
                                         "KeyName",
                                         "SecurityGroupIds",
                                         "SecurityGroups",
                                         "UserData",
                                         "IamInstanceProfile",
                                         "Placement",
                                         "BlockDeviceMappings",
                                         "NetworkInterfaces",
                                         "MetadataOptions",
                                         "DisableApiTermination",
                                         "DisableApiStop",
                                         "InstanceInitiatedShutdownBehavior",
                                         "EbsOptimized",
                                         "Monitoring",
                                         "CpuOptions",
                                         "CapacityReservationSpecification",
                                         "CreditSpecification",
                                         "PrivateIpAddress",
                                         "SubnetId"};
  for (const char* member : kMembers) {
    if (input.contains(member)) {
      data[member] = input[member];
    }
  }
  if (input.contains("TagSpecifications")) {
    Json specs = data.value("TagSpecifications", Json::array());
    for (const Json& spec : input["TagSpecifications"]) {
      specs.push_back(spec);
    }
    data["TagSpecifications"] = specs;
  }
  return data;
}

std::optional<ServiceError> ResolveImage(StoreTxn& txn, const ServiceCall& call,
                                         std::string& image_id) {
  if (image_id.rfind("resolve:ssm:", 0) == 0) {
    std::string name = image_id.substr(12);
    std::optional<std::string> value = FindPublicParameter(name);
    if (!value) {
      Result<std::optional<Json>> stored =
          txn.Get(kSsmParameterNamespace, call.region + "/" + name);
      if (!stored.ok()) {
        return StoreFailure(stored.status());
      }
      if (*stored) {
        value = (**stored).value("Value", "");
      }
    }
    if (!value) {
      return ServiceError{"InvalidParameterValue",
                          fmt::format("Unable to resolve the SSM parameter '{}' for the image id: "
                                      "the parameter does not exist.",
                                      name),
                          400, true};
    }
    image_id = *value;
  }
  if (!IsResourceId(image_id, "ami")) {
    return ServiceError{"InvalidAMIID.Malformed",
                        fmt::format("Invalid id: \"{}\" (expecting \"ami-...\")", image_id), 400,
                        true};
  }
  if (!FindImage(image_id)) {
    return ServiceError{"InvalidAMIID.NotFound",
                        fmt::format("The image id '[{}]' does not exist", image_id), 400, true};
  }
  return std::nullopt;
}

// The instance profile and its role: sets instance["IamInstanceProfile"] and ["_role"].
std::optional<ServiceError> ResolveProfile(StoreTxn& txn, const ServiceCall& call,
                                           const Json& profile, Json& instance) {
  std::string name = profile.value("Name", "");
  std::string arn = profile.value("Arn", "");
  std::string given = arn.empty() ? name : arn;
  if (name.empty() && !arn.empty()) {
    name = arn.substr(arn.rfind('/') + 1);
  }
  auto invalid = [&] {
    return ServiceError{
        "InvalidParameterValue",
        fmt::format("Value ({}) for parameter iamInstanceProfile.{} is invalid. "
                    "Invalid IAM Instance Profile {}",
                    given, arn.empty() ? "name" : "arn", arn.empty() ? "name" : "ARN"),
        400, true};
  };
  if (name.empty()) {
    return invalid();
  }
  Result<std::optional<Json>> doc =
      txn.Get(iam::kInstanceProfileNamespace, iam::EntityKey(call.account_id, name));
  if (!doc.ok()) {
    return StoreFailure(doc.status());
  }
  if (!*doc || (!arn.empty() && (**doc).value("Arn", "") != arn)) {
    return invalid();
  }
  instance["IamInstanceProfile"] = {{"Arn", (**doc)["Arn"]},
                                    {"Id", (**doc).value("InstanceProfileId", "")}};
  for (const Json& role_key : (**doc).value("Roles", Json::array())) {
    Result<std::optional<Json>> role =
        iam::FindRole(txn, call.account_id, role_key.get<std::string>());
    if (!role.ok()) {
      return StoreFailure(role.status());
    }
    if (*role) {
      instance["_role"] = {{"RoleName", (**role).value("RoleName", "")},
                           {"Arn", (**role).value("Arn", "")},
                           {"RoleId", (**role).value("RoleId", "")}};
      break;
    }
  }
  return std::nullopt;
}

Json Attr(const Json& instance, const char* name, Json fallback) {
  if (instance.contains("_attributes") && instance["_attributes"].contains(name)) {
    return instance["_attributes"][name];
  }
  return fallback;
}

std::optional<std::vector<std::string>> InstanceFilter(const Json& instance,
                                                       const std::string& name) {
  static const FilterValues kMembers = MemberFilters({
      {"instance-id", "InstanceId"},
      {"instance-type", "InstanceType"},
      {"image-id", "ImageId"},
      {"instance-state-name", "State.Name"},
      {"instance-state-code", "State.Code"},
      {"vpc-id", "VpcId"},
      {"subnet-id", "SubnetId"},
      {"private-ip-address", "PrivateIpAddress"},
      {"network-interface.addresses.private-ip-address", "NetworkInterfaces[].PrivateIpAddress"},
      {"private-dns-name", "PrivateDnsName"},
      {"availability-zone", "Placement.AvailabilityZone"},
      {"placement-group-name", "Placement.GroupName"},
      {"key-name", "KeyName"},
      {"architecture", "Architecture"},
      {"iam-instance-profile.arn", "IamInstanceProfile.Arn"},
      {"network-interface.network-interface-id", "NetworkInterfaces[].NetworkInterfaceId"},
      {"network-interface.subnet-id", "NetworkInterfaces[].SubnetId"},
      {"instance.group-id", "SecurityGroups[].GroupId"},
      {"instance.group-name", "SecurityGroups[].GroupName"},
      {"group-id", "SecurityGroups[].GroupId"},
      {"reservation-id", "_reservation_id"},
      {"owner-id", "_owner_id"},
      {"launch-index", "AmiLaunchIndex"},
      {"client-token", "ClientToken"},
      {"metadata-options.http-tokens", "MetadataOptions.HttpTokens"},
  });
  if (auto tags = TagFilterValues(instance, name)) {
    return tags;
  }
  return kMembers(instance, name);
}

std::optional<std::vector<std::string>> VolumeFilter(const Json& volume, const std::string& name) {
  static const FilterValues kMembers = MemberFilters({
      {"volume-id", "VolumeId"},
      {"status", "State"},
      {"size", "Size"},
      {"volume-type", "VolumeType"},
      {"encrypted", "Encrypted"},
      {"availability-zone", "AvailabilityZone"},
      {"snapshot-id", "SnapshotId"},
      {"attachment.instance-id", "Attachments[].InstanceId"},
      {"attachment.device", "Attachments[].Device"},
      {"attachment.status", "Attachments[].State"},
      {"attachment.delete-on-termination", "Attachments[].DeleteOnTermination"},
  });
  if (auto tags = TagFilterValues(volume, name)) {
    return tags;
  }
  return kMembers(volume, name);
}

// The instance as Describe shows it.
Json InstanceView(Json instance) {
  if (StateName(instance) == "terminated") {
    for (const char* member : {"PrivateIpAddress", "SubnetId", "VpcId", "PrivateDnsName"}) {
      instance.erase(member);
    }
    instance["NetworkInterfaces"] = Json::array();
    instance["BlockDeviceMappings"] = Json::array();
    instance["SecurityGroups"] = Json::array();
    instance["PrivateDnsName"] = "";
  }
  for (Json& eni : instance["NetworkInterfaces"]) {
    eni = Visible(std::move(eni));
  }
  return Visible(std::move(instance));
}

// Groups instances (one page of them) by reservation, in order of first appearance.
Json Reservations(const Json& instances) {
  Json reservations = Json::array();
  std::map<std::string, size_t> index;
  for (const Json& instance : instances) {
    std::string reservation = instance.value("_reservation_id", "");
    auto it = index.find(reservation);
    if (it == index.end()) {
      index[reservation] = reservations.size();
      reservations.push_back({{"ReservationId", reservation},
                              {"OwnerId", instance.value("_owner_id", "")},
                              {"Groups", Json::array()},
                              {"Instances", Json::array()}});
      it = index.find(reservation);
    }
    reservations[it->second]["Instances"].push_back(InstanceView(instance));
  }
  return reservations;
}

}  // namespace

Json Ec2Service::InstanceNow(Json instance) const {
  if (instance.contains("_next") &&
      NowMs(context_.clock) >= instance["_next"].value("At", int64_t{0})) {
    std::string next = instance["_next"].value("Name", "");
    instance["State"] = StateOf(next);
    instance.erase("_next");
  }
  return instance;
}

std::string Ec2Service::InstanceHealth(const std::string& instance_id) const {
  if (runtime_ == nullptr) {
    return "ok";
  }
  std::optional<bool> alive = runtime_->Alive(instance_id);
  return alive.value_or(false) ? "ok" : "impaired";
}

void Ec2Service::BootInstance(const ServiceCall& call, const Json& instance, bool first_boot) {
  if (runtime_ == nullptr) {
    return;
  }
  BootSpec spec;
  spec.region = call.region;
  spec.instance_id = instance.value("InstanceId", "");
  spec.private_ip = instance.value("PrivateIpAddress", "");
  std::optional<std::string> data = Base64Decode(instance.value("_user_data", ""));
  spec.user_data = data.value_or("");
  spec.run_user_data = first_boot;
  spec.metadata_enabled = instance["MetadataOptions"].value("HttpEndpoint", "enabled") == "enabled";
  for (const Json& disk : instance.value("_instance_store", Json::array())) {
    spec.instance_store.push_back({disk.value("Device", ""), disk.value("SizeGb", int64_t{0})});
  }
  // A failed boot leaves the instance unhosted: DescribeInstanceStatus reports it impaired.
  Status booted = runtime_->Boot(spec);
  (void)booted;
}

Status Ec2Service::RecoverInstances() {
  if (runtime_ == nullptr) {
    return OkStatus();
  }
  ASSIGN_OR_RETURN(auto all, context_.store.List(kInstanceType.ns));
  for (const auto& [key, doc] : all) {
    Json instance = InstanceNow(doc);
    std::string state = StateName(instance);
    if (state == "running" || state == "pending") {
      ServiceCall call;
      call.region = key.substr(0, key.find('/'));
      call.account_id = instance.value("_owner_id", "");
      BootInstance(call, instance, /*first_boot=*/false);
    }
  }
  return OkStatus();
}

ServiceResult Ec2Service::RunInstances(const ServiceCall& call) {
  const Json& input = call.input;
  bool internal = IsAutoScalingCaller(call);
  if (!input.contains("MinCount") || !input.contains("MaxCount")) {
    return MissingParameter(input.contains("MinCount") ? "MaxCount" : "MinCount");
  }
  int64_t min_count = input["MinCount"].get<int64_t>();
  int64_t max_count = input["MaxCount"].get<int64_t>();
  if (min_count < 1) {
    return InvalidValue(
        fmt::format("Value ({}) for parameter minCount is invalid. Expected a "
                    "positive integer.",
                    min_count));
  }
  if (max_count < min_count) {
    return InvalidValue(
        fmt::format("Value ({}) for parameter maxCount is invalid. Expected a "
                    "value no less than minCount ({}).",
                    max_count, min_count));
  }
  if (max_count > 1000) {
    return ServiceError{"InstanceLimitExceeded",
                        "You have requested more instances than your current instance limit "
                        "allows for the specified instance type.",
                        400, true};
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  std::string client_token = input.value("ClientToken", "");
  if (!client_token.empty()) {
    Result<std::optional<Json>> earlier =
        txn->Get("ec2/client-token", Key(call, "run/" + client_token));
    if (!earlier.ok()) {
      return StoreFailure(earlier.status());
    }
    if (*earlier) {
      return **earlier;  // the same request again: the same reservation
    }
  }
  Json template_data = Json::object();
  std::optional<ResolvedTemplate> from_template;
  if (input.contains("LaunchTemplate")) {
    auto resolved = ResolveLaunchTemplate(*txn, call, input["LaunchTemplate"]);
    if (auto* error = std::get_if<ServiceError>(&resolved)) {
      return *error;
    }
    from_template = std::get<ResolvedTemplate>(resolved);
    template_data = from_template->data;
  }
  Json data = MergeLaunchData(template_data, input);

  std::string image_id = data.value("ImageId", "");
  if (image_id.empty()) {
    return MissingParameter("ImageId");
  }
  if (auto error = ResolveImage(*txn, call, image_id)) {
    return *error;
  }
  Json image = *FindImage(image_id);
  std::string type_name = data.value("InstanceType", "t3.micro");
  const aws::InstanceTypeSpec* type = FindType(type_name);
  if (type == nullptr) {
    return InvalidValue(fmt::format("Invalid value '{}' for InstanceType.", type_name));
  }
  if (image.value("Architecture", "x86_64") != type->architecture) {
    return InvalidValue(fmt::format(
        "The architecture '{}' of the specified instance type does not match the architecture "
        "'{}' of the specified AMI. Specify an instance type and an AMI that have matching "
        "architectures, and try again.",
        type->architecture, image.value("Architecture", "")));
  }
  Json specs = data.value("TagSpecifications", Json::array());
  if (auto error = CheckSpecTypes(specs, internal)) {
    return *error;
  }
  std::string user_data = data.value("UserData", "");
  if (!user_data.empty()) {
    std::optional<std::string> raw = Base64Decode(user_data);
    if (!raw) {
      return InvalidValue("Invalid BASE64 encoding of user data.");
    }
    if (raw->size() > kMaxUserData) {
      return InvalidValue("User data is limited to 16384 bytes");
    }
  }
  std::string key_name = data.value("KeyName", "");
  if (!key_name.empty()) {
    auto keys = ListIn(*txn, call, kKeyPairType);
    if (auto* error = std::get_if<ServiceError>(&keys)) {
      return *error;
    }
    bool found = false;
    for (const Json& key : std::get<std::vector<Json>>(keys)) {
      found = found || key.value("KeyName", "") == key_name;
    }
    if (!found) {
      return ServiceError{"InvalidKeyPair.NotFound",
                          fmt::format("The key pair '{}' does not exist", key_name), 400, true};
    }
  }
  Json placement = data.value("Placement", Json::object());
  std::string group_name = placement.value("GroupName", "");
  if (!group_name.empty()) {
    auto groups = ListIn(*txn, call, kPlacementGroupType);
    if (auto* error = std::get_if<ServiceError>(&groups)) {
      return *error;
    }
    bool found = false;
    for (const Json& group : std::get<std::vector<Json>>(groups)) {
      found = found || group.value("GroupName", "") == group_name;
    }
    if (!found) {
      return ServiceError{"InvalidPlacementGroup.Unknown",
                          fmt::format("The Placement Group '{}' is unknown.", group_name), 400,
                          true};
    }
  }

  // The network interfaces to make for each instance: from NetworkInterfaces, or one from
  // SubnetId / SecurityGroupIds / PrivateIpAddress.
  Json interfaces = data.value("NetworkInterfaces", Json::array());
  if (interfaces.empty()) {
    Json primary = {{"DeviceIndex", 0}};
    if (data.contains("SubnetId")) {
      primary["SubnetId"] = data["SubnetId"];
    }
    if (data.contains("PrivateIpAddress")) {
      primary["PrivateIpAddress"] = data["PrivateIpAddress"];
    }
    if (data.contains("SecurityGroupIds")) {
      primary["Groups"] = data["SecurityGroupIds"];
    }
    interfaces.push_back(primary);
  } else if (input.contains("SubnetId")) {
    for (Json& eni : interfaces) {
      if (eni.value("DeviceIndex", int64_t{0}) == 0) {
        eni["SubnetId"] = input["SubnetId"];
      }
    }
  }
  for (Json& eni : interfaces) {
    if (eni.contains("NetworkInterfaceId")) {
      return ServiceError{"UnsupportedOperation",
                          "The local cloud launches instances with new network interfaces only; "
                          "attach an existing one after launch.",
                          400, true};
    }
    if (!eni.contains("SubnetId")) {
      // The default subnet of the placement's zone (or of the first zone).
      auto subnets = ListIn(*txn, call, kSubnetType);
      if (auto* error = std::get_if<ServiceError>(&subnets)) {
        return *error;
      }
      std::string zone = placement.value("AvailabilityZone", call.region + "a");
      for (const Json& subnet : std::get<std::vector<Json>>(subnets)) {
        if (subnet.value("DefaultForAz", false) && subnet.value("AvailabilityZone", "") == zone) {
          eni["SubnetId"] = subnet["SubnetId"];
        }
      }
      if (!eni.contains("SubnetId")) {
        return ServiceError{"VPCIdNotSpecified",
                            "No default VPC for this user. GroupName is only supported for EC2-"
                            "Classic and default VPC.",
                            400, true};
      }
    }
  }
  auto primary_subnet = GetResource(*txn, kSubnetType, call, interfaces[0].value("SubnetId", ""));
  if (auto* error = std::get_if<ServiceError>(&primary_subnet)) {
    return *error;
  }
  const Json subnet = std::get<Json>(primary_subnet);
  auto vpc_doc = GetResource(*txn, kVpcType, call, subnet.value("VpcId", ""));
  if (auto* error = std::get_if<ServiceError>(&vpc_doc)) {
    return *error;
  }
  std::string vpc_cidr = std::get<Json>(vpc_doc).value("CidrBlock", "");
  // Security groups named by SecurityGroups (names) resolve inside the subnet's VPC.
  if (data.contains("SecurityGroups") && !data["SecurityGroups"].empty()) {
    auto groups = ListIn(*txn, call, kSecurityGroupType);
    if (auto* error = std::get_if<ServiceError>(&groups)) {
      return *error;
    }
    Json ids = interfaces[0].value("Groups", Json::array());
    for (const Json& name : data["SecurityGroups"]) {
      std::string id;
      for (const Json& group : std::get<std::vector<Json>>(groups)) {
        if (group.value("GroupName", "") == name && group.value("VpcId", "") == subnet["VpcId"]) {
          id = group["GroupId"];
        }
      }
      if (id.empty()) {
        return ServiceError{"InvalidGroup.NotFound",
                            fmt::format("The security group '{}' does not exist in VPC '{}'",
                                        name.get<std::string>(), subnet.value("VpcId", "")),
                            400, true};
      }
      ids.push_back(id);
    }
    interfaces[0]["Groups"] = ids;
  }
  Json profile_members = Json::object();
  if (data.contains("IamInstanceProfile") && !data["IamInstanceProfile"].empty()) {
    if (auto error = ResolveProfile(*txn, call, data["IamInstanceProfile"], profile_members)) {
      return *error;
    }
  }
  Json metadata_options = data.value("MetadataOptions", Json::object());
  bool v2_image = image.value("ImdsSupport", "") == "v2.0";
  Json metadata = {
      {"State", "applied"},
      {"HttpTokens", metadata_options.value("HttpTokens", v2_image ? "required" : "optional")},
      {"HttpPutResponseHopLimit",
       metadata_options.value("HttpPutResponseHopLimit", int64_t{v2_image ? 2 : 1})},
      {"HttpEndpoint", metadata_options.value("HttpEndpoint", "enabled")},
      {"HttpProtocolIpv6", metadata_options.value("HttpProtocolIpv6", "disabled")},
      {"InstanceMetadataTags", metadata_options.value("InstanceMetadataTags", "disabled")},
  };
  for (const char* member : {"HttpTokens", "HttpEndpoint", "InstanceMetadataTags"}) {
    std::string value = metadata.value(member, "");
    bool ok = member == std::string("HttpTokens") ? (value == "optional" || value == "required")
                                                  : (value == "enabled" || value == "disabled");
    if (!ok) {
      return InvalidValue(
          fmt::format("The value '{}' of MetadataOptions.{} is not valid.", value, member));
    }
  }

  std::map<std::string, std::string> instance_tags = TagsOf(specs, "instance");
  std::map<std::string, std::string> volume_tags = TagsOf(specs, "volume");
  std::map<std::string, std::string> eni_tags = TagsOf(specs, "network-interface");
  std::string reservation_id = context_.ids.ResourceId("r");
  int64_t now_ms = NowMs(context_.clock);
  int64_t now = now_ms / 1000;
  auto running_delay = std::chrono::duration_cast<std::chrono::milliseconds>(
                           context_.latency.StateDelay("ec2:InstanceRunning"))
                           .count();
  // Block devices: the image's root volume (resized by a mapping on its device) and any other
  // EBS mappings; the type's instance store as NVMe devices.
  Json mappings = data.value("BlockDeviceMappings", Json::array());
  std::string root_device = image.value("RootDeviceName", "/dev/xvda");
  Json root_ebs = image["BlockDeviceMappings"][0]["Ebs"];
  std::vector<std::pair<std::string, Json>> volumes_wanted = {{root_device, root_ebs}};
  for (const Json& mapping : mappings) {
    std::string device = mapping.value("DeviceName", "");
    if (device.empty()) {
      return MissingParameter("BlockDeviceMapping.DeviceName");
    }
    if (!mapping.contains("Ebs")) {
      continue;  // VirtualName (instance store) or NoDevice
    }
    Json ebs = mapping["Ebs"];
    if (ebs.contains("VolumeSize") &&
        (ebs["VolumeSize"].get<int64_t>() < 1 || ebs["VolumeSize"].get<int64_t>() > 16384)) {
      return InvalidValue(fmt::format("Volume of size {}GB is not in the range 1-16384 GB.",
                                      ebs["VolumeSize"].get<int64_t>()));
    }
    if (device == root_device) {
      for (auto it = ebs.begin(); it != ebs.end(); ++it) {
        volumes_wanted[0].second[it.key()] = it.value();
      }
    } else {
      volumes_wanted.push_back({device, ebs});
    }
  }
  Json instance_store = Json::array();
  for (int i = 0; i < type->disk_count; ++i) {
    instance_store.push_back({{"VirtualName", fmt::format("ephemeral{}", i)},
                              {"Device", fmt::format("nvme{}n1", i + 1)},
                              {"SizeGb", type->disk_size_gb}});
  }

  Json launched = Json::array();
  for (int64_t index = 0; index < max_count; ++index) {
    std::string instance_id = context_.ids.ResourceId("i");
    Json network = Json::array();
    Json security_groups = Json::array();
    std::string primary_ip;
    std::optional<ServiceError> failure;
    for (const Json& spec : interfaces) {
      std::string address = max_count == 1 ? spec.value("PrivateIpAddress", "") : "";
      auto eni_result = MakeNetworkInterface(
          *txn, call, spec.value("SubnetId", ""), StringList(spec, "Groups"),
          spec.value("Description", ""), address, "interface", TagList(eni_tags));
      if (auto* error = std::get_if<ServiceError>(&eni_result)) {
        failure = *error;
        break;
      }
      Json eni = std::get<Json>(eni_result);
      int64_t device_index = spec.value("DeviceIndex", int64_t{0});
      Json attachment = {{"AttachmentId", context_.ids.ResourceId("eni-attach")},
                         {"InstanceId", instance_id},
                         {"InstanceOwnerId", call.account_id},
                         {"DeviceIndex", device_index},
                         {"NetworkCardIndex", spec.value("NetworkCardIndex", int64_t{0})},
                         {"Status", "attached"},
                         {"AttachTime", now},
                         {"DeleteOnTermination", spec.value("DeleteOnTermination", true)}};
      eni["Attachment"] = attachment;
      eni["Status"] = "in-use";
      // The instance's view of the attachment names no instance.
      Json instance_attachment = attachment;
      instance_attachment.erase("InstanceId");
      instance_attachment.erase("InstanceOwnerId");
      if (auto error = PutResource(*txn, call, kNetworkInterfaceType, eni)) {
        return *error;
      }
      auto eni_subnet = GetResource(*txn, kSubnetType, call, eni.value("SubnetId", ""));
      std::string subnet_cidr = std::holds_alternative<Json>(eni_subnet)
                                    ? std::get<Json>(eni_subnet).value("CidrBlock", "")
                                    : "";
      Json view = {{"NetworkInterfaceId", eni["NetworkInterfaceId"]},
                   {"SubnetId", eni["SubnetId"]},
                   {"VpcId", eni["VpcId"]},
                   {"Description", eni["Description"]},
                   {"OwnerId", call.account_id},
                   {"Status", "in-use"},
                   {"MacAddress", eni["MacAddress"]},
                   {"PrivateIpAddress", eni["PrivateIpAddress"]},
                   {"PrivateDnsName", PrivateDnsName(eni["PrivateIpAddress"], call.region)},
                   {"SourceDestCheck", true},
                   {"Groups", eni["Groups"]},
                   {"Attachment", instance_attachment},
                   {"PrivateIpAddresses",
                    {{{"Primary", true},
                      {"PrivateIpAddress", eni["PrivateIpAddress"]},
                      {"PrivateDnsName", PrivateDnsName(eni["PrivateIpAddress"], call.region)}}}},
                   {"Ipv6Addresses", Json::array()},
                   {"InterfaceType", "interface"},
                   {"_subnet_cidr", subnet_cidr},
                   {"_vpc_cidr", vpc_cidr}};
      if (device_index == 0) {
        primary_ip = eni["PrivateIpAddress"];
        security_groups = eni["Groups"];
      }
      network.push_back(view);
    }
    if (failure) {
      if (index >= min_count) {
        break;  // as many as there was room for, at least MinCount
      }
      return *failure;  // nothing committed: the transaction rolls back
    }
    Json block_devices = Json::array();
    for (const auto& [device, ebs] : volumes_wanted) {
      std::string volume_id = context_.ids.ResourceId("vol");
      bool delete_on_termination = ebs.value("DeleteOnTermination", true);
      std::string volume_type = ebs.value("VolumeType", "gp3");
      Json volume = {
          {"VolumeId", volume_id},
          {"Size", ebs.value("VolumeSize", int64_t{8})},
          {"VolumeType", volume_type},
          {"Encrypted", ebs.value("Encrypted", false)},
          {"AvailabilityZone", subnet.value("AvailabilityZone", "")},
          {"State", "in-use"},
          {"CreateTime", now},
          {"MultiAttachEnabled", false},
          {"Attachments",
           {{{"AttachTime", now},
             {"Device", device},
             {"InstanceId", instance_id},
             {"State", "attached"},
             {"VolumeId", volume_id},
             {"DeleteOnTermination", delete_on_termination}}}},
          {"Tags", TagList(volume_tags)},
      };
      if (volume_type == "gp3" || volume_type == "io1" || volume_type == "io2") {
        volume["Iops"] = ebs.value("Iops", int64_t{3000});
      }
      if (volume_type == "gp3") {
        volume["Throughput"] = ebs.value("Throughput", int64_t{125});
      }
      if (ebs.contains("KmsKeyId")) {
        volume["KmsKeyId"] = ebs["KmsKeyId"];
      }
      if (device == root_device && ebs.contains("SnapshotId")) {
        volume["SnapshotId"] = ebs["SnapshotId"];
      }
      if (auto error = PutResource(*txn, call, kVolumeType, volume)) {
        return *error;
      }
      block_devices.push_back({{"DeviceName", device},
                               {"Ebs",
                                {{"AttachTime", now},
                                 {"DeleteOnTermination", delete_on_termination},
                                 {"Status", "attached"},
                                 {"VolumeId", volume_id}}}});
    }
    Json instance = {
        {"InstanceId", instance_id},
        {"ImageId", image_id},
        {"State", StateOf("pending")},
        {"PrivateDnsName", PrivateDnsName(primary_ip, call.region)},
        {"PublicDnsName", ""},
        {"StateTransitionReason", ""},
        {"AmiLaunchIndex", index},
        {"ProductCodes", Json::array()},
        {"InstanceType", type_name},
        {"LaunchTime", now},
        {"Placement",
         {{"AvailabilityZone", subnet.value("AvailabilityZone", "")},
          {"GroupName", group_name},
          {"Tenancy", placement.value("Tenancy", "default")}}},
        {"Monitoring",
         {{"State", data.value("Monitoring", Json::object()).value("Enabled", false)
                        ? "enabled"
                        : "disabled"}}},
        {"SubnetId", subnet.value("SubnetId", "")},
        {"VpcId", subnet.value("VpcId", "")},
        {"PrivateIpAddress", primary_ip},
        {"Architecture", type->architecture},
        {"RootDeviceType", "ebs"},
        {"RootDeviceName", root_device},
        {"BlockDeviceMappings", block_devices},
        {"VirtualizationType", "hvm"},
        {"Hypervisor", "xen"},
        {"ClientToken", client_token},
        {"Tags", TagList(instance_tags)},
        {"SecurityGroups", security_groups},
        {"SourceDestCheck", true},
        {"NetworkInterfaces", network},
        {"EbsOptimized", data.value("EbsOptimized", false)},
        {"EnaSupport", true},
        {"CpuOptions",
         {{"CoreCount", type->vcpus / type->threads_per_core},
          {"ThreadsPerCore", type->threads_per_core}}},
        {"CapacityReservationSpecification", {{"CapacityReservationPreference", "open"}}},
        {"HibernationOptions", {{"Configured", false}}},
        {"MetadataOptions", metadata},
        {"EnclaveOptions", {{"Enabled", false}}},
        {"BootMode", "uefi-preferred"},
        {"PlatformDetails", "Linux/UNIX"},
        {"UsageOperation", "RunInstances"},
        {"UsageOperationUpdateTime", now},
        {"PrivateDnsNameOptions",
         {{"HostnameType", "ip-name"},
          {"EnableResourceNameDnsARecord", false},
          {"EnableResourceNameDnsAAAARecord", false}}},
        {"MaintenanceOptions", {{"AutoRecovery", "default"}}},
        {"_owner_id", call.account_id},
        {"_reservation_id", reservation_id},
        {"_zone_id", subnet.value("AvailabilityZoneId", "")},
        {"_user_data", user_data},
        {"_cpu_credits", data.value("CreditSpecification", Json::object()).value("CpuCredits", "")},
        {"_instance_store", instance_store},
        {"_attributes",
         {{"DisableApiTermination", data.value("DisableApiTermination", false)},
          {"DisableApiStop", data.value("DisableApiStop", false)},
          {"InstanceInitiatedShutdownBehavior",
           data.value("InstanceInitiatedShutdownBehavior", "stop")}}},
        {"_next", {{"Name", "running"}, {"At", now_ms + running_delay}}},
    };
    if (!key_name.empty()) {
      instance["KeyName"] = key_name;
    }
    for (auto it = profile_members.begin(); it != profile_members.end(); ++it) {
      instance[it.key()] = it.value();
    }
    if (from_template) {
      std::map<std::string, std::string> with_template = TagMap(instance);
      with_template["aws:ec2launchtemplate:id"] = from_template->id;
      with_template["aws:ec2launchtemplate:version"] = std::to_string(from_template->version);
      instance["Tags"] = TagList(with_template);
    }
    if (auto error = PutResource(*txn, call, kInstanceType, instance)) {
      return *error;
    }
    launched.push_back(instance);
  }
  Json views = Json::array();
  for (const Json& instance : launched) {
    Json view = InstanceView(instance);
    view["State"] = StateOf("pending");
    views.push_back(view);
  }
  Json output = {{"ReservationId", reservation_id},
                 {"OwnerId", call.account_id},
                 {"Groups", Json::array()},
                 {"Instances", views}};
  if (internal) {
    output["RequesterId"] = "940372691376";
  }
  if (!client_token.empty()) {
    Status s = txn->Put("ec2/client-token", Key(call, "run/" + client_token), output);
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  Status committed = txn->Commit();
  if (!committed.ok()) {
    return StoreFailure(committed);
  }
  for (const Json& instance : launched) {
    BootInstance(call, instance, /*first_boot=*/true);
  }
  return output;
}

ServiceResult Ec2Service::DescribeInstances(const ServiceCall& call) {
  auto listed =
      ListResources(context_.store, call, kInstanceType, StringList(call.input, "InstanceIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  std::vector<Json> instances;
  for (Json& instance : std::get<std::vector<Json>>(listed)) {
    instances.push_back(InstanceNow(std::move(instance)));
  }
  // Filter and page over instances (stored shape kept for grouping), then group.
  auto page = FilterAndPage(std::move(instances), call.input, InstanceFilter, "InstanceId",
                            "Instances", [](Json instance) { return instance; });
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  Json& out = std::get<Json>(page);
  Json result = {{"Reservations", Reservations(out["Instances"])}};
  if (out.contains("NextToken")) {
    result["NextToken"] = out["NextToken"];
  }
  return result;
}

ServiceResult Ec2Service::DescribeInstanceStatus(const ServiceCall& call) {
  std::vector<std::string> ids = StringList(call.input, "InstanceIds");
  auto listed = ListResources(context_.store, call, kInstanceType, ids);
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  bool all = call.input.value("IncludeAllInstances", false);
  std::vector<Json> statuses;
  for (Json& stored : std::get<std::vector<Json>>(listed)) {
    Json instance = InstanceNow(std::move(stored));
    std::string state = StateName(instance);
    if (state != "running" && !all) {
      continue;
    }
    std::string id = instance.value("InstanceId", "");
    std::string health = state == "running" ? InstanceHealth(id) : "not-applicable";
    Json details = Json::array();
    if (health != "not-applicable") {
      details.push_back(
          {{"Name", "reachability"}, {"Status", health == "ok" ? "passed" : "failed"}});
      if (health == "impaired") {
        details[0]["ImpairedSince"] = NowSeconds(context_.clock);
      }
    }
    Json system_details = Json::array();
    if (state == "running") {
      system_details.push_back({{"Name", "reachability"}, {"Status", "passed"}});
    }
    statuses.push_back(
        {{"InstanceId", id},
         {"AvailabilityZone", instance["Placement"].value("AvailabilityZone", "")},
         {"InstanceState", instance["State"]},
         {"InstanceStatus", {{"Status", health}, {"Details", details}}},
         {"SystemStatus",
          {{"Status", state == "running" ? "ok" : "not-applicable"}, {"Details", system_details}}},
         {"Events", Json::array()}});
  }
  static const FilterValues kStatusFilters = MemberFilters({
      {"instance-state-name", "InstanceState.Name"},
      {"instance-state-code", "InstanceState.Code"},
      {"instance-status.status", "InstanceStatus.Status"},
      {"instance-status.reachability", "InstanceStatus.Details[].Status"},
      {"system-status.status", "SystemStatus.Status"},
      {"availability-zone", "AvailabilityZone"},
  });
  return ToResult(FilterAndPage(std::move(statuses), call.input, kStatusFilters, "InstanceId",
                                "InstanceStatuses", [](Json status) { return status; }));
}

namespace {

// The instances of `ids` inside `txn` (each must exist), current state applied by `now`.
std::variant<std::vector<Json>, ServiceError> LoadInstances(StoreTxn& txn, const ServiceCall& call,
                                                            const std::vector<std::string>& ids,
                                                            const std::function<Json(Json)>& now) {
  if (ids.empty()) {
    return MissingParameter("InstanceId");
  }
  std::vector<Json> out;
  for (const std::string& id : ids) {
    if (!IsResourceId(id, "i")) {
      return ServiceError{"InvalidInstanceID.Malformed", fmt::format("Invalid id: \"{}\"", id), 400,
                          true};
    }
    auto instance = GetResource(txn, kInstanceType, call, id);
    if (auto* error = std::get_if<ServiceError>(&instance)) {
      return *error;
    }
    out.push_back(now(std::move(std::get<Json>(instance))));
  }
  return out;
}

Json Change(const std::string& id, const Json& previous, const Json& current) {
  return {{"InstanceId", id}, {"PreviousState", previous}, {"CurrentState", current}};
}

}  // namespace

ServiceResult Ec2Service::TerminateInstances(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto loaded = LoadInstances(*txn, call, StringList(call.input, "InstanceIds"),
                              [this](Json i) { return InstanceNow(std::move(i)); });
  if (auto* error = std::get_if<ServiceError>(&loaded)) {
    return *error;
  }
  std::vector<Json>& instances = std::get<std::vector<Json>>(loaded);
  bool internal = IsAutoScalingCaller(call);
  for (const Json& instance : instances) {
    if (!internal && Attr(instance, "DisableApiTermination", false).get<bool>() &&
        StateName(instance) != "terminated") {
      return ServiceError{"OperationNotPermitted",
                          fmt::format("The instance '{}' may not be terminated. Modify its "
                                      "'disableApiTermination' instance attribute and try again.",
                                      instance.value("InstanceId", "")),
                          400, true};
    }
  }
  int64_t delay = std::chrono::duration_cast<std::chrono::milliseconds>(
                      context_.latency.StateDelay("ec2:InstanceTerminated"))
                      .count();
  int64_t now_ms = NowMs(context_.clock);
  Json changes = Json::array();
  std::vector<std::string> halted;
  for (Json& instance : instances) {
    std::string id = instance.value("InstanceId", "");
    Json previous = instance["State"];
    std::string state = StateName(instance);
    if (state == "terminated" || state == "shutting-down") {
      changes.push_back(Change(id, previous, previous));
      continue;
    }
    instance["State"] = StateOf("shutting-down");
    instance["_next"] = {{"Name", "terminated"}, {"At", now_ms + delay}};
    instance["StateTransitionReason"] =
        fmt::format("User initiated ({})", FormatRfc3339(context_.clock.Now()));
    instance["StateReason"] = {
        {"Code", "Client.UserInitiatedShutdown"},
        {"Message", "Client.UserInitiatedShutdown: User initiated shutdown"}};
    // Interfaces and volumes that go with the instance go now; the others are detached.
    // The interfaces are found by their attachment (at launch or by AttachNetworkInterface
    // later), with the DeleteOnTermination it has now (ModifyNetworkInterfaceAttribute).
    auto interfaces = ListIn(*txn, call, kNetworkInterfaceType);
    if (auto* error = std::get_if<ServiceError>(&interfaces)) {
      return *error;
    }
    for (Json& eni : std::get<std::vector<Json>>(interfaces)) {
      if (!eni.contains("Attachment") || eni["Attachment"].value("InstanceId", "") != id) {
        continue;
      }
      if (eni["Attachment"].value("DeleteOnTermination", false)) {
        if (auto error = RemoveNetworkInterface(*txn, call, eni.value("NetworkInterfaceId", ""))) {
          return *error;
        }
      } else {
        eni.erase("Attachment");
        eni["Status"] = "available";
        if (auto error = PutResource(*txn, call, kNetworkInterfaceType, eni)) {
          return *error;
        }
      }
    }
    for (const Json& mapping : instance.value("BlockDeviceMappings", Json::array())) {
      std::string volume_id = mapping["Ebs"].value("VolumeId", "");
      if (mapping["Ebs"].value("DeleteOnTermination", true)) {
        Status s = txn->Delete(kVolumeType.ns, Key(call, volume_id));
        if (!s.ok()) {
          return StoreFailure(s);
        }
      } else {
        auto stored = GetResource(*txn, kVolumeType, call, volume_id);
        if (auto* doc = std::get_if<Json>(&stored)) {
          (*doc)["Attachments"] = Json::array();
          (*doc)["State"] = "available";
          if (auto error = PutResource(*txn, call, kVolumeType, *doc)) {
            return *error;
          }
        }
      }
    }
    if (auto error = PutResource(*txn, call, kInstanceType, instance)) {
      return *error;
    }
    changes.push_back(Change(id, previous, instance["State"]));
    halted.push_back(id);
  }
  Status committed = txn->Commit();
  if (!committed.ok()) {
    return StoreFailure(committed);
  }
  if (runtime_ != nullptr) {
    for (const std::string& id : halted) {
      runtime_->Halt(id);
    }
  }
  return Json{{"TerminatingInstances", changes}};
}

ServiceResult Ec2Service::StopInstances(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto loaded = LoadInstances(*txn, call, StringList(call.input, "InstanceIds"),
                              [this](Json i) { return InstanceNow(std::move(i)); });
  if (auto* error = std::get_if<ServiceError>(&loaded)) {
    return *error;
  }
  std::vector<Json>& instances = std::get<std::vector<Json>>(loaded);
  for (const Json& instance : instances) {
    std::string id = instance.value("InstanceId", "");
    std::string state = StateName(instance);
    if (Attr(instance, "DisableApiStop", false).get<bool>()) {
      return ServiceError{"OperationNotPermitted",
                          fmt::format("The instance '{}' may not be stopped. Modify its "
                                      "'disableApiStop' instance attribute and try again.",
                                      id),
                          400, true};
    }
    if (state == "terminated" || state == "shutting-down") {
      return IncorrectState(id, "stopped");
    }
  }
  int64_t delay = std::chrono::duration_cast<std::chrono::milliseconds>(
                      context_.latency.StateDelay("ec2:InstanceStopped"))
                      .count();
  Json changes = Json::array();
  std::vector<std::string> halted;
  for (Json& instance : instances) {
    std::string id = instance.value("InstanceId", "");
    Json previous = instance["State"];
    if (StateName(instance) == "running" || StateName(instance) == "pending") {
      instance["State"] = StateOf("stopping");
      instance["_next"] = {{"Name", "stopped"}, {"At", NowMs(context_.clock) + delay}};
      instance["StateTransitionReason"] =
          fmt::format("User initiated ({})", FormatRfc3339(context_.clock.Now()));
      if (auto error = PutResource(*txn, call, kInstanceType, instance)) {
        return *error;
      }
      halted.push_back(id);
    }
    changes.push_back(Change(id, previous, instance["State"]));
  }
  Status committed = txn->Commit();
  if (!committed.ok()) {
    return StoreFailure(committed);
  }
  if (runtime_ != nullptr) {
    for (const std::string& id : halted) {
      runtime_->Halt(id);
    }
  }
  return Json{{"StoppingInstances", changes}};
}

ServiceResult Ec2Service::StartInstances(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto loaded = LoadInstances(*txn, call, StringList(call.input, "InstanceIds"),
                              [this](Json i) { return InstanceNow(std::move(i)); });
  if (auto* error = std::get_if<ServiceError>(&loaded)) {
    return *error;
  }
  std::vector<Json>& instances = std::get<std::vector<Json>>(loaded);
  for (const Json& instance : instances) {
    std::string state = StateName(instance);
    if (state != "stopped" && state != "running" && state != "pending") {
      return IncorrectState(instance.value("InstanceId", ""), "started");
    }
  }
  int64_t delay = std::chrono::duration_cast<std::chrono::milliseconds>(
                      context_.latency.StateDelay("ec2:InstanceRunning"))
                      .count();
  Json changes = Json::array();
  std::vector<Json> booted;
  for (Json& instance : instances) {
    Json previous = instance["State"];
    if (StateName(instance) == "stopped") {
      instance["State"] = StateOf("pending");
      instance["_next"] = {{"Name", "running"}, {"At", NowMs(context_.clock) + delay}};
      instance["StateTransitionReason"] = "";
      instance["LaunchTime"] = NowSeconds(context_.clock);
      if (auto error = PutResource(*txn, call, kInstanceType, instance)) {
        return *error;
      }
      booted.push_back(instance);
    }
    changes.push_back(Change(instance.value("InstanceId", ""), previous, instance["State"]));
  }
  Status committed = txn->Commit();
  if (!committed.ok()) {
    return StoreFailure(committed);
  }
  for (const Json& instance : booted) {
    BootInstance(call, instance, /*first_boot=*/false);
  }
  return Json{{"StartingInstances", changes}};
}

ServiceResult Ec2Service::RebootInstances(const ServiceCall& call) {
  std::variant<std::vector<Json>, ServiceError> loaded = std::vector<Json>();
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    loaded = LoadInstances(*txn, call, StringList(call.input, "InstanceIds"),
                           [this](Json i) { return InstanceNow(std::move(i)); });
  }
  if (auto* error = std::get_if<ServiceError>(&loaded)) {
    return *error;
  }
  for (const Json& instance : std::get<std::vector<Json>>(loaded)) {
    std::string state = StateName(instance);
    if (state == "terminated" || state == "shutting-down") {
      return IncorrectState(instance.value("InstanceId", ""), "rebooted");
    }
  }
  for (const Json& instance : std::get<std::vector<Json>>(loaded)) {
    if (StateName(instance) == "running") {
      BootInstance(call, instance, /*first_boot=*/false);
    }
  }
  return Json::object();
}

ServiceResult Ec2Service::ModifyInstanceAttribute(const ServiceCall& call) {
  const Json& input = call.input;
  std::string id = input.value("InstanceId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto loaded =
      LoadInstances(*txn, call, {id}, [this](Json i) { return InstanceNow(std::move(i)); });
  if (auto* error = std::get_if<ServiceError>(&loaded)) {
    return *error;
  }
  Json instance = std::get<std::vector<Json>>(loaded)[0];
  // The Attribute + Value form names the member in lower camel case.
  Json changes = Json::object();
  static const std::map<std::string, std::string> kAttributeMembers = {
      {"disableApiTermination", "DisableApiTermination"},
      {"disableApiStop", "DisableApiStop"},
      {"instanceInitiatedShutdownBehavior", "InstanceInitiatedShutdownBehavior"},
      {"instanceType", "InstanceType"},
      {"userData", "UserData"},
      {"sourceDestCheck", "SourceDestCheck"},
      {"ebsOptimized", "EbsOptimized"}};
  if (input.contains("Attribute")) {
    auto it = kAttributeMembers.find(input.value("Attribute", ""));
    if (it == kAttributeMembers.end()) {
      return InvalidValue(fmt::format("Value ({}) for parameter attribute is invalid.",
                                      input.value("Attribute", "")));
    }
    changes[it->second] = {{"Value", input.value("Value", "")}};
    if (it->second == "DisableApiTermination" || it->second == "DisableApiStop" ||
        it->second == "SourceDestCheck" || it->second == "EbsOptimized") {
      changes[it->second]["Value"] = input.value("Value", "") == "true";
    }
  }
  for (const auto& [attribute, member] : kAttributeMembers) {
    if (input.contains(member)) {
      changes[member] = input[member];
    }
  }
  if (input.contains("Groups")) {
    changes["Groups"] = input["Groups"];
  }
  if (changes.empty()) {
    return MissingParameter("Attribute");
  }
  std::string state = StateName(instance);
  for (auto it = changes.begin(); it != changes.end(); ++it) {
    const std::string& member = it.key();
    Json value = it.value().is_object() ? it.value().value("Value", Json()) : it.value();
    if (member == "DisableApiTermination" || member == "DisableApiStop") {
      instance["_attributes"][member] = value.is_boolean() ? value.get<bool>() : false;
    } else if (member == "InstanceInitiatedShutdownBehavior") {
      std::string behavior = value.is_string() ? value.get<std::string>() : "";
      if (behavior != "stop" && behavior != "terminate") {
        return InvalidValue(fmt::format(
            "Value ({}) for parameter instanceInitiatedShutdownBehavior is invalid.", behavior));
      }
      instance["_attributes"][member] = behavior;
    } else if (member == "InstanceType" || member == "UserData") {
      if (state != "stopped") {
        return ServiceError{"IncorrectInstanceState",
                            fmt::format("The instance '{}' is not in the 'stopped' state.", id),
                            400, true};
      }
      std::string text = value.is_string() ? value.get<std::string>() : "";
      if (member == "InstanceType") {
        const aws::InstanceTypeSpec* type = FindType(text);
        if (type == nullptr) {
          return InvalidValue(fmt::format("Invalid value '{}' for InstanceType.", text));
        }
        instance["InstanceType"] = text;
      } else {
        // The blob arrives decoded; it is stored base64 like RunInstances' UserData.
        instance["_user_data"] = Base64Encode(text);
      }
    } else if (member == "SourceDestCheck") {
      instance["SourceDestCheck"] = value.is_boolean() ? value.get<bool>() : true;
    } else if (member == "EbsOptimized") {
      instance["EbsOptimized"] = value.is_boolean() ? value.get<bool>() : false;
    } else if (member == "Groups") {
      Json groups = Json::array();
      for (const Json& group_id : it.value()) {
        auto group = GetResource(*txn, kSecurityGroupType, call, group_id.get<std::string>());
        if (auto* error = std::get_if<ServiceError>(&group)) {
          return *error;
        }
        groups.push_back(
            {{"GroupId", group_id}, {"GroupName", std::get<Json>(group).value("GroupName", "")}});
      }
      instance["SecurityGroups"] = groups;
      for (Json& eni : instance["NetworkInterfaces"]) {
        if (eni["Attachment"].value("DeviceIndex", int64_t{-1}) == 0) {
          eni["Groups"] = groups;
          auto stored =
              GetResource(*txn, kNetworkInterfaceType, call, eni.value("NetworkInterfaceId", ""));
          if (auto* doc = std::get_if<Json>(&stored)) {
            (*doc)["Groups"] = groups;
            if (auto error = PutResource(*txn, call, kNetworkInterfaceType, *doc)) {
              return *error;
            }
          }
        }
      }
    }
  }
  if (auto error = PutResource(*txn, call, kInstanceType, instance)) {
    return *error;
  }
  return CommitWith(*txn, Json::object());
}

ServiceResult Ec2Service::DescribeInstanceAttribute(const ServiceCall& call) {
  std::string id = call.input.value("InstanceId", "");
  std::string attribute = call.input.value("Attribute", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto loaded =
      LoadInstances(*txn, call, {id}, [this](Json i) { return InstanceNow(std::move(i)); });
  if (auto* error = std::get_if<ServiceError>(&loaded)) {
    return *error;
  }
  const Json& instance = std::get<std::vector<Json>>(loaded)[0];
  Json out = {{"InstanceId", id}};
  if (attribute == "disableApiTermination") {
    out["DisableApiTermination"] = {{"Value", Attr(instance, "DisableApiTermination", false)}};
  } else if (attribute == "disableApiStop") {
    out["DisableApiStop"] = {{"Value", Attr(instance, "DisableApiStop", false)}};
  } else if (attribute == "instanceInitiatedShutdownBehavior") {
    out["InstanceInitiatedShutdownBehavior"] = {
        {"Value", Attr(instance, "InstanceInitiatedShutdownBehavior", "stop")}};
  } else if (attribute == "instanceType") {
    out["InstanceType"] = {{"Value", instance["InstanceType"]}};
  } else if (attribute == "userData") {
    std::string data = instance.value("_user_data", "");
    out["UserData"] = data.empty() ? Json::object() : Json{{"Value", data}};
  } else if (attribute == "rootDeviceName") {
    out["RootDeviceName"] = {{"Value", instance["RootDeviceName"]}};
  } else if (attribute == "blockDeviceMapping") {
    out["BlockDeviceMappings"] = instance["BlockDeviceMappings"];
  } else if (attribute == "groupSet") {
    out["Groups"] = instance["SecurityGroups"];
  } else if (attribute == "sourceDestCheck") {
    out["SourceDestCheck"] = {{"Value", instance.value("SourceDestCheck", true)}};
  } else if (attribute == "ebsOptimized") {
    out["EbsOptimized"] = {{"Value", instance.value("EbsOptimized", false)}};
  } else if (attribute == "enaSupport") {
    out["EnaSupport"] = {{"Value", true}};
  } else if (attribute == "productCodes") {
    out["ProductCodes"] = Json::array();
  } else {
    return InvalidValue(fmt::format("Value ({}) for parameter attribute is invalid.", attribute));
  }
  return out;
}

ServiceResult Ec2Service::GetConsoleOutput(const ServiceCall& call) {
  std::string id = call.input.value("InstanceId", "");
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto loaded = LoadInstances(*txn, call, {id}, [](Json i) { return i; });
    if (auto* error = std::get_if<ServiceError>(&loaded)) {
      return *error;
    }
  }
  Json out = {{"InstanceId", id}, {"Timestamp", NowSeconds(context_.clock)}};
  std::string console = runtime_ != nullptr ? runtime_->ConsoleOutput(id) : "";
  if (!console.empty()) {
    out["Output"] = Base64Encode(console);
  }
  return out;
}

ServiceResult Ec2Service::DescribeVolumes(const ServiceCall& call) {
  return DescribeStored(context_.store, call, kVolumeType, "VolumeIds", VolumeFilter, "Volumes");
}

// Burstable (T family) instances' CPU credit option: as launched, else the type's default
// (t2 "standard", the later T types "unlimited"). Other instances are not listed.
ServiceResult Ec2Service::DescribeInstanceCreditSpecifications(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto loaded = LoadInstances(*txn, call, StringList(call.input, "InstanceIds"),
                              [this](Json i) { return InstanceNow(std::move(i)); });
  if (auto* error = std::get_if<ServiceError>(&loaded)) {
    return *error;
  }
  Json specs = Json::array();
  for (const Json& instance : std::get<std::vector<Json>>(loaded)) {
    std::string type = instance.value("InstanceType", "");
    if (type.size() < 2 || type[0] != 't' || !std::isdigit(static_cast<unsigned char>(type[1]))) {
      continue;
    }
    std::string credits = instance.value("_cpu_credits", "");
    if (credits.empty()) {
      credits = type.rfind("t2.", 0) == 0 ? "standard" : "unlimited";
    }
    specs.push_back({{"InstanceId", instance["InstanceId"]}, {"CpuCredits", credits}});
  }
  return Json{{"InstanceCreditSpecifications", specs}};
}

}  // namespace cf::cloud::ec2
