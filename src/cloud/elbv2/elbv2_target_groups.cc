// Target groups, their attributes, targets and target health.

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "cloud/elbv2/elbv2_common.h"
#include "cloud/elbv2/elbv2_service.h"

namespace cf::cloud::elbv2 {

namespace {

ServiceError TgNotFound() {
  return Error("TargetGroupNotFound", "One or more target groups not found");
}

bool IsHttpProtocol(const std::string& p) {
  return p == "HTTP" || p == "HTTPS";
}

const std::set<std::string>& Protocols() {
  static const std::set<std::string> kProtocols = {"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"};
  return kProtocols;
}

std::map<std::string, std::string> DefaultAttributes(const std::string& protocol) {
  if (IsHttpProtocol(protocol)) {
    return {
        {"deregistration_delay.timeout_seconds", "300"},
        {"stickiness.enabled", "false"},
        {"stickiness.type", "lb_cookie"},
        {"stickiness.lb_cookie.duration_seconds", "86400"},
        {"stickiness.app_cookie.cookie_name", ""},
        {"stickiness.app_cookie.duration_seconds", "86400"},
        {"slow_start.duration_seconds", "0"},
        {"load_balancing.algorithm.type", "round_robin"},
        {"load_balancing.algorithm.anomaly_mitigation", "off"},
        {"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
        {"target_group_health.dns_failover.minimum_healthy_targets.count", "1"},
        {"target_group_health.dns_failover.minimum_healthy_targets.percentage", "off"},
        {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "1"},
        {"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "off"}};
  }
  return {{"deregistration_delay.timeout_seconds", "300"},
          {"deregistration_delay.connection_termination.enabled", "false"},
          {"stickiness.enabled", "false"},
          {"stickiness.type", "source_ip"},
          {"proxy_protocol_v2.enabled", "false"},
          {"preserve_client_ip.enabled", "false"},
          {"load_balancing.cross_zone.enabled", "use_load_balancer_configuration"},
          {"target_health_state.unhealthy.connection_termination.enabled", "true"},
          {"target_health_state.unhealthy.draining_interval_seconds", "0"}};
}

Json AttributeList(const Json& tg) {
  Json list = Json::array();
  const Json attributes = tg.value("_attributes", Json::object());
  for (const auto& [key, value] : attributes.items()) {
    list.push_back({{"Key", key}, {"Value", value}});
  }
  return list;
}

// Applies the health-check members of a Create/ModifyTargetGroup request to `tg`, with ELB's
// checks. An error leaves the caller to drop `tg`.
ServiceStatus ApplyHealthCheck(const Json& in, Json& tg) {
  if (in.contains("HealthCheckProtocol")) {
    std::string p = in["HealthCheckProtocol"];
    if (p != "HTTP" && p != "HTTPS" && p != "TCP") {
      return Error("ValidationError",
                   fmt::format("Health check protocol '{}' is not supported", p));
    }
    if (IsHttpProtocol(tg.value("Protocol", "HTTP")) && p == "TCP") {
      return Error("ValidationError", fmt::format("Health check protocol 'TCP' is not "
                                                  "supported for target groups with the "
                                                  "protocol '{}'",
                                                  tg.value("Protocol", "HTTP")));
    }
    tg["HealthCheckProtocol"] = p;
  }
  if (in.contains("HealthCheckPort")) {
    std::string port = in["HealthCheckPort"];
    bool numeric = !port.empty() && port.size() <= 5 &&
                   port.find_first_not_of("0123456789") == std::string::npos &&
                   std::stoi(port) >= 1 && std::stoi(port) <= 65535;
    if (port != "traffic-port" && !numeric) {
      return Error("ValidationError",
                   fmt::format("Health check port '{}' must be 'traffic-port' or 1-65535", port));
    }
    tg["HealthCheckPort"] = port;
  }
  if (in.contains("HealthCheckEnabled")) {
    tg["HealthCheckEnabled"] = in["HealthCheckEnabled"];
  }
  if (in.contains("HealthCheckPath")) {
    std::string path = in["HealthCheckPath"];
    if (path.empty() || path[0] != '/') {
      return Error("ValidationError", "A health check path must begin with a '/' character");
    }
    tg["HealthCheckPath"] = path;
  }
  struct Range {
    const char* member;
    int64_t min;
    int64_t max;
  };
  for (const Range& r :
       {Range{"HealthCheckIntervalSeconds", 5, 300}, Range{"HealthCheckTimeoutSeconds", 2, 120},
        Range{"HealthyThresholdCount", 2, 10}, Range{"UnhealthyThresholdCount", 2, 10}}) {
    SERVICE_ASSIGN_OR_RETURN(auto v, IntIn(in, r.member, r.min, r.max));
    if (auto value = v) {
      tg[r.member] = *value;
    }
  }
  if (tg.value("HealthCheckTimeoutSeconds", int64_t{5}) >=
      tg.value("HealthCheckIntervalSeconds", int64_t{30})) {
    return Error("ValidationError", "Health check timeout must be smaller than the interval");
  }
  if (in.contains("Matcher")) {
    std::string code = in["Matcher"].value("HttpCode", "");
    if (!IsHttpProtocol(tg.value("HealthCheckProtocol", "HTTP"))) {
      return Error("InvalidConfigurationRequest",
                   "A matcher cannot be specified for TCP health checks");
    }
    if (!HttpCodeMatcher::Parse(code)) {
      return Error(
          "ValidationError",
          fmt::format("Health check matcher HTTP code '{}' must be within '200-499'", code));
    }
    tg["Matcher"] = {{"HttpCode", code}};
  }
  if (!IsHttpProtocol(tg.value("HealthCheckProtocol", "HTTP"))) {
    tg.erase("HealthCheckPath");
    tg.erase("Matcher");
  } else if (!tg.contains("HealthCheckPath")) {
    tg["HealthCheckPath"] = "/";
  }
  return {};
}

// The ARNs of the load balancers whose listeners or rules forward to `tg_arn`.
ServiceOr<Json> LoadBalancersOf(CallTxn& txn, const ServiceCall& call, const std::string& tg_arn) {
  SERVICE_ASSIGN_OR_RETURN(auto listeners, ListOwn(txn, call, kListenerNs, "listener/"));
  SERVICE_ASSIGN_OR_RETURN(auto rules, ListOwn(txn, call, kRuleNs, "listener-rule/"));
  std::map<std::string, std::string> lb_of_listener;
  for (const Json& l : listeners) {
    lb_of_listener[l.value("ListenerArn", "")] = l.value("LoadBalancerArn", "");
  }
  std::set<std::string> lbs;
  auto scan = [&](const Json& actions, const std::string& listener) {
    std::string error;
    std::optional<ActionSpec> a = TerminalAction(actions, &error);
    if (!a) {
      return;
    }
    for (const auto& [arn, weight] : a->target_groups) {
      if (arn == tg_arn) {
        lbs.insert(lb_of_listener[listener]);
      }
    }
  };
  for (const Json& l : listeners) {
    scan(l.value("DefaultActions", Json::array()), l.value("ListenerArn", ""));
  }
  for (const Json& r : rules) {
    scan(r.value("Actions", Json::array()), r.value("_listener", ""));
  }
  Json out = Json::array();
  for (const std::string& lb : lbs) {
    out.push_back(lb);
  }
  return out;
}

bool IsIpv4(const std::string& text) {
  int parts = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t start = i;
    int value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > 255 || i - start >= 3) {
        return false;
      }
      ++i;
    }
    if (i == start) {
      return false;
    }
    ++parts;
    if (i == text.size()) {
      break;
    }
    if (text[i] != '.') {
      return false;
    }
    ++i;
  }
  return parts == 4;
}

}  // namespace

ServiceResult Elbv2Service::CreateTargetGroup(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string name = in.value("Name", "");
  if (std::string e = CheckName(name, "Target group"); !e.empty()) {
    return Error("ValidationError", e);
  }
  std::string target_type = in.value("TargetType", "instance");
  if (target_type != "instance" && target_type != "ip") {
    return Error("ValidationError",
                 fmt::format("Target type '{}' is not supported by the local cloud; use "
                             "instance or ip",
                             target_type));
  }
  if (!in.contains("Protocol") || !in.contains("Port") || !in.contains("VpcId")) {
    return Error("ValidationError",
                 "A protocol, a port and a VPC ID must be specified for target groups of type "
                 "instance or ip");
  }
  std::string protocol = in["Protocol"];
  if (Protocols().count(protocol) == 0) {
    return Error("ValidationError", fmt::format("Protocol '{}' is not valid", protocol));
  }
  SERVICE_ASSIGN_OR_RETURN(auto port, IntIn(in, "Port", 1, 65535));
  std::string vpc_id = in["VpcId"];
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> vpc, txn.Get("ec2/vpc", call.region + "/" + vpc_id));
  if (!vpc) {
    return Error("ValidationError", fmt::format("The VPC ID '{}' is not found", vpc_id));
  }
  bool http = IsHttpProtocol(protocol);
  Json tg = {{"TargetGroupName", name},
             {"Protocol", protocol},
             {"Port", *port},
             {"VpcId", vpc_id},
             {"HealthCheckProtocol", http ? protocol : "TCP"},
             {"HealthCheckPort", "traffic-port"},
             {"HealthCheckEnabled", true},
             {"HealthCheckIntervalSeconds", 30},
             {"HealthCheckTimeoutSeconds", http ? 5 : 10},
             {"HealthyThresholdCount", 5},
             {"UnhealthyThresholdCount", 2},
             {"TargetType", target_type},
             {"IpAddressType", in.value("IpAddressType", "ipv4")}};
  if (http) {
    tg["HealthCheckPath"] = "/";
    tg["Matcher"] = {{"HttpCode", "200"}};
    tg["ProtocolVersion"] = in.value("ProtocolVersion", "HTTP1");
  }
  SERVICE_RETURN_IF_ERROR(ApplyHealthCheck(in, tg));
  SERVICE_ASSIGN_OR_RETURN(auto existing, ListOwn(txn, call, kTargetGroupNs, "targetgroup/"));
  for (const Json& other : existing) {
    if (other.value("TargetGroupName", "") != name) {
      continue;
    }
    Json same = Visible(other);
    same.erase("TargetGroupArn");
    same.erase("LoadBalancerArns");
    if (same == tg) {
      Json view = Visible(other);
      ServiceOr<Json> lbs = LoadBalancersOf(txn, call, other.value("TargetGroupArn", ""));
      view["LoadBalancerArns"] = lbs.ok() ? *lbs : Json::array();
      return Json{{"TargetGroups", Json::array({view})}};
    }
    return Error("DuplicateTargetGroupName",
                 fmt::format("A target group with the same name '{}' exists, but with different "
                             "settings",
                             name));
  }
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(Json::array(), in.value("Tags", Json::array())));
  tg["TargetGroupArn"] =
      fmt::format("{}targetgroup/{}/{}", ArnPrefix(call), name, HexId(context_.ids));
  Json attributes = Json::object();
  for (const auto& [key, value] : DefaultAttributes(protocol)) {
    attributes[key] = value;
  }
  tg["_attributes"] = attributes;
  tg["_targets"] = Json::array();
  tg["_tags"] = tags;
  SERVICE_RETURN_IF_ERROR(Put(txn, kTargetGroupNs, tg, "TargetGroupArn"));
  Json view = Visible(tg);
  view["LoadBalancerArns"] = Json::array();
  return Json{{"TargetGroups", Json::array({view})}};
}

