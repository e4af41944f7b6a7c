#include "aws/protocol_util.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <ctime>

#include "base/base64.h"
#include "base/crypto.h"

namespace cf::aws::internal {
namespace {

const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// Reads `n` digits at `*p`; false when they are not there.
bool ReadDigits(std::string_view text, size_t* p, int n, int* out) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    if (*p >= text.size() || !std::isdigit(static_cast<unsigned char>(text[*p]))) {
      return false;
    }
    v = v * 10 + (text[*p] - '0');
    ++*p;
  }
  *out = v;
  return true;
}

bool ParseIso8601(std::string_view text, double* seconds) {
  size_t p = 0;
  std::tm tm{};
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &p, 4, &year) || p >= text.size() || text[p++] != '-' ||
      !ReadDigits(text, &p, 2, &month) || p >= text.size() || text[p++] != '-' ||
      !ReadDigits(text, &p, 2, &day)) {
    return false;
  }
  double fraction = 0;
  int offset = 0;
  if (p < text.size() && (text[p] == 'T' || text[p] == 't' || text[p] == ' ')) {
    ++p;
    if (!ReadDigits(text, &p, 2, &hour) || p >= text.size() || text[p++] != ':' ||
        !ReadDigits(text, &p, 2, &minute)) {
      return false;
    }
    if (p < text.size() && text[p] == ':') {
      ++p;
      if (!ReadDigits(text, &p, 2, &second)) {
        return false;
      }
    }
    if (p < text.size() && text[p] == '.') {
      size_t start = p;
      ++p;
      while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) {
        ++p;
      }
      fraction = std::stod(std::string("0") + std::string(text.substr(start, p - start)));
    }
    if (p < text.size() && (text[p] == 'Z' || text[p] == 'z')) {
      ++p;
    } else if (p < text.size() && (text[p] == '+' || text[p] == '-')) {
      int sign = text[p] == '-' ? -1 : 1;
      ++p;
      int oh, om = 0;
      if (!ReadDigits(text, &p, 2, &oh)) {
        return false;
      }
      if (p < text.size() && text[p] == ':') {
        ++p;
      }
      if (p < text.size()) {
        if (!ReadDigits(text, &p, 2, &om)) {
          return false;
        }
      }
      offset = sign * (oh * 3600 + om * 60);
    }
  }
  if (p != text.size()) {
    return false;
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  *seconds = static_cast<double>(timegm(&tm)) - offset + fraction;
  return true;
}

bool ParseRfc822(std::string_view text, double* seconds) {
  // "Mon, 16 Dec 2019 23:48:18 GMT" (the day name is optional).
  std::string s(text);
  size_t comma = s.find(',');
  if (comma != std::string::npos) {
    s = s.substr(comma + 1);
  }
  int day, year, hour, minute, second;
  char month[4] = {0};
  char zone[8] = {0};
  int n = std::sscanf(s.c_str(), " %d %3s %d %d:%d:%d %7s", &day, month, &year, &hour, &minute,
                      &second, zone);
  if (n < 6) {
    return false;
  }
  int mon = -1;
  for (int i = 0; i < 12; ++i) {
    if (strcasecmp(month, kMonths[i]) == 0) {
      mon = i;
    }
  }
  if (mon < 0) {
    return false;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  *seconds = static_cast<double>(timegm(&tm));
  return true;
}

}  // namespace

std::string Ref::type() const {
  return shape->value("type", "");
}

const nlohmann::json* Ref::Trait(std::string_view key) const {
  if (auto it = ref->find(key); it != ref->end()) {
    return &*it;
  }
  if (auto it = shape->find(key); it != shape->end()) {
    return &*it;
  }
  return nullptr;
}

