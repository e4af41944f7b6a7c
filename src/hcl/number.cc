#include "hcl/number.h"

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <charconv>
#include <cmath>
#include <functional>

namespace cf::hcl {

namespace mp = boost::multiprecision;
using Float = mp::number<mp::cpp_bin_float<512, mp::digit_base_2>, mp::et_off>;

struct BigNumber {
  Float v;
};

namespace {

// Significant digits printed for non-integers: a little under the 153 that 512 bits hold,
// so rounding noise from a few operations never shows ("0.1 + 0.2" prints "0.3").
constexpr int kPrintDigits = 150;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Formats a finite non-zero value from its scientific form "d.ddde+XX" as plain decimal.
std::string PlainDecimal(const Float& v) {
  std::string sci = v.str(kPrintDigits - 1, std::ios_base::scientific);
  bool negative = false;
  size_t i = 0;
  if (sci[0] == '-') {
    negative = true;
    i = 1;
  }
  size_t e = sci.find('e');
  std::string digits;
  for (size_t k = i; k < e; ++k) {
    if (IsDigit(sci[k])) {
      digits.push_back(sci[k]);
    }
  }
  int exponent = std::stoi(sci.substr(e + 1));
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
  }
  // value = 0.d1d2d3... * 10^(exponent+1)
  int point = exponent + 1;  // digits before the decimal point
  std::string out;
  if (negative) {
    out.push_back('-');
  }
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    out += digits;
    out.append(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out += digits.substr(0, point);
    out.push_back('.');
    out += digits.substr(point);
  }
  return out;
}

// Decimal exponents beyond this are parsed by scaling with a power of ten: the general
// string conversion takes time linear in the exponent.
constexpr int kMaxDirectExponent = 4000;

// The decimal exponent of finite non-zero `v` (floor(log10(|v|))) and its significand's
// digits (trailing zeros removed), computed in time independent of the exponent's size.
void Scientific(const Float& v, std::string* digits, int64_t* exponent) {
  Float a = mp::abs(v);
  int e2 = 0;
  (void)mp::frexp(a, &e2);
  int64_t e10 = static_cast<int64_t>(std::floor((e2 - 1) * 0.30102999566398119521));
  Float scaled = a / mp::pow(Float(10), Float(e10));
  while (scaled >= 10) {
    scaled /= 10;
    ++e10;
  }
  while (scaled < 1) {
    scaled *= 10;
    --e10;
  }
  std::string sci = scaled.str(kPrintDigits - 1, std::ios_base::scientific);
  size_t e = sci.find('e');
  digits->clear();
  for (size_t k = 0; k < e; ++k) {
    if (IsDigit(sci[k])) {
      digits->push_back(sci[k]);
    }
  }
  // Rounding to kPrintDigits may have carried into a new leading digit ("9.99..." -> "1e+01").
  e10 += std::stoi(sci.substr(e + 1));
  while (digits->size() > 1 && digits->back() == '0') {
    digits->pop_back();
  }
  *exponent = e10;
}

// "d.ddde+N" / "d.ddde-N" for finite non-zero `v`.
std::string ScientificString(const Float& v) {
  std::string digits;
  int64_t exponent = 0;
  Scientific(v, &digits, &exponent);
  std::string out = v < 0 ? "-" : "";
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += ".";
    out += digits.substr(1);
  }
  out += exponent < 0 ? "e-" : "e+";
  out += std::to_string(exponent < 0 ? -exponent : exponent);
  return out;
}

// The number of decimal digits before the point of finite non-zero `v` (negative for
// 0.000ddd), to within one.
int64_t ApproximateDigits(const Float& v) {
  int e2 = 0;
  (void)mp::frexp(mp::abs(v), &e2);
  return static_cast<int64_t>(std::floor(e2 * 0.30102999566398119521));
}

}  // namespace

Number Number::FromBig(const BigNumber& big) {
  const Float& v = big.v;
  if (mp::isfinite(v) && v == mp::trunc(v) && v >= Float(INT64_MIN) && v <= Float(INT64_MAX)) {
    return Number(static_cast<int64_t>(v));
  }
  return Number(std::make_shared<const BigNumber>(big));
}

BigNumber Number::ToBig() const {
  if (big_) {
    return *big_;
  }
  return BigNumber{Float(small_)};
}

Number Number::FromDouble(double d) {
  if (std::isnan(d)) {
    return Number();
  }
  if (std::isinf(d)) {
    return Infinity(d < 0);
  }
  if (d == std::trunc(d) && std::fabs(d) < 9.0e18) {
    return Number(static_cast<int64_t>(d));
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), d);
  Result<Number> n = Parse(std::string_view(buf, r.ptr - buf));
  return n.ok() ? *n : Number();
}

Number Number::Infinity(bool negative) {
  Float inf = std::numeric_limits<Float>::infinity();
  return Number(std::make_shared<const BigNumber>(BigNumber{negative ? Float(-inf) : inf}));
}

