#pragma once

// The modules built into clusterform (WEKA and W&B), as config::ModuleDefinitions: each
// module's embedded body (variables, locals, resources, outputs) parsed and decoded once, and
// its local-cloud defaults.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/evaluate.h"

namespace cf::modules {

class BuiltinModules {
 public:
  // Parses and decodes the embedded bodies; a problem there is a bug (crashes loudly with the
  // diagnostics).
  BuiltinModules();
  BuiltinModules(const BuiltinModules&) = delete;
  BuiltinModules& operator=(const BuiltinModules&) = delete;

  // Null when `source` is not a built-in module.
  const config::ModuleDefinition* Find(std::string_view source) const;
  config::ModuleLookup Lookup() const;

 public:
  // One module's decoded body and definition (public for the loader in the .cc file).
  struct Module {
    config::RootModule body;
    std::unique_ptr<hcl::File> local_cloud_file;
    std::map<std::string, const hcl::Expression*> local_cloud_defaults;
    std::map<std::string, std::string> stricter_sensitive_outputs;
    config::ModuleDefinition definition;
  };

 private:
  std::vector<std::unique_ptr<Module>> modules_;
};

}  // namespace cf::modules
