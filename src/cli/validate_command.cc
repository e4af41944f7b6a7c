#include "cli/validate_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/load_configuration.h"
#include "plan/preflight.h"

namespace cf::cli {

namespace {

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

// plan's preflight errors that are pure functions of the configuration (name length limits,
// an instance type the module cannot size, an ALB in one zone when the zones are known) are
// validate's errors too, so that what validate accepts plan accepts. Each points at the
// module call whose resource it is about. Warnings and information stay plan's.
void AddPreflightErrors(LoadedConfiguration& loaded) {
  for (const plan::Finding& finding : plan::Preflight(loaded.desired)) {
    if (finding.severity != plan::Finding::Severity::kError) {
      continue;
    }
    hcl::Diagnostic d;
    d.severity = hcl::Severity::kError;
    d.summary = finding.address.empty() ? finding.summary
                                        : fmt::format("{}: {}", finding.address, finding.summary);
    d.detail = finding.detail;
    for (const config::ModuleCall& call : loaded.loaded.module->modules) {
      std::string prefix = "module." + call.name;
      if (finding.address.rfind(prefix, 0) == 0 &&
          (finding.address.size() == prefix.size() || finding.address[prefix.size()] == '.' ||
           finding.address[prefix.size()] == '[')) {
        d.has_subject = true;
        d.filename = std::string(call.range.filename);
        d.start = call.range.start;
        d.end = call.range.end;
        break;
      }
    }
    loaded.diags.Add(std::move(d));
  }
}

}  // namespace

const FlagSpec& ValidateFlags() {
  static const FlagSpec kSpec{
      {ValueFlag("var"), ValueFlag("var-file"), BooleanFlag("json"), BooleanFlag("no-color")},
      {},
      /*directory=*/true};
  return kSpec;
}

int RunValidate(const std::vector<std::string>& args, const Io& io,
                const std::map<std::string, std::string>& environment, const FileSystem& fs) {
  Result<ParsedFlags> flags = ParseFlags(args, ValidateFlags());
  if (!flags.ok()) {
    fmt::print(io.err, "clusterform validate: {}\n", flags.status().message());
    return 2;
  }
  // The same steps as plan up to the resource instances, so that what validate accepts plan
  // accepts too: the module bodies' preconditions (an instance type missing from
  // containers_config_map, an ALB without a second subnet, ...) are checked here as well.
  // Nothing is read from the cloud: plan-time data sources are answered offline, and a
  // missing region leaves what depends on it unknown (checks on it are left to plan).
  std::unique_ptr<LoadedConfiguration> loaded =
      LoadConfiguration(flags->dir, VarOptions(flags->values), environment, fs, {},
                        /*require_region=*/false);
  if (!loaded->diags.HasErrors()) {
    AddPreflightErrors(*loaded);
  }
  if (flags->Has("json")) {
    PrintJson(loaded->diags, io);
    return loaded->diags.HasErrors() ? 1 : 0;
  }
  int errors = PrintDiagnostics(*loaded, io);
  if (errors > 0) {
    fmt::print(io.err, "{} error{}: the configuration in {} is not valid.\n", errors,
               errors == 1 ? "" : "s", flags->dir);
    return 1;
  }
  std::vector<std::string> calls;
  for (const config::EvaluatedModuleCall& call : loaded->desired.config.modules) {
    calls.push_back(fmt::format("{} ({})", call.address, call.definition->source));
  }
  const config::RootModule& module = *loaded->loaded.module;
  fmt::print(io.out, "Success! The configuration is valid.\n");
  if (!calls.empty()) {
    fmt::print(io.out, "Checked {}, {} variable{}, {} output{}.\n", fmt::join(calls, ", "),
               module.variables.size(), module.variables.size() == 1 ? "" : "s",
               module.outputs.size(), module.outputs.size() == 1 ? "" : "s");
  }
  return 0;
}

}  // namespace cf::cli
