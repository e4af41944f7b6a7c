#pragma once

// The AWS Lambda Runtime API (2018-06-01) as a loop: take the next invocation, run the
// handler, post its response or its error, forever. The same on AWS and on the local cloud's
// Lambda (docs/local-cloud.md, "Lambda"), which serves this API at AWS_LAMBDA_RUNTIME_API.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "aws/transport.h"
#include "base/status.h"

namespace cf::control {

struct Invocation {
  std::string request_id;
  std::string function_arn;
  int64_t deadline_ms = 0;
  std::string body;  // the event, as sent
};

// Not thread-safe. The transport must outlive it and must not time out a long poll (Next
// blocks until an event arrives).
class RuntimeApi {
 public:
  // `api` is AWS_LAMBDA_RUNTIME_API ("127.0.0.1:9001").
  RuntimeApi(aws::HttpTransport& transport, std::string api);

  Result<Invocation> Next();
  Status Respond(const std::string& request_id, const std::string& body);
  // Posts {"errorType": TYPE, "errorMessage": MESSAGE}.
  Status Fail(const std::string& request_id, const std::string& type, const std::string& message);
  Status InitError(const std::string& type, const std::string& message);

 private:
  Result<aws::HttpResponse> Post(const std::string& path, const std::string& body,
                                 const std::string& error_type = "");

  aws::HttpTransport& transport_;
  const std::string base_url_;
};

using InvocationHandler = std::function<Result<nlohmann::json>(const Invocation&)>;

// Serves invocations until the Runtime API fails (returns that error) or `max_invocations`
// (< 0: no limit) have been answered. An event that is not JSON is answered with an
// InvalidArgument error; a handler's Status is posted as an error whose type is the status
// code's name and whose message is the status message.
Status RunRuntimeLoop(RuntimeApi& api, const InvocationHandler& handler, int max_invocations = -1);

}  // namespace cf::control
