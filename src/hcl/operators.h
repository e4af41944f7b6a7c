#pragma once

// HCL's operators on Values (Terraform/cty semantics).
//
// Every operator converts its operands first (arithmetic and comparison to number, logic to
// bool) and fails with InvalidArgument whose message is the diagnostic detail, e.g.
//   "Unsuitable value for left operand: a number is required."
//   "Unsuitable value for right operand: argument must not be null."
//   "Can't divide by zero."   (Divide, Modulo with a zero right operand)
// An unknown operand gives an unknown result of the operator's type (bool or number); a
// sensitive operand (anywhere inside, for equality) gives a sensitive result.
//
// And/Or: a known false (And) or known true (Or) operand decides the result even when the
// other side is unknown. Equality is deep; values of different types are unequal (so
// `1 == "1"` is false, as in Terraform); comparisons involving unknown parts are unknown.

#include "base/status.h"
#include "hcl/value.h"

namespace cf::hcl {

Result<Value> Add(const Value& a, const Value& b);
Result<Value> Subtract(const Value& a, const Value& b);
Result<Value> Multiply(const Value& a, const Value& b);
Result<Value> Divide(const Value& a, const Value& b);
Result<Value> Modulo(const Value& a, const Value& b);
Result<Value> Negate(const Value& a);

Result<Value> LessThan(const Value& a, const Value& b);
Result<Value> LessOrEqual(const Value& a, const Value& b);
Result<Value> GreaterThan(const Value& a, const Value& b);
Result<Value> GreaterOrEqual(const Value& a, const Value& b);

Value Equal(const Value& a, const Value& b);
Value NotEqual(const Value& a, const Value& b);

Result<Value> And(const Value& a, const Value& b);
Result<Value> Or(const Value& a, const Value& b);
Result<Value> Not(const Value& a);

// Deep equality of two values as a tri-state: 1 equal, 0 different, -1 unknown.
int EqualTriState(const Value& a, const Value& b);

}  // namespace cf::hcl
