#include "control/terminate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "control/fake_aws_api.h"
#include "testing/status_matchers.h"

namespace cf::control {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

const auto kNow = std::chrono::system_clock::from_time_t(1'800'000'000);

Ec2Facts Running(const std::string& ip, std::chrono::system_clock::duration age) {
  return {"running", ip, kNow - age, FormatRfc3339(kNow - age)};
}

json Hosts(std::initializer_list<std::string> ips) {
  json out = {{"hosts", json::array()}, {"to_terminate", json::array()}, {"version", 1}};
  for (const std::string& ip : ips) {
    out["hosts"].push_back({{"private_ip", ip}});
  }
  return out;
}

TEST(PlanTerminateTest, MembersThatAreClusterHostsStay) {
  TerminatePlan p = PlanTerminate({{"i-1", "Healthy", "InService", true}},
                                  {{"i-1", Running("127.0.1.1", 2h)}}, Hosts({"127.0.1.1"}), kNow);
  EXPECT_TRUE(p.terminate.empty());
  EXPECT_TRUE(p.detach.empty());
}

TEST(PlanTerminateTest, ToTerminateNeedsIdAndIpToMatch) {
  json r = Hosts({});
  r["to_terminate"] = {{{"Id", "i-1"}, {"PrivateIp", "127.0.1.1"}},
                       {{"Id", "i-2"}, {"PrivateIp", "127.0.9.9"}}};
  TerminatePlan p = PlanTerminate(
      {{"i-1", "Healthy", "InService", true}, {"i-2", "Healthy", "InService", true}},
      {{"i-1", Running("127.0.1.1", 1min)}, {"i-2", Running("127.0.1.2", 1min)}}, r, kNow);
  EXPECT_THAT(p.terminate, ElementsAre("i-1"));
}

TEST(PlanTerminateTest, InstancesThatNeverJoinedAreReapedAfterThirtyMinutes) {
  TerminatePlan p = PlanTerminate({{"i-young", "Healthy", "InService", true},
                                   {"i-old", "Healthy", "InService", true},
                                   {"i-going", "Healthy", "InService", true}},
                                  {{"i-young", Running("127.0.1.1", 29min)},
                                   {"i-old", Running("127.0.1.2", 31min)},
                                   {"i-going", {"shutting-down", "127.0.1.3", kNow - 2h, ""}}},
                                  Hosts({}), kNow);
  EXPECT_THAT(p.terminate, ElementsAre("i-old"));
}

TEST(PlanTerminateTest, TheThirtyMinutesFollowTheTimeScale) {
  // 20 wall seconds: young at scale 1, 2000 simulated seconds (over 30 min) at 0.01.
  std::vector<AsgMember> members = {{"i-1", "Healthy", "InService", true}};
  std::map<std::string, Ec2Facts> facts = {{"i-1", Running("127.0.1.1", 20s)}};
  EXPECT_TRUE(PlanTerminate(members, facts, Hosts({}), kNow).terminate.empty());
  EXPECT_THAT(PlanTerminate(members, facts, Hosts({}), kNow, 0.01).terminate, ElementsAre("i-1"));
}

TEST(PlanTerminateTest, UnhealthyMembersAreDetachedOrTerminatedByTheirProtection) {
  TerminatePlan p =
      PlanTerminate({{"i-unprot", "Unhealthy", "InService", false},
                     {"i-gone", "Unhealthy", "InService", true},
                     {"i-stopped", "Unhealthy", "Standby", true},
                     {"i-running", "Unhealthy", "InService", true},
                     {"i-leaving", "Unhealthy", "Terminating", false}},
                    {{"i-unprot", Running("127.0.1.1", 2h)},
                     {"i-stopped", {"stopped", "127.0.1.3", kNow - 2h, ""}},
                     {"i-running", Running("127.0.1.4", 2h)},
                     {"i-leaving", Running("127.0.1.5", 2h)}},
                    Hosts({"127.0.1.1", "127.0.1.3", "127.0.1.4", "127.0.1.5"}), kNow);
  EXPECT_THAT(p.detach, ElementsAre("i-unprot", "i-gone", "i-stopped"));
  EXPECT_THAT(p.terminate, ElementsAre("i-stopped"));
}

TEST(PlanTerminateTest, AtMostFiftyPerRun) {
  std::vector<AsgMember> members;
  std::map<std::string, Ec2Facts> facts;
  for (int i = 0; i < 70; ++i) {
    std::string id = "i-" + std::to_string(i);
    members.push_back({id, "Healthy", "InService", true});
    facts[id] = Running("127.0.2." + std::to_string(i), 1h);
  }
  EXPECT_EQ(PlanTerminate(members, facts, Hosts({}), kNow).terminate.size(), 50u);
}

class TerminateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    aws_.OnOutput("autoscaling.DescribeAutoScalingGroups",
                  {{"AutoScalingGroups",
                    {{{"AutoScalingGroupName", "asg"},
                      {"Instances",
                       {{{"InstanceId", "i-1"},
                         {"HealthStatus", "Healthy"},
                         {"LifecycleState", "InService"},
                         {"ProtectedFromScaleIn", true}},
                        {{"InstanceId", "i-2"},
                         {"HealthStatus", "Unhealthy"},
                         {"LifecycleState", "InService"},
                         {"ProtectedFromScaleIn", false}}}}}}}});
    aws_.OnOutput("ec2.DescribeInstances", {{"Reservations",
                                             {{{"Instances",
                                                {{{"InstanceId", "i-1"},
                                                  {"State", {{"Name", "running"}}},
                                                  {"PrivateIpAddress", "127.0.1.1"},
                                                  {"LaunchTime", 1577836800}},
                                                 {{"InstanceId", "i-2"},
                                                  {"State", {{"Name", "running"}}},
                                                  {"PrivateIpAddress", "127.0.1.2"},
                                                  {"LaunchTime", "2020-01-01T00:00:00Z"}}}}}}}});
    for (const char* op : {"ec2.ModifyInstanceAttribute", "autoscaling.SetInstanceProtection",
                           "ec2.TerminateInstances", "autoscaling.DetachInstances"}) {
      aws_.OnOutput(op, json::object());
    }
  }
  FakeAwsApi aws_;
};

