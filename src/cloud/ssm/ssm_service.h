#pragma once

// SSM Parameter Store for the local cloud: PutParameter (String, StringList, SecureString;
// Overwrite; versions), GetParameter(s), GetParametersByPath, DeleteParameter(s),
// DescribeParameters and parameter tags, plus the public parameters under /aws/service/
// (the Amazon Linux AMI aliases of cloud/ec2/images.h, read-only, in every region). User
// parameters live in the Store under ec2::kSsmParameterNamespace ("ssm/parameter",
// "REGION/NAME"), where EC2 resolves `resolve:ssm:NAME` image ids.
//
// SecureString values are kept as given (the local cloud does not encrypt them with KMS);
// GetParameter returns them only with WithDecryption, base64-encoded otherwise.

#include <optional>
#include <string>

#include "cloud/core/context.h"
#include "cloud/core/service.h"

namespace cf::cloud::ssm {

class SsmService : public Service {
 public:
  explicit SsmService(const ServiceContext& context) : context_(context) {}

  std::string name() const override { return "ssm"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;

 private:
  using HandlerPtr = ServiceResult (SsmService::*)(const ServiceCall&);
  static HandlerPtr HandlerFor(const std::string& operation);

  ServiceResult PutParameter(const ServiceCall& call);
  ServiceResult GetParameter(const ServiceCall& call);
  ServiceResult GetParameters(const ServiceCall& call);
  ServiceResult GetParametersByPath(const ServiceCall& call);
  ServiceResult DeleteParameter(const ServiceCall& call);
  ServiceResult DeleteParameters(const ServiceCall& call);
  ServiceResult DescribeParameters(const ServiceCall& call);
  ServiceResult AddTagsToResource(const ServiceCall& call);
  ServiceResult RemoveTagsFromResource(const ServiceCall& call);
  ServiceResult ListTagsForResource(const ServiceCall& call);

  // The parameter `name` as GetParameter shows it, or nullopt when there is none.
  std::optional<Json> Find(const ServiceCall& call, const std::string& name, bool decrypt);

  ServiceContext context_;
};

}  // namespace cf::cloud::ssm
