#pragma once

// STS for the local cloud: GetCallerIdentity, GetSessionToken and AssumeRole. The temporary
// credentials it issues (ASIA... access keys with a session token and an expiry) are stored
// in the CredentialStore, so the server accepts them on later requests, across restarts.
// AssumeRole consults IAM's store: the role must exist (same ARN, path included) and its trust
// policy must allow sts:AssumeRole to the caller (iam::TrustPolicyAllows: "*", the caller's
// account or its root, or the caller's ARN; conditions are not evaluated); otherwise
// AccessDenied (403). DurationSeconds may not exceed the role's MaxSessionDuration.

#include "cloud/core/context.h"
#include "cloud/core/service.h"

namespace cf::cloud::sts {

class StsService : public Service {
 public:
  explicit StsService(const ServiceContext& context) : context_(context) {}

  std::string name() const override { return "sts"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;

 private:
  ServiceResult GetCallerIdentity(const ServiceCall& call);
  ServiceResult AssumeRole(const ServiceCall& call);
  ServiceResult GetSessionToken(const ServiceCall& call);
  // Issues and stores a temporary credential for `identity`, valid `seconds`.
  ServiceResult Issue(CallerIdentity identity, int64_t seconds, Json& out);

  ServiceContext context_;
};

}  // namespace cf::cloud::sts
