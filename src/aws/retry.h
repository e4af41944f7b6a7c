#pragma once

// The AWS "standard" retry mode: up to 3 attempts (configurable), exponential backoff with
// full jitter capped at 20 s, and a retry quota shared by every request of a client (a token
// bucket of 500: a retry costs 5, or 10 after a timeout; a success pays back what its retry
// took, or 1 when it needed none). Throttling and transient errors are retried; so is a
// clock-skew error, once the skew is learned from the response's Date header.

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace cf::aws {

// Uniform random numbers in [0, 1), behind an interface so tests can pin them.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual double NextUnit() = 0;
};

// A seeded Mersenne twister. Thread-safe.
class SystemRandomSource : public RandomSource {
 public:
  SystemRandomSource();
  double NextUnit() override;

 private:
  std::mutex mu_;
  std::mt19937_64 engine_;  // guarded by mu_
};

// What one attempt came to.
struct AttemptOutcome {
  enum class Kind { kSuccess, kServiceError, kConnectionError, kTimeout };
  Kind kind = Kind::kSuccess;
  int http_status = 0;     // kServiceError
  std::string error_code;  // kServiceError: "ThrottlingException", ...
  // The response's Date header (RFC 1123), when there was one.
  std::string date_header;
};

enum class ErrorClass { kNotRetryable, kThrottling, kTransient, kClockSkew, kTimeout };

// How the standard mode sees an outcome.
ErrorClass ClassifyError(const AttemptOutcome& outcome);
bool IsThrottlingCode(std::string_view code);
bool IsClockSkewCode(std::string_view code);

// The difference between the server's clock and ours, learned from skew errors, applied to
// signing times. Thread-safe.
class ClockSkew {
 public:
  std::chrono::system_clock::time_point Adjust(std::chrono::system_clock::time_point t) const {
    return t + std::chrono::milliseconds(offset_ms_.load());
  }
  std::chrono::milliseconds offset() const { return std::chrono::milliseconds(offset_ms_.load()); }
  // Learns the offset from a response Date header and our time when it arrived. False when
  // the header does not parse.
  bool Learn(std::string_view date_header, std::chrono::system_clock::time_point local_now);

 private:
  std::atomic<long long> offset_ms_{0};
};

struct RetryOptions {
  int max_attempts = 3;
  std::chrono::milliseconds max_backoff{20000};
  std::chrono::milliseconds base_delay{1000};
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  int no_retry_increment = 1;
};

// Per-request bookkeeping; one per logical call, not shared.
struct RetryState {
  int attempts = 0;         // attempts made so far
  int last_quota_cost = 0;  // what the latest retry took from the quota
};

// The shared part of the standard mode (the quota). Thread-safe.
class RetryStrategy {
 public:
  RetryStrategy(RetryOptions options, RandomSource& random, ClockSkew* skew = nullptr);

  // After a failed attempt (state.attempts already counts it): the delay before the next
  // attempt, or nullopt when the call should fail now (not retryable, out of attempts, or the
  // quota cannot pay). Takes the retry's cost from the quota; learns clock skew.
  std::optional<std::chrono::milliseconds> OnFailure(const AttemptOutcome& outcome,
                                                     RetryState& state,
                                                     std::chrono::system_clock::time_point now);
  // After a successful attempt: pays the quota back.
  void OnSuccess(const RetryState& state);

  int quota() const;
  const RetryOptions& options() const { return options_; }

 private:
  const RetryOptions options_;
  RandomSource& random_;
  ClockSkew* skew_;
  mutable std::mutex mu_;
  int quota_;  // guarded by mu_
};

// Parses an RFC 1123 date ("Sun, 30 Aug 2015 12:36:00 GMT").
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view s);

}  // namespace cf::aws
