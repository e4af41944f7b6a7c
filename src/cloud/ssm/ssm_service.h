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
#include "cloud/core/operation_table.h"

namespace cf::cloud::ssm {

class SsmService : public TableService<SsmService> {
 public:
  explicit SsmService(const ServiceContext& context)
      : TableService(context.store, Operations()), context_(context) {}

  std::string name() const override { return "ssm"; }

 private:
  static const OperationTable<SsmService>& Operations();

  ServiceResult PutParameter(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetParameter(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetParameters(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetParametersByPath(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteParameter(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteParameters(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeParameters(const ServiceCall& call, CallTxn& txn);
  ServiceResult AddTagsToResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemoveTagsFromResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListTagsForResource(const ServiceCall& call, CallTxn& txn);

  // The parameter `name` as GetParameter shows it, or nullopt when there is none.
  ServiceOr<std::optional<Json>> Find(const ServiceCall& call, CallTxn& txn,
                                      const std::string& name, bool decrypt);

  ServiceContext context_;
};

}  // namespace cf::cloud::ssm
