#pragma once

// Value: an HCL/cty value.
//
// Every value has a Type and is one of:
//   - null (of any type, including dynamic),
//   - unknown (of any type: "known after apply"),
//   - known: a bool, Number, string, or a list/set/tuple of Values, or a map/object of
//     string -> Value.
// Any value may carry the `sensitive` mark; marks live on the value they were put on, so a
// list may hold sensitive elements without being sensitive itself (ContainsSensitive()).
// Elements of collections may themselves be unknown (IsWhollyKnown() checks deeply).
//
// Storage is shared and immutable: copying a Value copies a few words and bumps a reference
// count. Map and object attributes are kept sorted by key (cty's order); set elements are
// kept sorted and distinct (see CompareValues).
//
// Invariants the constructors keep: a list/set/map value's elements all have exactly its
// element type (Convert() builds such values from loose ones); an object/tuple value's type
// is derived from its attributes/elements. Thread-compatible.

#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "hcl/number.h"
#include "hcl/type.h"

namespace cf::hcl {

class Value;
using ValueMap = std::map<std::string, Value>;
using ValueList = std::vector<Value>;

class Value {
 public:
  Value() = default;  // null of type dynamic

  static Value Null(Type type);
  static Value Unknown(Type type);
  static Value Bool(bool b);
  static Value True() { return Bool(true); }
  static Value False() { return Bool(false); }
  static Value Num(Number n);
  static Value String(std::string s);
  // A list whose elements all have type `element` (callers convert first).
  static Value List(Type element, ValueList elements);
  // A list of the elements' common type; `elements` must be non-empty and of one type.
  static Value ListOf(ValueList elements);
  // A set: duplicates are dropped and elements ordered (CompareValues).
  static Value Set(Type element, ValueList elements);
  static Value Map(Type element, ValueMap elements);
  static Value Object(ValueMap attributes);
  static Value Tuple(ValueList elements);
  static Value EmptyObject() { return Object({}); }
  static Value EmptyTuple() { return Tuple({}); }

  const Type& type() const { return type_; }
  bool IsNull() const { return state_ == State::kNull; }
  bool IsKnown() const { return state_ != State::kUnknown; }
  // Known and, for collections, every element wholly known.
  bool IsWhollyKnown() const;
  bool IsSensitive() const { return sensitive_; }
  // Sensitive itself or anywhere inside.
  bool ContainsSensitive() const;

  // A copy with the sensitive mark set (or cleared) on this value only.
  Value WithSensitive(bool sensitive = true) const;
  // A copy with no sensitive mark anywhere inside.
  Value UnmarkDeep() const;

  // Accessors for known, non-null values of the matching kind (a mismatch aborts).
  bool AsBool() const;
  const Number& AsNumber() const;
  const std::string& AsString() const;
  // Elements of a list, set or tuple.
  const ValueList& Elements() const;
  // Elements of a map or attributes of an object.
  const ValueMap& Attributes() const;
  // Number of elements/attributes of a known collection or structure; 0 otherwise.
  size_t Length() const;

  // The attribute `name` of a known object or the element of a known map; null of dynamic
  // when absent.
  Value GetAttr(const std::string& name) const;

  // An HCL-like rendering for tests and messages: `"a"`, `1.5`, `true`, `null`,
  // `["a", 1]`, `{a = 1}`, `(unknown string)`, `(sensitive "x")`. Set elements print in
  // set order; `toset` shows in the type-free form `set(["a"])`.
  std::string ToDebugString() const;

  // Exact structural identity: same type, same state, same marks, same contents.
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  enum class State : uint8_t { kNull, kUnknown, kKnown };
  using Data = std::variant<std::monostate, bool, Number, std::shared_ptr<const std::string>,
                            std::shared_ptr<const ValueList>, std::shared_ptr<const ValueMap>>;

  Type type_;
  State state_ = State::kNull;
  bool sensitive_ = false;
  // Summaries of the elements, computed once when a collection is built, so the deep
  // questions IsWhollyKnown() and ContainsSensitive() cost O(1).
  bool unknown_inside_ = false;
  bool sensitive_inside_ = false;
  Data data_;

  void Summarize();
};

// A total order on values for sets and sorting: by kind, then null < unknown < known, then
// numbers numerically, strings bytewise, bools false < true, sequences and maps
// lexicographically. Marks are ignored.
int CompareValues(const Value& a, const Value& b);

}  // namespace cf::hcl
