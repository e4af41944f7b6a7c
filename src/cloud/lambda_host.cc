#include "cloud/lambda_host.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace cf::cloud::lambda {

namespace {

int64_t EpochMillis(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

std::string EntrypointError(const std::string& request_id, const std::string& why) {
  return fmt::format(R"({{"errorType":"Runtime.InvalidEntrypoint","errorMessage":"RequestId: {} )"
                     R"(Error: {}"}})",
                     request_id, why);
}

}  // namespace

struct LambdaHost::Env {
  std::string revision;
  std::string stream;
  std::mutex log_mu;
  std::vector<logs::LogLine> lines;                // guarded by log_mu: not yet flushed
  std::unique_ptr<LambdaEnvironment> environment;  // last: destroyed (joined) first

  void Log(int64_t ms, std::string message) {
    std::lock_guard<std::mutex> lock(log_mu);
    lines.push_back({ms, std::move(message)});
  }
};

LambdaHost::LambdaHost(const Clock& clock, Random& random, logs::LogSink* log_sink)
    : clock_(clock), random_(random), log_sink_(log_sink) {}

LambdaHost::~LambdaHost() {
  Shutdown();
}

void LambdaHost::Shutdown() {
  std::map<std::string, std::map<std::string, Pool>> pools;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    pools.swap(pools_);
  }
  for (auto& [arn, revisions] : pools) {
    for (auto& [revision, pool] : revisions) {
      for (auto& env : pool.idle) {
        env->environment->Shutdown();
      }
    }
  }
}

void LambdaHost::Retire(const std::string& function_arn) {
  std::map<std::string, Pool> retired;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pools_.find(function_arn);
    if (it == pools_.end()) {
      return;
    }
    retired.swap(it->second);
    pools_.erase(it);
  }
  for (auto& [revision, pool] : retired) {
    for (auto& env : pool.idle) {
      env->environment->Shutdown();
    }
  }
}

int LambdaHost::EnvironmentCount(const std::string& function_arn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pools_.find(function_arn);
  if (it == pools_.end()) {
    return 0;
  }
  int n = 0;
  for (auto& [revision, pool] : it->second) {
    n += pool.busy + static_cast<int>(pool.idle.size());
  }
  return n;
}

std::unique_ptr<LambdaHost::Env> LambdaHost::Start(const FunctionSpec& spec, std::string& error) {
  auto env = std::make_unique<Env>();
  env->revision = spec.revision;
  std::string hex;
  for (int i = 0; i < 2; ++i) {
    hex += fmt::format("{:016x}", random_.Next());
  }
  std::string day = FormatRfc3339(clock_.Now()).substr(0, 10);
  std::replace(day.begin(), day.end(), '-', '/');
  env->stream = fmt::format("{}/[{}]{}", day, spec.version, hex);
  EnvironmentSpec es;
  es.argv = spec.argv;
  es.environment = spec.environment;
  es.environment["AWS_LAMBDA_LOG_STREAM_NAME"] = env->stream;
  es.working_directory = spec.code_dir;
  es.function_arn = spec.function_arn;
  Env* raw = env.get();
  const Clock* clock = &clock_;
  es.log = [raw, clock](const std::string& line) { raw->Log(EpochMillis(*clock), line); };
  Result<std::unique_ptr<LambdaEnvironment>> started = LambdaEnvironment::Start(es, clock_);
  if (!started.ok()) {
    error = started.status().message();
    return nullptr;
  }
  env->environment = std::move(*started);
  return env;
}

void LambdaHost::Flush(Env& env, const FunctionSpec& spec) {
  std::vector<logs::LogLine> lines;
  {
    std::lock_guard<std::mutex> lock(env.log_mu);
    lines.swap(env.lines);
  }
  if (log_sink_ != nullptr && !lines.empty()) {
    (void)log_sink_->Append(spec.region, spec.account_id, spec.log_group, env.stream, lines);
  }
}

