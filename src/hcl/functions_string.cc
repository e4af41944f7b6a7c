// String functions: format, formatlist, join, split, replace, regex, substr, trim, ...

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <regex>

#include "hcl/functions_internal.h"
#include "hcl/functions_regex.h"
#include "hcl/value_json.h"

namespace cf::hcl {

namespace {

using fn::Def;
using fn::P;
using fn::Str;

const Type kS = Type::String();

// Widths and precisions beyond this are refused rather than allocated (Go's fmt has a
// similar limit).
constexpr int64_t kMaxWidth = 1000000;

std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

struct Spec {
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool zero = false;
  bool space = false;
  int width = -1;
  int precision = -1;
  char verb = 0;
};

std::string Pad(std::string s, const Spec& spec, bool numeric) {
  size_t len = fn::CodePoints(s).size();
  if (spec.width < 0 || len >= static_cast<size_t>(spec.width)) {
    return s;
  }
  size_t pad = static_cast<size_t>(spec.width) - len;
  if (spec.minus) {
    return s + std::string(pad, ' ');
  }
  if (spec.zero && numeric) {
    size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
    return s.substr(0, sign) + std::string(pad, '0') + s.substr(sign);
  }
  return std::string(pad, ' ') + s;
}

std::string JsonText(const Value& v);

Result<std::string> FormatNumber(const Number& n, const Spec& spec) {
  std::string body;
  bool negative = n.IsNegative();
  Number abs = n.Abs();
  switch (spec.verb) {
    case 'd':
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      if (!n.IsInteger()) {
        return InvalidArgumentError("an integer is required");
      }
      if (spec.verb == 'd') {
        body = abs.ToString();
        break;
      }
      std::optional<int64_t> i = abs.ToInt64();
      if (!i) {
        return InvalidArgumentError("value is too large");
      }
      uint64_t u = static_cast<uint64_t>(*i);
      int base = spec.verb == 'b' ? 2 : (spec.verb == 'o' ? 8 : 16);
      const char* digits = spec.verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      if (u == 0) {
        body = "0";
      }
      while (u > 0) {
        body.insert(body.begin(), digits[u % base]);
        u /= base;
      }
      if (spec.sharp) {
        body = (spec.verb == 'b' ? "0b"
                                 : (spec.verb == 'o' ? "0" : (spec.verb == 'X' ? "0X" : "0x"))) +
               body;
      }
      break;
    }
    default: {
      int prec = spec.precision;
      char fmt[16];
      if (spec.verb == 'f' || spec.verb == 'F') {
        if (prec < 0) {
          prec = 6;
        }
        if (abs.IsInteger()) {
          body = abs.ToString();
          if (prec > 0) {
            body += "." + std::string(static_cast<size_t>(prec), '0');
          }
          break;
        }
      }
      if ((spec.verb == 'e' || spec.verb == 'E') && prec < 0) {
        prec = 6;
      }
      if (spec.verb == 'g' || spec.verb == 'G') {
        if (prec < 0) {
          body = abs.ToString();
          break;
        }
      }
      std::snprintf(fmt, sizeof(fmt), "%%.%d%c", prec, spec.verb == 'F' ? 'f' : spec.verb);
      char buf[512];
      std::snprintf(buf, sizeof(buf), fmt, abs.ToDouble());
      body = buf;
      break;
    }
  }
  if (negative) {
    body = "-" + body;
  } else if (spec.plus) {
    body = "+" + body;
  } else if (spec.space) {
    body = " " + body;
  }
  return body;
}

Result<std::string> FormatOne(const Value& arg, const Spec& spec) {
  switch (spec.verb) {
    case 'v': {
      if (spec.sharp) {
        return JsonText(arg);
      }
      if (arg.IsNull()) {
        return Pad("null", spec, false);
      }
      if (arg.type().IsPrimitive()) {
        ASSIGN_OR_RETURN(Value s, Convert(arg, kS));
        return Pad(s.AsString(), spec, false);
      }
      return Pad(JsonText(arg), spec, false);
    }
    case 't': {
      if (arg.IsNull()) {
        return InvalidArgumentError("null value cannot be formatted");
      }
      Result<Value> b = Convert(arg, Type::Bool());
      if (!b.ok()) {
        return InvalidArgumentError("bool required");
      }
      return Pad(b->AsBool() ? "true" : "false", spec, false);
    }
    case 's':
    case 'q': {
      if (arg.IsNull()) {
        return InvalidArgumentError("null value cannot be formatted");
      }
      Result<Value> s = Convert(arg, kS);
      if (!s.ok()) {
        return InvalidArgumentError("string required");
      }
      std::string text = s->AsString();
      if (spec.precision >= 0) {
        auto cps = fn::CodePoints(text);
        if (cps.size() > static_cast<size_t>(spec.precision)) {
          text.clear();
          for (int i = 0; i < spec.precision; ++i) {
            text += cps[static_cast<size_t>(i)];
          }
        }
      }
      return Pad(spec.verb == 'q' ? GoQuote(text) : text, spec, false);
    }
    case 'x':
    case 'X':
      if (!arg.IsNull() && arg.type().kind() == TypeKind::kString &&
          !Number::Parse(arg.AsString()).ok()) {
        std::string out;
        const char* digits = spec.verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        for (unsigned char c : arg.AsString()) {
          out.push_back(digits[c >> 4]);
          out.push_back(digits[c & 15]);
        }
        return Pad(out, spec, false);
      }
      [[fallthrough]];
    case 'd':
    case 'b':
    case 'o':
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      if (arg.IsNull()) {
        return InvalidArgumentError("null value cannot be formatted");
      }
      Result<Value> n = Convert(arg, Type::Number());
      if (!n.ok()) {
        return InvalidArgumentError("number required");
      }
      ASSIGN_OR_RETURN(std::string body, FormatNumber(n->AsNumber(), spec));
      return Pad(body, spec, true);
    }
    default:
      return InvalidArgumentError(std::string("unrecognized format verb '") + spec.verb + "'");
  }
}