ServiceResult Elbv2Service::DescribeTargetGroups(const ServiceCall& call, CallTxn& txn) {
  std::vector<std::string> arns = Strings(call.input, "TargetGroupArns");
  std::vector<std::string> names = Strings(call.input, "Names");
  std::string lb_arn = call.input.value("LoadBalancerArn", "");
  if ((!arns.empty()) + (!names.empty()) + (!lb_arn.empty()) > 1) {
    return Error("ValidationError",
                 "Only one of LoadBalancerArn, TargetGroupArns and Names can be specified");
  }
  if (!lb_arn.empty()) {
    SERVICE_ASSIGN_OR_RETURN(
        auto lb,
        GetOwn(txn, call, kLoadBalancerNs, lb_arn,
               Error("LoadBalancerNotFound", fmt::format("Load balancer '{}' not found", lb_arn))));
  }
  SERVICE_ASSIGN_OR_RETURN(auto all, ListOwn(txn, call, kTargetGroupNs, "targetgroup/"));
  std::vector<Json> selected;
  for (const Json& tg : all) {
    SERVICE_ASSIGN_OR_RETURN(auto lbs, LoadBalancersOf(txn, call, tg.value("TargetGroupArn", "")));
    Json view = Visible(tg);
    view["LoadBalancerArns"] = lbs;
    bool wanted = true;
    if (!arns.empty()) {
      wanted = std::find(arns.begin(), arns.end(), tg.value("TargetGroupArn", "")) != arns.end();
    } else if (!names.empty()) {
      wanted =
          std::find(names.begin(), names.end(), tg.value("TargetGroupName", "")) != names.end();
    } else if (!lb_arn.empty()) {
      const Json& list = view["LoadBalancerArns"];
      wanted = std::find(list.begin(), list.end(), Json(lb_arn)) != list.end();
    }
    if (wanted) {
      selected.push_back(std::move(view));
    }
  }
  if (!arns.empty() && selected.size() != std::set<std::string>(arns.begin(), arns.end()).size()) {
    return TgNotFound();
  }
  if (!names.empty() &&
      selected.size() != std::set<std::string>(names.begin(), names.end()).size()) {
    std::string list;
    for (const std::string& n : names) {
      bool found = std::any_of(selected.begin(), selected.end(), [&](const Json& tg) {
        return tg.value("TargetGroupName", "") == n;
      });
      if (!found) {
        list += (list.empty() ? "'" : ", '") + n + "'";
      }
    }
    return Error("TargetGroupNotFound", fmt::format("Target groups '[{}]' not found", list));
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Page(std::move(selected), call.input, "TargetGroups"));
  return page;
}

