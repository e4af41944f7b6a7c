#pragma once

// The hcl2json format: a parsed file's body as JSON exactly as HashiCorp's hcl2json (through
// @cdktf/hcl2json) prints it. See docs/hcl.md for the rules:
//   - attributes become members; blocks nest by type, then by each label, and end in an
//     array of bodies (one per block with that type and labels, in source order);
//   - literal numbers, bools and null become JSON values (also `-1`, `!true`);
//   - strings and heredocs become strings; their interpolations are rewritten as
//     "${<source>}" and directives as "%{if ...}...%{endif}" / "%{for ...}...%{endfor}";
//   - tuples and objects become arrays and objects (keys: bare names as written);
//   - any other expression becomes its exact source text wrapped as "${...}".

#include <nlohmann/json.hpp>

#include "hcl/parser.h"

namespace cf::hcl {

// The body of `file` (after Parse) in the hcl2json format.
nlohmann::json BodyToHclJson(const File& file);

// One expression of `file` in the hcl2json format.
nlohmann::json ExpressionToHclJson(const File& file, const Expression* expr);

// A number literal's text as a plain decimal ("1e3" -> "1000", "1.50" -> "1.5"), as
// HashiCorp's number formatting prints it.
std::string NormalizeNumberText(std::string_view text);

}  // namespace cf::hcl
