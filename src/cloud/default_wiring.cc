#include "cloud/default_wiring.h"

namespace cf::cloud {

namespace {

// Until src/aws's codecs and verifier are merged: no protocols, and every request refused.
class NoProtocols : public ProtocolTable {
 public:
  const WireProtocol* Find(const std::string&) const override { return nullptr; }
};

class RefuseAll : public Authenticator {
 public:
  AuthOutcome Authenticate(const HttpRequest&, const SigV4Auth&, ProtocolFamily) const override {
    return {ServiceError{"InternalFailure", "SigV4 verification is not built in yet", 500, false},
            {}};
  }
};

}  // namespace

std::unique_ptr<ProtocolTable> MakeModelProtocolTable() {
  return std::make_unique<NoProtocols>();
}

std::unique_ptr<Authenticator> MakeSigV4Authenticator(const CredentialStore&, const Clock&) {
  return std::make_unique<RefuseAll>();
}

}  // namespace cf::cloud
