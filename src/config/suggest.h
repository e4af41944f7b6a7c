#pragma once

// "Did you mean ...?" and short range rendering for configuration diagnostics.

#include <string>
#include <string_view>
#include <vector>

#include "hcl/source.h"

namespace cf::config {

// The candidate closest to `name` by edit distance, when it is close enough to be a likely
// typo (distance <= max(1, len/3)); empty otherwise.
std::string SuggestName(std::string_view name, const std::vector<std::string_view>& candidates);

// Levenshtein distance (insertions, deletions, substitutions), on bytes.
size_t EditDistance(std::string_view a, std::string_view b);

// Terraform's short range form: "main.tf:3,1-20" on one line, "main.tf:3,1-5,2" otherwise.
std::string FormatRangeShort(const hcl::Range& range);

}  // namespace cf::config
