// Placement groups, launch templates, network interfaces, VPC endpoints, instance types and
// the default VPC.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_service.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::ec2 {
namespace {

class ZeroLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string&) const override {
    return std::chrono::nanoseconds(0);
  }
};

class Ec2ResourcesTest : public ::testing::Test {
 protected:
  Ec2ResourcesTest()
      : store_(std::move(Store::Open("").value())),
        random_(11),
        ids_(random_),
        credentials_(*store_, {DefaultCredential()}),
        service_(ServiceContext{*store_, ids_, clock_, credentials_, latency_}) {}

  ServiceResult Call(std::string operation, Json input, std::string region = "us-east-1") {
    ServiceCall call;
    call.service = "ec2";
    call.operation = std::move(operation);
    call.input = std::move(input);
    call.region = std::move(region);
    call.caller = DefaultCredential().identity;
    call.account_id = call.caller.account_id;
    return service_.Handle(call);
  }

  Json Ok(std::string operation, Json input) {
    ServiceResult r = Call(std::move(operation), std::move(input));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? r.output() : Json();
  }

  std::string ErrorCode(std::string operation, Json input) {
    ServiceResult r = Call(std::move(operation), std::move(input));
    return r.ok() ? "(no error)" : r.error().code;
  }

  static Json Filter(const std::string& name, std::vector<std::string> values) {
    return {{"Filters", {{{"Name", name}, {"Values", values}}}}};
  }

  std::string Vpc(const std::string& cidr) {
    return Ok("CreateVpc", {{"CidrBlock", cidr}})["Vpc"]["VpcId"];
  }
  std::string Subnet(const std::string& vpc, const std::string& cidr,
                     const std::string& zone = "us-east-1a") {
    return Ok(
        "CreateSubnet",
        {{"VpcId", vpc}, {"CidrBlock", cidr}, {"AvailabilityZone", zone}})["Subnet"]["SubnetId"];
  }
  std::string Group(const std::string& vpc, const std::string& name) {
    return Ok("CreateSecurityGroup",
              {{"VpcId", vpc}, {"GroupName", name}, {"Description", name}})["GroupId"];
  }

  std::unique_ptr<Store> store_;
  FakeClock clock_;
  SeededRandom random_;
  IdGenerator ids_;
  CredentialStore credentials_;
  ZeroLatency latency_;
  Ec2Service service_;
};

TEST(MemberFiltersTest, ReadsNestedMembersAndListElements) {
  Json eni = {{"VpcId", "vpc-1"},
              {"SourceDestCheck", false},
              {"Attachment", {{"InstanceId", "i-1"}, {"DeviceIndex", 1}}},
              {"Groups", {{{"GroupId", "sg-1"}}, {{"GroupId", "sg-2"}}}}};
  EXPECT_EQ(ValuesAt(eni, "VpcId"), std::vector<std::string>({"vpc-1"}));
  EXPECT_EQ(ValuesAt(eni, "SourceDestCheck"), std::vector<std::string>({"false"}));
  EXPECT_EQ(ValuesAt(eni, "Attachment.DeviceIndex"), std::vector<std::string>({"1"}));
  EXPECT_EQ(ValuesAt(eni, "Groups[].GroupId"), std::vector<std::string>({"sg-1", "sg-2"}));
  EXPECT_TRUE(ValuesAt(eni, "Missing.Member").empty());
  FilterValues values = MemberFilters({{"group-id", "Groups[].GroupId"}});
  EXPECT_TRUE(values(eni, "group-id").has_value());
  EXPECT_FALSE(values(eni, "no-such-filter").has_value());
}

TEST_F(Ec2ResourcesTest, EveryRegionHasADefaultVpcLikeAws) {
  Json vpcs = Ok("DescribeVpcs", Filter("is-default", {"true"}))["Vpcs"];
  ASSERT_EQ(vpcs.size(), 1u);
  std::string vpc = vpcs[0]["VpcId"];
  EXPECT_EQ(vpcs[0]["CidrBlock"], "127.31.0.0/16");
  Json subnets = Ok("DescribeSubnets", Filter("default-for-az", {"true"}))["Subnets"];
  ASSERT_EQ(subnets.size(), 3u);
  std::set<std::string> zones;
  for (const Json& subnet : subnets) {
    zones.insert(subnet["AvailabilityZone"].get<std::string>());
    EXPECT_EQ(subnet["VpcId"], vpc);
    EXPECT_EQ(subnet["MapPublicIpOnLaunch"], true);
    EXPECT_EQ(subnet["AvailableIpAddressCount"], 4091);
  }
  EXPECT_EQ(zones, (std::set<std::string>{"us-east-1a", "us-east-1b", "us-east-1c"}));
  Json gateways = Ok("DescribeInternetGateways", Filter("attachment.vpc-id", {vpc}));
  ASSERT_EQ(gateways["InternetGateways"].size(), 1u);
  std::string igw = gateways["InternetGateways"][0]["InternetGatewayId"];
  Json tables = Ok("DescribeRouteTables", Filter("vpc-id", {vpc}))["RouteTables"];
  ASSERT_EQ(tables.size(), 1u);
  bool default_route = false;
  for (const Json& route : tables[0]["Routes"]) {
    default_route = default_route || (route.value("DestinationCidrBlock", "") == "0.0.0.0/0" &&
                                      route.value("GatewayId", "") == igw);
  }
  EXPECT_TRUE(default_route);
  Json groups = Ok("DescribeSecurityGroups", Filter("vpc-id", {vpc}))["SecurityGroups"];
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["GroupName"], "default");
  Json attribute =
      Ok("DescribeAccountAttributes", {{"AttributeNames", {"default-vpc"}}})["AccountAttributes"];
  EXPECT_EQ(attribute[0]["AttributeValues"][0]["AttributeValue"], vpc);

  // Another region gets its own.
  ServiceResult other = Call("DescribeVpcs", Json::object(), "eu-west-1");
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other.output()["Vpcs"].size(), 1u);
  EXPECT_NE(other.output()["Vpcs"][0]["VpcId"], vpc);
}

