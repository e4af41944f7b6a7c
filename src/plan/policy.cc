#include "plan/policy.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "base/strings.h"

namespace cf::plan {

namespace {

using graph::ResourceInstance;

// Drops every resource that another, wider pattern in the set already covers.
std::vector<std::string> Simplify(const std::set<std::string>& resources) {
  if (resources.count("*") > 0) {
    return {"*"};
  }
  std::vector<std::string> out;
  for (const std::string& r : resources) {
    bool covered = false;
    for (const std::string& other : resources) {
      if (other != r && other.find_first_of("*?") != std::string::npos && GlobMatch(other, r) &&
          !(GlobMatch(r, other) && r < other)) {
        covered = true;
        break;
      }
    }
    if (!covered) {
      out.push_back(r);
    }
  }
  return out;
}

std::string ServiceOf(const std::string& action) {
  return action.substr(0, action.find(':'));
}

std::string SidPrefix(const std::string& service) {
  std::string out;
  bool upper = true;
  for (char c : service) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

nlohmann::ordered_json StatementJson(const PolicyStatement& s) {
  nlohmann::ordered_json j;
  j["Sid"] = s.sid;
  j["Effect"] = "Allow";
  j["Action"] = s.actions;
  j["Resource"] = s.resources;
  if (!s.passed_to_service.empty()) {
    j["Condition"]["StringEquals"]["iam:PassedToService"] = s.passed_to_service;
  }
  return j;
}

size_t MinifiedSize(const std::vector<PolicyStatement>& statements) {
  return RenderPolicyDocument(statements, false).size();
}

struct Group {
  std::string service;
  std::string passed_to_service;
  std::vector<std::string> resources;
  std::vector<std::string> actions;
};

// Splits a group whose statement alone would not fit in a document: resources first, then
// actions.
void SplitToFit(const Group& group, size_t max_chars, std::vector<Group>& out) {
  PolicyStatement probe{"X" + SidPrefix(group.service) + "Scoped999", group.actions,
                        group.resources, group.passed_to_service};
  if (MinifiedSize({probe}) <= max_chars ||
      (group.resources.size() <= 1 && group.actions.size() <= 1)) {
    out.push_back(group);
    return;
  }
  Group a = group;
  Group b = group;
  if (group.resources.size() > 1) {
    size_t half = group.resources.size() / 2;
    a.resources.assign(group.resources.begin(), group.resources.begin() + half);
    b.resources.assign(group.resources.begin() + half, group.resources.end());
  } else {
    size_t half = group.actions.size() / 2;
    a.actions.assign(group.actions.begin(), group.actions.begin() + half);
    b.actions.assign(group.actions.begin() + half, group.actions.end());
  }
  SplitToFit(a, max_chars, out);
  SplitToFit(b, max_chars, out);
}

}  // namespace

provider::ArnContext ArnContextFor(const graph::DesiredState& desired,
                                   const PolicyOptions& options) {
  provider::ArnContext context;
  const std::string& region = desired.config.provider.region;
  if (!region.empty()) {
    context.region = region;
    if (region.rfind("cn-", 0) == 0) {
      context.partition = "aws-cn";
    } else if (region.rfind("us-gov-", 0) == 0) {
      context.partition = "aws-us-gov";
    }
  }
  if (!options.account.empty()) {
    context.account = options.account;
    return context;
  }
  for (const graph::Expansion& expansion : desired.modules) {
    for (const ResourceInstance& instance : expansion.instances) {
      if (instance.mode != graph::ResourceMode::kData || instance.type != "aws_caller_identity" ||
          !instance.values.IsKnown() || !instance.values.type().IsMapping()) {
        continue;
      }
      hcl::Value account = instance.values.GetAttr("account_id");
      if (account.IsKnown() && !account.IsNull() &&
          account.type().kind() == hcl::TypeKind::kString) {
        context.account = account.AsString();
        return context;
      }
    }
  }
  return context;
}

std::string RenderPolicyDocument(const std::vector<PolicyStatement>& statements, bool pretty) {
  nlohmann::ordered_json doc;
  doc["Version"] = "2012-10-17";
  doc["Statement"] = nlohmann::ordered_json::array();
  for (const PolicyStatement& s : statements) {
    doc["Statement"].push_back(StatementJson(s));
  }
  return pretty ? doc.dump(2) : doc.dump();
}

Policy LeastPrivilegePolicy(const graph::DesiredState& desired, const PolicyOptions& options) {
  provider::ArnContext context = ArnContextFor(desired, options);
  std::map<std::string, const ResourceInstance*, std::less<>> by_address;
  for (const graph::Expansion& expansion : desired.modules) {
    for (const ResourceInstance& instance : expansion.instances) {
      by_address.emplace(instance.Address(), &instance);
    }
  }
  provider::InstanceLookup lookup = [&by_address](std::string_view address) {
    auto it = by_address.find(address);
    return it == by_address.end() ? nullptr : it->second;
  };

  Policy policy;
  std::set<std::string> uncovered;
  // (action, service a role is passed to) -> resources.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> resources_of;
  for (const auto& [address, instance] : by_address) {
    if (!provider::IamActionsKnown(instance->mode, instance->type)) {
      uncovered.insert((instance->mode == graph::ResourceMode::kData ? "data." : "") +
                       instance->type);
      continue;
    }
    for (const provider::IamGrant& grant : provider::IamGrantsFor(*instance, context, lookup)) {
      for (const std::string& action : grant.actions) {
        resources_of[{action, grant.passed_to_service}].insert(grant.resources.begin(),
                                                               grant.resources.end());
      }
    }
  }
  policy.uncovered_types.assign(uncovered.begin(), uncovered.end());

  // (service, passed-to service, resources) -> actions.
  std::map<std::tuple<std::string, std::string, std::vector<std::string>>, std::set<std::string>>
      grouped;
  for (const auto& [key, resources] : resources_of) {
    const auto& [action, passed_to] = key;
    grouped[{ServiceOf(action), passed_to, Simplify(resources)}].insert(action);
  }
  std::vector<Group> groups;
  for (const auto& [key, actions] : grouped) {
    const auto& [service, passed_to, resources] = key;
    groups.push_back({service, passed_to, resources, {actions.begin(), actions.end()}});
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    if (a.service != b.service) {
      return a.service < b.service;
    }
    if (a.passed_to_service != b.passed_to_service) {
      return a.passed_to_service < b.passed_to_service;
    }
    bool a_any = a.resources == std::vector<std::string>{"*"};
    bool b_any = b.resources == std::vector<std::string>{"*"};
    if (a_any != b_any) {
      return a_any;
    }
    return a.resources < b.resources;
  });
  std::vector<Group> fitted;
  for (const Group& group : groups) {
    SplitToFit(group, options.max_document_chars, fitted);
  }

