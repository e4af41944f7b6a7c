#include "plan/diff.h"

#include <algorithm>
#include <map>
#include <optional>

#include "hcl/value_json.h"

namespace cf::plan {

namespace {

using Json = nlohmann::json;

std::optional<Json> ConfigJson(const hcl::Value& v) {
  if (!v.IsWhollyKnown()) {
    return std::nullopt;
  }
  Json parsed = Json::parse(hcl::ValueToJson(v.UnmarkDeep()), nullptr, false);
  if (parsed.is_discarded()) {
    return std::nullopt;
  }
  return parsed;
}

hcl::Value JsonValue(const Json& j) {
  Result<hcl::Value> v = hcl::ValueFromJson(j.dump());
  return v.ok() ? *v : hcl::Value::Null(hcl::Type::Dynamic());
}

graph::InstanceKey KeyOf(const Json& index_key) {
  if (index_key.is_number_integer()) {
    return graph::InstanceKey::Index(index_key.get<int64_t>());
  }
  if (index_key.is_string()) {
    return graph::InstanceKey::String(index_key.get<std::string>());
  }
  return graph::InstanceKey();
}

// True when `name` (a top-level argument) is or holds a path that forces replacement.
bool ForcesNew(const std::string& name, const std::vector<std::string>& force_new) {
  for (const std::string& f : force_new) {
    if (f == name ||
        (f.size() > name.size() && f.compare(0, name.size(), name) == 0 && f[name.size()] == '.')) {
      return true;
    }
  }
  return false;
}

ResourceChange FromState(const state::ResourceState& r, const state::InstanceState& i) {
  ResourceChange c;
  c.address = r.BlockAddress() + state::IndexSuffix(i.index_key);
  c.module = r.module;
  c.mode = r.mode == "data" ? graph::ResourceMode::kData : graph::ResourceMode::kManaged;
  c.type = r.type;
  c.name = r.name;
  c.index = KeyOf(i.index_key);
  c.provider_name = provider::AwsResourceSchemas::ProviderName(r.type);
  c.before = StateValue(i);
  c.before_sensitive = SensitiveAsBool(c.before);
  c.after = hcl::Value::Null(hcl::Type::Dynamic());
  c.after_unknown = hcl::Value::False();
  c.after_sensitive = hcl::Value::False();
  c.depends_on = i.dependencies;
  return c;
}

// `prior` with each configured attribute replaced by the planned one.
hcl::Value UpdatedAfter(const hcl::Value& prior, const hcl::Value& planned,
                        const hcl::Value& config) {
  hcl::ValueMap out = prior.IsKnown() && !prior.IsNull() ? prior.Attributes() : hcl::ValueMap{};
  if (config.IsKnown() && !config.IsNull() && planned.IsKnown() && !planned.IsNull()) {
    for (const auto& [name, value] : config.Attributes()) {
      (void)value;
      auto it = planned.Attributes().find(name);
      if (it == planned.Attributes().end()) {
        continue;
      }
      // What the update leaves as it was keeps the state's value (and so its type: an object
      // read from state, where the configuration has a map), so only real changes render.
      auto was = out.find(name);
      std::optional<Json> now = ConfigJson(it->second);
      if (was != out.end() && now && ConfigJson(was->second) == now) {
        continue;
      }
      out[name] = it->second;
    }
  }
  return hcl::Value::Object(std::move(out));
}

}  // namespace

hcl::Value StateValue(const state::InstanceState& instance) {
  hcl::Value v = JsonValue(instance.attributes);
  if (instance.sensitive_attributes.empty() || !v.IsKnown() || v.IsNull() || !v.type().IsObject()) {
    return v;
  }
  hcl::ValueMap attrs = v.Attributes();
  for (const std::string& name : instance.sensitive_attributes) {
    auto it = attrs.find(name);
    if (it != attrs.end()) {
      it->second = it->second.WithSensitive();
    }
  }
  return hcl::Value::Object(std::move(attrs));
}

graph::AppliedValues AppliedFromState(const state::State& state) {
  graph::AppliedValues out;
  for (const state::ResourceState& r : state.resources) {
    if (r.mode != "managed") {
      continue;
    }
    for (const state::InstanceState& i : r.instances) {
      if (i.Exists()) {
        out[r.BlockAddress() + state::IndexSuffix(i.index_key)] = StateValue(i);
      }
    }
  }
  return out;
}

Result<RefreshResult> Refresh(const state::State& prior, provider::ResourceProvider& provider) {
  RefreshResult out;
  out.refreshed = prior;
  // type -> (resource index, instance index)
  std::map<std::string, std::vector<std::pair<size_t, size_t>>> by_type;
  for (size_t r = 0; r < prior.resources.size(); ++r) {
    const state::ResourceState& res = prior.resources[r];
    if (res.mode != "managed" || !provider.Supports(res.type)) {
      continue;
    }
    for (size_t i = 0; i < res.instances.size(); ++i) {
      if (res.instances[i].Exists()) {
        by_type[res.type].emplace_back(r, i);
      }
    }
  }
  std::set<std::string> gone;
  for (const auto& [type, refs] : by_type) {
    std::vector<Json> states;
    for (const auto& [r, i] : refs) {
      states.push_back(prior.resources[r].instances[i].attributes);
    }
    ++out.read_calls;
    Result<std::vector<std::optional<Json>>> read = provider.Read(type, states);
    if (!read.ok()) {
      return read.status().WithContext("refreshing " + type);
    }
    if (read->size() != refs.size()) {
      return InternalError("the provider's Read of " + type + " answered " +
                           std::to_string(read->size()) + " instances for " +
                           std::to_string(refs.size()));
    }
    for (size_t k = 0; k < refs.size(); ++k) {
      auto [r, i] = refs[k];
      state::InstanceState& instance = out.refreshed.resources[r].instances[i];
      if (!(*read)[k]) {
        gone.insert(out.refreshed.resources[r].BlockAddress() +
                    state::IndexSuffix(instance.index_key));
      } else {
        instance.attributes = *(*read)[k];
      }
    }
  }
  for (const std::string& address : gone) {
    out.refreshed.Remove(address);
  }
  return out;
}

bool AddressIn(std::string_view address, std::string_view target) {
  if (address == target) {
    return true;
  }
  if (address.size() <= target.size() || address.compare(0, target.size(), target) != 0) {
    return false;
  }
  char next = address[target.size()];
  return next == '[' || next == '.';
}

Plan MakePlan(const graph::DesiredState& desired, const provider::AwsResourceSchemas& schemas,
              const PlanOptions& options) {
  Plan plan = MakeCreatePlan(desired, schemas);
  plan.refresh_only = options.refresh_only;
  plan.destroy = options.destroy;
  const state::State empty;
  const state::State& prior = options.prior != nullptr ? *options.prior : empty;
  plan.has_state = !prior.resources.empty() || !prior.outputs.empty();

  std::map<std::string, const graph::ResourceInstance*> instances;
  for (const graph::ResourceInstance* i : desired.Instances()) {
    instances[i->Address()] = i;
  }

  std::vector<ResourceChange> changes;
  std::set<std::string> planned;
  if (!options.destroy) {
    for (ResourceChange& c : plan.resource_changes) {
      planned.insert(c.address);
      if (c.mode != graph::ResourceMode::kManaged) {
        changes.push_back(std::move(c));
        continue;
      }
      const state::InstanceState* p = prior.Find(c.address);
      if (p == nullptr || !p->Exists()) {
        if (p != nullptr && p->pending) {
          c.adopt_token = p->pending->token;
        }
        changes.push_back(std::move(c));
        continue;
      }
      const graph::ResourceInstance* instance = instances.at(c.address);
      std::vector<std::string> force_new =
          options.rules ? options.rules(c.type).force_new : std::vector<std::string>{};
      std::vector<std::string> changed;
      const hcl::ValueMap& after = c.after.Attributes();
      // lifecycle ignore_changes: those arguments keep what the object has.
      hcl::Value configured = instance->values;
      if (configured.IsKnown() && !configured.IsNull()) {
        hcl::ValueMap kept;
        for (const auto& [name, value] : configured.Attributes()) {
          if (!instance->Ignores(name)) {
            kept.emplace(name, value);
          }
        }
        configured = hcl::Value::Object(std::move(kept));
      }
      if (configured.IsKnown() && !configured.IsNull()) {
        for (const auto& [name, value] : configured.Attributes()) {
          auto planned_value = after.find(name);
          if (planned_value == after.end() || (planned_value->second.IsNull())) {
            continue;  // unset: whatever the provider chose stands
          }
          std::optional<Json> want = ConfigJson(planned_value->second);
          auto have = p->attributes.find(name);
          if (!want || have == p->attributes.end() || *have != *want) {
            changed.push_back(name);
          }
        }
      }
      // tags_all is computed, from tags and the provider's default_tags: a change of
      // default_tags alone changes it, and the provider updates the tags in place.
      auto planned_all = after.find("tags_all");
      auto have_all = p->attributes.find("tags_all");
      if (planned_all != after.end() && planned_all->second.IsWhollyKnown() &&
          have_all != p->attributes.end() &&
          std::find(changed.begin(), changed.end(), "tags_all") == changed.end()) {
        std::optional<Json> want = ConfigJson(planned_all->second);
        if (want && *want != *have_all) {
          changed.push_back("tags_all");
        }
      }
      hcl::Value before = StateValue(*p);
      bool by_request = options.replace.count(c.address) > 0;
      if (changed.empty() && !by_request) {
        c.action = Action::kNoOp;
        c.before = before;
        c.after = before;
      } else {
        std::vector<std::string> replace_paths;
        for (const std::string& name : changed) {
          if (ForcesNew(name, force_new)) {
            replace_paths.push_back(name);
          }
        }
        if (!replace_paths.empty() || by_request) {
          c.action = c.create_before_destroy ? Action::kCreateThenDelete : Action::kReplace;
          c.replace_paths = replace_paths;
          c.action_reason = by_request ? "replace_by_request" : "replace_because_cannot_update";
          c.before = before;
        } else {
          c.action = Action::kUpdate;
          hcl::Value planned_tags_all = planned_all != after.end()
                                            ? JsonValue(*ConfigJson(planned_all->second))
                                            : hcl::Value();
          c.after = UpdatedAfter(before, c.after, configured);
          if (std::find(changed.begin(), changed.end(), "tags_all") != changed.end()) {
            hcl::ValueMap attrs = c.after.Attributes();
            attrs["tags_all"] = planned_tags_all;
            c.after = hcl::Value::Object(std::move(attrs));
          }
          c.before = before;
        }
      }
      c.before_sensitive = SensitiveAsBool(c.before);
      c.after_unknown = UnknownAsBool(c.after);
      c.after_sensitive = SensitiveAsBool(c.after);
      changes.push_back(std::move(c));
    }
  }
  // What the state has and the configuration no longer does (or everything, for -destroy).
  for (const state::ResourceState& r : prior.resources) {
    if (r.mode != "managed") {
      continue;
    }
    for (const state::InstanceState& i : r.instances) {
      std::string address = r.BlockAddress() + state::IndexSuffix(i.index_key);
      if (planned.count(address) > 0) {
        continue;
      }
      if (!i.Exists()) {
        continue;  // a create that never finished: nothing to delete that clusterform knows
      }
      ResourceChange c = FromState(r, i);
      c.action = Action::kDelete;
      if (!options.destroy) {
        c.action_reason = "delete_because_no_resource_config";
      }
      changes.push_back(std::move(c));
    }
  }

  // -target: the targets and what they depend on (for -destroy: what depends on them).
  if (!options.targets.empty()) {
    std::map<std::string, std::vector<std::string>> edges;
    for (const ResourceChange& c : changes) {
      edges[c.address] = c.depends_on;
    }
    std::map<std::string, std::vector<std::string>> reverse;
    for (const auto& [address, deps] : edges) {
      for (const std::string& d : deps) {
        reverse[d].push_back(address);
      }
    }
    std::set<std::string> keep;
    std::vector<std::string> stack;
    for (const ResourceChange& c : changes) {
      for (const std::string& t : options.targets) {
        if (AddressIn(c.address, t)) {
          stack.push_back(c.address);
        }
      }
    }
    while (!stack.empty()) {
      std::string a = stack.back();
      stack.pop_back();
      if (!keep.insert(a).second) {
        continue;
      }
      const std::vector<std::string>& next = options.destroy ? reverse[a] : edges[a];
      stack.insert(stack.end(), next.begin(), next.end());
    }
    std::vector<ResourceChange> kept;
    for (ResourceChange& c : changes) {
      if (keep.count(c.address) > 0) {
        kept.push_back(std::move(c));
      }
    }
    changes = std::move(kept);
  }

  // Drift: what refresh found.
  if (options.unrefreshed != nullptr) {
    for (const state::ResourceState& r : options.unrefreshed->resources) {
      if (r.mode != "managed") {
        continue;
      }
      for (const state::InstanceState& i : r.instances) {
        if (!i.Exists()) {
          continue;
        }
        std::string address = r.BlockAddress() + state::IndexSuffix(i.index_key);
        const state::InstanceState* now = prior.Find(address);
        if (now != nullptr && now->attributes == i.attributes) {
          continue;
        }
        ResourceChange d = FromState(r, i);
        if (now == nullptr) {
          d.action = Action::kDelete;
        } else {
          d.action = Action::kUpdate;
          d.after = StateValue(*now);
          d.after_sensitive = SensitiveAsBool(d.after);
          d.after_unknown = UnknownAsBool(d.after);
        }
        plan.resource_drift.push_back(std::move(d));
      }
    }
    SortChanges(plan.resource_drift);
  }

  if (options.refresh_only) {
    changes.clear();
  }
  SortChanges(changes);
  plan.resource_changes = std::move(changes);

  // Outputs against the state's.
  if (plan.has_state || options.destroy) {
    std::vector<OutputChange> outputs;
    std::set<std::string> declared;
    for (const OutputChange& o : plan.output_changes) {
      declared.insert(o.name);
    }
    for (OutputChange& o : plan.output_changes) {
      auto it = prior.outputs.find(o.name);
      if (options.destroy) {
        if (it != prior.outputs.end()) {
          o.action = Action::kDelete;
          o.before = JsonValue(it->second.value);
          o.after = hcl::Value::Null(hcl::Type::Dynamic());
          outputs.push_back(std::move(o));
        }
        continue;
      }
      if (it != prior.outputs.end()) {
        o.before = JsonValue(it->second.value);
        std::optional<Json> now = ConfigJson(o.after);
        o.action = now && *now == it->second.value ? Action::kNoOp : Action::kUpdate;
      }
      if (options.refresh_only) {
        continue;
      }
      outputs.push_back(std::move(o));
    }
    for (const auto& [name, out] : prior.outputs) {
      if (declared.count(name) == 0 && !options.destroy && !options.refresh_only) {
        OutputChange o;
        o.name = name;
        o.action = Action::kDelete;
        o.before = JsonValue(out.value);
        o.after = hcl::Value::Null(hcl::Type::Dynamic());
        o.sensitive = out.sensitive;
        outputs.push_back(std::move(o));
      }
    }
    std::sort(outputs.begin(), outputs.end(),
              [](const OutputChange& a, const OutputChange& b) { return a.name < b.name; });
    plan.output_changes = std::move(outputs);
  }
  return plan;
}

}  // namespace cf::plan
