// Route tables of the EC2 service: every VPC has a main route table with its local route;
// more tables, routes to internet gateways, and subnet associations.

#include <fmt/core.h>

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

std::string Destination(const Json& input) {
  return input.value("DestinationCidrBlock", input.value("DestinationIpv6CidrBlock", ""));
}

std::string RouteDestination(const Json& route) {
  return route.value("DestinationCidrBlock", route.value("DestinationIpv6CidrBlock", ""));
}

}  // namespace

std::variant<std::string, ServiceError> Ec2Service::MakeRouteTable(StoreTxn& txn,
                                                                   const ServiceCall& call,
                                                                   const Json& vpc, bool main,
                                                                   const Json& tags) {
  std::string id = context_.ids.ResourceId("rtb");
  Json table = {{"RouteTableId", id},
                {"VpcId", vpc["VpcId"]},
                {"OwnerId", call.account_id},
                {"PropagatingVgws", Json::array()},
                {"Routes",
                 {{{"DestinationCidrBlock", vpc["CidrBlock"]},
                   {"GatewayId", "local"},
                   {"Origin", "CreateRouteTable"},
                   {"State", "active"}}}},
                {"Associations", Json::array()},
                {"Tags", tags},
                {"_main", main}};
  if (main) {
    table["Associations"].push_back(
        {{"Main", true},
         {"RouteTableAssociationId", context_.ids.ResourceId("rtbassoc")},
         {"RouteTableId", id},
         {"AssociationState", {{"State", "associated"}}}});
  }
  Status s = txn.Put(kRouteTableType.ns, Key(call, id), table);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return id;
}

ServiceResult Ec2Service::CreateRouteTable(const ServiceCall& call) {
  auto tags = SpecTags(call.input, "route-table");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto vpc = GetResource(*txn, kVpcType, call, call.input.value("VpcId", ""));
  if (auto* error = std::get_if<ServiceError>(&vpc)) {
    return *error;
  }
  auto made = MakeRouteTable(*txn, call, std::get<Json>(vpc), false,
                             TagList(std::get<std::map<std::string, std::string>>(tags)));
  if (auto* error = std::get_if<ServiceError>(&made)) {
    return *error;
  }
  auto table = GetResource(*txn, kRouteTableType, call, std::get<std::string>(made));
  if (auto* error = std::get_if<ServiceError>(&table)) {
    return *error;
  }
  return Committed(*txn, Json{{"RouteTable", Visible(std::get<Json>(table))}});
}

