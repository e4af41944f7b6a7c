#pragma once

// The input schema of the built-in W&B module (source = "wandb/wandb/aws"): the root
// variables of the public module wandb/terraform-aws-wandb v8.0.0, written as HCL in
// variables.tf beside this file and embedded in the binary.

#include <string_view>

namespace cf::modules::wandb {

inline constexpr std::string_view kSource = "wandb/wandb/aws";

// The text of variables.tf.
std::string_view WandbVariablesTf();

}  // namespace cf::modules::wandb
