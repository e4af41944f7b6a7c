#include "hcl/functions_regex.h"

#include <cctype>

namespace cf::hcl {

Result<CompiledRegex> CompileRegex(const std::string& pattern) {
  CompiledRegex out;
  std::string p;
  bool icase = false;
  bool dotall = false;
  size_t i = 0;
  // Leading flag groups such as (?i) or (?is).
  while (pattern.compare(i, 2, "(?") == 0) {
    size_t close = pattern.find(')', i);
    if (close == std::string::npos) {
      break;
    }
    std::string flags = pattern.substr(i + 2, close - i - 2);
    if (flags.empty() || flags.find_first_not_of("ims") != std::string::npos) {
      break;
    }
    icase = icase || flags.find('i') != std::string::npos;
    dotall = dotall || flags.find('s') != std::string::npos;
    i = close + 1;
  }
  bool in_class = false;
  for (; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char n = pattern[i + 1];
      if (n == 'A' && !in_class) {
        p += "^";
      } else if (n == 'z' && !in_class) {
        p += "$";
      } else {
        p += c;
        p += n;
      }
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') {
        in_class = false;
      } else if (c == '[' && pattern.compare(i, 2, "[:") == 0) {
        size_t close = pattern.find(":]", i);
        if (close != std::string::npos) {
          p += pattern.substr(i, close + 2 - i);
          i = close + 1;
          continue;
        }
      }
      p += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      p += c;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') {
        p += '^';
        ++i;
      }
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') {
        p += "\\]";
        ++i;
      }
      continue;
    }
    if (c == '.' && dotall) {
      p += "[\\s\\S]";
      continue;
    }
    if (c == '(') {
      if (pattern.compare(i, 4, "(?P<") == 0 ||
          (pattern.compare(i, 3, "(?<") == 0 && pattern.compare(i, 4, "(?<=") != 0 &&
           pattern.compare(i, 4, "(?<!") != 0)) {
        size_t start = pattern.find('<', i) + 1;
        size_t close = pattern.find('>', start);
        if (close == std::string::npos) {
          return InvalidArgumentError("invalid regexp pattern: unterminated group name");
        }
        out.group_names.push_back(pattern.substr(start, close - start));
        p += '(';
        i = close;
        continue;
      }
      if (pattern.compare(i, 2, "(?") != 0) {
        out.group_names.push_back("");
      }
    }
    p += c;
  }
  size_t named = 0;
  for (const auto& n : out.group_names) {
    named += n.empty() ? 0 : 1;
  }
  if (named > 0 && named != out.group_names.size()) {
    return InvalidArgumentError(
        "invalid regexp pattern: must use either only named or only unnamed capture groups");
  }
  out.named = named > 0;
  auto flags = std::regex::ECMAScript;
  if (icase) {
    flags |= std::regex::icase;
  }
  try {
    out.re = std::regex(p, flags);
  } catch (const std::regex_error& e) {
    return InvalidArgumentError(std::string("invalid regexp pattern: ") + e.what());
  }
  return out;
}

std::string RegexReplaceAll(const CompiledRegex& re, const std::string& s,
                            const std::string& replacement) {
  std::string out;
  auto begin = std::sregex_iterator(s.begin(), s.end(), re.re);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out.append(s, last, static_cast<size_t>(m.position(0)) - last);
    for (size_t i = 0; i < replacement.size(); ++i) {
      char c = replacement[i];
      if (c != '$' || i + 1 >= replacement.size()) {
        out.push_back(c);
        continue;
      }
      if (replacement[i + 1] == '$') {
        out.push_back('$');
        ++i;
        continue;
      }
      std::string name;
      size_t j = i + 1;
      if (replacement[j] == '{') {
        size_t close = replacement.find('}', j);
        if (close == std::string::npos) {
          out.push_back(c);
          continue;
        }
        name = replacement.substr(j + 1, close - j - 1);
        j = close + 1;
      } else {
        while (
            j < replacement.size() &&
            (std::isalnum(static_cast<unsigned char>(replacement[j])) || replacement[j] == '_')) {
          name += replacement[j];
          ++j;
        }
      }
      if (name.empty()) {
        out.push_back(c);
        continue;
      }
      size_t group = 0;
      bool found = false;
      if (std::isdigit(static_cast<unsigned char>(name[0])) &&
          name.find_first_not_of("0123456789") == std::string::npos) {
        group = static_cast<size_t>(std::stoul(name));
        found = true;
      } else {
        for (size_t g = 0; g < re.group_names.size(); ++g) {
          if (re.group_names[g] == name) {
            group = g + 1;
            found = true;
          }
        }
      }
      if (found && group < m.size()) {
        out += m[group].str();
      }
      i = j - 1;
    }
    last = static_cast<size_t>(m.position(0) + m.length(0));
  }
  out.append(s, last, std::string::npos);
  return out;
}

}  // namespace cf::hcl
