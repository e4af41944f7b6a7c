#include "cloud/stepfunctions/intrinsics.h"

#include <fmt/core.h>
#include <openssl/evp.h>

#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <vector>

#include "base/base64.h"
#include "cloud/core/ids.h"
#include "cloud/stepfunctions/json_path.h"

namespace cf::cloud::stepfunctions {

namespace {

struct Env {
  const Json& input;
  const Json& context;
  Random& random;
};

Status Fail(const std::string& message) {
  return InvalidArgumentError(message);
}

class Parser {
 public:
  Parser(const std::string& text, const Env& env) : text_(text), env_(env) {}

  Result<Json> ParseAll() {
    ASSIGN_OR_RETURN(Json value, ParseCall());
    SkipSpace();
    if (pos_ != text_.size()) {
      return Fail(fmt::format("unexpected text after the call at offset {} of '{}'", pos_, text_));
    }
    return value;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }

  Result<Json> ParseCall() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
      ++pos_;
    }
    std::string name = text_.substr(start, pos_ - start);
    SkipSpace();
    if (name.rfind("States.", 0) != 0 || pos_ >= text_.size() || text_[pos_] != '(') {
      return Fail(fmt::format("'{}' is not an intrinsic function call", text_));
    }
    ++pos_;
    std::vector<Json> args;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
    } else {
      while (true) {
        ASSIGN_OR_RETURN(Json arg, ParseArgument());
        args.push_back(std::move(arg));
        SkipSpace();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == ')') {
          ++pos_;
          break;
        }
        return Fail(fmt::format("expected ',' or ')' at offset {} of '{}'", pos_, text_));
      }
    }
    return Call(name, args);
  }

  Result<Json> ParseArgument() {
    SkipSpace();
    if (pos_ >= text_.size()) {
      return Fail(fmt::format("an argument is missing at the end of '{}'", text_));
    }
    char c = text_[pos_];
    if (c == '\'') {
      ++pos_;
      std::string out;
      while (pos_ < text_.size() && text_[pos_] != '\'') {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
          ++pos_;
          // Keep \{ and \} escaped for States.Format; unescape the rest.
          if (text_[pos_] == '{' || text_[pos_] == '}') {
            out.push_back('\\');
          }
        }
        out.push_back(text_[pos_]);
        ++pos_;
      }
      if (pos_ >= text_.size()) {
        return Fail(fmt::format("an unterminated string literal in '{}'", text_));
      }
      ++pos_;
      return Json(out);
    }
    if (c == '$') {
      size_t start = pos_;
      int depth = 0;
      bool quoted = false;
      while (pos_ < text_.size()) {
        char d = text_[pos_];
        if (d == '\'' && depth > 0) {
          quoted = !quoted;
        } else if (!quoted && d == '[') {
          ++depth;
        } else if (!quoted && d == ']') {
          --depth;
        } else if (!quoted && depth == 0 && (d == ',' || d == ')' || std::isspace(d))) {
          break;
        }
        ++pos_;
      }
      std::string path = text_.substr(start, pos_ - start);
      Result<Json> value = path.rfind("$$", 0) == 0 ? SelectPath(path.substr(1), env_.context)
                                                    : SelectPath(path, env_.input);
      if (!value.ok()) {
        return Fail(
            fmt::format("the path '{}' in '{}': {}", path, text_, value.status().message()));
      }
      return value;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      size_t start = pos_;
      ++pos_;
      while (pos_ < text_.size() &&
             (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
              text_[pos_] == 'e' || text_[pos_] == 'E' || text_[pos_] == '+' ||
              text_[pos_] == '-')) {
        ++pos_;
      }
      Json number = Json::parse(text_.substr(start, pos_ - start), nullptr, false);
      if (number.is_discarded() || !number.is_number()) {
        return Fail(fmt::format("a bad number at offset {} of '{}'", start, text_));
      }
      return number;
    }
    for (const char* word : {"true", "false", "null"}) {
      size_t n = std::char_traits<char>::length(word);
      if (text_.compare(pos_, n, word) == 0) {
        pos_ += n;
        return Json::parse(word);
      }
    }
    if (text_.compare(pos_, 7, "States.") == 0) {
      return ParseCall();
    }
    return Fail(fmt::format("an unexpected argument at offset {} of '{}'", pos_, text_));
  }

  Result<Json> Call(const std::string& name, std::vector<Json>& args);

  const std::string& text_;
  const Env& env_;
  size_t pos_ = 0;
};

