// Load balancers, their attributes and tags (of every ELBv2 resource).

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "cloud/elbv2/elbv2_common.h"
#include "cloud/elbv2/elbv2_service.h"

namespace cf::cloud::elbv2 {

namespace {

// Load balancers take addresses from 127.240.0.0/16.
constexpr uint32_t kAddressBase = (127u << 24) | (240u << 16);
constexpr uint32_t kAddressCount = 1u << 16;

std::string Ipv4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

ServiceError LbNotFound() {
  return Error("LoadBalancerNotFound", "One or more load balancers not found");
}

const std::map<std::string, std::string>& DefaultAttributes(const std::string& type) {
  static const std::map<std::string, std::string> kApplication = {
      {"deletion_protection.enabled", "false"},
      {"idle_timeout.timeout_seconds", "60"},
      {"access_logs.s3.enabled", "false"},
      {"access_logs.s3.bucket", ""},
      {"access_logs.s3.prefix", ""},
      {"connection_logs.s3.enabled", "false"},
      {"connection_logs.s3.bucket", ""},
      {"connection_logs.s3.prefix", ""},
      {"routing.http2.enabled", "true"},
      {"routing.http.drop_invalid_header_fields.enabled", "false"},
      {"routing.http.desync_mitigation_mode", "defensive"},
      {"routing.http.preserve_host_header.enabled", "false"},
      {"routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false"},
      {"routing.http.xff_client_port.enabled", "false"},
      {"routing.http.xff_header_processing.mode", "append"},
      {"load_balancing.cross_zone.enabled", "true"},
      {"waf.fail_open.enabled", "false"},
      {"client_keep_alive.seconds", "3600"},
      {"zonal_shift.config.enabled", "false"},
  };
  static const std::map<std::string, std::string> kNetwork = {
      {"deletion_protection.enabled", "false"},
      {"access_logs.s3.enabled", "false"},
      {"access_logs.s3.bucket", ""},
      {"access_logs.s3.prefix", ""},
      {"load_balancing.cross_zone.enabled", "false"},
      {"dns_record.client_routing_policy", "any_availability_zone"},
      {"zonal_shift.config.enabled", "false"},
  };
  return type == "network" ? kNetwork : kApplication;
}

std::string CheckAttribute(const std::string& key, const std::string& value) {
  auto is_bool = [&] { return value == "true" || value == "false"; };
  if (key.size() > 8 && key.compare(key.size() - 8, 8, ".enabled") == 0 && !is_bool()) {
    return fmt::format("'{}' is not a valid value for '{}': use true or false", value, key);
  }
  if (key == "idle_timeout.timeout_seconds" || key == "client_keep_alive.seconds") {
    if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos ||
        value.size() > 6) {
      return fmt::format("'{}' must be an integer", key);
    }
    int64_t n = std::stoll(value);
    int64_t low = key == "idle_timeout.timeout_seconds" ? 1 : 60;
    int64_t high = key == "idle_timeout.timeout_seconds" ? 4000 : 604800;
    if (n < low || n > high) {
      return fmt::format("'{}' must be between {} and {}", key, low, high);
    }
  }
  if (key == "routing.http.desync_mitigation_mode" && value != "monitor" && value != "defensive" &&
      value != "strictest") {
    return "routing.http.desync_mitigation_mode must be monitor, defensive or strictest";
  }
  if (key == "routing.http.xff_header_processing.mode" && value != "append" &&
      value != "preserve" && value != "remove") {
    return "routing.http.xff_header_processing.mode must be append, preserve or remove";
  }
  return "";
}

Json AttributeList(const Json& lb) {
  Json list = Json::array();
  const Json attributes = lb.value("_attributes", Json::object());
  for (const auto& [key, value] : attributes.items()) {
    list.push_back({{"Key", key}, {"Value", value}});
  }
  return list;
}

// Which namespace and not-found error an ARN of AddTags/RemoveTags/DescribeTags belongs to.
struct TaggedKind {
  const char* ns;
  const char* code;
  const char* noun;
};

std::optional<TaggedKind> KindOfArn(const std::string& arn) {
  if (arn.find(":loadbalancer/") != std::string::npos) {
    return TaggedKind{kLoadBalancerNs, "LoadBalancerNotFound", "Load balancer"};
  }
  if (arn.find(":targetgroup/") != std::string::npos) {
    return TaggedKind{kTargetGroupNs, "TargetGroupNotFound", "Target group"};
  }
  if (arn.find(":listener-rule/") != std::string::npos) {
    return TaggedKind{kRuleNs, "RuleNotFound", "Rule"};
  }
  if (arn.find(":listener/") != std::string::npos) {
    return TaggedKind{kListenerNs, "ListenerNotFound", "Listener"};
  }
  return std::nullopt;
}

}  // namespace

