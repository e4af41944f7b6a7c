#pragma once

// The built-in Weka module (source = "weka/weka/aws"): its body as HCL files
// beside this header (variables.tf with the public module's inputs, then the resources,
// locals and outputs), embedded in the binary and expanded by graph::ExpandModule.

#include <string_view>
#include <vector>

namespace cf::modules::weka {

inline constexpr std::string_view kSource = "weka/weka/aws";

struct ModuleFile {
  std::string_view name;  // "variables.tf"
  std::string_view text;
};

// The text of variables.tf.
std::string_view WekaVariablesTf();

// Every .tf file of the module body, variables.tf first.
std::vector<ModuleFile> WekaModuleFiles();

// local_cloud.tfvars: `name = constant` defaults that replace the variables' own when the
// provider points at the local cloud (loopback CIDRs, DESIGN.md "Addresses").
std::string_view WekaLocalCloudDefaults();

}  // namespace cf::modules::weka
