#include "graph/configuration.h"

#include <fmt/format.h>

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

}  // namespace

std::vector<const ResourceInstance*> DesiredState::Instances() const {
  std::vector<const ResourceInstance*> out;
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
  config::ModuleExpander expander = [&](const std::string& call_name,
                                        const config::ModuleDefinition& definition,
                                        const std::map<std::string, hcl::Value>& module_inputs,
                                        const config::ProviderSettings& provider) {
    const config::ModuleCall* call = root.FindModule(call_name);
    if (data_sources == nullptr && options.data_sources) {
      data_sources = options.data_sources(provider);
    }
    ExpandOptions expand;
    expand.module_address = "module." + call_name;
    expand.schemas = options.schemas;
    expand.data_sources = data_sources.get();
    expand.functions = options.functions;
    hcl::Diagnostics body_diags;
    Expansion expansion = ExpandModule(*definition.schema, module_inputs, expand, body_diags);
    Reanchor(body_diags, *call, diags);
    hcl::ValueMap outputs;
    for (const OutputValue& out : expansion.outputs) {
      outputs[out.name] = out.sensitive ? out.value.WithSensitive() : out.value;
    }
    expansions[call_name] = std::move(expansion);
    return hcl::Value::Object(std::move(outputs));
  };
  state.config = config::EvaluateConfig(root, inputs, options.lookup, expander, options.functions,
                                        diags, options.environment);
  for (const config::EvaluatedModuleCall& call : state.config.modules) {
    auto it = expansions.find(call.name);
    state.modules.push_back(it == expansions.end() ? Expansion{} : std::move(it->second));
  }
  return state;
}

}  // namespace cf::graph
