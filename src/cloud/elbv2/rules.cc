#include "cloud/elbv2/rules.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

namespace cf::cloud::elbv2 {

namespace {

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

std::string HostWithoutPort(const std::string& host) {
  size_t colon = host.rfind(':');
  if (colon != std::string::npos && host.find(']') == std::string::npos) {
    return host.substr(0, colon);
  }
  return host;
}

// The Values of a condition: its typed config's Values, else the legacy Values member.
std::vector<std::string> ValuesOf(const Json& condition, const char* config) {
  std::vector<std::string> values;
  const Json* list = nullptr;
  if (condition.contains(config) && condition[config].contains("Values")) {
    list = &condition[config]["Values"];
  } else if (condition.contains("Values")) {
    list = &condition["Values"];
  }
  if (list != nullptr && list->is_array()) {
    for (const Json& v : *list) {
      if (v.is_string()) {
        values.push_back(v.get<std::string>());
      }
    }
  }
  return values;
}

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else if (text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> QueryPairs(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    size_t amp = query.find('&', start);
    std::string item =
        query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!item.empty()) {
      size_t eq = item.find('=');
      if (eq == std::string::npos) {
        pairs.push_back({PercentDecode(item), ""});
      } else {
        pairs.push_back({PercentDecode(item.substr(0, eq)), PercentDecode(item.substr(eq + 1))});
      }
    }
    if (amp == std::string::npos) {
      break;
    }
    start = amp + 1;
  }
  return pairs;
}

std::optional<uint32_t> ParseIpv4(const std::string& text) {
  uint32_t value = 0;
  int parts = 0;
  size_t i = 0;
  while (parts < 4) {
    size_t start = i;
    uint32_t part = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i - start < 3) {
      part = part * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
    }
    if (i == start || part > 255) {
      return std::nullopt;
    }
    value = (value << 8) | part;
    ++parts;
    if (parts < 4) {
      if (i >= text.size() || text[i] != '.') {
        return std::nullopt;
      }
      ++i;
    }
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  return value;
}

bool CidrContains(const std::string& cidr, const std::string& ip) {
  size_t slash = cidr.find('/');
  if (slash == std::string::npos) {
    return false;
  }
  std::optional<uint32_t> base = ParseIpv4(cidr.substr(0, slash));
  std::optional<uint32_t> address = ParseIpv4(ip);
  int bits = std::atoi(cidr.c_str() + slash + 1);
  if (!base || !address || bits < 0 || bits > 32) {
    return false;
  }
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (*base & mask) == (*address & mask);
}

bool ConditionMatches(const Json& condition, const RequestFacts& request) {
  std::string field = condition.value("Field", "");
  if (field == "host-header") {
    std::string host = HostWithoutPort(request.host);
    for (const std::string& v : ValuesOf(condition, "HostHeaderConfig")) {
      if (WildcardMatch(v, host, true)) {
        return true;
      }
    }
    return false;
  }
  if (field == "path-pattern") {
    for (const std::string& v : ValuesOf(condition, "PathPatternConfig")) {
      if (WildcardMatch(v, request.path, false)) {
        return true;
      }
    }
    return false;
  }
  if (field == "http-request-method") {
    for (const std::string& v : ValuesOf(condition, "HttpRequestMethodConfig")) {
      if (v == request.method) {
        return true;
      }
    }
    return false;
  }
  if (field == "source-ip") {
    for (const std::string& v : ValuesOf(condition, "SourceIpConfig")) {
      if (CidrContains(v, request.source_ip)) {
        return true;
      }
    }
    return false;
  }
  if (field == "http-header") {
    const Json& config = condition.value("HttpHeaderConfig", Json::object());
    std::string name = config.value("HttpHeaderName", "");
    std::transform(name.begin(), name.end(), name.begin(), Lower);
    for (const auto& [header, value] : request.headers) {
      if (header != name) {
        continue;
      }
      for (const std::string& v : ValuesOf(condition, "HttpHeaderConfig")) {
        if (WildcardMatch(v, value, true)) {
          return true;
        }
      }
    }
    return false;
  }
  if (field == "query-string") {
    const Json& config = condition.value("QueryStringConfig", Json::object());
    std::vector<std::pair<std::string, std::string>> pairs = QueryPairs(request.query);
    for (const Json& wanted : config.value("Values", Json::array())) {
      std::string key = wanted.value("Key", "");
      std::string value = wanted.value("Value", "");
      for (const auto& [k, v] : pairs) {
        if ((key.empty() || WildcardMatch(key, k, true)) && WildcardMatch(value, v, true)) {
          return true;
        }
      }
    }
    return false;
  }
  return false;
}

const char* const kFields[] = {"host-header",         "path-pattern", "http-header",
                               "http-request-method", "query-string", "source-ip"};

}  // namespace

