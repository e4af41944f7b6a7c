#include "cloud/wekasim/cluster_model.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::wekasim {
namespace {

constexpr int64_t kNvmeBytes = 2500LL * 1000 * 1000 * 1000;  // i3en.2xlarge: 2 x 2500 GB

class ClusterModelTest : public ::testing::Test {
 protected:
  ClusterModelTest()
      : model_(clock_, [this](size_t n) {
          std::string hex = fmt::format("{:0{}x}", ++counter_, n);
          return hex.substr(hex.size() - n);
        }) {}

  // An i3en.2xlarge-like machine: 8 vCPUs, two instance-store disks and the EBS /dev/xvdp.
  Machine& AddMachine(int index) {
    MachineInfo info;
    info.instance_id = fmt::format("i-{:017x}", index);
    info.private_ip = fmt::format("127.1.0.{}", 10 + index);
    info.instance_type = "i3en.2xlarge";
    info.vcpus = 8;
    info.devices = {{"/dev/xvda", "Amazon Elastic Block Store", "vol1", 8LL << 30, false},
                    {"/dev/xvdp", "Amazon Elastic Block Store", "vol2", 48LL << 30, false},
                    {"/dev/nvme1n1", "Amazon EC2 NVMe Instance Storage",
                     fmt::format("AWS{}A", index), kNvmeBytes, true},
                    {"/dev/nvme2n1", "Amazon EC2 NVMe Instance Storage",
                     fmt::format("AWS{}B", index), kNvmeBytes, true}};
    Machine& machine = model_.EnsureMachine(info);
    model_.Install(machine, "4.2.7");
    return machine;
  }

  static LocalContainer Container(const std::string& name, int port, int drive_cores,
                                  int compute_cores) {
    LocalContainer c;
    c.name = name;
    c.base_port = port;
    c.drive_cores = drive_cores;
    c.compute_cores = compute_cores;
    c.cores = drive_cores + compute_cores;
    return c;
  }

  // `count` machines with drives0 and compute0, clusterized (not started).
  Cluster& Clusterize(int count) {
    std::vector<std::string> names, ips;
    for (int i = 0; i < count; ++i) {
      Machine& m = AddMachine(i);
      EXPECT_OK(model_.SetupContainer(m, Container("drives0", 14000, 1, 0), {}));
      EXPECT_OK(model_.SetupContainer(m, Container("compute0", 15000, 0, 2), {}));
      names.push_back(m.info.instance_id + "-drives0");
      names.push_back(m.info.instance_id + "-compute0");
      ips.push_back(m.info.private_ip + ":14000");
      ips.push_back(m.info.private_ip + ":15000");
    }
    Result<std::string> guid = model_.CreateCluster(
        *model_.FindMachine(fmt::format("i-{:017x}", 0)), names, ips, "Secret-Pw-1");
    EXPECT_OK(guid);
    return *model_.FindCluster(*guid);
  }

  // Every drives container gets both of its disks.
  void AddAllDrives(Cluster& cluster) {
    std::vector<Host> hosts = cluster.hosts;
    for (const Host& host : hosts) {
      if (host.container_name == "drives0") {
        ASSERT_OK(model_.AddDrives(cluster, host.id, {"/dev/nvme1n1", "/dev/nvme2n1"}));
      }
    }
  }

  Cluster& Started(int count, int hot_spare = 1) {
    Cluster& cluster = Clusterize(count);
    AddAllDrives(cluster);
    EXPECT_OK(model_.UpdateCluster(cluster, "poc", 3, 2));
    EXPECT_OK(model_.SetHotSpare(cluster, hot_spare));
    EXPECT_OK(model_.StartIo(cluster));
    return cluster;
  }

  std::vector<int> HostsOf(const Cluster& cluster, int machine) {
    std::vector<int> ids;
    for (const Host& host : cluster.hosts) {
      if (host.instance_id == fmt::format("i-{:017x}", machine)) {
        ids.push_back(host.id);
      }
    }
    return ids;
  }

