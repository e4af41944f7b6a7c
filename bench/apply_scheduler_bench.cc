// Apply wall time against the critical path of the graph, for the scheduler alone: a provider
// whose every create takes LATENCY of real time, on a graph of WIDTH chains of DEPTH
// resources (critical path = DEPTH x LATENCY). Two ways to wait:
//   - clusterform: a create answers "pending" at once and the scheduler polls every pending
//     instance of the type in one Poll call per tick, so waiting holds no slot;
//   - Terraform-style: the create blocks for its whole latency inside the call, holding one of
//     -parallelism=10 slots (no pools).
// Counters: wall_over_critical_path (target <= 1.05 for clusterform at any width) and the Poll
// calls made.
//
// BM_AwsLikeProfile*: a synthetic graph 500 chains wide whose types take AWS-like creation
// times (below, in AWS seconds, run at a time scale of 1/50) and whose create calls take one
// API round trip (100 ms at scale); the pool of each type is its service. clusterform's way
// (pending + batched polls, the CLI's 0.5 s growing to 2 s poll interval at scale) beside
// Terraform's (-parallelism=10, each create blocking its slot for its whole latency, no pools).

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "apply/scheduler.h"
#include "base/clock.h"

namespace cf {
namespace {

using namespace std::chrono_literals;
using provider::Json;

class LatencyProvider : public provider::ResourceProvider {
 public:
  LatencyProvider(std::chrono::milliseconds latency, bool blocking)
      : latency_(latency), blocking_(blocking) {}
  bool Supports(std::string_view) const override { return true; }
  std::string Pool(std::string_view) const override { return "ec2"; }
  provider::UpdateRules Rules(std::string_view) const override { return {}; }
  Result<provider::StepResult> Create(const provider::InstanceRef& ref, const Json&) override {
    if (blocking_) {
      std::this_thread::sleep_for(latency_);
      return provider::StepResult{Json{{"id", ref.address}}, false};
    }
    std::lock_guard<std::mutex> lock(mu_);
    ready_at_[ref.address] = std::chrono::steady_clock::now() + latency_;
    return provider::StepResult{Json{{"id", ref.address}}, true};
  }
  Result<std::vector<std::optional<Json>>> Read(std::string_view,
                                                const std::vector<Json>& s) override {
    return std::vector<std::optional<Json>>(s.begin(), s.end());
  }
  Result<provider::StepResult> Update(const provider::InstanceRef&, const Json& prior,
                                      const Json&) override {
    return provider::StepResult{prior, false};
  }
  Result<provider::StepResult> Delete(const provider::InstanceRef&, const Json& s) override {
    return provider::StepResult{s, false};
  }
  Result<std::vector<provider::PollResult>> Poll(std::string_view,
                                                 const std::vector<Json>& states) override {
    ++polls;
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<provider::PollResult> out;
    auto now = std::chrono::steady_clock::now();
    for (const Json& s : states) {
      provider::PollResult p;
      p.phase = now >= ready_at_[s["id"].get<std::string>()]
                    ? provider::PollResult::Phase::kReady
                    : provider::PollResult::Phase::kPending;
      p.state = s;
      out.push_back(p);
    }
    return out;
  }
  Result<std::optional<Json>> Find(const provider::InstanceRef&, const Json&) override {
    return std::optional<Json>();
  }
  Result<Json> Import(std::string_view, std::string_view) override {
    return NotFoundError("no import");
  }
  std::atomic<int> polls{0};

