#pragma once

// The clusterform command line: flags are parsed here and each command is wired to the real
// implementations of the libraries below it.

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace cf::cli {

inline constexpr const char* kVersion = "0.1.0";

// Where a command writes: stdout for results, stderr for diagnostics and progress.
struct Io {
  std::FILE* out = stdout;
  std::FILE* err = stderr;
  std::FILE* in = stdin;  // answers to confirmation prompts
};

// A snapshot of the process environment (NAME -> value).
std::map<std::string, std::string> ProcessEnvironment();

// Runs `clusterform ARGS...` (args[0] is the program name) and returns the exit code.
int RunCli(const std::vector<std::string>& args, const Io& io);

}  // namespace cf::cli