TEST_F(Ec2ResourcesTest, DeletedDefaultVpcStaysDeletedUntilReset) {
  Json vpcs = Ok("DescribeVpcs", Filter("is-default", {"true"}))["Vpcs"];
  std::string vpc = vpcs[0]["VpcId"];
  Json subnets = Ok("DescribeSubnets", Filter("vpc-id", {vpc}));
  for (const Json& subnet : subnets["Subnets"]) {
    Ok("DeleteSubnet", {{"SubnetId", subnet["SubnetId"]}});
  }
  Json igw = Ok("DescribeInternetGateways",
                Filter("attachment.vpc-id", {vpc}))["InternetGateways"][0]["InternetGatewayId"];
  Ok("DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  Ok("DeleteInternetGateway", {{"InternetGatewayId", igw}});
  Ok("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_TRUE(Ok("DescribeVpcs", Json::object())["Vpcs"].empty());
  Json attribute =
      Ok("DescribeAccountAttributes", {{"AttributeNames", {"default-vpc"}}})["AccountAttributes"];
  EXPECT_EQ(attribute[0]["AttributeValues"][0]["AttributeValue"], "none");

  // `cloud reset`: the store is cleared and the services reset; a new default VPC follows.
  ASSERT_OK(store_->Clear());
  ASSERT_OK(service_.Reset());
  Json fresh = Ok("DescribeVpcs", Json::object())["Vpcs"];
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_NE(fresh[0]["VpcId"], vpc);
}

TEST_F(Ec2ResourcesTest, PlacementGroupsByStrategy) {
  Json cluster = Ok("CreatePlacementGroup",
                    {{"GroupName", "weka"},
                     {"Strategy", "cluster"},
                     {"TagSpecifications",
                      {{{"ResourceType", "placement-group"},
                        {"Tags", {{{"Key", "team"}, {"Value", "storage"}}}}}}}})["PlacementGroup"];
  EXPECT_EQ(cluster["State"], "available");
  EXPECT_EQ(cluster["GroupArn"], "arn:aws:ec2:us-east-1:000000000000:placement-group/weka");
  EXPECT_TRUE(cluster["GroupId"].get<std::string>().rfind("pg-", 0) == 0);
  Json partition = Ok(
      "CreatePlacementGroup",
      {{"GroupName", "parts"}, {"Strategy", "partition"}, {"PartitionCount", 5}})["PlacementGroup"];
  EXPECT_EQ(partition["PartitionCount"], 5);
  Ok("CreatePlacementGroup", {{"GroupName", "spread"}, {"Strategy", "spread"}});
  EXPECT_EQ(ErrorCode("CreatePlacementGroup", {{"GroupName", "x"}, {"Strategy", "tight"}}),
            "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("CreatePlacementGroup", {{"GroupName", "weka"}, {"Strategy", "spread"}}),
            "InvalidPlacementGroup.Duplicate");
  EXPECT_EQ(ErrorCode("CreatePlacementGroup",
                      {{"GroupName", "p"}, {"Strategy", "partition"}, {"PartitionCount", 8}}),
            "InvalidParameterValue");

  EXPECT_EQ(Ok("DescribePlacementGroups", Json::object())["PlacementGroups"].size(), 3u);
  Json by_name = Ok("DescribePlacementGroups", {{"GroupNames", {"parts"}}})["PlacementGroups"];
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_EQ(by_name[0]["Strategy"], "partition");
  Json by_id = Ok("DescribePlacementGroups", {{"GroupIds", {cluster["GroupId"]}}});
  EXPECT_EQ(by_id["PlacementGroups"][0]["GroupName"], "weka");
  Json by_tag = Ok("DescribePlacementGroups", Filter("tag:team", {"storage"}));
  EXPECT_EQ(by_tag["PlacementGroups"].size(), 1u);
  Json by_strategy = Ok("DescribePlacementGroups", Filter("strategy", {"spread"}));
  EXPECT_EQ(by_strategy["PlacementGroups"][0]["GroupName"], "spread");
  EXPECT_EQ(ErrorCode("DescribePlacementGroups", {{"GroupNames", {"nope"}}}),
            "InvalidPlacementGroup.Unknown");

  Ok("DeletePlacementGroup", {{"GroupName", "spread"}});
  EXPECT_EQ(ErrorCode("DeletePlacementGroup", {{"GroupName", "spread"}}),
            "InvalidPlacementGroup.Unknown");
  // An instance placed in the group keeps it.
  ASSERT_OK(store_->Put("ec2/instance", "us-east-1/i-0123456789abcdef0",
                        {{"InstanceId", "i-0123456789abcdef0"},
                         {"State", {{"Name", "running"}}},
                         {"Placement", {{"GroupName", "weka"}}}}));
  EXPECT_EQ(ErrorCode("DeletePlacementGroup", {{"GroupName", "weka"}}),
            "InvalidPlacementGroup.InUse");
}

TEST_F(Ec2ResourcesTest, LaunchTemplateVersions) {
  Json data = {{"ImageId", "ami-12345678"},
               {"InstanceType", "i3en.large"},
               {"UserData", "IyEvYmluL3NoCg=="}};
  Json created = Ok("CreateLaunchTemplate", {{"LaunchTemplateName", "backend"},
                                             {"VersionDescription", "first"},
                                             {"LaunchTemplateData", data}})["LaunchTemplate"];
  std::string id = created["LaunchTemplateId"];
  EXPECT_TRUE(id.rfind("lt-", 0) == 0);
  EXPECT_EQ(created["DefaultVersionNumber"], 1);
  EXPECT_EQ(created["LatestVersionNumber"], 1);
  EXPECT_EQ(created["CreatedBy"], "arn:aws:iam::000000000000:root");
  EXPECT_EQ(ErrorCode("CreateLaunchTemplate",
                      {{"LaunchTemplateName", "backend"}, {"LaunchTemplateData", data}}),
            "InvalidLaunchTemplateName.AlreadyExistsException");
  EXPECT_EQ(ErrorCode("CreateLaunchTemplate", {{"LaunchTemplateName", "backend2"}}),
            "MissingParameter");
  EXPECT_EQ(ErrorCode("CreateLaunchTemplate",
                      {{"LaunchTemplateName", "a b"}, {"LaunchTemplateData", data}}),
            "InvalidLaunchTemplateName.MalformedException");

  // Version 2 inherits version 1's parameters but the ones it gives.
  Json v2 =
      Ok("CreateLaunchTemplateVersion",
         {{"LaunchTemplateId", id},
          {"SourceVersion", "1"},
          {"LaunchTemplateData", {{"InstanceType", "i3en.xlarge"}}}})["LaunchTemplateVersion"];
  EXPECT_EQ(v2["VersionNumber"], 2);
  EXPECT_EQ(v2["DefaultVersion"], false);
  EXPECT_EQ(v2["LaunchTemplateData"]["ImageId"], "ami-12345678");
  EXPECT_EQ(v2["LaunchTemplateData"]["InstanceType"], "i3en.xlarge");
  Json v3 = Ok("CreateLaunchTemplateVersion",
               {{"LaunchTemplateName", "backend"},
                {"LaunchTemplateData", {{"InstanceType", "c5.large"}}}})["LaunchTemplateVersion"];
  EXPECT_EQ(v3["VersionNumber"], 3);
  EXPECT_FALSE(v3["LaunchTemplateData"].contains("ImageId"));
  EXPECT_EQ(
      ErrorCode("CreateLaunchTemplateVersion",
                {{"LaunchTemplateId", id}, {"SourceVersion", "9"}, {"LaunchTemplateData", data}}),
      "InvalidLaunchTemplateId.VersionNotFound");

  Json latest = Ok("DescribeLaunchTemplateVersions",
                   {{"LaunchTemplateId", id}, {"Versions", {"$Latest"}}})["LaunchTemplateVersions"];
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0]["VersionNumber"], 3);
  Json all = Ok("DescribeLaunchTemplateVersions", {{"LaunchTemplateId", id}});
  ASSERT_EQ(all["LaunchTemplateVersions"].size(), 3u);
  EXPECT_EQ(all["LaunchTemplateVersions"][0]["VersionNumber"], 3);
  Json page = Ok("DescribeLaunchTemplateVersions", {{"LaunchTemplateId", id}, {"MaxResults", 2}});
  EXPECT_EQ(page["LaunchTemplateVersions"].size(), 2u);
  Json rest = Ok("DescribeLaunchTemplateVersions",
                 {{"LaunchTemplateId", id}, {"NextToken", page["NextToken"]}});
  ASSERT_EQ(rest["LaunchTemplateVersions"].size(), 1u);
  EXPECT_EQ(rest["LaunchTemplateVersions"][0]["VersionNumber"], 1);

  Json modified = Ok("ModifyLaunchTemplate",
                     {{"LaunchTemplateId", id}, {"DefaultVersion", "2"}})["LaunchTemplate"];
  EXPECT_EQ(modified["DefaultVersionNumber"], 2);
  Json by_default = Ok("DescribeLaunchTemplateVersions",
                       {{"LaunchTemplateName", "backend"}, {"Versions", {"$Default"}}});
  EXPECT_EQ(by_default["LaunchTemplateVersions"][0]["VersionNumber"], 2);
  EXPECT_EQ(by_default["LaunchTemplateVersions"][0]["DefaultVersion"], true);

  Json deleted =
      Ok("DeleteLaunchTemplateVersions", {{"LaunchTemplateId", id}, {"Versions", {"1", "2", "7"}}});
  ASSERT_EQ(deleted["SuccessfullyDeletedLaunchTemplateVersions"].size(), 1u);
  EXPECT_EQ(deleted["SuccessfullyDeletedLaunchTemplateVersions"][0]["VersionNumber"], 1);
  ASSERT_EQ(deleted["UnsuccessfullyDeletedLaunchTemplateVersions"].size(), 2u);
  EXPECT_EQ(deleted["UnsuccessfullyDeletedLaunchTemplateVersions"][1]["ResponseError"]["Code"],
            "launchTemplateVersionDoesNotExist");

  Json listed = Ok("DescribeLaunchTemplates", {{"LaunchTemplateNames", {"backend"}}});
  EXPECT_EQ(listed["LaunchTemplates"][0]["LatestVersionNumber"], 3);
  EXPECT_EQ(ErrorCode("DescribeLaunchTemplates", {{"LaunchTemplateNames", {"nope"}}}),
            "InvalidLaunchTemplateName.NotFoundException");
  EXPECT_EQ(ErrorCode("DescribeLaunchTemplates", {{"LaunchTemplateIds", {"lt-0123456789abcdef0"}}}),
            "InvalidLaunchTemplateId.NotFound");
  EXPECT_EQ(ErrorCode("DescribeLaunchTemplateVersions", {{"LaunchTemplateName", "nope"}}),
            "InvalidLaunchTemplateName.NotFoundException");
  Ok("DeleteLaunchTemplate", {{"LaunchTemplateName", "backend"}});
  EXPECT_EQ(ErrorCode("DeleteLaunchTemplate", {{"LaunchTemplateId", id}}),
            "InvalidLaunchTemplateId.NotFound");
}

