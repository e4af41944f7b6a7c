#include "control/scale_down.h"

#include <fmt/core.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/clock.h"
#include "control/fake_weka_rpc.h"
#include "testing/status_matchers.h"

namespace cf::control {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

const std::chrono::system_clock::time_point kNow =
    std::chrono::system_clock::from_time_t(1'800'000'000);

std::string At(std::chrono::system_clock::duration ago) {
  return FormatRfc3339(kNow - ago);
}

// A simulated cluster in the JSON-RPC shapes: machines with a drives0 and a compute0 container.
class Cluster {
 public:
  // Adds machine k (IP 127.0.1.k, instance i-k), added `age` ago; returns its host ids.
  std::pair<int, int> AddMachine(int k, std::chrono::system_clock::duration age = 10h) {
    int drives = next_host_++;
    int compute = next_host_++;
    for (int id : {drives, compute}) {
      hosts_[fmt::format("HostId<{}>", id)] = {
          {"added_time", At(age)},
          {"state_changed_time", At(age)},
          {"state", "ACTIVE"},
          {"status", "UP"},
          {"host_ip", Ip(k)},
          {"aws", {{"instance_id", fmt::format("i-{}", k)}}},
          {"container_name", id == drives ? "drives0" : "compute0"},
          {"mode", "backend"},
          {"machine_identifier", fmt::format("m-{}", k)},
          {"auto_remove_timeout", 0}};
      nodes_[fmt::format("NodeId<{}>", id * 20)] = {{"status", "UP"},
                                                    {"host_id", fmt::format("HostId<{}>", id)},
                                                    {"last_fencing_time", nullptr}};
    }
    drives_[fmt::format("DiskId<{}>", drives)] = {{"host_id", fmt::format("HostId<{}>", drives)},
                                                  {"status", "ACTIVE"},
                                                  {"uuid", fmt::format("uuid-{}", k)},
                                                  {"should_be_active", true}};
    instances_.push_back({fmt::format("i-{}", k), Ip(k)});
    return {drives, compute};
  }
  static std::string Ip(int k) { return fmt::format("127.0.1.{}", k); }
  json& Host(int id) { return hosts_[fmt::format("HostId<{}>", id)]; }
  json& Node(int host_id) { return nodes_[fmt::format("NodeId<{}>", host_id * 20)]; }
  void SetMachine(int k, const std::string& state, const std::string& status) {
    for (auto& [id, h] : hosts_.items()) {
      if (h["host_ip"] == Ip(k)) {
        h["state"] = state;
        h["status"] = status;
      }
    }
  }
  // Every container of machine k DOWN, its management nodes DOWN since `ago`.
  void Down(int k, std::chrono::system_clock::duration ago) {
    for (auto& [id, h] : hosts_.items()) {
      if (h["host_ip"] == Ip(k)) {
        h["status"] = "DOWN";
        h["state_changed_time"] = At(ago);
      }
    }
    for (auto& [id, n] : nodes_.items()) {
      std::string host = n["host_id"];
      if (hosts_[host]["host_ip"] == Ip(k)) {
        n["status"] = "DOWN";
      }
    }
  }
  void Serve(FakeWekaRpc& rpc, const std::string& io = "STARTED") {
    rpc.answers["status"] = {{"io_status", io}, {"upgrade", ""}};
    rpc.answers["manual_override_list"] = json::array();
    rpc.answers["hosts_list"] = hosts_;
    rpc.answers["disks_list"] = drives_;
    rpc.answers["nodes_list"] = nodes_;
    rpc.answers["interface_group_list"] = groups_;
    for (const char* m :
         {"cluster_remove_drives", "cluster_remove_host", "cluster_deactivate_drives",
          "cluster_deactivate_hosts", "interface_group_delete_port", "events_trigger_custom"}) {
      rpc.answers[m] = nullptr;
    }
  }
  HostGroupInfo Info(int desired) {
    HostGroupInfo info;
    info.username = "weka-deployment";
    info.password = "pw";
    info.role = "backend";
    info.weka_backends_desired_capacity = desired;
    info.weka_backend_instances = instances_;
    info.down_backends_removal_timeout_ns = std::chrono::nanoseconds(3h).count();
    for (const HgInstance& i : instances_) {
      info.backend_ips.push_back(i.private_ip);
    }
    return info;
  }
  json hosts_ = json::object();
  json drives_ = json::object();
  json nodes_ = json::object();
  json groups_ = json::array();
  std::vector<HgInstance> instances_;
  int next_host_ = 0;
};

Cluster SixMachines() {
  Cluster c;
  for (int k = 1; k <= 6; ++k) {
    // Machine 1 is the oldest.
    c.AddMachine(k, std::chrono::hours(20 - k));
  }
  return c;
}

std::vector<std::string> DeactivatedIps(const FakeWekaRpc& rpc, const json& hosts_list) {
  std::vector<std::string> out;
  for (const json& p : rpc.CallsTo("cluster_deactivate_hosts")) {
    out.push_back(hosts_list[p["host_ids"][0].get<std::string>()]["host_ip"]);
  }
  return out;
}

TEST(DeactivateTargetTest, FollowsTheFormula) {
  EXPECT_EQ(DeactivateTarget(6, 0, 0, 6), 0);
  EXPECT_EQ(DeactivateTarget(6, 0, 0, 5), 1);
  EXPECT_EQ(DeactivateTarget(6, 0, 0, 8), 0);  // scale-out is the ASG's job
  EXPECT_EQ(DeactivateTarget(3, 3, 0, 6), 2);  // at most two unhealthy at a time
  EXPECT_EQ(DeactivateTarget(4, 1, 1, 6), 1);  // one already deactivating: one more
  EXPECT_EQ(DeactivateTarget(4, 2, 2, 8), 2);  // two deactivating: keep them, no new
  EXPECT_EQ(DeactivateTarget(6, 0, 2, 6), 2);
}

TEST(ScaleDownTest, AHealthyClusterAtItsSizeIsLeftAlone) {
  Cluster c = SixMachines();
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_EQ((*out)["hosts"].size(), 12u);
  EXPECT_TRUE((*out)["to_terminate"].empty());
  EXPECT_TRUE((*out)["TransientErrors"].is_null());
  EXPECT_EQ((*out)["version"], 1);
  EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
  EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_drives").empty());
  EXPECT_EQ((*out)["hosts"][0]["host_id"].get<std::string>().rfind("HostId<", 0), 0u);
}

TEST(ScaleDownTest, GatesAbortBeforeAnyChange) {
  Cluster c = SixMachines();
  {
    FakeWekaRpc rpc;
    c.Serve(rpc, "STOPPED");
    EXPECT_THAT(ScaleDown(c.Info(5), rpc, kNow),
                StatusIs(StatusCode::kConflict, HasSubstr("io status:STOPPED, aborting scale")));
    EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
  }
  {
    FakeWekaRpc rpc;
    c.Serve(rpc);
    rpc.answers["status"]["upgrade"] = "4.4.1";
    EXPECT_THAT(ScaleDown(c.Info(5), rpc, kNow),
                StatusIs(StatusCode::kConflict, HasSubstr("upgrade is running")));
  }
  {
    FakeWekaRpc rpc;
    c.Serve(rpc);
    rpc.answers["manual_override_list"] = json::array({{{"key", "skip_scale_down"}}});
    EXPECT_THAT(ScaleDown(c.Info(5), rpc, kNow),
                StatusIs(StatusCode::kConflict, HasSubstr("skip_scale_down")));
    EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
  }
  {
    Cluster single = SixMachines();
    for (auto& [id, h] : single.hosts_.items()) {
      h["container_name"] = "default";
    }
    FakeWekaRpc rpc;
    single.Serve(rpc);
    EXPECT_THAT(ScaleDown(single.Info(5), rpc, kNow),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("multi backend container")));
  }
  {
    HostGroupInfo info = c.Info(5);
    info.role = "nfs";
    FakeWekaRpc rpc;
    Result<json> out = ScaleDown(info, rpc, kNow);
    ASSERT_OK(out);
    EXPECT_TRUE(rpc.calls.empty());  // not a backend role: nothing to do
  }
}

TEST(ScaleDownTest, ScalingInDeactivatesTheOldestMachineWhole) {
  Cluster c = SixMachines();
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(5), rpc, kNow);
  ASSERT_OK(out);
  auto deactivated = rpc.CallsTo("cluster_deactivate_hosts");
  ASSERT_EQ(deactivated.size(), 1u);
  EXPECT_EQ(deactivated[0]["host_ids"], json::array({"HostId<0>", "HostId<1>"}));
  EXPECT_EQ(deactivated[0]["skip_resource_validation"], false);
  auto drives = rpc.CallsTo("cluster_deactivate_drives");
  ASSERT_EQ(drives.size(), 1u);
  EXPECT_EQ(drives[0]["drive_uuids"], json::array({"uuid-1"}));
  auto events = rpc.CallsTo("events_trigger_custom");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["message"],
            "Trying to deactivate weka backend machine 127.0.1.1. Desired size: 5, current size: "
            "6, reason: scale down.");
  EXPECT_THAT(rpc.dropped, ElementsAre("127.0.1.1"));
}

