// Elastic IPs and NAT gateways of the EC2 service. Public addresses come from 127.200.0.0/16,
// so that nothing the local cloud hands out leaves loopback.

#include <fmt/core.h>

#include <chrono>
#include <set>

#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

namespace {

constexpr uint32_t kPublicPool = 0x7fc80000u;  // 127.200.0.0/16

std::string Ipv4(uint32_t address) {
  return fmt::format("{}.{}.{}.{}", address >> 24, (address >> 16) & 255, (address >> 8) & 255,
                     address & 255);
}

int64_t Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

ServiceResult Committed(StoreTxn& txn, Json output) {
  Status s = txn.Commit();
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return output;
}

// Describe-style filtering where the request member is "Filter" (DescribeNatGateways).
Json WithFilters(const Json& input, const char* member) {
  Json copy = input;
  if (input.contains(member)) {
    copy["Filters"] = input[member];
  }
  return copy;
}

}  // namespace

ServiceResult Ec2Service::AllocateAddress(const ServiceCall& call) {
  auto tags = SpecTags(call.input, "elastic-ip");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::vector<std::pair<std::string, Json>>> all =
      txn->List(kAddressType.ns, call.region + "/");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  std::set<std::string> used;
  for (const auto& [key, address] : *all) {
    used.insert(address.value("PublicIp", ""));
  }
  std::string ip;
  for (uint32_t host = 1; host < 65535; ++host) {
    std::string candidate = Ipv4(kPublicPool + host);
    if (!used.count(candidate)) {
      ip = candidate;
      break;
    }
  }
  if (ip.empty()) {
    return ServiceError{"AddressLimitExceeded", "The maximum number of addresses has been reached.",
                        400, true};
  }
  std::string id = context_.ids.ResourceId("eipalloc");
  Json address = {{"AllocationId", id},
                  {"PublicIp", ip},
                  {"Domain", "vpc"},
                  {"PublicIpv4Pool", "amazon"},
                  {"NetworkBorderGroup", call.region},
                  {"Tags", TagList(std::get<std::map<std::string, std::string>>(tags))}};
  Status s = txn->Put(kAddressType.ns, Key(call, id), address);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json{{"AllocationId", id},
                              {"PublicIp", ip},
                              {"Domain", "vpc"},
                              {"PublicIpv4Pool", "amazon"},
                              {"NetworkBorderGroup", call.region}});
}

ServiceResult Ec2Service::ReleaseAddress(const ServiceCall& call) {
  std::string id = call.input.value("AllocationId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto address = GetResource(*txn, kAddressType, call, id);
  if (auto* error = std::get_if<ServiceError>(&address)) {
    return *error;
  }
  if (std::get<Json>(address).contains("AssociationId")) {
    return ServiceError{
        "InvalidIPAddress.InUse",
        fmt::format("Address {} is in use.", std::get<Json>(address).value("PublicIp", "")), 400,
        true};
  }
  Status s = txn->Delete(kAddressType.ns, Key(call, id));
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json::object());
}

