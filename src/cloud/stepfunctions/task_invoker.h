#pragma once

// How the interpreter runs a Task state's work: behind an interface, so the service wires in
// the local cloud's Lambda and tests use a fake.

#include <chrono>
#include <string>

namespace cf::cloud::stepfunctions {

// One Lambda invocation.
struct LambdaCall {
  std::string function;   // name, partial or full ARN as the state gave it
  std::string qualifier;  // version or alias; empty for $LATEST
  std::string payload;    // the event, JSON text
  std::string invocation_type = "RequestResponse";  // or "Event", "DryRun"
  std::string region;                               // of the state machine
  std::string account_id;
  std::chrono::milliseconds timeout{0};  // the Task's TimeoutSeconds; 0: none
};

// What Lambda answered.
struct LambdaReply {
  // Non-empty when the call itself failed (Lambda's error code: "ResourceNotFoundException",
  // "TooManyRequestsException", ...); the task fails with "Lambda.<code>".
  std::string error_code;
  std::string error_message;
  // "Unhandled" (or "Handled") when the function failed; `payload` holds its error document.
  std::string function_error;
  std::string payload;  // JSON text
  std::string executed_version = "$LATEST";
  int status_code = 200;
  std::string request_id;
  // True when the call was abandoned because `timeout` passed (States.Timeout).
  bool timed_out = false;
};

// Thread-safe: executions, Parallel branches and Map iterations call it concurrently.
class TaskInvoker {
 public:
  virtual ~TaskInvoker() = default;
  virtual LambdaReply InvokeLambda(const LambdaCall& call) = 0;
};

}  // namespace cf::cloud::stepfunctions
