#include "base/base64.h"

#include <gtest/gtest.h>

namespace cf {
namespace {

TEST(Base64Test, RoundTripsWithPadding) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("x"), "eA==");
  EXPECT_EQ(Base64Encode("yz"), "eXo=");
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_EQ(Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(Base64Decode("AP8="), std::string("\x00\xff", 2));
}

TEST(Base64Test, RejectsInvalidText) {
  EXPECT_FALSE(Base64Decode("abc").has_value());
  EXPECT_FALSE(Base64Decode("a!c=").has_value());
}

}  // namespace
}  // namespace cf
