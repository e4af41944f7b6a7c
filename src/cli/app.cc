#include "cli/app.h"

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <map>

#include "base/file_system.h"
#include "cli/apply_command.h"
#include "cli/aws_command.h"
#include "cli/cloud_command.h"
#include "cli/graph_command.h"
#include "cli/plan_command.h"
#include "cli/policy_command.h"
#include "cli/state_command.h"
#include "cli/validate_command.h"

extern char** environ;

namespace cf::cli {

namespace {

// Commands of DESIGN.md that this build does not have yet, with the issue that brings them,
// so a user who tries one is told plainly instead of getting "unknown command".
struct PlannedCommand {
  const char* name;
  const char* summary;
};

constexpr PlannedCommand kPlanned[] = {
    {"status", "watch clusterization and the cluster's health"},
    {"scale", "scale the cluster out or in safely"},
    {"rotate", "rotate credentials and keys"},
};

}  // namespace

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string::npos) {
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return env;
}

int RunCli(const std::vector<std::string>& args, const Io& io) {
  CLI::App app{"clusterform: data-platform clusters on AWS from your main.tf", "clusterform"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("clusterform ") + kVersion);

  CLI::App* version = app.add_subcommand("version", "print the version");
  AwsCommandFlags aws_flags;
  CLI::App* aws = AddAwsCommand(app, aws_flags);
  CLI::App* validate =
      app.add_subcommand("validate",
                         "check the configuration in DIR: syntax, types, validations, module "
                         "inputs  [DIR] [-var NAME=VALUE] [-var-file FILE] [-json]")
          ->allow_extras()
          ->prefix_command();
  CLI::App* plan =
      app.add_subcommand("plan",
                         "preview the changes for DIR, with preflight checks  [DIR] [-var "
                         "NAME=VALUE] [-var-file FILE] [-out FILE] [-json] [-detailed-exitcode] "
                         "[-no-color]")
          ->allow_extras()
          ->prefix_command();
  CLI::App* graph =
      app.add_subcommand("graph",
                         "the resource graph of DIR as Graphviz DOT  [DIR] [-var NAME=VALUE] "
                         "[-var-file FILE] [-instances]")
          ->allow_extras()
          ->prefix_command();
  CLI::App* policy =
      app.add_subcommand("policy",
                         "the least-privilege IAM policy for DIR's plan, in documents of at most "
                         "6,144 characters  [DIR] [-var NAME=VALUE] [-var-file FILE] "
                         "[-account ID] [-o DIR]")
          ->allow_extras()
          ->prefix_command();
  auto engine_command = [&app](const char* name, const char* help) {
    return app.add_subcommand(name, help)->allow_extras()->prefix_command();
  };
  CLI::App* apply = engine_command(
      "apply",
      "create or change everything, with live progress  [DIR|PLANFILE] [-auto-approve] "
      "[-parallelism=N] [-json] [-lock-timeout=D] [-refresh=false] [-refresh-only] "
      "[-target=ADDR] [-replace=ADDR] [-destroy] [-var NAME=VALUE] [-var-file FILE]");
  CLI::App* destroy =
      engine_command("destroy", "tear everything down  [DIR] [-auto-approve] [-target=ADDR]");
  CLI::App* output =
      engine_command("output", "the root outputs from the state  [NAME] [-json] [-raw] [-dir DIR]");
  CLI::App* state_cmd = engine_command(
      "state", "the instances in state  list [DIR] | show ADDR | rm ADDR...  [-dir DIR]");
  CLI::App* import_cmd =
      engine_command("import", "adopt an existing object  ADDR ID [-dir DIR] [-var NAME=VALUE]");
  CLI::App* unlock =
      engine_command("force-unlock", "release a lock a dead process left  LOCK_ID [-force]");
  CloudFlags cloud_flags;
  CLI::App* cloud = AddCloudCommand(app, cloud_flags);
  for (const auto& planned : kPlanned) {
    app.add_subcommand(planned.name, planned.summary)->allow_extras()->prefix_command();
  }

  auto is_command = [&app](const std::string& name) {
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
      if (sub->get_name() == name) {
        return true;
      }
    }
    return false;
  };
  if (args.size() > 1 && !args[1].empty() && args[1][0] != '-' && !is_command(args[1])) {
    fmt::print(io.err,
               "clusterform: unknown command \"{}\"\nRun 'clusterform --help' for the commands.\n",
               args[1]);
    return 2;
  }
  std::vector<std::string> argv_rest(args.rbegin(), args.rend());
  if (!argv_rest.empty()) {
    argv_rest.pop_back();  // the program name
  }
  try {
    app.parse(argv_rest);
  } catch (const CLI::CallForHelp& e) {
    fmt::print(io.out, "{}", app.help());
    return 0;
  } catch (const CLI::CallForVersion& e) {
    fmt::print(io.out, "{}\n", e.what());
    return 0;
  } catch (const CLI::ParseError& e) {
    fmt::print(io.err, "clusterform: {}\nRun 'clusterform --help' for the commands.\n", e.what());
    return 2;
  }

  if (version->parsed()) {
    fmt::print(io.out, "clusterform {}\n", kVersion);
    return 0;
  }
  if (aws->parsed()) {
    return RunAwsCommand(aws_flags, io);
  }
  if (validate->parsed()) {
    RealFileSystem fs;
    return RunValidate(validate->remaining(), io, ProcessEnvironment(), fs);
  }
  if (plan->parsed()) {
    RealFileSystem fs;
    return RunPlan(plan->remaining(), io, ProcessEnvironment(), fs);
  }
  if (graph->parsed()) {
    RealFileSystem fs;
    return RunGraph(graph->remaining(), io, ProcessEnvironment(), fs);
  }
  if (policy->parsed()) {
    RealFileSystem fs;
    return RunPolicy(policy->remaining(), io, ProcessEnvironment(), fs);
  }
  if (apply->parsed() || destroy->parsed()) {
    RealFileSystem fs;
    ApplyCommandOptions options;
    options.destroy = destroy->parsed();
    return RunApply((apply->parsed() ? apply : destroy)->remaining(), io, ProcessEnvironment(),
                    fs, options);
  }
  if (output->parsed()) {
    RealFileSystem fs;
    return RunOutput(output->remaining(), io, ProcessEnvironment(), fs);
  }
  if (state_cmd->parsed()) {
    RealFileSystem fs;
    return RunState(state_cmd->remaining(), io, ProcessEnvironment(), fs);
  }
  if (import_cmd->parsed()) {
    RealFileSystem fs;
    return RunImport(import_cmd->remaining(), io, ProcessEnvironment(), fs);
  }
  if (unlock->parsed()) {
    RealFileSystem fs;
    return RunForceUnlock(unlock->remaining(), io, ProcessEnvironment(), fs);
  }
  if (cloud->parsed()) {
    return RunCloudCommand(*cloud, cloud_flags, io);
  }
  for (const auto& planned : kPlanned) {
    if (app.got_subcommand(planned.name)) {
      fmt::print(io.err, "clusterform {}: not available in this build yet\n", planned.name);
      return 2;
    }
  }
  return 2;
}

}  // namespace cf::cli
