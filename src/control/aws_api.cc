#include "control/aws_api.h"

#include <fmt/core.h>

namespace cf::control {

Result<nlohmann::json> AwsApi::Call(std::string_view service, std::string_view operation,
                                    const nlohmann::json& params) {
  Result<AwsCallResult> r = Invoke(service, operation, params);
  if (!r.ok()) {
    return r.status();
  }
  if (r->error) {
    aws::AwsError e;
    e.code = r->error->code;
    e.message = r->error->message;
    return aws::AwsErrorToStatus(e, service, operation);
  }
  return std::move(r->output);
}

Result<AwsCallResult> ClientAwsApi::Invoke(std::string_view service, std::string_view operation,
                                           const nlohmann::json& params) {
  Result<aws::AwsResponse> r = client_.Invoke(service, operation, params);
  if (!r.ok()) {
    return r.status();
  }
  AwsCallResult out;
  if (r->error) {
    out.error = AwsCallError{r->error->code, r->error->message};
  } else {
    out.output = std::move(r->output);
  }
  return out;
}

}  // namespace cf::control