 private:
  std::chrono::milliseconds latency_;
  bool blocking_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> ready_at_;
};

class NullConfigs : public apply::ConfigSource {
 public:
  Result<Json> Config(const std::string&) override { return Json::object(); }
};
class NullJournal : public apply::Journal {
 public:
  Status BeginCreate(const apply::Operation&, const std::string&) override { return OkStatus(); }
  Status Record(const apply::Operation&, const Json&) override { return OkStatus(); }
  Status Remove(const apply::Operation&) override { return OkStatus(); }
};
class NullSink : public apply::ProgressSink {
 public:
  void OnEvent(const apply::ProgressEvent&) override {}
};

void RunGraph(benchmark::State& bench, bool blocking) {
  const int width = static_cast<int>(bench.range(0));
  const int depth = 3;
  const auto latency = 200ms;
  std::vector<apply::Operation> ops;
  for (int d = 0; d < depth; ++d) {
    for (int w = 0; w < width; ++w) {
      apply::Operation op;
      op.address = "fake_thing.r" + std::to_string(d) + "_" + std::to_string(w);
      op.type = "fake_thing";
      if (d > 0) {
        op.depends_on = {"fake_thing.r" + std::to_string(d - 1) + "_" + std::to_string(w)};
      }
      ops.push_back(op);
    }
  }
  double ratio = 0;
  int polls = 0;
  for (auto _ : bench) {
    LatencyProvider provider(latency, blocking);
    NullConfigs configs;
    NullJournal journal;
    NullSink sink;
    SystemClock clock;
    apply::SchedulerOptions options;
    options.parallelism = 10;
    options.first_poll_interval = 5ms;
    options.poll_interval = 5ms;
    options.lineage = "bench";
    auto start = std::chrono::steady_clock::now();
    apply::Summary s = apply::RunOperations(ops, provider, configs, journal, sink, clock, options);
    auto wall = std::chrono::steady_clock::now() - start;
    if (!s.ok()) {
      bench.SkipWithError("the apply failed");
      return;
    }
    ratio = std::chrono::duration<double>(wall).count() /
            std::chrono::duration<double>(latency * depth).count();
    polls = provider.polls.load();
  }
  bench.counters["wall_over_critical_path"] = ratio;
  bench.counters["poll_calls"] = polls;
  bench.counters["resources"] = width * depth;
}

// AWS-like creation times (seconds) and services of the synthetic graph's types.
struct TypeProfile {
  const char* type;
  const char* service;
  double seconds;
};
constexpr TypeProfile kProfile[] = {
    {"aws_vpc", "ec2", 3},
    {"aws_subnet", "ec2", 2},
    {"aws_nat_gateway", "ec2", 95},
    {"aws_security_group", "ec2", 3},
    {"aws_iam_role", "iam", 2},
    {"aws_iam_role_policy_attachment", "iam", 1},
    {"aws_kms_key", "kms", 8},
    {"aws_kms_alias", "kms", 1},
    {"aws_s3_bucket", "s3", 3},
    {"aws_s3_bucket_versioning", "s3", 2},
    {"aws_dynamodb_table", "dynamodb", 12},
    {"aws_cloudwatch_log_group", "logs", 1},
};
// The chains the graph is made of, by index into kProfile, repeated across the width.
const std::vector<std::vector<int>> kChains = {{0, 1, 2}, {0, 1, 3}, {4, 5}, {6, 7}, {8, 9},
                                               {10},      {11},      {4, 5}, {8, 9}, {0, 3}};
constexpr double kTimeScale = 1.0 / 50;
constexpr auto kCallLatency = std::chrono::microseconds(2000);  // 100 ms at scale

class ProfileProvider : public provider::ResourceProvider {
 public:
  explicit ProfileProvider(bool blocking) : blocking_(blocking) {}
  static const TypeProfile& Of(std::string_view type) {
    for (const TypeProfile& p : kProfile) {
      if (type == p.type) {
        return p;
      }
    }
    return kProfile[0];
  }
  static std::chrono::microseconds Latency(std::string_view type) {
    return std::chrono::microseconds(static_cast<int64_t>(Of(type).seconds * kTimeScale * 1e6));
  }
  bool Supports(std::string_view) const override { return true; }
  std::string Pool(std::string_view type) const override { return Of(type).service; }
  provider::UpdateRules Rules(std::string_view) const override { return {}; }
  Result<provider::StepResult> Create(const provider::InstanceRef& ref, const Json&) override {
    std::this_thread::sleep_for(kCallLatency);
    if (blocking_) {
      std::this_thread::sleep_for(Latency(ref.type));
      return provider::StepResult{Json{{"id", ref.address}}, false};
    }
    std::lock_guard<std::mutex> lock(mu_);
    ready_at_[ref.address] = std::chrono::steady_clock::now() + Latency(ref.type);
    return provider::StepResult{Json{{"id", ref.address}}, true};
  }
  Result<std::vector<std::optional<Json>>> Read(std::string_view,
                                                const std::vector<Json>& s) override {
    return std::vector<std::optional<Json>>(s.begin(), s.end());
  }
  Result<provider::StepResult> Update(const provider::InstanceRef&, const Json& prior,
                                      const Json&) override {
    return provider::StepResult{prior, false};
  }
  Result<provider::StepResult> Delete(const provider::InstanceRef&, const Json& s) override {
    return provider::StepResult{s, false};
  }
  Result<std::vector<provider::PollResult>> Poll(std::string_view,
                                                 const std::vector<Json>& states) override {
    std::this_thread::sleep_for(kCallLatency);  // one Describe for the whole batch
    ++polls;
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<provider::PollResult> out;
    auto now = std::chrono::steady_clock::now();
    for (const Json& st : states) {
      provider::PollResult p;
      p.phase = now >= ready_at_[st["id"].get<std::string>()]
                    ? provider::PollResult::Phase::kReady
                    : provider::PollResult::Phase::kPending;
      p.state = st;
      out.push_back(p);
    }
    return out;
  }
  Result<std::optional<Json>> Find(const provider::InstanceRef&, const Json&) override {
    return std::optional<Json>();
  }
  Result<Json> Import(std::string_view, std::string_view) override {
    return NotFoundError("no import");
  }
  std::atomic<int> polls{0};