ServiceResult Elbv2Service::ModifyTargetGroup(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("TargetGroupArn", "");
  SERVICE_ASSIGN_OR_RETURN(auto tg, GetOwn(txn, call, kTargetGroupNs, arn, TgNotFound()));
  Json& doc = tg;
  SERVICE_RETURN_IF_ERROR(ApplyHealthCheck(call.input, doc));
  SERVICE_RETURN_IF_ERROR(Put(txn, kTargetGroupNs, doc, "TargetGroupArn"));
  ServiceOr<Json> lbs = LoadBalancersOf(txn, call, arn);
  Json view = Visible(doc);
  view["LoadBalancerArns"] = lbs.ok() ? *lbs : Json::array();
  return Json{{"TargetGroups", Json::array({view})}};
}

ServiceResult Elbv2Service::DeleteTargetGroup(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("TargetGroupArn", "");
  ServiceOr<Json> tg = GetOwn(txn, call, kTargetGroupNs, arn, TgNotFound());
  if (!tg.ok()) {
    if (arn.rfind(ArnPrefix(call) + "targetgroup/", 0) == 0) {
      return Json::object();  // already gone
    }
    return tg.error();
  }
  SERVICE_ASSIGN_OR_RETURN(auto lbs, LoadBalancersOf(txn, call, arn));
  if (!lbs.empty()) {
    return Error("ResourceInUse",
                 fmt::format("Target group '{}' is currently in use by a listener or a rule", arn));
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kTargetGroupNs, arn));
  return Json::object();
}

