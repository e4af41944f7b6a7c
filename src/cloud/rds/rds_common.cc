#include "cloud/rds/rds_common.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "cloud/rds/rds_rules.h"

namespace cf::cloud::rds {

std::string Key(const ServiceCall& call, const std::string& id) {
  return KeyPrefix(call) + id;
}

std::string KeyPrefix(const ServiceCall& call) {
  return call.account_id + "/" + call.region + "/";
}

std::string RdsArn(const ServiceCall& call, const char* kind, const std::string& id) {
  return fmt::format("arn:aws:rds:{}:{}:{}:{}", call.region, call.account_id, kind, id);
}

std::string IdOf(const std::string& id_or_arn) {
  std::string id = id_or_arn;
  if (id.rfind("arn:", 0) == 0) {
    size_t last = id.rfind(':');
    id = id.substr(last + 1);
  }
  std::transform(id.begin(), id.end(), id.begin(), ::tolower);
  return id;
}

ServiceError ClusterNotFound(const std::string& id) {
  return Error("DBClusterNotFoundFault", fmt::format("DBCluster {} not found.", id), 404);
}
ServiceError InstanceNotFound(const std::string& id) {
  return Error("DBInstanceNotFound", fmt::format("DBInstance {} not found.", id), 404);
}
ServiceError SnapshotNotFound(const std::string& id) {
  return Error("DBClusterSnapshotNotFoundFault", fmt::format("DBClusterSnapshot {} not found.", id),
               404);
}
ServiceError SubnetGroupNotFound(const std::string& name) {
  return Error("DBSubnetGroupNotFoundFault", fmt::format("DBSubnetGroup {} not found.", name), 404);
}
ServiceError ParameterGroupNotFound(const std::string& name, bool cluster) {
  if (cluster) {
    return Error("DBClusterParameterGroupNotFound",
                 fmt::format("DBClusterParameterGroup not found: {}", name), 404);
  }
  return Error("DBParameterGroupNotFound", fmt::format("DBParameterGroup not found: {}", name),
               404);
}

ServiceOr<std::vector<Json>> OneOrAll(CallTxn& txn, const ServiceCall& call, const char* ns,
                                      const char* member,
                                      ServiceError (*not_found)(const std::string& id)) {
  std::vector<Json> docs;
  if (call.input.contains(member)) {
    std::string id = IdOf(call.input[member].get<std::string>());
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> doc, txn.Get(ns, Key(call, id)));
    if (!doc) {
      return not_found(id);
    }
    docs.push_back(std::move(*doc));
    return docs;
  }
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(ns, KeyPrefix(call)));
  for (auto& [key, doc] : all) {
    docs.push_back(std::move(doc));
  }
  return docs;
}

ServiceOr<bool> Exists(CallTxn& txn, const char* ns, const std::string& key) {
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> doc, txn.Get(ns, key));
  return doc.has_value();
}

std::vector<std::string> Strings(const Json& input, const char* member) {
  std::vector<std::string> out;
  if (input.contains(member) && input[member].is_array()) {
    for (const Json& v : input[member]) {
      out.push_back(v.get<std::string>());
    }
  }
  return out;
}

Json Visible(Json doc) {
  for (auto it = doc.begin(); it != doc.end();) {
    if (it.key().rfind("_", 0) == 0) {
      it = doc.erase(it);
    } else {
      ++it;
    }
  }
  return doc;
}

ServiceOr<Filters> ReadFilters(const Json& input, const std::set<std::string>& known) {
  Filters filters;
  if (!input.contains("Filters")) {
    return filters;
  }
  for (const Json& f : input["Filters"]) {
    std::string name = f.value("Name", "");
    if (known.count(name) == 0) {
      return InvalidParameterValue(fmt::format("Unrecognized filter name: {}", name));
    }
    std::vector<std::string> values = Strings(f, "Values");
    auto& into = filters[name];
    into.insert(into.end(), values.begin(), values.end());
  }
  return filters;
}

bool Passes(const Filters& filters, const std::string& name, const std::string& value) {
  auto it = filters.find(name);
  if (it == filters.end()) {
    return true;
  }
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const std::string& v) { return v == value || IdOf(v) == value; });
}

ServiceResult Page(const std::vector<Json>& items, const Json& input, const char* list_member) {
  int64_t max = 100;
  if (input.contains("MaxRecords")) {
    max = input["MaxRecords"].get<int64_t>();
    if (max < 20 || max > 100) {
      return InvalidParameterValue(
          fmt::format("Invalid value {} for MaxRecords. Must be between 20 and 100", max));
    }
  }
  size_t start = 0;
  if (input.contains("Marker")) {
    std::string marker = input["Marker"].get<std::string>();
    if (marker.empty() || marker.find_first_not_of("0123456789") != std::string::npos ||
        marker.size() > 9) {
      return InvalidParameterValue("The marker is not valid: " + marker);
    }
    start = std::stoul(marker);
  }
  Json page = Json::array();
  for (size_t i = start; i < items.size() && page.size() < static_cast<size_t>(max); ++i) {
    page.push_back(items[i]);
  }
  Json out = {{list_member, page}};
  if (start + page.size() < items.size()) {
    out["Marker"] = std::to_string(start + page.size());
  }
  return out;
}

Json MergeTags(const Json& existing, const Json& tags) {
  Json merged = existing.is_array() ? existing : Json::array();
  for (const Json& tag : tags) {
    std::string key = tag.value("Key", "");
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const Json& t) { return t.value("Key", "") == key; });
    Json entry = {{"Key", key}, {"Value", tag.value("Value", "")}};
    if (it != merged.end()) {
      *it = entry;
    } else {
      merged.push_back(entry);
    }
  }
  return merged;
}

double Timestamp(int64_t ms) {
  return static_cast<double>(ms) / 1000.0;
}

}  // namespace cf::cloud::rds
