#include "hcl/operators.h"

#include "hcl/convert.h"

namespace cf::hcl {

namespace {

Result<Value> Operand(const Value& v, const Type& want, const char* side) {
  if (v.IsNull()) {
    return InvalidArgumentError(std::string("Unsuitable value for ") + side +
                                " operand: argument must not be null.");
  }
  Result<Value> c = Convert(v, want);
  if (!c.ok()) {
    return InvalidArgumentError(std::string("Unsuitable value for ") + side +
                                " operand: " + c.status().message() + ".");
  }
  return c;
}

Value Mark(Value v, bool sensitive) {
  return sensitive ? v.WithSensitive(true) : v;
}

template <typename F>
Result<Value> Arithmetic(const Value& a, const Value& b, F op) {
  ASSIGN_OR_RETURN(Value x, Operand(a, Type::Number(), "left"));
  ASSIGN_OR_RETURN(Value y, Operand(b, Type::Number(), "right"));
  bool sensitive = x.IsSensitive() || y.IsSensitive();
  if (!x.IsKnown() || !y.IsKnown()) {
    return Mark(Value::Unknown(Type::Number()), sensitive);
  }
  ASSIGN_OR_RETURN(Number n, op(x.AsNumber(), y.AsNumber()));
  return Mark(Value::Num(std::move(n)), sensitive);
}

template <typename F>
Result<Value> Comparison(const Value& a, const Value& b, F pred) {
  ASSIGN_OR_RETURN(Value x, Operand(a, Type::Number(), "left"));
  ASSIGN_OR_RETURN(Value y, Operand(b, Type::Number(), "right"));
  bool sensitive = x.IsSensitive() || y.IsSensitive();
  if (!x.IsKnown() || !y.IsKnown()) {
    return Mark(Value::Unknown(Type::Bool()), sensitive);
  }
  return Mark(Value::Bool(pred(Number::Compare(x.AsNumber(), y.AsNumber()))), sensitive);
}

}  // namespace

Result<Value> Add(const Value& a, const Value& b) {
  return Arithmetic(a, b, [](const Number& x, const Number& y) -> Result<Number> { return x + y; });
}

Result<Value> Subtract(const Value& a, const Value& b) {
  return Arithmetic(a, b, [](const Number& x, const Number& y) -> Result<Number> { return x - y; });
}

Result<Value> Multiply(const Value& a, const Value& b) {
  return Arithmetic(a, b, [](const Number& x, const Number& y) -> Result<Number> { return x * y; });
}

Result<Value> Divide(const Value& a, const Value& b) {
  return Arithmetic(a, b, [](const Number& x, const Number& y) -> Result<Number> {
    if (y.IsZero()) {
      return InvalidArgumentError("Can't divide by zero.");
    }
    return Number::Divide(x, y);
  });
}

Result<Value> Modulo(const Value& a, const Value& b) {
  return Arithmetic(a, b, [](const Number& x, const Number& y) -> Result<Number> {
    if (y.IsZero()) {
      return InvalidArgumentError("Can't divide by zero.");
    }
    return Number::Modulo(x, y);
  });
}

Result<Value> Negate(const Value& a) {
  ASSIGN_OR_RETURN(Value x, Operand(a, Type::Number(), "unary"));
  if (!x.IsKnown()) {
    return Mark(Value::Unknown(Type::Number()), x.IsSensitive());
  }
  return Mark(Value::Num(-x.AsNumber()), x.IsSensitive());
}

Result<Value> LessThan(const Value& a, const Value& b) {
  return Comparison(a, b, [](int c) { return c < 0; });
}

Result<Value> LessOrEqual(const Value& a, const Value& b) {
  return Comparison(a, b, [](int c) { return c <= 0; });
}

Result<Value> GreaterThan(const Value& a, const Value& b) {
  return Comparison(a, b, [](int c) { return c > 0; });
}

Result<Value> GreaterOrEqual(const Value& a, const Value& b) {
  return Comparison(a, b, [](int c) { return c >= 0; });
}

int EqualTriState(const Value& a, const Value& b) {
  if (!a.IsKnown() || !b.IsKnown()) {
    return -1;
  }
  if (a.IsNull() || b.IsNull()) {
    return a.IsNull() && b.IsNull() ? 1 : 0;
  }
  if (a.type() != b.type()) {
    // Structures of the same shape but different element types are still unequal in cty.
    return 0;
  }
  switch (a.type().kind()) {
    case TypeKind::kBool:
      return a.AsBool() == b.AsBool() ? 1 : 0;
    case TypeKind::kNumber:
      return a.AsNumber() == b.AsNumber() ? 1 : 0;
    case TypeKind::kString:
      return a.AsString() == b.AsString() ? 1 : 0;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kTuple: {
      const auto& x = a.Elements();
      const auto& y = b.Elements();
      if (x.size() != y.size()) {
        return 0;
      }
      int result = 1;
      for (size_t i = 0; i < x.size(); ++i) {
        int e = EqualTriState(x[i], y[i]);
        if (e == 0) {
          return 0;
        }
        if (e < 0) {
          result = -1;
        }
      }
      return result;
    }
    case TypeKind::kMap:
    case TypeKind::kObject: {
      const auto& x = a.Attributes();
      const auto& y = b.Attributes();
      if (x.size() != y.size()) {
        return 0;
      }
      int result = 1;
      for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
        if (i->first != j->first) {
          return 0;
        }
        int e = EqualTriState(i->second, j->second);
        if (e == 0) {
          return 0;
        }
        if (e < 0) {
          result = -1;
        }
      }
      return result;
    }
    case TypeKind::kDynamic:
      return -1;
  }
  return 0;
}

