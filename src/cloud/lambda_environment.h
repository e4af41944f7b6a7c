#pragma once

// One Lambda execution environment: a `bootstrap` process (its own process group) and the
// Lambda Runtime API it talks to (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html),
// served on a listener of its own on 127.0.0.1 so that each environment sees exactly its own
// invocations:
//   GET  /2018-06-01/runtime/invocation/next           blocks until an event is ready
//   POST /2018-06-01/runtime/invocation/{id}/response  the result
//   POST /2018-06-01/runtime/invocation/{id}/error     a function error
//   POST /2018-06-01/runtime/init/error                initialization failed
// with the standard headers (Lambda-Runtime-Aws-Request-Id, -Deadline-Ms,
// -Invoked-Function-Arn, -Trace-Id). The process is started with AWS_LAMBDA_RUNTIME_API
// pointing at the listener plus the environment given; its stdout and stderr go, line by
// line, to the log callback.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/process.h"
#include "base/status.h"
#include "cloud/http_server.h"

namespace cf::cloud::lambda {

struct EnvironmentSpec {
  std::vector<std::string> argv;                   // the bootstrap and its arguments
  std::map<std::string, std::string> environment;  // AWS_LAMBDA_RUNTIME_API is added
  std::string working_directory;
  std::string function_arn;
  // Called with each line the process writes (from a reader thread).
  std::function<void(const std::string& line)> log;
};

struct Invocation {
  std::string request_id;
  std::string payload;
  std::chrono::milliseconds timeout{3000};
  std::string trace_id;
  std::string client_context;  // base64 JSON, or empty
};

struct InvocationResult {
  enum Kind { kOk, kFunctionError, kTimedOut, kExited, kInitError };
  Kind kind = kOk;
  std::string payload;  // the response, or the error document (JSON text)
  // False when the environment is gone or must not be reused (timeout, exit, init error).
  bool reusable = true;
};

// Thread-safe; one invocation at a time (Invoke calls are serialized by the caller).
class LambdaEnvironment : public HttpHandler {
 public:
  // Starts the listener and the process. The error when the process cannot be spawned.
  static Result<std::unique_ptr<LambdaEnvironment>> Start(EnvironmentSpec spec, const Clock& clock);
  ~LambdaEnvironment() override;  // Shutdown.

  // Hands `invocation` to the process and waits (real time) for its result, at most
  // `invocation.timeout`; past it the process group is killed (kTimedOut).
  InvocationResult Invoke(const Invocation& invocation);
  // Kills the process group, stops the listener and joins the threads. Idempotent.
  void Shutdown();
  bool alive() const;
  // "127.0.0.1:PORT".
  std::string address() const;

  HttpResponse Handle(const HttpRequest& request) override;
  HttpResponse Reject(const HttpRequest& request, int status, std::string_view code,
                      std::string_view message) override;

 private:
  LambdaEnvironment(EnvironmentSpec spec, const Clock& clock);

  EnvironmentSpec spec_;
  const Clock& clock_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<Process> process_;
  std::thread reader_;
  std::thread waiter_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<Invocation> pending_;               // guarded by mu_: waiting for /next
  std::string current_id_;                          // guarded by mu_
  std::chrono::system_clock::time_point deadline_;  // guarded by mu_
  std::optional<InvocationResult> result_;          // guarded by mu_
  std::optional<std::string> init_error_;           // guarded by mu_
  std::optional<ExitStatus> exit_;                  // guarded by mu_
  bool shutdown_ = false;                           // guarded by mu_
};

}  // namespace cf::cloud::lambda
