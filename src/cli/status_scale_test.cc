// `clusterform status` and `clusterform scale` against a real local cloud (in-process, on
// 127.0.0.1, any free port; LocalCloudForTest): a DynamoDB state item as the module seeds it, the
// packaged clusterform-lambda.zip as the status (and management) function under the local cloud's
// Lambda, a real autoscaling group whose instances are processes, and a state file that
// records them as apply would. The full apply -> status -> scale 8 -> scale 6 acceptance needs
// the WEKA end-to-end apply (branch weka-e2e).

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "base/file_system.h"
#include "base/logging.h"
#include "base/process.h"
#include "cli/command.h"
#include "state/state.h"
#include "testing/cli_runner.h"
#include "testing/cloud/local_cloud.h"
#include "testing/status_matchers.h"

namespace cf::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kTable = "p-c-weka-deployment";
constexpr const char* kKey = "p-c-state";
constexpr const char* kGroup = "p-c-autoscaling-group";
constexpr const char* kStatusFunction = "p-c-status-lambda";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The module's state item value (reference §4.1) as DynamoDB attribute values.
Json AttributeValue(const Json& v) {
  if (v.is_boolean()) {
    return {{"BOOL", v.get<bool>()}};
  }
  if (v.is_number()) {
    return {{"N", v.dump()}};
  }
  if (v.is_string()) {
    return {{"S", v.get<std::string>()}};
  }
  if (v.is_array()) {
    Json l = Json::array();
    for (const Json& e : v) {
      l.push_back(AttributeValue(e));
    }
    return {{"L", l}};
  }
  Json m = Json::object();
  for (auto it = v.begin(); it != v.end(); ++it) {
    m[it.key()] = AttributeValue(it.value());
  }
  return {{"M", m}};
}

class StatusScaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalCloudOptions options;
    options.name = "cf_status_scale";
    auto cloud = LocalCloudForTest::Start(options);
    ASSERT_OK(cloud);
    cloud_ = std::move(cloud).value();
    root_ = cloud_->root();
    endpoint_ = cloud_->endpoint();
    dir_ = (fs::path(root_) / "deployment").string();
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (cloud_ != nullptr) {
      (void)cloud_->client().Call("autoscaling", "DeleteAutoScalingGroup",
                                  {{"AutoScalingGroupName", kGroup}, {"ForceDelete", true}});
      EXPECT_TRUE(cloud_->Stop().empty()) << "the local cloud left processes running";
    }
  }

  Json Call(const std::string& service, const std::string& operation, const Json& params) {
    return cloud_->Call(service, operation, params);
  }

  // The module's configuration (a WEKA module call), and a state that records the group and
  // the status function as apply would.
  void WriteDeployment(bool with_state = true) {
    std::ofstream(fs::path(dir_) / "main.tf") << R"(
provider "aws" {
  region = "us-east-1"
}

variable "get_weka_io_token" {
  type      = string
  sensitive = true
}

module "weka_deployment" {
  source            = "weka/weka/aws"
  prefix            = "p"
  cluster_name      = "c"
  get_weka_io_token = var.get_weka_io_token
  weka_version      = "4.4.10"
}
)";
    if (!with_state) {
      return;
    }
    state::State s;
    s.lineage = state::NewLineage();
    s.serial = 3;
    s.terraform_version = "0.1.0";
    state::InstanceState& group = s.Upsert(
        state::ParseAddress("module.weka_deployment.aws_autoscaling_group.backend").value(),
        "provider[\"registry.terraform.io/hashicorp/aws\"]");
    group.attributes = {{"id", kGroup}, {"name", kGroup}, {"desired_capacity", 6}};
    state::InstanceState& function = s.Upsert(
        state::ParseAddress("module.weka_deployment.aws_lambda_function.this[\"status\"]").value(),
        "provider[\"registry.terraform.io/hashicorp/aws\"]");
    function.attributes = {{"id", kStatusFunction}, {"function_name", kStatusFunction}};
    std::ofstream(fs::path(dir_) / "clusterform.tfstate") << state::Serialize(s);
  }

  void CreateFunction(const std::string& name, const std::string& handler) {
    for (const auto& [id, value] :
         {std::pair<const char*, const char*>{"weka/p-c/weka-username", "weka-deployment"},
          {"weka/p-c/weka-deployment-password", "Deploy-Pw-2"}}) {
      (void)cloud_->client().Call("secretsmanager", "CreateSecret",
                                  {{"Name", id}, {"SecretString", value}});
    }
    std::string zip = ReadFile(CF_LAMBDA_ZIP);
    ASSERT_FALSE(zip.empty()) << CF_LAMBDA_ZIP;
    Json env = {{"LAMBDA", handler},
                {"TABLE_NAME", kTable},
                {"HASH_KEY", "Key"},
                {"STATE_KEY", kKey},
                {"CLUSTER_NAME", "c"},
                {"ROLE", "backend"},
                {"ASG_NAME", kGroup},
                {"MANAGEMENT_LAMBDA", "p-c-management-lambda"},
                {"USE_SECRETMANAGER_ENDPOINT", "true"},
                {"USERNAME_ID", "weka/p-c/weka-username"},
                {"DEPLOYMENT_PASSWORD_ID", "weka/p-c/weka-deployment-password"}};
    Call("lambda", "CreateFunction",
         {{"FunctionName", name},
          {"Runtime", "provided.al2"},
          {"Handler", "bootstrap"},
          {"Role", "arn:aws:iam::000000000000:role/weka-lambda"},
          {"Timeout", 20},
          {"MemorySize", 128},
          {"Code", {{"ZipFile", zip}}},
          {"Environment", {{"Variables", env}}}});
  }

  // The state item: `ready` instances recorded, `progress` per hostname.
  void SeedState(bool clusterized, const Json& instances, const Json& progress,
                 const Json& errors = Json::object()) {
    Result<Json> created = cloud_->client().Call(
        "dynamodb", "CreateTable",
        {{"TableName", kTable},
         {"BillingMode", "PAY_PER_REQUEST"},
         {"AttributeDefinitions", {{{"AttributeName", "Key"}, {"AttributeType", "S"}}}},
         {"KeySchema", {{{"AttributeName", "Key"}, {"KeyType", "HASH"}}}}});
    ASSERT_TRUE(created.ok() || created.status().code() == StatusCode::kConflict);
    Json value = {
        {"initial_size", 6},      {"desired_size", 6},          {"clusterization_target", 6},
        {"instances", instances}, {"clusterized", clusterized}, {"progress", progress},
        {"errors", errors}};
    Call("dynamodb", "PutItem",
         {{"TableName", kTable},
          {"Item",
           {{"Key", {{"S", kKey}}},
            {"Locked", {{"BOOL", false}}},
            {"Value", AttributeValue(value)}}}});
  }

  // A VPC, a subnet, a launch template and the backends' group as the module makes it
  // (min = desired = 6, max = 42, protected from scale-in, tagged as backends); waits until
  // its 6 instances run. Returns their ids and addresses.
  std::vector<std::pair<std::string, std::string>> CreateGroup() {
    // ctest runs each case in its own process with its own local cloud, in parallel: each
    // case has its own 127.X range so no case's simulated backends answer another's calls.
    std::string vpc =
        Call("ec2", "CreateVpc", {{"CidrBlock", cloud_->range().Whole()}})["Vpc"]["VpcId"];
    std::string subnet = Call("ec2", "CreateSubnet",
                              {{"VpcId", vpc},
                               {"CidrBlock", cloud_->range().Cidr(1)},
                               {"AvailabilityZone", "us-east-1a"}})["Subnet"]["SubnetId"];
    std::string lt =
        Call("ec2", "CreateLaunchTemplate",
             {{"LaunchTemplateName", "p-c-backend"},
              {"LaunchTemplateData",
               {{"ImageId", "ami-0a3c3a20c09d6f377"},
                {"InstanceType", "i3en.2xlarge"}}}})["LaunchTemplate"]["LaunchTemplateId"];
    Call("autoscaling", "CreateAutoScalingGroup",
         {{"AutoScalingGroupName", kGroup},
          {"LaunchTemplate", {{"LaunchTemplateId", lt}, {"Version", "$Latest"}}},
          {"MinSize", 6},
          {"MaxSize", 42},
          {"DesiredCapacity", 6},
          {"VPCZoneIdentifier", subnet},
          {"NewInstancesProtectedFromScaleIn", true},
          {"Tags",
           {{{"Key", "weka_cluster_name"}, {"Value", "c"}, {"PropagateAtLaunch", true}},
            {{"Key", "weka_hostgroup_type"}, {"Value", "backend"}, {"PropagateAtLaunch", true}}}}});
    std::vector<std::pair<std::string, std::string>> out;
    for (int i = 0; i < 300 && out.size() < 6; ++i) {
      out.clear();
      Json group = Group();
      Json ids = Json::array();
      for (const Json& in : group.value("Instances", Json::array())) {
        if (in["LifecycleState"] == "InService") {
          ids.push_back(in["InstanceId"]);
        }
      }
      if (ids.size() == 6) {
        Json described = Call("ec2", "DescribeInstances", {{"InstanceIds", ids}});
        for (const Json& r : described["Reservations"]) {
          for (const Json& in : r["Instances"]) {
            out.emplace_back(in["InstanceId"], in.value("PrivateIpAddress", ""));
          }
        }
      }
      if (out.size() < 6) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    EXPECT_EQ(out.size(), 6u);
    std::sort(out.begin(), out.end());
    return out;
  }

  // One command on an instance, through the WEKA simulator's exec endpoint (what the `weka`
  // client the installer writes sends): the exit code and stdout.
  std::pair<int, std::string> Sim(const std::string& instance, const std::vector<std::string>& argv,
                                  const std::string& user = "", const std::string& password = "") {
    std::string script = "printf '%s\\0'";
    for (const std::string& a : argv) {
      script += " '" + a + "'";
    }
    script += " | curl -sS --max-time 60 -H 'X-Wekasim-Instance: " + instance +
              "' -H 'X-Wekasim-Username: " + user + "' -H 'X-Wekasim-Password: " + password +
              "' -H 'Content-Type: application/octet-stream' --data-binary @- " + endpoint_ +
              "/_wekasim/v1/exec";
    ProcessOptions p;
    p.argv = {"/bin/bash", "-c", script};
    p.stderr_redirect = Redirect::Pipe();
    Result<RunOutput> r = RunProcess(p, std::chrono::seconds(60));
    if (!r.ok()) {
      return {-1, r.status().message()};
    }
    std::istringstream in(r->out);
    std::string tag;
    int code = -1;
    size_t length = 0;
    in >> tag >> code >> length;
    in.get();
    std::string out(length, '\0');
    in.read(out.data(), static_cast<std::streamsize>(length));
    std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(tag, "wekasim-exit") << r->out << r->err;
    return {code, out + rest};
  }
  void SimOk(const std::string& instance, const std::vector<std::string>& argv,
             const std::string& user = "", const std::string& password = "") {
    auto [code, out] = Sim(instance, argv, user, password);
    EXPECT_EQ(code, 0) << argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << ": " << out;
  }
  void SetUpContainers(const std::string& id, int index, const std::string& join_ips) {
    SimOk(id, {"weka", "__installed", "4.4.10"});
    SimOk(id, {"weka", "local", "stop"});
    SimOk(id, {"weka", "local", "rm", "default", "--force"});
    std::vector<std::string> drives = {"weka",
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
                                       "fd" + std::to_string(index),
                                       "--core-ids",
                                       "1",
                                       "--dedicate",
                                       "--net",
                                       "udp"};
    std::vector<std::string> compute = {"weka",
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
                                        "fd" + std::to_string(index),
                                        "--core-ids",
                                        "2,3",
                                        "--dedicate",
                                        "--net",
                                        "udp"};
    if (!join_ips.empty()) {
      for (auto* v : {&drives, &compute}) {
        v->insert(v->end(), {"--join-ips", join_ips});
      }
    }
    SimOk(id, drives, "weka-deployment", "Deploy-Pw-2");
    SimOk(id, compute, "weka-deployment", "Deploy-Pw-2");
  }
  // What the deploy and clusterize scripts do, for the group's 6 instances: a clusterized
  // simulated cluster with io STARTED, its deployment user the one the functions log in as.
  void Clusterize(const std::vector<std::pair<std::string, std::string>>& instances) {
    std::vector<std::string> create = {"weka", "cluster", "create"};
    std::string host_ips;
    for (size_t i = 0; i < instances.size(); ++i) {
      SetUpContainers(instances[i].first, static_cast<int>(i), "");
      create.push_back(instances[i].first + "-drives0");
      create.push_back(instances[i].first + "-compute0");
      host_ips += (host_ips.empty() ? "" : ",") + instances[i].second + ":14000," +
                  instances[i].second + ":15000";
    }
    const std::string& first = instances[0].first;
    create.insert(create.end(), {"--host-ips", host_ips, "--admin-password", "Admin-Pw-1"});
    SimOk(first, create);
    SimOk(first, {"weka", "user", "login", "admin", "Admin-Pw-1"});
    SimOk(first, {"weka", "user", "add", "weka-deployment", "clusteradmin", "Deploy-Pw-2"});
    for (size_t i = 0; i < instances.size(); ++i) {
      SimOk(first, {"weka", "cluster", "drive", "add", std::to_string(2 * i), "/dev/nvme1n1",
                    "/dev/nvme2n1"});
    }
    SimOk(first, {"weka", "cluster", "update", "--cluster-name", "c"});
    SimOk(first, {"weka", "cluster", "update", "--data-drives", "3", "--parity-drives", "2"});
    SimOk(first, {"weka", "cluster", "hot-spare", "1"});
    SimOk(first, {"weka", "cluster", "start-io"});
  }
  // What the join script does for a new instance of the group.
  void Join(const std::string& id, int index, const std::string& join_ips) {
    SetUpContainers(id, index, join_ips);
    auto [code, info] = Sim(id, {"manhole", "getServerInfo"}, "weka-deployment", "Deploy-Pw-2");
    ASSERT_EQ(code, 0) << info;
    size_t at = info.find("hostIdValue: ");
    ASSERT_NE(at, std::string::npos) << info;
    std::string host_id = std::to_string(std::stoi(info.substr(at + 13)));
    SimOk(id, {"weka_sign_drive", "/dev/nvme1n1", "/dev/nvme2n1"});
    SimOk(id, {"weka", "cluster", "drive", "scan", host_id}, "weka-deployment", "Deploy-Pw-2");
  }

  Json Group() {
    Json out =
        Call("autoscaling", "DescribeAutoScalingGroups", {{"AutoScalingGroupNames", {kGroup}}});
    return out["AutoScalingGroups"].empty() ? Json() : out["AutoScalingGroups"][0];
  }

  std::map<std::string, std::string> Environment(const std::string& endpoint = "") {
    return {{"AWS_ENDPOINT_URL", endpoint.empty() ? endpoint_ : endpoint},
            {"AWS_ACCESS_KEY_ID", "test"},
            {"AWS_SECRET_ACCESS_KEY", "test"},
            {"HOME", root_},
            {"TF_VAR_get_weka_io_token", "token-for-the-test"}};
  }

  CommandOutput Cf(std::vector<std::string> args, const std::string& endpoint = "") {
    args.insert(args.begin(), "clusterform");
    std::map<std::string, std::string> env = Environment(endpoint);
    return CaptureOutput([&](std::FILE* out, std::FILE* err) {
      RealFileSystem files;
      return RunCli(args, CommandContext{Io{out, err, stdin}, files, env});
    });
  }

  static std::string Hostname(const std::string& ip) {
    std::string h = "ip-" + ip;
    std::replace(h.begin(), h.end(), '.', '-');
    return h;
  }

  std::unique_ptr<LocalCloudForTest> cloud_;
  std::string root_;
  std::string dir_;
  std::string endpoint_;
};

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
