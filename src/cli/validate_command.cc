#include "cli/validate_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/tf_flags.h"
#include "config/evaluate.h"
#include "config/loader.h"
#include "modules/builtin/builtin_modules.h"

namespace cf::cli {

namespace {

// Finds the source text of a diagnostic's file among everything that was read.
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

nlohmann::json PosJson(const hcl::Pos& p) {
  return {{"line", p.line}, {"column", p.column}, {"byte", p.byte}};
}

void PrintJson(const hcl::Diagnostics& diags, const Io& io) {
  nlohmann::json out;
  out["format_version"] = "1.0";
  int errors = 0;
  int warnings = 0;
  nlohmann::json list = nlohmann::json::array();
  for (const hcl::Diagnostic& d : diags) {
    bool error = d.severity == hcl::Severity::kError;
    (error ? errors : warnings)++;
    nlohmann::json item = {
        {"severity", error ? "error" : "warning"}, {"summary", d.summary}, {"detail", d.detail}};
    if (d.has_subject) {
      item["range"] = {
          {"filename", d.filename}, {"start", PosJson(d.start)}, {"end", PosJson(d.end)}};
    }
    list.push_back(std::move(item));
  }
  out["valid"] = errors == 0;
  out["error_count"] = errors;
  out["warning_count"] = warnings;
  out["diagnostics"] = std::move(list);
  fmt::print(io.out, "{}\n", out.dump(2));
}

}  // namespace

int RunValidate(const std::vector<std::string>& args, const Io& io,
                const std::map<std::string, std::string>& environment, const FileSystem& fs) {
  Result<ParsedFlags> flags = ParseFlags(args, {{"var", "var-file"}, {"json", "no-color"}});
  if (!flags.ok()) {
    fmt::print(io.err, "clusterform validate: {}\n", flags.status().message());
    return 2;
  }
  std::vector<config::VarOption> options;
  for (const auto& [name, value] : flags->values) {
    options.push_back(
        {name == "var" ? config::VarOption::Kind::kVar : config::VarOption::Kind::kVarFile, value});
  }

  config::LoadResult loaded = config::LoadRootModule(flags->dir, fs);
  hcl::Diagnostics diags = loaded.diagnostics;
  config::InputValues inputs;
  std::optional<config::EvaluatedConfig> evaluated;
  if (!diags.HasErrors()) {
    inputs = config::CollectInputs(*loaded.module, environment, options, fs, diags);
  }
  if (!diags.HasErrors()) {
    modules::BuiltinModules builtins;
    hcl::FunctionContext functions;
    functions.file_system = &fs;
    functions.base_dir = flags->dir;
    evaluated = config::EvaluateConfig(*loaded.module, inputs, builtins.Lookup(), nullptr,
                                       functions, diags, environment);
  }

  if (flags->Has("json")) {
    PrintJson(diags, io);
    return diags.HasErrors() ? 1 : 0;
  }
  const config::EvaluatedVariables* variables = evaluated ? &evaluated->variables : nullptr;
  for (const hcl::Diagnostic& d : diags) {
    fmt::print(io.err, "{}\n",
               hcl::FormatDiagnostic(d, SourceFor(d, *loaded.module, inputs, variables)));
  }
  if (diags.HasErrors()) {
    int errors = 0;
    for (const hcl::Diagnostic& d : diags) {
      errors += d.severity == hcl::Severity::kError ? 1 : 0;
    }
    fmt::print(io.err, "{} error{}: the configuration in {} is not valid.\n", errors,
               errors == 1 ? "" : "s", flags->dir);
    return 1;
  }
  std::vector<std::string> calls;
  for (const config::EvaluatedModuleCall& call : evaluated->modules) {
    calls.push_back(fmt::format("module.{} ({})", call.name, call.definition->source));
  }
  fmt::print(io.out, "Success! The configuration is valid.\n");
  if (!calls.empty()) {
    fmt::print(io.out, "Checked {}, {} variable{}, {} output{}.\n", fmt::join(calls, ", "),
               loaded.module->variables.size(), loaded.module->variables.size() == 1 ? "" : "s",
               loaded.module->outputs.size(), loaded.module->outputs.size() == 1 ? "" : "s");
  }
  return 0;
}

}  // namespace cf::cli
