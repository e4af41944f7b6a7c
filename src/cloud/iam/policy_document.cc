#include "cloud/iam/policy_document.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "base/strings.h"

namespace cf::cloud::iam {

namespace {

using Json = nlohmann::json;

constexpr char kSyntax[] = "Syntax errors in policy.";

Status Malformed(std::string message) {
  return InvalidArgumentError(std::move(message));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A string or a non-empty array of strings, as a list; nullopt otherwise.
std::optional<std::vector<std::string>> StringOrList(const Json& value) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
    return out;
  }
  if (!value.is_array() || value.empty()) {
    return std::nullopt;
  }
  for (const Json& item : value) {
    if (!item.is_string()) {
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

bool IsConditionOperator(std::string_view name) {
  static const std::array<std::string_view, 27> kOperators = {"StringEquals",
                                                              "StringNotEquals",
                                                              "StringEqualsIgnoreCase",
                                                              "StringNotEqualsIgnoreCase",
                                                              "StringLike",
                                                              "StringNotLike",
                                                              "NumericEquals",
                                                              "NumericNotEquals",
                                                              "NumericLessThan",
                                                              "NumericLessThanEquals",
                                                              "NumericGreaterThan",
                                                              "NumericGreaterThanEquals",
                                                              "DateEquals",
                                                              "DateNotEquals",
                                                              "DateLessThan",
                                                              "DateLessThanEquals",
                                                              "DateGreaterThan",
                                                              "DateGreaterThanEquals",
                                                              "Bool",
                                                              "BinaryEquals",
                                                              "IpAddress",
                                                              "NotIpAddress",
                                                              "ArnEquals",
                                                              "ArnLike",
                                                              "ArnNotEquals",
                                                              "ArnNotLike",
                                                              "Null"};
  std::string n = Lower(name);
  for (std::string_view prefix : {"foranyvalue:", "forallvalues:"}) {
    if (n.starts_with(prefix)) {
      n = n.substr(prefix.size());
      break;
    }
  }
  if (n.ends_with("ifexists") && n != "nullifexists") {
    n = n.substr(0, n.size() - 8);
  }
  return std::any_of(kOperators.begin(), kOperators.end(),
                     [&](std::string_view op) { return Lower(op) == n; });
}

Status CheckCondition(const Json& condition) {
  if (!condition.is_object()) {
    return Malformed(kSyntax);
  }
  for (const auto& [op, keys] : condition.items()) {
    if (!IsConditionOperator(op)) {
      return Malformed(fmt::format("Invalid Condition type : {}", op));
    }
    if (!keys.is_object() || keys.empty()) {
      return Malformed(kSyntax);
    }
    for (const auto& [key, value] : keys.items()) {
      if (key.empty()) {
        return Malformed(kSyntax);
      }
      auto scalar = [](const Json& v) { return v.is_string() || v.is_number() || v.is_boolean(); };
      if (value.is_array()) {
        if (!std::all_of(value.begin(), value.end(), scalar)) {
          return Malformed(kSyntax);
        }
      } else if (!scalar(value)) {
        return Malformed(kSyntax);
      }
    }
  }
  return OkStatus();
}

bool IsVendorAction(std::string_view action) {
  if (action == "*") {
    return true;
  }
  size_t colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == action.size()) {
    return false;
  }
  return std::all_of(action.begin(), action.begin() + static_cast<std::ptrdiff_t>(colon),
                     [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

Status CheckActions(const Json& value, PolicyKind kind) {
  std::optional<std::vector<std::string>> actions = StringOrList(value);
  if (!actions) {
    if (value.is_array() && value.empty()) {
      return Malformed("Policy statement must contain actions.");
    }
    return Malformed(kSyntax);
  }
  for (const std::string& action : *actions) {
    if (!IsVendorAction(action)) {
      return Malformed(
          "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
    }
    if (kind == PolicyKind::kTrust && action != "*" && !Lower(action).starts_with("sts:")) {
      return Malformed("AssumeRole policy may only specify STS AssumeRole actions.");
    }
  }
  return OkStatus();
}

Status CheckResources(const Json& value) {
  std::optional<std::vector<std::string>> resources = StringOrList(value);
  if (!resources) {
    if (value.is_array() && value.empty()) {
      return Malformed("Policy statement must contain resources.");
    }
    return Malformed(kSyntax);
  }
  for (const std::string& resource : *resources) {
    if (resource == "*") {
      continue;
    }
    // arn:partition:service:region:account:resource
    if (!resource.starts_with("arn:") || std::count(resource.begin(), resource.end(), ':') < 5) {
      return Malformed(fmt::format("Resource {} must be in ARN format or \"*\".", resource));
    }
  }
  return OkStatus();
}

Status CheckPrincipal(const Json& value) {
  if (value.is_string()) {
    if (value.get<std::string>() == "*") {
      return OkStatus();
    }
    return Malformed(fmt::format("Invalid principal in policy: {}", value.dump()));
  }
  if (!value.is_object() || value.empty()) {
    return Malformed(kSyntax);
  }
  for (const auto& [type, ids] : value.items()) {
    if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") {
      return Malformed(fmt::format("Invalid principal in policy: \"{}\"", type));
    }
    std::optional<std::vector<std::string>> list = StringOrList(ids);
    if (!list) {
      return Malformed(kSyntax);
    }
    for (const std::string& id : *list) {
      bool valid = !id.empty() && id.find_first_of(" \t\r\n") == std::string::npos;
      if (type == "AWS") {
        bool account = id.size() == 12 && id.find_first_not_of("0123456789") == std::string::npos;
        valid = id == "*" || account || id.starts_with("arn:aws:iam::") ||
                id.starts_with("arn:aws:sts::");
      } else if (type == "Service") {
        valid = valid && (id == "*" || id.find('.') != std::string::npos);
      }
      if (!valid) {
        return Malformed(fmt::format("Invalid principal in policy: \"{}\":\"{}\"", type, id));
      }
    }
  }
  return OkStatus();
}

Status CheckStatement(const Json& statement, PolicyKind kind, std::set<std::string>& sids) {
  static const std::set<std::string> kKeys = {"Sid",       "Effect",       "Action",
                                              "NotAction", "Resource",     "NotResource",
                                              "Principal", "NotPrincipal", "Condition"};
  if (!statement.is_object()) {
    return Malformed(kSyntax);
  }
  for (const auto& [key, value] : statement.items()) {
    if (!kKeys.contains(key)) {
      return Malformed(kSyntax);
    }
  }
  if (statement.contains("Sid")) {
    const Json& sid = statement["Sid"];
    if (!sid.is_string()) {
      return Malformed(kSyntax);
    }
    std::string s = sid.get<std::string>();
    if (kind == PolicyKind::kIdentity &&
        !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c); })) {
      return Malformed(
          "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
          "regular expression [0-9A-Za-z]*");
    }
    if (!s.empty() && !sids.insert(s).second) {
      return Malformed("Statement IDs (SID) in a single policy must be unique.");
    }
  }
  if (!statement.contains("Effect")) {
    return Malformed("Missing required field Effect");
  }
  const Json& effect = statement["Effect"];
  // IAM answers a wrong Effect (even "allow") with its legacy parser's message.
  if (!effect.is_string() || (effect != "Allow" && effect != "Deny")) {
    return Malformed("The policy failed legacy parsing");
  }

  if (kind == PolicyKind::kTrust) {
    for (const char* prohibited : {"Resource", "NotResource"}) {
      if (statement.contains(prohibited)) {
        return Malformed(fmt::format("Has prohibited field {}", prohibited));
      }
    }
  }

  bool action = statement.contains("Action");
  bool not_action = statement.contains("NotAction");
  if (action && not_action) {
    return Malformed(kSyntax);
  }
  if (!action && !not_action) {
    return Malformed("Policy statement must contain actions.");
  }
  RETURN_IF_ERROR(CheckActions(statement[action ? "Action" : "NotAction"], kind));

  bool resource = statement.contains("Resource");
  bool not_resource = statement.contains("NotResource");
  bool principal = statement.contains("Principal");
  bool not_principal = statement.contains("NotPrincipal");
  if (kind == PolicyKind::kIdentity) {
    if (principal || not_principal) {
      return Malformed("Policy document should not specify a principal.");
    }
    if (resource && not_resource) {
      return Malformed(kSyntax);
    }
    if (!resource && !not_resource) {
      return Malformed("Policy statement must contain resources.");
    }
    RETURN_IF_ERROR(CheckResources(statement[resource ? "Resource" : "NotResource"]));
  } else {
    if (principal && not_principal) {
      return Malformed(kSyntax);
    }
    if (!principal && !not_principal) {
      // IAM's own words for this case.
      return Malformed(
          "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The "
          "passed in policy has a statement with no principals!");
    }
    RETURN_IF_ERROR(CheckPrincipal(statement[principal ? "Principal" : "NotPrincipal"]));
  }
  if (statement.contains("Condition")) {
    RETURN_IF_ERROR(CheckCondition(statement["Condition"]));
  }
  return OkStatus();
}

// The statements of a parsed document as a list (empty when the shape is wrong).
std::vector<Json> Statements(const Json& doc) {
  std::vector<Json> out;
  if (!doc.is_object() || !doc.contains("Statement")) {
    return out;
  }
  const Json& statement = doc["Statement"];
  if (statement.is_object()) {
    out.push_back(statement);
  } else if (statement.is_array()) {
    for (const Json& s : statement) {
      out.push_back(s);
    }
  }
  return out;
}

bool AnyMatches(const std::vector<std::string>& patterns, std::string_view value,
                bool case_insensitive) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return GlobMatch(p, value, case_insensitive); });
}

