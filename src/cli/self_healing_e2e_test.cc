// Self-healing, end to end, on a real local cloud (weka_cluster_test_fixture.h) at a time scale:
// a clusterized 6-backend simulated cluster, the scale-down state machine of the module
// (Fetch -> ScaleDown -> Terminate -> ErrorCheck -> Transient | Success) fired by an
// EventBridge rate(1 minute) rule, its four functions the packaged clusterform-lambda. One
// backend's process group is killed through the admin API; the autoscaling group replaces
// it, the replacement joins (the join script's steps, played through the simulator), the
// scale-down function removes the dead host, and the cluster is back at 6 active backends.
// The times from the kill are printed in wall and simulated seconds.

#include <optional>
#include <set>

#include "cli/weka_cluster_test_fixture.h"

namespace cf::cli {
namespace {

constexpr double kTimeScale = 0.05;  // one simulated minute is 3 wall seconds
constexpr const char* kRule = "p-c-scale-down-trigger-rule";

std::string FunctionArn(const std::string& name) {
  return "arn:aws:lambda:us-east-1:000000000000:function:" + name;
}

class SelfHealingTest : public WekaClusterTest {
 protected:
  SelfHealingTest() { time_scale_ = kTimeScale; }

  // The module's scale-down orchestration (src/modules/weka/scale_down.tf).
  void CreateScaleDown() {
    for (const auto& [name, handler] :
         std::vector<std::pair<std::string, std::string>>{{"p-c-fetch-lambda", "fetch"},
                                                          {"p-c-scale-down-lambda", "scaleDown"},
                                                          {"p-c-terminate-lambda", "terminate"},
                                                          {"p-c-transient-lambda", "transient"}}) {
      CreateFunction(name, handler);
    }
    Json definition = {
        {"StartAt", "Fetch"},
        {"States",
         {{"Fetch",
           {{"Type", "Task"},
            {"Resource", FunctionArn("p-c-fetch-lambda")},
            {"Next", "ScaleDown"}}},
          {"ScaleDown",
           {{"Type", "Task"},
            {"Resource", FunctionArn("p-c-scale-down-lambda")},
            {"Next", "Terminate"}}},
          {"Terminate",
           {{"Type", "Task"},
            {"Resource", FunctionArn("p-c-terminate-lambda")},
            {"Next", "ErrorCheck"}}},
          {"ErrorCheck",
           {{"Type", "Choice"},
            {"Choices",
             {{{"Variable", "$.TransientErrors"}, {"IsNull", false}, {"Next", "Transient"}}}},
            {"Default", "Success"}}},
          {"Success", {{"Type", "Succeed"}}},
          {"Transient",
           {{"Type", "Task"}, {"Resource", FunctionArn("p-c-transient-lambda")}, {"End", true}}}}}};
    std::string machine =
        Call("stepfunctions", "CreateStateMachine",
             {{"name", "p-c-scale-down-state-machine"},
              {"definition", definition.dump()},
              {"roleArn", "arn:aws:iam::000000000000:role/p-c-sfn-role"}})["stateMachineArn"];
    Call("events", "PutRule", {{"Name", kRule}, {"ScheduleExpression", "rate(1 minute)"}});
    Call("events", "PutTargets",
         {{"Rule", kRule},
          {"Targets",
           {{{"Id", "TriggerStepFunctionFromCloudWatch"},
             {"Arn", machine},
             {"RoleArn", "arn:aws:iam::000000000000:role/p-c-event-role"}}}}});
    state_machine_ = machine;
  }

  // The cluster's containers as `weka cluster container -J` lists them, asked on `instance`.
  Json Containers(const std::string& instance) {
    auto [code, out] =
        Sim(instance, {"weka", "cluster", "container", "-J"}, "weka-deployment", "Deploy-Pw-2");
    if (code != 0) {
      return Json();
    }
    return Json::parse(out, nullptr, false);
  }

  bool Kill(const std::string& instance) {
    ProcessOptions p;
    p.argv = {"curl", "-sS",  "-f",
              "-X",   "POST", endpoint_ + "/_clusterform/instances/" + instance + "/kill"};
    p.stderr_redirect = Redirect::Pipe();
    Result<RunOutput> r = RunProcess(p, std::chrono::seconds(30));
    return r.ok() && r->status.success();
  }

