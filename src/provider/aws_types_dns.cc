// DNS and certificates: Route 53 hosted zones and record sets, ACM certificates (imported or
// requested with DNS validation) and the wait for a certificate to be ISSUED.

#include <fmt/format.h>

#include <algorithm>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

Json& Item(Json& state) {
  return state["__item"];
}

std::string NoDot(std::string name) {
  if (!name.empty() && name.back() == '.') {
    name.pop_back();
  }
  return name;
}

// "Z123" of "/hostedzone/Z123".
std::string ZoneId(std::string id) {
  size_t slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// ---- aws_route53_zone ----

TypeSpec Zone() {
  TypeSpec s;
  s.type = "aws_route53_zone";
  s.service = "route53";
  s.force_new = {"name", "delegation_set_id"};
  s.create_op = "CreateHostedZone";
  s.make_id = [](const Json&, const Json& out) {
    return ZoneId(Str(GetPath(out, "HostedZone"), "Id"));
  };
  s.tags.style = TagSpec::Style::kList;
  s.tags.at_create = false;
  s.tags.read_op = "ListTagsForResource";
  s.tags.read_params = {{"ResourceType", "hostedzone"}, {"ResourceId", "$id"}};
  s.tags.read_path = "ResourceTagSet.Tags";
  s.tags.tag_op = "ChangeTagsForResource";
  s.tags.tag_params = {{"ResourceType", "hostedzone"}, {"ResourceId", "$id"}};
  s.tags.tag_member = "AddTags";
  s.tags.untag_op = "ChangeTagsForResource";
  s.tags.untag_params = {{"ResourceType", "hostedzone"}, {"ResourceId", "$id"}};
  s.tags.untag_member = "RemoveTagKeys";
  s.read.op = "GetHostedZone";
  s.read.params = {{"Id", "$id"}};
  s.read.gone_codes = {"NoSuchHostedZone"};
  s.fields = {
      {.attr = "comment",
       .read = "HostedZone.Config.Comment",
       .absent = "",
       .update_op = "UpdateHostedZoneComment",
       .update_params = {{"Id", "$id"}, {"Comment", "$value"}}},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    params["Name"] = Str(config, "name");
    params["HostedZoneConfig"] = {{"Comment", config.value("comment", "Managed by Terraform")}};
    Json vpc = config.value("vpc", Json::array());
    if (vpc.is_array() && !vpc.empty()) {
      params["VPC"] = {{"VPCId", Str(vpc[0], "vpc_id")}};
      if (!Str(vpc[0], "vpc_region").empty()) {
        params["VPC"]["VPCRegion"] = vpc[0]["vpc_region"];
      }
      params["HostedZoneConfig"]["PrivateZone"] = true;
    }
    if (!Str(config, "delegation_set_id").empty()) {
      params["DelegationSetId"] = config["delegation_set_id"];
    }
    return OkStatus();
  };
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) -> Status {
    // The create token is the caller reference: a re-run of an interrupted create is
    // HostedZoneAlreadyExists rather than a second zone.
    config["__caller_reference"] = ref.token;
    if (!config.contains("comment")) {
      config["comment"] = "Managed by Terraform";
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    std::string id = state["id"];
    // The configured spelling while it names the same zone.
    std::string api_name = NoDot(Str(GetPath(item, "HostedZone"), "Name"));
    std::string name = Str(prior, "name");
    state["name"] = Lower(NoDot(name)) == Lower(api_name) ? name : api_name;
    state["zone_id"] = id;
    state["arn"] = fmt::format("arn:{}:route53:::hostedzone/{}", ctx.partition(), id);
    Json ns = GetPath(item, "DelegationSet.NameServers");
    state["name_servers"] = ns.is_array() ? ns : Json::array();
    state["primary_name_server"] = ns.is_array() && !ns.empty() ? ns[0] : Json("");
    Json vpcs = Json::array();
    for (const Json& v : item.value("VPCs", Json::array())) {
      vpcs.push_back({{"vpc_id", Str(v, "VPCId")}, {"vpc_region", Str(v, "VPCRegion")}});
    }
    if (!vpcs.empty() || prior.contains("vpc")) {
      Json p = prior.value("vpc", Json());
      bool same = p.is_array() && p.size() == vpcs.size();
      for (size_t i = 0; same && i < vpcs.size(); ++i) {
        same = Str(p[i], "vpc_id") == Str(vpcs[i], "vpc_id");
      }
      state["vpc"] = same ? p : vpcs;
    }
    if (!state.contains("force_destroy")) {
      state["force_destroy"] = false;
    }
    if (!state.contains("delegation_set_id")) {
      state["delegation_set_id"] = "";
    }
    state["enable_accelerated_recovery"] = false;
    return OkStatus();
  };
  s.build_create = [build = s.build_create](AwsContext& ctx, const Json& config,
                                            Json& params) -> Status {
    RETURN_IF_ERROR(build(ctx, config, params));
    params["CallerReference"] = Str(config, "__caller_reference");
    return OkStatus();
  };
  // force_destroy: every record set but the apex SOA and NS goes first.
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) -> Status {
    if (!state.value("force_destroy", false)) {
      return OkStatus();
    }
    std::string id = state["id"];
    ASSIGN_OR_RETURN(Json zone, ctx.Call("route53", "GetHostedZone", {{"Id", id}}));
    std::string apex = Lower(Str(GetPath(zone, "HostedZone"), "Name"));
    Json changes = Json::array();
    Json params = {{"HostedZoneId", id}};
    for (int page = 0; page < 1000; ++page) {
      ASSIGN_OR_RETURN(Json out, ctx.Call("route53", "ListResourceRecordSets", params));
      for (const Json& r : out.value("ResourceRecordSets", Json::array())) {
        std::string type = Str(r, "Type");
        if (Lower(Str(r, "Name")) == apex && (type == "SOA" || type == "NS")) {
          continue;
        }
        changes.push_back({{"Action", "DELETE"}, {"ResourceRecordSet", r}});
      }
      if (!out.value("IsTruncated", false)) {
        break;
      }
      params["StartRecordName"] = out["NextRecordName"];
      params["StartRecordType"] = out["NextRecordType"];
    }
    if (changes.empty()) {
      return OkStatus();
    }
    return ctx
        .Call("route53", "ChangeResourceRecordSets",
              {{"HostedZoneId", id}, {"ChangeBatch", {{"Changes", changes}}}})
        .status();
  };
  s.find_prior = [](AwsContext& ctx, const InstanceRef& ref,
                    const Json& config) -> Result<std::optional<Json>> {
    Json params = Json::object();
    for (int page = 0; page < 1000; ++page) {
      ASSIGN_OR_RETURN(Json out, ctx.Call("route53", "ListHostedZones", params));
      for (const Json& z : out.value("HostedZones", Json::array())) {
        if (Str(z, "CallerReference") == ref.token) {
          Json state = config;
          state.erase("__caller_reference");
          state["id"] = ZoneId(Str(z, "Id"));
          return std::optional<Json>(state);
        }
      }
      if (!out.value("IsTruncated", false)) {
        break;
      }
      params["Marker"] = out["NextMarker"];
    }
    return std::optional<Json>();
  };
  s.delete_op = "DeleteHostedZone";
  s.delete_params = {{"Id", "$id"}};
  return s;
}

