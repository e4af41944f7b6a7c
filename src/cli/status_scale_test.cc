// `clusterform status` and `clusterform scale` against a real local cloud (in-process, on
// 127.0.0.1, any free port): a DynamoDB state item as the module seeds it, the packaged
// clusterform-lambda.zip as the status (and management) function under the local cloud's
// Lambda, a real autoscaling group whose instances are processes, and a state file that
// records them as apply would (the fixture: weka_cluster_test_fixture.h). The full apply -> status
// -> scale 8 -> scale 6 acceptance needs the WEKA end-to-end apply (branch weka-e2e).

#include <signal.h>
#include <unistd.h>

#include <set>

#include "cli/weka_cluster_test_fixture.h"

namespace cf::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

class StatusScaleTest : public WekaClusterTest {};

TEST_F(StatusScaleTest, StatusShowsProgressPerHostAndTheGroupsInstances) {
  auto instances = CreateGroup();
  ASSERT_EQ(instances.size(), 6u);
  const auto& [first_id, first_ip] = instances[0];
  const auto& [second_id, second_ip] = instances[1];
  SeedState(false, Json::array({{{"name", first_id}}}),
            {{Hostname(first_ip),
              {"10:00:01 UTC: Installing weka", "10:00:09 UTC: Weka containers are ready"}},
             {Hostname(second_ip), {"10:00:02 UTC: Installing weka"}}},
            {{Hostname(second_ip), {"10:00:05 UTC: failed to set up drives0"}}});
  CreateFunction(kStatusFunction, "status");
  WriteDeployment();

  CommandOutput text = Cf({"status", dir_});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("WEKA deployment module.weka_deployment (us-east-1)"));
  EXPECT_THAT(text.out,
              HasSubstr("Clusterized:        no: 1 of 6 backends ready for clusterization, 1 "
                        "installing"));
  EXPECT_THAT(text.out, HasSubstr(std::string("Autoscaling group:  ") + kGroup +
                                  ": desired 6, in service 6 (min 6, max 42)"));
  EXPECT_THAT(text.out, HasSubstr("INSTANCE             PRIVATE IP"));
  EXPECT_THAT(text.out, HasSubstr(first_id + "  " + first_ip));
  EXPECT_THAT(text.out, HasSubstr("Clusterization progress (2 hosts):"));
  EXPECT_THAT(text.out, HasSubstr("  " + Hostname(first_ip) + " (" + first_id +
                                  ")\n    10:00:01 UTC: Installing weka\n    10:00:09 UTC: Weka "
                                  "containers are ready\n"));
  EXPECT_THAT(text.out, HasSubstr("    error: 10:00:05 UTC: failed to set up drives0\n"));

  CommandOutput json = Cf({"status", dir_, "-json"});
  ASSERT_EQ(json.code, 0) << json.err;
  Json doc = Json::parse(json.out);
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["deployment"]["asg_name"], kGroup);
  EXPECT_EQ(doc["deployment"]["status_function"], kStatusFunction);
  EXPECT_EQ(doc["clusterized"], false);
  EXPECT_EQ(doc["clusterization"]["target"], 6);
  EXPECT_EQ(doc["clusterization"]["ready"], 1);
  EXPECT_EQ(doc["clusterization"]["in_progress"], Json::array({Hostname(second_ip)}));
  EXPECT_TRUE(doc["weka"].is_null());
  EXPECT_EQ(doc["autoscaling_group"]["desired"], 6);
  EXPECT_EQ(doc["autoscaling_group"]["max"], 42);
  ASSERT_EQ(doc["autoscaling_group"]["instances"].size(), 6u);
  EXPECT_EQ(doc["autoscaling_group"]["instances"][0]["instance_id"], first_id);
  EXPECT_EQ(doc["autoscaling_group"]["instances"][0]["private_ip"], first_ip);
  EXPECT_EQ(doc["autoscaling_group"]["instances"][0]["lifecycle"], "InService");
  EXPECT_EQ(doc["autoscaling_group"]["instances"][0]["health"], "Healthy");
  EXPECT_EQ(doc["autoscaling_group"]["instances"][0]["protected_from_scale_in"], true);
  ASSERT_EQ(doc["hosts"].size(), 2u);
  // Hosts are listed by hostname, whatever order the group's instances came in.
  const Json& second_host =
      doc["hosts"][0]["hostname"] == Hostname(second_ip) ? doc["hosts"][0] : doc["hosts"][1];
  EXPECT_EQ(second_host["hostname"], Hostname(second_ip));
  EXPECT_EQ(second_host["instance_id"], second_id);
  EXPECT_EQ(second_host["errors"][0], "10:00:05 UTC: failed to set up drives0");

  // --watch on an unclusterized deployment keeps refreshing; a non-terminal gets the report
  // once while nothing changes, and SIGINT ends it with 130.
  std::thread interrupter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    ::kill(::getpid(), SIGINT);
  });
  CommandOutput watched = Cf({"status", dir_, "--watch", "-interval=200ms"});
  interrupter.join();
  EXPECT_EQ(watched.code, 130) << watched.err;
  EXPECT_THAT(watched.err, HasSubstr("interrupted; the deployment is unchanged"));
  size_t first = watched.out.find("Clusterized:");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(watched.out.find("Clusterized:", first + 1), std::string::npos) << watched.out;

  // Once the state item says clusterized, --watch ends by itself.
  SeedState(true, Json::array(), Json::object());
  CreateFunction("p-c-management-lambda", "management");
  CommandOutput done = Cf({"status", dir_, "--watch", "-interval=200ms"});
  EXPECT_EQ(done.code, 0) << done.err;
  EXPECT_THAT(done.out, HasSubstr("Clusterized:        yes"));
  EXPECT_THAT(done.out,
              HasSubstr("WEKA status:        unavailable: no backend answered the management "
                        "function"));
}

