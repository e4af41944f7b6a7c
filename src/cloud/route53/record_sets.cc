#include "cloud/route53/record_sets.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace cf::cloud::route53 {

namespace {

const std::set<std::string>& Types() {
  static const std::set<std::string> kTypes = {"A",  "AAAA", "CAA", "CNAME", "DS",  "MX", "NAPTR",
                                               "NS", "PTR",  "SOA", "SPF",   "SRV", "TXT"};
  return kTypes;
}

bool IsIpv4(const std::string& text) {
  int parts = 0;
  size_t i = 0;
  while (true) {
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
    if (text[i] != '.' || parts == 4) {
      return false;
    }
    ++i;
  }
  return parts == 4;
}

std::string Describe(const std::string& action, const std::string& name, const std::string& type,
                     const std::string& set_id) {
  return fmt::format("[Action={}, Name={}, Type={}, SetIdentifier={}]", action, DisplayName(name),
                     type, set_id.empty() ? "null" : set_id);
}

// The record set as stored: canonical name, values in order, internal members dropped.
Json Normalized(const Json& rrs, const std::string& name) {
  Json out = rrs;
  out["Name"] = name;
  if (out.contains("AliasTarget")) {
    Json& alias = out["AliasTarget"];
    std::optional<std::string> target = CanonicalName(alias.value("DNSName", ""));
    if (target) {
      alias["DNSName"] = *target;
    }
    if (!alias.contains("EvaluateTargetHealth")) {
      alias["EvaluateTargetHealth"] = false;
    }
  }
  return out;
}

// Route 53's content checks of one record set's values; a message or "".
std::string CheckValues(const Json& rrs, const std::string& type) {
  const Json& records = rrs.value("ResourceRecords", Json::array());
  if (type == "CNAME" && records.size() > 1) {
    return "Invalid Resource Record: 'FATAL problem: RRDATANotSingleField (Value contains spaces) "
           "encountered with '" +
           records[0].value("Value", "") + "''";
  }
  for (const Json& r : records) {
    std::string value = r.value("Value", "");
    if (type == "A" && !IsIpv4(value)) {
      return fmt::format(
          "Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a "
          "valid IPv4 address) encountered with '{}''",
          value);
    }
    if (type == "AAAA" && value.find(':') == std::string::npos) {
      return fmt::format(
          "Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address (Value is not a "
          "valid IPv6 address) encountered with '{}''",
          value);
    }
    if ((type == "TXT" || type == "SPF") &&
        (value.size() < 2 || value.front() != '"' || value.back() != '"')) {
      return fmt::format(
          "Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be "
          "enclosed in quotation marks) encountered with '{}''",
          value);
    }
    if (type == "MX") {
      size_t space = value.find(' ');
      if (space == std::string::npos || space == 0 ||
          value.substr(0, space).find_first_not_of("0123456789") != std::string::npos) {
        return fmt::format(
            "Invalid Resource Record: 'FATAL problem: InvalidMXRRDATA (Value must be a priority "
            "and a domain name) encountered with '{}''",
            value);
      }
    }
  }
  return "";
}

}  // namespace

std::optional<std::string> CanonicalName(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c == '\\') {
      if (i + 3 >= name.size() + 1) {
        return std::nullopt;
      }
      std::string_view digits = name.substr(i + 1, 3);
      if (digits.size() != 3 || digits.find_first_not_of("01234567") != std::string_view::npos) {
        return std::nullopt;
      }
      int value = (digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0');
      out.push_back(static_cast<char>(value));
      i += 3;
      continue;
    }
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (out.empty()) {
    return std::nullopt;
  }
  if (out.back() != '.') {
    out.push_back('.');
  }
  if (out == ".") {
    return out;
  }
  if (out.size() > 255) {
    return std::nullopt;
  }
  size_t label = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (c == '.') {
      if (label == 0) {
        return std::nullopt;
      }
      label = 0;
      continue;
    }
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '*')) {
      return std::nullopt;
    }
    if (++label > 63) {
      return std::nullopt;
    }
  }
  return out;
}

