#include "hcl/convert.h"

#include <set>

namespace cf::hcl {

namespace {

Status Err(const std::string& path, const std::string& message) {
  return InvalidArgumentError(path.empty() ? message : path + ": " + message);
}

std::string Join(const std::string& path, const std::string& step) {
  return path.empty() ? step : path + ": " + step;
}

std::string QuoteKey(const std::string& s) {
  return "\"" + s + "\"";
}

std::string MissingAttributes(const std::vector<std::string>& names) {
  if (names.size() == 1) {
    return "attribute " + QuoteKey(names[0]) + " is required";
  }
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      list += names.size() == 2 ? " and " : (i + 1 == names.size() ? ", and " : ", ");
    }
    list += QuoteKey(names[i]);
  }
  return "attributes " + list + " are required";
}

// The element types of a sequence or mapping type, one per element for tuples and objects.
std::vector<Type> MemberTypes(const Type& t) {
  std::vector<Type> out;
  if (t.IsTuple()) {
    out = t.tuple_elements();
  } else if (t.IsObject()) {
    for (const auto& [k, v] : t.attributes()) {
      out.push_back(v);
    }
  } else if (t.IsCollection()) {
    out.push_back(t.element());
  }
  return out;
}

Result<Value> ConvertImpl(const Value& v, const Type& want, const std::string& path);

// The element type to use for a collection conversion whose target element is `want_elem`.
Result<Type> TargetElementType(const Value& v, const Type& want_elem, const std::string& path,
                               const std::string& kind) {
  if (!want_elem.IsDynamic()) {
    return want_elem;
  }
  std::vector<Type> types;
  if (v.IsKnown() && !v.IsNull()) {
    if (v.type().IsSequence()) {
      for (const auto& e : v.Elements()) {
        types.push_back(e.type());
      }
    } else {
      for (const auto& [k, e] : v.Attributes()) {
        types.push_back(e.type());
      }
    }
  } else {
    types = MemberTypes(v.type());
  }
  if (types.empty()) {
    return Type::Dynamic();
  }
  std::optional<Type> unified = UnifyTypes(types);
  if (!unified) {
    return Err(path, "all " + kind + " elements must have the same type");
  }
  return *unified;
}

Result<Value> ConvertSequence(const Value& v, const Type& want, const std::string& path) {
  const bool to_set = want.IsSet();
  ASSIGN_OR_RETURN(Type elem, TargetElementType(v, want.element(), path, to_set ? "set" : "list"));
  ValueList out;
  out.reserve(v.Elements().size());
  size_t i = 0;
  for (const auto& e : v.Elements()) {
    ASSIGN_OR_RETURN(Value c, ConvertImpl(e, elem, Join(path, "element " + std::to_string(i))));
    out.push_back(std::move(c));
    ++i;
  }
  if (elem.IsDynamic() && !out.empty()) {
    elem = out.front().type();
  }
  return to_set ? Value::Set(elem, std::move(out)) : Value::List(elem, std::move(out));
}

Result<Value> ConvertToMap(const Value& v, const Type& want, const std::string& path) {
  ASSIGN_OR_RETURN(Type elem, TargetElementType(v, want.element(), path, "map"));
  ValueMap out;
  for (const auto& [k, e] : v.Attributes()) {
    ASSIGN_OR_RETURN(Value c, ConvertImpl(e, elem, Join(path, "element " + QuoteKey(k))));
    out.emplace(k, std::move(c));
  }
  if (elem.IsDynamic() && !out.empty()) {
    elem = out.begin()->second.type();
  }
  return Value::Map(elem, std::move(out));
}

Result<Value> ConvertToObject(const Value& v, const Type& want, const std::string& path) {
  const ValueMap& have = v.Attributes();
  std::vector<std::string> missing;
  ValueMap out;
  for (const auto& [name, type] : want.attributes()) {
    auto it = have.find(name);
    if (it == have.end()) {
      if (want.optional_attributes().count(name)) {
        out.emplace(name, Value::Null(type));
      } else {
        missing.push_back(name);
      }
      continue;
    }
    ASSIGN_OR_RETURN(Value c,
                     ConvertImpl(it->second, type, Join(path, "attribute " + QuoteKey(name))));
    out.emplace(name, std::move(c));
  }
  if (!missing.empty()) {
    return Err(path, MissingAttributes(missing));
  }
  return Value::Object(std::move(out));
}

