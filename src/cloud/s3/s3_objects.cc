// Objects: put, get / head (ranges, conditions), delete, multi-delete, copy and listings.

#include <fmt/core.h>

#include <chrono>
#include <cmath>

#include "base/base64.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "cloud/s3/s3_common.h"
#include "cloud/s3/s3_service.h"
#include "cloud/s3/s3_util.h"

namespace cf::cloud::s3 {

namespace {

// Object headers stored as given and returned on GET / HEAD (model member names).
constexpr const char* kStoredHeaders[] = {
    "ContentType",  "ContentEncoding", "ContentDisposition",     "ContentLanguage",
    "CacheControl", "Expires",         "WebsiteRedirectLocation"};

int64_t NowSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

// A timestamp member of the input (the codec gives seconds since the epoch), if present.
std::optional<int64_t> TimeMember(const Json& input, const char* name) {
  auto it = input.find(name);
  if (it == input.end() || !it->is_number()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(std::floor(it->get<double>()));
}

ServiceError PreconditionFailed(const char* condition) {
  ServiceError error = S3Error(
      "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412);
  error.details = {{"Condition", condition}};
  return error;
}

ServiceError NotModified() {
  return S3Error("NotModified", "Not Modified", 304);
}

// The headers and metadata of a new object, from a PutObject / CreateMultipartUpload /
// CopyObject(REPLACE) input.
void CopyObjectAttributes(const Json& input, Json& doc) {
  for (const char* name : kStoredHeaders) {
    if (input.contains(name) && !input[name].is_null()) {
      doc["headers"][name] = input[name];
    }
  }
  if (!doc.contains("headers") || !doc["headers"].contains("ContentType")) {
    doc["headers"]["ContentType"] = "binary/octet-stream";
  }
  doc["metadata"] = input.value("Metadata", Json::object());
  doc["storage_class"] = input.value("StorageClass", "STANDARD");
  if (input.contains("Tagging") && input["Tagging"].is_string()) {
    doc["tags"] = ParseTaggingHeader(input["Tagging"].get<std::string>());
  }
}

// The encryption an object gets: what the request asks for, else the bucket's default.
void ApplyEncryption(const Json& input, const Json& bucket, Json& doc) {
  std::string algorithm = Str(input, "ServerSideEncryption");
  std::string key = Str(input, "SSEKMSKeyId");
  if (algorithm.empty() && bucket.contains("encryption")) {
    const Json& rules = bucket["encryption"].value("Rules", Json::array());
    if (rules.is_array() && !rules.empty()) {
      Json by_default = rules[0].value("ApplyServerSideEncryptionByDefault", Json::object());
      algorithm = Str(by_default, "SSEAlgorithm");
      key = Str(by_default, "KMSMasterKeyID");
    }
  }
  doc["sse"] = algorithm.empty() ? "AES256" : algorithm;
  if (!key.empty() && doc["sse"] != "AES256") {
    doc["sse_kms_key_id"] = key;
  }
}

// The encryption members of an answer.
void EncryptionOutput(const Json& doc, Json& out) {
  out["ServerSideEncryption"] = doc.value("sse", "AES256");
  if (doc.contains("sse_kms_key_id")) {
    out["SSEKMSKeyId"] = doc["sse_kms_key_id"];
  }
}

// Checks Content-MD5 (base64 of the 16-byte digest) against `body`.
std::optional<ServiceError> CheckContentMd5(const Json& input, std::string_view body) {
  std::string declared = Str(input, "ContentMD5");
  if (declared.empty()) {
    return std::nullopt;
  }
  std::optional<std::string> raw = Base64Decode(declared);
  if (!raw || raw->size() != 16) {
    return S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.", 400);
  }
  if (*raw != Md5(body)) {
    return S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.",
                   400);
  }
  return std::nullopt;
}

// GET / HEAD conditions in RFC 7232 order, as S3 applies them.
std::optional<ServiceError> CheckReadConditions(const Json& input, const Json& doc) {
  std::string etag = doc.value("etag", "");
  int64_t modified = doc.value("modified", int64_t{0});
  std::string if_match = Str(input, "IfMatch");
  if (!if_match.empty()) {
    if (!EtagListMatches(if_match, etag)) {
      return PreconditionFailed("If-Match");
    }
  } else if (std::optional<int64_t> since = TimeMember(input, "IfUnmodifiedSince")) {
    if (modified > *since) {
      return PreconditionFailed("If-Unmodified-Since");
    }
  }
  std::string if_none_match = Str(input, "IfNoneMatch");
  if (!if_none_match.empty()) {
    if (EtagListMatches(if_none_match, etag)) {
      return NotModified();
    }
  } else if (std::optional<int64_t> since = TimeMember(input, "IfModifiedSince")) {
    if (modified <= *since) {
      return NotModified();
    }
  }
  return std::nullopt;
}

}  // namespace

ServiceResult S3Service::Publish(const ServiceCall& call, const std::string& bucket,
                                 const std::string& key, Json doc, const Json& conditions) {
  std::string file = doc.value("file", "");
  std::string replaced;
  auto fail = [&](ServiceError error) -> ServiceResult {
    files_->Remove(file);
    return error;
  };
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return fail(StoreFailure(txn.status()));
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return fail(*error);
    }
    Result<std::optional<Json>> current = txn->Get(kObjects, ObjectDocKey(bucket, key));
    if (!current.ok()) {
      return fail(StoreFailure(current.status()));
    }
    std::string if_none_match = Str(conditions, "IfNoneMatch");
    std::string if_match = Str(conditions, "IfMatch");
    if (!if_none_match.empty() && current->has_value() &&
        EtagListMatches(if_none_match, (**current).value("etag", ""))) {
      return fail(PreconditionFailed("If-None-Match"));
    }
    if (!if_match.empty()) {
      if (!current->has_value()) {
        return fail(NoSuchKey(key));
      }
      if (!EtagListMatches(if_match, (**current).value("etag", ""))) {
        return fail(PreconditionFailed("If-Match"));
      }
    }
    if (current->has_value()) {
      replaced = (**current).value("file", "");
    }
    if (!doc.contains("sse")) {
      ApplyEncryption(call.input, std::get<Json>(bucket_doc), doc);
    }
    if (Status s = txn->Put(kObjects, ObjectDocKey(bucket, key), doc); !s.ok()) {
      return fail(StoreFailure(s));
    }
    if (Status s = txn->Commit(); !s.ok()) {
      return fail(StoreFailure(s));
    }
  }
  if (!replaced.empty() && replaced != file) {
    files_->Remove(replaced);
  }
  return doc;
}