TEST(ScaleDownTest, AtMostTwoUnhealthyMachinesAtATime) {
  Cluster c = SixMachines();
  c.Down(2, 3h);
  c.Down(4, 3h);
  c.Down(5, 3h);
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.2", "127.0.1.4"));
}

TEST(ScaleDownTest, ARecentlyDownMachineIsNotYetUnhealthy) {
  Cluster c = SixMachines();
  c.Down(3, 30min);
  FakeWekaRpc rpc;
  c.Serve(rpc);
  ASSERT_OK(ScaleDown(c.Info(6), rpc, kNow));
  EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
}

TEST(ScaleDownTest, LastFencingTimeWinsOverStateChangedTime) {
  Cluster c = SixMachines();
  c.Down(3, 3h);
  for (auto& [id, n] : c.nodes_.items()) {
    if (c.hosts_[n["host_id"].get<std::string>()]["host_ip"] == Cluster::Ip(3)) {
      n["last_fencing_time"] = At(10min);
    }
  }
  FakeWekaRpc rpc;
  c.Serve(rpc);
  ASSERT_OK(ScaleDown(c.Info(6), rpc, kNow));
  EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
}

TEST(ScaleDownTest, AnInactiveDriveOnAnOldHostMakesItUnhealthyFirst) {
  Cluster c = SixMachines();
  c.drives_["DiskId<6>"]["status"] = "INACTIVE";  // machine 4's drive
  FakeWekaRpc rpc;
  c.Serve(rpc);
  ASSERT_OK(ScaleDown(c.Info(6), rpc, kNow));
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.4"));
}

