// Security groups, the default security group and aws_security_group_rule. Rules are compared
// as sets of atomic rules (one protocol, port range, source and description each), the way
// AWS keeps them, whatever blocks the configuration grouped them in.

#include <fmt/format.h>

#include <set>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

struct Atom {
  std::string protocol;  // "-1", "tcp", "udp", "icmp", or a number
  int64_t from = 0;
  int64_t to = 0;
  std::string kind;  // "cidr", "ipv6", "prefix", "group"
  std::string source;
  std::string description;
  auto operator<=>(const Atom&) const = default;
};

std::string Protocol(const Json& p) {
  std::string s = p.is_string() ? p.get<std::string>() : p.dump();
  if (s == "all" || s == "-1") {
    return "-1";
  }
  if (s == "6") {
    return "tcp";
  }
  if (s == "17") {
    return "udp";
  }
  if (s == "1") {
    return "icmp";
  }
  return s;
}

int64_t Int(const Json& v) {
  if (v.is_number()) {
    return v.get<int64_t>();
  }
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

std::vector<std::string> Strings(const Json& v) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const Json& e : v) {
      if (e.is_string()) {
        out.push_back(e.get<std::string>());
      }
    }
  }
  return out;
}

// The atoms of one Terraform rule (an ingress/egress block or an aws_security_group_rule).
void AtomsOfBlock(const Json& b, const std::string& group_id, const std::string& source_attr,
                  std::set<Atom>& out) {
  Atom base;
  base.protocol = Protocol(b.value("protocol", Json("-1")));
  if (base.protocol != "-1") {
    base.from = Int(b.value("from_port", Json(0)));
    base.to = Int(b.value("to_port", Json(0)));
  }
  base.description = Str(b, "description");
  auto add = [&](std::string kind, std::string source) {
    Atom a = base;
    a.kind = std::move(kind);
    a.source = std::move(source);
    out.insert(a);
  };
  for (const std::string& c : Strings(b.value("cidr_blocks", Json()))) {
    add("cidr", c);
  }
  for (const std::string& c : Strings(b.value("ipv6_cidr_blocks", Json()))) {
    add("ipv6", c);
  }
  for (const std::string& c : Strings(b.value("prefix_list_ids", Json()))) {
    add("prefix", c);
  }
  for (const std::string& g : Strings(b.value("security_groups", Json()))) {
    add("group", g);
  }
  if (!Str(b, source_attr).empty()) {
    add("group", Str(b, source_attr));
  }
  if (b.value("self", false)) {
    add("group", group_id);
  }
}

std::set<Atom> AtomsOfBlocks(const Json& blocks, const std::string& group_id) {
  std::set<Atom> out;
  if (blocks.is_array()) {
    for (const Json& b : blocks) {
      AtomsOfBlock(b, group_id, "", out);
    }
  }
  return out;
}

std::set<Atom> AtomsOfApi(const Json& permissions) {
  std::set<Atom> out;
  for (const Json& p : permissions.is_array() ? permissions : Json::array()) {
    Atom base;
    base.protocol = Protocol(p.value("IpProtocol", Json("-1")));
    if (base.protocol != "-1") {
      base.from = Int(p.value("FromPort", Json(0)));
      base.to = Int(p.value("ToPort", Json(0)));
    }
    auto add = [&](const char* list, const char* member, const char* kind) {
      for (const Json& r : p.value(list, Json::array())) {
        Atom a = base;
        a.kind = kind;
        a.source = Str(r, member);
        a.description = Str(r, "Description");
        out.insert(a);
      }
    };
    add("IpRanges", "CidrIp", "cidr");
    add("Ipv6Ranges", "CidrIpv6", "ipv6");
    add("PrefixListIds", "PrefixListId", "prefix");
    add("UserIdGroupPairs", "GroupId", "group");
  }
  return out;
}

