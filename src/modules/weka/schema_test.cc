#include "modules/weka/schema.h"

#include <gtest/gtest.h>

#include "config/root_module.h"
#include "hcl/parser.h"

namespace cf::modules::weka {
namespace {

config::RootModule DecodeSchema(hcl::Diagnostics& diags) {
  config::RootModule module;
  hcl::ParseResult parsed = hcl::Parse(std::string(WekaVariablesTf()), "weka/variables.tf");
  diags.Append(parsed.diagnostics);
  module.files.push_back(std::move(parsed.file));
  config::DecodeRootModule(module, diags);
  return module;
}

TEST(WekaSchemaTest, ParsesAndDeclaresOnlyVariables) {
  hcl::Diagnostics diags;
  config::RootModule module = DecodeSchema(diags);
  ASSERT_FALSE(diags.HasErrors()) << hcl::FormatDiagnostics(diags, WekaVariablesTf());
  EXPECT_TRUE(module.modules.empty());
  EXPECT_TRUE(module.outputs.empty());
  EXPECT_GT(module.variables.size(), 140u);
}

TEST(WekaSchemaTest, DefaultsAndValidationsOfTheReference) {
  hcl::Diagnostics diags;
  config::RootModule module = DecodeSchema(diags);
  const config::Variable* size = module.FindVariable("cluster_size");
  ASSERT_NE(size, nullptr);
  ASSERT_NE(size->default_value, nullptr);
  EXPECT_EQ(module.files[0]->Source(size->default_value->range), "6");
  ASSERT_EQ(size->validations.size(), 1u);
  EXPECT_EQ(module.files[0]->Source(size->validations[0].error_message->range),
            "\"Cluster size should be at least 6.\"");
  const config::Variable* token = module.FindVariable("get_weka_io_token");
  ASSERT_NE(token, nullptr);
  EXPECT_TRUE(token->sensitive);
  const config::Variable* smb = module.FindVariable("smb_protocol_gateways_number");
  ASSERT_NE(smb, nullptr);
  EXPECT_EQ(smb->validations.size(), 1u);
  for (const char* name :
       {"prefix", "instance_type", "containers_config_map", "subnet_ids", "create_alb",
        "tiering_obs_name", "clients_number", "nfs_interface_group_name", "data_services_number",
        "vpc_endpoint_autoscaling_create"}) {
    EXPECT_NE(module.FindVariable(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace cf::modules::weka