std::string JsonText(const Value& v) {
  return ValueToJson(v);
}

// Go/cty's format. `args` are the values after the format string.
Result<std::string> Format(const std::string& format, const std::vector<Value>& args) {
  std::string out;
  size_t next_arg = 0;
  size_t used_max = 0;
  bool any_verb = false;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    size_t verb_start = i;
    ++i;
    if (i >= format.size()) {
      return InvalidArgumentError("unterminated format verb at end of string");
    }
    if (format[i] == '%') {
      out.push_back('%');
      continue;
    }
    Spec spec;
    for (; i < format.size(); ++i) {
      char f = format[i];
      if (f == '-') {
        spec.minus = true;
      } else if (f == '+') {
        spec.plus = true;
      } else if (f == '#') {
        spec.sharp = true;
      } else if (f == '0') {
        spec.zero = true;
      } else if (f == ' ') {
        spec.space = true;
      } else {
        break;
      }
    }
    if (i < format.size() && format[i] == '[') {
      size_t close = format.find(']', i);
      if (close == std::string::npos) {
        return InvalidArgumentError("unterminated argument index");
      }
      int idx = std::atoi(format.substr(i + 1, close - i - 1).c_str());
      if (idx < 1) {
        return InvalidArgumentError("invalid argument index");
      }
      next_arg = static_cast<size_t>(idx - 1);
      i = close + 1;
    }
    if (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
      spec.width = 0;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
        spec.width = std::min(spec.width * 10 + (format[i] - '0'), 100000000);
        ++i;
      }
    }
    if (i < format.size() && format[i] == '.') {
      ++i;
      spec.precision = 0;
      while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
        spec.precision = std::min(spec.precision * 10 + (format[i] - '0'), 100000000);
        ++i;
      }
    }
    if (i >= format.size()) {
      return InvalidArgumentError("unterminated format verb at end of string");
    }
    if (spec.width > kMaxWidth || spec.precision > kMaxWidth) {
      return InvalidArgumentError("width or precision too large");
    }
    spec.verb = format[i];
    std::string verb_text = format.substr(verb_start, i - verb_start + 1);
    if (std::string_view("vtbdoxXeEfFgGsq").find(spec.verb) == std::string_view::npos) {
      return InvalidArgumentError("unrecognized format character '" + std::string(1, spec.verb) +
                                  "' at offset " + std::to_string(i));
    }
    any_verb = true;
    if (next_arg >= args.size()) {
      return InvalidArgumentError("not enough arguments for \"" + verb_text + "\" at " +
                                  std::to_string(verb_start) + ": need index " +
                                  std::to_string(next_arg + 1) + " but have " +
                                  std::to_string(args.size()) + " total");
    }
    Result<std::string> piece = FormatOne(args[next_arg], spec);
    if (!piece.ok()) {
      return InvalidArgumentError("unsupported value for \"" + verb_text + "\" at " +
                                  std::to_string(verb_start) + ": " + piece.status().message());
    }
    out += *piece;
    ++next_arg;
    used_max = std::max(used_max, next_arg);
  }
  if (used_max < args.size()) {
    if (!any_verb) {
      return InvalidArgumentError("too many arguments; no verbs in format string");
    }
    return InvalidArgumentError("too many arguments; only " + std::to_string(used_max) +
                                " used by format string");
  }
  return out;
}

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string ReplaceAll(const std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) {
    std::string out = to;
    for (const auto& cp : fn::CodePoints(s)) {
      out += cp + to;
    }
    return out;
  }
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t hit = s.find(from, pos);
    if (hit == std::string::npos) {
      out.append(s, pos, std::string::npos);
      return out;
    }
    out.append(s, pos, hit - pos);
    out += to;
    pos = hit + from.size();
  }
}