// ---- aws_route53_record ----

// The record's name as Route 53 keeps it: relative names get the zone's, always a final dot.
std::string Fqdn(const std::string& name, const std::string& zone_name) {
  std::string n = NoDot(Lower(name));
  std::string z = NoDot(Lower(zone_name));
  if (!z.empty() && n != z && !(n.size() > z.size() && n.ends_with("." + z))) {
    n += "." + z;
  }
  return n;
}

// Terraform's id: ZONEID_NAME_TYPE, plus _SET-IDENTIFIER when set.
std::string RecordId(const Json& state) {
  std::string id = Str(state, "zone_id") + "_" + Str(state, "name") + "_" + Str(state, "type");
  if (!Str(state, "set_identifier").empty()) {
    id += "_" + Str(state, "set_identifier");
  }
  return id;
}

Json RecordSet(const Json& config, const std::string& fqdn) {
  Json rs = {{"Name", fqdn + "."}, {"Type", Str(config, "type")}};
  if (!Str(config, "set_identifier").empty()) {
    rs["SetIdentifier"] = config["set_identifier"];
  }
  Json alias = config.value("alias", Json::array());
  if (alias.is_array() && !alias.empty()) {
    rs["AliasTarget"] = {{"HostedZoneId", Str(alias[0], "zone_id")},
                         {"DNSName", Str(alias[0], "name")},
                         {"EvaluateTargetHealth", alias[0].value("evaluate_target_health", false)}};
    return rs;
  }
  if (config.contains("ttl") && config["ttl"].is_number()) {
    rs["TTL"] = config["ttl"];
  }
  Json records = Json::array();
  for (const Json& r : config.value("records", Json::array())) {
    records.push_back({{"Value", r}});
  }
  rs["ResourceRecords"] = records;
  return rs;
}

