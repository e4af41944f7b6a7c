#include "plan/render_json.h"

#include <nlohmann/json.hpp>
#include <optional>

namespace cf::plan {

namespace {

using Json = nlohmann::ordered_json;

Json NumberJson(const hcl::Number& n) {
  if (std::optional<int64_t> i = n.ToInt64()) {
    return Json(*i);
  }
  try {
    return Json::parse(n.ToString());
  } catch (const Json::exception&) {
    return Json(n.ToDouble());
  }
}

// The JSON of a value with unknown and sensitive parts left out (nullopt for the value
// itself; null in a sequence, absent from an object).
std::optional<Json> ValueJson(const hcl::Value& v) {
  if (!v.IsKnown() || v.IsSensitive()) {
    return std::nullopt;
  }
  if (v.IsNull()) {
    return Json(nullptr);
  }
  const hcl::Type& t = v.type();
  switch (t.kind()) {
    case hcl::TypeKind::kBool:
      return Json(v.AsBool());
    case hcl::TypeKind::kNumber:
      return NumberJson(v.AsNumber());
    case hcl::TypeKind::kString:
      return Json(v.AsString());
    default:
      break;
  }
  if (t.IsSequence()) {
    Json out = Json::array();
    for (const hcl::Value& e : v.Elements()) {
      std::optional<Json> j = ValueJson(e);
      out.push_back(j ? std::move(*j) : Json(nullptr));
    }
    return out;
  }
  if (t.IsMapping()) {
    Json out = Json::object();
    for (const auto& [k, e] : v.Attributes()) {
      if (std::optional<Json> j = ValueJson(e)) {
        out[k] = std::move(*j);
      }
    }
    return out;
  }
  return Json(nullptr);  // a null of dynamic type
}

Json ValueOrEmptyObject(const hcl::Value& v) {
  std::optional<Json> j = ValueJson(v);
  return j ? std::move(*j) : Json::object();
}

// cty's JSON form of a type: "string", ["list", "string"], ["object", {"a": "number"}].
Json TypeJson(const hcl::Type& t) {
  switch (t.kind()) {
    case hcl::TypeKind::kDynamic:
      return "dynamic";
    case hcl::TypeKind::kBool:
      return "bool";
    case hcl::TypeKind::kNumber:
      return "number";
    case hcl::TypeKind::kString:
      return "string";
    case hcl::TypeKind::kList:
      return Json::array({"list", TypeJson(t.element())});
    case hcl::TypeKind::kSet:
      return Json::array({"set", TypeJson(t.element())});
    case hcl::TypeKind::kMap:
      return Json::array({"map", TypeJson(t.element())});
    case hcl::TypeKind::kObject: {
      Json attrs = Json::object();
      for (const auto& [name, type] : t.attributes()) {
        attrs[name] = TypeJson(type);
      }
      return Json::array({"object", std::move(attrs)});
    }
    case hcl::TypeKind::kTuple: {
      Json elements = Json::array();
      for (const hcl::Type& type : t.tuple_elements()) {
        elements.push_back(TypeJson(type));
      }
      return Json::array({"tuple", std::move(elements)});
    }
  }
  return "dynamic";
}

const char* ModeName(graph::ResourceMode mode) {
  return mode == graph::ResourceMode::kData ? "data" : "managed";
}

Json PlannedResource(const ResourceChange& c) {
  Json r = Json::object();
  r["address"] = c.address;
  r["mode"] = ModeName(c.mode);
  r["type"] = c.type;
  r["name"] = c.name;
  if (!c.index.IsNone()) {
    r["index"] = *ValueJson(c.index.ToValue());
  }
  r["provider_name"] = c.provider_name;
  r["schema_version"] = 0;
  r["values"] = ValueOrEmptyObject(c.after);
  r["sensitive_values"] = ValueOrEmptyObject(c.after_sensitive);
  return r;
}

Json ResourceChangeJson(const ResourceChange& c) {
  Json r = Json::object();
  r["address"] = c.address;
  if (!c.module.empty()) {
    r["module_address"] = c.module;
  }
  r["mode"] = ModeName(c.mode);
  r["type"] = c.type;
  r["name"] = c.name;
  if (!c.index.IsNone()) {
    r["index"] = *ValueJson(c.index.ToValue());
  }
  r["provider_name"] = c.provider_name;
  Json change = Json::object();
  change["actions"] = ActionList(c.action);
  if (c.before.IsNull()) {
    change["before"] = nullptr;
  } else {
    change["before"] = ValueOrEmptyObject(c.before);
  }
  if (c.after.IsNull() && c.action == Action::kDelete) {
    change["after"] = nullptr;
  } else {
    change["after"] = ValueOrEmptyObject(c.after);
  }
  change["after_unknown"] =
      c.action == Action::kDelete ? Json(false) : ValueOrEmptyObject(c.after_unknown);
  if (c.before.IsNull()) {
    change["before_sensitive"] = false;
  } else {
    change["before_sensitive"] = ValueOrEmptyObject(c.before_sensitive);
  }
  change["after_sensitive"] =
      c.action == Action::kDelete ? Json(false) : ValueOrEmptyObject(c.after_sensitive);
  if (!c.replace_paths.empty()) {
    Json paths = Json::array();
    for (const std::string& p : c.replace_paths) {
      paths.push_back(Json::array({p}));
    }
    change["replace_paths"] = std::move(paths);
  }
  r["change"] = std::move(change);
  if (!c.action_reason.empty()) {
    r["action_reason"] = c.action_reason;
  }
  return r;
}

Json PlannedValues(const Plan& plan) {
  Json outputs = Json::object();
  for (const OutputChange& o : plan.output_changes) {
    Json out = Json::object();
    out["sensitive"] = o.sensitive;
    if (o.after.IsWhollyKnown()) {
      out["type"] = TypeJson(o.after.type());
      if (!o.sensitive) {
        if (std::optional<Json> v = ValueJson(o.after)) {
          out["value"] = std::move(*v);
        }
      }
    }
    outputs[o.name] = std::move(out);
  }

  Json root = Json::object();
  Json root_resources = Json::array();
  Json children = Json::array();
  Json* current = nullptr;
  std::string current_module;
  for (const ResourceChange& c : plan.resource_changes) {
    if (c.action == Action::kDelete) {
      continue;  // not in the planned values
    }
    if (c.module.empty()) {
      root_resources.push_back(PlannedResource(c));
      continue;
    }
    if (current == nullptr || c.module != current_module) {
      Json child = Json::object();
      child["resources"] = Json::array();
      child["address"] = c.module;
      children.push_back(std::move(child));
      current = &children.back();
      current_module = c.module;
    }
    (*current)["resources"].push_back(PlannedResource(c));
  }
  if (!root_resources.empty()) {
    root["resources"] = std::move(root_resources);
  }
  if (!children.empty()) {
    root["child_modules"] = std::move(children);
  }

  Json planned = Json::object();
  if (!outputs.empty()) {
    planned["outputs"] = std::move(outputs);
  }
  planned["root_module"] = std::move(root);
  return planned;
}

Json OutputChanges(const Plan& plan) {
  Json changes = Json::object();
  for (const OutputChange& o : plan.output_changes) {
    Json change = Json::object();
    change["actions"] = ActionList(o.action);
    change["before"] = nullptr;
    if (!o.before.IsNull() && !o.sensitive) {
      if (std::optional<Json> v = ValueJson(o.before)) {
        change["before"] = std::move(*v);
      }
    }
    if (!o.sensitive) {
      if (std::optional<Json> v = ValueJson(o.after)) {
        change["after"] = std::move(*v);
      }
    }
    change["after_unknown"] =
        o.after.IsWhollyKnown() ? Json(false) : ValueOrEmptyObject(UnknownAsBool(o.after));
    change["before_sensitive"] = o.sensitive;
    change["after_sensitive"] = o.sensitive;
    changes[o.name] = std::move(change);
  }
  return changes;
}

Json Configuration(const Plan& plan) {
  Json aws = Json::object();
  aws["name"] = "aws";
  aws["full_name"] = "registry.terraform.io/hashicorp/aws";
  if (!plan.region.empty()) {
    aws["expressions"] = {{"region", {{"constant_value", plan.region}}}};
  }
  Json calls = Json::object();
  for (const ModuleCallSummary& call : plan.module_calls) {
    calls[call.name] = {{"source", call.source}};
  }
  Json root = Json::object();
  if (!calls.empty()) {
    root["module_calls"] = std::move(calls);
  }
  Json config = Json::object();
  config["provider_config"] = {{"aws", std::move(aws)}};
  config["root_module"] = std::move(root);
  return config;
}

}  // namespace

std::string RenderPlanJson(const Plan& plan, const JsonOptions& options) {
  Json doc = Json::object();
  doc["format_version"] = kJsonPlanFormatVersion;
  doc["terraform_version"] = options.version;
  Json variables = Json::object();
  for (const auto& [name, value] : plan.variables) {
    if (value.ContainsSensitive()) {
      continue;
    }
    if (std::optional<Json> v = ValueJson(value)) {
      variables[name] = {{"value", std::move(*v)}};
    }
  }
  if (!variables.empty()) {
    doc["variables"] = std::move(variables);
  }
  doc["planned_values"] = PlannedValues(plan);
  Json changes = Json::array();
  for (const ResourceChange& c : plan.resource_changes) {
    changes.push_back(ResourceChangeJson(c));
  }
  if (!changes.empty()) {
    doc["resource_changes"] = std::move(changes);
  }
  if (!plan.resource_drift.empty()) {
    Json drift = Json::array();
    for (const ResourceChange& d : plan.resource_drift) {
      drift.push_back(ResourceChangeJson(d));
    }
    doc["resource_drift"] = std::move(drift);
  }
  Json outputs = OutputChanges(plan);
  if (!outputs.empty()) {
    doc["output_changes"] = std::move(outputs);
  }
  doc["configuration"] = Configuration(plan);
  doc["applyable"] = plan.HasChanges();
  doc["complete"] = true;
  doc["errored"] = false;
  std::string text = doc.dump(options.pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace);
  text += '\n';
  return text;
}

}  // namespace cf::plan
