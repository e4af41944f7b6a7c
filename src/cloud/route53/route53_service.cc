#include "cloud/route53/route53_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "cloud/route53/record_sets.h"

namespace cf::cloud::route53 {

namespace {

ServiceError Error(const char* code, std::string message, int status = 400) {
  return ServiceError{code, std::move(message), status, true};
}

// The local cloud's own failures (the store's), as Route 53 answers its internal errors.
ServiceError Unavailable(std::string message) {
  return ServiceError{"ServiceUnavailable", std::move(message), 500, false};
}

ServiceError Invalid(std::string message) {
  return Error("InvalidInput", "Invalid request: " + std::move(message));
}

ServiceError NoSuchZone(const std::string& id) {
  return Error("NoSuchHostedZone", fmt::format("No hosted zone found with ID: {}", id), 404);
}

// "/hostedzone/Z123" or "Z123" -> "Z123".
std::string BareId(std::string id, const char* prefix) {
  std::string p = std::string("/") + prefix + "/";
  if (id.rfind(p, 0) == 0) {
    id = id.substr(p.size());
  } else if (id.rfind(p.substr(1), 0) == 0) {
    id = id.substr(p.size() - 1);
  }
  return id;
}

// "Z" or "C" and 20 of [0-9A-Z].
std::string NewId(IdGenerator& ids, char letter) {
  std::string hex = ids.ResourceId("x").substr(2) + ids.ResourceId("x").substr(2);
  std::string id(1, letter);
  for (size_t i = 0; i < 20; ++i) {
    id.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i]))));
  }
  return id;
}

// The zone of the caller's account, or NoSuchHostedZone.
ServiceOr<Json> GetZone(CallTxn& txn, const ServiceCall& call, const std::string& id) {
  SERVICE_ASSIGN_OR_RETURN(Json zone, txn.Require(kZoneNs, id, NoSuchZone(id)));
  if (zone.value("_account", "") != call.account_id) {
    return NoSuchZone(id);
  }
  return zone;
}

ServiceOr<std::map<std::string, Json>> ZoneRecords(CallTxn& txn, const std::string& zone_id) {
  SERVICE_ASSIGN_OR_RETURN(auto docs, txn.List(kRecordNs, zone_id + "|"));
  std::map<std::string, Json> out;
  for (auto& [key, doc] : docs) {
    out[key] = std::move(doc);
  }
  return out;
}

Json ZoneView(const Json& zone, size_t record_count) {
  Json view = {{"Id", zone.value("Id", "")},
               {"Name", DisplayName(zone.value("Name", ""))},
               {"CallerReference", zone.value("CallerReference", "")},
               {"Config", zone.value("Config", Json::object())},
               {"ResourceRecordSetCount", static_cast<int64_t>(record_count)}};
  return view;
}

size_t CountRecords(CallTxn& txn, const std::string& zone_id) {
  auto docs = txn.List(kRecordNs, zone_id + "|");
  return docs.ok() ? docs->size() : 0;
}

ServiceOr<size_t> MaxItems(const Json& input, size_t fallback, size_t limit) {
  if (!input.contains("MaxItems")) {
    return fallback;
  }
  std::string text = input["MaxItems"].is_string() ? input["MaxItems"].get<std::string>()
                                                   : input["MaxItems"].dump();
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoul(text) == 0) {
    return Error("InvalidInput", fmt::format("1 validation error detected: Value '{}' at "
                                             "'maxItems' failed to satisfy constraint: Member "
                                             "must be a positive integer",
                                             text));
  }
  return std::min<size_t>(std::stoul(text), limit);
}

}  // namespace

std::vector<Json> FindRecordSets(StoreTxn& txn, const std::string& account, const std::string& name,
                                 const std::string& type) {
  std::vector<Json> out;
  std::optional<std::string> canonical = CanonicalName(name);
  if (!canonical) {
    return out;
  }
  auto zones = txn.List(kZoneNs);
  if (!zones.ok()) {
    return out;
  }
  for (const auto& [zone_id, zone] : *zones) {
    if (zone.value("_account", "") != account || !InZone(*canonical, zone.value("Name", ""))) {
      continue;
    }
    auto records = txn.List(kRecordNs, zone_id + "|");
    if (!records.ok()) {
      continue;
    }
    for (const auto& [key, record] : *records) {
      if (record.value("Name", "") == *canonical && record.value("Type", "") == type) {
        out.push_back(record);
      }
    }
  }
  return out;
}

