// Listeners, their rules and certificates.

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "cloud/elbv2/elbv2_common.h"
#include "cloud/elbv2/elbv2_service.h"

namespace cf::cloud::elbv2 {

namespace {

ServiceError ListenerNotFound() {
  return Error("ListenerNotFound", "One or more listeners not found");
}

ServiceError RuleNotFound() {
  return Error("RuleNotFound", "One or more rules not found");
}

bool IsHttp(const std::string& p) {
  return p == "HTTP" || p == "HTTPS";
}

bool NeedsCertificate(const std::string& p) {
  return p == "HTTPS" || p == "TLS";
}

// Checks a certificate list against ACM's documents ("acm/certificate", keyed by ARN, with
// Status): each must exist and be ISSUED.
ServiceStatus CheckCertificates(CallTxn& txn, const Json& certificates) {
  for (const Json& c : certificates) {
    std::string arn = c.value("CertificateArn", "");
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> doc, txn.Get("acm/certificate", arn));
    if (!doc || (*doc).value("Status", "") != "ISSUED") {
      return Error("CertificateNotFound", fmt::format("Certificate '{}' not found", arn));
    }
  }
  return {};
}

// Validates a list of actions for a listener of `lb` with `protocol`, and returns it as ELB
// answers it: Order filled in, forward actions with both TargetGroupArn (one group) and
// ForwardConfig.
ServiceOr<Json> CheckActions(CallTxn& txn, const ServiceCall& call, const Json& actions,
                             const Json& lb, const std::string& protocol,
                             const std::string& listener_arn) {
  std::string error;
  std::optional<ActionSpec> terminal = TerminalAction(actions, &error);
  if (!terminal) {
    return Error("ValidationError", error);
  }
  bool application = lb.value("Type", "application") == "application";
  Json out = Json::array();
  int order = 0;
  for (const Json& action : actions) {
    Json a = action;
    ++order;
    if (!a.contains("Order")) {
      a["Order"] = order;
    }
    std::string type = a.value("Type", "");
    if (!application && type != "forward") {
      return Error(
          "InvalidLoadBalancerAction",
          fmt::format("Action type '{}' is not supported for network load balancers", type));
    }
    if (type == "authenticate-oidc" || type == "authenticate-cognito") {
      if (protocol != "HTTPS") {
        return Error("InvalidLoadBalancerAction",
                     "Authenticate actions are supported only on HTTPS listeners");
      }
    }
    if (type == "forward") {
      std::string action_error;
      std::optional<ActionSpec> spec = TerminalAction(Json::array({a}), &action_error);
      if (!spec) {
        return Error("ValidationError", action_error);
      }
      Json groups = Json::array();
      for (const auto& [arn, weight] : spec->target_groups) {
        SERVICE_ASSIGN_OR_RETURN(
            auto tg,
            GetOwn(txn, call, kTargetGroupNs, arn,
                   Error("TargetGroupNotFound", fmt::format("Target group '{}' not found", arn))));
        const Json& group = tg;
        std::string tg_protocol = group.value("Protocol", "HTTP");
        if (IsHttp(protocol) != IsHttp(tg_protocol)) {
          return Error("IncompatibleProtocols",
                       fmt::format("Listener protocol '{}' is not supported with a target group "
                                   "with the protocol '{}'",
                                   protocol, tg_protocol));
        }
        if (group.value("VpcId", "") != lb.value("VpcId", "")) {
          return Error("InvalidConfigurationRequest",
                       fmt::format("Target group '{}' is in VPC '{}', not in the load "
                                   "balancer's VPC '{}'",
                                   arn, group.value("VpcId", ""), lb.value("VpcId", "")));
        }
        // A target group serves one load balancer.
        SERVICE_ASSIGN_OR_RETURN(auto listeners, ListOwn(txn, call, kListenerNs, "listener/"));
        for (const Json& l : listeners) {
          if (l.value("LoadBalancerArn", "") == lb.value("LoadBalancerArn", "") ||
              l.value("ListenerArn", "") == listener_arn) {
            continue;
          }
          std::string unused;
          std::optional<ActionSpec> other =
              TerminalAction(l.value("DefaultActions", Json::array()), &unused);
          if (other) {
            for (const auto& [other_arn, other_weight] : other->target_groups) {
              if (other_arn == arn) {
                return Error("TargetGroupAssociationLimit",
                             fmt::format("The following target groups cannot be associated "
                                         "with more than one load balancer: {}",
                                         arn));
              }
            }
          }
        }
        groups.push_back({{"TargetGroupArn", arn}, {"Weight", weight}});
      }
      if (groups.size() == 1) {
        a["TargetGroupArn"] = groups[0]["TargetGroupArn"];
      }
      Json stickiness = {{"Enabled", false}};
      if (a.contains("ForwardConfig") &&
          a["ForwardConfig"].contains("TargetGroupStickinessConfig")) {
        stickiness = a["ForwardConfig"]["TargetGroupStickinessConfig"];
      }
      a["ForwardConfig"] = {{"TargetGroups", groups}, {"TargetGroupStickinessConfig", stickiness}};
    }
    out.push_back(a);
  }
  return out;
}

Json DefaultRule(const Json& listener) {
  return {{"RuleArn", listener.value("_default_rule", "")},
          {"Priority", "default"},
          {"Conditions", Json::array()},
          {"Actions", listener.value("DefaultActions", Json::array())},
          {"IsDefault", true}};
}

}  // namespace

