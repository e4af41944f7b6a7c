// Key pairs and account attributes of the EC2 service.

#include <fmt/core.h>

#include <chrono>

#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"
#include "cloud/ec2/key_material.h"

namespace cf::cloud::ec2 {

namespace {

std::optional<ServiceError> CheckKeyName(const std::string& name) {
  if (name.empty() || name.size() > 255) {
    return ServiceError{"InvalidParameterValue",
                        "Key pair names are 1 to 255 ASCII characters long", 400, true};
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      return ServiceError{"InvalidParameterValue",
                          "Key pair names may only contain printable ASCII characters", 400, true};
    }
  }
  return std::nullopt;
}

ServiceError KeyNotFound(const std::string& name) {
  return ServiceError{"InvalidKeyPair.NotFound",
                      fmt::format("The key pair '{}' does not exist", name), 400, true};
}

// Stores a new key pair unless its name is taken; the stored document (KeyPairInfo shape plus
// the public key) or the error.
std::variant<Json, ServiceError> StoreKeyPair(Store& store, IdGenerator& ids,
                                              const ServiceCall& call, const Clock& clock,
                                              const std::string& name, const KeyMaterial& material,
                                              const std::map<std::string, std::string>& tags) {
  Result<StoreTxn> txn = store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::vector<std::pair<std::string, Json>>> all =
      txn->List(kKeyPairType.ns, call.region + "/");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  for (const auto& [key, doc] : *all) {
    if (doc.value("KeyName", "") == name) {
      return ServiceError{"InvalidKeyPair.Duplicate",
                          fmt::format("The keypair '{}' already exists.", name), 400, true};
    }
  }
  std::string id = ids.ResourceId("key");
  Json doc = {
      {"KeyPairId", id},
      {"KeyName", name},
      {"KeyFingerprint", material.fingerprint},
      {"KeyType", material.type},
      {"CreateTime",
       std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count()},
      {"Tags", TagList(tags)},
      {"_public_key", material.public_openssh + " " + name}};
  Status s = txn->Put(kKeyPairType.ns, Key(call, id), doc);
  if (s.ok()) {
    s = txn->Commit();
  }
  if (!s.ok()) {
    return StoreFailure(s);
  }
  return doc;
}

}  // namespace

ServiceResult Ec2Service::CreateKeyPair(const ServiceCall& call) {
  std::string name = call.input.value("KeyName", "");
  if (auto error = CheckKeyName(name)) {
    return *error;
  }
  std::string type = call.input.value("KeyType", "rsa");
  if (call.input.value("KeyFormat", "pem") != "pem") {
    return ServiceError{"InvalidParameterValue",
                        "The local cloud writes private keys in the pem format only", 400, true};
  }
  auto tags = SpecTags(call.input, "key-pair");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  auto material = GenerateKeyPair(type);
  if (auto* error = std::get_if<std::string>(&material)) {
    return InternalFailure(*error);
  }
  const KeyMaterial& key = std::get<KeyMaterial>(material);
  auto stored = StoreKeyPair(context_.store, context_.ids, call, context_.clock, name, key,
                             std::get<std::map<std::string, std::string>>(tags));
  if (auto* error = std::get_if<ServiceError>(&stored)) {
    return *error;
  }
  const Json& doc = std::get<Json>(stored);
  Json out = {{"KeyName", name},
              {"KeyFingerprint", key.fingerprint},
              {"KeyMaterial", key.private_pem},
              {"KeyPairId", doc["KeyPairId"]}};
  if (!doc["Tags"].empty()) {
    out["Tags"] = doc["Tags"];
  }
  return out;
}

ServiceResult Ec2Service::ImportKeyPair(const ServiceCall& call) {
  std::string name = call.input.value("KeyName", "");
  if (auto error = CheckKeyName(name)) {
    return *error;
  }
  auto tags = SpecTags(call.input, "key-pair");
  if (auto* error = std::get_if<ServiceError>(&tags)) {
    return *error;
  }
  auto material = ParseOpenSshPublicKey(call.input.value("PublicKeyMaterial", ""));
  if (auto* error = std::get_if<std::string>(&material)) {
    return ServiceError{"InvalidKey.Format", *error, 400, true};
  }
  const KeyMaterial& key = std::get<KeyMaterial>(material);
  auto stored = StoreKeyPair(context_.store, context_.ids, call, context_.clock, name, key,
                             std::get<std::map<std::string, std::string>>(tags));
  if (auto* error = std::get_if<ServiceError>(&stored)) {
    return *error;
  }
  const Json& doc = std::get<Json>(stored);
  Json out = {
      {"KeyName", name}, {"KeyFingerprint", key.fingerprint}, {"KeyPairId", doc["KeyPairId"]}};
  if (!doc["Tags"].empty()) {
    out["Tags"] = doc["Tags"];
  }
  return out;
}

