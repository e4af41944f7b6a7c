// ValueFromYaml: the YAML subset that configurations feed to yamldecode().

#include <cctype>
#include <vector>

#include "hcl/value_json.h"

namespace cf::hcl {

namespace {

struct Line {
  int indent = 0;
  std::string text;  // Without indentation and comment; trailing spaces trimmed.
  std::string raw;   // The whole line.
  int number = 0;
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) {
    return "";
  }
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Removes a trailing comment that is outside quotes.
std::string StripComment(const std::string& s) {
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if ((c == '"' || c == '\'') && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '[' ||
                                    s[i - 1] == '{' || s[i - 1] == ',' || s[i - 1] == ':')) {
      quote = c;
    } else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
      return s.substr(0, i);
    }
  }
  return s;
}

class YamlParser {
 public:
  explicit YamlParser(std::string_view text) {
    size_t pos = 0;
    int number = 1;
    while (pos <= text.size()) {
      size_t nl = text.find('\n', pos);
      std::string raw(
          text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
      if (!raw.empty() && raw.back() == '\r') {
        raw.pop_back();
      }
      Line l;
      l.raw = raw;
      l.number = number++;
      size_t ind = raw.find_first_not_of(' ');
      l.indent = ind == std::string::npos ? 0 : static_cast<int>(ind);
      l.text = Trim(StripComment(ind == std::string::npos ? "" : raw.substr(ind)));
      lines_.push_back(std::move(l));
      if (nl == std::string_view::npos) {
        break;
      }
      pos = nl + 1;
    }
  }

  Result<Value> ParseDocument() {
    SkipBlank();
    if (i_ < lines_.size() && lines_[i_].text.rfind("---", 0) == 0) {
      std::string rest = Trim(lines_[i_].text.substr(3));
      if (rest.empty()) {
        ++i_;
      } else {
        lines_[i_].text = rest;
      }
    }
    ASSIGN_OR_RETURN(Value v, ParseNode(0));
    SkipBlank();
    if (i_ < lines_.size() && lines_[i_].text != "..." && lines_[i_].text != "---") {
      return Error("unexpected content");
    }
    return v;
  }

 private:
  Status Error(const std::string& what) const {
    int line = i_ < lines_.size() ? lines_[i_].number : static_cast<int>(lines_.size());
    return InvalidArgumentError("on line " + std::to_string(line) + ", column 1: " + what);
  }

  void SkipBlank() {
    while (i_ < lines_.size() && lines_[i_].text.empty()) {
      ++i_;
    }
  }

  static bool IsSeqItem(const std::string& t) { return t == "-" || t.rfind("- ", 0) == 0; }

  // Position of the mapping colon in `t` (outside quotes and brackets), or npos.
  static size_t MappingColon(const std::string& t) {
    if (t.empty() || t[0] == '[' || t[0] == '{') {
      return std::string::npos;
    }
    char quote = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      char c = t[i];
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          ++i;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if ((c == '"' || c == '\'') && i == 0) {
        quote = c;
      } else if (c == ':' && (i + 1 == t.size() || t[i + 1] == ' ' || t[i + 1] == '\t')) {
        return i;
      }
    }
    return std::string::npos;
  }

  Result<Value> ParseNode(int min_indent) {
    SkipBlank();
    if (i_ >= lines_.size() || lines_[i_].indent < min_indent) {
      return Value();
    }
    const Line& l = lines_[i_];
    if (l.text[0] == '&' || l.text[0] == '*' || l.text[0] == '!') {
      return Error("anchors, aliases and tags are not supported");
    }
    if (IsSeqItem(l.text)) {
      return ParseSequence(l.indent);
    }
    if (MappingColon(l.text) != std::string::npos) {
      return ParseMapping(l.indent);
    }
    if (l.text[0] == '|' || l.text[0] == '>') {
      return Error("a block scalar needs a key or a list item");
    }
    std::string text = l.text;
    ++i_;
    // A plain or flow scalar may continue on more-indented lines.
    while (i_ < lines_.size() && !lines_[i_].text.empty() && lines_[i_].indent > min_indent &&
           (text[0] == '[' || text[0] == '{')) {
      text += " " + lines_[i_].text;
      ++i_;
    }
    return ParseInline(text);
  }

