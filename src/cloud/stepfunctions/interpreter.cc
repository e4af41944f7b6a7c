#include "cloud/stepfunctions/interpreter.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <thread>

#include "cloud/core/ids.h"
#include "cloud/stepfunctions/choice.h"
#include "cloud/stepfunctions/intrinsics.h"
#include "cloud/stepfunctions/json_path.h"

namespace cf::cloud::stepfunctions {

namespace {

constexpr char kRuntime[] = "States.Runtime";
constexpr char kTimeout[] = "States.Timeout";
constexpr char kLambdaInvoke[] = "arn:aws:states:::lambda:invoke";
// The most Map iterations run at once when MaxConcurrency is 0 (unlimited).
constexpr size_t kMaxMapWorkers = 40;

Json Details(const std::string& io_member, const Json& value) {
  Json d = Json::object();
  d[io_member] = value.dump();
  d[io_member + "Details"] = {{"truncated", false}};
  return d;
}

std::string Timestamp(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::string base =
      FormatRfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(ms / 1000)));
  // "2015-08-30T12:36:00Z" -> "2015-08-30T12:36:00.123Z"
  return base.substr(0, base.size() - 1) + fmt::format(".{:03}Z", ms % 1000);
}

// ErrorEquals matching (states-language.net, "Error names"): States.ALL matches every error
// but States.Runtime (which no retrier or catcher sees); States.TaskFailed every error but
// States.Timeout.
bool Matches(const Json& error_equals, const std::string& error) {
  for (const Json& name : error_equals) {
    const std::string& n = name.get_ref<const std::string&>();
    if (n == error || n == "States.ALL" || (n == "States.TaskFailed" && error != kTimeout)) {
      return true;
    }
  }
  return false;
}

bool Uncatchable(const std::string& error) {
  return error == kRuntime || error == "States.DataLimitExceeded";
}

}  // namespace

const char* ExecutionStatusName(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kRunning:
      return "RUNNING";
    case ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case ExecutionStatus::kFailed:
      return "FAILED";
    case ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::kAborted:
      return "ABORTED";
  }
  return "RUNNING";
}

struct Execution::StepResult {
  enum Kind { kOk, kFailed, kAborted, kTimedOut };
  Kind kind = kOk;
  Json output;
  std::string next;  // kOk: the next state, empty at the end of the machine
  Failure failure;

  static StepResult Ok(Json output, std::string next) {
    StepResult r;
    r.output = std::move(output);
    r.next = std::move(next);
    return r;
  }
  static StepResult Fail(std::string error, std::string cause) {
    StepResult r;
    r.kind = kFailed;
    r.failure = {std::move(error), std::move(cause)};
    return r;
  }
  static StepResult Of(Kind kind) {
    StepResult r;
    r.kind = kind;
    return r;
  }
};

// Where a run of states is: the last event it recorded, its context object and the cancel
// flags of the Parallel / Map states it runs inside.
struct Execution::Scope {
  int64_t last_event = 0;
  int64_t entered_event = 0;  // of the current state
  std::string state_name;
  Json context;
  std::vector<std::shared_ptr<std::atomic<bool>>> cancels;

  bool Cancelled() const {
    for (const auto& c : cancels) {
      if (c->load()) {
        return true;
      }
    }
    return false;
  }
};

Execution::Execution(Json definition, ExecutionInfo info, TaskInvoker& invoker, const Clock& clock,
                     Sleeper& sleeper, Random& random, double time_scale)
    : definition_(std::move(definition)),
      info_(std::move(info)),
      invoker_(invoker),
      clock_(clock),
      sleeper_(sleeper),
      random_(random),
      time_scale_(time_scale) {}

void Execution::Stop(std::string error, std::string cause) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!stopped_.load()) {
    stop_reason_ = {std::move(error), std::move(cause)};
    stopped_.store(true);
  }
}

std::vector<HistoryEvent> Execution::History() const {
  std::lock_guard<std::mutex> lock(mu_);
  return history_;
}