const OperationTable<Route53Service>& Route53Service::Operations() {
  static const OperationTable<Route53Service> kTable(
      {
          {"CreateHostedZone", &Route53Service::CreateHostedZone},
          {"GetHostedZone", &Route53Service::GetHostedZone},
          {"ListHostedZones", &Route53Service::ListHostedZones},
          {"ListHostedZonesByName", &Route53Service::ListHostedZonesByName},
          {"DeleteHostedZone", &Route53Service::DeleteHostedZone},
          {"UpdateHostedZoneComment", &Route53Service::UpdateHostedZoneComment},
          {"GetHostedZoneCount", &Route53Service::GetHostedZoneCount},
          {"AssociateVPCWithHostedZone", &Route53Service::AssociateVPCWithHostedZone},
          {"DisassociateVPCFromHostedZone", &Route53Service::DisassociateVPCFromHostedZone},
          {"ChangeResourceRecordSets", &Route53Service::ChangeResourceRecordSets},
          {"ListResourceRecordSets", &Route53Service::ListResourceRecordSets},
          {"GetChange", &Route53Service::GetChange},
          {"ChangeTagsForResource", &Route53Service::ChangeTagsForResource},
          {"ListTagsForResource", &Route53Service::ListTagsForResource},
      },
      {.internal_error = Unavailable, .invalid_input = Invalid});
  return kTable;
}

int64_t Route53Service::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             context_.clock.Now().time_since_epoch())
      .count();
}

ServiceOr<Json> Route53Service::NewChange(CallTxn& txn, const std::string& comment) {
  std::string id = NewId(context_.ids, 'C');
  int64_t now = NowMillis();
  Json change = {{"Id", "/change/" + id},
                 {"Status", "PENDING"},
                 {"SubmittedAt", static_cast<double>(now) / 1000.0},
                 {"_submitted_ms", now}};
  if (!comment.empty()) {
    change["Comment"] = comment;
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kChangeNs, id, change));
  return change;
}

Json Route53Service::ChangeView(const Json& change) const {
  Json view = change;
  int64_t delay = std::chrono::duration_cast<std::chrono::milliseconds>(
                      context_.latency.StateDelay("route53:Change"))
                      .count();
  view["Status"] =
      NowMillis() >= change.value("_submitted_ms", int64_t{0}) + delay ? "INSYNC" : "PENDING";
  view.erase("_submitted_ms");
  return view;
}

