#include "hcl/eval.h"

#include <cctype>
#include <set>

#include "hcl/convert.h"
#include "hcl/operators.h"
#include "hcl/parser.h"

namespace cf::hcl {

namespace {

Value Dyn() {
  return Value::Unknown(Type::Dynamic());
}

Value Mark(Value v, bool sensitive) {
  return sensitive && !v.IsSensitive() ? v.WithSensitive(true) : v;
}

std::string Quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// The range of the first `n` arguments... used for subjects.
const Range& RangeOf(const Expression* e) {
  return e->range;
}

}  // namespace

std::optional<Value> MapScope::Lookup(std::string_view name) const {
  auto it = values_.find(name);
  if (it != values_.end()) {
    return it->second;
  }
  return parent_ != nullptr ? parent_->Lookup(name) : std::nullopt;
}

Evaluator::Evaluator(const Scope* scope, const FunctionTable* functions,
                     FunctionContext function_context)
    : scope_(scope), functions_(functions), function_context_(std::move(function_context)) {
  if (!function_context_.render_template) {
    const FunctionTable* table = functions_;
    FunctionContext nested = function_context_;
    nested.render_template = [](const std::string&, const std::string&,
                                const Value&) -> Result<Value> {
      return InvalidArgumentError(
          "cannot recursively call templatefile from inside another "
          "template");
    };
    function_context_.render_template =
        [table, nested](const std::string& text, const std::string& filename, const Value& vars) {
          return RenderTemplate(text, filename, vars, *table, nested);
        };
  }
}

Value Evaluator::Evaluate(const Expression* expr, Diagnostics* diags) {
  Value v = Eval(expr, diags);
  if (steps_ > step_limit_) {
    diags->AddError("Expression too complex",
                    "Evaluating this expression took more than " + std::to_string(step_limit_) +
                        " steps; simplify it (for example, fewer nested for expressions).",
                    expr->range);
    return Dyn();
  }
  return v;
}

std::optional<Value> Evaluator::LookupVariable(std::string_view name) const {
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
    if (it->first == name) {
      return it->second;
    }
  }
  if (scope_ == nullptr) {
    return std::nullopt;
  }
  return scope_->Lookup(name);
}

Value Evaluator::Eval(const Expression* e, Diagnostics* diags) {
  if (++steps_ > step_limit_) {
    return Dyn();  // Evaluate reports the exhausted budget once.
  }
  switch (e->kind) {
    case ExprKind::kInvalid:
      return Dyn();
    case ExprKind::kLiteral: {
      const auto* lit = Cast<LiteralExpr>(e);
      switch (lit->literal_kind) {
        case LiteralKind::kBool:
          return Value::Bool(lit->bool_value);
        case LiteralKind::kNull:
          return Value();
        case LiteralKind::kNumber: {
          Result<Number> n = Number::Parse(lit->number_text);
          if (!n.ok()) {
            diags->AddError("Invalid number literal",
                            "Failed to recognize the value of this number literal.", e->range);
            return Dyn();
          }
          return Value::Num(*n);
        }
      }
      return Dyn();
    }
    case ExprKind::kTemplate:
      return EvalTemplate(Cast<TemplateExpr>(e), diags);
    case ExprKind::kTemplateWrap:
      return Eval(Cast<TemplateWrapExpr>(e)->wrapped, diags);
    case ExprKind::kVariable: {
      const auto* v = Cast<VariableExpr>(e);
      std::optional<Value> value = LookupVariable(v->name);
      if (!value) {
        diags->AddError("Unknown variable", "There is no variable named " + Quoted(v->name) + ".",
                        e->range);
        return Dyn();
      }
      return *value;
    }
    case ExprKind::kGetAttr:
      return EvalGetAttr(Cast<GetAttrExpr>(e), diags);
    case ExprKind::kIndex:
      return EvalIndex(Cast<IndexExpr>(e), diags);
    case ExprKind::kSplat:
      return EvalSplat(Cast<SplatExpr>(e), diags);
    case ExprKind::kSplatItem:
      for (auto it = splat_items_.rbegin(); it != splat_items_.rend(); ++it) {
        if (it->first == e) {
          return it->second;
        }
      }
      return Dyn();
    case ExprKind::kFunctionCall:
      return EvalCall(Cast<FunctionCallExpr>(e), diags);
    case ExprKind::kTuple: {
      ValueList elems;
      for (const Expression* el : Cast<TupleExpr>(e)->elements) {
        elems.push_back(Eval(el, diags));
      }
      return Value::Tuple(std::move(elems));
    }
    case ExprKind::kObject:
      return EvalObject(Cast<ObjectExpr>(e), diags);
    case ExprKind::kFor:
      return EvalFor(Cast<ForExpr>(e), diags);
    case ExprKind::kUnary: {
      const auto* u = Cast<UnaryExpr>(e);
      Value operand = Eval(u->operand, diags);
      Result<Value> r = u->op == UnaryOp::kNegate ? Negate(operand) : Not(operand);
      if (!r.ok()) {
        diags->AddError("Invalid operand", r.status().message(), u->operand->range);
        return Dyn();
      }
      return *r;
    }
    case ExprKind::kBinary:
      return EvalBinary(Cast<BinaryExpr>(e), diags);
    case ExprKind::kConditional:
      return EvalConditional(Cast<ConditionalExpr>(e), diags);
    case ExprKind::kParens:
      return Eval(Cast<ParensExpr>(e)->inner, diags);
  }
  return Dyn();
}

