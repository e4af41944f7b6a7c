#include "hcl/type.h"

namespace cf::hcl {

struct Type::Impl {
  Type element;                            // list, set, map
  std::map<std::string, Type> attributes;  // object
  std::set<std::string> optional;          // object
  std::vector<Type> elements;              // tuple
};

namespace {

const Type& DynamicType() {
  static const Type kDynamic;
  return kDynamic;
}

}  // namespace

Type Type::List(Type element) {
  auto impl = std::make_shared<Impl>();
  impl->element = std::move(element);
  return Type(TypeKind::kList, std::move(impl));
}

Type Type::Set(Type element) {
  auto impl = std::make_shared<Impl>();
  impl->element = std::move(element);
  return Type(TypeKind::kSet, std::move(impl));
}

Type Type::Map(Type element) {
  auto impl = std::make_shared<Impl>();
  impl->element = std::move(element);
  return Type(TypeKind::kMap, std::move(impl));
}

Type Type::Object(std::map<std::string, Type> attributes, std::set<std::string> optional) {
  auto impl = std::make_shared<Impl>();
  impl->attributes = std::move(attributes);
  impl->optional = std::move(optional);
  return Type(TypeKind::kObject, std::move(impl));
}

Type Type::Tuple(std::vector<Type> elements) {
  auto impl = std::make_shared<Impl>();
  impl->elements = std::move(elements);
  return Type(TypeKind::kTuple, std::move(impl));
}

const Type& Type::element() const {
  if (impl_ && (IsList() || IsSet() || IsMap())) {
    return impl_->element;
  }
  return DynamicType();
}

const std::map<std::string, Type>& Type::attributes() const {
  static const std::map<std::string, Type> kNone;
  return impl_ && IsObject() ? impl_->attributes : kNone;
}

const std::set<std::string>& Type::optional_attributes() const {
  static const std::set<std::string> kNone;
  return impl_ && IsObject() ? impl_->optional : kNone;
}

bool Type::HasAttribute(const std::string& name) const {
  return attributes().count(name) > 0;
}

const Type& Type::AttributeType(const std::string& name) const {
  const auto& attrs = attributes();
  auto it = attrs.find(name);
  return it == attrs.end() ? DynamicType() : it->second;
}

const std::vector<Type>& Type::tuple_elements() const {
  static const std::vector<Type> kNone;
  return impl_ && IsTuple() ? impl_->elements : kNone;
}

bool Type::HasDynamic() const {
  switch (kind_) {
    case TypeKind::kDynamic:
      return true;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      return element().HasDynamic();
    case TypeKind::kObject:
      for (const auto& [name, t] : attributes()) {
        if (t.HasDynamic()) {
          return true;
        }
      }
      return false;
    case TypeKind::kTuple:
      for (const auto& t : tuple_elements()) {
        if (t.HasDynamic()) {
          return true;
        }
      }
      return false;
    default:
      return false;
  }
}

std::string Type::ToString() const {
  switch (kind_) {
    case TypeKind::kDynamic:
      return "any";
    case TypeKind::kBool:
      return "bool";
    case TypeKind::kNumber:
      return "number";
    case TypeKind::kString:
      return "string";
    case TypeKind::kList:
      return "list(" + element().ToString() + ")";
    case TypeKind::kSet:
      return "set(" + element().ToString() + ")";
    case TypeKind::kMap:
      return "map(" + element().ToString() + ")";
    case TypeKind::kObject: {
      std::string out = "object({";
      bool first = true;
      for (const auto& [name, t] : attributes()) {
        if (!first) {
          out += ",";
        }
        first = false;
        out += name + "=";
        if (optional_attributes().count(name)) {
          out += "optional(" + t.ToString() + ")";
        } else {
          out += t.ToString();
        }
      }
      return out + "})";
    }
    case TypeKind::kTuple: {
      std::string out = "tuple([";
      bool first = true;
      for (const auto& t : tuple_elements()) {
        if (!first) {
          out += ",";
        }
        first = false;
        out += t.ToString();
      }
      return out + "])";
    }
  }
  return "any";
}

std::string Type::FriendlyName() const {
  switch (kind_) {
    case TypeKind::kDynamic:
      return "dynamic";
    case TypeKind::kList:
      return "list of " + element().FriendlyName();
    case TypeKind::kSet:
      return "set of " + element().FriendlyName();
    case TypeKind::kMap:
      return "map of " + element().FriendlyName();
    case TypeKind::kObject:
      return "object";
    case TypeKind::kTuple:
      return "tuple";
    default:
      return ToString();
  }
}

bool operator==(const Type& a, const Type& b) {
  if (a.kind_ != b.kind_) {
    return false;
  }
  if (a.impl_ == b.impl_) {
    return true;
  }
  switch (a.kind_) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      return a.element() == b.element();
    case TypeKind::kObject:
      return a.attributes() == b.attributes() && a.optional_attributes() == b.optional_attributes();
    case TypeKind::kTuple:
      return a.tuple_elements() == b.tuple_elements();
    default:
      return true;
  }
}

}  // namespace cf::hcl
