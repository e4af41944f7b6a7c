#pragma once

// The root module: every declaration of the *.tf files in one directory, decoded from the AST
// but not evaluated. Expressions stay as AST pointers into the parsed files, which the
// RootModule owns; evaluation (variables, locals, module arguments, outputs) happens later,
// once input values are known.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/parser.h"

namespace cf::config {

// `backend "local" { ... }` or `backend "s3" { ... }` inside `terraform {}`.
struct Backend {
  std::string type;
  const hcl::Body* body = nullptr;
  hcl::Range range;
};

struct RequiredProvider {
  std::string name;
  std::string source;   // e.g. "hashicorp/aws"; empty when not given.
  std::string version;  // constraint text; empty when not given.
  hcl::Range range;
};

struct TerraformSettings {
  std::optional<std::string> required_version;
  hcl::Range required_version_range;
  std::vector<RequiredProvider> required_providers;
  std::optional<Backend> backend;
};

// `provider "aws" { ... }`. Its arguments are evaluated later (they may use variables).
struct ProviderConfig {
  std::string name;
  std::string alias;  // empty for the default configuration.
  const hcl::Body* body = nullptr;
  hcl::Range range;
};

struct Validation {
  const hcl::Expression* condition = nullptr;
  const hcl::Expression* error_message = nullptr;
  hcl::Range range;
};

struct Variable {
  std::string name;
  const hcl::Expression* type = nullptr;           // nullptr: any type.
  const hcl::Expression* default_value = nullptr;  // nullptr: required.
  std::string description;
  bool sensitive = false;
  bool nullable = true;
  std::vector<Validation> validations;
  hcl::Range range;  // the block's header (type and label), for diagnostics.
};

struct Local {
  std::string name;
  const hcl::Expression* expr = nullptr;
  hcl::Range range;
};

// `module "NAME" { source = "..." ... }`.
struct ModuleCall {
  std::string name;
  std::string source;  // as written
  hcl::Range source_range;
  // The built-in module the source names ("weka/weka/aws"; config/module_source.h); empty
  // until a local path has been recognised by the loader (RecogniseLocalModules).
  std::string builtin_source;
  std::string version;
  hcl::Range version_range;
  // Every other argument, in source order: the module's inputs.
  std::vector<const hcl::Attribute*> arguments;
  const hcl::Expression* depends_on = nullptr;
  // Meta-arguments: at most one of count and for_each (each null when not given); providers
  // is the `{ aws = aws.ALIAS }` map, its entries decoded into provider_map.
  const hcl::Expression* count = nullptr;
  const hcl::Expression* for_each = nullptr;
  struct ProviderPass {
    std::string name;       // the module's name for it: "aws"
    std::string alias;      // the root configuration passed: "" for `aws`, "east" for `aws.east`
    std::string root_name;  // "aws" in `aws.east`
    hcl::Range range;
  };
  std::vector<ProviderPass> providers;
  hcl::Range range;
};

struct Output {
  std::string name;
  const hcl::Expression* value = nullptr;
  std::string description;
  bool sensitive = false;
  const hcl::Expression* depends_on = nullptr;
  hcl::Range range;
};

// A `lifecycle { precondition { ... } }` check of a resource or data block.
struct Precondition {
  const hcl::Expression* condition = nullptr;
  const hcl::Expression* error_message = nullptr;
  hcl::Range range;
};

// `resource "TYPE" "NAME" { ... }` or `data "TYPE" "NAME" { ... }`: in the bodies of
// built-in modules (DecodeModuleBody) and in the root module (users' own resources). The body's
// arguments and nested blocks other than the meta-arguments below are the resource's configuration.
struct Resource {
  bool data = false;
  std::string type;
  std::string name;
  const hcl::Body* body = nullptr;
  const hcl::Expression* count = nullptr;
  const hcl::Expression* for_each = nullptr;
  const hcl::Expression* depends_on = nullptr;
  std::vector<Precondition> preconditions;
  bool create_before_destroy = false;  // lifecycle { create_before_destroy = true }
  // lifecycle { ignore_changes = [a, b] }: top-level argument names whose configured values
  // are not applied to an existing object (plan keeps what the object has); `all`: every one.
  // Nested paths (`scaling_config[0].desired_size`) are accepted but not honoured yet.
  std::vector<std::string> ignore_changes;
  bool ignore_all_changes = false;
  hcl::Range range;  // the block's header
};

struct RootModule {
  std::string dir;
  // The parsed *.tf files, in lexical order of their names. Everything below points into them.
  std::vector<std::unique_ptr<hcl::File>> files;

  TerraformSettings terraform;
  std::vector<ProviderConfig> providers;
  std::vector<Variable> variables;  // declaration order
  std::vector<Local> locals;
  std::vector<ModuleCall> modules;
  std::vector<Output> outputs;
  std::vector<Resource> resources;  // source order

  const Variable* FindVariable(std::string_view name) const;
  const ModuleCall* FindModule(std::string_view name) const;
  // The source text of a file by name (for rendering diagnostics); empty when unknown.
  std::string_view SourceOf(std::string_view filename) const;
};

// The module sources clusterform has built in.
inline constexpr const char* kBuiltinModuleSources[] = {"weka/weka/aws", "wandb/wandb/aws"};

// Decodes the bodies of already-parsed files into `module`, adding a diagnostic for every
// structural problem (unknown or unsupported block types, unexpected or missing arguments,
// duplicate declarations, non-literal values where Terraform requires literals, module
// sources that are not built in).
// A module call whose source is a local path ("../../") is kept with an empty builtin_source
// for the loader to recognise; evaluation refuses it when nothing did.
void DecodeRootModule(RootModule& module, hcl::Diagnostics& diags);

// The same for the body of a built-in module, which may also declare resource and data blocks
// (with count, for_each, depends_on, provider and lifecycle meta-arguments) but no module
// calls of its own.
void DecodeModuleBody(RootModule& module, hcl::Diagnostics& diags);

}  // namespace cf::config
