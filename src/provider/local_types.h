#pragma once

// The resource types that make no AWS call, behind the ResourceProvider contract, as the
// hashicorp/random, hashicorp/tls and hashicorp/local providers define them:
//   random_string, random_password (bcrypt_hash too), random_id, random_uuid, random_pet;
//   tls_private_key (RSA, ECDSA P224/P256/P384/P521, ED25519; PEM, PKCS#8, OpenSSH forms and
//   fingerprints), tls_self_signed_cert;
//   local_file, local_sensitive_file (paths relative to the configuration directory).
// Randomness comes from OpenSSL's CSPRNG; every argument forces a replacement, as in those
// providers. Every call runs in the "local" pool and never pends. Thread-safe.

#include <functional>
#include <string>

#include "base/file_system.h"
#include "provider/resource_provider.h"

namespace cf::provider {

class LocalTypesProvider : public ResourceProvider {
 public:
  // Files are written through `fs`, relative paths resolved against `base_dir`. `chmod`
  // applies file_permission / directory_permission (octal strings); empty: permissions are
  // not applied (an in-memory file system).
  LocalTypesProvider(FileSystem& fs, std::string base_dir,
                     std::function<Status(const std::string& path, int mode)> chmod = {});

  // The types this provider serves, sorted.
  static const std::vector<std::string>& Types();

  bool Supports(std::string_view type) const override;
  std::string Pool(std::string_view type) const override;
  UpdateRules Rules(std::string_view type) const override;
  Result<StepResult> Create(const InstanceRef& ref, const Json& config) override;
  Result<std::vector<std::optional<Json>>> Read(std::string_view type,
                                                const std::vector<Json>& states) override;
  Result<StepResult> Update(const InstanceRef& ref, const Json& prior, const Json& config) override;
  Result<StepResult> Delete(const InstanceRef& ref, const Json& state) override;
  Result<std::vector<PollResult>> Poll(std::string_view type,
                                       const std::vector<Json>& states) override;
  Result<std::optional<Json>> Find(const InstanceRef& ref, const Json& config) override;
  Result<Json> Import(std::string_view type, std::string_view id) override;

 private:
  std::string Resolve(const std::string& filename) const;
  Result<Json> CreateFile(const std::string& type, const Json& config);

  FileSystem& fs_;
  const std::string base_dir_;
  std::function<Status(const std::string&, int)> chmod_;
};

// ::chmod(2) as a Status, for LocalTypesProvider on the real file system.
Status PosixChmod(const std::string& path, int mode);

}  // namespace cf::provider
