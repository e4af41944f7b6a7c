#pragma once

// The command table: every clusterform command is one row {name, summary, flags, run}, as in
// ninja's tool table. app.cc holds the top-level table; a command with subcommands (cloud)
// holds its own. Adding a command is one row and one file with its run function.
//
// Dispatch handles what every command shares: the unknown-command error, `--help` at every
// level (from the summary and the FlagSpec, so help and parser cannot disagree), and the exit
// code 2 for bad usage. A run function parses its own arguments with its FlagSpec and reports
// its own usage errors ("clusterform plan: unknown flag ...", exit 2).

#include <map>
#include <span>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"

namespace cf::cli {

// What a command runs with: made once by RunCli and passed down, so that no command makes its
// own file system or reads the process environment behind the caller's back.
struct CommandContext {
  Io io;
  FileSystem& fs;
  const std::map<std::string, std::string>& environment;
};

// `clusterform ARGS...` (args[0] is the program name) with the given file system and
// environment (RunCli in app.h makes the real ones); returns the exit code.
int RunCli(const std::vector<std::string>& args, const CommandContext& context);

struct Command {
  const char* name;
  // One line: in the parent's --help, and the first line of the command's own.
  const char* summary;
  // The command's flags and positionals; nullptr for a command that only has subcommands.
  const FlagSpec& (*flags)() = nullptr;
  // Runs the command with the arguments after its name; returns the exit code.
  int (*run)(const std::vector<std::string>& args, const CommandContext& context) = nullptr;
  // The subcommands' table; nullptr for a leaf command.
  std::span<const Command> (*subcommands)() = nullptr;
};

// One level of commands: the top level, or a command's subcommands.
struct CommandLevel {
  std::string path;         // how help and errors name it: "clusterform", "clusterform cloud"
  std::string description;  // heads its --help
  std::span<const Command> table;
  bool top = false;  // the top level also answers --version
};

// Runs `args` (what follows the level's path on the command line) against its table.
int Dispatch(const CommandLevel& level, const std::vector<std::string>& args,
             const CommandContext& context);

// The --help page of a leaf command.
std::string CommandHelp(const std::string& path, const std::string& summary, const FlagSpec& spec);

}  // namespace cf::cli
