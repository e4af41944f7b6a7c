#pragma once

// What the Lambda service needs from whoever runs functions: start or reuse an execution
// environment for a function and run one invocation in it. The server's LambdaHost runs real
// processes through the Lambda Runtime API; tests use a fake.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cf::cloud::lambda {

// Everything needed to run one version of a function.
struct FunctionSpec {
  std::string function_arn;  // unqualified
  std::string name;
  std::string version = "$LATEST";
  std::string runtime;  // "provided.al2", "python3.12", ...
  std::string handler;
  std::string code_dir;  // the unpacked deployment package
  // Environments are reused only for the same key (code and configuration revision).
  std::string revision;
  // argv of the process: the bootstrap (provided runtimes) or the interpreter's runtime loop.
  std::vector<std::string> argv;
  int timeout_seconds = 3;
  int memory_mb = 128;
  // The process's whole environment but AWS_LAMBDA_RUNTIME_API and
  // AWS_LAMBDA_LOG_STREAM_NAME, which the runner adds.
  std::map<std::string, std::string> environment;
  int reserved_concurrency = -1;  // -1: unreserved
  std::string log_group;          // "/aws/lambda/NAME"
  std::string region;
  std::string account_id;
};

struct RunRequest {
  std::string request_id;
  std::string payload;
  std::string client_context;  // base64, or empty
  bool tail_logs = false;      // LogType Tail: return the last 4 KB of the log
};

struct RunResult {
  enum Kind {
    kOk,             // `payload` is the function's response
    kFunctionError,  // `payload` is the error document; FunctionError "Unhandled"
    kThrottled,      // no environment may be started (reserved concurrency reached)
    kServiceError,   // the environment could not be started: `message`
  };
  Kind kind = kOk;
  std::string payload;
  std::string message;
  std::string log_tail;  // raw text (not base64), when tail_logs
  bool cold_start = false;
};

// Thread-safe: Invoke is called from many threads at once.
class FunctionRunner {
 public:
  virtual ~FunctionRunner() = default;
  virtual RunResult Invoke(const FunctionSpec& spec, const RunRequest& request) = 0;
  // Ends every environment of `function_arn` (after an update or a delete).
  virtual void Retire(const std::string& function_arn) = 0;
};

}  // namespace cf::cloud::lambda
