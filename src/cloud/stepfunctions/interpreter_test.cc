#include "cloud/stepfunctions/interpreter.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "cloud/stepfunctions/definition.h"
#include "testing/fake_clock.h"

namespace cf::cloud::stepfunctions {
namespace {

using std::chrono::seconds;

// Lambda functions as C++ callables, by the name at the end of the ARN (or the FunctionName).
class FakeInvoker : public TaskInvoker {
 public:
  using Handler = std::function<LambdaReply(const Json& event)>;
  LambdaReply InvokeLambda(const LambdaCall& call) override {
    std::string name = call.function.substr(call.function.rfind(':') + 1);
    std::lock_guard<std::mutex> lock(mu_);
    calls.push_back(call);
    auto it = functions.find(name);
    if (it == functions.end()) {
      LambdaReply reply;
      reply.error_code = "ResourceNotFoundException";
      reply.error_message = "Function not found: " + call.function;
      reply.status_code = 404;
      return reply;
    }
    return it->second(Json::parse(call.payload));
  }
  static LambdaReply Ok(const Json& payload) {
    LambdaReply r;
    r.payload = payload.dump();
    r.request_id = "req-1";
    return r;
  }
  static LambdaReply Error(const std::string& type, const std::string& message) {
    LambdaReply r;
    r.function_error = "Unhandled";
    r.payload = Json{{"errorType", type}, {"errorMessage", message}}.dump();
    return r;
  }

  std::mutex mu_;
  std::map<std::string, Handler> functions;
  std::vector<LambdaCall> calls;
};

class InterpreterTest : public ::testing::Test {
 protected:
  ExecutionOutcome Run(const std::string& definition, const Json& input, double scale = 1.0) {
    Result<Json> parsed = ParseDefinition(definition);
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    if (!parsed.ok()) {
      return {};
    }
    ExecutionInfo info{"arn:aws:states:us-east-1:000000000000:execution:sm:run-1",
                       "run-1",
                       "arn:aws:states:us-east-1:000000000000:stateMachine:sm",
                       "sm",
                       "arn:aws:iam::000000000000:role/r",
                       "us-east-1",
                       "000000000000"};
    execution_ =
        std::make_unique<Execution>(*parsed, info, invoker_, clock_, sleeper_, random_, scale);
    return execution_->Run(input);
  }
  std::vector<std::string> EventTypes() {
    std::vector<std::string> out;
    for (const HistoryEvent& e : execution_->History()) {
      out.push_back(e.type);
    }
    return out;
  }
  Json Fn(const char* name) {
    return std::string("arn:aws:lambda:us-east-1:000000000000:function:") + name;
  }

  FakeClock clock_;
  ClockSleeper sleeper_{clock_};
  SeededRandom random_{1};
  FakeInvoker invoker_;
  std::unique_ptr<Execution> execution_;
};

TEST_F(InterpreterTest, PassStatesAndPathProcessing) {
  ExecutionOutcome out = Run(R"asl({"StartAt": "A", "States": {
      "A": {"Type": "Pass", "InputPath": "$.in", "Parameters": {"v.$": "$.x", "k": "lit",
            "exec.$": "$$.Execution.Name", "n.$": "States.MathAdd($.x, 1)"},
            "ResultPath": "$.out", "Next": "B"},
      "B": {"Type": "Pass", "Result": {"fixed": true}, "ResultPath": "$.out.r",
            "OutputPath": "$.out", "Next": "C"},
      "C": {"Type": "Pass", "ResultPath": null, "End": true}}})asl",
                             {{"in", {{"x", 41}}}, {"other", 1}});
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.error << ": " << out.cause;
  EXPECT_EQ(out.output, Json::parse(R"({"v": 41, "k": "lit", "exec": "run-1", "n": 42,
                                        "r": {"fixed": true}})"));
  EXPECT_EQ(EventTypes(),
            (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                      "PassStateEntered", "PassStateExited", "PassStateEntered",
                                      "PassStateExited", "ExecutionSucceeded"}));
  std::vector<HistoryEvent> h = execution_->History();
  EXPECT_EQ(h[1].details_member, "stateEnteredEventDetails");
  EXPECT_EQ(h[1].details["name"], "A");
  EXPECT_EQ(Json::parse(h[1].details["input"].get<std::string>())["other"], 1);
  EXPECT_EQ(h[2].previous_id, 2);
  EXPECT_EQ(execution_->transitions(), 3);
}

