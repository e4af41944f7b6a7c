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
  static const std::set<std::string> kOperations = {"CreateVpc",
                                                    "DescribeVpcs",
                                                    "DeleteVpc",
                                                    "ModifyVpcAttribute",
                                                    "DescribeVpcAttribute",
                                                    "CreateSubnet",
                                                    "DescribeSubnets",
                                                    "DeleteSubnet",
                                                    "CreateTags",
                                                    "DeleteTags",
                                                    "DescribeTags",
                                                    "DescribeAvailabilityZones",
                                                    "DescribeRegions",
                                                    "CreateInternetGateway",
                                                    "AttachInternetGateway",
                                                    "DetachInternetGateway",
                                                    "DeleteInternetGateway",
                                                    "DescribeInternetGateways",
                                                    "CreateSecurityGroup",
                                                    "DeleteSecurityGroup",
                                                    "DescribeSecurityGroups",
                                                    "DescribeSecurityGroupRules",
                                                    "AuthorizeSecurityGroupIngress",
                                                    "AuthorizeSecurityGroupEgress",
                                                    "RevokeSecurityGroupIngress",
                                                    "RevokeSecurityGroupEgress",
                                                    "CreateKeyPair",
                                                    "ImportKeyPair",
                                                    "DescribeKeyPairs",
                                                    "DeleteKeyPair",
                                                    "DescribeAccountAttributes",
                                                    "CreateRouteTable",
                                                    "DeleteRouteTable",
                                                    "DescribeRouteTables",
                                                    "CreateRoute",
                                                    "DeleteRoute",
                                                    "AssociateRouteTable",
                                                    "DisassociateRouteTable",
                                                    "AllocateAddress",
                                                    "ReleaseAddress",
                                                    "DescribeAddresses",
                                                    "CreateNatGateway",
                                                    "DeleteNatGateway",
                                                    "DescribeNatGateways"};
  return kOperations.count(operation) > 0;
}

ServiceResult Ec2Service::Handle(const ServiceCall& call) {
  if (call.input.value("DryRun", false)) {
    return ServiceError{"DryRunOperation", "Request would have succeeded, but DryRun flag is set.",
                        412, true};
  }
  const std::string& op = call.operation;
  if (op == "CreateVpc") {
    return CreateVpc(call);
  }
  if (op == "DescribeVpcs") {
    return DescribeVpcs(call);
  }
  if (op == "DeleteVpc") {
    return DeleteVpc(call);
  }
  if (op == "ModifyVpcAttribute") {
    return ModifyVpcAttribute(call);
  }
  if (op == "DescribeVpcAttribute") {
    return DescribeVpcAttribute(call);
  }
  if (op == "CreateSubnet") {
    return CreateSubnet(call);
  }
  if (op == "DescribeSubnets") {
    return DescribeSubnets(call);
  }
  if (op == "DeleteSubnet") {
    return DeleteSubnet(call);
  }
  if (op == "CreateTags") {
    return CreateTags(call);
  }
  if (op == "DeleteTags") {
    return DeleteTags(call);
  }
  if (op == "DescribeTags") {
    return DescribeTags(call);
  }
  if (op == "DescribeAvailabilityZones") {
    return DescribeAvailabilityZones(call);
  }
  if (op == "DescribeRegions") {
    return DescribeRegions(call);
  }
  if (op == "AllocateAddress") {
    return AllocateAddress(call);
  }
  if (op == "ReleaseAddress") {
    return ReleaseAddress(call);
  }
  if (op == "DescribeAddresses") {
    return DescribeAddresses(call);
  }
  if (op == "CreateNatGateway") {
    return CreateNatGateway(call);
  }
  if (op == "DeleteNatGateway") {
    return DeleteNatGateway(call);
  }
  if (op == "DescribeNatGateways") {
    return DescribeNatGateways(call);
  }
  if (op == "CreateRouteTable") {
    return CreateRouteTable(call);
  }
  if (op == "DeleteRouteTable") {
    return DeleteRouteTable(call);
  }
  if (op == "DescribeRouteTables") {
    return DescribeRouteTables(call);
  }
  if (op == "CreateRoute") {
    return CreateRoute(call);
  }
  if (op == "DeleteRoute") {
    return DeleteRoute(call);
  }
  if (op == "AssociateRouteTable") {
    return AssociateRouteTable(call);
  }
  if (op == "DisassociateRouteTable") {
    return DisassociateRouteTable(call);
  }
  if (op == "CreateKeyPair") {
    return CreateKeyPair(call);
  }
  if (op == "ImportKeyPair") {
    return ImportKeyPair(call);
  }
  if (op == "DescribeKeyPairs") {
    return DescribeKeyPairs(call);
  }
  if (op == "DeleteKeyPair") {
    return DeleteKeyPair(call);
  }
  if (op == "DescribeAccountAttributes") {
    return DescribeAccountAttributes(call);
  }
  if (op == "CreateInternetGateway") {
    return CreateInternetGateway(call);
  }
  if (op == "AttachInternetGateway") {
    return AttachInternetGateway(call);
  }
  if (op == "DetachInternetGateway") {
    return DetachInternetGateway(call);
  }
  if (op == "DeleteInternetGateway") {
    return DeleteInternetGateway(call);
  }
  if (op == "DescribeInternetGateways") {
    return DescribeInternetGateways(call);
  }
  if (op == "CreateSecurityGroup") {
    return CreateSecurityGroup(call);
  }
  if (op == "DeleteSecurityGroup") {
    return DeleteSecurityGroup(call);
  }
  if (op == "DescribeSecurityGroups") {
    return DescribeSecurityGroups(call);
  }
  if (op == "DescribeSecurityGroupRules") {
    return DescribeSecurityGroupRules(call);
  }
  if (op == "AuthorizeSecurityGroupIngress" || op == "AuthorizeSecurityGroupEgress" ||
      op == "RevokeSecurityGroupIngress" || op == "RevokeSecurityGroupEgress") {
    return ChangeRules(call, op.find("Egress") != std::string::npos, op.rfind("Revoke", 0) == 0);
  }
  return ServiceError{"InvalidAction", "The action " + op + " is not valid", 400, true};
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
  auto listed = ListResources(context_.store, call, kVpcType, StringList(call.input, "VpcIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  auto filtered =
      ApplyFilters(std::move(std::get<std::vector<Json>>(listed)), call.input, VpcFilter);
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  std::vector<Json> visible;
  for (Json& vpc : std::get<std::vector<Json>>(filtered)) {
    visible.push_back(Visible(std::move(vpc)));
  }
  Json out = Json::object();
  if (auto error = Paginate(visible, call.input, "VpcId", "Vpcs", out)) {
    return *error;
  }
  return out;
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
  for (const char* name : {"EnableDnsSupport", "EnableDnsHostnames"}) {
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
  for (const char* name : {"EnableDnsSupport", "EnableDnsHostnames"}) {
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
  auto listed =
      ListResources(context_.store, call, kSubnetType, StringList(call.input, "SubnetIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  auto filtered =
      ApplyFilters(std::move(std::get<std::vector<Json>>(listed)), call.input, SubnetFilter);
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  std::vector<Json> visible;
  for (Json& subnet : std::get<std::vector<Json>>(filtered)) {
    visible.push_back(Visible(std::move(subnet)));
  }
  Json out = Json::object();
  if (auto error = Paginate(visible, call.input, "SubnetId", "Subnets", out)) {
    return *error;
  }
  return out;
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
