// Preflight and policy on the examples/ configurations with the real built-in modules.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/load_configuration.h"
#include "cloud/iam/policy_document.h"
#include "plan/policy.h"
#include "plan/preflight.h"
#include "provider/iam_actions.h"

namespace cf::cli {
namespace {

std::vector<std::string> Show(const std::vector<plan::Finding>& findings) {
  std::vector<std::string> out;
  for (const plan::Finding& f : findings) {
    const char* severity = f.severity == plan::Finding::Severity::kError     ? "error"
                           : f.severity == plan::Finding::Severity::kWarning ? "warning"
                                                                             : "info";
    out.push_back(std::string(severity) + " [" + f.address + "] " + f.summary);
  }
  return out;
}

std::unique_ptr<LoadedConfiguration> Load(const std::string& example,
                                          std::vector<config::VarOption> vars = {}) {
  static RealFileSystem fs;
  auto loaded = LoadConfiguration(std::string(CF_SOURCE_DIR) + "/examples/" + example, vars,
                                  {{"TF_VAR_get_weka_io_token", "token"}}, fs);
  EXPECT_FALSE(loaded->diags.HasErrors()) << hcl::FormatDiagnostics(loaded->diags);
  return loaded;
}

TEST(PreflightExamplesTest, WekaMinimal) {
  auto loaded = Load("weka-minimal");
  // The module README's usage opens SSH to the world (allow_ssh_cidrs = ["0.0.0.0/0"]).
  EXPECT_THAT(
      Show(plan::Preflight(loaded->desired)),
      testing::ElementsAre(
          "warning [module.weka_deployment.aws_security_group.backend[0]] SSH (port 22) is open "
          "to 0.0.0.0/0",
          "info [] Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances: 56 vCPUs "
          "needed",
          "info [module.weka_deployment.aws_autoscaling_group.backend] 6 × i3en.2xlarge = 48 "
          "vCPUs (i3en family)",
          "info [module.weka_deployment.aws_autoscaling_group.data_services[0]] 2 × m6i.xlarge = 8 "
          "vCPUs (m6i family)"));
}

TEST(PreflightExamplesTest, EveryExampleGivesPoliciesWithinTheLimit) {
  for (const char* example :
       {"weka-minimal", "weka-existing-network", "weka-tiering-protocols", "weka-i8ge-frontend",
        "wandb-standard", "wandb-byo-vpc", "wandb-private-only"}) {
    auto loaded = Load(example);
    plan::Policy policy = plan::LeastPrivilegePolicy(loaded->desired);
    EXPECT_FALSE(policy.documents.empty()) << example;
    EXPECT_THAT(policy.uncovered_types, testing::IsEmpty()) << example;
    for (const auto& document : policy.documents) {
      // Checked by the local cloud's IAM policy grammar, independently of the generator.
      std::string pretty = plan::RenderPolicyDocument(document, true);
      Status valid = cloud::iam::ValidatePolicyDocument(pretty, cloud::iam::PolicyKind::kIdentity);
      EXPECT_TRUE(valid.ok()) << example << ": " << valid.message();
      EXPECT_LE(cloud::iam::PolicySize(pretty), plan::kManagedPolicyMaxChars) << example;
      EXPECT_LE(plan::RenderPolicyDocument(document, false).size(), plan::kManagedPolicyMaxChars);
    }
  }
}

TEST(PreflightExamplesTest, PolicyKnowsEveryTypeTheBuiltInModulesDeclare) {
  modules::BuiltinModules builtins;
  for (const char* source : config::kBuiltinModuleSources) {
    const config::ModuleDefinition* module = builtins.Find(source);
    ASSERT_NE(module, nullptr) << source;
    for (const config::Resource& resource : module->schema->resources) {
      EXPECT_TRUE(provider::IamActionsKnown(
          resource.data ? graph::ResourceMode::kData : graph::ResourceMode::kManaged,
          resource.type))
          << source << ": " << (resource.data ? "data " : "") << resource.type;
    }
  }
}

}  // namespace
}  // namespace cf::cli