Result<std::string> ZoneName(AwsContext& ctx, const std::string& zone_id) {
  ASSIGN_OR_RETURN(Json zone, ctx.Call("route53", "GetHostedZone", {{"Id", zone_id}}));
  return Str(GetPath(zone, "HostedZone"), "Name");
}

// The record set the state names, or none.
Result<std::optional<Json>> ReadRecord(AwsContext& ctx, const Json& state) {
  std::string zone_id = Str(state, "zone_id");
  Result<std::string> zone_name = ZoneName(ctx, zone_id);
  if (!zone_name.ok()) {
    if (zone_name.status().code() == StatusCode::kNotFound ||
        AwsContext::ErrorCode(zone_name.status()) == "NoSuchHostedZone") {
      return std::optional<Json>();
    }
    return zone_name.status();
  }
  std::string fqdn = Fqdn(Str(state, "name"), *zone_name);
  Json params = {{"HostedZoneId", zone_id},
                 {"StartRecordName", fqdn + "."},
                 {"StartRecordType", Str(state, "type")},
                 {"MaxItems", "100"}};
  ASSIGN_OR_RETURN(Json out, ctx.Call("route53", "ListResourceRecordSets", params));
  for (const Json& r : out.value("ResourceRecordSets", Json::array())) {
    if (Lower(NoDot(Str(r, "Name"))) == fqdn && Str(r, "Type") == Str(state, "type") &&
        Str(r, "SetIdentifier") == Str(state, "set_identifier")) {
      Json item = r;
      item["ClusterformFqdn"] = fqdn;
      return std::optional<Json>(item);
    }
  }
  return std::optional<Json>();
}

Status ChangeRecord(AwsContext& ctx, const std::string& action, const Json& config) {
  ASSIGN_OR_RETURN(std::string zone_name, ZoneName(ctx, Str(config, "zone_id")));
  Json change = {{"Action", action},
                 {"ResourceRecordSet", RecordSet(config, Fqdn(Str(config, "name"), zone_name))}};
  return ctx
      .Call("route53", "ChangeResourceRecordSets",
            {{"HostedZoneId", Str(config, "zone_id")},
             {"ChangeBatch", {{"Changes", Json::array({change})}}}})
      .status();
}

