#pragma once

// EC2 networking for the local cloud (part 1): VPCs (with DNS attributes and their default
// security group), subnets, internet gateways (attach, detach), security groups with ingress
// and egress rules (CIDR, IPv6, security-group and self sources; sgr- rule ids), key pairs
// (created with real keys, or imported), route tables (main table, local route, routes to
// gateways, subnet associations), elastic IPs (from 127.200.0.0/16) and NAT gateways (pending
// -> available after the latency profile's delay), account attributes, tags and
// the region's catalogue (DescribeAvailabilityZones, DescribeRegions, DescribeInstanceTypes),
// placement groups, launch templates with versions, network interfaces (private addresses
// allocated from their subnet) with attachments, and VPC endpoints (gateway and interface).
// Instances (ec2_instances.cc; docs/local-cloud.md, "Instances"): RunInstances from a launch
// template and/or arguments, Describe (filters, pagination), DescribeInstanceStatus (a
// running instance whose workload died is "impaired"), Terminate/Stop/Start/Reboot,
// Modify/DescribeInstanceAttribute, GetConsoleOutput, with their EBS volumes
// (DescribeVolumes) and DescribeImages (images.h). States move pending -> running,
// stopping -> stopped and shutting-down -> terminated after the latency profile's
// "ec2:InstanceRunning", "ec2:InstanceStopped" and "ec2:InstanceTerminated" delays. The
// InstanceRuntime given makes them run; without one they are records only. Calls signed by
// the Auto Scaling service-linked role (the autoscaling service) may set aws: tags and
// terminate instances with termination protection, as on AWS.
// Each region has a default VPC (127.31.0.0/16, one default subnet per zone, its internet
// gateway and default security group), made on the region's first EC2 call so that a reset
// cloud gets a fresh one. Resources live in the
// Store under "ec2/<type>" keyed by "<region>/<id>", with their Tags inside, exactly in the
// shape the EC2 model's output uses, so Describe returns them as stored.
//
// Address rule: every VPC CIDR lies inside 127.0.0.0/8 (InvalidVpc.Range otherwise, saying
// so); subnets lie inside their VPC (InvalidSubnet.Range) and do not overlap
// (InvalidSubnet.Conflict). Dependencies as in AWS: DeleteVpc with subnets is a
// DependencyViolation, and so are deleting an attached internet gateway and a security group
// that another group's rules reference.

#include <mutex>
#include <set>
#include <string>
#include <variant>

#include "cloud/core/context.h"
#include "cloud/core/service.h"
#include "cloud/core/store.h"
#include "cloud/ec2/instance_runtime.h"

namespace cf::cloud::ec2 {

class Ec2Service : public Service {
 public:
  // `runtime` (may be null: instances are records only) must outlive the service.
  explicit Ec2Service(const ServiceContext& context, InstanceRuntime* runtime = nullptr)
      : context_(context), runtime_(runtime) {}

