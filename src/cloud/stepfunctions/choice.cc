#include "cloud/stepfunctions/choice.h"

#include <fmt/core.h>

#include <cctype>
#include <cstdio>

#include "cloud/stepfunctions/json_path.h"

namespace cf::cloud::stepfunctions {

namespace {

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Result<Json> Resolve(const std::string& path, const Json& input, const Json& context) {
  if (path.rfind("$$", 0) == 0) {
    return SelectPath(path.substr(1), context);
  }
  return SelectPath(path, input);
}

bool EndsWith(const std::string& s, const char* suffix) {
  size_t n = std::char_traits<char>::length(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

// Compares a and b with `op` ("Equals", "LessThan", ...); both of one kind.
template <typename T>
bool Compare(const std::string& op, const T& a, const T& b) {
  if (op == "Equals") {
    return a == b;
  }
  if (op == "LessThan") {
    return a < b;
  }
  if (op == "GreaterThan") {
    return a > b;
  }
  if (op == "LessThanEquals") {
    return a <= b;
  }
  return a >= b;  // GreaterThanEquals
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseTimestamp(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2u-%2uT%2u:%2u:%2u%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t i = 19;
  int64_t nanos = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    int64_t scale = 100000000;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (scale > 0) {
        nanos += (text[i] - '0') * scale;
        scale /= 10;
      }
      ++i;
      ++digits;
    }
    if (digits == 0) {
      return std::nullopt;
    }
  }
  int64_t offset_seconds = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    unsigned oh = 0, om = 0;
    if (i + 6 > text.size() || std::sscanf(text.c_str() + i + 1, "%2u:%2u", &oh, &om) != 2 ||
        text[i + 3] != ':') {
      return std::nullopt;
    }
    offset_seconds = (text[i] == '+' ? 1 : -1) * static_cast<int64_t>(oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
}

bool WildcardMatch(const std::string& pattern, const std::string& text) {
  // Tokens: literal characters, or '*' (any run).
  std::vector<std::pair<bool, char>> tokens;  // {is_star, literal}
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size() &&
        (pattern[i + 1] == '*' || pattern[i + 1] == '\\')) {
      tokens.push_back({false, pattern[++i]});
    } else if (pattern[i] == '*') {
      tokens.push_back({true, 0});
    } else {
      tokens.push_back({false, pattern[i]});
    }
  }
  size_t t = 0, p = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < tokens.size() && !tokens[p].first && tokens[p].second == text[t]) {
      ++p;
      ++t;
    } else if (p < tokens.size() && tokens[p].first) {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < tokens.size() && tokens[p].first) {
    ++p;
  }
  return p == tokens.size();
}

Result<bool> EvaluateChoiceRule(const Json& rule, const Json& input, const Json& context) {
  if (rule.contains("And")) {
    for (const Json& sub : rule["And"]) {
      ASSIGN_OR_RETURN(bool v, EvaluateChoiceRule(sub, input, context));
      if (!v) {
        return false;
      }
    }
    return true;
  }
  if (rule.contains("Or")) {
    for (const Json& sub : rule["Or"]) {
      ASSIGN_OR_RETURN(bool v, EvaluateChoiceRule(sub, input, context));
      if (v) {
        return true;
      }
    }
    return false;
  }
  if (rule.contains("Not")) {
    ASSIGN_OR_RETURN(bool v, EvaluateChoiceRule(rule["Not"], input, context));
    return !v;
  }
  std::string variable = rule.value("Variable", "$");
  Result<Json> value = Resolve(variable, input, context);
  for (auto it = rule.begin(); it != rule.end(); ++it) {
    const std::string& op = it.key();
    if (op == "Variable" || op == "Next" || op == "Comment") {
      continue;
    }
    const Json& operand = it.value();
    if (op == "IsPresent") {
      return value.ok() == operand.get<bool>();
    }
    if (!value.ok()) {
      return InvalidArgumentError(fmt::format(
          "Invalid path '{}': The choice state's condition path references an invalid value.",
          variable));
    }
    const Json& v = *value;
    if (op == "IsNull") {
      return v.is_null() == operand.get<bool>();
    }
    if (op == "IsNumeric") {
      return v.is_number() == operand.get<bool>();
    }
    if (op == "IsString") {
      return v.is_string() == operand.get<bool>();
    }
    if (op == "IsBoolean") {
      return v.is_boolean() == operand.get<bool>();
    }
    if (op == "IsTimestamp") {
      return (v.is_string() && ParseTimestamp(v.get<std::string>()).has_value()) ==
             operand.get<bool>();
    }
    if (op == "StringMatches") {
      return v.is_string() && WildcardMatch(operand.get<std::string>(), v.get<std::string>());
    }
    std::string name = op;
    Json other = operand;
    if (EndsWith(name, "Path")) {
      name.resize(name.size() - 4);
      Result<Json> resolved = Resolve(operand.get<std::string>(), input, context);
      if (!resolved.ok()) {
        return InvalidArgumentError(fmt::format(
            "Invalid path '{}': The choice state's condition path references an invalid value.",
            operand.get<std::string>()));
      }
      other = *resolved;
    }
    for (const char* kind : {"String", "Numeric", "Boolean", "Timestamp"}) {
      if (name.rfind(kind, 0) != 0) {
        continue;
      }
      std::string cmp = name.substr(std::char_traits<char>::length(kind));
      std::string k = kind;
      if (k == "String") {
        return v.is_string() && other.is_string() &&
               Compare(cmp, v.get<std::string>(), other.get<std::string>());
      }
      if (k == "Numeric") {
        if (!v.is_number() || !other.is_number()) {
          return false;
        }
        if (v.is_number_integer() && other.is_number_integer()) {
          return Compare(cmp, v.get<int64_t>(), other.get<int64_t>());
        }
        return Compare(cmp, v.get<double>(), other.get<double>());
      }
      if (k == "Boolean") {
        return v.is_boolean() && other.is_boolean() && v.get<bool>() == other.get<bool>();
      }
      if (!v.is_string() || !other.is_string()) {
        return false;
      }
      auto a = ParseTimestamp(v.get<std::string>());
      auto b = ParseTimestamp(other.get<std::string>());
      return a && b && Compare(cmp, *a, *b);
    }
  }
  return InvalidArgumentError("the choice rule has no comparison operator");
}

}  // namespace cf::cloud::stepfunctions
