#pragma once

// The desired state of a whole configuration: the root module evaluated (variables, provider,
// locals, module inputs, outputs) with every built-in module call expanded into its resource
// instances. This is what `plan`, `graph` and `policy` start from.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/evaluate.h"
#include "graph/expand.h"
#include "graph/resource.h"

namespace cf::graph {

struct DesiredState {
  config::EvaluatedConfig config;
  // One expansion per module call, in the order of config.modules.
  std::vector<Expansion> modules;

  // Every instance of every module, module by module, each in dependency order.
  std::vector<const ResourceInstance*> Instances() const;
};

// Makes the data-source reader for a provider configuration (region, endpoints).
using DataSourcesFactory =
    std::function<std::unique_ptr<DataSources>(const config::ProviderSettings& provider)>;

struct ConfigurationOptions {
  config::ModuleLookup lookup;
  const ResourceSchemas* schemas = nullptr;  // null: only "id" is computed
  DataSourcesFactory data_sources;           // empty: every data source reads as unknown
  hcl::FunctionContext functions;
  std::map<std::string, std::string> environment;  // AWS_REGION, AWS_ENDPOINT_URL, ...
};

// Evaluates `root` with `inputs` and expands each module call. Diagnostics from a module body
// (a failed precondition, such as neither weka_version nor install_weka_url set) are reported
// at the module call in the user's file, with the module's message.
DesiredState ExpandConfiguration(const config::RootModule& root, const config::InputValues& inputs,
                                 const ConfigurationOptions& options, hcl::Diagnostics& diags);

}  // namespace cf::graph