// One entry of DescribeSecurityGroupRules as an atom.
Atom RuleAtom(const Json& r) {
  Atom a;
  a.protocol = Protocol(r.value("IpProtocol", Json("-1")));
  if (a.protocol != "-1") {
    a.from = Int(r.value("FromPort", Json(0)));
    a.to = Int(r.value("ToPort", Json(0)));
  }
  a.description = Str(r, "Description");
  if (r.contains("CidrIpv4")) {
    a.kind = "cidr";
    a.source = Str(r, "CidrIpv4");
  } else if (r.contains("CidrIpv6")) {
    a.kind = "ipv6";
    a.source = Str(r, "CidrIpv6");
  } else if (r.contains("PrefixListId")) {
    a.kind = "prefix";
    a.source = Str(r, "PrefixListId");
  } else {
    a.kind = "group";
    a.source = Str(r.value("ReferencedGroupInfo", Json::object()), "GroupId");
  }
  return a;
}

Json ToPermission(const Atom& a) {
  Json p = {{"IpProtocol", a.protocol}};
  if (a.protocol != "-1") {
    p["FromPort"] = a.from;
    p["ToPort"] = a.to;
  }
  Json r = Json::object();
  if (!a.description.empty()) {
    r["Description"] = a.description;
  }
  if (a.kind == "cidr") {
    r["CidrIp"] = a.source;
    p["IpRanges"] = Json::array({r});
  } else if (a.kind == "ipv6") {
    r["CidrIpv6"] = a.source;
    p["Ipv6Ranges"] = Json::array({r});
  } else if (a.kind == "prefix") {
    r["PrefixListId"] = a.source;
    p["PrefixListIds"] = Json::array({r});
  } else {
    r["GroupId"] = a.source;
    p["UserIdGroupPairs"] = Json::array({r});
  }
  return p;
}

// Rule blocks from atoms: one block per protocol, ports and description.
Json BlocksOfAtoms(const std::set<Atom>& atoms, const std::string& group_id) {
  std::map<std::tuple<std::string, int64_t, int64_t, std::string>, Json> blocks;
  for (const Atom& a : atoms) {
    Json& b = blocks[{a.protocol, a.from, a.to, a.description}];
    if (b.is_null()) {
      b = {{"protocol", a.protocol},
           {"from_port", a.from},
           {"to_port", a.to},
           {"description", a.description},
           {"cidr_blocks", Json::array()},
           {"ipv6_cidr_blocks", Json::array()},
           {"prefix_list_ids", Json::array()},
           {"security_groups", Json::array()},
           {"self", false}};
    }
    if (a.kind == "cidr") {
      b["cidr_blocks"].push_back(a.source);
    } else if (a.kind == "ipv6") {
      b["ipv6_cidr_blocks"].push_back(a.source);
    } else if (a.kind == "prefix") {
      b["prefix_list_ids"].push_back(a.source);
    } else if (a.source == group_id) {
      b["self"] = true;
    } else {
      b["security_groups"].push_back(a.source);
    }
  }
  Json out = Json::array();
  for (auto& [key, b] : blocks) {
    out.push_back(std::move(b));
  }
  return out;
}

Status ChangeAtoms(AwsContext& ctx, const std::string& group_id, bool egress, bool revoke,
                   const std::set<Atom>& atoms) {
  if (atoms.empty()) {
    return OkStatus();
  }
  Json perms = Json::array();
  for (const Atom& a : atoms) {
    perms.push_back(ToPermission(a));
  }
  std::string op = std::string(revoke ? "Revoke" : "Authorize") + "SecurityGroup" +
                   (egress ? "Egress" : "Ingress");
  return ctx.Call("ec2", op, {{"GroupId", group_id}, {"IpPermissions", perms}}).status();
}