Result<Value> ConvertToTuple(const Value& v, const Type& want, const std::string& path) {
  const auto& types = want.tuple_elements();
  const auto& elems = v.Elements();
  if (types.size() != elems.size()) {
    return Err(path, "tuple required");
  }
  ValueList out;
  for (size_t i = 0; i < elems.size(); ++i) {
    ASSIGN_OR_RETURN(Value c,
                     ConvertImpl(elems[i], types[i], Join(path, "element " + std::to_string(i))));
    out.push_back(std::move(c));
  }
  return Value::Tuple(std::move(out));
}

Result<Value> ConvertKnown(const Value& v, const Type& want, const std::string& path) {
  const Type& have = v.type();
  switch (want.kind()) {
    case TypeKind::kString:
      if (have.kind() == TypeKind::kNumber) {
        return Value::String(v.AsNumber().ToString());
      }
      if (have.kind() == TypeKind::kBool) {
        return Value::String(v.AsBool() ? "true" : "false");
      }
      break;
    case TypeKind::kNumber:
      if (have.kind() == TypeKind::kString) {
        Result<Number> n = Number::Parse(v.AsString());
        if (!n.ok()) {
          return Err(path, "a number is required");
        }
        return Value::Num(*n);
      }
      break;
    case TypeKind::kBool:
      if (have.kind() == TypeKind::kString) {
        const std::string& s = v.AsString();
        if (s == "true") {
          return Value::True();
        }
        if (s == "false") {
          return Value::False();
        }
        if (s == "True" || s == "TRUE") {
          return Err(path, "a bool is required; to convert from string, use lowercase \"true\"");
        }
        if (s == "False" || s == "FALSE") {
          return Err(path, "a bool is required; to convert from string, use lowercase \"false\"");
        }
        return Err(path, "a bool is required");
      }
      break;
    case TypeKind::kList:
    case TypeKind::kSet:
      if (have.IsSequence()) {
        return ConvertSequence(v, want, path);
      }
      break;
    case TypeKind::kMap:
      if (have.IsMapping()) {
        return ConvertToMap(v, want, path);
      }
      break;
    case TypeKind::kObject:
      if (have.IsMapping()) {
        return ConvertToObject(v, want, path);
      }
      break;
    case TypeKind::kTuple:
      if (have.IsSequence()) {
        return ConvertToTuple(v, want, path);
      }
      break;
    case TypeKind::kDynamic:
      return v;
  }
  return Err(path, want.FriendlyName() + " required");
}

// `want` with its dynamic parts replaced by the matching parts of `have` where possible.
Type Settle(const Type& want, const Type& have) {
  if (want.IsDynamic()) {
    return have;
  }
  if ((want.IsList() || want.IsSet() || want.IsMap()) && want.element().IsDynamic()) {
    std::vector<Type> members = MemberTypes(have);
    std::optional<Type> u = members.empty() ? std::nullopt : UnifyTypes(members);
    Type elem = u ? *u : Type::Dynamic();
    return want.IsList() ? Type::List(elem) : (want.IsSet() ? Type::Set(elem) : Type::Map(elem));
  }
  return want;
}

Result<Value> ConvertImpl(const Value& v, const Type& want, const std::string& path) {
  if (want.IsDynamic() || v.type() == want) {
    return v;
  }
  if (v.IsNull()) {
    return Value::Null(want).WithSensitive(v.IsSensitive());
  }
  if (!v.IsKnown()) {
    if (!CanConvert(v.type(), want)) {
      return Err(path, want.FriendlyName() + " required");
    }
    return Value::Unknown(Settle(want, v.type())).WithSensitive(v.IsSensitive());
  }
  if (v.type().IsDynamic()) {
    return v;
  }
  ASSIGN_OR_RETURN(Value out, ConvertKnown(v, want, path));
  return v.IsSensitive() ? out.WithSensitive(true) : out;
}

}  // namespace

