#include "cloud/ec2/ec2_common.h"

#include <fmt/core.h>

#include <set>

#include "cloud/core/ids.h"
#include "cloud/ec2/describe.h"

namespace cf::cloud::ec2 {

const ResourceType kVpcType{"vpc", "ec2/vpc", "VpcId", "vpc", "InvalidVpcID.NotFound", "vpc"};
const ResourceType kSubnetType{
    "subnet", "ec2/subnet", "SubnetId", "subnet", "InvalidSubnetID.NotFound", "subnet"};
const ResourceType kInternetGatewayType{"igw",
                                        "ec2/internet-gateway",
                                        "InternetGatewayId",
                                        "internet-gateway",
                                        "InvalidInternetGatewayID.NotFound",
                                        "internetGateway"};
const ResourceType kSecurityGroupType{"sg",
                                      "ec2/security-group",
                                      "GroupId",
                                      "security-group",
                                      "InvalidGroup.NotFound",
                                      "security group"};

const ResourceType kKeyPairType{
    "key", "ec2/key-pair", "KeyPairId", "key-pair", "InvalidKeyPair.NotFound", "key pair"};

const ResourceType kRouteTableType{
    "rtb",        "ec2/route-table", "RouteTableId", "route-table", "InvalidRouteTableID.NotFound",
    "route table"};

const ResourceType kAddressType{
    "eipalloc",  "ec2/address", "AllocationId", "elastic-ip", "InvalidAllocationID.NotFound",
    "allocation"};
const ResourceType kNatGatewayType{"nat",        "ec2/nat-gateway",    "NatGatewayId",
                                   "natgateway", "NatGatewayNotFound", "NAT gateway"};

const ResourceType kPlacementGroupType{"pg",
                                       "ec2/placement-group",
                                       "GroupId",
                                       "placement-group",
                                       "InvalidPlacementGroup.Unknown",
                                       "placement group"};
const ResourceType kLaunchTemplateType{"lt",
                                       "ec2/launch-template",
                                       "LaunchTemplateId",
                                       "launch-template",
                                       "InvalidLaunchTemplateId.NotFound",
                                       "launch template"};
const ResourceType kNetworkInterfaceType{"eni",
                                         "ec2/network-interface",
                                         "NetworkInterfaceId",
                                         "network-interface",
                                         "InvalidNetworkInterfaceID.NotFound",
                                         "network interface"};
const ResourceType kVpcEndpointType{"vpce",
                                    "ec2/vpc-endpoint",
                                    "VpcEndpointId",
                                    "vpc-endpoint",
                                    "InvalidVpcEndpointId.NotFound",
                                    "VPC endpoint"};

const ResourceType kFlowLogType{
    "fl", "ec2/flow-log", "FlowLogId", "vpc-flow-log", "InvalidFlowLogId.NotFound", "flow log"};
const ResourceType kInstanceType{
    "i", "ec2/instance", "InstanceId", "instance", "InvalidInstanceID.NotFound", "instance"};
const ResourceType kVolumeType{
    "vol", "ec2/volume", "VolumeId", "volume", "InvalidVolume.NotFound", "volume"};

const std::vector<const ResourceType*>& ResourceTypes() {
  static const std::vector<const ResourceType*> kTypes = {
      &kAddressType,        &kInternetGatewayType, &kKeyPairType,          &kNatGatewayType,
      &kRouteTableType,     &kSecurityGroupType,   &kSubnetType,           &kVpcType,
      &kPlacementGroupType, &kLaunchTemplateType,  &kNetworkInterfaceType, &kVpcEndpointType,
      &kInstanceType,       &kVolumeType,          &kFlowLogType};
  return kTypes;
}

const ResourceType* TypeOfId(const std::string& id) {
  for (const ResourceType* type : ResourceTypes()) {
    if (IsResourceId(id, type->prefix)) {
      return type;
    }
  }
  return nullptr;
}

ServiceError StoreFailure(const Status& status) {
  return InternalFailure("the local cloud's store failed: " + status.message());
}

ServiceError NotFound(const ResourceType& type, const std::string& id) {
  return ServiceError{type.not_found, fmt::format("The {} ID '{}' does not exist", type.noun, id),
                      400, true};
}

std::string Key(const ServiceCall& call, const std::string& id) {
  return call.region + "/" + id;
}

std::vector<std::string> StringList(const Json& input, const char* name) {
  std::vector<std::string> out;
  if (input.contains(name)) {
    for (const Json& v : input[name]) {
      out.push_back(v.get<std::string>());
    }
  }
  return out;
}

std::vector<std::string> Strings(std::initializer_list<std::string> values) {
  return std::vector<std::string>(values);
}

std::variant<std::map<std::string, std::string>, ServiceError> SpecTags(
    const Json& input, const std::string& resource_type) {
  std::map<std::string, std::string> tags;
  if (!input.contains("TagSpecifications")) {
    return tags;
  }
  for (const Json& spec : input["TagSpecifications"]) {
    std::string type = spec.value("ResourceType", "");
    if (type != resource_type) {
      return ServiceError{"InvalidParameterValue",
                          fmt::format("'{}' is not a valid taggable resource type for this "
                                      "operation.",
                                      type),
                          400, true};
    }
    if (spec.contains("Tags")) {
      for (const Json& tag : spec["Tags"]) {
        tags[tag.value("Key", "")] = tag.value("Value", "");
      }
    }
  }
  if (auto error = CheckTags(tags)) {
    return *error;
  }
  return tags;
}

std::optional<ServiceError> CheckTags(const std::map<std::string, std::string>& tags) {
  if (tags.size() > 50) {
    return ServiceError{"TagLimitExceeded", "The maximum number of tags (50) was exceeded", 400,
                        true};
  }
  for (const auto& [key, value] : tags) {
    if (key.empty() || key.size() > 128 || value.size() > 256) {
      return ServiceError{"InvalidParameterValue",
                          fmt::format("Tag key '{}' or its value has an invalid length", key), 400,
                          true};
    }
    if (key.rfind("aws:", 0) == 0) {
      return ServiceError{"InvalidParameterValue",
                          "Tag keys starting with 'aws:' are reserved for internal use", 400, true};
    }
  }
  return std::nullopt;
}

Json Visible(Json resource) {
  for (auto it = resource.begin(); it != resource.end();) {
    if (it.key().rfind("_", 0) == 0) {
      it = resource.erase(it);
    } else {
      ++it;
    }
  }
  if (resource.contains("Tags") && resource["Tags"].empty()) {
    resource.erase("Tags");
  }
  return resource;
}

std::variant<Json, ServiceError> GetResource(StoreTxn& txn, const ResourceType& type,
                                             const ServiceCall& call, const std::string& id) {
  Result<std::optional<Json>> doc = txn.Get(type.ns, Key(call, id));
  if (!doc.ok()) {
    return StoreFailure(doc.status());
  }
  if (!*doc) {
    return NotFound(type, id);
  }
  return std::move(**doc);
}

std::variant<std::vector<Json>, ServiceError> ListResources(Store& store, const ServiceCall& call,
                                                            const ResourceType& type,
                                                            const std::vector<std::string>& ids) {
  Result<std::vector<std::pair<std::string, Json>>> all = store.List(type.ns, call.region + "/");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  std::vector<Json> out;
  if (ids.empty()) {
    for (auto& [key, doc] : *all) {
      out.push_back(std::move(doc));
    }
    return out;
  }
  std::set<std::string> wanted(ids.begin(), ids.end());
  for (auto& [key, doc] : *all) {
    if (wanted.erase(doc.value(type.id_member, "")) > 0) {
      out.push_back(std::move(doc));
    }
  }
  if (!wanted.empty()) {
    return NotFound(type, *wanted.begin());
  }
  return out;
}

std::variant<std::vector<Json>, ServiceError> ListIn(StoreTxn& txn, const ServiceCall& call,
                                                     const ResourceType& type) {
  Result<std::vector<std::pair<std::string, Json>>> all = txn.List(type.ns, call.region + "/");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  std::vector<Json> out;
  for (auto& [key, doc] : *all) {
    out.push_back(std::move(doc));
  }
  return out;
}

std::optional<ServiceError> PutResource(StoreTxn& txn, const ServiceCall& call,
                                        const ResourceType& type, const Json& resource) {
  Status s = txn.Put(type.ns, Key(call, resource.value(type.id_member, "")), resource);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return std::nullopt;
}

ServiceResult CommitWith(StoreTxn& txn, Json output) {
  Status s = txn.Commit();
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return output;
}

ServiceError InvalidValue(std::string message) {
  return ServiceError{"InvalidParameterValue", std::move(message), 400, true};
}

ServiceError MissingParameter(const std::string& name) {
  return ServiceError{"MissingParameter",
                      fmt::format("The request must contain the parameter {}", name), 400, true};
}

ServiceResult DescribeStored(Store& store, const ServiceCall& call, const ResourceType& type,
                             const char* ids_member, const FilterValues& values,
                             const std::string& list_name, const std::function<Json(Json)>& view,
                             bool paginate) {
  auto listed = ListResources(store, call, type, StringList(call.input, ids_member));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  return ToResult(FilterAndPage(std::move(std::get<std::vector<Json>>(listed)), call.input, values,
                                type.id_member, list_name, view, paginate));
}

ServiceResult ToResult(std::variant<Json, ServiceError> page) {
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return std::move(*error);
  }
  return std::move(std::get<Json>(page));
}

}  // namespace cf::cloud::ec2
