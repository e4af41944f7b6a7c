#pragma once

// The local cloud's Lambda execution environments (lambda::FunctionRunner): per function
// version, a pool of LambdaEnvironments (one bootstrap process each). An invocation takes an
// idle environment (warm) or starts one (cold, while the function's reserved concurrency or
// the host's per-function cap allows; otherwise it is throttled), runs the event, and puts the
// environment back unless it timed out, exited or failed to initialize.
//
// Logs: each environment writes to its own stream of the function's log group
// ("YYYY/MM/DD/[VERSION]<32 hex>"), with START / END / REPORT lines around each invocation
// as Lambda writes them, flushed to the LogSink when the invocation ends.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "cloud/core/random.h"
#include "cloud/lambda/function_runner.h"
#include "cloud/lambda_environment.h"
#include "cloud/logs/log_sink.h"

namespace cf::cloud::lambda {

class LambdaHost : public FunctionRunner {
 public:
  // Environments per function when it has no reserved concurrency.
  static constexpr int kDefaultMaxEnvironments = 16;

  // `log_sink` may be null (no logs). Everything must outlive the host.
  LambdaHost(const Clock& clock, Random& random, logs::LogSink* log_sink);
  ~LambdaHost() override;  // Shutdown.

  RunResult Invoke(const FunctionSpec& spec, const RunRequest& request) override;
  void Retire(const std::string& function_arn) override;
  // Ends every environment.
  void Shutdown();

  // Environments of `function_arn` alive now (idle or busy): for tests and the admin API.
  int EnvironmentCount(const std::string& function_arn);

 private:
  struct Env;
  struct Pool {
    std::vector<std::unique_ptr<Env>> idle;
    int busy = 0;
  };
  std::unique_ptr<Env> Start(const FunctionSpec& spec, std::string& error);
  void Flush(Env& env, const FunctionSpec& spec);

  const Clock& clock_;
  Random& random_;
  logs::LogSink* log_sink_;
  std::mutex mu_;
  std::map<std::string, std::map<std::string, Pool>> pools_;  // guarded by mu_: arn -> revision
  bool shut_down_ = false;                                    // guarded by mu_
};

}  // namespace cf::cloud::lambda
