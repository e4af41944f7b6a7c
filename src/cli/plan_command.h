#pragma once

// `clusterform plan [DIR] [-var NAME=VALUE]... [-var-file FILE]... [-out FILE] [-json]
// [-detailed-exitcode] [-no-color]`: loads the configuration in DIR, expands every built-in
// module call into its resources, runs the preflight checks and prints the plan (everything
// is a create until state exists) in Terraform's human format, or with -json in Terraform's
// JSON plan format (docs/plan-output.md). Never calls AWS.
//
// Diagnostics go to stderr as validate prints them. The preflight findings print before the
// plan (to stderr with -json, so stdout stays one JSON document); an error among them stops
// the plan. -out FILE also writes the JSON plan to FILE (atomically). Colour only when stdout
// is a terminal, NO_COLOR is unset and -no-color is not given.
//
// Exit status: 0 success; 1 errors (configuration or preflight); 2 usage error, or with
// -detailed-exitcode, success with changes (0 is then success with no changes).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"
#include "graph/configuration.h"
#include "plan/preflight.h"

namespace cf::cli {

struct PlanCommandOptions {
  // Forces colour on or off; unset: decided from the terminal and the environment.
  std::optional<bool> color;
  // The preflight checks; empty: plan::Preflight.
  std::function<std::vector<plan::Finding>(const graph::DesiredState&)> preflight;
};

// The flags above, and one optional DIR.
const FlagSpec& PlanFlags();

int RunPlan(const std::vector<std::string>& args, const Io& io,
            const std::map<std::string, std::string>& environment, FileSystem& fs,
            const PlanCommandOptions& options = {});

}  // namespace cf::cli