  Result<Value> ParseSequence(int indent) {
    ValueList items;
    while (true) {
      SkipBlank();
      if (i_ >= lines_.size() || lines_[i_].indent != indent || !IsSeqItem(lines_[i_].text)) {
        break;
      }
      Line& l = lines_[i_];
      std::string rest = l.text.size() > 1 ? l.text.substr(1) : "";
      size_t spaces = rest.find_first_not_of(' ');
      if (spaces == std::string::npos) {
        ++i_;
        ASSIGN_OR_RETURN(Value v, ParseNode(indent + 1));
        items.push_back(std::move(v));
        continue;
      }
      // Re-read the rest of the line as a node indented where its text starts.
      l.indent = indent + 1 + static_cast<int>(spaces);
      l.text = rest.substr(spaces);
      if (l.text[0] == '|' || l.text[0] == '>') {
        ASSIGN_OR_RETURN(Value v, BlockScalar(l.text, indent));
        items.push_back(std::move(v));
        continue;
      }
      ASSIGN_OR_RETURN(Value v, ParseNode(l.indent));
      items.push_back(std::move(v));
    }
    return Value::Tuple(std::move(items));
  }

  Result<Value> ParseMapping(int indent) {
    ValueMap attrs;
    while (true) {
      SkipBlank();
      if (i_ >= lines_.size() || lines_[i_].indent != indent) {
        break;
      }
      const std::string text = lines_[i_].text;
      size_t colon = MappingColon(text);
      if (colon == std::string::npos) {
        if (IsSeqItem(text)) {
          break;
        }
        return Error("expected a mapping key");
      }
      ASSIGN_OR_RETURN(Value key, ParseInline(Trim(text.substr(0, colon))));
      Result<Value> ks = key.IsNull() ? Result<Value>(Value::String("null")) : Result<Value>(key);
      std::string name;
      if (ks->type().kind() == TypeKind::kString) {
        name = ks->AsString();
      } else if (ks->type().kind() == TypeKind::kNumber) {
        name = ks->AsNumber().ToString();
      } else if (ks->type().kind() == TypeKind::kBool) {
        name = ks->AsBool() ? "true" : "false";
      } else {
        return Error("mapping keys must be scalars");
      }
      std::string rest = Trim(text.substr(colon + 1));
      Value value;
      if (rest.empty()) {
        ++i_;
        SkipBlank();
        if (i_ < lines_.size() && lines_[i_].indent == indent && IsSeqItem(lines_[i_].text)) {
          ASSIGN_OR_RETURN(value, ParseSequence(indent));
        } else {
          ASSIGN_OR_RETURN(value, ParseNode(indent + 1));
        }
      } else if (rest[0] == '|' || rest[0] == '>') {
        ASSIGN_OR_RETURN(value, BlockScalar(rest, indent));
      } else {
        ++i_;
        while ((rest[0] == '[' || rest[0] == '{') && i_ < lines_.size() &&
               !lines_[i_].text.empty() && lines_[i_].indent > indent) {
          rest += " " + lines_[i_].text;
          ++i_;
        }
        ASSIGN_OR_RETURN(value, ParseInline(rest));
      }
      attrs[name] = std::move(value);
    }
    return Value::Object(std::move(attrs));
  }

