#include "base/crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <memory>

#include "base/logging.h"
#include "base/strings.h"

namespace cf {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* Bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// A digest fetched once: OpenSSL 3 looks a digest up again on every use of EVP_sha256(),
// which costs more than hashing a short string.
const EVP_MD* Fetch(const char* name) {
  EVP_MD* fetched = EVP_MD_fetch(nullptr, name, nullptr);
  CF_CHECK(fetched != nullptr);
  return fetched;
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* md = Fetch("SHA256");
  return md;
}

// A digest context per thread, reused.
EVP_MD_CTX* ThreadContext() {
  struct Holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Holder holder;
  CF_CHECK(holder.ctx != nullptr);
  return holder.ctx;
}

// The digest of the concatenation of `a` and `b` into `out` (EVP_MAX_MD_SIZE); its length.
unsigned int DigestOf(const EVP_MD* md, std::string_view a, std::string_view b,
                      unsigned char* out) {
  EVP_MD_CTX* ctx = ThreadContext();
  unsigned int length = 0;
  CF_CHECK(EVP_DigestInit_ex(ctx, md, nullptr) == 1);
  CF_CHECK(EVP_DigestUpdate(ctx, a.data(), a.size()) == 1);
  CF_CHECK(EVP_DigestUpdate(ctx, b.data(), b.size()) == 1);
  CF_CHECK(EVP_DigestFinal_ex(ctx, out, &length) == 1);
  return length;
}

std::string DigestString(const EVP_MD* md, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = DigestOf(md, data, {}, digest);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string BigEndian(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, Bytes(bytes));
  return bytes;
}

}  // namespace

std::string Md5(std::string_view data) {
  static const EVP_MD* md = Fetch("MD5");
  return DigestString(md, data);
}

std::string Sha1(std::string_view data) {
  static const EVP_MD* md = Fetch("SHA1");
  return DigestString(md, data);
}

std::string Sha256(std::string_view data) {
  return DigestString(Sha256Md(), data);
}

std::string Sha512(std::string_view data) {
  static const EVP_MD* md = Fetch("SHA512");
  return DigestString(md, data);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = DigestOf(Sha256Md(), data, {}, digest);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

namespace {

// Written out over the reused digest context: OpenSSL 3's HMAC() builds a MAC object per
// call, which made it the most expensive step of verifying a request. SHA-1 and SHA-256
// both have 64-byte blocks.
std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  constexpr size_t kBlock = 64;
  unsigned char hashed_key[EVP_MAX_MD_SIZE];
  if (key.size() > kBlock) {
    unsigned int n = DigestOf(md, key, {}, hashed_key);
    key = std::string_view(reinterpret_cast<const char*>(hashed_key), n);
  }
  char inner_pad[kBlock];
  char outer_pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i) {
    char k = i < key.size() ? key[i] : 0;
    inner_pad[i] = static_cast<char>(k ^ 0x36);
    outer_pad[i] = static_cast<char>(k ^ 0x5c);
  }
  unsigned char inner[EVP_MAX_MD_SIZE];
  unsigned int inner_length = DigestOf(md, std::string_view(inner_pad, kBlock), data, inner);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length =
      DigestOf(md, std::string_view(outer_pad, kBlock),
               std::string_view(reinterpret_cast<const char*>(inner), inner_length), digest);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac(Sha256Md(), key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  static const EVP_MD* md = Fetch("SHA1");
  return Hmac(md, key, data);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(Bytes(out), static_cast<int>(n)) != 1) {
    return InternalError("RAND_bytes failed");
  }
  return out;
}

Result<std::string> AesGcmSeal(std::string_view key, std::string_view iv,
                               std::string_view plaintext, std::string_view aad) {
  if (key.size() != kAes256KeyBytes || iv.size() != kGcmIvBytes) {
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
  if (key.size() != kAes256KeyBytes || iv.size() != kGcmIvBytes || sealed.size() < kGcmTagBytes) {
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

Result<std::string> AesGcmEncrypt(std::string_view key, std::string_view plaintext,
                                  std::string_view aad) {
  ASSIGN_OR_RETURN(std::string iv, RandomBytes(kGcmIvBytes));
  ASSIGN_OR_RETURN(std::string sealed, AesGcmSeal(key, iv, plaintext, aad));
  return iv + sealed;
}

std::optional<std::string> AesGcmDecrypt(std::string_view key, std::string_view sealed,
                                         std::string_view aad) {
  if (sealed.size() < kGcmIvBytes + kGcmTagBytes) {
    return std::nullopt;
  }
  return AesGcmOpen(key, sealed.substr(0, kGcmIvBytes), sealed.substr(kGcmIvBytes), aad);
}

Result<GeneratedKey> GenerateKey(KeyType type) {
  bool ed25519 = type == KeyType::kEd25519;
  PkeyPtr key(ed25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  if (!key) {
    return InternalError("key generation failed");
  }
  GeneratedKey out;
  BioPtr pem(BIO_new(BIO_s_mem()));
  bool written = ed25519 ? PEM_write_bio_PrivateKey(pem.get(), key.get(), nullptr, nullptr, 0,
                                                    nullptr, nullptr) == 1
                         : PEM_write_bio_PrivateKey_traditional(pem.get(), key.get(), nullptr,
                                                                nullptr, 0, nullptr, nullptr) == 1;
  BioPtr der(BIO_new(BIO_s_mem()));
  written = written && i2d_PKCS8PrivateKey_bio(der.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                               nullptr) == 1;
  if (!written) {
    return InternalError("writing the private key failed");
  }
  out.private_pem = BioText(pem.get());
  out.private_pkcs8_der = BioText(der.get());
  if (ed25519) {
    unsigned char raw[32];
    size_t n = sizeof(raw);
    if (EVP_PKEY_get_raw_public_key(key.get(), raw, &n) != 1) {
      return InternalError("reading the public key failed");
    }
    out.ed25519_public.assign(reinterpret_cast<const char*>(raw), n);
    return out;
  }
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e);
  BnPtr n_owner(n);
  BnPtr e_owner(e);
  if (n == nullptr || e == nullptr) {
    return InternalError("reading the public key failed");
  }
  out.rsa_modulus = BigEndian(n);
  out.rsa_exponent = BigEndian(e);
  return out;
}

Result<std::string> RsaPublicKeyDer(std::string_view modulus, std::string_view exponent) {
  BnPtr n(BN_bin2bn(Bytes(modulus), static_cast<int>(modulus.size()), nullptr));
  BnPtr e(BN_bin2bn(Bytes(exponent), static_cast<int>(exponent.size()), nullptr));
  ParamBuildPtr build(OSSL_PARAM_BLD_new());
  if (!n || !e || !build ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return InvalidArgumentError("not an RSA public key");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw_key = nullptr;
  bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
            EVP_PKEY_fromdata(ctx.get(), &raw_key, EVP_PKEY_PUBLIC_KEY, params.get()) == 1;
  PkeyPtr key(raw_key);
  if (!ok) {
    return InvalidArgumentError("not an RSA public key");
  }
  unsigned char* der = nullptr;
  int der_size = i2d_PUBKEY(key.get(), &der);
  if (der_size <= 0) {
    return InvalidArgumentError("not an RSA public key");
  }
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(der_size));
  OPENSSL_free(der);
  return out;
}

}  // namespace cf
