#include "cloud/events/schedule.h"

#include <cctype>
#include <ctime>
#include <map>
#include <sstream>

namespace cf::cloud::events {

namespace {

Status Invalid() {
  return InvalidArgumentError("Parameter ScheduleExpression is not valid.");
}

bool Number(const std::string& s, int& out) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  out = std::stoi(s);
  return true;
}

// One cron field into `allowed` (indexes min..max). Names (JAN, SUN) are accepted.
bool Field(std::string text, int min, int max, std::vector<bool>& allowed, bool& any,
           const std::map<std::string, int>& names) {
  allowed.assign(static_cast<size_t>(max + 1), false);
  any = text == "*" || text == "?";
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    int step = 1;
    if (size_t slash = part.find('/'); slash != std::string::npos) {
      if (!Number(part.substr(slash + 1), step) || step < 1) {
        return false;
      }
      part = part.substr(0, slash);
    }
    int lo = min, hi = max;
    auto value = [&](const std::string& s, int& out) {
      std::string upper;
      for (char c : s) {
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      }
      if (auto it = names.find(upper); it != names.end()) {
        out = it->second;
        return true;
      }
      return Number(s, out);
    };
    if (part == "*" || part == "?") {
      // the whole range
    } else if (size_t dash = part.find('-'); dash != std::string::npos) {
      if (!value(part.substr(0, dash), lo) || !value(part.substr(dash + 1), hi)) {
        return false;
      }
    } else {
      if (!value(part, lo)) {
        return false;
      }
      hi = part.find('/') == std::string::npos && step == 1 ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) {
      return false;
    }
    for (int v = lo; v <= hi; v += step) {
      allowed[static_cast<size_t>(v)] = true;
    }
  }
  return true;
}

}  // namespace

Result<Schedule> Schedule::Parse(const std::string& text) {
  Schedule s;
  auto inner = [&](const char* prefix) -> std::optional<std::string> {
    std::string p = prefix;
    if (text.rfind(p + "(", 0) == 0 && text.size() > p.size() + 2 && text.back() == ')') {
      return text.substr(p.size() + 1, text.size() - p.size() - 2);
    }
    return std::nullopt;
  };
  if (auto body = inner("rate")) {
    std::stringstream in(*body);
    std::string n_text, unit, extra;
    in >> n_text >> unit;
    int n = 0;
    if (!Number(n_text, n) || n < 1 || (in >> extra)) {
      return Invalid();
    }
    static const std::map<std::string, int64_t> kUnits = {{"minute", 60}, {"minutes", 60},
                                                          {"hour", 3600}, {"hours", 3600},
                                                          {"day", 86400}, {"days", 86400}};
    auto it = kUnits.find(unit);
    if (it == kUnits.end() || (n == 1) != (unit.back() != 's')) {
      return Invalid();
    }
    s.rate_ = std::chrono::seconds(n * it->second);
    return s;
  }
  if (auto body = inner("cron")) {
    std::stringstream in(*body);
    std::vector<std::string> fields;
    std::string f;
    while (in >> f) {
      fields.push_back(f);
    }
    if (fields.size() != 6) {
      return Invalid();
    }
    for (const std::string& field : fields) {
      if (field.find_first_of("LW#") != std::string::npos) {
        return Invalid();
      }
    }
    // Exactly one of day-of-month and day-of-week is '?'.
    if ((fields[2] == "?") == (fields[4] == "?")) {
      return Invalid();
    }
    static const std::map<std::string, int> kNone;
    static const std::map<std::string, int> kMonths = {
        {"JAN", 1}, {"FEB", 2}, {"MAR", 3}, {"APR", 4},  {"MAY", 5},  {"JUN", 6},
        {"JUL", 7}, {"AUG", 8}, {"SEP", 9}, {"OCT", 10}, {"NOV", 11}, {"DEC", 12}};
    static const std::map<std::string, int> kDays = {{"SUN", 1}, {"MON", 2}, {"TUE", 3}, {"WED", 4},
                                                     {"THU", 5}, {"FRI", 6}, {"SAT", 7}};
    const int mins[] = {0, 0, 1, 1, 1, 1970};
    const int maxs[] = {59, 23, 31, 12, 7, 2199};
    s.allowed_.resize(6);
    bool any = false;
    for (size_t i = 0; i < 6; ++i) {
      const auto& names = i == 3 ? kMonths : i == 4 ? kDays : kNone;
      if (!Field(fields[i], mins[i], maxs[i], s.allowed_[i], any, names)) {
        return Invalid();
      }
      if (i == 2) {
        s.dom_any_ = any;
      } else if (i == 4) {
        s.dow_any_ = any;
      }
    }
    return s;
  }
  return Invalid();
}

std::chrono::system_clock::time_point Schedule::Next(
    std::chrono::system_clock::time_point anchor,
    std::chrono::system_clock::time_point after) const {
  using std::chrono::system_clock;
  if (is_rate()) {
    if (after < anchor) {
      return anchor + rate_;
    }
    auto periods = (after - anchor) / rate_ + 1;
    return anchor + periods * rate_;
  }
  // Minute by minute (bounded: 5 years of minutes at most... skip whole days that cannot match).
  auto t = std::chrono::time_point_cast<std::chrono::minutes>(after) + std::chrono::minutes(1);
  for (int guard = 0; guard < 5 * 366 * 24 * 60; ++guard) {
    std::time_t tt = system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    bool day_ok;
    bool dom = allowed_[2][static_cast<size_t>(tm.tm_mday)];
    bool dow = allowed_[4][static_cast<size_t>(tm.tm_wday + 1)];
    day_ok = dom_any_ ? dow : (dow_any_ ? dom : dom && dow);
    if (!allowed_[5][static_cast<size_t>(std::min(tm.tm_year + 1900, 2199))] ||
        !allowed_[3][static_cast<size_t>(tm.tm_mon + 1)] || !day_ok) {
      // Jump to the next day.
      t += std::chrono::minutes((23 - tm.tm_hour) * 60 + (60 - tm.tm_min));
      continue;
    }
    if (!allowed_[1][static_cast<size_t>(tm.tm_hour)]) {
      t += std::chrono::minutes(60 - tm.tm_min);
      continue;
    }
    if (allowed_[0][static_cast<size_t>(tm.tm_min)]) {
      return t;
    }
    t += std::chrono::minutes(1);
  }
  return system_clock::time_point::max();
}

}  // namespace cf::cloud::events
