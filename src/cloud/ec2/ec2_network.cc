// Internet gateways and security groups of the EC2 service.

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "cloud/ec2/cidr.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

namespace {

ServiceResult Committed(StoreTxn& txn, Json output) {
  Status s = txn.Commit();
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return output;
}

ServiceError Invalid(std::string message) {
  return ServiceError{"InvalidParameterValue", std::move(message), 400, true};
}

// A rule's identity for duplicate detection: direction, protocol, ports and source.
std::string RuleSignature(const Json& rule) {
  std::string source =
      rule.value("CidrIpv4", "") + "|" + rule.value("CidrIpv6", "") + "|" +
      (rule.contains("ReferencedGroupInfo") ? rule["ReferencedGroupInfo"].value("GroupId", "")
                                            : std::string());
  return fmt::format("{}|{}|{}|{}|{}", rule.value("IsEgress", false), rule.value("IpProtocol", ""),
                     rule.value("FromPort", -1), rule.value("ToPort", -1), source);
}

std::string NormalizeProtocol(const std::string& protocol) {
  std::string p = protocol;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char c) { return std::tolower(c); });
  if (p == "6") {
    return "tcp";
  }
  if (p == "17") {
    return "udp";
  }
  if (p == "1") {
    return "icmp";
  }
  if (p == "all") {
    return "-1";
  }
  return p;
}

// The IpPermission list of a request (IpPermissions, or the older top-level form).
Json PermissionsOf(const Json& input) {
  if (input.contains("IpPermissions")) {
    return input["IpPermissions"];
  }
  if (input.contains("IpProtocol") || input.contains("CidrIp")) {
    Json p = {{"IpProtocol", input.value("IpProtocol", "-1")}};
    for (const char* member : {"FromPort", "ToPort"}) {
      if (input.contains(member)) {
        p[member] = input[member];
      }
    }
    if (input.contains("CidrIp")) {
      p["IpRanges"] = {{{"CidrIp", input["CidrIp"]}}};
    }
    return Json::array({p});
  }
  return Json::array();
}

// Rebuilds EC2's IpPermissions view of a group's flat rules.
Json PermissionsView(const Json& rules, bool egress) {
  Json permissions = Json::array();
  std::vector<std::tuple<std::string, int64_t, int64_t>> order;
  std::map<std::tuple<std::string, int64_t, int64_t>, Json> by_key;
  for (const Json& rule : rules) {
    if (rule.value("IsEgress", false) != egress) {
      continue;
    }
    auto key = std::make_tuple(rule.value("IpProtocol", ""), rule.value("FromPort", int64_t{-1}),
                               rule.value("ToPort", int64_t{-1}));
    if (!by_key.count(key)) {
      Json p = {{"IpProtocol", std::get<0>(key)},
                {"IpRanges", Json::array()},
                {"Ipv6Ranges", Json::array()},
                {"PrefixListIds", Json::array()},
                {"UserIdGroupPairs", Json::array()}};
      if (std::get<0>(key) != "-1") {
        p["FromPort"] = std::get<1>(key);
        p["ToPort"] = std::get<2>(key);
      }
      by_key[key] = p;
      order.push_back(key);
    }
    Json& p = by_key[key];
    Json source = Json::object();
    if (rule.contains("Description")) {
      source["Description"] = rule["Description"];
    }
    if (rule.contains("CidrIpv4")) {
      source["CidrIp"] = rule["CidrIpv4"];
      p["IpRanges"].push_back(source);
    } else if (rule.contains("CidrIpv6")) {
      source["CidrIpv6"] = rule["CidrIpv6"];
      p["Ipv6Ranges"].push_back(source);
    } else if (rule.contains("ReferencedGroupInfo")) {
      source["GroupId"] = rule["ReferencedGroupInfo"]["GroupId"];
      source["UserId"] = rule["ReferencedGroupInfo"]["UserId"];
      p["UserIdGroupPairs"].push_back(source);
    }
  }
  for (const auto& key : order) {
    permissions.push_back(by_key[key]);
  }
  return permissions;
}

Json GroupView(const Json& group) {
  Json view = Visible(group);
  view["IpPermissions"] = PermissionsView(group["_rules"], false);
  view["IpPermissionsEgress"] = PermissionsView(group["_rules"], true);
  return view;
}

}  // namespace

// ---- Internet gateways ----

