#pragma once

// For command tests: runs a command with its stdout and stderr captured, and gives back the
// exit code and both texts. RunClusterform runs the whole `clusterform` command line in-process
// (cli/app.h); only the cli tests include this header's RunClusterform.

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "cli/app.h"

namespace cf {

struct CommandOutput {
  int code = -1;
  std::string out;
  std::string err;
};

// Everything written to `f` (from its start), then closes it.
std::string Slurp(std::FILE* f);

// Runs `run` with two fresh temporary files as its stdout and stderr.
CommandOutput CaptureOutput(const std::function<int(std::FILE* out, std::FILE* err)>& run);

// `clusterform ARGS...` (without the program name), in-process.
inline CommandOutput RunClusterform(std::vector<std::string> args) {
  args.insert(args.begin(), "clusterform");
  return CaptureOutput([&args](std::FILE* out, std::FILE* err) {
    return cli::RunCli(args, cli::Io{out, err});
  });
}

}  // namespace cf
