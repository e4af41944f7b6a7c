#pragma once

// Helpers shared by the Logs service's files (not a public interface).

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cloud/core/service.h"
#include "cloud/core/store.h"

namespace cf::cloud::logs {

inline constexpr char kGroupNs[] = "logs/group";
inline constexpr char kStreamNs[] = "logs/stream";
inline constexpr char kEventsNs[] = "logs/events";

ServiceError InvalidParameter(std::string message);  // InvalidParameterException
ServiceError NotFound(std::string message);          // ResourceNotFoundException
ServiceError AlreadyExists(std::string message);     // ResourceAlreadyExistsException
ServiceError StoreFailure(const Status& status);     // ServiceUnavailableException, 500

// A name as it appears inside a key: '%' -> "%25", '|' -> "%7C".
std::string KeyPart(const std::string& name);
std::string GroupKey(const ServiceCall& call, const std::string& group);
std::string StreamKey(const ServiceCall& call, const std::string& group, const std::string& stream);
// The key of a stream's chunk `index`; chunks of a stream sort by index.
std::string ChunkKey(const ServiceCall& call, const std::string& group, const std::string& stream,
                     int64_t index);

// The log group a request names by logGroupName or logGroupIdentifier (a name or an ARN).
std::variant<std::string, ServiceError> GroupNameOf(const Json& input);

// The stored log group, or ResourceNotFoundException.
std::variant<Json, ServiceError> GetGroup(StoreTxn& txn, const ServiceCall& call,
                                          const std::string& group);
// The stored log stream, or ResourceNotFoundException.
std::variant<Json, ServiceError> GetStream(StoreTxn& txn, const ServiceCall& call,
                                           const std::string& group, const std::string& stream);

// An optional integer member, InvalidParameterException when it is not in [min, max].
std::variant<std::optional<int64_t>, ServiceError> IntMember(const Json& input, const char* name,
                                                             int64_t min, int64_t max);

}  // namespace cf::cloud::logs
