#include "cli/app.h"

#include <fmt/core.h>

#include <map>

#include "base/file_system.h"
#include "cli/apply_command.h"
#include "cli/aws_command.h"
#include "cli/cloud_command.h"
#include "cli/command.h"
#include "cli/graph_command.h"
#include "cli/module_command.h"
#include "cli/plan_command.h"
#include "cli/policy_command.h"
#include "cli/scale_command.h"
#include "cli/state_command.h"
#include "cli/status_command.h"
#include "cli/validate_command.h"

extern char** environ;

namespace cf::cli {

namespace {

using Args = std::vector<std::string>;

const FlagSpec& NoFlags() {
  static const FlagSpec kSpec;
  return kSpec;
}

int RunVersion(const Args& args, const CommandContext& context) {
  Result<ParsedFlags> flags = ParseFlags(args, NoFlags());
  if (!flags.ok()) {
    fmt::print(context.io.err, "clusterform version: {}\n", flags.status().message());
    return 2;
  }
  fmt::print(context.io.out, "clusterform {}\n", kVersion);
  return 0;
}

// A command of DESIGN.md that this build does not have yet: the user is told plainly instead
// of getting "unknown command". Exit 1 (2 means bad usage).
template <const char* kName>
int NotBuiltYet(const Args&, const CommandContext& context) {
  fmt::print(context.io.err, "clusterform {}: not available in this build yet\n", kName);
  return 1;
}

constexpr char kRotate[] = "rotate";

// Every command, in the order `clusterform --help` lists them.
constexpr Command kCommands[] = {
    {"version", "print the version", NoFlags, RunVersion},
    {"aws", "call one AWS API operation (clusterform's client)", AwsFlags, RunAwsCommand},
    {"validate",
     "check the configuration in DIR: syntax, types, validations, module inputs  [DIR] [-var "
     "NAME=VALUE] [-var-file FILE] [-json]",
     ValidateFlags,
     [](const Args& args, const CommandContext& c) {
       return RunValidate(args, c.io, c.environment, c.fs);
     }},
    {"plan",
     "preview the changes for DIR, with preflight checks  [DIR] [-var NAME=VALUE] [-var-file "
     "FILE] [-out FILE] [-json] [-detailed-exitcode] [-no-color]",
     PlanFlags,
     [](const Args& args, const CommandContext& c) {
       return RunPlan(args, c.io, c.environment, c.fs);
     }},
    {"graph",
     "the resource graph of DIR as Graphviz DOT  [DIR] [-var NAME=VALUE] [-var-file FILE] "
     "[-instances]",
     GraphFlags,
     [](const Args& args, const CommandContext& c) {
       return RunGraph(args, c.io, c.environment, c.fs);
     }},
    {"policy",
     "the least-privilege IAM policy for DIR's plan, in documents of at most 6,144 characters  "
     "[DIR] [-var NAME=VALUE] [-var-file FILE] [-account ID] [-o DIR]",
     PolicyFlags,
     [](const Args& args, const CommandContext& c) {
       return RunPolicy(args, c.io, c.environment, c.fs);
     }},
    {"apply",
     "create or change everything, with live progress  [DIR|PLANFILE] [-auto-approve] "
     "[-parallelism=N] [-json] [-lock-timeout=D] [-refresh=false] [-refresh-only] "
     "[-target=ADDR] [-replace=ADDR] [-destroy] [-var NAME=VALUE] [-var-file FILE]",
     ApplyFlags,
     [](const Args& args, const CommandContext& c) {
       return RunApply(args, c.io, c.environment, c.fs);
     }},
    {"destroy", "tear everything down  [DIR] [-auto-approve] [-target=ADDR]", ApplyFlags,
     [](const Args& args, const CommandContext& c) {
       ApplyCommandOptions options;
       options.destroy = true;
       return RunApply(args, c.io, c.environment, c.fs, options);
     }},
    {"output", "the root outputs from the state  [NAME] [-json] [-raw] [-dir DIR]", OutputFlags,
     [](const Args& args, const CommandContext& c) {
       return RunOutput(args, c.io, c.environment, c.fs);
     }},
    {"state", "the instances in state  list [DIR] | show ADDR | rm ADDR...  [-dir DIR]", StateFlags,
     [](const Args& args, const CommandContext& c) {
       return RunState(args, c.io, c.environment, c.fs);
     }},
    {"import", "adopt an existing object  ADDR ID [-dir DIR] [-var NAME=VALUE]", ImportFlags,
     [](const Args& args, const CommandContext& c) {
       return RunImport(args, c.io, c.environment, c.fs);
     }},
    {"force-unlock", "release a lock a dead process left  LOCK_ID [-force]", ForceUnlockFlags,
     [](const Args& args, const CommandContext& c) {
       return RunForceUnlock(args, c.io, c.environment, c.fs);
     }},
    {"module", "the built-in modules' inputs  show SOURCE [INPUT]", nullptr, nullptr,
     ModuleCommands},
    {"cloud", "run the local AWS-compatible cloud", nullptr, nullptr, CloudCommands},
    {"status",
     "clusterization progress and the WEKA cluster's health  [DIR] [--watch] [-json] "
     "[-interval=D] [-var NAME=VALUE] [-var-file FILE]",
     StatusFlags,
     [](const Args& args, const CommandContext& c) {
       return RunStatus(args, c.io, c.environment, c.fs);
     }},
    {"scale",
     "set the number of WEKA backends and follow the cluster until it has them  N [DIR] "
     "[-timeout=D] [-interval=D] [-var NAME=VALUE] [-var-file FILE]; cluster_size in the "
     "configuration stays the initial size (the group's size is ignored by plan: no drift)",
     ScaleFlags,
     [](const Args& args, const CommandContext& c) {
       return RunScale(args, c.io, c.environment, c.fs);
     }},
    {"rotate", "rotate credentials and keys", NoFlags, NotBuiltYet<kRotate>},
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
  RealFileSystem fs;
  std::map<std::string, std::string> environment = ProcessEnvironment();
  return RunCli(args, CommandContext{io, fs, environment});
}

int RunCli(const std::vector<std::string>& args, const CommandContext& context) {
  CommandLevel top{"clusterform", "clusterform: data-platform clusters on AWS from your main.tf",
                   kCommands, /*top=*/true};
  std::vector<std::string> rest(args.empty() ? args.end() : args.begin() + 1, args.end());
  return Dispatch(top, rest, context);
}

}  // namespace cf::cli
