#include "aws/protocol_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cf::aws::internal {
namespace {

TEST(TimestampTest, ParsesEveryWireFormat) {
  EXPECT_EQ(ParseTimestamp("2019-12-16T23:48:18Z"), 1576540098);
  EXPECT_EQ(ParseTimestamp("2019-12-17T00:48:18+01:00"), 1576540098);
  EXPECT_DOUBLE_EQ(ParseTimestamp("2000-01-02T20:34:56.123Z"), 946845296.123);
  EXPECT_EQ(ParseTimestamp("Mon, 16 Dec 2019 23:48:18 GMT"), 1576540098);
  EXPECT_EQ(ParseTimestamp("1576540098"), 1576540098);
  EXPECT_DOUBLE_EQ(ParseTimestamp("1576540098.5"), 1576540098.5);
  EXPECT_THROW(ParseTimestamp("yesterday"), CodecError);
}

TEST(TimestampTest, FormatsEveryWireFormat) {
  EXPECT_EQ(FormatTimestamp(1576540098, TimestampFormat::kIso8601), "2019-12-16T23:48:18Z");
  EXPECT_EQ(FormatTimestamp(946845296.123, TimestampFormat::kIso8601), "2000-01-02T20:34:56.123Z");
  EXPECT_EQ(FormatTimestamp(1576540098, TimestampFormat::kRfc822), "Mon, 16 Dec 2019 23:48:18 GMT");
  EXPECT_EQ(FormatTimestamp(1576540098, TimestampFormat::kUnix), "1576540098");
  EXPECT_EQ(FormatTimestamp(946845296.123, TimestampFormat::kUnix), "946845296.123");
}

TEST(TimestampTest, TreeValuesAreWholeSecondsWhenPossible) {
  EXPECT_TRUE(TimestampValue(1576540098.0).is_number_integer());
  EXPECT_TRUE(TimestampValue(1.5).is_number_float());
  EXPECT_EQ(TimestampSeconds("2019-12-16T23:48:18Z"), 1576540098);
}

TEST(Base64Test, RoundTripsBinary) {
  std::string bytes("\x00\xff\x10hello", 8);
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes);
  EXPECT_THROW(Base64Decode("Zm9v!"), CodecError);
}

TEST(PercentTest, EncodesReservedCharacters) {
  EXPECT_EQ(PercentEncode("a b/c~"), "a%20b%2Fc~");
  EXPECT_EQ(PercentEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(PercentDecode("100%"), "100%");
}

TEST(DoubleTest, UsesShortestTextAndNamedSpecials) {
  EXPECT_EQ(FormatDouble(1.1), "1.1");
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatDouble(std::nan("")), "NaN");
  EXPECT_EQ(FormatDouble(-HUGE_VAL), "-Infinity");
}

}  // namespace
}  // namespace cf::aws::internal
