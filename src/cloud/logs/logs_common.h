#pragma once

// Helpers shared by the Logs service's files (not a public interface).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cloud/core/operation_table.h"

namespace cf::cloud::logs {

inline constexpr char kGroupNs[] = "logs/group";
inline constexpr char kStreamNs[] = "logs/stream";
inline constexpr char kEventsNs[] = "logs/events";

ServiceError InvalidParameter(std::string message);  // InvalidParameterException
ServiceError NotFound(std::string message);          // ResourceNotFoundException
ServiceError AlreadyExists(std::string message);     // ResourceAlreadyExistsException
// The local cloud's own failures (the store): ServiceUnavailableException, 500.
ServiceError StoreFailure(std::string message);

// A name as it appears inside a key: '%' -> "%25", '|' -> "%7C".
std::string KeyPart(const std::string& name);
std::string GroupKey(const ServiceCall& call, const std::string& group);
std::string StreamKey(const ServiceCall& call, const std::string& group, const std::string& stream);
// The key of a stream's chunk `index`; chunks of a stream sort by index.
std::string ChunkKey(const ServiceCall& call, const std::string& group, const std::string& stream,
                     int64_t index);

// The log group a request names by logGroupName or logGroupIdentifier (a name or an ARN).
ServiceOr<std::string> GroupNameOf(const Json& input);

// The stored log group, or ResourceNotFoundException.
ServiceOr<Json> GetGroup(CallTxn& txn, const ServiceCall& call, const std::string& group);
// The stored log stream, or ResourceNotFoundException.
ServiceOr<Json> GetStream(CallTxn& txn, const ServiceCall& call, const std::string& group,
                          const std::string& stream);

// An optional integer member, InvalidParameterException when it is not in [min, max].
ServiceOr<std::optional<int64_t>> IntMember(const Json& input, const char* name, int64_t min,
                                            int64_t max);

}  // namespace cf::cloud::logs