TEST_F(Ec2ResourcesTest, NetworkInterfacesTakeAddressesFromTheirSubnet) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string subnet = Subnet(vpc, "127.16.1.0/24");
  std::string web = Group(vpc, "web");
  Json first = Ok("CreateNetworkInterface", {{"SubnetId", subnet},
                                             {"Description", "weka backend"},
                                             {"Groups", {web}}})["NetworkInterface"];
  EXPECT_EQ(first["PrivateIpAddress"], "127.16.1.4");
  EXPECT_EQ(first["Status"], "available");
  EXPECT_EQ(first["VpcId"], vpc);
  EXPECT_EQ(first["Groups"][0]["GroupName"], "web");
  std::string eni = first["NetworkInterfaceId"];
  Json second = Ok("CreateNetworkInterface", {{"SubnetId", subnet}})["NetworkInterface"];
  EXPECT_EQ(second["PrivateIpAddress"], "127.16.1.5");
  EXPECT_EQ(second["Groups"][0]["GroupName"], "default");
  EXPECT_EQ(ErrorCode("CreateNetworkInterface",
                      {{"SubnetId", subnet}, {"PrivateIpAddress", "127.16.1.5"}}),
            "InvalidIPAddress.InUse");
  EXPECT_EQ(ErrorCode("CreateNetworkInterface",
                      {{"SubnetId", subnet}, {"PrivateIpAddress", "127.16.2.9"}}),
            "InvalidParameterValue");
  Json chosen =
      Ok("CreateNetworkInterface",
         {{"SubnetId", subnet}, {"PrivateIpAddress", "127.16.1.100"}})["NetworkInterface"];
  EXPECT_EQ(chosen["PrivateIpAddress"], "127.16.1.100");
  EXPECT_EQ(
      Ok("DescribeSubnets", {{"SubnetIds", {subnet}}})["Subnets"][0]["AvailableIpAddressCount"],
      248);
  EXPECT_EQ(ErrorCode("CreateNetworkInterface", {{"SubnetId", "subnet-0123456789abcdef0"}}),
            "InvalidSubnetID.NotFound");
  std::string other_vpc = Vpc("127.17.0.0/16");
  EXPECT_EQ(ErrorCode("CreateNetworkInterface",
                      {{"SubnetId", subnet}, {"Groups", {Group(other_vpc, "elsewhere")}}}),
            "InvalidParameter");

  EXPECT_EQ(
      Ok("DescribeNetworkInterfaces", Filter("description", {"weka*"}))["NetworkInterfaces"].size(),
      1u);
  EXPECT_EQ(
      Ok("DescribeNetworkInterfaces", Filter("subnet-id", {subnet}))["NetworkInterfaces"].size(),
      3u);
  EXPECT_EQ(Ok("DescribeNetworkInterfaces", Filter("group-id", {web}))["NetworkInterfaces"].size(),
            1u);
  EXPECT_EQ(ErrorCode("DescribeNetworkInterfaces", Filter("colour", {"red"})),
            "InvalidParameterValue");

  // Attach to an instance that does not exist yet: instances are not simulated.
  EXPECT_EQ(ErrorCode("AttachNetworkInterface",
                      {{"NetworkInterfaceId", eni}, {"InstanceId", "web-1"}, {"DeviceIndex", 1}}),
            "InvalidInstanceID.Malformed");
  Json attached =
      Ok("AttachNetworkInterface",
         {{"NetworkInterfaceId", eni}, {"InstanceId", "i-0123456789abcdef0"}, {"DeviceIndex", 1}});
  std::string attachment = attached["AttachmentId"];
  EXPECT_TRUE(attachment.rfind("eni-attach-", 0) == 0);
  EXPECT_EQ(
      ErrorCode("AttachNetworkInterface", {{"NetworkInterfaceId", second["NetworkInterfaceId"]},
                                           {"InstanceId", "i-0123456789abcdef0"},
                                           {"DeviceIndex", 1}}),
      "InvalidParameterValue");
  Json by_instance =
      Ok("DescribeNetworkInterfaces", Filter("attachment.instance-id", {"i-0123456789abcdef0"}));
  ASSERT_EQ(by_instance["NetworkInterfaces"].size(), 1u);
  EXPECT_EQ(by_instance["NetworkInterfaces"][0]["Status"], "in-use");
  EXPECT_EQ(by_instance["NetworkInterfaces"][0]["Attachment"]["DeviceIndex"], 1);
  EXPECT_EQ(ErrorCode("DeleteNetworkInterface", {{"NetworkInterfaceId", eni}}),
            "InvalidNetworkInterface.InUse");
  EXPECT_EQ(ErrorCode("DetachNetworkInterface", {{"AttachmentId", "eni-attach-0123456789abcdef0"}}),
            "InvalidAttachmentID.NotFound");
  Ok("DetachNetworkInterface", {{"AttachmentId", attachment}});

  Ok("ModifyNetworkInterfaceAttribute",
     {{"NetworkInterfaceId", eni}, {"Description", {{"Value", "renamed"}}}});
  Ok("ModifyNetworkInterfaceAttribute",
     {{"NetworkInterfaceId", eni}, {"SourceDestCheck", {{"Value", false}}}});
  std::string db = Group(vpc, "db");
  Ok("ModifyNetworkInterfaceAttribute", {{"NetworkInterfaceId", eni}, {"Groups", {web, db}}});
  Json modified =
      Ok("DescribeNetworkInterfaces", {{"NetworkInterfaceIds", {eni}}})["NetworkInterfaces"][0];
  EXPECT_EQ(modified["Description"], "renamed");
  EXPECT_EQ(modified["SourceDestCheck"], false);
  EXPECT_EQ(modified["Groups"].size(), 2u);
  EXPECT_EQ(modified["Status"], "available");

  // Interfaces keep their subnet and security groups.
  EXPECT_EQ(ErrorCode("DeleteSubnet", {{"SubnetId", subnet}}), "DependencyViolation");
  EXPECT_EQ(ErrorCode("DeleteSecurityGroup", {{"GroupId", db}}), "DependencyViolation");
  Json remaining = Ok("DescribeNetworkInterfaces", Filter("vpc-id", {vpc}));
  for (const Json& each : remaining["NetworkInterfaces"]) {
    Ok("DeleteNetworkInterface", {{"NetworkInterfaceId", each["NetworkInterfaceId"]}});
  }
  EXPECT_EQ(ErrorCode("DeleteNetworkInterface", {{"NetworkInterfaceId", eni}}),
            "InvalidNetworkInterfaceID.NotFound");
  Ok("DeleteSecurityGroup", {{"GroupId", db}});
  Ok("DeleteSubnet", {{"SubnetId", subnet}});
}

