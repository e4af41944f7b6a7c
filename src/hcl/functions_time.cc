// Time functions on RFC 3339 timestamps: formatdate, timeadd, timecmp, plantimestamp.

#include <cctype>
#include <cmath>
#include <cstdio>

#include "hcl/functions_internal.h"

namespace cf::hcl {

namespace {

using fn::Def;
using fn::P;
using fn::Str;

const Type kS = Type::String();

struct Time {
  int64_t unix = 0;  // Seconds since the epoch, UTC.
  int64_t nanos = 0;
  int offset = 0;  // Minutes east of UTC, as written.
};

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

Result<Time> ParseRfc3339(const std::string& s) {
  auto fail = [&]() -> Status {
    return InvalidArgumentError("not a valid RFC3339 timestamp: \"" + s + "\"");
  };
  auto num = [&](size_t pos, size_t len, int* out) {
    if (pos + len > s.size()) {
      return false;
    }
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
        return false;
      }
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h, mi, se;
  if (!num(0, 4, &y) || s.size() < 20 || s[4] != '-' || !num(5, 2, &mo) || s[7] != '-' ||
      !num(8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !num(11, 2, &h) || s[13] != ':' ||
      !num(14, 2, &mi) || s[16] != ':' || !num(17, 2, &se)) {
    return fail();
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) {
    return fail();
  }
  size_t i = 19;
  int64_t nanos = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (digits < 9) {
        nanos = nanos * 10 + (s[i] - '0');
        ++digits;
      }
      ++i;
    }
    if (digits == 0) {
      return fail();
    }
    while (digits < 9) {
      nanos *= 10;
      ++digits;
    }
  }
  int offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!num(i + 1, 2, &oh) || i + 3 >= s.size() || s[i + 3] != ':' || !num(i + 4, 2, &om)) {
      return fail();
    }
    offset = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return fail();
  }
  if (i != s.size()) {
    return fail();
  }
  Time t;
  t.unix = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset * 60;
  t.nanos = nanos;
  t.offset = offset;
  return t;
}

struct Fields {
  int64_t year;
  int month, day, hour, minute, second, weekday;
};

Fields LocalFields(const Time& t) {
  int64_t local = t.unix + t.offset * 60;
  int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int64_t secs = local - days * 86400;
  Fields f;
  CivilFromDays(days, &f.year, &f.month, &f.day);
  f.hour = static_cast<int>(secs / 3600);
  f.minute = static_cast<int>(secs / 60 % 60);
  f.second = static_cast<int>(secs % 60);
  f.weekday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday (4).
  return f;
}

std::string Pad2(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%02lld", static_cast<long long>(v));
  return buf;
}

std::string Offset(int offset, bool colon) {
  char buf[16];
  int a = offset < 0 ? -offset : offset;
  std::snprintf(buf, sizeof(buf), colon ? "%c%02d:%02d" : "%c%02d%02d", offset < 0 ? '-' : '+',
                a / 60, a % 60);
  return buf;
}

std::string FormatTime(const Time& t) {
  Fields f = LocalFields(t);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04lld-%02d-%02dT%02d:%02d:%02d", static_cast<long long>(f.year),
                f.month, f.day, f.hour, f.minute, f.second);
  return std::string(buf) + (t.offset == 0 ? "Z" : Offset(t.offset, true));
}

const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};
const char* const kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                             "Thursday", "Friday", "Saturday"};

Result<std::string> FormatDate(const std::string& spec, const Time& t) {
  Fields f = LocalFields(t);
  std::string out;
  size_t i = 0;
  while (i < spec.size()) {
    char c = spec[i];
    if (c == '\'') {
      size_t j = i + 1;
      if (j < spec.size() && spec[j] == '\'') {
        out.push_back('\'');
        i += 2;
        continue;
      }
      size_t close = spec.find('\'', j);
      if (close == std::string::npos) {
        return InvalidArgumentError("unterminated literal '");
      }
      out += spec.substr(j, close - j);
      i = close + 1;
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      out.push_back(c);
      ++i;
      continue;
    }
    size_t j = i;
    while (j < spec.size() && spec[j] == c) {
      ++j;
    }
    std::string tok = spec.substr(i, j - i);
    i = j;
    int h12 = f.hour % 12 == 0 ? 12 : f.hour % 12;
    if (tok == "YYYY") {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "%04lld", static_cast<long long>(f.year));
      out += buf;
    } else if (tok == "YY") {
      out += Pad2(f.year % 100);
    } else if (tok == "MMMM") {
      out += kMonths[f.month - 1];
    } else if (tok == "MMM") {
      out += std::string(kMonths[f.month - 1]).substr(0, 3);
    } else if (tok == "MM") {
      out += Pad2(f.month);
    } else if (tok == "M") {
      out += std::to_string(f.month);
    } else if (tok == "DD") {
      out += Pad2(f.day);
    } else if (tok == "D") {
      out += std::to_string(f.day);
    } else if (tok == "EEEE") {
      out += kDays[f.weekday];
    } else if (tok == "EEE") {
      out += std::string(kDays[f.weekday]).substr(0, 3);
    } else if (tok == "hh") {
      out += Pad2(f.hour);
    } else if (tok == "h") {
      out += std::to_string(f.hour);
    } else if (tok == "HH") {
      out += Pad2(h12);
    } else if (tok == "H") {
      out += std::to_string(h12);
    } else if (tok == "AA") {
      out += f.hour < 12 ? "AM" : "PM";
    } else if (tok == "aa") {
      out += f.hour < 12 ? "am" : "pm";
    } else if (tok == "mm") {
      out += Pad2(f.minute);
    } else if (tok == "m") {
      out += std::to_string(f.minute);
    } else if (tok == "ss") {
      out += Pad2(f.second);
    } else if (tok == "s") {
      out += std::to_string(f.second);
    } else if (tok == "ZZZZZ") {
      out += Offset(t.offset, true);
    } else if (tok == "ZZZZ") {
      out += Offset(t.offset, false);
    } else if (tok == "ZZZ") {
      out += t.offset == 0 ? "UTC" : Offset(t.offset, false);
    } else if (tok == "Z") {
      out += t.offset == 0 ? "Z" : Offset(t.offset, true);
    } else {
      return InvalidArgumentError("invalid date format verb \"" + tok + "\"");
    }
  }
  return out;
}

