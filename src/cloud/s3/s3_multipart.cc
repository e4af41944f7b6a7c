// Multipart uploads: create, upload part, complete, abort, list parts, list uploads.

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "base/base64.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "cloud/s3/s3_common.h"
#include "cloud/s3/s3_service.h"
#include "cloud/s3/s3_util.h"

namespace cf::cloud::s3 {

namespace {

int64_t NowSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

std::string PartDocKey(const std::string& upload_id, int64_t part_number) {
  return fmt::format("{}/{:05d}", upload_id, part_number);
}

// The upload `upload_id` for bucket/key, or NoSuchUpload.
std::variant<Json, ServiceError> LoadUpload(StoreTxn& txn, const std::string& upload_id,
                                            const std::string& bucket, const std::string& key) {
  Result<std::optional<Json>> upload = txn.Get(kUploads, upload_id);
  if (!upload.ok()) {
    return StoreFailure(upload.status());
  }
  if (!upload->has_value() || (**upload).value("bucket", "") != bucket ||
      (**upload).value("key", "") != key) {
    return NoSuchUpload(upload_id);
  }
  return std::move(**upload);
}

ServiceError MalformedXml() {
  return S3Error("MalformedXML",
                 "The XML you provided was not well-formed or did not validate against our "
                 "published schema",
                 400);
}

}  // namespace

ServiceResult S3Service::CreateMultipartUpload(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string upload_id = context_.ids.RequestId() + context_.ids.RequestId();
  upload_id.erase(std::remove(upload_id.begin(), upload_id.end(), '-'), upload_id.end());
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket_doc = LoadBucket(*txn, call, bucket);
  if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
    return *error;
  }
  Json upload = {{"bucket", bucket},
                 {"key", key},
                 {"account", call.account_id},
                 {"initiated", NowSeconds(context_.clock)},
                 {"input", call.input}};
  if (Status s = txn->Put(kUploads, upload_id, upload); !s.ok()) {
    return StoreFailure(s);
  }
  if (Status s = txn->Commit(); !s.ok()) {
    return StoreFailure(s);
  }
  return Json{{"Bucket", bucket}, {"Key", key}, {"UploadId", upload_id}};
}

ServiceResult S3Service::UploadPart(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string upload_id = Str(call.input, "UploadId");
  int64_t part_number = Int(call.input, "PartNumber", 0);
  if (part_number < 1 || part_number > 10000) {
    return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");
  }
  const std::string& body = StrRef(call.input, "Body");
  std::string declared_md5 = Str(call.input, "ContentMD5");
  if (!declared_md5.empty()) {
    std::optional<std::string> raw = Base64Decode(declared_md5);
    if (!raw || raw->size() != 16) {
      return S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.", 400);
    }
    if (*raw != Md5(body)) {
      return S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.",
                     400);
    }
  }
  ServiceResult saved = SavePart(call, bucket, key, upload_id, part_number, body);
  if (!saved.ok()) {
    return saved;
  }
  return Json{{"ETag", saved.output()["etag"]}};
}

ServiceResult S3Service::SavePart(const ServiceCall& call, const std::string& bucket,
                                  const std::string& key, const std::string& upload_id,
                                  int64_t part_number, std::string_view body) {
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    auto upload = LoadUpload(*txn, upload_id, bucket, key);
    if (auto* error = std::get_if<ServiceError>(&upload)) {
      return *error;
    }
  }
  Result<std::string> file =
      files_->WritePart(upload_id, static_cast<int>(part_number), body, context_.ids.RequestId());
  if (!file.ok()) {
    return StoreFailure(file.status());
  }
  std::string etag = fmt::format("\"{}\"", HexEncode(Md5(body)));
  std::string replaced;
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      files_->Remove(*file);
      return StoreFailure(txn.status());
    }
    auto upload = LoadUpload(*txn, upload_id, bucket, key);
    if (auto* error = std::get_if<ServiceError>(&upload)) {
      files_->Remove(*file);
      return *error;  // aborted or completed meanwhile
    }
    Result<std::optional<Json>> old = txn->Get(kParts, PartDocKey(upload_id, part_number));
    if (old.ok() && old->has_value()) {
      replaced = (**old).value("file", "");
    }
    Json part = {{"etag", etag},
                 {"size", body.size()},
                 {"file", *file},
                 {"modified", NowSeconds(context_.clock)}};
    Status s = txn->Put(kParts, PartDocKey(upload_id, part_number), part);
    if (s.ok()) {
      s = txn->Commit();
    }
    if (!s.ok()) {
      files_->Remove(*file);
      return StoreFailure(s);
    }
  }
  if (!replaced.empty()) {
    files_->Remove(replaced);
  }
  return Json{{"etag", etag}, {"modified", NowSeconds(context_.clock)}};
}

