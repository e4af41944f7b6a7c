#include "cli/validate_command.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "testing/cli_runner.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::cli {
namespace {

using Outcome = CommandOutput;

Outcome Validate(const std::vector<std::string>& args, const FileSystem& fs,
                 const std::map<std::string, std::string>& env = {}) {
  return CaptureOutput([&](std::FILE* out, std::FILE* err) {
    return RunValidate(args, Io{out, err}, env, fs);
  });
}

TEST(ValidateCommandTest, EveryExampleIsValid) {
  RealFileSystem fs;
  std::string examples = std::string(CF_SOURCE_DIR) + "/examples";
  Result<std::vector<std::string>> names = fs.ListDirectory(examples);
  ASSERT_OK(names);
  ASSERT_GE(names->size(), 7u);
  for (const std::string& name : *names) {
    Outcome r = Validate({examples + "/" + name}, fs);
    EXPECT_EQ(r.code, 0) << name << "\n" << r.err;
    EXPECT_NE(r.out.find("Success! The configuration is valid."), std::string::npos) << name;
  }
}

class ValidateBrokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(fs_.WriteFileAtomic("w/main.tf", R"(module "weka" {
  source            = "weka/weka/aws"
  cluster_size      = 4
  get_weka_io_token = "t"
  instance_typ      = "i3en.6xlarge"
}
)"));
  }
  InMemoryFileSystem fs_;
};

TEST_F(ValidateBrokenTest, ReportsModuleMessagesAtTheArguments) {
  Outcome r = Validate({"w"}, fs_);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "w/main.tf:5:3: error: Unsupported argument; An argument named \"instance_typ\" is "
            "not expected here: the module \"weka/weka/aws\" has no input of that name. Did you "
            "mean \"instance_type\"?\n"
            "  5 |   instance_typ      = \"i3en.6xlarge\"\n"
            "    |   ^\n"
            "\n"
            "w/main.tf:3:23: error: Invalid value for variable; Cluster size should be at least "
            "6.\n\nThis was checked by the validation rule of input \"cluster_size\" of the "
            "module weka/weka/aws.\n"
            "  3 |   cluster_size      = 4\n"
            "    |                       ^\n"
            "\n"
            "2 errors: the configuration in w is not valid.\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(ValidateBrokenTest, JsonOutput) {
  Outcome r = Validate({"-json", "w"}, fs_);
  EXPECT_EQ(r.code, 1);
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["error_count"], 2);
  EXPECT_EQ(j["diagnostics"][1]["range"]["start"]["line"], 3);
  EXPECT_EQ(j["diagnostics"][1]["range"]["filename"], "w/main.tf");
}

TEST_F(ValidateBrokenTest, UsageErrorsExitTwo) {
  Outcome r = Validate({"-frobnicate", "w"}, fs_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown flag \"-frobnicate\""), std::string::npos);
}

TEST(ValidateCommandTest, VariablesFromFlagsAndEnvironment) {
  InMemoryFileSystem fs;
  ASSERT_OK(fs.WriteFileAtomic("d/main.tf", R"(variable "size" {
  type = number
}
variable "token" {
  type      = string
  sensitive = true
}
module "weka" {
  source            = "weka/weka/aws"
  cluster_size      = var.size
  get_weka_io_token = var.token
  weka_version      = "4.2.7"
}
)"));
  EXPECT_EQ(Validate({"d"}, fs).code, 1);
  Outcome ok = Validate({"d", "-var", "size=7"}, fs, {{"TF_VAR_token", "t"}});
  EXPECT_EQ(ok.code, 0) << ok.err;
  Outcome bad = Validate({"d", "-var=size=5"}, fs, {{"TF_VAR_token", "t"}});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("Cluster size should be at least 6."), std::string::npos) << bad.err;
}