TEST(ScaleDownTest, AnInactiveDriveOnANewHostIsGivenTime) {
  Cluster c;
  for (int k = 1; k <= 6; ++k) {
    c.AddMachine(k, k == 4 ? 2min : 10h);
  }
  c.drives_["DiskId<6>"]["status"] = "INACTIVE";
  FakeWekaRpc rpc;
  c.Serve(rpc);
  ASSERT_OK(ScaleDown(c.Info(6), rpc, kNow));
  EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
}

TEST(ScaleDownTest, DeactivatingMachinesStayInTheCountAndComeFirst) {
  Cluster c = SixMachines();
  c.SetMachine(5, "DEACTIVATING", "UP");
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(5), rpc, kNow);
  ASSERT_OK(out);
  // D=1, H=5, desired 5: N = max(1, 6-5) = 1, the deactivating one.
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.5"));
  // Its drive should be active still; the deactivation asks for it again.
  EXPECT_EQ(rpc.CallsTo("cluster_deactivate_drives").size(), 1u);
}

TEST(ScaleDownTest, AnInactiveMachineIsRemovedAndHandedToTerminate) {
  Cluster c = SixMachines();
  c.SetMachine(6, "INACTIVE", "INACTIVE");
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  auto removed = rpc.CallsTo("cluster_remove_host");
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0], json({{"host_id", 10}, {"no_wait", true}}));
  EXPECT_EQ(removed[1]["host_id"], 11);
  EXPECT_EQ((*out)["to_terminate"], json::array({{{"Id", "i-6"}, {"PrivateIp", "127.0.1.6"}}}));
  EXPECT_EQ(rpc.CallsTo("cluster_remove_drives").size(), 1u);
  EXPECT_EQ((*out)["hosts"].size(), 10u);
  EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
}

TEST(ScaleDownTest, AnInactiveMachineStillStoppingIsNotYetRemoved) {
  Cluster c = SixMachines();
  c.SetMachine(6, "INACTIVE", "UP");
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_TRUE(rpc.CallsTo("cluster_remove_host").empty());
  EXPECT_TRUE((*out)["to_terminate"].empty());
}