ServiceResult Elbv2Service::CreateListener(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string lb_arn = in.value("LoadBalancerArn", "");
  SERVICE_ASSIGN_OR_RETURN(
      auto lb_doc,
      GetOwn(txn, call, kLoadBalancerNs, lb_arn,
             Error("LoadBalancerNotFound", fmt::format("Load balancer '{}' not found", lb_arn))));
  const Json& lb = lb_doc;
  bool application = lb.value("Type", "application") == "application";
  std::string protocol = in.value("Protocol", application ? "HTTP" : "TCP");
  static const std::set<std::string> kAlb = {"HTTP", "HTTPS"};
  static const std::set<std::string> kNlb = {"TCP", "TLS", "UDP", "TCP_UDP"};
  if ((application ? kAlb : kNlb).count(protocol) == 0) {
    return Error("UnsupportedProtocol",
                 fmt::format("Protocol '{}' is not supported for load balancers of type '{}'",
                             protocol, lb.value("Type", "application")));
  }
  if (protocol == "UDP" || protocol == "TCP_UDP") {
    return Error("UnsupportedProtocol",
                 fmt::format("Protocol '{}' is not supported by the local cloud", protocol));
  }
  if (!in.contains("Port")) {
    return Error("ValidationError", "A listener port must be specified");
  }
  SERVICE_ASSIGN_OR_RETURN(auto port, IntIn(in, "Port", 1, 65535));
  int64_t port_value = *port;
  SERVICE_ASSIGN_OR_RETURN(auto listeners, ListOwn(txn, call, kListenerNs, "listener/"));
  size_t count = 0;
  for (const Json& l : listeners) {
    if (l.value("LoadBalancerArn", "") == lb_arn) {
      ++count;
      if (l.value("Port", int64_t{0}) == port_value) {
        return Error("DuplicateListener",
                     fmt::format("A listener already exists on port {} of load balancer '{}'",
                                 port_value, lb_arn));
      }
    }
  }
  if (count >= 50) {
    return Error("TooManyListeners", "A load balancer can have at most 50 listeners");
  }
  Json certificates = in.value("Certificates", Json::array());
  if (NeedsCertificate(protocol) && certificates.empty()) {
    return Error("ValidationError",
                 fmt::format("A certificate must be specified for {} listeners", protocol));
  }
  if (!NeedsCertificate(protocol) && !certificates.empty()) {
    return Error("ValidationError",
                 fmt::format("Certificates are not allowed for {} listeners", protocol));
  }
  if (certificates.size() > 1) {
    return Error("TooManyCertificates",
                 "A listener's Certificates list takes exactly one default certificate; add "
                 "others with AddListenerCertificates");
  }
  SERVICE_RETURN_IF_ERROR(CheckCertificates(txn, certificates));
  std::string lb_path = lb_arn.substr(lb_arn.find(":loadbalancer/") + 14);
  std::string arn = fmt::format("{}listener/{}/{}", ArnPrefix(call), lb_path, HexId(context_.ids));
  SERVICE_ASSIGN_OR_RETURN(
      auto actions,
      CheckActions(txn, call, in.value("DefaultActions", Json::array()), lb, protocol, arn));
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(Json::array(), in.value("Tags", Json::array())));
  Json listener = {
      {"ListenerArn", arn},
      {"LoadBalancerArn", lb_arn},
      {"Port", port_value},
      {"Protocol", protocol},
      {"DefaultActions", actions},
      {"_default_rule", fmt::format("{}listener-rule/{}/{}", ArnPrefix(call),
                                    arn.substr(arn.find(":listener/") + 10), HexId(context_.ids))},
      {"_extra_certificates", Json::array()},
      {"_tags", tags}};
  if (!certificates.empty()) {
    listener["Certificates"] =
        Json::array({{{"CertificateArn", certificates[0].value("CertificateArn", "")}}});
    listener["SslPolicy"] = in.value("SslPolicy", "ELBSecurityPolicy-2016-08");
  }
  if (in.contains("AlpnPolicy")) {
    listener["AlpnPolicy"] = in["AlpnPolicy"];
  }
  SERVICE_RETURN_IF_ERROR(Put(txn, kListenerNs, listener, "ListenerArn"));
  return Json{{"Listeners", Json::array({Visible(listener)})}};
}

