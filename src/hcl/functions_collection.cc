// Collection and type-conversion functions: length, lookup, merge, concat, coalesce, ...

#include <algorithm>
#include <set>

#include "hcl/functions_internal.h"
#include "hcl/operators.h"

namespace cf::hcl {

namespace fn {

std::vector<std::string> CodePoints(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 1;
    if (c >= 0xF0) {
      n = 4;
    } else if (c >= 0xE0) {
      n = 3;
    } else if (c >= 0xC0) {
      n = 2;
    }
    if (i + n > s.size()) {
      n = 1;
    }
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

Value ListOrTuple(ValueList elements, const Type& element) {
  if (elements.empty()) {
    return Value::List(element, {});
  }
  const Type& t = elements.front().type();
  for (const auto& e : elements) {
    if (e.type() != t) {
      return Value::Tuple(std::move(elements));
    }
  }
  return Value::List(t, std::move(elements));
}

}  // namespace fn

namespace {

using fn::Def;
using fn::P;
using fn::Str;

const Type kAnyList = Type::List(Type::Dynamic());

bool IsTrue(const Value& v) {
  return v.IsKnown() && !v.IsNull() && v.AsBool();
}

// Elements of a list/set/tuple argument, or an ArgError.
Result<ValueList> SequenceArg(const CallArgs& args, size_t i, const char* what) {
  const Value& v = args[i];
  if (!v.type().IsSequence()) {
    return args.ArgError(i, what);
  }
  return v.Elements();
}

// Unifies the element types of `elements` and converts them; for set functions.
Result<Value> MakeSet(ValueList elements) {
  std::vector<Type> types;
  for (const auto& e : elements) {
    types.push_back(e.type());
  }
  std::optional<Type> t = UnifyTypes(types);
  if (!t) {
    return InvalidArgumentError("given sets must all have compatible element types");
  }
  ValueList out;
  for (const auto& e : elements) {
    ASSIGN_OR_RETURN(Value c, Convert(e, *t));
    out.push_back(std::move(c));
  }
  return Value::Set(*t, std::move(out));
}

Result<Value> Flatten(const ValueList& in, ValueList* out, bool* unknown) {
  for (const auto& e : in) {
    if (!e.IsKnown() && (e.type().IsSequence() || e.type().IsDynamic())) {
      *unknown = true;
      return Value();
    }
    if (e.IsKnown() && !e.IsNull() && e.type().IsSequence()) {
      RETURN_IF_ERROR(Flatten(e.Elements(), out, unknown));
    } else {
      out->push_back(e);
    }
  }
  return Value();
}

void RegisterConversions(FunctionTable& t) {
  auto conversion = [&t](const std::string& name, Type type) {
    Function f;
    f.params = {P("v", type, true)};
    f.return_type = fn::Returns(type);
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> { return args[0]; };
    t[name] = std::move(f);
  };
  conversion("tostring", Type::String());
  conversion("tonumber", Type::Number());
  conversion("tobool", Type::Bool());
  conversion("tolist", Type::List(Type::Dynamic()));
  conversion("toset", Type::Set(Type::Dynamic()));
  conversion("tomap", Type::Map(Type::Dynamic()));

  Function sensitive;
  sensitive.params = {P("value", Type::Dynamic(), true)};
  sensitive.handles_unknown = true;
  sensitive.handles_marks = true;
  sensitive.impl = [](const CallArgs& args) -> Result<Value> {
    return args[0].WithSensitive(true);
  };
  t["sensitive"] = sensitive;
  Function nonsensitive = sensitive;
  nonsensitive.impl = [](const CallArgs& args) -> Result<Value> { return args[0].UnmarkDeep(); };
  t["nonsensitive"] = nonsensitive;
  Function issensitive = sensitive;
  issensitive.impl = [](const CallArgs& args) -> Result<Value> {
    return Value::Bool(args[0].ContainsSensitive());
  };
  t["issensitive"] = issensitive;
}

}  // namespace

void RegisterCollectionFunctions(FunctionTable& t) {
  RegisterConversions(t);

  // Removed in Terraform 0.12; kept so old configurations get Terraform's explanation.
  for (std::string name : {"list", "map"}) {
    Def(t, name, {}, P("vals", Type::Dynamic(), true), Type::Dynamic(),
        [name](const CallArgs&) -> Result<Value> {
          return InvalidArgumentError(
              "the \"" + name +
              "\" function was deprecated in Terraform v0.12 and is no longer "
              "available; use " +
              (name == "list" ? "tolist([ ... ])" : "tomap({ ... })") +
              " syntax to write a literal " + name);
        });
  }

  {
    Function f;
    f.params = {P("value")};
    f.return_type = fn::Returns(Type::Number());
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      const Value& v = args[0];
      if (!v.IsKnown()) {
        return Value::Unknown(Type::Number());
      }
      if (v.type().kind() == TypeKind::kString) {
        return Value::Num(static_cast<int64_t>(fn::CodePoints(v.AsString()).size()));
      }
      if (v.type().IsSequence() || v.type().IsMapping()) {
        return Value::Num(static_cast<int64_t>(v.Length()));
      }
      return args.ArgError(0, "argument must be a string, a collection type, or a structural type");
    };
    t["length"] = std::move(f);
  }