ServiceResult S3Service::PutObject(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  const std::string& body = StrRef(call.input, "Body");
  if (std::optional<ServiceError> bad = CheckContentMd5(call.input, body)) {
    return *bad;
  }
  {
    // Fail fast, before writing bytes, when the bucket is not there.
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
  }
  Result<std::string> file = files_->WriteObject(bucket, key, body, context_.ids.RequestId());
  if (!file.ok()) {
    return StoreFailure(file.status());
  }
  std::string etag = fmt::format("\"{}\"", HexEncode(Md5(body)));
  Json doc = {{"size", body.size()},
              {"etag", etag},
              {"modified", NowSeconds(context_.clock)},
              {"file", *file}};
  CopyObjectAttributes(call.input, doc);
  ServiceResult published = Publish(call, bucket, key, std::move(doc), call.input);
  if (!published.ok()) {
    return published;
  }
  Json out = {{"ETag", published.output()["etag"]}};
  EncryptionOutput(published.output(), out);
  return out;
}

ServiceResult S3Service::GetObject(const ServiceCall& call, bool head) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  for (int attempt = 0; attempt < 3; ++attempt) {
    Json doc;
    {
      Result<StoreTxn> txn = context_.store.Begin();
      if (!txn.ok()) {
        return StoreFailure(txn.status());
      }
      auto bucket_doc = LoadBucket(*txn, call, bucket);
      if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
        return *error;
      }
      Result<std::optional<Json>> found = txn->Get(kObjects, ObjectDocKey(bucket, key));
      if (!found.ok()) {
        return StoreFailure(found.status());
      }
      if (!found->has_value()) {
        return NoSuchKey(key);
      }
      doc = std::move(**found);
    }
    if (std::optional<ServiceError> failed = CheckReadConditions(call.input, doc)) {
      return *failed;
    }
    uint64_t size = doc.value("size", uint64_t{0});
    ByteRange range{0, size == 0 ? 0 : size - 1};
    RangeKind kind = RangeKind::kWhole;
    std::string range_header = Str(call.input, "Range");
    if (!range_header.empty()) {
      kind = ParseRange(range_header, size, &range);
    }
    if (kind == RangeKind::kUnsatisfiable) {
      ServiceError error = S3Error("InvalidRange", "The requested range is not satisfiable", 416);
      error.details = {{"RangeRequested", range_header},
                       {"ActualObjectSize", std::to_string(size)}};
      return error;
    }
    uint64_t length = size == 0 ? 0 : range.last - range.first + 1;
    Json out = {{"ContentLength", length},
                {"ETag", doc["etag"]},
                {"LastModified", doc["modified"]},
                {"AcceptRanges", "bytes"},
                {"Metadata", doc.value("metadata", Json::object())}};
    Json headers = doc.value("headers", Json::object());
    for (const auto& [name, value] : headers.items()) {
      out[name] = value;
    }
    if (doc.value("storage_class", "STANDARD") != "STANDARD") {
      out["StorageClass"] = doc["storage_class"];
    }
    EncryptionOutput(doc, out);
    for (const char* name : {"ContentType", "ContentDisposition", "CacheControl", "ContentEncoding",
                             "ContentLanguage", "Expires"}) {
      std::string override_name = std::string("Response") + name;
      if (call.input.contains(override_name)) {
        out[name] = call.input[override_name];
      }
    }
    if (kind == RangeKind::kRange) {
      out["ContentRange"] = fmt::format("bytes {}-{}/{}", range.first, range.last, size);
    }
    if (head) {
      out["ContentLength"] = size;  // HeadObject answers for the whole object
      out.erase("ContentRange");
      return out;
    }
    Result<std::string> bytes = files_->Read(doc.value("file", ""), range.first, length);
    if (!bytes.ok()) {
      if (bytes.status().code() == StatusCode::kNotFound) {
        continue;  // replaced or deleted meanwhile: read the metadata again
      }
      return StoreFailure(bytes.status());
    }
    out["Body"] = std::move(*bytes);
    return out;
  }
  return NoSuchKey(key);
}

