#pragma once

// `clusterform graph [DIR] [-var NAME=VALUE]... [-var-file FILE]... [-instances]`: prints the
// resource graph of the configuration in DIR as Graphviz DOT (graph/dot.h): one node per
// resource block, or per instance with -instances. Exit 0 with the graph, 1 when the
// configuration is not valid, 2 on a usage error.

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
const FlagSpec& GraphFlags();

int RunGraph(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, const FileSystem& fs,
             const config::ModuleLookup& lookup = {});

}  // namespace cf::cli
