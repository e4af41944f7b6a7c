#include "modules/builtin/builtin_modules.h"

#include <cstdio>
#include <cstdlib>

#include "hcl/parser.h"
#include "modules/wandb/schema.h"
#include "modules/weka/schema.h"

namespace cf::modules {

namespace {

[[noreturn]] void Die(const std::string& source, const hcl::Diagnostics& diags,
                      const config::RootModule& body) {
  std::fprintf(stderr, "internal error: the built-in module %s is invalid:\n", source.c_str());
  for (const hcl::Diagnostic& d : diags) {
    std::fprintf(stderr, "%s\n", hcl::FormatDiagnostic(d, body.SourceOf(d.filename)).c_str());
  }
  std::abort();
}

template <typename File>
std::unique_ptr<BuiltinModules::Module> Load(std::string source, const std::vector<File>& files,
                                             std::string_view local_cloud_text) {
  auto module = std::make_unique<BuiltinModules::Module>();
  hcl::Diagnostics diags;
  for (const File& file : files) {
    hcl::ParseResult parsed =
        hcl::Parse(std::string(file.text), "<built-in " + source + ">/" + std::string(file.name));
    diags.Append(parsed.diagnostics);
    module->body.files.push_back(std::move(parsed.file));
  }
  if (!diags.HasErrors()) {
    config::DecodeModuleBody(module->body, diags);
  }
  hcl::ParseResult defaults =
      hcl::Parse(std::string(local_cloud_text), "<built-in " + source + ">/local_cloud.tfvars");
  diags.Append(defaults.diagnostics);
  module->local_cloud_file = std::move(defaults.file);
  if (module->local_cloud_file != nullptr) {
    for (const hcl::Attribute* attr : module->local_cloud_file->body()->attributes) {
      module->local_cloud_defaults[std::string(attr->name)] = attr->expr;
    }
  }
  if (diags.HasErrors()) {
    Die(source, diags, module->body);
  }
  if (source == wandb::kSource) {
    // The public module does not mark it sensitive (reference §3), though it carries the
    // password; clusterform does.
    module->stricter_sensitive_outputs["database_connection_string"] =
        "it holds the Aurora master password, which clusterform generates with random_password";
  }
  module->definition = {source, &module->body, &module->local_cloud_defaults,
                        &module->stricter_sensitive_outputs};
  return module;
}

}  // namespace

BuiltinModules::BuiltinModules() {
  modules_.push_back(
      Load(std::string(weka::kSource), weka::WekaModuleFiles(), weka::WekaLocalCloudDefaults()));
  modules_.push_back(Load(std::string(wandb::kSource), wandb::WandbModuleFiles(),
                          wandb::WandbLocalCloudDefaults()));
}

const config::ModuleDefinition* BuiltinModules::Find(std::string_view source) const {
  for (const auto& module : modules_) {
    if (module->definition.source == source) {
      return &module->definition;
    }
  }
  return nullptr;
}

config::ModuleLookup BuiltinModules::Lookup() const {
  return [this](std::string_view source) { return Find(source); };
}

}  // namespace cf::modules
