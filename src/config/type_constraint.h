#pragma once

// Type constraints as written in `variable { type = ... }`: `string`, `number`, `bool`,
// `any`, `list(T)`, `set(T)`, `map(T)`, `object({name = T, ...})`, `tuple([T, ...])`, and
// inside object types `optional(T)` / `optional(T, default)`. Decoded by the HCL layer's
// hcl::EvaluateTypeConstraint (one decoder for the whole program); this wrapper only turns
// "there were errors" into nullopt.

#include <optional>
#include <string>

#include "hcl/ast.h"
#include "hcl/convert.h"
#include "hcl/diagnostic.h"

namespace cf::config {

using TypeConstraint = hcl::TypeConstraint;

// Decodes a type expression. On a problem, adds a diagnostic at the offending part and
// returns nullopt.
std::optional<TypeConstraint> DecodeTypeConstraint(const hcl::Expression* expr,
                                                   hcl::Diagnostics& diags);

// The type expression as HCL writes it, on one line: "map(string)",
// "object({name = string, size = optional(number, 1)})"; "any" for nullptr.
std::string TypeConstraintText(const hcl::Expression* expr);

}  // namespace cf::config