Result<Value> Convert(const Value& value, const Type& want) {
  return ConvertImpl(value, want, "");
}

Result<Value> ConvertAttribute(const Value& value, const Type& want, std::string_view name) {
  Result<Value> r = Convert(value, want);
  if (!r.ok()) {
    return InvalidArgumentError("Inappropriate value for attribute \"" + std::string(name) +
                                "\": " + r.status().message() + ".");
  }
  return r;
}

bool CanConvert(const Type& from, const Type& want) {
  if (from.IsDynamic() || want.IsDynamic() || from == want) {
    return true;
  }
  switch (want.kind()) {
    case TypeKind::kString:
      return from.kind() == TypeKind::kNumber || from.kind() == TypeKind::kBool;
    case TypeKind::kNumber:
    case TypeKind::kBool:
      return from.kind() == TypeKind::kString;
    case TypeKind::kList:
    case TypeKind::kSet:
      if (!from.IsSequence()) {
        return false;
      }
      for (const auto& t : MemberTypes(from)) {
        if (!CanConvert(t, want.element())) {
          return false;
        }
      }
      return true;
    case TypeKind::kMap:
      if (!from.IsMapping()) {
        return false;
      }
      for (const auto& t : MemberTypes(from)) {
        if (!CanConvert(t, want.element())) {
          return false;
        }
      }
      return true;
    case TypeKind::kObject:
      if (from.IsMap()) {
        for (const auto& [k, t] : want.attributes()) {
          if (!CanConvert(from.element(), t)) {
            return false;
          }
        }
        return true;
      }
      if (from.IsObject()) {
        for (const auto& [k, t] : want.attributes()) {
          if (!from.HasAttribute(k)) {
            if (!want.optional_attributes().count(k)) {
              return false;
            }
            continue;
          }
          if (!CanConvert(from.AttributeType(k), t)) {
            return false;
          }
        }
        return true;
      }
      return false;
    case TypeKind::kTuple:
      if (from.IsTuple()) {
        const auto& a = from.tuple_elements();
        const auto& b = want.tuple_elements();
        if (a.size() != b.size()) {
          return false;
        }
        for (size_t i = 0; i < a.size(); ++i) {
          if (!CanConvert(a[i], b[i])) {
            return false;
          }
        }
        return true;
      }
      if (from.IsList() || from.IsSet()) {
        for (const auto& t : want.tuple_elements()) {
          if (!CanConvert(from.element(), t)) {
            return false;
          }
        }
        return true;
      }
      return false;
    case TypeKind::kDynamic:
      return true;
  }
  return false;
}