TEST_F(Ec2ResourcesTest, AttachChecksInstancesOnceTheStoreHasSome) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string eni =
      Ok("CreateNetworkInterface",
         {{"SubnetId", Subnet(vpc, "127.16.1.0/24")}})["NetworkInterface"]["NetworkInterfaceId"];
  ASSERT_OK(store_->Put("ec2/instance", "us-east-1/i-0aaaaaaaaaaaaaaaa",
                        {{"InstanceId", "i-0aaaaaaaaaaaaaaaa"}}));
  EXPECT_EQ(ErrorCode("AttachNetworkInterface", {{"NetworkInterfaceId", eni},
                                                 {"InstanceId", "i-0bbbbbbbbbbbbbbbb"},
                                                 {"DeviceIndex", 1}}),
            "InvalidInstanceID.NotFound");
  Ok("AttachNetworkInterface",
     {{"NetworkInterfaceId", eni}, {"InstanceId", "i-0aaaaaaaaaaaaaaaa"}, {"DeviceIndex", 1}});
}

TEST_F(Ec2ResourcesTest, GatewayEndpointsRouteToTheServicesPrefixList) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string table = Ok("CreateRouteTable", {{"VpcId", vpc}})["RouteTable"]["RouteTableId"];
  EXPECT_EQ(ErrorCode("CreateVpcEndpoint",
                      {{"VpcId", vpc}, {"ServiceName", "com.amazonaws.us-east-1.nosuch"}}),
            "InvalidServiceName");
  EXPECT_EQ(ErrorCode("CreateVpcEndpoint",
                      {{"VpcId", vpc}, {"ServiceName", "com.amazonaws.eu-west-1.s3"}}),
            "InvalidServiceName");
  EXPECT_EQ(ErrorCode("CreateVpcEndpoint", {{"VpcId", vpc},
                                            {"VpcEndpointType", "Gateway"},
                                            {"ServiceName", "com.amazonaws.us-east-1.sts"}}),
            "InvalidParameter");
  Json endpoint = Ok("CreateVpcEndpoint", {{"VpcId", vpc},
                                           {"VpcEndpointType", "Gateway"},
                                           {"ServiceName", "com.amazonaws.us-east-1.s3"},
                                           {"RouteTableIds", {table}}})["VpcEndpoint"];
  std::string id = endpoint["VpcEndpointId"];
  EXPECT_EQ(endpoint["State"], "available");
  EXPECT_EQ(endpoint["RouteTableIds"], Json({table}));
  auto route_to = [&](const std::string& table_id) {
    Json routes =
        Ok("DescribeRouteTables", {{"RouteTableIds", {table_id}}})["RouteTables"][0]["Routes"];
    for (const Json& route : routes) {
      if (route.value("GatewayId", "") == id) {
        return route.value("DestinationPrefixListId", "");
      }
    }
    return std::string();
  };
  EXPECT_EQ(route_to(table).rfind("pl-", 0), 0u);
  // The route's prefix list is the one DescribePrefixLists names for the service.
  Json lists = Ok("DescribePrefixLists",
                  Filter("prefix-list-name", {"com.amazonaws.us-east-1.s3"}))["PrefixLists"];
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0]["PrefixListId"], route_to(table));
  EXPECT_EQ(Ok("DescribePrefixLists",
               {{"PrefixListIds", {route_to(table)}}})["PrefixLists"][0]["PrefixListName"],
            "com.amazonaws.us-east-1.s3");
  EXPECT_EQ(ErrorCode("DescribePrefixLists", {{"PrefixListIds", {"pl-00000000"}}}),
            "InvalidPrefixListID.NotFound");
  EXPECT_EQ(ErrorCode("DeleteVpc", {{"VpcId", vpc}}), "DependencyViolation");

  std::string main_table =
      Ok("DescribeRouteTables", Filter("vpc-id", {vpc}))["RouteTables"][0]["RouteTableId"];
  if (main_table == table) {
    main_table =
        Ok("DescribeRouteTables", Filter("vpc-id", {vpc}))["RouteTables"][1]["RouteTableId"];
  }
  Ok("ModifyVpcEndpoint",
     {{"VpcEndpointId", id}, {"AddRouteTableIds", {main_table}}, {"RemoveRouteTableIds", {table}}});
  EXPECT_EQ(route_to(table), "");
  EXPECT_NE(route_to(main_table), "");
  Json listed = Ok("DescribeVpcEndpoints", Filter("service-name", {"com.amazonaws.us-east-1.s3"}));
  ASSERT_EQ(listed["VpcEndpoints"].size(), 1u);
  EXPECT_EQ(listed["VpcEndpoints"][0]["RouteTableIds"], Json({main_table}));

  Json deleted = Ok("DeleteVpcEndpoints", {{"VpcEndpointIds", {id, "vpce-0123456789abcdef0"}}});
  ASSERT_EQ(deleted["Unsuccessful"].size(), 1u);
  EXPECT_EQ(deleted["Unsuccessful"][0]["ResourceId"], "vpce-0123456789abcdef0");
  EXPECT_EQ(route_to(main_table), "");
  Ok("DeleteRouteTable", {{"RouteTableId", table}});
  Ok("DeleteVpc", {{"VpcId", vpc}});
}

