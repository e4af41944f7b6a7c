#pragma once

// Secrets Manager for the local cloud (json 1.1, X-Amz-Target secretsmanager.*): secrets
// with versions and staging labels (AWSCURRENT, AWSPREVIOUS, AWSPENDING and custom ones),
// descriptions, tags, resource policies, deletion with a recovery window (or forced) and
// restore, ListSecrets with filters and pagination, and GetRandomPassword.
//
// Every secret value is encrypted at rest through kms::KeyVault under the secret's KMS key
// (KmsKeyId, or the account's AWS managed key alias/aws/secretsmanager, created on first
// use like AWS does), with the encryption context {"SecretARN": arn, "SecretVersionId": id}.
// The Store holds only ciphertext; a disabled or deleted key makes GetSecretValue fail with
// DecryptionFailure.
//
// State: "secretsmanager/secrets", key <account>/<region>/<name>. A secret whose recovery
// window has passed is removed when next read. Thread-safe: all state is in the Store.

#include <map>
#include <string>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/kms/key_vault.h"

namespace cf::cloud::secretsmanager {

class SecretsManagerService : public TableService<SecretsManagerService> {
 public:
  // `vault` must outlive the service.
  SecretsManagerService(const ServiceContext& context, kms::KeyVault& vault)
      : TableService(context.store, Operations()), context_(context), vault_(vault) {}

  std::string name() const override { return "secretsmanager"; }

  struct Secret {
    std::string store_key;
    Json doc;
  };

 private:
  static const OperationTable<SecretsManagerService>& Operations();

  // The secret SecretId names (name, ARN, or ARN without its random suffix), expiry applied.
  ServiceOr<Secret> FindSecret(CallTxn& txn, const ServiceCall& call, const std::string& secret_id);
  // FindSecret of the input's SecretId, refusing a secret marked for deletion.
  ServiceOr<Secret> FindLiveSecret(CallTxn& txn, const ServiceCall& call);
  // EncryptionFailure unless KMS knows the key `key`.
  ServiceStatus CheckKey(CallTxn& txn, const ServiceCall& call, const std::string& key);
  // Adds a version `version_id` holding the input's SecretString / SecretBinary, with
  // `stages` moved onto it; nothing when an identical version exists.
  ServiceStatus AddVersion(CallTxn& txn, const ServiceCall& call, Secret& secret,
                           const std::string& version_id, const Json& stages);
  // The plaintext value of a version: {"SecretString": ...} or {"SecretBinary": ...}.
  ServiceOr<Json> ReadValue(CallTxn& txn, const ServiceCall& call, const Secret& secret,
                            const std::string& version_id);

  ServiceResult CreateSecret(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeSecret(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetSecretValue(const ServiceCall& call, CallTxn& txn);
  ServiceResult PutSecretValue(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateSecret(const ServiceCall& call, CallTxn& txn);
  ServiceResult UpdateSecretVersionStage(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListSecretVersionIds(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteSecret(const ServiceCall& call, CallTxn& txn);
  ServiceResult RestoreSecret(const ServiceCall& call, CallTxn& txn);
  ServiceResult ListSecrets(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetResourcePolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult PutResourcePolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteResourcePolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult ValidateResourcePolicy(const ServiceCall& call, CallTxn& txn);
  ServiceResult TagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult UntagResource(const ServiceCall& call, CallTxn& txn);
  ServiceResult GetRandomPassword(const ServiceCall& call, CallTxn& txn);

  ServiceContext context_;
  kms::KeyVault& vault_;
};

}  // namespace cf::cloud::secretsmanager
