#include "cloud/ec2/describe.h"

#include <fmt/core.h>

#include "base/strings.h"

namespace cf::cloud::ec2 {

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
          match = match || GlobMatch(w, h);
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

namespace {

void CollectValues(const Json& node, const std::vector<std::string>& parts, size_t at,
                   std::vector<std::string>& out) {
  if (at == parts.size()) {
    if (node.is_string()) {
      out.push_back(node.get<std::string>());
    } else if (node.is_boolean()) {
      out.push_back(node.get<bool>() ? "true" : "false");
    } else if (node.is_number_integer()) {
      out.push_back(std::to_string(node.get<int64_t>()));
    } else if (node.is_number()) {
      out.push_back(fmt::format("{}", node.get<double>()));
    } else if (node.is_array()) {
      for (const Json& element : node) {
        CollectValues(element, parts, at, out);
      }
    }
    return;
  }
  std::string part = parts[at];
  bool each = part.size() > 2 && part.compare(part.size() - 2, 2, "[]") == 0;
  if (each) {
    part.resize(part.size() - 2);
  }
  if (!node.is_object() || !node.contains(part)) {
    return;
  }
  const Json& child = node[part];
  if (each) {
    if (child.is_array()) {
      for (const Json& element : child) {
        CollectValues(element, parts, at + 1, out);
      }
    }
    return;
  }
  CollectValues(child, parts, at + 1, out);
}

}  // namespace

std::vector<std::string> ValuesAt(const Json& resource, const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  std::vector<std::string> out;
  CollectValues(resource, parts, 0, out);
  return out;
}

FilterValues MemberFilters(std::map<std::string, std::string> paths) {
  return [paths = std::move(paths)](
             const Json& resource,
             const std::string& name) -> std::optional<std::vector<std::string>> {
    auto it = paths.find(name);
    if (it == paths.end()) {
      return std::nullopt;
    }
    return ValuesAt(resource, it->second);
  };
}

std::variant<Json, ServiceError> FilterAndPage(std::vector<Json> resources, const Json& input,
                                               const FilterValues& values,
                                               const std::string& id_member,
                                               const std::string& list_name,
                                               const std::function<Json(Json)>& view,
                                               bool paginate) {
  auto filtered = ApplyFilters(std::move(resources), input, values);
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  std::vector<Json> visible;
  for (Json& resource : std::get<std::vector<Json>>(filtered)) {
    visible.push_back(view(std::move(resource)));
  }
  Json out = Json::object();
  if (!paginate) {
    out[list_name] = visible;
    return out;
  }
  if (auto error = Paginate(visible, input, id_member, list_name, out)) {
    return *error;
  }
  return out;
}

}  // namespace cf::cloud::ec2
