#include "cloud/elbv2/elbv2_common.h"

#include <fmt/core.h>

#include <set>

#include "cloud/core/ids.h"

namespace cf::cloud::elbv2 {

ServiceError Error(const char* code, std::string message) {
  return ServiceError{code, std::move(message), 400, true};
}

ServiceError InternalFailureOf(std::string message) {
  return ServiceError{"InternalFailure", std::move(message), 500, false};
}

ServiceError InvalidRequest(std::string message) {
  return Error("ValidationError", "Invalid request: " + std::move(message));
}

std::string ArnPrefix(const ServiceCall& call) {
  return fmt::format("arn:aws:elasticloadbalancing:{}:{}:", call.region, call.account_id);
}

std::string HexId(IdGenerator& ids) {
  return ids.ResourceId("x").substr(2, 16);
}

ServiceOr<std::vector<Json>> ListOwn(CallTxn& txn, const ServiceCall& call, const char* ns,
                                     const std::string& kind) {
  SERVICE_ASSIGN_OR_RETURN(auto docs, txn.List(ns, ArnPrefix(call) + kind));
  std::vector<Json> out;
  for (auto& [key, doc] : docs) {
    out.push_back(std::move(doc));
  }
  return out;
}

ServiceOr<Json> GetOwn(CallTxn& txn, const ServiceCall& call, const char* ns,
                       const std::string& arn, const ServiceError& not_found) {
  if (arn.rfind(ArnPrefix(call), 0) != 0) {
    return not_found;
  }
  return txn.Require(ns, arn, not_found);
}

ServiceStatus Put(CallTxn& txn, const char* ns, const Json& doc, const char* arn_key) {
  SERVICE_RETURN_IF_ERROR(txn.Put(ns, doc[arn_key].get<std::string>(), doc));
  return {};
}

std::vector<std::string> Strings(const Json& input, const char* member) {
  std::vector<std::string> out;
  if (input.contains(member) && input[member].is_array()) {
    for (const Json& v : input[member]) {
      if (v.is_string()) {
        out.push_back(v.get<std::string>());
      }
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

ServiceOr<Json> MergeTags(const Json& existing, const Json& tags) {
  Json merged = existing.is_array() ? existing : Json::array();
  std::set<std::string> seen;
  for (const Json& tag : tags) {
    std::string key = tag.value("Key", "");
    if (!seen.insert(key).second) {
      return Error("DuplicateTagKeys", fmt::format("Tag key '{}' is duplicated", key));
    }
    if (key.rfind("aws:", 0) == 0) {
      return Error("ValidationError", fmt::format("Tag key '{}' cannot start with 'aws:'", key));
    }
    Json entry = {{"Key", key}, {"Value", tag.value("Value", "")}};
    bool replaced = false;
    for (Json& old : merged) {
      if (old.value("Key", "") == key) {
        old = entry;
        replaced = true;
      }
    }
    if (!replaced) {
      merged.push_back(entry);
    }
  }
  if (merged.size() > 50) {
    return Error("TooManyTags", "The quota for the number of tags per resource (50) is reached");
  }
  return merged;
}

ServiceOr<std::optional<int64_t>> IntIn(const Json& input, const char* member, int64_t min,
                                        int64_t max) {
  if (!input.contains(member)) {
    return std::optional<int64_t>();
  }
  if (!input[member].is_number_integer()) {
    return Error("ValidationError", fmt::format("{} must be an integer", member));
  }
  int64_t value = input[member].get<int64_t>();
  if (value < min || value > max) {
    return Error("ValidationError",
                 fmt::format("1 validation error detected: Value '{}' at '{}' failed to satisfy "
                             "constraint: Member must have value between {} and {}",
                             value, member, min, max));
  }
  return std::optional<int64_t>(value);
}

ServiceResult Page(std::vector<Json> items, const Json& input, const std::string& list_name) {
  SERVICE_ASSIGN_OR_RETURN(std::optional<int64_t> size, IntIn(input, "PageSize", 1, 400));
  size_t page = static_cast<size_t>(size.value_or(400));
  size_t start = 0;
  if (input.contains("Marker")) {
    std::string marker = input.value("Marker", "");
    if (marker.empty() || marker.find_first_not_of("0123456789") != std::string::npos ||
        marker.size() > 9 || std::stoul(marker) > items.size()) {
      return Error("ValidationError", "The marker is not valid");
    }
    start = std::stoul(marker);
  }
  Json out = Json::object();
  out[list_name] = Json::array();
  for (size_t i = start; i < items.size() && i < start + page; ++i) {
    out[list_name].push_back(std::move(items[i]));
  }
  if (start + page < items.size()) {
    out["NextMarker"] = std::to_string(start + page);
  }
  return out;
}

std::string CheckName(const std::string& name, const char* what) {
  if (name.empty() || name.size() > 32) {
    return fmt::format("{} name '{}' must be between 1 and 32 characters", what, name);
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return fmt::format("{} name '{}' can contain only alphanumeric characters or hyphens", what,
                         name);
    }
  }
  if (name.front() == '-' || name.back() == '-') {
    return fmt::format("{} name '{}' cannot begin or end with a hyphen", what, name);
  }
  return "";
}

}  // namespace cf::cloud::elbv2
