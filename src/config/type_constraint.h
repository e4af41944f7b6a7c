#pragma once

// Type constraints as written in `variable { type = ... }`: `string`, `number`, `bool`,
// `any`, `list(T)`, `set(T)`, `map(T)`, `object({name = T, ...})`, `tuple([T, ...])`, and
// inside object types `optional(T)` / `optional(T, default)`.

#include <map>
#include <optional>
#include <string>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/type.h"

namespace cf::config {

struct TypeConstraint {
  hcl::Type type;
  // Object types: default expressions of optional attributes (`optional(T, default)`),
  // evaluated when a value is converted.
  std::map<std::string, const hcl::Expression*> defaults;
  // Constraints of nested types that themselves have defaults: attribute name for objects,
  // "[i]" for tuple element i, "*" for the element of a list, set or map.
  std::map<std::string, TypeConstraint> nested;

  bool HasDefaults() const { return !defaults.empty() || !nested.empty(); }
};

// Decodes a type expression. On a problem, adds a diagnostic at the offending part and
// returns nullopt.
std::optional<TypeConstraint> DecodeTypeConstraint(const hcl::Expression* expr,
                                                   hcl::Diagnostics& diags);

}  // namespace cf::config
