// Network interfaces of the EC2 service: created in a subnet with the subnet's next free
// private address (AWS's five reserved addresses skipped) or a requested one, attached to and
// detached from instances, modified, and deleted. Interfaces are stored with "Tags" like every
// resource and shown with the model's "TagSet".
//
// Instances are not simulated yet: AttachNetworkInterface checks an instance id's shape and,
// when the store holds any instance ("ec2/instance"), that the instance exists.

#include <fmt/core.h>

#include <chrono>
#include <regex>
#include <set>

#include "cloud/core/ids.h"
#include "cloud/ec2/cidr.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

namespace {

constexpr char kInstanceNs[] = "ec2/instance";

std::string Ipv4(uint32_t address) {
  return fmt::format("{}.{}.{}.{}", address >> 24, (address >> 16) & 255, (address >> 8) & 255,
                     address & 255);
}

std::optional<uint32_t> ParseIpv4(const std::string& text) {
  std::optional<Cidr> cidr = ParseCidr(text + "/32");
  if (!cidr) {
    return std::nullopt;
  }
  return cidr->address;
}

Json InterfaceView(Json doc) {
  Json view = Visible(std::move(doc));
  if (view.contains("Tags")) {
    view["TagSet"] = view["Tags"];
    view.erase("Tags");
  }
  return view;
}

ServiceError AttachmentNotFound(const std::string& id) {
  return ServiceError{"InvalidAttachmentID.NotFound",
                      fmt::format("The attachment ID '{}' does not exist", id), 400, true};
}

// Adds `delta` to the subnet's AvailableIpAddressCount.
std::optional<ServiceError> AdjustAvailable(StoreTxn& txn, const ServiceCall& call,
                                            const std::string& subnet_id, int64_t delta) {
  auto subnet = GetResource(txn, kSubnetType, call, subnet_id);
  if (std::holds_alternative<ServiceError>(subnet)) {
    return std::nullopt;  // the subnet is gone: nothing to count
  }
  Json& doc = std::get<Json>(subnet);
  doc["AvailableIpAddressCount"] = doc.value("AvailableIpAddressCount", int64_t{0}) + delta;
  return PutResource(txn, call, kSubnetType, doc);
}

}  // namespace

std::optional<ServiceError> RemoveNetworkInterface(StoreTxn& txn, const ServiceCall& call,
                                                   const std::string& id) {
  auto eni = GetResource(txn, kNetworkInterfaceType, call, id);
  if (std::holds_alternative<ServiceError>(eni)) {
    return std::nullopt;
  }
  Status s = txn.Delete(kNetworkInterfaceType.ns, Key(call, id));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return AdjustAvailable(txn, call, std::get<Json>(eni).value("SubnetId", ""), 1);
}

