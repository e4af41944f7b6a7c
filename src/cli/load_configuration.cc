#include "cli/load_configuration.h"

#include <fmt/format.h>

#include "provider/plan_data_sources.h"

namespace cf::cli {

std::unique_ptr<LoadedConfiguration> LoadConfiguration(
    const std::string& dir, const std::vector<config::VarOption>& options,
    const std::map<std::string, std::string>& environment, const FileSystem& fs,
    const config::ModuleLookup& lookup, bool require_region, const LoadExtras& extras) {
  auto result = std::make_unique<LoadedConfiguration>();
  result->loaded = config::LoadRootModule(dir, fs);
  result->diags = result->loaded.diagnostics;
  if (result->diags.HasErrors()) {
    return result;
  }
  result->inputs =
      config::CollectInputs(*result->loaded.module, environment, options, fs, result->diags);
  if (result->diags.HasErrors()) {
    return result;
  }
  graph::ConfigurationOptions expand;
  expand.lookup = lookup ? lookup : result->builtins.Lookup();
  expand.schemas = &result->schemas;
  expand.data_sources = [require_region](const config::ProviderSettings& provider) {
    return provider::MakePlanDataSources(provider, require_region);
  };
  expand.functions.file_system = &fs;
  expand.functions.base_dir = dir;
  expand.environment = environment;
  expand.applied = extras.applied;
  expand.supports = extras.supports;
  expand.supported_types = extras.supported_types;
  result->desired =
      graph::ExpandConfiguration(*result->loaded.module, result->inputs, expand, result->diags);
  return result;
}

int PrintDiagnostics(const LoadedConfiguration& loaded, const Io& io) {
  int errors = 0;
  for (const hcl::Diagnostic& d : loaded.diags) {
    std::string_view source;
    if (d.has_subject) {
      if (loaded.loaded.module) {
        source = loaded.loaded.module->SourceOf(d.filename);
      }
      if (source.empty()) {
        source = loaded.inputs.SourceOf(d.filename);
      }
      if (source.empty()) {
        for (const auto& file : loaded.desired.config.variables.files) {
          if (file->filename() == d.filename) {
            source = file->source();
          }
        }
      }
    }
    fmt::print(io.err, "{}\n", hcl::FormatDiagnostic(d, source));
    errors += d.severity == hcl::Severity::kError ? 1 : 0;
  }
  return errors;
}

std::vector<config::VarOption> VarOptions(
    const std::vector<std::pair<std::string, std::string>>& values) {
  std::vector<config::VarOption> options;
  for (const auto& [name, value] : values) {
    if (name == "var") {
      options.push_back({config::VarOption::Kind::kVar, value});
    } else if (name == "var-file") {
      options.push_back({config::VarOption::Kind::kVarFile, value});
    }
  }
  return options;
}

}  // namespace cf::cli
