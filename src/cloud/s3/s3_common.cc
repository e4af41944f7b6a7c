#include "cloud/s3/s3_common.h"

#include <fmt/core.h>

#include "cloud/s3/object_files.h"

namespace cf::cloud::s3 {

ServiceError S3Error(std::string code, std::string message, int status) {
  return ServiceError{std::move(code), std::move(message), status, status < 500, {}};
}

ServiceError NoSuchBucket(const std::string& bucket) {
  ServiceError error = S3Error("NoSuchBucket", "The specified bucket does not exist", 404);
  error.details = {{"BucketName", bucket}};
  return error;
}

ServiceError NoSuchKey(const std::string& key) {
  ServiceError error = S3Error("NoSuchKey", "The specified key does not exist.", 404);
  error.details = {{"Key", key}};
  return error;
}

ServiceError NoSuchUpload(const std::string& upload_id) {
  ServiceError error = S3Error("NoSuchUpload",
                               "The specified upload does not exist. The upload ID may be invalid, "
                               "or the upload may have been aborted or completed.",
                               404);
  error.details = {{"UploadId", upload_id}};
  return error;
}

ServiceError InvalidArgument(std::string message) {
  return S3Error("InvalidArgument", std::move(message), 400);
}

ServiceError StoreFailure(const Status& status) {
  return S3Error("InternalError", "We encountered an internal error: " + status.message(), 500);
}

std::string Str(const Json& input, const char* name) {
  auto it = input.find(name);
  if (it != input.end() && it->is_string()) {
    return it->get<std::string>();
  }
  return "";
}

const std::string& StrRef(const Json& input, const char* name) {
  static const std::string kEmpty;
  auto it = input.find(name);
  if (it != input.end() && it->is_string()) {
    return it->get_ref<const std::string&>();
  }
  return kEmpty;
}

int64_t Int(const Json& input, const char* name, int64_t fallback) {
  auto it = input.find(name);
  if (it != input.end() && it->is_number_integer()) {
    return it->get<int64_t>();
  }
  return fallback;
}

std::string ObjectDocKey(const std::string& bucket, const std::string& key) {
  return bucket + "/" + key;
}

std::variant<Json, ServiceError> LoadBucket(StoreTxn& txn, const ServiceCall& call,
                                            const std::string& bucket) {
  Result<std::optional<Json>> doc = txn.Get(kBuckets, bucket);
  if (!doc.ok()) {
    return StoreFailure(doc.status());
  }
  if (!doc->has_value()) {
    return NoSuchBucket(bucket);
  }
  if ((**doc).value("account", "") != call.account_id) {
    return S3Error("AccessDenied", "Access Denied", 403);
  }
  return std::move(**doc);
}

Json OwnerOf(const std::string& account_id) {
  return {{"ID", fmt::format("{:0>64}", account_id)}, {"DisplayName", "local-" + account_id}};
}

}  // namespace cf::cloud::s3