ServiceResult S3Service::UploadPartCopy(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string upload_id = Str(call.input, "UploadId");
  int64_t part_number = Int(call.input, "PartNumber", 0);
  if (part_number < 1 || part_number > 10000) {
    return InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");
  }
  std::string source_bucket;
  std::string source_key;
  if (!ParseCopySource(Str(call.input, "CopySource"), &source_bucket, &source_key)) {
    return InvalidArgument(
        "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    Json source;
    {
      Result<StoreTxn> txn = context_.store.Begin();
      if (!txn.ok()) {
        return StoreFailure(txn.status());
      }
      auto source_bucket_doc = LoadBucket(*txn, call, source_bucket);
      if (auto* error = std::get_if<ServiceError>(&source_bucket_doc)) {
        return *error;
      }
      Result<std::optional<Json>> found =
          txn->Get(kObjects, ObjectDocKey(source_bucket, source_key));
      if (!found.ok()) {
        return StoreFailure(found.status());
      }
      if (!found->has_value()) {
        return NoSuchKey(source_key);
      }
      source = std::move(**found);
    }
    std::string etag = source.value("etag", "");
    std::string if_match = Str(call.input, "CopySourceIfMatch");
    std::string if_none_match = Str(call.input, "CopySourceIfNoneMatch");
    if ((!if_match.empty() && !EtagListMatches(if_match, etag)) ||
        (!if_none_match.empty() && EtagListMatches(if_none_match, etag))) {
      ServiceError error =
          S3Error("PreconditionFailed",
                  "At least one of the pre-conditions you specified did not hold", 412);
      return error;
    }
    uint64_t size = source.value("size", uint64_t{0});
    ByteRange range{0, size == 0 ? 0 : size - 1};
    std::string range_text = Str(call.input, "CopySourceRange");
    size_t dash = range_text.find('-');
    if (!range_text.empty() &&
        (ParseRange(range_text, size, &range) != RangeKind::kRange ||
         range_text.find("=-") != std::string::npos || range_text.back() == '-' ||
         dash == std::string::npos ||
         std::strtoull(range_text.c_str() + dash + 1, nullptr, 10) >= size)) {
      return InvalidArgument(
          fmt::format("Range specified is not valid for source object of size: {}", size));
    }
    uint64_t length = size == 0 ? 0 : range.last - range.first + 1;
    Result<std::string> bytes = files_->Read(source.value("file", ""), range.first, length);
    if (!bytes.ok()) {
      if (bytes.status().code() == StatusCode::kNotFound) {
        continue;  // the source was replaced meanwhile
      }
      return StoreFailure(bytes.status());
    }
    ServiceResult saved = SavePart(call, bucket, key, upload_id, part_number, *bytes);
    if (!saved.ok()) {
      return saved;
    }
    return Json{{"CopyPartResult",
                 {{"ETag", saved.output()["etag"]}, {"LastModified", saved.output()["modified"]}}}};
  }
  return NoSuchKey(source_key);
}

ServiceResult S3Service::CompleteMultipartUpload(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string upload_id = Str(call.input, "UploadId");
  Json requested =
      call.input.value("MultipartUpload", Json::object()).value("Parts", Json::array());
  if (!requested.is_array() || requested.empty()) {
    return MalformedXml();
  }
  Json upload;
  std::vector<std::pair<std::string, Json>> stored;
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    auto found = LoadUpload(*txn, upload_id, bucket, key);
    if (auto* error = std::get_if<ServiceError>(&found)) {
      return *error;
    }
    upload = std::get<Json>(std::move(found));
    Result<std::vector<std::pair<std::string, Json>>> parts = txn->List(kParts, upload_id + "/");
    if (!parts.ok()) {
      return StoreFailure(parts.status());
    }
    stored = std::move(*parts);
  }
  std::map<int64_t, Json> by_number;
  for (auto& [doc_key, part] : stored) {
    by_number[std::stoll(doc_key.substr(upload_id.size() + 1))] = std::move(part);
  }
  int64_t previous = 0;
  for (const Json& want : requested) {
    int64_t number = Int(want, "PartNumber", 0);
    if (number <= previous) {
      return S3Error("InvalidPartOrder",
                     "The list of parts was not in ascending order. The parts list must be "
                     "specified in order by part number.",
                     400);
    }
    previous = number;
  }
  std::vector<std::string> files;
  std::string digests;
  uint64_t size = 0;
  for (size_t i = 0; i < requested.size(); ++i) {
    const Json& want = requested[i];
    int64_t number = Int(want, "PartNumber", 0);
    auto it = by_number.find(number);
    if (it == by_number.end() ||
        !EtagListMatches(Str(want, "ETag"), it->second.value("etag", ""))) {
      ServiceError error = S3Error("InvalidPart",
                                   "One or more of the specified parts could not be found. The "
                                   "part may not have been uploaded, or the specified entity tag "
                                   "may not match the part's entity tag.",
                                   400);
      error.details = {{"UploadId", upload_id},
                       {"PartNumber", std::to_string(number)},
                       {"ETag", Str(want, "ETag")}};
      return error;
    }
    uint64_t part_size = it->second.value("size", uint64_t{0});
    if (i + 1 < requested.size() && part_size < kMinPartBytes) {
      ServiceError error = S3Error(
          "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", 400);
      error.details = {{"ProposedSize", std::to_string(part_size)},
                       {"MinSizeAllowed", std::to_string(kMinPartBytes)},
                       {"PartNumber", std::to_string(number)}};
      return error;
    }
    size += part_size;
    files.push_back(it->second.value("file", ""));
    std::string hex = it->second.value("etag", "");
    hex = hex.substr(1, hex.size() - 2);
    for (size_t j = 0; j + 1 < hex.size(); j += 2) {
      digests += static_cast<char>(std::stoi(hex.substr(j, 2), nullptr, 16));
    }
  }
  Result<std::string> file = files_->ConcatObject(bucket, key, files, context_.ids.RequestId());
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kNotFound) {
      return NoSuchUpload(upload_id);  // aborted meanwhile
    }
    return StoreFailure(file.status());
  }
  std::string etag = fmt::format("\"{}-{}\"", HexEncode(Md5(digests)), requested.size());
  Json doc = {
      {"size", size}, {"etag", etag}, {"modified", NowSeconds(context_.clock)}, {"file", *file}};
  const Json& original = upload.value("input", Json::object());
  Json attributes = Json::object();
  for (const auto& [name, value] : original.items()) {
    attributes[name] = value;
  }
  // Headers and metadata come from CreateMultipartUpload.
  for (const char* name : {"ContentType", "ContentEncoding", "ContentDisposition",
                           "ContentLanguage", "CacheControl", "Expires"}) {
    if (attributes.contains(name)) {
      doc["headers"][name] = attributes[name];
    }
  }
  if (!doc.contains("headers") || !doc["headers"].contains("ContentType")) {
    doc["headers"]["ContentType"] = "binary/octet-stream";
  }
  doc["metadata"] = attributes.value("Metadata", Json::object());
  if (attributes.contains("Tagging") && attributes["Tagging"].is_string()) {
    doc["tags"] = ParseTaggingHeader(attributes["Tagging"].get<std::string>());
  }
  doc["storage_class"] = attributes.value("StorageClass", "STANDARD");
  if (attributes.contains("ServerSideEncryption")) {
    doc["sse"] = attributes["ServerSideEncryption"];
    if (attributes.contains("SSEKMSKeyId")) {
      doc["sse_kms_key_id"] = attributes["SSEKMSKeyId"];
    }
  }
  ServiceResult published = Publish(call, bucket, key, std::move(doc), call.input);
  if (!published.ok()) {
    return published;
  }
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (txn.ok()) {
      (void)txn->Delete(kUploads, upload_id);
      for (const auto& [number, part] : by_number) {
        (void)txn->Delete(kParts, PartDocKey(upload_id, number));
      }
      (void)txn->Commit();
    }
  }
  files_->RemoveUpload(upload_id);
  Json out = {{"Location", fmt::format("/{}/{}", bucket, key)},
              {"Bucket", bucket},
              {"Key", key},
              {"ETag", etag}};
  out["ServerSideEncryption"] = published.output().value("sse", "AES256");
  return out;
}

