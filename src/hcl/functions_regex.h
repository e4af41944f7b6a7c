#pragma once

// RE2-syntax regular expressions (the subset Terraform configurations use) on top of
// std::regex (ECMAScript). Translated: named groups `(?P<name>...)` / `(?<name>...)`,
// leading flags `(?i)` / `(?s)`, `\A`, `\z`; replacement references `$1`, `${1}`, `$name`,
// `${name}`. Not supported: other inline flags, `\p{...}` classes, possessive forms.

#include <regex>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf::hcl {

struct CompiledRegex {
  std::regex re;
  // One entry per capture group, in order: its name, or "" when unnamed.
  std::vector<std::string> group_names;
  bool named = false;  // All groups are named (regex() then returns an object).
};

// InvalidArgument "invalid regexp pattern: ..." when the pattern is malformed or mixes named
// and unnamed groups.
Result<CompiledRegex> CompileRegex(const std::string& pattern);

// Replaces every match of `re` in `s` with `replacement` (Go's expansion syntax).
std::string RegexReplaceAll(const CompiledRegex& re, const std::string& s,
                            const std::string& replacement);

}  // namespace cf::hcl