ServiceResult Route53Service::CreateHostedZone(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::optional<std::string> name = CanonicalName(in.value("Name", ""));
  if (!name || *name == ".") {
    return Error(
        "InvalidDomainName",
        fmt::format("{} is reserved by AWS or is not a valid domain name", in.value("Name", "")));
  }
  std::string reference = in.value("CallerReference", "");
  if (reference.empty() || reference.size() > 128) {
    return Error("InvalidInput", "CallerReference must be 1 to 128 characters");
  }
  bool is_private = in.contains("VPC");
  Json config = in.value("HostedZoneConfig", Json::object());
  if (config.value("PrivateZone", false) && !is_private) {
    return Error("InvalidInput", "A private hosted zone needs a VPC");
  }
  Json vpc;
  if (is_private) {
    vpc = in["VPC"];
    std::string region = vpc.value("VPCRegion", call.region);
    std::string vpc_id = vpc.value("VPCId", "");
    vpc["VPCRegion"] = region;
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> found, txn.Get("ec2/vpc", region + "/" + vpc_id));
    if (!found) {
      return Error("InvalidVPCId",
                   fmt::format("The VPC ID '{}' is not valid in region {}", vpc_id, region));
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto zones, txn.List(kZoneNs));
  for (const auto& [id, zone] : zones) {
    if (zone.value("_account", "") != call.account_id) {
      continue;
    }
    if (zone.value("CallerReference", "") == reference) {
      return Error("HostedZoneAlreadyExists",
                   fmt::format("A hosted zone has already been created with the specified "
                               "caller reference '{}'",
                               reference),
                   409);
    }
    if (is_private && zone.value("Name", "") == *name) {
      for (const Json& v : zone.value("_vpcs", Json::array())) {
        if (v == vpc) {
          return Error("ConflictingDomainExists",
                       fmt::format("The VPC {} is already associated with a private hosted zone "
                                   "named {}",
                                   vpc.value("VPCId", ""), *name));
        }
      }
    }
  }
  std::string id = NewId(context_.ids, 'Z');
  config["PrivateZone"] = is_private;
  Json name_servers = Json::array();
  if (!is_private) {
    for (int i = 1; i <= 4; ++i) {
      name_servers.push_back(fmt::format("ns-{}.route53.localhost.", i));
    }
  }
  Json zone = {
      {"Id", "/hostedzone/" + id},     {"Name", *name},
      {"CallerReference", reference},  {"Config", config},
      {"_account", call.account_id},   {"_vpcs", is_private ? Json::array({vpc}) : Json::array()},
      {"_name_servers", name_servers}, {"_tags", Json::array()}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kZoneNs, id, zone));
  // Every zone starts with its SOA and NS record sets.
  Json soa = {{"Name", *name},
              {"Type", "SOA"},
              {"TTL", 900},
              {"ResourceRecords",
               {{{"Value", fmt::format("ns-1.route53.localhost. awsdns-hostmaster.amazon.com. 1 "
                                       "7200 900 1209600 86400")}}}}};
  Json ns_values = Json::array();
  for (const Json& ns : is_private ? Json::array({"ns-0.route53.localhost."}) : name_servers) {
    ns_values.push_back({{"Value", ns}});
  }
  Json ns = {{"Name", *name}, {"Type", "NS"}, {"TTL", 172800}, {"ResourceRecords", ns_values}};
  for (const Json& r : {soa, ns}) {
    SERVICE_RETURN_IF_ERROR(txn.Put(kRecordNs, RecordKey(id, *name, r["Type"], ""), r));
  }
  SERVICE_ASSIGN_OR_RETURN(Json change, NewChange(txn, ""));
  Json out = {{"HostedZone", ZoneView(zone, 2)},
              {"ChangeInfo", ChangeView(change)},
              {"Location", "https://route53.amazonaws.com/2013-04-01/hostedzone/" + id}};
  if (is_private) {
    out["VPC"] = vpc;
  } else {
    out["DelegationSet"] = {{"NameServers", name_servers}};
  }
  return out;
}