ServiceResult Ec2Service::DeleteRouteTable(const ServiceCall& call) {
  std::string id = call.input.value("RouteTableId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto table = GetResource(*txn, kRouteTableType, call, id);
  if (auto* error = std::get_if<ServiceError>(&table)) {
    return *error;
  }
  if (!std::get<Json>(table)["Associations"].empty()) {
    return ServiceError{
        "DependencyViolation",
        fmt::format("The routeTable '{}' has dependencies and cannot be deleted.", id), 400, true};
  }
  Status s = txn->Delete(kRouteTableType.ns, Key(call, id));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult Ec2Service::DescribeRouteTables(const ServiceCall& call) {
  static const FilterValues kMembers = MemberFilters({
      {"route-table-id", "RouteTableId"},
      {"vpc-id", "VpcId"},
      {"owner-id", "OwnerId"},
      {"association.subnet-id", "Associations[].SubnetId"},
      {"association.gateway-id", "Associations[].GatewayId"},
      {"association.route-table-association-id", "Associations[].RouteTableAssociationId"},
      {"route.gateway-id", "Routes[].GatewayId"},
      {"route.nat-gateway-id", "Routes[].NatGatewayId"},
      {"route.destination-cidr-block", "Routes[].DestinationCidrBlock"},
  });
  FilterValues values = [](const Json& t,
                           const std::string& name) -> std::optional<std::vector<std::string>> {
    if (name == "association.main") {
      // One value for the table: whether any of its associations is the main one.
      bool main = false;
      for (const Json& a : t["Associations"]) {
        main = main || a.value("Main", false);
      }
      return std::vector<std::string>{main ? "true" : "false"};
    }
    return kMembers(t, name);
  };
  return DescribeStored(context_.store, call, kRouteTableType, "RouteTableIds", values,
                        "RouteTables");
}

ServiceResult Ec2Service::CreateRoute(const ServiceCall& call) {
  std::string id = call.input.value("RouteTableId", "");
  std::string destination = Destination(call.input);
  if (destination.empty()) {
    return ServiceError{"MissingParameter",
                        "The request must contain the parameter destinationCidrBlock or "
                        "destinationIpv6CidrBlock",
                        400, true};
  }
  bool ipv6 = call.input.contains("DestinationIpv6CidrBlock");
  if (!ipv6 && !ParseCidr(destination)) {
    return ServiceError{"InvalidParameterValue",
                        fmt::format("Value ({}) for parameter destinationCidrBlock is invalid. "
                                    "This is not a valid CIDR block.",
                                    destination),
                        400, true};
  }
  std::string gateway = call.input.value("GatewayId", "");
  std::string nat = call.input.value("NatGatewayId", "");
  if (gateway.empty() == nat.empty()) {
    return ServiceError{"InvalidParameterCombination",
                        "Give exactly one target: GatewayId (an internet gateway) or "
                        "NatGatewayId; the local cloud routes to nothing else so far",
                        400, true};
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = GetResource(*txn, kRouteTableType, call, id);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json table = std::move(std::get<Json>(found));
  std::string vpc_id = table.value("VpcId", "");
  if (!gateway.empty()) {
    auto igw = GetResource(*txn, kInternetGatewayType, call, gateway);
    if (std::holds_alternative<ServiceError>(igw)) {
      return ServiceError{"InvalidGatewayID.NotFound",
                          fmt::format("The gateway ID '{}' does not exist", gateway), 400, true};
    }
    bool attached = false;
    for (const Json& a : std::get<Json>(igw)["Attachments"]) {
      attached = attached || a.value("VpcId", "") == vpc_id;
    }
    if (!attached) {
      return ServiceError{"InvalidParameterValue",
                          fmt::format("route table {} and network gateway {} belong to different "
                                      "networks",
                                      id, gateway),
                          400, true};
    }
  } else {
    auto nat_gateway = GetResource(*txn, kNatGatewayType, call, nat);
    if (std::holds_alternative<ServiceError>(nat_gateway) ||
        std::get<Json>(nat_gateway).value("State", "") == "deleted") {
      return ServiceError{"InvalidNatGatewayID.NotFound",
                          fmt::format("The natGateway ID '{}' does not exist", nat), 400, true};
    }
    if (std::get<Json>(nat_gateway).value("VpcId", "") != vpc_id) {
      return ServiceError{"InvalidParameterValue",
                          fmt::format("route table {} and NAT gateway {} belong to different "
                                      "networks",
                                      id, nat),
                          400, true};
    }
  }
  for (const Json& route : table["Routes"]) {
    if (RouteDestination(route) == destination) {
      return ServiceError{"RouteAlreadyExists",
                          fmt::format("The route identified by {} already exists.", destination),
                          400, true};
    }
  }
  Json route = {{ipv6 ? "DestinationIpv6CidrBlock" : "DestinationCidrBlock", destination},
                {"Origin", "CreateRoute"},
                {"State", "active"}};
  route[gateway.empty() ? "NatGatewayId" : "GatewayId"] = gateway.empty() ? nat : gateway;
  table["Routes"].push_back(route);
  Status s = txn->Put(kRouteTableType.ns, Key(call, id), table);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json{{"Return", true}});
}

ServiceResult Ec2Service::DeleteRoute(const ServiceCall& call) {
  std::string id = call.input.value("RouteTableId", "");
  std::string destination = Destination(call.input);
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = GetResource(*txn, kRouteTableType, call, id);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json table = std::move(std::get<Json>(found));
  Json kept = Json::array();
  bool removed = false;
  for (const Json& route : table["Routes"]) {
    if (RouteDestination(route) == destination) {
      if (route.value("GatewayId", "") == "local") {
        return ServiceError{
            "InvalidParameterValue",
            fmt::format("cannot remove local route {} in route table {}", destination, id), 400,
            true};
      }
      removed = true;
    } else {
      kept.push_back(route);
    }
  }
  if (!removed) {
    return ServiceError{
        "InvalidRoute.NotFound",
        fmt::format("no route with destination-cidr-block {} in route table {}", destination, id),
        400, true};
  }
  table["Routes"] = kept;
  Status s = txn->Put(kRouteTableType.ns, Key(call, id), table);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult Ec2Service::AssociateRouteTable(const ServiceCall& call) {
  std::string id = call.input.value("RouteTableId", "");
  std::string subnet_id = call.input.value("SubnetId", "");
  if (subnet_id.empty()) {
    return ServiceError{"MissingParameter", "The request must contain the parameter subnetId", 400,
                        true};
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = GetResource(*txn, kRouteTableType, call, id);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json table = std::move(std::get<Json>(found));
  auto subnet = GetResource(*txn, kSubnetType, call, subnet_id);
  if (auto* error = std::get_if<ServiceError>(&subnet)) {
    return *error;
  }
  if (std::get<Json>(subnet).value("VpcId", "") != table.value("VpcId", "")) {
    return ServiceError{
        "InvalidParameterValue",
        fmt::format("Route table {} and subnet {} belong to different networks", id, subnet_id),
        400, true};
  }
  Result<std::vector<std::pair<std::string, Json>>> tables =
      txn->List(kRouteTableType.ns, call.region + "/");
  if (!tables.ok()) {
    return StoreFailure(tables.status());
  }
  for (const auto& [key, other] : *tables) {
    for (const Json& a : other["Associations"]) {
      if (a.value("SubnetId", "") == subnet_id) {
        return ServiceError{"Resource.AlreadyAssociated",
                            fmt::format("the specified association for route table {} conflicts "
                                        "with an existing association",
                                        id),
                            400, true};
      }
    }
  }
  std::string association_id = context_.ids.ResourceId("rtbassoc");
  table["Associations"].push_back({{"Main", false},
                                   {"RouteTableAssociationId", association_id},
                                   {"RouteTableId", id},
                                   {"SubnetId", subnet_id},
                                   {"AssociationState", {{"State", "associated"}}}});
  Status s = txn->Put(kRouteTableType.ns, Key(call, id), table);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json{{"AssociationId", association_id},
                              {"AssociationState", {{"State", "associated"}}}});
}

ServiceResult Ec2Service::DisassociateRouteTable(const ServiceCall& call) {
  std::string association_id = call.input.value("AssociationId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::vector<std::pair<std::string, Json>>> tables =
      txn->List(kRouteTableType.ns, call.region + "/");
  if (!tables.ok()) {
    return StoreFailure(tables.status());
  }
  for (auto& [key, table] : *tables) {
    Json kept = Json::array();
    bool found = false;
    for (const Json& a : table["Associations"]) {
      if (a.value("RouteTableAssociationId", "") == association_id) {
        if (a.value("Main", false)) {
          return ServiceError{"InvalidParameterValue",
                              fmt::format("cannot disassociate the main route table association "
                                          "{}",
                                          association_id),
                              400, true};
        }
        found = true;
      } else {
        kept.push_back(a);
      }
    }
    if (found) {
      table["Associations"] = kept;
      Status s = txn->Put(kRouteTableType.ns, key, table);
      if (!s.ok()) {
        return StoreFailure(s);
      }
      return Committed(*txn, Json::object());
    }
  }
  return ServiceError{"InvalidAssociationID.NotFound",
                      fmt::format("The association ID '{}' does not exist", association_id), 400,
                      true};
}

}  // namespace cf::cloud::ec2
