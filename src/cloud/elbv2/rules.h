#pragma once

// What an ALB listener does with one HTTP request: its rules' conditions (host-header,
// path-pattern, http-header, http-request-method, query-string, source-ip), tried in priority
// order, then the default action; and the actions (forward to target groups with weights,
// fixed-response, redirect). Pure functions over the model's JSON shapes (Action,
// RuleCondition), so the control plane validates with the same code the proxy runs.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cf::cloud::elbv2 {

using Json = nlohmann::json;

// The parts of a request that conditions and redirects look at.
struct RequestFacts {
  std::string method;     // "GET"
  std::string host;       // the Host header, port included when the client sent one
  std::string path;       // "/a/b" (no query)
  std::string query;      // "x=1&y=2" (no '?'), still percent-encoded
  std::string source_ip;  // the client's address
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string protocol = "HTTP";                             // the listener's: HTTP or HTTPS
  uint16_t port = 80;                                        // the listener's
};

// The action that ends a request (authenticate-* actions are not run locally).
struct ActionSpec {
  enum class Type { kForward, kFixedResponse, kRedirect };
  Type type = Type::kForward;
  std::vector<std::pair<std::string, int>> target_groups;  // ARN and weight (forward)
  int status = 503;                                        // fixed-response
  std::string content_type;                                // fixed-response
  std::string body;                                        // fixed-response
  Json redirect = Json::object();                          // RedirectActionConfig
};

struct RuleSpec {
  int priority = 0;
  Json conditions = Json::array();  // RuleConditionList
  ActionSpec action;
};

// The terminal action of a model Actions list (the one with the highest Order among
// forward / fixed-response / redirect, as ELB runs them in order); an error message when the
// list has none or is malformed.
std::optional<ActionSpec> TerminalAction(const Json& actions, std::string* error);

// Glob match with '*' (any run) and '?' (one character); case-insensitive when asked.
bool WildcardMatch(const std::string& pattern, const std::string& text, bool ignore_case);

// True when every condition of `conditions` holds for `request`.
bool ConditionsMatch(const Json& conditions, const RequestFacts& request);

// The action for `request`: the first rule (by ascending priority) whose conditions match,
// else `default_action`. `rules` must be sorted by priority.
const ActionSpec& SelectAction(const std::vector<RuleSpec>& rules, const ActionSpec& default_action,
                               const RequestFacts& request);

// The Location of a redirect action for `request` (#{protocol}, #{host}, #{port}, #{path},
// #{query} substituted; default ports omitted) and its status (301 or 302).
std::pair<std::string, int> RedirectTarget(const Json& redirect, const RequestFacts& request);

// Validation of a rule condition list for CreateRule/ModifyRule: an error message, or "".
std::string CheckConditions(const Json& conditions);

}  // namespace cf::cloud::elbv2
