#pragma once

// S3 in the local cloud: buckets with their configurations (tagging, versioning status,
// default encryption, public access block, ownership controls, policy, CORS, notifications,
// lifecycle), objects (put, get with ranges and conditions, head, copy, delete, multi-delete,
// list v1/v2) and multipart uploads.
//
// State: bucket and object metadata are Store documents ("s3/bucket" by bucket name,
// "s3/object" by "<bucket>/<key>", "s3/upload" by upload id, "s3/part" by
// "<upload id>/<part number, 5 digits>"), so they survive restart and `cloud reset` clears
// them. Object bytes are files (ObjectFiles) under <data-dir>/s3, or a private temporary
// directory when the cloud has no data dir. Bucket names are global: one name, one owner
// account, whatever region.
//
// Thread-safe: metadata changes happen in Store transactions; bytes are written to a fresh
// file before the transaction that publishes them, and old files are removed after it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cloud/core/context.h"
#include "cloud/core/service.h"
#include "cloud/s3/object_files.h"

namespace cf::cloud::s3 {

// The largest single PutObject / UploadPart body accepted (larger ones are EntityTooLarge;
// multipart uploads have no overall limit here).
inline constexpr uint64_t kMaxObjectBodyBytes = uint64_t{1} << 30;
// The smallest size of a multipart part other than the last (EntityTooSmall).
inline constexpr uint64_t kMinPartBytes = 5 * 1024 * 1024;

class S3Service : public Service {
 public:
  // `data_dir` "" keeps object bytes in a temporary directory removed with the service.
  static Result<std::unique_ptr<S3Service>> Open(const ServiceContext& context,
                                                 const std::string& data_dir);

  std::string name() const override { return "s3"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;
  // Removes every object file (the server clears the Store itself).
  Status Reset() override;
  uint64_t MaxRequestBodyBytes() const override { return kMaxObjectBodyBytes; }

 private:
  S3Service(const ServiceContext& context, std::unique_ptr<ObjectFiles> files)
      : context_(context), files_(std::move(files)) {}

  // Buckets (s3_service.cc).
  ServiceResult CreateBucket(const ServiceCall& call);
  ServiceResult HeadBucket(const ServiceCall& call);
  ServiceResult DeleteBucket(const ServiceCall& call);
  ServiceResult ListBuckets(const ServiceCall& call);
  ServiceResult GetBucketLocation(const ServiceCall& call);
  // Put/Get/Delete of a configuration kept as the input member `member` of the Put call
  // under the bucket document's `field`; `missing` is the error when there is none.
  ServiceResult PutConfig(const ServiceCall& call, const char* field, const char* member);
  ServiceResult GetConfig(const ServiceCall& call, const char* field, const char* member,
                          const char* missing_code, const char* missing_message);
  ServiceResult DeleteConfig(const ServiceCall& call, const char* field);
  ServiceResult PutBucketPolicy(const ServiceCall& call);
  ServiceResult PutBucketVersioning(const ServiceCall& call);
  ServiceResult GetBucketVersioning(const ServiceCall& call);
  ServiceResult PutBucketAcl(const ServiceCall& call);
  ServiceResult GetBucketAcl(const ServiceCall& call);
  ServiceResult GetBucketNotification(const ServiceCall& call);
  // The stored configuration `field` (as its output), or `unset` when there is none.
  ServiceResult GetOrDefault(const ServiceCall& call, const char* field, const Json& unset);
  ServiceResult PutBucketAccelerate(const ServiceCall& call);
  ServiceResult PutBucketRequestPayment(const ServiceCall& call);

  // Objects (s3_objects.cc).
  ServiceResult PutObject(const ServiceCall& call);
  ServiceResult GetObject(const ServiceCall& call, bool head);
  ServiceResult DeleteObject(const ServiceCall& call);
  ServiceResult DeleteObjects(const ServiceCall& call);
  ServiceResult CopyObject(const ServiceCall& call);
  ServiceResult ListObjects(const ServiceCall& call, bool v2);
  // Get/Put/DeleteObjectTagging: `tags` null reads, an array replaces, {} deletes.
  ServiceResult ObjectTagging(const ServiceCall& call, const Json* tags);

  // Multipart uploads (s3_multipart.cc).
  ServiceResult CreateMultipartUpload(const ServiceCall& call);
  ServiceResult UploadPart(const ServiceCall& call);
  ServiceResult UploadPartCopy(const ServiceCall& call);
  // Writes `data` as part `part_number` of the upload and records it: {"etag", "modified"}.
  ServiceResult SavePart(const ServiceCall& call, const std::string& bucket, const std::string& key,
                         const std::string& upload_id, int64_t part_number, std::string_view data);
  ServiceResult CompleteMultipartUpload(const ServiceCall& call);
  ServiceResult AbortMultipartUpload(const ServiceCall& call);
  ServiceResult ListParts(const ServiceCall& call);
  ServiceResult ListMultipartUploads(const ServiceCall& call);

  // Publishes object metadata `doc` (naming file `file`) for bucket/key, after checking the
  // bucket and the conditional-write headers of `input` (IfMatch, IfNoneMatch) against the
  // current object. Removes the replaced file, or `file` when nothing was published.
  ServiceResult Publish(const ServiceCall& call, const std::string& bucket, const std::string& key,
                        Json doc, const Json& conditions);

  ServiceContext context_;
  std::unique_ptr<ObjectFiles> files_;
};

}  // namespace cf::cloud::s3
