// Numeric functions: min, max, abs, ceil, floor, pow, signum, log, parseint.

#include <cctype>
#include <cmath>

#include "hcl/functions_internal.h"

namespace cf::hcl {

namespace {

using fn::Def;
using fn::P;

const Type kN = Type::Number();

Value N(Number n) {
  return Value::Num(std::move(n));
}

}  // namespace

void RegisterNumericFunctions(FunctionTable& t) {
  for (bool is_max : {false, true}) {
    Def(t, is_max ? "max" : "min", {}, P("numbers", kN), kN,
        [is_max](const CallArgs& args) -> Result<Value> {
          if (args.size() == 0) {
            return InvalidArgumentError("must pass at least one number");
          }
          Number best = args[0].AsNumber();
          for (size_t i = 1; i < args.size(); ++i) {
            const Number& n = args[i].AsNumber();
            if (is_max ? n > best : n < best) {
              best = n;
            }
          }
          return N(best);
        });
  }
  Def(t, "abs", {P("num", kN)}, std::nullopt, kN,
      [](const CallArgs& args) -> Result<Value> { return N(args[0].AsNumber().Abs()); });
  Def(t, "ceil", {P("num", kN)}, std::nullopt, kN,
      [](const CallArgs& args) -> Result<Value> { return N(args[0].AsNumber().Ceil()); });
  Def(t, "floor", {P("num", kN)}, std::nullopt, kN,
      [](const CallArgs& args) -> Result<Value> { return N(args[0].AsNumber().Floor()); });
  Def(t, "signum", {P("num", kN)}, std::nullopt, kN, [](const CallArgs& args) -> Result<Value> {
    const Number& n = args[0].AsNumber();
    return N(n.IsZero() ? 0 : (n.IsNegative() ? -1 : 1));
  });
  Def(t, "pow", {P("num", kN), P("power", kN)}, std::nullopt, kN,
      [](const CallArgs& args) -> Result<Value> {
        const Number& base = args[0].AsNumber();
        std::optional<int64_t> exp = args[1].AsNumber().ToInt64();
        if (exp && *exp >= 0 && *exp <= 4096 && base.IsInteger()) {
          Number r = 1;
          for (int64_t i = 0; i < *exp; ++i) {
            r = r * base;
          }
          return N(r);
        }
        return N(Number::FromDouble(std::pow(base.ToDouble(), args[1].AsNumber().ToDouble())));
      });
  Def(t, "log", {P("num", kN), P("base", kN)}, std::nullopt, kN,
      [](const CallArgs& args) -> Result<Value> {
        double x = args[0].AsNumber().ToDouble();
        double b = args[1].AsNumber().ToDouble();
        if (x == 0) {
          return N(Number::Infinity(true));
        }
        return N(Number::FromDouble(std::log(x) / std::log(b)));
      });
  Def(t, "parseint", {P("number", Type::String()), P("base", kN)}, std::nullopt, kN,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(int64_t base, fn::WholeNumber(args, 1));
        if (base < 2 || base > 62) {
          return args.ArgError(1, "base must be a whole number between 2 and 62 inclusive");
        }
        const std::string& s = args[0].AsString();
        auto fail = [&]() {
          return args.ArgError(
              0, "cannot parse \"" + s + "\" as a base " + std::to_string(base) + " integer");
        };
        size_t i = 0;
        bool negative = false;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
          negative = s[i] == '-';
          ++i;
        }
        if (i >= s.size()) {
          return fail();
        }
        Number value;
        for (; i < s.size(); ++i) {
          char c = s[i];
          int d;
          if (c >= '0' && c <= '9') {
            d = c - '0';
          } else if (c >= 'a' && c <= 'z') {
            d = c - 'a' + 10;
          } else if (c >= 'A' && c <= 'Z') {
            d = base <= 36 ? c - 'A' + 10 : c - 'A' + 36;
          } else {
            return fail();
          }
          if (d >= base) {
            return fail();
          }
          value = value * Number(base) + Number(d);
        }
        return N(negative ? -value : value);
      });
}

}  // namespace cf::hcl
