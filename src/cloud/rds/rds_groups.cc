// Cluster and instance parameter groups (recorded: MariaDB is not reconfigured from them) and
// DB subnet groups (subnets of one VPC covering at least two zones, checked against EC2's).

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "cloud/rds/rds_common.h"
#include "cloud/rds/rds_rules.h"
#include "cloud/rds/rds_service.h"

namespace cf::cloud::rds {

namespace {

struct GroupKind {
  const char* ns;
  const char* name_member;  // DBClusterParameterGroupName
  const char* arn_member;   // DBClusterParameterGroupArn
  const char* arn_kind;     // cluster-pg
  const char* shape;        // DBClusterParameterGroup
  const char* list;         // DBClusterParameterGroups
};

const GroupKind& KindOf(bool cluster) {
  static const GroupKind kCluster{kClusterParameterGroupNs,     "DBClusterParameterGroupName",
                                  "DBClusterParameterGroupArn", "cluster-pg",
                                  "DBClusterParameterGroup",    "DBClusterParameterGroups"};
  static const GroupKind kInstance{kParameterGroupNs,     "DBParameterGroupName",
                                   "DBParameterGroupArn", "pg",
                                   "DBParameterGroup",    "DBParameterGroups"};
  return cluster ? kCluster : kInstance;
}

bool IsDefault(const std::string& name) {
  return name.rfind("default.", 0) == 0;
}

// The default group of `name` ("default.aurora-mysql8.0"), when it is one RDS has.
std::optional<Json> DefaultGroup(const ServiceCall& call, const GroupKind& kind,
                                 const std::string& name) {
  if (!IsDefault(name) || !KnownFamily(name.substr(8))) {
    return std::nullopt;
  }
  return Json{{kind.name_member, name},
              {"DBParameterGroupFamily", name.substr(8)},
              {"Description", "Default parameter group for " + name.substr(8)},
              {kind.arn_member, RdsArn(call, kind.arn_kind, name)}};
}

// The group `name` names (a default one or the caller's), or its NotFound error.
ServiceOr<Json> FindGroup(CallTxn& txn, const ServiceCall& call, const GroupKind& kind,
                          const std::string& name, bool cluster) {
  if (std::optional<Json> group = DefaultGroup(call, kind, name)) {
    return *group;
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> group, txn.Get(kind.ns, Key(call, name)));
  if (!group) {
    return ParameterGroupNotFound(name, cluster);
  }
  return *group;
}

// A group as its Describe shows it: their model shapes carry no tags.
Json GroupView(const Json& doc) {
  Json view = Visible(doc);
  view.erase("TagList");
  return view;
}

}  // namespace

ServiceStatus RdsService::CheckParameterGroupExists(CallTxn& txn, const ServiceCall& call,
                                                    const std::string& name, bool cluster,
                                                    const std::string& family) {
  const GroupKind& kind = KindOf(cluster);
  SERVICE_ASSIGN_OR_RETURN(Json group, FindGroup(txn, call, kind, name, cluster));
  std::string group_family = group.value("DBParameterGroupFamily", "");
  if (group_family != family) {
    return InvalidParameterCombination(
        fmt::format("The parameter group {} with DBParameterGroupFamily {} cannot be used for "
                    "this instance. Please use a Parameter Group with DBParameterGroupFamily {}",
                    name, group_family, family));
  }
  return {};
}

ServiceResult RdsService::CreateParameterGroup(const ServiceCall& call, CallTxn& txn,
                                               bool cluster) {
  const GroupKind& kind = KindOf(cluster);
  std::string name = call.input.value(kind.name_member, "");
  SERVICE_RETURN_IF_ERROR(CheckParameterGroupName(name, kind.name_member));
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  if (IsDefault(name)) {
    return InvalidParameterValue("The parameter group name cannot start with \"default.\"");
  }
  std::string family = call.input.value("DBParameterGroupFamily", "");
  if (!KnownFamily(family)) {
    return InvalidParameterValue(fmt::format(
        "ParameterGroupFamily {} is not a valid parameter group family (the local cloud has "
        "aurora-mysql8.0 and aurora-mysql5.7)",
        family));
  }
  std::string key = Key(call, name);
  SERVICE_ASSIGN_OR_RETURN(bool existing, Exists(txn, kind.ns, key));
  if (existing) {
    return Error("DBParameterGroupAlreadyExists",
                 fmt::format("Parameter group {} already exists", name));
  }
  Json doc = {{kind.name_member, name},
              {"DBParameterGroupFamily", family},
              {"Description", call.input.value("Description", "")},
              {kind.arn_member, RdsArn(call, kind.arn_kind, name)},
              {"TagList", MergeTags(Json::array(), call.input.value("Tags", Json::array()))},
              {"_parameters", Json::object()}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kind.ns, key, doc));
  Json view = GroupView(doc);
  return Json{{kind.shape, view}};
}