Value Evaluator::EvalTemplate(const TemplateExpr* t, Diagnostics* diags) {
  std::string out;
  bool known = true;
  bool sensitive = false;
  for (const TemplatePart* part : t->parts) {
    switch (part->kind) {
      case TemplatePartKind::kLiteral:
        out += static_cast<const TemplateLiteralPart*>(part)->text;
        break;
      case TemplatePartKind::kInterpolation: {
        const auto* p = static_cast<const TemplateInterpolationPart*>(part);
        Value v = Eval(p->expr, diags);
        sensitive = sensitive || v.ContainsSensitive();
        if (v.IsNull()) {
          diags->AddError("Invalid template interpolation value",
                          "The expression result is null. Cannot include a null value in a "
                          "string template.",
                          p->expr->range);
          known = false;
          break;
        }
        Result<Value> s = Convert(v.UnmarkDeep(), Type::String());
        if (!s.ok()) {
          diags->AddError(
              "Invalid template interpolation value",
              "Cannot include the given value in a string template: " + s.status().message() + ".",
              p->expr->range);
          known = false;
          break;
        }
        if (!s->IsKnown()) {
          known = false;
          break;
        }
        out += s->AsString();
        break;
      }
      case TemplatePartKind::kIf: {
        const auto* p = static_cast<const TemplateIfPart*>(part);
        Value c = Eval(p->condition, diags);
        sensitive = sensitive || c.IsSensitive();
        if (c.IsNull()) {
          diags->AddError("Invalid template if directive",
                          "The condition value is null. Conditions must either be true or false.",
                          p->condition->range);
          known = false;
          break;
        }
        Result<Value> b = Convert(c.UnmarkDeep(), Type::Bool());
        if (!b.ok()) {
          diags->AddError("Invalid template if directive",
                          "The condition must be of type bool: " + b.status().message() + ".",
                          p->condition->range);
          known = false;
          break;
        }
        if (!b->IsKnown()) {
          known = false;
          break;
        }
        const TemplateExpr* body = b->AsBool() ? p->then_body : p->else_body;
        if (body != nullptr) {
          Value v = EvalTemplate(body, diags);
          sensitive = sensitive || v.IsSensitive();
          if (!v.IsKnown()) {
            known = false;
          } else {
            out += v.AsString();
          }
        }
        break;
      }
      case TemplatePartKind::kFor: {
        const auto* p = static_cast<const TemplateForPart*>(part);
        Value coll = Eval(p->collection, diags);
        sensitive = sensitive || coll.IsSensitive();
        if (coll.IsNull()) {
          diags->AddError("Iteration over null value",
                          "A null value cannot be used as the collection in a 'for' expression.",
                          p->collection->range);
          known = false;
          break;
        }
        if (!coll.type().IsSequence() && !coll.type().IsMapping() && !coll.type().IsDynamic()) {
          diags->AddError("Iteration over non-iterable value",
                          "A value of type " + coll.type().FriendlyName() +
                              " cannot be used as the collection in a 'for' expression.",
                          p->collection->range);
          known = false;
          break;
        }
        if (!coll.IsKnown()) {
          known = false;
          break;
        }
        auto body = [&](Value key, Value value) {
          size_t mark = locals_.size();
          if (!p->key_var.empty()) {
            locals_.emplace_back(p->key_var, std::move(key));
          }
          locals_.emplace_back(p->value_var, std::move(value));
          Value v = EvalTemplate(p->body, diags);
          locals_.resize(mark);
          sensitive = sensitive || v.IsSensitive();
          if (!v.IsKnown()) {
            known = false;
          } else if (!v.IsNull()) {
            out += v.AsString();
          }
        };
        if (coll.type().IsMapping()) {
          for (const auto& [k, v] : coll.Attributes()) {
            body(Value::String(k), v);
          }
        } else {
          int64_t i = 0;
          for (const auto& v : coll.Elements()) {
            body(coll.type().IsSet() ? v : Value::Num(i), v);
            ++i;
          }
        }
        break;
      }
    }
  }
  Value result = known ? Value::String(std::move(out)) : Value::Unknown(Type::String());
  return Mark(result, sensitive);
}

