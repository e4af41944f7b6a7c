#include "cloud/dynamodb/decimal.h"

#include <algorithm>
#include <cstdint>

namespace cf::cloud::dynamodb {
namespace {

constexpr int kMaxDigits = 38;
constexpr int kMaxAdjustedExponent = 125;
constexpr int kMinAdjustedExponent = -130;
constexpr int kMaxExponentText = 100000;  // Bounds exponent parsing; far outside the range.

int CompareMagnitude(const std::string& a_digits, int a_exp, const std::string& b_digits,
                     int b_exp) {
  if (a_digits.empty() || b_digits.empty()) {
    return a_digits.empty() ? (b_digits.empty() ? 0 : -1) : 1;
  }
  int a_adj = a_exp + static_cast<int>(a_digits.size());
  int b_adj = b_exp + static_cast<int>(b_digits.size());
  if (a_adj != b_adj) {
    return a_adj < b_adj ? -1 : 1;
  }
  size_t n = std::max(a_digits.size(), b_digits.size());
  for (size_t i = 0; i < n; ++i) {
    char a = i < a_digits.size() ? a_digits[i] : '0';
    char b = i < b_digits.size() ? b_digits[i] : '0';
    if (a != b) {
      return a < b ? -1 : 1;
    }
  }
  return 0;
}

// Aligns two digit strings to a common exponent: returns (a, b, exponent) with equal length.
void Align(const std::string& a, int a_exp, const std::string& b, int b_exp, std::string* out_a,
           std::string* out_b, int* exp) {
  *exp = std::min(a_exp, b_exp);
  *out_a = a + std::string(static_cast<size_t>(a_exp - *exp), '0');
  *out_b = b + std::string(static_cast<size_t>(b_exp - *exp), '0');
  size_t n = std::max(out_a->size(), out_b->size());
  out_a->insert(0, n - out_a->size(), '0');
  out_b->insert(0, n - out_b->size(), '0');
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text, std::string* error) {
  auto bad = [&]() -> std::optional<Decimal> {
    *error = "The parameter cannot be converted to a numeric value: " + std::string(text);
    return std::nullopt;
  };
  if (text.empty()) {
    *error = "The parameter cannot be converted to a numeric value";
    return std::nullopt;
  }
  Decimal d;
  size_t i = 0;
  if (text[i] == '-') {  // No "+": DynamoDB rejects it.
    d.negative_ = true;
    ++i;
  }
  std::string digits;
  int frac_digits = 0;
  bool any_digit = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    digits.push_back(text[i++]);
    any_digit = true;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      digits.push_back(text[i++]);
      ++frac_digits;
      any_digit = true;
    }
  }
  if (!any_digit) {
    return bad();
  }
  long long exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    bool any_exp = false;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (exp < kMaxExponentText) {
        exp = exp * 10 + (text[i] - '0');
      }
      ++i;
      any_exp = true;
    }
    if (!any_exp) {
      return bad();
    }
    if (exp_negative) {
      exp = -exp;
    }
  }
  if (i != text.size()) {
    return bad();
  }
  // Leading zeros do not count; trailing zeros move into the exponent.
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {
    return Decimal();
  }
  digits.erase(0, first);
  d.digits_ = std::move(digits);
  d.exponent_ = static_cast<int>(exp) - frac_digits;
  d.Normalize();
  if (!d.Fits(error)) {
    return std::nullopt;
  }
  return d;
}

Decimal Decimal::FromInt(long long value) {
  Decimal d;
  if (value == 0) {
    return d;
  }
  d.negative_ = value < 0;
  unsigned long long magnitude = d.negative_ ? 0ULL - static_cast<unsigned long long>(value)
                                             : static_cast<unsigned long long>(value);
  d.digits_ = std::to_string(magnitude);
  d.Normalize();
  return d;
}

void Decimal::Normalize() {
  size_t first = digits_.find_first_not_of('0');
  if (first == std::string::npos) {
    digits_.clear();
    exponent_ = 0;
    negative_ = false;
    return;
  }
  digits_.erase(0, first);
  size_t last = digits_.find_last_not_of('0');
  exponent_ += static_cast<int>(digits_.size() - 1 - last);
  digits_.resize(last + 1);
}

bool Decimal::Fits(std::string* error) const {
  if (digits_.empty()) {
    return true;
  }
  if (AdjustedExponent() > kMaxAdjustedExponent) {
    *error =
        "Number overflow. Attempting to store a number with magnitude larger than supported "
        "range";
    return false;
  }
  if (AdjustedExponent() < kMinAdjustedExponent) {
    *error =
        "Number underflow. Attempting to store a number with magnitude smaller than "
        "supported range";
    return false;
  }
  if (digits_.size() > static_cast<size_t>(kMaxDigits)) {
    *error = "Attempting to store more than 38 significant digits in a Number";
    return false;
  }
  return true;
}