TEST(ScaleDownTest, DrivesOfVanishedHostsAreRemoved) {
  Cluster c = SixMachines();
  c.drives_["DiskId<99>"] = {{"host_id", "HostId<INVALID>"},
                             {"status", "INACTIVE"},
                             {"uuid", "old"},
                             {"should_be_active", false}};
  FakeWekaRpc rpc;
  c.Serve(rpc);
  ASSERT_OK(ScaleDown(c.Info(6), rpc, kNow));
  EXPECT_EQ(rpc.CallsTo("cluster_remove_drives"), std::vector<json>({{{"drive_uuids", {"old"}}}}));
}

TEST(ScaleDownTest, WekaRefusingADeactivationIsATransientError) {
  Cluster c = SixMachines();
  FakeWekaRpc rpc;
  c.Serve(rpc);
  rpc.failures["cluster_deactivate_hosts"] = InvalidArgumentError(
      "cluster_deactivate_hosts: deactivating would break the protection level (code -32000)");
  Result<json> out = ScaleDown(c.Info(2), rpc, kNow);
  ASSERT_OK(out);
  ASSERT_TRUE((*out)["TransientErrors"].is_array());
  EXPECT_THAT((*out)["TransientErrors"][0].get<std::string>(),
              HasSubstr("deactivateHost:cluster_deactivate_hosts: deactivating would break"));
  EXPECT_EQ(rpc.CallsTo("cluster_deactivate_hosts").size(), 4u);  // 6 - 2
  EXPECT_TRUE(rpc.dropped.empty());
}

TEST(ScaleDownTest, MoreThanThreeContainersOnOneMachineIsFatal) {
  Cluster c = SixMachines();
  for (int id : {100, 101}) {
    c.hosts_[fmt::format("HostId<{}>", id)] = c.Host(0);
  }
  FakeWekaRpc rpc;
  c.Serve(rpc);
  EXPECT_THAT(ScaleDown(c.Info(6), rpc, kNow),
              StatusIs(StatusCode::kInternal, HasSubstr("more than 3 backend containers")));
}

TEST(ScaleDownTest, TwoMachineIdentifiersOnOneIpIsFatal) {
  Cluster c = SixMachines();
  c.Host(1)["machine_identifier"] = "other";
  FakeWekaRpc rpc;
  c.Serve(rpc);
  EXPECT_THAT(ScaleDown(c.Info(6), rpc, kNow),
              StatusIs(StatusCode::kInternal, HasSubstr("more than 1 machine identifier")));
}

TEST(ScaleDownTest, ValidateDeltaAbortsWhenAnActiveContainerWouldBeTerminated) {
  Cluster c = SixMachines();
  // An active client container holds the IP of an ASG instance that has no backend host.
  c.instances_.push_back({"i-7", "127.0.1.7"});
  c.hosts_["HostId<50>"] = {{"host_ip", "127.0.1.7"},     {"mode", "client"},
                            {"state", "ACTIVE"},          {"status", "UP"},
                            {"container_name", "client"}, {"auto_remove_timeout", 0}};
  FakeWekaRpc rpc;
  c.Serve(rpc);
  EXPECT_THAT(
      ScaleDown(c.Info(7), rpc, kNow),
      StatusIs(StatusCode::kInternal, HasSubstr("was targeted for termination: 127.0.1.7")));
  // A DOWN client with auto-remove: an IP collision, not a reason to abort.
  c.hosts_["HostId<50>"]["status"] = "DOWN";
  c.hosts_["HostId<50>"]["auto_remove_timeout"] = 60;
  FakeWekaRpc rpc2;
  c.Serve(rpc2);
  EXPECT_OK(ScaleDown(c.Info(7), rpc2, kNow));
}

TEST(ScaleDownTest, ALeftoverMachineDownPastTheTimeoutIsDeactivated) {
  Cluster c = SixMachines();
  c.AddMachine(7);
  c.instances_.pop_back();  // its instance is gone from the ASG
  c.Down(7, 4h);
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.7"));
  EXPECT_THAT(rpc.CallsTo("events_trigger_custom").back()["message"].get<std::string>(),
              HasSubstr("reason: down machine."));
}

