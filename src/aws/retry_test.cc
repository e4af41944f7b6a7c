#include "aws/retry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cf::aws {
namespace {

using std::chrono::milliseconds;

class FixedRandom : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double NextUnit() override { return value_; }

 private:
  double value_;
};

AttemptOutcome ServiceError(int status, std::string code, std::string date = "") {
  AttemptOutcome o;
  o.kind = AttemptOutcome::Kind::kServiceError;
  o.http_status = status;
  o.error_code = std::move(code);
  o.date_header = std::move(date);
  return o;
}

const auto kNow = std::chrono::system_clock::from_time_t(1440938160);  // Sun, 30 Aug 2015 12:36

TEST(ClassifyErrorTest, KnowsThrottlingTransientAndFinalErrors) {
  for (const char* code : {"Throttling", "ThrottlingException", "RequestLimitExceeded", "SlowDown",
                           "ProvisionedThroughputExceededException", "EC2ThrottledException",
                           "PriorRequestNotComplete", "TooManyRequestsException"}) {
    EXPECT_EQ(ClassifyError(ServiceError(400, code)), ErrorClass::kThrottling) << code;
  }
  for (int status : {500, 502, 503, 504}) {
    EXPECT_EQ(ClassifyError(ServiceError(status, "Whatever")), ErrorClass::kTransient);
  }
  EXPECT_EQ(ClassifyError(ServiceError(400, "RequestTimeout")), ErrorClass::kTransient);
  AttemptOutcome dropped;
  dropped.kind = AttemptOutcome::Kind::kConnectionError;
  EXPECT_EQ(ClassifyError(dropped), ErrorClass::kTransient);
  EXPECT_EQ(ClassifyError(ServiceError(400, "ValidationError")), ErrorClass::kNotRetryable);
  EXPECT_EQ(ClassifyError(ServiceError(404, "InvalidInstanceID.NotFound")),
            ErrorClass::kNotRetryable);
}

TEST(RetryStrategyTest, StopsAfterMaxAttempts) {
  FixedRandom random(0.5);
  RetryStrategy strategy(RetryOptions{}, random);
  RetryState state;
  state.attempts = 1;
  EXPECT_EQ(strategy.OnFailure(ServiceError(503, "ServiceUnavailable"), state, kNow),
            milliseconds(500));
  state.attempts = 2;
  EXPECT_EQ(strategy.OnFailure(ServiceError(503, "ServiceUnavailable"), state, kNow),
            milliseconds(1000));
  state.attempts = 3;
  EXPECT_EQ(strategy.OnFailure(ServiceError(503, "ServiceUnavailable"), state, kNow), std::nullopt);
}

TEST(RetryStrategyTest, NeverRetriesAFinalError) {
  FixedRandom random(0.5);
  RetryStrategy strategy(RetryOptions{}, random);
  RetryState state{1, 0};
  EXPECT_EQ(strategy.OnFailure(ServiceError(400, "InvalidParameterValue"), state, kNow),
            std::nullopt);
  EXPECT_EQ(strategy.quota(), 500);
}

TEST(RetryStrategyTest, BackoffIsJitteredAndCappedAtTwentySeconds) {
  FixedRandom random(0.999);
  RetryOptions options;
  options.max_attempts = 20;
  RetryStrategy strategy(options, random);
  RetryState state;
  state.attempts = 4;  // ceiling 8 s
  EXPECT_EQ(strategy.OnFailure(ServiceError(400, "Throttling"), state, kNow), milliseconds(7992));
  state.attempts = 10;  // 512 s, capped
  EXPECT_EQ(strategy.OnFailure(ServiceError(400, "Throttling"), state, kNow), milliseconds(19980));
  FixedRandom zero(0.0);
  RetryStrategy immediate(options, zero);
  EXPECT_EQ(immediate.OnFailure(ServiceError(400, "Throttling"), state, kNow), milliseconds(0));
}

TEST(RetryStrategyTest, QuotaRunsOutAndSuccessRefillsIt) {
  FixedRandom random(0.0);
  RetryStrategy strategy(RetryOptions{}, random);
  RetryState state{1, 0};
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(strategy.OnFailure(ServiceError(503, "x"), state, kNow).has_value()) << i;
  }
  EXPECT_EQ(strategy.quota(), 0);
  EXPECT_EQ(strategy.OnFailure(ServiceError(503, "x"), state, kNow), std::nullopt);
  // A success after a retry pays its cost back; one without a retry pays 1.
  strategy.OnSuccess(RetryState{2, 5});
  EXPECT_EQ(strategy.quota(), 5);
  strategy.OnSuccess(RetryState{1, 0});
  EXPECT_EQ(strategy.quota(), 6);
}

TEST(RetryStrategyTest, TimeoutsCostTen) {
  FixedRandom random(0.0);
  RetryStrategy strategy(RetryOptions{}, random);
  RetryState state{1, 0};
  AttemptOutcome timeout;
  timeout.kind = AttemptOutcome::Kind::kTimeout;
  ASSERT_TRUE(strategy.OnFailure(timeout, state, kNow).has_value());
  EXPECT_EQ(strategy.quota(), 490);
  EXPECT_EQ(state.last_quota_cost, 10);
}

TEST(RetryStrategyTest, QuotaNeverExceedsCapacity) {
  FixedRandom random(0.0);
  RetryStrategy strategy(RetryOptions{}, random);
  strategy.OnSuccess(RetryState{1, 0});
  EXPECT_EQ(strategy.quota(), 500);
}

TEST(RetryStrategyTest, ClockSkewIsLearnedFromTheDateHeaderAndRetriedAtOnce) {
  FixedRandom random(0.5);
  ClockSkew skew;
  RetryStrategy strategy(RetryOptions{}, random, &skew);
  RetryState state{1, 0};
  // The server is 30 minutes ahead of us.
  auto delay = strategy.OnFailure(
      ServiceError(403, "RequestTimeTooSkewed", "Sun, 30 Aug 2015 13:06:00 GMT"), state, kNow);
  EXPECT_EQ(delay, milliseconds(0));
  EXPECT_EQ(skew.offset(), std::chrono::minutes(30));
  EXPECT_EQ(skew.Adjust(kNow), kNow + std::chrono::minutes(30));
  // The same error with no new skew to learn is final (the signature is simply wrong).
  state.attempts = 2;
  EXPECT_EQ(
      strategy.OnFailure(
          ServiceError(403, "SignatureDoesNotMatch", "Sun, 30 Aug 2015 13:06:00 GMT"), state, kNow),
      std::nullopt);
}

TEST(ParseHttpDateTest, ParsesRfc1123) {
  EXPECT_EQ(ParseHttpDate("Sun, 30 Aug 2015 12:36:00 GMT"), kNow);
  EXPECT_EQ(ParseHttpDate("yesterday"), std::nullopt);
}

}  // namespace
}  // namespace cf::aws