ServiceResult Ec2Service::CreateInternetGateway(const ServiceCall& call) {
  auto tags = SpecTags(call.input, "internet-gateway");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  std::string id = context_.ids.ResourceId("igw");
  Json gateway = {{"InternetGatewayId", id},
                  {"OwnerId", call.account_id},
                  {"Attachments", Json::array()},
                  {"Tags", TagList(std::get<std::map<std::string, std::string>>(tags))}};
  Status s = context_.store.Put(kInternetGatewayType.ns, Key(call, id), gateway);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Json{{"InternetGateway", Visible(gateway)}};
}

ServiceResult Ec2Service::AttachInternetGateway(const ServiceCall& call) {
  std::string id = call.input.value("InternetGatewayId", "");
  std::string vpc_id = call.input.value("VpcId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto gateway = GetResource(*txn, kInternetGatewayType, call, id);
  if (auto* error = std::get_if<ServiceError>(&gateway)) {
    return *error;
  }
  auto vpc = GetResource(*txn, kVpcType, call, vpc_id);
  if (auto* error = std::get_if<ServiceError>(&vpc)) {
    return *error;
  }
  Json& doc = std::get<Json>(gateway);
  if (!doc["Attachments"].empty()) {
    return ServiceError{"Resource.AlreadyAssociated",
                        fmt::format("resource {} is already attached to network {}", id,
                                    doc["Attachments"][0].value("VpcId", "")),
                        400, true};
  }
  Result<std::vector<std::pair<std::string, Json>>> all =
      txn->List(kInternetGatewayType.ns, call.region + "/");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  for (const auto& [key, other] : *all) {
    for (const Json& attachment : other["Attachments"]) {
      if (attachment.value("VpcId", "") == vpc_id) {
        return ServiceError{"Resource.AlreadyAssociated",
                            fmt::format("Network {} already has an internet gateway attached ({})",
                                        vpc_id, other.value("InternetGatewayId", "")),
                            400, true};
      }
    }
  }
  doc["Attachments"] = {{{"State", "available"}, {"VpcId", vpc_id}}};
  Status s = txn->Put(kInternetGatewayType.ns, Key(call, id), doc);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult Ec2Service::DetachInternetGateway(const ServiceCall& call) {
  std::string id = call.input.value("InternetGatewayId", "");
  std::string vpc_id = call.input.value("VpcId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto gateway = GetResource(*txn, kInternetGatewayType, call, id);
  if (auto* error = std::get_if<ServiceError>(&gateway)) {
    return *error;
  }
  Json& doc = std::get<Json>(gateway);
  if (doc["Attachments"].empty() || doc["Attachments"][0].value("VpcId", "") != vpc_id) {
    return ServiceError{"Gateway.NotAttached",
                        fmt::format("resource {} is not attached to network {}", id, vpc_id), 400,
                        true};
  }
  doc["Attachments"] = Json::array();
  Status s = txn->Put(kInternetGatewayType.ns, Key(call, id), doc);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult Ec2Service::DeleteInternetGateway(const ServiceCall& call) {
  std::string id = call.input.value("InternetGatewayId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto gateway = GetResource(*txn, kInternetGatewayType, call, id);
  if (auto* error = std::get_if<ServiceError>(&gateway)) {
    return *error;
  }
  if (!std::get<Json>(gateway)["Attachments"].empty()) {
    return ServiceError{"DependencyViolation",
                        fmt::format("The internetGateway '{}' has dependencies and cannot be "
                                    "deleted.",
                                    id),
                        400, true};
  }
  Status s = txn->Delete(kInternetGatewayType.ns, Key(call, id));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult Ec2Service::DescribeInternetGateways(const ServiceCall& call) {
  return DescribeStored(context_.store, call, kInternetGatewayType, "InternetGatewayIds",
                        MemberFilters({{"internet-gateway-id", "InternetGatewayId"},
                                       {"owner-id", "OwnerId"},
                                       {"attachment.vpc-id", "Attachments[].VpcId"},
                                       {"attachment.state", "Attachments[].State"}}),
                        "InternetGateways");
}

// ---- Security groups ----

std::variant<std::string, ServiceError> Ec2Service::CreateDefaultSecurityGroup(
    StoreTxn& txn, const ServiceCall& call, const std::string& vpc_id) {
  std::string id = context_.ids.ResourceId("sg");
  Json group = {{"GroupId", id},
                {"GroupName", "default"},
                {"Description", "default VPC security group"},
                {"VpcId", vpc_id},
                {"OwnerId", call.account_id},
                {"Tags", Json::array()}};
  group["_rules"] = {{{"SecurityGroupRuleId", context_.ids.ResourceId("sgr")},
                      {"GroupId", id},
                      {"GroupOwnerId", call.account_id},
                      {"IsEgress", false},
                      {"IpProtocol", "-1"},
                      {"FromPort", -1},
                      {"ToPort", -1},
                      {"ReferencedGroupInfo", {{"GroupId", id}, {"UserId", call.account_id}}}},
                     {{"SecurityGroupRuleId", context_.ids.ResourceId("sgr")},
                      {"GroupId", id},
                      {"GroupOwnerId", call.account_id},
                      {"IsEgress", true},
                      {"IpProtocol", "-1"},
                      {"FromPort", -1},
                      {"ToPort", -1},
                      {"CidrIpv4", "0.0.0.0/0"}}};
  Status s = txn.Put(kSecurityGroupType.ns, Key(call, id), group);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return id;
}

ServiceResult Ec2Service::CreateSecurityGroup(const ServiceCall& call) {
  std::string name = call.input.value("GroupName", "");
  std::string description = call.input.value("Description", "");
  std::string vpc_id = call.input.value("VpcId", "");
  if (name.empty() || name.size() > 255 || name.rfind("sg-", 0) == 0 || name == "default") {
    return Invalid(
        fmt::format("Invalid value '{}' for groupName: names are 1-255 characters, "
                    "and may not start with 'sg-' or be 'default'",
                    name));
  }
  if (description.empty() || description.size() > 255) {
    return Invalid("Invalid value for GroupDescription: 1-255 characters");
  }
  if (vpc_id.empty()) {
    return ServiceError{"VPCIdNotSpecified", "No default VPC for this user", 400, true};
  }
  auto tags = SpecTags(call.input, "security-group");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto vpc = GetResource(*txn, kVpcType, call, vpc_id);
  if (auto* error = std::get_if<ServiceError>(&vpc)) {
    return *error;
  }
  Result<std::vector<std::pair<std::string, Json>>> groups =
      txn->List(kSecurityGroupType.ns, call.region + "/");
  if (!groups.ok()) {
    return StoreFailure(groups.status());
  }
  for (const auto& [key, group] : *groups) {
    if (group.value("VpcId", "") == vpc_id && group.value("GroupName", "") == name) {
      return ServiceError{
          "InvalidGroup.Duplicate",
          fmt::format("The security group '{}' already exists for VPC '{}'", name, vpc_id), 400,
          true};
    }
  }
  std::string id = context_.ids.ResourceId("sg");
  Json tag_list = TagList(std::get<std::map<std::string, std::string>>(tags));
  Json group = {{"GroupId", id},   {"GroupName", name},          {"Description", description},
                {"VpcId", vpc_id}, {"OwnerId", call.account_id}, {"Tags", tag_list}};
  group["_rules"] = {{{"SecurityGroupRuleId", context_.ids.ResourceId("sgr")},
                      {"GroupId", id},
                      {"GroupOwnerId", call.account_id},
                      {"IsEgress", true},
                      {"IpProtocol", "-1"},
                      {"FromPort", -1},
                      {"ToPort", -1},
                      {"CidrIpv4", "0.0.0.0/0"}}};
  Status s = txn->Put(kSecurityGroupType.ns, Key(call, id), group);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  Json out = {{"GroupId", id}};
  if (!tag_list.empty()) {
    out["Tags"] = tag_list;
  }
  return Committed(*txn, out);
}

ServiceResult Ec2Service::DeleteSecurityGroup(const ServiceCall& call) {
  std::string id = call.input.value("GroupId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto group = GetResource(*txn, kSecurityGroupType, call, id);
  if (auto* error = std::get_if<ServiceError>(&group)) {
    return *error;
  }
  if (std::get<Json>(group).value("GroupName", "") == "default") {
    return ServiceError{"CannotDelete",
                        fmt::format("the specified group: \"{}\" name: \"default\" cannot be "
                                    "deleted by a user",
                                    id),
                        400, true};
  }
  Result<std::vector<std::pair<std::string, Json>>> groups =
      txn->List(kSecurityGroupType.ns, call.region + "/");
  if (!groups.ok()) {
    return StoreFailure(groups.status());
  }
  for (const auto& [key, other] : *groups) {
    if (other.value("GroupId", "") == id) {
      continue;
    }
    for (const Json& rule : other["_rules"]) {
      if (rule.contains("ReferencedGroupInfo") &&
          rule["ReferencedGroupInfo"].value("GroupId", "") == id) {
        return ServiceError{"DependencyViolation",
                            fmt::format("resource {} has a dependent object", id), 400, true};
      }
    }
  }
  // Interfaces (and so interface endpoints) using the group keep it.
  auto interfaces = ListIn(*txn, call, kNetworkInterfaceType);
  if (auto* error = std::get_if<ServiceError>(&interfaces)) {
    return *error;
  }
  for (const Json& eni : std::get<std::vector<Json>>(interfaces)) {
    for (const Json& used : eni["Groups"]) {
      if (used.value("GroupId", "") == id) {
        return ServiceError{"DependencyViolation",
                            fmt::format("resource {} has a dependent object", id), 400, true};
      }
    }
  }
  Status s = txn->Delete(kSecurityGroupType.ns, Key(call, id));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult Ec2Service::DescribeSecurityGroups(const ServiceCall& call) {
  auto listed =
      ListResources(context_.store, call, kSecurityGroupType, StringList(call.input, "GroupIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  std::vector<Json> groups = std::move(std::get<std::vector<Json>>(listed));
  std::vector<std::string> names = StringList(call.input, "GroupNames");
  if (!names.empty()) {
    std::vector<Json> named;
    for (const std::string& name : names) {
      bool found = false;
      for (const Json& g : groups) {
        if (g.value("GroupName", "") == name) {
          named.push_back(g);
          found = true;
        }
      }
      if (!found) {
        return ServiceError{"InvalidGroup.NotFound",
                            fmt::format("The security group '{}' does not exist", name), 400, true};
      }
    }
    groups = std::move(named);
  }
  static const FilterValues kValues = MemberFilters({{"group-id", "GroupId"},
                                                     {"group-name", "GroupName"},
                                                     {"vpc-id", "VpcId"},
                                                     {"description", "Description"},
                                                     {"owner-id", "OwnerId"}});
  return ToResult(FilterAndPage(std::move(groups), call.input, kValues, "GroupId", "SecurityGroups",
                                [](Json g) { return GroupView(g); }));
}

ServiceResult Ec2Service::DescribeSecurityGroupRules(const ServiceCall& call) {
  auto listed = ListResources(context_.store, call, kSecurityGroupType, {});
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  std::vector<Json> rules;
  for (const Json& g : std::get<std::vector<Json>>(listed)) {
    for (const Json& rule : g["_rules"]) {
      rules.push_back(rule);
    }
  }
  std::vector<std::string> ids = StringList(call.input, "SecurityGroupRuleIds");
  if (!ids.empty()) {
    std::vector<Json> selected;
    for (const std::string& id : ids) {
      auto it = std::find_if(rules.begin(), rules.end(), [&id](const Json& r) {
        return r.value("SecurityGroupRuleId", "") == id;
      });
      if (it == rules.end()) {
        return ServiceError{"InvalidSecurityGroupRuleId.NotFound",
                            fmt::format("The security group rule ID '{}' does not exist", id), 400,
                            true};
      }
      selected.push_back(*it);
    }
    rules = std::move(selected);
  }
  static const FilterValues kValues =
      MemberFilters({{"group-id", "GroupId"}, {"security-group-rule-id", "SecurityGroupRuleId"}});
  std::sort(rules.begin(), rules.end(), [](const Json& a, const Json& b) {
    return a.value("SecurityGroupRuleId", "") < b.value("SecurityGroupRuleId", "");
  });
  return ToResult(FilterAndPage(std::move(rules), call.input, kValues, "SecurityGroupRuleId",
                                "SecurityGroupRules", [](Json r) { return r; }));
}

ServiceResult Ec2Service::ChangeRules(const ServiceCall& call, bool egress, bool revoke) {
  std::string id = call.input.value("GroupId", "");
  if (id.empty()) {
    return ServiceError{"MissingParameter", "The request must contain the parameter groupId", 400,
                        true};
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = GetResource(*txn, kSecurityGroupType, call, id);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json group = std::move(std::get<Json>(found));

  // The rules the request names, in the flat form.
  std::vector<Json> named;
  for (const Json& permission : PermissionsOf(call.input)) {
    std::string protocol = NormalizeProtocol(permission.value("IpProtocol", ""));
    if (protocol.empty()) {
      return ServiceError{"MissingParameter", "The request must contain the parameter ipProtocol",
                          400, true};
    }
    int64_t from = -1;
    int64_t to = -1;
    if (protocol == "tcp" || protocol == "udp") {
      if (!permission.contains("FromPort") || !permission.contains("ToPort")) {
        return Invalid(
            "Invalid value 'Must specify both from and to ports with TCP/UDP.' for "
            "portRange");
      }
      from = permission["FromPort"].get<int64_t>();
      to = permission["ToPort"].get<int64_t>();
      if (from < 0 || to > 65535 || from > to) {
        return Invalid(fmt::format("Invalid port range {}-{}", from, to));
      }
    } else if (protocol == "icmp" || protocol == "icmpv6") {
      from = permission.value("FromPort", int64_t{-1});
      to = permission.value("ToPort", int64_t{-1});
    } else if (protocol != "-1" && protocol.find_first_not_of("0123456789") != std::string::npos) {
      return Invalid(
          fmt::format("Invalid value '{}' for IP protocol. Unknown protocol.", protocol));
    }
    Json base = {{"GroupId", id},      {"GroupOwnerId", call.account_id},
                 {"IsEgress", egress}, {"IpProtocol", protocol},
                 {"FromPort", from},   {"ToPort", to}};
    size_t before = named.size();
    for (const Json& range : permission.value("IpRanges", Json::array())) {
      std::string cidr = range.value("CidrIp", "");
      if (!ParseCidr(cidr)) {
        return Invalid(fmt::format("CIDR block {} is malformed", cidr));
      }
      Json rule = base;
      rule["CidrIpv4"] = cidr;
      if (range.contains("Description")) {
        rule["Description"] = range["Description"];
      }
      named.push_back(rule);
    }
    for (const Json& range : permission.value("Ipv6Ranges", Json::array())) {
      std::string cidr = range.value("CidrIpv6", "");
      if (cidr.find(':') == std::string::npos || cidr.find('/') == std::string::npos) {
        return Invalid(fmt::format("CIDR block {} is malformed", cidr));
      }
      Json rule = base;
      rule["CidrIpv6"] = cidr;
      if (range.contains("Description")) {
        rule["Description"] = range["Description"];
      }
      named.push_back(rule);
    }
    for (const Json& pair : permission.value("UserIdGroupPairs", Json::array())) {
      std::string source = pair.value("GroupId", "");
      if (source != id) {
        auto other = GetResource(*txn, kSecurityGroupType, call, source);
        if (auto* error = std::get_if<ServiceError>(&other)) {
          return *error;
        }
      }
      Json rule = base;
      rule["ReferencedGroupInfo"] = {{"GroupId", source}, {"UserId", call.account_id}};
      if (pair.contains("Description")) {
        rule["Description"] = pair["Description"];
      }
      named.push_back(rule);
    }
    if (named.size() == before) {
      return ServiceError{"MissingParameter",
                          "The request must contain a source: IpRanges, Ipv6Ranges or "
                          "UserIdGroupPairs",
                          400, true};
    }
  }
  std::vector<std::string> rule_ids = StringList(call.input, "SecurityGroupRuleIds");
  if (named.empty() && rule_ids.empty()) {
    return ServiceError{"MissingParameter", "The request must contain the parameter ipPermissions",
                        400, true};
  }

  Json& rules = group["_rules"];
  Json out = {{"Return", true}};
  if (!revoke) {
    std::set<std::string> existing;
    for (const Json& rule : rules) {
      existing.insert(RuleSignature(rule));
    }
    out["SecurityGroupRules"] = Json::array();
    for (Json& rule : named) {
      if (!existing.insert(RuleSignature(rule)).second) {
        return ServiceError{
            "InvalidPermission.Duplicate",
            fmt::format("the specified rule \"peer: {}, {}, from port: {}, to "
                        "port: {}, ALLOW\" already exists",
                        rule.value("CidrIpv4", rule.value("CidrIpv6", "sg")),
                        rule["IpProtocol"].get<std::string>(), rule["FromPort"].get<int64_t>(),
                        rule["ToPort"].get<int64_t>()),
            400, true};
      }
      rule["SecurityGroupRuleId"] = context_.ids.ResourceId("sgr");
      rules.push_back(rule);
      out["SecurityGroupRules"].push_back(rule);
    }
  } else {
    std::set<std::string> signatures;
    for (const Json& rule : named) {
      signatures.insert(RuleSignature(rule));
    }
    std::set<std::string> ids(rule_ids.begin(), rule_ids.end());
    Json kept = Json::array();
    size_t removed = 0;
    for (const Json& rule : rules) {
      bool match = rule.value("IsEgress", false) == egress &&
                   (signatures.count(RuleSignature(rule)) > 0 ||
                    ids.count(rule.value("SecurityGroupRuleId", "")) > 0);
      if (match) {
        ++removed;
      } else {
        kept.push_back(rule);
      }
    }
    if (removed < named.size() + rule_ids.size()) {
      return ServiceError{"InvalidPermission.NotFound",
                          "The specified rule does not exist in this security group.", 400, true};
    }
    rules = kept;
  }
  Status s = txn->Put(kSecurityGroupType.ns, Key(call, id), group);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, out);
}

}  // namespace cf::cloud::ec2