TEST_F(TerminateTest, UnprotectsThenTerminatesAndDetachesUnhealthy) {
  json r = Hosts({"127.0.1.2"});
  r["to_terminate"] = {{{"Id", "i-1"}, {"PrivateIp", "127.0.1.1"}}};
  r["TransientErrors"] = {"scaleDown:earlier"};
  Result<json> out = Terminate(aws_, r, "asg", "", kNow);
  ASSERT_OK(out);
  EXPECT_EQ((*out)["set_to_terminate_instances"],
            json::array({{{"instance_id", "i-1"}, {"creation_date", "2020-01-01T00:00:00Z"}}}));
  EXPECT_EQ((*out)["TransientErrors"], json::array({"scaleDown:earlier"}));
  auto mods = aws_.CallsTo("ec2.ModifyInstanceAttribute");
  ASSERT_EQ(mods.size(), 2u);
  EXPECT_EQ(mods[0], json({{"InstanceId", "i-1"}, {"DisableApiTermination", {{"Value", false}}}}));
  EXPECT_EQ(mods[1], json({{"InstanceId", "i-1"}, {"DisableApiStop", {{"Value", false}}}}));
  EXPECT_EQ(aws_.CallsTo("autoscaling.SetInstanceProtection")[0]["ProtectedFromScaleIn"], false);
  EXPECT_EQ(aws_.CallsTo("ec2.TerminateInstances")[0]["InstanceIds"], json::array({"i-1"}));
  auto detach = aws_.CallsTo("autoscaling.DetachInstances");
  ASSERT_EQ(detach.size(), 1u);
  EXPECT_EQ(detach[0]["InstanceIds"], json::array({"i-2"}));
  EXPECT_EQ(detach[0]["ShouldDecrementDesiredCapacity"], false);
}

TEST_F(TerminateTest, NothingIsTerminatedWhenUnprotectingFails) {
  aws_.OnError("autoscaling.SetInstanceProtection", "ValidationError", "nope");
  json r = Hosts({"127.0.1.2"});
  r["to_terminate"] = {{{"Id", "i-1"}, {"PrivateIp", "127.0.1.1"}}};
  Result<json> out = Terminate(aws_, r, "asg", "", kNow);
  ASSERT_OK(out);
  EXPECT_TRUE(aws_.CallsTo("ec2.TerminateInstances").empty());
  EXPECT_TRUE((*out)["set_to_terminate_instances"].empty());
  EXPECT_THAT((*out)["TransientErrors"][0].get<std::string>(), HasSubstr("nope"));
}

TEST_F(TerminateTest, RefusesAnIncompatibleInput) {
  EXPECT_THAT(Terminate(aws_, {{"version", 2}}, "asg", "", kNow),
              StatusIs(StatusCode::kInvalidArgument, "incompatible scale response version"));
  EXPECT_THAT(Terminate(aws_, Hosts({}), "", "", kNow),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("ASG_NAME")));
  EXPECT_TRUE(aws_.calls().empty());
}

TEST(TransientTest, FailsWithEveryErrorOnALine) {
  EXPECT_OK(Transient({{"TransientErrors", nullptr}, {"version", 1}}));
  EXPECT_OK(Transient({{"TransientErrors", json::array()}}));
  EXPECT_THAT(Transient({{"TransientErrors", {"a:x", "b:y"}}}),
              StatusIs(StatusCode::kUnavailable, "the following errors were found:\na:x\nb:y"));
}

}  // namespace
}  // namespace cf::control