TEST(ScaleDownTest, ALeftoverPartlyDownIsATransientErrorAndActiveOnesAreKept) {
  Cluster c = SixMachines();
  auto [d7, c7] = c.AddMachine(7);
  c.AddMachine(8);
  c.instances_.resize(6);
  c.Down(7, 4h);
  c.Host(c7)["status"] = "UP";
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_TRUE(rpc.CallsTo("cluster_deactivate_hosts").empty());
  EXPECT_THAT((*out)["TransientErrors"][0].get<std::string>(),
              HasSubstr(fmt::format("host HostId<{}> is down but not all containers", d7)));
  int kept = 0;
  for (const json& h : (*out)["hosts"]) {
    kept += h["private_ip"] == "127.0.1.8" ? 1 : 0;
  }
  EXPECT_EQ(kept, 2);
}

TEST(ScaleDownTest, NfsGatewaysScaleAgainstTheirOwnCapacityAndLoseTheirPorts) {
  Cluster c = SixMachines();
  // Two NFS gateways (one frontend container each), in interface group "nfs-ig".
  for (int k : {21, 22}) {
    int id = 200 + k;
    c.hosts_[fmt::format("HostId<{}>", id)] = {{"added_time", At(std::chrono::hours(k))},
                                               {"state_changed_time", At(1h)},
                                               {"state", "ACTIVE"},
                                               {"status", "UP"},
                                               {"host_ip", Cluster::Ip(k)},
                                               {"aws", {{"instance_id", fmt::format("i-{}", k)}}},
                                               {"container_name", "frontend0"},
                                               {"mode", "backend"},
                                               {"machine_identifier", fmt::format("m-{}", k)}};
    c.groups_.push_back(
        {{"name", "nfs-ig"},
         {"type", "NFS"},
         {"ports", {{{"host_id", fmt::format("HostId<{}>", id)}, {"port", "eth0"}}}}});
  }
  HostGroupInfo info = c.Info(6);
  info.nfs_backend_instances = {{"i-21", Cluster::Ip(21)}, {"i-22", Cluster::Ip(22)}};
  info.nfs_backends_desired_capacity = 1;
  FakeWekaRpc rpc;
  c.Serve(rpc);
  Result<json> out = ScaleDown(info, rpc, kNow);
  ASSERT_OK(out);
  // The older gateway (22) goes: its port first, then the host.
  auto ports = rpc.CallsTo("interface_group_delete_port");
  ASSERT_EQ(ports.size(), 1u);
  EXPECT_EQ(ports[0], json({{"name", "nfs-ig"}, {"host_id", "HostId<222>"}, {"port", "eth0"}}));
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.22"));
  EXPECT_THAT(rpc.CallsTo("events_trigger_custom").back()["message"].get<std::string>(),
              HasSubstr("nfs backend machine 127.0.1.22"));
}

TEST(ScaleDownTest, InputIsValidated) {
  Cluster c = SixMachines();
  HostGroupInfo info = c.Info(6);
  EXPECT_OK(ValidateScaleDownInput(info));
  info.password.clear();
  EXPECT_THAT(ValidateScaleDownInput(info),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("password")));
  info = c.Info(0);
  EXPECT_THAT(ValidateScaleDownInput(info),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("desired_capacity")));
  info = c.Info(6);
  info.down_backends_removal_timeout_ns = 0;
  EXPECT_THAT(ValidateScaleDownInput(info),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("down_backends_removal_timeout")));
  Result<HostGroupInfo> back = HostGroupInfoFromJson(HostGroupInfoToJson(c.Info(6), true, false));
  ASSERT_OK(back);
  EXPECT_EQ(back->weka_backend_instances.size(), 6u);
  EXPECT_EQ(back->password, "pw");
  EXPECT_FALSE(HostGroupInfoToJson(c.Info(6), false, false).contains("password"));
}

// Deactivated hosts turn INACTIVE at once, as the simulator's (and a quick WEKA's) do.
void DeactivateAtOnce(FakeWekaRpc& rpc) {
  rpc.on_call = [](FakeWekaRpc& self, const std::string& method, const json& params) {
    if (method != "cluster_deactivate_hosts") {
      return;
    }
    for (const json& id : params["host_ids"]) {
      json& host = self.answers["hosts_list"][id.get<std::string>()];
      host["state"] = "INACTIVE";
      host["status"] = "INACTIVE";
    }
  };
}