ServiceResult S3Service::DeleteObject(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string file;
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    Result<std::optional<Json>> found = txn->Get(kObjects, ObjectDocKey(bucket, key));
    if (!found.ok()) {
      return StoreFailure(found.status());
    }
    if (!found->has_value()) {
      return Json::object();
    }
    std::string if_match = Str(call.input, "IfMatch");
    if (!if_match.empty() && !EtagListMatches(if_match, (**found).value("etag", ""))) {
      return PreconditionFailed("If-Match");
    }
    file = (**found).value("file", "");
    if (Status s = txn->Delete(kObjects, ObjectDocKey(bucket, key)); !s.ok()) {
      return StoreFailure(s);
    }
    if (Status s = txn->Commit(); !s.ok()) {
      return StoreFailure(s);
    }
  }
  files_->Remove(file);
  return Json::object();
}

ServiceResult S3Service::DeleteObjects(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  Json request = call.input.value("Delete", Json::object());
  Json objects = request.value("Objects", Json::array());
  if (!objects.is_array() || objects.empty() || objects.size() > 1000) {
    return S3Error("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema",
                   400);
  }
  bool quiet = request.value("Quiet", false);
  std::vector<std::string> removed_files;
  Json deleted = Json::array();
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    for (const Json& object : objects) {
      std::string key = Str(object, "Key");
      Result<std::optional<Json>> found = txn->Get(kObjects, ObjectDocKey(bucket, key));
      if (!found.ok()) {
        return StoreFailure(found.status());
      }
      if (found->has_value()) {
        removed_files.push_back((**found).value("file", ""));
        if (Status s = txn->Delete(kObjects, ObjectDocKey(bucket, key)); !s.ok()) {
          return StoreFailure(s);
        }
      }
      if (!quiet) {
        deleted.push_back({{"Key", key}});
      }
    }
    if (Status s = txn->Commit(); !s.ok()) {
      return StoreFailure(s);
    }
  }
  for (const std::string& file : removed_files) {
    files_->Remove(file);
  }
  Json out = Json::object();
  if (!deleted.empty()) {
    out["Deleted"] = deleted;
  }
  return out;
}

