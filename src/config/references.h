#pragma once

// The references an expression makes to named things of the configuration: `var.x`,
// `local.x`, `module.x` (and `module.x.y`), and in module bodies resources (`aws_vpc.this`)
// and data sources (`data.aws_region.current`). Used to order locals, resources and outputs
// and to find cycles, without evaluating anything.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "hcl/ast.h"

namespace cf::config {

struct Reference {
  enum class Kind { kVariable, kLocal, kModule, kResource, kData };
  Kind kind;
  std::string name;  // x in var.x / local.x / module.x; NAME in TYPE.NAME / data.TYPE.NAME
  std::string type;  // TYPE for resources and data sources; empty otherwise
  hcl::Range range;  // the traversal `local.x`
  // For `TYPE.NAME[0]` and `TYPE.NAME["k"]` with a literal key: the instance key as an
  // address writes it (`[0]`, `["k"]`); empty when the whole block is referred to.
  std::string key;
};

// Every reference in `expr`, in source order (duplicates included).
std::vector<Reference> FindReferences(const hcl::Expression* expr);

// The attributes `expr` reads from resources: those read directly from a resource block
// (`aws_vpc.this.id`, `aws_subnet.s[0].id`, `aws_subnet.s[*].id`) go to `direct` under the
// block's key ("aws_vpc.this"); every other attribute access (`s.id` in a `for`) to `other`.
void CollectAttributeUses(const hcl::Expression* expr,
                          std::map<std::string, std::set<std::string>>& direct,
                          std::set<std::string>& other);

}  // namespace cf::config
