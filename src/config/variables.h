#pragma once

// Evaluating input variables: the root module's (from InputValues) and a built-in module's
// (from the arguments of its `module` block). Each value is converted to the declared type
// (with `optional(T, default)` defaults filled in), checked against `nullable`, and then
// against the declaration's `validation` blocks, whose error_message becomes the diagnostic.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/inputs.h"
#include "config/root_module.h"
#include "config/type_constraint.h"
#include "hcl/diagnostic.h"
#include "hcl/eval.h"
#include "hcl/function.h"
#include "hcl/value.h"

namespace cf::config {

// Where a value being checked came from, for diagnostics.
struct ValueOrigin {
  // Range to point at (an argument's expression, a tfvars attribute); may have no filename.
  hcl::Range subject;
  // How to name the variable in messages: `var.region`, `module.weka input "cluster_size"`.
  std::string what;
};

// Converts `value` to `decl`'s type (applying optional-attribute defaults), enforces
// `nullable` and marks sensitive values. Returns the value, or an unknown of the declared type
// after adding diagnostics. `constraint` is decl.type decoded (nullopt: any).
hcl::Value ConvertVariableValue(const Variable& decl,
                                const std::optional<TypeConstraint>& constraint, hcl::Value value,
                                const ValueOrigin& origin, hcl::Diagnostics& diags);

// Runs `decl`'s validation blocks with `var` bound to `all_variables` (an object of every
// variable of the module, converted: conditions may refer to other variables, as Terraform
// 1.9 allows). A failed condition adds its error_message at origin.subject.
void ValidateVariableValue(const Variable& decl, const hcl::Value& all_variables,
                           const ValueOrigin& origin, const hcl::FunctionContext& functions,
                           hcl::Diagnostics& diags);

struct EvaluatedVariables {
  std::map<std::string, hcl::Value> values;
  // Files parsed from -var / TF_VAR_ expressions, kept alive for diagnostics.
  std::vector<std::unique_ptr<hcl::File>> files;
};

// Evaluates every variable of the root module from `inputs` or its default. A required
// variable with no value is an error.
EvaluatedVariables EvaluateRootVariables(const RootModule& module, const InputValues& inputs,
                                         const hcl::FunctionContext& functions,
                                         hcl::Diagnostics& diags);

}  // namespace cf::config
