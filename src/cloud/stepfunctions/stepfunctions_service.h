#pragma once

// AWS Step Functions for the local cloud (JSON 1.0, signing name "states"): state machines
// (CreateStateMachine with the definition validated as AWS does, Describe, Update, Delete,
// List, tags, logging configuration) and executions (StartExecution, DescribeExecution,
// DescribeStateMachineForExecution, StopExecution, ListExecutions, GetExecutionHistory) run
// by the interpreter (interpreter.h) on threads the service owns.
//
// State in the Store:
//   states/machine    "<region>|<name>" -> the DescribeStateMachine shape (+ "_tags")
//   states/execution  "<execution arn>" -> the DescribeExecution shape (+ "_history" once it
//                     has ended, "_region")
// Running executions live in memory; one found RUNNING in the store but not in memory (the
// cloud was restarted) is reported ABORTED with cause "the local cloud restarted".
//
// Execution logs: with a loggingConfiguration level other than OFF, the history events the
// level selects (ALL: every event; ERROR: failures; FATAL: the execution's own failure) are
// written as JSON log events to the destination log group, stream
// "states/<machine>/<yyyy-mm-dd>/<execution name>", when the execution ends.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/core/random.h"
#include "cloud/logs/log_sink.h"
#include "cloud/stepfunctions/interpreter.h"
#include "cloud/stepfunctions/sleeper.h"
#include "cloud/stepfunctions/task_invoker.h"

namespace cf::cloud::stepfunctions {

class StepFunctionsService : public TableService<StepFunctionsService> {
 public:
  // `invoker` runs Task states, `sleeper` waits for Wait states and retries, `log_sink` takes
  // execution logs (null: none). All must outlive the service.
  StepFunctionsService(const ServiceContext& context, TaskInvoker& invoker, Sleeper& sleeper,
                       logs::LogSink* log_sink);
  ~StepFunctionsService() override;  // Stops every running execution and joins its thread.

  std::string name() const override { return "states"; }
  Status Reset() override;

  // Starts an execution of `state_machine_arn` as StartExecution does (EventBridge targets),
  // outside any call.
  ServiceResult Start(const std::string& region, const std::string& account_id,
                      const std::string& state_machine_arn, const std::string& input,
                      const std::string& name = "");
  // Blocks until the execution `arn` is no longer running (tests). False when unknown.
  bool WaitForExecution(const std::string& arn);

 private:
  struct Running {
    std::unique_ptr<Execution> execution;
    std::thread thread;
    bool done = false;
  };
  static const OperationTable<StepFunctionsService>& Operations();

  ServiceResult CreateStateMachine(const ServiceCall& call, CallTxn& txn);
  ServiceResult ValidateStateMachineDefinition(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeStateMachine(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateStateMachine(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteStateMachine(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListStateMachines(const ServiceCall& call, CallTxn& txn);
  ServiceResult StartExecution(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeExecution(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeStateMachineForExecution(const ServiceCall& call, CallTxn& txn);
  ServiceResult StopExecution(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListExecutions(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetExecutionHistory(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsForResource(const ServiceCall& call, CallTxn& txn);

  // Start and StartExecution: records the execution in `txn`, commits it and starts the
  // execution's thread.
  ServiceResult StartIn(CallTxn& txn, const std::string& state_machine_arn,
                        const std::string& input, const std::string& name);
  // Runs on the execution's thread: the interpreter, then the final record and the logs.
  void RunExecution(Execution* execution, std::string arn, Json machine, Json input);
  void StopAll();

  ServiceContext context_;
  TaskInvoker& invoker_;
  Sleeper& sleeper_;
  logs::LogSink* log_sink_;
  SeededRandom random_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::unique_ptr<Running>> running_;  // guarded by mu_, by ARN
  bool shutting_down_ = false;                               // guarded by mu_
};

}  // namespace cf::cloud::stepfunctions
