#include "cloud/kms/ciphertext.h"

#include "base/crypto.h"

namespace cf::cloud::kms {

namespace {

constexpr std::string_view kMagic("CFK\x01", 4);

void AppendU32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>((v >> 24) & 0xff));
  out.push_back(static_cast<char>((v >> 16) & 0xff));
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

uint32_t ReadU32(std::string_view in) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(in[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

std::string HeaderBytes(const BlobHeader& header) {
  std::string out(kMagic);
  out += header.key_id;
  AppendU32(out, header.version);
  return out;
}

std::string MaterialAad(const BlobHeader& header) {
  return "cf-kms-material/" + header.key_id + "/" + std::to_string(header.version);
}

}  // namespace

std::string CanonicalContext(const EncryptionContext& context) {
  std::string out;
  for (const auto& [key, value] : context) {
    AppendU32(out, static_cast<uint32_t>(key.size()));
    out += key;
    AppendU32(out, static_cast<uint32_t>(value.size()));
    out += value;
  }
  return out;
}

Result<std::string> SealBlob(const BlobHeader& header, std::string_view material,
                             std::string_view plaintext, const EncryptionContext& context) {
  if (header.key_id.size() != kKeyIdChars) {
    return InternalError("ciphertext blob: key id must be 36 characters");
  }
  std::string head = HeaderBytes(header);
  ASSIGN_OR_RETURN(std::string iv, RandomBytes(kGcmIvBytes));
  ASSIGN_OR_RETURN(std::string sealed,
                   AesGcmSeal(material, iv, plaintext, head + CanonicalContext(context)));
  return head + iv + sealed;
}

std::optional<BlobHeader> PeekBlob(std::string_view blob) {
  if (blob.size() < kBlobHeaderBytes + kGcmIvBytes + kGcmTagBytes ||
      blob.substr(0, kMagic.size()) != kMagic) {
    return std::nullopt;
  }
  BlobHeader header;
  header.key_id = std::string(blob.substr(kMagic.size(), kKeyIdChars));
  header.version = ReadU32(blob.substr(kMagic.size() + kKeyIdChars, 4));
  return header;
}

std::optional<std::string> OpenBlob(std::string_view blob, std::string_view material,
                                    const EncryptionContext& context) {
  if (!PeekBlob(blob)) {
    return std::nullopt;
  }
  std::string aad = std::string(blob.substr(0, kBlobHeaderBytes)) + CanonicalContext(context);
  return AesGcmOpen(material, blob.substr(kBlobHeaderBytes, kGcmIvBytes),
                    blob.substr(kBlobHeaderBytes + kGcmIvBytes), aad);
}

Result<std::string> WrapMaterial(std::string_view master_key, const BlobHeader& header,
                                 std::string_view material) {
  ASSIGN_OR_RETURN(std::string iv, RandomBytes(kGcmIvBytes));
  ASSIGN_OR_RETURN(std::string sealed, AesGcmSeal(master_key, iv, material, MaterialAad(header)));
  return iv + sealed;
}

std::optional<std::string> UnwrapMaterial(std::string_view master_key, const BlobHeader& header,
                                          std::string_view wrapped) {
  if (wrapped.size() < kGcmIvBytes + kGcmTagBytes) {
    return std::nullopt;
  }
  return AesGcmOpen(master_key, wrapped.substr(0, kGcmIvBytes), wrapped.substr(kGcmIvBytes),
                    MaterialAad(header));
}

}  // namespace cf::cloud::kms
