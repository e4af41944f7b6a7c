#include "config/type_constraint.h"

#include <fmt/format.h>

namespace cf::config {

namespace {

using hcl::Diagnostics;
using hcl::Expression;
using hcl::Type;

constexpr const char* kInvalidType = "Invalid type specification";

std::optional<TypeConstraint> Decode(const Expression* expr, bool in_object_attribute,
                                     Diagnostics& diags);

std::optional<TypeConstraint> Fail(Diagnostics& diags, const hcl::Range& range,
                                   std::string detail) {
  diags.AddError(kInvalidType, std::move(detail), range);
  return std::nullopt;
}

std::optional<TypeConstraint> Keyword(const hcl::VariableExpr* var, Diagnostics& diags) {
  std::string_view name = var->name;
  TypeConstraint c;
  if (name == "string") {
    c.type = Type::String();
  } else if (name == "number") {
    c.type = Type::Number();
  } else if (name == "bool") {
    c.type = Type::Bool();
  } else if (name == "any") {
    c.type = Type::Dynamic();
  } else if (name == "list" || name == "set" || name == "map") {
    return Fail(diags, var->range,
                fmt::format("The {0} type constructor requires one argument specifying the "
                            "element type; write {0}(any) for a {0} of any element type.",
                            name));
  } else if (name == "object" || name == "tuple") {
    return Fail(diags, var->range,
                fmt::format("The {} type constructor requires one argument specifying the "
                            "{} types.",
                            name, name == "object" ? "attribute" : "element"));
  } else {
    return Fail(diags, var->range,
                fmt::format("The keyword \"{}\" is not a valid type specification.", name));
  }
  return c;
}

std::optional<TypeConstraint> Call(const hcl::FunctionCallExpr* call, bool in_object_attribute,
                                   Diagnostics& diags) {
  std::string_view name = call->name;
  auto one_arg = [&]() -> bool {
    if (call->args.size() != 1 || call->expand_final) {
      diags.AddError(kInvalidType,
                     fmt::format("The {} type constructor requires one argument specifying the "
                                 "element type.",
                                 name),
                     call->range);
      return false;
    }
    return true;
  };
  TypeConstraint c;
  if (name == "list" || name == "set" || name == "map") {
    if (!one_arg()) {
      return std::nullopt;
    }
    std::optional<TypeConstraint> element = Decode(call->args[0], false, diags);
    if (!element) {
      return std::nullopt;
    }
    c.type = name == "list"  ? Type::List(element->type)
             : name == "set" ? Type::Set(element->type)
                             : Type::Map(element->type);
    if (element->HasDefaults()) {
      c.nested["*"] = std::move(*element);
    }
    return c;
  }
  if (name == "object") {
    if (call->args.size() != 1) {
      return Fail(diags, call->range,
                  "The object type constructor requires one argument specifying the attribute "
                  "types as a map.");
    }
    const auto* obj = hcl::As<hcl::ObjectExpr>(call->args[0]);
    if (obj == nullptr) {
      return Fail(diags, call->args[0]->range,
                  "The object type constructor requires one argument specifying the attribute "
                  "types as a map.");
    }
    std::map<std::string, Type> attributes;
    std::set<std::string> optional;
    for (const hcl::ObjectItem& item : obj->items) {
      std::string key;
      if (const auto* var = hcl::As<hcl::VariableExpr>(item.key)) {
        key = std::string(var->name);
      } else if (const auto* t = hcl::As<hcl::TemplateExpr>(item.key);
                 t != nullptr && t->IsStringLiteral()) {
        key = std::string(t->LiteralText());
      } else {
        return Fail(diags, item.key->range, "Object constructor map keys must be attribute names.");
      }
      if (attributes.count(key) > 0) {
        return Fail(diags, item.key->range,
                    fmt::format("The attribute \"{}\" is defined more than once.", key));
      }
      const Expression* value = item.value;
      bool is_optional = false;
      const Expression* default_expr = nullptr;
      if (const auto* inner = hcl::As<hcl::FunctionCallExpr>(value);
          inner != nullptr && inner->name == "optional") {
        if (inner->args.empty() || inner->args.size() > 2) {
          return Fail(diags, inner->range,
                      "Optional attribute modifier expects at most two arguments: the attribute "
                      "type, and a default value.");
        }
        is_optional = true;
        value = inner->args[0];
        if (inner->args.size() == 2) {
          default_expr = inner->args[1];
        }
      }
      std::optional<TypeConstraint> attr = Decode(value, true, diags);
      if (!attr) {
        return std::nullopt;
      }
      attributes[key] = attr->type;
      if (is_optional) {
        optional.insert(key);
      }
      if (default_expr != nullptr) {
        c.defaults[key] = default_expr;
      }
      if (attr->HasDefaults()) {
        c.nested[key] = std::move(*attr);
      }
    }
    c.type = Type::Object(std::move(attributes), std::move(optional));
    return c;
  }
  if (name == "tuple") {
    const auto* tuple = call->args.size() == 1 ? hcl::As<hcl::TupleExpr>(call->args[0]) : nullptr;
    if (tuple == nullptr) {
      return Fail(diags, call->range,
                  "The tuple type constructor requires one argument specifying the element "
                  "types as a list.");
    }
    std::vector<Type> elements;
    for (size_t i = 0; i < tuple->elements.size(); ++i) {
      std::optional<TypeConstraint> element = Decode(tuple->elements[i], false, diags);
      if (!element) {
        return std::nullopt;
      }
      elements.push_back(element->type);
      if (element->HasDefaults()) {
        c.nested[fmt::format("[{}]", i)] = std::move(*element);
      }
    }
    c.type = Type::Tuple(std::move(elements));
    return c;
  }
  if (name == "optional") {
    return Fail(diags, call->range,
                in_object_attribute
                    ? "Optional attribute modifier is only for direct attributes of an object "
                      "type."
                    : "Keyword \"optional\" is valid only as a modifier for object type "
                      "attributes.");
  }
  return Fail(diags, call->name_range,
              fmt::format("Keyword \"{}\" is not a valid type constructor.", name));
}

std::optional<TypeConstraint> Decode(const Expression* expr, bool in_object_attribute,
                                     Diagnostics& diags) {
  while (const auto* parens = hcl::As<hcl::ParensExpr>(expr)) {
    expr = parens->inner;
  }
  if (const auto* var = hcl::As<hcl::VariableExpr>(expr)) {
    return Keyword(var, diags);
  }
  if (const auto* call = hcl::As<hcl::FunctionCallExpr>(expr)) {
    return Call(call, in_object_attribute, diags);
  }
  if (const auto* t = hcl::As<hcl::TemplateExpr>(expr); t != nullptr && t->IsStringLiteral()) {
    return Fail(diags, expr->range,
                fmt::format("Type constraints are keywords, not strings: write {} without the "
                            "quotes.",
                            t->LiteralText()));
  }
  return Fail(diags, expr->range,
              "A type specification is either a primitive type keyword (bool, number, string), "
              "any, or a complex type constructor call, like list(string).");
}

}  // namespace

std::optional<TypeConstraint> DecodeTypeConstraint(const hcl::Expression* expr,
                                                   hcl::Diagnostics& diags) {
  return Decode(expr, false, diags);
}

}  // namespace cf::config
