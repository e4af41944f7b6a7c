#include "hcl/number.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::hcl {
namespace {

Number N(std::string_view text) {
  Result<Number> n = Number::Parse(text);
  EXPECT_OK(n);
  return n.ok() ? *n : Number();
}

TEST(NumberTest, IntegersPrintWithoutFraction) {
  EXPECT_EQ(N("3").ToString(), "3");
  EXPECT_EQ(N("3.0").ToString(), "3");
  EXPECT_EQ(N("1e3").ToString(), "1000");
  EXPECT_EQ(N("-42").ToString(), "-42");
}

TEST(NumberTest, DecimalFractionsAreExactEnough) {
  EXPECT_EQ((N("0.1") + N("0.2")).ToString(), "0.3");
  EXPECT_EQ(N("0.1") + N("0.2"), N("0.3"));
  EXPECT_EQ(N("1.5").ToString(), "1.5");
  EXPECT_EQ(N("-0.000125").ToString(), "-0.000125");
  EXPECT_EQ(N("12.25e1").ToString(), "122.5");
}

TEST(NumberTest, HugeExponentsParseAndPrintInBoundedForm) {
  // Found by hcl_eval_fuzz: "${1e99999999}" used to print 100 million digits (quadratically)
  // and parsing 1e-99999999 took time linear in the exponent.
  EXPECT_EQ(N("1e99999999").ToString(), "1e+99999999");
  EXPECT_EQ(N("-1.5e99999999").ToString(), "-1.5e+99999999");
  EXPECT_EQ(N("2.5e-99999999").ToString(), "2.5e-99999999");
  EXPECT_EQ(N("1e5000").ToString(), "1e+5000");
  EXPECT_EQ(N(N("1e5000").ToString()), N("1e5000"));
  EXPECT_EQ(N("1e99999999") * Number(2), N("2e99999999"));
  EXPECT_EQ(N("0e99999999"), Number(0));
  // Up to kMaxPlainDigits digits, numbers still print in full.
  EXPECT_EQ(N("1e999").ToString().size(), 1000u);
  EXPECT_EQ(N("1e-999").ToString(), "0." + std::string(998, '0') + "1");
}

TEST(NumberTest, BigIntegersStayExact) {
  Number big = N("123456789012345678901234567890");
  EXPECT_EQ(big.ToString(), "123456789012345678901234567890");
  EXPECT_EQ((big + Number(1)).ToString(), "123456789012345678901234567891");
  Number max = Number(INT64_MAX);
  EXPECT_EQ((max + Number(1)).ToString(), "9223372036854775808");
  EXPECT_EQ((max * Number(2)).ToString(), "18446744073709551614");
  EXPECT_EQ(N("1e30").ToString(), "1000000000000000000000000000000");
}

TEST(NumberTest, RefusesHexInfAndJunk) {
  EXPECT_FALSE(Number::Parse("0x10").ok());
  EXPECT_FALSE(Number::Parse("inf").ok());
  EXPECT_FALSE(Number::Parse("NaN").ok());
  EXPECT_FALSE(Number::Parse("").ok());
  EXPECT_FALSE(Number::Parse(" 1").ok());
  EXPECT_FALSE(Number::Parse("1.2.3").ok());
  EXPECT_FALSE(Number::Parse("1e").ok());
  EXPECT_EQ(N(".5").ToString(), "0.5");
  EXPECT_EQ(N("+7").ToString(), "7");
}

TEST(NumberTest, DivisionAndModulo) {
  EXPECT_EQ(Number::Divide(10, 4).ToString(), "2.5");
  EXPECT_EQ(Number::Divide(10, 5).ToString(), "2");
  EXPECT_EQ(Number::Divide(1, 3).ToString().substr(0, 10), "0.33333333");
  EXPECT_EQ(Number::Modulo(7, 3).ToString(), "1");
  EXPECT_EQ(Number::Modulo(-7, 3).ToString(), "-1");
  EXPECT_EQ(Number::Modulo(N("5.5"), 2).ToString(), "1.5");
}

TEST(NumberTest, FloorCeilAbsCompare) {
  EXPECT_EQ(N("1.5").Floor().ToString(), "1");
  EXPECT_EQ(N("-1.5").Floor().ToString(), "-2");
  EXPECT_EQ(N("1.2").Ceil().ToString(), "2");
  EXPECT_EQ(N("-3.5").Abs().ToString(), "3.5");
  EXPECT_LT(N("1.5"), N("2"));
  EXPECT_GT(N("1e30"), Number(INT64_MAX));
  EXPECT_TRUE(N("2.5").IsNegative() == false);
  EXPECT_FALSE(N("2.5").IsInteger());
  EXPECT_EQ(N("2.0").ToInt64(), 2);
}

TEST(NumberTest, FromDoubleUsesShortestForm) {
  EXPECT_EQ(Number::FromDouble(0.1).ToString(), "0.1");
  EXPECT_EQ(Number::FromDouble(8.0).ToString(), "8");
  EXPECT_EQ(Number::Infinity(true).ToString(), "-Inf");
}

}  // namespace
}  // namespace cf::hcl
