#include "hcl/value.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace cf::hcl {

namespace {

const ValueList& EmptyList() {
  static const ValueList kEmpty;
  return kEmpty;
}

const ValueMap& EmptyMap() {
  static const ValueMap kEmpty;
  return kEmpty;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) {
    return false;
  }
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
  return out + "\"";
}

// Sort rank of a type kind for CompareValues.
int KindRank(const Type& t) {
  return static_cast<int>(t.kind());
}

}  // namespace

Value Value::Null(Type type) {
  Value v;
  v.type_ = std::move(type);
  v.state_ = State::kNull;
  return v;
}

Value Value::Unknown(Type type) {
  Value v;
  v.type_ = std::move(type);
  v.state_ = State::kUnknown;
  return v;
}

Value Value::Bool(bool b) {
  Value v;
  v.type_ = Type::Bool();
  v.state_ = State::kKnown;
  v.data_ = b;
  return v;
}

Value Value::Num(Number n) {
  Value v;
  v.type_ = Type::Number();
  v.state_ = State::kKnown;
  v.data_ = std::move(n);
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.type_ = Type::String();
  v.state_ = State::kKnown;
  v.data_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::List(Type element, ValueList elements) {
  Value v;
  v.type_ = Type::List(std::move(element));
  v.state_ = State::kKnown;
  v.data_ = std::make_shared<const ValueList>(std::move(elements));
  v.Summarize();
  return v;
}

Value Value::ListOf(ValueList elements) {
  Type t = elements.empty() ? Type::Dynamic() : elements.front().type();
  return List(std::move(t), std::move(elements));
}

Value Value::Set(Type element, ValueList elements) {
  std::sort(elements.begin(), elements.end(),
            [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
  ValueList unique;
  unique.reserve(elements.size());
  for (auto& e : elements) {
    // Unknown elements may or may not equal others: keep each of them.
    if (!unique.empty() && e.IsWhollyKnown() && CompareValues(unique.back(), e) == 0) {
      if (e.IsSensitive()) {
        unique.back() = unique.back().WithSensitive(true);
      }
      continue;
    }
    unique.push_back(std::move(e));
  }
  Value v;
  v.type_ = Type::Set(std::move(element));
  v.state_ = State::kKnown;
  v.data_ = std::make_shared<const ValueList>(std::move(unique));
  v.Summarize();
  return v;
}

Value Value::Map(Type element, ValueMap elements) {
  Value v;
  v.type_ = Type::Map(std::move(element));
  v.state_ = State::kKnown;
  v.data_ = std::make_shared<const ValueMap>(std::move(elements));
  v.Summarize();
  return v;
}

Value Value::Object(ValueMap attributes) {
  std::map<std::string, Type> types;
  for (const auto& [name, value] : attributes) {
    types.emplace(name, value.type());
  }
  Value v;
  v.type_ = Type::Object(std::move(types));
  v.state_ = State::kKnown;
  v.data_ = std::make_shared<const ValueMap>(std::move(attributes));
  v.Summarize();
  return v;
}

Value Value::Tuple(ValueList elements) {
  std::vector<Type> types;
  types.reserve(elements.size());
  for (const auto& e : elements) {
    types.push_back(e.type());
  }
  Value v;
  v.type_ = Type::Tuple(std::move(types));
  v.state_ = State::kKnown;
  v.data_ = std::make_shared<const ValueList>(std::move(elements));
  v.Summarize();
  return v;
}

bool Value::IsWhollyKnown() const {
  return state_ != State::kUnknown && !unknown_inside_;
}

bool Value::ContainsSensitive() const {
  return sensitive_ || sensitive_inside_;
}

void Value::Summarize() {
  unknown_inside_ = false;
  sensitive_inside_ = false;
  if (auto* list = std::get_if<std::shared_ptr<const ValueList>>(&data_)) {
    for (const auto& e : **list) {
      unknown_inside_ = unknown_inside_ || !e.IsWhollyKnown();
      sensitive_inside_ = sensitive_inside_ || e.ContainsSensitive();
    }
  } else if (auto* map = std::get_if<std::shared_ptr<const ValueMap>>(&data_)) {
    for (const auto& [k, e] : **map) {
      unknown_inside_ = unknown_inside_ || !e.IsWhollyKnown();
      sensitive_inside_ = sensitive_inside_ || e.ContainsSensitive();
    }
  }
}

Value Value::WithSensitive(bool sensitive) const {
  Value v = *this;
  v.sensitive_ = sensitive;
  return v;
}

Value Value::UnmarkDeep() const {
  if (!ContainsSensitive()) {
    return *this;
  }
  Value v = *this;
  v.sensitive_ = false;
  if (auto* list = std::get_if<std::shared_ptr<const ValueList>>(&data_)) {
    ValueList out;
    out.reserve((*list)->size());
    for (const auto& e : **list) {
      out.push_back(e.UnmarkDeep());
    }
    v.data_ = std::make_shared<const ValueList>(std::move(out));
  } else if (auto* map = std::get_if<std::shared_ptr<const ValueMap>>(&data_)) {
    ValueMap out;
    for (const auto& [k, e] : **map) {
      out.emplace(k, e.UnmarkDeep());
    }
    v.data_ = std::make_shared<const ValueMap>(std::move(out));
  }
  v.Summarize();
  return v;
}

bool Value::AsBool() const {
  if (auto* b = std::get_if<bool>(&data_)) {
    return *b;
  }
  std::abort();
}

const Number& Value::AsNumber() const {
  if (auto* n = std::get_if<Number>(&data_)) {
    return *n;
  }
  std::abort();
}

const std::string& Value::AsString() const {
  if (auto* s = std::get_if<std::shared_ptr<const std::string>>(&data_)) {
    return **s;
  }
  std::abort();
}

const ValueList& Value::Elements() const {
  if (auto* list = std::get_if<std::shared_ptr<const ValueList>>(&data_)) {
    return **list;
  }
  return EmptyList();
}

const ValueMap& Value::Attributes() const {
  if (auto* map = std::get_if<std::shared_ptr<const ValueMap>>(&data_)) {
    return **map;
  }
  return EmptyMap();
}

size_t Value::Length() const {
  if (auto* list = std::get_if<std::shared_ptr<const ValueList>>(&data_)) {
    return (*list)->size();
  }
  if (auto* map = std::get_if<std::shared_ptr<const ValueMap>>(&data_)) {
    return (*map)->size();
  }
  return 0;
}

Value Value::GetAttr(const std::string& name) const {
  const ValueMap& attrs = Attributes();
  auto it = attrs.find(name);
  return it == attrs.end() ? Value() : it->second;
}

std::string Value::ToDebugString() const {
  std::string inner;
  if (state_ == State::kNull) {
    inner = "null";
  } else if (state_ == State::kUnknown) {
    inner = "(unknown " + type_.ToString() + ")";
  } else {
    switch (type_.kind()) {
      case TypeKind::kBool:
        inner = AsBool() ? "true" : "false";
        break;
      case TypeKind::kNumber:
        inner = AsNumber().ToString();
        break;
      case TypeKind::kString:
        inner = Quote(AsString());
        break;
      case TypeKind::kList:
      case TypeKind::kSet:
      case TypeKind::kTuple: {
        inner = type_.IsSet() ? "toset([" : "[";
        bool first = true;
        for (const auto& e : Elements()) {
          if (!first) {
            inner += ", ";
          }
          first = false;
          inner += e.ToDebugString();
        }
        inner += type_.IsSet() ? "])" : "]";
        break;
      }
      case TypeKind::kMap:
      case TypeKind::kObject: {
        inner = "{";
        bool first = true;
        for (const auto& [k, e] : Attributes()) {
          if (!first) {
            inner += ", ";
          }
          first = false;
          inner += (IsIdentifier(k) ? k : Quote(k)) + " = " + e.ToDebugString();
        }
        inner += "}";
        break;
      }
      case TypeKind::kDynamic:
        inner = "?";
        break;
    }
  }
  if (sensitive_) {
    return "(sensitive " + inner + ")";
  }
  return inner;
}

bool operator==(const Value& a, const Value& b) {
  if (a.state_ != b.state_ || a.sensitive_ != b.sensitive_ || a.type_ != b.type_) {
    return false;
  }
  if (a.state_ != Value::State::kKnown) {
    return true;
  }
  if (a.data_.index() != b.data_.index()) {
    return false;
  }
  switch (a.type_.kind()) {
    case TypeKind::kBool:
      return a.AsBool() == b.AsBool();
    case TypeKind::kNumber:
      return a.AsNumber() == b.AsNumber();
    case TypeKind::kString:
      return a.AsString() == b.AsString();
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kTuple:
      return a.Elements() == b.Elements();
    case TypeKind::kMap:
    case TypeKind::kObject:
      return a.Attributes() == b.Attributes();
    case TypeKind::kDynamic:
      return true;
  }
  return false;
}

int CompareValues(const Value& a, const Value& b) {
  int ka = KindRank(a.type());
  int kb = KindRank(b.type());
  if (ka != kb) {
    return ka < kb ? -1 : 1;
  }
  int sa = a.IsNull() ? 0 : (a.IsKnown() ? 2 : 1);
  int sb = b.IsNull() ? 0 : (b.IsKnown() ? 2 : 1);
  if (sa != sb) {
    return sa < sb ? -1 : 1;
  }
  if (sa != 2) {
    return 0;
  }
  switch (a.type().kind()) {
    case TypeKind::kBool:
      return a.AsBool() == b.AsBool() ? 0 : (a.AsBool() ? 1 : -1);
    case TypeKind::kNumber:
      return Number::Compare(a.AsNumber(), b.AsNumber());
    case TypeKind::kString: {
      int c = a.AsString().compare(b.AsString());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kTuple: {
      const auto& x = a.Elements();
      const auto& y = b.Elements();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = CompareValues(x[i], y[i]);
        if (c != 0) {
          return c;
        }
      }
      return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
    }
    case TypeKind::kMap:
    case TypeKind::kObject: {
      const auto& x = a.Attributes();
      const auto& y = b.Attributes();
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        int c = i->first.compare(j->first);
        if (c != 0) {
          return c < 0 ? -1 : 1;
        }
        c = CompareValues(i->second, j->second);
        if (c != 0) {
          return c;
        }
      }
      return x.size() == y.size() ? 0 : (x.size() < y.size() ? -1 : 1);
    }
    case TypeKind::kDynamic:
      return 0;
  }
  return 0;
}

}  // namespace cf::hcl
