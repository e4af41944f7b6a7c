#pragma once

// The service models built into the binary (see docs/aws-models.md): botocore's
// service-2.json, waiters-2.json and paginators-1.json for the services clusterform drives,
// minified and embedded at build time by gen/embed_models.py. Each is parsed on first use.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "aws/model.h"
#include "base/status.h"

namespace cf::aws {

// One embedded service as the generator writes it: its botocore name ("ec2", "elbv2") and
// the minified JSON texts (service is never empty; waiters / paginators may be).
struct EmbeddedService {
  const char* name;
  const char* api_version;
  const char* service_json;
  const char* waiters_json;
  const char* paginators_json;
};

// The table the generated models_data.cc defines.
const std::vector<EmbeddedService>& EmbeddedServices();

// The catalogue of embedded models. Thread-safe; a model, once parsed, lives as long as the
// Models object and is never changed, so the pointers Find returns stay valid.
class Models {
 public:
  Models() = default;
  Models(const Models&) = delete;
  Models& operator=(const Models&) = delete;

  // The model of `service` (botocore's name: "ec2", "elbv2", "s3", ...). NotFound
  // "unknown service \"foo\"" when it is not embedded; Internal when its text fails to parse.
  Result<const ServiceModel*> Find(std::string_view service) const;

  // The names of every embedded service, sorted.
  static std::vector<std::string> Names();

 private:
  mutable std::mutex mu_;
  mutable std::map<std::string, std::unique_ptr<ServiceModel>, std::less<>>
      parsed_;  // guarded by mu_
};

}  // namespace cf::aws
