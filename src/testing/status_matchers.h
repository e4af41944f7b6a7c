#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/status.h"

namespace cf {

inline void PrintTo(const Status& status, std::ostream* os) {
  *os << status.ToString();
}

// EXPECT_THAT(result, IsOk());
MATCHER(IsOk, "is OK") {
  const ::cf::Status& s = ::cf::ToStatus(arg);
  if (!s.ok()) {
    *result_listener << s.ToString();
  }
  return s.ok();
}

// EXPECT_THAT(result, StatusIs(StatusCode::kNotFound, HasSubstr("state")));
MATCHER_P2(StatusIs, code, message_matcher, "") {
  const ::cf::Status& s = ::cf::ToStatus(arg);
  *result_listener << s.ToString();
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, s.message(), result_listener);
}

}  // namespace cf

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::cf::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::cf::IsOk())