bool WildcardMatch(const std::string& pattern, const std::string& text, bool ignore_case) {
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string::npos;
  size_t mark = 0;
  auto same = [&](char a, char b) { return ignore_case ? Lower(a) == Lower(b) : a == b; };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || same(pattern[p], text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

std::optional<ActionSpec> TerminalAction(const Json& actions, std::string* error) {
  if (!actions.is_array() || actions.empty()) {
    *error = "At least one action must be specified";
    return std::nullopt;
  }
  const Json* chosen = nullptr;
  int64_t chosen_order = -1;
  for (size_t i = 0; i < actions.size(); ++i) {
    const Json& a = actions[i];
    std::string type = a.value("Type", "");
    if (type != "forward" && type != "fixed-response" && type != "redirect") {
      if (type == "authenticate-oidc" || type == "authenticate-cognito") {
        continue;
      }
      *error = fmt::format("Action type '{}' is not valid", type);
      return std::nullopt;
    }
    int64_t order = a.value("Order", static_cast<int64_t>(i + 1));
    if (chosen == nullptr || order > chosen_order) {
      chosen = &a;
      chosen_order = order;
    }
  }
  if (chosen == nullptr) {
    *error = "The last action must be one of forward, fixed-response or redirect";
    return std::nullopt;
  }
  ActionSpec spec;
  std::string type = chosen->value("Type", "");
  if (type == "forward") {
    spec.type = ActionSpec::Type::kForward;
    if (chosen->contains("ForwardConfig") && (*chosen)["ForwardConfig"].contains("TargetGroups")) {
      for (const Json& g : (*chosen)["ForwardConfig"]["TargetGroups"]) {
        spec.target_groups.push_back(
            {g.value("TargetGroupArn", ""), static_cast<int>(g.value("Weight", int64_t{1}))});
      }
    }
    if (spec.target_groups.empty() && chosen->contains("TargetGroupArn")) {
      spec.target_groups.push_back({(*chosen)["TargetGroupArn"].get<std::string>(), 1});
    }
    if (spec.target_groups.empty()) {
      *error = "A target group ARN must be specified for a forward action";
      return std::nullopt;
    }
  } else if (type == "fixed-response") {
    spec.type = ActionSpec::Type::kFixedResponse;
    const Json& config = chosen->value("FixedResponseConfig", Json::object());
    std::string code = config.value("StatusCode", "");
    if (code.size() != 3 || code.find_first_not_of("0123456789") != std::string::npos ||
        !(code[0] == '2' || code[0] == '4' || code[0] == '5')) {
      *error =
          fmt::format("Fixed response status code '{}' is not valid: use 2XX, 4XX or 5XX", code);
      return std::nullopt;
    }
    spec.status = std::stoi(code);
    spec.content_type = config.value("ContentType", "text/plain");
    spec.body = config.value("MessageBody", "");
  } else {
    spec.type = ActionSpec::Type::kRedirect;
    spec.redirect = chosen->value("RedirectConfig", Json::object());
    std::string code = spec.redirect.value("StatusCode", "");
    if (code != "HTTP_301" && code != "HTTP_302") {
      *error = "A redirect action's status code must be HTTP_301 or HTTP_302";
      return std::nullopt;
    }
  }
  return spec;
}

bool ConditionsMatch(const Json& conditions, const RequestFacts& request) {
  for (const Json& condition : conditions) {
    if (!ConditionMatches(condition, request)) {
      return false;
    }
  }
  return true;
}

const ActionSpec& SelectAction(const std::vector<RuleSpec>& rules, const ActionSpec& default_action,
                               const RequestFacts& request) {
  for (const RuleSpec& rule : rules) {
    if (ConditionsMatch(rule.conditions, request)) {
      return rule.action;
    }
  }
  return default_action;
}

std::pair<std::string, int> RedirectTarget(const Json& redirect, const RequestFacts& request) {
  std::string host_only = HostWithoutPort(request.host);
  std::string path = request.path.empty() ? "" : request.path.substr(1);
  auto substitute = [&](std::string text) {
    const std::pair<const char*, std::string> keys[] = {
        {"#{protocol}", request.protocol == "HTTPS" ? "https" : "http"},
        {"#{host}", host_only},
        {"#{port}", std::to_string(request.port)},
        {"#{path}", path},
        {"#{query}", request.query}};
    for (const auto& [key, value] : keys) {
      for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
        text.replace(at, std::string(key).size(), value);
        at += value.size();
      }
    }
    return text;
  };
  std::string protocol = substitute(redirect.value("Protocol", "#{protocol}"));
  std::transform(protocol.begin(), protocol.end(), protocol.begin(), Lower);
  std::string host = substitute(redirect.value("Host", "#{host}"));
  std::string port = substitute(redirect.value("Port", "#{port}"));
  std::string new_path = substitute(redirect.value("Path", "/#{path}"));
  std::string query = substitute(redirect.value("Query", "#{query}"));
  std::string location = protocol + "://" + host;
  if (!((protocol == "http" && port == "80") || (protocol == "https" && port == "443"))) {
    location += ":" + port;
  }
  location += new_path.empty() || new_path[0] != '/' ? "/" + new_path : new_path;
  if (!query.empty()) {
    location += "?" + query;
  }
  int status = redirect.value("StatusCode", "HTTP_302") == "HTTP_301" ? 301 : 302;
  return {location, status};
}

std::string CheckConditions(const Json& conditions) {
  if (!conditions.is_array()) {
    return "Conditions must be a list";
  }
  for (const Json& condition : conditions) {
    std::string field = condition.value("Field", "");
    if (std::find(std::begin(kFields), std::end(kFields), field) == std::end(kFields)) {
      return fmt::format("Condition field '{}' must be one of [{}]", field,
                         "http-header, http-request-method, host-header, path-pattern, "
                         "query-string, source-ip");
    }
    bool has_values = condition.contains("Values") && !condition["Values"].empty();
    for (const char* config : {"HostHeaderConfig", "PathPatternConfig", "HttpHeaderConfig",
                               "HttpRequestMethodConfig", "QueryStringConfig", "SourceIpConfig"}) {
      if (condition.contains(config) && condition[config].contains("Values") &&
          !condition[config]["Values"].empty()) {
        has_values = true;
      }
    }
    if (!has_values) {
      return fmt::format("A condition value must be specified for field '{}'", field);
    }
  }
  return "";
}

}  // namespace cf::cloud::elbv2
