// EC2 networking: VPCs, subnets, gateways, addresses, route tables and their routes and
// associations, VPC endpoints, key pairs, placement groups and launch templates. Security
// groups and their rules are in aws_types_ec2_rules.cc.

#include <fmt/format.h>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

using Kind = Member::Kind;

TagSpec Ec2Tags(std::string resource_type) {
  TagSpec t;
  t.style = TagSpec::Style::kList;
  t.ec2_resource_type = std::move(resource_type);
  t.read_path = "Tags";
  t.tag_op = "CreateTags";
  t.tag_params = {{"Resources", {"$id"}}};
  t.untag_op = "DeleteTags";
  t.untag_params = {{"Resources", {"$id"}}};
  return t;
}

// The common shape of a taggable EC2 type read by Describe* with an id filter.
TypeSpec Ec2Type(std::string type, std::string tag_type, std::string describe, std::string filter,
                 std::string list, std::string item_id) {
  TypeSpec s;
  s.type = std::move(type);
  s.service = "ec2";
  s.tags = Ec2Tags(std::move(tag_type));
  s.read.op = std::move(describe);
  s.read.ids_filter = std::move(filter);
  s.read.list = std::move(list);
  s.read.item_id = std::move(item_id);
  s.find_by_tag = true;
  return s;
}

Json& Item(Json& state) {
  return state["__item"];
}

std::string Ec2Arn(AwsContext& ctx, const Json& item, std::string_view kind,
                   const std::string& id) {
  return fmt::format("arn:{}:ec2:{}:{}:{}/{}", ctx.partition(), ctx.region(), Str(item, "OwnerId"),
                     kind, id);
}

// The first item of a Describe call, or null.
Result<Json> DescribeFirst(AwsContext& ctx, std::string_view op, const Json& params,
                           std::string_view list) {
  ASSIGN_OR_RETURN(Json out, ctx.Call("ec2", op, params));
  Json items = GetPath(out, list);
  if (!items.is_array() || items.empty()) {
    return Json();
  }
  return items[0];
}

TypeSpec Vpc() {
  TypeSpec s = Ec2Type("aws_vpc", "vpc", "DescribeVpcs", "vpc-id", "Vpcs", "VpcId");
  s.create_op = "CreateVpc";
  s.create_id = "Vpc.VpcId";
  s.force_new = {"cidr_block", "instance_tenancy"};
  s.fields = {
      {.attr = "cidr_block", .create = "CidrBlock", .read = "CidrBlock"},
      {.attr = "instance_tenancy", .create = "InstanceTenancy", .read = "InstanceTenancy"},
      {.attr = "dhcp_options_id", .read = "DhcpOptionsId"},
      {.attr = "owner_id", .read = "OwnerId"},
      {.attr = "enable_dns_support",
       .conv = Conv::kValueBool,
       .update_op = "ModifyVpcAttribute",
       .update_params = {{"VpcId", "$id"}, {"EnableDnsSupport", "$value"}}},
      {.attr = "enable_dns_hostnames",
       .conv = Conv::kValueBool,
       .update_op = "ModifyVpcAttribute",
       .update_params = {{"VpcId", "$id"}, {"EnableDnsHostnames", "$value"}}},
  };
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    // One attribute per call; support before hostnames (hostnames need support).
    for (const char* attr : {"enable_dns_support", "enable_dns_hostnames"}) {
      if (!config.contains(attr)) {
        continue;
      }
      std::string member =
          attr == std::string("enable_dns_support") ? "EnableDnsSupport" : "EnableDnsHostnames";
      RETURN_IF_ERROR(ctx.Call("ec2", "ModifyVpcAttribute",
                               {{"VpcId", state["id"]}, {member, {{"Value", config[attr]}}}}));
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json&, Json& state) {
    std::string id = state["id"];
    for (const auto& [attr, api, member] :
         {std::tuple{"enable_dns_support", "enableDnsSupport", "EnableDnsSupport"},
          std::tuple{"enable_dns_hostnames", "enableDnsHostnames", "EnableDnsHostnames"}}) {
      ASSIGN_OR_RETURN(
          Json out, ctx.Call("ec2", "DescribeVpcAttribute", {{"VpcId", id}, {"Attribute", api}}));
      state[attr] = GetPath(out, std::string(member) + ".Value").is_boolean()
                        ? GetPath(out, std::string(member) + ".Value")
                        : Json(false);
    }
    ASSIGN_OR_RETURN(Json main_table,
                     DescribeFirst(ctx, "DescribeRouteTables",
                                   {{"Filters",
                                     {{{"Name", "vpc-id"}, {"Values", {id}}},
                                      {{"Name", "association.main"}, {"Values", {"true"}}}}}},
                                   "RouteTables"));
    state["main_route_table_id"] = Str(main_table, "RouteTableId");
    state["default_route_table_id"] = Str(main_table, "RouteTableId");
    ASSIGN_OR_RETURN(Json group,
                     DescribeFirst(ctx, "DescribeSecurityGroups",
                                   {{"Filters",
                                     {{{"Name", "vpc-id"}, {"Values", {id}}},
                                      {{"Name", "group-name"}, {"Values", {"default"}}}}}},
                                   "SecurityGroups"));
    state["default_security_group_id"] = Str(group, "GroupId");
    state["default_network_acl_id"] = "";
    state["arn"] = Ec2Arn(ctx, Item(state), "vpc", id);
    state["assign_generated_ipv6_cidr_block"] = false;
    state["enable_network_address_usage_metrics"] = false;
    state["ipv6_association_id"] = "";
    state["ipv6_cidr_block"] = "";
    state["ipv6_cidr_block_network_border_group"] = "";
    return OkStatus();
  };
  s.delete_op = "DeleteVpc";
  s.delete_params = {{"VpcId", "$id"}};
  return s;
}

