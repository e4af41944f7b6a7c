#pragma once

// What other services of the local cloud (Secrets Manager, S3 default encryption, ...) use
// KMS for, in-process: resolving a key reference, and encrypting / decrypting under a key
// with the same checks and errors as the KMS API (a disabled key refuses, a key pending
// deletion refuses, a wrong encryption context fails).
//
// Every call takes the caller's CallTxn, so the caller's own reads and writes and the KMS
// ones commit together (and no second transaction is opened while one is held: the Store's
// transactions are not reentrant).

#include <string>
#include <string_view>

#include "cloud/core/operation_table.h"
#include "cloud/kms/ciphertext.h"

namespace cf::cloud::kms {

// Keys live in one account and region.
struct KeyScope {
  std::string account_id;
  std::string region;
};

class KeyVault {
 public:
  virtual ~KeyVault() = default;

  // The ARN of the key `key_id` names: a key id, key ARN, alias name ("alias/x") or alias
  // ARN. "alias/aws/<service>" of a known service (secretsmanager, s3, ...) names the AWS
  // managed key of that service, created on first use. NotFoundException otherwise.
  virtual ServiceOr<std::string> ResolveKeyArn(CallTxn& txn, const KeyScope& scope,
                                               const std::string& key_id) = 0;

  // A ciphertext blob of `plaintext` under the key `key_id` names, bound to `context`.
  virtual ServiceOr<std::string> Encrypt(CallTxn& txn, const KeyScope& scope,
                                         const std::string& key_id, std::string_view plaintext,
                                         const EncryptionContext& context) = 0;

  struct Decrypted {
    std::string key_arn;
    std::string plaintext;
  };
  // The plaintext of a blob from Encrypt; the blob names its key. InvalidCiphertextException
  // for a blob that is malformed, tampered with, or bound to another context.
  virtual ServiceOr<Decrypted> Decrypt(CallTxn& txn, const KeyScope& scope, std::string_view blob,
                                       const EncryptionContext& context) = 0;
};

}  // namespace cf::cloud::kms
