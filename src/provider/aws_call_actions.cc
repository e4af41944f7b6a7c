#include <map>

#include "provider/aws_provider.h"

namespace cf::provider {

std::string IamActionForCall(std::string_view service, std::string_view operation) {
  if (service == "sts" && operation == "GetCallerIdentity") {
    return "";  // allowed to every caller
  }
  if (service == "s3") {
    // S3's actions are named after the permission, not the operation.
    static const std::map<std::string, std::string, std::less<>> kS3 = {
        {"HeadBucket", "ListBucket"},
        {"ListObjectsV2", "ListBucket"},
        {"ListObjects", "ListBucket"},
        {"DeleteObjects", "DeleteObject"},
        {"DeleteBucketTagging", "PutBucketTagging"},
        {"PutBucketEncryption", "PutEncryptionConfiguration"},
        {"GetBucketEncryption", "GetEncryptionConfiguration"},
        {"DeleteBucketEncryption", "PutEncryptionConfiguration"},
        {"PutPublicAccessBlock", "PutBucketPublicAccessBlock"},
        {"GetPublicAccessBlock", "GetBucketPublicAccessBlock"},
        {"DeletePublicAccessBlock", "PutBucketPublicAccessBlock"},
        {"DeleteBucketOwnershipControls", "PutBucketOwnershipControls"},
        {"PutBucketNotificationConfiguration", "PutBucketNotification"},
        {"GetBucketNotificationConfiguration", "GetBucketNotification"},
        {"PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"},
        {"GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"},
        {"DeleteBucketLifecycle", "PutLifecycleConfiguration"},
        {"PutBucketCors", "PutBucketCORS"},
        {"GetBucketCors", "GetBucketCORS"},
        {"DeleteBucketCors", "PutBucketCORS"},
    };
    auto it = kS3.find(operation);
    return "s3:" + (it == kS3.end() ? std::string(operation) : it->second);
  }
  // IAM's prefixes where they differ from botocore's service names.
  if (service == "elbv2") {
    return "elasticloadbalancing:" + std::string(operation);
  }
  if (service == "stepfunctions") {
    return "states:" + std::string(operation);
  }
  return std::string(service) + ":" + std::string(operation);
}

}  // namespace cf::provider
