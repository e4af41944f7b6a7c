#include "state/sealer.h"

#include "base/base64.h"
#include "base/crypto.h"

namespace cf::state {

namespace {

constexpr const char* kSealedKey = "clusterform_sealed";
constexpr std::string_view kPrefix = "v1:";

std::string AttributeContext(const std::string& address, const std::string& name) {
  return address + "#" + name;
}

}  // namespace

Result<std::unique_ptr<AesGcmSealer>> AesGcmSealer::Create(std::string key) {
  if (key.size() != kAes256KeyBytes) {
    return InvalidArgumentError("a state key has 32 bytes");
  }
  return std::unique_ptr<AesGcmSealer>(new AesGcmSealer(std::move(key)));
}

Result<std::string> AesGcmSealer::Seal(std::string_view plaintext, std::string_view context) {
  ASSIGN_OR_RETURN(std::string sealed, AesGcmEncrypt(key_, plaintext, context));
  return std::string(kPrefix) + Base64Encode(sealed);
}

Result<std::string> AesGcmSealer::Open(std::string_view sealed, std::string_view context) {
  if (sealed.substr(0, kPrefix.size()) != kPrefix) {
    return InvalidArgumentError("not a sealed value (v1:...)");
  }
  std::optional<std::string> raw = Base64Decode(sealed.substr(kPrefix.size()));
  if (!raw || raw->size() < kGcmIvBytes + kGcmTagBytes) {
    return InvalidArgumentError("a sealed value is malformed");
  }
  std::optional<std::string> plain = AesGcmDecrypt(key_, *raw, context);
  if (!plain) {
    return InvalidArgumentError(
        "a sealed value cannot be opened with this key (another key, or the state was altered)");
  }
  return *plain;
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
    ASSIGN_OR_RETURN(key, RandomBytes(kAes256KeyBytes));
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