Value Evaluator::EvalGetAttr(const GetAttrExpr* e, Diagnostics* diags) {
  if (const auto* root = As<VariableExpr>(e->object); root != nullptr && scope_ != nullptr) {
    bool local = false;
    for (const auto& [name, value] : locals_) {
      local = local || name == root->name;
    }
    if (!local) {
      size_t before = diags->size();
      std::optional<Value> v = scope_->LookupAttribute(root->name, e->name, e->range, diags);
      if (diags->size() != before) {
        return Dyn();
      }
      if (v) {
        return *v;
      }
    }
  }
  Value obj = Eval(e->object, diags);
  std::string name(e->name);
  const Type& t = obj.type();
  bool sensitive = obj.IsSensitive();
  if (obj.IsNull()) {
    diags->AddError("Attempt to get attribute from null value",
                    "This value is null, so it does not have any attributes.", e->name_range);
    return Dyn();
  }
  if (t.IsDynamic()) {
    return Mark(Dyn(), sensitive);
  }
  if (t.IsObject()) {
    if (!t.HasAttribute(name)) {
      diags->AddError("Unsupported attribute",
                      "This object does not have an attribute named " + Quoted(name) + ".",
                      e->name_range);
      return Dyn();
    }
    if (!obj.IsKnown()) {
      return Mark(Value::Unknown(t.AttributeType(name)), sensitive);
    }
    return Mark(obj.Attributes().at(name), sensitive);
  }
  if (t.IsMap()) {
    if (!obj.IsKnown()) {
      return Mark(Value::Unknown(t.element()), sensitive);
    }
    auto it = obj.Attributes().find(name);
    if (it == obj.Attributes().end()) {
      diags->AddError("Missing map element",
                      "This map does not have an element with the key " + Quoted(name) + ".",
                      e->name_range);
      return Dyn();
    }
    return Mark(it->second, sensitive);
  }
  std::string detail;
  if (t.IsPrimitive()) {
    detail = "Can't access attributes on a primitive-typed value (" + t.FriendlyName() + ").";
  } else if (t.IsList() || t.IsTuple()) {
    detail = "Can't access attributes on a list of objects. Did you mean to access attribute " +
             Quoted(name) +
             " for a specific element of the list, or across all elements of the list?";
  } else if (t.IsSet()) {
    detail =
        "Can't access attributes on a set of objects. Did you mean to access an attribute "
        "across all elements of the set?";
  } else {
    detail = "This value does not have any attributes.";
  }
  diags->AddError("Unsupported attribute", detail, e->name_range);
  return Dyn();
}

Value Evaluator::EvalIndex(const IndexExpr* e, Diagnostics* diags) {
  Value coll = Eval(e->collection, diags);
  Value key = Eval(e->key, diags);
  const Type& t = coll.type();
  bool sensitive = coll.IsSensitive() || key.IsSensitive();
  const Range& subject = e->key->range;
  auto invalid = [&](const std::string& detail) {
    diags->AddError("Invalid index", detail, subject);
    return Dyn();
  };
  if (coll.IsNull()) {
    diags->AddError("Attempt to index null value",
                    "This value is null, so it does not have any indices.", subject);
    return Dyn();
  }
  if (key.IsNull()) {
    return invalid("Can't use a null value as an indexing key.");
  }
  if (t.IsDynamic()) {
    return Mark(Dyn(), sensitive);
  }
  if (t.IsSet()) {
    return invalid(
        "Elements of a set are identified only by their value and don't have any separate "
        "index or key to select with, so it's only possible to perform operations across all "
        "elements of the set.");
  }
  if (t.IsList() || t.IsTuple()) {
    Result<Value> k = Convert(key.UnmarkDeep(), Type::Number());
    if (!k.ok()) {
      return invalid("The given key does not identify an element in this collection value: " +
                     k.status().message() + ".");
    }
    if (!coll.IsKnown() || !k->IsKnown()) {
      return Mark(Value::Unknown(t.IsList() ? t.element() : Type::Dynamic()), sensitive);
    }
    const Number& n = k->AsNumber();
    if (!n.IsInteger()) {
      return invalid(
          "The given key does not identify an element in this collection value: the given key "
          "is not a whole number.");
    }
    if (n.IsNegative()) {
      return invalid(
          "The given key does not identify an element in this collection value: a negative "
          "number is not a valid index for a sequence.");
    }
    std::optional<int64_t> i = n.ToInt64();
    if (!i || static_cast<size_t>(*i) >= coll.Length()) {
      return invalid(
          "The given key does not identify an element in this collection value: the given "
          "index is greater than or equal to the length of the collection.");
    }
    return Mark(coll.Elements()[static_cast<size_t>(*i)], sensitive);
  }
  if (t.IsMapping()) {
    Result<Value> k = Convert(key.UnmarkDeep(), Type::String());
    if (!k.ok()) {
      return invalid("The given key does not identify an element in this collection value: " +
                     k.status().message() + ".");
    }
    if (!coll.IsKnown() || !k->IsKnown()) {
      return Mark(Value::Unknown(t.IsMap() ? t.element() : Type::Dynamic()), sensitive);
    }
    auto it = coll.Attributes().find(k->AsString());
    if (it == coll.Attributes().end()) {
      if (t.IsObject()) {
        diags->AddError(
            "Unsupported attribute",
            "This object does not have an attribute named " + Quoted(k->AsString()) + ".", subject);
        return Dyn();
      }
      return invalid("The given key does not identify an element in this collection value.");
    }
    return Mark(it->second, sensitive);
  }
  return invalid("This value does not have any indices.");
}

