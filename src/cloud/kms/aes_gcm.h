#pragma once

// Small wrappers over OpenSSL for the local KMS: a CSPRNG and AES-256-GCM with associated
// data. Thread-safe (no shared state).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::cloud::kms {

constexpr size_t kAesKeyBytes = 32;  // AES-256
constexpr size_t kGcmIvBytes = 12;
constexpr size_t kGcmTagBytes = 16;

// `n` bytes from OpenSSL's CSPRNG (RAND_bytes). Internal error when it fails.
Result<std::string> SecureRandomBytes(size_t n);

// AES-256-GCM encryption of `plaintext` with `key` (32 bytes) and `iv` (12 bytes),
// authenticating `aad` too. Returns the ciphertext followed by the 16-byte tag.
Result<std::string> AesGcmSeal(std::string_view key, std::string_view iv,
                               std::string_view plaintext, std::string_view aad);

// The inverse of AesGcmSeal: nullopt when `sealed` is too short, or when the tag does not
// verify (wrong key, wrong aad, tampered bytes).
std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view iv,
                                      std::string_view sealed, std::string_view aad);

}  // namespace cf::cloud::kms
