#pragma once

// Helpers shared by the RDS service's files (not a public interface).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cloud/core/operation_table.h"
#include "cloud/core/service.h"

namespace cf::cloud::rds {

inline constexpr char kClusterNs[] = "rds/cluster";
inline constexpr char kInstanceNs[] = "rds/instance";
inline constexpr char kSnapshotNs[] = "rds/cluster-snapshot";
inline constexpr char kClusterParameterGroupNs[] = "rds/cluster-parameter-group";
inline constexpr char kParameterGroupNs[] = "rds/parameter-group";
inline constexpr char kSubnetGroupNs[] = "rds/subnet-group";

// "ACCOUNT/REGION/ID" of the caller: Store keys, and the names of servers and snapshots.
std::string Key(const ServiceCall& call, const std::string& id);
// "ACCOUNT/REGION/" of the caller: the prefix of its keys.
std::string KeyPrefix(const ServiceCall& call);
// "arn:aws:rds:REGION:ACCOUNT:KIND:ID".
std::string RdsArn(const ServiceCall& call, const char* kind, const std::string& id);
// The identifier an input member names: an identifier (lowercased, as RDS stores them) or the
// ARN of one.
std::string IdOf(const std::string& id_or_arn);

ServiceError ClusterNotFound(const std::string& id);
ServiceError InstanceNotFound(const std::string& id);
ServiceError SnapshotNotFound(const std::string& id);
ServiceError SubnetGroupNotFound(const std::string& name);
ServiceError ParameterGroupNotFound(const std::string& name, bool cluster);

// What a Describe names: the document of the id in the input's `member` (an id or ARN;
// `not_found` when there is none), or every one of the caller's in `ns` without it.
ServiceOr<std::vector<Json>> OneOrAll(CallTxn& txn, const ServiceCall& call, const char* ns,
                                      const char* member,
                                      ServiceError (*not_found)(const std::string& id));

// Whether the Store holds a document under `key` in `ns`.
ServiceOr<bool> Exists(CallTxn& txn, const char* ns, const std::string& key);

// The request's string list member (absent: empty).
std::vector<std::string> Strings(const Json& input, const char* member);
// The document without internal members ("_...").
Json Visible(Json doc);

// The input's Filters as name -> values; InvalidParameterValue for a name not in `known`.
using Filters = std::map<std::string, std::vector<std::string>>;
ServiceOr<Filters> ReadFilters(const Json& input, const std::set<std::string>& known);
// True when no filter is named `name`, or one of its values is `value`.
bool Passes(const Filters& filters, const std::string& name, const std::string& value);

// One page of `items` (in order) under `list_member`, with Marker: MaxRecords 20-100 (default
// 100), Marker from an earlier page.
ServiceResult Page(const std::vector<Json>& items, const Json& input, const char* list_member);

// `existing` ([{Key, Value}]) with `tags` added or replaced.
Json MergeTags(const Json& existing, const Json& tags);

// Milliseconds since the epoch as the codec writes timestamps (seconds, fractional).
double Timestamp(int64_t ms);

}  // namespace cf::cloud::rds
