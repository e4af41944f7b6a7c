// The region's default VPC, made on the region's first EC2 call like the one AWS gives every
// account: 127.31.0.0/16 (AWS uses 172.31.0.0/16), a default /20 subnet per zone that maps
// public addresses on launch, an attached internet gateway with the main route table's
// 0.0.0.0/0 route to it, and the VPC's default security group.

#include <fmt/core.h>

#include "cloud/core/ids.h"
#include "cloud/ec2/cidr.h"
#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"

namespace cf::cloud::ec2 {

namespace {

constexpr char kDefaultVpcNs[] = "ec2/default-vpc";
constexpr char kDefaultVpcCidr[] = "127.31.0.0/16";
constexpr char kZones[] = "abc";

}  // namespace

std::optional<ServiceError> Ec2Service::EnsureDefaultVpc(const ServiceCall& call) {
  {
    std::lock_guard<std::mutex> lock(regions_mu_);
    if (regions_with_default_vpc_.count(call.region) > 0) {
      return std::nullopt;
    }
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> marker = txn->Get(kDefaultVpcNs, call.region);
  if (!marker.ok()) {
    return StoreFailure(marker.status());
  }
  if (!*marker) {
    std::string vpc_id = context_.ids.ResourceId("vpc");
    Json vpc = {
        {"VpcId", vpc_id},
        {"CidrBlock", kDefaultVpcCidr},
        {"State", "available"},
        {"DhcpOptionsId", "default"},
        {"OwnerId", call.account_id},
        {"InstanceTenancy", "default"},
        {"IsDefault", true},
        {"CidrBlockAssociationSet",
         Json::array({{{"AssociationId", context_.ids.ResourceId("vpc-cidr-assoc")},
                       {"CidrBlock", kDefaultVpcCidr},
                       {"CidrBlockState", {{"State", "associated"}}}}})},
        {"Tags", Json::array()},
        {"_attributes", {{"EnableDnsSupport", true}, {"EnableDnsHostnames", true}}},
    };
    if (auto error = PutResource(*txn, call, kVpcType, vpc)) {
      return error;
    }
    auto group = CreateDefaultSecurityGroup(*txn, call, vpc_id);
    if (auto* error = std::get_if<ServiceError>(&group)) {
      return *error;
    }
    auto table_id = MakeRouteTable(*txn, call, vpc, true, Json::array());
    if (auto* error = std::get_if<ServiceError>(&table_id)) {
      return *error;
    }
    std::string igw_id = context_.ids.ResourceId("igw");
    Json gateway = {{"InternetGatewayId", igw_id},
                    {"OwnerId", call.account_id},
                    {"Attachments", {{{"State", "available"}, {"VpcId", vpc_id}}}},
                    {"Tags", Json::array()}};
    if (auto error = PutResource(*txn, call, kInternetGatewayType, gateway)) {
      return error;
    }
    auto table = GetResource(*txn, kRouteTableType, call, std::get<std::string>(table_id));
    if (auto* error = std::get_if<ServiceError>(&table)) {
      return *error;
    }
    Json& main_table = std::get<Json>(table);
    main_table["Routes"].push_back({{"DestinationCidrBlock", "0.0.0.0/0"},
                                    {"GatewayId", igw_id},
                                    {"Origin", "CreateRoute"},
                                    {"State", "active"}});
    if (auto error = PutResource(*txn, call, kRouteTableType, main_table)) {
      return error;
    }
    std::string prefix = ZoneIdPrefix(call.region);
    for (size_t i = 0; kZones[i] != '\0'; ++i) {
      Cidr cidr{0x7f1f0000u + static_cast<uint32_t>(i) * 0x1000u, 20};
      std::string subnet_id = context_.ids.ResourceId("subnet");
      Json subnet = {
          {"SubnetId", subnet_id},
          {"VpcId", vpc_id},
          {"CidrBlock", cidr.ToString()},
          {"AvailabilityZone", call.region + kZones[i]},
          {"AvailabilityZoneId", fmt::format("{}-az{}", prefix, i + 1)},
          {"AvailableIpAddressCount", static_cast<int64_t>(cidr.size()) - 5},
          {"DefaultForAz", true},
          {"MapPublicIpOnLaunch", true},
          {"State", "available"},
          {"OwnerId", call.account_id},
          {"AssignIpv6AddressOnCreation", false},
          {"Ipv6CidrBlockAssociationSet", Json::array()},
          {"SubnetArn", Arn("ec2", call.region, call.account_id, "subnet/" + subnet_id)},
          {"Tags", Json::array()},
      };
      if (auto error = PutResource(*txn, call, kSubnetType, subnet)) {
        return error;
      }
    }
    Status s = txn->Put(kDefaultVpcNs, call.region, Json{{"VpcId", vpc_id}});
    if (s.ok()) {
      s = txn->Commit();
    }
    if (!s.ok()) {
      return StoreFailure(s);
    }
  }
  std::lock_guard<std::mutex> lock(regions_mu_);
  regions_with_default_vpc_.insert(call.region);
  return std::nullopt;
}

std::string Ec2Service::DefaultVpcId(const ServiceCall& call) {
  Result<std::optional<Json>> marker = context_.store.Get(kDefaultVpcNs, call.region);
  if (!marker.ok() || !*marker) {
    return "none";
  }
  std::string id = (**marker).value("VpcId", "");
  Result<std::optional<Json>> vpc = context_.store.Get(kVpcType.ns, Key(call, id));
  if (!vpc.ok() || !*vpc) {
    return "none";
  }
  return id;
}

}  // namespace cf::cloud::ec2
