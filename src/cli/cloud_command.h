#pragma once

// `clusterform cloud start|stop|status|reset`: runs the local AWS-compatible cloud
// (src/cloud) in the foreground or as a daemon (base/process.h), and controls it through the
// pid and ready files of its data directory (cloud/data_dir.h, docs/local-cloud.md).

#include <span>

#include "cli/command.h"

namespace cf::cli {

// The `cloud` subcommands' table.
std::span<const Command> CloudCommands();

}  // namespace cf::cli
