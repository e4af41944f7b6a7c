#include "aws/waiter.h"

#include <algorithm>

namespace cf::aws {

using nlohmann::json;

namespace {

std::string Describe(const WaiterAcceptor& a) {
  if (a.argument) {
    return "for expression \"" + a.argument->text() + "\" we matched expected path " +
           a.expected.dump();
  }
  if (a.matcher == WaiterAcceptor::Matcher::kStatus) {
    return "matched expected HTTP status " + a.expected.dump();
  }
  return "matched expected error " + a.expected.dump();
}

bool Matches(const WaiterAcceptor& a, const WaiterPoll& poll) {
  switch (a.matcher) {
    case WaiterAcceptor::Matcher::kStatus:
      return a.expected.is_number_integer() && a.expected.get<int>() == poll.http_status;
    case WaiterAcceptor::Matcher::kError:
      if (a.expected.is_boolean()) {
        return a.expected.get<bool>() == poll.error_code.has_value();
      }
      return poll.error_code && a.expected.is_string() &&
             *poll.error_code == a.expected.get<std::string>();
    default:
      break;
  }
  if (poll.error_code) {
    return false;  // path matchers look at outputs only
  }
  json value = a.argument->Evaluate(poll.output);
  switch (a.matcher) {
    case WaiterAcceptor::Matcher::kPath:
      return value == a.expected;
    case WaiterAcceptor::Matcher::kPathAll:
      return value.is_array() && !value.empty() &&
             std::all_of(value.begin(), value.end(),
                         [&](const json& v) { return v == a.expected; });
    case WaiterAcceptor::Matcher::kPathAny:
      return value.is_array() && std::any_of(value.begin(), value.end(),
                                             [&](const json& v) { return v == a.expected; });
    default:
      return false;
  }
}

}  // namespace

namespace {

// The "waiters" object of a waiters-2.json document, or the document itself when it is that
// object already (ServiceModel::waiters()).
const json& WaitersObject(const json& doc) {
  static const json kEmpty = json::object();
  if (!doc.is_object()) {
    return kEmpty;
  }
  auto it = doc.find("waiters");
  if (it != doc.end() && it->is_object()) {
    return *it;
  }
  return doc;
}

}  // namespace

std::vector<std::string> WaiterNames(const json& waiters_doc) {
  std::vector<std::string> names;
  const json& waiters = WaitersObject(waiters_doc);
  for (auto w = waiters.begin(); w != waiters.end(); ++w) {
    names.push_back(w.key());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<WaiterConfig> ParseWaiter(const json& waiters_doc, std::string_view name) {
  const json& waiters = WaitersObject(waiters_doc);
  if (!waiters.contains(std::string(name))) {
    std::string known;
    for (const auto& n : WaiterNames(waiters_doc)) {
      known += (known.empty() ? "" : ", ") + n;
    }
    return NotFoundError("no waiter \"" + std::string(name) + "\"" +
                         (known.empty() ? "" : " (known: " + known + ")"));
  }
  const json& w = waiters[std::string(name)];
  WaiterConfig config;
  config.name = std::string(name);
  try {
    config.operation = w.at("operation").get<std::string>();
    config.delay_seconds = w.value("delay", 15);
    config.max_attempts = w.value("maxAttempts", 40);
    for (const json& a : w.at("acceptors")) {
      WaiterAcceptor acceptor;
      const std::string state = a.at("state").get<std::string>();
      if (state == "success") {
        acceptor.state = WaiterAcceptor::State::kSuccess;
      } else if (state == "failure") {
        acceptor.state = WaiterAcceptor::State::kFailure;
      } else if (state == "retry") {
        acceptor.state = WaiterAcceptor::State::kRetry;
      } else {
        return InvalidArgumentError("waiter " + config.name + ": unknown state " + state);
      }
      const std::string matcher = a.at("matcher").get<std::string>();
      if (matcher == "path") {
        acceptor.matcher = WaiterAcceptor::Matcher::kPath;
      } else if (matcher == "pathAll") {
        acceptor.matcher = WaiterAcceptor::Matcher::kPathAll;
      } else if (matcher == "pathAny") {
        acceptor.matcher = WaiterAcceptor::Matcher::kPathAny;
      } else if (matcher == "status") {
        acceptor.matcher = WaiterAcceptor::Matcher::kStatus;
      } else if (matcher == "error") {
        acceptor.matcher = WaiterAcceptor::Matcher::kError;
      } else {
        return InvalidArgumentError("waiter " + config.name + ": unknown matcher " + matcher);
      }
      acceptor.expected = a.at("expected");
      if (a.contains("argument")) {
        auto expression = jmespath::Expression::Parse(a.at("argument").get<std::string>());
        if (!expression.ok()) {
          return expression.status().WithContext("waiter " + config.name);
        }
        acceptor.argument = std::move(*expression);
      } else if (acceptor.matcher != WaiterAcceptor::Matcher::kStatus &&
                 acceptor.matcher != WaiterAcceptor::Matcher::kError) {
        return InvalidArgumentError("waiter " + config.name + ": a " + matcher +
                                    " acceptor needs an argument");
      }
      config.acceptors.push_back(std::move(acceptor));
    }
  } catch (const json::exception& e) {
    return InvalidArgumentError("waiter " + config.name + ": " + e.what());
  }
  return config;
}

std::optional<WaiterAcceptor::State> MatchAcceptors(const WaiterConfig& config,
                                                    const WaiterPoll& poll) {
  for (const auto& a : config.acceptors) {
    if (Matches(a, poll)) {
      return a.state;
    }
  }
  return std::nullopt;
}

Status Wait(const WaiterConfig& config, const std::function<Result<WaiterPoll>()>& poll,
            Clock& clock, const WaitOptions& options) {
  const int max_attempts = std::max(1, options.max_attempts.value_or(config.max_attempts));
  const std::chrono::seconds delay =
      options.delay.value_or(std::chrono::seconds(config.delay_seconds));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(WaiterPoll result, poll());
    if (options.on_poll) {
      options.on_poll(attempt, result);
    }
    const WaiterAcceptor* matched = nullptr;
    for (const auto& a : config.acceptors) {
      if (Matches(a, result)) {
        matched = &a;
        break;
      }
    }
    if (matched != nullptr && matched->state == WaiterAcceptor::State::kSuccess) {
      return OkStatus();
    }
    if (matched != nullptr && matched->state == WaiterAcceptor::State::kFailure) {
      return ConflictError("waiter " + config.name +
                           " failed: it reached a terminal failure state: " + Describe(*matched));
    }
    if (matched == nullptr && result.error_code) {
      return ConflictError("waiter " + config.name + " failed: unexpected error " +
                           *result.error_code);
    }
    if (attempt >= max_attempts) {
      return DeadlineExceededError("waiter " + config.name + " gave up after " +
                                   std::to_string(attempt) + " attempts");
    }
    clock.SleepFor(delay);
  }
}

}  // namespace cf::aws