int64_t Execution::Record(Scope& scope, const char* type, const char* member, Json details) {
  HistoryEvent event;
  event.type = type;
  event.timestamp = clock_.Now();
  event.previous_id = scope.last_event;
  if (member != nullptr) {
    event.details_member = member;
    event.details = std::move(details);
  }
  std::lock_guard<std::mutex> lock(mu_);
  event.id = static_cast<int64_t>(history_.size()) + 1;
  history_.push_back(std::move(event));
  scope.last_event = history_.back().id;
  return scope.last_event;
}

bool Execution::Sleep(std::chrono::nanoseconds duration) {
  auto scaled = std::chrono::nanoseconds(
      static_cast<int64_t>(static_cast<double>(duration.count()) * time_scale_));
  auto end = clock_.Monotonic() + scaled;
  while (true) {
    if (stopped() || (has_deadline_ && clock_.Monotonic() >= deadline_)) {
      return false;
    }
    auto now = clock_.Monotonic();
    if (now >= end) {
      return true;
    }
    auto slice = std::min<std::chrono::nanoseconds>(end - now, std::chrono::milliseconds(20));
    if (has_deadline_) {
      slice = std::min<std::chrono::nanoseconds>(slice, deadline_ - now);
    }
    sleeper_.SleepFor(slice);
  }
}

namespace {

// Parameters / ResultSelector / ItemSelector: a copy of `tmpl` with each "x.$" member
// replaced by "x" holding the value of its path or intrinsic call.
Result<Json> ApplyTemplate(const Json& tmpl, const Json& input, const Json& context, Random& random,
                           std::string& error) {
  if (tmpl.is_array()) {
    Json out = Json::array();
    for (const Json& item : tmpl) {
      ASSIGN_OR_RETURN(Json v, ApplyTemplate(item, input, context, random, error));
      out.push_back(std::move(v));
    }
    return out;
  }
  if (!tmpl.is_object()) {
    return tmpl;
  }
  Json out = Json::object();
  for (auto it = tmpl.begin(); it != tmpl.end(); ++it) {
    const std::string& key = it.key();
    if (key.size() > 2 && key.compare(key.size() - 2, 2, ".$") == 0 && it.value().is_string()) {
      std::string expr = it.value().get<std::string>();
      std::string field = key.substr(0, key.size() - 2);
      if (IsIntrinsic(expr)) {
        Result<Json> v = EvaluateIntrinsic(expr, input, context, random);
        if (!v.ok()) {
          error = "States.IntrinsicFailure";
          return InvalidArgumentError(fmt::format("The function '{}' had the following error: {}",
                                                  expr, v.status().message()));
        }
        out[field] = std::move(*v);
      } else {
        bool ctx = expr.rfind("$$", 0) == 0;
        Result<Json> v = ctx ? SelectPath(expr.substr(1), context) : SelectPath(expr, input);
        if (!v.ok()) {
          error = kRuntime;
          return InvalidArgumentError(fmt::format(
              "The JSONPath '{}' specified for the field '{}' could not be found in the input "
              "'{}'",
              expr, key, (ctx ? context : input).dump()));
        }
        out[field] = std::move(*v);
      }
    } else {
      ASSIGN_OR_RETURN(out[key], ApplyTemplate(it.value(), input, context, random, error));
    }
  }
  return out;
}

}  // namespace

