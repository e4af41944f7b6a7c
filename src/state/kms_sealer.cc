#include "state/kms_sealer.h"

#include <fmt/format.h>

#include "base/base64.h"

namespace cf::state {

namespace {

using Json = nlohmann::json;

Json EncryptionContext(const State& state) {
  return Json{{"clusterform:state", state.lineage}};
}

}  // namespace

SealerFactory KmsSealers(aws::Client& kms, std::string kms_key_id) {
  return [&kms, kms_key_id](State& state, bool create) -> Result<std::unique_ptr<Sealer>> {
    std::string plaintext;
    if (state.data_key) {
      std::optional<std::string> blob = Base64Decode(state.data_key->ciphertext);
      if (!blob) {
        return InvalidArgumentError("the state's clusterform.data_key is not base64");
      }
      Json params = {{"CiphertextBlob", *blob}, {"EncryptionContext", EncryptionContext(state)}};
      if (!state.data_key->kms_key_id.empty()) {
        params["KeyId"] = state.data_key->kms_key_id;
      }
      Result<Json> out = kms.Call("kms", "Decrypt", params);
      if (!out.ok()) {
        return out.status().WithContext(fmt::format("opening the state's data key with KMS key {}",
                                                    state.data_key->kms_key_id));
      }
      plaintext = out->value("Plaintext", "");
    } else if (!create) {
      return NotFoundError("the state holds sealed values but no data key to open them");
    } else if (kms_key_id.empty()) {
      return NotFoundError("no KMS key to seal the state's sensitive values under");
    } else {
      Result<Json> out = kms.Call("kms", "GenerateDataKey",
                                  {{"KeyId", kms_key_id},
                                   {"KeySpec", "AES_256"},
                                   {"EncryptionContext", EncryptionContext(state)}});
      if (!out.ok()) {
        return out.status().WithContext(
            fmt::format("making a data key for the state with KMS key {}", kms_key_id));
      }
      plaintext = out->value("Plaintext", "");
      state.data_key =
          DataKeyRecord{kms_key_id, Base64Encode(out->value("CiphertextBlob", std::string()))};
    }
    ASSIGN_OR_RETURN(std::unique_ptr<AesGcmSealer> sealer, AesGcmSealer::Create(plaintext));
    return std::unique_ptr<Sealer>(std::move(sealer));
  };
}

Result<std::string> EnsureLocalCloudStateKey(aws::Client& kms) {
  Result<Json> described = kms.Call("kms", "DescribeKey", {{"KeyId", kLocalCloudStateKeyAlias}});
  if (described.ok()) {
    return (*described)["KeyMetadata"].value("KeyId", "");
  }
  if (described.status().code() != StatusCode::kNotFound) {
    return described.status();
  }
  ASSIGN_OR_RETURN(Json created, kms.Call("kms", "CreateKey",
                                          {{"Description", "clusterform: data keys of state files"},
                                           {"Tags", Json::array({{{"TagKey", "clusterform:purpose"},
                                                                  {"TagValue", "state"}}})}}));
  std::string id = created["KeyMetadata"].value("KeyId", "");
  Result<Json> aliased = kms.Call("kms", "CreateAlias",
                                  {{"AliasName", kLocalCloudStateKeyAlias}, {"TargetKeyId", id}});
  if (!aliased.ok() && aliased.status().code() == StatusCode::kConflict) {
    // Another run made it first: use theirs.
    ASSIGN_OR_RETURN(Json again,
                     kms.Call("kms", "DescribeKey", {{"KeyId", kLocalCloudStateKeyAlias}}));
    return again["KeyMetadata"].value("KeyId", "");
  }
  RETURN_IF_ERROR(aliased.status());
  return id;
}

}  // namespace cf::state
