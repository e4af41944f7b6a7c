#pragma once

// `clusterform module show SOURCE [INPUT]`: the inputs of a built-in module, which lives in
// no file the user can open. SOURCE is any source that names a built-in module
// ("weka/weka/aws", "github.com/weka/terraform-aws-weka", ...). Without INPUT: one line per
// input (name, type, default or "required"). With INPUT: its description, type, default,
// sensitive and nullable flags and validations (condition and message). Exit 0; 1 when SOURCE
// names no built-in module or INPUT is not one of its inputs (a suggestion when close); 2 on
// a usage error.

#include <span>

#include "cli/command.h"

namespace cf::cli {

std::span<const Command> ModuleCommands();

}  // namespace cf::cli