Value Evaluator::EvalSplat(const SplatExpr* e, Diagnostics* diags) {
  Value source = Eval(e->source, diags);
  bool sensitive = source.IsSensitive();
  if (source.IsNull()) {
    return Value::EmptyTuple();
  }
  if (!source.IsKnown()) {
    return Mark(Dyn(), sensitive);
  }
  const Type& t = source.type();
  bool upgraded = !t.IsSequence() && !t.IsDynamic();
  ValueList items = upgraded ? ValueList{source} : source.Elements();
  ValueList out;
  out.reserve(items.size());
  for (auto& item : items) {
    splat_items_.emplace_back(e->item, item);
    Value v = Eval(e->each, diags);
    splat_items_.pop_back();
    out.push_back(std::move(v));
  }
  Value result;
  if (t.IsList() || t.IsSet()) {
    result = out.empty() ? Value::List(Type::Dynamic(), {}) : Value::Tuple(out);
    std::vector<Type> types;
    for (const auto& v : out) {
      types.push_back(v.type());
    }
    if (!out.empty()) {
      bool same = true;
      for (const auto& ty : types) {
        same = same && ty == types.front();
      }
      if (same) {
        Type element = types.front();
        result = Value::List(std::move(element), std::move(out));
      }
    }
  } else {
    result = Value::Tuple(std::move(out));
  }
  return Mark(result, sensitive);
}

Value Evaluator::EvalTry(const FunctionCallExpr* e, bool can, Diagnostics* diags) {
  std::string name = can ? "can" : "try";
  if (can && e->args.size() != 1) {
    diags->AddError(
        e->args.empty() ? "Not enough function arguments" : "Too many function arguments",
        e->args.empty()
            ? "Function \"can\" expects 1 argument(s). Missing value for \"expression\"."
            : "Function \"can\" expects only 1 argument(s).",
        e->range);
    return Dyn();
  }
  if (e->args.empty()) {
    diags->AddError("Error in function call",
                    "Call to function \"try\" failed: at least one argument is required.",
                    e->range);
    return Dyn();
  }
  std::string failures;
  for (const Expression* arg : e->args) {
    Diagnostics local;
    Value v = Eval(arg, &local);
    if (!local.HasErrors()) {
      if (can) {
        return v.IsWhollyKnown() ? Value::True() : Value::Unknown(Type::Bool());
      }
      return v.IsWhollyKnown() ? v : Dyn();
    }
    if (can) {
      return Value::False();
    }
    for (const auto& d : local) {
      if (d.severity == Severity::kError) {
        failures += "\n- " + d.summary + " (at " + FormatRange(d.subject()) + ")\n  " + d.detail;
      }
    }
  }
  diags->AddError("Error in function call",
                  "Call to function \"try\" failed: no expression succeeded:" + failures +
                      "\n\nAt least one expression must produce a successful result.",
                  e->range);
  return Dyn();
}