std::set<Atom> Minus(const std::set<Atom>& a, const std::set<Atom>& b) {
  std::set<Atom> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

// Makes the group's rules those of config's ingress and egress blocks.
Status SyncRules(AwsContext& ctx, const std::string& group_id, const Json& config) {
  ASSIGN_OR_RETURN(Json out, ctx.Call("ec2", "DescribeSecurityGroups",
                                      {{"Filters", Ec2Filter("group-id", {group_id})}}));
  Json group = GetPath(out, "SecurityGroups[0]");
  for (const auto& [attr, member, egress] : {std::tuple{"ingress", "IpPermissions", false},
                                             std::tuple{"egress", "IpPermissionsEgress", true}}) {
    if (!config.contains(attr)) {
      continue;  // not managed here (aws_security_group_rule may own them)
    }
    std::set<Atom> have = AtomsOfApi(group.value(member, Json::array()));
    std::set<Atom> want = AtomsOfBlocks(config[attr], group_id);
    RETURN_IF_ERROR(ChangeAtoms(ctx, group_id, egress, true, Minus(have, want)));
    RETURN_IF_ERROR(ChangeAtoms(ctx, group_id, egress, false, Minus(want, have)));
  }
  return OkStatus();
}

Status ReadRules(AwsContext& ctx, const Json& prior, Json& state) {
  const Json& item = state["__item"];
  std::string id = Str(state, "id");
  for (const auto& [attr, member] :
       {std::pair{"ingress", "IpPermissions"}, std::pair{"egress", "IpPermissionsEgress"}}) {
    std::set<Atom> have = AtomsOfApi(item.value(member, Json::array()));
    Json prior_blocks = prior.value(attr, Json());
    bool same = prior_blocks.is_array() && AtomsOfBlocks(prior_blocks, id) == have;
    state[attr] = same ? prior_blocks : BlocksOfAtoms(have, id);
  }
  state["arn"] = fmt::format("arn:{}:ec2:{}:{}:security-group/{}", ctx.partition(), ctx.region(),
                             Str(item, "OwnerId"), id);
  return OkStatus();
}

TagSpec GroupTags() {
  TagSpec t;
  t.style = TagSpec::Style::kList;
  t.ec2_resource_type = "security-group";
  t.tag_op = "CreateTags";
  t.tag_params = {{"Resources", {"$id"}}};
  t.untag_op = "DeleteTags";
  t.untag_params = {{"Resources", {"$id"}}};
  return t;
}

void GroupRead(TypeSpec& s) {
  s.read.op = "DescribeSecurityGroups";
  s.read.ids_filter = "group-id";
  s.read.list = "SecurityGroups";
  s.read.item_id = "GroupId";
  s.fields = {
      {.attr = "name", .create = "GroupName", .read = "GroupName"},
      {.attr = "description", .create = "Description", .read = "Description"},
      {.attr = "vpc_id", .create = "VpcId", .read = "VpcId"},
      {.attr = "owner_id", .read = "OwnerId"},
  };
}

TypeSpec SecurityGroup() {
  TypeSpec s;
  s.type = "aws_security_group";
  s.service = "ec2";
  s.tags = GroupTags();
  GroupRead(s);
  s.find_by_tag = true;
  s.force_new = {"name", "name_prefix", "description", "vpc_id"};
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) {
    if (Str(config, "name").empty()) {
      std::string prefix = Str(config, "name_prefix");
      config["name"] = (prefix.empty() ? "terraform-" : prefix) + ref.token.substr(0, 26);
    }
    if (!config.contains("description")) {
      config["description"] = "Managed by Terraform";
    }
    return OkStatus();
  };
  s.create_op = "CreateSecurityGroup";
  s.create_id = "GroupId";
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    Json managed = config;
    if (!managed.contains("ingress")) {
      managed["ingress"] = Json::array();
    }
    if (!managed.contains("egress")) {
      managed["egress"] = Json::array();
    }
    return SyncRules(ctx, state["id"], managed);
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) {
    RETURN_IF_ERROR(ReadRules(ctx, prior, state));
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    if (!state.contains("revoke_rules_on_delete")) {
      state["revoke_rules_on_delete"] = false;
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    return SyncRules(ctx, state["id"], config);
  };
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) {
    if (!state.value("revoke_rules_on_delete", false)) {
      return OkStatus();
    }
    return SyncRules(ctx, state["id"], {{"ingress", Json::array()}, {"egress", Json::array()}});
  };
  s.delete_op = "DeleteSecurityGroup";
  // Until the interfaces of terminated instances and load balancers are gone.
  s.delete_retry_codes = {"DependencyViolation"};
  s.delete_params = {{"GroupId", "$id"}};
  return s;
}

