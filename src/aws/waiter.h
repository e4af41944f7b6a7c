#pragma once

// Waiters from botocore's waiters-2.json: poll an operation until an acceptor matches.
// Acceptors are tried in order; "success" ends the wait, "failure" fails it, "retry" polls
// again; an error response that no acceptor expects fails at once; running out of attempts
// is DeadlineExceeded. Matchers: path, pathAll, pathAny (JMESPath over the output), status
// (HTTP status) and error (error code, or true/false for any error / no error).

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/waiter_jmespath.h"
#include "base/clock.h"
#include "base/status.h"

namespace cf::aws {

struct WaiterAcceptor {
  enum class State { kSuccess, kFailure, kRetry };
  enum class Matcher { kPath, kPathAll, kPathAny, kStatus, kError };
  State state = State::kRetry;
  Matcher matcher = Matcher::kPath;
  std::optional<jmespath::Expression> argument;  // path matchers only
  nlohmann::json expected;
};

struct WaiterConfig {
  std::string name;       // "InstanceRunning"
  std::string operation;  // "DescribeInstances"
  int delay_seconds = 15;
  int max_attempts = 40;
  std::vector<WaiterAcceptor> acceptors;
};

// The names of the waiters of a waiters-2.json document, sorted.
std::vector<std::string> WaiterNames(const nlohmann::json& waiters_doc);
// One waiter of a waiters-2.json document ({"version": 2, "waiters": {...}}, or just its
// "waiters" object as ServiceModel::waiters() gives it). NotFound for an
// unknown name; InvalidArgument for a malformed definition.
Result<WaiterConfig> ParseWaiter(const nlohmann::json& waiters_doc, std::string_view name);

// What one poll returned: the output of a success, or the error code of a failure.
struct WaiterPoll {
  int http_status = 200;
  nlohmann::json output = nlohmann::json::object();
  std::optional<std::string> error_code;  // set when the call failed with an AWS error
};

// The state the first matching acceptor names, or nullopt when none matches.
std::optional<WaiterAcceptor::State> MatchAcceptors(const WaiterConfig& config,
                                                    const WaiterPoll& poll);

struct WaitOptions {
  std::optional<std::chrono::seconds> delay;  // overrides the waiter's delay
  std::optional<int> max_attempts;            // overrides the waiter's attempts
  // Called after each poll with the attempt number (1-based).
  std::function<void(int attempt, const WaiterPoll& poll)> on_poll;
};

// Polls with `poll` (which returns a Status for failures that are not AWS errors: those end
// the wait unchanged) and sleeps on `clock` between polls. OK on success; Conflict when a
// failure acceptor matched or an unexpected error came back; DeadlineExceeded when the
// attempts ran out.
Status Wait(const WaiterConfig& config, const std::function<Result<WaiterPoll>()>& poll,
            Clock& clock, const WaitOptions& options = {});

}  // namespace cf::aws