ExecutionOutcome Execution::Run(const Json& input) {
  start_time_ = clock_.Now();
  input_ = input;
  if (definition_.contains("TimeoutSeconds")) {
    has_deadline_ = true;
    deadline_ =
        clock_.Monotonic() + std::chrono::nanoseconds(static_cast<int64_t>(
                                 definition_["TimeoutSeconds"].get<double>() * 1e9 * time_scale_));
  }
  Scope scope;
  scope.context = {
      {"Execution",
       {{"Id", info_.execution_arn},
        {"Input", input},
        {"Name", info_.name},
        {"RoleArn", info_.role_arn},
        {"StartTime", Timestamp(start_time_)}}},
      {"StateMachine", {{"Id", info_.state_machine_arn}, {"Name", info_.state_machine_name}}},
  };
  Json started = Details("input", input);
  started["roleArn"] = info_.role_arn;
  Record(scope, "ExecutionStarted", "executionStartedEventDetails", std::move(started));
  StepResult r = RunMachine(definition_, input, scope);
  ExecutionOutcome outcome;
  if (r.kind == StepResult::kOk && stopped()) {
    r.kind = StepResult::kAborted;
  }
  switch (r.kind) {
    case StepResult::kOk:
      outcome.status = ExecutionStatus::kSucceeded;
      outcome.output = r.output;
      Record(scope, "ExecutionSucceeded", "executionSucceededEventDetails",
             Details("output", r.output));
      break;
    case StepResult::kFailed: {
      outcome.status = ExecutionStatus::kFailed;
      outcome.error = r.failure.error;
      outcome.cause = r.failure.cause;
      Json d = Json::object();
      if (!outcome.error.empty()) {
        d["error"] = outcome.error;
      }
      if (!outcome.cause.empty()) {
        d["cause"] = outcome.cause;
      }
      Record(scope, "ExecutionFailed", "executionFailedEventDetails", std::move(d));
      break;
    }
    case StepResult::kAborted: {
      outcome.status = ExecutionStatus::kAborted;
      Json d = Json::object();
      {
        std::lock_guard<std::mutex> lock(mu_);
        outcome.error = stop_reason_.error;
        outcome.cause = stop_reason_.cause;
      }
      if (!outcome.error.empty()) {
        d["error"] = outcome.error;
      }
      if (!outcome.cause.empty()) {
        d["cause"] = outcome.cause;
      }
      Record(scope, "ExecutionAborted", "executionAbortedEventDetails", std::move(d));
      break;
    }
    case StepResult::kTimedOut:
      outcome.status = ExecutionStatus::kTimedOut;
      outcome.error = kTimeout;
      outcome.cause = "The execution timed out.";
      Record(scope, "ExecutionTimedOut", "executionTimedOutEventDetails",
             {{"error", outcome.error}, {"cause", outcome.cause}});
      break;
  }
  return outcome;
}

Execution::StepResult Execution::RunMachine(const Json& machine, Json input, Scope& scope) {
  std::string name = machine["StartAt"].get<std::string>();
  const Json& states = machine["States"];
  while (true) {
    if (stopped() || scope.Cancelled()) {
      return StepResult::Of(StepResult::kAborted);
    }
    if (has_deadline_ && clock_.Monotonic() >= deadline_) {
      return StepResult::Of(StepResult::kTimedOut);
    }
    StepResult r = RunState(name, states[name], std::move(input), scope);
    if (r.kind != StepResult::kOk) {
      return r;
    }
    if (r.next.empty()) {
      return r;
    }
    name = r.next;
    input = std::move(r.output);
  }
}

