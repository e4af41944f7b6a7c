#include "cloud/wekasim/wekasim.h"

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::wekasim {
namespace {

// Records what the simulator opens and closes.
class RecordingBinder : public EndpointBinder {
 public:
  Status Open(const std::string& instance_id, const std::string& private_ip) override {
    open.insert(instance_id + "@" + private_ip);
    return OkStatus();
  }
  void Close(const std::string& instance_id) override {
    std::erase_if(open, [&](const std::string& e) { return e.rfind(instance_id + "@", 0) == 0; });
  }
  std::set<std::string> open;
};

class WekaSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open("");
    ASSERT_OK(store);
    store_ = std::move(store).value();
    sim_ = MakeSim();
    for (int i = 0; i < 6; ++i) {
      std::string id = Id(i);
      ASSERT_OK(store_->Put(
          "ec2/instance", "us-east-1/" + id,
          Json{{"InstanceId", id},
               {"InstanceType", "i3en.2xlarge"},
               {"PrivateIpAddress", Ip(i)},
               {"RootDeviceName", "/dev/xvda"},
               {"BlockDeviceMappings",
                Json::array({{{"DeviceName", "/dev/xvda"}, {"Ebs", {{"VolumeId", "vol-root"}}}},
                             {{"DeviceName", "/dev/sdp"},
                              {"Ebs", {{"VolumeId", fmt::format("vol-0abc{}", i)}}}}})}}));
    }
  }

  std::unique_ptr<WekaSim> MakeSim() {
    auto sim = std::make_unique<WekaSim>(*store_, clock_, [this](size_t n) {
      std::string hex = fmt::format("{:0{}x}", ++counter_, n);
      return hex.substr(hex.size() - n);
    });
    sim->SetBinder(&binder_);
    sim->SetTokenChecker([](const std::string& token) { return token == "good-token"; });
    return sim;
  }

  static std::string Id(int i) { return fmt::format("i-0000000000000000{}", i); }
  static std::string Ip(int i) { return fmt::format("127.2.0.{}", 10 + i); }

  CommandOutput Run(int instance, std::vector<std::string> argv, std::string user = "",
                    std::string password = "") {
    return sim_->Run(CommandRequest{Id(instance), std::move(argv), user, password});
  }
  std::string Ok(int instance, std::vector<std::string> argv) {
    CommandOutput out = Run(instance, argv);
    EXPECT_EQ(out.exit_code, 0) << fmt::format("{}", fmt::join(argv, " ")) << ": " << out.err;
    return out.out;
  }

  Json Rpc(int instance, const std::string& method, Json params, const std::string& token,
           int* http = nullptr) {
    RpcAnswer answer = sim_->Rpc(
        Ip(instance), token.empty() ? "" : "Bearer " + token,
        Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", 7}}.dump());
    if (http != nullptr) {
      *http = answer.http_status;
    }
    return Json::parse(answer.body);
  }

  // What §4.3 deploy and §4.4 clusterize run, for 6 machines.
  void DeployAndClusterize() {
    std::vector<std::string> names, ips;
    for (int i = 0; i < 6; ++i) {
      Ok(i, {"weka", "__installed", "4.2.7"});
      Ok(i, {"weka", "local", "stop"});
      Ok(i, {"weka", "local", "rm", "default", "--force"});
      Ok(i, {"weka",
             "local",
             "setup",
             "container",
             "--name",
             "drives0",
             "--base-port",
             "14000",
             "--cores",
             "1",
             "--no-frontends",
             "--drives-dedicated-cores",
             "1",
             "--failure-domain",
             fmt::format("fd{}", i),
             "--core-ids",
             "1",
             "--dedicate",
             "--net",
             "udp"});
      Ok(i, {"weka",
             "local",
             "setup",
             "container",
             "--name",
             "compute0",
             "--base-port",
             "15000",
             "--cores",
             "2",
             "--no-frontends",
             "--compute-dedicated-cores",
             "2",
             "--memory",
             "30GB",
             "--failure-domain",
             fmt::format("fd{}", i),
             "--core-ids",
             "2,3",
             "--dedicate",
             "--net",
             "udp"});
      names.push_back(Id(i) + "-drives0");
      names.push_back(Id(i) + "-compute0");
      ips.push_back(Ip(i) + ":14000," + Ip(i) + ":15000");
    }
    std::vector<std::string> create = {"weka", "cluster", "create"};
    create.insert(create.end(), names.begin(), names.end());
    std::string host_ips;
    for (const std::string& ip : ips) {
      host_ips += (host_ips.empty() ? "" : ",") + ip;
    }
    create.insert(create.end(), {"--host-ips", host_ips, "--admin-password", "Admin-Pw-1"});
    Ok(0, create);
    Ok(0, {"weka", "user", "login", "admin", "Admin-Pw-1"});
    Ok(0, {"weka", "user", "add", "deployer", "clusteradmin", "Deploy-Pw-2"});
    for (int i = 0; i < 6; ++i) {
      Ok(0, {"weka", "cluster", "drive", "add", std::to_string(2 * i), "/dev/nvme1n1",
             "/dev/nvme2n1"});
    }
    Ok(0, {"weka", "cluster", "update", "--cluster-name", "poc"});
    Ok(0, {"weka", "cluster", "update", "--data-drives", "3", "--parity-drives", "2"});
    Ok(0, {"weka", "cluster", "hot-spare", "1"});
    Ok(0, {"weka", "cluster", "start-io"});
    Ok(0, {"weka", "fs", "group", "create", "default", "--target-ssd-retention", "86400",
           "--start-demote", "10"});
    Ok(0, {"weka", "fs", "create", ".config_fs", "default", "22GB"});
    Ok(0, {"weka", "nfs", "global-config", "set", "--config-fs", ".config_fs"});
  }

  FakeClock clock_;
  uint64_t counter_ = 0;
  std::unique_ptr<Store> store_;
  RecordingBinder binder_;
  std::unique_ptr<WekaSim> sim_;
};

TEST_F(WekaSimTest, OsShimsAnswerForTheInstancesSimulatedDevices) {
  std::string serials = Ok(0, {"lsblk", "-o", "NAME,SERIAL"});
  EXPECT_NE(serials.find("xvdp"), std::string::npos) << serials;
  EXPECT_NE(serials.find("vol0abc0"), std::string::npos) << serials;
  std::string models = Ok(0, {"lsblk", "-dno", "PATH,MODEL"});
  EXPECT_NE(models.find("/dev/nvme2n1  Amazon EC2 NVMe Instance Storage"), std::string::npos)
      << models;
  EXPECT_EQ(models.find("NAME"), std::string::npos);
  EXPECT_EQ(Run(0, {"lsblk", "/dev/nvme3n1"}).exit_code, 32);
  EXPECT_EQ(Run(0, {"lsblk", "/dev/nvme2n1"}).exit_code, 0);
  std::string cpus = Ok(0, {"lscpu"});
  EXPECT_NE(cpus.find("NUMA node(s):                    1"), std::string::npos);
  EXPECT_NE(cpus.find("NUMA node0 CPU(s):               0-7"), std::string::npos);
  // mount needs a filesystem; mkfs.ext4 makes one; then lsblk shows the mount point.
  EXPECT_EQ(Run(0, {"mount", "/dev/xvdp", "/opt/weka"}).exit_code, 32);
  EXPECT_EQ(Run(0, {"mkfs.ext4", "-F", "-L", "wekaiosw", "/dev/xvdq"}).exit_code, 1);
  Ok(0, {"mkfs.ext4", "-F", "-L", "wekaiosw", "/dev/xvdp"});
  Ok(0, {"mount", "/dev/xvdp", "/work/instances/i-0/opt/weka"});
  EXPECT_NE(
      Ok(0, {"lsblk", "-o", "NAME,MOUNTPOINT", "/dev/xvdp"}).find("/work/instances/i-0/opt/weka"),
      std::string::npos);
  EXPECT_EQ(Run(0, {"mkfs.ext4", "/dev/xvdp"}).exit_code, 1);  // mounted
  EXPECT_NE(Run(9, {"lsblk"}).exit_code, 0);                   // not an EC2 instance
}

TEST_F(WekaSimTest, WekaNeedsTheInstallerAndLocalPsShowsContainers) {
  EXPECT_EQ(Run(0, {"weka", "status"}).exit_code, 127);
  Ok(0, {"weka", "__installed", "4.2.7"});
  EXPECT_NE(Ok(0, {"weka", "local", "ps"}).find("default"), std::string::npos);
  Ok(0, {"weka", "local", "rm", "default", "--force"});
  EXPECT_EQ(Run(0, {"weka", "local", "rm", "default"}).exit_code, 1);
  Ok(0, {"weka", "local", "setup", "container", "--name", "drives0", "--base-port", "14000",
         "--cores", "1", "--drives-dedicated-cores", "1"});
  std::string ps = Ok(0, {"weka", "local", "ps"});
  EXPECT_NE(ps.find("drives0"), std::string::npos);
  EXPECT_NE(ps.find("Running"), std::string::npos);
  EXPECT_EQ(ps.find("Running", ps.find('\n')), ps.find("Running"));  // header has no "running"
  EXPECT_EQ(binder_.open, std::set<std::string>{Id(0) + "@" + Ip(0)});
  Ok(0, {"weka", "local", "stop"});
  EXPECT_NE(Ok(0, {"weka", "local", "ps"}).find("Stopped"), std::string::npos);
  EXPECT_TRUE(binder_.open.empty());
  EXPECT_EQ(Run(0, {"weka", "cluster", "start-io"}).exit_code, 1);  // not in a cluster
}

TEST_F(WekaSimTest, DeployAndClusterizeEndWithIoStartedOverJsonRpc) {
  DeployAndClusterize();
  EXPECT_EQ(binder_.open.size(), 6u);
  Json status = Json::parse(Ok(0, {"weka", "status", "-J"}));
  EXPECT_EQ(status["io_status"], "STARTED");
  EXPECT_EQ(status["name"], "poc");
  EXPECT_EQ(status["machines"]["active"], 6);
  int http = 0;
  Json unauthenticated = Rpc(2, "status", Json::object(), "", &http);
  EXPECT_EQ(http, 401);
  EXPECT_EQ(unauthenticated["error"]["code"], -32001);
  Json bad = Rpc(2, "user_login", {{"username", "deployer"}, {"password", "nope"}}, "", &http);
  EXPECT_EQ(http, 401);
  ASSERT_TRUE(bad.contains("error"));
  Json login = Rpc(2, "user_login", {{"username", "deployer"}, {"password", "Deploy-Pw-2"}}, "");
  ASSERT_TRUE(login.contains("result")) << login;
  EXPECT_EQ(login["result"]["token_type"], "Bearer");
  std::string token = login["result"]["access_token"];
  Json rpc_status = Rpc(4, "status", Json::object(), token);
  EXPECT_EQ(rpc_status["result"]["io_status"], "STARTED");
  EXPECT_EQ(rpc_status["result"]["hosts"]["backends"]["active"], 12);
  EXPECT_EQ(rpc_status["id"], 7);
  EXPECT_EQ(Rpc(4, "no_such_method", Json::object(), token)["error"]["code"], -32601);
  EXPECT_EQ(Rpc(4, "no_such_method", Json::object(), token)["error"]["message"],
            "Method not found");
  EXPECT_EQ(Rpc(0, "client_query_backend", Json::object(), "")["result"]["software_release"],
            kRelease);
  Json hosts = Rpc(1, "hosts_list", Json::object(), token)["result"];
  EXPECT_EQ(hosts.size(), 12u);
  EXPECT_EQ(hosts["HostId<4>"]["host_ip"], Ip(2));
  EXPECT_EQ(hosts["HostId<4>"]["container_name"], "drives0");
  Json drives = Rpc(1, "disks_list", Json::object(), token)["result"];
  EXPECT_EQ(drives.size(), 12u);
  EXPECT_EQ(drives["DiskId<0>"]["host_id"], "HostId<0>");
  EXPECT_EQ(Rpc(1, "manual_override_list", Json::object(), token)["result"], Json::object());
  EXPECT_TRUE(Rpc(1, "interface_group_list", Json::object(), token)["result"].is_array());
  ASSERT_TRUE(Rpc(1, "events_trigger_custom", {{"text", "hello"}}, token).contains("result"));
}

TEST_F(WekaSimTest, ScaleDownCallsAreRefusedWhenTheyBreakProtection) {
  DeployAndClusterize();
  std::string token = Rpc(0, "user_login", {{"username", "admin"}, {"password", "Admin-Pw-1"}},
                          "")["result"]["access_token"];
  Json first =
      Rpc(0, "cluster_deactivate_hosts",
          {{"host_ids", {"HostId<10>", "HostId<11>"}}, {"skip_resource_validation", false}}, token);
  ASSERT_TRUE(first.contains("result")) << first;
  Json second =
      Rpc(0, "cluster_deactivate_hosts",
          {{"host_ids", {"HostId<8>", "HostId<9>"}}, {"skip_resource_validation", false}}, token);
  ASSERT_TRUE(second.contains("error")) << second;
  EXPECT_NE(second["error"]["message"].get<std::string>().find("stripe width"), std::string::npos);
  Json hosts = Rpc(0, "hosts_list", Json::object(), token)["result"];
  EXPECT_EQ(hosts["HostId<8>"]["state"], "ACTIVE");
  EXPECT_EQ(hosts["HostId<10>"]["state"], "INACTIVE");
  Json removed = Rpc(0, "cluster_remove_host", {{"host_id", 10}, {"no_wait", true}}, token);
  ASSERT_TRUE(removed.contains("result")) << removed;
  Json not_inactive = Rpc(0, "cluster_remove_host", {{"host_id", 8}, {"no_wait", true}}, token);
  ASSERT_TRUE(not_inactive.contains("error"));
}

TEST_F(WekaSimTest, AnEndedInstanceClosesItsEndpointAndItsHostsGoDown) {
  DeployAndClusterize();
  sim_->InstanceEnded(Id(5));
  EXPECT_EQ(binder_.open.count(Id(5) + "@" + Ip(5)), 0u);
  RpcAnswer gone = sim_->Rpc(Ip(5), "", R"({"jsonrpc":"2.0","method":"status","id":1})");
  EXPECT_EQ(gone.http_status, 503);
  EXPECT_EQ(gone.body, "no WEKA container runs at " + Ip(5) + "\n");
  std::string token = Rpc(0, "user_login", {{"username", "admin"}, {"password", "Admin-Pw-1"}},
                          "")["result"]["access_token"];
  Json hosts = Rpc(0, "hosts_list", Json::object(), token)["result"];
  EXPECT_EQ(hosts["HostId<10>"]["status"], "DOWN");
  EXPECT_EQ(hosts["HostId<11>"]["status"], "DOWN");
  EXPECT_EQ(hosts["HostId<9>"]["status"], "UP");
  Json drives = Rpc(0, "disks_list", Json::object(), token)["result"];
  EXPECT_EQ(drives["DiskId<10>"]["status"], "INACTIVE");
}

TEST_F(WekaSimTest, InjectedFaultsShowAsScaleDownSeesThem) {
  DeployAndClusterize();
  std::string token = Rpc(0, "user_login", {{"username", "admin"}, {"password", "Admin-Pw-1"}},
                          "")["result"]["access_token"];
  Json described = sim_->Describe();
  std::string guid = described["clusters"][0]["guid"];
  EXPECT_EQ(sim_->FailDrive(guid, 99).code(), StatusCode::kNotFound);
  ASSERT_OK(sim_->FailDrive(guid, 3));
  Json drives = Rpc(0, "disks_list", Json::object(), token)["result"];
  EXPECT_EQ(drives["DiskId<3>"]["status"], "INACTIVE");
  EXPECT_EQ(drives["DiskId<3>"]["should_be_active"], true);
  EXPECT_EQ(sim_->FailMachine("i-nope").code(), StatusCode::kNotFound);
  ASSERT_OK(sim_->FailMachine(Id(2)));
  EXPECT_EQ(binder_.open.count(Id(2) + "@" + Ip(2)), 0u);
  Json hosts = Rpc(0, "hosts_list", Json::object(), token)["result"];
  EXPECT_EQ(hosts["HostId<4>"]["status"], "DOWN");
  EXPECT_EQ(hosts["HostId<5>"]["status"], "DOWN");
  drives = Rpc(0, "disks_list", Json::object(), token)["result"];
  EXPECT_EQ(drives["DiskId<4>"]["status"], "INACTIVE");
  Json nodes = Rpc(0, "nodes_list", Json::object(), token)["result"];
  EXPECT_EQ(nodes["NodeId<80>"]["status"], "DOWN");
  EXPECT_FALSE(nodes["NodeId<80>"]["last_fencing_time"].is_null());
}

TEST_F(WekaSimTest, ListingsFilterAndShowHardwareAsTheControlPlaneScriptsReadThem) {
  DeployAndClusterize();
  std::string id = Ok(0, {"weka", "cluster", "container", "-F", "hostname=" + Id(2) + "-drives0",
                          "--no-header", "-o", "id"});
  EXPECT_EQ(id, "4\n");
  std::string by_ip =
      Ok(0, {"weka", "cluster", "container", "-F", "ip=" + Ip(3), "--no-header", "-o", "id"});
  EXPECT_EQ(by_ip, "6\n7\n");
  EXPECT_NE(Ok(0, {"weka", "cluster", "container"}).find("CONTAINER ID"), std::string::npos);
  Json hardware = Json::parse(Ok(0, {"weka", "cluster", "container", "info-hw", "4", "-J"}));
  ASSERT_EQ(hardware.size(), 1u);
  int free_nvme = 0;
  for (const Json& disk : hardware["HostId<4>"]["disks"]) {
    free_nvme +=
        disk["model"] == "Amazon EC2 NVMe Instance Storage" && disk["mount_point"] == "" ? 1 : 0;
  }
  EXPECT_EQ(free_nvme, 2);
  Json info = Json::parse(
      Run(5, {"weka", "debug", "manhole", "-s", "0", "getServerInfo"}, "admin", "Admin-Pw-1").out);
  EXPECT_EQ(info["hostIdValue"], 10);
  std::string cpus = Ok(0, {"lscpu", "-p=CPU,CORE,NODE"});
  EXPECT_NE(cpus.find("# CPU,CORE,NODE\n0,0,0\n1,1,0\n"), std::string::npos) << cpus;
  EXPECT_NE(cpus.find("\n7,3,0\n"), std::string::npos) << cpus;
  Json resources = Json::parse(Ok(1, {"weka", "local", "resources", "-C", "compute0", "-J"}));
  EXPECT_EQ(resources["uid"], Id(1) + "-compute0");
  EXPECT_EQ(resources["memory"], "30GB");
  EXPECT_EQ(Run(1, {"weka", "local", "resources", "-C", "frontend0", "-J"}).exit_code, 1);
}

TEST_F(WekaSimTest, ClientsMountAFilesystemAndTieringIsRecorded) {
  DeployAndClusterize();
  Ok(0, {"weka", "fs", "create", "default", "default", "1TB"});
  Ok(0, {"weka",       "fs",         "tier",          "s3",
         "add",        "aws-bucket", "--hostname",    "s3.us-east-1.amazonaws.com",
         "--port",     "443",        "--bucket",      "b1",
         "--protocol", "https",      "--auth-method", "AWSSignature4",
         "--region",   "us-east-1",  "--site",        "local"});
  EXPECT_EQ(Run(0, {"weka", "fs", "tier", "s3", "attach", "default", "other"}).exit_code, 1);
  Ok(0, {"weka", "fs", "tier", "s3", "attach", "default", "aws-bucket"});
  Ok(0, {"weka", "fs", "update", "default", "--total-capacity", "100TB"});  // tiered: beyond SSD
  Json listed = Json::parse(Ok(0, {"weka", "fs", "-J"}));
  EXPECT_EQ(listed[1]["obs_buckets"][0], "aws-bucket");
  ASSERT_OK(store_->Put("ec2/instance", "us-east-1/" + Id(8),
                        Json{{"InstanceId", Id(8)},
                             {"InstanceType", "c5.2xlarge"},
                             {"PrivateIpAddress", Ip(8)},
                             {"BlockDeviceMappings", Json::array()}}));
  Ok(8, {"weka", "__installed", "4.2.7"});
  EXPECT_EQ(Run(8, {"mount", "-t", "wekafs", Ip(1) + "/nosuchfs", "/mnt/weka"}).exit_code, 32);
  EXPECT_EQ(Run(8, {"mount", "-t", "wekafs", "127.9.9.9/default", "/mnt/weka"}).exit_code, 32);
  Ok(8, {"mount", "-t", "wekafs", Ip(1) + "/default", "/mnt/weka", "-o", "net=udp"});
  EXPECT_NE(Ok(8, {"mount"}).find(Ip(1) + "/default on /mnt/weka type wekafs"), std::string::npos);
  Json status = Json::parse(Ok(0, {"weka", "status", "-J"}));
  EXPECT_EQ(status["hosts"]["clients"]["active"], 1);
  EXPECT_EQ(status["hosts"]["backends"]["active"], 12);
}

TEST_F(WekaSimTest, TheModelSurvivesARestart) {
  DeployAndClusterize();
  sim_ = MakeSim();
  ASSERT_OK(sim_->Load());
  Json status = Json::parse(Ok(0, {"weka", "status", "-J"}));
  EXPECT_EQ(status["io_status"], "STARTED");
  EXPECT_EQ(status["hosts"]["backends"]["total"], 12);
  Ok(0, {"weka", "fs", "create", "default", "default", "1TB"});
}

TEST_F(WekaSimTest, CommandsNeedALoginOnceTheAdminPasswordIsSet) {
  DeployAndClusterize();
  // Machine 3 never logged in and the admin password is not the default.
  EXPECT_EQ(Run(3, {"weka", "cluster", "drive"}).exit_code, 1);
  EXPECT_EQ(Run(3, {"weka", "cluster", "drive"}, "deployer", "Deploy-Pw-2").exit_code, 0);
  EXPECT_EQ(Run(3, {"weka", "user", "login", "admin", "wrong"}).exit_code, 1);
}

TEST_F(WekaSimTest, TheInstallerChecksTheDownloadToken) {
  EXPECT_EQ(sim_->Installer("4.2.7", "bad", true).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(sim_->Installer("4.2.7", "", true).status().code(), StatusCode::kPermissionDenied);
  Result<std::string> script = sim_->Installer("4.2.7", "good-token", true);
  ASSERT_OK(script);
  EXPECT_NE(script->find("not WEKA software"), std::string::npos);
  EXPECT_NE(script->find("$ROOT/usr/local/bin/weka"), std::string::npos);
  EXPECT_NE(script->find("__installed '4.2.7'"), std::string::npos);
  EXPECT_OK(sim_->Installer(kRelease, "", false));
}

TEST_F(WekaSimTest, JoinPathAddsTheNewMachinesDrivesAfterSigning) {
  DeployAndClusterize();
  ASSERT_OK(store_->Put("ec2/instance", "us-east-1/" + Id(7),
                        Json{{"InstanceId", Id(7)},
                             {"InstanceType", "i3en.2xlarge"},
                             {"PrivateIpAddress", Ip(7)},
                             {"BlockDeviceMappings", Json::array()}}));
  Ok(7, {"weka", "__installed", "4.2.7"});
  Ok(7, {"weka", "version", "get", "--from", Ip(0) + ":14000", kRelease, "--set-current"});
  Ok(7, {"weka", "local", "setup", "container", "--name", "drives0", "--base-port", "14000",
         "--cores", "1", "--drives-dedicated-cores", "1", "--join-ips", Ip(0) + "," + Ip(1),
         "--management-ips", Ip(7)});
  CommandOutput ready = Run(7, {"weka", "debug", "manhole", "-s", "0", "operational_status"},
                            "deployer", "Deploy-Pw-2");
  EXPECT_NE(ready.out.find("\"is_ready\": true"), std::string::npos) << ready.out << ready.err;
  std::string info = Ok(7, {"manhole", "getServerInfo"});
  EXPECT_NE(info.find("hostIdValue: 12"), std::string::npos) << info;
  EXPECT_EQ(Run(7, {"weka", "cluster", "drive", "scan", "12"}, "deployer", "Deploy-Pw-2").exit_code,
            1);
  Json disks = Json::parse(Ok(7, {"wapi", "machine-query-info", "--info-types=DISKS", "-J"}));
  std::vector<std::string> nvme;
  for (const Json& d : disks["disks"]) {
    if (d["model"] == "Amazon EC2 NVMe Instance Storage" && !d["isMounted"].get<bool>()) {
      nvme.push_back(d["devPath"]);
    }
  }
  ASSERT_EQ(nvme.size(), 2u);
  EXPECT_EQ(Run(7, {"weka_sign_drive", "/dev/xvda"}).exit_code, 1);
  Ok(7, {"weka_sign_drive", nvme[0], nvme[1]});
  EXPECT_EQ(Run(7, {"weka", "cluster", "drive", "scan", "12"}, "deployer", "Deploy-Pw-2").exit_code,
            0);
  EXPECT_EQ(Run(7, {"weka", "events", "trigger-event", "Scale up operation completed on host"},
                "deployer", "Deploy-Pw-2")
                .exit_code,
            0);
  Json status = Json::parse(Run(7, {"weka", "status", "-J"}, "deployer", "Deploy-Pw-2").out);
  EXPECT_EQ(status["drives"]["active"], 14);
}

}  // namespace
}  // namespace cf::cloud::wekasim
