// ELBv2: load balancers (waiting until active), target groups, listeners and target group
// attachments. Tags of all of them go through DescribeTags / AddTags / RemoveTags by ARN.

#include <fmt/format.h>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

using Kind = Member::Kind;

Json& Item(Json& state) {
  return state["__item"];
}

TagSpec ElbTags() {
  TagSpec t;
  t.style = TagSpec::Style::kList;
  t.read_op = "DescribeTags";
  t.read_params = {{"ResourceArns", {"$id"}}};
  t.read_path = "TagDescriptions[0].Tags";
  t.tag_op = "AddTags";
  t.tag_params = {{"ResourceArns", {"$id"}}};
  t.untag_op = "RemoveTags";
  t.untag_params = {{"ResourceArns", {"$id"}}};
  return t;
}

// "app/NAME/ID" of "arn:...:loadbalancer/app/NAME/ID" (the part after `kind/`).
std::string ArnSuffix(const std::string& arn, std::string_view kind) {
  size_t at = arn.find(std::string(kind) + "/");
  return at == std::string::npos ? "" : arn.substr(at + kind.size() + 1);
}

// The load balancer attributes clusterform maps: Terraform argument, API key, value type.
struct LbAttribute {
  const char* attr;
  const char* key;
  bool is_bool;
  bool alb_only;
};
constexpr LbAttribute kLbAttributes[] = {
    {"enable_deletion_protection", "deletion_protection.enabled", true, false},
    {"enable_cross_zone_load_balancing", "load_balancing.cross_zone.enabled", true, false},
    {"idle_timeout", "idle_timeout.timeout_seconds", false, true},
    {"enable_http2", "routing.http2.enabled", true, true},
    {"drop_invalid_header_fields", "routing.http.drop_invalid_header_fields.enabled", true, true},
};

// Find by name: the object `op` answers for Names [name] (NotFound: none), read as its ARN.
std::function<Result<std::optional<Json>>(AwsContext&, const InstanceRef&, const Json&)> FindByName(
    std::string op, std::string list, std::string arn_member) {
  return [op, list, arn_member](AwsContext& ctx, const InstanceRef&,
                                const Json& config) -> Result<std::optional<Json>> {
    std::string name = Str(config, "name");
    if (name.empty()) {
      return std::optional<Json>();
    }
    Result<Json> out = ctx.Call("elbv2", op, {{"Names", {name}}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound) {
        return std::optional<Json>();
      }
      return out.status();
    }
    Json arn = GetPath(*out, list + "[0]." + arn_member);
    if (!arn.is_string()) {
      return std::optional<Json>();
    }
    Json state = config;
    state["id"] = arn;
    return std::optional<Json>(state);
  };
}

bool IsAlb(const Json& state) {
  return state.value("load_balancer_type", std::string("application")) == "application";
}

// The attributes `config` sets, as ModifyLoadBalancerAttributes takes them.
Json LbAttributesOf(const Json& config) {
  Json out = Json::array();
  for (const LbAttribute& a : kLbAttributes) {
    if (!config.contains(a.attr) || config[a.attr].is_null() || (a.alb_only && !IsAlb(config))) {
      continue;
    }
    const Json& v = config[a.attr];
    std::string value = v.is_boolean()  ? (v.get<bool>() ? "true" : "false")
                        : v.is_number() ? std::to_string(v.get<int64_t>())
                                        : v.get<std::string>();
    out.push_back({{"Key", a.key}, {"Value", value}});
  }
  return out;
}

