#pragma once

// The first steps that `plan`, `graph` and `policy` share: load the root module in DIR,
// collect its inputs (-var, -var-file, tfvars, TF_VAR_), evaluate it and expand every
// built-in module call into its desired resource instances.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "config/inputs.h"
#include "config/loader.h"
#include "graph/configuration.h"
#include "hcl/diagnostic.h"
#include "modules/builtin/builtin_modules.h"
#include "provider/resource_schemas.h"

namespace cf::cli {

// Everything the desired state points into, kept alive together. Not movable (the desired
// state refers to the module bodies and the loaded files).
struct LoadedConfiguration {
  LoadedConfiguration() = default;
  LoadedConfiguration(const LoadedConfiguration&) = delete;
  LoadedConfiguration& operator=(const LoadedConfiguration&) = delete;

  modules::BuiltinModules builtins;
  provider::AwsResourceSchemas schemas;
  config::LoadResult loaded;
  config::InputValues inputs;
  graph::DesiredState desired;  // meaningful only when diags has no errors
  hcl::Diagnostics diags;
};

// Loads and expands the configuration in `dir` (computed attributes from
// provider::AwsResourceSchemas, plan-time data sources from provider::MakePlanDataSources);
// problems are in the result's diags. `lookup`
// finds the modules a call's source names; empty: the built-in modules. Without
// `require_region`, a configuration with no region expands with the region unknown (validate).
// What an engine command adds to the loading: the state's instances (references to them
// resolve) and which types root blocks may use.
struct LoadExtras {
  const graph::AppliedValues* applied = nullptr;
  std::function<bool(std::string_view type, bool data)> supports;
  std::function<std::vector<std::string>(bool data)> supported_types;
};

std::unique_ptr<LoadedConfiguration> LoadConfiguration(
    const std::string& dir, const std::vector<config::VarOption>& options,
    const std::map<std::string, std::string>& environment, const FileSystem& fs,
    const config::ModuleLookup& lookup = {}, bool require_region = true,
    const LoadExtras& extras = {});

// Prints each diagnostic with its source line to io.err; returns the number of errors.
int PrintDiagnostics(const LoadedConfiguration& loaded, const Io& io);

// The -var and -var-file options among parsed flag values, in order.
std::vector<config::VarOption> VarOptions(
    const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace cf::cli