ServiceResult Elbv2Service::DescribeListeners(const ServiceCall& call, CallTxn& txn) {
  std::string lb_arn = call.input.value("LoadBalancerArn", "");
  std::vector<std::string> arns = Strings(call.input, "ListenerArns");
  if (lb_arn.empty() == arns.empty()) {
    return Error("ValidationError",
                 "Exactly one of LoadBalancerArn and ListenerArns must be specified");
  }
  if (!lb_arn.empty()) {
    SERVICE_ASSIGN_OR_RETURN(
        auto lb,
        GetOwn(txn, call, kLoadBalancerNs, lb_arn,
               Error("LoadBalancerNotFound", fmt::format("Load balancer '{}' not found", lb_arn))));
  }
  SERVICE_ASSIGN_OR_RETURN(auto all, ListOwn(txn, call, kListenerNs, "listener/"));
  std::vector<Json> selected;
  for (const Json& l : all) {
    bool wanted = lb_arn.empty() ? std::find(arns.begin(), arns.end(),
                                             l.value("ListenerArn", "")) != arns.end()
                                 : l.value("LoadBalancerArn", "") == lb_arn;
    if (wanted) {
      selected.push_back(Visible(l));
    }
  }
  if (!arns.empty() && selected.size() != std::set<std::string>(arns.begin(), arns.end()).size()) {
    return ListenerNotFound();
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Page(std::move(selected), call.input, "Listeners"));
  return page;
}

ServiceResult Elbv2Service::ModifyListener(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string arn = in.value("ListenerArn", "");
  SERVICE_ASSIGN_OR_RETURN(auto doc, GetOwn(txn, call, kListenerNs, arn, ListenerNotFound()));
  Json& listener = doc;
  SERVICE_ASSIGN_OR_RETURN(
      auto lb_doc, GetOwn(txn, call, kLoadBalancerNs, listener.value("LoadBalancerArn", ""),
                          Error("LoadBalancerNotFound", "The listener's load balancer is gone")));
  const Json& lb = lb_doc;
  bool application = lb.value("Type", "application") == "application";
  std::string protocol = in.value("Protocol", listener.value("Protocol", "HTTP"));
  static const std::set<std::string> kAlb = {"HTTP", "HTTPS"};
  static const std::set<std::string> kNlb = {"TCP", "TLS"};
  if ((application ? kAlb : kNlb).count(protocol) == 0) {
    return Error("UnsupportedProtocol",
                 fmt::format("Protocol '{}' is not supported for load balancers of type '{}'",
                             protocol, lb.value("Type", "application")));
  }
  if (in.contains("Port")) {
    SERVICE_ASSIGN_OR_RETURN(auto port, IntIn(in, "Port", 1, 65535));
    int64_t port_value = *port;
    SERVICE_ASSIGN_OR_RETURN(auto listeners, ListOwn(txn, call, kListenerNs, "listener/"));
    for (const Json& l : listeners) {
      if (l.value("LoadBalancerArn", "") == lb.value("LoadBalancerArn", "") &&
          l.value("ListenerArn", "") != arn && l.value("Port", int64_t{0}) == port_value) {
        return Error(
            "DuplicateListener",
            fmt::format("A listener already exists on port {} of this load balancer", port_value));
      }
    }
    listener["Port"] = port_value;
  }
  Json certificates = in.value("Certificates", listener.value("Certificates", Json::array()));
  if (NeedsCertificate(protocol) && certificates.empty()) {
    return Error("ValidationError",
                 fmt::format("A certificate must be specified for {} listeners", protocol));
  }
  if (!NeedsCertificate(protocol)) {
    certificates = Json::array();
  }
  SERVICE_RETURN_IF_ERROR(CheckCertificates(txn, certificates));
  listener["Protocol"] = protocol;
  if (certificates.empty()) {
    listener.erase("Certificates");
    listener.erase("SslPolicy");
  } else {
    listener["Certificates"] =
        Json::array({{{"CertificateArn", certificates[0].value("CertificateArn", "")}}});
    listener["SslPolicy"] =
        in.value("SslPolicy", listener.value("SslPolicy", "ELBSecurityPolicy-2016-08"));
  }
  if (in.contains("DefaultActions")) {
    SERVICE_ASSIGN_OR_RETURN(auto actions,
                             CheckActions(txn, call, in["DefaultActions"], lb, protocol, arn));
    listener["DefaultActions"] = actions;
  }
  SERVICE_RETURN_IF_ERROR(Put(txn, kListenerNs, listener, "ListenerArn"));
  return Json{{"Listeners", Json::array({Visible(listener)})}};
}

