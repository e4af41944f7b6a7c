#include "cli/plan_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include "cli/tf_flags.h"
#include "config/loader.h"
#include "graph/configuration.h"
#include "modules/builtin/builtin_modules.h"
#include "plan/plan.h"
#include "plan/preflight.h"
#include "plan/render_json.h"
#include "plan/render_text.h"
#include "provider/plan_data_sources.h"
#include "provider/resource_schemas.h"

namespace cf::cli {

namespace {

// The source text of a diagnostic's file among everything that was read.
std::string_view SourceFor(const hcl::Diagnostic& d, const config::RootModule& module,
                           const config::InputValues& inputs,
                           const config::EvaluatedVariables* variables) {
  if (!d.has_subject) {
    return {};
  }
  std::string_view source = module.SourceOf(d.filename);
  if (source.empty()) {
    source = inputs.SourceOf(d.filename);
  }
  if (source.empty() && variables != nullptr) {
    for (const auto& file : variables->files) {
      if (file->filename() == d.filename) {
        return file->source();
      }
    }
  }
  return source;
}

void PrintDiagnostics(const hcl::Diagnostics& diags, const config::RootModule& module,
                      const config::InputValues& inputs,
                      const config::EvaluatedVariables* variables, const Io& io) {
  for (const hcl::Diagnostic& d : diags) {
    fmt::print(io.err, "{}\n", hcl::FormatDiagnostic(d, SourceFor(d, module, inputs, variables)));
  }
}

int CountErrors(const hcl::Diagnostics& diags) {
  int errors = 0;
  for (const hcl::Diagnostic& d : diags) {
    errors += d.severity == hcl::Severity::kError ? 1 : 0;
  }
  return errors;
}

bool UseColor(const Io& io, const ParsedFlags& flags,
              const std::map<std::string, std::string>& environment,
              const PlanCommandOptions& options) {
  if (flags.Has("no-color")) {
    return false;
  }
  if (options.color.has_value()) {
    return *options.color;
  }
  if (environment.count("NO_COLOR") > 0) {
    return false;
  }
  auto term = environment.find("TERM");
  if (term != environment.end() && term->second == "dumb") {
    return false;
  }
  return isatty(fileno(io.out)) != 0;
}

}  // namespace

int RunPlan(const std::vector<std::string>& args, const Io& io,
            const std::map<std::string, std::string>& environment, FileSystem& fs,
            const PlanCommandOptions& options) {
  Result<ParsedFlags> flags =
      ParseFlags(args, {{"var", "var-file", "out"}, {"json", "detailed-exitcode", "no-color"}});
  if (!flags.ok()) {
    fmt::print(io.err, "clusterform plan: {}\n", flags.status().message());
    return 2;
  }
  std::vector<config::VarOption> var_options;
  for (const auto& [name, value] : flags->values) {
    if (name == "var" || name == "var-file") {
      var_options.push_back(
          {name == "var" ? config::VarOption::Kind::kVar : config::VarOption::Kind::kVarFile,
           value});
    }
  }
  bool json = flags->Has("json");
  bool color = !json && UseColor(io, *flags, environment, options);

  // Load, collect the inputs, evaluate and expand.
  config::LoadResult loaded = config::LoadRootModule(flags->dir, fs);
  hcl::Diagnostics diags = loaded.diagnostics;
  config::InputValues inputs;
  if (!diags.HasErrors()) {
    inputs = config::CollectInputs(*loaded.module, environment, var_options, fs, diags);
  }
  modules::BuiltinModules builtins;
  provider::AwsResourceSchemas schemas;
  graph::DesiredState desired;
  if (!diags.HasErrors()) {
    graph::ConfigurationOptions expand;
    expand.lookup = builtins.Lookup();
    expand.schemas = &schemas;
    expand.data_sources = [](const config::ProviderSettings& provider) {
      return provider::MakePlanDataSources(provider);
    };
    expand.functions.file_system = &fs;
    expand.functions.base_dir = flags->dir;
    expand.environment = environment;
    desired = graph::ExpandConfiguration(*loaded.module, inputs, expand, diags);
  }
  PrintDiagnostics(diags, *loaded.module, inputs, &desired.config.variables, io);
  if (diags.HasErrors()) {
    int errors = CountErrors(diags);
    fmt::print(io.err, "{} error{}: clusterform cannot plan the configuration in {}.\n", errors,
               errors == 1 ? "" : "s", flags->dir);
    return 1;
  }

  // Preflight: before the plan, and instead of it when something would fail.
  std::vector<plan::Finding> findings =
      options.preflight ? options.preflight(desired) : plan::Preflight(desired);
  int preflight_errors = 0;
  for (const plan::Finding& f : findings) {
    preflight_errors += f.severity == plan::Finding::Severity::kError ? 1 : 0;
  }
  fmt::print(json ? io.err : io.out, "{}", plan::RenderPreflightText(findings, color));
  if (preflight_errors > 0) {
    fmt::print(io.err,
               "{} preflight error{}: an apply of this configuration would fail; fix {} and "
               "plan again.\n",
               preflight_errors, preflight_errors == 1 ? "" : "s",
               preflight_errors == 1 ? "it" : "them");
    return 1;
  }

  plan::Plan the_plan = plan::MakeCreatePlan(desired, schemas);
  plan::JsonOptions json_options;
  json_options.version = kVersion;
  if (json) {
    fmt::print(io.out, "{}", plan::RenderPlanJson(the_plan, json_options));
  } else {
    plan::TextOptions text_options;
    text_options.color = color;
    text_options.is_block = [&schemas](std::string_view type, std::string_view path) {
      return schemas.IsBlock(type, path);
    };
    fmt::print(io.out, "{}", plan::RenderPlanText(the_plan, text_options));
  }

  std::string out_path = flags->Last("out");
  if (!out_path.empty()) {
    Status written = fs.WriteFileAtomic(out_path, plan::RenderPlanJson(the_plan, json_options));
    if (!written.ok()) {
      fmt::print(io.err, "clusterform plan: cannot save the plan to {}: {}\n", out_path,
                 written.message());
      return 1;
    }
    if (!json) {
      fmt::print(io.out, "\nSaved the plan to: {}\n", out_path);
    }
  }
  if (flags->Has("detailed-exitcode")) {
    return the_plan.HasChanges() ? 2 : 0;
  }
  return 0;
}

}  // namespace cf::cli
