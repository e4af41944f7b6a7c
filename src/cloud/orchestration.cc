#include "cloud/orchestration.h"

#include <fmt/core.h>

#include "base/file_system.h"
#include "cloud/events/events_service.h"
#include "cloud/lambda/lambda_service.h"
#include "cloud/lambda_host.h"
#include "cloud/logs/log_sink.h"
#include "cloud/stepfunctions/stepfunctions_service.h"

namespace cf::cloud {

namespace {

// Step Functions Task states run through the Lambda service, in-process.
class LambdaTaskInvoker : public stepfunctions::TaskInvoker {
 public:
  explicit LambdaTaskInvoker(lambda::LambdaService& lambda) : lambda_(lambda) {}
  stepfunctions::LambdaReply InvokeLambda(const stepfunctions::LambdaCall& call) override {
    lambda::InvokeOutcome out =
        lambda_.InvokeInProcess(call.region, call.account_id, call.function, call.qualifier,
                                call.payload, call.invocation_type);
    stepfunctions::LambdaReply reply;
    reply.error_code = out.error_code;
    reply.error_message = out.error_message;
    reply.status_code = out.status_code;
    reply.function_error = out.function_error;
    reply.payload = out.payload;
    reply.executed_version = out.executed_version;
    reply.request_id = out.request_id;
    return reply;
  }

 private:
  lambda::LambdaService& lambda_;
};

// EventBridge targets: Lambda functions (asynchronous invocations) and state machines.
class ServiceTargets : public events::TargetDispatcher {
 public:
  ServiceTargets(lambda::LambdaService& lambda, stepfunctions::StepFunctionsService& states)
      : lambda_(lambda), states_(states) {}
  Status Deliver(const std::string& region, const std::string& account_id,
                 const std::string& target_arn, const std::string& role_arn,
                 const std::string& input) override {
    (void)role_arn;
    if (target_arn.rfind("arn:aws:lambda:", 0) == 0) {
      lambda::InvokeOutcome out =
          lambda_.InvokeInProcess(region, account_id, target_arn, "", input, "Event");
      if (!out.error_code.empty()) {
        return UnavailableError(out.error_code + ": " + out.error_message);
      }
      return OkStatus();
    }
    ServiceResult r = states_.Start(region, account_id, target_arn, input);
    if (!r.ok()) {
      return UnavailableError(r.error().code + ": " + r.error().message);
    }
    return OkStatus();
  }

 private:
  lambda::LambdaService& lambda_;
  stepfunctions::StepFunctionsService& states_;
};

}  // namespace

struct Orchestration::Impl {
  SeededRandom random;
  ThreadSleeper sleeper;
  std::unique_ptr<logs::ServiceLogSink> log_sink;
  std::unique_ptr<lambda::LambdaHost> host;
  std::unique_ptr<LambdaTaskInvoker> invoker;
  std::unique_ptr<ServiceTargets> targets;
  events::EventsService* events = nullptr;  // owned by the registry
};

Orchestration::Orchestration(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Orchestration::~Orchestration() {
  // The services (and `events`) may be gone already: only what this object owns is touched.
  impl_->events = nullptr;
  Shutdown();
}

void Orchestration::Shutdown() {
  if (impl_->events != nullptr) {
    impl_->events->Shutdown();
    impl_->events = nullptr;
  }
  if (impl_->host) {
    impl_->host->Shutdown();
  }
}

Result<std::unique_ptr<Orchestration>> Orchestration::Create(const ServiceContext& context,
                                                             ServiceRegistry& services,
                                                             const std::string& data_dir,
                                                             std::function<uint16_t()> port) {
  auto impl = std::make_unique<Impl>();
  if (Service* logs = services.Find("logs")) {
    impl->log_sink = std::make_unique<logs::ServiceLogSink>(*logs);
  }
  impl->host =
      std::make_unique<lambda::LambdaHost>(context.clock, impl->random, impl->log_sink.get());
  lambda::LambdaService::Options options;
  if (!data_dir.empty()) {
    options.code_root = JoinPath(data_dir, "lambda");
  }
  options.s3 = services.Find("s3");
  options.endpoint_url = [port] { return fmt::format("http://127.0.0.1:{}", port()); };
  auto lambda_service =
      std::make_unique<lambda::LambdaService>(context, *impl->host, std::move(options));
  impl->invoker = std::make_unique<LambdaTaskInvoker>(*lambda_service);
  auto states = std::make_unique<stepfunctions::StepFunctionsService>(
      context, *impl->invoker, impl->sleeper, impl->log_sink.get());
  impl->targets = std::make_unique<ServiceTargets>(*lambda_service, *states);
  auto events_service =
      std::make_unique<events::EventsService>(context, *impl->targets, impl->sleeper);
  impl->events = events_service.get();
  services.Register(std::move(lambda_service));
  services.Register(std::move(states));
  services.Register(std::move(events_service));
  return std::unique_ptr<Orchestration>(new Orchestration(std::move(impl)));
}

}  // namespace cf::cloud