TypeSpec Subnet() {
  TypeSpec s =
      Ec2Type("aws_subnet", "subnet", "DescribeSubnets", "subnet-id", "Subnets", "SubnetId");
  s.create_op = "CreateSubnet";
  s.create_id = "Subnet.SubnetId";
  s.force_new = {"vpc_id", "cidr_block", "availability_zone", "availability_zone_id"};
  s.fields = {
      {.attr = "vpc_id", .create = "VpcId", .read = "VpcId"},
      {.attr = "cidr_block", .create = "CidrBlock", .read = "CidrBlock"},
      {.attr = "availability_zone", .create = "AvailabilityZone", .read = "AvailabilityZone"},
      {.attr = "availability_zone_id",
       .create = "AvailabilityZoneId",
       .read = "AvailabilityZoneId"},
      {.attr = "arn", .read = "SubnetArn"},
      {.attr = "owner_id", .read = "OwnerId"},
      {.attr = "map_public_ip_on_launch",
       .read = "MapPublicIpOnLaunch",
       .conv = Conv::kValueBool,
       .absent = false,
       .update_op = "ModifySubnetAttribute",
       .update_params = {{"SubnetId", "$id"}, {"MapPublicIpOnLaunch", "$value"}}},
      {.attr = "assign_ipv6_address_on_creation",
       .read = "AssignIpv6AddressOnCreation",
       .absent = false},
      {.attr = "private_dns_hostname_type_on_launch",
       .read = "PrivateDnsNameOptionsOnLaunch.HostnameType",
       .absent = "ip-name"},
      {.attr = "ipv6_cidr_block_association_id", .absent = ""},
  };
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    if (config.value("map_public_ip_on_launch", false)) {
      RETURN_IF_ERROR(
          ctx.Call("ec2", "ModifySubnetAttribute",
                   {{"SubnetId", state["id"]}, {"MapPublicIpOnLaunch", {{"Value", true}}}}));
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json&, Json& state) {
    state["ipv6_cidr_block_association_id"] = "";
    return OkStatus();
  };
  s.delete_op = "DeleteSubnet";
  // Until the interfaces of terminated instances and load balancers are gone.
  s.delete_retry_codes = {"DependencyViolation"};
  s.delete_params = {{"SubnetId", "$id"}};
  return s;
}

Status AttachGateway(AwsContext& ctx, const std::string& id, const std::string& vpc, bool attach) {
  if (vpc.empty()) {
    return OkStatus();
  }
  return ctx
      .Call("ec2", attach ? "AttachInternetGateway" : "DetachInternetGateway",
            {{"InternetGatewayId", id}, {"VpcId", vpc}})
      .status();
}

TypeSpec InternetGateway() {
  TypeSpec s = Ec2Type("aws_internet_gateway", "internet-gateway", "DescribeInternetGateways",
                       "internet-gateway-id", "InternetGateways", "InternetGatewayId");
  s.create_op = "CreateInternetGateway";
  s.create_id = "InternetGateway.InternetGatewayId";
  s.fields = {{.attr = "owner_id", .read = "OwnerId"},
              // Not attached (a run killed between create and attach, or detached outside
              // clusterform): "", never the VPC the configuration or prior state names.
              {.attr = "vpc_id", .read = "Attachments[0].VpcId", .absent = ""}};
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    return AttachGateway(ctx, state["id"], Str(config, "vpc_id"), true);
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json&, Json& state) {
    state["arn"] = Ec2Arn(ctx, Item(state), "internet-gateway", state["id"]);
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    RETURN_IF_ERROR(AttachGateway(ctx, state["id"], Str(state, "vpc_id"), false));
    return AttachGateway(ctx, state["id"], Str(config, "vpc_id"), true);
  };
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) {
    return AttachGateway(ctx, state["id"], Str(state, "vpc_id"), false);
  };
  s.delete_op = "DeleteInternetGateway";
  s.delete_params = {{"InternetGatewayId", "$id"}};
  return s;
}

TypeSpec Eip() {
  TypeSpec s = Ec2Type("aws_eip", "elastic-ip", "DescribeAddresses", "allocation-id", "Addresses",
                       "AllocationId");
  s.create_op = "AllocateAddress";
  s.create_params = {{"Domain", "vpc"}};
  s.create_id = "AllocationId";
  s.force_new = {"domain", "public_ipv4_pool", "network_border_group", "address"};
  s.fields = {
      {.attr = "domain", .create = "Domain", .read = "Domain"},
      {.attr = "public_ipv4_pool",
       .create = "PublicIpv4Pool",
       .read = "PublicIpv4Pool",
       .absent = "amazon"},
      {.attr = "network_border_group",
       .create = "NetworkBorderGroup",
       .read = "NetworkBorderGroup"},
      {.attr = "allocation_id", .read = "AllocationId"},
      {.attr = "public_ip", .read = "PublicIp"},
      {.attr = "private_ip", .read = "PrivateIpAddress", .absent = ""},
      {.attr = "association_id", .read = "AssociationId", .absent = ""},
      {.attr = "network_interface", .read = "NetworkInterfaceId", .absent = ""},
      {.attr = "instance", .read = "InstanceId", .absent = ""},
      {.attr = "carrier_ip", .read = "CarrierIp", .absent = ""},
      {.attr = "customer_owned_ip", .read = "CustomerOwnedIp", .absent = ""},
      {.attr = "ipam_pool_id", .absent = ""},
      {.attr = "ptr_record", .absent = ""},
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json&, Json& state) {
    state["arn"] = fmt::format("arn:{}:ec2:{}:{}:elastic-ip/{}", ctx.partition(), ctx.region(),
                               Str(Item(state), "OwnerId"), Str(state, "id"));
    state["vpc"] = Str(state, "domain") == "vpc";
    std::string ip = Str(state, "public_ip");
    std::string dashed = ip;
    std::replace(dashed.begin(), dashed.end(), '.', '-');
    state["public_dns"] = ip.empty() ? "" : "ec2-" + dashed + ".compute-1.amazonaws.com";
    std::string pip = Str(state, "private_ip");
    std::replace(pip.begin(), pip.end(), '.', '-');
    state["private_dns"] = pip.empty() ? "" : "ip-" + pip + ".ec2.internal";
    for (const char* a : {"ipam_pool_id", "ptr_record"}) {
      if (!state.contains(a)) {
        state[a] = "";
      }
    }
    return OkStatus();
  };
  s.delete_op = "ReleaseAddress";
  s.delete_params = {{"AllocationId", "$id"}};
  return s;
}

