#pragma once

// KMS for the local cloud (json 1.1, X-Amz-Target TrentService.*): symmetric keys
// (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) with real AES-256-GCM, aliases, key policies, grants
// (recorded, not enforced), tags, enable/disable, scheduled deletion, and automatic rotation
// on the Clock's schedule. docs/local-cloud.md describes what is supported and the
// ciphertext format (ciphertext.h).
//
// State, all in the Store: "kms/keys" (<account>/<region>/<key id>: metadata, policy,
// tags, rotation schedule, and the key's material versions wrapped under the master key),
// "kms/aliases" (<account>/<region>/<alias name>) and "kms/grants"
// (<account>/<region>/<key id>/<grant id>).
//
// Time-driven transitions happen lazily when a key is next read: a key past its deletion
// date disappears (with its aliases and grants); an enabled key with rotation on and its
// rotation date passed gets a new material version (older blobs keep decrypting).
//
// Thread-safe: all state is in the Store, accessed in transactions.

#include <string>
#include <variant>

#include "cloud/core/context.h"
#include "cloud/core/service.h"
#include "cloud/kms/key_vault.h"

namespace cf::cloud::kms {

class KmsService : public Service, public KeyVault {
 public:
  // `master_key`: 32 bytes (master_key.h) wrapping key material at rest.
  KmsService(const ServiceContext& context, std::string master_key);

  std::string name() const override { return "kms"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;

  std::variant<std::string, ServiceError> ResolveKeyArn(StoreTxn& txn, const KeyScope& scope,
                                                        const std::string& key_id) override;
  std::variant<std::string, ServiceError> Encrypt(StoreTxn& txn, const KeyScope& scope,
                                                  const std::string& key_id,
                                                  std::string_view plaintext,
                                                  const EncryptionContext& context) override;
  std::variant<Decrypted, ServiceError> Decrypt(StoreTxn& txn, const KeyScope& scope,
                                                std::string_view blob,
                                                const EncryptionContext& context) override;

  // A key in the store: its store key and document.
  struct Key {
    std::string store_key;
    Json doc;
  };

 private:
  using Handler = ServiceResult (KmsService::*)(StoreTxn&, const ServiceCall&, const KeyScope&);
  static const std::map<std::string, Handler>& Handlers();

  // Key lookup with expiry and rotation applied (and saved).
  std::optional<ServiceError> FindKey(StoreTxn& txn, const KeyScope& scope,
                                      const std::string& key_id, Key& out);
  std::optional<ServiceError> LoadKeyById(StoreTxn& txn, const KeyScope& scope,
                                          const std::string& uuid, bool& found, Key& out);
  std::optional<ServiceError> CreateKeyRecord(StoreTxn& txn, const KeyScope& scope,
                                              const std::string& description,
                                              const std::string& policy, const Json& tags,
                                              bool aws_managed, Key& out);
  std::optional<ServiceError> AddVersion(Key& key);
  std::optional<ServiceError> Material(const Key& key, uint32_t version, std::string& out) const;
  std::optional<ServiceError> SealWith(const Key& key, std::string_view plaintext,
                                       const EncryptionContext& context, std::string& blob);
  // Opens `blob`; when `expected` is set, the blob's key must be that key.
  std::optional<ServiceError> OpenBlobIn(StoreTxn& txn, const KeyScope& scope,
                                         std::string_view blob, const EncryptionContext& context,
                                         const Key* expected, Key& key, std::string& plaintext);

  ServiceResult CreateKey(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult DescribeKey(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult ListKeys(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult UpdateKeyDescription(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult CreateAlias(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult UpdateAlias(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult DeleteAlias(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult ListAliases(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult GetKeyPolicy(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult PutKeyPolicy(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult ListKeyPolicies(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult EnableKeyRotation(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult DisableKeyRotation(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult GetKeyRotationStatus(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult EnableKey(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult DisableKey(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult EncryptOp(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult DecryptOp(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult GenerateDataKey(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult GenerateDataKeyWithoutPlaintext(StoreTxn& txn, const ServiceCall& call,
                                                const KeyScope& scope);
  ServiceResult ReEncrypt(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult GenerateRandom(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult CreateGrant(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult ListGrants(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult ListRetirableGrants(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult RetireGrant(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult RevokeGrant(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult ScheduleKeyDeletion(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult CancelKeyDeletion(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult TagResource(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult UntagResource(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);
  ServiceResult ListResourceTags(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope);

  ServiceContext context_;
  std::string master_key_;
};

}  // namespace cf::cloud::kms
