#pragma once

// Type: the cty type system used by HCL values and type constraints.
//
//   primitive:  bool, number, string
//   collection: list(T), set(T), map(T)          (all elements of one type T)
//   structural: object({name = T, ...}), tuple([T, ...])
//   dynamic:    `any` (cty.DynamicPseudoType): a stand-in type that any type satisfies
//
// Object types may mark attributes optional (type constraints only: conversion fills a
// missing optional attribute with null). Types are immutable; primitive types carry no
// allocation and compound types share their storage, so copies are cheap. Thread-compatible.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace cf::hcl {

enum class TypeKind : uint8_t {
  kDynamic,
  kBool,
  kNumber,
  kString,
  kList,
  kSet,
  kMap,
  kObject,
  kTuple,
};

class Type {
 public:
  Type() = default;  // dynamic

  static Type Dynamic() { return Type(TypeKind::kDynamic); }
  static Type Bool() { return Type(TypeKind::kBool); }
  static Type Number() { return Type(TypeKind::kNumber); }
  static Type String() { return Type(TypeKind::kString); }
  static Type List(Type element);
  static Type Set(Type element);
  static Type Map(Type element);
  static Type Object(std::map<std::string, Type> attributes, std::set<std::string> optional = {});
  static Type Tuple(std::vector<Type> elements);
  static Type EmptyObject() { return Object({}); }
  static Type EmptyTuple() { return Tuple({}); }

  TypeKind kind() const { return kind_; }
  bool IsDynamic() const { return kind_ == TypeKind::kDynamic; }
  bool IsPrimitive() const {
    return kind_ == TypeKind::kBool || kind_ == TypeKind::kNumber || kind_ == TypeKind::kString;
  }
  bool IsList() const { return kind_ == TypeKind::kList; }
  bool IsSet() const { return kind_ == TypeKind::kSet; }
  bool IsMap() const { return kind_ == TypeKind::kMap; }
  bool IsObject() const { return kind_ == TypeKind::kObject; }
  bool IsTuple() const { return kind_ == TypeKind::kTuple; }
  // list, set or map.
  bool IsCollection() const { return IsList() || IsSet() || IsMap(); }
  // list, set or tuple: a sequence of elements.
  bool IsSequence() const { return IsList() || IsSet() || IsTuple(); }
  // map or object: string-keyed.
  bool IsMapping() const { return IsMap() || IsObject(); }

  // The element type of a list, set or map (dynamic for any other kind).
  const Type& element() const;
  // The attribute types of an object (empty for any other kind).
  const std::map<std::string, Type>& attributes() const;
  const std::set<std::string>& optional_attributes() const;
  bool HasAttribute(const std::string& name) const;
  // The attribute's type; dynamic when there is no such attribute.
  const Type& AttributeType(const std::string& name) const;
  // The element types of a tuple (empty for any other kind).
  const std::vector<Type>& tuple_elements() const;

  // True when dynamic appears anywhere in the type.
  bool HasDynamic() const;

  // As written in a type constraint: "list(string)", "object({a=number})", "any".
  std::string ToString() const;
  // As in cty's messages: "string", "list of string", "map of number", "object", "tuple",
  // "dynamic".
  std::string FriendlyName() const;

  friend bool operator==(const Type& a, const Type& b);
  friend bool operator!=(const Type& a, const Type& b) { return !(a == b); }

 private:
  struct Impl;
  explicit Type(TypeKind kind) : kind_(kind) {}
  Type(TypeKind kind, std::shared_ptr<const Impl> impl) : kind_(kind), impl_(std::move(impl)) {}

  TypeKind kind_ = TypeKind::kDynamic;
  std::shared_ptr<const Impl> impl_;  // Null for primitive and dynamic types.
};

}  // namespace cf::hcl
