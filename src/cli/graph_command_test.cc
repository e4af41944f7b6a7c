#include "cli/graph_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/cli_runner.h"
#include "testing/command_test_module.h"
#include "testing/memory_file_system.h"

namespace cf::cli {
namespace {

using Outcome = CommandOutput;

class GraphCommandTest : public testing::Test {
 protected:
  Outcome Graph(const std::vector<std::string>& args) {
    return CaptureOutput([&](std::FILE* out, std::FILE* err) {
      return RunGraph(args, Io{out, err}, {}, fs_, module_.Lookup());
    });
  }
  void Write(const std::string& main_tf) {
    ASSERT_TRUE(fs_.WriteFileAtomic("/cfg/main.tf", main_tf).ok());
  }

  CommandTestModule module_;
  InMemoryFileSystem fs_;
};

constexpr const char* kMain = R"(
provider "aws" { region = "eu-west-1" }
module "weka" {
  source       = "weka/weka/aws"
  cluster_name = "dev"
}
)";

TEST_F(GraphCommandTest, PrintsTheModulesResourcesAndTheirDependencies) {
  Write(kMain);
  Outcome outcome = Graph({"/cfg"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_EQ(outcome.err, "");
  EXPECT_THAT(outcome.out, testing::StartsWith("digraph {\n"));
  EXPECT_THAT(outcome.out, testing::EndsWith("}\n"));
  EXPECT_THAT(outcome.out, testing::HasSubstr("subgraph cluster_module_weka {"));
  EXPECT_THAT(outcome.out, testing::HasSubstr("\"module.weka.aws_subnet.this\" [label = "
                                              "\"aws_subnet.this (2 instances)\"];"));
  for (const char* edge :
       {"\"module.weka.aws_subnet.this\" -> \"module.weka.aws_vpc.this\";",
        "\"module.weka.aws_subnet.this\" -> \"module.weka.data.aws_availability_zones.available\";",
        "\"module.weka.aws_lb.this\" -> \"module.weka.aws_subnet.this\";",
        "\"module.weka.aws_lambda_function.this\" -> \"module.weka.aws_iam_role.lambda\";",
        "\"module.weka.aws_cloudwatch_log_group.this\" -> "
        "\"module.weka.aws_lambda_function.this\";"}) {
    EXPECT_THAT(outcome.out, testing::HasSubstr(edge));
  }
}

TEST_F(GraphCommandTest, InstancesFlagGivesOneNodePerInstance) {
  Write(kMain);
  Outcome outcome = Graph({"-instances", "/cfg"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_THAT(outcome.out, testing::HasSubstr("\"module.weka.aws_lb.this\" -> "
                                              "\"module.weka.aws_subnet.this[1]\";"));
  EXPECT_THAT(outcome.out,
              testing::HasSubstr("\"module.weka.aws_cloudwatch_log_group.this[\\\"status\\\"]\" "
                                 "-> \"module.weka.aws_lambda_function.this[\\\"status\\\"]\";"));
}

TEST_F(GraphCommandTest, AnInvalidConfigurationExitsOneWithItsDiagnostics) {
  Write("module \"x\" {\n  source = \"other/thing/aws\"\n}\n");
  Outcome outcome = Graph({"/cfg"});
  EXPECT_EQ(outcome.code, 1);
  EXPECT_EQ(outcome.out, "");
  EXPECT_THAT(outcome.err, testing::HasSubstr("main.tf:2"));
}

TEST_F(GraphCommandTest, AnUnknownFlagIsAUsageError) {
  Outcome outcome = Graph({"-bogus"});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_THAT(outcome.err, testing::StartsWith("clusterform graph: "));
}

TEST_F(GraphCommandTest, VariablesReachTheModule) {
  Write(R"(
variable "name" { type = string }
module "weka" {
  source       = "weka/weka/aws"
  cluster_name = var.name
}
)");
  EXPECT_EQ(Graph({"/cfg"}).code, 1);  // the variable is required
  Outcome outcome = Graph({"-var", "name=x", "/cfg"});
  ASSERT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_THAT(outcome.out, testing::HasSubstr("\"module.weka.aws_lb.this\""));
}

}  // namespace
}  // namespace cf::cli