  {
    Function f;
    f.params = {P("inputMap"), P("key", Type::String())};
    f.variadic = P("default", Type::Dynamic(), true);
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      if (args.size() > 3) {
        return InvalidArgumentError("lookup() with too many arguments");
      }
      const Value& m = args[0];
      if (!m.type().IsMapping() && !m.type().IsDynamic()) {
        return args.ArgError(0, "the given value must be a map or object");
      }
      if (!m.IsKnown() || !args[1].IsKnown()) {
        return Value::Unknown(m.type().IsMap() ? m.type().element() : Type::Dynamic());
      }
      const ValueMap& attrs = m.Attributes();
      auto it = attrs.find(args[1].AsString());
      if (it != attrs.end()) {
        return it->second;
      }
      if (args.size() == 3) {
        if (m.type().IsMap()) {
          Result<Value> c = Convert(args[2], m.type().element());
          if (c.ok()) {
            return c;
          }
        }
        return args[2];
      }
      return InvalidArgumentError("lookup failed to find key \"" + args[1].AsString() + "\"");
    };
    t["lookup"] = std::move(f);
  }

  {
    Function f;
    f.variadic = P("maps", Type::Dynamic(), true);
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      bool all_maps = true;
      for (size_t i = 0; i < args.size(); ++i) {
        const Value& v = args[i];
        if (!v.type().IsMapping() && !v.type().IsDynamic()) {
          return args.ArgError(
              i, "arguments must be maps or objects, got \"" + v.type().FriendlyName() + "\"");
        }
        if (!v.IsKnown()) {
          return Value::Unknown(Type::Dynamic());
        }
        all_maps = all_maps && (v.IsNull() || v.type().IsMap());
      }
      ValueMap out;
      for (const auto& v : args.all()) {
        if (v.IsNull()) {
          continue;
        }
        for (const auto& [k, e] : v.Attributes()) {
          out[k] = e;
        }
      }
      if (all_maps) {
        std::vector<Type> types;
        for (const auto& [k, e] : out) {
          types.push_back(e.type());
        }
        std::optional<Type> u = UnifyTypes(types);
        if (u) {
          Result<Value> m = Convert(Value::Object(out), Type::Map(*u));
          if (m.ok()) {
            return m;
          }
        }
      }
      return Value::Object(std::move(out));
    };
    t["merge"] = std::move(f);
  }

  {
    Function f;
    f.variadic = P("seqs");
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      ValueList out;
      bool all_lists = true;
      for (size_t i = 0; i < args.size(); ++i) {
        const Value& v = args[i];
        if (!v.type().IsSequence() && !v.type().IsDynamic()) {
          return args.ArgError(
              i, "all arguments must be lists or tuples; got " + v.type().FriendlyName());
        }
        all_lists = all_lists && v.type().IsList();
      }
      for (const auto& v : args.all()) {
        if (!v.IsKnown()) {
          return Value::Unknown(all_lists ? v.type() : Type::Dynamic());
        }
        for (const auto& e : v.Elements()) {
          out.push_back(e);
        }
      }
      if (all_lists && !args.all().empty()) {
        std::vector<Type> types;
        for (const auto& v : args.all()) {
          types.push_back(v.type().element());
        }
        std::optional<Type> u = UnifyTypes(types);
        if (u) {
          Result<Value> c = Convert(Value::Tuple(out), Type::List(*u));
          if (c.ok()) {
            return c;
          }
        }
      }
      return Value::Tuple(std::move(out));
    };
    t["concat"] = std::move(f);
  }

  {
    Function f;
    f.variadic = P("vals", Type::Dynamic(), true);
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      std::vector<Type> types;
      for (const auto& v : args.all()) {
        if (!(v.IsNull() && v.type().IsDynamic())) {
          types.push_back(v.type());
        }
      }
      std::optional<Type> u = UnifyTypes(types);
      if (!u) {
        return InvalidArgumentError("all arguments must have the same type");
      }
      for (const auto& v : args.all()) {
        if (!v.IsKnown()) {
          return Value::Unknown(*u);
        }
        if (v.IsNull()) {
          continue;
        }
        if (v.type().kind() == TypeKind::kString && v.AsString().empty()) {
          continue;
        }
        return Convert(v, *u);
      }
      return InvalidArgumentError("no non-null, non-empty-string arguments");
    };
    t["coalesce"] = std::move(f);
  }

  {
    Function f;
    f.variadic = P("vals", Type::Dynamic(), true);
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      for (size_t i = 0; i < args.size(); ++i) {
        const Value& v = args[i];
        if (!v.type().IsSequence() && !v.type().IsDynamic()) {
          return args.ArgError(i, "a list or tuple is required");
        }
        if (!v.IsKnown()) {
          return Value::Unknown(v.type());
        }
        if (!v.IsNull() && v.Length() > 0) {
          return v;
        }
      }
      return InvalidArgumentError("no non-null arguments");
    };
    t["coalescelist"] = std::move(f);
  }

  Def(t, "contains", {P("list"), P("value")}, std::nullopt, Type::Bool(),
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(ValueList elems,
                         SequenceArg(args, 0, "argument must be list, tuple, or set"));
        bool unknown = false;
        for (const auto& e : elems) {
          int eq = EqualTriState(e, args[1]);
          if (eq == 1) {
            return Value::True();
          }
          unknown = unknown || eq < 0;
        }
        return unknown ? Value::Unknown(Type::Bool()) : Value::False();
      });

  Def(t, "element", {P("list"), P("index", Type::Number())}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        if (!args[0].type().IsList() && !args[0].type().IsTuple()) {
          return args.ArgError(0, "cannot read elements from " + args[0].type().FriendlyName());
        }
        ASSIGN_OR_RETURN(int64_t i, fn::WholeNumber(args, 1));
        const ValueList& elems = args[0].Elements();
        if (elems.empty()) {
          return InvalidArgumentError("cannot use element function with an empty list");
        }
        if (i < 0) {
          return args.ArgError(1, "cannot use element function with a negative index");
        }
        return elems[static_cast<size_t>(i) % elems.size()];
      });

  Def(t, "index", {P("list"), P("value")}, std::nullopt, Type::Number(),
      [](const CallArgs& args) -> Result<Value> {
        if (!args[0].type().IsList() && !args[0].type().IsTuple()) {
          return args.ArgError(0, "argument must be a list or tuple");
        }
        const ValueList& elems = args[0].Elements();
        for (size_t i = 0; i < elems.size(); ++i) {
          if (EqualTriState(elems[i], args[1]) == 1) {
            return Value::Num(static_cast<int64_t>(i));
          }
        }
        return InvalidArgumentError("item not found");
      });

  {
    Function f;
    f.params = {P("inputMap")};
    f.return_type = fn::Returns(Type::List(Type::String()));
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      const Value& m = args[0];
      if (!m.type().IsMapping() && !m.type().IsDynamic()) {
        return args.ArgError(0, "must have map or object type");
      }
      if (!m.IsKnown()) {
        return Value::Unknown(Type::List(Type::String()));
      }
      std::vector<std::string> keys;
      for (const auto& [k, e] : m.Attributes()) {
        keys.push_back(k);
      }
      return fn::StringList(std::move(keys));
    };
    t["keys"] = std::move(f);
  }

  {
    Function f;
    f.params = {P("mapping")};
    f.handles_unknown = true;
    f.impl = [](const CallArgs& args) -> Result<Value> {
      const Value& m = args[0];
      if (!m.type().IsMapping() && !m.type().IsDynamic()) {
        return args.ArgError(0, "must have map or object type");
      }
      if (!m.IsKnown()) {
        return Value::Unknown(m.type().IsMap() ? Type::List(m.type().element()) : Type::Dynamic());
      }
      ValueList out;
      for (const auto& [k, e] : m.Attributes()) {
        out.push_back(e);
      }
      if (m.type().IsMap()) {
        return Value::List(m.type().element(), std::move(out));
      }
      return Value::Tuple(std::move(out));
    };
    t["values"] = std::move(f);
  }

  Def(t, "flatten", {P("list")}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        if (!args[0].type().IsSequence()) {
          return args.ArgError(0, "can only flatten lists, sets and tuples");
        }
        ValueList out;
        bool unknown = false;
        RETURN_IF_ERROR(Flatten(args[0].Elements(), &out, &unknown).status());
        if (unknown) {
          return Value::Unknown(Type::Dynamic());
        }
        return Value::Tuple(std::move(out));
      });

  Def(t, "distinct", {P("list", kAnyList)}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        ValueList out;
        for (const auto& e : args[0].Elements()) {
          bool seen = false;
          for (const auto& o : out) {
            if (EqualTriState(o, e) == 1) {
              seen = true;
              break;
            }
          }
          if (!seen) {
            out.push_back(e);
          }
        }
        return Value::List(args[0].type().element(), std::move(out));
      });

  Def(t, "compact", {P("list", Type::List(Type::String()))}, std::nullopt,
      Type::List(Type::String()), [](const CallArgs& args) -> Result<Value> {
        ValueList out;
        for (const auto& e : args[0].Elements()) {
          if (e.IsNull() || e.AsString().empty()) {
            continue;
          }
          out.push_back(e);
        }
        return Value::List(Type::String(), std::move(out));
      });

  Def(t, "slice", {P("list"), P("start_index", Type::Number()), P("end_index", Type::Number())},
      std::nullopt, Type::Dynamic(), [](const CallArgs& args) -> Result<Value> {
        if (!args[0].type().IsList() && !args[0].type().IsTuple()) {
          return args.ArgError(0, "must be a list or tuple value");
        }
        ASSIGN_OR_RETURN(int64_t start, fn::WholeNumber(args, 1));
        ASSIGN_OR_RETURN(int64_t end, fn::WholeNumber(args, 2));
        const ValueList& elems = args[0].Elements();
        if (start < 0) {
          return args.ArgError(1, "start index must not be less than zero");
        }
        if (end > static_cast<int64_t>(elems.size())) {
          return args.ArgError(2, "end index must not be greater than the length of the list");
        }
        if (start > end) {
          return args.ArgError(1, "start index must not be greater than end index");
        }
        ValueList out(elems.begin() + start, elems.begin() + end);
        if (args[0].type().IsList()) {
          return Value::List(args[0].type().element(), std::move(out));
        }
        return Value::Tuple(std::move(out));
      });

  Def(t, "sort", {P("list", Type::List(Type::String()))}, std::nullopt, Type::List(Type::String()),
      [](const CallArgs& args) -> Result<Value> {
        std::vector<std::string> items;
        for (const auto& e : args[0].Elements()) {
          if (e.IsNull()) {
            return args.ArgError(0, "given list element is null");
          }
          items.push_back(e.AsString());
        }
        std::sort(items.begin(), items.end());
        return fn::StringList(std::move(items));
      });

  Def(t, "reverse", {P("list")}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        const Value& v = args[0];
        if (!v.type().IsSequence()) {
          return args.ArgError(
              0, "can only reverse list or tuple values, not " + v.type().FriendlyName());
        }
        ValueList out(v.Elements().rbegin(), v.Elements().rend());
        if (v.type().IsTuple()) {
          return Value::Tuple(std::move(out));
        }
        return Value::List(v.type().element(), std::move(out));
      });

  Def(t, "setproduct", {}, P("sets"), Type::Dynamic(), [](const CallArgs& args) -> Result<Value> {
    if (args.size() < 2) {
      return InvalidArgumentError("at least two arguments are required");
    }
    bool any_list = false;
    for (size_t i = 0; i < args.size(); ++i) {
      if (!args[i].type().IsSequence()) {
        return args.ArgError(i, "a set or a list is required");
      }
      any_list = any_list || !args[i].type().IsSet();
    }
    // Bounded so that a few short arguments cannot ask for billions of rows.
    constexpr size_t kMaxRows = 1'000'000;
    size_t rows_wanted = 1;
    for (const auto& v : args.all()) {
      size_t n = v.Length();
      if (n != 0 && rows_wanted > kMaxRows / n) {
        return InvalidArgumentError("the product would have more than " + std::to_string(kMaxRows) +
                                    " elements");
      }
      rows_wanted *= n;
    }
    std::vector<ValueList> product = {{}};
    for (const auto& v : args.all()) {
      std::vector<ValueList> next;
      for (const auto& prefix : product) {
        for (const auto& e : v.Elements()) {
          ValueList row = prefix;
          row.push_back(e);
          next.push_back(std::move(row));
        }
      }
      product = std::move(next);
    }
    ValueList rows;
    for (auto& row : product) {
      rows.push_back(fn::ListOrTuple(std::move(row)));
    }
    if (rows.empty()) {
      return any_list ? Value::List(Type::Dynamic(), {}) : Value::Set(Type::Dynamic(), {});
    }
    return any_list ? fn::ListOrTuple(std::move(rows)) : MakeSet(std::move(rows));
  });

  Def(t, "setunion", {P("first_set", Type::Set(Type::Dynamic()))},
      P("other_sets", Type::Set(Type::Dynamic())), Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        ValueList all;
        for (const auto& v : args.all()) {
          all.insert(all.end(), v.Elements().begin(), v.Elements().end());
        }
        return MakeSet(std::move(all));
      });

  Def(t, "setintersection", {P("first_set", Type::Set(Type::Dynamic()))},
      P("other_sets", Type::Set(Type::Dynamic())), Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        ValueList out;
        for (const auto& e : args[0].Elements()) {
          bool everywhere = true;
          for (size_t i = 1; i < args.size() && everywhere; ++i) {
            bool found = false;
            for (const auto& o : args[i].Elements()) {
              Result<Value> c = Convert(o, e.type());
              if (c.ok() && EqualTriState(*c, e) == 1) {
                found = true;
                break;
              }
            }
            everywhere = found;
          }
          if (everywhere) {
            out.push_back(e);
          }
        }
        return Value::Set(args[0].type().element(), std::move(out));
      });

  Def(t, "setsubtract", {P("a", Type::Set(Type::Dynamic())), P("b", Type::Set(Type::Dynamic()))},
      std::nullopt, Type::Dynamic(), [](const CallArgs& args) -> Result<Value> {
        ValueList out;
        for (const auto& e : args[0].Elements()) {
          bool found = false;
          for (const auto& o : args[1].Elements()) {
            Result<Value> c = Convert(o, e.type());
            if (c.ok() && EqualTriState(*c, e) == 1) {
              found = true;
              break;
            }
          }
          if (!found) {
            out.push_back(e);
          }
        }
        return Value::Set(args[0].type().element(), std::move(out));
      });

  Def(t, "zipmap", {P("keys", Type::List(Type::String())), P("values")}, std::nullopt,
      Type::Dynamic(), [](const CallArgs& args) -> Result<Value> {
        const Value& vals = args[1];
        if (!vals.type().IsList() && !vals.type().IsTuple()) {
          return args.ArgError(1, "must be a list or tuple value");
        }
        if (!args[0].IsWhollyKnown()) {
          return Value::Unknown(Type::Dynamic());
        }
        const ValueList& keys = args[0].Elements();
        if (keys.size() != vals.Length()) {
          return InvalidArgumentError("number of keys (" + std::to_string(keys.size()) +
                                      ") does not match number of values (" +
                                      std::to_string(vals.Length()) + ")");
        }
        ValueMap out;
        for (size_t i = 0; i < keys.size(); ++i) {
          if (keys[i].IsNull()) {
            return args.ArgError(0, "keys list has null value at index " + std::to_string(i));
          }
          out[keys[i].AsString()] = vals.Elements()[i];
        }
        if (vals.type().IsList()) {
          return Value::Map(vals.type().element(), std::move(out));
        }
        return Value::Object(std::move(out));
      });

  Def(t, "one", {P("list")}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        const Value& v = args[0];
        if (!v.type().IsSequence()) {
          return args.ArgError(0, "must be a list, set, or tuple value");
        }
        if (v.Length() == 0) {
          return Value::Null(v.type().IsTuple() ? Type::Dynamic() : v.type().element());
        }
        if (v.Length() > 1) {
          return args.ArgError(
              0, "must be a list, set, or tuple value with either zero or one elements");
        }
        return v.Elements().front();
      });

  Def(t, "sum", {P("list")}, std::nullopt, Type::Number(),
      [](const CallArgs& args) -> Result<Value> {
        const Value& v = args[0];
        if (!v.type().IsSequence()) {
          return args.ArgError(0, "cannot sum " + v.type().FriendlyName());
        }
        if (v.Length() == 0) {
          return args.ArgError(0, "cannot sum an empty list");
        }
        Number total;
        for (const auto& e : v.Elements()) {
          if (e.IsNull()) {
            return args.ArgError(0, "argument must be list, set, or tuple of number values");
          }
          Result<Value> n = Convert(e, Type::Number());
          if (!n.ok()) {
            return args.ArgError(0, "argument must be list, set, or tuple of number values");
          }
          total = total + n->AsNumber();
        }
        return Value::Num(total);
      });

  for (bool all : {true, false}) {
    Def(t, all ? "alltrue" : "anytrue", {P("list", Type::List(Type::Bool()))}, std::nullopt,
        Type::Bool(), [all](const CallArgs& args) -> Result<Value> {
          for (const auto& e : args[0].Elements()) {
            if (all && !IsTrue(e)) {
              return Value::False();
            }
            if (!all && IsTrue(e)) {
              return Value::True();
            }
          }
          return Value::Bool(all);
        });
  }

  Def(t, "chunklist", {P("list", kAnyList), P("size", Type::Number())}, std::nullopt,
      Type::Dynamic(), [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(int64_t size, fn::WholeNumber(args, 1));
        if (size < 0) {
          return args.ArgError(1, "the size argument must be positive");
        }
        const Type& et = args[0].type().element();
        const ValueList& elems = args[0].Elements();
        ValueList chunks;
        if (size == 0) {
          chunks.push_back(args[0]);
        } else {
          for (size_t i = 0; i < elems.size(); i += static_cast<size_t>(size)) {
            size_t end = std::min(elems.size(), i + static_cast<size_t>(size));
            chunks.push_back(Value::List(et, ValueList(elems.begin() + i, elems.begin() + end)));
          }
        }
        return Value::List(Type::List(et), std::move(chunks));
      });

  Def(t, "matchkeys", {P("values", kAnyList), P("keys", kAnyList), P("searchset", kAnyList)},
      std::nullopt, Type::Dynamic(), [](const CallArgs& args) -> Result<Value> {
        const ValueList& vals = args[0].Elements();
        const ValueList& keys = args[1].Elements();
        if (vals.size() != keys.size()) {
          return InvalidArgumentError("length of keys and values should be equal");
        }
        ValueList out;
        for (size_t i = 0; i < keys.size(); ++i) {
          for (const auto& s : args[2].Elements()) {
            Result<Value> c = Convert(s, keys[i].type());
            if (c.ok() && EqualTriState(*c, keys[i]) == 1) {
              out.push_back(vals[i]);
              break;
            }
          }
        }
        return Value::List(args[0].type().element(), std::move(out));
      });

  Def(t, "transpose", {P("values", Type::Map(Type::List(Type::String())))}, std::nullopt,
      Type::Map(Type::List(Type::String())), [](const CallArgs& args) -> Result<Value> {
        std::map<std::string, std::vector<std::string>> out;
        for (const auto& [k, list] : args[0].Attributes()) {
          if (list.IsNull()) {
            return args.ArgError(0, "lists must not be null");
          }
          for (const auto& e : list.Elements()) {
            if (e.IsNull()) {
              return args.ArgError(0, "lists must not contain null values");
            }
            out[e.AsString()].push_back(k);
          }
        }
        ValueMap m;
        for (auto& [k, v] : out) {
          m[k] = fn::StringList(std::move(v));
        }
        return Value::Map(Type::List(Type::String()), std::move(m));
      });

  Def(t, "range", {}, P("params", Type::Number()), Type::List(Type::Number()),
      [](const CallArgs& args) -> Result<Value> {
        Number start = 0;
        Number limit;
        Number step = 1;
        switch (args.size()) {
          case 1:
            limit = args[0].AsNumber();
            break;
          case 2:
            start = args[0].AsNumber();
            limit = args[1].AsNumber();
            step = start > limit ? Number(-1) : Number(1);
            break;
          case 3:
            start = args[0].AsNumber();
            limit = args[1].AsNumber();
            step = args[2].AsNumber();
            break;
          default:
            return InvalidArgumentError("must have one, two, or three arguments");
        }
        if (step.IsZero()) {
          return args.ArgError(2, "step must not be zero");
        }
        bool down = step.IsNegative();
        if (down && start < limit) {
          return args.ArgError(0, "for negative step, start must not be less than limit");
        }
        if (!down && start > limit) {
          return args.ArgError(0, "for positive step, start must not be greater than limit");
        }
        ValueList out;
        for (Number v = start; down ? v > limit : v < limit; v = v + step) {
          if (out.size() >= 1024) {
            return InvalidArgumentError(
                "more than 1024 values were generated; either decrease the difference between "
                "start and end or use a smaller step");
          }
          out.push_back(Value::Num(v));
        }
        return Value::List(Type::Number(), std::move(out));
      });

  for (const char* name :
       {"element", "slice", "reverse", "one", "chunklist", "zipmap", "contains", "flatten"}) {
    t[name].handles_unknown_elements = true;
  }
}

}  // namespace cf::hcl