Value Evaluator::EvalCall(const FunctionCallExpr* e, Diagnostics* diags) {
  if (e->name == "can" || e->name == "try") {
    return EvalTry(e, e->name == "can", diags);
  }
  if (functions_->find(e->name) == functions_->end()) {
    diags->AddError("Call to unknown function",
                    "There is no function named " + Quoted(e->name) + ".", e->name_range);
    return Dyn();
  }
  std::vector<Value> args;
  std::vector<const Expression*> arg_exprs;
  bool failed = false;
  for (size_t i = 0; i < e->args.size(); ++i) {
    size_t errors_before = diags->size();
    Value v = Eval(e->args[i], diags);
    failed = failed || diags->size() != errors_before;
    if (e->expand_final && i + 1 == e->args.size()) {
      if (v.IsNull()) {
        diags->AddError("Invalid expanding argument value",
                        "The expanding argument (indicated by ...) must not be null.",
                        e->args[i]->range);
        return Dyn();
      }
      if (!v.type().IsSequence() && !v.type().IsDynamic()) {
        diags->AddError("Invalid expanding argument value",
                        "The expanding argument (indicated by ...) must be of a tuple, list, "
                        "or set type.",
                        e->args[i]->range);
        return Dyn();
      }
      if (!v.IsKnown()) {
        return Mark(Dyn(), v.IsSensitive());
      }
      for (const auto& el : v.Elements()) {
        args.push_back(Mark(el, v.IsSensitive()));
        arg_exprs.push_back(e->args[i]);
      }
      continue;
    }
    args.push_back(std::move(v));
    arg_exprs.push_back(e->args[i]);
  }
  if (failed) {
    return Dyn();
  }
  FunctionError err;
  Result<Value> r = CallFunction(*functions_, e->name, args, function_context_, &err);
  if (!r.ok()) {
    Range subject = e->range;
    if (err.arg_index >= 0 && static_cast<size_t>(err.arg_index) < arg_exprs.size()) {
      subject = arg_exprs[static_cast<size_t>(err.arg_index)]->range;
    }
    diags->AddError(err.summary, err.detail, subject);
    return Dyn();
  }
  // A function's work is charged by the size of what it built, so loops over calls that
  // build large values (setproduct, range, strings) stay within the step limit too.
  steps_ += r->Length();
  if (r->IsKnown() && !r->IsNull() && r->type().kind() == TypeKind::kString) {
    steps_ += r->AsString().size() / 64;
  }
  return *r;
}

Value Evaluator::EvalObject(const ObjectExpr* e, Diagnostics* diags) {
  ValueMap attrs;
  bool known = true;
  for (const ObjectItem& item : e->items) {
    std::string key;
    const Expression* k = item.key;
    Value value = Eval(item.value, diags);
    if (const auto* var = As<VariableExpr>(k)) {
      key = std::string(var->name);
    } else {
      Value kv = Eval(k, diags);
      if (kv.IsNull()) {
        diags->AddError("Invalid object key", "The key expression produced a null value.",
                        k->range);
        continue;
      }
      Result<Value> ks = Convert(kv.UnmarkDeep(), Type::String());
      if (!ks.ok()) {
        diags->AddError(
            "Invalid object key",
            "The key expression produced an invalid result: " + ks.status().message() + ".",
            k->range);
        continue;
      }
      if (!ks->IsKnown()) {
        known = false;
        continue;
      }
      key = ks->AsString();
    }
    attrs[key] = std::move(value);
  }
  if (!known) {
    return Dyn();
  }
  return Value::Object(std::move(attrs));
}

Value Evaluator::EvalFor(const ForExpr* e, Diagnostics* diags) {
  Value coll = Eval(e->collection, diags);
  bool sensitive = coll.IsSensitive();
  if (coll.IsNull()) {
    diags->AddError("Iteration over null value",
                    "A null value cannot be used as the collection in a 'for' expression.",
                    e->collection->range);
    return Dyn();
  }
  const Type& t = coll.type();
  if (!t.IsSequence() && !t.IsMapping() && !t.IsDynamic()) {
    diags->AddError("Iteration over non-iterable value",
                    "A value of type " + t.FriendlyName() +
                        " cannot be used as the collection in a 'for' expression.",
                    e->collection->range);
    return Dyn();
  }
  if (!coll.IsKnown()) {
    return Mark(Dyn(), sensitive);
  }
  std::vector<std::pair<Value, Value>> items;
  if (t.IsMapping()) {
    for (const auto& [k, v] : coll.Attributes()) {
      items.emplace_back(Value::String(k), v);
    }
  } else {
    int64_t i = 0;
    for (const auto& v : coll.Elements()) {
      items.emplace_back(t.IsSet() ? v : Value::Num(i), v);
      ++i;
    }
  }
  bool known = true;
  bool failed = false;
  ValueList tuple;
  ValueMap object;
  std::map<std::string, ValueList> groups;
  for (auto& [k, v] : items) {
    size_t mark = locals_.size();
    if (!e->key_var.empty()) {
      locals_.emplace_back(e->key_var, Mark(k, sensitive));
    }
    locals_.emplace_back(e->value_var, Mark(v, sensitive));
    bool include = true;
    if (e->condition != nullptr) {
      Value c = Eval(e->condition, diags);
      if (c.IsNull()) {
        diags->AddError("Invalid 'for' condition", "The value of the 'if' clause must not be null.",
                        e->condition->range);
        failed = true;
      } else {
        Result<Value> b = Convert(c.UnmarkDeep(), Type::Bool());
        if (!b.ok()) {
          diags->AddError("Invalid 'for' condition",
                          "The 'if' clause value is invalid: " + b.status().message() + ".",
                          e->condition->range);
          failed = true;
        } else if (!b->IsKnown()) {
          known = false;
        } else {
          include = b->AsBool();
        }
      }
    }
    if (include && !failed) {
      if (e->object_form()) {
        Value key = Eval(e->key_expr, diags);
        Value value = Eval(e->value_expr, diags);
        if (key.IsNull()) {
          diags->AddError("Invalid object key",
                          "Key expression in 'for' expression must not produce a null value.",
                          e->key_expr->range);
          failed = true;
        } else {
          Result<Value> ks = Convert(key.UnmarkDeep(), Type::String());
          if (!ks.ok()) {
            diags->AddError(
                "Invalid object key",
                "The key expression produced an invalid result: " + ks.status().message() + ".",
                e->key_expr->range);
            failed = true;
          } else if (!ks->IsKnown()) {
            known = false;
          } else if (e->grouping) {
            groups[ks->AsString()].push_back(std::move(value));
          } else if (object.count(ks->AsString())) {
            diags->AddError("Duplicate object key",
                            "Two different items produced the key " + Quoted(ks->AsString()) +
                                " in this 'for' expression. If duplicates are expected, use the "
                                "ellipsis (...) after the value expression to enable grouping "
                                "by key.",
                            e->key_expr->range);
            failed = true;
          } else {
            object[ks->AsString()] = std::move(value);
          }
          sensitive = sensitive || key.IsSensitive();
        }
      } else {
        tuple.push_back(Eval(e->value_expr, diags));
      }
    }
    locals_.resize(mark);
  }
  if (failed) {
    return Dyn();
  }
  if (!known) {
    return Mark(Dyn(), sensitive);
  }
  if (e->object_form()) {
    for (auto& [k, vals] : groups) {
      object[k] = Value::Tuple(std::move(vals));
    }
    return Mark(Value::Object(std::move(object)), sensitive);
  }
  return Mark(Value::Tuple(std::move(tuple)), sensitive);
}