TEST_F(InterpreterTest, LambdaTaskByArnRecordsLambdaEvents) {
  invoker_.functions["double"] = [](const Json& e) {
    return FakeInvoker::Ok({{"value", e["value"].get<int>() * 2}});
  };
  ExecutionOutcome out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:double",
            "ResultSelector": {"doubled.$": "$.value"}, "ResultPath": "$.result", "End": true}}})",
                             {{"value", 21}});
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.cause;
  EXPECT_EQ(out.output, Json::parse(R"({"value": 21, "result": {"doubled": 42}})"));
  EXPECT_EQ(EventTypes(), (std::vector<std::string>{
                              "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                              "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
                              "ExecutionSucceeded"}));
  EXPECT_EQ(execution_->History()[2].details["resource"],
            "arn:aws:lambda:us-east-1:000000000000:function:double");
}

TEST_F(InterpreterTest, LambdaInvokeIntegrationShapesItsOutput) {
  invoker_.functions["echo"] = [](const Json& e) { return FakeInvoker::Ok(e); };
  ExecutionOutcome out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "echo", "Payload": {"id.$": "$.id", "k": 1}},
            "OutputPath": "$.Payload", "End": true}}})",
                             {{"id", "abc"}});
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.cause;
  EXPECT_EQ(out.output, Json::parse(R"({"id": "abc", "k": 1})"));
  ASSERT_EQ(invoker_.calls.size(), 1u);
  EXPECT_EQ(invoker_.calls[0].function, "echo");
  std::vector<HistoryEvent> h = execution_->History();
  ASSERT_EQ(h[2].type, "TaskScheduled");
  EXPECT_EQ(h[2].details["resourceType"], "lambda");
  EXPECT_EQ(h[2].details["resource"], "invoke");
  EXPECT_EQ(h[4].type, "TaskSucceeded");
  Json full = Json::parse(h[4].details["output"].get<std::string>());
  EXPECT_EQ(full["StatusCode"], 200);
  EXPECT_EQ(full["ExecutedVersion"], "$LATEST");
  EXPECT_EQ(full["SdkHttpMetadata"]["HttpStatusCode"], 200);
}

struct ChoiceCase {
  const char* rule;
  bool expected;
};

TEST_F(InterpreterTest, ChoiceOperators) {
  const Json input = Json::parse(R"({"s": "beta", "n": 5, "f": 2.5, "b": true,
      "t": "2024-01-02T00:00:00Z", "t2": "2024-01-02T01:00:00+01:00", "nul": null,
      "other": "beta", "m": 5})");
  const ChoiceCase cases[] = {
      {R"("Variable": "$.s", "StringEquals": "beta")", true},
      {R"("Variable": "$.s", "StringLessThan": "gamma")", true},
      {R"("Variable": "$.s", "StringGreaterThan": "alpha")", true},
      {R"("Variable": "$.s", "StringLessThanEquals": "beta")", true},
      {R"("Variable": "$.s", "StringGreaterThanEquals": "gamma")", false},
      {R"("Variable": "$.s", "StringEqualsPath": "$.other")", true},
      {R"("Variable": "$.s", "StringMatches": "b*a")", true},
      {R"("Variable": "$.s", "StringMatches": "a*")", false},
      {R"("Variable": "$.n", "NumericEquals": 5)", true},
      {R"("Variable": "$.f", "NumericLessThan": 3)", true},
      {R"("Variable": "$.n", "NumericGreaterThan": 5)", false},
      {R"("Variable": "$.n", "NumericGreaterThanEquals": 5)", true},
      {R"("Variable": "$.f", "NumericLessThanEquals": 2.5)", true},
      {R"("Variable": "$.n", "NumericEqualsPath": "$.m")", true},
      {R"("Variable": "$.n", "NumericLessThanPath": "$.m")", false},
      {R"("Variable": "$.s", "NumericEquals": 5)", false},
      {R"("Variable": "$.b", "BooleanEquals": true)", true},
      {R"("Variable": "$.b", "BooleanEqualsPath": "$.b")", true},
      {R"("Variable": "$.t", "TimestampEquals": "2024-01-02T00:00:00Z")", true},
      {R"("Variable": "$.t", "TimestampEqualsPath": "$.t2")", true},
      {R"("Variable": "$.t", "TimestampLessThan": "2024-01-02T00:00:01Z")", true},
      {R"("Variable": "$.t", "TimestampGreaterThan": "2024-01-01T23:59:59.5Z")", true},
      {R"("Variable": "$.t", "TimestampLessThanEquals": "2023-12-31T00:00:00Z")", false},
      {R"("Variable": "$.t", "TimestampGreaterThanEquals": "2024-01-02T00:00:00Z")", true},
      {R"("Variable": "$.nul", "IsNull": true)", true},
      {R"("Variable": "$.s", "IsNull": true)", false},
      {R"("Variable": "$.missing", "IsPresent": false)", true},
      {R"("Variable": "$.s", "IsPresent": true)", true},
      {R"("Variable": "$.f", "IsNumeric": true)", true},
      {R"("Variable": "$.s", "IsString": true)", true},
      {R"("Variable": "$.b", "IsBoolean": false)", false},
      {R"("Variable": "$.t", "IsTimestamp": true)", true},
      {R"("Variable": "$.s", "IsTimestamp": true)", false},
      {R"("And": [{"Variable": "$.n", "NumericEquals": 5}, {"Variable": "$.b",
          "BooleanEquals": true}])",
       true},
      {R"("Or": [{"Variable": "$.n", "NumericEquals": 6}, {"Variable": "$.b",
          "BooleanEquals": false}])",
       false},
      {R"("Not": {"Variable": "$.n", "NumericEquals": 6})", true},
  };
  for (const ChoiceCase& c : cases) {
    std::string def = std::string(R"({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{)") +
                      c.rule +
                      R"(, "Next": "Yes"}], "Default": "No"},
        "Yes": {"Type": "Pass", "Result": "yes", "End": true},
        "No": {"Type": "Pass", "Result": "no", "End": true}}})";
    ExecutionOutcome out = Run(def, input);
    ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << c.rule << ": " << out.cause;
    EXPECT_EQ(out.output, c.expected ? "yes" : "no") << c.rule;
  }
}