TypeSpec NatGateway() {
  TypeSpec s = Ec2Type("aws_nat_gateway", "natgateway", "DescribeNatGateways", "nat-gateway-id",
                       "NatGateways", "NatGatewayId");
  s.create_op = "CreateNatGateway";
  s.client_token = "ClientToken";
  s.create_id = "NatGateway.NatGatewayId";
  s.force_new = {"allocation_id", "subnet_id", "connectivity_type", "private_ip"};
  s.fields = {
      {.attr = "allocation_id",
       .create = "AllocationId",
       .read = "NatGatewayAddresses[0].AllocationId"},
      {.attr = "subnet_id", .create = "SubnetId", .read = "SubnetId"},
      {.attr = "connectivity_type",
       .create = "ConnectivityType",
       .read = "ConnectivityType",
       .absent = "public"},
      {.attr = "private_ip",
       .create = "PrivateIpAddress",
       .read = "NatGatewayAddresses[0].PrivateIp",
       .absent = ""},
      {.attr = "public_ip", .read = "NatGatewayAddresses[0].PublicIp", .absent = ""},
      {.attr = "network_interface_id",
       .read = "NatGatewayAddresses[0].NetworkInterfaceId",
       .absent = ""},
      {.attr = "association_id", .read = "NatGatewayAddresses[0].AssociationId", .absent = ""},
      {.attr = "secondary_allocation_ids", .absent = Json::array()},
      {.attr = "secondary_private_ip_addresses", .absent = Json::array()},
      {.attr = "secondary_private_ip_address_count", .absent = 0},
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json&, Json& state) {
    state["secondary_allocation_ids"] = Json::array();
    state["secondary_private_ip_addresses"] = Json::array();
    state["secondary_private_ip_address_count"] = 0;
    return OkStatus();
  };
  s.read.state_path = "State";
  s.read.gone_states = {"deleted"};
  s.read.filter_member = "Filter";
  s.ready_waiter = "NatGatewayAvailable";
  s.gone_waiter = "NatGatewayDeleted";
  s.delete_pending = true;
  s.delete_op = "DeleteNatGateway";
  s.delete_params = {{"NatGatewayId", "$id"}};
  return s;
}

// The targets a route can name: Terraform's attribute and the API's member.
const std::vector<std::pair<std::string, std::string>>& RouteTargets() {
  static const std::vector<std::pair<std::string, std::string>> kTargets = {
      {"gateway_id", "GatewayId"},
      {"nat_gateway_id", "NatGatewayId"},
      {"network_interface_id", "NetworkInterfaceId"},
      {"transit_gateway_id", "TransitGatewayId"},
      {"vpc_endpoint_id", "VpcEndpointId"},
      {"vpc_peering_connection_id", "VpcPeeringConnectionId"},
      {"egress_only_gateway_id", "EgressOnlyInternetGatewayId"},
      {"carrier_gateway_id", "CarrierGatewayId"},
      {"local_gateway_id", "LocalGatewayId"},
      {"core_network_arn", "CoreNetworkArn"},
  };
  return kTargets;
}

const std::vector<std::pair<std::string, std::string>>& RouteDestinations() {
  static const std::vector<std::pair<std::string, std::string>> kDestinations = {
      {"cidr_block", "DestinationCidrBlock"},
      {"ipv6_cidr_block", "DestinationIpv6CidrBlock"},
      {"destination_prefix_list_id", "DestinationPrefixListId"},
  };
  return kDestinations;
}

// A route (a Terraform route block or aws_route) as CreateRoute members.
Json RouteToApi(const Json& route, std::string_view dest_prefix) {
  Json out = Json::object();
  for (const auto& [attr, api] : RouteDestinations()) {
    std::string name = std::string(dest_prefix) + attr;
    if (!Str(route, name).empty()) {
      out[api] = route[name];
    }
  }
  for (const auto& [attr, api] : RouteTargets()) {
    if (!Str(route, attr).empty()) {
      out[api] = route[attr];
    }
  }
  return out;
}

// The routes of a route table that a user made (not "local"), as route blocks.
Json RoutesFromApi(const Json& table) {
  Json routes = Json::array();
  for (const Json& r : table.value("Routes", Json::array())) {
    if (Str(r, "Origin") != "CreateRoute" || Str(r, "GatewayId") == "local") {
      continue;
    }
    Json block = Json::object();
    for (const auto& [attr, api] : RouteDestinations()) {
      if (!Str(r, api).empty()) {
        block[attr] = r[api];
      }
    }
    for (const auto& [attr, api] : RouteTargets()) {
      if (!Str(r, api).empty()) {
        block[attr] = r[api];
      }
    }
    routes.push_back(block);
  }
  return routes;
}

std::string RouteKey(const Json& api) {
  for (const auto& [attr, member] : RouteDestinations()) {
    if (!Str(api, member).empty()) {
      return Str(api, member);
    }
  }
  return "";
}

