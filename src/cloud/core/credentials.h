#pragma once

// The access keys the local cloud accepts: long-term keys from the configuration (by default
// access key `test`, secret `test`, account 000000000000) and temporary keys issued by STS
// (ASIA..., with a session token and an expiry), kept in the Store so they survive restarts.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cloud/core/service.h"
#include "cloud/core/store.h"

namespace cf::cloud {

inline constexpr char kDefaultAccountId[] = "000000000000";

struct Credential {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  CallerIdentity identity;
  std::optional<std::chrono::system_clock::time_point> expiration;
};

// The default key: test/test for the root of account 000000000000.
Credential DefaultCredential();

// Thread-safe (the Store serializes access).
class CredentialStore {
 public:
  CredentialStore(Store& store, std::vector<Credential> long_term)
      : store_(store), long_term_(std::move(long_term)) {}

  // NotFound when the key is unknown.
  Result<Credential> Lookup(const std::string& access_key_id) const;
  // Persists a temporary credential.
  Status AddTemporary(const Credential& credential);

 private:
  Store& store_;
  std::vector<Credential> long_term_;
};

}  // namespace cf::cloud
