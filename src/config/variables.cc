#include "config/variables.h"

#include <fmt/format.h>

#include "config/suggest.h"
#include "config/type_constraint.h"
#include "hcl/convert.h"

namespace cf::config {

namespace {

hcl::Diagnostic ErrorAt(std::string summary, std::string detail, const hcl::Range& subject) {
  if (subject.filename.empty()) {
    hcl::Diagnostic d;
    d.summary = std::move(summary);
    d.detail = std::move(detail);
    return d;
  }
  return hcl::Diagnostic::Error(std::move(summary), std::move(detail), subject);
}

// Evaluates an expression that may not refer to anything (defaults, tfvars values).
hcl::Value EvaluateConstant(const hcl::Expression* expr, const hcl::FunctionContext& functions,
                            hcl::Diagnostics& diags) {
  hcl::MapScope empty;
  return hcl::Evaluate(expr, empty, &diags, functions);
}

}  // namespace

// Declarations of built-in modules have no file a user can open: name the input instead.
bool IsBuiltin(const Variable& decl) {
  return decl.range.filename.rfind("<built-in", 0) == 0;
}

// "<built-in weka/weka/aws>/variables.tf" -> "weka/weka/aws".
std::string_view BuiltinSource(std::string_view filename) {
  filename.remove_prefix(std::string_view("<built-in ").size());
  return filename.substr(0, filename.find('>'));
}

std::string DeclaredAt(const Variable& decl) {
  if (IsBuiltin(decl)) {
    return fmt::format("input \"{}\" of the module {}", decl.name,
                       BuiltinSource(decl.range.filename));
  }
  return "declared at " + FormatRangeShort(decl.range);
}

hcl::Value ConvertVariableValue(const Variable& decl,
                                const std::optional<TypeConstraint>& constraint, hcl::Value value,
                                const ValueOrigin& origin, hcl::Diagnostics& diags) {
  hcl::Type type = constraint ? constraint->type : hcl::Type::Dynamic();
  std::string declared_at = DeclaredAt(decl);
  Result<hcl::Value> converted = constraint ? constraint->Convert(value) : value;
  if (!converted.ok()) {
    if (IsBuiltin(decl)) {
      // The user's argument is the subject; the declaration is in no file they can open.
      std::string_view source = BuiltinSource(decl.range.filename);
      diags.Add(ErrorAt("Invalid value for module argument",
                        fmt::format("The value given for {} is not suitable: the module {} "
                                    "declares input \"{}\" of type {}: {}. `clusterform "
                                    "module show {} {}` describes the input.",
                                    origin.what, source, decl.name, TypeConstraintText(decl.type),
                                    converted.status().message(), source, decl.name),
                        origin.subject));
      return hcl::Value::Unknown(type);
    }
    diags.Add(ErrorAt(
        "Invalid value for input variable",
        fmt::format("The given value is not suitable for {} declared at {}: {}.", origin.what,
                    FormatRangeShort(decl.range), converted.status().message()),
        origin.subject));
    return hcl::Value::Unknown(type);
  }
  value = *converted;
  if (value.IsNull() && !decl.nullable) {
    diags.Add(ErrorAt("Required variable not set",
                      fmt::format("Unsuitable value for {}: required variable may not be set to "
                                  "null.",
                                  origin.what),
                      origin.subject));
    return hcl::Value::Unknown(type);
  }
  if (decl.sensitive) {
    value = value.WithSensitive();
  }
  return value;
}

void ValidateVariableValue(const Variable& decl, const hcl::Value& all_variables,
                           const ValueOrigin& origin, const hcl::FunctionContext& functions,
                           hcl::Diagnostics& diags) {
  bool builtin = IsBuiltin(decl);
  std::string declared_at = DeclaredAt(decl);
  for (const Validation& validation : decl.validations) {
    hcl::MapScope scope;
    scope.Set("var", all_variables);
    hcl::Diagnostics check_diags;
    hcl::Value ok = hcl::Evaluate(validation.condition, scope, &check_diags, functions);
    if (check_diags.HasErrors()) {
      diags.Append(check_diags);
      continue;
    }
    if (!ok.IsKnown()) {
      continue;  // Checked again when the value is known (at apply).
    }
    Result<hcl::Value> as_bool = hcl::Convert(ok.UnmarkDeep(), hcl::Type::Bool());
    if (!as_bool.ok() || as_bool->IsNull()) {
      diags.AddError("Invalid validation result",
                     "The condition of a validation rule must be true or false.",
                     validation.condition->range);
      continue;
    }
    if (as_bool->AsBool()) {
      continue;
    }
    hcl::Diagnostics message_diags;
    hcl::Value message = hcl::Evaluate(validation.error_message, scope, &message_diags, functions);
    std::string text = "(the error message could not be evaluated)";
    if (!message_diags.HasErrors() && message.IsKnown() && !message.IsNull() &&
        message.type() == hcl::Type::String()) {
      text = message.IsSensitive() ? "(the error message is sensitive)" : message.AsString();
    }
    std::string checked_by = builtin
                                 ? "the validation rule of " + declared_at
                                 : "the validation rule at " + FormatRangeShort(validation.range);
    diags.Add(ErrorAt("Invalid value for variable",
                      fmt::format("{}\n\nThis was checked by {}.", text, checked_by),
                      origin.subject));
  }
}

EvaluatedVariables EvaluateRootVariables(const RootModule& module, const InputValues& inputs,
                                         const hcl::FunctionContext& functions,
                                         hcl::Diagnostics& diags) {
  EvaluatedVariables result;
  std::vector<std::pair<const Variable*, ValueOrigin>> to_validate;
  for (const Variable& decl : module.variables) {
    std::optional<TypeConstraint> constraint;
    if (decl.type != nullptr) {
      constraint = DecodeTypeConstraint(decl.type, diags);
      if (!constraint) {
        result.values[decl.name] = hcl::Value::Unknown(hcl::Type::Dynamic());
        continue;
      }
    }
    ValueOrigin origin{decl.range, "var." + decl.name};
    hcl::Value raw;
    auto it = inputs.assignments.find(decl.name);
    if (it != inputs.assignments.end()) {
      const InputAssignment& a = it->second;
      if (a.expr != nullptr) {
        origin.subject = a.range;
        raw = EvaluateConstant(a.expr, functions, diags);
      } else if (constraint && constraint->type.IsPrimitive()) {
        raw = hcl::Value::String(a.raw);
      } else {
        std::string filename = fmt::format("<value for var.{}>", decl.name);
        hcl::ParseResult parsed = hcl::ParseExpression(a.raw, filename);
        diags.Append(parsed.diagnostics);
        if (!parsed.diagnostics.HasErrors()) {
          raw = EvaluateConstant(parsed.file->expression(), functions, diags);
        } else {
          raw = hcl::Value::Unknown(hcl::Type::Dynamic());
        }
        result.files.push_back(std::move(parsed.file));
        origin.subject = hcl::Range{};
      }
      origin.what += " (from " + a.origin + ")";
    } else if (decl.default_value != nullptr) {
      raw = EvaluateConstant(decl.default_value, functions, diags);
      origin.subject = decl.default_value->range;
    } else {
      diags.AddError("No value for required variable",
                     fmt::format("The root module input variable \"{}\" is not set, and has no "
                                 "default value. Use a -var or -var-file command line argument "
                                 "to provide a value for this variable.",
                                 decl.name),
                     decl.range);
      result.values[decl.name] =
          hcl::Value::Unknown(constraint ? constraint->type : hcl::Type::Dynamic());
      continue;
    }
    result.values[decl.name] = ConvertVariableValue(decl, constraint, raw, origin, diags);
    to_validate.emplace_back(&decl, origin);
  }
  hcl::Value all(hcl::Value::Object(hcl::ValueMap(result.values.begin(), result.values.end())));
  for (const auto& [decl, origin] : to_validate) {
    ValidateVariableValue(*decl, all, origin, functions, diags);
  }
  return result;
}

}  // namespace cf::config