ServiceResult Elbv2Service::DeleteListener(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("ListenerArn", "");
  SERVICE_ASSIGN_OR_RETURN(auto doc, GetOwn(txn, call, kListenerNs, arn, ListenerNotFound()));
  SERVICE_ASSIGN_OR_RETURN(auto rules, ListOwn(txn, call, kRuleNs, "listener-rule/"));
  for (const Json& r : rules) {
    if (r.value("_listener", "") == arn) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(kRuleNs, r.value("RuleArn", "")));
    }
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kListenerNs, arn));
  return Json::object();
}

ServiceResult Elbv2Service::CreateRule(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string listener_arn = in.value("ListenerArn", "");
  SERVICE_ASSIGN_OR_RETURN(auto doc,
                           GetOwn(txn, call, kListenerNs, listener_arn, ListenerNotFound()));
  const Json& listener = doc;
  if (!IsHttp(listener.value("Protocol", "HTTP"))) {
    return Error("ValidationError", "Rules can be added only to HTTP and HTTPS listeners");
  }
  SERVICE_ASSIGN_OR_RETURN(
      auto lb_doc, GetOwn(txn, call, kLoadBalancerNs, listener.value("LoadBalancerArn", ""),
                          Error("LoadBalancerNotFound", "The listener's load balancer is gone")));
  SERVICE_ASSIGN_OR_RETURN(auto priority, IntIn(in, "Priority", 1, 50000));
  int64_t priority_value = priority.value_or(0);
  Json conditions = in.value("Conditions", Json::array());
  if (std::string e = CheckConditions(conditions); !e.empty()) {
    return Error("ValidationError", e);
  }
  SERVICE_ASSIGN_OR_RETURN(auto rules, ListOwn(txn, call, kRuleNs, "listener-rule/"));
  size_t count = 0;
  for (const Json& r : rules) {
    if (r.value("_listener", "") != listener_arn) {
      continue;
    }
    ++count;
    if (r.value("Priority", "") == std::to_string(priority_value)) {
      return Error("PriorityInUse",
                   fmt::format("Priority '{}' is currently in use", priority_value));
    }
  }
  if (count >= 100) {
    return Error("TooManyRules", "A listener can have at most 100 rules");
  }
  SERVICE_ASSIGN_OR_RETURN(auto actions,
                           CheckActions(txn, call, in.value("Actions", Json::array()), lb_doc,
                                        listener.value("Protocol", "HTTP"), listener_arn));
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(Json::array(), in.value("Tags", Json::array())));
  Json rule = {{"RuleArn", fmt::format("{}listener-rule/{}/{}", ArnPrefix(call),
                                       listener_arn.substr(listener_arn.find(":listener/") + 10),
                                       HexId(context_.ids))},
               {"Priority", std::to_string(priority_value)},
               {"Conditions", conditions},
               {"Actions", actions},
               {"IsDefault", false},
               {"_listener", listener_arn},
               {"_tags", tags}};
  SERVICE_RETURN_IF_ERROR(Put(txn, kRuleNs, rule, "RuleArn"));
  return Json{{"Rules", Json::array({Visible(rule)})}};
}