ServiceResult Elbv2Service::CreateLoadBalancer(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string name = in.value("Name", "");
  if (std::string e = CheckName(name, "Load balancer"); !e.empty()) {
    return Error("ValidationError", e);
  }
  if (name.rfind("internal-", 0) == 0) {
    return Error("ValidationError", "Load balancer name cannot begin with 'internal-'");
  }
  std::string type = in.value("Type", "application");
  if (type != "application" && type != "network") {
    return Error("ValidationError",
                 fmt::format("Load balancers of type '{}' are not supported by the local cloud; "
                             "use application or network",
                             type));
  }
  std::string scheme = in.value("Scheme", "internet-facing");
  std::vector<std::string> subnets = Strings(in, "Subnets");
  for (const Json& m : in.value("SubnetMappings", Json::array())) {
    subnets.push_back(m.value("SubnetId", ""));
  }
  if (subnets.empty()) {
    return Error("ValidationError", "At least one subnet must be specified");
  }
  if (type == "application" && subnets.size() < 2) {
    return Error("ValidationError",
                 "At least two subnets in two different Availability Zones must be specified");
  }
  std::string vpc_id;
  std::set<std::string> zones;
  Json availability_zones = Json::array();
  for (const std::string& subnet_id : subnets) {
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> subnet,
                             txn.Get("ec2/subnet", call.region + "/" + subnet_id));
    if (!subnet) {
      return Error("SubnetNotFound", fmt::format("The subnet ID '{}' is not valid", subnet_id));
    }
    const Json& s = *subnet;
    std::string subnet_vpc = s.value("VpcId", "");
    if (!vpc_id.empty() && subnet_vpc != vpc_id) {
      return Error("InvalidConfigurationRequest",
                   "The subnets of a load balancer must all belong to one VPC");
    }
    vpc_id = subnet_vpc;
    std::string zone = s.value("AvailabilityZone", "");
    if (!zones.insert(zone).second) {
      return Error("InvalidConfigurationRequest",
                   "You cannot specify multiple subnets in the same Availability Zone");
    }
    availability_zones.push_back(
        {{"ZoneName", zone}, {"SubnetId", subnet_id}, {"LoadBalancerAddresses", Json::array()}});
  }
  std::vector<std::string> groups = Strings(in, "SecurityGroups");
  if (groups.empty() && type == "application") {
    SERVICE_ASSIGN_OR_RETURN(auto all, txn.List("ec2/security-group", call.region + "/"));
    for (const auto& [key, g] : all) {
      if (g.value("VpcId", "") == vpc_id && g.value("GroupName", "") == "default") {
        groups.push_back(g.value("GroupId", ""));
      }
    }
  }
  for (const std::string& group : groups) {
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> g,
                             txn.Get("ec2/security-group", call.region + "/" + group));
    if (!g || (*g).value("VpcId", "") != vpc_id) {
      return Error("InvalidSecurityGroup",
                   fmt::format("Security group '{}' does not exist in VPC '{}'", group, vpc_id));
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto existing, ListOwn(txn, call, kLoadBalancerNs, "loadbalancer/"));
  for (const Json& lb : existing) {
    if (lb.value("LoadBalancerName", "") == name) {
      std::vector<std::string> their;
      for (const Json& az : lb["AvailabilityZones"]) {
        their.push_back(az.value("SubnetId", ""));
      }
      std::vector<std::string> mine = subnets;
      std::sort(their.begin(), their.end());
      std::sort(mine.begin(), mine.end());
      if (lb.value("Type", "") == type && lb.value("Scheme", "") == scheme && their == mine) {
        // ELB answers a repeated identical request with the load balancer it made.
        Json view = Visible(lb);
        return Json{{"LoadBalancers", Json::array({view})}};
      }
      return Error("DuplicateLoadBalancerName",
                   fmt::format("A load balancer with the same name '{}' exists, but with "
                               "different settings",
                               name));
    }
  }
  // The lowest free address of the range, across every account and region.
  SERVICE_ASSIGN_OR_RETURN(auto all_lbs, txn.List(kLoadBalancerNs));
  std::set<std::string> taken;
  for (const auto& [arn, lb] : all_lbs) {
    taken.insert(lb.value("_address", ""));
  }
  std::string address;
  for (uint32_t i = 1; i < kAddressCount - 1; ++i) {
    uint32_t candidate = kAddressBase + i;
    if ((candidate & 255) == 0 || (candidate & 255) == 255) {
      continue;
    }
    if (taken.count(Ipv4(candidate)) == 0) {
      address = Ipv4(candidate);
      break;
    }
  }
  if (address.empty()) {
    return Error("TooManyLoadBalancers", "The local cloud's load balancer addresses are used up");
  }
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(Json::array(), in.value("Tags", Json::array())));
  std::string arn = fmt::format("{}loadbalancer/{}/{}/{}", ArnPrefix(call),
                                type == "network" ? "net" : "app", name, HexId(context_.ids));
  auto now = context_.clock.Now();
  int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  Json attributes = Json::object();
  for (const auto& [key, value] : DefaultAttributes(type)) {
    attributes[key] = value;
  }
  Json lb = {{"LoadBalancerArn", arn},
             {"DNSName", address},
             {"CanonicalHostedZoneId", type == "network" ? "Z26RNL4JYFTOTI" : "Z35SXDOTRQ7X7K"},
             {"CreatedTime", static_cast<double>(now_ms) / 1000.0},
             {"LoadBalancerName", name},
             {"Scheme", scheme},
             {"VpcId", vpc_id},
             {"Type", type},
             {"AvailabilityZones", availability_zones},
             {"IpAddressType", in.value("IpAddressType", "ipv4")},
             {"_address", address},
             {"_created_ms", now_ms},
             {"_attributes", attributes},
             {"_tags", tags}};
  if (!groups.empty()) {
    lb["SecurityGroups"] = groups;
  }
  SERVICE_RETURN_IF_ERROR(Put(txn, kLoadBalancerNs, lb, "LoadBalancerArn"));
  Json view = Visible(lb);
  view["State"] = {{"Code", "provisioning"}};
  if (context_.latency.StateDelay("elbv2:LoadBalancer").count() == 0) {
    view["State"] = {{"Code", "active"}};
  }
  return Json{{"LoadBalancers", Json::array({view})}};
}