Result<Number> Number::Parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  size_t int_start = i;
  while (i < text.size() && IsDigit(text[i])) {
    ++i;
  }
  size_t int_digits = i - int_start;
  size_t frac_digits = 0;
  bool has_point = false;
  if (i < text.size() && text[i] == '.') {
    has_point = true;
    ++i;
    size_t s = i;
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
    frac_digits = i - s;
  }
  if (int_digits + frac_digits == 0) {
    return InvalidArgumentError("a number is required");
  }
  bool has_exponent = false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    has_exponent = true;
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      ++i;
    }
    size_t s = i;
    while (i < text.size() && IsDigit(text[i])) {
      ++i;
    }
    if (i == s || i - s > 9) {
      return InvalidArgumentError("a number is required");
    }
  }
  if (i != text.size()) {
    return InvalidArgumentError("a number is required");
  }
  if (!has_point && !has_exponent && int_digits <= 18) {
    int64_t v = 0;
    for (size_t k = int_start; k < int_start + int_digits; ++k) {
      v = v * 10 + (text[k] - '0');
    }
    return Number(negative ? -v : v);
  }
  std::string s(text);
  if (s[0] == '+') {
    s.erase(0, 1);
  }
  try {
    if (has_exponent) {
      size_t epos = s.find_first_of("eE");
      int64_t exponent = std::stoll(s.substr(epos + 1));
      if (exponent > kMaxDirectExponent || exponent < -kMaxDirectExponent) {
        Float mantissa(s.substr(0, epos));
        if (mantissa == 0) {
          return FromBig(BigNumber{mantissa});
        }
        return FromBig(BigNumber{mantissa * mp::pow(Float(10), Float(exponent))});
      }
    }
    return FromBig(BigNumber{Float(s)});
  } catch (const std::exception&) {
    return InvalidArgumentError("a number is required");
  }
}

bool Number::IsInteger() const {
  if (!big_) {
    return true;
  }
  return mp::isfinite(big_->v) && big_->v == mp::trunc(big_->v);
}

bool Number::IsZero() const {
  return !big_ && small_ == 0;
}

bool Number::IsNegative() const {
  return big_ ? big_->v < 0 : small_ < 0;
}

bool Number::IsInfinity() const {
  return big_ && mp::isinf(big_->v);
}

std::optional<int64_t> Number::ToInt64() const {
  if (!big_) {
    return small_;
  }
  return std::nullopt;  // Big values are never integers that fit (FromBig normalizes).
}

double Number::ToDouble() const {
  if (!big_) {
    return static_cast<double>(small_);
  }
  return static_cast<double>(big_->v);
}

std::string Number::ToString() const {
  if (!big_) {
    return std::to_string(small_);
  }
  const Float& v = big_->v;
  if (mp::isinf(v)) {
    return v < 0 ? "-Inf" : "+Inf";
  }
  int64_t digits = ApproximateDigits(v);
  if (digits > kMaxPlainDigits || digits < -kMaxPlainDigits) {
    return ScientificString(v);
  }
  if (v == mp::trunc(v)) {
    return static_cast<mp::cpp_int>(v).str();
  }
  return PlainDecimal(v);
}

Number Number::operator-() const {
  if (!big_ && small_ != INT64_MIN) {
    return Number(-small_);
  }
  return FromBig(BigNumber{-ToBig().v});
}

Number operator+(const Number& a, const Number& b) {
  int64_t r;
  if (!a.big_ && !b.big_ && !__builtin_add_overflow(a.small_, b.small_, &r)) {
    return Number(r);
  }
  return Number::FromBig(BigNumber{a.ToBig().v + b.ToBig().v});
}

Number operator-(const Number& a, const Number& b) {
  int64_t r;
  if (!a.big_ && !b.big_ && !__builtin_sub_overflow(a.small_, b.small_, &r)) {
    return Number(r);
  }
  return Number::FromBig(BigNumber{a.ToBig().v - b.ToBig().v});
}

Number operator*(const Number& a, const Number& b) {
  int64_t r;
  if (!a.big_ && !b.big_ && !__builtin_mul_overflow(a.small_, b.small_, &r)) {
    return Number(r);
  }
  return Number::FromBig(BigNumber{a.ToBig().v * b.ToBig().v});
}

Number Number::Divide(const Number& a, const Number& b) {
  if (!a.big_ && !b.big_ && b.small_ != 0 && !(a.small_ == INT64_MIN && b.small_ == -1) &&
      a.small_ % b.small_ == 0) {
    return Number(a.small_ / b.small_);
  }
  return FromBig(BigNumber{a.ToBig().v / b.ToBig().v});
}

Number Number::Modulo(const Number& a, const Number& b) {
  if (!a.big_ && !b.big_ && b.small_ != 0) {
    if (b.small_ == -1) {
      return Number(0);
    }
    return Number(a.small_ % b.small_);
  }
  Float x = a.ToBig().v;
  Float y = b.ToBig().v;
  if (mp::isinf(y)) {
    return a;
  }
  Float q = mp::trunc(x / y);
  return FromBig(BigNumber{x - q * y});
}

Number Number::Abs() const {
  return IsNegative() ? -*this : *this;
}

Number Number::Floor() const {
  if (!big_) {
    return *this;
  }
  return FromBig(BigNumber{mp::floor(big_->v)});
}

Number Number::Ceil() const {
  if (!big_) {
    return *this;
  }
  return FromBig(BigNumber{mp::ceil(big_->v)});
}

int Number::Compare(const Number& a, const Number& b) {
  if (!a.big_ && !b.big_) {
    return a.small_ < b.small_ ? -1 : (a.small_ > b.small_ ? 1 : 0);
  }
  Float x = a.ToBig().v;
  Float y = b.ToBig().v;
  if (x == y) {
    return 0;
  }
  if (mp::isfinite(x) && mp::isfinite(y)) {
    // Values that print the same are the same number: this hides the last bits of rounding
    // noise, as the printed form does.
    Float diff = mp::abs(x - y);
    Float ax = mp::abs(x);
    Float ay = mp::abs(y);
    Float scale = ax > ay ? ax : ay;
    if (diff <= scale * Float("1e-151")) {
      return 0;
    }
  }
  return x < y ? -1 : 1;
}

size_t Number::Hash() const {
  if (!big_) {
    return std::hash<int64_t>()(small_);
  }
  return std::hash<std::string>()(ToString());
}

}  // namespace cf::hcl