TypeSpec Record() {
  TypeSpec s;
  s.type = "aws_route53_record";
  s.service = "route53";
  s.force_new = {"zone_id", "name", "type", "set_identifier"};
  s.custom_create = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                       const Json& config) -> Result<StepResult> {
    // allow_overwrite takes over a record set that exists (UPSERT); otherwise CREATE fails on
    // one, as Terraform's.
    RETURN_IF_ERROR(
        ChangeRecord(ctx, config.value("allow_overwrite", false) ? "UPSERT" : "CREATE", config));
    StepResult result;
    result.state = config;
    result.state["id"] = RecordId(config);
    ASSIGN_OR_RETURN(std::optional<Json> item, ReadRecord(ctx, config));
    result.state["fqdn"] = item.has_value() ? Str(*item, "ClusterformFqdn") : "";
    if (!result.state.contains("allow_overwrite")) {
      result.state["allow_overwrite"] = false;
    }
    return result;
  };
  s.custom_read = [](AwsContext& ctx, const TypeSpec&,
                     const Json& state) -> Result<std::optional<Json>> {
    return ReadRecord(ctx, state);
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    state["fqdn"] = Str(item, "ClusterformFqdn");
    Json alias = item.value("AliasTarget", Json());
    if (alias.is_object()) {
      Json block = {{"name", Lower(NoDot(Str(alias, "DNSName")))},
                    {"zone_id", Str(alias, "HostedZoneId")},
                    {"evaluate_target_health", alias.value("EvaluateTargetHealth", false)}};
      Json p = GetPath(prior, "alias.0");
      if (p.is_object() && Lower(NoDot(Str(p, "name"))) == Str(block, "name")) {
        block["name"] = p["name"];
      }
      state["alias"] = Json::array({block});
      state.erase("records");
      state.erase("ttl");
    } else {
      Json records = Json::array();
      for (const Json& r : item.value("ResourceRecords", Json::array())) {
        records.push_back(Str(r, "Value"));
      }
      state["records"] = FromApi(records, Conv::kStringSet, prior.value("records", Json()));
      if (item.contains("TTL")) {
        state["ttl"] = item["TTL"];
      }
    }
    return OkStatus();
  };
  s.find_prior = [](AwsContext& ctx, const InstanceRef&,
                    const Json& config) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(std::optional<Json> item, ReadRecord(ctx, config));
    if (!item.has_value()) {
      return std::optional<Json>();
    }
    Json state = config;
    state["id"] = RecordId(config);
    state["fqdn"] = Str(*item, "ClusterformFqdn");
    return std::optional<Json>(state);
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json&) -> Status {
    return ChangeRecord(ctx, "UPSERT", config);
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    // DELETE must name the record set as it is: read it first.
    ASSIGN_OR_RETURN(std::optional<Json> item, ReadRecord(ctx, state));
    if (!item.has_value()) {
      return OkStatus();
    }
    Json rs = *item;
    rs.erase("ClusterformFqdn");
    return ctx
        .Call("route53", "ChangeResourceRecordSets",
              {{"HostedZoneId", Str(state, "zone_id")},
               {"ChangeBatch",
                {{"Changes", Json::array({{{"Action", "DELETE"}, {"ResourceRecordSet", rs}}})}}}})
        .status();
  };
  // Terraform's import id: ZONEID_NAME_TYPE[_SET-IDENTIFIER].
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : id) {
      if (c == '_' && parts.size() < 3) {
        parts.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    parts.push_back(cur);
    if (parts.size() < 3) {
      return InvalidArgumentError("aws_route53_record import id must be ZONEID_NAME_TYPE");
    }
    Json state = {{"zone_id", parts[0]}, {"name", parts[1]}, {"type", parts[2]}};
    if (parts.size() > 3) {
      state["set_identifier"] = parts[3];
    }
    state["id"] = std::string(id);
    return state;
  };
  return s;
}

// ---- aws_acm_certificate ----

bool Imported(const Json& config) {
  return !Str(config, "certificate_body").empty();
}

Json ImportParams(const Json& config) {
  // Blobs: the codec base64-encodes them.
  Json params = {{"Certificate", Str(config, "certificate_body")},
                 {"PrivateKey", Str(config, "private_key")}};
  if (!Str(config, "certificate_chain").empty()) {
    params["CertificateChain"] = config["certificate_chain"];
  }
  return params;
}