ServiceResult Elbv2Service::DescribeLoadBalancers(const ServiceCall& call, CallTxn& txn) {
  std::vector<std::string> arns = Strings(call.input, "LoadBalancerArns");
  std::vector<std::string> names = Strings(call.input, "Names");
  if (!arns.empty() && !names.empty()) {
    return Error("ValidationError",
                 "Load balancer names and load balancer ARNs cannot be "
                 "specified at the same time");
  }
  SERVICE_ASSIGN_OR_RETURN(auto all, ListOwn(txn, call, kLoadBalancerNs, "loadbalancer/"));
  auto now = context_.clock.Now();
  int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  int64_t delay_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         context_.latency.StateDelay("elbv2:LoadBalancer"))
                         .count();
  std::vector<Json> selected;
  std::vector<std::string> missing;
  auto view = [&](const Json& lb) {
    Json v = Visible(lb);
    bool active = now_ms >= lb.value("_created_ms", int64_t{0}) + delay_ms;
    v["State"] = {{"Code", active ? "active" : "provisioning"}};
    return v;
  };
  const auto& lbs = all;
  if (!arns.empty() || !names.empty()) {
    const auto& wanted = arns.empty() ? names : arns;
    const char* member = arns.empty() ? "LoadBalancerName" : "LoadBalancerArn";
    for (const std::string& w : wanted) {
      auto it = std::find_if(lbs.begin(), lbs.end(),
                             [&](const Json& lb) { return lb.value(member, "") == w; });
      if (it == lbs.end()) {
        missing.push_back(w);
      } else {
        selected.push_back(view(*it));
      }
    }
    if (!missing.empty()) {
      if (arns.empty()) {
        std::string list;
        for (const std::string& m : missing) {
          list += (list.empty() ? "'" : ", '") + m + "'";
        }
        return Error("LoadBalancerNotFound", fmt::format("Load balancers '[{}]' not found", list));
      }
      return LbNotFound();
    }
  } else {
    for (const Json& lb : lbs) {
      selected.push_back(view(lb));
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Page(std::move(selected), call.input, "LoadBalancers"));
  return page;
}