ServiceResult Route53Service::GetHostedZone(const ServiceCall& call, CallTxn& txn) {
  std::string id = BareId(call.input.value("Id", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(Json z, GetZone(txn, call, id));
  Json out = {{"HostedZone", ZoneView(z, CountRecords(txn, id))}};
  if (z["Config"].value("PrivateZone", false)) {
    out["VPCs"] = z["_vpcs"];
  } else {
    out["DelegationSet"] = {{"NameServers", z["_name_servers"]}};
  }
  return out;
}

ServiceResult Route53Service::ListHostedZones(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(size_t limit, MaxItems(call.input, 100, 100));
  std::string marker = BareId(call.input.value("Marker", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(auto zones, txn.List(kZoneNs));
  Json list = Json::array();
  std::string next;
  for (const auto& [id, zone] : zones) {
    if (zone.value("_account", "") != call.account_id || (!marker.empty() && id < marker)) {
      continue;
    }
    if (list.size() == limit) {
      next = id;
      break;
    }
    list.push_back(ZoneView(zone, CountRecords(txn, id)));
  }
  Json out = {{"HostedZones", list},
              {"Marker", marker},
              {"IsTruncated", !next.empty()},
              {"MaxItems", std::to_string(limit)}};
  if (!next.empty()) {
    out["NextMarker"] = next;
  }
  return out;
}

ServiceResult Route53Service::ListHostedZonesByName(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(size_t limit, MaxItems(call.input, 100, 100));
  std::string start;
  if (call.input.contains("DNSName")) {
    std::optional<std::string> name = CanonicalName(call.input.value("DNSName", ""));
    if (!name) {
      return Error("InvalidDomainName", "The DNS name is not valid");
    }
    start = SortKey(*name);
  }
  std::string start_id = BareId(call.input.value("HostedZoneId", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(auto zones, txn.List(kZoneNs));
  std::vector<std::pair<std::pair<std::string, std::string>, Json>> sorted;
  for (const auto& [id, zone] : zones) {
    if (zone.value("_account", "") == call.account_id) {
      sorted.push_back({{SortKey(zone.value("Name", "")), id}, zone});
    }
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Json list = Json::array();
  Json out = {{"IsTruncated", false}, {"MaxItems", std::to_string(limit)}};
  for (const auto& [key, zone] : sorted) {
    if (key.first < start || (key.first == start && !start_id.empty() && key.second < start_id)) {
      continue;
    }
    if (list.size() == limit) {
      out["IsTruncated"] = true;
      out["NextDNSName"] = DisplayName(zone.value("Name", ""));
      out["NextHostedZoneId"] = key.second;
      break;
    }
    list.push_back(ZoneView(zone, CountRecords(txn, key.second)));
  }
  out["HostedZones"] = list;
  if (call.input.contains("DNSName")) {
    out["DNSName"] = call.input["DNSName"];
  }
  return out;
}

ServiceResult Route53Service::DeleteHostedZone(const ServiceCall& call, CallTxn& txn) {
  std::string id = BareId(call.input.value("Id", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(Json zone, GetZone(txn, call, id));
  std::string name = zone.value("Name", "");
  SERVICE_ASSIGN_OR_RETURN(auto records, ZoneRecords(txn, id));
  for (const auto& [key, record] : records) {
    bool required = record.value("Name", "") == name &&
                    (record.value("Type", "") == "SOA" || record.value("Type", "") == "NS");
    if (!required) {
      return Error("HostedZoneNotEmpty",
                   "The specified hosted zone contains non-required resource record sets and "
                   "so cannot be deleted.");
    }
  }
  for (const auto& [key, record] : records) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kRecordNs, key));
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kZoneNs, id));
  SERVICE_ASSIGN_OR_RETURN(Json change, NewChange(txn, ""));
  return Json{{"ChangeInfo", ChangeView(change)}};
}

ServiceResult Route53Service::UpdateHostedZoneComment(const ServiceCall& call, CallTxn& txn) {
  std::string id = BareId(call.input.value("Id", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(Json z, GetZone(txn, call, id));
  if (call.input.contains("Comment")) {
    z["Config"]["Comment"] = call.input["Comment"];
  } else {
    z["Config"].erase("Comment");
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kZoneNs, id, z));
  return Json{{"HostedZone", ZoneView(z, CountRecords(txn, id))}};
}

ServiceResult Route53Service::GetHostedZoneCount(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto zones, txn.List(kZoneNs));
  int64_t count = 0;
  for (const auto& [id, zone] : zones) {
    count += zone.value("_account", "") == call.account_id;
  }
  return Json{{"HostedZoneCount", count}};
}

ServiceResult Route53Service::AssociateVPCWithHostedZone(const ServiceCall& call, CallTxn& txn) {
  std::string id = BareId(call.input.value("HostedZoneId", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(Json z, GetZone(txn, call, id));
  if (!z["Config"].value("PrivateZone", false)) {
    return Error("PublicZoneVPCAssociation",
                 "You're trying to associate a VPC with a public hosted zone.");
  }
  Json vpc = call.input.value("VPC", Json::object());
  vpc["VPCRegion"] = vpc.value("VPCRegion", call.region);
  SERVICE_ASSIGN_OR_RETURN(
      std::optional<Json> found,
      txn.Get("ec2/vpc", vpc.value("VPCRegion", "") + "/" + vpc.value("VPCId", "")));
  if (!found) {
    return Error("InvalidVPCId",
                 fmt::format("The VPC ID '{}' is not valid", vpc.value("VPCId", "")));
  }
  Json& vpcs = z["_vpcs"];
  if (std::find(vpcs.begin(), vpcs.end(), vpc) != vpcs.end()) {
    return Error("ConflictingDomainExists",
                 fmt::format("The VPC {} is already associated with this hosted zone",
                             vpc.value("VPCId", "")));
  }
  vpcs.push_back(vpc);
  SERVICE_RETURN_IF_ERROR(txn.Put(kZoneNs, id, z));
  SERVICE_ASSIGN_OR_RETURN(Json change, NewChange(txn, call.input.value("Comment", "")));
  return Json{{"ChangeInfo", ChangeView(change)}};
}

ServiceResult Route53Service::DisassociateVPCFromHostedZone(const ServiceCall& call, CallTxn& txn) {
  std::string id = BareId(call.input.value("HostedZoneId", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(Json z, GetZone(txn, call, id));
  Json vpc = call.input.value("VPC", Json::object());
  vpc["VPCRegion"] = vpc.value("VPCRegion", call.region);
  Json& vpcs = z["_vpcs"];
  auto it = std::find(vpcs.begin(), vpcs.end(), vpc);
  if (it == vpcs.end()) {
    return Error("VPCAssociationNotFound",
                 fmt::format("The specified VPC {} is not associated with the hosted zone {}",
                             vpc.value("VPCId", ""), id),
                 404);
  }
  if (vpcs.size() == 1) {
    return Error("LastVPCAssociation",
                 "The VPC that you're trying to disassociate from the private hosted zone is "
                 "the last VPC that is associated with the hosted zone.");
  }
  vpcs.erase(it);
  SERVICE_RETURN_IF_ERROR(txn.Put(kZoneNs, id, z));
  SERVICE_ASSIGN_OR_RETURN(Json change, NewChange(txn, call.input.value("Comment", "")));
  return Json{{"ChangeInfo", ChangeView(change)}};
}

ServiceResult Route53Service::ChangeResourceRecordSets(const ServiceCall& call, CallTxn& txn) {
  std::string id = BareId(call.input.value("HostedZoneId", ""), "hostedzone");
  const Json& batch = call.input.value("ChangeBatch", Json::object());
  SERVICE_ASSIGN_OR_RETURN(Json zone, GetZone(txn, call, id));
  SERVICE_ASSIGN_OR_RETURN(auto before, ZoneRecords(txn, id));
  std::map<std::string, Json> after = before;
  BatchResult result =
      ApplyChanges(id, zone.value("Name", ""), batch.value("Changes", Json::array()), after);
  if (!result.invalid_input.empty()) {
    return Error("InvalidInput", result.invalid_input);
  }
  if (!result.messages.empty()) {
    ServiceError error = Error("InvalidChangeBatch", "");
    std::string joined;
    for (const std::string& m : result.messages) {
      joined += (joined.empty() ? "[" : ", ") + m;
    }
    error.message = joined + "]";
    error.fields = {{"messages", result.messages}};
    return error;
  }
  for (const auto& [key, record] : before) {
    if (after.count(key) == 0) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(kRecordNs, key));
    }
  }
  for (const auto& [key, record] : after) {
    auto old = before.find(key);
    if (old == before.end() || old->second != record) {
      SERVICE_RETURN_IF_ERROR(txn.Put(kRecordNs, key, record));
    }
  }
  SERVICE_ASSIGN_OR_RETURN(Json change, NewChange(txn, batch.value("Comment", "")));
  return Json{{"ChangeInfo", ChangeView(change)}};
}

ServiceResult Route53Service::ListResourceRecordSets(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string id = BareId(in.value("HostedZoneId", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(size_t limit, MaxItems(in, 300, 300));
  if (in.contains("StartRecordType") && !in.contains("StartRecordName")) {
    return Error("InvalidInput",
                 "The input is not valid: StartRecordType requires "
                 "StartRecordName");
  }
  if (in.contains("StartRecordIdentifier") && !in.contains("StartRecordType")) {
    return Error("InvalidInput",
                 "The input is not valid: StartRecordIdentifier requires "
                 "StartRecordName and StartRecordType");
  }
  std::string start_key;
  if (in.contains("StartRecordName")) {
    std::optional<std::string> name = CanonicalName(in.value("StartRecordName", ""));
    if (!name) {
      return Error("InvalidInput", "The input is not valid: StartRecordName is not a DNS name");
    }
    start_key = RecordKey(id, *name, in.value("StartRecordType", ""),
                          in.value("StartRecordIdentifier", ""));
  }
  SERVICE_RETURN_IF_ERROR(GetZone(txn, call, id));
  SERVICE_ASSIGN_OR_RETURN(auto records, ZoneRecords(txn, id));
  Json list = Json::array();
  Json out = {{"IsTruncated", false}, {"MaxItems", std::to_string(limit)}};
  for (const auto& [key, record] : records) {
    if (!start_key.empty() && key < start_key) {
      continue;
    }
    if (list.size() == limit) {
      out["IsTruncated"] = true;
      out["NextRecordName"] = DisplayName(record.value("Name", ""));
      out["NextRecordType"] = record.value("Type", "");
      if (record.contains("SetIdentifier")) {
        out["NextRecordIdentifier"] = record["SetIdentifier"];
      }
      break;
    }
    list.push_back(RecordView(record));
  }
  out["ResourceRecordSets"] = list;
  return out;
}

ServiceResult Route53Service::GetChange(const ServiceCall& call, CallTxn& txn) {
  std::string id = BareId(call.input.value("Id", ""), "change");
  SERVICE_ASSIGN_OR_RETURN(
      Json change,
      txn.Require(
          kChangeNs, id,
          Error("NoSuchChange",
                fmt::format("A change with the specified change ID {} does not exist.", id), 404)));
  return Json{{"ChangeInfo", ChangeView(change)}};
}

ServiceResult Route53Service::ChangeTagsForResource(const ServiceCall& call, CallTxn& txn) {
  if (call.input.value("ResourceType", "") != "hostedzone") {
    return Error("InvalidInput", "Only hosted zones can be tagged in the local cloud");
  }
  std::string id = BareId(call.input.value("ResourceId", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(Json z, GetZone(txn, call, id));
  Json tags = z.value("_tags", Json::array());
  for (const Json& key : call.input.value("RemoveTagKeys", Json::array())) {
    tags.erase(std::remove_if(tags.begin(), tags.end(),
                              [&](const Json& t) { return t.value("Key", "") == key; }),
               tags.end());
  }
  for (const Json& tag : call.input.value("AddTags", Json::array())) {
    std::string key = tag.value("Key", "");
    tags.erase(std::remove_if(tags.begin(), tags.end(),
                              [&](const Json& t) { return t.value("Key", "") == key; }),
               tags.end());
    tags.push_back({{"Key", key}, {"Value", tag.value("Value", "")}});
  }
  if (tags.size() > 50) {
    return Error("InvalidInput", "A hosted zone can have at most 50 tags");
  }
  z["_tags"] = tags;
  SERVICE_RETURN_IF_ERROR(txn.Put(kZoneNs, id, z));
  return Json::object();
}

ServiceResult Route53Service::ListTagsForResource(const ServiceCall& call, CallTxn& txn) {
  if (call.input.value("ResourceType", "") != "hostedzone") {
    return Error("InvalidInput", "Only hosted zones can be tagged in the local cloud");
  }
  std::string id = BareId(call.input.value("ResourceId", ""), "hostedzone");
  SERVICE_ASSIGN_OR_RETURN(Json zone, GetZone(txn, call, id));
  return Json{{"ResourceTagSet",
               {{"ResourceType", "hostedzone"},
                {"ResourceId", id},
                {"Tags", zone.value("_tags", Json::array())}}}};
}

}  // namespace cf::cloud::route53
