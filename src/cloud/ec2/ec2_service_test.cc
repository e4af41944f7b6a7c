#include "cloud/ec2/ec2_service.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <regex>

#include "cloud/ec2/cidr.h"
#include "cloud/ec2/describe.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::ec2 {
namespace {

// The NAT gateway delay is settable; everything else takes no time.
class NoLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string& name) const override {
    return name == "ec2:NatGateway" ? nat_delay : std::chrono::nanoseconds(0);
  }
  std::chrono::nanoseconds nat_delay{0};
};

class Ec2ServiceTest : public ::testing::Test {
 protected:
  Ec2ServiceTest()
      : store_(std::move(Store::Open("").value())),
        random_(3),
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

  std::string Vpc(const std::string& cidr) {
    return Ok("CreateVpc", {{"CidrBlock", cidr}})["Vpc"]["VpcId"];
  }

  std::unique_ptr<Store> store_;
  FakeClock clock_;
  SeededRandom random_;
  IdGenerator ids_;
  CredentialStore credentials_;
  NoLatency latency_;
  Ec2Service service_;
};

TEST(CidrTest, ParsesContainsAndOverlaps) {
  auto vpc = ParseCidr("127.16.0.0/16");
  ASSERT_TRUE(vpc);
  EXPECT_EQ(vpc->ToString(), "127.16.0.0/16");
  EXPECT_TRUE(vpc->Contains(*ParseCidr("127.16.3.0/24")));
  EXPECT_FALSE(vpc->Contains(*ParseCidr("127.17.0.0/24")));
  EXPECT_TRUE(ParseCidr("127.16.0.0/24")->Overlaps(*ParseCidr("127.16.0.128/25")));
  EXPECT_FALSE(ParseCidr("127.16.0.0/25")->Overlaps(*ParseCidr("127.16.0.128/25")));
  for (const char* bad :
       {"127.16.0.1/16", "127.16.0/16", "300.0.0.0/8", "1.2.3.4/33", "x", "1.2.3.4/", "1.2.3.4"}) {
    EXPECT_FALSE(ParseCidr(bad)) << bad;
  }
}

