#include "cloud/kms/aes_gcm.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace cf::cloud::kms {

namespace {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* Bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

}  // namespace

Result<std::string> SecureRandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(Bytes(out), static_cast<int>(n)) != 1) {
    return InternalError("RAND_bytes failed");
  }
  return out;
}

Result<std::string> AesGcmSeal(std::string_view key, std::string_view iv,
                               std::string_view plaintext, std::string_view aad) {
  if (key.size() != kAesKeyBytes || iv.size() != kGcmIvBytes) {
    return InternalError("AES-256-GCM: bad key or IV size");
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(iv)) != 1) {
    return InternalError("AES-256-GCM: init failed");
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) {
    return InternalError("AES-256-GCM: aad failed");
  }
  std::string out(plaintext.size() + kGcmTagBytes, '\0');
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), Bytes(out), &len, Bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1) {
      return InternalError("AES-256-GCM: encrypt failed");
    }
    written = len;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), Bytes(out) + written, &len) != 1) {
    return InternalError("AES-256-GCM: final failed");
  }
  written += len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes),
                          Bytes(out) + written) != 1) {
    return InternalError("AES-256-GCM: tag failed");
  }
  out.resize(static_cast<size_t>(written) + kGcmTagBytes);
  return out;
}

std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view iv,
                                      std::string_view sealed, std::string_view aad) {
  if (key.size() != kAesKeyBytes || iv.size() != kGcmIvBytes || sealed.size() < kGcmTagBytes) {
    return std::nullopt;
  }
  std::string_view body = sealed.substr(0, sealed.size() - kGcmTagBytes);
  std::string tag(sealed.substr(body.size()));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), Bytes(iv)) != 1) {
    return std::nullopt;
  }
  int len = 0;
  if (!aad.empty() &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) {
    return std::nullopt;
  }
  std::string out(body.size() + kGcmTagBytes, '\0');
  int written = 0;
  if (!body.empty()) {
    if (EVP_DecryptUpdate(ctx.get(), Bytes(out), &len, Bytes(body),
                          static_cast<int>(body.size())) != 1) {
      return std::nullopt;
    }
    written = len;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes),
                          Bytes(tag)) != 1) {
    return std::nullopt;
  }
  if (EVP_DecryptFinal_ex(ctx.get(), Bytes(out) + written, &len) != 1) {
    return std::nullopt;
  }
  written += len;
  out.resize(static_cast<size_t>(written));
  return out;
}

}  // namespace cf::cloud::kms
