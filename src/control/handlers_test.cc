#include "control/handlers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "control/fake_aws_api.h"
#include "control/fake_weka_rpc.h"
#include "control/local_cloud_test_fixture.h"
#include "testing/awscli.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::control {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// DynamoDB and Secrets Manager from the local cloud (real conditions, real secrets); EC2,
// Auto Scaling, Lambda and S3 from a scripted fake.
class SplitAwsApi : public AwsApi {
 public:
  SplitAwsApi(AwsApi& real, FakeAwsApi& fake) : real_(real), fake_(fake) {}
  Result<AwsCallResult> Invoke(std::string_view service, std::string_view operation,
                               const json& params) override {
    if (service == "dynamodb" || service == "secretsmanager") {
      return real_.Invoke(service, operation, params);
    }
    return fake_.Invoke(service, operation, params);
  }

 private:
  AwsApi& real_;
  FakeAwsApi& fake_;
};

// True when bash parses `script`.
bool ValidBash(const std::string& script) {
  std::string path = "/tmp/cf_handlers_" + std::to_string(::getpid()) + ".sh";
  std::ofstream(path) << script;
  ShellResult r = RunShell("bash -n " + path + " 2>&1");
  std::remove(path.c_str());
  return r.status == 0;
}

json Reservation(const std::vector<std::tuple<std::string, std::string, std::string>>& instances) {
  json list = json::array();
  for (const auto& [id, ip, volume] : instances) {
    list.push_back(
        {{"InstanceId", id},
         {"PrivateIpAddress", ip},
         {"State", {{"Name", "running"}}},
         {"BlockDeviceMappings", {{{"DeviceName", "/dev/sdp"}, {"Ebs", {{"VolumeId", volume}}}}}}});
  }
  return {{"Reservations", {{{"Instances", list}}}}};
}