TEST_F(InterpreterTest, ChoiceWithoutMatchOrWithMissingVariableFails) {
  ExecutionOutcome out = Run(R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "E"}]},
      "E": {"Type": "Succeed"}}})",
                             {{"n", 2}});
  EXPECT_EQ(out.status, ExecutionStatus::kFailed);
  EXPECT_EQ(out.error, "States.NoChoiceMatched");
  out = Run(R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "E"}]},
      "E": {"Type": "Succeed"}}})",
            {{"n", 2}});
  EXPECT_EQ(out.error, "States.Runtime");
  EXPECT_NE(out.cause.find("Invalid path '$.x'"), std::string::npos) << out.cause;
}

TEST_F(InterpreterTest, WaitFormsSleepOnTheClockScaled) {
  auto t0 = clock_.Now();
  ExecutionOutcome out = Run(R"({"StartAt": "A", "States": {
      "A": {"Type": "Wait", "Seconds": 10, "Next": "B"},
      "B": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "C"},
      "C": {"Type": "Wait", "TimestampPath": "$.until", "Next": "D"},
      "D": {"Type": "Wait", "Timestamp": "2000-01-01T00:00:00Z", "End": true}}})",
                             {{"delay", 5}, {"until", "2015-08-30T12:37:00Z"}});
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.cause;
  // 10 s, 5 s, then until 12:37:00 (the fake clock starts at 12:36:00): 45 s more.
  EXPECT_EQ(clock_.Now() - t0, seconds(60));

  auto t1 = clock_.Now();
  out = Run(R"({"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 60, "End": true}}})",
            Json::object(), /*scale=*/0.01);
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(clock_.Now() - t1, std::chrono::milliseconds(600));
}

TEST_F(InterpreterTest, FailAndSucceed) {
  ExecutionOutcome out = Run(R"({"StartAt": "F", "States": {
      "F": {"Type": "Fail", "Error": "Custom.Error", "CausePath": "$.why"}}})",
                             {{"why", "because"}});
  EXPECT_EQ(out.status, ExecutionStatus::kFailed);
  EXPECT_EQ(out.error, "Custom.Error");
  EXPECT_EQ(out.cause, "because");
  EXPECT_EQ(EventTypes(),
            (std::vector<std::string>{"ExecutionStarted", "FailStateEntered", "ExecutionFailed"}));
  out = Run(R"({"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.a"}}})",
            {{"a", 1}});
  EXPECT_EQ(out.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(out.output, 1);
}