TypeSpec RouteTable() {
  TypeSpec s = Ec2Type("aws_route_table", "route-table", "DescribeRouteTables", "route-table-id",
                       "RouteTables", "RouteTableId");
  s.create_op = "CreateRouteTable";
  s.create_id = "RouteTable.RouteTableId";
  s.force_new = {"vpc_id"};
  s.fields = {{.attr = "vpc_id", .create = "VpcId", .read = "VpcId"},
              {.attr = "owner_id", .read = "OwnerId"}};
  auto create_routes = [](AwsContext& ctx, const std::string& id, const Json& routes) {
    for (const Json& route : routes) {
      Json params = RouteToApi(route, "");
      params["RouteTableId"] = id;
      RETURN_IF_ERROR(ctx.Call("ec2", "CreateRoute", params));
    }
    return OkStatus();
  };
  s.after_create = [create_routes](AwsContext& ctx, const TypeSpec&, const Json& config,
                                   Json& state) {
    return create_routes(ctx, state["id"], config.value("route", Json::array()));
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) {
    Json routes = RoutesFromApi(Item(state));
    // The prior blocks while they say the same routes (set semantics).
    Json prior_routes = prior.value("route", Json::array());
    std::set<std::string> have, want;
    for (const Json& r : routes) {
      have.insert(RouteToApi(r, "").dump());
    }
    for (const Json& r : prior_routes) {
      want.insert(RouteToApi(r, "").dump());
    }
    state["route"] = have == want ? prior_routes : routes;
    state["propagating_vgws"] = Json::array();
    state["arn"] = Ec2Arn(ctx, Item(state), "route-table", state["id"]);
    return OkStatus();
  };
  s.update = [create_routes](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    std::map<std::string, Json> old_routes, new_routes;
    for (const Json& r : state.value("route", Json::array())) {
      Json api = RouteToApi(r, "");
      old_routes[RouteKey(api)] = api;
    }
    for (const Json& r : config.value("route", Json::array())) {
      Json api = RouteToApi(r, "");
      new_routes[RouteKey(api)] = api;
    }
    Json added = Json::array();
    for (const auto& [key, api] : old_routes) {
      auto it = new_routes.find(key);
      if (it == new_routes.end() || it->second != api) {
        Json params = Json::object();
        for (const auto& [attr, member] : RouteDestinations()) {
          if (api.contains(member)) {
            params[member] = api[member];
          }
        }
        params["RouteTableId"] = state["id"];
        RETURN_IF_ERROR(ctx.Call("ec2", "DeleteRoute", params));
      }
    }
    for (const Json& r : config.value("route", Json::array())) {
      Json api = RouteToApi(r, "");
      auto it = old_routes.find(RouteKey(api));
      if (it == old_routes.end() || it->second != api) {
        added.push_back(r);
      }
    }
    return create_routes(ctx, state["id"], added);
  };
  s.delete_op = "DeleteRouteTable";
  s.delete_params = {{"RouteTableId", "$id"}};
  return s;
}

TypeSpec Route() {
  TypeSpec s;
  s.type = "aws_route";
  s.service = "ec2";
  s.force_new = {"route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block",
                 "destination_prefix_list_id"};
  s.read.op = "DescribeRouteTables";
  s.read.ids_filter = "route-table-id";
  s.read.list = "RouteTables";
  s.read.item_id = "RouteTableId";
  s.read.key_attr = "route_table_id";
  s.custom_create = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                       const Json& config) -> Result<StepResult> {
    Json params = RouteToApi(config, "destination_");
    params["RouteTableId"] = config["route_table_id"];
    RETURN_IF_ERROR(ctx.Call("ec2", "CreateRoute", params));
    StepResult result;
    result.state = config;
    result.state["id"] = Str(config, "route_table_id") + "_" + RouteKey(params);
    for (const char* a : {"instance_id", "instance_owner_id", "network_interface_id"}) {
      if (!result.state.contains(a)) {
        result.state[a] = "";
      }
    }
    result.state["origin"] = "CreateRoute";
    result.state["state"] = "active";
    return result;
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) {
    std::string dest = RouteKey(RouteToApi(prior, "destination_"));
    for (const Json& r : Item(state).value("Routes", Json::array())) {
      if (RouteKey(r) != dest) {
        continue;
      }
      state["route_table_id"] = Item(state)["RouteTableId"];
      for (const auto& [attr, api] : RouteDestinations()) {
        if (!Str(r, api).empty()) {
          state["destination_" + attr] = r[api];
        }
      }
      for (const auto& [attr, api] : RouteTargets()) {
        if (!Str(r, api).empty()) {
          state[attr] = r[api];
        }
      }
      for (const char* a : {"instance_id", "instance_owner_id", "network_interface_id"}) {
        if (!state.contains(a)) {
          state[a] = "";
        }
      }
      state["origin"] = Str(r, "Origin");
      state["state"] = Str(r, "State");
      return OkStatus();
    }
    return NotFoundError("route " + dest + " is not in " + Str(Item(state), "RouteTableId"));
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json&) -> Status {
    // A new target: the API's ReplaceRoute where the cloud serves it, else delete and create.
    Json params = RouteToApi(config, "destination_");
    params["RouteTableId"] = config["route_table_id"];
    Result<Json> replaced = ctx.Call("ec2", "ReplaceRoute", params);
    if (replaced.ok()) {
      return OkStatus();
    }
    Json del = Json::object();
    for (const auto& [attr, api] : RouteDestinations()) {
      if (params.contains(api)) {
        del[api] = params[api];
      }
    }
    del["RouteTableId"] = config["route_table_id"];
    RETURN_IF_ERROR(ctx.Call("ec2", "DeleteRoute", del));
    return ctx.Call("ec2", "CreateRoute", params).status();
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    Json params = Json::object();
    for (const auto& [attr, api] : RouteDestinations()) {
      if (!Str(state, "destination_" + attr).empty()) {
        params[api] = state["destination_" + attr];
      }
    }
    params["RouteTableId"] = state["route_table_id"];
    Result<Json> out = ctx.Call("ec2", "DeleteRoute", params);
    return out.ok() || out.status().code() == StatusCode::kNotFound ? OkStatus() : out.status();
  };
  // A route is its table and destination: present means created.
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    Json api = RouteToApi(config, "destination_");
    ASSIGN_OR_RETURN(
        Json out,
        ctx.Call("ec2", "DescribeRouteTables",
                 {{"Filters", Ec2Filter("route-table-id", {Str(config, "route_table_id")})}}));
    for (const Json& r : GetPath(out, "RouteTables[0].Routes").is_array()
                             ? GetPath(out, "RouteTables[0].Routes")
                             : Json::array()) {
      if (RouteKey(r) == RouteKey(api) && Str(r, "Origin") == "CreateRoute") {
        Json state = config;
        state["id"] = Str(config, "route_table_id") + "_" + RouteKey(api);
        return std::optional<Json>(std::move(state));
      }
    }
    return std::optional<Json>();
  };
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    // "rtb-1234_0.0.0.0/0"
    size_t cut = id.find('_');
    if (cut == std::string_view::npos) {
      return InvalidArgumentError("aws_route import id must be ROUTETABLEID_DESTINATION, got " +
                                  std::string(id));
    }
    std::string dest(id.substr(cut + 1));
    std::string key = dest.find(':') != std::string::npos ? "destination_ipv6_cidr_block"
                      : dest.rfind("pl-", 0) == 0         ? "destination_prefix_list_id"
                                                          : "destination_cidr_block";
    return Json{
        {"id", std::string(id)}, {"route_table_id", std::string(id.substr(0, cut))}, {key, dest}};
  };
  return s;
}

