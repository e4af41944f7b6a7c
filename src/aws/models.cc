#include "aws/models.h"

#include <fmt/format.h>

#include <algorithm>

namespace cf::aws {
namespace {

Result<nlohmann::json> ParseText(const char* text, std::string_view what) {
  if (text == nullptr || *text == '\0') {
    return nlohmann::json();
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return InternalError(fmt::format("embedded {} does not parse: {}", what, e.what()));
  }
}

}  // namespace

Result<const ServiceModel*> Models::Find(std::string_view service) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = parsed_.find(service); it != parsed_.end()) {
    return it->second.get();
  }
  for (const EmbeddedService& embedded : EmbeddedServices()) {
    if (service != embedded.name) {
      continue;
    }
    ASSIGN_OR_RETURN(nlohmann::json tree, ParseText(embedded.service_json, "service model"));
    ASSIGN_OR_RETURN(nlohmann::json waiters, ParseText(embedded.waiters_json, "waiters"));
    ASSIGN_OR_RETURN(nlohmann::json paginators, ParseText(embedded.paginators_json, "paginators"));
    auto model = ServiceModel::FromJson(std::move(tree), std::move(waiters), std::move(paginators));
    if (!model.ok()) {
      return InternalError(
          fmt::format("embedded model {}: {}", embedded.name, model.status().message()));
    }
    const ServiceModel* result = model->get();
    parsed_.emplace(std::string(service), std::move(model).value());
    return result;
  }
  return NotFoundError(fmt::format("unknown service \"{}\"", service));
}

std::vector<std::string> Models::Names() {
  std::vector<std::string> names;
  for (const EmbeddedService& embedded : EmbeddedServices()) {
    names.push_back(embedded.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace cf::aws