ServiceResult S3Service::AbortMultipartUpload(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string upload_id = Str(call.input, "UploadId");
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    auto upload = LoadUpload(*txn, upload_id, bucket, key);
    if (auto* error = std::get_if<ServiceError>(&upload)) {
      return *error;
    }
    Result<std::vector<std::pair<std::string, Json>>> parts = txn->List(kParts, upload_id + "/");
    if (!parts.ok()) {
      return StoreFailure(parts.status());
    }
    for (const auto& [part_key, part] : *parts) {
      if (Status s = txn->Delete(kParts, part_key); !s.ok()) {
        return StoreFailure(s);
      }
    }
    if (Status s = txn->Delete(kUploads, upload_id); !s.ok()) {
      return StoreFailure(s);
    }
    if (Status s = txn->Commit(); !s.ok()) {
      return StoreFailure(s);
    }
  }
  files_->RemoveUpload(upload_id);
  return Json::object();
}

ServiceResult S3Service::ListParts(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string upload_id = Str(call.input, "UploadId");
  int64_t max_parts = std::clamp<int64_t>(Int(call.input, "MaxParts", 1000), 0, 1000);
  int64_t marker = 0;
  if (call.input.contains("PartNumberMarker")) {
    const Json& m = call.input["PartNumberMarker"];
    marker = m.is_number_integer() ? m.get<int64_t>() : 0;
    if (m.is_string()) {
      try {
        marker = std::stoll(m.get<std::string>());
      } catch (const std::exception&) {
        return InvalidArgument(
            "Provided part-number-marker not an integer or within integer range");
      }
    }
  }
  Json upload;
  std::vector<std::pair<std::string, Json>> parts;
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    auto found = LoadUpload(*txn, upload_id, bucket, key);
    if (auto* error = std::get_if<ServiceError>(&found)) {
      return *error;
    }
    upload = std::get<Json>(std::move(found));
    Result<std::vector<std::pair<std::string, Json>>> listed = txn->List(kParts, upload_id + "/");
    if (!listed.ok()) {
      return StoreFailure(listed.status());
    }
    parts = std::move(*listed);
  }
  Json list = Json::array();
  bool truncated = false;
  int64_t last = 0;
  for (const auto& [doc_key, part] : parts) {
    int64_t number = std::stoll(doc_key.substr(upload_id.size() + 1));
    if (number <= marker) {
      continue;
    }
    if (static_cast<int64_t>(list.size()) >= max_parts) {
      truncated = true;
      break;
    }
    last = number;
    list.push_back({{"PartNumber", number},
                    {"LastModified", part["modified"]},
                    {"ETag", part["etag"]},
                    {"Size", part["size"]}});
  }
  Json owner = OwnerOf(upload.value("account", call.account_id));
  Json out = {{"Bucket", bucket},
              {"Key", key},
              {"UploadId", upload_id},
              {"MaxParts", max_parts},
              {"IsTruncated", truncated},
              {"Owner", owner},
              {"Initiator", owner},
              {"StorageClass", "STANDARD"},
              {"PartNumberMarker", std::to_string(marker)}};
  if (!list.empty()) {
    out["Parts"] = list;
  }
  if (truncated) {
    out["NextPartNumberMarker"] = std::to_string(last);
  }
  return out;
}