ServiceResult Elbv2Service::DescribeTargetGroupAttributes(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto tg, GetOwn(txn, call, kTargetGroupNs,
                                           call.input.value("TargetGroupArn", ""), TgNotFound()));
  return Json{{"Attributes", AttributeList(tg)}};
}

ServiceResult Elbv2Service::ModifyTargetGroupAttributes(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto tg, GetOwn(txn, call, kTargetGroupNs,
                                           call.input.value("TargetGroupArn", ""), TgNotFound()));
  Json& doc = tg;
  auto known = DefaultAttributes(doc.value("Protocol", "HTTP"));
  for (const Json& attribute : call.input.value("Attributes", Json::array())) {
    std::string key = attribute.value("Key", "");
    std::string value = attribute.value("Value", "");
    if (known.count(key) == 0) {
      return Error("InvalidConfigurationRequest",
                   fmt::format("Key {} not valid for a target group with the protocol {}", key,
                               doc.value("Protocol", "HTTP")));
    }
    if (key == "deregistration_delay.timeout_seconds" || key == "slow_start.duration_seconds" ||
        key == "stickiness.lb_cookie.duration_seconds") {
      bool numeric = !value.empty() && value.size() <= 7 &&
                     value.find_first_not_of("0123456789") == std::string::npos;
      int64_t n = numeric ? std::stoll(value) : -1;
      int64_t high = key == "deregistration_delay.timeout_seconds" ? 3600
                     : key == "slow_start.duration_seconds"        ? 900
                                                                   : 604800;
      int64_t low = key == "stickiness.lb_cookie.duration_seconds" ? 1 : 0;
      if (n < low || n > high) {
        return Error("ValidationError",
                     fmt::format("'{}' must be an integer between {} and {}", key, low, high));
      }
    }
    if (key.size() > 8 && key.compare(key.size() - 8, 8, ".enabled") == 0 && value != "true" &&
        value != "false") {
      return Error(
          "ValidationError",
          fmt::format("'{}' is not a valid value for '{}': use true or false", value, key));
    }
    doc["_attributes"][key] = value;
  }
  SERVICE_RETURN_IF_ERROR(Put(txn, kTargetGroupNs, doc, "TargetGroupArn"));
  return Json{{"Attributes", AttributeList(doc)}};
}

