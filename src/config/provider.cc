#include "config/provider.h"

#include "hcl/convert.h"
#include "hcl/eval.h"

namespace cf::config {

namespace {

const hcl::Attribute* Find(const hcl::Body* body, std::string_view name) {
  for (const hcl::Attribute* attr : body->attributes) {
    if (attr->name == name) {
      return attr;
    }
  }
  return nullptr;
}

// The string value of `name` in `body`, if set, known and not null.
std::optional<std::string> StringArgument(const hcl::Body* body, std::string_view name,
                                          const hcl::Scope& scope,
                                          const hcl::FunctionContext& functions,
                                          hcl::Diagnostics& diags) {
  const hcl::Attribute* attr = Find(body, name);
  if (attr == nullptr) {
    return std::nullopt;
  }
  hcl::Value v = hcl::Evaluate(attr->expr, scope, &diags, functions);
  if (v.IsNull() || !v.IsKnown()) {
    return std::nullopt;
  }
  Result<hcl::Value> s = hcl::Convert(v, hcl::Type::String());
  if (!s.ok()) {
    diags.AddError("Incorrect attribute value type",
                   std::string("Inappropriate value for attribute \"") + std::string(name) +
                       "\": string required.",
                   attr->expr->range);
    return std::nullopt;
  }
  return s->AsString();
}

// A map(string) from `attr`'s value.
std::map<std::string, std::string> StringMap(const hcl::Attribute* attr, const hcl::Scope& scope,
                                             const hcl::FunctionContext& functions,
                                             hcl::Diagnostics& diags) {
  std::map<std::string, std::string> out;
  hcl::Value v = hcl::Evaluate(attr->expr, scope, &diags, functions);
  if (v.IsNull() || !v.IsWhollyKnown()) {
    return out;
  }
  Result<hcl::Value> m = hcl::Convert(v, hcl::Type::Map(hcl::Type::String()));
  if (!m.ok()) {
    diags.AddError("Incorrect attribute value type",
                   "Inappropriate value for attribute \"" + std::string(attr->name) +
                       "\": map of string required.",
                   attr->expr->range);
    return out;
  }
  for (const auto& [k, e] : m->Attributes()) {
    if (!e.IsNull()) {
      out[k] = e.AsString();
    }
  }
  return out;
}

std::string Env(const std::map<std::string, std::string>& environment, const char* name) {
  auto it = environment.find(name);
  return it == environment.end() ? "" : it->second;
}

}  // namespace

bool IsLoopbackUrl(std::string_view url) {
  size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  size_t at = rest.find('@');
  if (at != std::string_view::npos && at < rest.find('/')) {
    rest = rest.substr(at + 1);
  }
  if (rest.starts_with("[::1]")) {
    return true;
  }
  std::string_view host = rest.substr(0, rest.find_first_of(":/?"));
  return host == "localhost" || host.starts_with("127.");
}

ProviderSettings EvaluateProvider(const RootModule& module,
                                  const std::map<std::string, hcl::Value>& variables,
                                  const std::map<std::string, std::string>& environment,
                                  const hcl::FunctionContext& functions, hcl::Diagnostics& diags,
                                  const std::string& alias) {
  ProviderSettings out;
  hcl::MapScope scope;
  scope.Set("var", hcl::Value::Object(hcl::ValueMap(variables.begin(), variables.end())));
  const ProviderConfig* provider = nullptr;
  for (const ProviderConfig& p : module.providers) {
    if (p.name == "aws" && p.alias == alias) {
      provider = &p;
    }
  }
  if (provider != nullptr) {
    const hcl::Body* body = provider->body;
    out.region = StringArgument(body, "region", scope, functions, diags).value_or("");
    if (const hcl::Attribute* region = Find(body, "region"); region != nullptr) {
      out.region_range = region->expr->range;
      out.has_region_range = !out.region.empty();
    }
    if (const hcl::Attribute* skip = Find(body, "skip_region_validation"); skip != nullptr) {
      hcl::Value v = hcl::Evaluate(skip->expr, scope, &diags, functions);
      Result<hcl::Value> b = v.IsKnown() && !v.IsNull() ? hcl::Convert(v, hcl::Type::Bool())
                                                        : Result<hcl::Value>(hcl::Value::False());
      if (!b.ok()) {
        diags.AddError("Incorrect attribute value type",
                       "Inappropriate value for attribute \"skip_region_validation\": bool "
                       "required.",
                       skip->expr->range);
      } else {
        out.skip_region_validation = b->AsBool();
      }
    }
    out.profile = StringArgument(body, "profile", scope, functions, diags).value_or("");
    out.access_key = StringArgument(body, "access_key", scope, functions, diags).value_or("");
    out.secret_key = StringArgument(body, "secret_key", scope, functions, diags).value_or("");
    out.token = StringArgument(body, "token", scope, functions, diags).value_or("");
    if (out.access_key.empty() != out.secret_key.empty()) {
      const hcl::Attribute* given =
          Find(body, out.access_key.empty() ? "secret_key" : "access_key");
      diags.AddError("Incomplete credentials",
                     "The provider \"aws\" block sets only one of access_key and secret_key; "
                     "set both, or neither to use the credentials chain.",
                     given != nullptr ? given->expr->range : provider->range);
    }
    for (const hcl::Block* block : body->blocks) {
      if (block->type == "default_tags") {
        if (const hcl::Attribute* tags = Find(block->body, "tags")) {
          out.default_tags = StringMap(tags, scope, functions, diags);
        }
      } else if (block->type == "endpoints") {
        for (const hcl::Attribute* attr : block->body->attributes) {
          if (auto url = StringArgument(block->body, attr->name, scope, functions, diags)) {
            out.endpoints[std::string(attr->name)] = *url;
          }
        }
      }
    }
  }
  if (out.region.empty()) {
    out.region = Env(environment, "AWS_REGION");
  }
  if (out.region.empty()) {
    out.region = Env(environment, "AWS_DEFAULT_REGION");
  }
  if (out.profile.empty()) {
    out.profile = Env(environment, "AWS_PROFILE");
  }
  std::string global = Env(environment, "AWS_ENDPOINT_URL");
  if (!global.empty() && out.endpoints.empty()) {
    out.endpoints["*"] = global;
  }
  out.local_cloud = !out.endpoints.empty();
  for (const auto& [service, url] : out.endpoints) {
    out.local_cloud = out.local_cloud && IsLoopbackUrl(url);
  }
  return out;
}

}  // namespace cf::config
