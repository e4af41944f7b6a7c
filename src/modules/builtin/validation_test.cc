// Every validation rule of the built-in modules' inputs, pinned: a value that breaks the rule,
// given as a module argument, gets the module's own message at that argument's position.

#include <gtest/gtest.h>

#include "config/evaluate.h"
#include "config/loader.h"
#include "modules/builtin/builtin_modules.h"
#include "testing/memory_file_system.h"

namespace cf::modules {
namespace {

struct Rule {
  const char* source;    // which module
  const char* argument;  // name = value, as written in main.tf
  const char* message;   // the rule's error_message
};

constexpr const char* kWekaCall = R"(module "m" {
  source            = "weka/weka/aws"
  prefix            = "weka"
  cluster_name      = "poc"
  get_weka_io_token = "token"
  weka_version      = "4.4.10"
)";

constexpr const char* kWandbCall = R"(module "m" {
  source                                  = "wandb/wandb/aws"
  namespace                               = "wandb"
  domain_name                             = "example.com"
  zone_id                                 = "Z0123"
  allowed_inbound_cidr                    = ["0.0.0.0/0"]
  allowed_inbound_ipv6_cidr               = ["::/0"]
  eks_cluster_version                     = "1.31"
  kubernetes_legacy_cluster_creator_admin = false
  license                                 = "l"
)";

const Rule kRules[] = {
    {"weka", R"(custom_prefix = { lambda = "l", gateway = "g" })",
     "Allowed custom_prefix keys are: lb, db, kms, cloudwatch, sfn, lambda, secrets, ec2, iam, "
     "obs."},
    {"weka", "cluster_size = 5", "Cluster size should be at least 6."},
    {"weka",
     R"(containers_config_map = { "x.large" = { compute = 1, drive = 1, frontend = 1, nvme = 1, nics = 2, memory = ["400GB", "10GB"] } })",
     "Memory must be at most 384GB for every instance type."},
    {"weka", "protection_level = 3", "Allowed protection_level values: [2, 4]."},
    {"weka", "stripe_width = 2", "The stripe_width value can take values from 3 to 16."},
    {"weka", "stripe_width = 17", "The stripe_width value can take values from 3 to 16."},
    {"weka", "hotspare = 0", "Hotspare value should be at least 1."},
    {"weka", R"(weka_cgroups_mode = "v1")", "Allowed weka_cgroups_mode values: [auto, force_v2]."},
    {"weka", R"(placement_group_name = "")",
     "placement_group_name should be null or a non-empty string."},
    {"weka", R"(availability_zones = ["a", "b"])", "Multiple AZs are not supported."},
    {"weka", R"(subnet_ids = ["subnet-1", "subnet-2"])", "Multiple subnets are not supported."},
    {"weka", R"(subnets_cidrs = ["10.0.1.0/24", "10.0.2.0/24"])",
     "Multiple subnets are not supported."},
    {"weka", R"(assign_public_ip = "maybe")",
     "Allowed assign_public_ip values: [true, false, auto]."},
    {"weka", R"(client_placement_group_name = "")",
     "client_placement_group_name should be null or a non-empty string."},
    {"weka", R"(client_arch = "ppc64")", "Allowed client_arch values: [arm64, x86_64]."},
    {"weka", R"(clients_weka_cgroups_mode = "v1")",
     "Allowed clients_weka_cgroups_mode values: [auto, force_v2]."},
    {"weka", "nfs_protocol_gateways_number = -1",
     "The amount of NFS protocol gateways must not be negative."},
    {"weka", R"(nfs_protocol_gateway_weka_cgroups_mode = "v1")",
     "Allowed nfs_protocol_gateway_weka_cgroups_mode values: [auto, force_v2]."},
    {"weka", R"(nfs_interface_group_name = "twelve-chars")",
     "The interface group name should be up to 11 characters long."},
    {"weka", "smb_protocol_gateways_number = 2",
     "The amount of SMB protocol gateways should be at least 3 and at most 8."},
    {"weka", "smb_protocol_gateways_number = 9",
     "The amount of SMB protocol gateways should be at least 3 and at most 8."},
    {"weka", "smb_protocol_gateway_secondary_ips_per_nic = 4",
     "The number of secondary IPs per NIC per SMB protocol gateway should be at most 3."},
    {"weka", R"(smb_protocol_gateway_weka_cgroups_mode = "v1")",
     "Allowed smb_protocol_gateway_weka_cgroups_mode values: [auto, force_v2]."},
    {"weka", R"(smb_cluster_name = "")", "The SMB cluster name should be 1 to 15 characters long."},
    {"weka", R"(smb_cluster_name = "sixteen-chars-xx")",
     "The SMB cluster name should be 1 to 15 characters long."},
    {"weka", "s3_protocol_gateways_number = -1",
     "The amount of S3 protocol gateways must not be negative."},
    {"weka", R"(s3_protocol_gateway_weka_cgroups_mode = "v1")",
     "Allowed s3_protocol_gateway_weka_cgroups_mode values: [auto, force_v2]."},
    {"weka", "data_services_number = -1", "The amount of data services must not be negative."},
    {"weka", R"(data_services_weka_cgroups_mode = "v1")",
     "Allowed data_services_weka_cgroups_mode values: [auto, force_v2]."},
    {"weka", R"(lambdas_dist = "beta")", "Allowed lambdas_dist values: [dev, release]."},
    {"wandb", R"(database_kms_key_arn = "not-an-arn")", "Invalid value for db kms ARN"},
    {"wandb", R"(bucket_kms_key_arn = "arn:aws:kms:us-east-1:1:alias/x")",
     "Invalid value for bucket kms ARN"},
    {"wandb", R"(bucket_permissions_mode = "open")",
     "The bucket_permissions_mode must be one of: strict, restricted, or public."},
    {"wandb", R"(eks_addons_preroll_version = "1.30")",
     "eks_addons_preroll_version must be >= eks_cluster_version (cannot stage addons for an "
     "older Kubernetes version)."},
    {"wandb", R"(kubernetes_map_accounts = ["123456789012"])",
     "kubernetes_map_accounts is no longer supported. Enumerate the specific roles or users into "
     "kubernetes_map_roles / kubernetes_map_users (which now flow into access_entries), or "
     "\u2014 if you truly need account-wide trust \u2014 manage the aws-auth ConfigMap directly "
     "with a kubernetes_config_map_v1_data resource. See docs/v8-upgrade-guide.md (Dropped "
     "variables) for details."},
};