ServiceResult Elbv2Service::DeleteLoadBalancer(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("LoadBalancerArn", "");
  ServiceOr<Json> lb = GetOwn(txn, call, kLoadBalancerNs, arn, LbNotFound());
  if (!lb.ok()) {
    if (arn.rfind(ArnPrefix(call) + "loadbalancer/", 0) == 0) {
      return Json::object();  // already gone: ELB answers success
    }
    return lb.error();
  }
  const Json& doc = *lb;
  if (doc["_attributes"].value("deletion_protection.enabled", "false") == "true") {
    return Error("OperationNotPermitted",
                 fmt::format("Load balancer '{}' cannot be deleted because deletion protection "
                             "is enabled",
                             arn));
  }
  SERVICE_ASSIGN_OR_RETURN(auto listeners, ListOwn(txn, call, kListenerNs, "listener/"));
  SERVICE_ASSIGN_OR_RETURN(auto rules, ListOwn(txn, call, kRuleNs, "listener-rule/"));
  std::set<std::string> gone;
  for (const Json& l : listeners) {
    if (l.value("LoadBalancerArn", "") == arn) {
      gone.insert(l.value("ListenerArn", ""));
      SERVICE_RETURN_IF_ERROR(txn.Delete(kListenerNs, l.value("ListenerArn", "")));
    }
  }
  for (const Json& r : rules) {
    if (gone.count(r.value("_listener", "")) > 0) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(kRuleNs, r.value("RuleArn", "")));
    }
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kLoadBalancerNs, arn));
  return Json::object();
}

ServiceResult Elbv2Service::DescribeLoadBalancerAttributes(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto lb, GetOwn(txn, call, kLoadBalancerNs,
                                           call.input.value("LoadBalancerArn", ""), LbNotFound()));
  return Json{{"Attributes", AttributeList(lb)}};
}

ServiceResult Elbv2Service::ModifyLoadBalancerAttributes(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto lb, GetOwn(txn, call, kLoadBalancerNs,
                                           call.input.value("LoadBalancerArn", ""), LbNotFound()));
  Json& doc = lb;
  const auto& known = DefaultAttributes(doc.value("Type", "application"));
  for (const Json& attribute : call.input.value("Attributes", Json::array())) {
    std::string key = attribute.value("Key", "");
    std::string value = attribute.value("Value", "");
    if (known.count(key) == 0) {
      return Error("InvalidConfigurationRequest",
                   fmt::format("Key {} not valid for a load balancer of type {}", key,
                               doc.value("Type", "application")));
    }
    if (std::string e = CheckAttribute(key, value); !e.empty()) {
      return Error("InvalidConfigurationRequest", e);
    }
    doc["_attributes"][key] = value;
  }
  SERVICE_RETURN_IF_ERROR(Put(txn, kLoadBalancerNs, doc, "LoadBalancerArn"));
  return Json{{"Attributes", AttributeList(doc)}};
}

