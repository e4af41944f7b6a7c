// The autoscaling service and its reconciler on the real EC2 service, a fake instance runtime
// and a fake clock: each ReconcileOnce is one pass of the server's loop.

#include "cloud/autoscaling/autoscaling_service.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cloud/ec2/ec2_service.h"
#include "cloud/ec2/fake_instance_runtime.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::autoscaling {
namespace {

class Delays : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string& name) const override {
    return name == "ec2:InstanceRunning" ? std::chrono::seconds(5) : std::chrono::nanoseconds(0);
  }
};

class FixedTargetHealth : public TargetHealthSource {
 public:
  std::optional<bool> Healthy(const std::string&, const std::string&,
                              const std::string& instance_id) override {
    return unhealthy.count(instance_id) ? std::optional<bool>(false) : std::nullopt;
  }
  std::set<std::string> unhealthy;
};

class AutoScalingTest : public ::testing::Test {
 protected:
  AutoScalingTest()
      : store_(std::move(Store::Open("").value())),
        random_(5),
        ids_(random_),
        credentials_(*store_, {DefaultCredential()}),
        context_{*store_, ids_, clock_, credentials_, latency_},
        ec2_(context_, &runtime_),
        autoscaling_(context_, ec2_) {}

  ServiceResult Call(Service& service, std::string operation, Json input) {
    ServiceCall call;
    call.service = service.name();
    call.operation = std::move(operation);
    call.input = std::move(input);
    call.region = "us-east-1";
    call.caller = DefaultCredential().identity;
    call.account_id = call.caller.account_id;
    return service.Handle(call);
  }
  Json Ec2(std::string operation, Json input) {
    ServiceResult r = Call(ec2_, std::move(operation), std::move(input));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? r.output() : Json();
  }
  Json Ok(std::string operation, Json input) {
    ServiceResult r = Call(autoscaling_, std::move(operation), std::move(input));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? r.output() : Json();
  }
  ServiceError Error(std::string operation, Json input) {
    ServiceResult r = Call(autoscaling_, std::move(operation), std::move(input));
    return r.ok() ? ServiceError{"(no error)", ""} : r.error();
  }

  // A VPC with two subnets in two zones and a launch template; returns "subnet-a,subnet-b".
  std::string Network() {
    std::string vpc = Ec2("CreateVpc", {{"CidrBlock", "127.50.0.0/16"}})["Vpc"]["VpcId"];
    std::string a = Ec2("CreateSubnet", {{"VpcId", vpc},
                                         {"CidrBlock", "127.50.1.0/24"},
                                         {"AvailabilityZone", "us-east-1a"}})["Subnet"]["SubnetId"];
    std::string b = Ec2("CreateSubnet", {{"VpcId", vpc},
                                         {"CidrBlock", "127.50.2.0/24"},
                                         {"AvailabilityZone", "us-east-1b"}})["Subnet"]["SubnetId"];
    template_id_ = Ec2("CreateLaunchTemplate",
                       {{"LaunchTemplateName", "backend"},
                        {"LaunchTemplateData",
                         {{"ImageId", "ami-0a3c3a20c09d6f377"},
                          {"InstanceType", "t3.micro"}}}})["LaunchTemplate"]["LaunchTemplateId"];
    return a + "," + b;
  }

