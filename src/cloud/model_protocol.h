#pragma once

// WireProtocol on src/aws's model-driven codecs: each service speaks the protocol of its
// embedded botocore model (query, ec2, json, rest-json, rest-xml), so requests are read and
// responses written exactly as the AWS client (ours and awscli) expects. Input trees are
// validated against the operation's input shape (required members, types, enums, lengths).

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "aws/model.h"
#include "aws/models.h"
#include "cloud/wire_protocol.h"

namespace cf::cloud {

class ModelProtocol : public WireProtocol {
 public:
  // `model` must outlive the protocol. A query model also gets a JSON sibling, which
  // ForRequest picks for requests with X-Amz-Target (awsQueryCompatible clients: SQS since
  // botocore 1.31); its errors carry the query code in x-amzn-query-error.
  explicit ModelProtocol(const aws::ServiceModel& model);

  ProtocolFamily family() const override;
  std::variant<ParsedOperation, ServiceError> Parse(const HttpRequest& request) const override;
  HttpResponse Serialize(const std::string& operation, const Json& output,
                         std::string_view request_id) const override;
  HttpResponse SerializeError(const ServiceError& error,
                              std::string_view request_id) const override;
  const WireProtocol& ForRequest(const HttpRequest& request) const override;

 protected:
  // The routed operation's name for `request`, or the protocol's unknown-operation error.
  std::variant<std::string, ServiceError> Route(const HttpRequest& request) const;
  // Reads `request` as the input of `operation` (validated against its input shape).
  std::variant<ParsedOperation, ServiceError> ParseAs(const HttpRequest& request,
                                                      const std::string& operation) const;

 private:
  ModelProtocol(const aws::ServiceModel& model, aws::Protocol answer)
      : model_(model), protocol_(answer) {}

  const aws::ServiceModel& model_;
  aws::Protocol protocol_;               // what this object reads and answers in
  std::unique_ptr<ModelProtocol> json_;  // a query model's JSON sibling, else null
};

// The protocols of every embedded model, by signing name ("sts", "ec2", "states",
// "elasticloadbalancing", ...). Models are parsed on first use, so starting is quick.
// Thread-safe.
class ModelProtocolTable : public ProtocolTable {
 public:
  // Makes the protocol of a service whose wire format differs from its model's plain codec.
  using Factory = std::unique_ptr<ModelProtocol> (*)(const aws::ServiceModel& model);

  // `overrides`: signing name -> the factory of that service's protocol (S3's, from
  // cloud/s3/s3_protocol.h); every other service gets a plain ModelProtocol.
  explicit ModelProtocolTable(std::map<std::string, Factory> overrides = {})
      : overrides_(std::move(overrides)) {}

  const WireProtocol* Find(const std::string& service) const override;

 private:
  std::map<std::string, Factory> overrides_;
  aws::Models models_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::unique_ptr<ModelProtocol>> protocols_;  // guarded by mu_
};

// The botocore model name of a signing name: "states" -> "stepfunctions",
// "elasticloadbalancing" -> "elbv2", "elasticfilesystem" -> "efs", otherwise itself.
std::string ModelNameForSigningName(const std::string& signing_name);

}  // namespace cf::cloud
