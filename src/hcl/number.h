#pragma once

// Number: the HCL/cty number, exact for integers of any size and for decimal fractions to
// about 150 significant digits.
//
// cty stores numbers as Go big.Float with a 512-bit mantissa; Number does the same with
// boost::multiprecision::cpp_bin_float<512> (see docs/hcl-values.md). Integers that fit in an
// int64 take a fast path (no allocation); everything else lives in shared immutable storage,
// so a Number is always cheap to copy. Numbers print without exponent and without a trailing
// ".0" for integers ("3", "0.3", "-1.5"), except values whose plain form would need more than
// kMaxPlainDigits digits ("1e+99999999", "1.5e-5000"): printing those in full would take
// unbounded time and memory.
//
// Thread-compatible: a Number is immutable; copies may be used from any thread.

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::hcl {

struct BigNumber;  // The 512-bit float; defined in number.cc.

class Number {
 public:
  Number() = default;               // Zero.
  Number(int64_t v) : small_(v) {}  // NOLINT: implicit from integers by design.
  Number(int v) : small_(v) {}      // NOLINT

  // The shortest decimal that reads back as `d` (so 0.1 stays 0.1). NaN becomes zero.
  static Number FromDouble(double d);
  // Positive or negative infinity (what log(0) returns).
  static Number Infinity(bool negative);

  // Parses a decimal number: optional sign, digits, optional fraction, optional exponent
  // ("12", "-1.5", "1e3", ".5"). Surrounding spaces, hex, "inf" and "nan" are refused with
  // InvalidArgument.
  static Result<Number> Parse(std::string_view text);

  bool IsInteger() const;
  bool IsZero() const;
  bool IsNegative() const;
  bool IsInfinity() const;
  // The value when it is an integer that fits an int64.
  std::optional<int64_t> ToInt64() const;
  double ToDouble() const;
  // "3", "0.3", "-12.25", "1000000000000000000000"; infinities print as "+Inf" / "-Inf";
  // beyond kMaxPlainDigits digits, scientific "d.ddde+N" (which Parse reads back).
  std::string ToString() const;
  static constexpr int kMaxPlainDigits = 1000;

  Number operator-() const;
  friend Number operator+(const Number& a, const Number& b);
  friend Number operator-(const Number& a, const Number& b);
  friend Number operator*(const Number& a, const Number& b);
  // Quotient; `b` must not be zero (callers report division by zero themselves).
  static Number Divide(const Number& a, const Number& b);
  // Remainder of truncated division (sign of `a`), like cty; `b` must not be zero.
  static Number Modulo(const Number& a, const Number& b);
  Number Abs() const;
  Number Floor() const;
  Number Ceil() const;

  // -1, 0 or 1.
  static int Compare(const Number& a, const Number& b);
  friend bool operator==(const Number& a, const Number& b) { return Compare(a, b) == 0; }
  friend std::strong_ordering operator<=>(const Number& a, const Number& b) {
    return Compare(a, b) <=> 0;
  }
  size_t Hash() const;

 private:
  explicit Number(std::shared_ptr<const BigNumber> big) : big_(std::move(big)) {}
  static Number FromBig(const BigNumber& big);
  BigNumber ToBig() const;

  int64_t small_ = 0;                     // The value when big_ is null.
  std::shared_ptr<const BigNumber> big_;  // Set only for values that are not small integers.
};

}  // namespace cf::hcl
