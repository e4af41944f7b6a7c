#include "provider/iam_actions.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "provider/iam_actions_table.h"

namespace cf::provider {

namespace {

using graph::ResourceInstance;
using graph::ResourceMode;

struct Scope {
  std::string pattern;  // "*" or an ARN pattern
  std::vector<std::string> actions;
};

struct TypeEntry {
  std::vector<Scope> scopes;
  std::vector<std::string> passrole_attributes;
  std::string passed_to_service;  // passto=SERVICE
};

using Table = std::map<std::pair<ResourceMode, std::string>, TypeEntry, std::less<>>;

[[noreturn]] void TableBug(const std::string& line, const char* why) {
  std::fprintf(stderr, "iam_actions_table.cc: %s: %s\n", why, line.c_str());
  std::abort();
}

const Table& ParsedTable() {
  static const Table kTable = [] {
    Table table;
    std::istringstream in{std::string(IamActionsTable())};
    std::string line;
    TypeEntry* current = nullptr;
    while (std::getline(in, line)) {
      if (line.empty()) {
        continue;
      }
      std::istringstream words(line);
      std::vector<std::string> tokens;
      for (std::string w; words >> w;) {
        tokens.push_back(w);
      }
      if (line[0] != ' ') {
        if (tokens.size() < 2 || (tokens[0] != "resource" && tokens[0] != "data")) {
          TableBug(line, "expected 'resource TYPE' or 'data TYPE'");
        }
        ResourceMode mode = tokens[0] == "data" ? ResourceMode::kData : ResourceMode::kManaged;
        auto [it, inserted] = table.emplace(std::make_pair(mode, tokens[1]), TypeEntry{});
        if (!inserted) {
          TableBug(line, "type listed twice");
        }
        current = &it->second;
        for (size_t i = 2; i < tokens.size(); ++i) {
          if (tokens[i].rfind("passto=", 0) == 0) {
            current->passed_to_service = tokens[i].substr(7);
            continue;
          }
          if (tokens[i].rfind("passrole=", 0) != 0) {
            TableBug(line, "unknown option");
          }
          std::istringstream attrs(tokens[i].substr(9));
          for (std::string a; std::getline(attrs, a, ',');) {
            current->passrole_attributes.push_back(a);
          }
        }
        continue;
      }
      if (current == nullptr || tokens.size() < 2) {
        TableBug(line, "a scope needs a resource and actions, under a type");
      }
      Scope scope{tokens[0], {tokens.begin() + 1, tokens.end()}};
      for (const std::string& action : scope.actions) {
        if (action.find(':') == std::string::npos) {
          TableBug(line, "an action is service:Name");
        }
      }
      current->scopes.push_back(std::move(scope));
    }
    return table;
  }();
  return kTable;
}

const TypeEntry* Find(ResourceMode mode, std::string_view type) {
  const Table& table = ParsedTable();
  auto it = table.find(std::make_pair(mode, std::string(type)));
  return it == table.end() ? nullptr : &it->second;
}

bool IsAwsType(std::string_view type) {
  return type.rfind("aws_", 0) == 0;
}

std::optional<std::string> KnownString(const hcl::Value& object, const std::string& name) {
  if (!object.IsKnown() || object.IsNull() || !object.type().IsMapping()) {
    return std::nullopt;
  }
  hcl::Value v = object.GetAttr(name);
  if (!v.IsKnown() || v.IsNull() || v.type().kind() != hcl::TypeKind::kString) {
    return std::nullopt;
  }
  return v.AsString();
}

bool IsSet(const hcl::Value& object, const std::string& name) {
  if (!object.IsKnown() || object.IsNull() || !object.type().IsMapping()) {
    return false;
  }
  hcl::Value v = object.GetAttr(name);
  if (v.IsNull()) {
    return false;
  }
  if (v.IsKnown() && v.type().IsSequence() && v.Length() == 0) {
    return false;  // an empty nested block list
  }
  return true;
}

// The attribute of the first slot other than {p}, {r} and {a} (its first alternative).
std::string FirstAttribute(std::string_view pattern) {
  size_t open = 0;
  while ((open = pattern.find('{', open)) != std::string_view::npos) {
    size_t close = pattern.find('}', open);
    std::string_view name = pattern.substr(open + 1, close - open - 1);
    name = name.substr(0, name.find('|'));
    if (name != "p" && name != "r" && name != "a") {
      return std::string(name);
    }
    open = close;
  }
  return "";
}

// A name attribute: its value or, when it is not set, its `_prefix` form (name_prefix,
// bucket_prefix) followed by "*".
std::optional<std::string> Name(const ResourceInstance& of, const std::string& attr) {
  if (auto v = KnownString(of.values, attr)) {
    return v;
  }
  if (!IsSet(of.values, attr)) {
    if (auto prefix = KnownString(of.values, attr + "_prefix")) {
      return *prefix + "*";
    }
  }
  return std::nullopt;
}

class Resolver {
 public:
  Resolver(const ResourceInstance& instance, const ArnContext& context,
           const InstanceLookup& lookup)
      : instance_(instance), context_(context), lookup_(lookup) {}