TEST(ScaleDownTimeScaleTest, ADownMachineIsUnhealthyAfterTheScaledTwoHours) {
  // Down for 80 wall seconds: 80 s at scale 1, 8000 s (over 2 h) at scale 0.01.
  Cluster c = SixMachines();
  c.Down(3, 80s);
  FakeWekaRpc at_one;
  c.Serve(at_one);
  ASSERT_OK(ScaleDown(c.Info(6), at_one, kNow));
  EXPECT_TRUE(at_one.CallsTo("cluster_deactivate_hosts").empty());

  FakeWekaRpc scaled;
  c.Serve(scaled);
  ASSERT_OK(ScaleDown(c.Info(6), scaled, kNow, 0.01));
  EXPECT_THAT(DeactivatedIps(scaled, c.hosts_), ElementsAre("127.0.1.3"));
}

TEST(ScaleDownTimeScaleTest, AnInactiveDriveOnAHostAddedSecondsAgoIsUnhealthyWhenScaled) {
  // Machine 4 was added 4 wall seconds ago (400 simulated seconds at 0.01, over 5 minutes).
  Cluster c;
  for (int k = 1; k <= 6; ++k) {
    c.AddMachine(k, k == 4 ? 4s : 10h);
  }
  c.drives_["DiskId<6>"]["status"] = "INACTIVE";
  FakeWekaRpc at_one;
  c.Serve(at_one);
  ASSERT_OK(ScaleDown(c.Info(6), at_one, kNow));
  EXPECT_TRUE(at_one.CallsTo("cluster_deactivate_hosts").empty());

  FakeWekaRpc scaled;
  c.Serve(scaled);
  ASSERT_OK(ScaleDown(c.Info(6), scaled, kNow, 0.01));
  EXPECT_THAT(DeactivatedIps(scaled, c.hosts_), ElementsAre("127.0.1.4"));
}

TEST(ScaleDownTimeScaleTest, ALeftoverDownPastTheScaledRemovalTimeoutIsDeactivated) {
  // Down 2 wall minutes: under the 3 h timeout at scale 1, 12000 s (over 3 h) at 0.01.
  Cluster c = SixMachines();
  c.AddMachine(7);
  c.instances_.pop_back();
  c.Down(7, 2min);
  FakeWekaRpc at_one;
  c.Serve(at_one);
  ASSERT_OK(ScaleDown(c.Info(6), at_one, kNow));
  EXPECT_TRUE(at_one.CallsTo("cluster_deactivate_hosts").empty());

  FakeWekaRpc scaled;
  c.Serve(scaled);
  ASSERT_OK(ScaleDown(c.Info(6), scaled, kNow, 0.01));
  EXPECT_THAT(DeactivatedIps(scaled, c.hosts_), ElementsAre("127.0.1.7"));
}

TEST(ScaleDownHealingTest, ADeadMemberIsDeactivatedRemovedAndHandedToTerminateInOneRun) {
  Cluster c = SixMachines();
  c.Down(3, 3h);
  FakeWekaRpc rpc;
  c.Serve(rpc);
  DeactivateAtOnce(rpc);
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.3"));
  auto removed = rpc.CallsTo("cluster_remove_host");
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0], json({{"host_id", 4}, {"no_wait", true}}));
  EXPECT_EQ(removed[1], json({{"host_id", 5}, {"no_wait", true}}));
  EXPECT_EQ((*out)["to_terminate"], json::array({{{"Id", "i-3"}, {"PrivateIp", "127.0.1.3"}}}));
  // Its hosts are not reported as kept, so terminate reaps the instance.
  EXPECT_EQ((*out)["hosts"].size(), 10u);
  for (const json& h : (*out)["hosts"]) {
    EXPECT_NE(h["private_ip"], "127.0.1.3");
  }
  EXPECT_TRUE((*out)["TransientErrors"].is_null());
}

TEST(ScaleDownHealingTest, AMachineStillDeactivatingWaitsForTheNextRun) {
  Cluster c = SixMachines();
  c.Down(3, 3h);
  FakeWekaRpc rpc;
  c.Serve(rpc);  // hosts_list keeps answering ACTIVE: WEKA is still deactivating
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.3"));
  EXPECT_TRUE(rpc.CallsTo("cluster_remove_host").empty());
  EXPECT_TRUE((*out)["to_terminate"].empty());
}

TEST(ScaleDownHealingTest, ARefusedDeactivationRemovesNothing) {
  Cluster c = SixMachines();
  c.Down(3, 3h);
  FakeWekaRpc rpc;
  c.Serve(rpc);
  DeactivateAtOnce(rpc);
  rpc.failures["cluster_deactivate_hosts"] =
      ConflictError("the deactivation would leave fewer failure domains than the stripe");
  Result<json> out = ScaleDown(c.Info(6), rpc, kNow);
  ASSERT_OK(out);
  EXPECT_TRUE(rpc.CallsTo("cluster_remove_host").empty());
  EXPECT_TRUE((*out)["to_terminate"].empty());
  EXPECT_THAT((*out)["TransientErrors"][0].get<std::string>(), HasSubstr("deactivateHost:"));
}