ServiceResult S3Service::CopyObject(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  std::string source_bucket;
  std::string source_key;
  if (!ParseCopySource(Str(call.input, "CopySource"), &source_bucket, &source_key)) {
    return InvalidArgument(
        "Copy Source must mention the source bucket and key: "
        "sourcebucket/sourcekey");
  }
  std::string directive = Str(call.input, "MetadataDirective");
  bool replace = directive == "REPLACE";
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
    int64_t modified = source.value("modified", int64_t{0});
    std::string if_match = Str(call.input, "CopySourceIfMatch");
    std::string if_none_match = Str(call.input, "CopySourceIfNoneMatch");
    if (!if_match.empty() && !EtagListMatches(if_match, etag)) {
      return PreconditionFailed("x-amz-copy-source-If-Match");
    }
    if (!if_none_match.empty() && EtagListMatches(if_none_match, etag)) {
      return PreconditionFailed("x-amz-copy-source-If-None-Match");
    }
    if (auto since = TimeMember(call.input, "CopySourceIfUnmodifiedSince");
        since && if_match.empty() && modified > *since) {
      return PreconditionFailed("x-amz-copy-source-If-Unmodified-Since");
    }
    if (auto since = TimeMember(call.input, "CopySourceIfModifiedSince");
        since && if_none_match.empty() && modified <= *since) {
      return PreconditionFailed("x-amz-copy-source-If-Modified-Since");
    }
    if (source_bucket == bucket && source_key == key && !replace &&
        !call.input.contains("ServerSideEncryption") && !call.input.contains("StorageClass")) {
      return S3Error("InvalidRequest",
                     "This copy request is illegal because it is trying to copy an object to "
                     "itself without changing the object's metadata, storage class, website "
                     "redirect location or encryption attributes.",
                     400);
    }
    Result<std::string> file =
        files_->ConcatObject(bucket, key, {source.value("file", "")}, context_.ids.RequestId());
    if (!file.ok()) {
      if (file.status().code() == StatusCode::kNotFound) {
        continue;  // the source was replaced meanwhile
      }
      return StoreFailure(file.status());
    }
    Json doc = {{"size", source["size"]},
                {"etag", etag},
                {"modified", NowSeconds(context_.clock)},
                {"file", *file}};
    if (replace) {
      CopyObjectAttributes(call.input, doc);
    } else {
      doc["headers"] = source.value("headers", Json::object());
      doc["metadata"] = source.value("metadata", Json::object());
      doc["storage_class"] =
          call.input.value("StorageClass", source.value("storage_class", "STANDARD"));
      if (Str(call.input, "TaggingDirective") == "REPLACE") {
        doc["tags"] = ParseTaggingHeader(Str(call.input, "Tagging"));
      } else if (source.contains("tags")) {
        doc["tags"] = source["tags"];
      }
    }
    ServiceResult published = Publish(call, bucket, key, std::move(doc), call.input);
    if (!published.ok()) {
      return published;
    }
    Json out = {
        {"CopyObjectResult",
         {{"ETag", published.output()["etag"]}, {"LastModified", published.output()["modified"]}}}};
    EncryptionOutput(published.output(), out);
    return out;
  }
  return NoSuchKey(source_key);
}

