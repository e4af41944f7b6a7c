#include "cloud/elbv2/health.h"

#include <fmt/core.h>

#include <charconv>

namespace cf::cloud::elbv2 {

std::string_view TargetStateName(TargetState state) {
  switch (state) {
    case TargetState::kInitial:
      return "initial";
    case TargetState::kHealthy:
      return "healthy";
    case TargetState::kUnhealthy:
      return "unhealthy";
    case TargetState::kUnused:
      return "unused";
    case TargetState::kDraining:
      return "draining";
    case TargetState::kUnavailable:
      return "unavailable";
  }
  return "unavailable";
}

namespace {

std::optional<int> Code(std::string_view text) {
  if (text.size() != 3) {
    return std::nullopt;
  }
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 200 || value > 499) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<HttpCodeMatcher> HttpCodeMatcher::Parse(std::string_view text) {
  HttpCodeMatcher matcher;
  if (text.empty()) {
    return std::nullopt;
  }
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      std::optional<int> code = Code(item);
      if (!code) {
        return std::nullopt;
      }
      matcher.ranges_.push_back({*code, *code});
    } else {
      std::optional<int> low = Code(item.substr(0, dash));
      std::optional<int> high = Code(item.substr(dash + 1));
      if (!low || !high || *low > *high) {
        return std::nullopt;
      }
      matcher.ranges_.push_back({*low, *high});
    }
    if (comma == std::string_view::npos) {
      break;
    }
    text.remove_prefix(comma + 1);
  }
  return matcher;
}

bool HttpCodeMatcher::Matches(int status) const {
  for (const auto& [low, high] : ranges_) {
    if (status >= low && status <= high) {
      return true;
    }
  }
  return false;
}

void HealthTracker::Record(ProbeOutcome outcome, const HealthCheckSpec& spec, int status) {
  if (!probed_) {
    probed_ = true;
    view_ = {TargetState::kInitial, "Elb.InitialHealthChecking",
             "Initial health checks in progress"};
  }
  if (outcome == ProbeOutcome::kSuccess) {
    failures_ = 0;
    ++successes_;
    if (view_.state != TargetState::kHealthy && successes_ >= spec.healthy_threshold) {
      view_ = {TargetState::kHealthy, "", ""};
    }
    return;
  }
  successes_ = 0;
  ++failures_;
  if (view_.state == TargetState::kUnhealthy || failures_ < spec.unhealthy_threshold) {
    // Still counting, or already unhealthy: keep the latest reason of an unhealthy target.
    if (view_.state != TargetState::kUnhealthy) {
      return;
    }
  }
  switch (outcome) {
    case ProbeOutcome::kTimeout:
      view_ = {TargetState::kUnhealthy, "Target.Timeout", "Request timed out"};
      break;
    case ProbeOutcome::kCodeMismatch:
      view_ = {TargetState::kUnhealthy, "Target.ResponseCodeMismatch",
               fmt::format("Health checks failed with these codes: [{}]", status)};
      break;
    default:
      view_ = {TargetState::kUnhealthy, "Target.FailedHealthChecks", "Health checks failed"};
      break;
  }
}

}  // namespace cf::cloud::elbv2
