#pragma once

// The clusterform command line: the table of commands (app.cc; cli/command.h says how a row
// looks) wired to the real implementations of the libraries below it.

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

// Runs `clusterform ARGS...` (args[0] is the program name) with the real file system and the
// process environment, and returns the exit code.
int RunCli(const std::vector<std::string>& args, const Io& io);

}  // namespace cf::cli