std::optional<Type> UnifyTypes(const std::vector<Type>& types) {
  if (types.empty()) {
    return Type::Dynamic();
  }
  bool all_equal = true;
  bool all_primitive = true;
  bool all_object = true;
  bool all_mapping = true;
  bool all_tuple = true;
  bool all_list_like = true;  // list or tuple
  bool all_set_like = true;   // set or tuple
  bool any_string = false;
  for (const auto& t : types) {
    if (t.IsDynamic()) {
      return Type::Dynamic();
    }
    all_equal = all_equal && t == types.front();
    all_primitive = all_primitive && t.IsPrimitive();
    all_object = all_object && t.IsObject();
    all_mapping = all_mapping && t.IsMapping();
    all_tuple = all_tuple && t.IsTuple();
    all_list_like = all_list_like && (t.IsList() || t.IsTuple());
    all_set_like = all_set_like && (t.IsSet() || t.IsTuple());
    any_string = any_string || t.kind() == TypeKind::kString;
  }
  if (all_equal) {
    return types.front();
  }
  if (all_primitive) {
    if (any_string) {
      return Type::String();
    }
    return std::nullopt;  // number and bool
  }
  auto unify_members = [&]() -> std::optional<Type> {
    std::vector<Type> members;
    for (const auto& t : types) {
      auto m = MemberTypes(t);
      members.insert(members.end(), m.begin(), m.end());
    }
    if (members.empty()) {
      return Type::Dynamic();
    }
    return UnifyTypes(members);
  };
  if (all_object) {
    std::set<std::string> names;
    for (const auto& [k, t] : types.front().attributes()) {
      names.insert(k);
    }
    bool same_names = true;
    for (const auto& t : types) {
      std::set<std::string> n;
      for (const auto& [k, a] : t.attributes()) {
        n.insert(k);
      }
      same_names = same_names && n == names;
    }
    if (same_names) {
      std::map<std::string, Type> attrs;
      for (const auto& name : names) {
        std::vector<Type> ts;
        for (const auto& t : types) {
          ts.push_back(t.AttributeType(name));
        }
        std::optional<Type> u = UnifyTypes(ts);
        if (!u) {
          return std::nullopt;
        }
        attrs.emplace(name, *u);
      }
      return Type::Object(std::move(attrs));
    }
  }
  if (all_mapping) {
    std::optional<Type> u = unify_members();
    if (!u) {
      return std::nullopt;
    }
    return Type::Map(*u);
  }
  if (all_tuple) {
    size_t n = types.front().tuple_elements().size();
    bool same_length = true;
    for (const auto& t : types) {
      same_length = same_length && t.tuple_elements().size() == n;
    }
    if (same_length) {
      std::vector<Type> elems;
      for (size_t i = 0; i < n; ++i) {
        std::vector<Type> ts;
        for (const auto& t : types) {
          ts.push_back(t.tuple_elements()[i]);
        }
        std::optional<Type> u = UnifyTypes(ts);
        if (!u) {
          return std::nullopt;
        }
        elems.push_back(*u);
      }
      return Type::Tuple(std::move(elems));
    }
  }
  if (all_list_like || all_set_like) {
    std::optional<Type> u = unify_members();
    if (!u) {
      return std::nullopt;
    }
    return all_list_like ? Type::List(*u) : Type::Set(*u);
  }
  return std::nullopt;
}

Type ConcreteType(const Type& want, const Type& have) {
  return Settle(want, have);
}

Result<Value> ApplyDefaults(const Value& value, const TypeDefaults* defaults) {
  if (defaults == nullptr || value.IsNull() || !value.IsKnown()) {
    return value;
  }
  const Type& t = value.type();
  Value out = value;
  if (t.IsObject()) {
    ValueMap attrs = value.Attributes();
    for (const auto& [name, def] : defaults->attributes) {
      auto it = attrs.find(name);
      if (it == attrs.end() || it->second.IsNull()) {
        attrs[name] = def;
      }
    }
    for (const auto& [name, child] : defaults->children) {
      auto it = attrs.find(name);
      if (it != attrs.end()) {
        ASSIGN_OR_RETURN(it->second, ApplyDefaults(it->second, child.get()));
      }
    }
    out = Value::Object(std::move(attrs));
  } else if (defaults->element && (t.IsSequence() || t.IsMap())) {
    if (t.IsMap()) {
      ValueMap elems;
      for (const auto& [k, e] : value.Attributes()) {
        ASSIGN_OR_RETURN(elems[k], ApplyDefaults(e, defaults->element.get()));
      }
      Type et = elems.empty() ? t.element() : elems.begin()->second.type();
      out = Value::Map(et, std::move(elems));
    } else {
      ValueList elems;
      for (const auto& e : value.Elements()) {
        ASSIGN_OR_RETURN(Value d, ApplyDefaults(e, defaults->element.get()));
        elems.push_back(std::move(d));
      }
      if (t.IsTuple()) {
        out = Value::Tuple(std::move(elems));
      } else {
        Type et = elems.empty() ? t.element() : elems.front().type();
        out = t.IsSet() ? Value::Set(et, std::move(elems)) : Value::List(et, std::move(elems));
      }
    }
  }
  return value.IsSensitive() ? out.WithSensitive(true) : out;
}

Result<Value> TypeConstraint::Convert(const Value& value) const {
  ASSIGN_OR_RETURN(Value converted, ::cf::hcl::Convert(value, type));
  return ApplyDefaults(converted, defaults.get());
}

}  // namespace cf::hcl
