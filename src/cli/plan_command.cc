#include "cli/plan_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include "cli/load_configuration.h"
#include "graph/configuration.h"
#include "plan/plan.h"
#include "plan/preflight.h"
#include "plan/render_json.h"
#include "plan/render_text.h"
#include "provider/resource_schemas.h"

namespace cf::cli {

namespace {

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

const FlagSpec& PlanFlags() {
  static const FlagSpec kSpec{
      {ValueFlag("var"), ValueFlag("var-file"), ValueFlag("out"), BooleanFlag("json"),
       BooleanFlag("detailed-exitcode"), BooleanFlag("no-color")},
      {},
      /*directory=*/true};
  return kSpec;
}

int RunPlan(const std::vector<std::string>& args, const Io& io,
            const std::map<std::string, std::string>& environment, FileSystem& fs,
            const PlanCommandOptions& options) {
  Result<ParsedFlags> flags = ParseFlags(args, PlanFlags());
  if (!flags.ok()) {
    fmt::print(io.err, "clusterform plan: {}\n", flags.status().message());
    return 2;
  }
  bool json = flags->Has("json");
  bool color = !json && UseColor(io, *flags, environment, options);

  std::unique_ptr<LoadedConfiguration> loaded =
      LoadConfiguration(flags->dir, VarOptions(flags->values), environment, fs);
  int errors = PrintDiagnostics(*loaded, io);
  if (errors > 0) {
    fmt::print(io.err, "{} error{}: clusterform cannot plan the configuration in {}.\n", errors,
               errors == 1 ? "" : "s", flags->dir);
    return 1;
  }
  const graph::DesiredState& desired = loaded->desired;

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

  const provider::AwsResourceSchemas& schemas = loaded->schemas;
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
