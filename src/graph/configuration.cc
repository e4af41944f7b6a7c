#include "graph/configuration.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "config/references.h"

namespace cf::graph {

namespace {

// Diagnostics about a built-in module's body point into files the user cannot open: report
// them at the module call instead, keeping the module's own message.
void Reanchor(const hcl::Diagnostics& from, const config::ModuleCall& call, hcl::Diagnostics& to) {
  for (const hcl::Diagnostic& d : from) {
    hcl::Diagnostic out = d;
    if (d.filename.rfind("<built-in", 0) == 0) {
      out.detail = d.detail.empty() ? d.summary : d.detail;
      if (d.summary != "Resource precondition failed") {
        out.detail += fmt::format(" (in {}:{})", d.filename, d.start.line);
      }
      out.summary = d.summary == "Resource precondition failed"
                        ? fmt::format("Invalid arguments for module \"{}\"", call.name)
                        : d.summary;
      out.filename = call.range.filename;
      out.start = call.range.start;
      out.end = call.range.end;
    }
    to.Add(std::move(out));
  }
}

// True when `refs` name a resource or data block of the root module.
bool RefersToRootResource(const std::vector<config::Reference>& refs) {
  for (const config::Reference& ref : refs) {
    if (ref.kind == config::Reference::Kind::kResource ||
        ref.kind == config::Reference::Kind::kData) {
      return true;
    }
  }
  return false;
}

void ExpandRoot(const config::RootModule& root, const ConfigurationOptions& options,
                DataSources* data_sources, DesiredState& state, hcl::Diagnostics& diags) {
  bool ok = true;
  for (const config::Resource& r : root.resources) {
    if (!options.supports || options.supports(r.type, r.data)) {
      continue;
    }
    std::string names;
    if (options.supported_types) {
      std::vector<std::string> types = options.supported_types(r.data);
      names = fmt::format(" It supports: {}.", fmt::join(types, ", "));
    }
    diags.AddError(r.data ? "Unsupported data source" : "Unsupported resource type",
                   fmt::format("clusterform cannot {} \"{}\".{}",
                               r.data ? "read data sources of type" : "manage resources of type",
                               r.type, names),
                   r.range);
    ok = false;
  }
  for (const config::ModuleCall& call : root.modules) {
    for (const hcl::Attribute* arg : call.arguments) {
      if (RefersToRootResource(config::FindReferences(arg->expr))) {
        diags.AddError("Unsupported module argument",
                       fmt::format("The argument \"{}\" of module \"{}\" refers to a resource "
                                   "of the root module; clusterform does not pass root "
                                   "resources into module calls yet. Pass an existing id as a "
                                   "variable instead.",
                                   arg->name, call.name),
                       arg->expr->range);
        ok = false;
      }
    }
  }
  if (!ok) {
    return;
  }
  hcl::ValueMap module_outputs;
  for (const config::EvaluatedModuleCall& call : state.config.modules) {
    module_outputs[call.name] = call.outputs;
  }
  ExpandOptions expand;
  expand.schemas = options.schemas;
  expand.data_sources = data_sources;
  expand.functions = options.functions;
  expand.applied = options.applied;
  expand.module_outputs = hcl::Value::Object(std::move(module_outputs));
  expand.path_module = root.dir;
  state.root = ExpandModule(root, state.config.variables.values, expand, diags);
  // Outputs that read root resources: the values the expansion computed.
  for (const OutputValue& out : state.root.outputs) {
    auto it = state.config.outputs.find(out.name);
    if (it == state.config.outputs.end()) {
      continue;
    }
    it->second.value = out.value;
    if (out.value.ContainsSensitive() && !it->second.sensitive) {
      for (const config::Output& decl : root.outputs) {
        if (decl.name == out.name) {
          diags.AddError("Output refers to sensitive values",
                         "To reduce the risk of accidentally exporting sensitive data that was "
                         "intended to be only internal, clusterform requires that any root "
                         "module output containing sensitive data be explicitly marked as "
                         "sensitive, to confirm your intent. Add sensitive = true to this "
                         "output.",
                         decl.range);
        }
      }
    }
  }
}

// A module call that names other module calls in depends_on, or reads their outputs in its
// arguments, count or for_each: each of its instances waits for every instance of those.
void AddModuleDependencies(const config::RootModule& root, DesiredState& state) {
  for (size_t i = 0; i < state.modules.size(); ++i) {
    const config::ModuleCall* call = root.FindModule(state.config.modules[i].name);
    if (call == nullptr) {
      continue;
    }
    std::set<std::string> names;
    std::vector<const hcl::Expression*> exprs = {call->depends_on, call->count, call->for_each};
    for (const hcl::Attribute* arg : call->arguments) {
      exprs.push_back(arg->expr);
    }
    for (const hcl::Expression* e : exprs) {
      if (e == nullptr) {
        continue;
      }
      for (const config::Reference& ref : config::FindReferences(e)) {
        if (ref.kind == config::Reference::Kind::kModule && ref.name != call->name) {
          names.insert(ref.name);
        }
      }
    }
    if (names.empty()) {
      continue;
    }
    std::vector<std::string> upstream;
    for (size_t j = 0; j < state.modules.size(); ++j) {
      if (names.count(state.config.modules[j].name) == 0) {
        continue;
      }
      for (const ResourceInstance& instance : state.modules[j].instances) {
        if (instance.mode == ResourceMode::kManaged) {
          upstream.push_back(instance.Address());
        }
      }
    }
    for (ResourceInstance& instance : state.modules[i].instances) {
      instance.depends_on.insert(instance.depends_on.end(), upstream.begin(), upstream.end());
      std::sort(instance.depends_on.begin(), instance.depends_on.end());
      instance.depends_on.erase(std::unique(instance.depends_on.begin(), instance.depends_on.end()),
                                instance.depends_on.end());
    }
  }
}

}  // namespace

std::vector<const ResourceInstance*> DesiredState::Instances() const {
  std::vector<const ResourceInstance*> out;
  for (const ResourceInstance& instance : root.instances) {
    out.push_back(&instance);
  }
  for (const Expansion& e : modules) {
    for (const ResourceInstance& instance : e.instances) {
      out.push_back(&instance);
    }
  }
  return out;
}

DesiredState ExpandConfiguration(const config::RootModule& root, const config::InputValues& inputs,
                                 const ConfigurationOptions& options, hcl::Diagnostics& diags) {
  DesiredState state;
  std::unique_ptr<DataSources> data_sources;
  std::map<std::string, Expansion> expansions;
  config::ModuleExpander expander = [&](const std::string& address,
                                        const config::ModuleDefinition& definition,
                                        const std::map<std::string, hcl::Value>& module_inputs,
                                        const config::ProviderSettings& provider) {
    // "module.NAME" or "module.NAME[KEY]".
    std::string call_name = address.substr(7, address.find('[') - 7);
    const config::ModuleCall* call = root.FindModule(call_name);
    if (data_sources == nullptr && options.data_sources) {
      data_sources = options.data_sources(provider);
    }
    ExpandOptions expand;
    expand.module_address = address;
    expand.schemas = options.schemas;
    expand.data_sources = data_sources.get();
    expand.functions = options.functions;
    expand.applied = options.applied;
    hcl::Diagnostics body_diags;
    Expansion expansion = ExpandModule(*definition.schema, module_inputs, expand, body_diags);
    Reanchor(body_diags, *call, diags);
    hcl::ValueMap outputs;
    for (const OutputValue& out : expansion.outputs) {
      outputs[out.name] = out.sensitive ? out.value.WithSensitive() : out.value;
    }
    expansions[address] = std::move(expansion);
    return hcl::Value::Object(std::move(outputs));
  };
  state.config = config::EvaluateConfig(root, inputs, options.lookup, expander, options.functions,
                                        diags, options.environment);
  for (const config::EvaluatedModuleCall& call : state.config.modules) {
    auto it = expansions.find(call.address);
    state.modules.push_back(it == expansions.end() ? Expansion{} : std::move(it->second));
  }
  AddModuleDependencies(root, state);
  if (!root.resources.empty() && !diags.HasErrors()) {
    if (data_sources == nullptr && options.data_sources) {
      data_sources = options.data_sources(state.config.provider);
    }
    ExpandRoot(root, options, data_sources.get(), state, diags);
  }
  return state;
}

}  // namespace cf::graph