TEST_F(StatusScaleTest, ScaleRefusesBadTargetsBeforeChangingAnything) {
  CreateGroup();
  SeedState(false, Json::array(), Json::object());
  CreateFunction(kStatusFunction, "status");
  WriteDeployment();

  CommandOutput five = Cf({"scale", "5", dir_});
  EXPECT_EQ(five.code, 1);
  EXPECT_EQ(five.err,
            "clusterform scale: 5 backends refused: Cluster size should be at least 6.\nNothing "
            "was changed.\n");
  CommandOutput above = Cf({"scale", "43", dir_});
  EXPECT_EQ(above.code, 1);
  EXPECT_THAT(above.err, HasSubstr(std::string("43 backends refused: the autoscaling group ") +
                                   kGroup + " allows at most 42"));
  CommandOutput early = Cf({"scale", "8", dir_});
  EXPECT_EQ(early.code, 1);
  EXPECT_THAT(early.err, HasSubstr("the cluster is not clusterized yet (0 of 6 backends ready)"));
  CommandOutput word = Cf({"scale", "many", dir_});
  EXPECT_EQ(word.code, 2);
  EXPECT_THAT(word.err, HasSubstr("N must be a whole number of backends, not \"many\""));

  Json group = Group();
  EXPECT_EQ(group["DesiredCapacity"], 6);
  EXPECT_EQ(group["MinSize"], 6);
  EXPECT_EQ(group["Instances"].size(), 6u);
}

TEST_F(StatusScaleTest, ScaleSetsTheDesiredCapacityAndFollowsUntilTheTimeout) {
  CreateGroup();
  SeedState(true, Json::array(), Json::object());
  CreateFunction(kStatusFunction, "status");
  CreateFunction("p-c-management-lambda", "management");
  WriteDeployment();

  // No WEKA backend answers here (the instances run no simulator), so the cluster never has
  // 8 active backends: the command reports what it sees and stops at the timeout, leaving
  // the new desired capacity in place.
  CommandOutput out = Cf({"scale", "8", dir_, "-timeout=3s", "-interval=500ms"});
  EXPECT_EQ(out.code, 1) << out.out << out.err;
  EXPECT_THAT(out.out, HasSubstr(std::string("Set the desired capacity of ") + kGroup +
                                 ": 6 -> 8 (configuration cluster_size: 6)"));
  EXPECT_THAT(out.out, HasSubstr("backends: WEKA status unavailable; group: "));
  EXPECT_THAT(out.err, HasSubstr("timed out after 3 s before the cluster had 8 active backends"));
  EXPECT_EQ(Group()["DesiredCapacity"], 8);
  EXPECT_EQ(Group()["MinSize"], 6);

  // Below the group's minimum (cluster_size 8 deployments), MinSize is lowered first.
  Call("autoscaling", "UpdateAutoScalingGroup", {{"AutoScalingGroupName", kGroup}, {"MinSize", 8}});
  CommandOutput in = Cf({"scale", "7", dir_, "-timeout=1s", "-interval=500ms"});
  EXPECT_EQ(in.code, 1);
  EXPECT_THAT(in.out, HasSubstr(std::string("Lowered the minimum size of ") + kGroup + ": 8 -> 7"));
  EXPECT_EQ(Group()["DesiredCapacity"], 7);
  EXPECT_EQ(Group()["MinSize"], 7);
}