class ValidationRuleTest : public ::testing::TestWithParam<Rule> {};

TEST_P(ValidationRuleTest, ReportsTheModulesMessageAtTheArgument) {
  const Rule& rule = GetParam();
  std::string call = std::string(rule.source) == "weka" ? kWekaCall : kWandbCall;
  int line = 1;
  for (char c : call) {
    line += c == '\n' ? 1 : 0;
  }
  std::string main_tf = call + "  " + rule.argument + "\n}\n";
  InMemoryFileSystem fs;
  ASSERT_TRUE(fs.WriteFileAtomic("/cfg/main.tf", main_tf).ok());
  config::LoadResult loaded = config::LoadRootModule("/cfg", fs);
  ASSERT_FALSE(loaded.diagnostics.HasErrors());
  hcl::Diagnostics diags;
  BuiltinModules builtins;
  config::EvaluateConfig(*loaded.module, {}, builtins.Lookup(), nullptr, {}, diags);

  ASSERT_EQ(diags.size(), 1u) << hcl::FormatDiagnostics(diags);
  const hcl::Diagnostic& d = *diags.begin();
  EXPECT_EQ(d.summary, "Invalid value for variable");
  EXPECT_EQ(d.detail.substr(0, d.detail.find("\n\n")), rule.message);
  std::string argument(rule.argument);
  std::string name = argument.substr(0, argument.find(' '));
  EXPECT_NE(d.detail.find("validation rule of input \"" + name + "\""), std::string::npos)
      << d.detail;
  // The value's position: the argument's line, after "name = ".
  EXPECT_EQ(d.filename, "/cfg/main.tf");
  EXPECT_EQ(d.start.line, line);
  EXPECT_EQ(d.start.column, static_cast<int>(argument.find("= ") + 5));
}

std::string RuleName(const ::testing::TestParamInfo<Rule>& info) {
  std::string argument(info.param.argument);
  return std::string(info.param.source) + "_" + argument.substr(0, argument.find(' ')) + "_" +
         std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(EveryRule, ValidationRuleTest, ::testing::ValuesIn(kRules), RuleName);

// Every validation block of both modules appears in kRules at least once.
TEST(ValidationRuleCoverageTest, EveryRuleOfBothModulesIsPinned) {
  BuiltinModules builtins;
  for (const char* source : {"weka/weka/aws", "wandb/wandb/aws"}) {
    const config::ModuleDefinition* definition = builtins.Find(source);
    ASSERT_NE(definition, nullptr);
    for (const config::Variable& v : definition->schema->variables) {
      if (v.validations.empty()) {
        continue;
      }
      bool pinned = false;
      for (const Rule& rule : kRules) {
        std::string argument(rule.argument);
        pinned = pinned || argument.substr(0, argument.find(' ')) == v.name;
      }
      EXPECT_TRUE(pinned) << source << ": no test for the validation of " << v.name;
    }
  }
}

}  // namespace
}  // namespace cf::modules