ServiceResult S3Service::ListMultipartUploads(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string prefix = Str(call.input, "Prefix");
  int64_t max_uploads = std::clamp<int64_t>(Int(call.input, "MaxUploads", 1000), 0, 1000);
  std::vector<std::pair<std::string, Json>> uploads;
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    Result<std::vector<std::pair<std::string, Json>>> listed = txn->List(kUploads);
    if (!listed.ok()) {
      return StoreFailure(listed.status());
    }
    for (auto& entry : *listed) {
      const Json& u = entry.second;
      if (u.value("bucket", "") == bucket &&
          u.value("key", "").compare(0, prefix.size(), prefix) == 0) {
        uploads.push_back(std::move(entry));
      }
    }
  }
  std::sort(uploads.begin(), uploads.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(a.second.value("key", ""), a.second.value("initiated", int64_t{0}),
                           a.first) < std::make_tuple(b.second.value("key", ""),
                                                      b.second.value("initiated", int64_t{0}),
                                                      b.first);
  });
  Json list = Json::array();
  bool truncated = false;
  std::string next_key;
  std::string next_id;
  for (const auto& [id, u] : uploads) {
    if (static_cast<int64_t>(list.size()) >= max_uploads) {
      truncated = true;
      break;
    }
    Json owner = OwnerOf(u.value("account", call.account_id));
    list.push_back({{"UploadId", id},
                    {"Key", u["key"]},
                    {"Initiated", u["initiated"]},
                    {"StorageClass", "STANDARD"},
                    {"Owner", owner},
                    {"Initiator", owner}});
    next_key = u.value("key", "");
    next_id = id;
  }
  Json out = {{"Bucket", bucket}, {"KeyMarker", ""},           {"UploadIdMarker", ""},
              {"Prefix", prefix}, {"MaxUploads", max_uploads}, {"IsTruncated", truncated}};
  if (!list.empty()) {
    out["Uploads"] = list;
  }
  if (truncated) {
    out["NextKeyMarker"] = next_key;
    out["NextUploadIdMarker"] = next_id;
  }
  return out;
}

}  // namespace cf::cloud::s3
