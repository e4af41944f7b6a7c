#include "cli/cluster_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cf::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

WekaDeployment Deployment(int containers_per_machine = 3) {
  WekaDeployment d;
  d.module = "weka";
  d.asg_name = "p-c-autoscaling-group";
  d.status_function = "p-c-status-lambda";
  d.cluster_size = 6;
  d.containers_per_machine = containers_per_machine;
  return d;
}

// WEKA's status answer (no simulator "machines" member: real WEKA counts containers).
Json WekaStatus(int containers_active, int containers_total) {
  return {
      {"io_status", "STARTED"},
      {"status", "OK"},
      {"name", "poc"},
      {"release", "4.4.10"},
      {"hosts",
       {{"backends", {{"active", containers_active}, {"total", containers_total}}},
        {"clients", {{"active", 0}, {"total", 0}}}}},
      {"drives", {{"active", 12}, {"total", 12}}},
      {"capacity",
       {{"total_bytes", 3LL << 40}, {"hot_spare_bytes", 1LL << 39}, {"unprovisioned_bytes", 0}}},
      {"stripe_data_drives", 3},
      {"stripe_protection_drives", 2},
      {"hot_spare", 1},
      {"active_alerts_count", 2}};
}

Json Group(int n, const std::string& odd_lifecycle = "") {
  Json instances = Json::array();
  for (int i = 0; i < n; ++i) {
    bool odd = !odd_lifecycle.empty() && i == n - 1;
    instances.push_back({{"InstanceId", "i-" + std::to_string(i)},
                         {"LifecycleState", odd ? odd_lifecycle : "InService"},
                         {"HealthStatus", "Healthy"},
                         {"ProtectedFromScaleIn", true}});
  }
  return {{"DesiredCapacity", n}, {"MinSize", 6}, {"MaxSize", 42}, {"Instances", instances}};
}

Json Clusterized() {
  return {{"summary", {{"clusterized", true}}}};
}

TEST(ClusterReportTest, MachinesComeFromContainersWhenWekaGivesNoMachineCount) {
  ClusterReport r = BuildReport(Deployment(3), "us-east-1", Clusterized(),
                                {{"clusterized", true}, {"weka_status", WekaStatus(18, 18)}},
                                Group(6), Json::array());
  ASSERT_TRUE(r.weka.has_value());
  EXPECT_EQ(r.weka->machines_active, 6);
  EXPECT_EQ(r.weka->machines_total, 6);
  std::string text = RenderReportText(r);
  EXPECT_THAT(text, HasSubstr("Backends:           6/6 machines active (18/18 containers)\n"));
  EXPECT_THAT(text, HasSubstr("Capacity:           3.00 TiB usable, 512.00 GiB hot spare, 0 B "
                              "unprovisioned\n"));
  EXPECT_THAT(text, HasSubstr("Alerts:             2 active\n"));
  EXPECT_THAT(text, Not(HasSubstr("simulator")));
  Json doc = RenderReportJson(r);
  EXPECT_EQ(doc["weka"]["backends"]["containers_total"], 18);
  EXPECT_EQ(doc["weka"]["protection"]["data_drives"], 3);
  EXPECT_EQ(doc["weka"]["simulator"], false);
}

TEST(ClusterReportTest, EmptyWekaStatusIsUnavailableNotZero) {
  ClusterReport r = BuildReport(Deployment(), "us-east-1", Clusterized(),
                                {{"clusterized", true}, {"weka_status", Json::object()}}, Group(6),
                                Json::array());
  EXPECT_FALSE(r.weka.has_value());
  EXPECT_TRUE(RenderReportJson(r)["weka"].is_null());
  EXPECT_THAT(RenderReportText(r), HasSubstr("WEKA status:        unavailable"));
  EXPECT_FALSE(CheckScale(r, 6).done);
}

TEST(ClusterReportTest, WatchShowsTheLastLinesOfEachHost) {
  Json progress = {{"summary", {{"clusterized", false}, {"clusterization_target", 6}}},
                   {"progress", {{"ip-10-0-1-5", {"a", "b", "c", "d", "e"}}}}};
  ClusterReport r = BuildReport(Deployment(), "us-east-1", progress, Json::object(), Group(1),
                                {{{"Instances",
                                   {{{"InstanceId", "i-0"},
                                     {"PrivateIpAddress", "10.0.1.5"},
                                     {"State", {{"Name", "running"}}}}}}}});
  ASSERT_EQ(r.hosts.size(), 1u);
  EXPECT_EQ(r.hosts[0].instance_id, "i-0");
  EXPECT_EQ(r.hosts[0].private_ip, "10.0.1.5");
  std::string text = RenderReportText(r, 3);
  EXPECT_THAT(text,
              HasSubstr("  ip-10-0-1-5 (i-0)\n    ... 2 earlier lines\n    c\n    d\n    e\n"));
  EXPECT_THAT(RenderReportText(r), HasSubstr("    a\n    b\n    c\n"));
}

TEST(ClusterReportTest, ScaleIsDoneOnlyWithTheTargetActiveAndNoOtherInstance) {
  auto report = [](int active, int total, const Json& group) {
    return BuildReport(Deployment(3), "us-east-1", Clusterized(),
                       {{"clusterized", true}, {"weka_status", WekaStatus(active, total)}}, group,
                       Json::array());
  };
  EXPECT_TRUE(CheckScale(report(24, 24, Group(8)), 8).done);
  // A joined machine whose containers are not all active yet.
  EXPECT_FALSE(CheckScale(report(23, 24, Group(8)), 8).done);
  // WEKA has 8 but the group still launches or terminates one.
  EXPECT_FALSE(CheckScale(report(24, 24, Group(9, "Terminating")), 8).done);
  EXPECT_FALSE(CheckScale(report(24, 24, Group(8, "Pending")), 8).done);
  // Scale-in: 8 machines still in WEKA (deactivation not yet done).
  ScaleCheck in = CheckScale(report(24, 24, Group(6)), 6);
  EXPECT_FALSE(in.done);
  EXPECT_EQ(in.line,
            "backends: 8/8 active (target 6), containers 24/24, io STARTED; group: 6 instances (6 "
            "in service and healthy)");
  EXPECT_TRUE(CheckScale(report(18, 18, Group(6)), 6).done);
}

TEST(ClusterReportTest, BytesInBinaryUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1536), "1.50 KiB");
  EXPECT_EQ(FormatBytes(22LL << 30), "22.00 GiB");
}

}  // namespace
}  // namespace cf::cli
