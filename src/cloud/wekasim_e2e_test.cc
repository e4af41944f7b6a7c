// The WEKA simulator end to end in the local cloud: six i3en instances whose user data does
// what the public module's deploy and clusterize scripts do (install from the local cloud's
// URL with the get.weka.io token, format and mount the EBS volume, set up the containers,
// cluster create, drive add, update, hot spare, start-io, filesystems), then WEKA's JSON-RPC
// on a backend's port 14000, and an instance killed through the admin API going DOWN.

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "base/base64.h"
#include "testing/awscli.h"
#include "testing/cloud/local_cloud.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

using Json = nlohmann::json;

constexpr char kToken[] = "e2e-get-weka-io-token";

// Deploy (§4.3) then, on the first member, clusterize (§4.4), by hand.
constexpr char kUserData[] = R"SH(set -euxo pipefail
PS4='+ ${EPOCHREALTIME} '
ROOT="${CLUSTERFORM_INSTANCE_ROOT:-}"
curl --fail -sS -u "$WEKA_TOKEN:" "${AWS_ENDPOINT_URL}/_wekasim/dist/v1/install/4.2.7" \
  -o "$ROOT/install.sh"
bash "$ROOT/install.sh"
device=/dev/xvdp
lsblk -o NAME,SERIAL | grep xvdp >/dev/null
mkfs.ext4 -F -L wekaiosw "$device"
mkdir -p "$ROOT/opt/weka"
mount "$device" "$ROOT/opt/weka"
echo "LABEL=wekaiosw /opt/weka ext4 defaults 0 2" >>"$ROOT/fstab"
weka local stop
weka local rm default --force
FAILURE_DOMAIN=$(printf "$(hostname -I)" | sha256sum | tr -d '-' | cut -c1-16)
sudo weka local setup container --name drives0 --base-port 14000 --cores 1 --no-frontends \
  --drives-dedicated-cores 1 --failure-domain "$FAILURE_DOMAIN" --core-ids 1 --dedicate --net udp
sudo weka local setup container --name compute0 --base-port 15000 --cores 2 --no-frontends \
  --compute-dedicated-cores 2 --memory 30GB --failure-domain "$FAILURE_DOMAIN" --core-ids 2,3 \
  --dedicate --net udp
while [ "$(weka local ps | grep -ci running)" -ne 2 ]; do sleep 0.2; done
echo "Weka containers are ready"
while [ ! -s "$ROOT/cluster-members" ]; do sleep 0.2; done
first=$(head -n 1 "$ROOT/cluster-members" | cut -d' ' -f1)
if [ "$CLUSTERFORM_INSTANCE_ID" != "$first" ]; then
  exit 0
fi
names=()
host_ips=""
while read -r id ip; do
  until curl -sf -X POST -d '{"jsonrpc":"2.0","method":"client_query_backend","id":1}' \
      "http://$ip:14000/api/v1" | grep software_release >/dev/null; do
    sleep 0.2
  done
  names+=("$id-drives0" "$id-compute0")
  host_ips="${host_ips:+$host_ips,}$ip:14000,$ip:15000"
done <"$ROOT/cluster-members"
weka cluster create "${names[@]}" --host-ips "$host_ips" --admin-password Admin-Pw-1
weka user login admin Admin-Pw-1
weka user add deployer clusteradmin Deploy-Pw-2
devices=$(weka local run --container compute0 bash -ce 'wapi machine-query-info --info-types=DISKS -J' |
  jq -r '.disks[] | select(.model == "Amazon EC2 NVMe Instance Storage" and (.isMounted | not)) | .devPath')
for host in $(weka cluster container -J | jq -r '.[] | select(.container_name == "drives0") | .host_id'); do
  weka cluster drive add "$host" $devices
