#pragma once

// AWS Lambda for the local cloud (REST-JSON, signing name "lambda"): functions from a zip
// (ZipFile or an S3 object) with the provided.al2 / provided.al2023 / provided runtimes (a
// `bootstrap` executable) and python3.x when Debian's python3 is installed; GetFunction,
// GetFunctionConfiguration, UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction,
// ListFunctions, PublishVersion, ListVersionsByFunction, AddPermission, RemovePermission,
// GetPolicy, Put/Get/DeleteFunctionConcurrency, TagResource, UntagResource, ListTags and
// Invoke (RequestResponse, Event, DryRun) through a FunctionRunner.
//
// A function is Pending for the latency profile's "lambda:Function" delay after a create
// (and its LastUpdateStatus InProgress as long after an update), then Active.
//
// State in the Store:
//   lambda/function  "<region>|<name>" -> {"config": FunctionConfiguration, "versions":
//                    {"1": FunctionConfiguration...}, "policy": [statements], "tags": {},
//                    "concurrency": n (absent: unreserved), "ready_ms": epoch ms}
// Deployment packages are unpacked under <code root>/<CodeSha256 as hex>/ and kept while a
// version uses them.

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/lambda/function_runner.h"

namespace cf::cloud::lambda {

// The outcome of an in-process invocation (Step Functions tasks, EventBridge targets).
struct InvokeOutcome {
  std::string error_code;  // the API error ("ResourceNotFoundException"), empty when it ran
  std::string error_message;
  int status_code = 200;
  std::string function_error;  // "Unhandled" when the function failed
  std::string payload;
  std::string executed_version = "$LATEST";
  std::string request_id;
  std::string log_tail;  // the end of the invocation's log, when asked for
};

class LambdaService : public TableService<LambdaService> {
 public:
  struct Options {
    // Where deployment packages are unpacked; empty: a temporary directory removed with the
    // service.
    std::string code_root;
    // The S3 service that Code.S3Bucket/S3Key read from (null: S3 code is refused).
    Service* s3 = nullptr;
    // The local cloud's endpoint ("http://127.0.0.1:4566") for AWS_ENDPOINT_URL, asked at
    // each cold start (the port is known only once the server listens).
    std::function<std::string()> endpoint_url;
  };

  // `runner` must outlive the service.
  LambdaService(const ServiceContext& context, FunctionRunner& runner, Options options);
  ~LambdaService() override;  // Finishes queued Event invocations' threads.

  std::string name() const override { return "lambda"; }
  uint64_t MaxRequestBodyBytes() const override { return 70 * 1024 * 1024; }

  // Invokes `function` (name or ARN) synchronously ("RequestResponse") or queues it
  // ("Event"), as Invoke does.
  InvokeOutcome InvokeInProcess(const std::string& region, const std::string& account_id,
                                const std::string& function, const std::string& qualifier,
                                const std::string& payload,
                                const std::string& invocation_type = "RequestResponse",
                                bool tail_logs = false);

 private:
  // Handlers commit what they read before reading code from S3, retiring a function's
  // instances or running it: those use the store themselves.
  static const OperationTable<LambdaService>& Operations();

  ServiceResult CreateFunction(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetFunction(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetFunctionConfiguration(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateFunctionCode(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateFunctionConfiguration(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteFunction(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListFunctions(const ServiceCall& call, CallTxn& txn);
  ServiceResult PublishVersion(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListVersionsByFunction(const ServiceCall& call, CallTxn& txn);
  ServiceResult AddPermission(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemovePermission(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetPolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult PutFunctionConcurrency(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetFunctionConcurrency(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetFunctionCodeSigningConfig(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteFunctionConcurrency(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTags(const ServiceCall& call, CallTxn& txn);
  ServiceResult Invoke(const ServiceCall& call, CallTxn& txn);

  struct Code {
    std::string sha256_base64;
    int64_t size = 0;
    std::string dir;
  };
  // Reads Code (ZipFile or S3Bucket/S3Key) from `input`, unpacks it.
  ServiceOr<Code> LoadCode(const ServiceCall& call, const Json& code);
  // The FunctionConfiguration of `record` (State and LastUpdateStatus as of now).
  Json Present(const Json& record, const Json& config) const;
  ServiceOr<FunctionSpec> SpecOf(const Json& record, const Json& config);
  // Temporary credentials for `role_arn` assumed by function `name`, reused while valid.
  std::map<std::string, std::string> RoleCredentials(const std::string& role_arn,
                                                     const std::string& function,
                                                     const std::string& account);
  void RunQueued();

  ServiceContext context_;
  FunctionRunner& runner_;
  Options options_;
  bool own_code_root_ = false;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<FunctionSpec, RunRequest>> queue_;  // guarded by mu_: Event invocations
  bool stopping_ = false;                                  // guarded by mu_
  // Issued credentials by "role|function": env vars and expiry (epoch s).
  std::map<std::string, std::pair<std::map<std::string, std::string>, int64_t>>
      credentials_;  // guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace cf::cloud::lambda