TypeSpec LoadBalancer() {
  TypeSpec s;
  s.type = "aws_lb";
  s.service = "elbv2";
  s.tags = ElbTags();
  s.force_new = {"name", "name_prefix", "internal", "load_balancer_type"};
  s.find_prior = FindByName("DescribeLoadBalancers", "LoadBalancers", "LoadBalancerArn");
  s.create_op = "CreateLoadBalancer";
  s.create_id = "LoadBalancers[0].LoadBalancerArn";
  s.read.op = "DescribeLoadBalancers";
  s.read.ids_member = "LoadBalancerArns";
  s.read.list = "LoadBalancers";
  s.read.item_id = "LoadBalancerArn";
  s.read.gone_codes = {"LoadBalancerNotFound"};
  s.ready_waiter = "LoadBalancerAvailable";
  s.fields = {
      {.attr = "name", .create = "Name", .read = "LoadBalancerName"},
      {.attr = "load_balancer_type", .create = "Type", .read = "Type"},
      {.attr = "ip_address_type", .create = "IpAddressType", .read = "IpAddressType"},
      {.attr = "security_groups",
       .create = "SecurityGroups",
       .read = "SecurityGroups",
       .conv = Conv::kStringSet,
       .absent = Json::array(),
       .update_op = "SetSecurityGroups",
       .update_params = {{"LoadBalancerArn", "$id"}, {"SecurityGroups", "$value"}}},
      {.attr = "subnets",
       .create = "Subnets",
       .conv = Conv::kStringSet,
       .update_op = "SetSubnets",
       .update_params = {{"LoadBalancerArn", "$id"}, {"Subnets", "$value"}}},
      {.attr = "arn", .read = "LoadBalancerArn"},
      {.attr = "dns_name", .read = "DNSName"},
      {.attr = "zone_id", .read = "CanonicalHostedZoneId"},
      {.attr = "vpc_id", .read = "VpcId"},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    params["Scheme"] = config.value("internal", false) ? "internal" : "internet-facing";
    return OkStatus();
  };
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    Json attributes = LbAttributesOf(config);
    if (attributes.empty()) {
      return OkStatus();
    }
    return ctx
        .Call("elbv2", "ModifyLoadBalancerAttributes",
              {{"LoadBalancerArn", state["id"]}, {"Attributes", attributes}})
        .status();
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    std::string arn = state["id"];
    state["internal"] = Str(item, "Scheme") == "internal";
    Json subnets = Json::array();
    for (const Json& z : item.value("AvailabilityZones", Json::array())) {
      subnets.push_back(Str(z, "SubnetId"));
    }
    state["subnets"] = FromApi(subnets, Conv::kStringSet, prior.value("subnets", Json()));
    state["arn_suffix"] = ArnSuffix(arn, "loadbalancer");
    state["name_prefix"] = prior.value("name_prefix", "");
    state["enforce_security_group_inbound_rules_on_private_link_traffic"] = "";
    ASSIGN_OR_RETURN(
        Json out, ctx.Call("elbv2", "DescribeLoadBalancerAttributes", {{"LoadBalancerArn", arn}}));
    for (const Json& a : out.value("Attributes", Json::array())) {
      for (const LbAttribute& known : kLbAttributes) {
        if (Str(a, "Key") != known.key || (known.alb_only && !IsAlb(state))) {
          continue;
        }
        std::string v = Str(a, "Value");
        if (known.is_bool) {
          state[known.attr] = v == "true";
        } else {
          state[known.attr] = std::atoll(v.c_str());
        }
      }
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    Json attributes = Json::array();
    Json all = LbAttributesOf(config);
    for (const std::string changed : state["__changed"]) {
      for (const Json& a : all) {
        for (const LbAttribute& known : kLbAttributes) {
          if (known.attr == changed && Str(a, "Key") == known.key) {
            attributes.push_back(a);
          }
        }
      }
    }
    if (attributes.empty()) {
      return OkStatus();
    }
    return ctx
        .Call("elbv2", "ModifyLoadBalancerAttributes",
              {{"LoadBalancerArn", state["id"]}, {"Attributes", attributes}})
        .status();
  };
  s.delete_op = "DeleteLoadBalancer";
  s.delete_params = {{"LoadBalancerArn", "$id"}};
  return s;
}

// aws_lb_target_group's health_check block and the flat members of the API.
struct HealthMember {
  const char* attr;
  const char* api;
};
constexpr HealthMember kHealth[] = {
    {"enabled", "HealthCheckEnabled"},
    {"path", "HealthCheckPath"},
    {"port", "HealthCheckPort"},
    {"protocol", "HealthCheckProtocol"},
    {"healthy_threshold", "HealthyThresholdCount"},
    {"unhealthy_threshold", "UnhealthyThresholdCount"},
    {"timeout", "HealthCheckTimeoutSeconds"},
    {"interval", "HealthCheckIntervalSeconds"},
};

