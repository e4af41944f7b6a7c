// Debian's awscli (a client nobody here wrote) against the local cloud: the EC2 resources of
// part 1's second half (placement groups, launch templates, network interfaces, VPC endpoints,
// instance types, the default VPC) and CloudWatch Logs, each surviving a restart.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "base/clock.h"
#include "cloud/cloud_server.h"
#include "cloud/loopback_client.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

using CliResult = ShellResult;

CliResult Aws(uint16_t port, const std::string& args) {
  return RunAwsCli(port, args);
}

// The JSON output of a command that must succeed.
Json AwsOk(uint16_t port, const std::string& args) {
  CliResult r = Aws(port, args);
  EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
  if (r.status == 0 && r.output.find_first_not_of(" \n") == std::string::npos) {
    return Json::object();  // calls without output print nothing
  }
  Json json = Json::parse(r.output, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << args << "\n" << r.output;
  return json.is_discarded() ? Json() : json;
}

// The output of a command that must fail, for its error code.
std::string AwsError(uint16_t port, const std::string& args) {
  CliResult r = Aws(port, args);
  EXPECT_NE(r.status, 0) << args << "\n" << r.output;
  return r.output;
}

class AwsCliScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/bin/aws")) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_awscli_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    options_.port = 0;
    options_.data_dir = dir_;
  }
  void TearDown() override {
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  std::unique_ptr<CloudServer> Start() {
    auto server = CloudServer::Start(options_, clock_, logger_);
    EXPECT_OK(server);
    return server.ok() ? std::move(server).value() : nullptr;
  }

  SystemClock clock_;
  NullLogger logger_;
  CloudOptions options_;
  std::string dir_;
};