Execution::StepResult Execution::RunState(const std::string& name, const Json& state, Json raw,
                                          Scope& scope) {
  transitions_.fetch_add(1);
  const std::string& type = state["Type"].get_ref<const std::string&>();
  std::string entered = type + "StateEntered";
  std::string exited = type + "StateExited";
  Json entered_details = Details("input", raw);
  entered_details["name"] = name;
  scope.entered_event =
      Record(scope, entered.c_str(), "stateEnteredEventDetails", std::move(entered_details));
  scope.state_name = name;
  scope.context["State"] = {
      {"Name", name}, {"EnteredTime", Timestamp(clock_.Now())}, {"RetryCount", 0}};
  scope.context.erase("Map");

  auto runtime = [&](const std::string& message) {
    return StepResult::Fail(
        kRuntime, fmt::format("An error occurred while executing the state '{}' (entered at the "
                              "event id #{}). {}",
                              name, scope.entered_event, message));
  };
  auto select = [&](const char* field, const Json& from) -> Result<Json> {
    if (!state.contains(field)) {
      return from;
    }
    if (state[field].is_null()) {
      return Json::object();
    }
    std::string path = state[field].get<std::string>();
    Result<Json> v = SelectPath(path, from);
    if (!v.ok()) {
      return InvalidArgumentError(
          fmt::format("Invalid path '{}' : {}", path, v.status().message()));
    }
    return v;
  };
  auto finish = [&](Json output, std::string next) {
    Json d = Details("output", output);
    d["name"] = name;
    Record(scope, exited.c_str(), "stateExitedEventDetails", std::move(d));
    return StepResult::Ok(std::move(output), std::move(next));
  };
  std::string next = state.value("Next", "");

  if (type == "Fail") {
    std::string error = state.value("Error", "");
    std::string cause = state.value("Cause", "");
    for (const char* field : {"ErrorPath", "CausePath"}) {
      if (state.contains(field)) {
        Result<Json> v = SelectPath(state[field].get<std::string>(), raw);
        if (!v.ok() || !v->is_string()) {
          return runtime(fmt::format("The {} '{}' does not select a string in the input.", field,
                                     state[field].get<std::string>()));
        }
        (std::string(field) == "ErrorPath" ? error : cause) = v->get<std::string>();
      }
    }
    return StepResult::Fail(error, cause);
  }

  Result<Json> effective = select("InputPath", raw);
  if (!effective.ok()) {
    return runtime(effective.status().message());
  }
  auto output_of = [&](const Json& value) -> Result<Json> { return select("OutputPath", value); };

  if (type == "Succeed") {
    Result<Json> out = output_of(*effective);
    if (!out.ok()) {
      return runtime(out.status().message());
    }
    return finish(std::move(*out), "");
  }
  if (type == "Choice") {
    std::string target;
    for (const Json& rule : state["Choices"]) {
      Result<bool> holds = EvaluateChoiceRule(rule, *effective, scope.context);
      if (!holds.ok()) {
        return runtime(holds.status().message());
      }
      if (*holds) {
        target = rule["Next"].get<std::string>();
        break;
      }
    }
    if (target.empty()) {
      if (!state.contains("Default")) {
        return StepResult::Fail("States.NoChoiceMatched",
                                fmt::format("No Matches! (state '{}')", name));
      }
      target = state["Default"].get<std::string>();
    }
    Result<Json> out = output_of(*effective);
    if (!out.ok()) {
      return runtime(out.status().message());
    }
    return finish(std::move(*out), target);
  }
  if (type == "Wait") {
    StepResult w = RunWait(state, *effective);
    if (w.kind == StepResult::kFailed) {
      return runtime(w.failure.cause);
    }
    if (w.kind != StepResult::kOk) {
      return w;
    }
    Result<Json> out = output_of(*effective);
    if (!out.ok()) {
      return runtime(out.status().message());
    }
    return finish(std::move(*out), next);
  }

  // Pass, Task, Parallel, Map: Parameters, the work, ResultSelector, ResultPath, OutputPath,
  // with Retry and Catch around the work and its result processing.
  std::vector<int> attempts(state.contains("Retry") ? state["Retry"].size() : 0, 0);
  int retry_count = 0;
  while (true) {
    StepResult work;
    Json params = *effective;
    if (state.contains("Parameters") && type != "Map") {
      std::string error;
      Result<Json> p =
          ApplyTemplate(state["Parameters"], *effective, scope.context, random_, error);
      if (!p.ok() && error == kRuntime) {
        return runtime(p.status().message());
      }
      if (p.ok()) {
        params = std::move(*p);
      } else {
        work = StepResult::Fail(error, p.status().message());
      }
    }
    if (work.kind == StepResult::kFailed) {
      // Parameters failed: straight to Retry / Catch.
    } else if (type == "Pass") {
      work = StepResult::Ok(state.contains("Result") ? state["Result"] : params, "");
    } else if (type == "Task") {
      work = RunTask(name, state, params, scope);
    } else if (type == "Parallel") {
      work = RunParallel(name, state, params, scope);
    } else {
      work = RunMap(name, state, *effective, scope);
    }
    if (work.kind == StepResult::kAborted || work.kind == StepResult::kTimedOut) {
      return work;
    }
    if (work.kind == StepResult::kOk) {
      Json result = std::move(work.output);
      if (state.contains("ResultSelector")) {
        std::string error;
        Result<Json> s =
            ApplyTemplate(state["ResultSelector"], result, scope.context, random_, error);
        if (!s.ok()) {
          work = error == kRuntime ? runtime(s.status().message())
                                   : StepResult::Fail(error, s.status().message());
        } else {
          result = std::move(*s);
        }
      }
      if (work.kind == StepResult::kOk) {
        Json combined = raw;
        bool ok = true;
        if (!state.contains("ResultPath")) {
          combined = std::move(result);
        } else if (!state["ResultPath"].is_null()) {
          Result<JsonPath> rp = JsonPath::Parse(state["ResultPath"].get<std::string>());
          Status assigned = rp.ok() ? rp->Assign(combined, std::move(result)) : rp.status();
          if (!assigned.ok()) {
            work = StepResult::Fail("States.ResultPathMatchFailure", assigned.message());
            ok = false;
          }
        }
        if (ok) {
          Result<Json> out = output_of(combined);
          if (!out.ok()) {
            return runtime(out.status().message());
          }
          return finish(std::move(*out), next);
        }
      }
    }
    // A failure: retry, catch, or fail the state.
    const std::string& error = work.failure.error;
    if (Uncatchable(error)) {
      return work;
    }
    if (state.contains("Retry")) {
      const Json& retriers = state["Retry"];
      bool retried = false;
      for (size_t i = 0; i < retriers.size(); ++i) {
        const Json& retrier = retriers[i];
        if (!Matches(retrier["ErrorEquals"], error)) {
          continue;
        }
        int max_attempts = retrier.value("MaxAttempts", 3);
        if (attempts[i] >= max_attempts) {
          break;
        }
        double interval = retrier.value("IntervalSeconds", 1.0);
        double backoff = retrier.value("BackoffRate", 2.0);
        double delay = interval * std::pow(backoff, attempts[i]);
        if (retrier.contains("MaxDelaySeconds")) {
          delay = std::min(delay, retrier["MaxDelaySeconds"].get<double>());
        }
        if (retrier.value("JitterStrategy", "NONE") == "FULL") {
          delay *= random_.Uniform();
        }
        ++attempts[i];
        ++retry_count;
        if (!Sleep(std::chrono::nanoseconds(static_cast<int64_t>(delay * 1e9)))) {
          return StepResult::Of(stopped() ? StepResult::kAborted : StepResult::kTimedOut);
        }
        scope.context["State"]["RetryCount"] = retry_count;
        retried = true;
        break;
      }
      if (retried) {
        continue;
      }
    }
    if (state.contains("Catch")) {
      for (const Json& catcher : state["Catch"]) {
        if (!Matches(catcher["ErrorEquals"], error)) {
          continue;
        }
        Json error_output = {{"Error", error}, {"Cause", work.failure.cause}};
        Json combined = raw;
        if (!catcher.contains("ResultPath")) {
          combined = std::move(error_output);
        } else if (!catcher["ResultPath"].is_null()) {
          Result<JsonPath> rp = JsonPath::Parse(catcher["ResultPath"].get<std::string>());
          Status assigned = rp.ok() ? rp->Assign(combined, std::move(error_output)) : rp.status();
          if (!assigned.ok()) {
            return StepResult::Fail("States.ResultPathMatchFailure", assigned.message());
          }
        }
        return finish(std::move(combined), catcher["Next"].get<std::string>());
      }
    }
    if (type == "Parallel" || type == "Map") {
      Record(scope, type == "Map" ? "MapStateFailed" : "ParallelStateFailed", nullptr, {});
    }
    return work;
  }
}

