#pragma once

// S3's wire protocol: the model-driven rest-xml codec plus what S3 does differently from the
// other rest-xml services:
// - virtual-host addressing: a Host of "BUCKET.localhost[:port]" or
//   "BUCKET.s3[.REGION].localhost[:port]" is read as the path-style "/BUCKET/...";
// - aws-chunked bodies (streaming SigV4 uploads) are decoded before the codec reads them;
// - the deprecated PutBucketLifecycle / PutBucketNotification (and Get) share their URIs
//   with the ...Configuration operations; requests are read as the latter;
// - GetObject with a Content-Range answers 206; GetBucketLocation answers its bare
//   <LocationConstraint> document;
// - errors are <Error><Code/><Message/>[details: <Key/>, <BucketName/>...]<RequestId/></Error>,
//   304 has no body, and a body over the limit is EntityTooLarge (400), as S3 says it.

#include <memory>
#include <string>

#include "cloud/model_protocol.h"

namespace cf::cloud::s3 {

class S3Protocol : public ModelProtocol {
 public:
  // `model` (the s3 model) must outlive the protocol.
  explicit S3Protocol(const aws::ServiceModel& model) : ModelProtocol(model) {}

  std::variant<ParsedOperation, ServiceError> Parse(const HttpRequest& request) const override;
  HttpResponse Serialize(const std::string& operation, const Json& output,
                         std::string_view request_id) const override;
  HttpResponse SerializeError(const ServiceError& error,
                              std::string_view request_id) const override;

 private:
  // Routes (deprecated operations read as their successors) and parses.
  std::variant<ParsedOperation, ServiceError> ParseS3(const HttpRequest& request) const;
};

// The S3 protocol, for ModelProtocolTable's overrides (registered by default_wiring.cc).
std::unique_ptr<ModelProtocol> MakeS3Protocol(const aws::ServiceModel& model);

// The bucket a virtual-host style Host header names ("" for path-style hosts such as
// "127.0.0.1:4566", "localhost", "s3.localhost", "s3.us-east-1.localhost").
std::string VirtualHostBucket(std::string_view host);

}  // namespace cf::cloud::s3
