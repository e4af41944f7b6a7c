#include "cloud/ec2/ec2_service.h"

#include <fmt/core.h>

#include <map>
#include <set>

#include "cloud/ec2/cidr.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"

namespace cf::cloud::ec2 {

namespace {

constexpr char kZoneLetters[] = "abc";

const char* const kRegions[] = {"us-east-1",      "us-east-2",     "us-west-1",    "us-west-2",
                                "eu-west-1",      "eu-west-2",     "eu-central-1", "ap-southeast-1",
                                "ap-southeast-2", "ap-northeast-1"};

std::optional<std::vector<std::string>> VpcFilter(const Json& vpc, const std::string& name) {
  if (name == "vpc-id") {
    return Strings({vpc["VpcId"]});
  }
  if (name == "cidr" || name == "cidr-block-association.cidr-block") {
    return Strings({vpc["CidrBlock"]});
  }
  if (name == "state") {
    return Strings({vpc["State"]});
  }
  if (name == "is-default") {
    return Strings({vpc["IsDefault"].get<bool>() ? "true" : "false"});
  }
  if (name == "owner-id") {
    return Strings({vpc["OwnerId"]});
  }
  if (name == "dhcp-options-id") {
    return Strings({vpc["DhcpOptionsId"]});
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> SubnetFilter(const Json& subnet, const std::string& name) {
  if (name == "subnet-id") {
    return Strings({subnet["SubnetId"]});
  }
  if (name == "vpc-id") {
    return Strings({subnet["VpcId"]});
  }
  if (name == "cidr-block" || name == "cidr" || name == "cidrBlock") {
    return Strings({subnet["CidrBlock"]});
  }
  if (name == "availability-zone" || name == "availabilityZone") {
    return Strings({subnet["AvailabilityZone"]});
  }
  if (name == "availability-zone-id") {
    return Strings({subnet["AvailabilityZoneId"]});
  }
  if (name == "state") {
    return Strings({subnet["State"]});
  }
  if (name == "default-for-az") {
    return Strings({subnet["DefaultForAz"].get<bool>() ? "true" : "false"});
  }
  if (name == "owner-id") {
    return Strings({subnet["OwnerId"]});
  }
  if (name == "subnet-arn") {
    return Strings({subnet["SubnetArn"]});
  }
  return std::nullopt;
}

}  // namespace

std::string ZoneIdPrefix(const std::string& region) {
  // "us-east-1" -> parts "us", "east", "1".
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dash = region.find('-', start);
    parts.push_back(region.substr(start, dash - start));
    if (dash == std::string::npos) {
      break;
    }
    start = dash + 1;
  }
  if (parts.size() < 3) {
    return region;
  }
  static const std::map<std::string, std::string> kDirections = {
      {"north", "n"},      {"south", "s"},      {"east", "e"},
      {"west", "w"},       {"central", "c"},    {"northeast", "ne"},
      {"southeast", "se"}, {"northwest", "nw"}, {"southwest", "sw"}};
  auto it = kDirections.find(parts[1]);
  return parts[0] + (it == kDirections.end() ? parts[1].substr(0, 1) : it->second) + parts[2];
}

bool Ec2Service::HasOperation(const std::string& operation) const {
  static const std::set<std::string> kRuleOperations = {
      "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
      "RevokeSecurityGroupEgress"};
  return kRuleOperations.count(operation) > 0 || HandlerFor(operation) != nullptr;
}

Ec2Service::HandlerPtr Ec2Service::HandlerFor(const std::string& operation) {
  static const std::map<std::string, HandlerPtr> kHandlers = {
      {"CreateVpc", &Ec2Service::CreateVpc},
      {"DescribeVpcs", &Ec2Service::DescribeVpcs},
      {"DeleteVpc", &Ec2Service::DeleteVpc},
      {"ModifyVpcAttribute", &Ec2Service::ModifyVpcAttribute},
      {"DescribeVpcAttribute", &Ec2Service::DescribeVpcAttribute},
      {"CreateSubnet", &Ec2Service::CreateSubnet},
      {"DescribeSubnets", &Ec2Service::DescribeSubnets},
      {"DeleteSubnet", &Ec2Service::DeleteSubnet},
      {"ModifySubnetAttribute", &Ec2Service::ModifySubnetAttribute},
      {"CreateFlowLogs", &Ec2Service::CreateFlowLogs},
      {"DescribeFlowLogs", &Ec2Service::DescribeFlowLogs},
      {"DeleteFlowLogs", &Ec2Service::DeleteFlowLogs},
      {"CreateTags", &Ec2Service::CreateTags},
      {"DeleteTags", &Ec2Service::DeleteTags},
      {"DescribeTags", &Ec2Service::DescribeTags},
      {"DescribeAvailabilityZones", &Ec2Service::DescribeAvailabilityZones},
      {"DescribeRegions", &Ec2Service::DescribeRegions},
      {"AllocateAddress", &Ec2Service::AllocateAddress},
      {"ReleaseAddress", &Ec2Service::ReleaseAddress},
      {"DescribeAddresses", &Ec2Service::DescribeAddresses},
      {"DescribeAddressesAttribute", &Ec2Service::DescribeAddressesAttribute},
      {"CreateNatGateway", &Ec2Service::CreateNatGateway},
      {"DeleteNatGateway", &Ec2Service::DeleteNatGateway},
      {"DescribeNatGateways", &Ec2Service::DescribeNatGateways},
      {"CreateRouteTable", &Ec2Service::CreateRouteTable},
      {"DeleteRouteTable", &Ec2Service::DeleteRouteTable},
      {"DescribeRouteTables", &Ec2Service::DescribeRouteTables},
      {"CreateRoute", &Ec2Service::CreateRoute},
      {"DeleteRoute", &Ec2Service::DeleteRoute},
      {"AssociateRouteTable", &Ec2Service::AssociateRouteTable},
      {"DisassociateRouteTable", &Ec2Service::DisassociateRouteTable},
      {"CreateKeyPair", &Ec2Service::CreateKeyPair},
      {"ImportKeyPair", &Ec2Service::ImportKeyPair},
      {"DescribeKeyPairs", &Ec2Service::DescribeKeyPairs},
      {"DeleteKeyPair", &Ec2Service::DeleteKeyPair},
      {"DescribeAccountAttributes", &Ec2Service::DescribeAccountAttributes},
      {"CreateInternetGateway", &Ec2Service::CreateInternetGateway},
      {"AttachInternetGateway", &Ec2Service::AttachInternetGateway},
      {"DetachInternetGateway", &Ec2Service::DetachInternetGateway},
      {"DeleteInternetGateway", &Ec2Service::DeleteInternetGateway},
      {"DescribeInternetGateways", &Ec2Service::DescribeInternetGateways},
      {"CreateSecurityGroup", &Ec2Service::CreateSecurityGroup},
      {"DeleteSecurityGroup", &Ec2Service::DeleteSecurityGroup},
      {"DescribeSecurityGroups", &Ec2Service::DescribeSecurityGroups},
      {"DescribeSecurityGroupRules", &Ec2Service::DescribeSecurityGroupRules},
      {"CreatePlacementGroup", &Ec2Service::CreatePlacementGroup},
      {"DescribePlacementGroups", &Ec2Service::DescribePlacementGroups},
      {"DeletePlacementGroup", &Ec2Service::DeletePlacementGroup},
      {"CreateLaunchTemplate", &Ec2Service::CreateLaunchTemplate},
      {"CreateLaunchTemplateVersion", &Ec2Service::CreateLaunchTemplateVersion},
      {"DescribeLaunchTemplates", &Ec2Service::DescribeLaunchTemplates},
      {"DescribeLaunchTemplateVersions", &Ec2Service::DescribeLaunchTemplateVersions},
      {"ModifyLaunchTemplate", &Ec2Service::ModifyLaunchTemplate},
      {"DeleteLaunchTemplate", &Ec2Service::DeleteLaunchTemplate},
      {"DeleteLaunchTemplateVersions", &Ec2Service::DeleteLaunchTemplateVersions},
      {"CreateNetworkInterface", &Ec2Service::CreateNetworkInterface},
      {"DescribeNetworkInterfaces", &Ec2Service::DescribeNetworkInterfaces},
      {"DeleteNetworkInterface", &Ec2Service::DeleteNetworkInterface},
      {"ModifyNetworkInterfaceAttribute", &Ec2Service::ModifyNetworkInterfaceAttribute},
      {"AttachNetworkInterface", &Ec2Service::AttachNetworkInterface},
      {"DetachNetworkInterface", &Ec2Service::DetachNetworkInterface},
      {"CreateVpcEndpoint", &Ec2Service::CreateVpcEndpoint},
      {"DescribeVpcEndpoints", &Ec2Service::DescribeVpcEndpoints},
      {"ModifyVpcEndpoint", &Ec2Service::ModifyVpcEndpoint},
      {"DeleteVpcEndpoints", &Ec2Service::DeleteVpcEndpoints},
      {"DescribeVpcEndpointServices", &Ec2Service::DescribeVpcEndpointServices},
      {"DescribePrefixLists", &Ec2Service::DescribePrefixLists},
      {"DescribeInstanceTypes", &Ec2Service::DescribeInstanceTypes},
      {"RunInstances", &Ec2Service::RunInstances},
      {"DescribeInstances", &Ec2Service::DescribeInstances},
      {"DescribeInstanceStatus", &Ec2Service::DescribeInstanceStatus},
      {"TerminateInstances", &Ec2Service::TerminateInstances},
      {"StopInstances", &Ec2Service::StopInstances},
      {"StartInstances", &Ec2Service::StartInstances},
      {"RebootInstances", &Ec2Service::RebootInstances},
      {"ModifyInstanceAttribute", &Ec2Service::ModifyInstanceAttribute},
      {"DescribeInstanceAttribute", &Ec2Service::DescribeInstanceAttribute},
      {"DescribeInstanceCreditSpecifications", &Ec2Service::DescribeInstanceCreditSpecifications},
      {"GetConsoleOutput", &Ec2Service::GetConsoleOutput},
      {"DescribeVolumes", &Ec2Service::DescribeVolumes},
      {"DescribeImages", &Ec2Service::DescribeImages},
  };
  auto it = kHandlers.find(operation);
  return it == kHandlers.end() ? nullptr : it->second;
}

Status Ec2Service::Reset() {
  std::lock_guard<std::mutex> lock(regions_mu_);
  regions_with_default_vpc_.clear();
  return OkStatus();
}

ServiceResult Ec2Service::Handle(const ServiceCall& call) {
  if (call.input.value("DryRun", false)) {
    return ServiceError{"DryRunOperation", "Request would have succeeded, but DryRun flag is set.",
                        412, true};
  }
  const std::string& op = call.operation;
  if (op == "AuthorizeSecurityGroupIngress" || op == "AuthorizeSecurityGroupEgress" ||
      op == "RevokeSecurityGroupIngress" || op == "RevokeSecurityGroupEgress") {
    if (auto error = EnsureDefaultVpc(call)) {
      return *error;
    }
    return ChangeRules(call, op.find("Egress") != std::string::npos, op.rfind("Revoke", 0) == 0);
  }
  HandlerPtr handler = HandlerFor(op);
  if (handler == nullptr) {
    return ServiceError{"InvalidAction", "The action " + op + " is not valid", 400, true};
  }
  if (auto error = EnsureDefaultVpc(call)) {
    return *error;
  }
  return (this->*handler)(call);
}

ServiceResult Ec2Service::CreateVpc(const ServiceCall& call) {
  std::string text = call.input.value("CidrBlock", "");
  if (text.empty()) {
    return ServiceError{"MissingParameter",
                        "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.", 400, true};
  }
  std::optional<Cidr> cidr = ParseCidr(text);
  if (!cidr) {
    return ServiceError{"InvalidParameterValue",
                        fmt::format("Value ({}) for parameter cidrBlock is invalid. This is not a "
                                    "valid CIDR block.",
                                    text),
                        400, true};
  }
  if (!Cidr{0x7f000000u, 8}.Contains(*cidr)) {
    return ServiceError{"InvalidVpc.Range",
                        fmt::format("The CIDR '{}' is invalid in the local cloud: VPC CIDR blocks "
                                    "must lie inside 127.0.0.0/8 (loopback), for example "
                                    "127.16.0.0/16",
                                    text),
                        400, true};
  }
  if (cidr->prefix < 16 || cidr->prefix > 28) {
    return ServiceError{"InvalidVpc.Range",
                        fmt::format("The CIDR '{}' is invalid: the netmask must be between /16 "
                                    "and /28",
                                    text),
                        400, true};
  }
  auto tags = SpecTags(call.input, "vpc");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  auto& tag_map = std::get<std::map<std::string, std::string>>(tags);
  if (auto error = CheckTags(tag_map)) {
    return *error;
  }
  std::string id = context_.ids.ResourceId("vpc");
  Json vpc = {
      {"VpcId", id},
      {"CidrBlock", cidr->ToString()},
      {"State", "available"},
      {"DhcpOptionsId", "default"},
      {"OwnerId", call.account_id},
      {"InstanceTenancy", call.input.value("InstanceTenancy", "default")},
      {"IsDefault", false},
      {"CidrBlockAssociationSet",
       Json::array({{{"AssociationId", context_.ids.ResourceId("vpc-cidr-assoc")},
                     {"CidrBlock", cidr->ToString()},
                     {"CidrBlockState", {{"State", "associated"}}}}})},
      {"Tags", TagList(tag_map)},
  };
  Json stored = vpc;
  stored["_attributes"] = {{"EnableDnsSupport", true}, {"EnableDnsHostnames", false}};
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = CreateDefaultSecurityGroup(*txn, call, id);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  auto main_table = MakeRouteTable(*txn, call, stored, true, Json::array());
  if (auto* error = std::get_if<ServiceError>(&main_table)) {
    return *error;
  }
  Status put = txn->Put(kVpcType.ns, Key(call, id), stored);
  if (put.ok()) {
    put = txn->Commit();
  }
  if (!put.ok()) {
    return StoreFailure(put);
  }
  if (tag_map.empty()) {
    vpc.erase("Tags");
  }
  return Json{{"Vpc", vpc}};
}

ServiceResult Ec2Service::DescribeVpcs(const ServiceCall& call) {
  return DescribeStored(context_.store, call, kVpcType, "VpcIds", VpcFilter, "Vpcs");
}

ServiceResult Ec2Service::DeleteVpc(const ServiceCall& call) {
  std::string id = call.input.value("VpcId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> vpc = txn->Get(kVpcType.ns, Key(call, id));
  if (!vpc.ok()) {
    return StoreFailure(vpc.status());
  }
  if (!*vpc) {
    return NotFound(kVpcType, id);
  }
  Result<std::vector<std::pair<std::string, Json>>> subnets =
      txn->List(kSubnetType.ns, call.region + "/");
  if (!subnets.ok()) {
    return StoreFailure(subnets.status());
  }
  auto dependency = ServiceError{
      "DependencyViolation",
      fmt::format("The vpc '{}' has dependencies and cannot be deleted.", id), 400, true};
  for (const auto& [key, subnet] : *subnets) {
    if (subnet.value("VpcId", "") == id) {
      return dependency;
    }
  }
  auto endpoints = ListIn(*txn, call, kVpcEndpointType);
  if (auto* error = std::get_if<ServiceError>(&endpoints)) {
    return *error;
  }
  for (const Json& endpoint : std::get<std::vector<Json>>(endpoints)) {
    if (endpoint.value("VpcId", "") == id) {
      return dependency;
    }
  }
  Result<std::vector<std::pair<std::string, Json>>> gateways =
      txn->List(kInternetGatewayType.ns, call.region + "/");
  if (!gateways.ok()) {
    return StoreFailure(gateways.status());
  }
  for (const auto& [key, gateway] : *gateways) {
    for (const Json& attachment : gateway["Attachments"]) {
      if (attachment.value("VpcId", "") == id) {
        return dependency;
      }
    }
  }
  Result<std::vector<std::pair<std::string, Json>>> groups =
      txn->List(kSecurityGroupType.ns, call.region + "/");
  if (!groups.ok()) {
    return StoreFailure(groups.status());
  }
  std::vector<std::string> default_groups;
  for (const auto& [key, group] : *groups) {
    if (group.value("VpcId", "") == id) {
      if (group.value("GroupName", "") != "default") {
        return dependency;
      }
      default_groups.push_back(key);
    }
  }
  Result<std::vector<std::pair<std::string, Json>>> tables =
      txn->List(kRouteTableType.ns, call.region + "/");
  if (!tables.ok()) {
    return StoreFailure(tables.status());
  }
  for (const auto& [key, table] : *tables) {
    if (table.value("VpcId", "") != id) {
      continue;
    }
    if (!table.value("_main", false)) {
      return dependency;
    }
    Status deleted = txn->Delete(kRouteTableType.ns, key);
    if (!deleted.ok()) {
      return StoreFailure(deleted);
    }
  }
  for (const std::string& key : default_groups) {
    Status deleted = txn->Delete(kSecurityGroupType.ns, key);
    if (!deleted.ok()) {
      return StoreFailure(deleted);
    }
  }
  Status s = txn->Delete(kVpcType.ns, Key(call, id));
  if (s.ok()) {
    s = txn->Commit();
  }
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult Ec2Service::ModifyVpcAttribute(const ServiceCall& call) {
  std::string id = call.input.value("VpcId", "");
  int given = 0;
  for (const char* name :
       {"EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"}) {
    given += call.input.contains(name) ? 1 : 0;
  }
  if (given != 1) {
    return ServiceError{"InvalidParameterCombination",
                        "Exactly one attribute may be modified at a time", 400, true};
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> vpc = txn->Get(kVpcType.ns, Key(call, id));
  if (!vpc.ok()) {
    return StoreFailure(vpc.status());
  }
  if (!*vpc) {
    return NotFound(kVpcType, id);
  }
  Json doc = **vpc;
  for (const char* name :
       {"EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"}) {
    if (call.input.contains(name)) {
      doc["_attributes"][name] = call.input[name].value("Value", false);
    }
  }
  if (doc["_attributes"].value("EnableDnsHostnames", false) &&
      !doc["_attributes"].value("EnableDnsSupport", true)) {
    return ServiceError{"InvalidParameterValue",
                        "DNS hostnames need DNS support: enable EnableDnsSupport first", 400, true};
  }
  Status s = txn->Put(kVpcType.ns, Key(call, id), doc);
  if (s.ok()) {
    s = txn->Commit();
  }
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

// The boolean subnet attributes clusterform sets, one per call as AWS requires.
ServiceResult Ec2Service::ModifySubnetAttribute(const ServiceCall& call) {
  static const char* kNames[] = {"MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation"};
  std::string id = call.input.value("SubnetId", "");
  const char* name = nullptr;
  int given = 0;
  for (const char* n : kNames) {
    if (call.input.contains(n)) {
      name = n;
      ++given;
    }
  }
  if (given != 1) {
    return ServiceError{"InvalidParameterCombination",
                        "Exactly one attribute may be modified at a time", 400, true};
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> subnet = txn->Get(kSubnetType.ns, Key(call, id));
  if (!subnet.ok()) {
    return StoreFailure(subnet.status());
  }
  if (!*subnet) {
    return NotFound(kSubnetType, id);
  }
  Json doc = **subnet;
  doc[name] = call.input[name].value("Value", false);
  Status s = txn->Put(kSubnetType.ns, Key(call, id), doc);
  if (s.ok()) {
    s = txn->Commit();
  }
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult Ec2Service::DescribeVpcAttribute(const ServiceCall& call) {
  std::string id = call.input.value("VpcId", "");
  std::string attribute = call.input.value("Attribute", "");
  Result<std::optional<Json>> vpc = context_.store.Get(kVpcType.ns, Key(call, id));
  if (!vpc.ok()) {
    return StoreFailure(vpc.status());
  }
  if (!*vpc) {
    return NotFound(kVpcType, id);
  }
  std::string member = attribute == "enableDnsSupport"     ? "EnableDnsSupport"
                       : attribute == "enableDnsHostnames" ? "EnableDnsHostnames"
                       : attribute == "enableNetworkAddressUsageMetrics"
                           ? "EnableNetworkAddressUsageMetrics"
                           : "";
  if (member.empty()) {
    return ServiceError{"InvalidParameterValue",
                        fmt::format("Value ({}) for parameter attribute is invalid.", attribute),
                        400, true};
  }
  return Json{{"VpcId", id}, {member, {{"Value", (**vpc)["_attributes"].value(member, false)}}}};
}

ServiceResult Ec2Service::CreateSubnet(const ServiceCall& call) {
  std::string vpc_id = call.input.value("VpcId", "");
  std::string text = call.input.value("CidrBlock", "");
  std::optional<Cidr> cidr = ParseCidr(text);
  if (!cidr) {
    return ServiceError{"InvalidParameterValue",
                        fmt::format("Value ({}) for parameter cidrBlock is invalid. This is not a "
                                    "valid CIDR block.",
                                    text),
                        400, true};
  }
  std::string zone = call.input.value("AvailabilityZone", "");
  std::string zone_id = call.input.value("AvailabilityZoneId", "");
  std::string prefix = ZoneIdPrefix(call.region);
  std::string letters = kZoneLetters;
  if (zone.empty() && !zone_id.empty()) {
    for (size_t i = 0; i < letters.size(); ++i) {
      if (zone_id == fmt::format("{}-az{}", prefix, i + 1)) {
        zone = call.region + letters[i];
      }
    }
    if (zone.empty()) {
      return ServiceError{
          "InvalidParameterValue",
          fmt::format("Value ({}) for parameter availabilityZoneId is invalid.", zone_id), 400,
          true};
    }
  }
  if (zone.empty()) {
    zone = call.region + "a";
  }
  size_t letter = letters.size();
  if (zone.size() == call.region.size() + 1 && zone.rfind(call.region, 0) == 0) {
    letter = letters.find(zone.back());
  }
  if (letter == std::string::npos || letter >= letters.size()) {
    return ServiceError{"InvalidParameterValue",
                        fmt::format("Value ({}) for parameter availabilityZone is invalid. "
                                    "Subnets can currently only be created in the following "
                                    "availability zones: {}a, {}b, {}c.",
                                    zone, call.region, call.region, call.region),
                        400, true};
  }
  auto tags = SpecTags(call.input, "subnet");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  auto& tag_map = std::get<std::map<std::string, std::string>>(tags);
  if (auto error = CheckTags(tag_map)) {
    return *error;
  }

  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> vpc = txn->Get(kVpcType.ns, Key(call, vpc_id));
  if (!vpc.ok()) {
    return StoreFailure(vpc.status());
  }
  if (!*vpc) {
    return NotFound(kVpcType, vpc_id);
  }
  std::optional<Cidr> vpc_cidr = ParseCidr((**vpc)["CidrBlock"].get<std::string>());
  if (!vpc_cidr || !vpc_cidr->Contains(*cidr) || cidr->prefix > 28) {
    return ServiceError{"InvalidSubnet.Range",
                        fmt::format("The CIDR '{}' is invalid for the VPC {} ({}): a subnet must "
                                    "lie inside its VPC's CIDR, between /16 and /28.",
                                    text, vpc_id, (**vpc)["CidrBlock"].get<std::string>()),
                        400, true};
  }
  Result<std::vector<std::pair<std::string, Json>>> subnets =
      txn->List(kSubnetType.ns, call.region + "/");
  if (!subnets.ok()) {
    return StoreFailure(subnets.status());
  }
  for (const auto& [key, other] : *subnets) {
    if (other.value("VpcId", "") != vpc_id) {
      continue;
    }
    std::optional<Cidr> other_cidr = ParseCidr(other["CidrBlock"].get<std::string>());
    if (other_cidr && other_cidr->Overlaps(*cidr)) {
      return ServiceError{
          "InvalidSubnet.Conflict",
          fmt::format("The CIDR '{}' conflicts with another subnet ({}, {})", text,
                      other["SubnetId"].get<std::string>(), other["CidrBlock"].get<std::string>()),
          400, true};
    }
  }
  std::string id = context_.ids.ResourceId("subnet");
  Json subnet = {
      {"SubnetId", id},
      {"VpcId", vpc_id},
      {"CidrBlock", cidr->ToString()},
      {"AvailabilityZone", call.region + letters[letter]},
      {"AvailabilityZoneId", fmt::format("{}-az{}", prefix, letter + 1)},
      {"AvailableIpAddressCount", static_cast<int64_t>(cidr->size()) - 5},
      {"DefaultForAz", false},
      {"MapPublicIpOnLaunch", false},
      {"State", "available"},
      {"OwnerId", call.account_id},
      {"AssignIpv6AddressOnCreation", false},
      {"Ipv6CidrBlockAssociationSet", Json::array()},
      {"SubnetArn", Arn("ec2", call.region, call.account_id, "subnet/" + id)},
      {"Tags", TagList(tag_map)},
  };
  Status s = txn->Put(kSubnetType.ns, Key(call, id), subnet);
  if (s.ok()) {
    s = txn->Commit();
  }
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json{{"Subnet", Visible(subnet)}};
}

ServiceResult Ec2Service::DescribeSubnets(const ServiceCall& call) {
  return DescribeStored(context_.store, call, kSubnetType, "SubnetIds", SubnetFilter, "Subnets");
}

ServiceResult Ec2Service::DeleteSubnet(const ServiceCall& call) {
  std::string id = call.input.value("SubnetId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> subnet = txn->Get(kSubnetType.ns, Key(call, id));
  if (!subnet.ok()) {
    return StoreFailure(subnet.status());
  }
  if (!*subnet) {
    return NotFound(kSubnetType, id);
  }
  Result<std::vector<std::pair<std::string, Json>>> nats =
      txn->List(kNatGatewayType.ns, call.region + "/");
  if (!nats.ok()) {
    return StoreFailure(nats.status());
  }
  for (const auto& [key, nat] : *nats) {
    if (nat.value("SubnetId", "") == id && nat.value("State", "") != "deleted") {
      return ServiceError{
          "DependencyViolation",
          fmt::format("The subnet '{}' has dependencies and cannot be deleted.", id), 400, true};
    }
  }
  auto interfaces = ListIn(*txn, call, kNetworkInterfaceType);
  if (auto* error = std::get_if<ServiceError>(&interfaces)) {
    return *error;
  }
  for (const Json& eni : std::get<std::vector<Json>>(interfaces)) {
    if (eni.value("SubnetId", "") == id) {
      return ServiceError{
          "DependencyViolation",
          fmt::format("The subnet '{}' has dependencies and cannot be deleted.", id), 400, true};
    }
  }
  // The subnet's route table associations go with it.
  Result<std::vector<std::pair<std::string, Json>>> tables =
      txn->List(kRouteTableType.ns, call.region + "/");
  if (!tables.ok()) {
    return StoreFailure(tables.status());
  }
  for (auto& [key, table] : *tables) {
    Json kept = Json::array();
    for (const Json& association : table["Associations"]) {
      if (association.value("SubnetId", "") != id) {
        kept.push_back(association);
      }
    }
    if (kept.size() != table["Associations"].size()) {
      table["Associations"] = kept;
      Status updated = txn->Put(kRouteTableType.ns, key, table);
      if (!updated.ok()) {
        return StoreFailure(updated);
      }
    }
  }
  Status s = txn->Delete(kSubnetType.ns, Key(call, id));
  if (s.ok()) {
    s = txn->Commit();
  }
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult Ec2Service::CreateTags(const ServiceCall& call) {
  std::map<std::string, std::string> tags;
  for (const Json& tag : call.input.value("Tags", Json::array())) {
    tags[tag.value("Key", "")] = tag.value("Value", "");
  }
  if (auto error = CheckTags(tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  for (const std::string& id : StringList(call.input, "Resources")) {
    const ResourceType* type = TypeOfId(id);
    if (type == nullptr) {
      return ServiceError{"InvalidID", fmt::format("The ID '{}' is not valid", id), 400, true};
    }
    Result<std::optional<Json>> doc = txn->Get(type->ns, Key(call, id));
    if (!doc.ok()) {
      return StoreFailure(doc.status());
    }
    if (!*doc) {
      return NotFound(*type, id);
    }
    std::map<std::string, std::string> merged = TagMap(**doc);
    for (const auto& [key, value] : tags) {
      merged[key] = value;
    }
    if (auto error = CheckTags(merged)) {
      return *error;
    }
    (**doc)["Tags"] = TagList(merged);
    Status s = txn->Put(type->ns, Key(call, id), **doc);
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  Status s = txn->Commit();
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult Ec2Service::DeleteTags(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  for (const std::string& id : StringList(call.input, "Resources")) {
    const ResourceType* type = TypeOfId(id);
    if (type == nullptr) {
      return ServiceError{"InvalidID", fmt::format("The ID '{}' is not valid", id), 400, true};
    }
    Result<std::optional<Json>> doc = txn->Get(type->ns, Key(call, id));
    if (!doc.ok()) {
      return StoreFailure(doc.status());
    }
    if (!*doc) {
      return NotFound(*type, id);
    }
    std::map<std::string, std::string> tags = TagMap(**doc);
    if (!call.input.contains("Tags")) {
      tags.clear();
    }
    for (const Json& tag : call.input.value("Tags", Json::array())) {
      auto it = tags.find(tag.value("Key", ""));
      // With a Value, only a tag with that value goes.
      if (it != tags.end() && (!tag.contains("Value") || tag["Value"] == it->second)) {
        tags.erase(it);
      }
    }
    (**doc)["Tags"] = TagList(tags);
    Status s = txn->Put(type->ns, Key(call, id), **doc);
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  Status s = txn->Commit();
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult Ec2Service::DescribeTags(const ServiceCall& call) {
  std::vector<Json> descriptions;
  for (const ResourceType* resource_type : ResourceTypes()) {
    const char* type = resource_type->tag_type;
    const char* id_member = resource_type->id_member;
    Result<std::vector<std::pair<std::string, Json>>> all =
        context_.store.List(resource_type->ns, call.region + "/");
    if (!all.ok()) {
      return StoreFailure(all.status());
    }
    for (const auto& [key, doc] : *all) {
      for (const auto& [k, v] : TagMap(doc)) {
        descriptions.push_back(
            {{"ResourceId", doc[id_member]}, {"ResourceType", type}, {"Key", k}, {"Value", v}});
      }
    }
  }
  auto filtered = ApplyFilters(
      std::move(descriptions), call.input,
      [](const Json& d, const std::string& name) -> std::optional<std::vector<std::string>> {
        if (name == "resource-id") {
          return Strings({d["ResourceId"]});
        }
        if (name == "resource-type") {
          return Strings({d["ResourceType"]});
        }
        if (name == "key") {
          return Strings({d["Key"]});
        }
        if (name == "value") {
          return Strings({d["Value"]});
        }
        return std::nullopt;
      });
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  Json out = {{"Tags", std::get<std::vector<Json>>(filtered)}};
  return out;
}

ServiceResult Ec2Service::DescribeAvailabilityZones(const ServiceCall& call) {
  std::vector<Json> zones;
  std::string prefix = ZoneIdPrefix(call.region);
  for (size_t i = 0; kZoneLetters[i] != '\0'; ++i) {
    zones.push_back({{"State", "available"},
                     {"OptInStatus", "opt-in-not-required"},
                     {"Messages", Json::array()},
                     {"RegionName", call.region},
                     {"ZoneName", call.region + kZoneLetters[i]},
                     {"ZoneId", fmt::format("{}-az{}", prefix, i + 1)},
                     {"GroupName", call.region},
                     {"NetworkBorderGroup", call.region},
                     {"ZoneType", "availability-zone"}});
  }
  std::vector<std::string> names = StringList(call.input, "ZoneNames");
  std::vector<std::string> ids = StringList(call.input, "ZoneIds");
  std::vector<Json> selected;
  for (Json& zone : zones) {
    bool by_name =
        names.empty() || std::find(names.begin(), names.end(), zone["ZoneName"]) != names.end();
    bool by_id = ids.empty() || std::find(ids.begin(), ids.end(), zone["ZoneId"]) != ids.end();
    if (by_name && by_id) {
      selected.push_back(std::move(zone));
    }
  }
  for (const std::string& name : names) {
    bool found = false;
    for (const Json& zone : selected) {
      found = found || zone["ZoneName"] == name;
    }
    if (!found) {
      return ServiceError{"InvalidParameterValue",
                          fmt::format("The zone '{}' does not exist.", name), 400, true};
    }
  }
  auto filtered = ApplyFilters(
      std::move(selected), call.input,
      [](const Json& z, const std::string& name) -> std::optional<std::vector<std::string>> {
        if (name == "zone-name") {
          return Strings({z["ZoneName"]});
        }
        if (name == "zone-id") {
          return Strings({z["ZoneId"]});
        }
        if (name == "state") {
          return Strings({z["State"]});
        }
        if (name == "region-name") {
          return Strings({z["RegionName"]});
        }
        if (name == "zone-type") {
          return Strings({z["ZoneType"]});
        }
        if (name == "opt-in-status") {
          return Strings({z["OptInStatus"]});
        }
        if (name == "group-name") {
          return Strings({z["GroupName"]});
        }
        return std::nullopt;
      });
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  return Json{{"AvailabilityZones", std::get<std::vector<Json>>(filtered)}};
}

ServiceResult Ec2Service::DescribeRegions(const ServiceCall& call) {
  std::vector<std::string> names = StringList(call.input, "RegionNames");
  std::vector<Json> regions;
  for (const char* region : kRegions) {
    if (names.empty() || std::find(names.begin(), names.end(), region) != names.end()) {
      regions.push_back({{"RegionName", region},
                         {"Endpoint", fmt::format("ec2.{}.amazonaws.com", region)},
                         {"OptInStatus", "opt-in-not-required"}});
    }
  }
  if (regions.size() < names.size()) {
    return ServiceError{"InvalidParameterValue", "Invalid region name in RegionNames", 400, true};
  }
  auto filtered = ApplyFilters(
      std::move(regions), call.input,
      [](const Json& r, const std::string& name) -> std::optional<std::vector<std::string>> {
        if (name == "region-name") {
          return Strings({r["RegionName"]});
        }
        if (name == "endpoint") {
          return Strings({r["Endpoint"]});
        }
        if (name == "opt-in-status") {
          return Strings({r["OptInStatus"]});
        }
        return std::nullopt;
      });
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  return Json{{"Regions", std::get<std::vector<Json>>(filtered)}};
}

}  // namespace cf::cloud::ec2
