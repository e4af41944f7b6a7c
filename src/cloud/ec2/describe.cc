#include "cloud/ec2/describe.h"

#include <fmt/core.h>

namespace cf::cloud::ec2 {

bool WildcardMatch(const std::string& pattern, const std::string& text) {
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string::npos;
  size_t mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

std::map<std::string, std::string> TagMap(const Json& resource) {
  std::map<std::string, std::string> tags;
  if (resource.contains("Tags") && resource["Tags"].is_array()) {
    for (const Json& tag : resource["Tags"]) {
      tags[tag.value("Key", "")] = tag.value("Value", "");
    }
  }
  return tags;
}

Json TagList(const std::map<std::string, std::string>& tags) {
  Json list = Json::array();
  for (const auto& [key, value] : tags) {
    list.push_back({{"Key", key}, {"Value", value}});
  }
  return list;
}

std::optional<std::vector<std::string>> TagFilterValues(const Json& resource,
                                                        const std::string& name) {
  std::map<std::string, std::string> tags = TagMap(resource);
  std::vector<std::string> values;
  if (name.rfind("tag:", 0) == 0) {
    auto it = tags.find(name.substr(4));
    if (it != tags.end()) {
      values.push_back(it->second);
    }
    return values;
  }
  if (name == "tag-key" || name == "tag-value") {
    for (const auto& [key, value] : tags) {
      values.push_back(name == "tag-key" ? key : value);
    }
    return values;
  }
  return std::nullopt;
}

std::variant<std::vector<Json>, ServiceError> ApplyFilters(std::vector<Json> resources,
                                                           const Json& input,
                                                           const FilterValues& values) {
  if (!input.contains("Filters")) {
    return resources;
  }
  for (const Json& filter : input["Filters"]) {
    std::string name = filter.value("Name", "");
    std::vector<std::string> wanted;
    if (filter.contains("Values")) {
      for (const Json& v : filter["Values"]) {
        wanted.push_back(v.get<std::string>());
      }
    }
    std::vector<Json> kept;
    for (Json& resource : resources) {
      std::optional<std::vector<std::string>> have = TagFilterValues(resource, name);
      if (!have) {
        have = values(resource, name);
      }
      if (!have) {
        return ServiceError{"InvalidParameterValue",
                            fmt::format("The filter '{}' is invalid", name), 400, true};
      }
      bool match = false;
      for (const std::string& w : wanted) {
        for (const std::string& h : *have) {
          match = match || WildcardMatch(w, h);
        }
      }
      if (match) {
        kept.push_back(std::move(resource));
      }
    }
    resources = std::move(kept);
  }
  return resources;
}

std::optional<ServiceError> Paginate(const std::vector<Json>& resources, const Json& input,
                                     const std::string& id_member, const std::string& list_name,
                                     Json& output) {
  size_t limit = resources.size();
  if (input.contains("MaxResults")) {
    int64_t max = input["MaxResults"].get<int64_t>();
    if (max < 5 || max > 1000) {
      return ServiceError{"InvalidParameterValue",
                          fmt::format("Value ( {} ) for parameter maxResults is invalid. "
                                      "Expecting a value greater than 5 and less than 1000.",
                                      max),
                          400, true};
    }
    limit = static_cast<size_t>(max);
  }
  size_t start = 0;
  if (input.contains("NextToken")) {
    std::string token = input["NextToken"].get<std::string>();
    start = resources.size();
    for (size_t i = 0; i < resources.size(); ++i) {
      if (resources[i].value(id_member, "") >= token) {
        start = i;
        break;
      }
    }
    if (token.empty()) {
      return ServiceError{"InvalidParameterValue", "The NextToken is invalid", 400, true};
    }
  }
  output[list_name] = Json::array();
  size_t end = std::min(resources.size(), start + limit);
  for (size_t i = start; i < end; ++i) {
    output[list_name].push_back(resources[i]);
  }
  if (end < resources.size()) {
    output["NextToken"] = resources[end].value(id_member, "");
  }
  return std::nullopt;
}

}  // namespace cf::cloud::ec2