ServiceResult Ec2Service::DescribeKeyPairs(const ServiceCall& call) {
  auto listed =
      ListResources(context_.store, call, kKeyPairType, StringList(call.input, "KeyPairIds"));
  if (auto* error = std::get_if<ServiceError>(&listed)) {
    return *error;
  }
  std::vector<Json> keys = std::move(std::get<std::vector<Json>>(listed));
  std::vector<std::string> names = StringList(call.input, "KeyNames");
  if (!names.empty()) {
    std::vector<Json> named;
    for (const std::string& name : names) {
      auto it = std::find_if(keys.begin(), keys.end(),
                             [&name](const Json& k) { return k.value("KeyName", "") == name; });
      if (it == keys.end()) {
        return KeyNotFound(name);
      }
      named.push_back(*it);
    }
    keys = std::move(named);
  }
  auto filtered = ApplyFilters(
      std::move(keys), call.input,
      [](const Json& k, const std::string& name) -> std::optional<std::vector<std::string>> {
        if (name == "key-name") {
          return Strings({k["KeyName"]});
        }
        if (name == "key-pair-id") {
          return Strings({k["KeyPairId"]});
        }
        if (name == "fingerprint") {
          return Strings({k["KeyFingerprint"]});
        }
        if (name == "key-type") {
          return Strings({k["KeyType"]});
        }
        return std::nullopt;
      });
  if (auto* error = std::get_if<ServiceError>(&filtered)) {
    return *error;
  }
  bool include_public = call.input.value("IncludePublicKey", false);
  Json out = {{"KeyPairs", Json::array()}};
  for (const Json& k : std::get<std::vector<Json>>(filtered)) {
    Json view = Visible(k);
    if (include_public) {
      view["PublicKey"] = k["_public_key"];
    }
    out["KeyPairs"].push_back(view);
  }
  return out;
}

ServiceResult Ec2Service::DeleteKeyPair(const ServiceCall& call) {
  std::string name = call.input.value("KeyName", "");
  std::string id = call.input.value("KeyPairId", "");
  if (name.empty() && id.empty()) {
    return ServiceError{"MissingParameter", "The request must contain the parameter KeyName", 400,
                        true};
  }
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return StoreFailure(txn.status());
  }
  Result<std::vector<std::pair<std::string, Json>>> all =
      txn->List(kKeyPairType.ns, call.region + "/");
  if (!all.ok()) {
    return StoreFailure(all.status());
  }
  for (const auto& [key, doc] : *all) {
    if ((!name.empty() && doc.value("KeyName", "") == name) ||
        (!id.empty() && doc.value("KeyPairId", "") == id)) {
      Status s = txn->Delete(kKeyPairType.ns, key);
      if (s.ok()) {
        s = txn->Commit();
      }
      if (!s.ok()) {
        return StoreFailure(s);
      }
      break;
    }
  }
  // Like EC2, deleting a key pair that does not exist succeeds.
  return Json{{"Return", true}};
}

ServiceResult Ec2Service::DescribeAccountAttributes(const ServiceCall& call) {
  static const std::pair<const char*, std::vector<const char*>> kAttributes[] = {
      {"supported-platforms", {"VPC"}}, {"default-vpc", {}},
      {"max-instances", {"1024"}},      {"max-elastic-ips", {"5"}},
      {"vpc-max-elastic-ips", {"5"}},   {"vpc-max-security-groups-per-interface", {"5"}},
  };
  std::vector<std::string> wanted = StringList(call.input, "AttributeNames");
  Json out = {{"AccountAttributes", Json::array()}};
  for (const auto& [name, values] : kAttributes) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end()) {
      continue;
    }
    Json attribute = {{"AttributeName", name}, {"AttributeValues", Json::array()}};
    if (std::string(name) == "default-vpc") {
      attribute["AttributeValues"].push_back({{"AttributeValue", DefaultVpcId(call)}});
    }
    for (const char* value : values) {
      attribute["AttributeValues"].push_back({{"AttributeValue", value}});
    }
    out["AccountAttributes"].push_back(attribute);
  }
  if (!wanted.empty() && out["AccountAttributes"].size() != wanted.size()) {
    return ServiceError{"InvalidParameterValue", "Unknown account attribute name", 400, true};
  }
  return out;
}

}  // namespace cf::cloud::ec2
