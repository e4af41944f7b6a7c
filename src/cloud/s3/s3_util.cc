#include "cloud/s3/s3_util.h"

#include <fmt/core.h>

#include <algorithm>
#include <ctime>

#include "base/strings.h"

namespace cf::cloud::s3 {

namespace {

bool IsLowerOrDigit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<uint64_t> Digits(std::string_view text) {
  if (text.empty() || text.size() > 19) {
    return std::nullopt;
  }
  uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

std::string_view Unquote(std::string_view s) {
  s = Trim(s);
  if (s.substr(0, 2) == "W/") {
    s.remove_prefix(2);
  }
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

}  // namespace

bool IsValidBucketName(std::string_view name) {
  if (name.size() < 3 || name.size() > 63 || !IsLowerOrDigit(name.front()) ||
      !IsLowerOrDigit(name.back()) || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    if (!IsLowerOrDigit(c) && c != '.' && c != '-') {
      return false;
    }
  }
  if (name.substr(0, 4) == "xn--" || name.substr(0, 7) == "sthree-" || EndsWith(name, "-s3alias") ||
      EndsWith(name, "--ol-s3")) {
    return false;
  }
  // Shaped like an IPv4 address: four dot-separated groups of digits.
  int groups = 1;
  bool digits_only = true;
  for (char c : name) {
    if (c == '.') {
      ++groups;
    } else if (c < '0' || c > '9') {
      digits_only = false;
    }
  }
  return !(digits_only && groups == 4);
}

RangeKind ParseRange(std::string_view header, uint64_t size, ByteRange* range) {
  header = Trim(header);
  if (header.substr(0, 6) != "bytes=") {
    return RangeKind::kWhole;
  }
  std::string_view spec = Trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) {
    return RangeKind::kWhole;
  }
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) {
    return RangeKind::kWhole;
  }
  std::string_view first_text = Trim(spec.substr(0, dash));
  std::string_view last_text = Trim(spec.substr(dash + 1));
  if (first_text.empty()) {
    std::optional<uint64_t> suffix = Digits(last_text);
    if (!suffix) {
      return RangeKind::kWhole;
    }
    if (*suffix == 0 || size == 0) {
      return RangeKind::kUnsatisfiable;
    }
    range->first = *suffix >= size ? 0 : size - *suffix;
    range->last = size - 1;
    return RangeKind::kRange;
  }
  std::optional<uint64_t> first = Digits(first_text);
  if (!first) {
    return RangeKind::kWhole;
  }
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    std::optional<uint64_t> parsed = Digits(last_text);
    if (!parsed || *parsed < *first) {
      return RangeKind::kWhole;
    }
    last = std::min(last, *parsed);
  }
  if (*first >= size) {
    return RangeKind::kUnsatisfiable;
  }
  range->first = *first;
  range->last = last;
  return RangeKind::kRange;
}

bool EtagListMatches(std::string_view header, std::string_view etag) {
  std::string_view want = Unquote(etag);
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (item == "*" || (!item.empty() && Unquote(item) == want)) {
      return true;
    }
  }
  return false;
}

ListPage ListKeys(const std::vector<std::string>& keys, const std::string& prefix,
                  const std::string& delimiter, const std::string& marker, int max_keys) {
  ListPage page;
  bool marker_is_prefix = !delimiter.empty() && marker.size() > prefix.size() &&
                          EndsWith(marker, delimiter) &&
                          marker.compare(0, prefix.size(), prefix) == 0;
  int taken = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i];
    if (!marker.empty() && key <= marker) {
      continue;
    }
    if (marker_is_prefix && key.compare(0, marker.size(), marker) == 0) {
      continue;
    }
    std::string rolled;
    if (!delimiter.empty()) {
      size_t at = key.find(delimiter, prefix.size());
      if (at != std::string::npos) {
        rolled = key.substr(0, at + delimiter.size());
      }
    }
    if (!rolled.empty() && !page.common_prefixes.empty() && page.common_prefixes.back() == rolled) {
      continue;
    }
    if (taken >= max_keys) {
      page.truncated = true;
      break;
    }
    ++taken;
    if (rolled.empty()) {
      page.contents.push_back(i);
      page.next_marker = key;
    } else {
      page.common_prefixes.push_back(rolled);
      page.next_marker = rolled;
    }
  }
  if (!page.truncated) {
    page.next_marker.clear();
  }
  return page;
}

bool ParseCopySource(const std::string& source, std::string* bucket, std::string* key) {
  std::string_view text = source;
  if (size_t q = text.find("?versionId="); q != std::string_view::npos) {
    text = text.substr(0, q);
  }
  std::string decoded = PercentDecode(text);
  std::string_view path = decoded;
  if (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == path.size()) {
    return false;
  }
  *bucket = std::string(path.substr(0, slash));
  *key = std::string(path.substr(slash + 1));
  return true;
}

nlohmann::json ParseTaggingHeader(std::string_view text) {
  nlohmann::json tags = nlohmann::json::array();
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string pair(text.substr(0, amp));
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    std::replace(pair.begin(), pair.end(), '+', ' ');
    size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : PercentDecode(pair.substr(eq + 1));
    tags.push_back({{"Key", key}, {"Value", value}});
  }
  return tags;
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  std::string s(Trim(text));
  std::tm tm{};
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y",
        "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.000Z"}) {
    tm = std::tm{};
    const char* end = strptime(s.c_str(), format, &tm);
    if (end != nullptr && *end == '\0') {
      return static_cast<int64_t>(timegm(&tm));
    }
  }
  return std::nullopt;
}

}  // namespace cf::cloud::s3