// cty's shape: the match as a string without groups; otherwise a tuple (or, for named
// groups, an object) of the groups, null where a group did not take part in the match.
Value CaptureValue(const CompiledRegex& re, const std::smatch& m) {
  if (re.group_names.empty()) {
    return Str(m.str(0));
  }
  auto group = [&](size_t g) { return m[g + 1].matched ? Str(m[g + 1].str()) : Value::Null(kS); };
  if (re.named) {
    ValueMap out;
    for (size_t g = 0; g < re.group_names.size(); ++g) {
      out[re.group_names[g]] = group(g);
    }
    return Value::Object(std::move(out));
  }
  ValueList out;
  for (size_t g = 0; g < re.group_names.size(); ++g) {
    out.push_back(group(g));
  }
  return Value::Tuple(std::move(out));
}

Result<CompiledRegex> PatternArg(const CallArgs& args, size_t i) {
  Result<CompiledRegex> re = CompileRegex(args[i].AsString());
  if (!re.ok()) {
    return args.ArgError(i, re.status().message());
  }
  return re;
}

}  // namespace

void RegisterStringFunctions(FunctionTable& t) {
  Def(t, "format", {P("format", kS)}, P("args", Type::Dynamic(), true), kS,
      [](const CallArgs& args) -> Result<Value> {
        std::vector<Value> rest(args.all().begin() + 1, args.all().end());
        ASSIGN_OR_RETURN(std::string s, Format(args[0].AsString(), rest));
        return Str(std::move(s));
      });

  Def(t, "formatlist", {P("format", kS)}, P("args", Type::Dynamic(), true), Type::List(kS),
      [](const CallArgs& args) -> Result<Value> {
        std::optional<size_t> n;
        size_t n_from = 0;
        for (size_t i = 1; i < args.size(); ++i) {
          const Value& a = args[i];
          if (!a.IsNull() && (a.type().IsList() || a.type().IsTuple() || a.type().IsSet())) {
            if (n && *n != a.Length()) {
              return args.ArgError(
                  i, "argument " + std::to_string(i) + " has length " + std::to_string(a.Length()) +
                         ", which is inconsistent with argument " + std::to_string(n_from) +
                         " of length " + std::to_string(*n));
            }
            if (!n) {
              n = a.Length();
              n_from = i;
            }
          }
        }
        size_t rows = n.value_or(1);
        std::vector<std::string> out;
        for (size_t r = 0; r < rows; ++r) {
          std::vector<Value> row;
          for (size_t i = 1; i < args.size(); ++i) {
            const Value& a = args[i];
            if (!a.IsNull() && a.type().IsSequence()) {
              row.push_back(a.Elements()[r]);
            } else {
              row.push_back(a);
            }
          }
          Result<std::string> s = Format(args[0].AsString(), row);
          if (!s.ok()) {
            return InvalidArgumentError("error on format iteration " + std::to_string(r) + ": " +
                                        s.status().message());
          }
          out.push_back(*s);
        }
        return fn::StringList(std::move(out));
      });

  Def(t, "join", {P("separator", kS)}, P("lists", Type::List(kS)), kS,
      [](const CallArgs& args) -> Result<Value> {
        if (args.size() < 2) {
          return InvalidArgumentError("at least one list is required");
        }
        std::string out;
        bool first = true;
        for (size_t i = 1; i < args.size(); ++i) {
          size_t k = 0;
          for (const auto& e : args[i].Elements()) {
            if (e.IsNull()) {
              return args.ArgError(
                  i, "element " + std::to_string(k) + " is null; cannot concatenate null values");
            }
            if (!first) {
              out += args[0].AsString();
            }
            first = false;
            out += e.AsString();
            ++k;
          }
        }
        return Str(std::move(out));
      });

  Def(t, "split", {P("separator", kS), P("str", kS)}, std::nullopt, Type::List(kS),
      [](const CallArgs& args) -> Result<Value> {
        const std::string& sep = args[0].AsString();
        const std::string& s = args[1].AsString();
        std::vector<std::string> parts;
        if (sep.empty()) {
          parts = fn::CodePoints(s);
        } else {
          size_t pos = 0;
          while (true) {
            size_t hit = s.find(sep, pos);
            if (hit == std::string::npos) {
              parts.push_back(s.substr(pos));
              break;
            }
            parts.push_back(s.substr(pos, hit - pos));
            pos = hit + sep.size();
          }
        }
        return fn::StringList(std::move(parts));
      });

  Def(t, "replace", {P("str", kS), P("substr", kS), P("replace", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        const std::string& s = args[0].AsString();
        const std::string& sub = args[1].AsString();
        const std::string& rep = args[2].AsString();
        if (sub.size() >= 2 && sub.front() == '/' && sub.back() == '/') {
          Result<CompiledRegex> re = CompileRegex(sub.substr(1, sub.size() - 2));
          if (!re.ok()) {
            return args.ArgError(1, re.status().message());
          }
          return Str(RegexReplaceAll(*re, s, rep));
        }
        return Str(ReplaceAll(s, sub, rep));
      });

  Def(t, "lower", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    std::string s = args[0].AsString();
    for (auto& c : s) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return Str(s);
  });
  Def(t, "upper", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    std::string s = args[0].AsString();
    for (auto& c : s) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return Str(s);
  });
  Def(t, "title", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    std::string s = args[0].AsString();
    bool boundary = true;
    for (auto& c : s) {
      unsigned char u = static_cast<unsigned char>(c);
      bool letter = std::isalnum(u) || u == '_' || u >= 0x80 || u == '\'';
      if (letter && boundary) {
        c = static_cast<char>(std::toupper(u));
      }
      boundary = !letter;
    }
    return Str(s);
  });

  Def(t, "substr", {P("str", kS), P("offset", Type::Number()), P("length", Type::Number())},
      std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
        auto cps = fn::CodePoints(args[0].AsString());
        ASSIGN_OR_RETURN(int64_t offset, fn::WholeNumber(args, 1));
        ASSIGN_OR_RETURN(int64_t length, fn::WholeNumber(args, 2));
        int64_t n = static_cast<int64_t>(cps.size());
        if (offset < 0) {
          offset += n;
          if (offset < 0) {
            offset = 0;
          }
        }
        if (offset >= n) {
          return Str("");
        }
        int64_t end = length < 0 || length > n ? n : std::min(n, offset + length);
        std::string out;
        for (int64_t i = offset; i < end; ++i) {
          out += cps[static_cast<size_t>(i)];
        }
        return Str(out);
      });

  Def(t, "trim", {P("str", kS), P("cutset", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        auto cps = fn::CodePoints(args[0].AsString());
        auto cut = fn::CodePoints(args[1].AsString());
        auto in_cut = [&](const std::string& cp) {
          return std::find(cut.begin(), cut.end(), cp) != cut.end();
        };
        size_t b = 0;
        size_t e = cps.size();
        while (b < e && in_cut(cps[b])) {
          ++b;
        }
        while (e > b && in_cut(cps[e - 1])) {
          --e;
        }
        std::string out;
        for (size_t i = b; i < e; ++i) {
          out += cps[i];
        }
        return Str(out);
      });
  Def(t, "trimspace", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    const std::string& s = args[0].AsString();
    size_t b = 0;
    size_t e = s.size();
    while (b < e && IsSpace(static_cast<unsigned char>(s[b]))) {
      ++b;
    }
    while (e > b && IsSpace(static_cast<unsigned char>(s[e - 1]))) {
      --e;
    }
    return Str(s.substr(b, e - b));
  });
  Def(t, "trimprefix", {P("str", kS), P("prefix", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        const std::string& s = args[0].AsString();
        const std::string& p = args[1].AsString();
        return Str(s.starts_with(p) ? s.substr(p.size()) : s);
      });
  Def(t, "trimsuffix", {P("str", kS), P("suffix", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        const std::string& s = args[0].AsString();
        const std::string& p = args[1].AsString();
        return Str(s.ends_with(p) ? s.substr(0, s.size() - p.size()) : s);
      });
  Def(t, "chomp", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    std::string s = args[0].AsString();
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
      s.pop_back();
    }
    return Str(s);
  });
  Def(t, "indent", {P("spaces", Type::Number()), P("str", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(int64_t n, fn::WholeNumber(args, 0));
        if (n < 0) {
          n = 0;
        }
        if (n > kMaxWidth) {
          return args.ArgError(0, "must be at most " + std::to_string(kMaxWidth));
        }
        std::string pad(static_cast<size_t>(n), ' ');
        std::string out;
        for (char c : args[1].AsString()) {
          out.push_back(c);
          if (c == '\n') {
            out += pad;
          }
        }
        return Str(out);
      });
  Def(t, "strrev", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    auto cps = fn::CodePoints(args[0].AsString());
    std::string out;
    for (auto it = cps.rbegin(); it != cps.rend(); ++it) {
      out += *it;
    }
    return Str(out);
  });
  Def(t, "startswith", {P("str", kS), P("prefix", kS)}, std::nullopt, Type::Bool(),
      [](const CallArgs& args) -> Result<Value> {
        return Value::Bool(args[0].AsString().starts_with(args[1].AsString()));
      });
  Def(t, "endswith", {P("str", kS), P("suffix", kS)}, std::nullopt, Type::Bool(),
      [](const CallArgs& args) -> Result<Value> {
        return Value::Bool(args[0].AsString().ends_with(args[1].AsString()));
      });
  Def(t, "strcontains", {P("str", kS), P("substr", kS)}, std::nullopt, Type::Bool(),
      [](const CallArgs& args) -> Result<Value> {
        return Value::Bool(args[0].AsString().find(args[1].AsString()) != std::string::npos);
      });

  Def(t, "regex", {P("pattern", kS), P("string", kS)}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(CompiledRegex re, PatternArg(args, 0));
        std::smatch m;
        const std::string& s = args[1].AsString();
        if (!std::regex_search(s, m, re.re)) {
          return InvalidArgumentError("pattern did not match any part of the given string");
        }
        return CaptureValue(re, m);
      });
  Def(t, "regexall", {P("pattern", kS), P("string", kS)}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(CompiledRegex re, PatternArg(args, 0));
        const std::string& s = args[1].AsString();
        ValueList out;
        for (auto it = std::sregex_iterator(s.begin(), s.end(), re.re);
             it != std::sregex_iterator(); ++it) {
          out.push_back(CaptureValue(re, *it));
        }
        if (out.empty()) {
          return Value::List(re.group_names.empty() ? kS : Type::Dynamic(), {});
        }
        Type element = out.front().type();
        return Value::List(std::move(element), std::move(out));
      });
}

}  // namespace cf::hcl
