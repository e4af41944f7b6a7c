#pragma once

// Evaluating a loaded root module: variables, locals, the arguments of each module call
// (checked against the built-in module's input schema) and the root outputs, in dependency
// order, with cycles reported. Module outputs come from a ModuleExpander; until a module is
// expanded (plan), its outputs are unknown.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/inputs.h"
#include "config/provider.h"
#include "config/root_module.h"
#include "config/variables.h"
#include "hcl/function.h"
#include "hcl/value.h"

namespace cf::config {

// A built-in module as the configuration layer sees it.
struct ModuleDefinition {
  std::string source;        // "weka/weka/aws"
  const RootModule* schema;  // its variables (and, for built-in modules, its whole body)
  // Defaults that replace the variables' own when the provider points at the local cloud
  // (loopback CIDRs): variable name -> constant expression. May be null.
  const std::map<std::string, const hcl::Expression*>* local_cloud_defaults = nullptr;
  // Outputs clusterform marks sensitive that the public module does not: output name -> why
  // (a clause: "it holds the database password ..."). A root output passing one on without
  // `sensitive = true` is accepted as sensitive, with a warning, instead of refused. May be
  // null.
  const std::map<std::string, std::string>* stricter_sensitive_outputs = nullptr;
};

// Looks up a built-in module by source; nullptr when there is none.
using ModuleLookup = std::function<const ModuleDefinition*(std::string_view source)>;

// Produces the outputs (an object value) of one instance of a module call, named by its
// address ("module.weka", "module.weka[0]", "module.weka[\"a\"]"), from its checked inputs
// and the provider's settings.
using ModuleExpander = std::function<hcl::Value(
    const std::string& address, const ModuleDefinition& definition,
    const std::map<std::string, hcl::Value>& inputs, const ProviderSettings& provider)>;

// One instance of a module call: a call without count or for_each has one, keyed null.
struct EvaluatedModuleCall {
  std::string name;
  std::string address;  // "module.weka", "module.weka[0]", "module.weka[\"a\"]"
  hcl::Value key;       // null, the count index or the for_each key
  const ModuleDefinition* definition = nullptr;
  std::map<std::string, hcl::Value> inputs;  // every schema variable, defaults filled in
  hcl::Value outputs;                        // from the expander; unknown without one
};

struct EvaluatedOutput {
  hcl::Value value;
  bool sensitive = false;
  std::string description;
};

struct EvaluatedConfig {
  EvaluatedVariables variables;
  ProviderSettings provider;
  std::map<std::string, hcl::Value> locals;
  std::vector<EvaluatedModuleCall> modules;  // every instance of every call, call by call
  std::map<std::string, EvaluatedOutput> outputs;
};

// Evaluates everything. `expander` may be empty (validate): module outputs are then unknown.
// `environment` supplies the provider's fallbacks (AWS_REGION, AWS_ENDPOINT_URL, ...).
EvaluatedConfig EvaluateConfig(const RootModule& module, const InputValues& inputs,
                               const ModuleLookup& lookup, const ModuleExpander& expander,
                               const hcl::FunctionContext& functions, hcl::Diagnostics& diags,
                               const std::map<std::string, std::string>& environment = {});

}  // namespace cf::config
