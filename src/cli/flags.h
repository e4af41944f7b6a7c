#pragma once

// The one flag parser of every clusterform command. Terraform's style (`-var NAME=VALUE`,
// `-out=FILE`, `-json`) and the double-dash style of the cloud and aws commands (`--port 0`,
// `--data-dir=DIR`, `--paginate`) are the same thing here: one or two dashes, the value after
// `=` or as the next argument, boolean flags with an optional `=true`/`=false`, repeatable
// options kept in order. (CLI11 would read `-var` as three short flags.)
//
// A FlagSpec also says what `--help` lists (flags with a help text, positionals), so the
// parser and the help cannot disagree.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace cf::cli {

struct Flag {
  std::string name;  // without dashes: "var", "data-dir"
  bool takes_value = true;
  // Listed by --help when not empty (Terraform-style commands name theirs in the summary).
  std::string help;
  // The value's kind, as --help shows it: "TEXT", "UINT:INT in [0 - 65535]".
  std::string value_type = "TEXT";
};

// A flag that takes a value, and a boolean flag.
Flag ValueFlag(std::string name, std::string help = "", std::string value_type = "TEXT");
Flag BooleanFlag(std::string name, std::string help = "");

struct Positional {
  std::string name;  // "service": how --help and the errors name it
  std::string help;
};

struct FlagSpec {
  std::vector<Flag> flags = {};
  // Required positional arguments, in order.
  std::vector<Positional> positionals = {};
  // Also accept one optional configuration directory after them (ParsedFlags::dir).
  bool directory = false;
  // Also accept any number of further positionals (ParsedFlags::positionals, after the
  // required ones); the command checks how many it wants.
  bool more_positionals = false;

  const Flag* Find(const std::string& name) const;
};

struct ParsedFlags {
  // Options with values, in command-line order (name without dashes, value).
  std::vector<std::pair<std::string, std::string>> values;
  std::set<std::string> booleans;
  // The positionals of the spec, in order (all present when parsing succeeded).
  std::vector<std::string> positionals;
  std::string dir = ".";
  // -h, -help or --help was given: the caller prints the help and nothing else is checked.
  bool help = false;

  bool Has(const std::string& name) const { return booleans.count(name) > 0; }
  // Whether option `name` was given a value at least once.
  bool Given(const std::string& name) const;
  // The last value of `name`, or `fallback`.
  std::string Last(const std::string& name, const std::string& fallback = "") const;
};

// Parses `args` (after the command's name). Unknown flags, missing values, a missing
// positional and an argument too many are InvalidArgument naming the flag or argument.
Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args, const FlagSpec& spec);

// True for -h, -help and --help.
bool IsHelpFlag(const std::string& arg);

}  // namespace cf::cli
