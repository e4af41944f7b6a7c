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

std::string TypeConstraintText(const hcl::Expression* expr) {
  if (expr == nullptr) {
    return "any";
  }
  if (const auto* var = hcl::As<hcl::VariableExpr>(expr)) {
    return std::string(var->name);
  }
  if (const auto* call = hcl::As<hcl::FunctionCallExpr>(expr)) {
    std::string out(call->name);
    out += "(";
    for (size_t i = 0; i < call->args.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      out += TypeConstraintText(call->args[i]);
    }
    return out + ")";
  }
  if (const auto* tuple = hcl::As<hcl::TupleExpr>(expr)) {
    std::string out = "[";
    for (size_t i = 0; i < tuple->elements.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      out += TypeConstraintText(tuple->elements[i]);
    }
    return out + "]";
  }
  if (const auto* object = hcl::As<hcl::ObjectExpr>(expr)) {
    std::string out = "{";
    for (size_t i = 0; i < object->items.size(); ++i) {
      if (i > 0) {
        out += ", ";
      }
      out += TypeConstraintText(object->items[i].key);
      out += " = ";
      out += TypeConstraintText(object->items[i].value);
    }
    return out + "}";
  }
  if (const auto* t = hcl::As<hcl::TemplateExpr>(expr); t != nullptr && t->IsStringLiteral()) {
    std::string out = "\"";
    out += t->LiteralText();
    out += "\"";
    return out;
  }
  if (const auto* lit = hcl::As<hcl::LiteralExpr>(expr)) {
    if (lit->literal_kind == hcl::LiteralKind::kBool) {
      return lit->bool_value ? "true" : "false";
    }
    if (lit->literal_kind == hcl::LiteralKind::kNull) {
      return "null";
    }
    return std::string(lit->number_text);
  }
  return "...";
}

}  // namespace cf::config
