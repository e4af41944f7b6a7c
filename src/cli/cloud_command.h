#pragma once

// `clusterform cloud start|stop|status|reset`: runs the local AWS-compatible cloud
// (src/cloud) in the foreground or as a daemon, and controls it through the pid and ready
// files of its data directory (docs/local-cloud.md).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "cli/app.h"

namespace cf::cli {

struct CloudFlags {
  std::string data_dir;  // empty: cloud::DefaultDataDir()
  uint16_t port = 4566;
  bool port_given = false;
  bool foreground = false;
  std::string config_file;
  std::string seed;  // decimal, empty: unseeded
};

// Adds `cloud` and its subcommands to `app`; flags land in `flags`.
CLI::App* AddCloudCommand(CLI::App& app, CloudFlags& flags);

// Runs the parsed `cloud` subcommand; returns the exit code.
int RunCloudCommand(CLI::App& cloud, CloudFlags& flags, const Io& io);

}  // namespace cf::cli
