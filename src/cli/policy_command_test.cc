#include "cli/policy_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/cli_runner.h"
#include "testing/command_test_module.h"
#include "testing/memory_file_system.h"

namespace cf::cli {
namespace {

using Outcome = CommandOutput;

class PolicyCommandTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs_.WriteFileAtomic("/cfg/main.tf", R"(
provider "aws" { region = "eu-west-1" }
module "weka" {
  source       = "weka/weka/aws"
  cluster_name = "dev"
}
)")
                    .ok());
  }
  Outcome Policy(const std::vector<std::string>& args) {
    return CaptureOutput([&](std::FILE* out, std::FILE* err) {
      return RunPolicy(args, Io{out, err}, {}, fs_, module_.Lookup());
    });
  }

  CommandTestModule module_;
  InMemoryFileSystem fs_;
};

TEST_F(PolicyCommandTest, PrintsTheDocumentScopedToTheDeployment) {
  Outcome outcome = Policy({"-account", "123456789012", "/cfg"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  nlohmann::json doc = nlohmann::json::parse(outcome.out);
  EXPECT_EQ(doc["Version"], "2012-10-17");
  std::map<std::string, std::vector<std::string>> resources;
  for (const auto& statement : doc["Statement"]) {
    for (const auto& action : statement["Action"]) {
      for (const auto& resource : statement["Resource"]) {
        resources[action.get<std::string>()].push_back(resource.get<std::string>());
      }
    }
  }
  EXPECT_THAT(resources["lambda:CreateFunction"],
              testing::ElementsAre("arn:aws:lambda:eu-west-1:123456789012:function:weka-dev-"
                                   "deploy-lambda",
                                   "arn:aws:lambda:eu-west-1:123456789012:function:weka-dev-"
                                   "status-lambda"));
  EXPECT_THAT(resources["iam:PassRole"],
              testing::ElementsAre("arn:aws:iam::123456789012:role/weka-dev-lambda-role"));
  EXPECT_THAT(resources["elasticloadbalancing:CreateLoadBalancer"],
              testing::ElementsAre("arn:aws:elasticloadbalancing:eu-west-1:123456789012:"
                                   "loadbalancer/*/weka-dev-lb/*"));
  EXPECT_THAT(resources["ec2:CreateSubnet"], testing::ElementsAre("*"));
  EXPECT_THAT(resources["ec2:DescribeAvailabilityZones"], testing::ElementsAre("*"));
}

TEST_F(PolicyCommandTest, WritesNumberedFilesAndRemovesStaleOnes) {
  ASSERT_TRUE(fs_.WriteFileAtomic("/out/policy-7.json", "{}").ok());
  ASSERT_TRUE(fs_.WriteFileAtomic("/out/notes.json", "{}").ok());
  Outcome outcome = Policy({"/cfg", "-o", "/out"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  Result<std::string> written = fs_.ReadFile("/out/policy-1.json");
  ASSERT_TRUE(written.ok());
  nlohmann::json doc = nlohmann::json::parse(*written);
  EXPECT_EQ(doc["Version"], "2012-10-17");
  EXPECT_EQ(doc.dump().size() <= 6144, true);
  EXPECT_THAT(outcome.out, testing::MatchesRegex("/out/policy-1.json \\([0-9]+ characters "
                                                 "without whitespace\\)\n"));
  EXPECT_FALSE(fs_.Exists("/out/policy-2.json"));
  EXPECT_FALSE(fs_.Exists("/out/policy-7.json"));
  EXPECT_TRUE(fs_.Exists("/out/notes.json"));
}

TEST_F(PolicyCommandTest, AFailedWriteExitsOne) {
  fs_.FailWritesAfter(0);
  Outcome outcome = Policy({"/cfg", "-o", "/out"});
  EXPECT_EQ(outcome.code, 1);
  EXPECT_THAT(outcome.err, testing::HasSubstr("clusterform policy: writing /out/policy-1.json"));
}

TEST_F(PolicyCommandTest, SameConfigurationSameOutput) {
  EXPECT_EQ(Policy({"/cfg"}).out, Policy({"/cfg"}).out);
}

TEST_F(PolicyCommandTest, AnUnknownFlagIsAUsageError) {
  EXPECT_EQ(Policy({"-out", "x"}).code, 2);
}

}  // namespace
}  // namespace cf::cli
