// Encoding and hashing functions: jsonencode, jsondecode, yamlencode, base64*, md5, sha*,
// uuid, urlencode.

#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>

#include "base/base64.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "hcl/functions_internal.h"
#include "hcl/value_json.h"

namespace cf::hcl {

namespace {

using fn::Def;
using fn::P;
using fn::Str;

const Type kS = Type::String();

constexpr char kBase64Chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Strict standard base64 (padding required), like Go's StdEncoding.
std::optional<std::string> Base64Decode(const std::string& in) {
  if (in.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out;
  for (size_t i = 0; i < in.size(); i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = in[i + k];
      int d;
      if (c == '=') {
        if (i + 4 != in.size() || k < 2) {
          return std::nullopt;
        }
        d = 0;
        ++pad;
      } else {
        if (pad > 0) {
          return std::nullopt;
        }
        const char* p = std::strchr(kBase64Chars, c);
        if (p == nullptr || c == '\0') {
          return std::nullopt;
        }
        d = static_cast<int>(p - kBase64Chars);
      }
      n = (n << 6) | static_cast<uint32_t>(d);
    }
    out.push_back(static_cast<char>((n >> 16) & 255));
    if (pad < 2) {
      out.push_back(static_cast<char>((n >> 8) & 255));
    }
    if (pad < 1) {
      out.push_back(static_cast<char>(n & 255));
    }
  }
  return out;
}

bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c < 0x80) {
      n = 1;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      n = 4;
    } else {
      return false;
    }
    if (i + n > s.size()) {
      return false;
    }
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += n;
  }
  return true;
}

uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) {
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  }
  return ~crc;
}

void PutLe32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out->push_back(static_cast<char>((v >> (8 * i)) & 255));
  }
}

// A gzip stream (RFC 1952) whose deflate data uses stored blocks: valid for every gunzip,
// without a compression library.
std::string GzipStored(const std::string& data) {
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  size_t pos = 0;
  do {
    size_t n = std::min<size_t>(65535, data.size() - pos);
    bool last = pos + n == data.size();
    out.push_back(last ? 1 : 0);
    out.push_back(static_cast<char>(n & 255));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(~n & 255));
    out.push_back(static_cast<char>((~n >> 8) & 255));
    out.append(data, pos, n);
    pos += n;
  } while (pos < data.size());
  PutLe32(&out, Crc32(data));
  PutLe32(&out, static_cast<uint32_t>(data.size()));
  return out;
}

}  // namespace

namespace fn {

std::string Base64EncodeBytes(const std::string& in) {
  return Base64Encode(in);
}
bool IsValidUtf8Text(const std::string& s) {
  return IsValidUtf8(s);
}
std::string DigestBytes(const std::string& algorithm, const std::string& data) {
  return algorithm == "md5"      ? Md5(data)
         : algorithm == "sha1"   ? Sha1(data)
         : algorithm == "sha256" ? Sha256(data)
                                 : Sha512(data);
}

}  // namespace fn

void RegisterEncodingFunctions(FunctionTable& t) {
  Def(t, "jsonencode", {P("val", Type::Dynamic(), true)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> { return Str(ValueToJson(args[0])); });
  Def(t, "jsondecode", {P("str", kS)}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> { return ValueFromJson(args[0].AsString()); });
  Def(t, "yamldecode", {P("src", kS)}, std::nullopt, Type::Dynamic(),
      [](const CallArgs& args) -> Result<Value> { return ValueFromYaml(args[0].AsString()); });
  Def(t, "yamlencode", {P("value", Type::Dynamic(), true)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> { return Str(ValueToYaml(args[0])); });
  Def(t, "base64encode", {P("str", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> { return Str(Base64Encode(args[0].AsString())); });
  Def(t, "base64decode", {P("str", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        std::optional<std::string> out = Base64Decode(args[0].AsString());
        if (!out) {
          return args.ArgError(0, "failed to decode base64 data \"" + args[0].AsString() + "\"");
        }
        if (!IsValidUtf8(*out)) {
          return args.ArgError(0, "the result of decoding the provided string is not valid UTF-8");
        }
        return Str(*out);
      });
  Def(t, "base64gzip", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    return Str(Base64Encode(GzipStored(args[0].AsString())));
  });
  Def(t, "uuidv5", {P("namespace", kS), P("name", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        static const std::map<std::string, std::string> kNamespaces = {
            {"dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
            {"url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
            {"oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
            {"x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"}};
        std::string ns = args[0].AsString();
        auto it = kNamespaces.find(ns);
        if (it != kNamespaces.end()) {
          ns = it->second;
        }
        std::string hex;
        for (char c : ns) {
          if (c != '-') {
            hex.push_back(c);
          }
        }
        if (hex.size() != 32 ||
            hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
          return args.ArgError(0,
                               "uuidv5() doesn't support namespace \"" + args[0].AsString() + "\"");
        }
        std::string d = Sha1(*HexDecode(hex) + args[1].AsString()).substr(0, 16);
        d[6] = static_cast<char>((d[6] & 0x0f) | 0x50);
        d[8] = static_cast<char>((d[8] & 0x3f) | 0x80);
        std::string h = HexEncode(d);
        return Str(h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
                   h.substr(16, 4) + "-" + h.substr(20));
      });
  Def(t, "textencodebase64", {P("string", kS), P("encoding", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        const std::string& enc = args[1].AsString();
        if (enc != "UTF-8" && enc != "utf-8") {
          return args.ArgError(1, "\"" + enc + "\" is not a supported IANA encoding name or alias");
        }
        return Str(Base64Encode(args[0].AsString()));
      });
  struct Hash {
    const char* name;
    std::string (*digest)(std::string_view);
    bool base64;
  };
  for (const Hash& h : {Hash{"md5", Md5, false}, Hash{"sha1", Sha1, false},
                        Hash{"sha256", Sha256, false}, Hash{"sha512", Sha512, false},
                        Hash{"base64sha256", Sha256, true}, Hash{"base64sha512", Sha512, true}}) {
    Def(t, h.name, {P("str", kS)}, std::nullopt, kS, [h](const CallArgs& args) -> Result<Value> {
      std::string d = h.digest(args[0].AsString());
      return Str(h.base64 ? Base64Encode(d) : HexEncode(d));
    });
  }
  Def(t, "uuid", {}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    if (!args.ctx().random) {
      return InvalidArgumentError("no random source is available");
    }
    uint64_t hi = args.ctx().random();
    uint64_t lo = args.ctx().random();
    hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                  static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                  static_cast<unsigned>(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
    return Str(buf);
  });
  Def(t, "urlencode", {P("str", kS)}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    std::string out;
    for (unsigned char c : args[0].AsString()) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else if (c == ' ') {
        out.push_back('+');
      } else {
        char buf[4];
        std::snprintf(buf, sizeof(buf), "%%%02X", c);
        out += buf;
      }
    }
    return Str(out);
  });
}

}  // namespace cf::hcl