Value Evaluator::EvalBinary(const BinaryExpr* e, Diagnostics* diags) {
  Value a = Eval(e->lhs, diags);
  Value b = Eval(e->rhs, diags);
  Result<Value> r = Value();
  switch (e->op) {
    case BinaryOp::kOr:
      r = Or(a, b);
      break;
    case BinaryOp::kAnd:
      r = And(a, b);
      break;
    case BinaryOp::kEqual:
      return Equal(a, b);
    case BinaryOp::kNotEqual:
      return NotEqual(a, b);
    case BinaryOp::kGreater:
      r = GreaterThan(a, b);
      break;
    case BinaryOp::kGreaterOrEqual:
      r = GreaterOrEqual(a, b);
      break;
    case BinaryOp::kLess:
      r = LessThan(a, b);
      break;
    case BinaryOp::kLessOrEqual:
      r = LessOrEqual(a, b);
      break;
    case BinaryOp::kAdd:
      r = Add(a, b);
      break;
    case BinaryOp::kSubtract:
      r = Subtract(a, b);
      break;
    case BinaryOp::kMultiply:
      r = Multiply(a, b);
      break;
    case BinaryOp::kDivide:
      r = Divide(a, b);
      break;
    case BinaryOp::kModulo:
      r = Modulo(a, b);
      break;
  }
  if (!r.ok()) {
    const std::string& msg = r.status().message();
    if (msg.rfind("Unsuitable value for left", 0) == 0) {
      diags->AddError("Invalid operand", msg, e->lhs->range);
    } else if (msg.rfind("Unsuitable value for right", 0) == 0) {
      diags->AddError("Invalid operand", msg, e->rhs->range);
    } else {
      std::string detail = msg;
      if (!detail.empty()) {
        detail[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(detail[0])));
      }
      diags->AddError("Operation failed", "Error during operation: " + detail, e->range);
    }
    return Dyn();
  }
  return *r;
}