Status Arity(const std::string& name, const std::vector<Json>& args, size_t min, size_t max) {
  if (args.size() < min || args.size() > max) {
    if (min == max) {
      return Fail(fmt::format("{} takes {} argument{}, {} given", name, min, min == 1 ? "" : "s",
                              args.size()));
    }
    return Fail(fmt::format("{} takes {} to {} arguments, {} given", name, min, max, args.size()));
  }
  return OkStatus();
}

Status Type(const std::string& name, const Json& arg, int index, const char* want, bool ok) {
  if (!ok) {
    return Fail(fmt::format("argument {} of {} must be {}, not {}", index + 1, name, want,
                            arg.type_name()));
  }
  return OkStatus();
}

bool IsInteger(const Json& v) {
  return v.is_number_integer() ||
         (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
}

int64_t AsInt(const Json& v) {
  return v.is_number_integer() ? v.get<int64_t>() : static_cast<int64_t>(v.get<double>());
}

std::string Render(const Json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

Result<std::string> Digest(const std::string& data, const std::string& algorithm) {
  static const std::map<std::string, const EVP_MD* (*)()> kAlgorithms = {{"MD5", EVP_md5},
                                                                         {"SHA-1", EVP_sha1},
                                                                         {"SHA-256", EVP_sha256},
                                                                         {"SHA-384", EVP_sha384},
                                                                         {"SHA-512", EVP_sha512}};
  auto it = kAlgorithms.find(algorithm);
  if (it == kAlgorithms.end()) {
    return Fail(fmt::format(
        "States.Hash: the algorithm '{}' is not one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
        algorithm));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, it->second(), nullptr) != 1) {
    return InternalError("States.Hash: the digest failed");
  }
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += fmt::format("{:02x}", md[i]);
  }
  return hex;
}

