#pragma once

// `clusterform apply [DIR|PLANFILE] [-auto-approve] [-parallelism=N] [-json] [-lock-timeout=D]
// [-refresh=false] [-refresh-only] [-target=ADDR]... [-replace=ADDR]... [-destroy]
// [-var NAME=VALUE]... [-var-file FILE]... [-no-color]` and `clusterform destroy [DIR]
// [-auto-approve] ...`: lock the state, refresh, plan, confirm (unless -auto-approve or a
// saved plan), run the operations with the scheduler (progress as Terraform prints it, or
// Terraform's -json UI events), record every finished resource in state, save and print the
// outputs. A saved plan (`plan -out FILE`) is applied exactly, and refused when the state or
// the configuration changed since it was made.
//
// Exit status: 0 success (or nothing to do); 1 errors (the summary names what failed and
// what was skipped); 2 usage errors.

#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"

namespace cf::cli {

struct ApplyCommandOptions {
  bool destroy = false;    // `clusterform destroy`
  Clock* clock = nullptr;  // null: the system clock
  bool real_files = true;  // false: an in-memory FileSystem (no flock, no chmod)
};

// The flags of apply and destroy, and one optional DIR or PLANFILE.
const FlagSpec& ApplyFlags();

int RunApply(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, FileSystem& fs,
             const ApplyCommandOptions& options = {});

}  // namespace cf::cli