TypeSpec DefaultSecurityGroup() {
  TypeSpec s;
  s.type = "aws_default_security_group";
  s.service = "ec2";
  s.tags = GroupTags();
  GroupRead(s);
  for (Field& f : s.fields) {
    f.create.clear();
  }
  s.force_new = {"vpc_id"};
  s.locate = [](AwsContext& ctx, const Json& config) -> Result<std::string> {
    Json filters = {{{"Name", "group-name"}, {"Values", {"default"}}}};
    if (!Str(config, "vpc_id").empty()) {
      filters.push_back({{"Name", "vpc-id"}, {"Values", {config["vpc_id"]}}});
    }
    ASSIGN_OR_RETURN(Json out, ctx.Call("ec2", "DescribeSecurityGroups", {{"Filters", filters}}));
    std::string id = Str(GetPath(out, "SecurityGroups[0]"), "GroupId");
    if (id.empty()) {
      return NotFoundError("aws_default_security_group: VPC " + Str(config, "vpc_id") +
                           " has no default security group");
    }
    return id;
  };
  // Terraform manages every rule of the default group: the blocks not written mean none.
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    Json managed = config;
    for (const char* attr : {"ingress", "egress"}) {
      if (!managed.contains(attr)) {
        managed[attr] = Json::array();
      }
    }
    return SyncRules(ctx, state["id"], managed);
  };
  s.update = s.after_create;
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) {
    RETURN_IF_ERROR(ReadRules(ctx, prior, state));
    state["name_prefix"] = "";
    if (!state.contains("revoke_rules_on_delete")) {
      state["revoke_rules_on_delete"] = false;
    }
    return OkStatus();
  };
  // Destroying it leaves the group (AWS deletes it with its VPC), as Terraform does.
  return s;
}

uint32_t Fnv(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h = (h ^ c) * 16777619u;
  }
  return h;
}

std::set<Atom> RuleAtoms(const Json& rule) {
  std::set<Atom> out;
  AtomsOfBlock(rule, Str(rule, "security_group_id"), "source_security_group_id", out);
  return out;
}

// The rule's id from what it allows (not its description), like Terraform's sgrule-HASH.
std::string RuleId(const Json& rule) {
  std::string key = Str(rule, "security_group_id") + "|" + Str(rule, "type");
  for (const Atom& a : RuleAtoms(rule)) {
    key += fmt::format("|{}:{}:{}:{}:{}", a.protocol, a.from, a.to, a.kind, a.source);
  }
  return fmt::format("sgrule-{}", Fnv(key));
}

