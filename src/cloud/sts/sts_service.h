#pragma once

// STS for the local cloud: GetCallerIdentity, GetSessionToken and AssumeRole. The temporary
// credentials it issues (ASIA... access keys with a session token and an expiry) are stored
// in the CredentialStore, so the server accepts them on later requests, across restarts.
// AssumeRole consults IAM's store: the role must exist (same ARN, path included) and its trust
// policy must allow sts:AssumeRole to the caller (iam::TrustPolicyAllows: "*", the caller's
// account or its root, or the caller's ARN; conditions are not evaluated); otherwise
// AccessDenied (403). DurationSeconds may not exceed the role's MaxSessionDuration.

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"

namespace cf::cloud::sts {

class StsService : public TableService<StsService> {
 public:
  explicit StsService(const ServiceContext& context)
      : TableService(context.store, Operations()), context_(context) {}

  std::string name() const override { return "sts"; }

 private:
  static const OperationTable<StsService>& Operations();

  ServiceResult GetCallerIdentity(const ServiceCall& call, CallTxn& txn);
  ServiceResult AssumeRole(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetSessionToken(const ServiceCall& call, CallTxn& txn);
  // Issues and stores a temporary credential for `identity`, valid `seconds`: the
  // Credentials member of the answer. Uses the Store itself (no call transaction may be open).
  ServiceResult Issue(CallerIdentity identity, int64_t seconds);

  ServiceContext context_;
};

}  // namespace cf::cloud::sts
