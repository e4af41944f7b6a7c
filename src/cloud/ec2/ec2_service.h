#pragma once

// EC2 networking for the local cloud (part 1): VPCs (with DNS attributes and their default
// security group), subnets, internet gateways (attach, detach), security groups with ingress
// and egress rules (CIDR, IPv6, security-group and self sources; sgr- rule ids), key pairs
// (created with real keys, or imported), route tables (main table, local route, routes to
// gateways, subnet associations), elastic IPs (from 127.200.0.0/16) and NAT gateways (pending
// -> available after the latency profile's delay), account attributes, tags and
// the region's catalogue (DescribeAvailabilityZones, DescribeRegions). Resources live in the
// Store under "ec2/<type>" keyed by "<region>/<id>", with their Tags inside, exactly in the
// shape the EC2 model's output uses, so Describe returns them as stored.
//
// Address rule: every VPC CIDR lies inside 127.0.0.0/8 (InvalidVpc.Range otherwise, saying
// so); subnets lie inside their VPC (InvalidSubnet.Range) and do not overlap
// (InvalidSubnet.Conflict). Dependencies as in AWS: DeleteVpc with subnets is a
// DependencyViolation, and so are deleting an attached internet gateway and a security group
// that another group's rules reference.

#include <string>
#include <variant>

#include "cloud/core/context.h"
#include "cloud/core/service.h"
#include "cloud/core/store.h"

namespace cf::cloud::ec2 {

class Ec2Service : public Service {
 public:
  explicit Ec2Service(const ServiceContext& context) : context_(context) {}

  std::string name() const override { return "ec2"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;

 private:
  ServiceResult CreateVpc(const ServiceCall& call);
  ServiceResult DescribeVpcs(const ServiceCall& call);
  ServiceResult DeleteVpc(const ServiceCall& call);
  ServiceResult ModifyVpcAttribute(const ServiceCall& call);
  ServiceResult DescribeVpcAttribute(const ServiceCall& call);
  ServiceResult CreateSubnet(const ServiceCall& call);
  ServiceResult DescribeSubnets(const ServiceCall& call);
  ServiceResult DeleteSubnet(const ServiceCall& call);
  ServiceResult CreateTags(const ServiceCall& call);
  ServiceResult DeleteTags(const ServiceCall& call);
  ServiceResult DescribeTags(const ServiceCall& call);
  ServiceResult DescribeAvailabilityZones(const ServiceCall& call);
  ServiceResult DescribeRegions(const ServiceCall& call);

  // Internet gateways and security groups (ec2_network.cc).
  ServiceResult CreateInternetGateway(const ServiceCall& call);
  ServiceResult AttachInternetGateway(const ServiceCall& call);
  ServiceResult DetachInternetGateway(const ServiceCall& call);
  ServiceResult DeleteInternetGateway(const ServiceCall& call);
  ServiceResult DescribeInternetGateways(const ServiceCall& call);
  ServiceResult CreateSecurityGroup(const ServiceCall& call);
  ServiceResult DeleteSecurityGroup(const ServiceCall& call);
  ServiceResult DescribeSecurityGroups(const ServiceCall& call);
  ServiceResult DescribeSecurityGroupRules(const ServiceCall& call);
  // Authorize/RevokeSecurityGroupIngress/Egress.
  ServiceResult ChangeRules(const ServiceCall& call, bool egress, bool revoke);
  // Key pairs and account attributes (ec2_key_pairs.cc).
  ServiceResult CreateKeyPair(const ServiceCall& call);
  ServiceResult ImportKeyPair(const ServiceCall& call);
  ServiceResult DescribeKeyPairs(const ServiceCall& call);
  ServiceResult DeleteKeyPair(const ServiceCall& call);
  ServiceResult DescribeAccountAttributes(const ServiceCall& call);
  // Elastic IPs and NAT gateways (ec2_nat.cc).
  ServiceResult AllocateAddress(const ServiceCall& call);
  ServiceResult ReleaseAddress(const ServiceCall& call);
  ServiceResult DescribeAddresses(const ServiceCall& call);
  ServiceResult CreateNatGateway(const ServiceCall& call);
  ServiceResult DeleteNatGateway(const ServiceCall& call);
  ServiceResult DescribeNatGateways(const ServiceCall& call);
  // The NAT gateway as it is now: pending until the latency profile's "ec2:NatGateway" delay
  // has passed since its creation, then available.
  Json NatGatewayNow(Json gateway) const;

  // Route tables (ec2_route_tables.cc).
  ServiceResult CreateRouteTable(const ServiceCall& call);
  ServiceResult DeleteRouteTable(const ServiceCall& call);
  ServiceResult DescribeRouteTables(const ServiceCall& call);
  ServiceResult CreateRoute(const ServiceCall& call);
  ServiceResult DeleteRoute(const ServiceCall& call);
  ServiceResult AssociateRouteTable(const ServiceCall& call);
  ServiceResult DisassociateRouteTable(const ServiceCall& call);
  // Makes a route table with the VPC's local route inside `txn`; `main` for the VPC's main one.
  std::variant<std::string, ServiceError> MakeRouteTable(StoreTxn& txn, const ServiceCall& call,
                                                         const Json& vpc, bool main,
                                                         const Json& tags);
  // Makes the VPC's "default" security group inside `txn` (CreateVpc).
  std::variant<std::string, ServiceError> CreateDefaultSecurityGroup(StoreTxn& txn,
                                                                     const ServiceCall& call,
                                                                     const std::string& vpc_id);

  ServiceContext context_;
};

// The zone id prefix of a region: "us-east-1" -> "use1", "ap-southeast-2" -> "apse2".
std::string ZoneIdPrefix(const std::string& region);

}  // namespace cf::cloud::ec2
