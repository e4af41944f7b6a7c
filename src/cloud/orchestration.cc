#include "cloud/orchestration.h"

#include <fmt/core.h>

#include "base/file_system.h"
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
    lambda::InvokeOutcome out = lambda_.InvokeInProcess(call.region, call.account_id,
                                                        call.function, call.qualifier,
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

}  // namespace

struct Orchestration::Impl {
  SeededRandom random;
  ThreadSleeper sleeper;
  std::unique_ptr<logs::ServiceLogSink> log_sink;
  std::unique_ptr<lambda::LambdaHost> host;
  std::unique_ptr<LambdaTaskInvoker> invoker;
};

Orchestration::Orchestration(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Orchestration::~Orchestration() {
  Shutdown();
}

void Orchestration::Shutdown() {
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
  impl->host = std::make_unique<lambda::LambdaHost>(context.clock, impl->random,
                                                    impl->log_sink.get());
  lambda::LambdaService::Options options;
  if (!data_dir.empty()) {
    options.code_root = JoinPath(data_dir, "lambda");
  }
  options.s3 = services.Find("s3");
  options.endpoint_url = [port] { return fmt::format("http://127.0.0.1:{}", port()); };
  auto lambda_service =
      std::make_unique<lambda::LambdaService>(context, *impl->host, std::move(options));
  impl->invoker = std::make_unique<LambdaTaskInvoker>(*lambda_service);
  services.Register(std::move(lambda_service));
  services.Register(std::make_unique<stepfunctions::StepFunctionsService>(
      context, *impl->invoker, impl->sleeper, impl->log_sink.get()));
  return std::unique_ptr<Orchestration>(new Orchestration(std::move(impl)));
}

}  // namespace cf::cloud