Value Evaluator::EvalConditional(const ConditionalExpr* e, Diagnostics* diags) {
  // As in HCL, both results are evaluated (their types decide the result type) but only the
  // chosen one's problems are reported: `var.x != null ? var.x.a : "d"` is fine when x is null.
  size_t before = diags->size();
  Value c = Eval(e->condition, diags);
  bool condition_failed = diags->size() != before;
  Diagnostics true_diags;
  Diagnostics false_diags;
  Value t = Eval(e->true_expr, &true_diags);
  Value f = Eval(e->false_expr, &false_diags);
  if (condition_failed) {
    return Dyn();
  }
  if (c.IsNull()) {
    diags->AddError("Null condition",
                    "The condition value is null. Conditions must either be true or false.",
                    e->condition->range);
    return Dyn();
  }
  Result<Value> b = Convert(c.UnmarkDeep(), Type::Bool());
  if (!b.ok()) {
    diags->AddError("Incorrect condition type", "The condition expression must be of type bool.",
                    e->condition->range);
    return Dyn();
  }
  bool sensitive = c.IsSensitive();
  bool failed_true = true_diags.HasErrors();
  bool failed_false = false_diags.HasErrors();
  std::optional<Type> unified;
  if (failed_true || (t.IsNull() && t.type().IsDynamic())) {
    unified = f.type();
  } else if (failed_false || (f.IsNull() && f.type().IsDynamic())) {
    unified = t.type();
  } else {
    unified = UnifyTypes({t.type(), f.type()});
  }
  if (!b->IsKnown()) {
    diags->Append(true_diags);
    diags->Append(false_diags);
    if (failed_true || failed_false) {
      return Dyn();
    }
  } else {
    const Diagnostics& chosen_diags = b->AsBool() ? true_diags : false_diags;
    diags->Append(chosen_diags);
    if (chosen_diags.HasErrors()) {
      return Dyn();
    }
  }
  if (!unified) {
    diags->AddError("Inconsistent conditional result types",
                    "The true and false result expressions must have consistent types. The "
                    "'true' value is " +
                        t.type().FriendlyName() + ", but the 'false' value is " +
                        f.type().FriendlyName() + ".",
                    RangeBetween(e->true_expr->range, e->false_expr->range));
    return Dyn();
  }
  if (!b->IsKnown()) {
    return Mark(Value::Unknown(*unified), sensitive);
  }
  const Value& chosen = b->AsBool() ? t : f;
  const Expression* chosen_expr = b->AsBool() ? e->true_expr : e->false_expr;
  Result<Value> out = Convert(chosen, *unified);
  if (!out.ok()) {
    diags->AddError("Inconsistent conditional result types",
                    "The " + std::string(b->AsBool() ? "true" : "false") +
                        " result value has the wrong type: " + out.status().message() + ".",
                    RangeOf(chosen_expr));
    return Dyn();
  }
  return Mark(*out, sensitive);
}

Value Evaluate(const Expression* expr, const Scope& scope, Diagnostics* diags,
               const FunctionContext& function_context) {
  Evaluator ev(&scope, &StandardFunctions(), function_context);
  return ev.Evaluate(expr, diags);
}

Result<Value> RenderTemplate(const std::string& text, const std::string& filename,
                             const Value& vars, const FunctionTable& functions,
                             const FunctionContext& function_context) {
  ParseResult parsed = ParseTemplate(text, filename);
  if (parsed.diagnostics.HasErrors()) {
    return InvalidArgumentError(FormatDiagnostics(parsed.diagnostics, parsed.file->source()));
  }
  MapScope scope;
  for (const auto& [k, v] : vars.Attributes()) {
    scope.Set(k, v);
  }
  Evaluator ev(&scope, &functions, function_context);
  Diagnostics diags;
  Value v = ev.Evaluate(parsed.file->expression(), &diags);
  if (diags.HasErrors()) {
    return InvalidArgumentError(FormatDiagnostics(diags, parsed.file->source()));
  }
  return v;
}

namespace {

void TypeError(Diagnostics* diags, const Expression* e, const std::string& detail) {
  diags->AddError("Invalid type specification", detail, e->range);
}

// A decoded type with the defaults of its optional attributes (null when there are none).
struct Decoded {
  Decoded() = default;
  Decoded(Type t) : type(std::move(t)) {}  // NOLINT: implicit for brevity.