  // Sids: the service, then "PassTo" and the receiving service for a pinned PassRole, "Any"
  // (numbered when split) or "Scoped" and a number.
  std::vector<PolicyStatement> statements;
  std::map<std::string, int> any_total;
  std::map<std::string, int> pass_total;
  for (const Group& group : fitted) {
    if (!group.passed_to_service.empty()) {
      pass_total[group.passed_to_service]++;
    } else if (group.resources == std::vector<std::string>{"*"}) {
      any_total[group.service]++;
    }
  }
  std::map<std::string, int> any_seen;
  std::map<std::string, int> scoped_seen;
  std::map<std::string, int> pass_seen;
  for (const Group& group : fitted) {
    std::string sid = SidPrefix(group.service);
    if (!group.passed_to_service.empty()) {
      const std::string& to = group.passed_to_service;
      sid += "PassTo" + SidPrefix(to.substr(0, to.find('.')));
      if (pass_total[to] > 1) {
        sid += std::to_string(++pass_seen[to]);
      }
    } else if (group.resources == std::vector<std::string>{"*"}) {
      sid += "Any";
      if (any_total[group.service] > 1) {
        sid += std::to_string(++any_seen[group.service]);
      }
    } else {
      sid += "Scoped" + std::to_string(++scoped_seen[group.service]);
    }
    statements.push_back({sid, group.actions, group.resources, group.passed_to_service});
  }

  // A document's minified size is its empty form, each statement, and a comma between two.
  const size_t empty_size = MinifiedSize({});
  std::vector<PolicyStatement> current;
  size_t current_size = empty_size;
  for (PolicyStatement& statement : statements) {
    size_t size = StatementJson(statement).dump().size();
    size_t grown = current_size + size + (current.empty() ? 0 : 1);
    if (!current.empty() && grown > options.max_document_chars) {
      policy.documents.push_back(std::move(current));
      current.clear();
      grown = empty_size + size;
    }
    current.push_back(std::move(statement));
    current_size = grown;
  }
  if (!current.empty()) {
    policy.documents.push_back(std::move(current));
  }
  return policy;
}

}  // namespace cf::plan