TEST_F(Ec2ServiceTest, VpcCidrMustBeLoopback) {
  ServiceResult r = Call("CreateVpc", {{"CidrBlock", "10.0.0.0/16"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidVpc.Range");
  EXPECT_NE(r.error().message.find("127.0.0.0/8"), std::string::npos);
  EXPECT_EQ(ErrorCode("CreateVpc", {{"CidrBlock", "127.0.0.0/8"}}), "InvalidVpc.Range");
  EXPECT_EQ(ErrorCode("CreateVpc", {{"CidrBlock", "127.0.0.1/16"}}), "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("CreateVpc", Json::object()), "MissingParameter");
}

TEST_F(Ec2ServiceTest, CreateVpcReturnsAnAwsShapedVpc) {
  Json vpc =
      Ok("CreateVpc",
         {{"CidrBlock", "127.16.0.0/16"},
          {"TagSpecifications",
           {{{"ResourceType", "vpc"}, {"Tags", {{{"Key", "Name"}, {"Value", "main"}}}}}}}})["Vpc"];
  EXPECT_TRUE(std::regex_match(vpc["VpcId"].get<std::string>(), std::regex("vpc-[0-9a-f]{17}")));
  EXPECT_EQ(vpc["State"], "available");
  EXPECT_EQ(vpc["OwnerId"], "000000000000");
  EXPECT_EQ(vpc["CidrBlockAssociationSet"][0]["CidrBlockState"]["State"], "associated");
  EXPECT_EQ(vpc["Tags"][0]["Value"], "main");
  EXPECT_FALSE(vpc.contains("_attributes"));
}

TEST_F(Ec2ServiceTest, SubnetsStayInsideTheirVpcWithoutOverlap) {
  std::string vpc = Vpc("127.16.0.0/16");
  Json subnet = Ok("CreateSubnet", {{"VpcId", vpc},
                                    {"CidrBlock", "127.16.1.0/24"},
                                    {"AvailabilityZone", "us-east-1b"}})["Subnet"];
  EXPECT_EQ(subnet["AvailableIpAddressCount"], 251);
  EXPECT_EQ(subnet["AvailabilityZoneId"], "use1-az2");
  EXPECT_EQ(subnet["SubnetArn"],
            "arn:aws:ec2:us-east-1:000000000000:subnet/" + subnet["SubnetId"].get<std::string>());
  EXPECT_EQ(ErrorCode("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "127.16.1.64/26"}}),
            "InvalidSubnet.Conflict");
  EXPECT_EQ(ErrorCode("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "127.17.0.0/24"}}),
            "InvalidSubnet.Range");
  EXPECT_EQ(ErrorCode("CreateSubnet", {{"VpcId", vpc},
                                       {"CidrBlock", "127.16.2.0/24"},
                                       {"AvailabilityZone", "us-east-1z"}}),
            "InvalidParameterValue");
  EXPECT_EQ(ErrorCode("CreateSubnet",
                      {{"VpcId", "vpc-00000000000000000"}, {"CidrBlock", "127.16.2.0/24"}}),
            "InvalidVpcID.NotFound");
  Json by_zone_id = Ok("CreateSubnet", {{"VpcId", vpc},
                                        {"CidrBlock", "127.16.2.0/28"},
                                        {"AvailabilityZoneId", "use1-az3"}})["Subnet"];
  EXPECT_EQ(by_zone_id["AvailabilityZone"], "us-east-1c");
  EXPECT_EQ(by_zone_id["AvailableIpAddressCount"], 11);
}

TEST_F(Ec2ServiceTest, DeleteVpcWithSubnetsIsADependencyViolation) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string subnet =
      Ok("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "127.16.1.0/24"}})["Subnet"]["SubnetId"];
  EXPECT_EQ(ErrorCode("DeleteVpc", {{"VpcId", vpc}}), "DependencyViolation");
  Ok("DeleteSubnet", {{"SubnetId", subnet}});
  Ok("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_EQ(ErrorCode("DeleteVpc", {{"VpcId", vpc}}), "InvalidVpcID.NotFound");
  EXPECT_EQ(ErrorCode("DescribeVpcs", {{"VpcIds", {vpc}}}), "InvalidVpcID.NotFound");
}

TEST_F(Ec2ServiceTest, TagsAndFiltersSelectResources) {
  std::string a = Vpc("127.16.0.0/16");
  std::string b = Vpc("127.17.0.0/16");
  Ok("CreateTags", {{"Resources", {a, b}}, {"Tags", {{{"Key", "team"}, {"Value", "storage"}}}}});
  Ok("CreateTags", {{"Resources", {a}}, {"Tags", {{{"Key", "Name"}, {"Value", "web-1"}}}}});

  auto ids = [](const Json& out) {
    std::vector<std::string> v;
    for (const Json& vpc : out["Vpcs"]) {
      v.push_back(vpc["VpcId"]);
    }
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(ids(Ok("DescribeVpcs", {{"Filters", {{{"Name", "tag:Name"}, {"Values", {"web-*"}}}}}})),
            std::vector<std::string>{a});
  std::vector<std::string> both = {a, b};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(ids(Ok("DescribeVpcs", {{"Filters", {{{"Name", "tag-key"}, {"Values", {"team"}}}}}})),
            both);
  EXPECT_EQ(
      ids(Ok("DescribeVpcs", {{"Filters", {{{"Name", "cidr"}, {"Values", {"127.17.0.0/16"}}}}}})),
      std::vector<std::string>{b});
  EXPECT_EQ(ErrorCode("DescribeVpcs", {{"Filters", {{{"Name", "colour"}, {"Values", {"x"}}}}}}),
            "InvalidParameterValue");

  // DeleteTags with a value removes only a matching tag; without, the key.
  Ok("DeleteTags", {{"Resources", {a}}, {"Tags", {{{"Key", "team"}, {"Value", "other"}}}}});
  EXPECT_EQ(ids(Ok("DescribeVpcs", {{"Filters", {{{"Name", "tag-key"}, {"Values", {"team"}}}}}})),
            both);
  Ok("DeleteTags", {{"Resources", {a}}, {"Tags", {{{"Key", "team"}}}}});
  EXPECT_EQ(ids(Ok("DescribeVpcs", {{"Filters", {{{"Name", "tag-key"}, {"Values", {"team"}}}}}})),
            std::vector<std::string>{b});
  EXPECT_EQ(ErrorCode("CreateTags",
                      {{"Resources", {"vpc-00000000000000000"}}, {"Tags", {{{"Key", "k"}}}}}),
            "InvalidVpcID.NotFound");
  EXPECT_EQ(ErrorCode("CreateTags", {{"Resources", {a}}, {"Tags", {{{"Key", "aws:x"}}}}}),
            "InvalidParameterValue");
}

TEST_F(Ec2ServiceTest, DescribePaginatesInIdOrder) {
  std::vector<std::string> created;
  for (int i = 0; i < 7; ++i) {
    created.push_back(Vpc(fmt::format("127.{}.0.0/16", 20 + i)));
  }
  std::sort(created.begin(), created.end());
  std::vector<std::string> seen;
  // The region's default VPC is left out by its filter.
  Json input = {{"MaxResults", 5}, {"Filters", {{{"Name", "is-default"}, {"Values", {"false"}}}}}};
  int pages = 0;
  while (true) {
    Json out = Ok("DescribeVpcs", input);
    ++pages;
    for (const Json& vpc : out["Vpcs"]) {
      seen.push_back(vpc["VpcId"]);
    }
    if (!out.contains("NextToken")) {
      break;
    }
    input["NextToken"] = out["NextToken"];
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen, created);
  EXPECT_EQ(ErrorCode("DescribeVpcs", {{"MaxResults", 2}}), "InvalidParameterValue");
}

TEST_F(Ec2ServiceTest, ResourcesBelongToTheirRegion) {
  std::string vpc = Vpc("127.16.0.0/16");
  ServiceResult r = Call("DescribeVpcs", Json::object(), "eu-west-1");
  ASSERT_TRUE(r.ok());
  // Only eu-west-1's own default VPC.
  ASSERT_EQ(r.output()["Vpcs"].size(), 1u);
  EXPECT_NE(r.output()["Vpcs"][0]["VpcId"], vpc);
  EXPECT_EQ(r.output()["Vpcs"][0]["IsDefault"], true);
}

TEST_F(Ec2ServiceTest, VpcDnsAttributes) {
  std::string vpc = Vpc("127.16.0.0/16");
  EXPECT_EQ(
      Ok("DescribeVpcAttribute",
         {{"VpcId", vpc}, {"Attribute", "enableDnsHostnames"}})["EnableDnsHostnames"]["Value"],
      false);
  Ok("ModifyVpcAttribute", {{"VpcId", vpc}, {"EnableDnsHostnames", {{"Value", true}}}});
  EXPECT_EQ(
      Ok("DescribeVpcAttribute",
         {{"VpcId", vpc}, {"Attribute", "enableDnsHostnames"}})["EnableDnsHostnames"]["Value"],
      true);
  // Network address usage metrics (Terraform's aws_vpc reads it after every create): off.
  auto metrics = [&] {
    return Ok("DescribeVpcAttribute",
              {{"VpcId", vpc},
               {"Attribute",
                "enableNetworkAddressUsageMetrics"}})["EnableNetworkAddressUsageMetrics"]["Value"];
  };
  EXPECT_EQ(metrics(), false);
  Ok("ModifyVpcAttribute",
     {{"VpcId", vpc}, {"EnableNetworkAddressUsageMetrics", {{"Value", true}}}});
  EXPECT_EQ(metrics(), true);
  EXPECT_EQ(ErrorCode("DescribeVpcAttribute", {{"VpcId", vpc}, {"Attribute", "nonsense"}}),
            "InvalidParameterValue");
}

TEST_F(Ec2ServiceTest, RegionCatalogue) {
  Json zones = Ok("DescribeAvailabilityZones", Json::object())["AvailabilityZones"];
  ASSERT_EQ(zones.size(), 3u);
  EXPECT_EQ(zones[0]["ZoneName"], "us-east-1a");
  EXPECT_EQ(zones[2]["ZoneId"], "use1-az3");
  EXPECT_EQ(ZoneIdPrefix("ap-southeast-2"), "apse2");
  EXPECT_EQ(ZoneIdPrefix("eu-central-1"), "euc1");
  Json regions = Ok("DescribeRegions", {{"RegionNames", {"eu-west-1"}}})["Regions"];
  ASSERT_EQ(regions.size(), 1u);
  EXPECT_EQ(regions[0]["Endpoint"], "ec2.eu-west-1.amazonaws.com");
}

TEST_F(Ec2ServiceTest, DryRunChangesNothing) {
  EXPECT_EQ(ErrorCode("CreateVpc", {{"CidrBlock", "127.16.0.0/16"}, {"DryRun", true}}),
            "DryRunOperation");
  Json vpcs = Ok("DescribeVpcs", Json::object())["Vpcs"];
  ASSERT_EQ(vpcs.size(), 1u);
  EXPECT_EQ(vpcs[0]["IsDefault"], true);
}

TEST_F(Ec2ServiceTest, InternetGatewayAttachDetachAndDependencies) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string other = Vpc("127.17.0.0/16");
  std::string igw =
      Ok("CreateInternetGateway", Json::object())["InternetGateway"]["InternetGatewayId"];
  EXPECT_TRUE(std::regex_match(igw, std::regex("igw-[0-9a-f]{17}")));
  Ok("AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  EXPECT_EQ(ErrorCode("AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", other}}),
            "Resource.AlreadyAssociated");
  std::string igw2 =
      Ok("CreateInternetGateway", Json::object())["InternetGateway"]["InternetGatewayId"];
  EXPECT_EQ(ErrorCode("AttachInternetGateway", {{"InternetGatewayId", igw2}, {"VpcId", vpc}}),
            "Resource.AlreadyAssociated");
  EXPECT_EQ(ErrorCode("DeleteInternetGateway", {{"InternetGatewayId", igw}}),
            "DependencyViolation");
  EXPECT_EQ(ErrorCode("DeleteVpc", {{"VpcId", vpc}}), "DependencyViolation");
  Json described = Ok("DescribeInternetGateways",
                      {{"Filters", {{{"Name", "attachment.vpc-id"}, {"Values", {vpc}}}}}});
  ASSERT_EQ(described["InternetGateways"].size(), 1u);
  EXPECT_EQ(described["InternetGateways"][0]["Attachments"][0]["State"], "available");
  EXPECT_EQ(ErrorCode("DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", other}}),
            "Gateway.NotAttached");
  Ok("DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  Ok("DeleteInternetGateway", {{"InternetGatewayId", igw}});
  Ok("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_EQ(ErrorCode("DescribeInternetGateways", {{"InternetGatewayIds", {igw}}}),
            "InvalidInternetGatewayID.NotFound");
}

TEST_F(Ec2ServiceTest, EveryVpcHasADefaultSecurityGroupThatGoesWithIt) {
  std::string vpc = Vpc("127.16.0.0/16");
  Json groups = Ok("DescribeSecurityGroups",
                   {{"Filters", {{{"Name", "vpc-id"}, {"Values", {vpc}}}}}})["SecurityGroups"];
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0]["GroupName"], "default");
  std::string id = groups[0]["GroupId"];
  // Ingress from itself, egress anywhere.
  EXPECT_EQ(groups[0]["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"], id);
  EXPECT_EQ(groups[0]["IpPermissionsEgress"][0]["IpRanges"][0]["CidrIp"], "0.0.0.0/0");
  EXPECT_EQ(ErrorCode("DeleteSecurityGroup", {{"GroupId", id}}), "CannotDelete");
  Ok("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_EQ(ErrorCode("DescribeSecurityGroups", {{"GroupIds", {id}}}), "InvalidGroup.NotFound");
}

TEST_F(Ec2ServiceTest, SecurityGroupRulesFromCidrsIpv6GroupsAndSelf) {
  std::string vpc = Vpc("127.16.0.0/16");
  std::string lb =
      Ok("CreateSecurityGroup",
         {{"GroupName", "lb"}, {"Description", "load balancer"}, {"VpcId", vpc}})["GroupId"];
  std::string backend =
      Ok("CreateSecurityGroup",
         {{"GroupName", "backend"}, {"Description", "weka backends"}, {"VpcId", vpc}})["GroupId"];
  EXPECT_EQ(ErrorCode("CreateSecurityGroup",
                      {{"GroupName", "lb"}, {"Description", "again"}, {"VpcId", vpc}}),
            "InvalidGroup.Duplicate");
  Json added = Ok("AuthorizeSecurityGroupIngress",
                  {{"GroupId", backend},
                   {"IpPermissions",
                    {{{"IpProtocol", "tcp"},
                      {"FromPort", 14000},
                      {"ToPort", 14100},
                      {"IpRanges", {{{"CidrIp", "127.16.0.0/16"}, {"Description", "cluster"}}}},
                      {"Ipv6Ranges", {{{"CidrIpv6", "::/0"}}}},
                      {"UserIdGroupPairs", {{{"GroupId", lb}}, {{"GroupId", backend}}}}}}}});
  ASSERT_EQ(added["SecurityGroupRules"].size(), 4u);
  EXPECT_TRUE(
      std::regex_match(added["SecurityGroupRules"][0]["SecurityGroupRuleId"].get<std::string>(),
                       std::regex("sgr-[0-9a-f]{17}")));
  EXPECT_EQ(ErrorCode("AuthorizeSecurityGroupIngress",
                      {{"GroupId", backend},
                       {"IpPermissions",
                        {{{"IpProtocol", "tcp"},
                          {"FromPort", 14000},
                          {"ToPort", 14100},
                          {"IpRanges", {{{"CidrIp", "127.16.0.0/16"}}}}}}}}),
            "InvalidPermission.Duplicate");
  EXPECT_EQ(ErrorCode("AuthorizeSecurityGroupIngress",
                      {{"GroupId", backend},
                       {"IpPermissions",
                        {{{"IpProtocol", "tcp"},
                          {"FromPort", 10},
                          {"ToPort", 5},
                          {"IpRanges", {{{"CidrIp", "127.16.0.0/16"}}}}}}}}),
            "InvalidParameterValue");

  Json group = Ok("DescribeSecurityGroups", {{"GroupIds", {backend}}})["SecurityGroups"][0];
  ASSERT_EQ(group["IpPermissions"].size(), 1u);
  const Json& permission = group["IpPermissions"][0];
  EXPECT_EQ(permission["FromPort"], 14000);
  EXPECT_EQ(permission["IpRanges"][0]["Description"], "cluster");
  EXPECT_EQ(permission["Ipv6Ranges"][0]["CidrIpv6"], "::/0");
  EXPECT_EQ(permission["UserIdGroupPairs"].size(), 2u);

  // lb is referenced by backend's rules: it cannot go until the rule does.
  EXPECT_EQ(ErrorCode("DeleteSecurityGroup", {{"GroupId", lb}}), "DependencyViolation");
  Ok("RevokeSecurityGroupIngress", {{"GroupId", backend},
                                    {"IpPermissions",
                                     {{{"IpProtocol", "tcp"},
                                       {"FromPort", 14000},
                                       {"ToPort", 14100},
                                       {"UserIdGroupPairs", {{{"GroupId", lb}}}}}}}});
  EXPECT_EQ(
      ErrorCode("RevokeSecurityGroupIngress", {{"GroupId", backend},
                                               {"IpPermissions",
                                                {{{"IpProtocol", "tcp"},
                                                  {"FromPort", 14000},
                                                  {"ToPort", 14100},
                                                  {"UserIdGroupPairs", {{{"GroupId", lb}}}}}}}}),
      "InvalidPermission.NotFound");
  Ok("DeleteSecurityGroup", {{"GroupId", lb}});

  // Egress: the default allow-all rule can be revoked by its id.
  Json rules =
      Ok("DescribeSecurityGroupRules",
         {{"Filters", {{{"Name", "group-id"}, {"Values", {backend}}}}}})["SecurityGroupRules"];
  std::string egress_id;
  for (const Json& rule : rules) {
    if (rule["IsEgress"].get<bool>()) {
      egress_id = rule["SecurityGroupRuleId"];
    }
  }
  ASSERT_FALSE(egress_id.empty());
  Ok("RevokeSecurityGroupEgress", {{"GroupId", backend}, {"SecurityGroupRuleIds", {egress_id}}});
  EXPECT_TRUE(Ok("DescribeSecurityGroups",
                 {{"GroupIds", {backend}}})["SecurityGroups"][0]["IpPermissionsEgress"]
                  .empty());
  EXPECT_EQ(ErrorCode("DeleteVpc", {{"VpcId", vpc}}), "DependencyViolation");
}

TEST_F(Ec2ServiceTest, CreateKeyPairReturnsARealPrivateKeyOnce) {
  Json created = Ok("CreateKeyPair", {{"KeyName", "admin"}});
  EXPECT_EQ(created["KeyMaterial"].get<std::string>().rfind("-----BEGIN RSA PRIVATE KEY-----", 0),
            0u);
  EXPECT_TRUE(std::regex_match(created["KeyFingerprint"].get<std::string>(),
                               std::regex("([0-9a-f]{2}:){19}[0-9a-f]{2}")));
  EXPECT_TRUE(
      std::regex_match(created["KeyPairId"].get<std::string>(), std::regex("key-[0-9a-f]{17}")));
  EXPECT_EQ(ErrorCode("CreateKeyPair", {{"KeyName", "admin"}}), "InvalidKeyPair.Duplicate");

  Json described = Ok("DescribeKeyPairs", {{"KeyNames", {"admin"}}, {"IncludePublicKey", true}});
  ASSERT_EQ(described["KeyPairs"].size(), 1u);
  const Json& info = described["KeyPairs"][0];
  EXPECT_EQ(info["KeyFingerprint"], created["KeyFingerprint"]);
  EXPECT_EQ(info["KeyType"], "rsa");
  EXPECT_FALSE(info.contains("KeyMaterial"));
  std::string public_key = info["PublicKey"];
  EXPECT_EQ(public_key.rfind("ssh-rsa AAAA", 0), 0u) << public_key;

  // The public half imports as another key pair, with EC2's MD5 fingerprint for imports.
  Json imported = Ok("ImportKeyPair", {{"KeyName", "copy"}, {"PublicKeyMaterial", public_key}});
  EXPECT_TRUE(std::regex_match(imported["KeyFingerprint"].get<std::string>(),
                               std::regex("([0-9a-f]{2}:){15}[0-9a-f]{2}")));
  EXPECT_EQ(ErrorCode("ImportKeyPair", {{"KeyName", "bad"}, {"PublicKeyMaterial", "ssh-rsa !!"}}),
            "InvalidKey.Format");

  Json ed = Ok("CreateKeyPair", {{"KeyName", "ed"}, {"KeyType", "ed25519"}});
  EXPECT_NE(ed["KeyMaterial"].get<std::string>().find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(Ok("DescribeKeyPairs",
               {{"Filters", {{{"Name", "key-type"}, {"Values", {"ed25519"}}}}}})["KeyPairs"]
                .size(),
            1u);

  Ok("DeleteKeyPair", {{"KeyName", "admin"}});
  Ok("DeleteKeyPair", {{"KeyName", "admin"}});  // idempotent, as in EC2
  EXPECT_EQ(ErrorCode("DescribeKeyPairs", {{"KeyNames", {"admin"}}}), "InvalidKeyPair.NotFound");
}

TEST_F(Ec2ServiceTest, RouteTablesRoutesAndAssociations) {
  std::string vpc = Vpc("127.16.0.0/16");
  Json main_tables = Ok("DescribeRouteTables",
                        {{"Filters",
                          {{{"Name", "vpc-id"}, {"Values", {vpc}}},
                           {{"Name", "association.main"}, {"Values", {"true"}}}}}})["RouteTables"];
  ASSERT_EQ(main_tables.size(), 1u);
  EXPECT_EQ(main_tables[0]["Routes"][0]["GatewayId"], "local");
  EXPECT_EQ(main_tables[0]["Routes"][0]["DestinationCidrBlock"], "127.16.0.0/16");
  std::string main_id = main_tables[0]["RouteTableId"];
  EXPECT_EQ(ErrorCode("DeleteRouteTable", {{"RouteTableId", main_id}}), "DependencyViolation");

  std::string subnet =
      Ok("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "127.16.1.0/24"}})["Subnet"]["SubnetId"];
  std::string igw =
      Ok("CreateInternetGateway", Json::object())["InternetGateway"]["InternetGatewayId"];
  std::string table = Ok("CreateRouteTable", {{"VpcId", vpc}})["RouteTable"]["RouteTableId"];
  EXPECT_TRUE(std::regex_match(table, std::regex("rtb-[0-9a-f]{17}")));
  // A route to a gateway that is not attached to the VPC is refused.
  EXPECT_EQ(ErrorCode("CreateRoute", {{"RouteTableId", table},
                                      {"DestinationCidrBlock", "0.0.0.0/0"},
                                      {"GatewayId", igw}}),
            "InvalidParameterValue");
  Ok("AttachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  Ok("CreateRoute",
     {{"RouteTableId", table}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"GatewayId", igw}});
  EXPECT_EQ(ErrorCode("CreateRoute", {{"RouteTableId", table},
                                      {"DestinationCidrBlock", "0.0.0.0/0"},
                                      {"GatewayId", igw}}),
            "RouteAlreadyExists");
  std::string association =
      Ok("AssociateRouteTable", {{"RouteTableId", table}, {"SubnetId", subnet}})["AssociationId"];
  EXPECT_EQ(ErrorCode("AssociateRouteTable", {{"RouteTableId", main_id}, {"SubnetId", subnet}}),
            "Resource.AlreadyAssociated");
  Json by_subnet =
      Ok("DescribeRouteTables",
         {{"Filters", {{{"Name", "association.subnet-id"}, {"Values", {subnet}}}}}})["RouteTables"];
  ASSERT_EQ(by_subnet.size(), 1u);
  EXPECT_EQ(by_subnet[0]["RouteTableId"], table);
  EXPECT_EQ(by_subnet[0]["Routes"][1]["GatewayId"], igw);

  EXPECT_EQ(ErrorCode("DeleteRouteTable", {{"RouteTableId", table}}), "DependencyViolation");
  EXPECT_EQ(ErrorCode("DeleteRoute",
                      {{"RouteTableId", table}, {"DestinationCidrBlock", "127.16.0.0/16"}}),
            "InvalidParameterValue");
  Ok("DeleteRoute", {{"RouteTableId", table}, {"DestinationCidrBlock", "0.0.0.0/0"}});
  EXPECT_EQ(
      ErrorCode("DeleteRoute", {{"RouteTableId", table}, {"DestinationCidrBlock", "0.0.0.0/0"}}),
      "InvalidRoute.NotFound");
  Ok("DisassociateRouteTable", {{"AssociationId", association}});
  EXPECT_EQ(ErrorCode("DisassociateRouteTable", {{"AssociationId", association}}),
            "InvalidAssociationID.NotFound");
  EXPECT_EQ(ErrorCode("DeleteVpc", {{"VpcId", vpc}}), "DependencyViolation");
  Ok("DeleteRouteTable", {{"RouteTableId", table}});
  Ok("DeleteSubnet", {{"SubnetId", subnet}});
  Ok("DetachInternetGateway", {{"InternetGatewayId", igw}, {"VpcId", vpc}});
  Ok("DeleteVpc", {{"VpcId", vpc}});
  EXPECT_EQ(ErrorCode("DescribeRouteTables", {{"RouteTableIds", {main_id}}}),
            "InvalidRouteTableID.NotFound");
}

TEST_F(Ec2ServiceTest, NatGatewayIsPendingForTheProfilesDelayThenAvailable) {
  latency_.nat_delay = std::chrono::seconds(60);
  std::string vpc = Vpc("127.16.0.0/16");
  std::string subnet =
      Ok("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "127.16.1.0/24"}})["Subnet"]["SubnetId"];
  Json eip = Ok("AllocateAddress", {{"Domain", "vpc"}});
  EXPECT_EQ(eip["PublicIp"], "127.200.0.1");
  EXPECT_EQ(Ok("AllocateAddress", Json::object())["PublicIp"], "127.200.0.2");
  std::string allocation = eip["AllocationId"];
  Json nat =
      Ok("CreateNatGateway", {{"SubnetId", subnet}, {"AllocationId", allocation}})["NatGateway"];
  std::string id = nat["NatGatewayId"];
  EXPECT_EQ(nat["State"], "pending");
  EXPECT_EQ(nat["VpcId"], vpc);
  EXPECT_EQ(nat["NatGatewayAddresses"][0]["PublicIp"], "127.200.0.1");

  clock_.Advance(std::chrono::seconds(59));
  EXPECT_EQ(Ok("DescribeNatGateways", {{"NatGatewayIds", {id}}})["NatGateways"][0]["State"],
            "pending");
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(Ok("DescribeNatGateways",
               {{"Filter", {{{"Name", "state"}, {"Values", {"available"}}}}}})["NatGateways"]
                .size(),
            1u);

  std::string table = Ok("CreateRouteTable", {{"VpcId", vpc}})["RouteTable"]["RouteTableId"];
  Ok("CreateRoute",
     {{"RouteTableId", table}, {"DestinationCidrBlock", "0.0.0.0/0"}, {"NatGatewayId", id}});
  EXPECT_EQ(Ok("DescribeRouteTables", {{"Filters",
                                        {{{"Name", "route.nat-gateway-id"},
                                          {"Values", {id}}}}}})["RouteTables"][0]["RouteTableId"],
            table);
  // Terraform's aws_eip reads the reverse DNS attribute: none is set.
  Json attribute = Ok("DescribeAddressesAttribute",
                      {{"AllocationIds", {allocation}}, {"Attribute", "domain-name"}})["Addresses"];
  ASSERT_EQ(attribute.size(), 1u);
  EXPECT_EQ(attribute[0]["AllocationId"], allocation);
  EXPECT_FALSE(attribute[0].contains("PtrRecord"));
  EXPECT_EQ(
      ErrorCode("DescribeAddressesAttribute",
                {{"AllocationIds", {"eipalloc-0123456789abcdef0"}}, {"Attribute", "domain-name"}}),
      "InvalidAllocationID.NotFound");
  EXPECT_EQ(ErrorCode("ReleaseAddress", {{"AllocationId", allocation}}), "InvalidIPAddress.InUse");
  EXPECT_EQ(ErrorCode("DeleteSubnet", {{"SubnetId", subnet}}), "DependencyViolation");
  EXPECT_EQ(ErrorCode("CreateNatGateway", {{"SubnetId", subnet}, {"AllocationId", allocation}}),
            "Resource.AlreadyAssociated");
  Ok("DeleteNatGateway", {{"NatGatewayId", id}});
  EXPECT_EQ(Ok("DescribeNatGateways", {{"NatGatewayIds", {id}}})["NatGateways"][0]["State"],
            "deleted");
  Ok("ReleaseAddress", {{"AllocationId", allocation}});
  Ok("DeleteSubnet", {{"SubnetId", subnet}});
  EXPECT_EQ(ErrorCode("DescribeAddresses", {{"AllocationIds", {allocation}}}),
            "InvalidAllocationID.NotFound");
}

TEST_F(Ec2ServiceTest, AccountAttributes) {
  Json all = Ok("DescribeAccountAttributes", Json::object())["AccountAttributes"];
  EXPECT_GE(all.size(), 4u);
  Json platforms = Ok("DescribeAccountAttributes",
                      {{"AttributeNames", {"supported-platforms"}}})["AccountAttributes"];
  ASSERT_EQ(platforms.size(), 1u);
  EXPECT_EQ(platforms[0]["AttributeValues"][0]["AttributeValue"], "VPC");
}

}  // namespace
}  // namespace cf::cloud::ec2