// validate runs the module bodies as plan does (offline, no region needed), so a rule of the
// body that the arguments break is reported by validate, not first by plan.
TEST(ValidateCommandTest, ChecksTheModuleBodysPreconditionsWithoutARegion) {
  InMemoryFileSystem fs;
  ASSERT_OK(fs.WriteFileAtomic("d/main.tf", R"(module "weka" {
  source            = "weka/weka/aws"
  get_weka_io_token = "t"
  weka_version      = "4.2.7"
  instance_type     = "i3en.2xlarge"
}
)"));
  Outcome ok = Validate({"d"}, fs);
  EXPECT_EQ(ok.code, 0) << ok.err;
  ASSERT_OK(fs.WriteFileAtomic("d/main.tf", R"(module "weka" {
  source            = "weka/weka/aws"
  get_weka_io_token = "t"
  install_weka_url  = ""
  instance_type     = "i3en.2xlarge"
}
)"));
  Outcome bad = Validate({"d"}, fs);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("d/main.tf:1:1: error: Invalid arguments for module \"weka\"; Please "
                         "provide either weka_version or install_weka_url."),
            std::string::npos)
      << bad.err;
}

// plan's preflight errors that need no call are validate's too: a prefix that makes names
// longer than AWS allows fails both, at the module call, with the same findings.
TEST(ValidateCommandTest, PreflightErrorsThatNeedNoCallFailValidateToo) {
  InMemoryFileSystem fs;
  ASSERT_OK(fs.WriteFileAtomic("d/main.tf", R"(module "weka" {
  source            = "weka/weka/aws"
  get_weka_io_token = "t"
  weka_version      = "4.4.10"
  prefix            = "a-prefix-far-too-long-for-the-names-aws-gives-its-iam-roles-x"
}
)"));
  Outcome r = Validate({"d"}, fs);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("d/main.tf:1:1: error: module.weka.aws_iam_role.backend[0]: aws_iam_role "
                       "name \"a-prefix-far-too-long-for-the-names-aws-gives-its-iam-roles-x-"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("AWS allows at most 64; Shorten the prefix"), std::string::npos) << r.err;
  Outcome json = Validate({"d", "-json"}, fs);
  nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_FALSE(doc["valid"]);
  EXPECT_GE(doc["error_count"], 1);
}

TEST(ValidateCommandTest, AMistypedRegionIsReportedAtTheProviderBlock) {
  InMemoryFileSystem fs;
  ASSERT_OK(fs.WriteFileAtomic("d/main.tf", R"(provider "aws" {
  region = "eu-wset-1"
}
module "weka" {
  source            = "weka/weka/aws"
  get_weka_io_token = "t"
  weka_version      = "4.2.7"
}
)"));
  Outcome bad = Validate({"d"}, fs);
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("d/main.tf:2:12: error: Invalid AWS Region; \"eu-wset-1\" is not an "
                         "AWS region clusterform knows. Did you mean \"eu-west-1\"?"),
            std::string::npos)
      << bad.err;
  ASSERT_OK(fs.WriteFileAtomic("d/main.tf", R"(provider "aws" {
  region                 = "xx-future-1"
  skip_region_validation = true
}
module "weka" {
  source            = "weka/weka/aws"
  get_weka_io_token = "t"
  weka_version      = "4.2.7"
}
)"));
  Outcome ok = Validate({"d"}, fs);
  EXPECT_EQ(ok.code, 0) << ok.err;
}

}  // namespace
}  // namespace cf::cli

namespace cf::cli {
namespace {

// A module argument of the wrong type: the error is at the user's argument, names the input
// and its type, and says how to see the input; it points into no built-in file.
TEST(ValidateModuleArgumentTest, TypeErrorPointsAtTheUsersArgument) {
  InMemoryFileSystem fs;
  ASSERT_OK(fs.WriteFileAtomic("w/main.tf", R"(module "weka" {
  source            = "weka/weka/aws"
  get_weka_io_token = "t"
  weka_version      = "4.2.7"
  allow_ssh_cidrs   = "0.0.0.0/0"
}
)"));
  Outcome r = Validate({"w"}, fs);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "w/main.tf:5:23: error: Invalid value for module argument; The value given for "
            "module.weka.allow_ssh_cidrs is not suitable: the module weka/weka/aws declares "
            "input \"allow_ssh_cidrs\" of type list(string): list of string required. "
            "`clusterform module show weka/weka/aws allow_ssh_cidrs` describes the input.");
  EXPECT_EQ(r.err.find("<built-in"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace cf::cli
