#pragma once

// CloudWatch Logs filter patterns for unstructured events: terms that must all appear
// ("ERROR timeout"), quoted phrases ("\"connection reset\""), excluded terms ("-DEBUG"), and
// alternatives ("?ERROR ?WARN", an event matching any of them). Matching is case-sensitive
// and by substring, as CloudWatch Logs does for terms. JSON ("{ $.level = ... }") and
// space-delimited ("[ip, user, ...]") patterns are not supported and fail to parse.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cf::cloud::logs {

class FilterPattern {
 public:
  // The pattern, or nullopt with `error` set when it cannot be parsed. An empty (or blank)
  // pattern matches every event.
  static std::optional<FilterPattern> Parse(std::string_view text, std::string* error);

  bool Matches(std::string_view message) const;

 private:
  std::vector<std::string> required_;
  std::vector<std::string> excluded_;
  std::vector<std::string> any_of_;
};

}  // namespace cf::cloud::logs
