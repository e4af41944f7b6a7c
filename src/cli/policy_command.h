#pragma once

// `clusterform policy [DIR] [-var NAME=VALUE]... [-var-file FILE]... [-account ID] [-o DIR]`:
// the least-privilege IAM policy that whoever runs clusterform needs for the configuration in
// DIR (plan/policy.h), as managed-policy documents of at most 6,144 characters each. Without
// -o the documents go to stdout, one after the other; with -o they are written (atomically)
// as DIR/policy-1.json, policy-2.json, ... and their names printed. Resource types whose
// actions clusterform does not know are named on stderr. Exit 0, 1 when the configuration is
// not valid or a file cannot be written, 2 on a usage error.

#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"
#include "config/evaluate.h"

namespace cf::cli {

// `lookup` finds modules by source; empty: the built-in modules (tests pass their own).

// The flags above, and one optional DIR.
const FlagSpec& PolicyFlags();

int RunPolicy(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs,
              const config::ModuleLookup& lookup = {});

}  // namespace cf::cli
