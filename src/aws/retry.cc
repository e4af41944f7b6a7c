#include "aws/retry.h"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace cf::aws {

namespace {

constexpr std::string_view kThrottlingCodes[] = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

constexpr std::string_view kTransientCodes[] = {
    "RequestTimeout",  "RequestTimeoutException", "InternalError",
    "InternalFailure", "ServiceUnavailable",
};

constexpr std::string_view kClockSkewCodes[] = {
    "RequestTimeTooSkewed",      "RequestExpired",        "RequestInTheFuture",
    "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure",
};

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view code) {
  return std::find(std::begin(list), std::end(list), code) != std::end(list);
}

}  // namespace

SystemRandomSource::SystemRandomSource() : engine_(std::random_device{}()) {}

double SystemRandomSource::NextUnit() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

bool IsThrottlingCode(std::string_view code) {
  return Contains(kThrottlingCodes, code);
}

bool IsClockSkewCode(std::string_view code) {
  return Contains(kClockSkewCodes, code);
}

ErrorClass ClassifyError(const AttemptOutcome& outcome) {
  switch (outcome.kind) {
    case AttemptOutcome::Kind::kSuccess:
      return ErrorClass::kNotRetryable;
    case AttemptOutcome::Kind::kConnectionError:
      return ErrorClass::kTransient;
    case AttemptOutcome::Kind::kTimeout:
      return ErrorClass::kTimeout;
    case AttemptOutcome::Kind::kServiceError:
      break;
  }
  if (IsThrottlingCode(outcome.error_code) || outcome.http_status == 429) {
    return ErrorClass::kThrottling;
  }
  if (Contains(kTransientCodes, outcome.error_code)) {
    return ErrorClass::kTransient;
  }
  if (outcome.http_status == 500 || outcome.http_status == 502 || outcome.http_status == 503 ||
      outcome.http_status == 504) {
    return ErrorClass::kTransient;
  }
  if (IsClockSkewCode(outcome.error_code)) {
    return ErrorClass::kClockSkew;
  }
  return ErrorClass::kNotRetryable;
}

std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view s) {
  std::string text(s);
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (end == nullptr) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

bool ClockSkew::Learn(std::string_view date_header, std::chrono::system_clock::time_point now) {
  std::optional<std::chrono::system_clock::time_point> server = ParseHttpDate(date_header);
  if (!server) {
    return false;
  }
  offset_ms_.store(std::chrono::duration_cast<std::chrono::milliseconds>(*server - now).count());
  return true;
}

RetryStrategy::RetryStrategy(RetryOptions options, RandomSource& random, ClockSkew* skew)
    : options_(options), random_(random), skew_(skew), quota_(options.quota_capacity) {}

std::optional<std::chrono::milliseconds> RetryStrategy::OnFailure(
    const AttemptOutcome& outcome, RetryState& state, std::chrono::system_clock::time_point now) {
  ErrorClass error = ClassifyError(outcome);
  if (error == ErrorClass::kNotRetryable) {
    return std::nullopt;
  }
  if (error == ErrorClass::kClockSkew) {
    // Retry only when the response teaches us a skew that explains the error.
    const auto before = skew_ != nullptr ? skew_->offset() : std::chrono::milliseconds(0);
    if (skew_ == nullptr || outcome.date_header.empty() ||
        !skew_->Learn(outcome.date_header, now) ||
        std::chrono::abs(skew_->offset() - before) < std::chrono::seconds(60)) {
      return std::nullopt;
    }
  }
  if (state.attempts >= options_.max_attempts) {
    return std::nullopt;
  }
  const int cost =
      error == ErrorClass::kTimeout ? options_.timeout_retry_cost : options_.retry_cost;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (quota_ < cost) {
      return std::nullopt;
    }
    quota_ -= cost;
  }
  state.last_quota_cost = cost;
  if (error == ErrorClass::kClockSkew) {
    return std::chrono::milliseconds(0);
  }
  // Full jitter: uniform in [0, min(cap, base * 2^(attempts-1))).
  const double ceiling = std::min(
      static_cast<double>(options_.max_backoff.count()),
      static_cast<double>(options_.base_delay.count()) * std::ldexp(1.0, state.attempts - 1));
  return std::chrono::milliseconds(static_cast<long long>(random_.NextUnit() * ceiling));
}

void RetryStrategy::OnSuccess(const RetryState& state) {
  std::lock_guard<std::mutex> lock(mu_);
  const int refund =
      state.last_quota_cost > 0 ? state.last_quota_cost : options_.no_retry_increment;
  quota_ = std::min(options_.quota_capacity, quota_ + refund);
}

int RetryStrategy::quota() const {
  std::lock_guard<std::mutex> lock(mu_);
  return quota_;
}

}  // namespace cf::aws
