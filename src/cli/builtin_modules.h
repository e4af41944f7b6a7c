#pragma once

// The modules built into clusterform (WEKA and W&B), as config::ModuleDefinitions: their
// input schemas decoded from the embedded variables.tf files.

#include "config/evaluate.h"

namespace cf::cli {

class BuiltinModules {
 public:
  // Parses and decodes the embedded schemas; a problem there is a bug (crashes loudly).
  BuiltinModules();
  BuiltinModules(const BuiltinModules&) = delete;
  BuiltinModules& operator=(const BuiltinModules&) = delete;

  const config::ModuleDefinition* Find(std::string_view source) const;
  config::ModuleLookup Lookup() const;

 private:
  config::RootModule weka_schema_;
  config::RootModule wandb_schema_;
  config::ModuleDefinition weka_;
  config::ModuleDefinition wandb_;
};

}  // namespace cf::cli
