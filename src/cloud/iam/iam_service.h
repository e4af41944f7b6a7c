#pragma once

// IAM for the local cloud (query protocol, a global service: ARNs carry no region). Roles with
// trust policies, customer and AWS managed policies with versions, inline role policies,
// attachments, instance profiles, service-linked roles and tags, with IAM's error codes:
// NoSuchEntity 404, EntityAlreadyExists 409, MalformedPolicyDocument 400, DeleteConflict 409,
// LimitExceeded 409, ValidationError 400, InvalidInput 400, UnmodifiableEntity 400,
// AccessDenied 403 (changing an AWS managed policy). All state lives in the Store (see
// iam_store.h); each call is one transaction. docs/local-cloud.md lists what is supported.

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"

namespace cf::cloud::iam {

class IamService : public TableService<IamService> {
 public:
  explicit IamService(const ServiceContext& context)
      : TableService(context.store, Operations()), context_(context) {}

  std::string name() const override { return "iam"; }
  const ServiceContext& context() const { return context_; }

 private:
  static const OperationTable<IamService>& Operations();

  ServiceContext context_;
};

}  // namespace cf::cloud::iam
