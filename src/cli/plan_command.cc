#include "cli/plan_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/engine.h"
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
      {ValueFlag("var"), ValueFlag("var-file"), ValueFlag("out"), ValueFlag("target"),
       ValueFlag("replace"), ValueFlag("refresh"), ValueFlag("lock-timeout"), BooleanFlag("json"),
       BooleanFlag("detailed-exitcode"), BooleanFlag("no-color"), BooleanFlag("refresh-only"),
       BooleanFlag("destroy"), BooleanFlag("input")},
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

  PlanRequest request;
  request.destroy = flags->Has("destroy");
  request.refresh_only = flags->Has("refresh-only");
  request.refresh = flags->Last("refresh", "true") != "false";
  for (const auto& [name, value] : flags->values) {
    if (name == "target") {
      request.targets.push_back(value);
    } else if (name == "replace") {
      request.replace.insert(value);
    }
  }
  Engine engine(flags->dir, VarOptions(flags->values), environment, fs, true);
  std::optional<PlanOutcome> outcome;
  if (engine.Open(io)) {
    outcome = MakeEnginePlan(engine, request, io);
  }
  if (!outcome) {
    int errors = engine.errors();
    if (errors > 0) {
      fmt::print(io.err, "{} error{}: clusterform cannot plan the configuration in {}.\n", errors,
                 errors == 1 ? "" : "s", flags->dir);
    }
    return 1;
  }
  LoadedConfiguration* loaded = outcome->loaded;
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
  plan::Plan& the_plan = outcome->plan;
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
    // Terraform's JSON plan, with what `apply FILE` needs to apply exactly this plan.
    nlohmann::json saved = nlohmann::json::parse(plan::RenderPlanJson(the_plan, json_options));
    saved["clusterform"] = {
        {"dir", flags->dir},
        // No lineage until a state was written (serial 0).
        {"lineage", outcome->prior.serial == 0 ? std::string() : outcome->prior.lineage},
        {"serial", outcome->prior.serial},
        {"configuration_digest", engine.ConfigurationDigest()},
        {"destroy", request.destroy},
        {"refresh_only", request.refresh_only},
        {"refresh", request.refresh},
        {"targets", request.targets},
        {"replace", request.replace}};
    Status written = fs.WriteFileAtomic(out_path, saved.dump(2) + "\n");
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
