#include "cloud/default_wiring.h"

#include <fmt/core.h>

#include "aws/sigv4_verifier.h"
#include "cloud/model_protocol.h"
#include "cloud/s3/s3_protocol.h"

namespace cf::cloud {

namespace {

// The verifier's view of the credential table.
class CredentialSecrets : public aws::SecretLookup {
 public:
  explicit CredentialSecrets(const CredentialStore& credentials) : credentials_(credentials) {}
  std::optional<aws::KnownKey> FindKey(std::string_view access_key_id) const override {
    Result<Credential> c = credentials_.Lookup(std::string(access_key_id));
    if (!c.ok()) {
      return std::nullopt;
    }
    return aws::KnownKey{c->secret_access_key, c->session_token};
  }

 private:
  const CredentialStore& credentials_;
};

// SigV4 (header or presigned) through src/aws's verifier, then the caller's identity and, for
// temporary credentials, their expiry.
class SigV4Authenticator : public Authenticator {
 public:
  SigV4Authenticator(const CredentialStore& credentials, const Clock& clock)
      : credentials_(credentials),
        secrets_(credentials),
        clock_(clock),
        verifier_(secrets_, clock) {}

  AuthOutcome Authenticate(const HttpRequest& request, const SigV4Auth& auth,
                           ProtocolFamily family) const override {
    bool json = family == ProtocolFamily::kJson;
    aws::HttpRequest wire;
    wire.method = request.method;
    wire.path = request.target.empty() ? "/" : request.target;
    for (const auto& [name, value] : request.headers) {
      wire.headers.push_back({name, value});
    }
    wire.body = request.body;
    aws::VerifyOptions options;
    options.service = auth.service;
    aws::VerifyResult verified = verifier_.Verify(wire, options);
    if (!verified.ok()) {
      const aws::AuthError& e = *verified.error;
      std::string code = e.AwsCode(auth.service, json);
      if (e.code == aws::AuthErrorCode::kRequestTimeTooSkewed && !json) {
        code = "RequestTimeTooSkewed";
      }
      if (json && code.find("Exception") == std::string::npos) {
        code += "Exception";
      }
      return {ServiceError{code, e.message, e.HttpStatus(), true}, {}};
    }
    Result<Credential> credential = credentials_.Lookup(verified.caller.access_key_id);
    if (!credential.ok()) {
      return {ServiceError{json ? "UnrecognizedClientException" : "InvalidClientTokenId",
                           "The security token included in the request is invalid.", 403, true},
              {}};
    }
    if (credential->expiration && clock_.Now() >= *credential->expiration) {
      return {ServiceError{json ? "ExpiredTokenException" : "ExpiredToken",
                           "The security token included in the request is expired", 400, true},
              {}};
    }
    return {std::nullopt, credential->identity};
  }

 private:
  const CredentialStore& credentials_;
  CredentialSecrets secrets_;
  const Clock& clock_;
  aws::SigV4Verifier verifier_;
};

}  // namespace

std::unique_ptr<ProtocolTable> MakeModelProtocolTable() {
  return std::make_unique<ModelProtocolTable>(
      std::map<std::string, ModelProtocolTable::Factory>{{"s3", s3::MakeS3Protocol}});
}

std::unique_ptr<Authenticator> MakeSigV4Authenticator(const CredentialStore& credentials,
                                                      const Clock& clock) {
  return std::make_unique<SigV4Authenticator>(credentials, clock);
}

}  // namespace cf::cloud