TEST_F(AwsCliScenarioTest, Ec2TemplatesInterfacesEndpointsAndInstanceTypes) {
  std::string default_vpc;
  std::string template_id;
  std::string eni;
  std::string gateway_endpoint;
  {
    auto server = Start();
    ASSERT_NE(server, nullptr);
    uint16_t port = server->port();
    Json attributes = AwsOk(port, "ec2 describe-account-attributes --attribute-names default-vpc");
    default_vpc = attributes["AccountAttributes"][0]["AttributeValues"][0]["AttributeValue"];
    Json vpcs = AwsOk(port, "ec2 describe-vpcs --filters Name=is-default,Values=true");
    ASSERT_EQ(vpcs["Vpcs"].size(), 1u);
    EXPECT_EQ(vpcs["Vpcs"][0]["VpcId"], default_vpc);
    EXPECT_EQ(vpcs["Vpcs"][0]["CidrBlock"], "127.31.0.0/16");

    // Placement group.
    Json group = AwsOk(port,
                       "ec2 create-placement-group --group-name weka --strategy cluster "
                       "--tag-specifications 'ResourceType=placement-group,Tags=[{Key=team,"
                       "Value=storage}]'");
    EXPECT_EQ(group["PlacementGroup"]["Strategy"], "cluster");
    EXPECT_NE(AwsError(port, "ec2 create-placement-group --group-name weka --strategy spread")
                  .find("InvalidPlacementGroup.Duplicate"),
              std::string::npos);

    // Launch template with versions.
    Json created = AwsOk(port,
                         "ec2 create-launch-template --launch-template-name backend "
                         "--version-description first --launch-template-data "
                         "'{\"ImageId\":\"ami-12345678\",\"InstanceType\":\"i3en.large\","
                         "\"Placement\":{\"GroupName\":\"weka\"}}'");
    template_id = created["LaunchTemplate"]["LaunchTemplateId"];
    Json v2 =
        AwsOk(port,
              "ec2 create-launch-template-version --launch-template-name backend "
              "--source-version 1 --launch-template-data '{\"InstanceType\":\"i3en.xlarge\"}'");
    EXPECT_EQ(v2["LaunchTemplateVersion"]["VersionNumber"], 2);
    EXPECT_EQ(v2["LaunchTemplateVersion"]["LaunchTemplateData"]["ImageId"], "ami-12345678");
    AwsOk(port, "ec2 modify-launch-template --launch-template-id " + template_id +
                    " --default-version 2");
    EXPECT_NE(AwsError(port,
                       "ec2 create-launch-template --launch-template-name backend "
                       "--launch-template-data '{\"ImageId\":\"ami-87654321\"}'")
                  .find("InvalidLaunchTemplateName.AlreadyExistsException"),
              std::string::npos);

    // A network interface in a new VPC's subnet.
    std::string vpc = AwsOk(port, "ec2 create-vpc --cidr-block 127.16.0.0/16")["Vpc"]["VpcId"];
    std::string subnet = AwsOk(port, "ec2 create-subnet --vpc-id " + vpc +
                                         " --cidr-block 127.16.1.0/24")["Subnet"]["SubnetId"];
    std::string sg = AwsOk(port,
                           "ec2 create-security-group --group-name backend --description "
                           "backend --vpc-id " +
                               vpc)["GroupId"];
    Json interface = AwsOk(port, "ec2 create-network-interface --subnet-id " + subnet +
                                     " --groups " + sg + " --description 'weka backend'");
    eni = interface["NetworkInterface"]["NetworkInterfaceId"];
    EXPECT_EQ(interface["NetworkInterface"]["PrivateIpAddress"], "127.16.1.4");
    AwsOk(port, "ec2 attach-network-interface --network-interface-id " + eni +
                    " --instance-id i-0123456789abcdef0 --device-index 1");
    EXPECT_NE(AwsError(port, "ec2 delete-subnet --subnet-id " + subnet).find("DependencyViolation"),
              std::string::npos);

    // VPC endpoints.
    std::string table =
        AwsOk(port, "ec2 create-route-table --vpc-id " + vpc)["RouteTable"]["RouteTableId"];
    gateway_endpoint =
        AwsOk(port, "ec2 create-vpc-endpoint --vpc-id " + vpc +
                        " --service-name com.amazonaws.us-east-1.s3 --route-table-ids " +
                        table)["VpcEndpoint"]["VpcEndpointId"];
    Json interface_endpoint =
        AwsOk(port, "ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id " + vpc +
                        " --service-name com.amazonaws.us-east-1.sts --subnet-ids " + subnet +
                        " --security-group-ids " + sg + " --private-dns-enabled");
    EXPECT_EQ(interface_endpoint["VpcEndpoint"]["NetworkInterfaceIds"].size(), 1u);
    EXPECT_NE(AwsError(port, "ec2 create-vpc-endpoint --vpc-id " + vpc +
                                 " --service-name com.amazonaws.us-east-1.nosuch")
                  .find("InvalidServiceName"),
              std::string::npos);
    EXPECT_NE(AwsError(port, "ec2 delete-vpc --vpc-id " + vpc).find("DependencyViolation"),
              std::string::npos);

    // Instance types, with awscli's own query and pagination.
    CliResult storage = Aws(port,
                            "ec2 describe-instance-types --instance-types i3en.24xlarge --query "
                            "'InstanceTypes[0].[VCpuInfo.DefaultVCpus,MemoryInfo.SizeInMiB,"
                            "InstanceStorageInfo.TotalSizeInGB,NetworkInfo.NetworkPerformance]'");
    ASSERT_EQ(storage.status, 0) << storage.output;
    EXPECT_EQ(Json::parse(storage.output), Json({96, 786432, 60000, "100 Gigabit"}));
    Json i8ge = AwsOk(port,
                      "ec2 describe-instance-types --filters Name=instance-type,Values=i8ge.* "
                      "--page-size 5 --query 'InstanceTypes[].InstanceType'");
    EXPECT_EQ(i8ge.size(), 11u);
  }
  // Restarted on the same data directory: everything is still there.
  auto server = Start();
  ASSERT_NE(server, nullptr);
  uint16_t port = server->port();
  Json versions = AwsOk(port, "ec2 describe-launch-template-versions --launch-template-id " +
                                  template_id + " --versions '$Default' '$Latest'");
  ASSERT_EQ(versions["LaunchTemplateVersions"].size(), 1u);
  EXPECT_EQ(versions["LaunchTemplateVersions"][0]["VersionNumber"], 2);
  EXPECT_EQ(versions["LaunchTemplateVersions"][0]["DefaultVersion"], true);
  Json groups = AwsOk(port, "ec2 describe-placement-groups --group-names weka");
  EXPECT_EQ(groups["PlacementGroups"][0]["Tags"][0]["Value"], "storage");
  Json interfaces = AwsOk(port,
                          "ec2 describe-network-interfaces --filters "
                          "Name=attachment.instance-id,Values=i-0123456789abcdef0");
  ASSERT_EQ(interfaces["NetworkInterfaces"].size(), 1u);
  EXPECT_EQ(interfaces["NetworkInterfaces"][0]["NetworkInterfaceId"], eni);
  EXPECT_EQ(interfaces["NetworkInterfaces"][0]["Description"], "weka backend");
  Json endpoints = AwsOk(port, "ec2 describe-vpc-endpoints --vpc-endpoint-ids " + gateway_endpoint);
  EXPECT_EQ(endpoints["VpcEndpoints"][0]["ServiceName"], "com.amazonaws.us-east-1.s3");
  Json vpcs = AwsOk(port, "ec2 describe-vpcs --filters Name=is-default,Values=true");
  ASSERT_EQ(vpcs["Vpcs"].size(), 1u);
  EXPECT_EQ(vpcs["Vpcs"][0]["VpcId"], default_vpc);

  // `cloud reset` wipes everything; the next EC2 call makes a fresh default VPC.
  LoopbackHttpClient admin(port);
  HttpRequest reset;
  reset.method = "POST";
  reset.target = "/_clusterform/reset";
  auto reset_response = admin.Send(reset);
  ASSERT_OK(reset_response);
  EXPECT_EQ(reset_response->status, 200);
  Json fresh = AwsOk(port, "ec2 describe-vpcs");
  ASSERT_EQ(fresh["Vpcs"].size(), 1u);
  EXPECT_NE(fresh["Vpcs"][0]["VpcId"], default_vpc);
  EXPECT_EQ(fresh["Vpcs"][0]["IsDefault"], true);
}