TypeSpec Certificate() {
  TypeSpec s;
  s.type = "aws_acm_certificate";
  s.service = "acm";
  s.force_new = {"domain_name", "subject_alternative_names", "validation_method", "key_algorithm",
                 "certificate_authority_arn"};
  s.tags.style = TagSpec::Style::kList;
  s.tags.read_op = "ListTagsForCertificate";
  s.tags.read_params = {{"CertificateArn", "$id"}};
  s.tags.read_path = "Tags";
  s.tags.tag_op = "AddTagsToCertificate";
  s.tags.tag_params = {{"CertificateArn", "$id"}};
  s.tags.untag_op = "RemoveTagsFromCertificate";
  s.tags.untag_params = {{"CertificateArn", "$id"}};
  s.read.op = "DescribeCertificate";
  s.read.params = {{"CertificateArn", "$id"}};
  s.read.object = "Certificate";
  s.fields = {
      {.attr = "arn", .read = "CertificateArn"},
      {.attr = "domain_name", .read = "DomainName"},
      {.attr = "status", .read = "Status"},
      {.attr = "type", .read = "Type"},
      {.attr = "not_after", .read = "NotAfter", .conv = Conv::kTimestamp},
      {.attr = "not_before", .read = "NotBefore", .conv = Conv::kTimestamp},
      {.attr = "renewal_eligibility", .read = "RenewalEligibility", .absent = "INELIGIBLE"},
  };
  // RequestCertificate's members (CertificateWithImport makes the call).
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    if (Imported(config)) {
      return OkStatus();
    }
    params["DomainName"] = Str(config, "domain_name");
    Json sans = config.value("subject_alternative_names", Json::array());
    if (sans.is_array() && !sans.empty()) {
      params["SubjectAlternativeNames"] = sans;
    }
    params["ValidationMethod"] = config.value("validation_method", "DNS");
    if (!Str(config, "key_algorithm").empty()) {
      params["KeyAlgorithm"] = config["key_algorithm"];
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    bool imported = Str(item, "Type") == "IMPORTED";
    Json sans = Json::array();
    for (const Json& n : item.value("SubjectAlternativeNames", Json::array())) {
      sans.push_back(n);
    }
    state["subject_alternative_names"] =
        FromApi(sans, Conv::kStringSet, prior.value("subject_alternative_names", Json()));
    Json dvo = Json::array();
    std::string method = imported ? "NONE" : "DNS";
    for (const Json& d : item.value("DomainValidationOptions", Json::array())) {
      if (!Str(d, "ValidationMethod").empty()) {
        method = Str(d, "ValidationMethod");
      }
      const Json rr = d.value("ResourceRecord", Json::object());
      if (imported || rr.empty()) {
        continue;
      }
      dvo.push_back({{"domain_name", Str(d, "DomainName")},
                     {"resource_record_name", Str(rr, "Name")},
                     {"resource_record_type", Str(rr, "Type")},
                     {"resource_record_value", Str(rr, "Value")}});
    }
    state["domain_validation_options"] = dvo;
    state["validation_method"] =
        prior.contains("validation_method") ? prior["validation_method"] : Json(method);
    std::string algorithm = Str(item, "KeyAlgorithm");
    std::replace(algorithm.begin(), algorithm.end(), '-', '_');  // "RSA-2048" -> "RSA_2048"
    state["key_algorithm"] = algorithm;
    state["validation_emails"] = Json::array();
    state["pending_renewal"] = false;
    state["renewal_summary"] = Json::array();
    if (!state.contains("not_after")) {
      state["not_after"] = "";
    }
    if (!state.contains("not_before")) {
      state["not_before"] = "";
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    bool reimport = false;
    for (const std::string changed : state["__changed"]) {
      if (changed == "certificate_body" || changed == "private_key" ||
          changed == "certificate_chain") {
        reimport = true;
      }
    }
    if (reimport && Imported(config)) {
      Json params = ImportParams(config);
      params["CertificateArn"] = state["id"];
      RETURN_IF_ERROR(ctx.Call("acm", "ImportCertificate", params));
    }
    return OkStatus();
  };
  s.delete_op = "DeleteCertificate";
  s.delete_params = {{"CertificateArn", "$id"}};
  return s;
}

// The certificate a create tagged with this address, or none.
Result<std::optional<Json>> FindCertificate(AwsContext& ctx, const InstanceRef& ref,
                                            const Json& config) {
  Json params = {
      {"Includes",
       {{"keyTypes",
         {"RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1"}}}}};
  for (int page = 0; page < 1000; ++page) {
    ASSIGN_OR_RETURN(Json out, ctx.Call("acm", "ListCertificates", params));
    for (const Json& c : out.value("CertificateSummaryList", Json::array())) {
      std::string arn = Str(c, "CertificateArn");
      ASSIGN_OR_RETURN(Json tags,
                       ctx.Call("acm", "ListTagsForCertificate", {{"CertificateArn", arn}}));
      for (const Json& t : tags.value("Tags", Json::array())) {
        if (Str(t, "Key") == kAddressTag && Str(t, "Value") == ref.address) {
          Json state = config;
          state["id"] = arn;
          return std::optional<Json>(state);
        }
      }
    }
    if (Str(out, "NextToken").empty()) {
      break;
    }
    params["NextToken"] = out["NextToken"];
  }
  return std::optional<Json>();
}

// ImportCertificate or RequestCertificate, by the arguments, as Terraform.
TypeSpec CertificateWithImport() {
  TypeSpec s = Certificate();
  TypeSpec request = Certificate();
  s.custom_create = [request](AwsContext& ctx, const TypeSpec&, const InstanceRef& ref,
                              const Json& config) -> Result<StepResult> {
    Json tags = TagsAll(ctx, config);
    tags[std::string(kAddressTag)] = ref.address;
    std::string arn;
    if (Imported(config)) {
      Json params = ImportParams(config);
      if (!tags.empty()) {
        params["Tags"] = TagsToList(tags, request.tags);
      }
      ASSIGN_OR_RETURN(Json out, ctx.Call("acm", "ImportCertificate", params));
      arn = Str(out, "CertificateArn");
    } else {
      Json params = Json::object();
      RETURN_IF_ERROR(request.build_create(ctx, config, params));
      // ACM's idempotency token: up to 32 word characters.
      std::string token;
      for (char c : ref.token) {
        if (std::isalnum(static_cast<unsigned char>(c)) && token.size() < 32) {
          token += c;
        }
      }
      params["IdempotencyToken"] = token;
      if (!tags.empty()) {
        params["Tags"] = TagsToList(tags, request.tags);
      }
      ASSIGN_OR_RETURN(Json out, ctx.Call("acm", "RequestCertificate", params));
      arn = Str(out, "CertificateArn");
    }
    if (arn.empty()) {
      return InternalError("aws_acm_certificate: ACM answered no certificate ARN");
    }
    StepResult result;
    result.state = config;
    result.state["id"] = arn;
    result.pending = true;  // the first poll reads the rest
    return result;
  };
  s.find_prior = [](AwsContext& ctx, const InstanceRef& ref,
                    const Json& config) -> Result<std::optional<Json>> {
    return FindCertificate(ctx, ref, config);
  };
  return s;
}

// ---- aws_acm_certificate_validation ----

TypeSpec CertificateValidation() {
  TypeSpec s;
  s.type = "aws_acm_certificate_validation";
  s.service = "acm";
  s.force_new = {"certificate_arn", "validation_record_fqdns"};
  // Nothing is created: the certificate is waited for until ISSUED.
  s.locate = [](AwsContext&, const Json& config) -> Result<std::string> {
    std::string arn = Str(config, "certificate_arn");
    if (arn.empty()) {
      return InvalidArgumentError("aws_acm_certificate_validation: certificate_arn is required");
    }
    return arn;
  };
  s.read.op = "DescribeCertificate";
  s.read.params = {{"CertificateArn", "$attr.certificate_arn"}};
  s.read.object = "Certificate";
  s.read.state_path = "Status";
  s.read.pending_states = {"PENDING_VALIDATION"};
  s.ready_waiter = "CertificateValidated";
  s.fields = {{.attr = "certificate_arn", .read = "CertificateArn"}};
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    return Json{{"id", std::string(id)}, {"certificate_arn", std::string(id)}};
  };
  return s;
}

}  // namespace

void AddDnsTypes(std::vector<TypeSpec>& out) {
  out.push_back(Zone());
  out.push_back(Record());
  out.push_back(CertificateWithImport());
  out.push_back(CertificateValidation());
}

}  // namespace cf::provider::aws_spec
