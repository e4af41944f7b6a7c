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
  // The root module's own resource and data blocks (empty when it has none).
  Expansion root;

  // Every instance: the root module's, then every module's, module by module, each in
  // dependency order.
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
  // Instances that exist (from state): references to them resolve to their attributes.
  const AppliedValues* applied = nullptr;
  // Whether a root `resource` (data = false) or `data` block may use `type`; empty: any type.
  std::function<bool(std::string_view type, bool data)> supports;
  // The types `supports` accepts, sorted, named when a block uses another.
  std::function<std::vector<std::string>(bool data)> supported_types;
};

// Evaluates `root` with `inputs` and expands each module call, then the root module's own
// resource and data blocks (which may refer to module outputs; module arguments may not yet
// refer to root resources: an error says so). Diagnostics from a module body (a failed
// precondition, such as neither weka_version nor install_weka_url set) are reported at the
// module call in the user's file, with the module's message. A root block of a type that
// `supports` refuses is an error at the block naming the supported types.
DesiredState ExpandConfiguration(const config::RootModule& root, const config::InputValues& inputs,
                                 const ConfigurationOptions& options, hcl::Diagnostics& diags);

}  // namespace cf::graph
