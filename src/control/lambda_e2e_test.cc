// The packaged clusterform-lambda.zip (bootstrap = the clusterform-lambda binary) run by the
// local cloud's Lambda through the real Runtime API: `report` and `status` against a DynamoDB
// table of the same local cloud.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "control/local_cloud_test_fixture.h"
#include "testing/status_matchers.h"

namespace cf::control {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class LambdaEndToEndTest : public LocalCloudTest {
 protected:
  void CreateFunction(const std::string& name, const std::string& handler) {
    std::string zip = ReadFile(CF_LAMBDA_ZIP);
    ASSERT_FALSE(zip.empty()) << CF_LAMBDA_ZIP;
    json env = {
        {"LAMBDA", handler},        {"TABLE_NAME", "p-c-weka-deployment"}, {"HASH_KEY", "Key"},
        {"STATE_KEY", "p-c-state"}, {"NFS_STATE_KEY", "p-c-nfs-state"},    {"CLUSTER_NAME", "c"},
        {"ROLE", "backend"},        {"ASG_NAME", "p-c-autoscaling-group"}};
    ASSERT_OK(api_->Call("lambda", "CreateFunction",
                         {{"FunctionName", name},
                          {"Runtime", "provided.al2"},
                          {"Handler", "bootstrap"},
                          {"Role", "arn:aws:iam::000000000000:role/weka-lambda"},
                          {"Timeout", 20},
                          {"MemorySize", 128},
                          {"Code", {{"ZipFile", zip}}},
                          {"Environment", {{"Variables", env}}}}));
  }
  // The function's answer and whether it was a function error.
  std::pair<json, bool> Invoke(const std::string& name, const json& event) {
    Result<json> out =
        api_->Call("lambda", "Invoke", {{"FunctionName", name}, {"Payload", event.dump()}});
    EXPECT_OK(out);
    if (!out.ok()) {
      return {json(), true};
    }
    json payload = json::parse((*out).value("Payload", std::string("null")), nullptr, false);
    return {payload, out->contains("FunctionError")};
  }
};

TEST_F(LambdaEndToEndTest, ReportAndStatusRunUnderTheLocalCloudsLambda) {
  SeedState("p-c-weka-deployment", "p-c-state", 6);
  CreateFunction("p-c-report-lambda", "report");
  CreateFunction("p-c-status-lambda", "status");

  auto [reported, report_failed] =
      Invoke("p-c-report-lambda", {{"type", "progress"},
                                   {"message", "Weka containers are ready"},
                                   {"hostname", "ip-127-0-1-5"}});
  EXPECT_FALSE(report_failed) << reported.dump();
  EXPECT_EQ(reported, "The report was added successfully");

  auto [bad, bad_failed] =
      Invoke("p-c-report-lambda", {{"type", "shout"}, {"message", "x"}, {"hostname", "h"}});
  EXPECT_TRUE(bad_failed);
  EXPECT_EQ(bad["errorMessage"], "invalid report type: shout");
  EXPECT_EQ(bad["errorType"], "InvalidArgument");

  auto [progress, progress_failed] = Invoke("p-c-status-lambda", {{"type", "progress"}});
  ASSERT_FALSE(progress_failed) << progress.dump();
  ASSERT_TRUE(progress["progress"]["ip-127-0-1-5"].is_array()) << progress.dump();
  EXPECT_THAT(progress["progress"]["ip-127-0-1-5"][0].get<std::string>(),
              HasSubstr(" UTC: Weka containers are ready"));
  EXPECT_EQ(progress["summary"]["clusterization_target"], 6);
  EXPECT_EQ(progress["summary"]["clusterized"], false);
  EXPECT_EQ(progress["ready_for_clusterization"], json::array());

  auto [status, status_failed] = Invoke("p-c-status-lambda", {{"type", "status"}});
  ASSERT_FALSE(status_failed) << status.dump();
  EXPECT_EQ(status["initial_size"], 6);
  EXPECT_EQ(status["clusterized"], false);

  // The lock was released after each write.
  EXPECT_EQ(RawItem("p-c-weka-deployment", "p-c-state")["Locked"]["BOOL"], false);
}

}  // namespace
}  // namespace cf::control
