#pragma once

// Helpers shared by the functions_*.cc files (not part of the library's interface).

#include <string>
#include <utility>
#include <vector>

#include "hcl/convert.h"
#include "hcl/function.h"

namespace cf::hcl::fn {

inline Parameter P(std::string name, Type type = Type::Dynamic(), bool allow_null = false) {
  return Parameter{std::move(name), std::move(type), allow_null};
}

inline std::function<Type(const std::vector<Value>&)> Returns(Type t) {
  return [t](const std::vector<Value>&) { return t; };
}

// Registers `name`.
inline void Def(FunctionTable& table, std::string name, std::vector<Parameter> params,
                std::optional<Parameter> variadic, Type return_type,
                std::function<Result<Value>(const CallArgs&)> impl) {
  Function f;
  f.params = std::move(params);
  f.variadic = std::move(variadic);
  f.return_type = Returns(std::move(return_type));
  f.impl = std::move(impl);
  table[std::move(name)] = std::move(f);
}

// The whole number in `v` (a known number) or an ArgError naming argument `index`.
inline Result<int64_t> WholeNumber(const CallArgs& args, size_t index) {
  const Number& n = args[index].AsNumber();
  std::optional<int64_t> i = n.ToInt64();
  if (!i) {
    if (n.IsInteger()) {
      return args.ArgError(index, "value is too large");
    }
    return args.ArgError(index, "value must be a whole number");
  }
  return *i;
}

inline Value Str(std::string s) {
  return Value::String(std::move(s));
}

inline Value StringList(std::vector<std::string> items) {
  ValueList out;
  out.reserve(items.size());
  for (auto& s : items) {
    out.push_back(Value::String(std::move(s)));
  }
  return Value::List(Type::String(), std::move(out));
}

// Unicode code points of UTF-8 text (invalid bytes count one each).
std::vector<std::string> CodePoints(const std::string& s);

// A list of `elements` when they share one type (or there are none, with `element`), else a
// tuple.
Value ListOrTuple(ValueList elements, const Type& element = Type::Dynamic());

// Shared by the encoding and file families (functions_encoding.cc).
std::string Base64EncodeBytes(const std::string& in);
bool IsValidUtf8Text(const std::string& s);
// The raw digest of `data` with "md5", "sha1", "sha256" or "sha512".
std::string DigestBytes(const std::string& algorithm, const std::string& data);

// Ordered elements of a list, set or tuple value; sets in their stored order.
inline const ValueList& Seq(const Value& v) {
  return v.Elements();
}

}  // namespace cf::hcl::fn
