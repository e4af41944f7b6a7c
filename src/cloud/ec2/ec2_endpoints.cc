// VPC endpoints of the EC2 service. Gateway endpoints (S3, DynamoDB) add a route to the
// service's prefix list in each of their route tables; interface endpoints own one
// requester-managed network interface per subnet (one subnet per zone), so their subnets and
// security groups cannot be deleted under them. Service names are those AWS gives a region,
// "com.amazonaws.REGION.SERVICE", for the services listed in kServices.

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>

#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

namespace {

struct EndpointService {
  const char* name;  // the part after "com.amazonaws.REGION."
  bool gateway;      // also offered as a Gateway endpoint
};

// The AWS services a local VPC endpoint may name.
constexpr EndpointService kServices[] = {
    {"autoscaling", false},
    {"dynamodb", true},
    {"ec2", false},
    {"ec2messages", false},
    {"ecr.api", false},
    {"ecr.dkr", false},
    {"eks", false},
    {"elasticfilesystem", false},
    {"elasticloadbalancing", false},
    {"events", false},
    {"execute-api", false},
    {"kms", false},
    {"lambda", false},
    {"logs", false},
    {"monitoring", false},
    {"rds", false},
    {"s3", true},
    {"secretsmanager", false},
    {"sns", false},
    {"sqs", false},
    {"ssm", false},
    {"ssmmessages", false},
    {"states", false},
    {"sts", false},
};

constexpr char kFullAccessPolicy[] =
    R"({"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*",)"
    R"("Resource":"*"}]})";

const EndpointService* FindService(const ServiceCall& call, const std::string& full_name) {
  std::string prefix = "com.amazonaws." + call.region + ".";
  if (full_name.rfind(prefix, 0) != 0) {
    return nullptr;
  }
  std::string short_name = full_name.substr(prefix.size());
  for (const EndpointService& service : kServices) {
    if (short_name == service.name) {
      return &service;
    }
  }
  return nullptr;
}

ServiceError InvalidServiceName(const std::string& name) {
  return ServiceError{"InvalidServiceName",
                      fmt::format("The Vpc Endpoint Service '{}' does not exist", name), 400, true};
}

// A stable prefix list id per service name ("pl-" and 8 hex digits), as AWS's are per region.
std::string PrefixListId(const std::string& service_name) {
  return fmt::format("pl-{:08x}",
                     static_cast<uint32_t>(std::hash<std::string>{}(service_name)&0xffffffffu));
}

int64_t Now(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

bool Contains(const Json& list, const std::string& value) {
  for (const Json& v : list) {
    if (v == value) {
      return true;
    }
  }
  return false;
}

}  // namespace

// Adds (or removes) the endpoint's prefix-list route in each route table of `ids`.
static std::optional<ServiceError> SetGatewayRoutes(StoreTxn& txn, const ServiceCall& call,
                                                    const Json& endpoint,
                                                    const std::vector<std::string>& ids, bool add) {
  for (const std::string& table_id : ids) {
    auto table = GetResource(txn, kRouteTableType, call, table_id);
    if (auto* error = std::get_if<ServiceError>(&table)) {
      if (!add) {
        continue;
      }
      return *error;
    }
    Json& doc = std::get<Json>(table);
    if (add && doc.value("VpcId", "") != endpoint.value("VpcId", "")) {
      return ServiceError{"InvalidParameter",
                          fmt::format("Route table {} does not belong to the endpoint's VPC {}",
                                      table_id, endpoint.value("VpcId", "")),
                          400, true};
    }
    Json routes = Json::array();
    for (const Json& route : doc["Routes"]) {
      if (route.value("GatewayId", "") != endpoint.value("VpcEndpointId", "")) {
        routes.push_back(route);
      }
    }
    if (add) {
      routes.push_back({{"DestinationPrefixListId", PrefixListId(endpoint["ServiceName"])},
                        {"GatewayId", endpoint["VpcEndpointId"]},
                        {"Origin", "CreateRoute"},
                        {"State", "active"}});
    }
    doc["Routes"] = routes;
    if (auto error = PutResource(txn, call, kRouteTableType, doc)) {
      return error;
    }
  }
  return std::nullopt;
}

// The Groups list for security group ids in the endpoint's VPC.
static std::variant<Json, ServiceError> EndpointGroups(StoreTxn& txn, const ServiceCall& call,
                                                       const std::string& vpc_id,
                                                       std::vector<std::string> ids) {
  if (ids.empty()) {
    auto all = ListIn(txn, call, kSecurityGroupType);
    if (auto* error = std::get_if<ServiceError>(&all)) {
      return *error;
    }
    for (const Json& group : std::get<std::vector<Json>>(all)) {
      if (group.value("VpcId", "") == vpc_id && group.value("GroupName", "") == "default") {
        ids.push_back(group["GroupId"]);
      }
    }
  }
  Json groups = Json::array();
  for (const std::string& id : ids) {
    auto group = GetResource(txn, kSecurityGroupType, call, id);
    if (auto* error = std::get_if<ServiceError>(&group)) {
      return *error;
    }
    if (std::get<Json>(group).value("VpcId", "") != vpc_id) {
      return ServiceError{"InvalidParameter",
                          fmt::format("Security group {} does not belong to VPC {}", id, vpc_id),
                          400, true};
    }
    groups.push_back(
        {{"GroupId", id}, {"GroupName", std::get<Json>(group).value("GroupName", "")}});
  }
  return groups;
}

ServiceResult Ec2Service::CreateVpcEndpoint(const ServiceCall& call) {
  std::string type = call.input.value("VpcEndpointType", "Gateway");
  std::string vpc_id = call.input.value("VpcId", "");
  std::string service_name = call.input.value("ServiceName", "");
  if (vpc_id.empty()) {
    return MissingParameter("VpcId");
  }
  if (service_name.empty()) {
    return MissingParameter("ServiceName");
  }
  if (type != "Gateway" && type != "Interface") {
    return InvalidValue(fmt::format(
        "Value ({}) for parameter VpcEndpointType is invalid: Gateway or Interface here.", type));
  }
  const EndpointService* service = FindService(call, service_name);
  if (service == nullptr) {
    return InvalidServiceName(service_name);
  }
  if (type == "Gateway" && !service->gateway) {
    return ServiceError{"InvalidParameter",
                        fmt::format("The Vpc Endpoint Service '{}' does not support the Gateway "
                                    "endpoint type; use Interface",
                                    service_name),
                        400, true};
  }
  std::vector<std::string> table_ids = StringList(call.input, "RouteTableIds");
  std::vector<std::string> subnet_ids = StringList(call.input, "SubnetIds");
  std::vector<std::string> group_ids = StringList(call.input, "SecurityGroupIds");
  if (type == "Gateway" && (!subnet_ids.empty() || !group_ids.empty())) {
    return ServiceError{"InvalidParameter",
                        "Subnets and security groups apply to Interface endpoints only", 400, true};
  }
  if (type == "Interface" && !table_ids.empty()) {
    return ServiceError{"InvalidParameter", "Route tables apply to Gateway endpoints only", 400,
                        true};
  }
  auto tags = SpecTags(call.input, "vpc-endpoint");
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
  std::string id = context_.ids.ResourceId("vpce");
  std::string short_name = service->name;
  Json endpoint = {
      {"VpcEndpointId", id},
      {"VpcEndpointType", type},
      {"VpcId", vpc_id},
      {"ServiceName", service_name},
      {"State", "available"},
      {"PolicyDocument", call.input.value("PolicyDocument", std::string(kFullAccessPolicy))},
      {"RouteTableIds", Json::array()},
      {"SubnetIds", Json::array()},
      {"Groups", Json::array()},
      {"NetworkInterfaceIds", Json::array()},
      {"DnsEntries", Json::array()},
      {"PrivateDnsEnabled", type == "Interface" && call.input.value("PrivateDnsEnabled", true)},
      {"RequesterManaged", false},
      {"IpAddressType", "ipv4"},
      {"CreationTimestamp", Now(context_.clock)},
      {"OwnerId", call.account_id},
      {"Tags", TagList(std::get<std::map<std::string, std::string>>(tags))},
  };
  if (type == "Gateway") {
    if (auto error = SetGatewayRoutes(*txn, call, endpoint, table_ids, true)) {
      return *error;
    }
    endpoint["RouteTableIds"] = table_ids;
  } else {
    auto groups = EndpointGroups(*txn, call, vpc_id, group_ids);
    if (auto* error = std::get_if<ServiceError>(&groups)) {
      return *error;
    }
    endpoint["Groups"] = std::get<Json>(groups);
    std::vector<std::string> group_list;
    for (const Json& g : endpoint["Groups"]) {
      group_list.push_back(g["GroupId"]);
    }
    std::set<std::string> zones;
    for (const std::string& subnet_id : subnet_ids) {
      auto subnet = GetResource(*txn, kSubnetType, call, subnet_id);
      if (auto* error = std::get_if<ServiceError>(&subnet)) {
        return *error;
      }
      const Json& s = std::get<Json>(subnet);
      if (s.value("VpcId", "") != vpc_id) {
        return ServiceError{"InvalidParameter",
                            fmt::format("Subnet {} does not belong to VPC {}", subnet_id, vpc_id),
                            400, true};
      }
      if (!zones.insert(s.value("AvailabilityZone", "")).second) {
        return ServiceError{"DuplicateSubnetsInSameZone",
                            fmt::format("Found another VPC endpoint subnet in the availability "
                                        "zone of {}. VPC endpoint subnets should be in different "
                                        "availability zones supported by the VPC endpoint "
                                        "service.",
                                        subnet_id),
                            400, true};
      }
      auto eni =
          MakeNetworkInterface(*txn, call, subnet_id, group_list, "VPC Endpoint Interface " + id,
                               "", "vpc_endpoint", Json::array());
      if (auto* error = std::get_if<ServiceError>(&eni)) {
        return *error;
      }
      endpoint["SubnetIds"].push_back(subnet_id);
      endpoint["NetworkInterfaceIds"].push_back(std::get<Json>(eni)["NetworkInterfaceId"]);
    }
    endpoint["DnsEntries"].push_back(
        {{"DnsName", fmt::format("{}.{}.{}.vpce.amazonaws.com", id, short_name, call.region)},
         {"HostedZoneId", "Z7HUB22UULQXV"}});
    if (endpoint["PrivateDnsEnabled"].get<bool>()) {
      endpoint["DnsEntries"].push_back(
          {{"DnsName", fmt::format("{}.{}.amazonaws.com", short_name, call.region)},
           {"HostedZoneId", "ZONEIDPENDING"}});
    }
  }
  if (auto error = PutResource(*txn, call, kVpcEndpointType, endpoint)) {
    return *error;
  }
  Json out = {{"VpcEndpoint", Visible(endpoint)}};
  if (call.input.contains("ClientToken")) {
    out["ClientToken"] = call.input["ClientToken"];
  }
  return CommitWith(*txn, out);
}

ServiceResult Ec2Service::DescribeVpcEndpoints(const ServiceCall& call) {
  return DescribeStored(context_.store, call, kVpcEndpointType, "VpcEndpointIds",
                        MemberFilters({{"vpc-endpoint-id", "VpcEndpointId"},
                                       {"vpc-id", "VpcId"},
                                       {"service-name", "ServiceName"},
                                       {"vpc-endpoint-state", "State"},
                                       {"vpc-endpoint-type", "VpcEndpointType"},
                                       {"ip-address-type", "IpAddressType"}}),
                        "VpcEndpoints");
}

ServiceResult Ec2Service::ModifyVpcEndpoint(const ServiceCall& call) {
  std::string id = call.input.value("VpcEndpointId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = GetResource(*txn, kVpcEndpointType, call, id);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json& endpoint = std::get<Json>(found);
  bool gateway = endpoint.value("VpcEndpointType", "") == "Gateway";
  std::string vpc_id = endpoint.value("VpcId", "");
  if (call.input.value("ResetPolicy", false)) {
    endpoint["PolicyDocument"] = kFullAccessPolicy;
  } else if (call.input.contains("PolicyDocument")) {
    endpoint["PolicyDocument"] = call.input["PolicyDocument"];
  }
  std::vector<std::string> add_tables = StringList(call.input, "AddRouteTableIds");
  std::vector<std::string> remove_tables = StringList(call.input, "RemoveRouteTableIds");
  std::vector<std::string> add_subnets = StringList(call.input, "AddSubnetIds");
  std::vector<std::string> remove_subnets = StringList(call.input, "RemoveSubnetIds");
  std::vector<std::string> add_groups = StringList(call.input, "AddSecurityGroupIds");
  std::vector<std::string> remove_groups = StringList(call.input, "RemoveSecurityGroupIds");
  if (gateway && (!add_subnets.empty() || !remove_subnets.empty() || !add_groups.empty() ||
                  !remove_groups.empty())) {
    return ServiceError{"InvalidParameter",
                        "Subnets and security groups apply to Interface endpoints only", 400, true};
  }
  if (!gateway && (!add_tables.empty() || !remove_tables.empty())) {
    return ServiceError{"InvalidParameter", "Route tables apply to Gateway endpoints only", 400,
                        true};
  }
  if (gateway) {
    if (auto error = SetGatewayRoutes(*txn, call, endpoint, remove_tables, false)) {
      return *error;
    }
    if (auto error = SetGatewayRoutes(*txn, call, endpoint, add_tables, true)) {
      return *error;
    }
    Json tables = Json::array();
    for (const Json& t : endpoint["RouteTableIds"]) {
      if (std::find(remove_tables.begin(), remove_tables.end(), t) == remove_tables.end()) {
        tables.push_back(t);
      }
    }
    for (const std::string& t : add_tables) {
      if (!Contains(tables, t)) {
        tables.push_back(t);
      }
    }
    endpoint["RouteTableIds"] = tables;
  } else {
    if (call.input.contains("PrivateDnsEnabled")) {
      endpoint["PrivateDnsEnabled"] = call.input["PrivateDnsEnabled"].get<bool>();
    }
    std::vector<std::string> group_ids;
    for (const Json& g : endpoint["Groups"]) {
      if (std::find(remove_groups.begin(), remove_groups.end(), g["GroupId"]) ==
          remove_groups.end()) {
        group_ids.push_back(g["GroupId"]);
      }
    }
    for (const std::string& g : add_groups) {
      if (std::find(group_ids.begin(), group_ids.end(), g) == group_ids.end()) {
        group_ids.push_back(g);
      }
    }
    if (group_ids.empty()) {
      return InvalidValue("An interface endpoint needs at least one security group");
    }
    auto groups = EndpointGroups(*txn, call, vpc_id, group_ids);
    if (auto* error = std::get_if<ServiceError>(&groups)) {
      return *error;
    }
    endpoint["Groups"] = std::get<Json>(groups);
    // Interfaces of removed subnets go; added subnets get one.
    Json subnets = Json::array();
    Json interfaces = Json::array();
    std::set<std::string> zones;
    for (size_t i = 0; i < endpoint["SubnetIds"].size(); ++i) {
      std::string subnet_id = endpoint["SubnetIds"][i];
      std::string eni_id = endpoint["NetworkInterfaceIds"][i];
      if (std::find(remove_subnets.begin(), remove_subnets.end(), subnet_id) !=
          remove_subnets.end()) {
        if (auto error = RemoveNetworkInterface(*txn, call, eni_id)) {
          return *error;
        }
        continue;
      }
      auto subnet = GetResource(*txn, kSubnetType, call, subnet_id);
      if (auto* s = std::get_if<Json>(&subnet)) {
        zones.insert(s->value("AvailabilityZone", ""));
      }
      subnets.push_back(subnet_id);
      interfaces.push_back(eni_id);
    }
    for (const std::string& subnet_id : add_subnets) {
      if (Contains(subnets, subnet_id)) {
        continue;
      }
      auto subnet = GetResource(*txn, kSubnetType, call, subnet_id);
      if (auto* error = std::get_if<ServiceError>(&subnet)) {
        return *error;
      }
      const Json& s = std::get<Json>(subnet);
      if (s.value("VpcId", "") != vpc_id) {
        return ServiceError{"InvalidParameter",
                            fmt::format("Subnet {} does not belong to VPC {}", subnet_id, vpc_id),
                            400, true};
      }
      if (!zones.insert(s.value("AvailabilityZone", "")).second) {
        return ServiceError{"DuplicateSubnetsInSameZone",
                            fmt::format("Found another VPC endpoint subnet in the availability "
                                        "zone of {}.",
                                        subnet_id),
                            400, true};
      }
      auto eni =
          MakeNetworkInterface(*txn, call, subnet_id, group_ids, "VPC Endpoint Interface " + id, "",
                               "vpc_endpoint", Json::array());
      if (auto* error = std::get_if<ServiceError>(&eni)) {
        return *error;
      }
      subnets.push_back(subnet_id);
      interfaces.push_back(std::get<Json>(eni)["NetworkInterfaceId"]);
    }
    endpoint["SubnetIds"] = subnets;
    endpoint["NetworkInterfaceIds"] = interfaces;
    // The interfaces carry the endpoint's groups.
    for (const Json& eni_id : interfaces) {
      auto eni = GetResource(*txn, kNetworkInterfaceType, call, eni_id);
      if (auto* doc = std::get_if<Json>(&eni)) {
        (*doc)["Groups"] = endpoint["Groups"];
        if (auto error = PutResource(*txn, call, kNetworkInterfaceType, *doc)) {
          return *error;
        }
      }
    }
  }
  if (auto error = PutResource(*txn, call, kVpcEndpointType, endpoint)) {
    return *error;
  }
  return CommitWith(*txn, Json{{"Return", true}});
}

ServiceResult Ec2Service::DeleteVpcEndpoints(const ServiceCall& call) {
  std::vector<std::string> ids = StringList(call.input, "VpcEndpointIds");
  if (ids.empty()) {
    return MissingParameter("VpcEndpointId");
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Json failed = Json::array();
  for (const std::string& id : ids) {
    auto found = GetResource(*txn, kVpcEndpointType, call, id);
    if (auto* error = std::get_if<ServiceError>(&found)) {
      failed.push_back(
          {{"ResourceId", id}, {"Error", {{"Code", error->code}, {"Message", error->message}}}});
      continue;
    }
    const Json& endpoint = std::get<Json>(found);
    std::vector<std::string> tables;
    for (const Json& t : endpoint["RouteTableIds"]) {
      tables.push_back(t);
    }
    if (auto error = SetGatewayRoutes(*txn, call, endpoint, tables, false)) {
      return *error;
    }
    for (const Json& eni_id : endpoint["NetworkInterfaceIds"]) {
      if (auto error = RemoveNetworkInterface(*txn, call, eni_id)) {
        return *error;
      }
    }
    Status s = txn->Delete(kVpcEndpointType.ns, Key(call, id));
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  return CommitWith(*txn, Json{{"Unsuccessful", failed}});
}

ServiceResult Ec2Service::DescribeVpcEndpointServices(const ServiceCall& call) {
  std::vector<Json> details;
  std::string prefix = "com.amazonaws." + call.region + ".";
  Json zones = Json::array();
  for (char letter : std::string("abc")) {
    zones.push_back(call.region + letter);
  }
  for (const EndpointService& service : kServices) {
    std::string name = prefix + service.name;
    Json types = Json::array({{{"ServiceType", "Interface"}}});
    if (service.gateway) {
      types.push_back({{"ServiceType", "Gateway"}});
    }
    details.push_back(
        {{"ServiceName", name},
         {"ServiceId",
          fmt::format("vpce-svc-{:017x}", std::hash<std::string>{}(name)&0xfffffffffffffULL)},
         {"ServiceType", types},
         {"AvailabilityZones", zones},
         {"Owner", "amazon"},
         {"BaseEndpointDnsNames",
          Json::array({fmt::format("{}.{}.vpce.amazonaws.com", service.name, call.region)})},
         {"PrivateDnsName", fmt::format("{}.{}.amazonaws.com", service.name, call.region)},
         {"VpcEndpointPolicySupported", true},
         {"AcceptanceRequired", false},
         {"ManagesVpcEndpoints", false},
         {"SupportedIpAddressTypes", Json::array({"ipv4"})}});
  }
  std::sort(details.begin(), details.end(),
            [](const Json& a, const Json& b) { return a["ServiceName"] < b["ServiceName"]; });
  std::vector<std::string> names = StringList(call.input, "ServiceNames");
  if (!names.empty()) {
    std::vector<Json> selected;
    for (const Json& d : details) {
      if (std::find(names.begin(), names.end(), d["ServiceName"]) != names.end()) {
        selected.push_back(d);
      }
    }
    for (const std::string& name : names) {
      if (FindService(call, name) == nullptr) {
        return InvalidServiceName(name);
      }
    }
    details = std::move(selected);
  }
  auto page = FilterAndPage(std::move(details), call.input,
                            MemberFilters({{"service-name", "ServiceName"},
                                           {"service-type", "ServiceType[].ServiceType"},
                                           {"owner", "Owner"}}),
                            "ServiceName", "ServiceDetails", [](Json d) { return d; });
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  Json out = std::move(std::get<Json>(page));
  out["ServiceNames"] = Json::array();
  for (const Json& d : out["ServiceDetails"]) {
    out["ServiceNames"].push_back(d["ServiceName"]);
  }
  return out;
}

// The AWS-managed prefix lists: one per gateway endpoint service (what a gateway endpoint's
// route names), with the service's public ranges left out (they are not served here).
ServiceResult Ec2Service::DescribePrefixLists(const ServiceCall& call) {
  std::vector<Json> lists;
  for (const EndpointService& service : kServices) {
    if (!service.gateway) {
      continue;
    }
    std::string name = "com.amazonaws." + call.region + "." + service.name;
    lists.push_back(
        {{"PrefixListId", PrefixListId(name)}, {"PrefixListName", name}, {"Cidrs", Json::array()}});
  }
  std::sort(lists.begin(), lists.end(),
            [](const Json& a, const Json& b) { return a["PrefixListId"] < b["PrefixListId"]; });
  std::vector<std::string> ids = StringList(call.input, "PrefixListIds");
  for (const std::string& id : ids) {
    bool known = std::any_of(lists.begin(), lists.end(),
                             [&](const Json& l) { return l["PrefixListId"] == id; });
    if (!known) {
      return ServiceError{"InvalidPrefixListID.NotFound",
                          fmt::format("The prefix list ID '{}' does not exist", id), 400, true};
    }
  }
  if (!ids.empty()) {
    std::erase_if(lists, [&](const Json& l) {
      return std::find(ids.begin(), ids.end(), l["PrefixListId"]) == ids.end();
    });
  }
  auto page = FilterAndPage(
      std::move(lists), call.input,
      MemberFilters({{"prefix-list-id", "PrefixListId"}, {"prefix-list-name", "PrefixListName"}}),
      "PrefixListId", "PrefixLists", [](Json l) { return l; });
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::get<Json>(std::move(page));
}

}  // namespace cf::cloud::ec2
