#include "cloud/stepfunctions/json_path.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

namespace cf::cloud::stepfunctions {

namespace {

bool IsNameChar(char c) {
  return c != '.' && c != '[' && c != ']' && c != ' ' && c != '\t';
}

Status Bad(const std::string& text, const std::string& why) {
  return InvalidArgumentError(
      fmt::format("The value for the field '{}' must be a valid JSONPath: {}", text, why));
}

// Parses an integer at text[i...], advancing i.
bool ParseLong(const std::string& text, size_t& i, long& out) {
  size_t start = i;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    ++i;
  }
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    ++i;
  }
  if (i == start || (i == start + 1 && !std::isdigit(static_cast<unsigned char>(text[start])))) {
    i = start;
    return false;
  }
  out = std::stol(text.substr(start, i - start));
  return true;
}

// Parses a quoted name at text[i] (' or "), advancing past the closing quote.
bool ParseQuoted(const std::string& text, size_t& i, std::string& out) {
  char quote = text[i];
  ++i;
  out.clear();
  while (i < text.size() && text[i] != quote) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      ++i;
    }
    out.push_back(text[i]);
    ++i;
  }
  if (i >= text.size()) {
    return false;
  }
  ++i;
  return true;
}

long Normalize(long index, long size) {
  return index < 0 ? index + size : index;
}

}  // namespace

Result<JsonPath> JsonPath::Parse(const std::string& text) {
  JsonPath path;
  path.text_ = text;
  if (text.empty() || text[0] != '$') {
    return Bad(text, "a path must start with '$'");
  }
  size_t i = 1;
  while (i < text.size()) {
    Step step;
    if (text[i] == '.') {
      bool deep = i + 1 < text.size() && text[i + 1] == '.';
      i += deep ? 2 : 1;
      if (i < text.size() && text[i] == '*') {
        step.kind = deep ? Step::kDeepWildcard : Step::kWildcard;
        ++i;
      } else if (deep && i < text.size() && text[i] == '[') {
        return Bad(text, "'..[' is not supported");
      } else {
        size_t start = i;
        while (i < text.size() && IsNameChar(text[i])) {
          ++i;
        }
        if (i == start) {
          return Bad(text, fmt::format("a name is expected at offset {}", start));
        }
        step.kind = deep ? Step::kDeepName : Step::kName;
        step.name = text.substr(start, i - start);
      }
    } else if (text[i] == '[') {
      ++i;
      if (i < text.size() && text[i] == '*') {
        ++i;
        step.kind = Step::kWildcard;
      } else if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        std::string name;
        std::vector<Json> names;
        while (true) {
          if (i >= text.size() || (text[i] != '\'' && text[i] != '"') ||
              !ParseQuoted(text, i, name)) {
            return Bad(text, "an unterminated quoted name");
          }
          names.emplace_back(name);
          while (i < text.size() && text[i] == ' ') {
            ++i;
          }
          if (i < text.size() && text[i] == ',') {
            ++i;
            while (i < text.size() && text[i] == ' ') {
              ++i;
            }
            continue;
          }
          break;
        }
        if (names.size() == 1) {
          step.kind = Step::kName;
          step.name = names[0].get<std::string>();
        } else {
          step.kind = Step::kUnion;
          step.members = std::move(names);
        }
      } else if (i < text.size() && text[i] == '?') {
        return Bad(text, "filter expressions are not supported by the local cloud");
      } else {
        long first = 0;
        bool have_first = ParseLong(text, i, first);
        if (i < text.size() && text[i] == ':') {
          step.kind = Step::kSlice;
          if (have_first) {
            step.start = first;
          }
          ++i;
          long end = 0;
          if (ParseLong(text, i, end)) {
            step.end = end;
          }
          if (i < text.size() && text[i] == ':') {
            ++i;
            long stride = 1;
            if (ParseLong(text, i, stride)) {
              if (stride <= 0) {
                return Bad(text, "a slice step must be positive");
              }
              step.step = stride;
            }
          }
        } else if (have_first && i < text.size() && text[i] == ',') {
          step.kind = Step::kUnion;
          step.members.emplace_back(first);
          while (i < text.size() && text[i] == ',') {
            ++i;
            long next = 0;
            if (!ParseLong(text, i, next)) {
              return Bad(text, "an index is expected after ','");
            }
            step.members.emplace_back(next);
          }
        } else if (have_first) {
          step.kind = Step::kIndex;
          step.index = first;
        } else {
          return Bad(text, fmt::format("an index or name is expected at offset {}", i));
        }
      }
      if (i >= text.size() || text[i] != ']') {
        return Bad(text, "a ']' is missing");
      }
      ++i;
    } else {
      return Bad(text, fmt::format("unexpected '{}' at offset {}", text[i], i));
    }
    if (step.kind != Step::kName && step.kind != Step::kIndex) {
      path.definite_ = false;
    }
    path.steps_.push_back(std::move(step));
  }
  return path;
}

