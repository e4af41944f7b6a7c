#pragma once

// The control plane's one door to AWS: (service, operation, params) -> output tree, or the
// service's error. ClientAwsApi goes through aws::Client (AWS or the local cloud); tests use
// FakeAwsApi (fake_aws_api.h).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "aws/client.h"
#include "base/status.h"

namespace cf::control {

// An AWS error answer, kept apart from transport failures so callers can act on the code.
struct AwsCallError {
  std::string code;  // "ConditionalCheckFailedException", "ResourceNotFoundException", ...
  std::string message;
};

struct AwsCallResult {
  nlohmann::json output = nlohmann::json::object();
  std::optional<AwsCallError> error;
  bool ok() const { return !error.has_value(); }
};

class AwsApi {
 public:
  virtual ~AwsApi() = default;
  // A Status only when no answer was had (unreachable endpoint, unknown operation, params
  // that do not fit the model); an AWS error answer is in the result. Thread-safe.
  virtual Result<AwsCallResult> Invoke(std::string_view service, std::string_view operation,
                                       const nlohmann::json& params) = 0;

  // Invoke with an AWS error folded into the Status ("dynamodb.GetItem: Code: message").
  Result<nlohmann::json> Call(std::string_view service, std::string_view operation,
                              const nlohmann::json& params);
};

// Over aws::Client; the client must outlive it.
class ClientAwsApi : public AwsApi {
 public:
  explicit ClientAwsApi(aws::Client& client) : client_(client) {}
  Result<AwsCallResult> Invoke(std::string_view service, std::string_view operation,
                               const nlohmann::json& params) override;

 private:
  aws::Client& client_;
};

}  // namespace cf::control