RunResult LambdaHost::Invoke(const FunctionSpec& spec, const RunRequest& request) {
  RunResult result;
  std::unique_ptr<Env> env;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_) {
      result.kind = RunResult::kServiceError;
      result.message = "the local cloud is stopping";
      return result;
    }
    auto& revisions = pools_[spec.function_arn];
    Pool& pool = revisions[spec.revision];
    while (!pool.idle.empty() && !env) {
      std::unique_ptr<Env> candidate = std::move(pool.idle.back());
      pool.idle.pop_back();
      if (candidate->environment->alive()) {
        env = std::move(candidate);
      }
    }
    int total = 0;
    for (auto& [revision, p] : revisions) {
      total += p.busy + static_cast<int>(p.idle.size());
    }
    int cap = spec.reserved_concurrency >= 0 ? spec.reserved_concurrency : kDefaultMaxEnvironments;
    if (!env && total >= cap) {
      result.kind = RunResult::kThrottled;
      return result;
    }
    ++pool.busy;
  }
  auto release = [&](std::unique_ptr<Env> back) {
    std::unique_ptr<Env> doomed;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto a = pools_.find(spec.function_arn);
      Pool* pool = nullptr;
      if (a != pools_.end()) {
        auto r = a->second.find(spec.revision);
        if (r != a->second.end()) {
          pool = &r->second;
        }
      }
      if (pool != nullptr) {
        --pool->busy;
      }
      if (back && pool != nullptr && back->environment && back->environment->alive()) {
        pool->idle.push_back(std::move(back));
      } else {
        doomed = std::move(back);
      }
    }
    if (doomed && doomed->environment) {
      doomed->environment->Shutdown();
    }
  };

  auto init_start = std::chrono::steady_clock::now();
  double init_ms = 0;
  if (!env) {
    result.cold_start = true;
    if (spec.argv.empty() || ::access(spec.argv[0].c_str(), F_OK) != 0) {
      release(nullptr);
      result.kind = RunResult::kFunctionError;
      result.payload =
          EntrypointError(request.request_id,
                          "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
      if (log_sink_ != nullptr) {
        (void)log_sink_->Append(
            spec.region, spec.account_id, spec.log_group,
            FormatRfc3339(clock_.Now()).substr(0, 10) + "/[" + spec.version + "]init",
            {{EpochMillis(clock_), result.payload}});
      }
      return result;
    }
    if (::access(spec.argv[0].c_str(), X_OK) != 0) {
      release(nullptr);
      result.kind = RunResult::kFunctionError;
      result.payload =
          EntrypointError(request.request_id, "fork/exec /var/task/bootstrap: permission denied");
      return result;
    }
    std::string error;
    env = Start(spec, error);
    if (!env) {
      release(nullptr);
      result.kind = RunResult::kServiceError;
      result.message = "starting the function's bootstrap: " + error;
      return result;
    }
    init_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - init_start)
            .count();
  }

  size_t first_line;
  {
    std::lock_guard<std::mutex> lock(env->log_mu);
    first_line = env->lines.size();
  }
  env->Log(EpochMillis(clock_),
           fmt::format("START RequestId: {} Version: {}", request.request_id, spec.version));
  Invocation inv;
  inv.request_id = request.request_id;
  inv.payload = request.payload;
  inv.timeout = std::chrono::seconds(spec.timeout_seconds);
  inv.client_context = request.client_context;
  inv.trace_id = fmt::format("Root=1-{:08x}-{:024x};Parent={:016x};Sampled=0",
                             static_cast<uint32_t>(EpochMillis(clock_) / 1000),
                             random_.Next() & 0xffffffffffffULL, random_.Next());
  auto started = std::chrono::steady_clock::now();
  InvocationResult r = env->environment->Invoke(inv);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (r.kind == InvocationResult::kTimedOut) {
    env->Log(EpochMillis(clock_),
             fmt::format("{} {} Task timed out after {:.2f} seconds", FormatRfc3339(clock_.Now()),
                         request.request_id, static_cast<double>(spec.timeout_seconds)));
  }
  env->Log(EpochMillis(clock_), fmt::format("END RequestId: {}", request.request_id));
  std::string report = fmt::format(
      "REPORT RequestId: {}\tDuration: {:.2f} ms\tBilled Duration: {} ms\tMemory Size: {} MB\t"
      "Max Memory Used: {} MB",
      request.request_id, ms, static_cast<int64_t>(std::ceil(ms)), spec.memory_mb,
      std::min(spec.memory_mb, 32));
  if (result.cold_start) {
    report += fmt::format("\tInit Duration: {:.2f} ms", init_ms);
  }
  if (r.kind == InvocationResult::kTimedOut) {
    report += "\tStatus: timeout";
  }
  env->Log(EpochMillis(clock_), report);
  if (request.tail_logs) {
    std::lock_guard<std::mutex> lock(env->log_mu);
    std::string tail;
    for (size_t i = first_line; i < env->lines.size(); ++i) {
      tail += env->lines[i].message + "\n";
    }
    result.log_tail = tail.size() > 4096 ? tail.substr(tail.size() - 4096) : tail;
  }
  Flush(*env, spec);
  result.payload = r.payload;
  result.kind = r.kind == InvocationResult::kOk ? RunResult::kOk : RunResult::kFunctionError;
  if (!r.reusable) {
    env->environment->Shutdown();
    Flush(*env, spec);
  }
  release(std::move(env));
  return result;
}

}  // namespace cf::cloud::lambda