  // The instances of `type` that the instance depends on.
  std::vector<const ResourceInstance*> Dependencies(const ResourceInstance& of,
                                                    std::string_view type) const {
    std::vector<const ResourceInstance*> out;
    for (const std::string& address : of.depends_on) {
      const ResourceInstance* dep = lookup_ ? lookup_(address) : nullptr;
      if (dep != nullptr && dep->type == type && dep->mode == ResourceMode::kManaged) {
        out.push_back(dep);
      }
    }
    return out;
  }

  // The values of one {slot} (without braces); {"*"} when nothing resolves.
  std::vector<std::string> SlotValues(std::string_view text) const {
    if (text == "p") {
      return {context_.partition};
    }
    if (text == "r") {
      return {context_.region};
    }
    if (text == "a") {
      return {context_.account};
    }
    size_t start = 0;
    while (start <= text.size()) {
      size_t bar = text.find('|', start);
      std::string_view alternative =
          text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
      std::vector<std::string> values = Alternative(alternative);
      if (!values.empty()) {
        return values;
      }
      if (bar == std::string_view::npos) {
        break;
      }
      start = bar + 1;
    }
    return {"*"};
  }

  // Every ARN the pattern stands for (the product of its slots' values).
  std::vector<std::string> Expand(std::string_view pattern) const {
    std::vector<std::string> out = {""};
    size_t i = 0;
    while (i < pattern.size()) {
      size_t open = pattern.find('{', i);
      if (open == std::string_view::npos) {
        for (std::string& s : out) {
          s += pattern.substr(i);
        }
        break;
      }
      size_t close = pattern.find('}', open);
      std::vector<std::string> values = SlotValues(pattern.substr(open + 1, close - open - 1));
      std::vector<std::string> next;
      for (const std::string& prefix : out) {
        for (const std::string& value : values) {
          next.push_back(prefix + std::string(pattern.substr(i, open - i)) + value);
        }
      }
      out = std::move(next);
      i = close + 1;
    }
    return out;
  }

  // The role ARNs handed over through `attributes`; empty when none is set.
  std::vector<std::string> PassedRoles(const std::vector<std::string>& attributes) const {
    bool any = false;
    std::set<std::string> roles;
    for (const std::string& attribute : attributes) {
      if (!IsSet(instance_.values, attribute)) {
        continue;
      }
      any = true;
      if (auto text = KnownString(instance_.values, attribute)) {
        if (text->rfind("arn:", 0) == 0 && text->find(":role/") != std::string::npos) {
          roles.insert(*text);
        } else if (attribute == "role") {
          roles.insert(RoleArn(*text));
        }
      }
    }
    if (!any) {
      return {};
    }
    // Follow launch template -> instance profile -> role.
    bool through_profile = false;
    std::vector<const ResourceInstance*> frontier = {&instance_};
    for (int depth = 0; depth < 3 && !frontier.empty(); ++depth) {
      std::vector<const ResourceInstance*> next;
      for (const ResourceInstance* node : frontier) {
        for (const ResourceInstance* role : Dependencies(*node, "aws_iam_role")) {
          roles.insert(RoleArn(Name(*role, "name").value_or("*")));
        }
        for (const ResourceInstance* profile : Dependencies(*node, "aws_iam_instance_profile")) {
          through_profile = true;
          next.push_back(profile);
        }
        for (const ResourceInstance* lt : Dependencies(*node, "aws_launch_template")) {
          if (IsSet(lt->values, "iam_instance_profile")) {
            through_profile = true;
            next.push_back(lt);
          }
        }
      }
      frontier = std::move(next);
    }
    if (roles.empty() && (instance_.type != "aws_autoscaling_group" || through_profile)) {
      roles.insert(RoleArn("*"));
    }
    return {roles.begin(), roles.end()};
  }

