#pragma once

// The HCL expression evaluator: AST expression + scope -> Value + diagnostics, with
// Terraform's semantics and messages.
//
// Root names (`var`, `local`, `module`, `each`, `count`, `path`, `self`, resource types...)
// are resolved by a Scope; traversals below them (`.x`, `[0]`) are applied to the values it
// returns. Unknown values flow through every construct (an unknown condition gives an unknown
// of the unified result type, an unknown collection in `for` gives an unknown result, ...),
// and sensitive values mark whatever is derived from them.
//
// On an error the evaluator adds a diagnostic whose subject is the offending expression's
// source range and yields an unknown value of dynamic type for that expression, so evaluation
// continues and reports several problems at once. Diagnostics are only ever added, never
// cleared; `can()` and `try()` evaluate their arguments into private diagnostics.
//
// The AST must outlive the call; values returned do not refer to it. Thread-compatible: one
// Evaluator per thread, Scopes only read.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hcl/ast.h"
#include "hcl/convert.h"
#include "hcl/diagnostic.h"
#include "hcl/function.h"
#include "hcl/type.h"
#include "hcl/value.h"

namespace cf::hcl {

// Resolves root variable names.
class Scope {
 public:
  virtual ~Scope() = default;
  // The value of root name `name`, or nullopt when it is not defined here (the evaluator then
  // reports `Unknown variable: There is no variable named "<name>".`).
  virtual std::optional<Value> Lookup(std::string_view name) const = 0;

  // Optional: resolves `root.name` in one step, so a scope can answer with Terraform's own
  // messages ("Reference to undeclared input variable", ...). `range` covers `root.name`.
  // Return nullopt to fall back to Lookup(root) and attribute access; to report a problem,
  // add it to `diags` and return any value (the evaluator then yields unknown).
  virtual std::optional<Value> LookupAttribute(std::string_view root, std::string_view name,
                                               const Range& range, Diagnostics* diags) const {
    (void)root;
    (void)name;
    (void)range;
    (void)diags;
    return std::nullopt;
  }
};

// A scope of fixed names, optionally in front of a parent scope.
class MapScope : public Scope {
 public:
  explicit MapScope(const Scope* parent = nullptr) : parent_(parent) {}
  void Set(std::string name, Value value) { values_[std::move(name)] = std::move(value); }
  std::optional<Value> Lookup(std::string_view name) const override;
  // Names this scope defines fall back to Lookup; others go to the parent.
  std::optional<Value> LookupAttribute(std::string_view root, std::string_view name,
                                       const Range& range, Diagnostics* diags) const override;

 private:
  const Scope* parent_;
  std::map<std::string, Value, std::less<>> values_;
};

class Evaluator {
 public:
  // `functions` and `scope` must outlive the Evaluator. `function_context` is copied; when it
  // has no `render_template`, one is installed that parses and evaluates templates for
  // templatefile() (with the same functions, except a nested templatefile()).
  Evaluator(const Scope* scope, const FunctionTable* functions = &StandardFunctions(),
            FunctionContext function_context = {});

  // Evaluates `expr`; appends problems to `diags`.
  //
  // Work is bounded: an Evaluator evaluates at most step_limit() expression nodes over its
  // lifetime (each `for` iteration re-evaluates its body's nodes). Past the limit, Evaluate
  // reports "Expression too complex" and yields unknown, so an expression such as three
  // nested `for`s over range(1024) fails instead of running for hours.
  Value Evaluate(const Expression* expr, Diagnostics* diags);

  static constexpr uint64_t kDefaultStepLimit = 10'000'000;
  uint64_t step_limit() const { return step_limit_; }
  void set_step_limit(uint64_t limit) { step_limit_ = limit; }

 private:
  Value Eval(const Expression* e, Diagnostics* diags);
  Value EvalTemplate(const TemplateExpr* t, Diagnostics* diags);
  Value EvalGetAttr(const GetAttrExpr* e, Diagnostics* diags);
  Value EvalIndex(const IndexExpr* e, Diagnostics* diags);
  Value EvalSplat(const SplatExpr* e, Diagnostics* diags);
  Value EvalCall(const FunctionCallExpr* e, Diagnostics* diags);
  Value EvalTry(const FunctionCallExpr* e, bool can, Diagnostics* diags);
  Value EvalObject(const ObjectExpr* e, Diagnostics* diags);
  Value EvalFor(const ForExpr* e, Diagnostics* diags);
  Value EvalBinary(const BinaryExpr* e, Diagnostics* diags);
  Value EvalConditional(const ConditionalExpr* e, Diagnostics* diags);
  std::optional<Value> LookupVariable(std::string_view name) const;

  const Scope* scope_;
  const FunctionTable* functions_;
  FunctionContext function_context_;
  // Names bound by `for` expressions and template `for` directives, innermost last.
  std::vector<std::pair<std::string_view, Value>> locals_;
  // The element each active splat is visiting, keyed by its SplatItemExpr.
  std::vector<std::pair<const Expression*, Value>> splat_items_;
  uint64_t steps_ = 0;
  uint64_t step_limit_ = kDefaultStepLimit;
};

// Evaluates `expr` in `scope` with the standard functions.
Value Evaluate(const Expression* expr, const Scope& scope, Diagnostics* diags,
               const FunctionContext& function_context = {});

// Parses `text` as a template (templatefile's contents) and evaluates it with `vars` (an
// object or map whose keys are the template's variables). Errors come back as
// InvalidArgument holding the formatted diagnostics.
Result<Value> RenderTemplate(const std::string& text, const std::string& filename,
                             const Value& vars, const FunctionTable& functions,
                             const FunctionContext& function_context);

// Decodes a type constraint expression (`string`, `list(string)`, `map(any)`,
// `object({a = string, b = optional(number)})`, `tuple([string, bool])`, `any`). Problems
// give "Invalid type specification" diagnostics and dynamic. Bare `list`, `map` and `set`
// mean "of any", as Terraform still accepts.
Type EvaluateTypeExpression(const Expression* expr, Diagnostics* diags);

// The same, keeping the defaults of `optional(type, default)` attributes (evaluated as
// constant expressions and converted to the attribute's type): apply them with
// TypeConstraint::Convert.
TypeConstraint EvaluateTypeConstraint(const Expression* expr, Diagnostics* diags);

}  // namespace cf::hcl
