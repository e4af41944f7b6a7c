#include "cloud/logs/filter_pattern.h"

namespace cf::cloud::logs {

std::optional<FilterPattern> FilterPattern::Parse(std::string_view text, std::string* error) {
  FilterPattern pattern;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
      ++i;
    }
  };
  skip_space();
  if (i < text.size() && (text[i] == '{' || text[i] == '[')) {
    *error =
        "JSON and space-delimited filter patterns are not supported by the local cloud; use "
        "terms and quoted phrases";
    return std::nullopt;
  }
  while (true) {
    skip_space();
    if (i >= text.size()) {
      break;
    }
    char kind = ' ';
    if (text[i] == '-' || text[i] == '?') {
      kind = text[i];
      ++i;
    }
    std::string term;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          term.push_back(text[i + 1]);
          i += 2;
          continue;
        }
        if (text[i] == '"') {
          closed = true;
          ++i;
          break;
        }
        term.push_back(text[i++]);
      }
      if (!closed) {
        *error = "Invalid filter pattern: unterminated quoted phrase";
        return std::nullopt;
      }
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != '\t') {
        term.push_back(text[i++]);
      }
    }
    if (term.empty()) {
      *error = "Invalid filter pattern: empty term";
      return std::nullopt;
    }
    if (kind == '-') {
      pattern.excluded_.push_back(std::move(term));
    } else if (kind == '?') {
      pattern.any_of_.push_back(std::move(term));
    } else {
      pattern.required_.push_back(std::move(term));
    }
  }
  return pattern;
}

bool FilterPattern::Matches(std::string_view message) const {
  for (const std::string& term : required_) {
    if (message.find(term) == std::string_view::npos) {
      return false;
    }
  }
  for (const std::string& term : excluded_) {
    if (message.find(term) != std::string_view::npos) {
      return false;
    }
  }
  if (any_of_.empty()) {
    return true;
  }
  for (const std::string& term : any_of_) {
    if (message.find(term) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace cf::cloud::logs