TEST(ScaleDownHealingTest, ALeftoverWhoseInstanceIsGoneIsRemovedAtOnce) {
  // The ASG replaced a dead member: its IP left the group, and no instance holds it any more.
  Cluster c = SixMachines();
  c.AddMachine(7);
  c.instances_.pop_back();
  c.Down(7, 10s);
  HostGroupInfo info = c.Info(6);
  info.live_instances = info.weka_backend_instances;  // i-7 is not among them
  FakeWekaRpc rpc;
  c.Serve(rpc);
  DeactivateAtOnce(rpc);
  Result<json> out = ScaleDown(info, rpc, kNow);
  ASSERT_OK(out);
  EXPECT_THAT(DeactivatedIps(rpc, c.hosts_), ElementsAre("127.0.1.7"));
  EXPECT_EQ(rpc.CallsTo("cluster_remove_host").size(), 2u);
  EXPECT_THAT(rpc.CallsTo("events_trigger_custom")[0]["message"].get<std::string>(),
              HasSubstr("reason: machine gone."));
  EXPECT_TRUE((*out)["to_terminate"].empty());  // no instance left to terminate

  // While some instance still holds the IP (stopped, say), the public module's timeout rules.
  info.live_instances->push_back({"i-7", Cluster::Ip(7)});
  FakeWekaRpc waiting;
  c.Serve(waiting);
  ASSERT_OK(ScaleDown(info, waiting, kNow));
  EXPECT_TRUE(waiting.CallsTo("cluster_deactivate_hosts").empty());

  // And a fetch output without the list (the public module's) keeps the old rule too.
  json without = HostGroupInfoToJson(c.Info(6), true, false);
  EXPECT_FALSE(without.contains("live_instances"));
  Result<HostGroupInfo> back = HostGroupInfoFromJson(HostGroupInfoToJson(info, true, false));
  ASSERT_OK(back);
  ASSERT_TRUE(back->live_instances.has_value());
  EXPECT_EQ(back->live_instances->size(), 7u);
  EXPECT_EQ(back->live_instances->back().id, "i-7");
}

TEST(ScaleDownHealingTest, ADeadMachineWhoseAddressAReplacementReusesIsRemovedAlone) {
  // Machine 3 died; the group's replacement i-new got its address 127.0.1.3 and joined.
  Cluster c = SixMachines();
  c.Down(3, 10s);
  int dead_drives = 4;  // machine 3's hosts are 4 and 5
  c.AddMachine(3, 1min);
  for (auto& [id, h] : c.hosts_.items()) {
    if (h["host_ip"] == Cluster::Ip(3) && h["status"] == "UP") {
      h["aws"]["instance_id"] = "i-new";
      h["machine_identifier"] = "m-new";
    }
  }
  c.instances_.pop_back();  // the replacement is in the group in place of i-3
  c.instances_[2] = {"i-new", Cluster::Ip(3)};
  HostGroupInfo info = c.Info(6);
  info.live_instances = c.instances_;
  FakeWekaRpc rpc;
  c.Serve(rpc);
  DeactivateAtOnce(rpc);
  Result<json> out = ScaleDown(info, rpc, kNow);
  ASSERT_OK(out);  // not "more than 3 backend containers"
  auto deactivated = rpc.CallsTo("cluster_deactivate_hosts");
  ASSERT_EQ(deactivated.size(), 1u);
  EXPECT_EQ(deactivated[0]["host_ids"], json({"HostId<4>", "HostId<5>"}));
  auto removed = rpc.CallsTo("cluster_remove_host");
  ASSERT_EQ(removed.size(), 2u);
  EXPECT_EQ(removed[0]["host_id"], dead_drives);
  // The replacement is neither terminated nor dropped from the hosts.
  EXPECT_TRUE((*out)["to_terminate"].empty());
  int kept = 0;
  for (const json& h : (*out)["hosts"]) {
    kept += h["instance_id"] == "i-new" ? 1 : 0;
  }
  EXPECT_EQ(kept, 2);
}

}  // namespace
}  // namespace cf::control
