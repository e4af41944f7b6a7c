#include "cloud/dynamodb/decimal.h"

#include <gtest/gtest.h>

namespace cf::cloud::dynamodb {
namespace {

Decimal D(std::string_view text) {
  std::string error;
  auto d = Decimal::Parse(text, &error);
  EXPECT_TRUE(d.has_value()) << text << ": " << error;
  return d.value_or(Decimal());
}

std::string ParseError(std::string_view text) {
  std::string error;
  auto d = Decimal::Parse(text, &error);
  EXPECT_FALSE(d.has_value()) << text;
  return error;
}

TEST(DecimalTest, NormalizesLikeDynamoDb) {
  EXPECT_EQ(D("1.50").ToString(), "1.5");
  EXPECT_EQ(D("-0").ToString(), "0");
  EXPECT_EQ(D("000123.4500").ToString(), "123.45");
  EXPECT_EQ(D("1e2").ToString(), "100");
  EXPECT_EQ(D("15E-1").ToString(), "1.5");
  EXPECT_EQ(D(".5").ToString(), "0.5");
  EXPECT_EQ(D("-0.001").ToString(), "-0.001");
  EXPECT_EQ(D("1E-130").ToString(), "0." + std::string(129, '0') + "1");
}

TEST(DecimalTest, AddsExactly) {
  std::string error;
  EXPECT_EQ(D("1.50").Add(D("1"), &error)->ToString(), "2.5");
  EXPECT_EQ(D("0.1").Add(D("0.2"), &error)->ToString(), "0.3");
  EXPECT_EQ(D("-5").Add(D("3.25"), &error)->ToString(), "-1.75");
  EXPECT_EQ(D("10").Subtract(D("10.0"), &error)->ToString(), "0");
  EXPECT_EQ(D("99999999999999999999999999999999999999").Subtract(D("1"), &error)->ToString(),
            "99999999999999999999999999999999999998");
}

TEST(DecimalTest, RejectsWhatDynamoDbRejects) {
  EXPECT_EQ(ParseError("abc"), "The parameter cannot be converted to a numeric value: abc");
  EXPECT_EQ(ParseError(""), "The parameter cannot be converted to a numeric value");
  EXPECT_EQ(ParseError("+1"), "The parameter cannot be converted to a numeric value: +1");
  EXPECT_EQ(ParseError("1e126"),
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range");
  EXPECT_EQ(ParseError("1e-131"),
            "Number underflow. Attempting to store a number with magnitude smaller than supported "
            "range");
  EXPECT_EQ(ParseError("123456789012345678901234567890123456789"),
            "Attempting to store more than 38 significant digits in a Number");
}

TEST(DecimalTest, AdditionBeyondThirtyEightDigitsFails) {
  std::string error;
  auto sum = D("99999999999999999999999999999999999999").Add(D("0.1"), &error);
  EXPECT_FALSE(sum.has_value());
  EXPECT_EQ(error, "Attempting to store more than 38 significant digits in a Number");
}

TEST(DecimalTest, ComparesNumerically) {
  EXPECT_LT(D("2"), D("10"));
  EXPECT_LT(D("-10"), D("-2"));
  EXPECT_LT(D("-0.5"), D("0"));
  EXPECT_EQ(D("1.0"), D("1"));
  EXPECT_GT(D("1e2"), D("99.999"));
}

TEST(DecimalTest, SortableEncodingFollowsNumericOrder) {
  std::vector<std::string> texts = {"-1000", "-10.5", "-10", "-2", "-0.001", "0",
                                    "0.001", "0.5",   "2",   "10", "10.5",   "1e100"};
  for (size_t i = 0; i + 1 < texts.size(); ++i) {
    EXPECT_LT(D(texts[i]).SortableEncoding(), D(texts[i + 1]).SortableEncoding())
        << texts[i] << " vs " << texts[i + 1];
  }
}

}  // namespace
}  // namespace cf::cloud::dynamodb