std::variant<Json, ServiceError> Ec2Service::MakeNetworkInterface(
    StoreTxn& txn, const ServiceCall& call, const std::string& subnet_id,
    const std::vector<std::string>& groups, const std::string& description,
    const std::string& address, const std::string& interface_type, const Json& tags) {
  auto subnet_doc = GetResource(txn, kSubnetType, call, subnet_id);
  if (auto* error = std::get_if<ServiceError>(&subnet_doc)) {
    return *error;
  }
  const Json& subnet = std::get<Json>(subnet_doc);
  std::string vpc_id = subnet.value("VpcId", "");
  Json group_list = Json::array();
  std::vector<std::string> group_ids = groups;
  if (group_ids.empty()) {
    auto all = ListIn(txn, call, kSecurityGroupType);
    if (auto* error = std::get_if<ServiceError>(&all)) {
      return *error;
    }
    for (const Json& group : std::get<std::vector<Json>>(all)) {
      if (group.value("VpcId", "") == vpc_id && group.value("GroupName", "") == "default") {
        group_ids.push_back(group["GroupId"]);
      }
    }
  }
  for (const std::string& group_id : group_ids) {
    auto group = GetResource(txn, kSecurityGroupType, call, group_id);
    if (auto* error = std::get_if<ServiceError>(&group)) {
      return *error;
    }
    if (std::get<Json>(group).value("VpcId", "") != vpc_id) {
      return ServiceError{"InvalidParameter",
                          fmt::format("Security group {} and subnet {} belong to different "
                                      "networks.",
                                      group_id, subnet_id),
                          400, true};
    }
    group_list.push_back(
        {{"GroupId", group_id}, {"GroupName", std::get<Json>(group).value("GroupName", "")}});
  }
  std::optional<Cidr> cidr = ParseCidr(subnet.value("CidrBlock", ""));
  if (!cidr) {
    return InternalFailure("stored subnet without a CIDR block");
  }
  auto interfaces = ListIn(txn, call, kNetworkInterfaceType);
  if (auto* error = std::get_if<ServiceError>(&interfaces)) {
    return *error;
  }
  std::set<std::string> used;
  for (const Json& other : std::get<std::vector<Json>>(interfaces)) {
    if (other.value("SubnetId", "") == subnet_id) {
      used.insert(other.value("PrivateIpAddress", ""));
    }
  }
  // AWS keeps the first four addresses and the last one of every subnet.
  uint32_t first = cidr->address + 4;
  uint32_t last = cidr->address + static_cast<uint32_t>(cidr->size()) - 2;
  std::string ip;
  if (!address.empty()) {
    std::optional<uint32_t> wanted = ParseIpv4(address);
    if (!wanted || *wanted < first || *wanted > last) {
      return InvalidValue(fmt::format(
          "Address {} does not fall within the subnet's address range ({}), or is reserved.",
          address, cidr->ToString()));
    }
    if (used.count(address) > 0) {
      return ServiceError{"InvalidIPAddress.InUse",
                          fmt::format("The specified address {} is already in use.", address), 400,
                          true};
    }
    ip = address;
  } else {
    for (uint32_t candidate = first; candidate <= last; ++candidate) {
      if (!used.count(Ipv4(candidate))) {
        ip = Ipv4(candidate);
        break;
      }
    }
    if (ip.empty()) {
      return ServiceError{"InsufficientFreeAddressesInSubnet",
                          fmt::format("There are not enough free addresses in subnet '{}' to "
                                      "satisfy the requested number of instances.",
                                      subnet_id),
                          400, true};
    }
  }
  std::string id = context_.ids.ResourceId("eni");
  // A locally administered MAC address from the id's hex digits.
  std::string hex = id.substr(id.size() - 10);
  std::string mac = "02";
  for (size_t i = 0; i < hex.size(); i += 2) {
    mac += ":" + hex.substr(i, 2);
  }
  Json eni = {
      {"NetworkInterfaceId", id},
      {"SubnetId", subnet_id},
      {"VpcId", vpc_id},
      {"AvailabilityZone", subnet.value("AvailabilityZone", "")},
      {"Description", description},
      {"Groups", group_list},
      {"InterfaceType", interface_type},
      {"MacAddress", mac},
      {"OwnerId", call.account_id},
      {"PrivateIpAddress", ip},
      {"PrivateIpAddresses", {{{"Primary", true}, {"PrivateIpAddress", ip}}}},
      {"Ipv6Addresses", Json::array()},
      {"RequesterManaged", interface_type != "interface"},
      {"SourceDestCheck", true},
      {"Status", "available"},
      {"Tags", tags},
  };
  if (auto error = PutResource(txn, call, kNetworkInterfaceType, eni)) {
    return *error;
  }
  if (auto error = AdjustAvailable(txn, call, subnet_id, -1)) {
    return *error;
  }
  return eni;
}

ServiceResult Ec2Service::CreateNetworkInterface(const ServiceCall& call) {
  std::string subnet_id = call.input.value("SubnetId", "");
  if (subnet_id.empty()) {
    return MissingParameter("SubnetId");
  }
  auto tags = SpecTags(call.input, "network-interface");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto eni = MakeNetworkInterface(*txn, call, subnet_id, StringList(call.input, "Groups"),
                                  call.input.value("Description", ""),
                                  call.input.value("PrivateIpAddress", ""), "interface",
                                  TagList(std::get<std::map<std::string, std::string>>(tags)));
  if (auto* error = std::get_if<ServiceError>(&eni)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"NetworkInterface", InterfaceView(std::get<Json>(eni))}});
}

