#include "cli/plan_command.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/cli_runner.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::cli {
namespace {

using Outcome = CommandOutput;

class PlanCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(fs_.WriteFileAtomic("w/main.tf", R"(provider "aws" {
  region = "eu-west-1"
}
variable "token" {
  type      = string
  sensitive = true
}
module "weka" {
  source            = "weka/weka/aws"
  prefix            = "weka"
  cluster_name      = "poc"
  get_weka_io_token = var.token
  weka_version      = "4.4.10"
}
output "greeting" {
  value = "hello"
}
output "token" {
  value     = var.token
  sensitive = true
}
)"));
  }

  Outcome Plan(std::vector<std::string> args, std::optional<bool> color = std::nullopt) {
    PlanCommandOptions options;
    options.color = color;
    if (!findings_.empty()) {
      options.preflight = [this](const graph::DesiredState&) { return findings_; };
    }
    return CaptureOutput([&](std::FILE* out, std::FILE* err) {
      return RunPlan(args, Io{out, err}, {}, fs_, options);
    });
  }

  InMemoryFileSystem fs_;
  std::vector<plan::Finding> findings_;
};

TEST_F(PlanCommandTest, PrintsThePlanAndSucceeds) {
  Outcome r = Plan({"w", "-var", "token=secret-token"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Changes to Outputs:\n  + greeting = \"hello\"\n  + token    = (sensitive "
                       "value)\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("secret-token"), std::string::npos);
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
}

TEST_F(PlanCommandTest, ColourWhenForcedUnlessNoColor) {
  EXPECT_NE(Plan({"w", "-var", "token=t"}, true).out.find('\x1b'), std::string::npos);
  EXPECT_EQ(Plan({"w", "-var", "token=t", "-no-color"}, true).out.find('\x1b'), std::string::npos);
}

TEST_F(PlanCommandTest, JsonIsOneDocumentWithoutSecrets) {
  Outcome r = Plan({"w", "-json", "-var", "token=secret-token"});
  EXPECT_EQ(r.code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["format_version"], "1.2");
  EXPECT_EQ(doc["terraform_version"], kVersion);
  EXPECT_EQ(doc["output_changes"]["greeting"]["after"], "hello");
  EXPECT_EQ(doc["configuration"]["root_module"]["module_calls"]["weka"]["source"], "weka/weka/aws");
  EXPECT_EQ(r.out.find("secret-token"), std::string::npos);
}

TEST_F(PlanCommandTest, DetailedExitcodeIsTwoWithChanges) {
  Outcome r = Plan({"w", "-detailed-exitcode", "-var", "token=t"});
  EXPECT_EQ(r.code, 2) << r.err;
}

TEST_F(PlanCommandTest, DetailedExitcodeIsZeroWithoutChanges) {
  ASSERT_OK(fs_.WriteFileAtomic("empty/main.tf", "variable \"x\" {\n  default = 1\n}\n"));
  Outcome r = Plan({"empty", "-detailed-exitcode"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("No changes."), std::string::npos);
}

TEST_F(PlanCommandTest, OutWritesTheJsonPlan) {
  Outcome r = Plan({"w", "-var", "token=t", "-out", "w/plan.json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Saved the plan to: w/plan.json"), std::string::npos);
  Result<std::string> saved = fs_.ReadFile("w/plan.json");
  ASSERT_OK(saved);
  EXPECT_EQ(nlohmann::json::parse(*saved)["format_version"], "1.2");
}

TEST_F(PlanCommandTest, OutFailureIsAnError) {
  fs_.FailWritesAfter(0);
  Outcome r = Plan({"w", "-var", "token=t", "-out", "w/plan.json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot save the plan to w/plan.json"), std::string::npos) << r.err;
}

TEST_F(PlanCommandTest, ConfigurationErrorsPrintLikeValidate) {
  ASSERT_OK(fs_.WriteFileAtomic("bad/main.tf", R"(module "weka" {
  source       = "weka/weka/aws"
  cluster_sise = 6
}
)"));
  Outcome r = Plan({"bad"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("bad/main.tf:3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cluster_size"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("clusterform cannot plan the configuration in bad."), std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(PlanCommandTest, PreflightWarningsPrintBeforeThePlan) {
  findings_ = {{plan::Finding::Severity::kWarning, "module.weka", "SSH open to 0.0.0.0/0", ""}};
  Outcome r = Plan({"w", "-var", "token=t"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.find("Preflight:\n  warning: module.weka: SSH open to 0.0.0.0/0\n\n"), 0u)
      << r.out;
  EXPECT_NE(r.out.find("Changes to Outputs:"), std::string::npos);
}

TEST_F(PlanCommandTest, PreflightErrorsStopThePlan) {
  findings_ = {{plan::Finding::Severity::kError, "module.weka", "144 vCPUs needed", "Ask AWS."}};
  Outcome r = Plan({"w", "-var", "token=t", "-out", "w/plan.json"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("  error: module.weka: 144 vCPUs needed\n      Ask AWS.\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("Changes to Outputs:"), std::string::npos);
  EXPECT_NE(r.err.find("1 preflight error"), std::string::npos) << r.err;
  EXPECT_FALSE(fs_.Exists("w/plan.json"));
}

TEST_F(PlanCommandTest, PreflightGoesToStderrWithJson) {
  findings_ = {{plan::Finding::Severity::kWarning, "", "SSH open to 0.0.0.0/0", ""}};
  Outcome r = Plan({"w", "-json", "-var", "token=t"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("Preflight:"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(r.out)["format_version"], "1.2");
}

TEST_F(PlanCommandTest, UsageErrors) {
  EXPECT_EQ(Plan({"w", "-bogus"}).code, 2);
  EXPECT_EQ(Plan({"w", "-out"}).code, 2);
  EXPECT_EQ(Plan({"w", "other"}).code, 2);
}

}  // namespace
}  // namespace cf::cli
