#pragma once

// The real implementations behind the server's seams: the model-driven wire protocols of
// src/aws for every embedded service (S3's own, cloud/s3/s3_protocol.h, for s3), and SigV4
// verification against the CredentialStore.

#include <memory>

#include "base/clock.h"
#include "cloud/authenticator.h"
#include "cloud/core/credentials.h"
#include "cloud/wire_protocol.h"

namespace cf::cloud {

std::unique_ptr<ProtocolTable> MakeModelProtocolTable();

// `credentials` and `clock` must outlive the authenticator.
std::unique_ptr<Authenticator> MakeSigV4Authenticator(const CredentialStore& credentials,
                                                      const Clock& clock);

}  // namespace cf::cloud
