#include "cloud/route53/route53_service.h"

#include <gtest/gtest.h>

#include <chrono>

#include "testing/service_harness.h"

namespace cf::cloud::route53 {
namespace {

class Route53ServiceTest : public testing::ServiceTest {
 protected:
  Route53ServiceTest() : service_(Context()) { Serve(service_); }

  // A public zone's bare id ("Z...").
  std::string CreateZone(const std::string& name, const std::string& reference) {
    Json out = Ok("CreateHostedZone", {{"Name", name}, {"CallerReference", reference}});
    std::string id = out["HostedZone"].value("Id", "");
    return id.substr(id.rfind('/') + 1);
  }

  static Json Change(const std::string& action, const std::string& name, const std::string& ip) {
    return {{"Action", action},
            {"ResourceRecordSet",
             {{"Name", name}, {"Type", "A"}, {"TTL", 60}, {"ResourceRecords", {{{"Value", ip}}}}}}};
  }

  Route53Service service_;
};

TEST_F(Route53ServiceTest, ZonesStartWithSoaAndNsAndReferencesAreUnique) {
  Json out = Ok("CreateHostedZone", {{"Name", "Example.COM"}, {"CallerReference", "r1"}});
  EXPECT_EQ(out["HostedZone"]["Name"], "example.com.");
  EXPECT_EQ(out["HostedZone"]["ResourceRecordSetCount"], 2);
  EXPECT_EQ(out["DelegationSet"]["NameServers"].size(), 4u);
  std::string id = out["HostedZone"]["Id"];
  Json sets = Ok("ListResourceRecordSets", {{"HostedZoneId", id}})["ResourceRecordSets"];
  ASSERT_EQ(sets.size(), 2u);
  EXPECT_EQ(sets[0]["Type"], "NS");
  EXPECT_EQ(sets[1]["Type"], "SOA");
  EXPECT_EQ(ErrorCode("CreateHostedZone", {{"Name", "other.com"}, {"CallerReference", "r1"}}),
            "HostedZoneAlreadyExists");
  EXPECT_EQ(ErrorCode("CreateHostedZone", {{"Name", "bad..name"}, {"CallerReference", "r2"}}),
            "InvalidDomainName");
  EXPECT_EQ(Ok("GetHostedZoneCount", Json::object())["HostedZoneCount"], 1);
}

TEST_F(Route53ServiceTest, ARefusedBatchChangesNothing) {
  std::string zone = CreateZone("example.com", "r");
  Ok("ChangeResourceRecordSets",
     {{"HostedZoneId", zone},
      {"ChangeBatch", {{"Changes", {Change("CREATE", "www.example.com", "10.0.0.1")}}}}});
  // The second change is refused (the record set exists), so the first is not applied either.
  ServiceResult refused =
      Call("ChangeResourceRecordSets", {{"HostedZoneId", zone},
                                        {"ChangeBatch",
                                         {{"Changes",
                                           {Change("CREATE", "api.example.com", "10.0.0.2"),
                                            Change("CREATE", "www.example.com", "10.0.0.3")}}}}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "InvalidChangeBatch");
  EXPECT_EQ(refused.error().fields["messages"].size(), 1u);
  Json sets = Ok("ListResourceRecordSets", {{"HostedZoneId", zone}})["ResourceRecordSets"];
  EXPECT_EQ(sets.size(), 3u);
  EXPECT_EQ(ErrorCode("DeleteHostedZone", {{"Id", zone}}), "HostedZoneNotEmpty");
  Ok("ChangeResourceRecordSets",
     {{"HostedZoneId", zone},
      {"ChangeBatch", {{"Changes", {Change("DELETE", "www.example.com", "10.0.0.1")}}}}});
  Ok("DeleteHostedZone", {{"Id", "/hostedzone/" + zone}});
  EXPECT_EQ(ErrorCode("GetHostedZone", {{"Id", zone}}), "NoSuchHostedZone");
}

TEST_F(Route53ServiceTest, ChangesAreInSyncOnceTheDelayHasPassed) {
  latency_.delays["route53:Change"] = std::chrono::seconds(30);
  std::string zone = CreateZone("example.com", "r");
  Json info = Ok("ChangeResourceRecordSets",
                 {{"HostedZoneId", zone},
                  {"ChangeBatch",
                   {{"Changes", {Change("UPSERT", "a.example.com", "10.0.0.1")}}}}})["ChangeInfo"];
  EXPECT_EQ(info["Status"], "PENDING");
  EXPECT_EQ(Ok("GetChange", {{"Id", info["Id"]}})["ChangeInfo"]["Status"], "PENDING");
  clock_.Advance(std::chrono::seconds(31));
  EXPECT_EQ(Ok("GetChange", {{"Id", info["Id"]}})["ChangeInfo"]["Status"], "INSYNC");
  EXPECT_EQ(ErrorCode("GetChange", {{"Id", "/change/CNOPE"}}), "NoSuchChange");
}

TEST_F(Route53ServiceTest, PrivateZonesNeedAnExistingVpcAndKeepTheirLastOne) {
  EXPECT_EQ(ErrorCode("CreateHostedZone", {{"Name", "internal.test"},
                                           {"CallerReference", "p"},
                                           {"VPC", {{"VPCId", "vpc-1"}}}}),
            "InvalidVPCId");
  ASSERT_TRUE(store_->Put("ec2/vpc", "us-east-1/vpc-1", {{"VpcId", "vpc-1"}}).ok());
  Json out =
      Ok("CreateHostedZone",
         {{"Name", "internal.test"}, {"CallerReference", "p"}, {"VPC", {{"VPCId", "vpc-1"}}}});
  EXPECT_EQ(out["HostedZone"]["Config"]["PrivateZone"], true);
  std::string zone = out["HostedZone"]["Id"];
  EXPECT_EQ(ErrorCode("DisassociateVPCFromHostedZone",
                      {{"HostedZoneId", zone}, {"VPC", {{"VPCId", "vpc-1"}}}}),
            "LastVPCAssociation");
  EXPECT_EQ(ErrorCode("AssociateVPCWithHostedZone",
                      {{"HostedZoneId", zone}, {"VPC", {{"VPCId", "vpc-1"}}}}),
            "ConflictingDomainExists");
  std::string public_zone = CreateZone("example.com", "r");
  EXPECT_EQ(ErrorCode("AssociateVPCWithHostedZone",
                      {{"HostedZoneId", public_zone}, {"VPC", {{"VPCId", "vpc-1"}}}}),
            "PublicZoneVPCAssociation");
}

TEST_F(Route53ServiceTest, TagsAndPagingAndUnreadableInput) {
  std::string zone = CreateZone("example.com", "r");
  Json target = {{"ResourceType", "hostedzone"}, {"ResourceId", zone}};
  Json change = target;
  change["AddTags"] = {{{"Key", "team"}, {"Value", "a"}}, {{"Key", "env"}, {"Value", "dev"}}};
  Ok("ChangeTagsForResource", change);
  change.erase("AddTags");
  change["RemoveTagKeys"] = {"env"};
  Ok("ChangeTagsForResource", change);
  EXPECT_EQ(Ok("ListTagsForResource", target)["ResourceTagSet"]["Tags"],
            Json::array({{{"Key", "team"}, {"Value", "a"}}}));
  CreateZone("example.org", "r2");
  Json page = Ok("ListHostedZones", {{"MaxItems", "1"}});
  EXPECT_EQ(page["HostedZones"].size(), 1u);
  EXPECT_EQ(page["IsTruncated"], true);
  EXPECT_EQ(ErrorCode("ListHostedZones", {{"MaxItems", "0"}}), "InvalidInput");
  EXPECT_EQ(ErrorCode("CreateHostedZone", {{"Name", 7}, {"CallerReference", "x"}}), "InvalidInput");
  EXPECT_EQ(Ok("GetHostedZoneCount", Json::object())["HostedZoneCount"], 2);
}

}  // namespace
}  // namespace cf::cloud::route53
