#include "aws/paginator.h"

namespace cf::aws {

using nlohmann::json;

namespace {

std::vector<std::string> StringOrList(const json& v) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (const auto& e : v) {
      out.push_back(e.get<std::string>());
    }
  }
  return out;
}

std::vector<std::string> SplitDots(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) {
      return parts;
    }
    start = dot + 1;
  }
}

json* Lookup(json& root, const std::string& path, bool create) {
  json* node = &root;
  for (const auto& part : SplitDots(path)) {
    if (!node->is_object()) {
      if (!create) {
        return nullptr;
      }
      *node = json::object();
    }
    auto it = node->find(part);
    if (it == node->end()) {
      if (!create) {
        return nullptr;
      }
      node = &(*node)[part];
    } else {
      node = &*it;
    }
  }
  return node;
}

const json* Find(const json& root, const std::string& path) {
  const json* node = &root;
  for (const auto& part : SplitDots(path)) {
    if (!node->is_object()) {
      return nullptr;
    }
    auto it = node->find(part);
    if (it == node->end()) {
      return nullptr;
    }
    node = &*it;
  }
  return node;
}

}  // namespace

namespace {

// The "pagination" object of a paginators-1.json document, or the document itself when it is
// that object already (ServiceModel::paginators()).
const json& PaginationObject(const json& doc) {
  static const json kEmpty = json::object();
  if (!doc.is_object()) {
    return kEmpty;
  }
  auto it = doc.find("pagination");
  if (it != doc.end() && it->is_object()) {
    return *it;
  }
  return doc;
}

}  // namespace

bool CanPaginate(const json& paginators_doc, std::string_view operation) {
  return PaginationObject(paginators_doc).contains(std::string(operation));
}

Result<PaginatorConfig> ParsePaginator(const json& paginators_doc, std::string_view operation) {
  if (!CanPaginate(paginators_doc, operation)) {
    return NotFoundError(std::string(operation) + " cannot be paginated");
  }
  const json& p = PaginationObject(paginators_doc)[std::string(operation)];
  PaginatorConfig config;
  config.operation = std::string(operation);
  try {
    config.input_tokens = StringOrList(p.at("input_token"));
    for (const auto& text : StringOrList(p.at("output_token"))) {
      auto e = jmespath::Expression::Parse(text);
      if (!e.ok()) {
        return e.status().WithContext("paginator " + config.operation);
      }
      config.output_tokens.push_back(std::move(*e));
    }
    if (p.contains("more_results")) {
      auto e = jmespath::Expression::Parse(p["more_results"].get<std::string>());
      if (!e.ok()) {
        return e.status().WithContext("paginator " + config.operation);
      }
      config.more_results = std::move(*e);
    }
    config.limit_key = p.value("limit_key", "");
    if (p.contains("result_key")) {
      config.result_keys = StringOrList(p["result_key"]);
    }
    if (p.contains("non_aggregate_keys")) {
      config.non_aggregate_keys = StringOrList(p["non_aggregate_keys"]);
    }
  } catch (const json::exception& e) {
    return InvalidArgumentError("paginator " + config.operation + ": " + e.what());
  }
  if (config.input_tokens.size() != config.output_tokens.size() || config.input_tokens.empty()) {
    return InvalidArgumentError("paginator " + config.operation +
                                ": input and output tokens do not pair up");
  }
  return config;
}

Status ForEachPage(const PaginatorConfig& config, json params, const PageCall& call,
                   const std::function<bool(const json& page)>& on_page,
                   const PaginateOptions& options) {
  if (params.is_null()) {
    params = json::object();
  }
  if (options.page_size > 0 && !config.limit_key.empty()) {
    params[config.limit_key] = options.page_size;
  }
  std::vector<json> previous;
  while (true) {
    ASSIGN_OR_RETURN(json page, call(params));
    if (!on_page(page)) {
      return OkStatus();
    }
    if (config.more_results && !jmespath::IsTruthy(config.more_results->Evaluate(page))) {
      return OkStatus();
    }
    std::vector<json> next;
    bool any = false;
    for (const auto& token : config.output_tokens) {
      json value = token.Evaluate(page);
      if (value.is_string() && value.get_ref<const std::string&>().empty()) {
        value = nullptr;
      }
      any = any || !value.is_null();
      next.push_back(std::move(value));
    }
    if (!any) {
      return OkStatus();
    }
    if (next == previous) {
      return InternalError(config.operation +
                           " returned the same next-page token twice: " + json(next).dump());
    }
    for (size_t i = 0; i < next.size(); ++i) {
      if (next[i].is_null()) {
        params.erase(config.input_tokens[i]);
      } else {
        params[config.input_tokens[i]] = next[i];
      }
    }
    previous = std::move(next);
  }
}

Result<json> PaginateAll(const PaginatorConfig& config, json params, const PageCall& call,
                         const PaginateOptions& options) {
  json merged;
  bool first = true;
  Status status = ForEachPage(
      config, std::move(params), call,
      [&](const json& page) {
        if (first) {
          merged = page.is_object() ? page : json::object();
          first = false;
          for (const auto& key : config.result_keys) {
            json* list = Lookup(merged, key, true);
            if (!list->is_array()) {
              *list = json::array();
            }
          }
        } else {
          for (const auto& key : config.result_keys) {
            const json* from = Find(page, key);
            if (from != nullptr && from->is_array()) {
              json* into = Lookup(merged, key, true);
              for (const auto& e : *from) {
                into->push_back(e);
              }
            }
          }
          for (const auto& key : config.non_aggregate_keys) {
            json* have = Lookup(merged, key, false);
            const json* from = Find(page, key);
            if ((have == nullptr || have->is_null()) && from != nullptr && !from->is_null()) {
              *Lookup(merged, key, true) = *from;
            }
          }
        }
        if (options.max_items > 0 && !config.result_keys.empty()) {
          json* primary = Lookup(merged, config.result_keys[0], false);
          if (primary != nullptr && primary->is_array() &&
              static_cast<int>(primary->size()) >= options.max_items) {
            primary->erase(primary->begin() + options.max_items, primary->end());
            return false;
          }
        }
        return true;
      },
      options);
  RETURN_IF_ERROR(status);
  for (const auto& token : config.output_tokens) {
    merged.erase(token.text());  // only plain member names match; expressions stay
  }
  if (config.more_results) {
    merged.erase(config.more_results->text());
  }
  return merged;
}

}  // namespace cf::aws
