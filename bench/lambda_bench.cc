// Lambda cold start and warm invoke through the local cloud's LambdaHost: a real bootstrap
// process (build/tests/lambda_test_bootstrap, C++, keep-alive Runtime API client) and a real
// Runtime API listener per environment. Targets (docs/local-cloud.md "Lambda"): cold start
// < 50 ms, warm invoke < 2 ms.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "base/clock.h"
#include "cloud/core/random.h"
#include "cloud/lambda_host.h"

namespace {

using cf::cloud::lambda::FunctionSpec;
using cf::cloud::lambda::LambdaHost;
using cf::cloud::lambda::RunRequest;
using cf::cloud::lambda::RunResult;

FunctionSpec Spec() {
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  std::filesystem::path bootstrap =
      self.parent_path().parent_path() / "tests" / "lambda_test_bootstrap";
  FunctionSpec spec;
  spec.function_arn = "arn:aws:lambda:us-east-1:000000000000:function:bench";
  spec.name = "bench";
  spec.runtime = "provided.al2";
  spec.code_dir = std::filesystem::temp_directory_path().string();
  spec.revision = "r1";
  spec.argv = {bootstrap.string()};
  spec.timeout_seconds = 10;
  spec.environment = {{"PATH", "/usr/bin:/bin"}, {"AWS_LAMBDA_FUNCTION_NAME", "bench"}};
  spec.log_group = "/aws/lambda/bench";
  spec.region = "us-east-1";
  spec.account_id = "000000000000";
  return spec;
}

void Invoke(benchmark::State& state, LambdaHost& host, const FunctionSpec& spec, int i) {
  RunRequest request;
  request.request_id = "req-" + std::to_string(i);
  request.payload = R"({"echo": {"n": 1}})";
  RunResult r = host.Invoke(spec, request);
  if (r.kind != RunResult::kOk) {
    state.SkipWithError((r.message + r.payload).c_str());
  }
}

void BM_ColdStart(benchmark::State& state) {
  cf::SystemClock clock;
  cf::cloud::SeededRandom random(1);
  LambdaHost host(clock, random, nullptr);
  FunctionSpec spec = Spec();
  int i = 0;
  for (auto _ : state) {
    host.Retire(spec.function_arn);  // the next invocation starts a new environment
    Invoke(state, host, spec, i++);
  }
}
BENCHMARK(BM_ColdStart)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WarmInvoke(benchmark::State& state) {
  cf::SystemClock clock;
  cf::cloud::SeededRandom random(1);
  LambdaHost host(clock, random, nullptr);
  FunctionSpec spec = Spec();
  Invoke(state, host, spec, 0);  // warm up
  int i = 1;
  for (auto _ : state) {
    Invoke(state, host, spec, i++);
  }
}
BENCHMARK(BM_WarmInvoke)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
