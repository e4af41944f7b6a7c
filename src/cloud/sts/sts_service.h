#pragma once

// STS for the local cloud: GetCallerIdentity, GetSessionToken and AssumeRole. The temporary
// credentials it issues (ASIA... access keys with a session token and an expiry) are stored
// in the CredentialStore, so the server accepts them on later requests, across restarts.
// AssumeRole accepts any well-formed role ARN of the caller's account (IAM roles and their
// trust policies are not consulted yet).

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
