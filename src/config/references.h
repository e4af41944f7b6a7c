#pragma once

// The references an expression makes to named things of the configuration: `var.x`,
// `local.x`, `module.x` (and `module.x.y`). Used to order locals and outputs and to find
// cycles, without evaluating anything.

#include <string>
#include <vector>

#include "hcl/ast.h"

namespace cf::config {

struct Reference {
  enum class Kind { kVariable, kLocal, kModule };
  Kind kind;
  std::string name;  // x in var.x / local.x / module.x
  hcl::Range range;  // the traversal `local.x`
};

// Every reference in `expr`, in source order (duplicates included).
std::vector<Reference> FindReferences(const hcl::Expression* expr);

}  // namespace cf::config