TEST_F(InterpreterTest, RetryBacksOffThenSucceeds) {
  int calls = 0;
  invoker_.functions["flaky"] = [&](const Json&) {
    return ++calls < 4 ? FakeInvoker::Error("Transient", "try again") : FakeInvoker::Ok("done");
  };
  auto t0 = clock_.Now();
  ExecutionOutcome out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:flaky",
            "Retry": [{"ErrorEquals": ["Other"], "MaxAttempts": 5},
                      {"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2,
                       "BackoffRate": 3, "MaxAttempts": 3, "MaxDelaySeconds": 10}],
            "End": true}}})",
                             Json::object());
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.cause;
  EXPECT_EQ(out.output, "done");
  EXPECT_EQ(calls, 4);
  // 2 s, 6 s, then 18 s capped at 10 s.
  EXPECT_EQ(clock_.Now() - t0, seconds(18));
}

TEST_F(InterpreterTest, RetriesExhaustedThenCaught) {
  invoker_.functions["broken"] = [](const Json&) { return FakeInvoker::Error("Boom", "it broke"); };
  ExecutionOutcome out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:broken",
            "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["Nope"], "Next": "Bad"},
                      {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}],
            "End": true},
      "Bad": {"Type": "Fail"},
      "Handled": {"Type": "Pass", "End": true}}})",
                             {{"keep", 1}});
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.cause;
  EXPECT_EQ(out.output["keep"], 1);
  EXPECT_EQ(out.output["error"]["Error"], "Boom");
  EXPECT_EQ(Json::parse(out.output["error"]["Cause"].get<std::string>())["errorMessage"],
            "it broke");
  EXPECT_EQ(invoker_.calls.size(), 3u);
  int failed = 0;
  for (const std::string& t : EventTypes()) {
    failed += t == "LambdaFunctionFailed";
  }
  EXPECT_EQ(failed, 3);
}

TEST_F(InterpreterTest, TaskFailedDoesNotMatchTimeoutAndUnknownFunctionsFail) {
  invoker_.functions["slow"] = [&](const Json&) {
    clock_.Advance(seconds(5));
    return FakeInvoker::Ok("late");
  };
  ExecutionOutcome out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:slow",
            "TimeoutSeconds": 2,
            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}], "End": true},
      "Caught": {"Type": "Succeed"}}})",
                             Json::object());
  EXPECT_EQ(out.status, ExecutionStatus::kFailed);
  EXPECT_EQ(out.error, "States.Timeout");
  EXPECT_EQ(EventTypes()[4], "LambdaFunctionTimedOut");

  out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:ghost",
            "End": true}}})",
            Json::object());
  EXPECT_EQ(out.error, "Lambda.ResourceNotFoundException");
  EXPECT_NE(out.cause.find("Function not found"), std::string::npos);
}

TEST_F(InterpreterTest, RuntimeErrorsAreNotCaught) {
  ExecutionOutcome out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f",
            "InputPath": "$.missing",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
      "C": {"Type": "Succeed"}}})",
                             {{"a", 1}});
  EXPECT_EQ(out.status, ExecutionStatus::kFailed);
  EXPECT_EQ(out.error, "States.Runtime");
  EXPECT_EQ(out.cause,
            "An error occurred while executing the state 'T' (entered at the event id #2). "
            "Invalid path '$.missing' : No results for path: $['missing']");
  out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Pass", "Parameters": {"x.$": "$.nope"}, "End": true}}})",
            {{"a", 1}});
  EXPECT_EQ(out.error, "States.Runtime");
  EXPECT_NE(out.cause.find("The JSONPath '$.nope' specified for the field 'x.$' could not be "
                           "found in the input '{\"a\":1}'"),
            std::string::npos)
      << out.cause;
}

TEST_F(InterpreterTest, IntrinsicAndResultPathFailuresAreCatchable) {
  ExecutionOutcome out = Run(R"asl({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f",
            "Parameters": {"x.$": "States.ArrayGetItem($.a, 9)"},
            "Catch": [{"ErrorEquals": ["States.IntrinsicFailure"], "Next": "C"}], "End": true},
      "C": {"Type": "Pass", "End": true}}})asl",
                             {{"a", {1}}});
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(out.output["Error"], "States.IntrinsicFailure");
  out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true}}})",
            {{"a", 5}});
  EXPECT_EQ(out.error, "States.ResultPathMatchFailure");
}

