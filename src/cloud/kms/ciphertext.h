#pragma once

// The local KMS's ciphertext blob (docs/local-cloud.md, "KMS ciphertext format"):
//
//   offset  size  field
//   0       4     magic "CFK" and format version 0x01
//   4       36    key id (the key's UUID, ASCII)
//   40      4     backing key version, big-endian (0 for the key's first material)
//   44      12    AES-GCM IV (random per blob)
//   56      n     AES-256-GCM ciphertext of the plaintext
//   56+n    16    AES-GCM tag
//
// The associated data authenticated by the tag is the 44-byte header (magic, key id,
// version) followed by the canonical encryption context: its pairs sorted by key, each as
// a 4-byte big-endian length and the key bytes, then the same for the value. So a blob
// names its key (Decrypt needs no KeyId), a changed header or context fails the tag, and a
// blob of one key never opens under another (different material).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::cloud::kms {

using EncryptionContext = std::map<std::string, std::string>;

constexpr size_t kKeyIdChars = 36;
constexpr size_t kBlobHeaderBytes = 44;

struct BlobHeader {
  std::string key_id;
  uint32_t version = 0;
};

// The canonical encoding of `context` described above.
std::string CanonicalContext(const EncryptionContext& context);

// Seals `plaintext` under `material` (32 bytes) as a blob of key `key_id` (a 36-character
// UUID) at `version`.
Result<std::string> SealBlob(const BlobHeader& header, std::string_view material,
                             std::string_view plaintext, const EncryptionContext& context);

// The header of a well-formed blob; nullopt when `blob` is not one (too short, bad magic).
std::optional<BlobHeader> PeekBlob(std::string_view blob);

// The plaintext; nullopt when the blob is malformed or does not authenticate under
// `material` and `context`.
std::optional<std::string> OpenBlob(std::string_view blob, std::string_view material,
                                    const EncryptionContext& context);

// Key material at rest: AES-256-GCM under the data dir's master key, bound to the key id
// and version (IV || ciphertext || tag).
Result<std::string> WrapMaterial(std::string_view master_key, const BlobHeader& header,
                                 std::string_view material);
std::optional<std::string> UnwrapMaterial(std::string_view master_key, const BlobHeader& header,
                                          std::string_view wrapped);

}  // namespace cf::cloud::kms
