#pragma once

// The commands that read or edit the state without planning:
//   clusterform output [NAME] [-json] [-raw] [-state-dir DIR]: the root outputs as Terraform
//     prints them; sensitive ones hidden unless named (or with -json, as Terraform does).
//   clusterform state list [DIR] | state show ADDR | state rm ADDR...: the instances in state.
//   clusterform import ADDR ID [-var ...]: reads an existing object through its provider and
//     records it at ADDR (which the configuration must declare).
//   clusterform force-unlock ID [-force]: releases a lock a dead process left.
// Each takes `-chdir=DIR`-like `-dir DIR` for the configuration directory (default ".").

#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"

namespace cf::cli {

// Their flags: -dir DIR, the positionals each wants, and the flags of each.
const FlagSpec& OutputFlags();
const FlagSpec& StateFlags();
const FlagSpec& ImportFlags();
const FlagSpec& ForceUnlockFlags();

int RunOutput(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs);
int RunState(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, FileSystem& fs);
int RunImport(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs);
int RunForceUnlock(const std::vector<std::string>& args, const Io& io,
                   const std::map<std::string, std::string>& environment, FileSystem& fs);

}  // namespace cf::cli