Json HealthParams(const Json& config) {
  Json out = Json::object();
  Json hc = config.value("health_check", Json::array());
  if (!hc.is_array() || hc.empty()) {
    return out;
  }
  for (const HealthMember& m : kHealth) {
    if (hc[0].contains(m.attr) && !hc[0][m.attr].is_null()) {
      out[m.api] = hc[0][m.attr];
    }
  }
  if (!Str(hc[0], "matcher").empty()) {
    out["Matcher"] = {{"HttpCode", hc[0]["matcher"]}};
  }
  return out;
}

TypeSpec TargetGroup() {
  TypeSpec s;
  s.type = "aws_lb_target_group";
  s.service = "elbv2";
  s.tags = ElbTags();
  s.force_new = {"name",        "name_prefix",     "port", "protocol", "vpc_id",
                 "target_type", "protocol_version"};
  s.find_prior = FindByName("DescribeTargetGroups", "TargetGroups", "TargetGroupArn");
  s.create_op = "CreateTargetGroup";
  s.create_id = "TargetGroups[0].TargetGroupArn";
  s.read.op = "DescribeTargetGroups";
  s.read.ids_member = "TargetGroupArns";
  s.read.list = "TargetGroups";
  s.read.item_id = "TargetGroupArn";
  s.read.gone_codes = {"TargetGroupNotFound"};
  s.fields = {
      {.attr = "name", .create = "Name", .read = "TargetGroupName"},
      {.attr = "port", .create = "Port", .read = "Port"},
      {.attr = "protocol", .create = "Protocol", .read = "Protocol"},
      {.attr = "protocol_version",
       .create = "ProtocolVersion",
       .read = "ProtocolVersion",
       .absent = "HTTP1"},
      {.attr = "vpc_id", .create = "VpcId", .read = "VpcId"},
      {.attr = "target_type", .create = "TargetType", .read = "TargetType", .absent = "instance"},
      {.attr = "ip_address_type",
       .create = "IpAddressType",
       .read = "IpAddressType",
       .absent = "ipv4"},
      {.attr = "arn", .read = "TargetGroupArn"},
      {.attr = "load_balancer_arns",
       .read = "LoadBalancerArns",
       .conv = Conv::kStringSet,
       .absent = Json::array()},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    params.update(HealthParams(config));
    return OkStatus();
  };
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    if (!config.contains("deregistration_delay")) {
      return OkStatus();
    }
    const Json& d = config["deregistration_delay"];
    std::string value =
        d.is_number() ? std::to_string(d.get<int64_t>()) : Str(config, "deregistration_delay");
    return ctx
        .Call(
            "elbv2", "ModifyTargetGroupAttributes",
            {{"TargetGroupArn", state["id"]},
             {"Attributes", {{{"Key", "deregistration_delay.timeout_seconds"}, {"Value", value}}}}})
        .status();
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    std::string arn = state["id"];
    state["arn_suffix"] =
        ArnSuffix(arn, "targetgroup") == "" ? "" : "targetgroup/" + ArnSuffix(arn, "targetgroup");
    state["name_prefix"] = prior.value("name_prefix", "");
    Json hc = Json::object();
    for (const HealthMember& m : kHealth) {
      if (item.contains(m.api)) {
        hc[m.attr] = item[m.api];
      }
    }
    hc["matcher"] = Str(GetPath(item, "Matcher"), "HttpCode");
    Json prior_hc = prior.value("health_check", Json());
    bool keep = prior_hc.is_array() && !prior_hc.empty();
    for (auto it = keep ? prior_hc[0].begin() : hc.end(); keep && it != prior_hc[0].end(); ++it) {
      keep = !hc.contains(it.key()) || hc[it.key()] == it.value();
    }
    state["health_check"] = keep ? prior_hc : Json::array({hc});
    ASSIGN_OR_RETURN(Json out,
                     ctx.Call("elbv2", "DescribeTargetGroupAttributes", {{"TargetGroupArn", arn}}));
    std::map<std::string, std::string> attrs;
    for (const Json& a : out.value("Attributes", Json::array())) {
      attrs[Str(a, "Key")] = Str(a, "Value");
    }
    auto attr = [&](const char* key, const char* fallback) {
      auto it = attrs.find(key);
      return it == attrs.end() ? std::string(fallback) : it->second;
    };
    Json delay = prior.value("deregistration_delay", Json());
    std::string d = attr("deregistration_delay.timeout_seconds", "300");
    state["deregistration_delay"] = delay.is_number() ? Json(std::atoll(d.c_str())) : Json(d);
    state["load_balancing_algorithm_type"] = attr("load_balancing.algorithm.type", "round_robin");
    state["load_balancing_anomaly_mitigation"] =
        attr("load_balancing.algorithm.anomaly_mitigation", "off");
    state["load_balancing_cross_zone_enabled"] =
        attr("load_balancing.cross_zone.enabled", "use_load_balancer_configuration");
    state["preserve_client_ip"] = attr("preserve_client_ip.enabled", "");
    state["connection_termination"] =
        attr("deregistration_delay.connection_termination.enabled", "false") == "true";
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    for (const std::string changed : state["__changed"]) {
      if (changed == "health_check") {
        Json params = HealthParams(config);
        params["TargetGroupArn"] = state["id"];
        RETURN_IF_ERROR(ctx.Call("elbv2", "ModifyTargetGroup", params));
      } else if (changed == "deregistration_delay") {
        const Json& d = config["deregistration_delay"];
        std::string value =
            d.is_number() ? std::to_string(d.get<int64_t>()) : Str(config, "deregistration_delay");
        RETURN_IF_ERROR(
            ctx.Call("elbv2", "ModifyTargetGroupAttributes",
                     {{"TargetGroupArn", state["id"]},
                      {"Attributes",
                       {{{"Key", "deregistration_delay.timeout_seconds"}, {"Value", value}}}}}));
      }
    }
    return OkStatus();
  };
  s.delete_op = "DeleteTargetGroup";
  s.delete_params = {{"TargetGroupArn", "$id"}};
  return s;
}

