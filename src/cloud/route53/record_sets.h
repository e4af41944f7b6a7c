#pragma once

// Route 53's record-set rules as pure functions: DNS names in canonical form, the order
// ListResourceRecordSets answers in, and applying a change batch to a zone's record sets with
// the InvalidChangeBatch messages Route 53 gives (all changes or none).
//
// Canonical names are lower-case, end with '.', and keep '*' as such; Route 53 shows '*' as
// "\052" (DisplayName) and accepts either form.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cf::cloud::route53 {

using Json = nlohmann::json;

// "WWW.Example.com" -> "www.example.com."; "\052.example.com" -> "*.example.com.". nullopt
// when the name is not a valid DNS name (empty label, label over 63, over 255 in all, or a
// character outside letters, digits, '-', '_', '*' and the \NNN escapes).
std::optional<std::string> CanonicalName(std::string_view name);
// The canonical name as Route 53 prints it ('*' as "\052").
std::string DisplayName(const std::string& canonical);
// The key names sort by in listings: labels reversed ("www.example.com." -> "com.example.www").
std::string SortKey(const std::string& canonical);
// True when `name` is `zone` or inside it.
bool InZone(const std::string& name, const std::string& zone);

// The Store key of a record set: zone id, sort key, type and set identifier; keys of one zone
// sort as ListResourceRecordSets answers.
std::string RecordKey(const std::string& zone_id, const std::string& canonical_name,
                      const std::string& type, const std::string& set_identifier);

struct BatchResult {
  // Non-empty: the batch is refused with InvalidChangeBatch carrying these messages.
  std::vector<std::string> messages;
  // Non-empty: the batch is refused with InvalidInput and this message.
  std::string invalid_input;
  bool ok() const { return messages.empty() && invalid_input.empty(); }
};

// Applies the Changes list of a ChangeBatch to `records` (record-set documents by RecordKey,
// names canonical) of zone `zone_id` named `zone_name` (canonical). On success `records` holds
// the new state; on failure it is unchanged.
BatchResult ApplyChanges(const std::string& zone_id, const std::string& zone_name,
                         const Json& changes, std::map<std::string, Json>& records);

// A record set document as ListResourceRecordSets shows it (display name).
Json RecordView(const Json& record);

}  // namespace cf::cloud::route53
