#include "hcl/value_json.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

namespace cf::hcl {

namespace {

void AppendJsonString(const std::string& s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '<':
      case '>':
      case '&': {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        *out += buf;
        break;
      }
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          *out += buf;
        } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                    static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
          *out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendJson(const Value& v, std::string* out) {
  if (v.IsNull() || !v.IsKnown()) {
    *out += "null";
    return;
  }
  switch (v.type().kind()) {
    case TypeKind::kBool:
      *out += v.AsBool() ? "true" : "false";
      return;
    case TypeKind::kNumber:
      *out += v.AsNumber().ToString();
      return;
    case TypeKind::kString:
      AppendJsonString(v.AsString(), out);
      return;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kTuple: {
      out->push_back('[');
      bool first = true;
      for (const auto& e : v.Elements()) {
        if (!first) {
          out->push_back(',');
        }
        first = false;
        AppendJson(e, out);
      }
      out->push_back(']');
      return;
    }
    case TypeKind::kMap:
    case TypeKind::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, e] : v.Attributes()) {
        if (!first) {
          out->push_back(',');
        }
        first = false;
        AppendJsonString(k, out);
        out->push_back(':');
        AppendJson(e, out);
      }
      out->push_back('}');
      return;
    }
    case TypeKind::kDynamic:
      *out += "null";
      return;
  }
}

// Builds values from nlohmann's SAX events, keeping number text exact.
class Builder : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return Put(Value()); }
  bool boolean(bool b) override { return Put(Value::Bool(b)); }
  bool number_integer(number_integer_t n) override { return Put(Value::Num(Number(n))); }
  bool number_unsigned(number_unsigned_t n) override {
    Result<Number> v = Number::Parse(std::to_string(n));
    return Put(Value::Num(v.ok() ? *v : Number()));
  }
  bool number_float(number_float_t d, const string_t& text) override {
    Result<Number> v = Number::Parse(text);
    return Put(Value::Num(v.ok() ? *v : Number::FromDouble(d)));
  }
  bool string(string_t& s) override { return Put(Value::String(s)); }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    stack_.push_back(Frame{true, {}, {}, {}});
    return true;
  }
  bool key(string_t& k) override {
    stack_.back().key = k;
    return true;
  }
  bool end_object() override {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    return Put(Value::Object(std::move(f.attrs)));
  }
  bool start_array(std::size_t) override {
    stack_.push_back(Frame{false, {}, {}, {}});
    return true;
  }
  bool end_array() override {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    return Put(Value::Tuple(std::move(f.elems)));
  }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    error_ = ex.what();
    size_t close = error_.find("] ");
    if (error_.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
      error_ = error_.substr(close + 2);
    }
    return false;
  }

  Value result;
  const std::string& error() const { return error_; }

 private:
  struct Frame {
    bool object;
    std::string key;
    ValueMap attrs;
    ValueList elems;
  };
  bool Put(Value v) {
    if (stack_.empty()) {
      result = std::move(v);
    } else if (stack_.back().object) {
      stack_.back().attrs[stack_.back().key] = std::move(v);
    } else {
      stack_.back().elems.push_back(std::move(v));
    }
    return true;
  }
  std::vector<Frame> stack_;
  std::string error_;
};

void AppendYamlScalar(const Value& v, std::string* out) {
  if (v.IsNull() || !v.IsKnown()) {
    *out += "null";
  } else if (v.type().kind() == TypeKind::kBool) {
    *out += v.AsBool() ? "true" : "false";
  } else if (v.type().kind() == TypeKind::kNumber) {
    *out += v.AsNumber().ToString();
  } else {
    AppendJsonString(v.AsString(), out);
  }
}

bool IsBlock(const Value& v) {
  return v.IsKnown() && !v.IsNull() && (v.type().IsSequence() || v.type().IsMapping()) &&
         v.Length() > 0;
}

void AppendYaml(const Value& v, int indent, std::string* out);

// A string scalar after "key:" or "- ": literal block when multi-line.
void AppendYamlInline(const Value& v, int indent, std::string* out) {
  if (v.IsKnown() && !v.IsNull() && v.type().kind() == TypeKind::kString &&
      v.AsString().find('\n') != std::string::npos) {
    const std::string& s = v.AsString();
    *out += s.back() == '\n' ? "|" : "|-";
    std::string pad(static_cast<size_t>(indent + 2), ' ');
    size_t pos = 0;
    std::string body = s.back() == '\n' ? s.substr(0, s.size() - 1) : s;
    while (pos <= body.size()) {
      size_t nl = body.find('\n', pos);
      std::string line = body.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      *out += "\n" + (line.empty() ? std::string() : pad + line);
      if (nl == std::string::npos) {
        break;
      }
      pos = nl + 1;
    }
    *out += "\n";
    return;
  }
  if (!IsBlock(v)) {
    if (v.IsKnown() && !v.IsNull() && (v.type().IsSequence() || v.type().IsMapping())) {
      *out += v.type().IsSequence() ? "[]" : "{}";
    } else {
      AppendYamlScalar(v, out);
    }
    *out += "\n";
    return;
  }
  AppendYaml(v, indent, out);
}

void AppendYaml(const Value& v, int indent, std::string* out) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (v.type().IsSequence()) {
    bool first = true;
    for (const auto& e : v.Elements()) {
      if (!first || out->empty() || out->back() == '\n') {
        *out += pad;
      }
      first = false;
      *out += "- ";
      if (IsBlock(e)) {
        // The first line of the nested block continues after "- ".
        std::string nested;
        AppendYaml(e, indent + 2, &nested);
        *out += nested.substr(static_cast<size_t>(indent + 2));
      } else {
        AppendYamlInline(e, indent, out);
      }
    }
    return;
  }
  bool first = true;
  for (const auto& [k, e] : v.Attributes()) {
    if (!first || out->empty() || out->back() == '\n') {
      *out += pad;
    }
    first = false;
    AppendJsonString(k, out);
    *out += ":";
    if (IsBlock(e)) {
      *out += "\n";
      AppendYaml(e, e.type().IsSequence() ? indent : indent + 2, out);
    } else {
      *out += " ";
      AppendYamlInline(e, indent, out);
    }
  }
}

}  // namespace

std::string ValueToJson(const Value& v) {
  std::string out;
  AppendJson(v, &out);
  return out;
}

Result<Value> ValueFromJson(std::string_view json) {
  Builder b;
  bool ok = nlohmann::json::sax_parse(json.begin(), json.end(), &b,
                                      nlohmann::json::input_format_t::json, true);
  if (!ok) {
    return InvalidArgumentError(b.error().empty() ? "invalid JSON" : b.error());
  }
  return b.result;
}

std::string ValueToYaml(const Value& v) {
  std::string out;
  if (IsBlock(v)) {
    AppendYaml(v, 0, &out);
  } else {
    AppendYamlInline(v, 0, &out);
  }
  return out;
}

}  // namespace cf::hcl
