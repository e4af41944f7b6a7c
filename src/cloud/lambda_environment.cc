#include "cloud/lambda_environment.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>

namespace cf::cloud::lambda {

namespace {

constexpr std::string_view kPrefix = "/2018-06-01/runtime/";

HttpResponse JsonAnswer(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

int64_t EpochMillis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

LambdaEnvironment::LambdaEnvironment(EnvironmentSpec spec, const Clock& clock)
    : spec_(std::move(spec)), clock_(clock) {}

Result<std::unique_ptr<LambdaEnvironment>> LambdaEnvironment::Start(EnvironmentSpec spec,
                                                                    const Clock& clock) {
  std::unique_ptr<LambdaEnvironment> env(new LambdaEnvironment(std::move(spec), clock));
  HttpServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.max_body_bytes = 6 * 1024 * 1024 + 1024;
  options.idle_timeout = std::chrono::hours(12);
  env->http_ = std::make_unique<HttpServer>(options, *env);
  RETURN_IF_ERROR(env->http_->Start());

  ProcessOptions p;
  p.argv = env->spec_.argv;
  p.environment = env->spec_.environment;
  p.environment["AWS_LAMBDA_RUNTIME_API"] = env->address();
  p.working_directory = env->spec_.working_directory;
  p.stdout_redirect = Redirect::Pipe();
  p.stderr_redirect = Redirect::ToStdout();
  Result<std::unique_ptr<Process>> process = Process::Spawn(p);
  if (!process.ok()) {
    env->http_->Stop();
    return process.status();
  }
  env->process_ = std::move(*process);
  LambdaEnvironment* self = env.get();
  env->reader_ = std::thread([self] {
    std::string buffer;
    char chunk[4096];
    int fd = self->process_->stdout_fd();
    while (true) {
      ssize_t n = ::read(fd, chunk, sizeof(chunk));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        break;
      }
      buffer.append(chunk, static_cast<size_t>(n));
      size_t nl;
      while ((nl = buffer.find('\n')) != std::string::npos) {
        if (self->spec_.log) {
          self->spec_.log(buffer.substr(0, nl));
        }
        buffer.erase(0, nl + 1);
      }
    }
    if (!buffer.empty() && self->spec_.log) {
      self->spec_.log(buffer);
    }
  });
  env->waiter_ = std::thread([self] {
    ExitStatus status = self->process_->Wait();
    std::lock_guard<std::mutex> lock(self->mu_);
    self->exit_ = status;
    self->cv_.notify_all();
  });
  return env;
}

LambdaEnvironment::~LambdaEnvironment() {
  Shutdown();
}

std::string LambdaEnvironment::address() const {
  return fmt::format("127.0.0.1:{}", http_->port());
}

bool LambdaEnvironment::alive() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !shutdown_ && !exit_ && !init_error_;
}

void LambdaEnvironment::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shutdown_) {
      return;
    }
    shutdown_ = true;
    cv_.notify_all();
  }
  if (process_) {
    process_->Kill();
  }
  if (waiter_.joinable()) {
    waiter_.join();
  }
  if (reader_.joinable()) {
    reader_.join();
  }
  if (http_) {
    http_->Stop();
  }
}

InvocationResult LambdaEnvironment::Invoke(const Invocation& invocation) {
  std::unique_lock<std::mutex> lock(mu_);
  auto gone = [&](InvocationResult::Kind kind, std::string payload) {
    InvocationResult r;
    r.kind = kind;
    r.payload = std::move(payload);
    r.reusable = false;
    return r;
  };
  auto exit_error = [&] {
    std::string how =
        exit_->exited()
            ? fmt::format("exit status {}", exit_->code)
            : fmt::format("signal: {}", exit_->signal == 9 ? std::string("killed")
                                                           : std::to_string(exit_->signal));
    return gone(InvocationResult::kExited,
                fmt::format(R"({{"errorType":"Runtime.ExitError","errorMessage":"RequestId: {} )"
                            R"(Error: Runtime exited with error: {}"}})",
                            invocation.request_id, how));
  };
  if (init_error_) {
    return gone(InvocationResult::kInitError, *init_error_);
  }
  if (exit_) {
    return exit_error();
  }
  if (shutdown_) {
    return gone(
        InvocationResult::kExited,
        R"({"errorType":"Runtime.ExitError","errorMessage":"the environment was shut down"})");
  }
  pending_ = invocation;
  current_id_ = invocation.request_id;
  deadline_ = clock_.Now() + invocation.timeout;
  result_.reset();
  cv_.notify_all();
  auto until = std::chrono::steady_clock::now() + invocation.timeout;
  bool done = cv_.wait_until(lock, until, [&] {
    return result_.has_value() || init_error_.has_value() || exit_.has_value() || shutdown_;
  });
  pending_.reset();
  current_id_.clear();
  if (result_) {
    InvocationResult r = std::move(*result_);
    result_.reset();
    return r;
  }
  if (init_error_) {
    return gone(InvocationResult::kInitError, *init_error_);
  }
  if (exit_) {
    return exit_error();
  }
  if (!done) {
    lock.unlock();
    if (process_) {
      process_->Kill();
    }
    double seconds = std::chrono::duration<double>(invocation.timeout).count();
    return gone(InvocationResult::kTimedOut,
                fmt::format(R"({{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: {} )"
                            R"(Error: Task timed out after {:.2f} seconds"}})",
                            invocation.request_id, seconds));
  }
  return gone(
      InvocationResult::kExited,
      R"({"errorType":"Runtime.ExitError","errorMessage":"the environment was shut down"})");
}

