#pragma once

// Key pairs as EC2 makes them: real key generation (RSA 2048, Ed25519, base/crypto.h), the
// private key as PEM, the OpenSSH public key line, and EC2's fingerprints.

#include <string>
#include <variant>

namespace cf::cloud::ec2 {

struct KeyMaterial {
  std::string private_pem;     // RSA: "-----BEGIN RSA PRIVATE KEY-----"; Ed25519: PKCS#8 PEM
  std::string public_openssh;  // "ssh-rsa AAAA..." (no comment)
  std::string fingerprint;     // as EC2 reports it for a key it created
  std::string type;            // "rsa" or "ed25519"
};

// A new key pair of `type` ("rsa" or "ed25519"), or the reason it could not be made.
std::variant<KeyMaterial, std::string> GenerateKeyPair(const std::string& type);

// Reads an OpenSSH public key line ("ssh-rsa AAAA... comment", "ssh-ed25519 ..."): the
// material with the fingerprint EC2 gives imported keys (RSA: MD5 of the DER public key,
// colon-separated hex; Ed25519: base64 SHA-256 of the key blob); the error text otherwise.
// private_pem stays empty.
std::variant<KeyMaterial, std::string> ParseOpenSshPublicKey(const std::string& line);

}  // namespace cf::cloud::ec2