class HandlersTest : public LocalCloudTest {
 protected:
  void SetUp() override {
    LocalCloudTest::SetUp();
    SeedState("p-c-weka-deployment", "p-c-state", 3);
    split_ = std::make_unique<SplitAwsApi>(*api_, fake_);
    for (const char* name :
         {"weka-username", "weka-password", "weka-deployment-password", "get_weka_io_token"}) {
      Result<json> made =
          api_->Call("secretsmanager", "CreateSecret", {{"Name", std::string("weka/p-c/") + name}});
      ASSERT_OK(made);
      secret_[name] = (*made)["ARN"];
    }
    ASSERT_OK(
        api_->Call("secretsmanager", "PutSecretValue",
                   {{"SecretId", secret_["weka-username"]}, {"SecretString", "weka-deployment"}}));
    ASSERT_OK(
        api_->Call("secretsmanager", "PutSecretValue",
                   {{"SecretId", secret_["get_weka_io_token"]}, {"SecretString", "TKN-123"}}));
    ctx_.env = {
        {"TABLE_NAME", "p-c-weka-deployment"},
        {"HASH_KEY", "Key"},
        {"STATE_KEY", "p-c-state"},
        {"NFS_STATE_KEY", "p-c-nfs-state"},
        {"CLUSTER_NAME", "c"},
        {"PREFIX", "p"},
        {"AWS_REGION", "us-east-1"},
        {"USERNAME_ID", secret_["weka-username"]},
        {"ADMIN_PASSWORD_ID", secret_["weka-password"]},
        {"DEPLOYMENT_PASSWORD_ID", secret_["weka-deployment-password"]},
        {"TOKEN_ID", secret_["get_weka_io_token"]},
        {"USE_SECRETMANAGER_ENDPOINT", "false"},
        {"MANAGEMENT_LAMBDA", "p-c-management-lambda"},
        {"INSTALL_URL", "https://$TOKEN@get.weka.io/dist/v1/install/4.4.1/4.4.1?provider=aws"},
        {"HOSTS_NUM", "3"},
        {"STRIPE_WIDTH", "3"},
        {"PROTECTION_LEVEL", "2"},
        {"HOTSPARE", "1"},
        {"FRONTEND_CONTAINER_CORES_NUM", "1"},
        {"ASG_NAME", "p-c-autoscaling-group"},
        {"NFS_ASG_NAME", "p-c-nfs-protocol-gateway"},
        {"DOWN_BACKENDS_REMOVAL_TIMEOUT", "3h"},
        {"ROLE", "backend"}};
    ctx_.aws = split_.get();
    ctx_.clock = &fake_clock_;
    ctx_.request_id = "req-1";
    ctx_.lock.wait = std::chrono::milliseconds(500);
    ctx_.make_rpc = [this](std::vector<std::string> ips, std::string user, std::string pw) {
      rpc_ips_ = ips;
      rpc_user_ = user;
      rpc_password_ = pw;
      auto rpc = std::make_unique<FakeWekaRpc>();
      *rpc = rpc_template_;
      return rpc;
    };
    fake_.OnOutput("ec2.DescribeInstances", Reservation({{"i-1", "127.0.1.1", "vol-1"},
                                                         {"i-2", "127.0.1.2", "vol-2"},
                                                         {"i-3", "127.0.1.3", "vol-3"}}));
  }
  Result<json> Run(const std::string& lambda, const json& event) {
    ctx_.env["LAMBDA"] = lambda;
    return HandleEvent(ctx_, event);
  }
  FakeAwsApi fake_;
  std::unique_ptr<SplitAwsApi> split_;
  std::map<std::string, std::string> secret_;
  FakeClock fake_clock_{std::chrono::system_clock::from_time_t(1'800'000'000)};  // 08:00:00 UTC
  HandlerContext ctx_;
  FakeWekaRpc rpc_template_;
  std::vector<std::string> rpc_ips_;
  std::string rpc_user_, rpc_password_;
};

TEST_F(HandlersTest, UnknownLambdaIsRefused) {
  EXPECT_THAT(Run("frobnicate", json::object()),
              StatusIs(StatusCode::kInvalidArgument, "unsupported lambda command"));
}

TEST_F(HandlersTest, ReportAppendsTimestampedEntriesUnderTheLock) {
  Result<json> r =
      Run("report", {{"type", "progress"}, {"message", "hello"}, {"hostname", "ip-127-0-1-1"}});
  ASSERT_OK(r);
  EXPECT_EQ(*r, "The report was added successfully");
  ASSERT_OK(Run("report", {{"type", "error"}, {"message", "bad"}, {"hostname", "ip-127-0-1-1"}}));
  EXPECT_THAT(Run("report", {{"type", "shout"}, {"message", "x"}, {"hostname", "h"}}),
              StatusIs(StatusCode::kInvalidArgument, "invalid report type: shout"));
  EXPECT_THAT(Run("report",
                  {{"type", "progress"}, {"message", "x"}, {"hostname", "h"}, {"protocol", "ftp"}}),
              StatusIs(StatusCode::kInvalidArgument, "unsupported protocol: ftp"));
  Result<json> progress = Run("status", {{"type", "progress"}});
  ASSERT_OK(progress);
  EXPECT_EQ((*progress)["progress"]["ip-127-0-1-1"], json::array({"08:00:00 UTC: hello"}));
  EXPECT_EQ((*progress)["errors"]["ip-127-0-1-1"], json::array({"08:00:00 UTC: bad"}));
  EXPECT_TRUE((*progress)["debug"].is_null());
  // The reporting host's IP is a running instance not yet ready: in progress.
  EXPECT_EQ((*progress)["in_progress"], json::array({"ip-127-0-1-1"}));
  EXPECT_EQ((*progress)["summary"]["in_progress"], 1);
  EXPECT_EQ((*progress)["summary"]["clusterization_target"], 3);
}

TEST_F(HandlersTest, StatusRefusesBadInput) {
  EXPECT_THAT(Run("status", {{"type", "progress"}, {"protocol", "smb"}}),
              StatusIs(StatusCode::kInvalidArgument, "unsupported protocol: smb"));
  Result<json> r = Run("status", {{"type", "what"}});
  ASSERT_OK(r);
  EXPECT_EQ(*r, "Invalid status type");
}

TEST_F(HandlersTest, ClusterizeCountsInstancesAndTheLastOneCreatesTheCluster) {
  Result<json> first = Run("clusterize", {{"name", "i-1"}});
  ASSERT_OK(first);
  EXPECT_THAT(first->get<std::string>(),
              HasSubstr("This (i-1) is instance 1/3 that is ready for clusterization"));
  // A retry does not count twice.
  ASSERT_OK(Run("clusterize", {{"name", "i-1"}}));
  ASSERT_OK(Run("clusterize", {{"name", "i-2"}}));
  Result<json> last = Run("clusterize", {{"name", "i-3"}});
  ASSERT_OK(last);
  std::string script = last->get<std::string>();
  EXPECT_THAT(script, HasSubstr("weka cluster create"));
  EXPECT_THAT(script, HasSubstr("'i-1-drives0' 'i-1-compute0' 'i-1-frontend0'"));
  EXPECT_THAT(script, HasSubstr("127.0.1.3:14000,127.0.1.3:15000,127.0.1.3:16000"));
  EXPECT_TRUE(ValidBash(script));
  EXPECT_TRUE(ValidBash(first->get<std::string>()));
  // Passwords were written to Secrets Manager, never put in the script.
  Result<json> admin =
      api_->Call("secretsmanager", "GetSecretValue", {{"SecretId", secret_["weka-password"]}});
  ASSERT_OK(admin);
  std::string pw = (*admin)["SecretString"];
  EXPECT_EQ(pw.size(), 20u);
  EXPECT_THAT(script, Not(HasSubstr(pw)));
  EXPECT_THAT(script, Not(HasSubstr("TKN-123")));
  // Status progress: 3 ready, the third is the clusterizer.
  Result<json> progress = Run("status", {{"type", "progress"}});
  ASSERT_OK(progress);
  EXPECT_EQ((*progress)["ready_for_clusterization"], json::array({"i-1", "i-2", "i-3"}));
  EXPECT_EQ((*progress)["summary"]["clusterization_instance"], "i-3");
  // A fourth instance is not needed.
  Result<json> extra = Run("clusterize", {{"name", "i-4"}});
  ASSERT_OK(extra);
  EXPECT_THAT(extra->get<std::string>(), HasSubstr("report_error 'instance i-4 is not needed"));
  // Finalization empties the list and marks the cluster clusterized.
  Result<json> done = Run("clusterizeFinalization", json::object());
  ASSERT_OK(done);
  EXPECT_EQ(*done, "ClusterizeFinalization completed successfully");
  Result<json> after = Run("status", {{"type", "progress"}});
  EXPECT_EQ((*after)["ready_for_clusterization"], json::array());
  EXPECT_EQ((*after)["summary"]["clusterized"], true);
  Result<json> late = Run("clusterize", {{"name", "i-5"}});
  EXPECT_THAT(late->get<std::string>(), HasSubstr("created before the end of clusterization"));
}

TEST_F(HandlersTest, DeployAnswersTheDeployScriptThenTheJoinScript) {
  ctx_.env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4566";
  Result<json> deploy = Run("deploy", {{"name", "i-2"}, {"protocol", ""}});
  ASSERT_OK(deploy);
  std::string script = deploy->get<std::string>();
  EXPECT_THAT(script, HasSubstr("VOLUME_ID='vol-2'"));
  EXPECT_THAT(script,
              HasSubstr("INSTALL_URL=\"${AWS_ENDPOINT_URL}/_wekasim/dist/v1/install/4.4.1\""));
  EXPECT_THAT(script, Not(HasSubstr("TKN-123")));
  EXPECT_THAT(script, HasSubstr("prepare_weka_volume"));
  ASSERT_OK(Run("clusterizeFinalization", json::object()));
  Result<json> join = Run("deploy", {{"name", "i-2"}});
  ASSERT_OK(join);
  EXPECT_THAT(join->get<std::string>(), HasSubstr("BACKEND_IPS=('127.0.1.1' '127.0.1.3')"));
  EXPECT_THAT(Run("deploy", json::object()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("name")));
  EXPECT_THAT(Run("deploy", {{"name", "i-2"}, {"protocol", "ftp"}}),
              StatusIs(StatusCode::kInvalidArgument, "unsupported protocol: ftp"));
}

TEST_F(HandlersTest, FetchDescribesTheGroupsAndFallsBackToAdmin) {
  fake_.OnOutput(
      "autoscaling.DescribeAutoScalingGroups",
      {{"AutoScalingGroups",
        {{{"DesiredCapacity", 3},
          {"Instances",
           {{{"InstanceId", "i-1"}}, {{"InstanceId", "i-2"}}, {{"InstanceId", "i-3"}}}}}}}});
  ASSERT_OK(api_->Call("secretsmanager", "PutSecretValue",
                       {{"SecretId", secret_["weka-password"]}, {"SecretString", "AdminPw1"}}));
  Result<json> out = Run("fetch", json::object());
  ASSERT_OK(out);
  EXPECT_EQ((*out)["weka_backends_desired_capacity"], 3);
  EXPECT_EQ((*out)["weka_backend_instances"].size(), 3u);
  EXPECT_EQ((*out)["weka_backend_instances"][0], json({{"Id", "i-1"}, {"PrivateIp", "127.0.1.1"}}));
  EXPECT_EQ((*out)["backend_ips"].size(), 3u);
  // Every instance of the cluster EC2 has not terminated, for the leftover rule.
  ASSERT_EQ((*out)["live_instances"].size(), 3u);
  EXPECT_EQ((*out)["live_instances"][0], json({{"Id", "i-1"}, {"PrivateIp", "127.0.1.1"}}));
  EXPECT_EQ(fake_.CallsTo("ec2.DescribeInstances").back()["Filters"][1]["Values"],
            json({"pending", "running", "stopping", "stopped"}));
  EXPECT_EQ((*out)["down_backends_removal_timeout"], int64_t{3} * 3600 * 1000000000);
  EXPECT_EQ((*out)["role"], "backend");
  EXPECT_EQ((*out)["version"], 1);
  // No deployment password yet: admin.
  EXPECT_EQ((*out)["username"], "admin");
  EXPECT_EQ((*out)["password"], "AdminPw1");
  EXPECT_FALSE(out->contains("admin_password"));
  ASSERT_OK(api_->Call(
      "secretsmanager", "PutSecretValue",
      {{"SecretId", secret_["weka-deployment-password"]}, {"SecretString", "DeployPw1"}}));
  Result<json> with_admin =
      Run("fetch", {{"fetch_weka_credentials", true}, {"show_admin_password", true}});
  ASSERT_OK(with_admin);
  EXPECT_EQ((*with_admin)["username"], "weka-deployment");
  EXPECT_EQ((*with_admin)["password"], "DeployPw1");
  EXPECT_EQ((*with_admin)["admin_password"], "AdminPw1");
  // Through the Secrets Manager endpoint, the scheduled fetch carries no password.
  ctx_.env["USE_SECRETMANAGER_ENDPOINT"] = "true";
  Result<json> quiet = Run("fetch", json::object());
  ASSERT_OK(quiet);
  EXPECT_FALSE(quiet->contains("password"));
}

TEST_F(HandlersTest, ScaleDownLoadsCredentialsWhenTheInputHasNone) {
  ASSERT_OK(api_->Call(
      "secretsmanager", "PutSecretValue",
      {{"SecretId", secret_["weka-deployment-password"]}, {"SecretString", "DeployPw1"}}));
  rpc_template_.answers["status"] = {{"io_status", "STARTING"}};
  json input = {{"username", ""},
                {"role", "backend"},
                {"weka_backends_desired_capacity", 3},
                {"down_backends_removal_timeout", 1},
                {"backend_ips", {"127.0.1.1"}},
                {"version", 1}};
  EXPECT_THAT(Run("scaleDown", input),
              StatusIs(StatusCode::kConflict, HasSubstr("io status:STARTING")));
  EXPECT_EQ(rpc_user_, "weka-deployment");
  EXPECT_EQ(rpc_password_, "DeployPw1");
  EXPECT_EQ(rpc_ips_, std::vector<std::string>({"127.0.1.1"}));
  input["weka_backends_desired_capacity"] = 0;
  EXPECT_THAT(Run("scaleDown", input),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("desired_capacity")));
}

TEST_F(HandlersTest, ManagementAnswersWekaStatusOrNothing) {
  rpc_template_.answers["status"] = {{"io_status", "STARTED"}, {"hosts", {{"total_count", 6}}}};
  Result<json> out = Run("management", {{"type", "status"},
                                        {"backend_private_ips", {"127.0.1.1"}},
                                        {"username", "u"},
                                        {"password", "p"}});
  ASSERT_OK(out);
  EXPECT_EQ((*out)["io_status"], "STARTED");
  rpc_template_.answers.clear();
  Result<json> empty = Run("management", {{"type", "status"},
                                          {"backend_private_ips", json::array()},
                                          {"username", "u"},
                                          {"password", "p"}});
  ASSERT_OK(empty);
  EXPECT_EQ(*empty, json::object());
}

TEST_F(HandlersTest, StatusOfAClusterizedClusterAsksManagement) {
  ASSERT_OK(Run("clusterizeFinalization", json::object()));
  ASSERT_OK(api_->Call(
      "secretsmanager", "PutSecretValue",
      {{"SecretId", secret_["weka-deployment-password"]}, {"SecretString", "DeployPw1"}}));
  fake_.On("lambda.Invoke", [](const json& params) {
    json payload = json::parse(params["Payload"].get<std::string>());
    EXPECT_EQ(payload["username"], "weka-deployment");
    EXPECT_EQ(payload["backend_private_ips"].size(), 3u);
    return AwsCallResult{{{"StatusCode", 200}, {"Payload", R"({"io_status":"STARTED"})"}},
                         std::nullopt};
  });
  Result<json> out = Run("status", {{"type", "status"}});
  ASSERT_OK(out);
  EXPECT_EQ((*out)["clusterized"], true);
  EXPECT_EQ((*out)["initial_size"], 3);
  EXPECT_EQ((*out)["weka_status"]["io_status"], "STARTED");
  EXPECT_EQ(fake_.CallsTo("lambda.Invoke")[0]["FunctionName"], "p-c-management-lambda");
}

TEST_F(HandlersTest, NfsGatewaysFormTheInterfaceGroupThenJoinIt) {
  SeedState("p-c-weka-deployment", "p-c-nfs-state", 2);
  ctx_.env["NFS_PROTOCOL_GATEWAYS_NUM"] = "2";
  ctx_.env["NFS_INTERFACE_GROUP_NAME"] = "weka-ig";
  fake_.OnOutput("ec2.CreateTags", json::object());
  json gw = {{"protocol", "nfs"}, {"container_uid", "uid-1"}, {"nic_name", "eth1"}};
  gw["name"] = "i-1";
  Result<json> first = Run("clusterize", gw);
  ASSERT_OK(first);
  EXPECT_THAT(first->get<std::string>(), HasSubstr("instance 1/2"));
  gw["name"] = "i-2";
  Result<json> second = Run("clusterize", gw);
  ASSERT_OK(second);
  EXPECT_THAT(second->get<std::string>(), HasSubstr("weka nfs interface-group add 'weka-ig' nfs"));
  ASSERT_OK(Run("clusterizeFinalization", {{"protocol", "nfs"}}));
  auto tags = fake_.CallsTo("ec2.CreateTags");
  ASSERT_EQ(tags.size(), 1u);
  EXPECT_EQ(tags[0]["Resources"], json::array({"i-1", "i-2"}));
  // The backend state is untouched by the NFS finalization.
  EXPECT_EQ((*Run("status", {{"type", "progress"}}))["summary"]["clusterized"], false);
  gw["name"] = "i-3";
  Result<json> join = Run("clusterize", gw);
  ASSERT_OK(join);
  EXPECT_THAT(join->get<std::string>(),
              HasSubstr("weka nfs interface-group port add 'weka-ig' 'uid-1' 'eth1'"));
  EXPECT_THAT(join->get<std::string>(), HasSubstr("join_nfs_finalization"));
  EXPECT_TRUE(ValidBash(second->get<std::string>()));
  EXPECT_TRUE(ValidBash(join->get<std::string>()));
  ASSERT_OK(Run("joinNfsFinalization", {{"name", "i-3"}}));
  EXPECT_EQ(fake_.CallsTo("ec2.CreateTags").back()["Resources"], json::array({"i-3"}));
}

TEST_F(HandlersTest, TransientFailsOnErrorsOnly) {
  EXPECT_OK(Run("transient", {{"TransientErrors", nullptr}}));
  EXPECT_THAT(Run("transient", {{"TransientErrors", {"x:y"}}}),
              StatusIs(StatusCode::kUnavailable, "the following errors were found:\nx:y"));
}

TEST(HandlerHelpersTest, PasswordsInstallUrlsAndReportEntries) {
  for (int i = 0; i < 20; ++i) {
    Result<std::string> pw = GeneratePassword(16);
    ASSERT_OK(pw);
    EXPECT_EQ(pw->size(), 16u);
    EXPECT_NE(pw->find_first_of("abcdefghijklmnopqrstuvwxyz"), std::string::npos);
    EXPECT_NE(pw->find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), std::string::npos);
    EXPECT_NE(pw->find_first_of("0123456789"), std::string::npos);
  }
  EXPECT_NE(*GeneratePassword(), *GeneratePassword());
  EXPECT_EQ(
      ScriptInstallUrl("https://$TOKEN@get.weka.io/dist/v1/install/4.4.1/4.4.1?provider=aws", ""),
      "https://get.weka.io/dist/v1/install/4.4.1/4.4.1?provider=aws");
  EXPECT_EQ(ScriptInstallUrl("https://$TOKEN@get.weka.io/dist/v1/install/4.4.1/4.4.1?provider=aws",
                             "http://127.0.0.1:4566"),
            "${AWS_ENDPOINT_URL}/_wekasim/dist/v1/install/4.4.1");
  EXPECT_EQ(ScriptInstallUrl("s3://bucket/weka-4.4.1.tar", "http://127.0.0.1:4566"),
            "s3://bucket/weka-4.4.1.tar");
  EXPECT_EQ(ReportEntry(std::chrono::system_clock::from_time_t(1'800'000'000 + 3723), "m"),
            "09:02:03 UTC: m");
}

}  // namespace
}  // namespace cf::control