TEST_F(AwsCliScenarioTest, CloudWatchLogsScenario) {
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  {
    auto server = Start();
    ASSERT_NE(server, nullptr);
    uint16_t port = server->port();
    AwsOk(port, "logs create-log-group --log-group-name /weka/cluster --tags team=storage");
    for (const char* name : {"/aws/lambda/one", "/aws/lambda/two"}) {
      AwsOk(port, fmt::format("logs create-log-group --log-group-name {}", name));
    }
    EXPECT_NE(AwsError(port, "logs create-log-group --log-group-name /weka/cluster")
                  .find("ResourceAlreadyExistsException"),
              std::string::npos);
    AwsOk(port, "logs put-retention-policy --log-group-name /weka/cluster --retention-in-days 7");
    EXPECT_NE(AwsError(port,
                       "logs put-retention-policy --log-group-name /weka/cluster "
                       "--retention-in-days 8")
                  .find("InvalidParameterException"),
              std::string::npos);
    AwsOk(port, "logs create-log-stream --log-group-name /weka/cluster --log-stream-name node-1");
    AwsOk(port, "logs create-log-stream --log-group-name /weka/cluster --log-stream-name node-2");
    Json put = AwsOk(port, fmt::format("logs put-log-events --log-group-name /weka/cluster "
                                       "--log-stream-name node-1 --log-events "
                                       "timestamp={},message='INFO drive added' "
                                       "timestamp={},message='ERROR drive failed'",
                                       now - 2000, now - 1000));
    EXPECT_TRUE(put.contains("nextSequenceToken"));
    AwsOk(port, fmt::format("logs put-log-events --log-group-name /weka/cluster "
                            "--log-stream-name node-2 --log-events "
                            "timestamp={},message='ERROR link down'",
                            now - 1500));
    EXPECT_NE(AwsError(port, fmt::format("logs put-log-events --log-group-name /weka/cluster "
                                         "--log-stream-name node-2 --log-events "
                                         "timestamp={},message=b timestamp={},message=a",
                                         now, now - 10))
                  .find("InvalidParameterException"),
              std::string::npos);

    Json events = AwsOk(port,
                        "logs get-log-events --log-group-name /weka/cluster --log-stream-name "
                        "node-1 --start-from-head");
    ASSERT_EQ(events["events"].size(), 2u);
    EXPECT_EQ(events["events"][0]["message"], "INFO drive added");
    EXPECT_TRUE(events.contains("nextForwardToken"));
    Json errors = AwsOk(port,
                        "logs filter-log-events --log-group-name /weka/cluster --filter-pattern "
                        "ERROR");
    ASSERT_EQ(errors["events"].size(), 2u);
    EXPECT_EQ(errors["events"][0]["logStreamName"], "node-2");
    EXPECT_EQ(errors["events"][0]["message"], "ERROR link down");
    EXPECT_EQ(errors["events"][1]["message"], "ERROR drive failed");
    Json phrase = AwsOk(port,
                        "logs filter-log-events --log-group-name /weka/cluster --filter-pattern "
                        "'\"drive failed\"' --log-stream-names node-1 node-2");
    EXPECT_EQ(phrase["events"].size(), 1u);
    // awscli follows nextToken page by page.
    Json paged = AwsOk(port, "logs filter-log-events --log-group-name /weka/cluster --page-size 1");
    EXPECT_EQ(paged["events"].size(), 3u);
    Json groups = AwsOk(port, "logs describe-log-groups --page-size 1");
    EXPECT_EQ(groups["logGroups"].size(), 3u);
    Json latest = AwsOk(port,
                        "logs describe-log-streams --log-group-name /weka/cluster --order-by "
                        "LastEventTime --descending");
    EXPECT_EQ(latest["logStreams"][0]["logStreamName"], "node-1");
    Json tags = AwsOk(port,
                      "logs list-tags-for-resource --resource-arn "
                      "arn:aws:logs:us-east-1:000000000000:log-group:/weka/cluster");
    EXPECT_EQ(tags["tags"]["team"], "storage");
    EXPECT_NE(AwsError(port,
                       "logs get-log-events --log-group-name /weka/cluster "
                       "--log-stream-name missing")
                  .find("ResourceNotFoundException"),
              std::string::npos);
  }
  auto server = Start();
  ASSERT_NE(server, nullptr);
  uint16_t port = server->port();
  Json groups = AwsOk(port, "logs describe-log-groups --log-group-name-prefix /weka");
  ASSERT_EQ(groups["logGroups"].size(), 1u);
  EXPECT_EQ(groups["logGroups"][0]["retentionInDays"], 7);
  EXPECT_EQ(groups["logGroups"][0]["arn"],
            "arn:aws:logs:us-east-1:000000000000:log-group:/weka/cluster:*");
  Json events = AwsOk(port,
                      "logs get-log-events --log-group-name /weka/cluster --log-stream-name "
                      "node-1 --start-from-head");
  ASSERT_EQ(events["events"].size(), 2u);
  EXPECT_EQ(events["events"][1]["message"], "ERROR drive failed");
  AwsOk(port, "logs delete-log-group --log-group-name /weka/cluster");
  EXPECT_NE(AwsError(port, "logs describe-log-streams --log-group-name /weka/cluster")
                .find("ResourceNotFoundException"),
            std::string::npos);
}

}  // namespace
}  // namespace cf::cloud