ServiceResult Elbv2Service::DescribeRules(const ServiceCall& call, CallTxn& txn) {
  std::string listener_arn = call.input.value("ListenerArn", "");
  std::vector<std::string> arns = Strings(call.input, "RuleArns");
  if (listener_arn.empty() == arns.empty()) {
    return Error("ValidationError", "Exactly one of ListenerArn and RuleArns must be specified");
  }
  SERVICE_ASSIGN_OR_RETURN(auto listeners, ListOwn(txn, call, kListenerNs, "listener/"));
  SERVICE_ASSIGN_OR_RETURN(auto rules, ListOwn(txn, call, kRuleNs, "listener-rule/"));
  std::vector<Json> all;
  bool listener_found = false;
  for (const Json& l : listeners) {
    if (l.value("ListenerArn", "") == listener_arn) {
      listener_found = true;
    }
  }
  if (!listener_arn.empty() && !listener_found) {
    return ListenerNotFound();
  }
  std::vector<Json> numbered;
  for (const Json& r : rules) {
    if (listener_arn.empty() || r.value("_listener", "") == listener_arn) {
      numbered.push_back(Visible(r));
    }
  }
  std::sort(numbered.begin(), numbered.end(), [](const Json& a, const Json& b) {
    return std::stoi(a.value("Priority", "0")) < std::stoi(b.value("Priority", "0"));
  });
  all = numbered;
  for (const Json& l : listeners) {
    if (listener_arn.empty() || l.value("ListenerArn", "") == listener_arn) {
      all.push_back(DefaultRule(l));
    }
  }
  std::vector<Json> selected;
  if (!arns.empty()) {
    for (const std::string& arn : arns) {
      auto it = std::find_if(all.begin(), all.end(),
                             [&](const Json& r) { return r.value("RuleArn", "") == arn; });
      if (it == all.end()) {
        return RuleNotFound();
      }
      selected.push_back(*it);
    }
  } else {
    selected = all;
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Page(std::move(selected), call.input, "Rules"));
  return page;
}

ServiceResult Elbv2Service::ModifyRule(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string arn = in.value("RuleArn", "");
  SERVICE_ASSIGN_OR_RETURN(auto doc, GetOwn(txn, call, kRuleNs, arn, RuleNotFound()));
  Json& rule = doc;
  SERVICE_ASSIGN_OR_RETURN(
      auto listener_doc,
      GetOwn(txn, call, kListenerNs, rule.value("_listener", ""), ListenerNotFound()));
  const Json& listener = listener_doc;
  SERVICE_ASSIGN_OR_RETURN(
      auto lb_doc, GetOwn(txn, call, kLoadBalancerNs, listener.value("LoadBalancerArn", ""),
                          Error("LoadBalancerNotFound", "The listener's load balancer is gone")));
  if (in.contains("Conditions")) {
    if (std::string e = CheckConditions(in["Conditions"]); !e.empty()) {
      return Error("ValidationError", e);
    }
    rule["Conditions"] = in["Conditions"];
  }
  if (in.contains("Actions")) {
    SERVICE_ASSIGN_OR_RETURN(auto actions, CheckActions(txn, call, in["Actions"], lb_doc,
                                                        listener.value("Protocol", "HTTP"),
                                                        listener.value("ListenerArn", "")));
    rule["Actions"] = actions;
  }
  SERVICE_RETURN_IF_ERROR(Put(txn, kRuleNs, rule, "RuleArn"));
  return Json{{"Rules", Json::array({Visible(rule)})}};
}

ServiceResult Elbv2Service::DeleteRule(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("RuleArn", "");
  ServiceOr<Json> doc = GetOwn(txn, call, kRuleNs, arn, RuleNotFound());
  if (!doc.ok()) {
    ServiceOr<std::vector<Json>> listeners = ListOwn(txn, call, kListenerNs, "listener/");
    if (listeners.ok()) {
      for (const Json& listener : *listeners) {
        if (listener.value("_default_rule", "") == arn) {
          return Error("OperationNotPermitted", "The default rule of a listener cannot be deleted");
        }
      }
    }
    return doc.error();
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kRuleNs, arn));
  return Json::object();
}

