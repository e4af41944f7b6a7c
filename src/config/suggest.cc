#include "config/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace cf::config {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string SuggestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(1, name.size() / 3) + 1;
  for (std::string_view candidate : candidates) {
    size_t d = EditDistance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return std::string(best);
}

std::string FormatRangeShort(const hcl::Range& range) {
  if (range.start.line == range.end.line) {
    return fmt::format("{}:{},{}-{}", range.filename, range.start.line, range.start.column,
                       range.end.column);
  }
  return fmt::format("{}:{},{}-{},{}", range.filename, range.start.line, range.start.column,
                     range.end.line, range.end.column);
}

}  // namespace cf::config
