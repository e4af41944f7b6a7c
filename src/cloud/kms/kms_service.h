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

#include <optional>
#include <string>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/kms/key_vault.h"

namespace cf::cloud::kms {

class KmsService : public TableService<KmsService>, public KeyVault {
 public:
  // `master_key`: 32 bytes (master_key.h) wrapping key material at rest.
  KmsService(const ServiceContext& context, std::string master_key);

  std::string name() const override { return "kms"; }

  ServiceOr<std::string> ResolveKeyArn(CallTxn& txn, const KeyScope& scope,
                                       const std::string& key_id) override;
  ServiceOr<std::string> Encrypt(CallTxn& txn, const KeyScope& scope, const std::string& key_id,
                                 std::string_view plaintext,
                                 const EncryptionContext& context) override;
  ServiceOr<Decrypted> Decrypt(CallTxn& txn, const KeyScope& scope, std::string_view blob,
                               const EncryptionContext& context) override;

  // A key in the store: its store key and document.
  struct Key {
    std::string store_key;
    Json doc;
  };

 private:
  static const OperationTable<KmsService>& Operations();

  // A blob opened, and the key that sealed it.
  struct Opened {
    Key key;
    std::string plaintext;
  };

  // Key lookup with expiry and rotation applied (and saved).
  ServiceOr<Key> FindKey(CallTxn& txn, const KeyScope& scope, const std::string& key_id);
  // The key input member `member` names, in the call's account and region.
  ServiceOr<Key> KeyNamed(CallTxn& txn, const ServiceCall& call, const char* member = "KeyId");
  // The same, refused when it is pending deletion.
  ServiceOr<Key> ChangeableKey(CallTxn& txn, const ServiceCall& call, const char* member = "KeyId");
  // The same, refused when it is disabled or pending deletion.
  ServiceOr<Key> UsableKey(CallTxn& txn, const ServiceCall& call, const char* member = "KeyId");
  // Saves `key` and answers `output`.
  ServiceResult SaveKey(CallTxn& txn, const Key& key, Json output);
  // The key of id `uuid`; nullopt when there is none (or it just expired).
  ServiceOr<std::optional<Key>> LoadKeyById(CallTxn& txn, const KeyScope& scope,
                                            const std::string& uuid);
  ServiceOr<Key> CreateKeyRecord(CallTxn& txn, const KeyScope& scope,
                                 const std::string& description, const std::string& policy,
                                 const Json& tags, bool aws_managed);
  ServiceStatus AddVersion(Key& key);
  ServiceOr<std::string> Material(const Key& key, uint32_t version) const;
  ServiceOr<std::string> SealWith(const Key& key, std::string_view plaintext,
                                  const EncryptionContext& context);
  // Opens `blob`; when `expected` is set, the blob's key must be that key.
  ServiceOr<Opened> OpenBlobIn(CallTxn& txn, const KeyScope& scope, std::string_view blob,
                               const EncryptionContext& context, const Key* expected);
  // Opens the call's CiphertextBlob with the context in `context_member`; when the input
  // names a key in `key_member`, the blob must be of that key.
  ServiceOr<Opened> OpenBlobOf(CallTxn& txn, const ServiceCall& call, const char* key_member,
                               const char* context_member);
  // The alias the call's AliasName names (NotFoundException when there is none).
  ServiceOr<Json> ExistingAlias(CallTxn& txn, const ServiceCall& call);
  // Deletes the grant GrantId of the key KeyId.
  ServiceResult DeleteGrantOf(const ServiceCall& call, CallTxn& txn);

  ServiceResult CreateKey(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeKey(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListKeys(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateKeyDescription(const ServiceCall& call, CallTxn& txn);
  ServiceResult CreateAlias(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateAlias(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteAlias(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListAliases(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetKeyPolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult PutKeyPolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListKeyPolicies(const ServiceCall& call, CallTxn& txn);
  ServiceResult EnableKeyRotation(const ServiceCall& call, CallTxn& txn);
  ServiceResult DisableKeyRotation(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetKeyRotationStatus(const ServiceCall& call, CallTxn& txn);
  ServiceResult EnableKey(const ServiceCall& call, CallTxn& txn);
  ServiceResult DisableKey(const ServiceCall& call, CallTxn& txn);
  ServiceResult EncryptOp(const ServiceCall& call, CallTxn& txn);
  ServiceResult DecryptOp(const ServiceCall& call, CallTxn& txn);
  ServiceResult GenerateDataKey(const ServiceCall& call, CallTxn& txn);
  ServiceResult GenerateDataKeyWithoutPlaintext(const ServiceCall& call, CallTxn& txn);
  ServiceResult ReEncrypt(const ServiceCall& call, CallTxn& txn);
  ServiceResult GenerateRandom(const ServiceCall& call, CallTxn& txn);
  ServiceResult CreateGrant(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListGrants(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListRetirableGrants(const ServiceCall& call, CallTxn& txn);
  ServiceResult RetireGrant(const ServiceCall& call, CallTxn& txn);
  ServiceResult RevokeGrant(const ServiceCall& call, CallTxn& txn);
  ServiceResult ScheduleKeyDeletion(const ServiceCall& call, CallTxn& txn);
  ServiceResult CancelKeyDeletion(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListResourceTags(const ServiceCall& call, CallTxn& txn);

  ServiceContext context_;
  std::string master_key_;
};

}  // namespace cf::cloud::kms