TEST_F(Ec2ResourcesTest, InterfaceEndpointsOwnAnInterfacePerSubnet) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string a = Subnet(vpc, "127.16.1.0/24", "us-east-1a");
  std::string b = Subnet(vpc, "127.16.2.0/24", "us-east-1b");
  std::string a2 = Subnet(vpc, "127.16.3.0/24", "us-east-1a");
  std::string sg = Group(vpc, "endpoints");
  EXPECT_EQ(ErrorCode("CreateVpcEndpoint", {{"VpcId", vpc},
                                            {"VpcEndpointType", "Interface"},
                                            {"ServiceName", "com.amazonaws.us-east-1.sts"},
                                            {"SubnetIds", {a, a2}}}),
            "DuplicateSubnetsInSameZone");
  Json endpoint = Ok("CreateVpcEndpoint", {{"VpcId", vpc},
                                           {"VpcEndpointType", "Interface"},
                                           {"ServiceName", "com.amazonaws.us-east-1.sts"},
                                           {"SubnetIds", {a, b}},
                                           {"SecurityGroupIds", {sg}},
                                           {"PrivateDnsEnabled", true}})["VpcEndpoint"];
  std::string id = endpoint["VpcEndpointId"];
  ASSERT_EQ(endpoint["NetworkInterfaceIds"].size(), 2u);
  EXPECT_EQ(endpoint["PrivateDnsEnabled"], true);
  EXPECT_EQ(endpoint["Groups"][0]["GroupId"], sg);
  EXPECT_EQ(endpoint["DnsEntries"][1]["DnsName"], "sts.us-east-1.amazonaws.com");
  std::string eni = endpoint["NetworkInterfaceIds"][0];
  Json interface =
      Ok("DescribeNetworkInterfaces", {{"NetworkInterfaceIds", {eni}}})["NetworkInterfaces"][0];
  EXPECT_EQ(interface["InterfaceType"], "vpc_endpoint");
  EXPECT_EQ(interface["RequesterManaged"], true);
  EXPECT_EQ(ErrorCode("DeleteNetworkInterface", {{"NetworkInterfaceId", eni}}),
            "OperationNotPermitted");
  EXPECT_EQ(ErrorCode("DeleteSubnet", {{"SubnetId", a}}), "DependencyViolation");
  EXPECT_EQ(ErrorCode("DeleteSecurityGroup", {{"GroupId", sg}}), "DependencyViolation");

  Ok("ModifyVpcEndpoint",
     {{"VpcEndpointId", id}, {"RemoveSubnetIds", {a}}, {"AddSubnetIds", {a2}}});
  Json modified = Ok("DescribeVpcEndpoints", {{"VpcEndpointIds", {id}}})["VpcEndpoints"][0];
  EXPECT_EQ(modified["SubnetIds"], Json({b, a2}));
  Ok("DeleteSubnet", {{"SubnetId", a}});
  EXPECT_EQ(
      Ok("DescribeVpcEndpoints", Filter("vpc-endpoint-type", {"Interface"}))["VpcEndpoints"].size(),
      1u);
  Ok("DeleteVpcEndpoints", {{"VpcEndpointIds", {id}}});
  EXPECT_TRUE(
      Ok("DescribeNetworkInterfaces", Filter("vpc-id", {vpc}))["NetworkInterfaces"].empty());
  Ok("DeleteSubnet", {{"SubnetId", b}});
  Ok("DeleteSecurityGroup", {{"GroupId", sg}});
}