Result<Json> Parser::Call(const std::string& name, std::vector<Json>& args) {
  if (name == "States.Format") {
    if (args.empty()) {
      return Fail("States.Format takes a template string and its arguments");
    }
    RETURN_IF_ERROR(Type(name, args[0], 0, "a string", args[0].is_string()));
    const std::string tmpl = args[0].get<std::string>();
    std::string out;
    size_t next = 1;
    for (size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl[i] == '\\' && i + 1 < tmpl.size() && (tmpl[i + 1] == '{' || tmpl[i + 1] == '}')) {
        out.push_back(tmpl[++i]);
      } else if (tmpl[i] == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') {
        if (next >= args.size()) {
          return Fail(
              fmt::format("States.Format: the template has more {{}} than the {} argument(s) given",
                          args.size() - 1));
        }
        const Json& arg = args[next++];
        if (arg.is_object() || arg.is_array()) {
          return Fail("States.Format: arguments must be strings, numbers, booleans or null");
        }
        out += Render(arg);
        ++i;
      } else {
        out.push_back(tmpl[i]);
      }
    }
    if (next != args.size()) {
      return Fail(fmt::format("States.Format: {} argument(s) given for {} {{}} in the template",
                              args.size() - 1, next - 1));
    }
    return Json(out);
  }
  // Unescape \{ and \} for the other functions' string arguments.
  for (Json& arg : args) {
    if (arg.is_string()) {
      std::string s = arg.get<std::string>();
      std::string out;
      for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}')) {
          continue;
        }
        out.push_back(s[i]);
      }
      arg = out;
    }
  }
  if (name == "States.StringToJson") {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    RETURN_IF_ERROR(Type(name, args[0], 0, "a string", args[0].is_string()));
    Json parsed = Json::parse(args[0].get<std::string>(), nullptr, false);
    if (parsed.is_discarded()) {
      return Fail(fmt::format("States.StringToJson: '{}' is not JSON", args[0].get<std::string>()));
    }
    return parsed;
  }
  if (name == "States.JsonToString") {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    return Json(args[0].dump());
  }
  if (name == "States.Array") {
    Json out = Json::array();
    for (Json& arg : args) {
      out.push_back(std::move(arg));
    }
    return out;
  }
  if (name == "States.ArrayPartition") {
    RETURN_IF_ERROR(Arity(name, args, 2, 2));
    RETURN_IF_ERROR(Type(name, args[0], 0, "an array", args[0].is_array()));
    RETURN_IF_ERROR(
        Type(name, args[1], 1, "a positive integer", IsInteger(args[1]) && AsInt(args[1]) > 0));
    size_t chunk = static_cast<size_t>(AsInt(args[1]));
    Json out = Json::array();
    for (size_t i = 0; i < args[0].size(); i += chunk) {
      Json part = Json::array();
      for (size_t j = i; j < std::min(i + chunk, args[0].size()); ++j) {
        part.push_back(args[0][j]);
      }
      out.push_back(std::move(part));
    }
    return out;
  }
  if (name == "States.ArrayContains") {
    RETURN_IF_ERROR(Arity(name, args, 2, 2));
    RETURN_IF_ERROR(Type(name, args[0], 0, "an array", args[0].is_array()));
    for (const Json& item : args[0]) {
      if (item == args[1]) {
        return Json(true);
      }
    }
    return Json(false);
  }
  if (name == "States.ArrayRange") {
    RETURN_IF_ERROR(Arity(name, args, 3, 3));
    for (int i = 0; i < 3; ++i) {
      RETURN_IF_ERROR(Type(name, args[static_cast<size_t>(i)], i, "an integer",
                           IsInteger(args[static_cast<size_t>(i)])));
    }
    int64_t start = AsInt(args[0]);
    int64_t end = AsInt(args[1]);
    int64_t step = AsInt(args[2]);
    if (step == 0) {
      return Fail("States.ArrayRange: the step must not be 0");
    }
    Json out = Json::array();
    for (int64_t v = start; step > 0 ? v <= end : v >= end; v += step) {
      if (out.size() >= 1000) {
        return Fail("States.ArrayRange: the range has more than 1000 items");
      }
      out.push_back(v);
    }
    return out;
  }
  if (name == "States.ArrayGetItem") {
    RETURN_IF_ERROR(Arity(name, args, 2, 2));
    RETURN_IF_ERROR(Type(name, args[0], 0, "an array", args[0].is_array()));
    RETURN_IF_ERROR(Type(name, args[1], 1, "a non-negative integer",
                         IsInteger(args[1]) && AsInt(args[1]) >= 0));
    size_t index = static_cast<size_t>(AsInt(args[1]));
    if (index >= args[0].size()) {
      return Fail(fmt::format("States.ArrayGetItem: index {} is out of bounds (length {})", index,
                              args[0].size()));
    }
    return args[0][index];
  }
  if (name == "States.ArrayLength") {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    RETURN_IF_ERROR(Type(name, args[0], 0, "an array", args[0].is_array()));
    return Json(args[0].size());
  }
  if (name == "States.ArrayUnique") {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    RETURN_IF_ERROR(Type(name, args[0], 0, "an array", args[0].is_array()));
    Json out = Json::array();
    std::set<std::string> seen;
    for (const Json& item : args[0]) {
      if (seen.insert(item.dump()).second) {
        out.push_back(item);
      }
    }
    return out;
  }
  if (name == "States.Base64Encode") {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    RETURN_IF_ERROR(Type(name, args[0], 0, "a string", args[0].is_string()));
    return Json(Base64Encode(args[0].get<std::string>()));
  }
  if (name == "States.Base64Decode") {
    RETURN_IF_ERROR(Arity(name, args, 1, 1));
    RETURN_IF_ERROR(Type(name, args[0], 0, "a string", args[0].is_string()));
    std::optional<std::string> decoded = Base64Decode(args[0].get<std::string>());
    if (!decoded) {
      return Fail("States.Base64Decode: the argument is not base64");
    }
    return Json(*decoded);
  }
  if (name == "States.Hash") {
    RETURN_IF_ERROR(Arity(name, args, 2, 2));
    RETURN_IF_ERROR(Type(name, args[1], 1, "a string", args[1].is_string()));
    ASSIGN_OR_RETURN(std::string hex, Digest(Render(args[0]), args[1].get<std::string>()));
    return Json(hex);
  }
  if (name == "States.JsonMerge") {
    RETURN_IF_ERROR(Arity(name, args, 3, 3));
    RETURN_IF_ERROR(Type(name, args[0], 0, "an object", args[0].is_object()));
    RETURN_IF_ERROR(Type(name, args[1], 1, "an object", args[1].is_object()));
    RETURN_IF_ERROR(Type(name, args[2], 2, "a boolean", args[2].is_boolean()));
    if (args[2].get<bool>()) {
      return Fail("States.JsonMerge: deep merging (true) is not supported; use false");
    }
    Json out = args[0];
    for (auto it = args[1].begin(); it != args[1].end(); ++it) {
      out[it.key()] = it.value();
    }
    return out;
  }
  if (name == "States.MathRandom") {
    RETURN_IF_ERROR(Arity(name, args, 2, 3));
    for (size_t i = 0; i < args.size(); ++i) {
      RETURN_IF_ERROR(Type(name, args[i], static_cast<int>(i), "an integer", IsInteger(args[i])));
    }
    int64_t start = AsInt(args[0]);
    int64_t end = AsInt(args[1]);
    if (end <= start) {
      return Fail("States.MathRandom: the end must be greater than the start");
    }
    uint64_t span = static_cast<uint64_t>(end - start);
    uint64_t draw = 0;
    if (args.size() == 3) {
      SeededRandom seeded(static_cast<uint64_t>(AsInt(args[2])));
      draw = seeded.Next();
    } else {
      draw = env_.random.Next();
    }
    return Json(start + static_cast<int64_t>(draw % span));
  }
  if (name == "States.MathAdd") {
    RETURN_IF_ERROR(Arity(name, args, 2, 2));
    for (size_t i = 0; i < 2; ++i) {
      RETURN_IF_ERROR(Type(name, args[i], static_cast<int>(i), "an integer", IsInteger(args[i])));
    }
    return Json(AsInt(args[0]) + AsInt(args[1]));
  }
  if (name == "States.StringSplit") {
    RETURN_IF_ERROR(Arity(name, args, 2, 2));
    RETURN_IF_ERROR(Type(name, args[0], 0, "a string", args[0].is_string()));
    RETURN_IF_ERROR(Type(name, args[1], 1, "a string", args[1].is_string()));
    std::string s = args[0].get<std::string>();
    std::string delimiters = args[1].get<std::string>();
    Json out = Json::array();
    std::string token;
    for (char c : s) {
      if (delimiters.find(c) != std::string::npos) {
        if (!token.empty()) {
          out.push_back(token);
        }
        token.clear();
      } else {
        token.push_back(c);
      }
    }
    if (!token.empty()) {
      out.push_back(token);
    }
    return out;
  }
  if (name == "States.UUID") {
    RETURN_IF_ERROR(Arity(name, args, 0, 0));
    IdGenerator ids(env_.random);
    return Json(ids.RequestId());
  }
  return Fail(fmt::format("'{}' is not an intrinsic function", name));
}

}  // namespace

bool IsIntrinsic(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
    ++i;
  }
  return text.compare(i, 7, "States.") == 0 && text.find('(') != std::string::npos;
}

Result<Json> EvaluateIntrinsic(const std::string& expression, const Json& input,
                               const Json& context, Random& random) {
  Env env{input, context, random};
  Parser parser(expression, env);
  return parser.ParseAll();
}

}  // namespace cf::cloud::stepfunctions
