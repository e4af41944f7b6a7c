#pragma once

// AWS credentials and the interface that supplies them. The resolution chain (flags,
// environment, shared files, assumed roles, IMDS) lives in credentials_chain.h.

#include <chrono>
#include <optional>
#include <string>

#include "base/status.h"

namespace cf::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  // When temporary credentials stop working; nullopt for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // Where they came from ("env", "shared-credentials-file", "assume-role", "imds", ...),
  // for messages; never the secret itself.
  std::string source;

  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

// Supplies credentials for signing. Implementations that cache must be thread-safe.
class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials; NotFound when this provider has none to offer (the chain then asks
  // the next one); another error when it has some but could not obtain them.
  virtual Result<Credentials> GetCredentials() = 0;
};

// Always the same credentials (explicit flags, tests).
class StaticCredentialsProvider : public CredentialsProvider {
 public:
  explicit StaticCredentialsProvider(Credentials credentials)
      : credentials_(std::move(credentials)) {}
  Result<Credentials> GetCredentials() override {
    if (credentials_.empty()) {
      return NotFoundError("no static credentials");
    }
    return credentials_;
  }

 private:
  Credentials credentials_;
};

}  // namespace cf::aws
