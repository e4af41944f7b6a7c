#pragma once

// The seam for request authentication: given a request and its parsed SigV4 fields, either
// the caller (resolved through the CredentialStore) or the AWS error to answer.
// SigV4Authenticator (sigv4_authenticator.h) is the real one, on src/aws's verifier.

#include <optional>

#include "cloud/core/service.h"
#include "cloud/http_message.h"
#include "cloud/sigv4_request.h"
#include "cloud/wire_protocol.h"

namespace cf::cloud {

struct AuthOutcome {
  std::optional<ServiceError> error;  // set when refused
  CallerIdentity caller;              // meaningful when !error
};

// Thread-safe.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthOutcome Authenticate(const HttpRequest& request, const SigV4Auth& auth,
                                   ProtocolFamily family) const = 0;
};

}  // namespace cf::cloud