ServiceResult RdsService::DescribeParameterGroups(const ServiceCall& call, CallTxn& txn,
                                                  bool cluster) {
  const GroupKind& kind = KindOf(cluster);
  std::vector<Json> groups;
  if (call.input.contains(kind.name_member)) {
    std::string name = call.input[kind.name_member].get<std::string>();
    SERVICE_ASSIGN_OR_RETURN(Json group, FindGroup(txn, call, kind, name, cluster));
    groups.push_back(group);
  } else {
    for (const char* family : {"aurora-mysql5.7", "aurora-mysql8.0"}) {
      groups.push_back(*DefaultGroup(call, kind, std::string("default.") + family));
    }
    SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kind.ns, KeyPrefix(call)));
    for (auto& [key, doc] : all) {
      groups.push_back(std::move(doc));
    }
  }
  std::vector<Json> views;
  for (const Json& g : groups) {
    Json view = GroupView(g);
    views.push_back(view);
  }
  return Page(views, call.input, kind.list);
}

ServiceResult RdsService::ModifyParameterGroup(const ServiceCall& call, CallTxn& txn,
                                               bool cluster) {
  const GroupKind& kind = KindOf(cluster);
  std::string name = call.input.value(kind.name_member, "");
  if (IsDefault(name)) {
    return InvalidParameterValue("Default parameter groups cannot be modified: " + name);
  }
  std::string key = Key(call, name);
  SERVICE_ASSIGN_OR_RETURN(Json doc,
                           txn.Require(kind.ns, key, ParameterGroupNotFound(name, cluster)));
  const Json& parameters = call.input.value("Parameters", Json::array());
  if (parameters.empty() || parameters.size() > 20) {
    return InvalidParameterValue(
        "Parameters: between 1 and 20 parameters may be modified in one request");
  }
  for (const Json& p : parameters) {
    std::string parameter = p.value("ParameterName", "");
    std::string method = p.value("ApplyMethod", "immediate");
    if (parameter.empty() || !p.contains("ParameterValue")) {
      return InvalidParameterValue("Each parameter needs a ParameterName and a ParameterValue");
    }
    if (method != "immediate" && method != "pending-reboot") {
      return InvalidParameterValue(
          fmt::format("Invalid ApplyMethod {} for parameter {}: immediate or pending-reboot",
                      method, parameter));
    }
    doc["_parameters"][parameter] = {{"ParameterValue", p["ParameterValue"]},
                                     {"ApplyMethod", method}};
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kind.ns, key, doc));
  return Json{{kind.name_member, name}};
}

ServiceResult RdsService::ResetParameterGroup(const ServiceCall& call, CallTxn& txn, bool cluster) {
  const GroupKind& kind = KindOf(cluster);
  std::string name = call.input.value(kind.name_member, "");
  if (IsDefault(name)) {
    return InvalidParameterValue("Default parameter groups cannot be modified: " + name);
  }
  std::string key = Key(call, name);
  SERVICE_ASSIGN_OR_RETURN(Json doc,
                           txn.Require(kind.ns, key, ParameterGroupNotFound(name, cluster)));
  bool all = call.input.value("ResetAllParameters", false);
  const Json& parameters = call.input.value("Parameters", Json::array());
  if (all == !parameters.empty()) {
    return InvalidParameterCombination(
        "Specify either ResetAllParameters or a list of Parameters, not both or neither.");
  }
  if (all) {
    doc["_parameters"] = Json::object();
  }
  for (const Json& p : parameters) {
    doc["_parameters"].erase(p.value("ParameterName", ""));
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kind.ns, key, doc));
  return Json{{kind.name_member, name}};
}

