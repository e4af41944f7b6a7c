#include "cloud/ec2/key_material.h"

#include <fmt/core.h>

#include "base/base64.h"
#include "base/crypto.h"

namespace cf::cloud::ec2 {

namespace {

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

// An SSH mpint from big-endian bytes: a leading zero byte when the top bit is set.
std::string Mpint(std::string bytes) {
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) {
    bytes.insert(bytes.begin(), '\0');
  }
  return bytes;
}

// The OpenSSH key blob of a public key.
std::string SshBlob(const GeneratedKey& key, bool ed25519) {
  std::string blob;
  if (ed25519) {
    PutString(blob, "ssh-ed25519");
    PutString(blob, key.ed25519_public);
    return blob;
  }
  PutString(blob, "ssh-rsa");
  PutString(blob, Mpint(key.rsa_exponent));
  PutString(blob, Mpint(key.rsa_modulus));
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
  bool ed25519 = type == "ed25519";
  Result<GeneratedKey> key = GenerateKey(ed25519 ? KeyType::kEd25519 : KeyType::kRsa2048);
  if (!key.ok()) {
    return key.status().message();
  }
  KeyMaterial material;
  material.type = ed25519 ? "ed25519" : "rsa";
  material.private_pem = key->private_pem;
  std::string blob = SshBlob(*key, ed25519);
  material.public_openssh = (ed25519 ? "ssh-ed25519 " : "ssh-rsa ") + Base64Encode(blob);
  // EC2: Ed25519, the base64 SHA-256 of the key blob; RSA, the SHA-1 of the DER (PKCS#8)
  // private key.
  material.fingerprint =
      ed25519 ? Base64Encode(Sha256(blob)) : ColonHex(Sha1(key->private_pkcs8_der));
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
  std::optional<std::string> decoded = Base64Decode(encoded);
  if (!decoded) {
    return kBad;
  }
  const std::string& blob = *decoded;
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
    material.fingerprint = Base64Encode(Sha256(blob));
  } else if (type == "ssh-rsa") {
    std::string e;
    std::string n;
    if (!GetString(blob, pos, e) || !GetString(blob, pos, n) || pos != blob.size() ||
        n.size() < 128) {
      return kBad;
    }
    Result<std::string> der = RsaPublicKeyDer(n, e);
    if (!der.ok()) {
      return kBad;
    }
    material.type = "rsa";
    material.fingerprint = ColonHex(Md5(*der));
  } else {
    return kBad;
  }
  material.public_openssh = type + " " + encoded;
  return material;
}

}  // namespace cf::cloud::ec2