TypeSpec RouteTableAssociation() {
  TypeSpec s;
  s.type = "aws_route_table_association";
  s.service = "ec2";
  s.force_new = {"subnet_id", "gateway_id", "route_table_id"};
  s.create_op = "AssociateRouteTable";
  s.create_id = "AssociationId";
  s.fields = {{.attr = "route_table_id", .create = "RouteTableId"},
              {.attr = "subnet_id", .create = "SubnetId"},
              {.attr = "gateway_id", .create = "GatewayId"}};
  s.read.op = "DescribeRouteTables";
  s.read.ids_filter = "route-table-id";
  s.read.list = "RouteTables";
  s.read.item_id = "RouteTableId";
  s.read.key_attr = "route_table_id";
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) {
    for (const Json& a : Item(state).value("Associations", Json::array())) {
      bool same = Str(a, "RouteTableAssociationId") == Str(prior, "id") ||
                  (Str(prior, "id").empty() && !Str(prior, "subnet_id").empty() &&
                   Str(a, "SubnetId") == Str(prior, "subnet_id"));
      if (!same || Str(a, "AssociationState.State") == "disassociated") {
        continue;
      }
      state["id"] = a["RouteTableAssociationId"];
      state["route_table_id"] = a["RouteTableId"];
      state["subnet_id"] = Str(a, "SubnetId");
      state["gateway_id"] = Str(a, "GatewayId");
      return OkStatus();
    }
    return NotFoundError("association " + Str(prior, "id") + " is gone");
  };
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    // The subnet's association with this table (a subnet has at most one).
    std::string subnet = Str(config, "subnet_id");
    if (subnet.empty()) {
      return std::optional<Json>();
    }
    ASSIGN_OR_RETURN(Json out,
                     ctx.Call("ec2", "DescribeRouteTables",
                              {{"Filters", Ec2Filter("association.subnet-id", {subnet})}}));
    for (const Json& t : out.value("RouteTables", Json::array())) {
      for (const Json& a : t.value("Associations", Json::array())) {
        if (Str(a, "SubnetId") == subnet &&
            Str(a, "RouteTableId") == Str(config, "route_table_id")) {
          return std::optional<Json>(Json{{"id", a["RouteTableAssociationId"]},
                                          {"route_table_id", a["RouteTableId"]},
                                          {"subnet_id", subnet},
                                          {"gateway_id", ""}});
        }
      }
    }
    return std::optional<Json>();
  };
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    // "subnet-1234/rtb-5678" or "igw-1234/rtb-5678"
    size_t cut = id.find('/');
    if (cut == std::string_view::npos) {
      return InvalidArgumentError(
          "aws_route_table_association import id must be SUBNETID/ROUTETABLEID, got " +
          std::string(id));
    }
    std::string target(id.substr(0, cut));
    Json state = {{"route_table_id", std::string(id.substr(cut + 1))}};
    state[target.rfind("subnet-", 0) == 0 ? "subnet_id" : "gateway_id"] = target;
    return state;
  };
  s.delete_op = "DisassociateRouteTable";
  s.delete_params = {{"AssociationId", "$id"}};
  return s;
}