TEST_F(StatusScaleTest, ScaleOutFollowsTheClusterUntilTheNewBackendsAreActive) {
  auto instances = CreateGroup();
  ASSERT_EQ(instances.size(), 6u);
  Clusterize(instances);
  SeedState(true, Json::array(), Json::object());
  CreateFunction(kStatusFunction, "status");
  CreateFunction("p-c-management-lambda", "management");
  WriteDeployment();

  CommandOutput status = Cf({"status", dir_});
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("Clusterized:        yes"));
  EXPECT_THAT(status.out, HasSubstr("(clusterform WEKA simulator)"));
  EXPECT_THAT(status.out, HasSubstr("IO status:          STARTED"));
  EXPECT_THAT(status.out, HasSubstr("Backends:           6/6 machines active (12/12 containers)"));
  EXPECT_THAT(status.out, HasSubstr("Drives:             12/12 active"));
  EXPECT_THAT(status.out, HasSubstr("Protection:         3+2 stripe, 1 hot spare"));
  Json doc = Json::parse(Cf({"status", dir_, "-json"}).out);
  EXPECT_EQ(doc["weka"]["io_status"], "STARTED");
  EXPECT_EQ(doc["weka"]["backends"]["machines_active"], 6);
  EXPECT_GT(doc["weka"]["capacity"]["total_bytes"].get<int64_t>(), 0);
  EXPECT_EQ(doc["weka"]["simulator"], true);

  // scale 8: the group launches two instances; this test plays their join script.
  CommandOutput scaled;
  std::thread scale([&] { scaled = Cf({"scale", "8", dir_, "-timeout=90s", "-interval=500ms"}); });
  std::set<std::string> known;
  for (const auto& [id, ip] : instances) {
    known.insert(id);
  }
  std::string join_ips = instances[0].second + "," + instances[1].second;
  int joined = 0;
  for (int i = 0; i < 600 && joined < 2; ++i) {
    Json group = Group();
    Json fresh = Json::array();
    for (const Json& in : group.value("Instances", Json::array())) {
      if (in["LifecycleState"] == "InService" && !known.count(in["InstanceId"])) {
        fresh.push_back(in["InstanceId"]);
      }
    }
    for (const Json& id : fresh) {
      known.insert(id.get<std::string>());
      Join(id.get<std::string>(), 6 + joined, join_ips);
      ++joined;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  scale.join();
  EXPECT_EQ(joined, 2);
  EXPECT_EQ(scaled.code, 0) << scaled.out << scaled.err;
  EXPECT_THAT(scaled.out, HasSubstr(std::string("Set the desired capacity of ") + kGroup +
                                    ": 6 -> 8 (configuration cluster_size: 6)"));
  // Progress lines while the group grows (the joins may beat the first line, so any count).
  EXPECT_THAT(scaled.out,
              ContainsRegex("\\[ *[0-9]+s\\] backends: [678]/[678] active \\(target 8\\)"));
  EXPECT_THAT(scaled.out, HasSubstr("backends: 8/8 active (target 8), containers 16/16, io "
                                    "STARTED; group: 8 instances (8 in service and healthy)"));
  EXPECT_THAT(scaled.out, HasSubstr("Scaled to 8 active backends.\n"));
  EXPECT_EQ(Group()["DesiredCapacity"], 8);
}

TEST_F(StatusScaleTest, ClearErrorsWithoutStateModuleOrEndpoint) {
  WriteDeployment(/*with_state=*/false);
  CommandOutput none = Cf({"status", dir_});
  EXPECT_EQ(none.code, 1);
  EXPECT_THAT(none.err, HasSubstr("has no state"));
  EXPECT_THAT(none.err, HasSubstr("run `clusterform apply"));
  CommandOutput scale_none = Cf({"scale", "8", dir_});
  EXPECT_EQ(scale_none.code, 1);
  EXPECT_THAT(scale_none.err, HasSubstr("has no state"));

  WriteDeployment();
  // Nothing listens on this port: the error names the endpoint.
  CommandOutput unreachable = Cf({"status", dir_}, "http://127.0.0.1:1");
  EXPECT_EQ(unreachable.code, 1);
  EXPECT_THAT(unreachable.err, HasSubstr("(endpoint http://127.0.0.1:1)"));

  std::ofstream(fs::path(dir_) / "main.tf", std::ios::trunc) << R"(
provider "aws" {
  region = "us-east-1"
}
)";
  CommandOutput no_module = Cf({"status", dir_});
  EXPECT_EQ(no_module.code, 1);
  EXPECT_THAT(no_module.err,
              HasSubstr("the configuration has no WEKA deployment: no module block with source = "
                        "\"weka/weka/aws\""));
}

}  // namespace
}  // namespace cf::cli