TEST_F(InterpreterTest, ParallelRunsBranchesAndFailsWithABranch) {
  invoker_.functions["echo"] = [](const Json& e) { return FakeInvoker::Ok(e); };
  ExecutionOutcome out = Run(R"({"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "ResultSelector": {"first.$": "$[0]", "second.$": "$[1].v"},
            "Branches": [
              {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
              {"StartAt": "B", "States": {"B": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:000000000000:function:echo",
                "End": true}}}],
            "End": true}}})",
                             {{"v", 7}});
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.cause;
  EXPECT_EQ(out.output, Json::parse(R"({"first": "a", "second": 7})"));
  std::vector<std::string> types = EventTypes();
  EXPECT_EQ(types[1], "ParallelStateEntered");
  EXPECT_EQ(types[2], "ParallelStateStarted");
  EXPECT_EQ(types[types.size() - 3], "ParallelStateSucceeded");
  EXPECT_EQ(types[types.size() - 2], "ParallelStateExited");

  out = Run(R"({"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "Branches": [
              {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
              {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "BranchBroke"}}}],
            "Catch": [{"ErrorEquals": ["BranchBroke"], "Next": "C"}], "End": true},
      "C": {"Type": "Pass", "Result": "caught", "End": true}}})",
            Json::object());
  ASSERT_EQ(out.status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(out.output, "caught");
}

TEST_F(InterpreterTest, MapIteratesWithSelectorsAndConcurrency) {
  invoker_.functions["square"] = [](const Json& e) {
    return FakeInvoker::Ok(e["v"].get<int>() * e["v"].get<int>() + e["i"].get<int>() * 1000);
  };
  for (int max : {0, 1, 2}) {
    std::string def = R"({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": )" +
                      std::to_string(max) + R"(,
              "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
              "ItemProcessor": {"StartAt": "S", "States": {"S": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:000000000000:function:square",
                "End": true}}},
              "ResultPath": "$.squares", "End": true}}})";
    ExecutionOutcome out = Run(def, {{"items", {1, 2, 3, 4, 5}}});
    ASSERT_EQ(out.status, ExecutionStatus::kSucceeded) << out.cause;
    EXPECT_EQ(out.output["squares"], Json::parse("[1, 1004, 2009, 3016, 4025]")) << max;
    int started = 0;
    for (const std::string& t : EventTypes()) {
      started += t == "MapIterationStarted";
    }
    EXPECT_EQ(started, 5);
  }
  ExecutionOutcome out = Run(R"({"StartAt": "M", "States": {
      "M": {"Type": "Map", "Iterator": {"StartAt": "C", "States": {
              "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericGreaterThan": 2,
                                                   "Next": "F"}], "Default": "OK"},
              "F": {"Type": "Fail", "Error": "TooBig"}, "OK": {"Type": "Succeed"}}},
            "End": true}}})",
                             Json::array({1, 2, 3}));
  EXPECT_EQ(out.status, ExecutionStatus::kFailed);
  EXPECT_EQ(out.error, "TooBig");
  std::vector<std::string> types = EventTypes();
  EXPECT_NE(std::find(types.begin(), types.end(), "MapIterationFailed"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "MapStateFailed"), types.end());
}

TEST_F(InterpreterTest, StopAbortsAndTimeoutSecondsTimesOut) {
  invoker_.functions["stopper"] = [&](const Json&) {
    execution_->Stop("User.Stop", "stopped by the test");
    return FakeInvoker::Ok(1);
  };
  ExecutionOutcome out = Run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:stopper",
            "Next": "After"},
      "After": {"Type": "Pass", "End": true}}})",
                             Json::object());
  EXPECT_EQ(out.status, ExecutionStatus::kAborted);
  EXPECT_EQ(out.error, "User.Stop");
  std::vector<std::string> types = EventTypes();
  EXPECT_EQ(types.back(), "ExecutionAborted");
  EXPECT_EQ(std::count(types.begin(), types.end(), "PassStateEntered"), 0);

  auto t0 = clock_.Now();
  out = Run(R"({"StartAt": "W", "TimeoutSeconds": 30, "States": {
      "W": {"Type": "Wait", "Seconds": 3600, "End": true}}})",
            Json::object());
  EXPECT_EQ(out.status, ExecutionStatus::kTimedOut);
  EXPECT_EQ(EventTypes().back(), "ExecutionTimedOut");
  EXPECT_EQ(clock_.Now() - t0, seconds(30));
}

}  // namespace
}  // namespace cf::cloud::stepfunctions