std::string DisplayName(const std::string& canonical) {
  std::string out;
  for (char c : canonical) {
    if (c == '*') {
      out += "\\052";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string SortKey(const std::string& canonical) {
  std::vector<std::string> labels;
  size_t start = 0;
  while (start < canonical.size()) {
    size_t dot = canonical.find('.', start);
    if (dot == std::string::npos) {
      dot = canonical.size();
    }
    if (dot > start) {
      labels.push_back(canonical.substr(start, dot - start));
    }
    start = dot + 1;
  }
  std::string key;
  for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
    if (!key.empty()) {
      key.push_back('.');
    }
    key += *it;
  }
  return key;
}

bool InZone(const std::string& name, const std::string& zone) {
  if (name == zone) {
    return true;
  }
  return name.size() > zone.size() &&
         name.compare(name.size() - zone.size(), zone.size(), zone) == 0 &&
         name[name.size() - zone.size() - 1] == '.';
}

std::string RecordKey(const std::string& zone_id, const std::string& canonical_name,
                      const std::string& type, const std::string& set_identifier) {
  // '\x01' sorts before every name character, so a name sorts before its subdomains'.
  return fmt::format("{}|{}\x01{}\x01{}", zone_id, SortKey(canonical_name), type, set_identifier);
}

BatchResult ApplyChanges(const std::string& zone_id, const std::string& zone_name,
                         const Json& changes, std::map<std::string, Json>& records) {
  BatchResult result;
  if (!changes.is_array() || changes.empty()) {
    result.invalid_input = "Invalid request: the change batch must contain at least one change";
    return result;
  }
  std::map<std::string, Json> work = records;
  std::set<std::string> touched;
  for (const Json& change : changes) {
    std::string action = change.value("Action", "");
    const Json& rrs = change.value("ResourceRecordSet", Json::object());
    std::string type = rrs.value("Type", "");
    std::string set_id = rrs.value("SetIdentifier", "");
    std::optional<std::string> name = CanonicalName(rrs.value("Name", ""));
    if (action != "CREATE" && action != "DELETE" && action != "UPSERT") {
      result.invalid_input = fmt::format(
          "Invalid request: Action '{}' is not CREATE, DELETE or "
          "UPSERT",
          action);
      return result;
    }
    if (!name) {
      result.invalid_input =
          fmt::format("Invalid request: DNS name '{}' is not valid", rrs.value("Name", ""));
      return result;
    }
    if (Types().count(type) == 0) {
      result.invalid_input =
          fmt::format("Invalid request: record type '{}' is not supported", type);
      return result;
    }
    bool alias = rrs.contains("AliasTarget");
    bool plain = rrs.contains("ResourceRecords") && rrs.contains("TTL");
    if (alias == plain || (alias && (rrs.contains("ResourceRecords") || rrs.contains("TTL")))) {
      result.invalid_input = fmt::format(
          "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and "
          "ResourceRecords], or TrafficPolicyInstanceId], but found {} in Change with {}",
          alias || rrs.contains("ResourceRecords") || rrs.contains("TTL") ? "more than one"
                                                                          : "none",
          Describe(action, *name, type, set_id));
      if (!alias && (rrs.contains("ResourceRecords") != rrs.contains("TTL"))) {
        result.invalid_input = fmt::format(
            "Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and "
            "ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with {}",
            Describe(action, *name, type, set_id));
      }
      return result;
    }
    std::string label = fmt::format("[name='{}', type='{}'{}]", DisplayName(*name), type,
                                    set_id.empty() ? "" : ", set-identifier='" + set_id + "'");
    if (!InZone(*name, zone_name)) {
      result.messages.push_back(fmt::format("RRSet with DNS name {} is not permitted in zone {}",
                                            DisplayName(*name), DisplayName(zone_name)));
      continue;
    }
    std::string key = RecordKey(zone_id, *name, type, set_id);
    if (!touched.insert(key).second) {
      result.messages.push_back(fmt::format(
          "The request contains an invalid set of changes for a resource record set '{} {}'", type,
          DisplayName(*name)));
      continue;
    }
    if (std::string m = CheckValues(rrs, type); !m.empty()) {
      result.messages.push_back(m);
      continue;
    }
    if (type == "CNAME" && *name == zone_name) {
      result.messages.push_back(
          fmt::format("RRSet of type CNAME with DNS name {} is not permitted at apex in zone {}",
                      DisplayName(*name), DisplayName(zone_name)));
      continue;
    }
    bool apex_required = *name == zone_name && (type == "SOA" || type == "NS");
    if (type == "SOA" && action != "UPSERT") {
      result.messages.push_back(
          action == "CREATE" ? "A HostedZone must contain exactly one SOA record."
                             : fmt::format("A HostedZone must contain at least one NS record for "
                                           "the zone itself and exactly one SOA record."));
      continue;
    }
    if (apex_required && action == "DELETE") {
      result.messages.push_back(
          fmt::format("A HostedZone must contain at least one NS record for the zone itself."));
      continue;
    }
    auto existing = work.find(key);
    Json stored = Normalized(rrs, *name);
    if (action == "CREATE" && existing != work.end()) {
      result.messages.push_back(
          fmt::format("Tried to create resource record set {} but it already exists", label));
      continue;
    }
    if (action == "DELETE") {
      if (existing == work.end()) {
        result.messages.push_back(
            fmt::format("Tried to delete resource record set {} but it was not found", label));
        continue;
      }
      if (existing->second != stored) {
        result.messages.push_back(fmt::format(
            "Tried to delete resource record set {} but the values provided do not match the "
            "current values",
            label));
        continue;
      }
      work.erase(existing);
      continue;
    }
    // CREATE or UPSERT: a CNAME cannot share its name with another type.
    std::string conflict;
    for (const auto& [other_key, other] : work) {
      if (other_key == key || other.value("Name", "") != *name) {
        continue;
      }
      std::string other_type = other.value("Type", "");
      if ((type == "CNAME") != (other_type == "CNAME")) {
        conflict = other_type;
      }
    }
    if (!conflict.empty()) {
      result.messages.push_back(fmt::format(
          "RRSet of type {} with DNS name {} is not permitted because a conflicting RRSet of "
          "type {} with the same DNS name already exists in zone {}",
          type, DisplayName(*name), conflict, DisplayName(zone_name)));
      continue;
    }
    work[key] = stored;
  }
  // Aliases into this zone must name a record set that exists once the batch is applied.
  if (result.ok()) {
    for (const auto& [key, record] : work) {
      if (!record.contains("AliasTarget") ||
          record["AliasTarget"].value("HostedZoneId", "") != zone_id) {
        continue;
      }
      std::string target = record["AliasTarget"].value("DNSName", "");
      bool found = std::any_of(work.begin(), work.end(), [&](const auto& entry) {
        return entry.second.value("Name", "") == target &&
               entry.second.value("Type", "") == record.value("Type", "");
      });
      if (!found && touched.count(key) > 0) {
        result.messages.push_back(fmt::format(
            "Tried to create an alias that targets {}, type {} in zone {}, but the alias target "
            "name does not lie within the target zone",
            DisplayName(target), record.value("Type", ""), zone_id));
      }
    }
  }
  if (result.ok()) {
    records = std::move(work);
  }
  return result;
}

Json RecordView(const Json& record) {
  Json view = record;
  view["Name"] = DisplayName(record.value("Name", ""));
  if (view.contains("AliasTarget")) {
    view["AliasTarget"]["DNSName"] = DisplayName(view["AliasTarget"].value("DNSName", ""));
  }
  return view;
}

}  // namespace cf::cloud::route53
