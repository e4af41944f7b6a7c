#pragma once

// A WEKA deployment on a real local cloud for the `cli` tests (in process, on 127.0.0.1, any
// free port): a DynamoDB state item as the module seeds it, the packaged clusterform-lambda.zip
// as the control plane's functions under the local cloud's Lambda, a real autoscaling group
// whose instances are processes, a state file that records them as apply would, and the
// scripts' steps (deploy, clusterize, join) played through the WEKA simulator's exec endpoint.
// Used by status_scale_test.cc and self_healing_e2e_test.cc.

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/file_system.h"
#include "base/logging.h"
#include "base/process.h"
#include "cli/command.h"
#include "state/state.h"
#include "testing/cli_runner.h"
#include "testing/cloud/local_cloud.h"
#include "testing/status_matchers.h"

namespace cf::cli {

using Json = nlohmann::json;

inline constexpr const char* kTable = "p-c-weka-deployment";
inline constexpr const char* kKey = "p-c-state";
inline constexpr const char* kGroup = "p-c-autoscaling-group";
inline constexpr const char* kStatusFunction = "p-c-status-lambda";

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The module's state item value (reference §4.1) as DynamoDB attribute values.
inline Json AttributeValue(const Json& v) {
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

class WekaClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalCloudOptions options;
    options.name = "cf_weka_cluster";
    options.time_scale = time_scale_;
    auto cloud = LocalCloudForTest::Start(options);
    ASSERT_OK(cloud);
    cloud_ = std::move(cloud).value();
    root_ = cloud_->root();
    endpoint_ = cloud_->endpoint();
    dir_ = (std::filesystem::path(root_) / "deployment").string();
    std::filesystem::create_directories(dir_);
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
    std::ofstream(std::filesystem::path(dir_) / "main.tf") << R"(
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
    std::ofstream(std::filesystem::path(dir_) / "clusterform.tfstate") << state::Serialize(s);
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

  // The local cloud's time scale (its latency profile's), set before SetUp.
  double time_scale_ = 1.0;
  std::unique_ptr<LocalCloudForTest> cloud_;
  std::string root_;
  std::string dir_;
  std::string endpoint_;
};

}  // namespace cf::cli