 private:
  std::string RoleArn(const std::string& name) const {
    return "arn:" + context_.partition + ":iam::" + context_.account + ":role/" + name;
  }

  std::vector<std::string> Alternative(std::string_view text) const {
    if (text.rfind("dep:", 0) == 0) {
      std::string_view rest = text.substr(4);
      size_t dot = rest.find('.');
      std::string type(rest.substr(0, dot));
      std::string attribute(rest.substr(dot + 1));
      std::set<std::string> values;
      for (const ResourceInstance* dep : Dependencies(instance_, type)) {
        if (auto v = Name(*dep, attribute)) {
          values.insert(*v);
        }
      }
      return {values.begin(), values.end()};
    }
    if (auto v = Name(instance_, std::string(text))) {
      return {*v};
    }
    return {};
  }

  const ResourceInstance& instance_;
  const ArnContext& context_;
  const InstanceLookup& lookup_;
};

}  // namespace

bool IamActionsKnown(ResourceMode mode, std::string_view type) {
  return !IsAwsType(type) || Find(mode, type) != nullptr;
}

std::vector<std::string> IamActionsFor(ResourceMode mode, std::string_view type) {
  const TypeEntry* entry = Find(mode, type);
  if (entry == nullptr) {
    return {};
  }
  std::set<std::string> actions;
  for (const Scope& scope : entry->scopes) {
    actions.insert(scope.actions.begin(), scope.actions.end());
  }
  if (!entry->passrole_attributes.empty()) {
    actions.insert("iam:PassRole");
  }
  return {actions.begin(), actions.end()};
}

std::vector<std::string> IamCoveredTypes() {
  std::vector<std::string> out;
  for (const auto& [key, entry] : ParsedTable()) {
    if (key.first == ResourceMode::kManaged) {
      out.push_back(key.second);
    }
  }
  return out;
}

std::vector<IamGrant> IamGrantsFor(const ResourceInstance& instance, const ArnContext& context,
                                   const InstanceLookup& lookup) {
  const TypeEntry* entry = Find(instance.mode, instance.type);
  if (entry == nullptr) {
    return {};
  }
  Resolver resolver(instance, context, lookup);
  std::vector<IamGrant> grants;
  for (const Scope& scope : entry->scopes) {
    std::string_view pattern = scope.pattern;
    if (pattern[0] == '?') {
      pattern.remove_prefix(1);
      if (!IsSet(instance.values, FirstAttribute(pattern))) {
        continue;
      }
    }
    IamGrant grant;
    grant.actions = scope.actions;
    std::sort(grant.actions.begin(), grant.actions.end());
    std::vector<std::string> resources = resolver.Expand(pattern);
    std::sort(resources.begin(), resources.end());
    resources.erase(std::unique(resources.begin(), resources.end()), resources.end());
    grant.resources = std::move(resources);
    grants.push_back(std::move(grant));
  }
  std::vector<std::string> roles = resolver.PassedRoles(entry->passrole_attributes);
  if (!roles.empty()) {
    grants.push_back({{"iam:PassRole"}, std::move(roles), entry->passed_to_service});
  }
  return grants;
}

}  // namespace cf::provider