std::string Ref::StringTrait(std::string_view key, std::string fallback) const {
  const nlohmann::json* v = Trait(key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : fallback;
}

bool Ref::BoolTrait(std::string_view key) const {
  const nlohmann::json* v = Trait(key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

std::string Ref::RefString(std::string_view key, std::string fallback) const {
  auto it = ref->find(key);
  return it != ref->end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool Ref::RefBool(std::string_view key) const {
  auto it = ref->find(key);
  return it != ref->end() && it->is_boolean() && it->get<bool>();
}

const nlohmann::json& Ref::members() const {
  auto it = shape->find("members");
  return it != shape->end() && it->is_object() ? *it : EmptyObject();
}

const nlohmann::json& EmptyObject() {
  static const nlohmann::json* const kEmpty = new nlohmann::json(nlohmann::json::object());
  return *kEmpty;
}

Ref Resolve(const ServiceModel& model, const nlohmann::json& ref) {
  if (!ref.is_object() || !ref.contains("shape") || !ref["shape"].is_string()) {
    throw CodecError("malformed shape reference " + ref.dump());
  }
  Ref out;
  out.ref = &ref;
  out.shape_name = ref["shape"].get<std::string>();
  out.shape = model.FindShape(out.shape_name);
  if (out.shape == nullptr) {
    throw CodecError("unknown shape " + out.shape_name);
  }
  return out;
}

Ref Member(const ServiceModel& model, const Ref& parent, const std::string& name) {
  const nlohmann::json& members = parent.members();
  auto it = members.find(name);
  if (it == members.end()) {
    throw CodecError("shape " + parent.shape_name + " has no member " + name);
  }
  return Resolve(model, *it);
}

Ref ListMember(const ServiceModel& model, const Ref& list) {
  auto it = list.shape->find("member");
  if (it == list.shape->end()) {
    throw CodecError("list shape " + list.shape_name + " has no member");
  }
  return Resolve(model, *it);
}

Ref MapKey(const ServiceModel& model, const Ref& map) {
  auto it = map.shape->find("key");
  if (it == map.shape->end()) {
    throw CodecError("map shape " + map.shape_name + " has no key");
  }
  return Resolve(model, *it);
}

Ref MapValue(const ServiceModel& model, const Ref& map) {
  auto it = map.shape->find("value");
  if (it == map.shape->end()) {
    throw CodecError("map shape " + map.shape_name + " has no value");
  }
  return Resolve(model, *it);
}

std::string Base64Encode(std::string_view bytes) {
  return cf::Base64Encode(bytes);
}

std::string Base64Decode(std::string_view text) {
  // Wire values may wrap lines or leave out the padding; the shared codec wants neither.
  std::string compact;
  compact.reserve(text.size() + 2);
  for (char c : text) {
    if (c != '\n' && c != '\r' && c != ' ') {
      compact += c;
    }
  }
  while (compact.size() % 4 != 0) {
    compact += '=';
  }
  std::optional<std::string> decoded = cf::Base64Decode(compact);
  if (!decoded) {
    throw CodecError("invalid base64");
  }
  return *std::move(decoded);
}

TimestampFormat TimestampFormatOf(const Ref& ref, TimestampFormat fallback) {
  std::string format = ref.StringTrait("timestampFormat");
  if (format == "iso8601") {
    return TimestampFormat::kIso8601;
  }
  if (format == "rfc822") {
    return TimestampFormat::kRfc822;
  }
  if (format == "unixTimestamp") {
    return TimestampFormat::kUnix;
  }
  return fallback;
}

double TimestampSeconds(const nlohmann::json& value) {
  if (value.is_number()) {
    return value.get<double>();
  }
  if (value.is_string()) {
    return ParseTimestamp(value.get<std::string>());
  }
  throw CodecError("expected a timestamp");
}

std::string FormatTimestamp(double seconds, TimestampFormat format) {
  // Years 0 to 9999 or so; anything else is no timestamp AWS would take.
  if (!std::isfinite(seconds) || std::fabs(seconds) > 253402300799.0) {
    throw CodecError(fmt::format("timestamp {} is out of range", seconds));
  }
  double whole = std::floor(seconds);
  int millis = static_cast<int>(std::lround((seconds - whole) * 1000));
  if (millis == 1000) {
    whole += 1;
    millis = 0;
  }
  if (format == TimestampFormat::kUnix) {
    if (millis == 0) {
      return fmt::format("{}", static_cast<int64_t>(whole));
    }
    return fmt::format("{}.{:03d}", static_cast<int64_t>(whole), millis);
  }
  std::time_t t = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&t, &tm);
  if (format == TimestampFormat::kRfc822) {
    return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} GMT", kDays[tm.tm_wday],
                       tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                       tm.tm_sec);
  }
  std::string out = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (millis != 0) {
    out += fmt::format(".{:03d}", millis);
  }
  return out + "Z";
}

double ParseTimestamp(std::string_view text) {
  while (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  while (!text.empty() && text.back() == ' ') {
    text.remove_suffix(1);
  }
  double seconds = 0;
  if (ParseIso8601(text, &seconds) || ParseRfc822(text, &seconds)) {
    return seconds;
  }
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
  if (ec == std::errc() && ptr == end && !text.empty()) {
    return seconds;
  }
  throw CodecError(fmt::format("invalid timestamp \"{}\"", text));
}

nlohmann::json TimestampValue(double seconds) {
  double whole = std::floor(seconds);
  if (whole == seconds && std::fabs(seconds) < 9e15) {
    return static_cast<int64_t>(whole);
  }
  return std::round(seconds * 1000) / 1000;
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "Infinity" : "-Infinity";
  }
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, ptr);
}