ServiceResult RdsService::DescribeParameters(const ServiceCall& call, CallTxn& txn, bool cluster) {
  const GroupKind& kind = KindOf(cluster);
  std::string name = call.input.value(kind.name_member, "");
  SERVICE_ASSIGN_OR_RETURN(Json group, FindGroup(txn, call, kind, name, cluster));
  std::string source = call.input.value("Source", "");
  std::vector<Json> parameters;
  if (source.empty() || source == "user") {
    Json set = group.value("_parameters", Json::object());
    for (const auto& [parameter, value] : set.items()) {
      parameters.push_back({{"ParameterName", parameter},
                            {"ParameterValue", value["ParameterValue"]},
                            {"ApplyMethod", value["ApplyMethod"]},
                            {"Source", "user"},
                            {"ApplyType", "dynamic"},
                            {"DataType", "string"},
                            {"IsModifiable", true}});
    }
  }
  return Page(parameters, call.input, "Parameters");
}

ServiceResult RdsService::DeleteParameterGroup(const ServiceCall& call, CallTxn& txn,
                                               bool cluster) {
  const GroupKind& kind = KindOf(cluster);
  std::string name = call.input.value(kind.name_member, "");
  if (IsDefault(name)) {
    return Error("InvalidDBParameterGroupState",
                 "Default parameter group cannot be deleted: " + name);
  }
  std::string key = Key(call, name);
  SERVICE_ASSIGN_OR_RETURN(Json doc,
                           txn.Require(kind.ns, key, ParameterGroupNotFound(name, cluster)));
  // Refused while a cluster (or an instance) uses it.
  SERVICE_ASSIGN_OR_RETURN(auto users,
                           txn.List(cluster ? kClusterNs : kInstanceNs, KeyPrefix(call)));
  for (const auto& [user_key, user] : users) {
    bool uses = cluster ? user.value("DBClusterParameterGroup", "") == name
                        : user["DBParameterGroups"][0].value("DBParameterGroupName", "") == name;
    if (uses) {
      return Error("InvalidDBParameterGroupState",
                   fmt::format("One or more database instances are still members of this "
                               "parameter group {}, so the group cannot be deleted",
                               name));
    }
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kind.ns, key));
  return Json::object();
}

ServiceOr<Json> RdsService::SubnetGroup(CallTxn& txn, const ServiceCall& call,
                                        const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  SERVICE_ASSIGN_OR_RETURN(
      Json doc, txn.Require(kSubnetGroupNs, Key(call, lower), SubnetGroupNotFound(name)));
  Json view = GroupView(doc);
  return view;
}

namespace {

// The Subnets list and VPC of a subnet group made of `ids`, checked against EC2's subnets.
ServiceOr<std::pair<Json, std::string>> ReadSubnets(CallTxn& txn, const ServiceCall& call,
                                                    const std::vector<std::string>& ids) {
  if (ids.empty()) {
    return InvalidParameterValue("The parameter SubnetIds must contain at least one subnet.");
  }
  Json subnets = Json::array();
  std::set<std::string> zones;
  std::string vpc;
  for (const std::string& id : ids) {
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> subnet,
                             txn.Get("ec2/subnet", call.region + "/" + id));
    if (!subnet) {
      return Error("InvalidSubnet", fmt::format("Some input subnets in :[{}] are invalid.", id));
    }
    std::string subnet_vpc = subnet->value("VpcId", "");
    if (!vpc.empty() && subnet_vpc != vpc) {
      return Error(
          "InvalidSubnet",
          fmt::format("Subnets must all be in one VPC: {} is in {}, not {}.", id, subnet_vpc, vpc));
    }
    vpc = subnet_vpc;
    std::string zone = subnet->value("AvailabilityZone", "");
    zones.insert(zone);
    subnets.push_back({{"SubnetIdentifier", id},
                       {"SubnetAvailabilityZone", {{"Name", zone}}},
                       {"SubnetStatus", "Active"}});
  }
  if (zones.size() < 2) {
    return Error("DBSubnetGroupDoesNotCoverEnoughAZs",
                 fmt::format("The DB subnet group doesn't meet Availability Zone (AZ) coverage "
                             "requirement. Current AZ coverage: {}. Add subnets to cover at "
                             "least 2 AZs.",
                             *zones.begin()));
  }
  return std::make_pair(subnets, vpc);
}

}  // namespace