TypeSpec SecurityGroupRule() {
  TypeSpec s;
  s.type = "aws_security_group_rule";
  s.service = "ec2";
  s.force_new = {"type",
                 "security_group_id",
                 "protocol",
                 "from_port",
                 "to_port",
                 "cidr_blocks",
                 "ipv6_cidr_blocks",
                 "prefix_list_ids",
                 "source_security_group_id",
                 "self"};
  s.read.op = "DescribeSecurityGroups";
  s.read.ids_filter = "group-id";
  s.read.list = "SecurityGroups";
  s.read.item_id = "GroupId";
  s.read.key_attr = "security_group_id";
  s.custom_create = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                       const Json& config) -> Result<StepResult> {
    std::set<Atom> atoms = RuleAtoms(config);
    if (atoms.empty()) {
      return InvalidArgumentError(
          "aws_security_group_rule: one of cidr_blocks, ipv6_cidr_blocks, prefix_list_ids, "
          "source_security_group_id or self must be set");
    }
    bool egress = Str(config, "type") == "egress";
    std::string group = Str(config, "security_group_id");
    Json perms = Json::array();
    for (const Atom& a : atoms) {
      perms.push_back(ToPermission(a));
    }
    ASSIGN_OR_RETURN(
        Json out,
        ctx.Call("ec2", egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress",
                 {{"GroupId", group}, {"IpPermissions", perms}}));
    StepResult result;
    result.state = config;
    result.state["id"] = RuleId(config);
    result.state["security_group_rule_id"] =
        Str(GetPath(out, "SecurityGroupRules[0]"), "SecurityGroupRuleId");
    if (!result.state.contains("source_security_group_id")) {
      result.state["source_security_group_id"] = "";
    }
    return result;
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) {
    bool egress = Str(prior, "type") == "egress";
    std::set<Atom> have = AtomsOfApi(
        state["__item"].value(egress ? "IpPermissionsEgress" : "IpPermissions", Json::array()));
    std::set<Atom> want = RuleAtoms(prior);
    if (!prior.contains("description")) {
      // An import names no description: match without it and take the group's.
      std::set<Atom> bare;
      for (Atom a : have) {
        for (const Atom& w : want) {
          Atom b = a;
          b.description.clear();
          if (b == w) {
            state["description"] = a.description;
            bare.insert(b);
          }
        }
      }
      have = bare;
    }
    if (want.empty() || !Minus(want, have).empty()) {
      return NotFoundError("the rule is no longer in " + Str(prior, "security_group_id"));
    }
    if (!state.contains("source_security_group_id")) {
      state["source_security_group_id"] = "";
    }
    if (!state.contains("security_group_rule_id")) {
      state["security_group_rule_id"] = "";
    }
    state["id"] = RuleId(state);
    return OkStatus();
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    Status st = ChangeAtoms(ctx, Str(state, "security_group_id"), Str(state, "type") == "egress",
                            true, RuleAtoms(state));
    if (!st.ok() && (st.code() == StatusCode::kNotFound ||
                     AwsContext::ErrorCode(st) == "InvalidPermission.NotFound")) {
      return OkStatus();
    }
    return st;
  };
  s.custom_find = [](AwsContext& ctx, const TypeSpec& spec, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    // A rule is its content: present in the group means created.
    std::string group = Str(config, "security_group_id");
    ASSIGN_OR_RETURN(Json out, ctx.Call("ec2", "DescribeSecurityGroups",
                                        {{"Filters", Ec2Filter("group-id", {group})}}));
    Json item = GetPath(out, "SecurityGroups[0]");
    if (item.is_null()) {
      return std::optional<Json>();
    }
    bool egress = Str(config, "type") == "egress";
    std::set<Atom> have =
        AtomsOfApi(item.value(egress ? "IpPermissionsEgress" : "IpPermissions", Json::array()));
    std::set<Atom> want = RuleAtoms(config);
    if (want.empty() || !Minus(want, have).empty()) {
      return std::optional<Json>();
    }
    Json state = config;
    state["id"] = RuleId(config);
    if (!state.contains("source_security_group_id")) {
      state["source_security_group_id"] = "";
    }
    // The create recorded the id AWS gave the first of its atoms (sgr-...): the same here.
    ASSIGN_OR_RETURN(Json rules, ctx.Call("ec2", "DescribeSecurityGroupRules",
                                          {{"Filters", Ec2Filter("group-id", {group})}}));
    state["security_group_rule_id"] = "";
    const Atom& first = *want.begin();
    for (const Json& r : rules.value("SecurityGroupRules", Json::array())) {
      if (r.value("IsEgress", false) == egress && RuleAtom(r) == first) {
        state["security_group_rule_id"] = Str(r, "SecurityGroupRuleId");
        break;
      }
    }
    (void)spec;
    return std::optional<Json>(std::move(state));
  };
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    // Terraform's form: SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE...]
    std::vector<std::string> parts;
    std::string cur;
    for (char c : id) {
      if (c == '_') {
        parts.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    parts.push_back(cur);
    if (parts.size() < 6 || (parts[1] != "ingress" && parts[1] != "egress")) {
      return InvalidArgumentError(
          "aws_security_group_rule import id must be SGID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE, "
          "got " +
          std::string(id));
    }
    Json state = {{"security_group_id", parts[0]},
                  {"type", parts[1]},
                  {"protocol", parts[2]},
                  {"from_port", std::stoll(parts[3])},
                  {"to_port", std::stoll(parts[4])},
                  {"id", std::string(id)}};
    for (size_t i = 5; i < parts.size(); ++i) {
      const std::string& src = parts[i];
      if (src == "self") {
        state["self"] = true;
      } else if (src.rfind("sg-", 0) == 0) {
        state["source_security_group_id"] = src;
      } else if (src.rfind("pl-", 0) == 0) {
        state["prefix_list_ids"].push_back(src);
      } else if (src.find(':') != std::string::npos) {
        state["ipv6_cidr_blocks"].push_back(src);
      } else {
        state["cidr_blocks"].push_back(src);
      }
    }
    return state;
  };
  return s;
}

}  // namespace

void AddEc2RuleTypes(std::vector<TypeSpec>& out) {
  out.push_back(SecurityGroup());
  out.push_back(DefaultSecurityGroup());
  out.push_back(SecurityGroupRule());
}

}  // namespace cf::provider::aws_spec