std::vector<Member> ActionMembers() {
  return {
      {.attr = "type", .api = "Type"},
      {.attr = "target_group_arn", .api = "TargetGroupArn"},
      {.attr = "order", .api = "Order"},
      {.attr = "fixed_response",
       .api = "FixedResponseConfig",
       .kind = Kind::kBlock,
       .children = {{.attr = "content_type", .api = "ContentType"},
                    {.attr = "message_body", .api = "MessageBody"},
                    {.attr = "status_code", .api = "StatusCode"}}},
      {.attr = "redirect",
       .api = "RedirectConfig",
       .kind = Kind::kBlock,
       .children = {{.attr = "host", .api = "Host"},
                    {.attr = "path", .api = "Path"},
                    {.attr = "port", .api = "Port"},
                    {.attr = "protocol", .api = "Protocol"},
                    {.attr = "query", .api = "Query"},
                    {.attr = "status_code", .api = "StatusCode"}}},
  };
}

Json CertificatesOf(const Json& config) {
  if (Str(config, "certificate_arn").empty()) {
    return Json();
  }
  return Json::array({{{"CertificateArn", config["certificate_arn"]}}});
}

TypeSpec Listener() {
  TypeSpec s;
  s.type = "aws_lb_listener";
  s.service = "elbv2";
  s.tags = ElbTags();
  s.force_new = {"load_balancer_arn"};
  s.create_op = "CreateListener";
  s.create_id = "Listeners[0].ListenerArn";
  s.read.op = "DescribeListeners";
  s.read.ids_member = "ListenerArns";
  s.read.list = "Listeners";
  s.read.item_id = "ListenerArn";
  s.read.gone_codes = {"ListenerNotFound"};
  s.fields = {
      {.attr = "load_balancer_arn", .create = "LoadBalancerArn", .read = "LoadBalancerArn"},
      {.attr = "port", .create = "Port", .read = "Port"},
      {.attr = "protocol", .create = "Protocol", .read = "Protocol"},
      {.attr = "ssl_policy", .create = "SslPolicy", .read = "SslPolicy", .absent = ""},
      {.attr = "alpn_policy", .read = "AlpnPolicy[0]"},
      {.attr = "certificate_arn", .read = "Certificates[0].CertificateArn"},
      {.attr = "arn", .read = "ListenerArn"},
      {.attr = "default_action",
       .create = "DefaultActions",
       .read = "DefaultActions",
       .block = ActionMembers(),
       .block_kind = Kind::kBlockList},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    Json certs = CertificatesOf(config);
    if (!certs.is_null()) {
      params["Certificates"] = certs;
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json&, Json& state) -> Status {
    // Headers ALB listeners can set; the local cloud sets none, as a new listener.
    for (const char* header :
         {"routing_http_request_x_amzn_mtls_clientcert_header_name",
          "routing_http_request_x_amzn_mtls_clientcert_issuer_header_name",
          "routing_http_request_x_amzn_mtls_clientcert_leaf_header_name",
          "routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name",
          "routing_http_request_x_amzn_mtls_clientcert_subject_header_name",
          "routing_http_request_x_amzn_mtls_clientcert_validity_header_name",
          "routing_http_request_x_amzn_tls_cipher_suite_header_name",
          "routing_http_request_x_amzn_tls_version_header_name",
          "routing_http_response_access_control_allow_credentials_header_value",
          "routing_http_response_access_control_allow_headers_header_value",
          "routing_http_response_access_control_allow_methods_header_value",
          "routing_http_response_access_control_allow_origin_header_value",
          "routing_http_response_access_control_expose_headers_header_value",
          "routing_http_response_access_control_max_age_header_value",
          "routing_http_response_content_security_policy_header_value",
          "routing_http_response_strict_transport_security_header_value",
          "routing_http_response_x_content_type_options_header_value",
          "routing_http_response_x_frame_options_header_value"}) {
      if (!state.contains(header)) {
        state[header] = "";
      }
    }
    if (!state.contains("routing_http_response_server_enabled")) {
      state["routing_http_response_server_enabled"] = true;
    }
    if (!state.contains("tcp_idle_timeout_seconds")) {
      state["tcp_idle_timeout_seconds"] = Str(state, "protocol") == "TCP" ? 350 : 0;
    }
    if (!state.contains("certificate_arn")) {
      state["certificate_arn"] = "";
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec& spec, const Json& config, Json& state) {
    Json params = {{"ListenerArn", state["id"]}};
    for (const std::string changed : state["__changed"]) {
      if (changed == "port") {
        params["Port"] = config["port"];
      } else if (changed == "protocol") {
        params["Protocol"] = config["protocol"];
      } else if (changed == "ssl_policy") {
        params["SslPolicy"] = config["ssl_policy"];
      } else if (changed == "certificate_arn") {
        params["Certificates"] = CertificatesOf(config);
      } else if (changed == "default_action") {
        for (const Field& f : spec.fields) {
          if (f.attr == "default_action") {
            params["DefaultActions"] =
                BlocksToApi(f.block, config["default_action"], Kind::kBlockList);
          }
        }
      }
    }
    if (params.size() == 1) {
      return OkStatus();
    }
    return ctx.Call("elbv2", "ModifyListener", params).status();
  };
  // One listener per load balancer and port: that pair finds an interrupted create.
  s.find_prior = [](AwsContext& ctx, const InstanceRef&,
                    const Json& config) -> Result<std::optional<Json>> {
    if (Str(config, "load_balancer_arn").empty()) {
      return std::optional<Json>();
    }
    Result<Json> out =
        ctx.Call("elbv2", "DescribeListeners", {{"LoadBalancerArn", config["load_balancer_arn"]}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound) {
        return std::optional<Json>();
      }
      return out.status();
    }
    for (const Json& l : out->value("Listeners", Json::array())) {
      if (l.value("Port", Json()) == config.value("port", Json())) {
        Json state = config;
        state["id"] = l["ListenerArn"];
        return std::optional<Json>(state);
      }
    }
    return std::optional<Json>();
  };
  s.delete_op = "DeleteListener";
  s.delete_params = {{"ListenerArn", "$id"}};
  return s;
}

// Terraform's id is unique per attachment; clusterform's names the pair, so a re-run finds it.
std::string AttachmentId(const Json& config) {
  std::string id = Str(config, "target_group_arn") + "-" + Str(config, "target_id");
  if (config.contains("port") && config["port"].is_number()) {
    id += fmt::format("-{}", config["port"].get<int64_t>());
  }
  return id;
}

Json TargetOf(const Json& state) {
  Json t = {{"Id", Str(state, "target_id")}};
  if (state.contains("port") && state["port"].is_number()) {
    t["Port"] = state["port"];
  }
  if (!Str(state, "availability_zone").empty()) {
    t["AvailabilityZone"] = state["availability_zone"];
  }
  return t;
}

Result<std::optional<Json>> ReadAttachment(AwsContext& ctx, const Json& state) {
  Json target = TargetOf(state);
  target.erase("AvailabilityZone");
  ASSIGN_OR_RETURN(Json out, ctx.Call("elbv2", "DescribeTargetHealth",
                                      {{"TargetGroupArn", Str(state, "target_group_arn")},
                                       {"Targets", {target}}}));
  for (const Json& d : out.value("TargetHealthDescriptions", Json::array())) {
    std::string reason = Str(GetPath(d, "TargetHealth"), "Reason");
    if (Str(GetPath(d, "Target"), "Id") == Str(state, "target_id") &&
        reason != "Target.NotRegistered" &&
        Str(GetPath(d, "TargetHealth"), "State") != "draining") {
      return std::optional<Json>(d);
    }
  }
  return std::optional<Json>();
}

TypeSpec TargetGroupAttachment() {
  TypeSpec s;
  s.type = "aws_lb_target_group_attachment";
  s.service = "elbv2";
  s.force_new = {"target_group_arn", "target_id", "port", "availability_zone"};
  s.create_op = "RegisterTargets";
  s.make_id = [](const Json& config, const Json&) { return AttachmentId(config); };
  s.fields = {
      {.attr = "target_group_arn", .create = "TargetGroupArn"},
      {.attr = "target_id"},
      {.attr = "port"},
      {.attr = "availability_zone"},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    params["Targets"] = Json::array({TargetOf(config)});
    return OkStatus();
  };
  s.custom_read = [](AwsContext& ctx, const TypeSpec&,
                     const Json& state) -> Result<std::optional<Json>> {
    return ReadAttachment(ctx, state);
  };
  s.find_prior = [](AwsContext& ctx, const InstanceRef&,
                    const Json& config) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(std::optional<Json> item, ReadAttachment(ctx, config));
    if (!item.has_value()) {
      return std::optional<Json>();
    }
    Json state = config;
    state["id"] = AttachmentId(config);
    return std::optional<Json>(state);
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    Json target = TargetOf(state);
    Result<Json> out =
        ctx.Call("elbv2", "DeregisterTargets",
                 {{"TargetGroupArn", Str(state, "target_group_arn")}, {"Targets", {target}}});
    if (!out.ok() && out.status().code() != StatusCode::kNotFound &&
        AwsContext::ErrorCode(out.status()) != "InvalidTarget") {  // not registered: gone
      return out.status();
    }
    return OkStatus();
  };
  // Terraform's import id: TARGET_GROUP_ARN,TARGET_ID[,PORT[,AVAILABILITY_ZONE]].
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : id) {
      if (c == ',') {
        parts.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    parts.push_back(cur);
    if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
      return InvalidArgumentError(
          "aws_lb_target_group_attachment import id must be TARGET_GROUP_ARN,TARGET_ID[,PORT]");
    }
    Json state = {{"target_group_arn", parts[0]}, {"target_id", parts[1]}};
    if (parts.size() > 2 && !parts[2].empty()) {
      state["port"] = std::atoll(parts[2].c_str());
    }
    if (parts.size() > 3 && !parts[3].empty()) {
      state["availability_zone"] = parts[3];
    }
    state["id"] = AttachmentId(state);
    return state;
  };
  return s;
}

}  // namespace

void AddLbTypes(std::vector<TypeSpec>& out) {
  out.push_back(LoadBalancer());
  out.push_back(TargetGroup());
  out.push_back(Listener());
  out.push_back(TargetGroupAttachment());
}

}  // namespace cf::provider::aws_spec