TypeSpec VpcEndpoint() {
  TypeSpec s = Ec2Type("aws_vpc_endpoint", "vpc-endpoint", "DescribeVpcEndpoints",
                       "vpc-endpoint-id", "VpcEndpoints", "VpcEndpointId");
  s.create_op = "CreateVpcEndpoint";
  s.client_token = "ClientToken";
  s.create_id = "VpcEndpoint.VpcEndpointId";
  s.force_new = {"vpc_id", "service_name", "vpc_endpoint_type"};
  s.fields = {
      {.attr = "vpc_id", .create = "VpcId", .read = "VpcId"},
      {.attr = "service_name", .create = "ServiceName", .read = "ServiceName"},
      {.attr = "vpc_endpoint_type", .create = "VpcEndpointType", .read = "VpcEndpointType"},
      {.attr = "subnet_ids",
       .create = "SubnetIds",
       .read = "SubnetIds",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
      {.attr = "route_table_ids",
       .create = "RouteTableIds",
       .read = "RouteTableIds",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
      {.attr = "security_group_ids", .create = "SecurityGroupIds"},
      {.attr = "private_dns_enabled",
       .create = "PrivateDnsEnabled",
       .read = "PrivateDnsEnabled",
       .absent = false},
      {.attr = "policy",
       .create = "PolicyDocument",
       .read = "PolicyDocument",
       .conv = Conv::kJsonDoc,
       .update_op = "ModifyVpcEndpoint",
       .update_params = {{"VpcEndpointId", "$id"}, {"PolicyDocument", "$value"}}},
      {.attr = "ip_address_type",
       .create = "IpAddressType",
       .read = "IpAddressType",
       .absent = "ipv4"},
      {.attr = "state", .read = "State"},
      {.attr = "owner_id", .read = "OwnerId"},
      {.attr = "requester_managed", .read = "RequesterManaged", .absent = false},
      {.attr = "network_interface_ids",
       .read = "NetworkInterfaceIds",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) {
    Json groups = Json::array();
    for (const Json& g : Item(state).value("Groups", Json::array())) {
      groups.push_back(Str(g, "GroupId"));
    }
    state["security_group_ids"] =
        FromApi(groups, Conv::kStringSet, prior.value("security_group_ids", Json()));
    Json dns = Json::array();
    for (const Json& d : Item(state).value("DnsEntries", Json::array())) {
      dns.push_back({{"dns_name", Str(d, "DnsName")}, {"hosted_zone_id", Str(d, "HostedZoneId")}});
    }
    state["dns_entry"] = dns;
    state["cidr_blocks"] = Json::array();
    state["prefix_list_id"] = "";
    state["arn"] = Ec2Arn(ctx, Item(state), "vpc-endpoint", state["id"]);
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    Json params = {{"VpcEndpointId", state["id"]}};
    for (const auto& [attr, add, remove] :
         {std::tuple{"subnet_ids", "AddSubnetIds", "RemoveSubnetIds"},
          std::tuple{"route_table_ids", "AddRouteTableIds", "RemoveRouteTableIds"},
          std::tuple{"security_group_ids", "AddSecurityGroupIds", "RemoveSecurityGroupIds"}}) {
      std::set<std::string> have, want;
      for (const Json& v : state.value(attr, Json::array())) {
        have.insert(v.get<std::string>());
      }
      for (const Json& v : config.value(attr, Json::array())) {
        want.insert(v.get<std::string>());
      }
      Json added = Json::array(), removed = Json::array();
      for (const std::string& v : want) {
        if (!have.contains(v)) {
          added.push_back(v);
        }
      }
      for (const std::string& v : have) {
        if (!want.contains(v)) {
          removed.push_back(v);
        }
      }
      if (!added.empty()) {
        params[add] = added;
      }
      if (!removed.empty()) {
        params[remove] = removed;
      }
    }
    if (config.contains("private_dns_enabled")) {
      params["PrivateDnsEnabled"] = config["private_dns_enabled"];
    }
    return ctx.Call("ec2", "ModifyVpcEndpoint", params).status();
  };
  s.read.state_path = "State";
  s.read.gone_states = {"deleted"};
  s.read.pending_states = {"pending", "pendingAcceptance"};
  s.delete_op = "DeleteVpcEndpoints";
  s.delete_params = {{"VpcEndpointIds", {"$id"}}};
  return s;
}

TypeSpec KeyPair() {
  TypeSpec s =
      Ec2Type("aws_key_pair", "key-pair", "DescribeKeyPairs", "key-name", "KeyPairs", "KeyName");
  s.create_op = "ImportKeyPair";
  s.create_id = "KeyName";
  // The id is the name; EC2 tags the key pair by its key-... id.
  s.tags.tag_params = {{"Resources", {"$attr.key_pair_id"}}};
  s.tags.untag_params = {{"Resources", {"$attr.key_pair_id"}}};
  s.find_by_tag = false;
  s.find_by_name = "key_name";
  s.force_new = {"key_name", "key_name_prefix", "public_key"};
  s.fields = {
      {.attr = "key_name", .create = "KeyName", .read = "KeyName"},
      {.attr = "public_key", .create = "PublicKeyMaterial"},
      {.attr = "key_pair_id", .read = "KeyPairId"},
      {.attr = "fingerprint", .read = "KeyFingerprint"},
      {.attr = "key_type", .read = "KeyType"},
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json&, Json& state) -> Status {
    ASSIGN_OR_RETURN(std::string account, ctx.Account());
    state["arn"] = fmt::format("arn:{}:ec2:{}:{}:key-pair/{}", ctx.partition(), ctx.region(),
                               account, Str(state, "key_name"));
    state["key_name_prefix"] = "";
    return OkStatus();
  };
  s.delete_op = "DeleteKeyPair";
  s.delete_params = {{"KeyName", "$id"}};
  return s;
}

TypeSpec PlacementGroup() {
  TypeSpec s = Ec2Type("aws_placement_group", "placement-group", "DescribePlacementGroups",
                       "group-name", "PlacementGroups", "GroupName");
  s.create_op = "CreatePlacementGroup";
  s.id_template = "$attr.name";
  // The id is the name; EC2 tags the group by its pg-... id.
  s.tags.tag_params = {{"Resources", {"$attr.placement_group_id"}}};
  s.tags.untag_params = {{"Resources", {"$attr.placement_group_id"}}};
  s.find_by_tag = false;
  s.find_by_name = "name";
  s.force_new = {"name", "strategy", "partition_count", "spread_level"};
  s.fields = {
      {.attr = "name", .create = "GroupName", .read = "GroupName"},
      {.attr = "strategy", .create = "Strategy", .read = "Strategy"},
      {.attr = "partition_count",
       .create = "PartitionCount",
       .read = "PartitionCount",
       .absent = 0},
      {.attr = "spread_level", .create = "SpreadLevel", .read = "SpreadLevel", .absent = ""},
      {.attr = "placement_group_id", .read = "GroupId"},
      {.attr = "arn", .read = "GroupArn"},
  };
  s.read.state_path = "State";
  s.read.gone_states = {"deleted"};
  s.read.pending_states = {"pending"};
  s.read.gone_codes = {"InvalidPlacementGroup.Unknown"};
  s.delete_op = "DeletePlacementGroup";
  s.delete_params = {{"GroupName", "$id"}};
  // Until the group's instances are terminated.
  s.delete_retry_codes = {"InvalidPlacementGroup.InUse"};
  return s;
}

// aws_launch_template's blocks and LaunchTemplateData's members.
std::vector<Field> LaunchTemplateData() {
  auto v = [](std::string attr, std::string api, Conv conv = Conv::kPlain) {
    return Member{.attr = std::move(attr), .api = std::move(api), .conv = conv};
  };
  auto block = [](std::string attr, std::string api, std::vector<Member> children,
                  Kind kind = Kind::kBlock) {
    return Member{.attr = std::move(attr),
                  .api = std::move(api),
                  .kind = kind,
                  .children = std::move(children)};
  };
  auto field = [](std::string attr, std::string api, Conv conv = Conv::kPlain) {
    return Field{.attr = attr, .create = "LaunchTemplateData." + api, .read = api, .conv = conv};
  };
  auto block_field = [](std::string attr, std::string api, std::vector<Member> children,
                        Kind kind = Kind::kBlock) {
    return Field{.attr = attr,
                 .create = "LaunchTemplateData." + api,
                 .read = api,
                 .block = std::move(children),
                 .block_kind = kind};
  };
  Member ebs = block("ebs", "Ebs",
                     {v("volume_size", "VolumeSize"), v("volume_type", "VolumeType"),
                      v("delete_on_termination", "DeleteOnTermination"),
                      v("encrypted", "Encrypted"), v("kms_key_id", "KmsKeyId"), v("iops", "Iops"),
                      v("throughput", "Throughput"), v("snapshot_id", "SnapshotId")});
  return {
      field("image_id", "ImageId"),
      field("instance_type", "InstanceType"),
      field("key_name", "KeyName"),
      field("user_data", "UserData"),
      field("ebs_optimized", "EbsOptimized", Conv::kBoolString),
      field("disable_api_termination", "DisableApiTermination"),
      field("disable_api_stop", "DisableApiStop"),
      field("instance_initiated_shutdown_behavior", "InstanceInitiatedShutdownBehavior"),
      field("vpc_security_group_ids", "SecurityGroupIds", Conv::kStringSet),
      block_field("block_device_mappings", "BlockDeviceMappings",
                  {v("device_name", "DeviceName"), v("no_device", "NoDevice"),
                   v("virtual_name", "VirtualName"), ebs},
                  Kind::kBlockList),
      block_field("iam_instance_profile", "IamInstanceProfile",
                  {v("arn", "Arn"), v("name", "Name")}),
      block_field("metadata_options", "MetadataOptions",
                  {v("http_endpoint", "HttpEndpoint"), v("http_tokens", "HttpTokens"),
                   v("http_put_response_hop_limit", "HttpPutResponseHopLimit"),
                   v("instance_metadata_tags", "InstanceMetadataTags"),
                   v("http_protocol_ipv6", "HttpProtocolIpv6")}),
      block_field("monitoring", "Monitoring", {v("enabled", "Enabled")}),
      block_field("network_interfaces", "NetworkInterfaces",
                  {v("device_index", "DeviceIndex"),
                   v("associate_public_ip_address", "AssociatePublicIpAddress", Conv::kBoolString),
                   v("delete_on_termination", "DeleteOnTermination", Conv::kBoolString),
                   v("subnet_id", "SubnetId"), v("security_groups", "Groups"),
                   v("description", "Description"), v("network_interface_id", "NetworkInterfaceId"),
                   v("interface_type", "InterfaceType")},
                  Kind::kBlockList),
      block_field("placement", "Placement",
                  {v("availability_zone", "AvailabilityZone"), v("group_name", "GroupName"),
                   v("tenancy", "Tenancy"), v("partition_number", "PartitionNumber")}),
      block_field("capacity_reservation_specification", "CapacityReservationSpecification",
                  {v("capacity_reservation_preference", "CapacityReservationPreference"),
                   block("capacity_reservation_target", "CapacityReservationTarget",
                         {v("capacity_reservation_id", "CapacityReservationId")})}),
      block_field("credit_specification", "CreditSpecification", {v("cpu_credits", "CpuCredits")}),
      block_field("tag_specifications", "TagSpecifications",
                  {v("resource_type", "ResourceType"), v("tags", "Tags", Conv::kTagList)},
                  Kind::kBlockList),
  };
}

TypeSpec LaunchTemplate() {
  TypeSpec s = Ec2Type("aws_launch_template", "launch-template", "DescribeLaunchTemplates", "",
                       "LaunchTemplates", "LaunchTemplateId");
  s.read.ids_member = "LaunchTemplateIds";
  s.create_op = "CreateLaunchTemplate";
  s.client_token = "ClientToken";
  s.create_id = "LaunchTemplate.LaunchTemplateId";
  s.force_new = {"name", "name_prefix"};
  s.fields = {{.attr = "name", .create = "LaunchTemplateName"},
              {.attr = "description", .create = "VersionDescription"}};
  // The version's data, read by after_read into the same fields.
  std::vector<Field> data = LaunchTemplateData();
  s.after_read = [data](AwsContext& ctx, const TypeSpec&, const Json& prior,
                        Json& state) -> Status {
    const Json& t = Item(state);
    state["name"] = Str(t, "LaunchTemplateName");
    state["default_version"] = t.value("DefaultVersionNumber", 1);
    state["latest_version"] = t.value("LatestVersionNumber", 1);
    state["name_prefix"] = "";
    ASSIGN_OR_RETURN(std::string account, ctx.Account());
    state["arn"] = fmt::format("arn:{}:ec2:{}:{}:launch-template/{}", ctx.partition(), ctx.region(),
                               account, Str(state, "id"));
    ASSIGN_OR_RETURN(
        Json out,
        ctx.Call("ec2", "DescribeLaunchTemplateVersions",
                 {{"LaunchTemplateId", state["id"]},
                  {"Versions", {std::to_string(state["latest_version"].get<int64_t>())}}}));
    Json version = GetPath(out, "LaunchTemplateVersions[0]");
    Json item = version.value("LaunchTemplateData", Json::object());
    state["description"] = version.value("VersionDescription", prior.value("description", ""));
    for (const Field& f : data) {
      Json prior_value = GetPath(prior, f.attr);
      Json v = GetPath(item, f.read);
      if (!f.block.empty()) {
        Json want = BlocksToApi(f.block, prior_value, f.block_kind);
        bool keep = prior_value.is_array() && (want.is_null() ? v.is_null() : Subset(want, v));
        state[f.attr] = keep ? prior_value : BlocksFromApi(f.block, v, f.block_kind);
      } else if (!v.is_null()) {
        state[f.attr] = FromApi(v, f.conv, prior_value);
      } else if (!prior_value.is_null() && prior_value.is_array() && prior_value.empty()) {
        state[f.attr] = prior_value;
      }
    }
    return OkStatus();
  };
  // The data fields map into the create request.
  for (Field f : data) {
    f.read.clear();
    s.fields.push_back(f);
  }
  s.update = [data](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    Json params = {{"LaunchTemplateId", state["id"]}, {"LaunchTemplateData", Json::object()}};
    for (const Field& f : data) {
      Json v = GetPath(config, f.attr);
      if (!f.block.empty()) {
        v = BlocksToApi(f.block, v, f.block_kind);
        if (v.is_null() || (v.is_array() && v.empty())) {
          continue;
        }
      } else if (v.is_null()) {
        continue;
      }
      SetPath(params, f.create, v);
    }
    if (!Str(config, "description").empty()) {
      params["VersionDescription"] = config["description"];
    }
    ASSIGN_OR_RETURN(Json out, ctx.Call("ec2", "CreateLaunchTemplateVersion", params));
    if (config.value("update_default_version", false)) {
      int64_t version = GetPath(out, "LaunchTemplateVersion.VersionNumber").get<int64_t>();
      RETURN_IF_ERROR(ctx.Call(
          "ec2", "ModifyLaunchTemplate",
          {{"LaunchTemplateId", state["id"]}, {"DefaultVersion", std::to_string(version)}}));
    }
    return OkStatus();
  };
  s.delete_op = "DeleteLaunchTemplate";
  s.delete_params = {{"LaunchTemplateId", "$id"}};
  return s;
}

TypeSpec FlowLog() {
  TypeSpec s = Ec2Type("aws_flow_log", "vpc-flow-log", "DescribeFlowLogs", "flow-log-id",
                       "FlowLogs", "FlowLogId");
  s.read.filter_member = "Filter";
  s.create_op = "CreateFlowLogs";
  s.client_token = "ClientToken";
  s.create_id = "FlowLogIds[0]";
  s.force_new = {"vpc_id",
                 "subnet_id",
                 "eni_id",
                 "traffic_type",
                 "log_destination_type",
                 "log_destination",
                 "log_group_name",
                 "iam_role_arn",
                 "log_format",
                 "max_aggregation_interval"};
  s.fields = {
      {.attr = "traffic_type", .create = "TrafficType", .read = "TrafficType"},
      {.attr = "log_destination_type",
       .create = "LogDestinationType",
       .read = "LogDestinationType",
       .absent = "cloud-watch-logs"},
      {.attr = "log_destination",
       .create = "LogDestination",
       .read = "LogDestination",
       .absent = ""},
      {.attr = "log_group_name", .create = "LogGroupName", .read = "LogGroupName", .absent = ""},
      {.attr = "iam_role_arn",
       .create = "DeliverLogsPermissionArn",
       .read = "DeliverLogsPermissionArn",
       .absent = ""},
      {.attr = "log_format", .create = "LogFormat", .read = "LogFormat"},
      {.attr = "max_aggregation_interval",
       .create = "MaxAggregationInterval",
       .read = "MaxAggregationInterval",
       .absent = 600},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    for (const auto& [attr, kind] : {std::pair{"vpc_id", "VPC"}, std::pair{"subnet_id", "Subnet"},
                                     std::pair{"eni_id", "NetworkInterface"}}) {
      if (!Str(config, attr).empty()) {
        params["ResourceIds"] = {config[attr]};
        params["ResourceType"] = kind;
        return OkStatus();
      }
    }
    return InvalidArgumentError("aws_flow_log: one of vpc_id, subnet_id or eni_id must be set");
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json&, Json& state) -> Status {
    std::string resource = Str(Item(state), "ResourceId");
    for (const auto& [attr, prefix] :
         {std::pair{"vpc_id", "vpc-"}, std::pair{"subnet_id", "subnet-"},
          std::pair{"eni_id", "eni-"}}) {
      if (resource.rfind(prefix, 0) == 0) {
        state[attr] = resource;
      }
    }
    ASSIGN_OR_RETURN(std::string account, ctx.Account());
    state["arn"] = fmt::format("arn:{}:ec2:{}:{}:vpc-flow-log/{}", ctx.partition(), ctx.region(),
                               account, Str(state, "id"));
    state["destination_options"] = Json::array();
    return OkStatus();
  };
  s.delete_op = "DeleteFlowLogs";
  s.delete_params = {{"FlowLogIds", {"$id"}}};
  return s;
}

}  // namespace

void AddEc2Types(std::vector<TypeSpec>& out) {
  out.push_back(Vpc());
  out.push_back(Subnet());
  out.push_back(InternetGateway());
  out.push_back(Eip());
  out.push_back(NatGateway());
  out.push_back(RouteTable());
  out.push_back(Route());
  out.push_back(RouteTableAssociation());
  out.push_back(VpcEndpoint());
  out.push_back(KeyPair());
  out.push_back(PlacementGroup());
  out.push_back(LaunchTemplate());
  out.push_back(FlowLog());
}

}  // namespace cf::provider::aws_spec
