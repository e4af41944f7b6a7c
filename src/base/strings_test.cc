#include "base/strings.h"

#include <gtest/gtest.h>

namespace cf {
namespace {

TEST(StringsTest, HexRoundTripsAndRefusesBadDigits) {
  EXPECT_EQ(HexEncode(std::string("\x01\xab\xff\x00", 4)), "01abff00");
  EXPECT_EQ(HexDecode("01abff00"), std::string("\x01\xab\xff\x00", 4));
  EXPECT_EQ(HexDecode("01ABFF"), std::string("\x01\xab\xff"));
  EXPECT_EQ(HexDecode(""), "");
  EXPECT_EQ(HexDecode("abc"), std::nullopt);  // odd length
  EXPECT_EQ(HexDecode("0g"), std::nullopt);
  EXPECT_EQ(HexDigitValue('f'), 15);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
}

TEST(StringsTest, PercentEncodeKeepsOnlyUnreservedBytes) {
  EXPECT_EQ(PercentEncode("a-b_c.d~e", false), "a-b_c.d~e");
  EXPECT_EQ(PercentEncode("a b/c+d=é", false), "a%20b%2Fc%2Bd%3D%C3%A9");
  EXPECT_EQ(PercentEncode("a b/c", true), "a%20b/c");
}

TEST(StringsTest, PercentDecodeKeepsMalformedSequences) {
  EXPECT_EQ(PercentDecode("a%20b%2fc%2F"), "a b/c/");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%4"), "%4");
  EXPECT_EQ(PercentDecode("%zz%41"), "%zzA");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b%2B", /*plus_is_space=*/true), "a b+");
  EXPECT_EQ(PercentDecode(PercentEncode("any / thing +é", false)), "any / thing +é");
}

TEST(StringsTest, GlobMatchesStarsAndQuestionMarks) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b"));
  EXPECT_FALSE(GlobMatch("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a"));
  EXPECT_TRUE(GlobMatch("i-?bc", "i-abc"));
  EXPECT_FALSE(GlobMatch("i-?bc", "i-bc"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatch("*a", "*a"));
  EXPECT_TRUE(GlobMatch("*", "*a"));  // a '*' in the text is an ordinary character
  EXPECT_TRUE(GlobMatch("a**", "a"));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_FALSE(GlobMatch("EC2:Describe*", "ec2:DescribeInstances"));
  EXPECT_TRUE(GlobMatch("EC2:Describe*", "ec2:DescribeInstances", /*case_insensitive=*/true));
  // EC2 filter values.
  EXPECT_TRUE(GlobMatch("web-*", "web-1"));
  EXPECT_TRUE(GlobMatch("w?b", "web"));
  EXPECT_FALSE(GlobMatch("web-?", "web-12"));
  EXPECT_FALSE(GlobMatch("web", "web-1"));
  // IAM actions.
  EXPECT_TRUE(GlobMatch("sts:*", "sts:AssumeRole"));
  EXPECT_TRUE(GlobMatch("STS:assume?ole", "sts:AssumeRole", true));
  EXPECT_FALSE(GlobMatch("STS:assume?ole", "sts:AssumeRole"));
  EXPECT_TRUE(GlobMatch("*Role*", "sts:AssumeRoleWithSAML"));
  EXPECT_FALSE(GlobMatch("sts:Assume", "sts:AssumeRole"));
}

TEST(StringsTest, AsciiLowerLeavesOtherBytesAlone) {
  EXPECT_EQ(AsciiLower("X-Amz-Date"), "x-amz-date");
  EXPECT_EQ(AsciiLower("\xc3\x89t\xc3\xa9 09_Z"), "\xc3\x89t\xc3\xa9 09_z");
}

}  // namespace
}  // namespace cf
