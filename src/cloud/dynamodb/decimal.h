#pragma once

// DynamoDB's number type: an exact decimal of at most 38 significant digits with a magnitude
// between 1E-130 and 9.99...E+125 (or zero). Values are kept normalized, so two equal numbers
// have equal representations ("1.50", "1.5" and "15e-1" are one value).

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace cf::cloud::dynamodb {

class Decimal {
 public:
  Decimal() = default;  // Zero.

  // Parses DynamoDB's number syntax: [-]digits[.digits][e[+-]digits], or [-].digits. On
  // failure returns nullopt and sets `*error` to DynamoDB's message (bad syntax, overflow,
  // underflow, more than 38 significant digits).
  static std::optional<Decimal> Parse(std::string_view text, std::string* error);
  static Decimal FromInt(long long value);

  // The canonical text DynamoDB returns: plain notation, no exponent, no trailing zeros
  // ("2.5", "-0.001", "100").
  std::string ToString() const;

  // Exact sum and difference. Returns nullopt (with DynamoDB's message in `*error`) when the
  // result does not fit the number type.
  std::optional<Decimal> Add(const Decimal& other, std::string* error) const;
  std::optional<Decimal> Subtract(const Decimal& other, std::string* error) const;

  bool is_zero() const { return digits_.empty(); }
  bool negative() const { return negative_; }

  // A byte string whose memcmp order is the numeric order (for sort keys).
  std::string SortableEncoding() const;

  // Bytes the value counts for in DynamoDB's item size rules.
  size_t StorageSize() const;

  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) {
    return a.negative_ == b.negative_ && a.digits_ == b.digits_ && a.exponent_ == b.exponent_;
  }

 private:
  // Checks range and precision; returns false with DynamoDB's message.
  bool Fits(std::string* error) const;
  void Normalize();
  // Scientific exponent: the power of ten of the leading digit.
  int AdjustedExponent() const { return exponent_ + static_cast<int>(digits_.size()) - 1; }

  bool negative_ = false;
  std::string digits_;  // Significant digits, no leading or trailing zeros; empty for zero.
  int exponent_ = 0;    // value = digits_ * 10^exponent_.
};

}  // namespace cf::cloud::dynamodb
