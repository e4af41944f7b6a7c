#include "state/sealer.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/base64.h"

namespace cf::state {

namespace {

constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;
constexpr const char* kSealedKey = "clusterform_sealed";
constexpr std::string_view kPrefix = "v1:";

struct CipherCtx {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string AttributeContext(const std::string& address, const std::string& name) {
  return address + "#" + name;
}

}  // namespace

Result<std::unique_ptr<AesGcmSealer>> AesGcmSealer::Create(std::string key) {
  if (key.size() != 32) {
    return InvalidArgumentError("a state key has 32 bytes");
  }
  return std::unique_ptr<AesGcmSealer>(new AesGcmSealer(std::move(key)));
}

Result<std::string> AesGcmSealer::Seal(std::string_view plaintext, std::string_view context) {
  std::string nonce(kNonceSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), kNonceSize) != 1) {
    return InternalError("no random bytes for a nonce");
  }
  CipherCtx c;
  std::string out = nonce;
  out.resize(kNonceSize + plaintext.size() + kTagSize);
  int len = 0;
  int total = 0;
  bool ok = EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(nonce)) == 1 &&
            EVP_EncryptUpdate(c.ctx, nullptr, &len, Bytes(context),
                              static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(out.data()) + kNonceSize,
                              &len, Bytes(plaintext), static_cast<int>(plaintext.size())) == 1;
  total = len;
  ok = ok &&
       EVP_EncryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(out.data()) + kNonceSize + total,
                           &len) == 1 &&
       EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, kTagSize,
                           out.data() + kNonceSize + plaintext.size()) == 1;
  if (!ok) {
    return InternalError("AES-256-GCM encryption failed");
  }
  return std::string(kPrefix) + Base64Encode(out);
}

Result<std::string> AesGcmSealer::Open(std::string_view sealed, std::string_view context) {
  if (sealed.substr(0, kPrefix.size()) != kPrefix) {
    return InvalidArgumentError("not a sealed value (v1:...)");
  }
  std::optional<std::string> raw = Base64Decode(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < kNonceSize + kTagSize) {
    return InvalidArgumentError("a sealed value is malformed");
  }
  std::string_view nonce(raw->data(), kNonceSize);
  std::string_view body(raw->data() + kNonceSize, raw->size() - kNonceSize - kTagSize);
  std::string tag = raw->substr(raw->size() - kTagSize);
  CipherCtx c;
  std::string out(body.size(), '\0');
  int len = 0;
  bool ok = EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, Bytes(key_), Bytes(nonce)) == 1 &&
            EVP_DecryptUpdate(c.ctx, nullptr, &len, Bytes(context),
                              static_cast<int>(context.size())) == 1 &&
            EVP_DecryptUpdate(c.ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                              Bytes(body), static_cast<int>(body.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1;
  int final_len = 0;
  if (!ok || EVP_DecryptFinal_ex(c.ctx, reinterpret_cast<unsigned char*>(out.data()) + len,
                                 &final_len) != 1) {
    return InvalidArgumentError(
        "a sealed value cannot be opened with this key (another key, or the state was altered)");
  }
  return out;
}

Result<std::unique_ptr<Sealer>> LocalKeyFileSealer(FileSystem& fs, const std::string& path,
                                                   bool create) {
  Result<std::string> text = fs.ReadFile(path);
  std::string key;
  if (text.ok()) {
    std::string trimmed = *text;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) {
      trimmed.pop_back();
    }
    std::optional<std::string> decoded = Base64Decode(trimmed);
    if (!decoded || decoded->size() != 32) {
      return InvalidArgumentError(path + " is not a state key (base64 of 32 bytes)");
    }
    key = *decoded;
  } else if (text.status().code() == StatusCode::kNotFound && create) {
    key.assign(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), 32) != 1) {
      return InternalError("no random bytes for a state key");
    }
    RETURN_IF_ERROR(fs.WriteFileAtomic(path, Base64Encode(key) + "\n"));
  } else if (text.status().code() == StatusCode::kNotFound) {
    return NotFoundError("the state holds sealed values but its key file " + path +
                         " does not exist");
  } else {
    return text.status();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<AesGcmSealer> sealer, AesGcmSealer::Create(std::move(key)));
  return std::unique_ptr<Sealer>(std::move(sealer));
}

bool IsSealed(const Json& value) {
  return value.is_object() && value.size() == 1 && value.contains(kSealedKey) &&
         value[kSealedKey].is_string();
}

Result<State> SealState(const State& state, Sealer& sealer) {
  State out = state;
  for (ResourceState& r : out.resources) {
    for (InstanceState& i : r.instances) {
      std::string address = r.BlockAddress() + IndexSuffix(i.index_key);
      for (const std::string& name : i.sensitive_attributes) {
        auto it = i.attributes.find(name);
        if (it == i.attributes.end() || it->is_null() || IsSealed(*it)) {
          continue;
        }
        ASSIGN_OR_RETURN(std::string sealed,
                         sealer.Seal(it->dump(), AttributeContext(address, name)));
        *it = Json{{kSealedKey, sealed}};
      }
    }
  }
  for (auto& [name, o] : out.outputs) {
    if (o.sensitive && !o.value.is_null() && !IsSealed(o.value)) {
      ASSIGN_OR_RETURN(std::string sealed, sealer.Seal(o.value.dump(), "output." + name));
      o.value = Json{{kSealedKey, sealed}};
    }
  }
  return out;
}

Status OpenState(State& state, Sealer& sealer) {
  auto open = [&](Json& value, const std::string& context) -> Status {
    ASSIGN_OR_RETURN(std::string text, sealer.Open(value[kSealedKey].get<std::string>(), context));
    Json parsed = Json::parse(text, nullptr, false);
    if (parsed.is_discarded()) {
      return InvalidArgumentError("a sealed value of " + context + " is not JSON");
    }
    value = std::move(parsed);
    return OkStatus();
  };
  for (ResourceState& r : state.resources) {
    for (InstanceState& i : r.instances) {
      std::string address = r.BlockAddress() + IndexSuffix(i.index_key);
      for (auto& [name, value] : i.attributes.items()) {
        if (IsSealed(value)) {
          RETURN_IF_ERROR(open(value, AttributeContext(address, name)));
        }
      }
    }
  }
  for (auto& [name, o] : state.outputs) {
    if (IsSealed(o.value)) {
      RETURN_IF_ERROR(open(o.value, "output." + name));
    }
  }
  return OkStatus();
}

bool HasSealedValues(const State& state) {
  for (const ResourceState& r : state.resources) {
    for (const InstanceState& i : r.instances) {
      for (const auto& [name, value] : i.attributes.items()) {
        if (IsSealed(value)) {
          return true;
        }
      }
    }
  }
  for (const auto& [name, o] : state.outputs) {
    if (IsSealed(o.value)) {
      return true;
    }
  }
  return false;
}

}  // namespace cf::state
