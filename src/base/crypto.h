#pragma once

// Cryptography: digests, HMAC-SHA256, AES-256-GCM with associated data, a CSPRNG, and the
// asymmetric key generation EC2 key pairs need. This file is the one place OpenSSL's EVP,
// RAND and key calls are made; everything else calls these.
//
// All functions are thread-safe. The SHA-256 and HMAC paths are tuned for SigV4 (a digest
// fetched once, a reused context per thread): keep them allocation-light.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cf {

// Digests, as raw bytes (16, 20, 32 and 64 bytes).
std::string Md5(std::string_view data);
std::string Sha1(std::string_view data);
std::string Sha256(std::string_view data);
std::string Sha512(std::string_view data);
// SHA-256 as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 (RFC 2104) of `data` under `key`, as 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// HMAC-SHA1, as 20 raw bytes: only for S3's signatures of the older form (version 2).
std::string HmacSha1(std::string_view key, std::string_view data);

// True when `a` and `b` are equal, in time independent of where they differ; different
// lengths compare unequal at once.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// `n` bytes from OpenSSL's CSPRNG. Internal error when it fails.
Result<std::string> RandomBytes(size_t n);

// AES-256-GCM.
inline constexpr size_t kAes256KeyBytes = 32;
inline constexpr size_t kGcmIvBytes = 12;
inline constexpr size_t kGcmTagBytes = 16;

// Encrypts `plaintext` under `key` (32 bytes) with `iv` (12 bytes, never reused with one key),
// authenticating `aad` too. Returns the ciphertext followed by the 16-byte tag. Internal error
// on a wrong key or IV size.
Result<std::string> AesGcmSeal(std::string_view key, std::string_view iv,
                               std::string_view plaintext, std::string_view aad);
// The inverse of AesGcmSeal: nullopt when `sealed` is shorter than a tag, or when the tag does
// not verify (wrong key, IV or aad, tampered bytes).
std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view iv,
                                      std::string_view sealed, std::string_view aad);

// The same with a fresh random IV carried in front: IV (12) || ciphertext || tag (16).
Result<std::string> AesGcmEncrypt(std::string_view key, std::string_view plaintext,
                                  std::string_view aad);
std::optional<std::string> AesGcmDecrypt(std::string_view key, std::string_view sealed,
                                         std::string_view aad);

// Asymmetric key pairs.
enum class KeyType { kRsa2048, kEd25519 };

struct GeneratedKey {
  // RSA: PKCS#1 PEM ("-----BEGIN RSA PRIVATE KEY-----"); Ed25519: PKCS#8 PEM.
  std::string private_pem;
  std::string private_pkcs8_der;
  // RSA: the modulus and public exponent, big-endian, no leading zeros.
  std::string rsa_modulus;
  std::string rsa_exponent;
  // Ed25519: the 32-byte public key.
  std::string ed25519_public;
};

// A new key pair. Internal error when OpenSSL cannot make or write it.
Result<GeneratedKey> GenerateKey(KeyType type);

// The DER SubjectPublicKeyInfo of the RSA public key (modulus, exponent: big-endian bytes).
// InvalidArgument when they do not form a key.
Result<std::string> RsaPublicKeyDer(std::string_view modulus, std::string_view exponent);

}  // namespace cf
