#pragma once

// The Amazon States Language interpreter (states-language.net): one Execution runs one
// validated definition (definition.h) on one input, recording its history as Step Functions
// names the events (ExecutionStarted, PassStateEntered, LambdaFunctionScheduled, ...).
//
// Supported: Pass, Task (Lambda function ARNs and arn:aws:states:::lambda:invoke, through a
// TaskInvoker), Choice (every comparison operator with its *Path form, StringMatches, And/Or/
// Not, IsNull/IsPresent/IsNumeric/IsString/IsBoolean/IsTimestamp), Wait (Seconds, Timestamp,
// SecondsPath, TimestampPath), Succeed, Fail (Error/Cause and their *Path forms), Parallel,
// Map (ItemsPath, Iterator or ItemProcessor, ItemSelector/Parameters, MaxConcurrency);
// InputPath, Parameters, ResultSelector, ResultPath, OutputPath, ".$" fields, the context
// object "$$" and the intrinsic functions; Retry (ErrorEquals, IntervalSeconds, MaxAttempts,
// BackoffRate, MaxDelaySeconds, JitterStrategy) and Catch (ErrorEquals, ResultPath, Next);
// the machine's TimeoutSeconds and a Task's TimeoutSeconds/TimeoutSecondsPath.
//
// Time: Wait states and retry intervals last the wanted duration multiplied by `time_scale`
// (0.01: a Wait of 60 s takes 0.6 s) of the Clock's monotonic time, slept through the Sleeper
// in slices so that Stop interrupts them.

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cloud/core/random.h"
#include "cloud/stepfunctions/sleeper.h"
#include "cloud/stepfunctions/task_invoker.h"

namespace cf::cloud::stepfunctions {

using Json = nlohmann::json;

// One history event, as GetExecutionHistory reports it.
struct HistoryEvent {
  int64_t id = 0;
  int64_t previous_id = 0;
  std::string type;  // "TaskStateEntered"
  std::chrono::system_clock::time_point timestamp;
  std::string details_member;  // "stateEnteredEventDetails"; empty when none
  Json details = Json::object();
};

struct ExecutionInfo {
  std::string execution_arn;
  std::string name;
  std::string state_machine_arn;
  std::string state_machine_name;
  std::string role_arn;
  std::string region;
  std::string account_id;
};

enum class ExecutionStatus { kRunning, kSucceeded, kFailed, kTimedOut, kAborted };

// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED".
const char* ExecutionStatusName(ExecutionStatus status);

struct ExecutionOutcome {
  ExecutionStatus status = ExecutionStatus::kRunning;
  Json output;  // when kSucceeded
  std::string error;
  std::string cause;
};

class Execution {
 public:
  // `definition` must have passed ValidateDefinition. Everything referenced must outlive the
  // execution.
  Execution(Json definition, ExecutionInfo info, TaskInvoker& invoker, const Clock& clock,
            Sleeper& sleeper, Random& random, double time_scale = 1.0);
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  // Runs the machine on `input` to its end; call once. Blocks the calling thread (Parallel
  // branches and Map iterations run on threads of their own, joined before it returns).
  ExecutionOutcome Run(const Json& input);

  // Makes a running Run end as kAborted (ExecutionAborted) as soon as the current state
  // finishes or its wait is interrupted. Thread-safe; idempotent.
  void Stop(std::string error, std::string cause);

  // A copy of the history so far. Thread-safe.
  std::vector<HistoryEvent> History() const;
  // States entered so far. Thread-safe.
  int64_t transitions() const { return transitions_.load(); }
  std::chrono::system_clock::time_point start_time() const { return start_time_; }

 private:
  struct Failure {
    std::string error;
    std::string cause;
  };
  struct StepResult;
  struct Scope;

  StepResult RunMachine(const Json& machine, Json input, Scope& scope);
  StepResult RunState(const std::string& name, const Json& state, Json input, Scope& scope);
  StepResult RunTask(const std::string& name, const Json& state, const Json& effective,
                     Scope& scope);
  StepResult RunParallel(const std::string& name, const Json& state, const Json& effective,
                         Scope& scope);
  StepResult RunMap(const std::string& name, const Json& state, const Json& effective,
                    Scope& scope);
  StepResult RunWait(const Json& state, const Json& effective);

  // Records an event after `scope`'s last one and returns its id.
  int64_t Record(Scope& scope, const char* type, const char* member, Json details);
  // Sleeps `duration` (scaled) unless stopped first; false when stopped.
  bool Sleep(std::chrono::nanoseconds duration);
  bool stopped() const { return stopped_.load(); }

  Json definition_;
  ExecutionInfo info_;
  TaskInvoker& invoker_;
  const Clock& clock_;
  Sleeper& sleeper_;
  Random& random_;
  double time_scale_;
  std::chrono::system_clock::time_point start_time_;
  std::chrono::steady_clock::time_point deadline_;  // of the machine's TimeoutSeconds
  bool has_deadline_ = false;
  Json input_;

  std::atomic<bool> stopped_{false};
  std::atomic<int64_t> transitions_{0};
  mutable std::mutex mu_;
  std::vector<HistoryEvent> history_;  // guarded by mu_
  Failure stop_reason_;                // guarded by mu_
};

}  // namespace cf::cloud::stepfunctions