Execution::StepResult Execution::RunWait(const Json& state, const Json& effective) {
  std::chrono::nanoseconds duration{0};
  if (state.contains("Seconds")) {
    duration = std::chrono::seconds(state["Seconds"].get<int64_t>());
  } else if (state.contains("SecondsPath")) {
    std::string path = state["SecondsPath"].get<std::string>();
    Result<Json> v = SelectPath(path, effective);
    if (!v.ok() || !v->is_number() || v->get<double>() < 0) {
      return StepResult::Fail(kRuntime,
                              fmt::format("The SecondsPath parameter '{}' does not reference a "
                                          "valid non-negative number",
                                          path));
    }
    duration = std::chrono::nanoseconds(static_cast<int64_t>(v->get<double>() * 1e9));
  } else {
    std::string text;
    if (state.contains("Timestamp")) {
      text = state["Timestamp"].get<std::string>();
    } else {
      std::string path = state["TimestampPath"].get<std::string>();
      Result<Json> v = SelectPath(path, effective);
      if (!v.ok() || !v->is_string()) {
        return StepResult::Fail(
            kRuntime,
            fmt::format("The TimestampPath parameter '{}' does not reference a timestamp", path));
      }
      text = v->get<std::string>();
    }
    auto target = ParseTimestamp(text);
    if (!target) {
      return StepResult::Fail(kRuntime, fmt::format("'{}' is not an ISO-8601 timestamp", text));
    }
    auto now = clock_.Now();
    if (*target > now) {
      duration = std::chrono::duration_cast<std::chrono::nanoseconds>(*target - now);
    }
  }
  if (!Sleep(duration)) {
    return StepResult::Of(stopped() ? StepResult::kAborted : StepResult::kTimedOut);
  }
  return StepResult::Ok(Json(), "");
}