  Type type;
  std::shared_ptr<const TypeDefaults> defaults;
  bool optional = false;
  std::optional<Value> default_value;  // For `optional(T, default)`.
};

Decoded Decode(const Expression* e, Diagnostics* diags);

Decoded DecodeChecked(const Expression* e, Diagnostics* diags) {
  Decoded d = Decode(e, diags);
  if (d.optional) {
    TypeError(diags, e,
              "Keyword \"optional\" is valid only as a modifier for object type attributes.");
    d.optional = false;
    d.default_value.reset();
  }
  return d;
}

Decoded Decode(const Expression* e, Diagnostics* diags) {
  if (const auto* p = As<ParensExpr>(e)) {
    return Decode(p->inner, diags);
  }
  if (const auto* v = As<VariableExpr>(e)) {
    if (v->name == "string") {
      return {Type::String()};
    }
    if (v->name == "number") {
      return {Type::Number()};
    }
    if (v->name == "bool") {
      return {Type::Bool()};
    }
    if (v->name == "any") {
      return {Type::Dynamic()};
    }
    // Terraform still accepts the bare legacy keywords list and map as "of any" (not set).
    if (v->name == "list") {
      return {Type::List(Type::Dynamic())};
    }
    if (v->name == "map") {
      return {Type::Map(Type::Dynamic())};
    }
    if (v->name == "set" || v->name == "object" || v->name == "tuple") {
      TypeError(diags, e,
                "The " + std::string(v->name) + " type constructor requires one argument " +
                    "specifying the " +
                    (v->name == "set"      ? "element type"
                     : v->name == "object" ? "attribute types"
                                           : "element types") +
                    ".");
      return {Type::Dynamic()};
    }
    TypeError(diags, e, "The keyword " + Quoted(v->name) + " is not a valid type specification.");
    return {Type::Dynamic()};
  }
  if (const auto* quoted = As<TemplateExpr>(e); quoted != nullptr && quoted->IsStringLiteral()) {
    TypeError(diags, e,
              "Type constraints are keywords, not strings: write " +
                  std::string(quoted->LiteralText()) + " without the quotes.");
    return {Type::Dynamic()};
  }
  const auto* call = As<FunctionCallExpr>(e);
  if (call == nullptr) {
    TypeError(diags, e,
              "A type specification is either a primitive type keyword (bool, number, "
              "string) or a complex type constructor call, like list(string).");
    return {Type::Dynamic()};
  }
  std::string name(call->name);
  if (name == "list" || name == "set" || name == "map") {
    if (call->args.size() != 1) {
      TypeError(diags, e,
                "The " + name + " type constructor requires one argument specifying the " +
                    "element type.");
      return {Type::Dynamic()};
    }
    Decoded el = DecodeChecked(call->args[0], diags);
    Decoded out;
    out.type = name == "list"  ? Type::List(el.type)
               : name == "set" ? Type::Set(el.type)
                               : Type::Map(el.type);
    if (el.defaults) {
      auto d = std::make_shared<TypeDefaults>();
      d->element = el.defaults;
      out.defaults = d;
    }
    return out;
  }
  if (name == "optional") {
    if (call->args.empty() || call->args.size() > 2) {
      TypeError(diags, e,
                "The optional modifier requires the attribute type as its first argument and "
                "an optional default value as its second.");
      return {Type::Dynamic()};
    }
    Decoded inner = DecodeChecked(call->args[0], diags);
    inner.optional = true;
    if (call->args.size() == 2) {
      MapScope empty;
      Diagnostics local;
      Value def = Evaluate(call->args[1], empty, &local);
      if (local.HasErrors()) {
        diags->Append(local);
      } else {
        Result<Value> c = Convert(def, inner.type);
        if (!c.ok()) {
          diags->AddError("Invalid default value for optional attribute",
                          "This default value is not compatible with the attribute's type "
                          "constraint: " +
                              c.status().message() + ".",
                          call->args[1]->range);
        } else {
          Result<Value> applied = ApplyDefaults(*c, inner.defaults.get());
          inner.default_value = applied.ok() ? *applied : *c;
        }
      }
    }
    return inner;
  }
  if (name == "tuple") {
    const TupleExpr* tuple = call->args.size() == 1 ? As<TupleExpr>(call->args[0]) : nullptr;
    if (tuple == nullptr) {
      TypeError(diags, e,
                "The tuple type constructor requires one argument specifying the element "
                "types as a list.");
      return {Type::Dynamic()};
    }
    std::vector<Type> elems;
    for (const Expression* el : tuple->elements) {
      elems.push_back(DecodeChecked(el, diags).type);
    }
    return {Type::Tuple(std::move(elems))};
  }
  if (name == "object") {
    const ObjectExpr* obj = call->args.size() == 1 ? As<ObjectExpr>(call->args[0]) : nullptr;
    if (obj == nullptr) {
      TypeError(diags, e,
                "The object type constructor requires one argument specifying the attribute "
                "types as a map.");
      return {Type::Dynamic()};
    }
    std::map<std::string, Type> attrs;
    std::set<std::string> optional_names;
    auto defaults = std::make_shared<TypeDefaults>();
    for (const ObjectItem& item : obj->items) {
      std::string key;
      if (const auto* var = As<VariableExpr>(item.key)) {
        key = std::string(var->name);
      } else if (const auto* tpl = As<TemplateExpr>(item.key); tpl && tpl->IsStringLiteral()) {
        key = std::string(tpl->LiteralText());
      } else {
        TypeError(diags, item.key, "Object constructor map keys must be attribute names.");
        continue;
      }
      Decoded a = Decode(item.value, diags);
      attrs[key] = a.type;
      if (a.optional) {
        optional_names.insert(key);
      }
      if (a.default_value) {
        defaults->attributes[key] = *a.default_value;
      }
      if (a.defaults) {
        defaults->children[key] = a.defaults;
      }
    }
    Decoded out;
    out.type = Type::Object(std::move(attrs), std::move(optional_names));
    if (!defaults->attributes.empty() || !defaults->children.empty()) {
      out.defaults = defaults;
    }
    return out;
  }
  TypeError(diags, e, "Keyword " + Quoted(name) + " is not a valid type constructor.");
  return {Type::Dynamic()};
}

}  // namespace

Type EvaluateTypeExpression(const Expression* expr, Diagnostics* diags) {
  return DecodeChecked(expr, diags).type;
}

TypeConstraint EvaluateTypeConstraint(const Expression* expr, Diagnostics* diags) {
  Decoded d = DecodeChecked(expr, diags);
  return TypeConstraint{d.type, d.defaults};
}

}  // namespace cf::hcl
