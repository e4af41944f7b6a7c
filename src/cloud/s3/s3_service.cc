#include "cloud/s3/s3_service.h"

#include <fmt/core.h>

#include <chrono>
#include <set>

#include "base/file_system.h"
#include "cloud/s3/s3_common.h"
#include "cloud/s3/s3_util.h"

namespace cf::cloud::s3 {

namespace {

const std::set<std::string>& Operations() {
  static const std::set<std::string> kOperations = {
      "CreateBucket",
      "HeadBucket",
      "DeleteBucket",
      "ListBuckets",
      "GetBucketLocation",
      "PutBucketTagging",
      "GetBucketTagging",
      "DeleteBucketTagging",
      "PutBucketVersioning",
      "GetBucketVersioning",
      "PutBucketEncryption",
      "GetBucketEncryption",
      "DeleteBucketEncryption",
      "PutPublicAccessBlock",
      "GetPublicAccessBlock",
      "DeletePublicAccessBlock",
      "PutBucketOwnershipControls",
      "GetBucketOwnershipControls",
      "DeleteBucketOwnershipControls",
      "PutBucketPolicy",
      "GetBucketPolicy",
      "DeleteBucketPolicy",
      "PutBucketCors",
      "GetBucketCors",
      "PutBucketAcl",
      "GetBucketAcl",
      "DeleteBucketCors",
      "PutBucketNotificationConfiguration",
      "GetBucketNotificationConfiguration",
      "PutBucketLifecycleConfiguration",
      "GetBucketLifecycleConfiguration",
      "DeleteBucketLifecycle",
      "PutBucketWebsite",
      "GetBucketWebsite",
      "DeleteBucketWebsite",
      "PutBucketAccelerateConfiguration",
      "GetBucketAccelerateConfiguration",
      "PutBucketRequestPayment",
      "GetBucketRequestPayment",
      "PutBucketLogging",
      "GetBucketLogging",
      "GetBucketReplication",
      "GetObjectLockConfiguration",
      "PutObject",
      "GetObject",
      "HeadObject",
      "DeleteObject",
      "DeleteObjects",
      "CopyObject",
      "GetObjectTagging",
      "PutObjectTagging",
      "DeleteObjectTagging",
      "ListObjects",
      "ListObjectsV2",
      "CreateMultipartUpload",
      "UploadPart",
      "UploadPartCopy",
      "CompleteMultipartUpload",
      "AbortMultipartUpload",
      "ListParts",
      "ListMultipartUploads",
  };
  return kOperations;
}

int64_t NowSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

// The region a LocationConstraint names ("" and "US" are us-east-1, "EU" is eu-west-1).
std::string RegionOfConstraint(const std::string& constraint) {
  if (constraint.empty() || constraint == "US") {
    return "us-east-1";
  }
  if (constraint == "EU") {
    return "eu-west-1";
  }
  return constraint;
}

ServiceError ValidateEncryption(const Json& config) {
  const Json& rules = config.contains("Rules") ? config["Rules"] : Json::array();
  if (!rules.is_array() || rules.empty()) {
    return S3Error("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema",
                   400);
  }
  for (const Json& rule : rules) {
    Json by_default = rule.value("ApplyServerSideEncryptionByDefault", Json::object());
    std::string algorithm = by_default.value("SSEAlgorithm", "");
    if (algorithm != "AES256" && algorithm != "aws:kms" && algorithm != "aws:kms:dsse") {
      return S3Error("MalformedXML", "SSEAlgorithm must be AES256, aws:kms or aws:kms:dsse", 400);
    }
    if (algorithm == "AES256" && by_default.contains("KMSMasterKeyID")) {
      return InvalidArgument(
          "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or "
          "aws:kms:dsse");
    }
  }
  return ServiceError{};
}

}  // namespace

Result<std::unique_ptr<S3Service>> S3Service::Open(const ServiceContext& context,
                                                   const std::string& data_dir) {
  ASSIGN_OR_RETURN(std::unique_ptr<ObjectFiles> files,
                   ObjectFiles::Open(data_dir.empty() ? "" : JoinPath(data_dir, "s3")));
  return std::unique_ptr<S3Service>(new S3Service(context, std::move(files)));
}

bool S3Service::HasOperation(const std::string& operation) const {
  return Operations().count(operation) > 0;
}

Status S3Service::Reset() {
  return files_->Clear();
}

ServiceResult S3Service::Handle(const ServiceCall& call) {
  const std::string& op = call.operation;
  if (op == "CreateBucket") {
    return CreateBucket(call);
  }
  if (op == "HeadBucket") {
    return HeadBucket(call);
  }
  if (op == "DeleteBucket") {
    return DeleteBucket(call);
  }
  if (op == "ListBuckets") {
    return ListBuckets(call);
  }
  if (op == "GetBucketLocation") {
    return GetBucketLocation(call);
  }
  if (op == "PutBucketTagging") {
    return PutConfig(call, "tagging", "Tagging");
  }
  if (op == "GetBucketTagging") {
    return GetConfig(call, "tagging", nullptr, "NoSuchTagSet", "The TagSet does not exist");
  }
  if (op == "DeleteBucketTagging") {
    return DeleteConfig(call, "tagging");
  }
  if (op == "PutBucketVersioning") {
    return PutBucketVersioning(call);
  }
  if (op == "GetBucketVersioning") {
    return GetBucketVersioning(call);
  }
  if (op == "PutBucketEncryption") {
    return PutConfig(call, "encryption", "ServerSideEncryptionConfiguration");
  }
  if (op == "GetBucketEncryption") {
    return GetConfig(call, "encryption", "ServerSideEncryptionConfiguration", nullptr, nullptr);
  }
  if (op == "DeleteBucketEncryption") {
    return DeleteConfig(call, "encryption");
  }
  if (op == "PutPublicAccessBlock") {
    return PutConfig(call, "public_access_block", "PublicAccessBlockConfiguration");
  }
  if (op == "GetPublicAccessBlock") {
    return GetConfig(call, "public_access_block", "PublicAccessBlockConfiguration",
                     "NoSuchPublicAccessBlockConfiguration",
                     "The public access block configuration was not found");
  }
  if (op == "DeletePublicAccessBlock") {
    return DeleteConfig(call, "public_access_block");
  }
  if (op == "PutBucketOwnershipControls") {
    return PutConfig(call, "ownership_controls", "OwnershipControls");
  }
  if (op == "GetBucketOwnershipControls") {
    return GetConfig(call, "ownership_controls", "OwnershipControls",
                     "OwnershipControlsNotFoundError",
                     "The bucket ownership controls were not found");
  }
  if (op == "DeleteBucketOwnershipControls") {
    return DeleteConfig(call, "ownership_controls");
  }
  if (op == "PutBucketPolicy") {
    return PutBucketPolicy(call);
  }
  if (op == "GetBucketPolicy") {
    return GetConfig(call, "policy", "Policy", "NoSuchBucketPolicy",
                     "The bucket policy does not exist");
  }
  if (op == "DeleteBucketPolicy") {
    return DeleteConfig(call, "policy");
  }
  if (op == "PutBucketAcl") {
    return PutBucketAcl(call);
  }
  if (op == "GetBucketAcl") {
    return GetBucketAcl(call);
  }
  if (op == "PutBucketCors") {
    return PutConfig(call, "cors", "CORSConfiguration");
  }
  if (op == "GetBucketCors") {
    return GetConfig(call, "cors", nullptr, "NoSuchCORSConfiguration",
                     "The CORS configuration does not exist");
  }
  if (op == "DeleteBucketCors") {
    return DeleteConfig(call, "cors");
  }
  if (op == "PutBucketNotificationConfiguration") {
    return PutConfig(call, "notification", "NotificationConfiguration");
  }
  if (op == "GetBucketNotificationConfiguration") {
    return GetBucketNotification(call);
  }
  if (op == "PutBucketLifecycleConfiguration") {
    return PutConfig(call, "lifecycle", "LifecycleConfiguration");
  }
  if (op == "GetBucketLifecycleConfiguration") {
    return GetConfig(call, "lifecycle", nullptr, "NoSuchLifecycleConfiguration",
                     "The lifecycle configuration does not exist");
  }
  if (op == "DeleteBucketLifecycle") {
    return DeleteConfig(call, "lifecycle");
  }
  if (op == "PutBucketWebsite") {
    return PutConfig(call, "website", "WebsiteConfiguration");
  }
  if (op == "GetBucketWebsite") {
    return GetConfig(call, "website", nullptr, "NoSuchWebsiteConfiguration",
                     "The specified bucket does not have a website configuration");
  }
  if (op == "DeleteBucketWebsite") {
    return DeleteConfig(call, "website");
  }
  if (op == "PutBucketAccelerateConfiguration") {
    return PutBucketAccelerate(call);
  }
  if (op == "GetBucketAccelerateConfiguration") {
    return GetOrDefault(call, "accelerate", Json::object());  // never set: no Status
  }
  if (op == "PutBucketRequestPayment") {
    return PutBucketRequestPayment(call);
  }
  if (op == "GetBucketRequestPayment") {
    return GetOrDefault(call, "request_payment", Json{{"Payer", "BucketOwner"}});
  }
  if (op == "PutBucketLogging") {
    return PutConfig(call, "logging", "BucketLoggingStatus");
  }
  if (op == "GetBucketLogging") {
    return GetOrDefault(call, "logging", Json::object());  // logging off: no LoggingEnabled
  }
  if (op == "GetBucketReplication") {
    // Replication needs a second bucket in another region; never configured here.
    return GetConfig(call, "replication", nullptr, "ReplicationConfigurationNotFoundError",
                     "The replication configuration was not found");
  }
  if (op == "GetObjectLockConfiguration") {
    // Object lock is chosen at bucket creation, which this cloud does not offer.
    return GetConfig(call, "object_lock", nullptr, "ObjectLockConfigurationNotFoundError",
                     "Object Lock configuration does not exist for this bucket");
  }
  if (op == "PutObject") {
    return PutObject(call);
  }
  if (op == "GetObject") {
    return GetObject(call, false);
  }
  if (op == "HeadObject") {
    return GetObject(call, true);
  }
  if (op == "DeleteObject") {
    return DeleteObject(call);
  }
  if (op == "DeleteObjects") {
    return DeleteObjects(call);
  }
  if (op == "CopyObject") {
    return CopyObject(call);
  }
  if (op == "GetObjectTagging") {
    return ObjectTagging(call, nullptr);
  }
  if (op == "PutObjectTagging") {
    Json tags = call.input.value("Tagging", Json::object()).value("TagSet", Json::array());
    return ObjectTagging(call, &tags);
  }
  if (op == "DeleteObjectTagging") {
    Json none = Json::object();
    return ObjectTagging(call, &none);
  }
  if (op == "ListObjects") {
    return ListObjects(call, false);
  }
  if (op == "ListObjectsV2") {
    return ListObjects(call, true);
  }
  if (op == "CreateMultipartUpload") {
    return CreateMultipartUpload(call);
  }
  if (op == "UploadPart") {
    return UploadPart(call);
  }
  if (op == "UploadPartCopy") {
    return UploadPartCopy(call);
  }
  if (op == "CompleteMultipartUpload") {
    return CompleteMultipartUpload(call);
  }
  if (op == "AbortMultipartUpload") {
    return AbortMultipartUpload(call);
  }
  if (op == "ListParts") {
    return ListParts(call);
  }
  if (op == "ListMultipartUploads") {
    return ListMultipartUploads(call);
  }
  return S3Error("NotImplemented",
                 "A header you provided implies functionality that is not "
                 "implemented",
                 501);
}

ServiceResult S3Service::CreateBucket(const ServiceCall& call) {
  std::string bucket = Str(call.input, "Bucket");
  if (!IsValidBucketName(bucket)) {
    ServiceError error = S3Error("InvalidBucketName", "The specified bucket is not valid.", 400);
    error.details = {{"BucketName", bucket}};
    return error;
  }
  std::string constraint;
  if (call.input.contains("CreateBucketConfiguration")) {
    constraint = Str(call.input["CreateBucketConfiguration"], "LocationConstraint");
  }
  if (constraint == "us-east-1") {
    return S3Error("InvalidLocationConstraint", "The specified location-constraint is not valid",
                   400);
  }
  std::string region = constraint.empty() ? call.region : RegionOfConstraint(constraint);
  if (!constraint.empty() && region != call.region) {
    return S3Error("IllegalLocationConstraintException",
                   fmt::format("The {} location constraint is incompatible for the region "
                               "specific endpoint this request was sent to.",
                               constraint),
                   400);
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::optional<Json>> existing = txn->Get(kBuckets, bucket);
  if (!existing.ok()) {
    return StoreFailure(existing.status());
  }
  if (existing->has_value()) {
    if ((**existing).value("account", "") == call.account_id) {
      ServiceError error = S3Error(
          "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.",
          409);
      error.details = {{"BucketName", bucket}};
      return error;
    }
    ServiceError error =
        S3Error("BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by "
                "all users of the system. Please select a different name and try again.",
                409);
    error.details = {{"BucketName", bucket}};
    return error;
  }
  Json doc = {{"name", bucket},
              {"region", region},
              {"account", call.account_id},
              {"created", NowSeconds(context_.clock)}};
  if (Status s = txn->Put(kBuckets, bucket, doc); !s.ok()) {
    return StoreFailure(s);
  }
  if (Status s = txn->Commit(); !s.ok()) {
    return StoreFailure(s);
  }
  return Json{{"Location", "/" + bucket}};
}

ServiceResult S3Service::HeadBucket(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket = LoadBucket(*txn, call, Str(call.input, "Bucket"));
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  return Json::object();
}

ServiceResult S3Service::DeleteBucket(const ServiceCall& call) {
  std::string name = Str(call.input, "Bucket");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket = LoadBucket(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  Result<std::vector<std::pair<std::string, Json>>> objects = txn->List(kObjects, name + "/");
  if (!objects.ok()) {
    return StoreFailure(objects.status());
  }
  if (!objects->empty()) {
    ServiceError error =
        S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", 409);
    error.details = {{"BucketName", name}};
    return error;
  }
  if (Status s = txn->Delete(kBuckets, name); !s.ok()) {
    return StoreFailure(s);
  }
  // Uploads in progress go with the bucket.
  Result<std::vector<std::pair<std::string, Json>>> uploads = txn->List(kUploads);
  std::vector<std::string> dropped;
  if (uploads.ok()) {
    for (const auto& [id, upload] : *uploads) {
      if (upload.value("bucket", "") == name) {
        dropped.push_back(id);
        (void)txn->Delete(kUploads, id);
        Result<std::vector<std::pair<std::string, Json>>> parts = txn->List(kParts, id + "/");
        if (parts.ok()) {
          for (const auto& [part_key, part] : *parts) {
            (void)txn->Delete(kParts, part_key);
          }
        }
      }
    }
  }
  if (Status s = txn->Commit(); !s.ok()) {
    return StoreFailure(s);
  }
  files_->RemoveBucket(name);
  for (const std::string& id : dropped) {
    files_->RemoveUpload(id);
  }
  return Json::object();
}

ServiceResult S3Service::ListBuckets(const ServiceCall& call) {
  Result<std::vector<std::pair<std::string, Json>>> buckets = context_.store.List(kBuckets);
  if (!buckets.ok()) {
    return StoreFailure(buckets.status());
  }
  Json list = Json::array();
  for (const auto& [name, doc] : *buckets) {
    if (doc.value("account", "") != call.account_id) {
      continue;
    }
    list.push_back({{"Name", name}, {"CreationDate", doc.value("created", int64_t{0})}});
  }
  return Json{{"Buckets", list}, {"Owner", OwnerOf(call.account_id)}};
}

ServiceResult S3Service::GetBucketLocation(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket = LoadBucket(*txn, call, Str(call.input, "Bucket"));
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  std::string region = std::get<Json>(bucket).value("region", "us-east-1");
  return Json{{"LocationConstraint", region == "us-east-1" ? "" : region}};
}

ServiceResult S3Service::PutConfig(const ServiceCall& call, const char* field, const char* member) {
  Json config = call.input.contains(member) ? call.input[member] : Json::object();
  if (std::string(field) == "encryption") {
    ServiceError invalid = ValidateEncryption(config);
    if (!invalid.code.empty()) {
      return invalid;
    }
  }
  if (std::string(field) == "tagging") {
    std::set<std::string> keys;
    for (const Json& tag : config.value("TagSet", Json::array())) {
      if (!keys.insert(tag.value("Key", "")).second) {
        return InvalidArgument("Cannot provide multiple Tags with the same key");
      }
    }
  }
  std::string name = Str(call.input, "Bucket");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket = LoadBucket(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  Json doc = std::get<Json>(std::move(bucket));
  doc[field] = config;
  if (Status s = txn->Put(kBuckets, name, doc); !s.ok()) {
    return StoreFailure(s);
  }
  if (Status s = txn->Commit(); !s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

// Canned ACLs (and an AccessControlPolicy kept as given). A bucket whose ownership controls
// say BucketOwnerEnforced accepts only the ACLs that grant nothing beyond its owner.
ServiceResult S3Service::PutBucketAcl(const ServiceCall& call) {
  static const std::set<std::string> kCanned = {
      "private",       "public-read",       "public-read-write",         "authenticated-read",
      "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"};
  std::string acl = Str(call.input, "ACL");
  bool has_policy = call.input.contains("AccessControlPolicy");
  if (acl.empty() && !has_policy) {
    return S3Error("MissingSecurityHeader", "Your request was missing a required header", 400);
  }
  if (!acl.empty() && !kCanned.contains(acl)) {
    return InvalidArgument("The canned ACL " + acl + " is not valid");
  }
  std::string name = Str(call.input, "Bucket");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket = LoadBucket(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  Json doc = std::get<Json>(std::move(bucket));
  std::string ownership;
  if (doc.contains("ownership_controls")) {
    for (const Json& rule : doc["ownership_controls"].value("Rules", Json::array())) {
      ownership = rule.value("ObjectOwnership", "");
    }
  }
  if (ownership == "BucketOwnerEnforced" &&
      (has_policy || (acl != "private" && acl != "bucket-owner-full-control"))) {
    return S3Error("AccessControlListNotSupported", "The bucket does not allow ACLs", 400);
  }
  doc["acl"] =
      has_policy ? Json{{"policy", call.input["AccessControlPolicy"]}} : Json{{"canned", acl}};
  if (Status s = txn->Put(kBuckets, name, doc); !s.ok()) {
    return StoreFailure(s);
  }
  if (Status s = txn->Commit(); !s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult S3Service::GetBucketAcl(const ServiceCall& call) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket = LoadBucket(*txn, call, Str(call.input, "Bucket"));
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  const Json& doc = std::get<Json>(bucket);
  Json acl = doc.value("acl", Json{{"canned", "private"}});
  if (acl.contains("policy")) {
    return acl["policy"];
  }
  // The owner's canonical id: 64 hex digits derived from the account.
  std::string owner_id;
  for (int i = 0; owner_id.size() < 64; ++i) {
    owner_id += call.account_id.empty() ? "0" : call.account_id;
  }
  owner_id = owner_id.substr(0, 64);
  Json owner = {{"ID", owner_id}};
  Json grants = Json::array({{{"Grantee", {{"Type", "CanonicalUser"}, {"ID", owner_id}}},
                              {"Permission", "FULL_CONTROL"}}});
  auto group = [&](const char* uri, const char* permission) {
    grants.push_back({{"Grantee", {{"Type", "Group"}, {"URI", uri}}}, {"Permission", permission}});
  };
  std::string canned = acl.value("canned", "private");
  const char* all_users = "http://acs.amazonaws.com/groups/global/AllUsers";
  if (canned == "public-read" || canned == "public-read-write") {
    group(all_users, "READ");
  }
  if (canned == "public-read-write") {
    group(all_users, "WRITE");
  }
  if (canned == "authenticated-read") {
    group("http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "READ");
  }
  if (canned == "log-delivery-write") {
    group("http://acs.amazonaws.com/groups/s3/LogDelivery", "WRITE");
    group("http://acs.amazonaws.com/groups/s3/LogDelivery", "READ_ACP");
  }
  return Json{{"Owner", owner}, {"Grants", grants}};
}

ServiceResult S3Service::GetConfig(const ServiceCall& call, const char* field, const char* member,
                                   const char* missing_code, const char* missing_message) {
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  std::string name = Str(call.input, "Bucket");
  auto bucket = LoadBucket(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  const Json& doc = std::get<Json>(bucket);
  Json config;
  if (doc.contains(field)) {
    config = doc[field];
  } else if (std::string(field) == "encryption") {
    // Every bucket is encrypted with S3-managed keys unless told otherwise.
    config = {{"Rules",
               {{{"ApplyServerSideEncryptionByDefault", {{"SSEAlgorithm", "AES256"}}},
                 {"BucketKeyEnabled", false}}}}};
  } else {
    ServiceError error = S3Error(missing_code, missing_message, 404);
    error.details = {{"BucketName", name}};
    return error;
  }
  if (member != nullptr) {
    return Json{{member, config}};
  }
  return config;
}

ServiceResult S3Service::DeleteConfig(const ServiceCall& call, const char* field) {
  std::string name = Str(call.input, "Bucket");
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  auto bucket = LoadBucket(*txn, call, name);
  if (auto* error = std::get_if<ServiceError>(&bucket)) {
    return *error;
  }
  Json doc = std::get<Json>(std::move(bucket));
  doc.erase(field);
  if (Status s = txn->Put(kBuckets, name, doc); !s.ok()) {
    return StoreFailure(s);
  }
  if (Status s = txn->Commit(); !s.ok()) {
    return StoreFailure(s);
  }
  return Json::object();
}

ServiceResult S3Service::PutBucketPolicy(const ServiceCall& call) {
  std::string policy = Str(call.input, "Policy");
  Json parsed = Json::parse(policy, nullptr, /*allow_exceptions=*/false);
  if (policy.empty() || policy.front() != '{' || parsed.is_discarded() || !parsed.is_object()) {
    return S3Error("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'",
                   400);
  }
  if (!parsed.contains("Statement")) {
    return S3Error("MalformedPolicy", "Missing required field Statement", 400);
  }
  return PutConfig(call, "policy", "Policy");
}

ServiceResult S3Service::PutBucketVersioning(const ServiceCall& call) {
  Json config = call.input.value("VersioningConfiguration", Json::object());
  std::string status = Str(config, "Status");
  if (status != "Enabled" && status != "Suspended") {
    return S3Error("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema",
                   400);
  }
  return PutConfig(call, "versioning", "VersioningConfiguration");
}

ServiceResult S3Service::GetBucketVersioning(const ServiceCall& call) {
  ServiceResult result = GetConfig(call, "versioning", nullptr, "", "");
  if (!result.ok() && result.error().http_status == 404 && result.error().code.empty()) {
    return Json::object();  // never versioned: no Status
  }
  return result;
}

ServiceResult S3Service::GetBucketNotification(const ServiceCall& call) {
  return GetOrDefault(call, "notification", Json::object());
}

ServiceResult S3Service::GetOrDefault(const ServiceCall& call, const char* field,
                                      const Json& unset) {
  ServiceResult result = GetConfig(call, field, nullptr, "", "");
  if (!result.ok() && result.error().http_status == 404 && result.error().code.empty()) {
    return unset;
  }
  return result;
}

ServiceResult S3Service::PutBucketAccelerate(const ServiceCall& call) {
  std::string status = Str(call.input.value("AccelerateConfiguration", Json::object()), "Status");
  if (status != "Enabled" && status != "Suspended") {
    return S3Error("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema",
                   400);
  }
  return PutConfig(call, "accelerate", "AccelerateConfiguration");
}

ServiceResult S3Service::PutBucketRequestPayment(const ServiceCall& call) {
  std::string payer = Str(call.input.value("RequestPaymentConfiguration", Json::object()), "Payer");
  if (payer != "Requester" && payer != "BucketOwner") {
    return S3Error("MalformedXML",
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema",
                   400);
  }
  return PutConfig(call, "request_payment", "RequestPaymentConfiguration");
}

}  // namespace cf::cloud::s3