bool StatementCoversAction(const Json& statement, std::string_view action) {
  if (statement.contains("Action")) {
    auto actions = StringOrList(statement["Action"]);
    return actions && AnyMatches(*actions, action, true);
  }
  if (statement.contains("NotAction")) {
    auto actions = StringOrList(statement["NotAction"]);
    return actions && !AnyMatches(*actions, action, true);
  }
  return false;
}

// The ARN of the role behind an assumed-role session ARN
// ("arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION"), or "" for other callers.
std::string SessionRoleArn(std::string_view caller_arn) {
  constexpr std::string_view kPrefix = "arn:aws:sts::";
  if (!caller_arn.starts_with(kPrefix)) {
    return "";
  }
  std::string_view rest = caller_arn.substr(kPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return "";
  }
  std::string_view account = rest.substr(0, colon);
  std::string_view resource = rest.substr(colon + 1);
  if (!resource.starts_with("assumed-role/")) {
    return "";
  }
  resource.remove_prefix(13);
  size_t slash = resource.find('/');
  std::string_view role = resource.substr(0, slash);
  return fmt::format("arn:aws:iam::{}:role/{}", account, role);
}

bool PrincipalMatches(const Json& principal, std::string_view caller_arn,
                      std::string_view caller_account) {
  if (principal.is_string()) {
    return principal.get<std::string>() == "*";
  }
  if (!principal.is_object() || !principal.contains("AWS")) {
    return false;
  }
  auto ids = StringOrList(principal["AWS"]);
  if (!ids) {
    return false;
  }
  std::string root = fmt::format("arn:aws:iam::{}:root", caller_account);
  std::string role = SessionRoleArn(caller_arn);
  for (const std::string& id : *ids) {
    if (id == "*" || id == caller_account || id == root || id == caller_arn ||
        (!role.empty() && id == role)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Status ValidatePolicyDocument(std::string_view text, PolicyKind kind) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Malformed(kSyntax);
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "Version" && key != "Id" && key != "Statement") {
      return Malformed(kSyntax);
    }
  }
  if (doc.contains("Version")) {
    const Json& version = doc["Version"];
    if (!version.is_string() || (version != "2012-10-17" && version != "2008-10-17")) {
      return Malformed("The policy failed legacy parsing");
    }
  }
  if (doc.contains("Id") && !doc["Id"].is_string()) {
    return Malformed(kSyntax);
  }
  if (!doc.contains("Statement")) {
    return Malformed(kSyntax);
  }
  const Json& statement = doc["Statement"];
  if (!statement.is_object() && (!statement.is_array() || statement.empty())) {
    return Malformed(kSyntax);
  }
  std::set<std::string> sids;
  for (const Json& s : Statements(doc)) {
    RETURN_IF_ERROR(CheckStatement(s, kind, sids));
  }
  return OkStatus();
}

size_t PolicySize(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](unsigned char c) { return !std::isspace(c); }));
}

std::string UrlEncodeDocument(std::string_view text) {
  return PercentEncode(text);
}

bool TrustPolicyAllows(std::string_view text, std::string_view action, std::string_view caller_arn,
                       std::string_view caller_account) {
  if (!ValidatePolicyDocument(text, PolicyKind::kTrust).ok()) {
    return false;
  }
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  bool allowed = false;
  for (const Json& statement : Statements(doc)) {
    if (!StatementCoversAction(statement, action)) {
      continue;
    }
    bool matches = false;
    if (statement.contains("Principal")) {
      matches = PrincipalMatches(statement["Principal"], caller_arn, caller_account);
    } else if (statement.contains("NotPrincipal")) {
      matches = !PrincipalMatches(statement["NotPrincipal"], caller_arn, caller_account);
    }
    if (!matches) {
      continue;
    }
    if (statement["Effect"] == "Deny") {
      return false;
    }
    allowed = true;
  }
  return allowed;
}

}  // namespace cf::cloud::iam
