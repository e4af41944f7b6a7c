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
#include "cloud/core/service.h"
#include "cloud/kms/key_vault.h"

namespace cf::cloud::secretsmanager {

class SecretsManagerService : public Service {
 public:
  // `vault` must outlive the service.
  SecretsManagerService(const ServiceContext& context, kms::KeyVault& vault)
      : context_(context), vault_(vault) {}

  std::string name() const override { return "secretsmanager"; }
  bool HasOperation(const std::string& operation) const override;
  ServiceResult Handle(const ServiceCall& call) override;

  struct Secret {
    std::string store_key;
    Json doc;
  };

 private:
  using Handler = ServiceResult (SecretsManagerService::*)(StoreTxn&, const ServiceCall&);
  static const std::map<std::string, Handler>& Handlers();

  // The secret SecretId names (name, ARN, or ARN without its random suffix), expiry applied.
  std::optional<ServiceError> FindSecret(StoreTxn& txn, const ServiceCall& call,
                                         const std::string& secret_id, Secret& out);
  // FindSecret, refusing a secret marked for deletion.
  std::optional<ServiceError> FindLiveSecret(StoreTxn& txn, const ServiceCall& call, Secret& out);
  // Adds a version `version_id` holding the input's SecretString / SecretBinary, with
  // `stages` moved onto it. `created_new` is false when an identical version exists.
  std::optional<ServiceError> AddVersion(StoreTxn& txn, const ServiceCall& call, Secret& secret,
                                         const std::string& version_id, const Json& stages,
                                         bool& created_new);
  // The plaintext value of a version: {"SecretString": ...} or {"SecretBinary": ...}.
  std::optional<ServiceError> ReadValue(StoreTxn& txn, const ServiceCall& call,
                                        const Secret& secret, const std::string& version_id,
                                        Json& out);

  ServiceResult CreateSecret(StoreTxn& txn, const ServiceCall& call);
  ServiceResult DescribeSecret(StoreTxn& txn, const ServiceCall& call);
  ServiceResult GetSecretValue(StoreTxn& txn, const ServiceCall& call);
  ServiceResult PutSecretValue(StoreTxn& txn, const ServiceCall& call);
  ServiceResult UpdateSecret(StoreTxn& txn, const ServiceCall& call);
  ServiceResult UpdateSecretVersionStage(StoreTxn& txn, const ServiceCall& call);
  ServiceResult ListSecretVersionIds(StoreTxn& txn, const ServiceCall& call);
  ServiceResult DeleteSecret(StoreTxn& txn, const ServiceCall& call);
  ServiceResult RestoreSecret(StoreTxn& txn, const ServiceCall& call);
  ServiceResult ListSecrets(StoreTxn& txn, const ServiceCall& call);
  ServiceResult GetResourcePolicy(StoreTxn& txn, const ServiceCall& call);
  ServiceResult PutResourcePolicy(StoreTxn& txn, const ServiceCall& call);
  ServiceResult DeleteResourcePolicy(StoreTxn& txn, const ServiceCall& call);
  ServiceResult ValidateResourcePolicy(StoreTxn& txn, const ServiceCall& call);
  ServiceResult TagResource(StoreTxn& txn, const ServiceCall& call);
  ServiceResult UntagResource(StoreTxn& txn, const ServiceCall& call);
  ServiceResult GetRandomPassword(StoreTxn& txn, const ServiceCall& call);

  ServiceContext context_;
  kms::KeyVault& vault_;
};

}  // namespace cf::cloud::secretsmanager
