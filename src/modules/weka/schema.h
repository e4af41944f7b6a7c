#pragma once

// The input schema of the built-in WEKA module (source = "weka/weka/aws"): the variables of
// the public module weka/terraform-aws-weka, written as HCL in variables.tf beside this file
// and embedded in the binary.

#include <string_view>

namespace cf::modules::weka {

inline constexpr std::string_view kSource = "weka/weka/aws";

// The text of variables.tf.
std::string_view WekaVariablesTf();

}  // namespace cf::modules::weka