HttpResponse LambdaEnvironment::Handle(const HttpRequest& request) {
  std::string_view path = request.Path();
  if (path.substr(0, kPrefix.size()) != kPrefix) {
    return JsonAnswer(404, R"({"errorType":"NotFound","errorMessage":"no such Runtime API path"})");
  }
  std::string_view rest = path.substr(kPrefix.size());
  if (rest == "invocation/next") {
    if (request.method != "GET") {
      return JsonAnswer(405, R"({"errorType":"MethodNotAllowed","errorMessage":"use GET"})");
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return pending_.has_value() || shutdown_; });
    if (shutdown_) {
      HttpResponse r =
          JsonAnswer(500, R"({"errorType":"Shutdown","errorMessage":"shutting down"})");
      r.close_connection = true;
      return r;
    }
    Invocation inv = std::move(*pending_);
    pending_.reset();
    HttpResponse r = JsonAnswer(200, inv.payload);
    r.headers.push_back({"Lambda-Runtime-Aws-Request-Id", inv.request_id});
    r.headers.push_back({"Lambda-Runtime-Deadline-Ms", std::to_string(EpochMillis(deadline_))});
    r.headers.push_back({"Lambda-Runtime-Invoked-Function-Arn", spec_.function_arn});
    r.headers.push_back({"Lambda-Runtime-Trace-Id", inv.trace_id});
    if (!inv.client_context.empty()) {
      r.headers.push_back({"Lambda-Runtime-Client-Context", inv.client_context});
    }
    return r;
  }
  if (request.method != "POST") {
    return JsonAnswer(405, R"({"errorType":"MethodNotAllowed","errorMessage":"use POST"})");
  }
  if (rest == "init/error") {
    std::lock_guard<std::mutex> lock(mu_);
    std::string type(request.Header("lambda-runtime-function-error-type"));
    std::string body = request.body;
    if (body.empty()) {
      body = fmt::format(R"({{"errorType":"{}","errorMessage":""}})",
                         type.empty() ? "Runtime.Unknown" : type);
    }
    init_error_ = body;
    cv_.notify_all();
    return JsonAnswer(202, R"({"status":"OK"})");
  }
  constexpr std::string_view kInvocation = "invocation/";
  if (rest.substr(0, kInvocation.size()) == kInvocation) {
    std::string_view tail = rest.substr(kInvocation.size());
    size_t slash = tail.find('/');
    if (slash != std::string_view::npos) {
      std::string id(tail.substr(0, slash));
      std::string_view what = tail.substr(slash + 1);
      if (what == "response" || what == "error") {
        std::lock_guard<std::mutex> lock(mu_);
        if (id.empty() || id != current_id_ || result_) {
          return JsonAnswer(
              400, R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})");
        }
        InvocationResult r;
        if (what == "response") {
          r.kind = InvocationResult::kOk;
          r.payload = request.body;
        } else {
          r.kind = InvocationResult::kFunctionError;
          r.payload = request.body;
          if (r.payload.empty()) {
            std::string type(request.Header("lambda-runtime-function-error-type"));
            r.payload = fmt::format(R"({{"errorType":"{}","errorMessage":""}})",
                                    type.empty() ? "Runtime.Unknown" : type);
          }
        }
        result_ = std::move(r);
        cv_.notify_all();
        return JsonAnswer(202, R"({"status":"OK"})");
      }
    }
  }
  return JsonAnswer(404, R"({"errorType":"NotFound","errorMessage":"no such Runtime API path"})");
}

HttpResponse LambdaEnvironment::Reject(const HttpRequest& request, int status,
                                       std::string_view code, std::string_view message) {
  (void)request;
  HttpResponse r =
      JsonAnswer(status, fmt::format(R"({{"errorType":"{}","errorMessage":"{}"}})", code, message));
  r.close_connection = true;
  return r;
}

}  // namespace cf::cloud::lambda