Value Equal(const Value& a, const Value& b) {
  bool sensitive = a.ContainsSensitive() || b.ContainsSensitive();
  int e = EqualTriState(a, b);
  return Mark(e < 0 ? Value::Unknown(Type::Bool()) : Value::Bool(e == 1), sensitive);
}

Value NotEqual(const Value& a, const Value& b) {
  bool sensitive = a.ContainsSensitive() || b.ContainsSensitive();
  int e = EqualTriState(a, b);
  return Mark(e < 0 ? Value::Unknown(Type::Bool()) : Value::Bool(e == 0), sensitive);
}

Result<Value> And(const Value& a, const Value& b) {
  ASSIGN_OR_RETURN(Value x, Operand(a, Type::Bool(), "left"));
  ASSIGN_OR_RETURN(Value y, Operand(b, Type::Bool(), "right"));
  bool sensitive = x.IsSensitive() || y.IsSensitive();
  if ((x.IsKnown() && !x.AsBool()) || (y.IsKnown() && !y.AsBool())) {
    return Mark(Value::False(), sensitive);
  }
  if (!x.IsKnown() || !y.IsKnown()) {
    return Mark(Value::Unknown(Type::Bool()), sensitive);
  }
  return Mark(Value::True(), sensitive);
}

Result<Value> Or(const Value& a, const Value& b) {
  ASSIGN_OR_RETURN(Value x, Operand(a, Type::Bool(), "left"));
  ASSIGN_OR_RETURN(Value y, Operand(b, Type::Bool(), "right"));
  bool sensitive = x.IsSensitive() || y.IsSensitive();
  if ((x.IsKnown() && x.AsBool()) || (y.IsKnown() && y.AsBool())) {
    return Mark(Value::True(), sensitive);
  }
  if (!x.IsKnown() || !y.IsKnown()) {
    return Mark(Value::Unknown(Type::Bool()), sensitive);
  }
  return Mark(Value::False(), sensitive);
}

Result<Value> Not(const Value& a) {
  ASSIGN_OR_RETURN(Value x, Operand(a, Type::Bool(), "unary"));
  if (!x.IsKnown()) {
    return Mark(Value::Unknown(Type::Bool()), x.IsSensitive());
  }
  return Mark(Value::Bool(!x.AsBool()), x.IsSensitive());
}

}  // namespace cf::hcl