std::string Decimal::ToString() const {
  if (digits_.empty()) {
    return "0";
  }
  std::string out = negative_ ? "-" : "";
  int n = static_cast<int>(digits_.size());
  if (exponent_ >= 0) {
    out += digits_;
    out.append(static_cast<size_t>(exponent_), '0');
  } else if (-exponent_ < n) {
    out += digits_.substr(0, static_cast<size_t>(n + exponent_));
    out += '.';
    out += digits_.substr(static_cast<size_t>(n + exponent_));
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-exponent_ - n), '0');
    out += digits_;
  }
  return out;
}

std::optional<Decimal> Decimal::Add(const Decimal& other, std::string* error) const {
  if (other.digits_.empty()) {
    return *this;
  }
  if (digits_.empty()) {
    return other;
  }
  std::string a;
  std::string b;
  int exp = 0;
  Align(digits_, exponent_, other.digits_, other.exponent_, &a, &b, &exp);
  Decimal result;
  result.exponent_ = exp;
  if (negative_ == other.negative_) {
    result.negative_ = negative_;
    std::string sum(a.size() + 1, '0');
    int carry = 0;
    for (size_t k = a.size(); k-- > 0;) {
      int s = (a[k] - '0') + (b[k] - '0') + carry;
      sum[k + 1] = static_cast<char>('0' + s % 10);
      carry = s / 10;
    }
    sum[0] = static_cast<char>('0' + carry);
    result.digits_ = std::move(sum);
  } else {
    int cmp = a.compare(b);
    if (cmp == 0) {
      return Decimal();
    }
    const std::string& big = cmp > 0 ? a : b;
    const std::string& small = cmp > 0 ? b : a;
    result.negative_ = cmp > 0 ? negative_ : other.negative_;
    std::string diff(big.size(), '0');
    int borrow = 0;
    for (size_t k = big.size(); k-- > 0;) {
      int s = (big[k] - '0') - (small[k] - '0') - borrow;
      borrow = s < 0 ? 1 : 0;
      diff[k] = static_cast<char>('0' + (s + 10) % 10);
    }
    result.digits_ = std::move(diff);
  }
  result.Normalize();
  if (!result.Fits(error)) {
    return std::nullopt;
  }
  return result;
}

std::optional<Decimal> Decimal::Subtract(const Decimal& other, std::string* error) const {
  Decimal negated = other;
  if (!negated.digits_.empty()) {
    negated.negative_ = !negated.negative_;
  }
  return Add(negated, error);
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  int sign_a = a.digits_.empty() ? 0 : (a.negative_ ? -1 : 1);
  int sign_b = b.digits_.empty() ? 0 : (b.negative_ ? -1 : 1);
  if (sign_a != sign_b) {
    return sign_a <=> sign_b;
  }
  if (sign_a == 0) {
    return std::strong_ordering::equal;
  }
  int magnitude = CompareMagnitude(a.digits_, a.exponent_, b.digits_, b.exponent_);
  if (sign_a < 0) {
    magnitude = -magnitude;
  }
  return magnitude <=> 0;
}

std::string Decimal::SortableEncoding() const {
  // Zero is 0x01; positives 0x02 + (adjusted exponent, biased, big-endian) + digits; negatives
  // 0x00 + inverted exponent + inverted digits + 0xFF so that longer runs sort first.
  std::string out;
  if (digits_.empty()) {
    out.push_back('\x01');
    return out;
  }
  uint16_t biased = static_cast<uint16_t>(AdjustedExponent() + 1000);
  if (!negative_) {
    out.push_back('\x02');
    out.push_back(static_cast<char>(biased >> 8));
    out.push_back(static_cast<char>(biased & 0xFF));
    out += digits_;
  } else {
    uint16_t inverted = static_cast<uint16_t>(0xFFFF - biased);
    out.push_back('\x00');
    out.push_back(static_cast<char>(inverted >> 8));
    out.push_back(static_cast<char>(inverted & 0xFF));
    for (char c : digits_) {
      out.push_back(static_cast<char>(0xFF - static_cast<unsigned char>(c)));
    }
    out.push_back('\xFF');
  }
  return out;
}

size_t Decimal::StorageSize() const {
  if (digits_.empty()) {
    return 1;
  }
  // DynamoDB stores two digits a byte, plus a byte of exponent, plus one for negatives.
  size_t digits = digits_.size();
  bool odd_start = (AdjustedExponent() % 2) != 0;
  size_t pairs = (digits + (odd_start ? 1 : 0) + 1) / 2;
  return 1 + pairs + (negative_ ? 1 : 0);
}

}  // namespace cf::cloud::dynamodb