ServiceResult Elbv2Service::RegisterTargets(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("TargetGroupArn", "");
  SERVICE_ASSIGN_OR_RETURN(auto tg, GetOwn(txn, call, kTargetGroupNs, arn, TgNotFound()));
  Json& doc = tg;
  bool instances = doc.value("TargetType", "instance") == "instance";
  Json targets = doc.value("_targets", Json::array());
  for (const Json& t : call.input.value("Targets", Json::array())) {
    std::string id = t.value("Id", "");
    int64_t port = t.value("Port", doc.value("Port", int64_t{80}));
    if (port < 1 || port > 65535) {
      return Error("ValidationError", fmt::format("Port {} of target '{}' is not valid", port, id));
    }
    if (instances) {
      SERVICE_ASSIGN_OR_RETURN(StoreTxn * raw, txn.Open());
      std::optional<InstanceFacts> facts = directory_.Find(*raw, call.region, id);
      if (!facts) {
        return Error("InvalidTarget",
                     fmt::format("The following targets are not valid instances: '{}'", id));
      }
      if (facts->state != "running" && facts->state != "pending" && facts->state != "stopped") {
        return Error("InvalidTarget",
                     fmt::format("The following targets are not in a running state and cannot "
                                 "be registered: '{}'",
                                 id));
      }
      if (!facts->vpc_id.empty() && facts->vpc_id != doc.value("VpcId", "")) {
        return Error("InvalidTarget",
                     fmt::format("The following targets are not in the target group VPC '{}': "
                                 "'{}'",
                                 doc.value("VpcId", ""), id));
      }
    } else {
      if (!IsIpv4(id)) {
        return Error("ValidationError",
                     fmt::format("The IP address '{}' is not a valid IPv4 address", id));
      }
      if (id.rfind("127.", 0) != 0) {
        return Error("InvalidTarget",
                     fmt::format("The IP address '{}' is not in 127.0.0.0/8: the local cloud "
                                 "sends traffic to loopback addresses only",
                                 id));
      }
    }
    bool present = std::any_of(targets.begin(), targets.end(), [&](const Json& old) {
      return old.value("Id", "") == id && old.value("Port", int64_t{0}) == port;
    });
    if (!present) {
      Json entry = {{"Id", id}, {"Port", port}};
      if (t.contains("AvailabilityZone")) {
        entry["AvailabilityZone"] = t["AvailabilityZone"];
      }
      targets.push_back(entry);
    }
  }
  if (targets.size() > 1000) {
    return Error("TooManyTargets", "A target group can have at most 1000 targets");
  }
  doc["_targets"] = targets;
  SERVICE_RETURN_IF_ERROR(Put(txn, kTargetGroupNs, doc, "TargetGroupArn"));
  return Json::object();
}

