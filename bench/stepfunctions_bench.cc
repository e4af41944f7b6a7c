// State transitions per second of the Amazon States Language interpreter (target >= 10,000/s,
// docs/local-cloud.md "Step Functions"). Each iteration runs one execution to completion.
#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include "base/clock.h"
#include "cloud/core/random.h"
#include "cloud/stepfunctions/definition.h"
#include "cloud/stepfunctions/interpreter.h"

namespace {

using cf::cloud::stepfunctions::Execution;
using cf::cloud::stepfunctions::ExecutionInfo;
using cf::cloud::stepfunctions::ExecutionStatus;
using cf::cloud::stepfunctions::Json;

class EchoInvoker : public cf::cloud::stepfunctions::TaskInvoker {
 public:
  cf::cloud::stepfunctions::LambdaReply InvokeLambda(
      const cf::cloud::stepfunctions::LambdaCall& call) override {
    cf::cloud::stepfunctions::LambdaReply r;
    r.payload = call.payload;
    return r;
  }
};

void Run(benchmark::State& state, const std::string& text, const Json& input) {
  Json definition = cf::cloud::stepfunctions::ParseDefinition(text).value();
  cf::SystemClock clock;
  cf::cloud::ThreadSleeper sleeper;
  cf::cloud::SeededRandom random(1);
  EchoInvoker invoker;
  int64_t transitions = 0;
  for (auto _ : state) {
    Execution execution(definition, ExecutionInfo{}, invoker, clock, sleeper, random);
    auto outcome = execution.Run(input);
    if (outcome.status != ExecutionStatus::kSucceeded) {
      state.SkipWithError(outcome.cause.c_str());
      return;
    }
    transitions += execution.transitions();
  }
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
}

// A counting loop: Pass with an intrinsic, then a Choice, 1,000 times (2,002 transitions).
void BM_PassChoiceLoop(benchmark::State& state) {
  Run(state, R"asl({"StartAt": "Init", "States": {
      "Init": {"Type": "Pass", "Result": {"i": 0, "payload": {"name": "weka", "n": [1, 2, 3]}},
               "Next": "Step"},
      "Step": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)",
               "payload.$": "$.payload"}, "Next": "Check"},
      "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": 1000,
                "Next": "Step"}], "Default": "Done"},
      "Done": {"Type": "Succeed"}}})asl",
      Json::object());
}
BENCHMARK(BM_PassChoiceLoop)->Unit(benchmark::kMillisecond)->UseRealTime();

// Task states (an in-process invoker) with Retry/Catch declared and result processing.
void BM_TaskChain(benchmark::State& state) {
  std::string states;
  for (int i = 0; i < 100; ++i) {
    std::string next = i == 99 ? std::string("Done") : fmt::format("T{}", i + 1);
    states += fmt::format(
        R"("T{}": {{"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f",
           "ResultSelector": {{"v.$": "$.v"}}, "ResultPath": "$",
           "Retry": [{{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}}],
           "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "Done"}}], "Next": "{}"}},)",
        i, next);
  }
  Run(state, R"({"StartAt": "T0", "States": {)" + states + R"("Done": {"Type": "Succeed"}}})",
      Json{{"v", 42}});
}
BENCHMARK(BM_TaskChain)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