  std::string name() const override { return "ec2"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;
  Status Reset() override;

  // Boots again every instance the Store records as pending or running (a restarted local
  // cloud: the machines come back, user data is not run again). Call once after start.
  Status RecoverInstances();

 private:
  using HandlerPtr = ServiceResult (Ec2Service::*)(const ServiceCall&);
  // The member function answering `operation`; null when there is none.
  static HandlerPtr HandlerFor(const std::string& operation);

  ServiceResult CreateVpc(const ServiceCall& call);
  ServiceResult DescribeVpcs(const ServiceCall& call);
  ServiceResult DeleteVpc(const ServiceCall& call);
  ServiceResult ModifyVpcAttribute(const ServiceCall& call);
  ServiceResult ModifySubnetAttribute(const ServiceCall& call);
  ServiceResult CreateFlowLogs(const ServiceCall& call);
  ServiceResult DescribeFlowLogs(const ServiceCall& call);
  ServiceResult DeleteFlowLogs(const ServiceCall& call);
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
  ServiceResult DescribeAddressesAttribute(const ServiceCall& call);
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

  // Placement groups and launch templates (ec2_templates.cc).
  ServiceResult CreatePlacementGroup(const ServiceCall& call);
  ServiceResult DescribePlacementGroups(const ServiceCall& call);
  ServiceResult DeletePlacementGroup(const ServiceCall& call);
  ServiceResult CreateLaunchTemplate(const ServiceCall& call);
  ServiceResult CreateLaunchTemplateVersion(const ServiceCall& call);
  ServiceResult DescribeLaunchTemplates(const ServiceCall& call);
  ServiceResult DescribeLaunchTemplateVersions(const ServiceCall& call);
  ServiceResult ModifyLaunchTemplate(const ServiceCall& call);
  ServiceResult DeleteLaunchTemplate(const ServiceCall& call);
  ServiceResult DeleteLaunchTemplateVersions(const ServiceCall& call);
  // Network interfaces (ec2_interfaces.cc).
  ServiceResult CreateNetworkInterface(const ServiceCall& call);
  ServiceResult DescribeNetworkInterfaces(const ServiceCall& call);
  ServiceResult DeleteNetworkInterface(const ServiceCall& call);
  ServiceResult ModifyNetworkInterfaceAttribute(const ServiceCall& call);
  ServiceResult AttachNetworkInterface(const ServiceCall& call);
  ServiceResult DetachNetworkInterface(const ServiceCall& call);
  // Makes an available interface in `subnet_id` with the next free private address (or
  // `address` when not empty) inside `txn`; returns it as stored.
  std::variant<Json, ServiceError> MakeNetworkInterface(
      StoreTxn& txn, const ServiceCall& call, const std::string& subnet_id,
      const std::vector<std::string>& groups, const std::string& description,
      const std::string& address, const std::string& interface_type, const Json& tags);
  // VPC endpoints (ec2_endpoints.cc).
  ServiceResult CreateVpcEndpoint(const ServiceCall& call);
  ServiceResult DescribeVpcEndpoints(const ServiceCall& call);
  ServiceResult ModifyVpcEndpoint(const ServiceCall& call);
  ServiceResult DeleteVpcEndpoints(const ServiceCall& call);
  ServiceResult DescribeVpcEndpointServices(const ServiceCall& call);
  ServiceResult DescribePrefixLists(const ServiceCall& call);
  // Instances, their volumes and images (ec2_instances.cc, ec2_images.cc).
  ServiceResult RunInstances(const ServiceCall& call);
  ServiceResult DescribeInstances(const ServiceCall& call);
  ServiceResult DescribeInstanceStatus(const ServiceCall& call);
  ServiceResult TerminateInstances(const ServiceCall& call);
  ServiceResult StopInstances(const ServiceCall& call);
  ServiceResult StartInstances(const ServiceCall& call);
  ServiceResult RebootInstances(const ServiceCall& call);
  ServiceResult ModifyInstanceAttribute(const ServiceCall& call);
  ServiceResult DescribeInstanceAttribute(const ServiceCall& call);
  ServiceResult DescribeInstanceCreditSpecifications(const ServiceCall& call);
  ServiceResult GetConsoleOutput(const ServiceCall& call);
  ServiceResult DescribeVolumes(const ServiceCall& call);
  ServiceResult DescribeImages(const ServiceCall& call);
  // The instance as it is now: a due state transition applied (see above).
  Json InstanceNow(Json instance) const;
  // "ok", "impaired" for a running instance per the runtime.
  std::string InstanceHealth(const std::string& instance_id) const;
  // Boots `instance` (stored shape) through the runtime; no-op without one.
  void BootInstance(const ServiceCall& call, const Json& instance, bool first_boot);

  // The instance type catalogue (ec2_instance_types.cc).
  ServiceResult DescribeInstanceTypes(const ServiceCall& call);

  // Makes the region's default VPC unless it was made before (ec2_default_vpc.cc). The
  // "ec2/default-vpc" document of the region records that it was made (and its id), so a
  // deleted default VPC stays deleted, as in AWS.
  std::optional<ServiceError> EnsureDefaultVpc(const ServiceCall& call);
  // The region's default VPC id, or "none".
  std::string DefaultVpcId(const ServiceCall& call);

  ServiceContext context_;
  InstanceRuntime* runtime_;
  std::mutex regions_mu_;
  std::set<std::string> regions_with_default_vpc_;  // cache of the store's records
};

// The zone id prefix of a region: "us-east-1" -> "use1", "ap-southeast-2" -> "apse2".
std::string ZoneIdPrefix(const std::string& region);

}  // namespace cf::cloud::ec2