  // `header` is "|", "|-", ">+" ...; the content is the following lines indented more than
  // `parent_indent`.
  Result<Value> BlockScalar(const std::string& header, int parent_indent) {
    bool folded = header[0] == '>';
    char chomp = 0;
    for (char c : header.substr(1)) {
      if (c == '-' || c == '+') {
        chomp = c;
      }
    }
    ++i_;
    int content_indent = -1;
    std::vector<std::string> body;
    while (i_ < lines_.size()) {
      const Line& l = lines_[i_];
      bool blank = l.raw.find_first_not_of(' ') == std::string::npos;
      if (!blank) {
        if (l.indent <= parent_indent) {
          break;
        }
        if (content_indent < 0) {
          content_indent = l.indent;
        }
        if (l.indent < content_indent) {
          break;
        }
        body.push_back(l.raw.substr(static_cast<size_t>(content_indent)));
      } else {
        body.push_back("");
      }
      ++i_;
    }
    size_t trailing = 0;
    while (!body.empty() && body.back().empty()) {
      body.pop_back();
      ++trailing;
    }
    std::string out;
    for (size_t k = 0; k < body.size(); ++k) {
      if (k > 0) {
        bool join_space = folded && !body[k].empty() && !body[k - 1].empty() && body[k][0] != ' ' &&
                          body[k - 1][0] != ' ';
        out += join_space ? " " : "\n";
      }
      out += body[k];
    }
    if (!body.empty() && chomp != '-') {
      out += "\n";
    }
    if (chomp == '+') {
      out.append(trailing, '\n');
    }
    return Value::String(out);
  }

  Result<Value> ParseInline(const std::string& text) {
    if (!text.empty() && (text[0] == '&' || text[0] == '*' || text[0] == '!')) {
      return Error("anchors, aliases and tags are not supported");
    }
    size_t pos = 0;
    ASSIGN_OR_RETURN(Value v, ParseFlow(text, &pos, false));
    while (pos < text.size() && text[pos] == ' ') {
      ++pos;
    }
    if (pos != text.size()) {
      return Error("unexpected characters after value: " + text.substr(pos));
    }
    return v;
  }