  FakeClock clock_;
  uint64_t counter_ = 0;
  ClusterModel model_;
};

TEST_F(ClusterModelTest, ClusterCreateMakesHostsWithManagementNodes) {
  Cluster& cluster = Clusterize(6);
  ASSERT_EQ(cluster.hosts.size(), 12u);
  EXPECT_EQ(cluster.hosts[0].hostname, "i-00000000000000000-drives0");
  EXPECT_EQ(cluster.hosts[0].status, "UP");
  EXPECT_EQ(cluster.io_status, "STOPPED");
  Json hosts = model_.HostsJson(cluster);
  ASSERT_TRUE(hosts.contains("HostId<0>"));
  EXPECT_EQ(hosts["HostId<1>"]["container_name"], "compute0");
  EXPECT_EQ(hosts["HostId<1>"]["aws"]["instance_id"], "i-00000000000000000");
  Json nodes = model_.NodesJson(cluster);
  // drives0 of host 0: management NodeId<0> and one drives node; compute0: NodeId<20> + 2.
  ASSERT_TRUE(nodes.contains("NodeId<0>"));
  EXPECT_EQ(nodes["NodeId<0>"]["roles"][0], "MANAGEMENT");
  EXPECT_EQ(nodes["NodeId<1>"]["roles"][0], "DRIVES");
  EXPECT_EQ(nodes["NodeId<20>"]["host_id"], "HostId<1>");
  EXPECT_EQ(nodes["NodeId<22>"]["roles"][0], "COMPUTE");
  EXPECT_TRUE(nodes["NodeId<0>"]["last_fencing_time"].is_null());
}

TEST_F(ClusterModelTest, ClusterCreateRefusesUnknownStoppedOrMisaddressedContainers) {
  Machine& a = AddMachine(0);
  Machine& b = AddMachine(1);
  ASSERT_OK(model_.SetupContainer(a, Container("drives0", 14000, 1, 0), {}));
  ASSERT_OK(model_.SetupContainer(b, Container("drives0", 14000, 1, 0), {}));
  std::string name_a = a.info.instance_id + "-drives0";
  std::string name_b = b.info.instance_id + "-drives0";
  Result<std::string> unknown =
      model_.CreateCluster(a, {name_a, b.info.instance_id + "-compute0"}, {}, "pw");
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  Result<std::string> wrong_ip = model_.CreateCluster(
      a, {name_a, name_b}, {a.info.private_ip + ":14000", a.info.private_ip + ":14000"}, "pw");
  EXPECT_EQ(wrong_ip.status().code(), StatusCode::kInvalidArgument);
  ASSERT_OK(model_.SetRunning(b, "drives0", false));
  Result<std::string> stopped = model_.CreateCluster(a, {name_a, name_b}, {}, "pw");
  EXPECT_EQ(stopped.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(model_.clusters().empty());
  EXPECT_TRUE(a.cluster.empty());
}

TEST_F(ClusterModelTest, SetupContainerRefusesMoreCoresThanTheMachineHas) {
  Machine& m = AddMachine(0);
  ASSERT_OK(model_.SetupContainer(m, Container("drives0", 14000, 1, 0), {}));
  // 4 physical cores, core 0 for the OS: 3 usable, 1 taken.
  Status too_many = model_.SetupContainer(m, Container("compute0", 15000, 0, 3), {});
  EXPECT_EQ(too_many.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(model_.SetupContainer(m, Container("drives0", 14000, 1, 0), {}).code(),
            StatusCode::kConflict);
}

TEST_F(ClusterModelTest, DriveAddRefusesMissingDevicesDuplicatesAndComputeContainers) {
  Cluster& cluster = Clusterize(6);
  Result<std::vector<int>> missing = model_.AddDrives(cluster, 0, {"/dev/nvme7n1"});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos);
  Result<std::vector<int>> compute = model_.AddDrives(cluster, 1, {"/dev/nvme1n1"});
  EXPECT_EQ(compute.status().code(), StatusCode::kInvalidArgument);
  Result<std::vector<int>> added = model_.AddDrives(cluster, 0, {"/dev/nvme1n1"});
  ASSERT_OK(added);
  EXPECT_EQ(*added, std::vector<int>{0});
  EXPECT_EQ(model_.AddDrives(cluster, 0, {"/dev/nvme1n1"}).status().code(), StatusCode::kConflict);
  // The EBS volume mounted at /opt/weka is not a drive.
  Machine* m = model_.FindMachine("i-00000000000000000");
  m->labels["/dev/xvdp"] = "wekaiosw";
  EXPECT_EQ(model_.AddDrives(cluster, 0, {"/dev/xvdp"}).status().code(), StatusCode::kConflict);
  EXPECT_EQ(cluster.drives.size(), 1u);
}

TEST_F(ClusterModelTest, StripeAndStartIoNeedEnoughFailureDomains) {
  Cluster& cluster = Clusterize(6);
  // Drives on 4 machines only: a 3+2 stripe does not fit.
  int machines_with_drives = 0;
  for (const Host& host : std::vector<Host>(cluster.hosts)) {
    if (host.container_name == "drives0" && machines_with_drives < 4) {
      ASSERT_OK(model_.AddDrives(cluster, host.id, {"/dev/nvme1n1"}));
      ++machines_with_drives;
    }
  }
  EXPECT_EQ(model_.ActiveFailureDomains(cluster), 4);
  EXPECT_EQ(model_.UpdateCluster(cluster, "", 3, 2).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(model_.UpdateCluster(cluster, "", 3, 1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(model_.UpdateCluster(cluster, "", 2, 2).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(model_.StartIo(cluster).code(), StatusCode::kConflict);
  EXPECT_EQ(cluster.io_status, "STOPPED");
}

TEST_F(ClusterModelTest, StartIoComputesCapacityFromDrivesProtectionAndSpares) {
  Cluster& cluster = Started(6);
  EXPECT_EQ(cluster.io_status, "STARTED");
  Capacity capacity = model_.CapacityOf(cluster);
  EXPECT_EQ(capacity.raw_bytes, 12 * kNvmeBytes);
  // 6 domains, 1 hot spare, 3 data of 5: 12 disks * 5/6 * 3/5.
  EXPECT_EQ(capacity.total_bytes, 6 * kNvmeBytes);
  EXPECT_EQ(capacity.hot_spare_bytes, 12 * kNvmeBytes * 3 / 5 - 6 * kNvmeBytes);
  EXPECT_EQ(capacity.unprovisioned_bytes, capacity.total_bytes);
  Json status = model_.StatusJson(cluster);
  EXPECT_EQ(status["io_status"], "STARTED");
  EXPECT_EQ(status["simulator"], true);
  EXPECT_EQ(status["release"], kRelease);
  EXPECT_EQ(status["hosts"]["backends"]["active"], 12);
  EXPECT_EQ(status["machines"]["active"], 6);
  EXPECT_EQ(status["drives"]["active"], 12);
  EXPECT_EQ(status["stripe_data_drives"], 3);
  EXPECT_EQ(status["stripe_protection_drives"], 2);
  EXPECT_EQ(status["capacity"]["total_bytes"], capacity.total_bytes);
}

TEST_F(ClusterModelTest, DeactivationThatWouldBreakProtectionIsRefusedAndChangesNothing) {
  Cluster& cluster = Started(6);
  ASSERT_OK(model_.DeactivateHosts(cluster, HostsOf(cluster, 0), false));
  EXPECT_EQ(model_.ActiveFailureDomains(cluster), 5);
  Json before = model_.ClusterToJson(cluster);
  Status refused = model_.DeactivateHosts(cluster, HostsOf(cluster, 1), false);
  EXPECT_EQ(refused.code(), StatusCode::kConflict);
  EXPECT_NE(refused.message().find("stripe width of 5"), std::string::npos);
  EXPECT_EQ(model_.ClusterToJson(cluster), before);
  // Drives alone are refused the same way.
  std::vector<std::string> uuids;
  for (const Drive& drive : cluster.drives) {
    if (drive.host_id == HostsOf(cluster, 1)[0]) {
      uuids.push_back(drive.uuid);
    }
  }
  EXPECT_EQ(model_.DeactivateDrives(cluster, uuids).code(), StatusCode::kConflict);
  // Unless the caller skips the validation, as WEKA allows.
  EXPECT_OK(model_.DeactivateHosts(cluster, HostsOf(cluster, 1), true));
}

TEST_F(ClusterModelTest, DeactivationThatWouldLeaveTooLittleCapacityIsRefused) {
  Cluster& cluster = Started(7);
  ASSERT_OK(model_.CreateFsGroup(cluster, "default"));
  Capacity capacity = model_.CapacityOf(cluster);
  ASSERT_OK(model_.CreateFilesystem(cluster, "default", "default", capacity.unprovisioned_bytes));
  Status refused = model_.DeactivateHosts(cluster, HostsOf(cluster, 0), false);
  EXPECT_EQ(refused.code(), StatusCode::kConflict);
  EXPECT_NE(refused.message().find("capacity"), std::string::npos);
  EXPECT_EQ(model_.ActiveFailureDomains(cluster), 7);
}

TEST_F(ClusterModelTest, RemovalNeedsDeactivationAndLeavesDrivesWithoutHost) {
  Cluster& cluster = Started(7);
  std::vector<int> hosts = HostsOf(cluster, 2);
  EXPECT_EQ(model_.RemoveHost(cluster, hosts[0]).code(), StatusCode::kConflict);
  std::string uuid;
  for (const Drive& drive : cluster.drives) {
    if (drive.host_id == hosts[0]) {
      uuid = drive.uuid;
    }
  }
  EXPECT_EQ(model_.RemoveDrives(cluster, {uuid}).code(), StatusCode::kConflict);
  ASSERT_OK(model_.DeactivateHosts(cluster, hosts, false));
  EXPECT_EQ(model_.HostsJson(cluster)[PrefixedId("HostId", hosts[0])]["status"], "INACTIVE");
  ASSERT_OK(model_.RemoveHost(cluster, hosts[0]));
  ASSERT_OK(model_.RemoveHost(cluster, hosts[1]));
  Json drives = model_.DrivesJson(cluster);
  int orphans = 0;
  for (auto& [id, drive] : drives.items()) {
    orphans += drive["host_id"] == "HostId<INVALID>" ? 1 : 0;
  }
  EXPECT_EQ(orphans, 2);
  EXPECT_TRUE(model_.FindMachine("i-00000000000000002")->cluster.empty());
  ASSERT_OK(model_.RemoveDrives(cluster, {uuid}));
  EXPECT_EQ(cluster.drives.size(), 13u);
  EXPECT_EQ(model_.RemoveHost(cluster, hosts[0]).code(), StatusCode::kNotFound);
}

TEST_F(ClusterModelTest, AnEndedInstanceGoesDownThenComesBackOnBoot) {
  Cluster& cluster = Started(6);
  clock_.Advance(std::chrono::minutes(10));
  model_.MachineEnded("i-00000000000000003");
  Json hosts = model_.HostsJson(cluster);
  int down = 0;
  for (auto& [id, host] : hosts.items()) {
    down += host["status"] == "DOWN" ? 1 : 0;
  }
  EXPECT_EQ(down, 2);
  std::vector<int> ids = HostsOf(cluster, 3);
  Json nodes = model_.NodesJson(cluster);
  EXPECT_EQ(nodes[PrefixedId("NodeId", ids[0] * 20)]["status"], "DOWN");
  EXPECT_FALSE(nodes[PrefixedId("NodeId", ids[0] * 20)]["last_fencing_time"].is_null());
  int inactive = 0;
  for (const Drive& drive : cluster.drives) {
    inactive += drive.status == "INACTIVE" && drive.should_be_active ? 1 : 0;
  }
  EXPECT_EQ(inactive, 2);
  EXPECT_EQ(model_.StatusJson(cluster)["hosts"]["backends"]["active"], 10);
  EXPECT_EQ(model_.StatusJson(cluster)["status"], "DEGRADED");
  EXPECT_FALSE(ClusterModel::Serving(*model_.FindMachine("i-00000000000000003")));
  model_.MachineBooted("i-00000000000000003");
  EXPECT_EQ(model_.StatusJson(cluster)["hosts"]["backends"]["active"], 12);
  EXPECT_EQ(model_.StatusJson(cluster)["drives"]["active"], 12);
}

TEST_F(ClusterModelTest, ScaleDownOfADeadMachineDeactivatesAndRemovesIt) {
  Cluster& cluster = Started(6);
  model_.MachineEnded("i-00000000000000005");
  std::vector<std::string> uuids;
  for (const Drive& drive : cluster.drives) {
    if (drive.host_id == HostsOf(cluster, 5)[0]) {
      uuids.push_back(drive.uuid);
    }
  }
  // Its drives are already out of the stripe: deactivating them changes no failure domain.
  ASSERT_OK(model_.DeactivateDrives(cluster, uuids));
  ASSERT_OK(model_.DeactivateHosts(cluster, HostsOf(cluster, 5), false));
  for (int id : HostsOf(cluster, 5)) {
    ASSERT_OK(model_.RemoveHost(cluster, id));
  }
  ASSERT_OK(model_.RemoveDrives(cluster, uuids));
  EXPECT_EQ(model_.StatusJson(cluster)["machines"]["total"], 5);
  EXPECT_EQ(model_.StatusJson(cluster)["status"], "OK");
}

TEST_F(ClusterModelTest, JoinIpsAddAContainerToTheClusterOfThatAddress) {
  Cluster& cluster = Started(6);
  Machine& fresh = AddMachine(9);
  Status nobody = model_.SetupContainer(fresh, Container("drives0", 14000, 1, 0), {"127.9.9.9"});
  EXPECT_EQ(nobody.code(), StatusCode::kUnavailable);
  ASSERT_OK(model_.SetupContainer(fresh, Container("drives0", 14000, 1, 0),
                                  {"127.1.0.10:14000", "127.1.0.11:14000"}));
  EXPECT_EQ(fresh.cluster, cluster.guid);
  EXPECT_EQ(cluster.hosts.back().hostname, fresh.info.instance_id + "-drives0");
  EXPECT_EQ(cluster.hosts.back().id, 12);
  // Signed drives are found by a scan; unsigned ones are not.
  EXPECT_EQ(model_.ScanDrives(cluster, 12).status().code(), StatusCode::kNotFound);
  fresh.signed_devices = {"/dev/nvme1n1", "/dev/nvme2n1"};
  Result<std::vector<int>> scanned = model_.ScanDrives(cluster, 12);
  ASSERT_OK(scanned);
  EXPECT_EQ(scanned->size(), 2u);
  EXPECT_EQ(model_.ActiveFailureDomains(cluster), 7);
}

TEST_F(ClusterModelTest, LoginTokensExpireAndRefresh) {
  Cluster& cluster = Clusterize(6);
  EXPECT_EQ(model_.Login(cluster, "admin", "admin").status().code(), StatusCode::kPermissionDenied);
  Result<LoginTokens> tokens = model_.Login(cluster, "admin", "Secret-Pw-1");
  ASSERT_OK(tokens);
  EXPECT_EQ(tokens->expires_in, 300);
  EXPECT_EQ(*model_.UserOfToken(cluster, tokens->access_token), "admin");
  clock_.Advance(std::chrono::minutes(6));
  EXPECT_EQ(model_.UserOfToken(cluster, tokens->access_token).status().code(),
            StatusCode::kPermissionDenied);
  Result<LoginTokens> renewed = model_.Refresh(cluster, tokens->refresh_token);
  ASSERT_OK(renewed);
  EXPECT_EQ(*model_.UserOfToken(cluster, renewed->access_token), "admin");
  EXPECT_EQ(model_.Refresh(cluster, tokens->refresh_token).status().code(),
            StatusCode::kPermissionDenied);
  ASSERT_OK(model_.AddUser(cluster, "deploy", "clusteradmin", "Deploy-Pw-2"));
  EXPECT_EQ(model_.AddUser(cluster, "deploy", "clusteradmin", "Deploy-Pw-2").code(),
            StatusCode::kConflict);
  EXPECT_EQ(model_.AddUser(cluster, "x", "emperor", "Deploy-Pw-2").code(),
            StatusCode::kInvalidArgument);
  EXPECT_OK(model_.CheckPassword(cluster, "deploy", "Deploy-Pw-2"));
}

TEST_F(ClusterModelTest, FilesystemsCannotExceedUnprovisionedCapacity) {
  Cluster& cluster = Started(6);
  EXPECT_EQ(model_.CreateFilesystem(cluster, "fs", "default", 1000).code(), StatusCode::kNotFound);
  ASSERT_OK(model_.CreateFsGroup(cluster, "default"));
  ASSERT_OK(model_.CreateFilesystem(cluster, ".config_fs", "default", 22000000000));
  Capacity capacity = model_.CapacityOf(cluster);
  EXPECT_EQ(capacity.provisioned_bytes, 22000000000);
  EXPECT_EQ(
      model_.CreateFilesystem(cluster, "big", "default", capacity.unprovisioned_bytes + 1).code(),
      StatusCode::kConflict);
  EXPECT_EQ(model_.CreateFilesystem(cluster, ".config_fs", "default", 1).code(),
            StatusCode::kConflict);
  ASSERT_OK(model_.CreateFilesystem(cluster, "default", "default", capacity.unprovisioned_bytes));
  EXPECT_EQ(model_.CapacityOf(cluster).unprovisioned_bytes, 0);
}

TEST_F(ClusterModelTest, TheModelSurvivesItsJsonForm) {
  Cluster& cluster = Started(6);
  Json doc = model_.ClusterToJson(cluster);
  Json machine = model_.MachineToJson(*model_.FindMachine("i-00000000000000001"));
  ClusterModel other(clock_, [](size_t n) { return std::string(n, 'a'); });
  ASSERT_OK(other.LoadCluster(doc));
  ASSERT_OK(other.LoadMachine(machine));
  Cluster* loaded = other.FindCluster(cluster.guid);
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(other.StatusJson(*loaded), model_.StatusJson(cluster));
  EXPECT_EQ(other.HostsJson(*loaded), model_.HostsJson(cluster));
  EXPECT_EQ(other.FindMachine("i-00000000000000001")->cluster, cluster.guid);
  EXPECT_FALSE(other.LoadCluster(Json{{"hosts", "not a list"}}).ok());
}

TEST(WekaSimIds, PrefixedIdsAndSizes) {
  EXPECT_EQ(PrefixedId("HostId", 7), "HostId<7>");
  EXPECT_EQ(PrefixedId("HostId", -1), "HostId<INVALID>");
  EXPECT_EQ(ParsePrefixedId("DiskId", "DiskId<12>"), 12);
  EXPECT_EQ(ParsePrefixedId("HostId", "HostId<INVALID>"), -1);
  EXPECT_EQ(ParsePrefixedId("HostId", "NodeId<1>"), std::nullopt);
  EXPECT_EQ(ParsePrefixedId("HostId", "HostId<x>"), std::nullopt);
  EXPECT_EQ(*ParseSize("22GB"), 22000000000);
  EXPECT_EQ(*ParseSize("1234B"), 1234);
  EXPECT_EQ(*ParseSize("1TiB"), 1099511627776);
  EXPECT_EQ(*ParseSize("1.5TB"), 1500000000000);
  EXPECT_FALSE(ParseSize("12XB").ok());
  EXPECT_FALSE(ParseSize("GB").ok());
}

}  // namespace
}  // namespace cf::cloud::wekasim