// Go's time.ParseDuration, in nanoseconds.
Result<long double> ParseDuration(const std::string& s) {
  auto fail = [&]() -> Status { return InvalidArgumentError("invalid duration \"" + s + "\""); };
  size_t i = 0;
  long double sign = 1;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    sign = s[i] == '-' ? -1 : 1;
    ++i;
  }
  if (s.substr(i) == "0") {
    return 0.0L;
  }
  if (i >= s.size()) {
    return fail();
  }
  long double total = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
      ++i;
    }
    if (i == start) {
      return fail();
    }
    long double v = std::stold(s.substr(start, i - start));
    size_t ustart = i;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') {
      ++i;
    }
    std::string unit = s.substr(ustart, i - ustart);
    long double scale;
    if (unit == "ns") {
      scale = 1;
    } else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      scale = 1e3L;
    } else if (unit == "ms") {
      scale = 1e6L;
    } else if (unit == "s") {
      scale = 1e9L;
    } else if (unit == "m") {
      scale = 60e9L;
    } else if (unit == "h") {
      scale = 3600e9L;
    } else {
      return unit.empty()
                 ? InvalidArgumentError("missing unit in duration \"" + s + "\"")
                 : InvalidArgumentError("unknown unit \"" + unit + "\" in duration \"" + s + "\"");
    }
    total += v * scale;
  }
  return sign * total;
}

Result<Time> TimeArg(const CallArgs& args, size_t i) {
  Result<Time> t = ParseRfc3339(args[i].AsString());
  if (!t.ok()) {
    return args.ArgError(i, t.status().message());
  }
  return t;
}

}  // namespace

void RegisterTimeFunctions(FunctionTable& t) {
  Def(t, "formatdate", {P("format", kS), P("time", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(Time tm, TimeArg(args, 1));
        ASSIGN_OR_RETURN(std::string s, FormatDate(args[0].AsString(), tm));
        return Str(s);
      });
  Def(t, "timeadd", {P("timestamp", kS), P("duration", kS)}, std::nullopt, kS,
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(Time tm, TimeArg(args, 0));
        Result<long double> d = ParseDuration(args[1].AsString());
        if (!d.ok()) {
          return args.ArgError(1, d.status().message());
        }
        long double total = static_cast<long double>(tm.nanos) + *d;
        int64_t secs = static_cast<int64_t>(std::floor(total / 1e9L));
        tm.unix += secs;
        tm.nanos = static_cast<int64_t>(total - static_cast<long double>(secs) * 1e9L);
        return Str(FormatTime(tm));
      });
  Def(t, "timecmp", {P("timestamp_a", kS), P("timestamp_b", kS)}, std::nullopt, Type::Number(),
      [](const CallArgs& args) -> Result<Value> {
        ASSIGN_OR_RETURN(Time a, TimeArg(args, 0));
        ASSIGN_OR_RETURN(Time b, TimeArg(args, 1));
        if (a.unix != b.unix) {
          return Value::Num(a.unix < b.unix ? -1 : 1);
        }
        return Value::Num(a.nanos == b.nanos ? 0 : (a.nanos < b.nanos ? -1 : 1));
      });
  Def(t, "plantimestamp", {}, std::nullopt, kS, [](const CallArgs& args) -> Result<Value> {
    if (args.ctx().clock == nullptr) {
      return InvalidArgumentError("no clock is available");
    }
    return Str(FormatRfc3339(args.ctx().clock->Now()));
  });
}

}  // namespace cf::hcl
