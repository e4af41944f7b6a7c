#include "base/status.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf {
namespace {

using ::testing::HasSubstr;

Result<int> ParsePort(const std::string& text) {
  if (text.empty() || text.size() > 5) {
    return InvalidArgumentError("--port: expected a number, got \"" + text + "\"");
  }
  return std::stoi(text);
}

Result<int> DoublePort(const std::string& text) {
  ASSIGN_OR_RETURN(int port, ParsePort(text));
  return port * 2;
}

Status CheckPort(const std::string& text) {
  RETURN_IF_ERROR(ParsePort(text));
  return OkStatus();
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ToStringNamesCodeAndMessage) {
  EXPECT_EQ(NotFoundError("no state").ToString(), "NotFound: no state");
  EXPECT_TRUE(UnavailableError("503").IsRetryable());
  EXPECT_FALSE(InvalidArgumentError("x").IsRetryable());
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsCode) {
  Status s = NotFoundError("no such file").WithContext("reading state");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "reading state: no such file");
  EXPECT_TRUE(OkStatus().WithContext("x").ok());
}

TEST(ResultTest, MacrosPropagateValuesAndErrors) {
  Result<int> good = DoublePort("80");
  ASSERT_OK(good);
  EXPECT_EQ(*good, 160);
  EXPECT_THAT(DoublePort(""), StatusIs(StatusCode::kInvalidArgument, HasSubstr("--port")));
  EXPECT_OK(CheckPort("443"));
  EXPECT_THAT(CheckPort("123456"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("123456")));
}

TEST(ResultDeathTest, ConstructingFromOkStatusAborts) {
  EXPECT_DEATH({ Result<int> r(OkStatus()); }, "");
}

}  // namespace
}  // namespace cf