Execution::StepResult Execution::RunTask(const std::string& name, const Json& state,
                                         const Json& params, Scope& scope) {
  (void)name;
  std::string resource = state["Resource"].get<std::string>();
  bool integration = resource == kLambdaInvoke;
  LambdaCall call;
  call.region = info_.region;
  call.account_id = info_.account_id;
  std::chrono::milliseconds timeout{0};
  if (state.contains("TimeoutSeconds")) {
    timeout = std::chrono::seconds(state["TimeoutSeconds"].get<int64_t>());
  } else if (state.contains("TimeoutSecondsPath")) {
    Result<Json> v = SelectPath(state["TimeoutSecondsPath"].get<std::string>(), params);
    if (!v.ok() || !v->is_number_integer() || v->get<int64_t>() < 1) {
      return StepResult::Fail(kRuntime,
                              "The TimeoutSecondsPath does not reference a positive "
                              "integer in the state's input");
    }
    timeout = std::chrono::seconds(v->get<int64_t>());
  }
  call.timeout = timeout;
  const char* resource_type = "lambda";
  if (integration) {
    if (!params.is_object() || !params.contains("FunctionName") ||
        !params["FunctionName"].is_string()) {
      return StepResult::Fail(
          kRuntime, "The Parameters of arn:aws:states:::lambda:invoke must name a FunctionName");
    }
    call.function = params["FunctionName"].get<std::string>();
    call.qualifier = params.value("Qualifier", "");
    call.invocation_type = params.value("InvocationType", "RequestResponse");
    if (params.contains("Payload")) {
      call.payload = params["Payload"].is_string() ? params["Payload"].get<std::string>()
                                                   : params["Payload"].dump();
    } else {
      call.payload = "{}";
    }
    Json scheduled = {{"resourceType", resource_type},
                      {"resource", "invoke"},
                      {"region", info_.region},
                      {"parameters", params.dump()}};
    if (timeout.count() > 0) {
      scheduled["timeoutInSeconds"] = timeout.count() / 1000;
    }
    Record(scope, "TaskScheduled", "taskScheduledEventDetails", std::move(scheduled));
    Record(scope, "TaskStarted", "taskStartedEventDetails",
           {{"resourceType", resource_type}, {"resource", "invoke"}});
  } else if (resource.rfind("arn:aws:lambda:", 0) == 0) {
    call.function = resource;
    call.payload = params.dump();
    Json scheduled = Details("input", params);
    scheduled["resource"] = resource;
    if (timeout.count() > 0) {
      scheduled["timeoutInSeconds"] = timeout.count() / 1000;
    }
    Record(scope, "LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails",
           std::move(scheduled));
    Record(scope, "LambdaFunctionStarted", nullptr, {});
  } else {
    return StepResult::Fail(
        kRuntime, fmt::format("The resource '{}' is not supported by the local cloud (it runs "
                              "Lambda functions and arn:aws:states:::lambda:invoke)",
                              resource));
  }

  auto started = clock_.Monotonic();
  LambdaReply reply = invoker_.InvokeLambda(call);
  bool late = timeout.count() > 0 && clock_.Monotonic() - started > timeout;
  auto fail = [&](const std::string& error, const std::string& cause, bool timed_out) {
    Json d = {{"error", error}, {"cause", cause}};
    if (integration) {
      d["resourceType"] = resource_type;
      d["resource"] = "invoke";
      Record(scope, timed_out ? "TaskTimedOut" : "TaskFailed",
             timed_out ? "taskTimedOutEventDetails" : "taskFailedEventDetails", std::move(d));
    } else {
      Record(scope, timed_out ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed",
             timed_out ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails",
             std::move(d));
    }
    return StepResult::Fail(error, cause);
  };
  if (reply.timed_out || late) {
    return fail(kTimeout, "", true);
  }
  if (!reply.error_code.empty()) {
    return fail(
        "Lambda." + reply.error_code,
        fmt::format("{} (Service: AWSLambda; Status Code: {}; Error Code: {}; Request ID: "
                    "{})",
                    reply.error_message, reply.status_code, reply.error_code, reply.request_id),
        false);
  }
  Json payload = Json::parse(reply.payload, nullptr, false);
  if (payload.is_discarded()) {
    payload = reply.payload.empty() ? Json() : Json(reply.payload);
  }
  if (!reply.function_error.empty()) {
    std::string error = "Lambda.Unknown";
    if (payload.is_object() && payload.contains("errorType") && payload["errorType"].is_string()) {
      error = payload["errorType"].get<std::string>();
    }
    return fail(error, reply.payload, false);
  }
  Json result = payload;
  if (integration) {
    Json headers = {{"Content-Type", "application/json"},
                    {"X-Amz-Executed-Version", reply.executed_version},
                    {"x-amzn-RequestId", reply.request_id},
                    {"Content-Length", std::to_string(reply.payload.size())}};
    Json all = Json::object();
    for (auto it = headers.begin(); it != headers.end(); ++it) {
      all[it.key()] = Json::array({it.value()});
    }
    result = {{"ExecutedVersion", reply.executed_version},
              {"Payload", payload},
              {"SdkHttpMetadata",
               {{"AllHttpHeaders", all},
                {"HttpHeaders", headers},
                {"HttpStatusCode", reply.status_code}}},
              {"SdkResponseMetadata", {{"RequestId", reply.request_id}}},
              {"StatusCode", reply.status_code}};
    Record(scope, "TaskSucceeded", "taskSucceededEventDetails", [&] {
      Json d = Details("output", result);
      d["resourceType"] = resource_type;
      d["resource"] = "invoke";
      return d;
    }());
  } else {
    Record(scope, "LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails",
           Details("output", result));
  }
  return StepResult::Ok(std::move(result), "");
}

