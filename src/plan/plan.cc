#include "plan/plan.h"

#include <algorithm>
#include <tuple>

#include "hcl/convert.h"
#include "provider/plan_data_sources.h"

namespace cf::plan {

namespace {

bool IsString(const hcl::Value& v) {
  return v.IsKnown() && !v.IsNull() && v.type().kind() == hcl::TypeKind::kString;
}

// tags_all as the AWS provider plans it: default_tags merged with tags when every one of them
// is known and there is at least one; otherwise unknown.
hcl::Value TagsAll(const hcl::Value& tags, const std::map<std::string, std::string>& defaults) {
  hcl::ValueMap merged;
  for (const auto& [k, v] : defaults) {
    merged[k] = hcl::Value::String(v);
  }
  if (!tags.IsKnown() || tags.IsSensitive()) {
    return hcl::Value::Unknown(hcl::Type::Map(hcl::Type::String()));
  }
  if (!tags.IsNull()) {
    if (!tags.type().IsMapping()) {
      return hcl::Value::Unknown(hcl::Type::Map(hcl::Type::String()));
    }
    for (const auto& [k, v] : tags.Attributes()) {
      if (v.IsNull()) {
        continue;
      }
      if (!IsString(v) || v.IsSensitive()) {
        return hcl::Value::Unknown(hcl::Type::Map(hcl::Type::String()));
      }
      merged[k] = v;
    }
  }
  if (merged.empty()) {
    return hcl::Value::Unknown(hcl::Type::Map(hcl::Type::String()));
  }
  return hcl::Value::Map(hcl::Type::String(), std::move(merged));
}

// Objects written for map attributes become maps of strings (what the provider receives), in
// the instance's arguments and in its nested blocks.
hcl::Value NormalizeMaps(const provider::AwsResourceSchemas& schemas, std::string_view type,
                         const std::string& path, const hcl::Value& v) {
  if (!v.IsKnown() || v.IsNull() || v.IsSensitive()) {
    return v;
  }
  if (v.type().IsSequence() && !path.empty()) {
    if (!v.type().IsTuple() && !v.type().IsList()) {
      return v;
    }
    hcl::ValueList elements;
    bool changed = false;
    for (const hcl::Value& e : v.Elements()) {
      hcl::Value n = e.type().IsObject() ? NormalizeMaps(schemas, type, path, e) : e;
      changed = changed || n != e;
      elements.push_back(std::move(n));
    }
    return changed ? hcl::Value::Tuple(std::move(elements)) : v;
  }
  if (!v.type().IsObject()) {
    return v;
  }
  hcl::ValueMap attrs;
  for (const auto& [name, child] : v.Attributes()) {
    std::string child_path = path.empty() ? name : path + "." + name;
    hcl::Value n = child;
    if (schemas.IsMap(type, child_path) && child.IsKnown() && !child.IsNull() &&
        child.type().IsObject()) {
      Result<hcl::Value> map = hcl::Convert(child, hcl::Type::Map(hcl::Type::String()));
      if (map.ok()) {
        n = *map;
      }
    } else if (child.IsKnown() && !child.IsNull() && child.type().IsSequence()) {
      n = NormalizeMaps(schemas, type, child_path, child);
    }
    attrs.emplace(name, std::move(n));
  }
  return hcl::Value::Object(std::move(attrs));
}

ResourceChange MakeChange(const graph::ResourceInstance& instance,
                          const provider::AwsResourceSchemas& schemas,
                          const std::map<std::string, std::string>& default_tags) {
  ResourceChange c;
  c.address = instance.Address();
  c.module = instance.module;
  c.mode = instance.mode;
  c.type = instance.type;
  c.name = instance.name;
  c.index = instance.key;
  c.provider_name = provider::AwsResourceSchemas::ProviderName(instance.type);
  c.action = instance.mode == graph::ResourceMode::kData ? Action::kRead : Action::kCreate;
  c.before = hcl::Value::Null(hcl::Type::Dynamic());

  hcl::ValueMap after;
  if (instance.values.IsKnown() && !instance.values.IsNull() && instance.values.type().IsObject()) {
    after = NormalizeMaps(schemas, instance.type, "", instance.values).Attributes();
  }
  std::vector<std::string> computed = instance.computed;
  if (c.action == Action::kRead) {
    computed = {"id"};
  } else {
    for (auto& [name, value] : schemas.Defaults(instance.type, after)) {
      after.emplace(name, value);  // only where the block does not set it
    }
  }
  for (const std::string& name : computed) {
    if (after.count(name) > 0) {
      continue;
    }
    if (name == "tags_all") {
      auto tags = after.find("tags");
      after[name] = TagsAll(tags == after.end() ? hcl::Value() : tags->second, default_tags);
    } else {
      after[name] = hcl::Value::Unknown(hcl::Type::Dynamic());
    }
  }
  for (const std::string& name : schemas.Sensitive(instance.type)) {
    auto it = after.find(name);
    if (it != after.end() && !it->second.IsNull()) {
      it->second = it->second.WithSensitive();
    }
  }
  c.after = hcl::Value::Object(std::move(after));
  c.after_unknown = UnknownAsBool(c.after);
  c.after_sensitive = SensitiveAsBool(c.after);
  c.before_sensitive = hcl::Value::False();
  c.depends_on = instance.depends_on;
  c.create_before_destroy = instance.create_before_destroy;
  return c;
}

// Terraform sorts changes by address; keys of one block compare as keys (numbers numerically).
std::pair<std::string, std::string> BlockKey(const ResourceChange& c) {
  std::string block = c.mode == graph::ResourceMode::kData ? "data." : "";
  block += c.type + "." + c.name;
  return {c.module, std::move(block)};
}

bool IsFalse(const hcl::Value& v) {
  return v.IsKnown() && !v.IsNull() && v.type().kind() == hcl::TypeKind::kBool && !v.AsBool();
}

}  // namespace

hcl::Value ProviderArguments(const graph::ResourceInstance& instance,
                             const provider::AwsResourceSchemas& schemas) {
  if (!instance.values.IsKnown() || instance.values.IsNull() ||
      !instance.values.type().IsObject()) {
    return instance.values;
  }
  return NormalizeMaps(schemas, instance.type, "", instance.values);
}

const char* ActionName(Action action) {
  switch (action) {
    case Action::kCreate:
    case Action::kCreateThenDelete:
      return "create";
    case Action::kRead:
      return "read";
    case Action::kUpdate:
      return "update";
    case Action::kDelete:
    case Action::kReplace:
      return "delete";
    case Action::kNoOp:
      return "no-op";
  }
  return "create";
}

std::vector<std::string> ActionList(Action action) {
  switch (action) {
    case Action::kReplace:
      return {"delete", "create"};
    case Action::kCreateThenDelete:
      return {"create", "delete"};
    default:
      return {ActionName(action)};
  }
}

int Plan::ToAdd() const {
  int n = 0;
  for (const ResourceChange& c : resource_changes) {
    n += c.action == Action::kCreate || c.action == Action::kReplace ||
                 c.action == Action::kCreateThenDelete
             ? 1
             : 0;
  }
  return n;
}

int Plan::ToChange() const {
  int n = 0;
  for (const ResourceChange& c : resource_changes) {
    n += c.action == Action::kUpdate ? 1 : 0;
  }
  return n;
}

int Plan::ToDestroy() const {
  int n = 0;
  for (const ResourceChange& c : resource_changes) {
    n += c.action == Action::kDelete || c.action == Action::kReplace ||
                 c.action == Action::kCreateThenDelete
             ? 1
             : 0;
  }
  return n;
}

bool Plan::HasChanges() const {
  for (const ResourceChange& c : resource_changes) {
    if (c.action != Action::kNoOp) {
      return true;
    }
  }
  for (const OutputChange& o : output_changes) {
    if (o.action != Action::kNoOp) {
      return true;
    }
  }
  return refresh_only && !resource_drift.empty();
}

void SortChanges(std::vector<ResourceChange>& changes) {
  std::stable_sort(changes.begin(), changes.end(),
                   [](const ResourceChange& a, const ResourceChange& b) {
                     auto ka = BlockKey(a);
                     auto kb = BlockKey(b);
                     if (ka != kb) {
                       return ka < kb;
                     }
                     return a.index < b.index;
                   });
}

hcl::Value UnknownAsBool(const hcl::Value& value) {
  if (value.IsNull()) {
    return hcl::Value::False();
  }
  if (!value.IsKnown()) {
    return hcl::Value::True();
  }
  const hcl::Type& t = value.type();
  if (t.IsSequence()) {
    hcl::ValueList out;
    for (const hcl::Value& e : value.Elements()) {
      out.push_back(UnknownAsBool(e));
    }
    return hcl::Value::Tuple(std::move(out));
  }
  if (t.IsMapping()) {
    hcl::ValueMap out;
    for (const auto& [k, v] : value.Attributes()) {
      hcl::Value b = UnknownAsBool(v);
      if (!IsFalse(b)) {
        out[k] = std::move(b);
      }
    }
    return hcl::Value::Object(std::move(out));
  }
  return hcl::Value::False();
}

hcl::Value SensitiveAsBool(const hcl::Value& value) {
  if (value.IsSensitive()) {
    return hcl::Value::True();
  }
  const hcl::Type& t = value.type();
  if (value.IsNull() || t.IsPrimitive() || t.IsDynamic()) {
    return hcl::Value::False();
  }
  if (t.IsSequence()) {
    if (!value.IsKnown()) {
      return hcl::Value::EmptyTuple();
    }
    hcl::ValueList out;
    for (const hcl::Value& e : value.Elements()) {
      out.push_back(SensitiveAsBool(e));
    }
    return hcl::Value::Tuple(std::move(out));
  }
  if (!value.IsKnown()) {
    return hcl::Value::EmptyObject();
  }
  hcl::ValueMap out;
  for (const auto& [k, v] : value.Attributes()) {
    hcl::Value b = SensitiveAsBool(v);
    if (!IsFalse(b)) {
      out[k] = std::move(b);
    }
  }
  return hcl::Value::Object(std::move(out));
}

Plan MakeCreatePlan(const graph::DesiredState& desired,
                    const provider::AwsResourceSchemas& schemas) {
  Plan plan;
  const std::map<std::string, std::string>& default_tags = desired.config.provider.default_tags;
  for (const graph::ResourceInstance* instance : desired.Instances()) {
    if (instance->mode == graph::ResourceMode::kData &&
        provider::IsPlanTimeDataSource(instance->type)) {
      continue;  // read while planning
    }
    plan.resource_changes.push_back(MakeChange(*instance, schemas, default_tags));
  }
  SortChanges(plan.resource_changes);
  for (const auto& [name, output] : desired.config.outputs) {
    OutputChange c;
    c.name = name;
    c.after = output.value;
    c.sensitive = output.sensitive;
    plan.output_changes.push_back(std::move(c));
  }
  plan.variables = desired.config.variables.values;
  plan.region = desired.config.provider.region;
  for (const config::EvaluatedModuleCall& call : desired.config.modules) {
    if (!plan.module_calls.empty() && plan.module_calls.back().name == call.name) {
      continue;  // another instance of a call with count or for_each
    }
    plan.module_calls.push_back(
        {call.name, call.definition != nullptr ? call.definition->source : std::string()});
  }
  return plan;
}

}  // namespace cf::plan
