#pragma once

// Internal to cloud/s3: the Store namespaces, S3's errors and small readers of input trees
// shared by the service's files.

#include <cstdint>
#include <string>
#include <variant>

#include "base/status.h"
#include "cloud/core/service.h"
#include "cloud/core/store.h"

namespace cf::cloud::s3 {

inline constexpr char kBuckets[] = "s3/bucket";
inline constexpr char kObjects[] = "s3/object";
inline constexpr char kUploads[] = "s3/upload";
inline constexpr char kParts[] = "s3/part";

ServiceError S3Error(std::string code, std::string message, int status);
ServiceError NoSuchBucket(const std::string& bucket);
ServiceError NoSuchKey(const std::string& key);
ServiceError NoSuchUpload(const std::string& upload_id);
ServiceError InvalidArgument(std::string message);
ServiceError StoreFailure(const Status& status);

// The string member `name` of `input`, or "".
std::string Str(const Json& input, const char* name);
// The same without a copy (payloads can be large); a shared empty string when absent.
const std::string& StrRef(const Json& input, const char* name);
// The integer member `name` of `input`, or `fallback`.
int64_t Int(const Json& input, const char* name, int64_t fallback);

// The object document key of bucket/key.
std::string ObjectDocKey(const std::string& bucket, const std::string& key);

// The bucket document of `bucket`, checked to belong to the caller's account
// (AccessDenied otherwise); NoSuchBucket when absent.
std::variant<Json, ServiceError> LoadBucket(StoreTxn& txn, const ServiceCall& call,
                                            const std::string& bucket);

// The owner element of listings: {"ID", "DisplayName"} for an account.
Json OwnerOf(const std::string& account_id);

}  // namespace cf::cloud::s3