Execution::StepResult Execution::RunParallel(const std::string& name, const Json& state,
                                             const Json& input, Scope& scope) {
  (void)name;
  Record(scope, "ParallelStateStarted", nullptr, {});
  const Json& branches = state["Branches"];
  std::vector<StepResult> results(branches.size());
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::vector<std::thread> threads;
  int64_t started_event = scope.last_event;
  for (size_t i = 0; i < branches.size(); ++i) {
    threads.emplace_back([&, i] {
      Scope branch;
      branch.last_event = started_event;
      branch.context = scope.context;
      branch.cancels = scope.cancels;
      branch.cancels.push_back(cancel);
      results[i] = RunMachine(branches[i], input, branch);
      if (results[i].kind != StepResult::kOk) {
        cancel->store(true);
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  Json outputs = Json::array();
  for (StepResult& r : results) {
    if (r.kind == StepResult::kFailed) {
      return r;
    }
  }
  for (StepResult& r : results) {
    if (r.kind != StepResult::kOk) {
      return r;
    }
    outputs.push_back(std::move(r.output));
  }
  Record(scope, "ParallelStateSucceeded", nullptr, {});
  return StepResult::Ok(std::move(outputs), "");
}

Execution::StepResult Execution::RunMap(const std::string& name, const Json& state,
                                        const Json& effective, Scope& scope) {
  std::string items_path = state.value("ItemsPath", "$");
  Result<Json> items = SelectPath(items_path, effective);
  if (!items.ok() || !items->is_array()) {
    return StepResult::Fail(
        kRuntime, fmt::format("An error occurred while executing the state '{}' (entered at the "
                              "event id #{}). Invalid path '{}' : {}",
                              name, scope.entered_event, items_path,
                              items.ok() ? "The Map state's ItemsPath references a non-array value"
                                         : items.status().message()));
  }
  const Json& machine =
      state.contains("ItemProcessor") ? state["ItemProcessor"] : state["Iterator"];
  const Json* selector = state.contains("ItemSelector") ? &state["ItemSelector"]
                         : state.contains("Parameters") ? &state["Parameters"]
                                                        : nullptr;
  size_t n = items->size();
  Record(scope, "MapStateStarted", "mapStateStartedEventDetails", {{"length", n}});
  int64_t started_event = scope.last_event;
  size_t max = state.value("MaxConcurrency", 0);
  size_t workers = std::min(n, max == 0 ? kMaxMapWorkers : max);
  std::vector<StepResult> results(n);
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  std::atomic<size_t> next_index{0};
  auto work = [&] {
    while (true) {
      size_t i = next_index.fetch_add(1);
      if (i >= n || cancel->load()) {
        return;
      }
      Scope iteration;
      iteration.last_event = started_event;
      iteration.cancels = scope.cancels;
      iteration.cancels.push_back(cancel);
      iteration.context = scope.context;
      Json item_input = (*items)[i];
      if (selector != nullptr) {
        Json ctx = scope.context;
        ctx["Map"] = {{"Item", {{"Index", i}, {"Value", (*items)[i]}}}};
        std::string error;
        Result<Json> v = ApplyTemplate(*selector, effective, ctx, random_, error);
        if (!v.ok()) {
          results[i] = StepResult::Fail(error, v.status().message());
          cancel->store(true);
          return;
        }
        item_input = std::move(*v);
      }
      Json it = {{"name", name}, {"index", i}};
      Record(iteration, "MapIterationStarted", "mapIterationStartedEventDetails", it);
      results[i] = RunMachine(machine, std::move(item_input), iteration);
      switch (results[i].kind) {
        case StepResult::kOk:
          Record(iteration, "MapIterationSucceeded", "mapIterationSucceededEventDetails", it);
          break;
        case StepResult::kFailed:
          Record(iteration, "MapIterationFailed", "mapIterationFailedEventDetails", it);
          cancel->store(true);
          break;
        default:
          Record(iteration, "MapIterationAborted", "mapIterationAbortedEventDetails", it);
          cancel->store(true);
          break;
      }
    }
  };
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    for (size_t w = 0; w < workers; ++w) {
      threads.emplace_back(work);
    }
    for (std::thread& t : threads) {
      t.join();
    }
  }
  for (StepResult& r : results) {
    if (r.kind == StepResult::kFailed) {
      return r;
    }
  }
  Json outputs = Json::array();
  for (StepResult& r : results) {
    if (r.kind != StepResult::kOk) {
      return StepResult::Of(r.kind);
    }
    outputs.push_back(std::move(r.output));
  }
  if (stopped() || outputs.size() != n) {
    return StepResult::Of(StepResult::kAborted);
  }
  Record(scope, "MapStateSucceeded", nullptr, {});
  return StepResult::Ok(std::move(outputs), "");
}

}  // namespace cf::cloud::stepfunctions
