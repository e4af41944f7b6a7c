#pragma once

// Conversion and unification of values, with cty's rules and messages.
//
// Convert(value, type) gives `value` as a value of `type`, or InvalidArgument with cty's
// message, prefixed by the path to the offending part:
//   "a number is required"              string that is not a number, to number
//   "a bool is required"                string other than "true"/"false", to bool
//   "string required", "list of string required", "object required", ...   no conversion
//   "attribute \"name\" is required"     object conversion missing a mandatory attribute
//   "element 0: a number is required"   inside a list/tuple/set; `element "key": ...` for maps,
//   "attribute \"a\": ..."               inside an object.
// Rules: same type → unchanged; to dynamic → unchanged; null → null of the target type;
// unknown → unknown of the target type when the types are convertible; number/bool →
// string; string → number/bool when it parses; list/set/tuple ↔ list/set/tuple (tuples need
// matching length); map/object → map; map/object → object (extra attributes dropped, missing
// optional attributes null). Marks are kept on the converted values.
//
// UnifyTypes finds one type that all given types convert to (string over number/bool;
// objects with differing attributes and tuples of differing lengths unify as map/list),
// as cty does for conditionals and collection literals.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hcl/type.h"
#include "hcl/value.h"

namespace cf::hcl {

Result<Value> Convert(const Value& value, const Type& want);

// Convert for a block attribute: the error message is Terraform's detail
// `Inappropriate value for attribute "<name>": <conversion message>.` (its summary is
// "Incorrect attribute value type").
Result<Value> ConvertAttribute(const Value& value, const Type& want, std::string_view name);

// True when some value of `from` may convert to `want` (string→number counts: it depends on
// the value).
bool CanConvert(const Type& from, const Type& want);

// The unified type, or nullopt when there is none. A dynamic input gives dynamic.
std::optional<Type> UnifyTypes(const std::vector<Type>& types);

// The type a constraint `want` settles on for a value of type `have`: `want` with its
// dynamic parts filled from `have` (e.g. list(any) for a list of string gives list(string)).
Type ConcreteType(const Type& want, const Type& have);

// Defaults of optional object attributes (`optional(T, default)` in a type constraint),
// shaped like the type they belong to.
struct TypeDefaults {
  // For an object type: attribute name -> default value (of the attribute's type).
  std::map<std::string, Value> attributes;
  // For an object type: attribute name -> defaults inside that attribute's type.
  std::map<std::string, std::shared_ptr<const TypeDefaults>> children;
  // For list, set and map types: defaults inside the element type.
  std::shared_ptr<const TypeDefaults> element;
};

// Replaces null or missing optional attributes by their defaults, recursively (also inside
// the defaults themselves). `defaults` may be null (no change). Unknown and null values are
// returned unchanged.
Result<Value> ApplyDefaults(const Value& value, const TypeDefaults* defaults);

// A variable's type constraint: Convert(value, type), then ApplyDefaults — what Terraform
// does with a variable's value.
struct TypeConstraint {
  Type type;
  std::shared_ptr<const TypeDefaults> defaults;

  Result<Value> Convert(const Value& value) const;
};

}  // namespace cf::hcl