ServiceResult Elbv2Service::DeregisterTargets(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("TargetGroupArn", "");
  SERVICE_ASSIGN_OR_RETURN(auto tg, GetOwn(txn, call, kTargetGroupNs, arn, TgNotFound()));
  Json& doc = tg;
  Json targets = doc.value("_targets", Json::array());
  for (const Json& t : call.input.value("Targets", Json::array())) {
    std::string id = t.value("Id", "");
    bool any_port = !t.contains("Port");
    int64_t port = t.value("Port", int64_t{0});
    size_t before = targets.size();
    Json kept = Json::array();
    for (const Json& old : targets) {
      bool match = old.value("Id", "") == id && (any_port || old.value("Port", int64_t{0}) == port);
      if (!match) {
        kept.push_back(old);
      }
    }
    if (kept.size() == before) {
      return Error("InvalidTarget",
                   fmt::format("The following targets are not registered in target group "
                               "'{}': '{}'",
                               arn, id));
    }
    targets = kept;
  }
  doc["_targets"] = targets;
  SERVICE_RETURN_IF_ERROR(Put(txn, kTargetGroupNs, doc, "TargetGroupArn"));
  return Json::object();
}

ServiceResult Elbv2Service::DescribeTargetHealth(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("TargetGroupArn", "");
  Json doc;
  {
    SERVICE_ASSIGN_OR_RETURN(auto tg, GetOwn(txn, call, kTargetGroupNs, arn, TgNotFound()));
    doc = tg;
  }
  std::vector<TargetHealthReport> reports = data_plane_.Health(arn);
  auto describe = [&](const TargetHealthReport& r) {
    Json health = {{"State", std::string(TargetStateName(r.health.state))}};
    if (!r.health.reason.empty()) {
      health["Reason"] = r.health.reason;
      health["Description"] = r.health.description;
    }
    return Json{{"Target", {{"Id", r.id}, {"Port", r.port}}},
                {"HealthCheckPort", std::to_string(r.health_check_port)},
                {"TargetHealth", health}};
  };
  Json out = Json::array();
  if (call.input.contains("Targets") && !call.input["Targets"].empty()) {
    for (const Json& t : call.input["Targets"]) {
      std::string id = t.value("Id", "");
      bool any_port = !t.contains("Port");
      int64_t port = t.value("Port", int64_t{0});
      bool found = false;
      for (const TargetHealthReport& r : reports) {
        if (r.id == id && (any_port || r.port == port)) {
          out.push_back(describe(r));
          found = true;
        }
      }
      if (!found) {
        if (!doc.value("TargetType", "instance").empty() && doc["TargetType"] == "ip" &&
            !IsIpv4(id)) {
          return Error("InvalidTarget",
                       fmt::format("The target '{}' is not a valid IP address", id));
        }
        out.push_back(
            {{"Target", {{"Id", id}, {"Port", any_port ? doc.value("Port", int64_t{80}) : port}}},
             {"TargetHealth",
              {{"State", "unused"},
               {"Reason", "Target.NotRegistered"},
               {"Description", "Target is not registered to the target group"}}}});
      }
    }
  } else {
    for (const TargetHealthReport& r : reports) {
      out.push_back(describe(r));
    }
  }
  return Json{{"TargetHealthDescriptions", out}};
}

}  // namespace cf::cloud::elbv2
