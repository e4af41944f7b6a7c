#include "cli/weka_deployment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "modules/builtin/builtin_modules.h"

namespace cf::cli {
namespace {

using ::testing::ElementsAre;

// `clusterform scale` changes the group's size outside the configuration; the module's group
// must leave its size to the live object, or the next plan would undo the scale.
TEST(WekaDeploymentTest, TheModulesBackendGroupIgnoresItsSize) {
  modules::BuiltinModules builtins;
  const config::ModuleDefinition* weka = builtins.Find("weka/weka/aws");
  ASSERT_NE(weka, nullptr);
  const config::Resource* group = nullptr;
  for (const config::Resource& r : weka->schema->resources) {
    if (r.type == "aws_autoscaling_group" && r.name == "backend") {
      group = &r;
    }
  }
  ASSERT_NE(group, nullptr);
  EXPECT_THAT(group->ignore_changes, ElementsAre("desired_capacity", "min_size", "max_size"));
}

TEST(WekaDeploymentTest, ClusterSizeIsCheckedWithTheModulesOwnRule) {
  modules::BuiltinModules builtins;
  const config::ModuleDefinition* weka = builtins.Find("weka/weka/aws");
  ASSERT_NE(weka, nullptr);
  WekaDeployment d;
  d.cluster_size_decl = weka->schema->FindVariable("cluster_size");
  d.inputs = hcl::Value::Object({{"cluster_size", hcl::Value::Num(6)}});
  EXPECT_TRUE(ValidateClusterSize(d, 6).ok());
  EXPECT_TRUE(ValidateClusterSize(d, 40).ok());
  Status five = ValidateClusterSize(d, 5);
  EXPECT_EQ(five.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(five.message(), "Cluster size should be at least 6.");
}

}  // namespace
}  // namespace cf::cli