ServiceResult RdsService::CreateDBSubnetGroup(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("DBSubnetGroupName", "");
  SERVICE_RETURN_IF_ERROR(CheckSubnetGroupName(name));
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  std::string key = Key(call, name);
  SERVICE_ASSIGN_OR_RETURN(bool existing, Exists(txn, kSubnetGroupNs, key));
  if (existing) {
    return Error("DBSubnetGroupAlreadyExists",
                 fmt::format("The DB subnet group '{}' already exists.", name));
  }
  SERVICE_ASSIGN_OR_RETURN(auto subnets, ReadSubnets(txn, call, Strings(call.input, "SubnetIds")));
  Json doc = {{"DBSubnetGroupName", name},
              {"DBSubnetGroupDescription", call.input.value("DBSubnetGroupDescription", "")},
              {"VpcId", subnets.second},
              {"SubnetGroupStatus", "Complete"},
              {"Subnets", subnets.first},
              {"DBSubnetGroupArn", RdsArn(call, "subgrp", name)},
              {"SupportedNetworkTypes", Json::array({"IPV4"})},
              {"TagList", MergeTags(Json::array(), call.input.value("Tags", Json::array()))}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kSubnetGroupNs, key, doc));
  Json view = GroupView(doc);
  return Json{{"DBSubnetGroup", view}};
}

ServiceResult RdsService::DescribeDBSubnetGroups(const ServiceCall& call, CallTxn& txn) {
  std::vector<Json> views;
  if (call.input.contains("DBSubnetGroupName")) {
    SERVICE_ASSIGN_OR_RETURN(
        Json view, SubnetGroup(txn, call, call.input["DBSubnetGroupName"].get<std::string>()));
    views.push_back(view);
  } else {
    SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kSubnetGroupNs, KeyPrefix(call)));
    for (auto& [key, doc] : all) {
      Json view = GroupView(doc);
      views.push_back(view);
    }
  }
  return Page(views, call.input, "DBSubnetGroups");
}

ServiceResult RdsService::ModifyDBSubnetGroup(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("DBSubnetGroupName", "");
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  std::string key = Key(call, name);
  SERVICE_ASSIGN_OR_RETURN(Json doc, txn.Require(kSubnetGroupNs, key, SubnetGroupNotFound(name)));
  SERVICE_ASSIGN_OR_RETURN(auto subnets, ReadSubnets(txn, call, Strings(call.input, "SubnetIds")));
  if (subnets.second != doc.value("VpcId", "")) {
    return Error("InvalidSubnet",
                 "The new subnets must be in the subnet group's VPC " + doc.value("VpcId", ""));
  }
  doc["Subnets"] = subnets.first;
  if (call.input.contains("DBSubnetGroupDescription")) {
    doc["DBSubnetGroupDescription"] = call.input["DBSubnetGroupDescription"];
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kSubnetGroupNs, key, doc));
  Json view = GroupView(doc);
  return Json{{"DBSubnetGroup", view}};
}

ServiceResult RdsService::DeleteDBSubnetGroup(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("DBSubnetGroupName", "");
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  std::string key = Key(call, name);
  SERVICE_ASSIGN_OR_RETURN(Json doc, txn.Require(kSubnetGroupNs, key, SubnetGroupNotFound(name)));
  SERVICE_ASSIGN_OR_RETURN(auto clusters, txn.List(kClusterNs, KeyPrefix(call)));
  for (const auto& [cluster_key, cluster] : clusters) {
    if (cluster.value("DBSubnetGroup", "") == name) {
      return Error("InvalidDBSubnetGroupStateFault",
                   fmt::format("Cannot delete the subnet group '{}' because at least one "
                               "database cluster: [{}] is still using it.",
                               name, cluster.value("DBClusterIdentifier", "")));
    }
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kSubnetGroupNs, key));
  return Json::object();
}

}  // namespace cf::cloud::rds
