// Debian's awscli against the local cloud's compute: instances that run their user data,
// whose scripts read IMDSv2 and call the local cloud with the instance role's credentials;
// an autoscaling group that replaces an instance killed through the admin API; SSM's AMI
// aliases; and bad input that changes nothing.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/base64.h"
#include "base/clock.h"
#include "cloud/cloud_server.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

Json AwsOk(uint16_t port, const std::string& args, const AwsCliKey& key = {}) {
  ShellResult r = RunAwsCli(port, args, key);
  EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
  if (r.status == 0 && r.output.find_first_not_of(" \n") == std::string::npos) {
    return Json::object();
  }
  Json json = Json::parse(r.output, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << args << "\n" << r.output;
  return json.is_discarded() ? Json() : json;
}

std::string AwsError(uint16_t port, const std::string& args) {
  ShellResult r = RunAwsCli(port, args);
  EXPECT_NE(r.status, 0) << args << "\n" << r.output;
  return r.output;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Waits up to `seconds` for `done` to hold, polling every 100 ms.
bool WaitFor(int seconds, const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

class ComputeAwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveAwsCli()) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_compute_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    CloudOptions options;
    options.port = 0;
    options.data_dir = dir_;
    options.imds_port = 0;  // hermetic: a free port per instance
    auto server = CloudServer::Start(options, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    port_ = server_->port();
  }
  void TearDown() override {
    server_.reset();
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  // A VPC with a subnet of `subnet_cidr`; returns the subnet id.
  std::string Subnet(const std::string& vpc_cidr, const std::string& subnet_cidr) {
    std::string vpc = AwsOk(port_, "ec2 create-vpc --cidr-block " + vpc_cidr)["Vpc"]["VpcId"];
    return AwsOk(port_, "ec2 create-subnet --vpc-id " + vpc + " --cidr-block " +
                            subnet_cidr)["Subnet"]["SubnetId"];
  }

  Json Instance(const std::string& id) {
    Json out = AwsOk(port_, "ec2 describe-instances --instance-ids " + id);
    return out["Reservations"][0]["Instances"][0];
  }

  ShellResult Admin(const std::string& method, const std::string& path) {
    return RunShell(fmt::format("curl -s -X {} http://127.0.0.1:{}{}", method, port_, path));
  }

  SystemClock clock_;
  NullLogger logger_;
  std::string dir_;
  std::unique_ptr<CloudServer> server_;
  uint16_t port_ = 0;
};

// The instance's own script: IMDSv2 token, metadata, IMDSv1 refused, then the AWS CLI with
// the role's credentials from IMDS.
constexpr char kUserData[] = R"SH(#!/bin/bash
EP="$AWS_EC2_METADATA_SERVICE_ENDPOINT"
TOKEN=$(curl -s -X PUT "${EP}latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
md() { curl -s -H "X-aws-ec2-metadata-token: $TOKEN" "${EP}latest/meta-data/$1"; }
ID=$(md instance-id)
echo "instance-id=$ID"
echo "type=$(md instance-type) zone=$(md placement/availability-zone) ip=$(md local-ipv4)"
echo "team=$(md tags/instance/team)"
echo "role=$(md iam/security-credentials/)"
echo "v1=$(curl -s -o /dev/null -w '%{http_code}' "${EP}latest/meta-data/instance-id")"
aws ec2 describe-instances --instance-ids "$ID" \
  --query 'Reservations[0].Instances[0].PrivateIpAddress' --output text > described.txt 2>&1
aws sts get-caller-identity --query Arn --output text > whoami.txt 2>&1
echo finished > done.txt
)SH";

TEST_F(ComputeAwsCliTest, InstanceRunsUserDataThatReadsImdsAndCallsTheCloudWithItsRole) {
  AwsOk(port_,
        "iam create-role --role-name backend-role --assume-role-policy-document "
        "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
        "{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}'");
  AwsOk(port_, "iam create-instance-profile --instance-profile-name backend-profile");
  AwsOk(port_,
        "iam add-role-to-instance-profile --instance-profile-name backend-profile --role-name "
        "backend-role");
  std::string subnet = Subnet("127.61.0.0/16", "127.61.3.0/24");
  std::string data =
      Json{{"ImageId",
            "resolve:ssm:/aws/service/ami-amazon-linux-latest/"
            "al2023-ami-kernel-6.1-x86_64"},
           {"InstanceType", "t3.small"},
           {"UserData", Base64Encode(kUserData)},
           {"IamInstanceProfile", {{"Name", "backend-profile"}}},
           {"MetadataOptions", {{"HttpTokens", "required"}, {"InstanceMetadataTags", "enabled"}}}}
          .dump();
  std::string lt = AwsOk(port_,
                         "ec2 create-launch-template --launch-template-name web "
                         "--launch-template-data '" +
                             data + "'")["LaunchTemplate"]["LaunchTemplateId"];
  Json run = AwsOk(port_, "ec2 run-instances --launch-template LaunchTemplateId=" + lt +
                              " --subnet-id " + subnet +
                              " --count 1 --tag-specifications "
                              "'ResourceType=instance,Tags=[{Key=team,Value=storage}]'");
  std::string id = run["Instances"][0]["InstanceId"];
  std::string ip = run["Instances"][0]["PrivateIpAddress"];
  EXPECT_EQ(ip, "127.61.3.4");
  std::string home = dir_ + "/instances/" + id;
  ASSERT_TRUE(WaitFor(90, [&] { return std::filesystem::exists(home + "/done.txt"); }))
      << ReadText(home + "/console.log");
  EXPECT_EQ(Trimmed(ReadText(home + "/described.txt")), ip);
  EXPECT_EQ(Trimmed(ReadText(home + "/whoami.txt")),
            "arn:aws:sts::000000000000:assumed-role/backend-role/" + id);
  std::string console = ReadText(home + "/console.log");
  EXPECT_NE(console.find("instance-id=" + id), std::string::npos) << console;
  EXPECT_NE(console.find("type=t3.small zone=us-east-1a ip=" + ip), std::string::npos) << console;
  EXPECT_NE(console.find("team=storage"), std::string::npos) << console;
  EXPECT_NE(console.find("role=backend-role"), std::string::npos) << console;
  EXPECT_NE(console.find("v1=401"), std::string::npos) << console;

  // The same output through GetConsoleOutput, and the instance healthy and running.
  Json output = AwsOk(port_, "ec2 get-console-output --instance-id " + id);
  std::string text = Base64Decode(output.value("Output", "")).value_or(output.value("Output", ""));
  EXPECT_NE(text.find("instance-id=" + id), std::string::npos);
  EXPECT_EQ(Instance(id)["State"]["Name"], "running");
  Json status = AwsOk(port_, "ec2 describe-instance-status --instance-ids " + id);
  EXPECT_EQ(status["InstanceStatuses"][0]["InstanceStatus"]["Status"], "ok");

  // Terminating ends the process group.
  Json hosted = Admin("GET", "/_clusterform/instances").Json();
  ASSERT_EQ(hosted["instances"].size(), 1u);
  int pid = hosted["instances"][0]["pid"];
  EXPECT_EQ(kill(pid, 0), 0);
  AwsOk(port_, "ec2 terminate-instances --instance-ids " + id);
  EXPECT_TRUE(WaitFor(5, [&] { return kill(pid, 0) != 0; }));
  EXPECT_EQ(Instance(id)["State"]["Name"], "terminated");
}

TEST_F(ComputeAwsCliTest, AutoScalingGroupReplacesAnInstanceKilledThroughTheAdminApi) {
  std::string subnet = Subnet("127.62.0.0/16", "127.62.1.0/24");
  AwsOk(port_,
        "ec2 create-launch-template --launch-template-name asg --launch-template-data "
        "'{\"ImageId\":\"ami-0a3c3a20c09d6f377\",\"InstanceType\":\"t3.micro\"}'");
  AwsOk(port_,
        "autoscaling create-auto-scaling-group --auto-scaling-group-name backends "
        "--launch-template LaunchTemplateName=asg,Version='$Latest' --min-size 3 --max-size 5 "
        "--desired-capacity 3 --vpc-zone-identifier " +
            subnet +
            " --target-group-arns "
            "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123 "
            "--tags Key=cluster,Value=c1,PropagateAtLaunch=true");
  auto in_service = [&] {
    Json groups = AwsOk(port_,
                        "autoscaling describe-auto-scaling-groups --auto-scaling-group-names "
                        "backends");
    std::vector<std::string> ids;
    for (const Json& instance : groups["AutoScalingGroups"][0]["Instances"]) {
      if (instance["LifecycleState"] == "InService") {
        ids.push_back(instance["InstanceId"]);
      }
    }
    return ids;
  };
  std::vector<std::string> ids;
  ASSERT_TRUE(WaitFor(30, [&] { return (ids = in_service()).size() == 3; }));
  Json group =
      AwsOk(port_, "autoscaling describe-auto-scaling-groups --auto-scaling-group-names backends");
  EXPECT_EQ(group["AutoScalingGroups"][0]["TargetGroupARNs"][0],
            "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123");
  std::string victim = ids[1];
  ShellResult killed = Admin("POST", "/_clusterform/instances/" + victim + "/kill");
  EXPECT_EQ(killed.Json().value("killed", ""), victim) << killed.output;
  Json status = AwsOk(port_, "ec2 describe-instance-status --instance-ids " + victim);
  if (!status["InstanceStatuses"].empty()) {  // unless the reconciler was quicker
    EXPECT_EQ(status["InstanceStatuses"][0]["InstanceStatus"]["Status"], "impaired");
  }
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor(30, [&] {
    ids = in_service();
    return ids.size() == 3 && std::find(ids.begin(), ids.end(), victim) == ids.end();
  }));
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RecordProperty("replacement_seconds", fmt::format("{:.2f}", seconds));
  EXPECT_EQ(Instance(victim)["State"]["Name"], "terminated");
  Json activities = AwsOk(port_,
                          "autoscaling describe-scaling-activities --auto-scaling-group-name "
                          "backends");
  bool terminated_activity = false;
  for (const Json& activity : activities["Activities"]) {
    terminated_activity =
        terminated_activity || activity["Description"] == "Terminating EC2 instance: " + victim;
  }
  EXPECT_TRUE(terminated_activity);
  // Scale-in protection: protected instances survive a lower desired capacity.
  AwsOk(port_,
        "autoscaling set-instance-protection --auto-scaling-group-name backends "
        "--protected-from-scale-in --instance-ids " +
            ids[0] + " " + ids[1] + " " + ids[2]);
  AwsOk(port_,
        "autoscaling update-auto-scaling-group --auto-scaling-group-name backends "
        "--min-size 0 --desired-capacity 1");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(in_service().size(), 3u);
  EXPECT_NE(AwsError(port_,
                     "autoscaling delete-auto-scaling-group --auto-scaling-group-name "
                     "backends")
                .find("ResourceInUse"),
            std::string::npos);
  AwsOk(port_,
        "autoscaling delete-auto-scaling-group --auto-scaling-group-name backends "
        "--force-delete");
}

TEST_F(ComputeAwsCliTest, BadInputGetsAwsErrorsAndChangesNothing) {
  std::string subnet = Subnet("127.63.0.0/16", "127.63.0.0/28");
  EXPECT_NE(AwsError(port_,
                     "ec2 run-instances --launch-template "
                     "LaunchTemplateId=lt-0123456789abcdef0 --count 1")
                .find("InvalidLaunchTemplateId.NotFound"),
            std::string::npos);
  EXPECT_NE(AwsError(port_,
                     "ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type "
                     "t3.micro --subnet-id " +
                         subnet + " --count 12")
                .find("InsufficientFreeAddressesInSubnet"),
            std::string::npos);
  EXPECT_NE(AwsError(port_,
                     "autoscaling create-auto-scaling-group --auto-scaling-group-name g "
                     "--launch-template LaunchTemplateName=missing --min-size 1 --max-size 1 "
                     "--vpc-zone-identifier " +
                         subnet)
                .find("ValidationError"),
            std::string::npos);
  EXPECT_TRUE(AwsOk(port_, "ec2 describe-instances")["Reservations"].empty());
  Json subnets = AwsOk(port_, "ec2 describe-subnets --subnet-ids " + subnet);
  EXPECT_EQ(subnets["Subnets"][0]["AvailableIpAddressCount"], 11);
  EXPECT_TRUE(
      AwsOk(port_, "autoscaling describe-auto-scaling-groups")["AutoScalingGroups"].empty());
}

TEST_F(ComputeAwsCliTest, SsmAnswersAmiAliasesAndKeepsUserParameters) {
  Json alias = AwsOk(port_,
                     "ssm get-parameter --name "
                     "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64");
  EXPECT_EQ(alias["Parameter"]["Value"], "ami-0c4e709339fa8521a");
  Json image = AwsOk(port_, "ec2 describe-images --image-ids ami-0c4e709339fa8521a");
  EXPECT_EQ(image["Images"][0]["Architecture"], "arm64");
  AwsOk(port_, "ssm put-parameter --name /weka/cluster/token --value s3cr3t --type String");
  EXPECT_NE(AwsError(port_, "ssm put-parameter --name /weka/cluster/token --value x --type String")
                .find("ParameterAlreadyExists"),
            std::string::npos);
  Json put = AwsOk(port_, "ssm put-parameter --name /weka/cluster/token --value v2 --overwrite");
  EXPECT_EQ(put["Version"], 2);
  EXPECT_EQ(AwsOk(port_, "ssm get-parameter --name /weka/cluster/token")["Parameter"]["Value"],
            "v2");
  Json both = AwsOk(port_, "ssm get-parameters --names /weka/cluster/token /nope");
  EXPECT_EQ(both["Parameters"].size(), 1u);
  EXPECT_EQ(both["InvalidParameters"][0], "/nope");
  AwsOk(port_, "ssm delete-parameter --name /weka/cluster/token");
  EXPECT_NE(
      AwsError(port_, "ssm get-parameter --name /weka/cluster/token").find("ParameterNotFound"),
      std::string::npos);
}

}  // namespace
}  // namespace cf::cloud
