#pragma once

// Terraform-style command flags: single or double dash, `-name value` or `-name=value`,
// repeatable options kept in order, boolean flags, and at most one positional DIR.
// (CLI11 reads `-var` as three short flags, so these commands parse their own arguments.)

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf::cli {

struct FlagSpec {
  std::set<std::string> with_value;  // e.g. "var", "var-file", "out"
  std::set<std::string> booleans;    // e.g. "json", "detailed-exitcode"
};

struct ParsedFlags {
  // Options with values, in command-line order (name without dashes, value).
  std::vector<std::pair<std::string, std::string>> values;
  std::set<std::string> booleans;
  std::string dir = ".";

  bool Has(const std::string& name) const { return booleans.count(name) > 0; }
  // The last value of `name`, or `fallback`.
  std::string Last(const std::string& name, const std::string& fallback = "") const;
};

// Parses `args` (after the command name). Unknown flags, missing values and a second
// positional argument are InvalidArgument naming the flag.
Result<ParsedFlags> ParseFlags(const std::vector<std::string>& args, const FlagSpec& spec);

}  // namespace cf::cli
