#include "aws/model.h"

#include <fmt/format.h>

namespace cf::aws {

Result<Protocol> ParseProtocol(std::string_view name) {
  if (name == "ec2") {
    return Protocol::kEc2;
  }
  if (name == "query") {
    return Protocol::kQuery;
  }
  if (name == "json") {
    return Protocol::kJson;
  }
  if (name == "rest-json") {
    return Protocol::kRestJson;
  }
  if (name == "rest-xml") {
    return Protocol::kRestXml;
  }
  return InvalidArgumentError(fmt::format("unsupported protocol \"{}\"", name));
}

std::string_view ProtocolName(Protocol protocol) {
  switch (protocol) {
    case Protocol::kEc2:
      return "ec2";
    case Protocol::kQuery:
      return "query";
    case Protocol::kJson:
      return "json";
    case Protocol::kRestJson:
      return "rest-json";
    case Protocol::kRestXml:
      return "rest-xml";
  }
  return "?";
}

Result<Operation> ParseOperation(const nlohmann::json& definition) {
  if (!definition.is_object() || !definition.contains("name") || !definition["name"].is_string()) {
    return InvalidArgumentError("operation without a name");
  }
  Operation op;
  op.name = definition["name"].get<std::string>();
  op.definition = definition;
  if (auto it = definition.find("http"); it != definition.end() && it->is_object()) {
    op.http_method = it->value("method", "POST");
    op.request_uri = it->value("requestUri", "/");
    op.response_code = it->value("responseCode", 200);
  }
  if (auto it = definition.find("input"); it != definition.end() && it->is_object()) {
    op.input = *it;
  }
  if (auto it = definition.find("output"); it != definition.end() && it->is_object()) {
    op.output = *it;
  }
  if (auto it = definition.find("errors"); it != definition.end() && it->is_array()) {
    for (const auto& e : *it) {
      if (e.is_object() && e.contains("shape") && e["shape"].is_string()) {
        op.errors.push_back(e["shape"].get<std::string>());
      }
    }
  }
  if (auto it = definition.find("endpoint"); it != definition.end() && it->is_object()) {
    op.host_prefix = it->value("hostPrefix", "");
  }
  return op;
}

Result<std::unique_ptr<ServiceModel>> ServiceModel::FromJson(nlohmann::json service,
                                                             nlohmann::json waiters,
                                                             nlohmann::json paginators) {
  if (!service.is_object() || !service.contains("metadata") || !service["metadata"].is_object()) {
    return InvalidArgumentError("service model without metadata");
  }
  std::unique_ptr<ServiceModel> model(new ServiceModel());
  model->metadata_ = std::move(service["metadata"]);
  ASSIGN_OR_RETURN(model->protocol_, ParseProtocol(model->metadata_.value("protocol", "")));
  if (service.contains("shapes") && service["shapes"].is_object()) {
    model->shapes_ = std::move(service["shapes"]);
  } else {
    model->shapes_ = nlohmann::json::object();
  }
  if (service.contains("operations") && service["operations"].is_object()) {
    for (auto& [name, def] : service["operations"].items()) {
      if (def.is_object() && !def.contains("name")) {
        def["name"] = name;
      }
      ASSIGN_OR_RETURN(Operation op, ParseOperation(def));
      for (const nlohmann::json* ref : {&op.input, &op.output}) {
        if (ref->is_object() && model->FindShape(ref->value("shape", "")) == nullptr) {
          return InvalidArgumentError(fmt::format("operation {} refers to unknown shape \"{}\"",
                                                  name, ref->value("shape", "")));
        }
      }
      model->operations_.emplace(name, std::move(op));
    }
  }
  model->waiters_ = nlohmann::json::object();
  if (waiters.is_object() && waiters.contains("waiters") && waiters["waiters"].is_object()) {
    model->waiters_ = std::move(waiters["waiters"]);
  }
  model->paginators_ = nlohmann::json::object();
  if (paginators.is_object() && paginators.contains("pagination") &&
      paginators["pagination"].is_object()) {
    model->paginators_ = std::move(paginators["pagination"]);
  }
  return model;
}

std::string ServiceModel::endpoint_prefix() const {
  return metadata_.value("endpointPrefix", "");
}

std::string ServiceModel::signing_name() const {
  std::string name = metadata_.value("signingName", "");
  return name.empty() ? endpoint_prefix() : name;
}

std::string ServiceModel::api_version() const {
  return metadata_.value("apiVersion", "");
}

Result<const Operation*> ServiceModel::FindOperation(std::string_view name) const {
  auto it = operations_.find(name);
  if (it == operations_.end()) {
    return NotFoundError(fmt::format("unknown operation {}.{}", endpoint_prefix(), name));
  }
  return &it->second;
}

const nlohmann::json* ServiceModel::FindShape(std::string_view name) const {
  auto it = shapes_.find(name);
  if (it == shapes_.end()) {
    return nullptr;
  }
  return &*it;
}

Result<const nlohmann::json*> ServiceModel::FindWaiter(std::string_view name) const {
  auto it = waiters_.find(name);
  if (it == waiters_.end()) {
    return NotFoundError(fmt::format("{} has no waiter {}", endpoint_prefix(), name));
  }
  return &*it;
}

Result<const nlohmann::json*> ServiceModel::FindPaginator(std::string_view operation) const {
  auto it = paginators_.find(operation);
  if (it == paginators_.end()) {
    return NotFoundError(fmt::format("{}.{} does not paginate", endpoint_prefix(), operation));
  }
  return &*it;
}

}  // namespace cf::aws