ServiceResult Elbv2Service::SetRulePriorities(const ServiceCall& call, CallTxn& txn) {
  std::vector<Json> changed;
  for (const Json& p : call.input.value("RulePriorities", Json::array())) {
    SERVICE_ASSIGN_OR_RETURN(auto doc,
                             GetOwn(txn, call, kRuleNs, p.value("RuleArn", ""), RuleNotFound()));
    SERVICE_ASSIGN_OR_RETURN(auto priority, IntIn(p, "Priority", 1, 50000));
    Json rule = doc;
    rule["Priority"] = std::to_string(priority.value_or(1));
    changed.push_back(rule);
  }
  // No two rules of one listener may end up with the same priority.
  SERVICE_ASSIGN_OR_RETURN(auto rules, ListOwn(txn, call, kRuleNs, "listener-rule/"));
  std::map<std::string, Json> after;
  for (const Json& r : rules) {
    after[r.value("RuleArn", "")] = r;
  }
  for (const Json& r : changed) {
    after[r.value("RuleArn", "")] = r;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& [arn, r] : after) {
    if (!seen.insert({r.value("_listener", ""), r.value("Priority", "")}).second) {
      return Error("PriorityInUse",
                   fmt::format("Priority '{}' is currently in use", r.value("Priority", "")));
    }
  }
  Json out = Json::array();
  for (const Json& r : changed) {
    SERVICE_RETURN_IF_ERROR(Put(txn, kRuleNs, r, "RuleArn"));
    out.push_back(Visible(r));
  }
  return Json{{"Rules", out}};
}

ServiceResult Elbv2Service::AddListenerCertificates(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(
      auto doc,
      GetOwn(txn, call, kListenerNs, call.input.value("ListenerArn", ""), ListenerNotFound()));
  Json& listener = doc;
  Json certificates = call.input.value("Certificates", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckCertificates(txn, certificates));
  Json extra = listener.value("_extra_certificates", Json::array());
  for (const Json& c : certificates) {
    Json entry = {{"CertificateArn", c.value("CertificateArn", "")}, {"IsDefault", false}};
    if (std::find(extra.begin(), extra.end(), entry) == extra.end()) {
      extra.push_back(entry);
    }
  }
  if (extra.size() > 25) {
    return Error("TooManyCertificates", "A listener can have at most 25 certificates");
  }
  listener["_extra_certificates"] = extra;
  SERVICE_RETURN_IF_ERROR(Put(txn, kListenerNs, listener, "ListenerArn"));
  return Json{{"Certificates", extra}};
}

ServiceResult Elbv2Service::RemoveListenerCertificates(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(
      auto doc,
      GetOwn(txn, call, kListenerNs, call.input.value("ListenerArn", ""), ListenerNotFound()));
  Json& listener = doc;
  Json kept = Json::array();
  std::set<std::string> removed;
  for (const Json& c : call.input.value("Certificates", Json::array())) {
    std::string arn = c.value("CertificateArn", "");
    for (const Json& d : listener.value("Certificates", Json::array())) {
      if (d.value("CertificateArn", "") == arn) {
        return Error("OperationNotPermitted",
                     "The default certificate of a listener cannot be removed; use ModifyListener");
      }
    }
    removed.insert(arn);
  }
  for (const Json& c : listener.value("_extra_certificates", Json::array())) {
    if (removed.count(c.value("CertificateArn", "")) == 0) {
      kept.push_back(c);
    }
  }
  listener["_extra_certificates"] = kept;
  SERVICE_RETURN_IF_ERROR(Put(txn, kListenerNs, listener, "ListenerArn"));
  return Json::object();
}

ServiceResult Elbv2Service::DescribeListenerCertificates(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(
      auto doc,
      GetOwn(txn, call, kListenerNs, call.input.value("ListenerArn", ""), ListenerNotFound()));
  const Json& listener = doc;
  std::vector<Json> all;
  for (const Json& c : listener.value("Certificates", Json::array())) {
    all.push_back({{"CertificateArn", c.value("CertificateArn", "")}, {"IsDefault", true}});
  }
  for (const Json& c : listener.value("_extra_certificates", Json::array())) {
    all.push_back(c);
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Page(std::move(all), call.input, "Certificates"));
  return page;
}

}  // namespace cf::cloud::elbv2