 private:
  bool blocking_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> ready_at_;
};

void RunAwsLike(benchmark::State& bench, bool terraform_style) {
  const int width = static_cast<int>(bench.range(0));
  std::vector<apply::Operation> ops;
  std::chrono::microseconds critical{0};
  for (int w = 0; w < width; ++w) {
    const std::vector<int>& chain = kChains[w % kChains.size()];
    std::chrono::microseconds length{0};
    std::string previous;
    for (size_t d = 0; d < chain.size(); ++d) {
      apply::Operation op;
      op.type = kProfile[chain[d]].type;
      op.address = fmt::format("{}.c{}_{}", op.type, w, d);
      if (!previous.empty()) {
        op.depends_on = {previous};
      }
      previous = op.address;
      length += ProfileProvider::Latency(op.type) + kCallLatency;
      ops.push_back(op);
    }
    critical = std::max(critical, length);
  }
  double ratio = 0;
  for (auto _ : bench) {
    ProfileProvider provider(terraform_style);
    NullConfigs configs;
    NullJournal journal;
    NullSink sink;
    SystemClock clock;
    apply::SchedulerOptions options;
    options.parallelism = 10;
    // The CLI's polling (first after 0.5 s, growing to every 2 s), at scale.
    options.first_poll_interval = std::chrono::milliseconds(static_cast<int64_t>(500 * kTimeScale));
    options.poll_interval = std::chrono::milliseconds(static_cast<int64_t>(2000 * kTimeScale));
    options.lineage = "bench";
    auto start = std::chrono::steady_clock::now();
    apply::Summary s = apply::RunOperations(ops, provider, configs, journal, sink, clock, options);
    auto wall = std::chrono::steady_clock::now() - start;
    if (!s.ok()) {
      bench.SkipWithError("the apply failed");
      return;
    }
    ratio = std::chrono::duration<double>(wall).count() /
            std::chrono::duration<double>(critical).count();
    bench.counters["poll_calls"] = provider.polls.load();
  }
  bench.counters["wall_over_critical_path"] = ratio;
  bench.counters["critical_path_aws_s"] =
      std::chrono::duration<double>(critical).count() / kTimeScale;
  bench.counters["resources"] = static_cast<double>(ops.size());
}

void BM_AwsLikeProfileClusterform(benchmark::State& bench) {
  RunAwsLike(bench, false);
}
void BM_AwsLikeProfileParallelism10NoPools(benchmark::State& bench) {
  RunAwsLike(bench, true);
}

BENCHMARK(BM_AwsLikeProfileClusterform)
    ->Arg(10)
    ->Arg(100)
    ->Arg(500)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_AwsLikeProfileParallelism10NoPools)
    ->Arg(10)
    ->Arg(100)
    ->Arg(500)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ApplyPendingPolled(benchmark::State& bench) {
  RunGraph(bench, false);
}
void BM_ApplyBlockingParallelism10(benchmark::State& bench) {
  RunGraph(bench, true);
}

BENCHMARK(BM_ApplyPendingPolled)
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Arg(500)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ApplyBlockingParallelism10)
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace cf

BENCHMARK_MAIN();