ServiceResult Ec2Service::DescribeAddresses(const ServiceCall& call) {
  auto listed =
      ListResources(context_.store, call, kAddressType, StringList(call.input, "AllocationIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  std::vector<Json> addresses = std::move(std::get<std::vector<Json>>(listed));
  std::vector<std::string> ips = StringList(call.input, "PublicIps");
  if (!ips.empty()) {
    std::vector<Json> selected;
    for (const std::string& ip : ips) {
      auto it = std::find_if(addresses.begin(), addresses.end(),
                             [&ip](const Json& a) { return a.value("PublicIp", "") == ip; });
      if (it == addresses.end()) {
        return ServiceError{"InvalidAddress.NotFound", fmt::format("Address '{}' not found.", ip),
                            400, true};
      }
      selected.push_back(*it);
    }
    addresses = std::move(selected);
  }
  auto filtered = ApplyFilters(
      std::move(addresses), call.input,
      [](const Json& a, const std::string& name) -> std::optional<std::vector<std::string>> {
        if (name == "allocation-id") {
          return Strings({a["AllocationId"]});
        }
        if (name == "public-ip") {
          return Strings({a["PublicIp"]});
        }
        if (name == "domain") {
          return Strings({a["Domain"]});
        }
        return std::nullopt;
      });
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  Json out = {{"Addresses", Json::array()}};
  for (Json& a : std::get<std::vector<Json>>(filtered)) {
    out["Addresses"].push_back(Visible(std::move(a)));
  }
  return out;
}

// The addresses' reverse DNS (domain-name) attribute. No PTR record is ever set here, so
// each address is listed with its id and IP only, as AWS lists an address without one.
ServiceResult Ec2Service::DescribeAddressesAttribute(const ServiceCall& call) {
  std::string attribute = call.input.value("Attribute", "");
  if (!attribute.empty() && attribute != "domain-name") {
    return ServiceError{"InvalidParameterValue",
                        fmt::format("Value ({}) for parameter attribute is invalid.", attribute),
                        400, true};
  }
  auto listed =
      ListResources(context_.store, call, kAddressType, StringList(call.input, "AllocationIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  Json out = {{"Addresses", Json::array()}};
  for (const Json& a : std::get<std::vector<Json>>(listed)) {
    out["Addresses"].push_back({{"AllocationId", a["AllocationId"]}, {"PublicIp", a["PublicIp"]}});
  }
  return out;
}

Json Ec2Service::NatGatewayNow(Json gateway) const {
  if (gateway.value("State", "") == "pending") {
    auto created = std::chrono::system_clock::time_point(
        std::chrono::seconds(gateway.value("CreateTime", int64_t{0})));
    auto ready = created + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                               context_.latency.StateDelay("ec2:NatGateway"));
    if (context_.clock.Now() >= ready) {
      gateway["State"] = "available";
    }
  }
  return gateway;
}

ServiceResult Ec2Service::CreateNatGateway(const ServiceCall& call) {
  std::string subnet_id = call.input.value("SubnetId", "");
  std::string allocation_id = call.input.value("AllocationId", "");
  std::string connectivity = call.input.value("ConnectivityType", "public");
  if (connectivity == "public" && allocation_id.empty()) {
    return ServiceError{"MissingParameter", "AllocationId is required for a public NAT gateway",
                        400, true};
  }
  auto tags = SpecTags(call.input, "natgateway");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto subnet = GetResource(*txn, kSubnetType, call, subnet_id);
  if (auto* error = std::get_if<ServiceError>(&subnet)) {
    return *error;
  }
  std::string id = context_.ids.ResourceId("nat");
  Json gateway_address = {{"NetworkInterfaceId", context_.ids.ResourceId("eni")}};
  if (!allocation_id.empty()) {
    auto address = GetResource(*txn, kAddressType, call, allocation_id);
    if (auto* error = std::get_if<ServiceError>(&address)) {
      return *error;
    }
    Json& doc = std::get<Json>(address);
    if (doc.contains("AssociationId")) {
      return ServiceError{
          "Resource.AlreadyAssociated",
          fmt::format("Elastic IP address [{}] is already associated", allocation_id), 400, true};
    }
    doc["AssociationId"] = context_.ids.ResourceId("eipassoc");
    doc["NetworkInterfaceId"] = gateway_address["NetworkInterfaceId"];
    Status s = txn->Put(kAddressType.ns, Key(call, allocation_id), doc);
    if (!s.ok()) {
      return StoreFailure(s);
    }
    gateway_address["AllocationId"] = allocation_id;
    gateway_address["PublicIp"] = doc["PublicIp"];
  }
  Json gateway = {{"NatGatewayId", id},
                  {"SubnetId", subnet_id},
                  {"VpcId", std::get<Json>(subnet)["VpcId"]},
                  {"State", "pending"},
                  {"ConnectivityType", connectivity},
                  {"CreateTime", Seconds(context_.clock.Now())},
                  {"NatGatewayAddresses", Json::array({gateway_address})},
                  {"Tags", TagList(std::get<std::map<std::string, std::string>>(tags))}};
  Status s = txn->Put(kNatGatewayType.ns, Key(call, id), gateway);
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return Committed(*txn, Json{{"NatGateway", Visible(NatGatewayNow(gateway))}});
}

ServiceResult Ec2Service::DeleteNatGateway(const ServiceCall& call) {
  std::string id = call.input.value("NatGatewayId", "");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto found = GetResource(*txn, kNatGatewayType, call, id);
  if (auto* error = std::get_if<ServiceError>(&found)) {
    return *error;
  }
  Json gateway = std::move(std::get<Json>(found));
  if (gateway.value("State", "") != "deleted") {
    // Its elastic IP is free again.
    for (const Json& address : gateway["NatGatewayAddresses"]) {
      std::string allocation_id = address.value("AllocationId", "");
      if (allocation_id.empty()) {
        continue;
      }
      Result<std::optional<Json>> doc = txn->Get(kAddressType.ns, Key(call, allocation_id));
      if (doc.ok() && *doc) {
        (**doc).erase("AssociationId");
        (**doc).erase("NetworkInterfaceId");
        Status s = txn->Put(kAddressType.ns, Key(call, allocation_id), **doc);
        if (!s.ok()) {
          return StoreFailure(s);
        }
      }
    }
    gateway["State"] = "deleted";
    gateway["DeleteTime"] = Seconds(context_.clock.Now());
    Status s = txn->Put(kNatGatewayType.ns, Key(call, id), gateway);
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  return Committed(*txn, Json{{"NatGatewayId", id}});
}

ServiceResult Ec2Service::DescribeNatGateways(const ServiceCall& call) {
  auto listed =
      ListResources(context_.store, call, kNatGatewayType, StringList(call.input, "NatGatewayIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  std::vector<Json> gateways;
  for (Json& g : std::get<std::vector<Json>>(listed)) {
    gateways.push_back(NatGatewayNow(std::move(g)));
  }
  Json input = WithFilters(call.input, "Filter");
  auto filtered = ApplyFilters(
      std::move(gateways), input,
      [](const Json& g, const std::string& name) -> std::optional<std::vector<std::string>> {
        if (name == "nat-gateway-id") {
          return Strings({g["NatGatewayId"]});
        }
        if (name == "state") {
          return Strings({g["State"]});
        }
        if (name == "subnet-id") {
          return Strings({g["SubnetId"]});
        }
        if (name == "vpc-id") {
          return Strings({g["VpcId"]});
        }
        return std::nullopt;
      });
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  std::vector<Json> visible;
  for (Json& g : std::get<std::vector<Json>>(filtered)) {
    visible.push_back(Visible(std::move(g)));
  }
  Json out = Json::object();
  if (auto error = Paginate(visible, input, "NatGatewayId", "NatGateways", out)) {
    return *error;
  }
  return out;
}

}  // namespace cf::cloud::ec2