ServiceResult S3Service::ObjectTagging(const ServiceCall& call, const Json* tags) {
  std::string bucket = Str(call.input, "Bucket");
  std::string key = Str(call.input, "Key");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket_doc = LoadBucket(*txn, call, bucket);
  if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
    return *error;
  }
  Result<std::optional<Json>> found = txn->Get(kObjects, ObjectDocKey(bucket, key));
  if (!found.ok()) {
    return StoreFailure(found.status());
  }
  if (!found->has_value()) {
    return NoSuchKey(key);
  }
  Json doc = std::move(**found);
  if (tags == nullptr) {
    return Json{{"TagSet", doc.value("tags", Json::array())}};
  }
  if (tags->is_array()) {
    if (tags->size() > 10) {
      return S3Error("BadRequest", "Object tags cannot be greater than 10", 400);
    }
    doc["tags"] = *tags;
  } else {
    doc.erase("tags");
  }
  if (Status s = txn->Put(kObjects, ObjectDocKey(bucket, key), doc); !s.ok()) {
    return StoreFailure(s);
  }
  if (Status s = txn->Commit(); !s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult S3Service::ListObjects(const ServiceCall& call, bool v2) {
  std::string bucket = Str(call.input, "Bucket");
  std::string prefix = Str(call.input, "Prefix");
  std::string delimiter = Str(call.input, "Delimiter");
  std::string encoding = Str(call.input, "EncodingType");
  int64_t max_keys = Int(call.input, "MaxKeys", 1000);
  if (max_keys < 0) {
    return InvalidArgument("maxKeys should be non-negative");
  }
  max_keys = std::min<int64_t>(max_keys, 1000);
  std::string marker;
  std::string token = Str(call.input, "ContinuationToken");
  if (v2) {
    if (call.input.contains("ContinuationToken")) {
      std::optional<std::string> decoded = Base64Decode(token);
      if (!decoded || decoded->substr(0, 3) != "cf:") {
        return InvalidArgument("The continuation token provided is incorrect");
      }
      marker = decoded->substr(3);
    } else {
      marker = Str(call.input, "StartAfter");
    }
  } else {
    marker = Str(call.input, "Marker");
  }
  std::vector<std::pair<std::string, Json>> docs;
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return StoreFailure(txn.status());
    }
    auto bucket_doc = LoadBucket(*txn, call, bucket);
    if (auto* error = std::get_if<ServiceError>(&bucket_doc)) {
      return *error;
    }
    Result<std::vector<std::pair<std::string, Json>>> listed =
        txn->List(kObjects, ObjectDocKey(bucket, prefix));
    if (!listed.ok()) {
      return StoreFailure(listed.status());
    }
    docs = std::move(*listed);
  }
  std::vector<std::string> keys;
  keys.reserve(docs.size());
  for (const auto& [doc_key, doc] : docs) {
    keys.push_back(doc_key.substr(bucket.size() + 1));
  }
  ListPage page = ListKeys(keys, prefix, delimiter, marker, static_cast<int>(max_keys));
  bool url = encoding == "url";
  auto encode = [url](const std::string& text) {
    return url ? PercentEncode(text, /*keep_slash=*/true) : text;
  };
  Json contents = Json::array();
  for (size_t i : page.contents) {
    const Json& doc = docs[i].second;
    Json entry = {{"Key", encode(keys[i])},
                  {"LastModified", doc["modified"]},
                  {"ETag", doc["etag"]},
                  {"Size", doc["size"]},
                  {"StorageClass", doc.value("storage_class", "STANDARD")}};
    if (!v2 || call.input.value("FetchOwner", false)) {
      entry["Owner"] = OwnerOf(call.account_id);
    }
    contents.push_back(std::move(entry));
  }
  Json prefixes = Json::array();
  for (const std::string& p : page.common_prefixes) {
    prefixes.push_back({{"Prefix", encode(p)}});
  }
  Json out = {{"Name", bucket},
              {"Prefix", encode(prefix)},
              {"MaxKeys", max_keys},
              {"IsTruncated", page.truncated}};
  if (!contents.empty()) {
    out["Contents"] = contents;
  }
  if (!prefixes.empty()) {
    out["CommonPrefixes"] = prefixes;
  }
  if (!delimiter.empty()) {
    out["Delimiter"] = encode(delimiter);
  }
  if (url) {
    out["EncodingType"] = "url";
  }
  if (v2) {
    out["KeyCount"] = page.contents.size() + page.common_prefixes.size();
    if (call.input.contains("ContinuationToken")) {
      out["ContinuationToken"] = token;
    }
    if (call.input.contains("StartAfter")) {
      out["StartAfter"] = encode(Str(call.input, "StartAfter"));
    }
    if (page.truncated) {
      out["NextContinuationToken"] = Base64Encode("cf:" + page.next_marker);
    }
  } else {
    out["Marker"] = encode(marker);
    if (page.truncated) {
      out["NextMarker"] = encode(page.next_marker);
    }
  }
  return out;
}

}  // namespace cf::cloud::s3