ServiceResult Ec2Service::DescribeNetworkInterfaces(const ServiceCall& call) {
  return DescribeStored(
      context_.store, call, kNetworkInterfaceType, "NetworkInterfaceIds",
      MemberFilters({{"network-interface-id", "NetworkInterfaceId"},
                     {"subnet-id", "SubnetId"},
                     {"vpc-id", "VpcId"},
                     {"description", "Description"},
                     {"group-id", "Groups[].GroupId"},
                     {"group-name", "Groups[].GroupName"},
                     {"attachment.instance-id", "Attachment.InstanceId"},
                     {"attachment.attachment-id", "Attachment.AttachmentId"},
                     {"attachment.status", "Attachment.Status"},
                     {"attachment.device-index", "Attachment.DeviceIndex"},
                     {"attachment.delete-on-termination", "Attachment.DeleteOnTermination"},
                     {"availability-zone", "AvailabilityZone"},
                     {"private-ip-address", "PrivateIpAddress"},
                     {"addresses.private-ip-address", "PrivateIpAddresses[].PrivateIpAddress"},
                     {"mac-address", "MacAddress"},
                     {"interface-type", "InterfaceType"},
                     {"owner-id", "OwnerId"},
                     {"requester-managed", "RequesterManaged"},
                     {"source-dest-check", "SourceDestCheck"},
                     {"status", "Status"}}),
      "NetworkInterfaces", InterfaceView);
}

