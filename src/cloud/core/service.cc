#include "cloud/core/service.h"

namespace cf::cloud {

ServiceError ValidationError(std::string message) {
  return ServiceError{"ValidationError", std::move(message), 400, true};
}

ServiceError InternalFailure(std::string message) {
  return ServiceError{"InternalFailure", std::move(message), 500, false};
}

ServiceError ThrottlingError(std::string message) {
  return ServiceError{"Throttling", std::move(message), 400, true};
}

ServiceError ServiceUnavailable(std::string message) {
  return ServiceError{"ServiceUnavailable", std::move(message), 503, false};
}

ServiceError InternalErrorOf(const Status& status) {
  ServiceError error = InternalFailure(status.message());
  error.internal = true;
  return error;
}

void ServiceRegistry::Register(std::unique_ptr<Service> service) {
  std::string name = service->name();
  services_[name] = std::move(service);
}

Service* ServiceRegistry::Find(const std::string& name) const {
  auto it = services_.find(name);
  return it == services_.end() ? nullptr : it->second.get();
}

Status ServiceRegistry::ResetAll() {
  Status first;
  for (auto& [name, service] : services_) {
    Status s = service->Reset();
    if (!s.ok() && first.ok()) {
      first = s.WithContext("resetting " + name);
    }
  }
  return first;
}

std::vector<std::string> ServiceRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, service] : services_) {
    names.push_back(name);
  }
  return names;
}

}  // namespace cf::cloud
