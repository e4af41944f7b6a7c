#pragma once

// The built-in W&B module (source = "wandb/wandb/aws"): its body as HCL files
// beside this header (variables.tf with the public module's inputs, then the resources,
// locals and outputs), embedded in the binary and expanded by graph::ExpandModule.

#include <string_view>
#include <vector>

namespace cf::modules::wandb {

inline constexpr std::string_view kSource = "wandb/wandb/aws";

struct ModuleFile {
  std::string_view name;  // "variables.tf"
  std::string_view text;
};

// The text of variables.tf.
std::string_view WandbVariablesTf();

// Every .tf file of the module body, variables.tf first.
std::vector<ModuleFile> WandbModuleFiles();

// local_cloud.tfvars: `name = constant` defaults that replace the variables' own when the
// provider points at the local cloud (loopback CIDRs, DESIGN.md "Addresses").
std::string_view WandbLocalCloudDefaults();

}  // namespace cf::modules::wandb