TEST_F(Ec2ResourcesTest, EndpointServicesCatalogue) {
  Json gateways = Ok("DescribeVpcEndpointServices", Filter("service-type", {"Gateway"}));
  EXPECT_EQ(gateways["ServiceNames"],
            Json({"com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.s3"}));
  Json one = Ok("DescribeVpcEndpointServices",
                {{"ServiceNames", {"com.amazonaws.us-east-1.secretsmanager"}}});
  ASSERT_EQ(one["ServiceDetails"].size(), 1u);
  EXPECT_EQ(one["ServiceDetails"][0]["Owner"], "amazon");
  EXPECT_EQ(ErrorCode("DescribeVpcEndpointServices",
                      {{"ServiceNames", {"com.amazonaws.us-east-1.nosuch"}}}),
            "InvalidServiceName");
}

TEST_F(Ec2ResourcesTest, InstanceTypesHaveAwsFigures) {
  Json big = Ok("DescribeInstanceTypes", {{"InstanceTypes", {"i3en.24xlarge"}}})["InstanceTypes"];
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0]["VCpuInfo"]["DefaultVCpus"], 96);
  EXPECT_EQ(big[0]["MemoryInfo"]["SizeInMiB"], 786432);
  EXPECT_EQ(big[0]["InstanceStorageInfo"]["TotalSizeInGB"], 60000);
  EXPECT_EQ(big[0]["InstanceStorageInfo"]["Disks"][0]["Count"], 8);
  EXPECT_EQ(big[0]["InstanceStorageInfo"]["Disks"][0]["SizeInGB"], 7500);
  EXPECT_EQ(big[0]["NetworkInfo"]["NetworkPerformance"], "100 Gigabit");
  EXPECT_EQ(big[0]["NetworkInfo"]["MaximumNetworkInterfaces"], 15);
  Json graviton = Ok("DescribeInstanceTypes", {{"InstanceTypes", {"i8ge.48xlarge"}}});
  EXPECT_EQ(graviton["InstanceTypes"][0]["ProcessorInfo"]["SupportedArchitectures"],
            Json({"arm64"}));
  EXPECT_EQ(graviton["InstanceTypes"][0]["InstanceStorageInfo"]["TotalSizeInGB"], 120000);
  Json c5n = Ok("DescribeInstanceTypes", {{"InstanceTypes", {"c5n.18xlarge"}}})["InstanceTypes"];
  EXPECT_EQ(c5n[0]["MemoryInfo"]["SizeInMiB"], 196608);
  EXPECT_FALSE(c5n[0].contains("InstanceStorageInfo"));
  EXPECT_EQ(c5n[0]["InstanceStorageSupported"], false);

  EXPECT_EQ(
      Ok("DescribeInstanceTypes", Filter("instance-type", {"i3en.*"}))["InstanceTypes"].size(), 8u);
  EXPECT_EQ(
      Ok("DescribeInstanceTypes", Filter("instance-type", {"i8ge.*"}))["InstanceTypes"].size(),
      11u);
  Json arm =
      Ok("DescribeInstanceTypes", Filter("processor-info.supported-architecture", {"arm64"}));
  EXPECT_EQ(arm["InstanceTypes"].size(), 11u);
  Json metal = Ok("DescribeInstanceTypes", Filter("bare-metal", {"true"}))["InstanceTypes"];
  for (const Json& type : metal) {
    EXPECT_NE(type["InstanceType"].get<std::string>().find("metal"), std::string::npos);
  }
  EXPECT_EQ(ErrorCode("DescribeInstanceTypes", {{"InstanceTypes", {"i3en.huge"}}}),
            "InvalidInstanceType");
  EXPECT_EQ(ErrorCode("DescribeInstanceTypes", {{"MaxResults", 500}}), "InvalidParameterValue");

  // Pages of 20 cover the whole catalogue once, in name order.
  std::vector<std::string> seen;
  Json input = {{"MaxResults", 20}};
  while (true) {
    Json out = Ok("DescribeInstanceTypes", input);
    for (const Json& type : out["InstanceTypes"]) {
      seen.push_back(type["InstanceType"]);
    }
    if (!out.contains("NextToken")) {
      break;
    }
    input["NextToken"] = out["NextToken"];
  }
  EXPECT_GE(seen.size(), 70u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
}

