#pragma once

// Which module a `module` block's `source` names. clusterform downloads no module: a source
// that names one of the public modules clusterform has built in (by its registry address,
// its GitHub repository in any form Terraform accepts, or a local checkout of it) is planned
// with the built-in module; any other source is refused.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cf::config {

// A built-in module and the public module it implements.
struct BuiltinModuleInfo {
  const char* source;      // the registry address: "weka/weka/aws"
  const char* repository;  // "weka/terraform-aws-weka" on GitHub
  const char* version;     // the public module's version whose inputs it takes: "v2.0.1"
  // Variables every checkout of the public module declares (recognises a local path).
  std::vector<std::string_view> signature;
};

// Every built-in module, registry sources first in the order of kBuiltinModuleSources.
const std::vector<BuiltinModuleInfo>& BuiltinModuleInfos();
const BuiltinModuleInfo* FindBuiltinModuleInfo(std::string_view source);

struct ResolvedSource {
  std::string builtin;    // the built-in module's registry source ("weka/weka/aws")
  std::string submodule;  // NAME for "...//modules/NAME"; empty for the module's root
  std::string ref;        // the `?ref=` of a git source; empty when not given
  bool registry = false;  // written as the registry address (no note needed)
};

// True for "./x" and "../x" sources (Terraform's local paths).
bool IsLocalModulePath(std::string_view source);

// Resolves a registry or remote source: "weka/weka/aws", "registry.terraform.io/weka/weka/aws",
// "wandb/wandb/aws//modules/NAME", "github.com/weka/terraform-aws-weka?ref=v1",
// "git::https://github.com/wandb/terraform-aws-wandb.git//modules/NAME?ref=v8.0.0",
// "git::ssh://git@github.com/...", "git@github.com:...". nullopt when it names no built-in
// module (local paths included: see RecogniseCheckout).
std::optional<ResolvedSource> ResolveRemoteSource(std::string_view source);

// The built-in module a local checkout is, from the variable names its *.tf files declare:
// the one whose whole signature is declared. nullptr when none matches.
const BuiltinModuleInfo* RecogniseCheckout(const std::vector<std::string>& declared_variables);

}  // namespace cf::config