  Result<Value> ParseFlow(const std::string& s, size_t* pos, bool in_flow) {
    while (*pos < s.size() && s[*pos] == ' ') {
      ++*pos;
    }
    if (*pos >= s.size()) {
      return Value();
    }
    char c = s[*pos];
    if (c == '[' || c == '{') {
      bool is_map = c == '{';
      ++*pos;
      ValueList items;
      ValueMap attrs;
      while (true) {
        while (*pos < s.size() && s[*pos] == ' ') {
          ++*pos;
        }
        if (*pos >= s.size()) {
          return Error("unterminated flow collection");
        }
        if (s[*pos] == (is_map ? '}' : ']')) {
          ++*pos;
          break;
        }
        size_t before = *pos;
        ASSIGN_OR_RETURN(Value item, ParseFlow(s, pos, true));
        if (*pos == before) {
          return Error(std::string("unexpected '") + s[*pos] + "' in flow collection");
        }
        if (is_map) {
          while (*pos < s.size() && s[*pos] == ' ') {
            ++*pos;
          }
          if (*pos >= s.size() || s[*pos] != ':') {
            return Error("expected ':' in flow mapping");
          }
          ++*pos;
          ASSIGN_OR_RETURN(Value v, ParseFlow(s, pos, true));
          attrs[item.IsNull() ? "null" : ScalarText(item)] = std::move(v);
        } else {
          items.push_back(std::move(item));
        }
        while (*pos < s.size() && s[*pos] == ' ') {
          ++*pos;
        }
        if (*pos < s.size() && s[*pos] == ',') {
          ++*pos;
        }
      }
      return is_map ? Value::Object(std::move(attrs)) : Value::Tuple(std::move(items));
    }
    if (c == '"') {
      std::string out;
      ++*pos;
      while (*pos < s.size() && s[*pos] != '"') {
        char ch = s[*pos];
        if (ch == '\\' && *pos + 1 < s.size()) {
          char e = s[++*pos];
          switch (e) {
            case 'n':
              out += '\n';
              break;
            case 't':
              out += '\t';
              break;
            case 'r':
              out += '\r';
              break;
            case '0':
              out += '\0';
              break;
            case 'u': {
              if (*pos + 4 >= s.size()) {
                return Error("bad \\u escape");
              }
              unsigned cp = static_cast<unsigned>(std::stoul(s.substr(*pos + 1, 4), nullptr, 16));
              *pos += 4;
              if (cp < 0x80) {
                out += static_cast<char>(cp);
              } else if (cp < 0x800) {
                out += static_cast<char>(0xC0 | (cp >> 6));
                out += static_cast<char>(0x80 | (cp & 0x3F));
              } else {
                out += static_cast<char>(0xE0 | (cp >> 12));
                out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (cp & 0x3F));
              }
              break;
            }
            default:
              out += e;
          }
        } else {
          out += ch;
        }
        ++*pos;
      }
      if (*pos >= s.size()) {
        return Error("unterminated quoted string");
      }
      ++*pos;
      return Value::String(out);
    }
    if (c == '\'') {
      std::string out;
      ++*pos;
      while (*pos < s.size()) {
        if (s[*pos] == '\'') {
          if (*pos + 1 < s.size() && s[*pos + 1] == '\'') {
            out += '\'';
            *pos += 2;
            continue;
          }
          break;
        }
        out += s[(*pos)++];
      }
      if (*pos >= s.size()) {
        return Error("unterminated quoted string");
      }
      ++*pos;
      return Value::String(out);
    }
    size_t start = *pos;
    while (*pos < s.size()) {
      char ch = s[*pos];
      if (in_flow && (ch == ',' || ch == ']' || ch == '}')) {
        break;
      }
      if (in_flow && ch == ':' && (*pos + 1 == s.size() || s[*pos + 1] == ' ')) {
        break;
      }
      ++*pos;
    }
    return Plain(Trim(s.substr(start, *pos - start)));
  }

  static std::string ScalarText(const Value& v) {
    switch (v.type().kind()) {
      case TypeKind::kString:
        return v.AsString();
      case TypeKind::kNumber:
        return v.AsNumber().ToString();
      case TypeKind::kBool:
        return v.AsBool() ? "true" : "false";
      default:
        return "";
    }
  }

  // YAML 1.2 core schema resolution of a plain scalar.
  static Value Plain(const std::string& s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
      return Value();
    }
    if (s == "true" || s == "True" || s == "TRUE") {
      return Value::True();
    }
    if (s == "false" || s == "False" || s == "FALSE") {
      return Value::False();
    }
    if (s == ".inf" || s == "+.inf" || s == ".Inf") {
      return Value::Num(Number::Infinity(false));
    }
    if (s == "-.inf" || s == "-.Inf") {
      return Value::Num(Number::Infinity(true));
    }
    if (s.size() > 2 && (s.rfind("0x", 0) == 0 || s.rfind("0o", 0) == 0) &&
        s.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos) {
      int base = s[1] == 'x' ? 16 : 8;
      Number n;
      for (size_t k = 2; k < s.size(); ++k) {
        int d = std::isdigit(static_cast<unsigned char>(s[k]))
                    ? s[k] - '0'
                    : std::tolower(static_cast<unsigned char>(s[k])) - 'a' + 10;
        if (d >= base) {
          return Value::String(s);
        }
        n = n * Number(base) + Number(d);
      }
      return Value::Num(n);
    }
    Result<Number> n = Number::Parse(s);
    if (n.ok() && s != "." && s.back() != '.') {
      return Value::Num(*n);
    }
    return Value::String(s);
  }

  std::vector<Line> lines_;
  size_t i_ = 0;
};

}  // namespace

Result<Value> ValueFromYaml(std::string_view yaml) {
  YamlParser p(yaml);
  return p.ParseDocument();
}

}  // namespace cf::hcl
