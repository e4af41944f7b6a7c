#include "cloud/ec2/key_material.h"

#include <fmt/core.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <vector>

namespace cf::cloud::ec2 {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::variant<std::string, std::string> Unbase64(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::variant<std::string, std::string>(std::in_place_index<1>, "bad base64");
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) {
    return std::variant<std::string, std::string>(std::in_place_index<1>, "bad base64");
  }
  size_t pad = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    ++pad;
  }
  out.resize(static_cast<size_t>(n) - pad);
  return std::variant<std::string, std::string>(std::in_place_index<0>, out);
}

std::string Digest(const EVP_MD* md, const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &n, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string ColonHex(const std::string& bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    out += fmt::format("{}{:02x}", i == 0 ? "" : ":", static_cast<unsigned char>(bytes[i]));
  }
  return out;
}

void PutString(std::string& blob, const std::string& s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  blob += static_cast<char>(n >> 24);
  blob += static_cast<char>(n >> 16);
  blob += static_cast<char>(n >> 8);
  blob += static_cast<char>(n);
  blob += s;
}

// An SSH mpint: big-endian, with a leading zero byte when the top bit is set.
std::string Mpint(const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) {
    bytes.insert(bytes.begin(), '\0');
  }
  return bytes;
}

// The OpenSSH key blob of a public key.
std::string SshBlob(EVP_PKEY* key) {
  std::string blob;
  if (EVP_PKEY_is_a(key, "ED25519")) {
    unsigned char raw[32];
    size_t n = sizeof(raw);
    EVP_PKEY_get_raw_public_key(key, raw, &n);
    PutString(blob, "ssh-ed25519");
    PutString(blob, std::string(reinterpret_cast<char*>(raw), n));
    return blob;
  }
  BIGNUM* n = nullptr;
  BIGNUM* e = nullptr;
  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n);
  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e);
  BnPtr n_owner(n);
  BnPtr e_owner(e);
  PutString(blob, "ssh-rsa");
  PutString(blob, Mpint(e));
  PutString(blob, Mpint(n));
  return blob;
}

// Reads one length-prefixed SSH string from `blob` at `pos`.
bool GetString(const std::string& blob, size_t& pos, std::string& out) {
  if (pos + 4 > blob.size()) {
    return false;
  }
  uint32_t n = (static_cast<uint32_t>(static_cast<unsigned char>(blob[pos])) << 24) |
               (static_cast<uint32_t>(static_cast<unsigned char>(blob[pos + 1])) << 16) |
               (static_cast<uint32_t>(static_cast<unsigned char>(blob[pos + 2])) << 8) |
               static_cast<uint32_t>(static_cast<unsigned char>(blob[pos + 3]));
  pos += 4;
  if (n > blob.size() - pos) {
    return false;
  }
  out = blob.substr(pos, n);
  pos += n;
  return true;
}

}  // namespace

std::variant<KeyMaterial, std::string> GenerateKeyPair(const std::string& type) {
  PkeyPtr key(type == "ed25519" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  if (!key) {
    return std::string("key generation failed");
  }
  KeyMaterial material;
  material.type = type == "ed25519" ? "ed25519" : "rsa";
  BioPtr pem(BIO_new(BIO_s_mem()));
  bool written = type == "ed25519"
                     ? PEM_write_bio_PrivateKey(pem.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                                nullptr) == 1
                     : PEM_write_bio_PrivateKey_traditional(pem.get(), key.get(), nullptr, nullptr,
                                                            0, nullptr, nullptr) == 1;
  if (!written) {
    return std::string("writing the private key failed");
  }
  material.private_pem = BioText(pem.get());
  std::string blob = SshBlob(key.get());
  material.public_openssh = (type == "ed25519" ? "ssh-ed25519 " : "ssh-rsa ") + Base64(blob);
  if (type == "ed25519") {
    material.fingerprint = Base64(Digest(EVP_sha256(), blob));
  } else {
    // EC2: the SHA-1 of the DER (PKCS#8) private key.
    BioPtr der(BIO_new(BIO_s_mem()));
    i2d_PKCS8PrivateKey_bio(der.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    material.fingerprint = ColonHex(Digest(EVP_sha1(), BioText(der.get())));
  }
  return material;
}

std::variant<KeyMaterial, std::string> ParseOpenSshPublicKey(const std::string& line) {
  const std::string kBad = "Key is not in valid OpenSSH public key format";
  size_t space = line.find(' ');
  if (space == std::string::npos) {
    return kBad;
  }
  std::string type = line.substr(0, space);
  std::string rest = line.substr(space + 1);
  size_t end = rest.find_first_of(" \r\n");
  std::string encoded = rest.substr(0, end);
  auto decoded = Unbase64(encoded);
  if (decoded.index() != 0) {
    return kBad;
  }
  const std::string& blob = std::get<0>(decoded);
  size_t pos = 0;
  std::string inner_type;
  if (!GetString(blob, pos, inner_type) || inner_type != type) {
    return kBad;
  }
  KeyMaterial material;
  if (type == "ssh-ed25519") {
    std::string raw;
    if (!GetString(blob, pos, raw) || raw.size() != 32 || pos != blob.size()) {
      return kBad;
    }
    material.type = "ed25519";
    material.fingerprint = Base64(Digest(EVP_sha256(), blob));
  } else if (type == "ssh-rsa") {
    std::string e;
    std::string n;
    if (!GetString(blob, pos, e) || !GetString(blob, pos, n) || pos != blob.size() ||
        n.size() < 128) {
      return kBad;
    }
    BnPtr bn_n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()),
                         static_cast<int>(n.size()), nullptr));
    BnPtr bn_e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()),
                         static_cast<int>(e.size()), nullptr));
    OSSL_PARAM_BLD* build = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_N, bn_n.get());
    OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_RSA_E, bn_e.get());
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(build);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* raw_key = nullptr;
    bool ok = ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
              EVP_PKEY_fromdata(ctx, &raw_key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(build);
    PkeyPtr key(raw_key);
    if (!ok) {
      return kBad;
    }
    unsigned char* der = nullptr;
    int der_size = i2d_PUBKEY(key.get(), &der);
    if (der_size <= 0) {
      return kBad;
    }
    std::string der_text(reinterpret_cast<char*>(der), static_cast<size_t>(der_size));
    OPENSSL_free(der);
    material.type = "rsa";
    material.fingerprint = ColonHex(Digest(EVP_md5(), der_text));
  } else {
    return kBad;
  }
  material.public_openssh = type + " " + encoded;
  return material;
}

}  // namespace cf::cloud::ec2