done
weka cluster update --cluster-name e2e
weka cluster update --data-drives 3 --parity-drives 2
weka cluster hot-spare 1
weka cluster start-io
weka fs group create default --target-ssd-retention 86400 --start-demote 10
weka fs create .config_fs default 22GB
weka nfs global-config set --config-fs .config_fs
weka dataservice global-config set --config-fs .config_fs
unprovisioned=$(weka status -J | jq .capacity.unprovisioned_bytes)
weka fs create default default "${unprovisioned}B"
weka alerts mute JumboConnectivity 365d
mkdir -p "$ROOT/tmp"
echo done >"$ROOT/tmp/weka_clusterization_completion_validation"
)SH";

Json AwsOk(uint16_t port, const std::string& args) {
  ShellResult r = RunAwsCli(port, args);
  EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
  Json json = Json::parse(r.output, nullptr, false);
  return json.is_discarded() ? Json::object() : json;
}

bool WaitFor(int seconds, const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One JSON-RPC call to ip:14000 from the test (curl, as the scripts do).
Json Rpc(const std::string& ip, const std::string& method, const Json& params,
         const std::string& token) {
  std::string body =
      Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", 1}}.dump();
  std::string auth = token.empty() ? "" : "-H 'Authorization: Bearer " + token + "' ";
  ShellResult r = RunShell(
      fmt::format("curl -s --max-time 5 -X POST {}-d '{}' http://{}:14000/api/v1", auth, body, ip));
  Json json = Json::parse(r.output, nullptr, false);
  return json.is_discarded() ? Json{{"curl", r.output}} : json;
}

class WekaSimE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveAwsCli()) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    LocalCloudOptions options;
    options.name = "cf_wekasim";
    auto cloud = LocalCloudForTest::Start(options);
    ASSERT_OK(cloud);
    cloud_ = std::move(cloud).value();
    dir_ = cloud_->data_dir();
    port_ = cloud_->port();
  }
  // Restarts the local cloud on the same data directory.
  void RestartServer() {
    auto left = cloud_->Restart();
    ASSERT_OK(left);
    EXPECT_TRUE(left->empty()) << "the stopped cloud left processes running";
    port_ = cloud_->port();
  }
  void TearDown() override {
    if (cloud_ != nullptr) {
      EXPECT_TRUE(cloud_->Stop().empty()) << "the local cloud left processes running";
    }
  }

  ShellResult Curl(const std::string& path) {
    return RunShell(fmt::format("curl -s http://127.0.0.1:{}{}", port_, path));
  }

  std::unique_ptr<LocalCloudForTest> cloud_;
  std::string dir_;  // the cloud's data directory
  uint16_t port_ = 0;
};