namespace {

double DoubleOf(const nlohmann::json& value) {
  if (value.is_number()) {
    return value.get<double>();
  }
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s == "NaN") {
      return std::nan("");
    }
    if (s == "Infinity") {
      return HUGE_VAL;
    }
    if (s == "-Infinity") {
      return -HUGE_VAL;
    }
  }
  throw CodecError("expected a number");
}

}  // namespace

std::string ScalarToText(const Ref& ref, const nlohmann::json& value, TimestampFormat format,
                         bool base64_blobs) {
  std::string type = ref.type();
  if (type == "string") {
    if (!value.is_string()) {
      throw CodecError("expected a string");
    }
    return value.get<std::string>();
  }
  if (type == "integer" || type == "long" || type == "byte" || type == "short") {
    if (!value.is_number_integer()) {
      throw CodecError("expected an integer");
    }
    return value.dump();
  }
  if (type == "float" || type == "double") {
    if (value.is_number_integer()) {
      return value.dump();
    }
    return FormatDouble(DoubleOf(value));
  }
  if (type == "boolean") {
    if (!value.is_boolean()) {
      throw CodecError("expected a boolean");
    }
    return value.get<bool>() ? "true" : "false";
  }
  if (type == "blob") {
    if (!value.is_string()) {
      throw CodecError("expected a blob string");
    }
    return base64_blobs ? Base64Encode(value.get<std::string>()) : value.get<std::string>();
  }
  if (type == "timestamp") {
    return FormatTimestamp(TimestampSeconds(value), format);
  }
  throw CodecError("shape " + ref.shape_name + " of type " + type + " is not a scalar");
}

nlohmann::json ScalarFromText(const Ref& ref, std::string_view text, bool base64_blobs) {
  std::string type = ref.type();
  if (type == "string") {
    return std::string(text);
  }
  if (type == "integer" || type == "long" || type == "byte" || type == "short") {
    int64_t v = 0;
    std::string_view t = text;
    while (!t.empty() && t.front() == ' ') {
      t.remove_prefix(1);
    }
    while (!t.empty() && t.back() == ' ') {
      t.remove_suffix(1);
    }
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) {
      throw CodecError(fmt::format("invalid integer \"{}\"", text));
    }
    return v;
  }
  if (type == "float" || type == "double") {
    std::string t(text);
    if (t == "NaN" || t == "Infinity" || t == "-Infinity") {
      return t;
    }
    double v = 0;
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) {
      throw CodecError(fmt::format("invalid number \"{}\"", text));
    }
    return v;
  }
  if (type == "boolean") {
    if (text == "true") {
      return true;
    }
    if (text == "false") {
      return false;
    }
    throw CodecError(fmt::format("invalid boolean \"{}\"", text));
  }
  if (type == "blob") {
    return base64_blobs ? Base64Decode(text) : std::string(text);
  }
  if (type == "timestamp") {
    return TimestampValue(ParseTimestamp(text));
  }
  throw CodecError("shape " + ref.shape_name + " of type " + type + " is not a scalar");
}

std::string RandomUuid() {
  Result<std::string> random = RandomBytes(16);
  if (!random.ok()) {
    throw CodecError("no randomness for an idempotency token");
  }
  std::string& b = *random;
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string JoinPath(const std::string& parent, const std::string& member) {
  if (parent.empty()) {
    return member;
  }
  if (!member.empty() && member[0] == '[') {
    return parent + member;
  }
  return parent + "." + member;
}

}  // namespace cf::aws::internal