  void CreateGroup(int desired, Json extra = Json::object()) {
    Json input = {{"AutoScalingGroupName", "backends"},
                  {"LaunchTemplate", {{"LaunchTemplateId", template_id_}, {"Version", "$Latest"}}},
                  {"MinSize", 0},
                  {"MaxSize", 10},
                  {"DesiredCapacity", desired},
                  {"VPCZoneIdentifier", subnets_},
                  {"TargetGroupARNs",
                   {"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123"}},
                  {"Tags",
                   {{{"Key", "cluster"}, {"Value", "c1"}, {"PropagateAtLaunch", true}},
                    {{"Key", "owner"}, {"Value", "me"}, {"PropagateAtLaunch", false}}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it) {
      input[it.key()] = it.value();
    }
    Ok("CreateAutoScalingGroup", input);
  }

  Json Group() {
    Json out = Ok("DescribeAutoScalingGroups", {{"AutoScalingGroupNames", {"backends"}}});
    return out["AutoScalingGroups"].empty() ? Json() : out["AutoScalingGroups"][0];
  }
  std::map<std::string, std::string> States() {
    std::map<std::string, std::string> out;
    Json group = Group();
    for (const Json& instance : group["Instances"]) {
      out[instance["InstanceId"].get<std::string>()] =
          instance["LifecycleState"].get<std::string>();
    }
    return out;
  }
  int InService() {
    int n = 0;
    for (const auto& [id, state] : States()) {
      n += state == "InService" ? 1 : 0;
    }
    return n;
  }
  // Passes of the reconciler every 2 simulated seconds, for `seconds`.
  void Run(int seconds) {
    for (int t = 0; t < seconds; t += 2) {
      autoscaling_.ReconcileOnce();
      clock_.Advance(std::chrono::seconds(2));
    }
    autoscaling_.ReconcileOnce();
  }

  void SetUp() override { subnets_ = Network(); }

  std::unique_ptr<Store> store_;
  FakeClock clock_;
  SeededRandom random_;
  IdGenerator ids_;
  CredentialStore credentials_;
  Delays latency_;
  ServiceContext context_;
  ec2::FakeInstanceRuntime runtime_;
  ec2::Ec2Service ec2_;
  AutoScalingService autoscaling_;
  std::string template_id_;
  std::string subnets_;
};

TEST_F(AutoScalingTest, LaunchesToDesiredAcrossZonesWithPropagatedTags) {
  CreateGroup(3);
  autoscaling_.ReconcileOnce();
  Json group = Group();
  ASSERT_EQ(group["Instances"].size(), 3u);
  std::map<std::string, int> zones;
  for (const Json& instance : group["Instances"]) {
    EXPECT_EQ(instance["LifecycleState"], "Pending");
    zones[instance["AvailabilityZone"]] += 1;
  }
  EXPECT_EQ(zones["us-east-1a"] + zones["us-east-1b"], 3);
  EXPECT_GE(zones["us-east-1a"], 1);
  EXPECT_GE(zones["us-east-1b"], 1);
  EXPECT_EQ(runtime_.boots().size(), 3u);
  // Pending until EC2 reports running (5 s), then InService.
  Run(6);
  EXPECT_EQ(InService(), 3);
  // EC2 has the group's tags: aws:autoscaling:groupName and the propagated one only.
  std::string id = Group()["Instances"][0]["InstanceId"];
  Json described = Ec2("DescribeInstances", {{"InstanceIds", {id}}});
  std::map<std::string, std::string> tags;
  for (const Json& tag : described["Reservations"][0]["Instances"][0]["Tags"]) {
    tags[tag["Key"].get<std::string>()] = tag["Value"].get<std::string>();
  }
  EXPECT_EQ(tags["aws:autoscaling:groupName"], "backends");
  EXPECT_EQ(tags["cluster"], "c1");
  EXPECT_EQ(tags.count("owner"), 0u);
  // Three launch activities, newest first.
  Json activities = Ok("DescribeScalingActivities", {{"AutoScalingGroupName", "backends"}});
  ASSERT_EQ(activities["Activities"].size(), 3u);
  EXPECT_EQ(activities["Activities"][0]["StatusCode"], "Successful");
  EXPECT_NE(activities["Activities"][0]["Description"].get<std::string>().find(
                "Launching a new EC2 instance: i-"),
            std::string::npos);
  // What a load balancer reads: the group's instances and their private addresses.
  auto targets = GroupsForTargetGroup(
      *store_, "us-east-1",
      "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/tg/0123");
  ASSERT_OK(targets);
  ASSERT_EQ(targets->size(), 1u);
  ASSERT_EQ((*targets)[0].members.size(), 3u);
  for (const GroupMember& member : (*targets)[0].members) {
    EXPECT_EQ(member.private_ip.rfind("127.50.", 0), 0u) << member.private_ip;
    EXPECT_EQ(member.lifecycle_state, "InService");
  }
}

TEST_F(AutoScalingTest, KilledInstanceIsReplacedWithinTenSimulatedSeconds) {
  CreateGroup(3, {{"HealthCheckGracePeriod", 0}});
  Run(6);
  ASSERT_EQ(InService(), 3);
  std::string victim = Group()["Instances"][1]["InstanceId"];
  ASSERT_OK(runtime_.Kill(victim));
  // Within 10 simulated seconds: the dead one is terminated and a new one is InService.
  Run(10);
  std::map<std::string, std::string> states = States();
  EXPECT_EQ(states.count(victim), 0u);
  EXPECT_EQ(InService(), 3);
  Json terminated = Ec2("DescribeInstances", {{"InstanceIds", {victim}}});
  EXPECT_EQ(terminated["Reservations"][0]["Instances"][0]["State"]["Name"], "terminated");
  bool recorded = false;
  Json activities = Ok("DescribeScalingActivities", {{"AutoScalingGroupName", "backends"}});
  for (const Json& activity : activities["Activities"]) {
    recorded = recorded || (activity["Description"] == "Terminating EC2 instance: " + victim &&
                            activity["Cause"].get<std::string>().find("status checks failure") !=
                                std::string::npos);
  }
  EXPECT_TRUE(recorded);
}

TEST_F(AutoScalingTest, GracePeriodAndSuspendedReplaceUnhealthyAreHonoured) {
  CreateGroup(2, {{"HealthCheckGracePeriod", 60}});
  Run(6);
  ASSERT_EQ(InService(), 2);
  std::string victim = Group()["Instances"][0]["InstanceId"];
  ASSERT_OK(runtime_.Kill(victim));
  Run(20);  // 26 s after launch: still inside the grace period
  EXPECT_EQ(States().count(victim), 1u);
  EXPECT_EQ(Group()["Instances"][0]["HealthStatus"], "Healthy");
  Ok("SuspendProcesses",
     {{"AutoScalingGroupName", "backends"}, {"ScalingProcesses", {"ReplaceUnhealthy"}}});
  Run(40);  // past the grace period: Unhealthy, but not replaced
  Json group = Group();
  ASSERT_EQ(group["Instances"].size(), 2u);
  for (const Json& instance : group["Instances"]) {
    EXPECT_EQ(instance["HealthStatus"], instance["InstanceId"] == victim ? "Unhealthy" : "Healthy");
  }
  Ok("ResumeProcesses", {{"AutoScalingGroupName", "backends"}});
  Run(8);
  EXPECT_EQ(States().count(victim), 0u);
  EXPECT_EQ(InService(), 2);
}

TEST_F(AutoScalingTest, ElbHealthReplacesTargetsTheLoadBalancerFails) {
  FixedTargetHealth health;
  autoscaling_.SetTargetHealthSource(&health);
  CreateGroup(1, {{"HealthCheckType", "ELB"}});
  Run(6);
  std::string first = Group()["Instances"][0]["InstanceId"];
  health.unhealthy.insert(first);
  Run(8);
  EXPECT_EQ(States().count(first), 0u);
  EXPECT_EQ(InService(), 1);
}

TEST_F(AutoScalingTest, ScaleInNeverTerminatesProtectedInstances) {
  CreateGroup(4);
  Run(6);
  ASSERT_EQ(InService(), 4);
  std::vector<std::string> ids;
  for (const auto& [id, state] : States()) {
    ids.push_back(id);
  }
  Ok("SetInstanceProtection", {{"AutoScalingGroupName", "backends"},
                               {"InstanceIds", {ids[0], ids[1], ids[2]}},
                               {"ProtectedFromScaleIn", true}});
  Ok("SetDesiredCapacity", {{"AutoScalingGroupName", "backends"}, {"DesiredCapacity", 1}});
  Run(4);
  std::map<std::string, std::string> states = States();
  EXPECT_EQ(states.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(states[ids[i]], "InService");
  }
  EXPECT_EQ(states.count(ids[3]), 0u);
  // Suspended Launch: raising desired launches nothing until resumed.
  Ok("SuspendProcesses", {{"AutoScalingGroupName", "backends"}, {"ScalingProcesses", {"Launch"}}});
  Ok("SetDesiredCapacity", {{"AutoScalingGroupName", "backends"}, {"DesiredCapacity", 5}});
  Run(4);
  EXPECT_EQ(States().size(), 3u);
  Ok("ResumeProcesses", {{"AutoScalingGroupName", "backends"}, {"ScalingProcesses", {"Launch"}}});
  Run(6);
  EXPECT_EQ(InService(), 5);
  EXPECT_EQ(
      Error("SetDesiredCapacity", {{"AutoScalingGroupName", "backends"}, {"DesiredCapacity", 11}})
          .code,
      "ValidationError");
}

TEST_F(AutoScalingTest, TerminateDetachAndForceDelete) {
  CreateGroup(3, {{"MinSize", 1}});
  Run(6);
  std::vector<std::string> ids;
  for (const auto& [id, state] : States()) {
    ids.push_back(id);
  }
  Json activity = Ok("TerminateInstanceInAutoScalingGroup",
                     {{"InstanceId", ids[0]}, {"ShouldDecrementDesiredCapacity", true}});
  EXPECT_EQ(activity["Activity"]["Description"], "Terminating EC2 instance: " + ids[0]);
  EXPECT_EQ(Group()["DesiredCapacity"], 2);
  Json detached = Ok("DetachInstances", {{"AutoScalingGroupName", "backends"},
                                         {"InstanceIds", {ids[1]}},
                                         {"ShouldDecrementDesiredCapacity", true}});
  EXPECT_EQ(detached["Activities"].size(), 1u);
  Run(6);
  std::map<std::string, std::string> states = States();
  EXPECT_EQ(states.size(), 1u);
  EXPECT_EQ(states.count(ids[2]), 1u);
  // The detached instance still runs, outside the group.
  Json outside = Ec2("DescribeInstances", {{"InstanceIds", {ids[1]}}});
  EXPECT_EQ(outside["Reservations"][0]["Instances"][0]["State"]["Name"], "running");
  EXPECT_EQ(Error("TerminateInstanceInAutoScalingGroup",
                  {{"InstanceId", ids[2]}, {"ShouldDecrementDesiredCapacity", true}})
                .code,
            "ValidationError");  // would go below MinSize
  EXPECT_EQ(Error("DeleteAutoScalingGroup", {{"AutoScalingGroupName", "backends"}}).code,
            "ResourceInUse");
  Ok("DeleteAutoScalingGroup", {{"AutoScalingGroupName", "backends"}, {"ForceDelete", true}});
  EXPECT_TRUE(Group().is_null());
  Json gone = Ec2("DescribeInstances", {{"InstanceIds", {ids[2]}}});
  EXPECT_EQ(gone["Reservations"][0]["Instances"][0]["State"]["Name"], "terminated");
}

TEST_F(AutoScalingTest, BadInputIsRefusedAndCreatesNothing) {
  ServiceError missing = Error("CreateAutoScalingGroup",
                               {{"AutoScalingGroupName", "g"},
                                {"LaunchTemplate", {{"LaunchTemplateId", "lt-0123456789abcdef0"}}},
                                {"MinSize", 0},
                                {"MaxSize", 1},
                                {"VPCZoneIdentifier", subnets_}});
  EXPECT_EQ(missing.code, "ValidationError");
  EXPECT_NE(missing.message.find("lt-0123456789abcdef0, does not exist"), std::string::npos);
  EXPECT_EQ(
      Error("CreateAutoScalingGroup", {{"AutoScalingGroupName", "g"},
                                       {"LaunchTemplate", {{"LaunchTemplateId", template_id_}}},
                                       {"MinSize", 0},
                                       {"MaxSize", 1},
                                       {"VPCZoneIdentifier", "subnet-0123456789abcdef0"}})
          .code,
      "ValidationError");
  EXPECT_EQ(
      Error("CreateAutoScalingGroup", {{"AutoScalingGroupName", "g"},
                                       {"LaunchTemplate", {{"LaunchTemplateId", template_id_}}},
                                       {"MinSize", 3},
                                       {"MaxSize", 1},
                                       {"VPCZoneIdentifier", subnets_}})
          .code,
      "ValidationError");
  EXPECT_TRUE(Ok("DescribeAutoScalingGroups", Json::object())["AutoScalingGroups"].empty());
  CreateGroup(1);
  EXPECT_EQ(
      Error("CreateAutoScalingGroup", {{"AutoScalingGroupName", "backends"},
                                       {"LaunchTemplate", {{"LaunchTemplateId", template_id_}}},
                                       {"MinSize", 0},
                                       {"MaxSize", 1},
                                       {"VPCZoneIdentifier", subnets_}})
          .code,
      "AlreadyExists");
}

TEST_F(AutoScalingTest, TagsOnAnUnknownGroupChangeNoGroupAndUpdatesCheckSizes) {
  CreateGroup(0);
  EXPECT_EQ(
      Error("CreateOrUpdateTags", {{"Tags",
                                    {{{"ResourceId", "backends"}, {"Key", "new"}, {"Value", "1"}},
                                     {{"ResourceId", "nope"}, {"Key", "new"}, {"Value", "1"}}}}})
          .code,
      "ValidationError");
  Json tags = Ok("DescribeTags", {{"Filters", {{{"Name", "key"}, {"Values", {"new"}}}}}})["Tags"];
  EXPECT_TRUE(tags.empty());
  EXPECT_EQ(Error("DescribeTags", {{"Filters", {{{"Name", "colour"}, {"Values", {"x"}}}}}}).code,
            "ValidationError");
  EXPECT_EQ(
      Error("UpdateAutoScalingGroup", {{"AutoScalingGroupName", "backends"}, {"MinSize", 11}}).code,
      "ValidationError");
  EXPECT_EQ(Group()["MinSize"], 0);
  // A member of the wrong type is a ValidationError, not an escaped exception.
  EXPECT_EQ(Error("SetDesiredCapacity",
                  {{"AutoScalingGroupName", "backends"}, {"DesiredCapacity", "three"}})
                .code,
            "ValidationError");
  Ok("UpdateAutoScalingGroup", {{"AutoScalingGroupName", "backends"},
                                {"LaunchTemplate", {{"LaunchTemplateName", "backend"}}},
                                {"MaxSize", 4}});
  EXPECT_EQ(Group()["MaxSize"], 4);
  EXPECT_EQ(Group()["LaunchTemplate"]["LaunchTemplateId"], template_id_);
}

TEST_F(AutoScalingTest, FailedLaunchIsAFailedActivityAndRetriedLater) {
  // A /28 holds 11 instances; the group wants 12.
  std::string vpc = Ec2("CreateVpc", {{"CidrBlock", "127.51.0.0/16"}})["Vpc"]["VpcId"];
  std::string small =
      Ec2("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", "127.51.0.0/28"}})["Subnet"]["SubnetId"];
  Ok("CreateAutoScalingGroup", {{"AutoScalingGroupName", "small"},
                                {"LaunchTemplate", {{"LaunchTemplateId", template_id_}}},
                                {"MinSize", 0},
                                {"MaxSize", 12},
                                {"DesiredCapacity", 12},
                                {"VPCZoneIdentifier", small}});
  autoscaling_.ReconcileOnce();
  Json group = Ok("DescribeAutoScalingGroups", {{"AutoScalingGroupNames", {"small"}}});
  EXPECT_EQ(group["AutoScalingGroups"][0]["Instances"].size(), 11u);
  Json activities = Ok("DescribeScalingActivities", {{"AutoScalingGroupName", "small"}});
  ASSERT_EQ(activities["Activities"].size(), 12u);
  EXPECT_EQ(activities["Activities"][0]["StatusCode"], "Failed");
  EXPECT_NE(activities["Activities"][0]["StatusMessage"].get<std::string>().find(
                "not enough free addresses"),
            std::string::npos);
  autoscaling_.ReconcileOnce();  // backing off: no second failure yet
  EXPECT_EQ(
      Ok("DescribeScalingActivities", {{"AutoScalingGroupName", "small"}})["Activities"].size(),
      12u);
}

}  // namespace
}  // namespace cf::cloud::autoscaling
