#include "cloud/acm/certificate.h"

#include <fmt/core.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>

namespace cf::cloud::acm {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

BioPtr MemoryBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

X509Ptr ParseX509(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string NameText(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  return BioText(bio.get());
}

int64_t Seconds(const ASN1_TIME* time) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(time, &tm) != 1) {
    return 0;
  }
  return static_cast<int64_t>(timegm(&tm));
}

std::string KeyAlgorithm(EVP_PKEY* key) {
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_RSA) {
    return fmt::format("RSA_{}", EVP_PKEY_get_bits(key));
  }
  if (id == EVP_PKEY_EC) {
    char group[64] = {0};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &length) == 1) {
      std::string name(group, length);
      if (name == "P-256") {
        name = "prime256v1";
      } else if (name == "P-384") {
        name = "secp384r1";
      } else if (name == "P-521") {
        name = "secp521r1";
      }
      return "EC_" + name;
    }
    return "EC_unknown";
  }
  return "UNKNOWN";
}

std::string SignatureAlgorithm(const X509* cert) {
  int nid = X509_get_signature_nid(cert);
  std::string name = OBJ_nid2ln(nid) != nullptr ? OBJ_nid2ln(nid) : "unknown";
  std::transform(name.begin(), name.end(), name.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  if (name.rfind("ECDSA-WITH-", 0) == 0) {
    return name.substr(11) + "WITHECDSA";
  }
  size_t encryption = name.find("ENCRYPTION");
  if (encryption != std::string::npos) {
    name.erase(encryption);
  }
  return name;
}

}  // namespace

Result<CertificateFacts> ReadCertificate(std::string_view pem) {
  X509Ptr cert = ParseX509(pem);
  if (!cert) {
    return InvalidArgumentError(
        "Could not parse the certificate: it is not a PEM-encoded X.509 "
        "certificate");
  }
  CertificateFacts facts;
  facts.subject = NameText(X509_get_subject_name(cert.get()));
  facts.issuer = NameText(X509_get_issuer_name(cert.get()));
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  for (int i = 0; i < serial->length; ++i) {
    facts.serial += fmt::format("{}{:02x}", i == 0 ? "" : ":", serial->data[i]);
  }
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  if (names != nullptr) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
      if (name->type == GEN_DNS) {
        const ASN1_STRING* s = name->d.dNSName;
        facts.sans.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                static_cast<size_t>(ASN1_STRING_length(s)));
      }
    }
    GENERAL_NAMES_free(names);
  }
  char cn[256] = {0};
  int cn_length =
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof(cn));
  if (cn_length > 0) {
    facts.domain_name.assign(cn, static_cast<size_t>(cn_length));
  } else if (!facts.sans.empty()) {
    facts.domain_name = facts.sans[0];
  }
  facts.not_before = Seconds(X509_get0_notBefore(cert.get()));
  facts.not_after = Seconds(X509_get0_notAfter(cert.get()));
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  facts.key_algorithm = key != nullptr ? KeyAlgorithm(key) : "UNKNOWN";
  facts.signature_algorithm = SignatureAlgorithm(cert.get());
  return facts;
}

Status CheckPrivateKey(std::string_view certificate_pem, std::string_view key_pem) {
  X509Ptr cert = ParseX509(certificate_pem);
  if (!cert) {
    return InvalidArgumentError("Could not parse the certificate");
  }
  BioPtr bio = MemoryBio(key_pem);
  // An empty passphrase callback: an encrypted key fails instead of prompting.
  KeyPtr key(PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr));
  if (!key) {
    return InvalidArgumentError(
        "The private key is not supported: it must be an unencrypted "
        "PEM-encoded private key");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return InvalidArgumentError("The private key does not match the certificate");
  }
  return OkStatus();
}

Status CheckChain(std::string_view chain_pem) {
  BioPtr bio = MemoryBio(chain_pem);
  int count = 0;
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
      break;
    }
    ++count;
  }
  if (count == 0) {
    return InvalidArgumentError(
        "Could not parse the certificate chain: it holds no PEM-encoded "
        "X.509 certificate");
  }
  return OkStatus();
}

Result<IssuedCertificate> IssueCertificate(const std::string& domain,
                                           const std::vector<std::string>& sans,
                                           const std::string& key_algorithm, int64_t not_before,
                                           int64_t not_after) {
  KeyPtr key;
  if (key_algorithm.rfind("RSA_", 0) == 0) {
    size_t bits = std::stoul(key_algorithm.substr(4));
    if (bits != 2048 && bits != 3072 && bits != 4096) {
      return InvalidArgumentError(fmt::format("Key algorithm {} is not supported", key_algorithm));
    }
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
  } else if (key_algorithm == "EC_prime256v1" || key_algorithm == "EC_secp384r1") {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC",
                                key_algorithm == "EC_prime256v1" ? "P-256" : "P-384"));
  } else {
    return InvalidArgumentError(fmt::format("Key algorithm {} is not supported", key_algorithm));
  }
  if (!key) {
    return InternalError("OpenSSL could not generate a key");
  }
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  RAND_bytes(serial_bytes, sizeof(serial_bytes));
  serial_bytes[0] &= 0x7f;
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof(serial_bytes), nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(not_after));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(domain.c_str()), -1, -1, 0);
  X509_NAME* issuer = X509_NAME_new();
  X509_NAME_add_entry_by_txt(issuer, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("clusterform local ACM"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), issuer);
  X509_NAME_free(issuer);
  X509_set_pubkey(cert.get(), key.get());
  std::string alt;
  for (const std::string& name : sans) {
    alt += (alt.empty() ? "DNS:" : ",DNS:") + name;
  }
  if (!alt.empty()) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, alt.c_str());
    if (ext == nullptr) {
      return InvalidArgumentError(fmt::format("The names {} cannot be put in a certificate", alt));
    }
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return InternalError("OpenSSL could not sign the certificate");
  }
  IssuedCertificate issued;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(cert_bio.get(), cert.get());
  issued.certificate_pem = BioText(cert_bio.get());
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  issued.private_key_pem = BioText(key_bio.get());
  return issued;
}

}  // namespace cf::cloud::acm
