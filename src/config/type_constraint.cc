#include "config/type_constraint.h"

#include "hcl/eval.h"

namespace cf::config {

std::optional<TypeConstraint> DecodeTypeConstraint(const hcl::Expression* expr,
                                                   hcl::Diagnostics& diags) {
  hcl::Diagnostics local;
  TypeConstraint constraint = hcl::EvaluateTypeConstraint(expr, &local);
  diags.Append(local);
  if (local.HasErrors()) {
    return std::nullopt;
  }
  return constraint;
}

}  // namespace cf::config