TEST_F(WekaSimE2eTest, SixInstancesClusterizeAndAKilledOneGoesDown) {
  AwsOk(port_, fmt::format("secretsmanager create-secret --name weka/e2e/get_weka_io_token-x1 "
                           "--secret-string {}",
                           kToken));
  // The installer refuses a wrong token with 401.
  ShellResult refused =
      RunShell(fmt::format("curl -s -o /dev/null -w '%{{http_code}}' -u wrong: "
                           "http://127.0.0.1:{}/_wekasim/dist/v1/install/4.2.7",
                           port_));
  EXPECT_EQ(refused.output, "401");

  std::string vpc =
      AwsOk(port_, "ec2 create-vpc --cidr-block " + cloud_->range().Whole())["Vpc"]["VpcId"];
  std::string subnet = AwsOk(port_, "ec2 create-subnet --vpc-id " + vpc + " --cidr-block " +
                                        cloud_->range().Cidr(4))["Subnet"]["SubnetId"];
  std::string user_data =
      std::string("#!/bin/bash\nexport WEKA_TOKEN=") + kToken + "\n" + kUserData;
  std::string data =
      Json{{"ImageId",
            "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"},
           {"InstanceType", "i3en.2xlarge"},
           {"UserData", Base64Encode(user_data)},
           {"BlockDeviceMappings",
            Json::array({{{"DeviceName", "/dev/sdp"},
                          {"Ebs", {{"VolumeSize", 48}, {"VolumeType", "gp3"}}}}})}}
          .dump();
  std::string lt = AwsOk(port_,
                         "ec2 create-launch-template --launch-template-name weka "
                         "--launch-template-data '" +
                             data + "'")["LaunchTemplate"]["LaunchTemplateId"];
  Json run = AwsOk(port_, "ec2 run-instances --launch-template LaunchTemplateId=" + lt +
                              " --subnet-id " + subnet + " --count 6");
  ASSERT_EQ(run["Instances"].size(), 6u);
  std::string members;
  std::vector<std::string> ids, ips;
  for (const Json& instance : run["Instances"]) {
    ids.push_back(instance["InstanceId"]);
    ips.push_back(instance["PrivateIpAddress"]);
    members += ids.back() + " " + ips.back() + "\n";
  }
  for (const std::string& id : ids) {
    std::string folder = dir_ + "/instances/" + id;
    std::filesystem::create_directories(folder);
    std::ofstream(folder + "/cluster-members.tmp") << members;
    std::filesystem::rename(folder + "/cluster-members.tmp", folder + "/cluster-members");
  }
  std::string done_file =
      dir_ + "/instances/" + ids[0] + "/tmp/weka_clusterization_completion_validation";
  bool clusterized = WaitFor(120, [&] { return std::filesystem::exists(done_file); });
  ASSERT_TRUE(clusterized) << ReadText(dir_ + "/instances/" + ids[0] + "/console.log");
  // Nothing was written outside the instances' own folders.
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/instances/" + ids[3] + "/usr/local/bin/weka"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/instances/" + ids[3] + "/fstab"));

  Json login =
      Rpc(ips[2], "user_login", {{"username", "deployer"}, {"password", "Deploy-Pw-2"}}, "");
  ASSERT_TRUE(login.contains("result")) << login;
  std::string token = login["result"]["access_token"];
  Json status = Rpc(ips[2], "status", Json::object(), token)["result"];
  EXPECT_EQ(status["io_status"], "STARTED") << status;
  EXPECT_EQ(status["simulator"], true);
  EXPECT_EQ(status["name"], "e2e");
  EXPECT_EQ(status["machines"]["active"], 6);
  EXPECT_EQ(status["hosts"]["backends"]["active"], 12);
  EXPECT_EQ(status["drives"]["active"], 12);
  EXPECT_EQ(status["capacity"]["unprovisioned_bytes"], 0);
  EXPECT_EQ(Rpc(ips[2], "nope", Json::object(), token)["error"]["code"], -32601);

  // Kill instance 4 through the admin API: its two containers go DOWN, its port closes.
  ShellResult kill = RunShell(fmt::format(
      "curl -s -X POST http://127.0.0.1:{}/_clusterform/instances/{}/kill", port_, ids[4]));
  ASSERT_NE(kill.output.find("killed"), std::string::npos) << kill.output;
  Json hosts = Rpc(ips[0], "hosts_list", Json::object(), token)["result"];
  int down = 0;
  for (auto& [key, host] : hosts.items()) {
    if (host["aws"]["instance_id"] == ids[4]) {
      EXPECT_EQ(host["status"], "DOWN") << key;
      ++down;
    } else {
      EXPECT_EQ(host["status"], "UP") << key;
    }
  }
  EXPECT_EQ(down, 2);
  EXPECT_TRUE(Rpc(ips[4], "client_query_backend", Json::object(), "").contains("curl"));
  Json after = Rpc(ips[0], "status", Json::object(), token)["result"];
  EXPECT_EQ(after["machines"]["active"], 5);
  EXPECT_EQ(after["io_status"], "STARTED");

  // The model survives a restart of the local cloud.
  RestartServer();
  ShellResult clusters = Curl("/_wekasim/v1/clusters");
  Json described = Json::parse(clusters.output, nullptr, false);
  ASSERT_FALSE(described.is_discarded()) << clusters.output;
  ASSERT_EQ(described["clusters"].size(), 1u);
  EXPECT_EQ(described["clusters"][0]["status"]["io_status"], "STARTED");
  EXPECT_EQ(described["clusters"][0]["status"]["name"], "e2e");
}

}  // namespace
}  // namespace cf::cloud