ServiceResult Elbv2Service::SetSecurityGroups(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto lb, GetOwn(txn, call, kLoadBalancerNs,
                                           call.input.value("LoadBalancerArn", ""), LbNotFound()));
  Json& doc = lb;
  std::vector<std::string> groups = Strings(call.input, "SecurityGroups");
  for (const std::string& group : groups) {
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> g,
                             txn.Get("ec2/security-group", call.region + "/" + group));
    if (!g || (*g).value("VpcId", "") != doc.value("VpcId", "")) {
      return Error("InvalidSecurityGroup",
                   fmt::format("Security group '{}' does not exist in VPC '{}'", group,
                               doc.value("VpcId", "")));
    }
  }
  doc["SecurityGroups"] = groups;
  SERVICE_RETURN_IF_ERROR(Put(txn, kLoadBalancerNs, doc, "LoadBalancerArn"));
  return Json{{"SecurityGroupIds", groups}};
}

ServiceResult Elbv2Service::AddTags(const ServiceCall& call, CallTxn& txn) {
  std::vector<std::string> arns = Strings(call.input, "ResourceArns");
  for (const std::string& arn : arns) {
    std::optional<TaggedKind> kind = KindOfArn(arn);
    if (!kind) {
      return Error("ValidationError", fmt::format("'{}' is not a valid resource ARN", arn));
    }
    SERVICE_ASSIGN_OR_RETURN(
        auto doc, GetOwn(txn, call, kind->ns, arn,
                         Error(kind->code, fmt::format("{} '{}' not found", kind->noun, arn))));
    Json& d = doc;
    SERVICE_ASSIGN_OR_RETURN(auto merged, MergeTags(d.value("_tags", Json::array()),
                                                    call.input.value("Tags", Json::array())));
    d["_tags"] = merged;
    SERVICE_RETURN_IF_ERROR(txn.Put(kind->ns, arn, d));
  }
  return Json::object();
}

ServiceResult Elbv2Service::RemoveTags(const ServiceCall& call, CallTxn& txn) {
  std::vector<std::string> arns = Strings(call.input, "ResourceArns");
  std::vector<std::string> keys = Strings(call.input, "TagKeys");
  for (const std::string& arn : arns) {
    std::optional<TaggedKind> kind = KindOfArn(arn);
    if (!kind) {
      return Error("ValidationError", fmt::format("'{}' is not a valid resource ARN", arn));
    }
    SERVICE_ASSIGN_OR_RETURN(
        auto doc, GetOwn(txn, call, kind->ns, arn,
                         Error(kind->code, fmt::format("{} '{}' not found", kind->noun, arn))));
    Json& d = doc;
    Json kept = Json::array();
    for (const Json& tag : d.value("_tags", Json::array())) {
      if (std::find(keys.begin(), keys.end(), tag.value("Key", "")) == keys.end()) {
        kept.push_back(tag);
      }
    }
    d["_tags"] = kept;
    SERVICE_RETURN_IF_ERROR(txn.Put(kind->ns, arn, d));
  }
  return Json::object();
}

ServiceResult Elbv2Service::DescribeTags(const ServiceCall& call, CallTxn& txn) {
  Json descriptions = Json::array();
  for (const std::string& arn : Strings(call.input, "ResourceArns")) {
    std::optional<TaggedKind> kind = KindOfArn(arn);
    if (!kind) {
      return Error("ValidationError", fmt::format("'{}' is not a valid resource ARN", arn));
    }
    SERVICE_ASSIGN_OR_RETURN(
        auto doc, GetOwn(txn, call, kind->ns, arn,
                         Error(kind->code, fmt::format("{} '{}' not found", kind->noun, arn))));
    descriptions.push_back({{"ResourceArn", arn}, {"Tags", doc.value("_tags", Json::array())}});
  }
  return Json{{"TagDescriptions", descriptions}};
}

}  // namespace cf::cloud::elbv2
