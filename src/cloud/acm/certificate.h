#pragma once

// X.509 certificates for ACM, through OpenSSL: what ImportCertificate reads from PEM (subject,
// issuer, serial, SANs, validity, key and signature algorithms), the checks it makes (the key
// matches the certificate, the chain parses, the certificate is valid now), and the
// certificates the local cloud issues for RequestCertificate (a fresh key, signed by a
// per-certificate local issuer "CN=clusterform local ACM"; the key is returned to the caller
// and kept nowhere by ACM).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cf::cloud::acm {

struct CertificateFacts {
  std::string subject;            // RFC 2253: "CN=example.com,O=Example"
  std::string issuer;             // same form
  std::string serial;             // "0a:1b:..." (lower-case hex pairs)
  std::string domain_name;        // the subject's CN, else the first DNS SAN
  std::vector<std::string> sans;  // DNS names of subjectAltName, in order
  int64_t not_before = 0;         // seconds since the epoch
  int64_t not_after = 0;
  std::string key_algorithm;        // "RSA_2048", "EC_prime256v1", ... (the model's enum)
  std::string signature_algorithm;  // "SHA256WITHRSA", "SHA256WITHECDSA", ...
};

// Reads the first certificate of `pem`. InvalidArgument when there is none or it is malformed.
Result<CertificateFacts> ReadCertificate(std::string_view pem);

// InvalidArgument when `key_pem` is not a private key (unencrypted PEM) or does not belong to
// the certificate `certificate_pem`.
Status CheckPrivateKey(std::string_view certificate_pem, std::string_view key_pem);

// InvalidArgument when `chain_pem` holds no certificate or one that does not parse.
Status CheckChain(std::string_view chain_pem);

struct IssuedCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
};

// A certificate for `domain` (CN) with `sans` as DNS names (the domain first), valid
// [not_before, not_after] (seconds since the epoch), with a key of `key_algorithm` (RSA_2048,
// RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1). InvalidArgument for another algorithm.
Result<IssuedCertificate> IssueCertificate(const std::string& domain,
                                           const std::vector<std::string>& sans,
                                           const std::string& key_algorithm, int64_t not_before,
                                           int64_t not_after);

}  // namespace cf::cloud::acm