// Figures as EC2's DescribeInstanceTypes reports them (checked against the dump named in
// instance_types.cc), a few sizes per family, including every kind of correction made there.
TEST_F(Ec2ResourcesTest, InstanceTypesAnswerAsEc2Does) {
  struct Want {
    std::string name;
    int vcpus;
    int cores;
    int64_t mib;
    int64_t nvme_gb;  // 0: no instance storage
    std::string network;
    int enis;
    int ipv4_per_eni;
    double ghz;
    bool efa;
    bool free_tier;
  };
  const std::vector<Want> wants = {
      {"i3en.large", 2, 1, 16384, 1250, "Up to 25 Gigabit", 3, 10, 3.1, false, false},
      {"i3en.6xlarge", 24, 12, 196608, 15000, "25 Gigabit", 8, 30, 3.1, false, false},
      {"i8ge.large", 2, 2, 16384, 1250, "Up to 25 Gigabit", 3, 10, 2.8, false, false},
      {"i8ge.3xlarge", 12, 12, 98304, 7500, "Up to 25 Gigabit", 6, 30, 2.8, false, false},
      {"i8ge.6xlarge", 24, 24, 196608, 15000, "37.5 Gigabit", 10, 30, 2.8, false, false},
      {"i8ge.12xlarge", 48, 48, 393216, 30000, "75 Gigabit", 12, 30, 2.8, false, false},
      {"i8ge.24xlarge", 96, 96, 786432, 60000, "150 Gigabit", 16, 50, 2.8, false, false},
      {"i8ge.48xlarge", 192, 192, 1572864, 120000, "300 Gigabit", 24, 50, 2.7, true, false},
      {"c5.9xlarge", 36, 18, 73728, 0, "12 Gigabit", 8, 30, 3.4, false, false},
      {"c5.12xlarge", 48, 24, 98304, 0, "12 Gigabit", 8, 30, 3.6, false, false},
      {"c5n.large", 2, 1, 5376, 0, "Up to 25 Gigabit", 3, 10, 3.4, false, false},
      {"c5n.9xlarge", 36, 18, 98304, 0, "50 Gigabit", 8, 30, 3.4, true, false},
      {"m5.16xlarge", 64, 32, 262144, 0, "20 Gigabit", 15, 50, 3.1, false, false},
      {"m6i.12xlarge", 48, 24, 196608, 0, "18.75 Gigabit", 8, 30, 3.5, false, false},
      {"m6i.32xlarge", 128, 64, 524288, 0, "50 Gigabit", 15, 50, 3.5, true, false},
      {"r6i.4xlarge", 16, 8, 131072, 0, "Up to 12.5 Gigabit", 8, 30, 3.5, false, false},
      {"r6i.32xlarge", 128, 64, 1048576, 0, "50 Gigabit", 15, 50, 3.5, true, false},
      {"t3.nano", 2, 1, 512, 0, "Up to 5 Gigabit", 2, 2, 2.5, false, false},
      {"t3.small", 2, 1, 2048, 0, "Up to 5 Gigabit", 3, 4, 2.5, false, true},
      {"t3.large", 2, 1, 8192, 0, "Up to 5 Gigabit", 3, 12, 2.5, false, false},
  };
  for (const Want& want : wants) {
    SCOPED_TRACE(want.name);
    Json types = Ok("DescribeInstanceTypes", {{"InstanceTypes", {want.name}}})["InstanceTypes"];
    ASSERT_EQ(types.size(), 1u);
    const Json& type = types[0];
    EXPECT_EQ(type["VCpuInfo"]["DefaultVCpus"], want.vcpus);
    EXPECT_EQ(type["VCpuInfo"]["DefaultCores"], want.cores);
    EXPECT_EQ(type["MemoryInfo"]["SizeInMiB"], want.mib);
    EXPECT_EQ(type["InstanceStorageSupported"], want.nvme_gb > 0);
    if (want.nvme_gb > 0) {
      const Json& storage = type["InstanceStorageInfo"];
      EXPECT_EQ(storage["TotalSizeInGB"], want.nvme_gb);
      EXPECT_EQ(storage["Disks"][0]["Count"].get<int64_t>() *
                    storage["Disks"][0]["SizeInGB"].get<int64_t>(),
                want.nvme_gb);
    }
    EXPECT_EQ(type["NetworkInfo"]["NetworkPerformance"], want.network);
    EXPECT_EQ(type["NetworkInfo"]["MaximumNetworkInterfaces"], want.enis);
    EXPECT_EQ(type["NetworkInfo"]["Ipv4AddressesPerInterface"], want.ipv4_per_eni);
    EXPECT_EQ(type["NetworkInfo"]["EfaSupported"], want.efa);
    EXPECT_DOUBLE_EQ(type["ProcessorInfo"]["SustainedClockSpeedInGhz"].get<double>(), want.ghz);
    EXPECT_EQ(type["FreeTierEligible"], want.free_tier);
  }

  auto names = [this](const Json& filters) {
    std::vector<std::string> out;
    Json answer = Ok("DescribeInstanceTypes", filters);
    for (const Json& type : answer["InstanceTypes"]) {
      out.push_back(type["InstanceType"]);
    }
    return out;
  };
  EXPECT_EQ(names(Filter("free-tier-eligible", {"true"})),
            std::vector<std::string>({"t3.micro", "t3.small"}));
  Json i8ge_efa = {{"Filters",
                    {{{"Name", "instance-type"}, {"Values", {"i8ge.*"}}},
                     {{"Name", "network-info.efa-supported"}, {"Values", {"true"}}}}}};
  EXPECT_EQ(names(i8ge_efa), std::vector<std::string>({"i8ge.48xlarge", "i8ge.metal-48xl"}));
}

TEST_F(Ec2ResourcesTest, NewResourcesTakeTags) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string eni =
      Ok("CreateNetworkInterface",
         {{"SubnetId", Subnet(vpc, "127.16.1.0/24")}})["NetworkInterface"]["NetworkInterfaceId"];
  Ok("CreateTags", {{"Resources", {eni}}, {"Tags", {{{"Key", "role"}, {"Value", "weka"}}}}});
  Json tagged = Ok("DescribeNetworkInterfaces", Filter("tag:role", {"weka"}))["NetworkInterfaces"];
  ASSERT_EQ(tagged.size(), 1u);
  EXPECT_EQ(tagged[0]["TagSet"][0]["Value"], "weka");
  Json tags = Ok("DescribeTags", Filter("resource-type", {"network-interface"}))["Tags"];
  EXPECT_EQ(tags.size(), 1u);
}

}  // namespace
}  // namespace cf::cloud::ec2