bool JsonPath::IsReference() const {
  for (const Step& step : steps_) {
    if (step.kind != Step::kName && !(step.kind == Step::kIndex && step.index >= 0)) {
      return false;
    }
  }
  return true;
}

void JsonPath::Collect(const Json& node, size_t at, std::vector<const Json*>& out) const {
  if (at == steps_.size()) {
    out.push_back(&node);
    return;
  }
  const Step& step = steps_[at];
  switch (step.kind) {
    case Step::kName:
      if (node.is_object()) {
        auto it = node.find(step.name);
        if (it != node.end()) {
          Collect(*it, at + 1, out);
        }
      }
      return;
    case Step::kIndex:
      if (node.is_array()) {
        long i = Normalize(step.index, static_cast<long>(node.size()));
        if (i >= 0 && i < static_cast<long>(node.size())) {
          Collect(node[static_cast<size_t>(i)], at + 1, out);
        }
      }
      return;
    case Step::kWildcard:
      if (node.is_array() || node.is_object()) {
        for (const Json& child : node) {
          Collect(child, at + 1, out);
        }
      }
      return;
    case Step::kUnion:
      for (const Json& member : step.members) {
        if (member.is_string() && node.is_object()) {
          auto it = node.find(member.get<std::string>());
          if (it != node.end()) {
            Collect(*it, at + 1, out);
          }
        } else if (member.is_number() && node.is_array()) {
          long i = Normalize(member.get<long>(), static_cast<long>(node.size()));
          if (i >= 0 && i < static_cast<long>(node.size())) {
            Collect(node[static_cast<size_t>(i)], at + 1, out);
          }
        }
      }
      return;
    case Step::kSlice: {
      if (!node.is_array()) {
        return;
      }
      long size = static_cast<long>(node.size());
      long start = step.start ? std::clamp(Normalize(*step.start, size), 0L, size) : 0;
      long end = step.end ? std::clamp(Normalize(*step.end, size), 0L, size) : size;
      for (long i = start; i < end; i += step.step) {
        Collect(node[static_cast<size_t>(i)], at + 1, out);
      }
      return;
    }
    case Step::kDeepName:
    case Step::kDeepWildcard:
      if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
          if (step.kind == Step::kDeepWildcard || it.key() == step.name) {
            Collect(it.value(), at + 1, out);
          }
        }
      } else if (node.is_array() && step.kind == Step::kDeepWildcard) {
        for (const Json& child : node) {
          Collect(child, at + 1, out);
        }
      }
      if (node.is_object() || node.is_array()) {
        for (const Json& child : node) {
          Collect(child, at, out);
        }
      }
      return;
  }
}

std::string JsonPath::Canonical() const {
  std::string out = "$";
  for (const Step& step : steps_) {
    switch (step.kind) {
      case Step::kName:
        out += "['" + step.name + "']";
        break;
      case Step::kIndex:
        out += fmt::format("[{}]", step.index);
        break;
      case Step::kWildcard:
        out += "[*]";
        break;
      case Step::kDeepName:
        out += "..['" + step.name + "']";
        break;
      case Step::kDeepWildcard:
        out += "..[*]";
        break;
      case Step::kUnion:
      case Step::kSlice:
        return text_;
    }
  }
  return out;
}

Result<Json> JsonPath::Select(const Json& root) const {
  std::vector<const Json*> matches;
  Collect(root, 0, matches);
  if (!definite_) {
    Json out = Json::array();
    for (const Json* m : matches) {
      out.push_back(*m);
    }
    return out;
  }
  if (matches.empty()) {
    return NotFoundError("No results for path: " + Canonical());
  }
  return *matches[0];
}

Status JsonPath::Assign(Json& root, Json value) const {
  if (!IsReference()) {
    return InvalidArgumentError(fmt::format("'{}' is not a Reference Path", text_));
  }
  Json* node = &root;
  for (const Step& step : steps_) {
    if (step.kind == Step::kName) {
      if (node->is_null()) {
        *node = Json::object();
      }
      if (!node->is_object()) {
        return InvalidArgumentError(fmt::format(
            "Unable to apply ReplaceResultPath to {}: the node at '{}' is not an object", text_,
            step.name));
      }
      node = &(*node)[step.name];
    } else {
      if (!node->is_array() || step.index >= static_cast<long>(node->size())) {
        return InvalidArgumentError(fmt::format(
            "Unable to apply ReplaceResultPath to {}: no array element {}", text_, step.index));
      }
      node = &(*node)[static_cast<size_t>(step.index)];
    }
  }
  *node = std::move(value);
  return OkStatus();
}

Result<Json> SelectPath(const std::string& path, const Json& root) {
  ASSIGN_OR_RETURN(JsonPath parsed, JsonPath::Parse(path));
  return parsed.Select(root);
}

}  // namespace cf::cloud::stepfunctions