  // The errors of the state machine's failed executions (each distinct one once), and how
  // many succeeded, for failure messages.
  std::string Failures() {
    Json failed = Call("stepfunctions", "ListExecutions",
                       {{"stateMachineArn", state_machine_}, {"statusFilter", "FAILED"}});
    Json succeeded = Call("stepfunctions", "ListExecutions",
                          {{"stateMachineArn", state_machine_}, {"statusFilter", "SUCCEEDED"}});
    std::set<std::string> causes;
    for (const Json& e : failed["executions"]) {
      Json d = Call("stepfunctions", "DescribeExecution", {{"executionArn", e["executionArn"]}});
      causes.insert(d.value("error", std::string()) + ": " + d.value("cause", std::string()));
    }
    std::string out = fmt::format("\nscale-down executions: {} succeeded, {} failed",
                                  succeeded["executions"].size(), failed["executions"].size());
    for (const std::string& c : causes) {
      out += "\n  " + c;
    }
    return out;
  }

  std::string state_machine_;
};

struct Milestones {
  std::optional<double> detected;  // the group no longer counts the killed instance in service
  std::optional<double> launched;  // a replacement is in service
  std::optional<double> joined;    // the replacement's containers and drives are in the cluster
  std::optional<double> removed;   // the dead machine's hosts are gone from the cluster
  std::optional<double> healed;    // 6 active backends, every member's instance running
};

std::string Seconds(const std::optional<double>& wall) {
  if (!wall.has_value()) {
    return "never";
  }
  return fmt::format("{:.2f} s wall, {:.1f} s simulated", *wall, *wall / kTimeScale);
}

TEST_F(SelfHealingTest, ADeadBackendIsReplacedRejoinedAndRemovedFromTheCluster) {
  auto instances = CreateGroup();
  ASSERT_EQ(instances.size(), 6u);
  Clusterize(instances);
  SeedState(true, Json::array(), Json::object());
  CreateScaleDown();
  ASSERT_FALSE(state_machine_.empty());

  const auto& [victim_id, victim_ip] = instances[2];
  std::set<std::string> original;
  for (const auto& [id, ip] : instances) {
    original.insert(id);
  }
  std::string observer = instances[0].first;
  std::string join_ips = instances[0].second + "," + instances[1].second;

  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  ASSERT_TRUE(Kill(victim_id));

  Milestones m;
  std::string replacement;
  Json last_containers;
  // Three simulated hours would be the public module's down_backends_removal_timeout alone.
  while (elapsed() < 150 && !m.healed.has_value()) {
    Json group = Group();
    bool victim_in_service = false;
    std::vector<std::string> in_service;
    for (const Json& in : group.value("Instances", Json::array())) {
      if (in["LifecycleState"] == "InService" && in["HealthStatus"] == "Healthy") {
        in_service.push_back(in["InstanceId"]);
        victim_in_service = victim_in_service || in["InstanceId"] == victim_id;
      }
    }
    if (!m.detected && !victim_in_service) {
      m.detected = elapsed();
    }
    for (const std::string& id : in_service) {
      if (!original.count(id) && replacement.empty()) {
        replacement = id;
        m.launched = elapsed();
        Join(replacement, 6, join_ips);
        m.joined = elapsed();
      }
    }
    last_containers = Containers(observer);
    if (last_containers.is_array()) {
      std::set<std::string> members;
      std::set<std::string> active;
      bool victim_listed = false;
      for (const Json& c : last_containers) {
        std::string id = c["aws"]["instance_id"];
        members.insert(id);
        victim_listed = victim_listed || id == victim_id;
        if (c["state"] == "ACTIVE" && c["status"] == "UP" && c["mode"] == "backend") {
          active.insert(id);
        }
      }
      if (!m.removed && !victim_listed) {
        m.removed = elapsed();
      }
      if (!victim_listed && active.size() == 6 && members == active && active.count(replacement)) {
        m.healed = elapsed();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf("[ self-healing ] time scale %g; from the kill of %s:\n", kTimeScale,
              victim_id.c_str());
  std::printf("[ self-healing ]   detected (out of service):  %s\n", Seconds(m.detected).c_str());
  std::printf("[ self-healing ]   replacement in service:     %s\n", Seconds(m.launched).c_str());
  std::printf("[ self-healing ]   replacement joined:         %s\n", Seconds(m.joined).c_str());
  std::printf("[ self-healing ]   dead host removed:          %s\n", Seconds(m.removed).c_str());
  std::printf("[ self-healing ]   6 active, all running:      %s\n", Seconds(m.healed).c_str());
  if (m.detected && m.joined) {
    std::printf("[ self-healing ]   replaced and rejoined %.1f s simulated after detection\n",
                (*m.joined - *m.detected) / kTimeScale);
  }
  ASSERT_TRUE(m.healed.has_value()) << last_containers.dump(1) << Failures();
  ASSERT_TRUE(m.removed.has_value());

  // Every member of the cluster is an instance that runs, and every instance of the group is
  // a member: nothing dead stays in the cluster, nothing idle stays in the group.
  std::set<std::string> members;
  for (const Json& c : last_containers) {
    members.insert(c["aws"]["instance_id"].get<std::string>());
  }
  Json group = Group();
  std::set<std::string> grouped;
  for (const Json& in : group["Instances"]) {
    if (in["LifecycleState"] == "InService") {
      grouped.insert(in["InstanceId"].get<std::string>());
    }
  }
  EXPECT_EQ(members, grouped);
  Json described =
      Call("ec2", "DescribeInstances",
           {{"InstanceIds", Json(std::vector<std::string>(members.begin(), members.end()))}});
  for (const Json& r : described["Reservations"]) {
    for (const Json& in : r["Instances"]) {
      EXPECT_EQ(in["State"]["Name"], "running") << in["InstanceId"];
    }
  }
  EXPECT_FALSE(members.count(victim_id));
  EXPECT_TRUE(members.count(replacement));
  EXPECT_EQ(group["DesiredCapacity"], 6);
  // The scale-down run that removed the dead host ends in success (terminate had nothing to
  // report as transient).
  Json executions;
  for (int i = 0; i < 200; ++i) {
    executions = Call("stepfunctions", "ListExecutions",
                      {{"stateMachineArn", state_machine_}, {"statusFilter", "SUCCEEDED"}});
    if (!executions["executions"].empty()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(executions["executions"].empty()) << Failures();
  (void)Call("events", "DisableRule", {{"Name", kRule}});
}

TEST_F(SelfHealingTest, ScaleEightThenSixLeavesEveryInstanceAClusterMember) {
  auto instances = CreateGroup();
  ASSERT_EQ(instances.size(), 6u);
  Clusterize(instances);
  SeedState(true, Json::array(), Json::object());
  CreateFunction("p-c-status-lambda", "status");
  CreateFunction("p-c-management-lambda", "management");
  WriteDeployment();
  CreateScaleDown();

  // scale 8: the group launches two instances, which join (played here, as the join script).
  CommandOutput out;
  std::thread scale([&] { out = Cf({"scale", "8", dir_, "-timeout=90s", "-interval=300ms"}); });
  std::set<std::string> known;
  for (const auto& [id, ip] : instances) {
    known.insert(id);
  }
  std::string join_ips = instances[0].second + "," + instances[1].second;
  int joined = 0;
  for (int i = 0; i < 900 && joined < 2; ++i) {
    for (const Json& in : Group().value("Instances", Json::array())) {
      std::string id = in["InstanceId"];
      if (in["LifecycleState"] == "InService" && !known.count(id)) {
        known.insert(id);
        Join(id, 6 + joined, join_ips);
        ++joined;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  scale.join();
  ASSERT_EQ(joined, 2);
  ASSERT_EQ(out.code, 0) << out.out << out.err;
  EXPECT_THAT(out.out, ::testing::HasSubstr("Scaled to 8 active backends.\n"));

  // scale 6: the state machine deactivates the two oldest machines (healthy ones go by added
  // time, §4.10) and removes them in the same run, terminate reaps their instances, and the
  // group ends with 6 members that are all in the cluster.
  CommandOutput in = Cf({"scale", "6", dir_, "-timeout=90s", "-interval=300ms"});
  ASSERT_EQ(in.code, 0) << in.out << in.err;
  EXPECT_THAT(in.out, ::testing::HasSubstr("Set the desired capacity of p-c-autoscaling-group: 8 "
                                           "-> 6 (configuration cluster_size: 6)"));
  EXPECT_THAT(in.out, ::testing::HasSubstr("Scaled to 6 active backends.\n"));

  // Asked on a member of the group (the first instances may have been scaled in).
  Json group = Group();
  ASSERT_FALSE(group["Instances"].empty());
  std::set<std::string> members;
  for (const Json& c : Containers(group["Instances"][0]["InstanceId"])) {
    if (c["state"] == "ACTIVE" && c["status"] == "UP") {
      members.insert(c["aws"]["instance_id"].get<std::string>());
    }
  }
  std::set<std::string> grouped;
  for (const Json& g : group["Instances"]) {
    grouped.insert(g["InstanceId"].get<std::string>());
  }
  EXPECT_EQ(grouped.size(), 6u);
  EXPECT_EQ(members, grouped);
  (void)Call("events", "DisableRule", {{"Name", kRule}});
}

}  // namespace
}  // namespace cf::cli