ServiceResult Ec2Service::DeleteNetworkInterface(const ServiceCall& call) {
  std::string id = call.input.value("NetworkInterfaceId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto eni = GetResource(*txn, kNetworkInterfaceType, call, id);
  if (auto* error = std::get_if<ServiceError>(&eni)) {
    return *error;
  }
  const Json& doc = std::get<Json>(eni);
  if (doc.contains("Attachment")) {
    return ServiceError{"InvalidNetworkInterface.InUse",
                        fmt::format("Network interface '{}' is currently in use.", id), 400, true};
  }
  if (doc.value("RequesterManaged", false)) {
    return ServiceError{"OperationNotPermitted",
                        fmt::format("You do not have permission to delete the network interface "
                                    "'{}': it is managed by another service.",
                                    id),
                        400, true};
  }
  if (auto error = RemoveNetworkInterface(*txn, call, id)) {
    return *error;
  }
  return CommitWith(*txn, Json::object());
}

ServiceResult Ec2Service::ModifyNetworkInterfaceAttribute(const ServiceCall& call) {
  std::string id = call.input.value("NetworkInterfaceId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto eni = GetResource(*txn, kNetworkInterfaceType, call, id);
  if (auto* error = std::get_if<ServiceError>(&eni)) {
    return *error;
  }
  Json& doc = std::get<Json>(eni);
  bool changed = false;
  if (call.input.contains("Description")) {
    doc["Description"] = call.input["Description"].value("Value", "");
    changed = true;
  }
  if (call.input.contains("SourceDestCheck")) {
    doc["SourceDestCheck"] = call.input["SourceDestCheck"].value("Value", true);
    changed = true;
  }
  if (call.input.contains("Groups")) {
    std::vector<std::string> ids = StringList(call.input, "Groups");
    if (ids.empty()) {
      return InvalidValue("An interface needs at least one security group");
    }
    Json groups = Json::array();
    for (const std::string& group_id : ids) {
      auto group = GetResource(*txn, kSecurityGroupType, call, group_id);
      if (auto* error = std::get_if<ServiceError>(&group)) {
        return *error;
      }
      if (std::get<Json>(group).value("VpcId", "") != doc.value("VpcId", "")) {
        return ServiceError{"InvalidParameter",
                            fmt::format("Security group {} and interface {} belong to different "
                                        "networks.",
                                        group_id, id),
                            400, true};
      }
      groups.push_back(
          {{"GroupId", group_id}, {"GroupName", std::get<Json>(group).value("GroupName", "")}});
    }
    doc["Groups"] = groups;
    changed = true;
  }
  if (call.input.contains("Attachment")) {
    const Json& attachment = call.input["Attachment"];
    std::string attachment_id = attachment.value("AttachmentId", "");
    if (!doc.contains("Attachment") ||
        doc["Attachment"].value("AttachmentId", "") != attachment_id) {
      return AttachmentNotFound(attachment_id);
    }
    doc["Attachment"]["DeleteOnTermination"] = attachment.value("DeleteOnTermination", false);
    changed = true;
  }
  if (!changed) {
    return MissingParameter("Description, SourceDestCheck, Groups or Attachment");
  }
  if (auto error = PutResource(*txn, call, kNetworkInterfaceType, doc)) {
    return *error;
  }
  return CommitWith(*txn, Json::object());
}

ServiceResult Ec2Service::AttachNetworkInterface(const ServiceCall& call) {
  std::string id = call.input.value("NetworkInterfaceId", "");
  std::string instance_id = call.input.value("InstanceId", "");
  if (!call.input.contains("DeviceIndex")) {
    return MissingParameter("DeviceIndex");
  }
  int64_t device_index = call.input["DeviceIndex"].get<int64_t>();
  static const std::regex kInstanceId("i-([0-9a-f]{8}|[0-9a-f]{17})");
  if (!std::regex_match(instance_id, kInstanceId)) {
    return ServiceError{"InvalidInstanceID.Malformed",
                        fmt::format("Invalid id: \"{}\" (expecting \"i-...\")", instance_id), 400,
                        true};
  }
  if (device_index < 0 || device_index > 31) {
    return InvalidValue(
        fmt::format("Value ({}) for parameter deviceIndex is invalid.", device_index));
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::vector<std::pair<std::string, Json>>> instances =
      txn->List(kInstanceNs, call.region + "/");
  if (!instances.ok()) {
    return StoreFailure(instances.status());
  }
  if (!instances->empty()) {
    bool exists = false;
    for (const auto& [key, instance] : *instances) {
      exists = exists || instance.value("InstanceId", "") == instance_id;
    }
    if (!exists) {
      return ServiceError{"InvalidInstanceID.NotFound",
                          fmt::format("The instance ID '{}' does not exist", instance_id), 400,
                          true};
    }
  }
  auto eni = GetResource(*txn, kNetworkInterfaceType, call, id);
  if (auto* error = std::get_if<ServiceError>(&eni)) {
    return *error;
  }
  Json& doc = std::get<Json>(eni);
  if (doc.contains("Attachment")) {
    return ServiceError{"InvalidNetworkInterface.InUse", fmt::format("Interface: [{}] in use.", id),
                        400, true};
  }
  auto all = ListIn(*txn, call, kNetworkInterfaceType);
  if (auto* error = std::get_if<ServiceError>(&all)) {
    return *error;
  }
  for (const Json& other : std::get<std::vector<Json>>(all)) {
    if (other.contains("Attachment") &&
        other["Attachment"].value("InstanceId", "") == instance_id &&
        other["Attachment"].value("DeviceIndex", int64_t{-1}) == device_index) {
      return InvalidValue(
          fmt::format("Instance '{}' already has an interface attached at device index '{}'.",
                      instance_id, device_index));
    }
  }
  std::string attachment_id = context_.ids.ResourceId("eni-attach");
  doc["Attachment"] = {
      {"AttachmentId", attachment_id},
      {"InstanceId", instance_id},
      {"InstanceOwnerId", call.account_id},
      {"DeviceIndex", device_index},
      {"NetworkCardIndex", call.input.value("NetworkCardIndex", int64_t{0})},
      {"Status", "attached"},
      {"AttachTime",
       std::chrono::duration_cast<std::chrono::seconds>(context_.clock.Now().time_since_epoch())
           .count()},
      {"DeleteOnTermination", false},
  };
  doc["Status"] = "in-use";
  if (auto error = PutResource(*txn, call, kNetworkInterfaceType, doc)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"AttachmentId", attachment_id},
                               {"NetworkCardIndex", doc["Attachment"]["NetworkCardIndex"]}});
}

ServiceResult Ec2Service::DetachNetworkInterface(const ServiceCall& call) {
  std::string attachment_id = call.input.value("AttachmentId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto all = ListIn(*txn, call, kNetworkInterfaceType);
  if (auto* error = std::get_if<ServiceError>(&all)) {
    return *error;
  }
  for (Json& doc : std::get<std::vector<Json>>(all)) {
    if (doc.contains("Attachment") &&
        doc["Attachment"].value("AttachmentId", "") == attachment_id) {
      doc.erase("Attachment");
      doc["Status"] = "available";
      if (auto error = PutResource(*txn, call, kNetworkInterfaceType, doc)) {
        return *error;
      }
      return CommitWith(*txn, Json::object());
    }
  }
  return AttachmentNotFound(attachment_id);
}

}  // namespace cf::cloud::ec2
