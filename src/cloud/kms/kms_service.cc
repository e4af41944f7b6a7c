#include "cloud/kms/kms_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include "base/base64.h"
#include "base/crypto.h"
#include "base/strings.h"
#include "cloud/core/ids.h"

namespace cf::cloud::kms {

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kDefaultRotationDays = 365;
constexpr char kKeys[] = "kms/keys";
constexpr char kAliases[] = "kms/aliases";
constexpr char kGrants[] = "kms/grants";

// AWS services whose managed key ("alias/aws/<service>") is created on first use.
const std::set<std::string>& ManagedKeyServices() {
  static const std::set<std::string> kServices = {"secretsmanager",
                                                  "s3",
                                                  "ebs",
                                                  "rds",
                                                  "dynamodb",
                                                  "lambda",
                                                  "logs",
                                                  "ssm",
                                                  "sns",
                                                  "sqs",
                                                  "elasticfilesystem",
                                                  "backup",
                                                  "acm"};
  return kServices;
}

ServiceError KmsError(std::string code, std::string message, int status = 400) {
  return ServiceError{std::move(code), std::move(message), status, true};
}

ServiceError Internal(const Status& status) {
  return ServiceError{"KMSInternalException", status.message(), 500, false};
}

ServiceError Validation(std::string message) {
  return KmsError("ValidationException", std::move(message));
}

std::string Prefix(const KeyScope& scope) {
  return scope.account_id + "/" + scope.region + "/";
}

std::string KeyArn(const KeyScope& scope, const std::string& id) {
  return Arn("kms", scope.region, scope.account_id, "key/" + id);
}

std::string AliasArn(const KeyScope& scope, const std::string& alias) {
  return Arn("kms", scope.region, scope.account_id, alias);
}

bool IsUuid(const std::string& s) {
  static const std::regex kUuid(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  return std::regex_match(s, kUuid);
}

std::string StringMember(const Json& input, const char* name) {
  auto it = input.find(name);
  if (it != input.end() && it->is_string()) {
    return it->get<std::string>();
  }
  return "";
}

bool Has(const Json& input, const char* name) {
  auto it = input.find(name);
  return it != input.end() && !it->is_null();
}

std::optional<int64_t> IntMember(const Json& input, const char* name) {
  auto it = input.find(name);
  if (it != input.end() && it->is_number_integer()) {
    return it->get<int64_t>();
  }
  return std::nullopt;
}

EncryptionContext ContextMember(const Json& input, const char* name) {
  EncryptionContext out;
  auto it = input.find(name);
  if (it != input.end() && it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (v.is_string()) {
        out[k] = v.get<std::string>();
      }
    }
  }
  return out;
}

int64_t NowSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

std::string DefaultPolicy(const std::string& account) {
  Json policy = {
      {"Version", "2012-10-17"},
      {"Id", "key-default-1"},
      {"Statement",
       Json::array({{{"Sid", "Enable IAM User Permissions"},
                     {"Effect", "Allow"},
                     {"Principal", {{"AWS", fmt::format("arn:aws:iam::{}:root", account)}}},
                     {"Action", "kms:*"},
                     {"Resource", "*"}}})}};
  return policy.dump(2);
}

std::optional<ServiceError> CheckPolicy(const std::string& policy) {
  Json parsed = Json::parse(policy, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("Statement")) {
    return KmsError("MalformedPolicyDocumentException",
                    "The key policy is not a JSON policy document with a Statement.");
  }
  return std::nullopt;
}

std::optional<ServiceError> CheckTags(const Json& tags) {
  if (!tags.is_array()) {
    return std::nullopt;
  }
  for (const Json& tag : tags) {
    std::string key = StringMember(tag, "TagKey");
    if (key.rfind("aws:", 0) == 0) {
      return KmsError("TagException", "Tags beginning with aws: are reserved.");
    }
  }
  return std::nullopt;
}

// `tags` with `add` merged in (same TagKey: the new value replaces the old in place).
Json MergeTags(Json tags, const Json& add) {
  if (!tags.is_array()) {
    tags = Json::array();
  }
  for (const Json& tag : add) {
    bool replaced = false;
    for (Json& existing : tags) {
      if (existing["TagKey"] == tag.at("TagKey")) {
        existing["TagValue"] = tag.at("TagValue");
        replaced = true;
      }
    }
    if (!replaced) {
      tags.push_back({{"TagKey", tag.at("TagKey")}, {"TagValue", tag.at("TagValue")}});
    }
  }
  return tags;
}

std::string State(const KmsService::Key& key) {
  return key.doc.value("KeyState", "");
}

// What DescribeKey shows of a key.
Json Metadata(const KmsService::Key& key) {
  Json out = Json::object();
  for (const auto& [name, value] : key.doc.items()) {
    if (!name.empty() && name[0] != '_') {
      out[name] = value;
    }
  }
  out["Enabled"] = State(key) == "Enabled";
  out["CustomerMasterKeySpec"] = key.doc.value("KeySpec", "SYMMETRIC_DEFAULT");
  out["EncryptionAlgorithms"] = Json::array({"SYMMETRIC_DEFAULT"});
  out["MultiRegion"] = false;
  return out;
}

std::string ArnOf(const KmsService::Key& key) {
  return key.doc.value("Arn", "");
}

std::optional<ServiceError> CheckUsable(const KmsService::Key& key) {
  std::string state = State(key);
  if (state == "Disabled") {
    return KmsError("DisabledException", ArnOf(key) + " is disabled.");
  }
  if (state == "PendingDeletion") {
    return KmsError("KMSInvalidStateException", ArnOf(key) + " is pending deletion.");
  }
  return std::nullopt;
}

std::optional<ServiceError> CheckNotPendingDeletion(const KmsService::Key& key) {
  if (State(key) == "PendingDeletion") {
    return KmsError("KMSInvalidStateException", ArnOf(key) + " is pending deletion.");
  }
  return std::nullopt;
}

// Pagination over a list: Marker is the offset of the next item.
std::variant<Json, ServiceError> Page(const Json& items, const Json& input, const char* member) {
  int64_t limit = IntMember(input, "Limit").value_or(100);
  size_t start = 0;
  if (Has(input, "Marker")) {
    std::string marker = StringMember(input, "Marker");
    try {
      size_t used = 0;
      start = std::stoul(marker, &used);
      if (used != marker.size() || start > items.size()) {
        throw std::invalid_argument(marker);
      }
    } catch (const std::exception&) {
      return KmsError("InvalidMarkerException", "Invalid marker: " + marker);
    }
  }
  Json out = Json::object();
  out[member] = Json::array();
  size_t end = std::min(items.size(), start + static_cast<size_t>(std::max<int64_t>(limit, 1)));
  for (size_t i = start; i < end; ++i) {
    out[member].push_back(items[i]);
  }
  out["Truncated"] = end < items.size();
  if (end < items.size()) {
    out["NextMarker"] = std::to_string(end);
  }
  return out;
}

// A store failure, as an error.
std::optional<ServiceError> Failed(const Status& status) {
  if (status.ok()) {
    return std::nullopt;
  }
  return Internal(status);
}

std::optional<ServiceError> DeleteKeyAndDependents(StoreTxn& txn, const KeyScope& scope,
                                                   const std::string& key_id) {
  if (auto e = Failed(txn.Delete(kKeys, Prefix(scope) + key_id))) {
    return e;
  }
  Result<std::vector<std::pair<std::string, Json>>> aliases = txn.List(kAliases, Prefix(scope));
  if (!aliases.ok()) {
    return Internal(aliases.status());
  }
  for (const auto& [store_key, alias] : *aliases) {
    if (alias.value("TargetKeyId", "") == key_id) {
      if (auto e = Failed(txn.Delete(kAliases, store_key))) {
        return e;
      }
    }
  }
  Result<std::vector<std::pair<std::string, Json>>> grants =
      txn.List(kGrants, Prefix(scope) + key_id + "/");
  if (!grants.ok()) {
    return Internal(grants.status());
  }
  for (const auto& [store_key, grant] : *grants) {
    if (auto e = Failed(txn.Delete(kGrants, store_key))) {
      return e;
    }
  }
  return std::nullopt;
}

ServiceResult Or(std::optional<ServiceError> error, Json output) {
  if (error) {
    return *error;
  }
  return output;
}

}  // namespace

KmsService::KmsService(const ServiceContext& context, std::string master_key)
    : context_(context), master_key_(std::move(master_key)) {}

const std::map<std::string, KmsService::Handler>& KmsService::Handlers() {
  static const std::map<std::string, Handler> kHandlers = {
      {"CreateKey", &KmsService::CreateKey},
      {"DescribeKey", &KmsService::DescribeKey},
      {"ListKeys", &KmsService::ListKeys},
      {"UpdateKeyDescription", &KmsService::UpdateKeyDescription},
      {"CreateAlias", &KmsService::CreateAlias},
      {"UpdateAlias", &KmsService::UpdateAlias},
      {"DeleteAlias", &KmsService::DeleteAlias},
      {"ListAliases", &KmsService::ListAliases},
      {"GetKeyPolicy", &KmsService::GetKeyPolicy},
      {"PutKeyPolicy", &KmsService::PutKeyPolicy},
      {"ListKeyPolicies", &KmsService::ListKeyPolicies},
      {"EnableKeyRotation", &KmsService::EnableKeyRotation},
      {"DisableKeyRotation", &KmsService::DisableKeyRotation},
      {"GetKeyRotationStatus", &KmsService::GetKeyRotationStatus},
      {"EnableKey", &KmsService::EnableKey},
      {"DisableKey", &KmsService::DisableKey},
      {"Encrypt", &KmsService::EncryptOp},
      {"Decrypt", &KmsService::DecryptOp},
      {"GenerateDataKey", &KmsService::GenerateDataKey},
      {"GenerateDataKeyWithoutPlaintext", &KmsService::GenerateDataKeyWithoutPlaintext},
      {"ReEncrypt", &KmsService::ReEncrypt},
      {"GenerateRandom", &KmsService::GenerateRandom},
      {"CreateGrant", &KmsService::CreateGrant},
      {"ListGrants", &KmsService::ListGrants},
      {"ListRetirableGrants", &KmsService::ListRetirableGrants},
      {"RetireGrant", &KmsService::RetireGrant},
      {"RevokeGrant", &KmsService::RevokeGrant},
      {"ScheduleKeyDeletion", &KmsService::ScheduleKeyDeletion},
      {"CancelKeyDeletion", &KmsService::CancelKeyDeletion},
      {"TagResource", &KmsService::TagResource},
      {"UntagResource", &KmsService::UntagResource},
      {"ListResourceTags", &KmsService::ListResourceTags},
  };
  return kHandlers;
}

bool KmsService::HasOperation(const std::string& operation) const {
  return Handlers().count(operation) > 0;
}

ServiceResult KmsService::Handle(const ServiceCall& call) {
  auto it = Handlers().find(call.operation);
  if (it == Handlers().end()) {
    return KmsError("UnknownOperationException", "");
  }
  KeyScope scope{call.account_id, call.region};
  Result<StoreTxn> txn = context_.store.Begin();
  if (!txn.ok()) {
    return Internal(txn.status());
  }
  // The wire protocol validates input against the model; a tree that still does not fit
  // (a direct caller) is refused, never a crash.
  std::optional<ServiceResult> result;
  try {
    result.emplace((this->*(it->second))(*txn, call, scope));
  } catch (const Json::exception& e) {
    return Validation(std::string("The request does not fit the operation's input: ") + e.what());
  }
  // Lazy transitions (expiry, rotation) are saved even when the call itself fails.
  Status committed = txn->Commit();
  if (!committed.ok()) {
    return Internal(committed);
  }
  return std::move(*result);
}

// ---- Keys ----------------------------------------------------------------------------------

std::optional<ServiceError> KmsService::AddVersion(Key& key) {
  Json& versions = key.doc["_versions"];
  if (!versions.is_array()) {
    versions = Json::array();
  }
  Result<std::string> material = RandomBytes(kAes256KeyBytes);
  if (!material.ok()) {
    return Internal(material.status());
  }
  BlobHeader header{key.doc.value("KeyId", ""), static_cast<uint32_t>(versions.size())};
  Result<std::string> wrapped = WrapMaterial(master_key_, header, *material);
  if (!wrapped.ok()) {
    return Internal(wrapped.status());
  }
  versions.push_back(
      {{"material", Base64Encode(*wrapped)}, {"created", NowSeconds(context_.clock)}});
  return std::nullopt;
}

std::optional<ServiceError> KmsService::Material(const Key& key, uint32_t version,
                                                 std::string& out) const {
  const Json& versions = key.doc["_versions"];
  if (!versions.is_array() || version >= versions.size()) {
    return KmsError("InvalidCiphertextException", "");
  }
  std::optional<std::string> wrapped =
      Base64Decode(versions[version].value("material", std::string()));
  BlobHeader header{key.doc.value("KeyId", ""), version};
  std::optional<std::string> material =
      wrapped ? UnwrapMaterial(master_key_, header, *wrapped) : std::nullopt;
  if (!material) {
    return ServiceError{"KMSInternalException",
                        "the key material of " + ArnOf(key) +
                            " does not unwrap under this data dir's KMS master key",
                        500, false};
  }
  out = std::move(*material);
  return std::nullopt;
}

std::optional<ServiceError> KmsService::CreateKeyRecord(StoreTxn& txn, const KeyScope& scope,
                                                        const std::string& description,
                                                        const std::string& policy, const Json& tags,
                                                        bool aws_managed, Key& out) {
  std::string id = context_.ids.RequestId();
  int64_t now = NowSeconds(context_.clock);
  out.store_key = Prefix(scope) + id;
  out.doc = {{"AWSAccountId", scope.account_id},
             {"KeyId", id},
             {"Arn", KeyArn(scope, id)},
             {"CreationDate", now},
             {"Description", description},
             {"KeyUsage", "ENCRYPT_DECRYPT"},
             {"KeySpec", "SYMMETRIC_DEFAULT"},
             {"KeyState", "Enabled"},
             {"Origin", "AWS_KMS"},
             {"KeyManager", aws_managed ? "AWS" : "CUSTOMER"},
             {"_policy", policy.empty() ? DefaultPolicy(scope.account_id) : policy},
             {"_tags", tags.is_array() ? tags : Json::array()},
             {"_rotation",
              {{"enabled", aws_managed},
               {"period_days", kDefaultRotationDays},
               {"next", now + kDefaultRotationDays * kDay}}},
             {"_versions", Json::array()}};
  if (auto e = AddVersion(out)) {
    return e;
  }
  return Failed(txn.Put(kKeys, out.store_key, out.doc));
}

std::optional<ServiceError> KmsService::LoadKeyById(StoreTxn& txn, const KeyScope& scope,
                                                    const std::string& uuid, bool& found,
                                                    Key& out) {
  found = false;
  out.store_key = Prefix(scope) + uuid;
  Result<std::optional<Json>> doc = txn.Get(kKeys, out.store_key);
  if (!doc.ok()) {
    return Internal(doc.status());
  }
  if (!*doc) {
    return std::nullopt;
  }
  out.doc = std::move(**doc);
  int64_t now = NowSeconds(context_.clock);
  if (State(out) == "PendingDeletion" && out.doc.value("DeletionDate", int64_t{0}) <= now) {
    return DeleteKeyAndDependents(txn, scope, uuid);
  }
  found = true;
  Json& rotation = out.doc["_rotation"];
  if (State(out) == "Enabled" && rotation.value("enabled", false) &&
      rotation.value("next", int64_t{0}) <= now) {
    if (auto e = AddVersion(out)) {
      return e;
    }
    rotation["next"] = now + rotation.value("period_days", kDefaultRotationDays) * kDay;
    rotation["last"] = now;
    return Failed(txn.Put(kKeys, out.store_key, out.doc));
  }
  return std::nullopt;
}

std::optional<ServiceError> KmsService::FindKey(StoreTxn& txn, const KeyScope& scope,
                                                const std::string& key_id, Key& out) {
  std::string ref = key_id;
  std::string key_arn_prefix = Arn("kms", scope.region, scope.account_id, "");
  if (ref.rfind("arn:", 0) == 0) {
    if (ref.rfind(key_arn_prefix, 0) != 0) {
      return KmsError("NotFoundException", fmt::format("Invalid arn {}", ref));
    }
    ref = ref.substr(key_arn_prefix.size());
    if (ref.rfind("key/", 0) == 0) {
      ref = ref.substr(4);
      if (!IsUuid(ref)) {
        return KmsError("NotFoundException", fmt::format("Invalid arn {}", key_id));
      }
    } else if (ref.rfind("alias/", 0) != 0) {
      return KmsError("NotFoundException", fmt::format("Invalid arn {}", key_id));
    }
  }
  if (ref.rfind("alias/", 0) == 0) {
    Result<std::optional<Json>> alias = txn.Get(kAliases, Prefix(scope) + ref);
    if (!alias.ok()) {
      return Internal(alias.status());
    }
    if (!*alias) {
      std::string service = ref.rfind("alias/aws/", 0) == 0 ? ref.substr(10) : "";
      if (ManagedKeyServices().count(service) == 0) {
        return KmsError("NotFoundException",
                        fmt::format("Alias {} is not found.", AliasArn(scope, ref)));
      }
      if (auto e = CreateKeyRecord(
              txn, scope,
              fmt::format("Default key that protects my {} data when no other key is defined",
                          service),
              "", Json::array(), /*aws_managed=*/true, out)) {
        return e;
      }
      int64_t now = NowSeconds(context_.clock);
      Json record = {{"AliasName", ref},
                     {"AliasArn", AliasArn(scope, ref)},
                     {"TargetKeyId", out.doc["KeyId"]},
                     {"CreationDate", now},
                     {"LastUpdatedDate", now}};
      return Failed(txn.Put(kAliases, Prefix(scope) + ref, record));
    }
    std::string alias_name = ref;
    ref = (**alias).value("TargetKeyId", "");
    bool found = false;
    if (auto e = LoadKeyById(txn, scope, ref, found, out)) {
      return e;
    }
    if (!found) {
      return KmsError("NotFoundException",
                      fmt::format("Alias {} is not found.", AliasArn(scope, alias_name)));
    }
    return std::nullopt;
  }
  if (!IsUuid(ref)) {
    return KmsError("NotFoundException", fmt::format("Invalid keyId {}", key_id));
  }
  bool found = false;
  if (auto e = LoadKeyById(txn, scope, ref, found, out)) {
    return e;
  }
  if (!found) {
    return KmsError("NotFoundException",
                    fmt::format("Key '{}' does not exist", KeyArn(scope, ref)));
  }
  return std::nullopt;
}

ServiceResult KmsService::CreateKey(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope) {
  const Json& in = call.input;
  std::string spec = StringMember(in, "KeySpec");
  std::string legacy_spec = StringMember(in, "CustomerMasterKeySpec");
  if (!spec.empty() && !legacy_spec.empty()) {
    return Validation(
        "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. "
        "CustomerMasterKeySpec is deprecated.");
  }
  if (spec.empty()) {
    spec = legacy_spec.empty() ? "SYMMETRIC_DEFAULT" : legacy_spec;
  }
  std::string usage = StringMember(in, "KeyUsage");
  if (usage.empty()) {
    usage = "ENCRYPT_DECRYPT";
  }
  if (spec != "SYMMETRIC_DEFAULT") {
    return KmsError("UnsupportedOperationException",
                    fmt::format("KeySpec {} is not supported by the clusterform local cloud; "
                                "only SYMMETRIC_DEFAULT keys are",
                                spec));
  }
  if (usage != "ENCRYPT_DECRYPT") {
    return Validation(fmt::format("KeyUsage {} is not compatible with KeySpec {}", usage, spec));
  }
  if (Has(in, "Origin") && StringMember(in, "Origin") != "AWS_KMS") {
    return KmsError("UnsupportedOperationException",
                    fmt::format("Origin {} is not supported by the clusterform local cloud",
                                StringMember(in, "Origin")));
  }
  std::string policy = StringMember(in, "Policy");
  if (Has(in, "Policy")) {
    if (auto e = CheckPolicy(policy)) {
      return *e;
    }
  }
  Json tags = in.value("Tags", Json::array());
  if (auto e = CheckTags(tags)) {
    return *e;
  }
  Json normalized = MergeTags(Json::array(), tags);
  Key key;
  if (auto e = CreateKeyRecord(txn, scope, StringMember(in, "Description"), policy, normalized,
                               /*aws_managed=*/false, key)) {
    return *e;
  }
  return Json{{"KeyMetadata", Metadata(key)}};
}

ServiceResult KmsService::DescribeKey(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  return Json{{"KeyMetadata", Metadata(key)}};
}

ServiceResult KmsService::ListKeys(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope) {
  Result<std::vector<std::pair<std::string, Json>>> docs = txn.List(kKeys, Prefix(scope));
  if (!docs.ok()) {
    return Internal(docs.status());
  }
  Json items = Json::array();
  for (const auto& [store_key, doc] : *docs) {
    bool found = false;
    Key key;
    if (auto e = LoadKeyById(txn, scope, doc.value("KeyId", ""), found, key)) {
      return *e;
    }
    if (found) {
      items.push_back({{"KeyId", key.doc["KeyId"]}, {"KeyArn", key.doc["Arn"]}});
    }
  }
  auto page = Page(items, call.input, "Keys");
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::get<Json>(page);
}

ServiceResult KmsService::UpdateKeyDescription(StoreTxn& txn, const ServiceCall& call,
                                               const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  key.doc["Description"] = StringMember(call.input, "Description");
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::EnableKey(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  key.doc["KeyState"] = "Enabled";
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::DisableKey(StoreTxn& txn, const ServiceCall& call,
                                     const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  if (key.doc.value("KeyManager", "") == "AWS") {
    return KmsError("KMSInvalidStateException",
                    ArnOf(key) + " is an AWS managed key and cannot be disabled.");
  }
  key.doc["KeyState"] = "Disabled";
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::ScheduleKeyDeletion(StoreTxn& txn, const ServiceCall& call,
                                              const KeyScope& scope) {
  int64_t days = 30;
  if (Has(call.input, "PendingWindowInDays")) {
    days = IntMember(call.input, "PendingWindowInDays").value_or(0);
    if (days < 7 || days > 30) {
      return Validation(fmt::format(
          "1 validation error detected: Value '{}' at 'pendingWindowInDays' failed to satisfy "
          "constraint: Member must have value {} {}",
          days, days < 7 ? "greater than or equal to" : "less than or equal to",
          days < 7 ? 7 : 30));
    }
  }
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  if (key.doc.value("KeyManager", "") == "AWS") {
    return KmsError("KMSInvalidStateException",
                    ArnOf(key) + " is an AWS managed key and cannot be deleted.");
  }
  int64_t deletion = NowSeconds(context_.clock) + days * kDay;
  key.doc["KeyState"] = "PendingDeletion";
  key.doc["DeletionDate"] = deletion;
  key.doc["PendingDeletionWindowInDays"] = days;
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json{{"KeyId", ArnOf(key)},
                                                                 {"DeletionDate", deletion},
                                                                 {"KeyState", "PendingDeletion"},
                                                                 {"PendingWindowInDays", days}});
}

ServiceResult KmsService::CancelKeyDeletion(StoreTxn& txn, const ServiceCall& call,
                                            const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (State(key) != "PendingDeletion") {
    return KmsError("KMSInvalidStateException", ArnOf(key) + " is not pending deletion.");
  }
  key.doc["KeyState"] = "Disabled";
  key.doc.erase("DeletionDate");
  key.doc.erase("PendingDeletionWindowInDays");
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json{{"KeyId", ArnOf(key)}});
}

// ---- Aliases -------------------------------------------------------------------------------

namespace {

std::optional<ServiceError> CheckAliasName(const std::string& name) {
  if (name.rfind("alias/", 0) != 0) {
    return Validation(
        "Alias must start with the prefix \"alias/\". Please see "
        "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  }
  static const std::regex kPattern("[a-zA-Z0-9:/_-]+");
  if (!std::regex_match(name, kPattern)) {
    return Validation(fmt::format(
        "1 validation error detected: Value '{}' at 'aliasName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
        name));
  }
  if (name.size() == 6 || name.find(':') != std::string::npos) {
    return KmsError("InvalidAliasNameException",
                    fmt::format("Alias name {} is not valid: it needs a name after \"alias/\" "
                                "and cannot contain ':'",
                                name));
  }
  if (name.rfind("alias/aws/", 0) == 0) {
    return KmsError("NotAuthorizedException",
                    "Cannot create or change an alias with the reserved prefix 'alias/aws/'");
  }
  return std::nullopt;
}

}  // namespace

ServiceResult KmsService::CreateAlias(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  std::string name = StringMember(call.input, "AliasName");
  if (auto e = CheckAliasName(name)) {
    return *e;
  }
  std::string target = StringMember(call.input, "TargetKeyId");
  if (target.rfind("alias/", 0) == 0 || target.find(":alias/") != std::string::npos) {
    return Validation("Aliases must refer to keys. Not aliases");
  }
  Result<std::optional<Json>> existing = txn.Get(kAliases, Prefix(scope) + name);
  if (!existing.ok()) {
    return Internal(existing.status());
  }
  if (*existing) {
    return KmsError("AlreadyExistsException",
                    fmt::format("An alias with the name {} already exists", AliasArn(scope, name)));
  }
  Key key;
  if (auto e = FindKey(txn, scope, target, key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  int64_t now = NowSeconds(context_.clock);
  Json record = {{"AliasName", name},
                 {"AliasArn", AliasArn(scope, name)},
                 {"TargetKeyId", key.doc["KeyId"]},
                 {"CreationDate", now},
                 {"LastUpdatedDate", now}};
  return Or(Failed(txn.Put(kAliases, Prefix(scope) + name, record)), Json::object());
}

ServiceResult KmsService::UpdateAlias(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  std::string name = StringMember(call.input, "AliasName");
  if (auto e = CheckAliasName(name)) {
    return *e;
  }
  Result<std::optional<Json>> existing = txn.Get(kAliases, Prefix(scope) + name);
  if (!existing.ok()) {
    return Internal(existing.status());
  }
  if (!*existing) {
    return KmsError("NotFoundException",
                    fmt::format("Alias {} is not found.", AliasArn(scope, name)));
  }
  std::string target = StringMember(call.input, "TargetKeyId");
  if (target.rfind("alias/", 0) == 0 || target.find(":alias/") != std::string::npos) {
    return Validation("Aliases must refer to keys. Not aliases");
  }
  Key key;
  if (auto e = FindKey(txn, scope, target, key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  Json record = **existing;
  record["TargetKeyId"] = key.doc["KeyId"];
  record["LastUpdatedDate"] = NowSeconds(context_.clock);
  return Or(Failed(txn.Put(kAliases, Prefix(scope) + name, record)), Json::object());
}

ServiceResult KmsService::DeleteAlias(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  std::string name = StringMember(call.input, "AliasName");
  if (auto e = CheckAliasName(name)) {
    return *e;
  }
  Result<std::optional<Json>> existing = txn.Get(kAliases, Prefix(scope) + name);
  if (!existing.ok()) {
    return Internal(existing.status());
  }
  if (!*existing) {
    return KmsError("NotFoundException",
                    fmt::format("Alias {} is not found.", AliasArn(scope, name)));
  }
  return Or(Failed(txn.Delete(kAliases, Prefix(scope) + name)), Json::object());
}

ServiceResult KmsService::ListAliases(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  std::string only_key;
  if (Has(call.input, "KeyId")) {
    Key key;
    if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
      return *e;
    }
    only_key = key.doc.value("KeyId", "");
  }
  Result<std::vector<std::pair<std::string, Json>>> docs = txn.List(kAliases, Prefix(scope));
  if (!docs.ok()) {
    return Internal(docs.status());
  }
  Json items = Json::array();
  for (const auto& [store_key, alias] : *docs) {
    std::string target = alias.value("TargetKeyId", "");
    if (!only_key.empty() && target != only_key) {
      continue;
    }
    bool found = false;
    Key key;
    if (auto e = LoadKeyById(txn, scope, target, found, key)) {
      return *e;
    }
    if (found) {
      items.push_back(alias);
    }
  }
  auto page = Page(items, call.input, "Aliases");
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::get<Json>(page);
}

// ---- Policies and rotation -----------------------------------------------------------------

ServiceResult KmsService::GetKeyPolicy(StoreTxn& txn, const ServiceCall& call,
                                       const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  std::string name = Has(call.input, "PolicyName") ? StringMember(call.input, "PolicyName")
                                                   : std::string("default");
  if (name != "default") {
    return KmsError("NotFoundException", fmt::format("No such policy exists: {}", name));
  }
  return Json{{"Policy", key.doc.value("_policy", "")}};
}

ServiceResult KmsService::PutKeyPolicy(StoreTxn& txn, const ServiceCall& call,
                                       const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  std::string name = Has(call.input, "PolicyName") ? StringMember(call.input, "PolicyName")
                                                   : std::string("default");
  if (name != "default") {
    return KmsError("NotFoundException", fmt::format("No such policy exists: {}", name));
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  std::string policy = StringMember(call.input, "Policy");
  if (auto e = CheckPolicy(policy)) {
    return *e;
  }
  key.doc["_policy"] = policy;
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::ListKeyPolicies(StoreTxn& txn, const ServiceCall& call,
                                          const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  return Json{{"PolicyNames", Json::array({"default"})}, {"Truncated", false}};
}

ServiceResult KmsService::EnableKeyRotation(StoreTxn& txn, const ServiceCall& call,
                                            const KeyScope& scope) {
  int64_t days = kDefaultRotationDays;
  if (Has(call.input, "RotationPeriodInDays")) {
    days = IntMember(call.input, "RotationPeriodInDays").value_or(0);
    if (days < 90 || days > 2560) {
      return Validation(fmt::format(
          "1 validation error detected: Value '{}' at 'rotationPeriodInDays' failed to satisfy "
          "constraint: Member must have value {} {}",
          days, days < 90 ? "greater than or equal to" : "less than or equal to",
          days < 90 ? 90 : 2560));
    }
  }
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckUsable(key)) {
    return *e;
  }
  Json& rotation = key.doc["_rotation"];
  if (!rotation.value("enabled", false) || rotation.value("period_days", int64_t{0}) != days) {
    rotation["enabled"] = true;
    rotation["period_days"] = days;
    rotation["next"] = NowSeconds(context_.clock) + days * kDay;
  }
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::DisableKeyRotation(StoreTxn& txn, const ServiceCall& call,
                                             const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckUsable(key)) {
    return *e;
  }
  if (key.doc.value("KeyManager", "") == "AWS") {
    return KmsError("UnsupportedOperationException",
                    ArnOf(key) + " is an AWS managed key; its rotation cannot be changed.");
  }
  key.doc["_rotation"]["enabled"] = false;
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::GetKeyRotationStatus(StoreTxn& txn, const ServiceCall& call,
                                               const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  return Json{{"KeyRotationEnabled", key.doc["_rotation"].value("enabled", false)}};
}

// ---- Cryptographic operations --------------------------------------------------------------

std::optional<ServiceError> KmsService::SealWith(const Key& key, std::string_view plaintext,
                                                 const EncryptionContext& context,
                                                 std::string& blob) {
  const Json& versions = key.doc["_versions"];
  if (!versions.is_array() || versions.empty()) {
    return Internal(InternalError(ArnOf(key) + " has no key material"));
  }
  uint32_t version = static_cast<uint32_t>(versions.size() - 1);
  std::string material;
  if (auto e = Material(key, version, material)) {
    return e;
  }
  Result<std::string> sealed =
      SealBlob(BlobHeader{key.doc.value("KeyId", ""), version}, material, plaintext, context);
  if (!sealed.ok()) {
    return Internal(sealed.status());
  }
  blob = std::move(*sealed);
  return std::nullopt;
}

std::optional<ServiceError> KmsService::OpenBlobIn(StoreTxn& txn, const KeyScope& scope,
                                                   std::string_view blob,
                                                   const EncryptionContext& context,
                                                   const Key* expected, Key& key,
                                                   std::string& plaintext) {
  std::optional<BlobHeader> header = PeekBlob(blob);
  if (!header || !IsUuid(header->key_id)) {
    return KmsError("InvalidCiphertextException", "");
  }
  if (expected != nullptr && expected->doc.value("KeyId", "") != header->key_id) {
    return KmsError("IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this "
                    "operation.");
  }
  bool found = false;
  if (auto e = LoadKeyById(txn, scope, header->key_id, found, key)) {
    return e;
  }
  if (!found) {
    return KmsError("InvalidCiphertextException", "");
  }
  if (auto e = CheckUsable(key)) {
    return e;
  }
  std::string material;
  if (header->version >= key.doc["_versions"].size()) {
    return KmsError("InvalidCiphertextException", "");
  }
  if (auto e = Material(key, header->version, material)) {
    return e;
  }
  std::optional<std::string> opened = OpenBlob(blob, material, context);
  if (!opened) {
    return KmsError("InvalidCiphertextException", "");
  }
  plaintext = std::move(*opened);
  return std::nullopt;
}

std::variant<std::string, ServiceError> KmsService::ResolveKeyArn(StoreTxn& txn,
                                                                  const KeyScope& scope,
                                                                  const std::string& key_id) {
  Key key;
  if (auto e = FindKey(txn, scope, key_id, key)) {
    return *e;
  }
  return ArnOf(key);
}

std::variant<std::string, ServiceError> KmsService::Encrypt(StoreTxn& txn, const KeyScope& scope,
                                                            const std::string& key_id,
                                                            std::string_view plaintext,
                                                            const EncryptionContext& context) {
  Key key;
  if (auto e = FindKey(txn, scope, key_id, key)) {
    return *e;
  }
  if (auto e = CheckUsable(key)) {
    return *e;
  }
  std::string blob;
  if (auto e = SealWith(key, plaintext, context, blob)) {
    return *e;
  }
  return blob;
}

std::variant<KeyVault::Decrypted, ServiceError> KmsService::Decrypt(
    StoreTxn& txn, const KeyScope& scope, std::string_view blob, const EncryptionContext& context) {
  Key key;
  Decrypted out;
  if (auto e = OpenBlobIn(txn, scope, blob, context, nullptr, key, out.plaintext)) {
    return *e;
  }
  out.key_arn = ArnOf(key);
  return out;
}

namespace {

std::optional<ServiceError> CheckAlgorithm(const Json& input, const char* member) {
  if (Has(input, member) && StringMember(input, member) != "SYMMETRIC_DEFAULT") {
    return KmsError("InvalidKeyUsageException",
                    fmt::format("Algorithm {} is incompatible with a symmetric key",
                                StringMember(input, member)));
  }
  return std::nullopt;
}

}  // namespace

ServiceResult KmsService::EncryptOp(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope) {
  if (auto e = CheckAlgorithm(call.input, "EncryptionAlgorithm")) {
    return *e;
  }
  auto blob =
      Encrypt(txn, scope, StringMember(call.input, "KeyId"), StringMember(call.input, "Plaintext"),
              ContextMember(call.input, "EncryptionContext"));
  if (auto* error = std::get_if<ServiceError>(&blob)) {
    return *error;
  }
  const std::string& ciphertext = std::get<std::string>(blob);
  std::optional<BlobHeader> header = PeekBlob(ciphertext);
  return Json{{"CiphertextBlob", ciphertext},
              {"KeyId", KeyArn(scope, header->key_id)},
              {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
}

ServiceResult KmsService::DecryptOp(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope) {
  if (auto e = CheckAlgorithm(call.input, "EncryptionAlgorithm")) {
    return *e;
  }
  Key expected;
  bool has_expected = Has(call.input, "KeyId");
  if (has_expected) {
    if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), expected)) {
      return *e;
    }
  }
  Key key;
  std::string plaintext;
  if (auto e = OpenBlobIn(txn, scope, StringMember(call.input, "CiphertextBlob"),
                          ContextMember(call.input, "EncryptionContext"),
                          has_expected ? &expected : nullptr, key, plaintext)) {
    return *e;
  }
  return Json{{"KeyId", ArnOf(key)},
              {"Plaintext", plaintext},
              {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
}

namespace {

// The data key length GenerateDataKey* asks for, or an error.
std::variant<size_t, ServiceError> DataKeyBytes(const Json& input) {
  bool has_spec = Has(input, "KeySpec");
  bool has_bytes = Has(input, "NumberOfBytes");
  if (has_spec && has_bytes) {
    return Validation("KeySpec and NumberOfBytes are mutually exclusive; specify only one.");
  }
  if (!has_spec && !has_bytes) {
    return Validation("Please specify either number of bytes or key spec.");
  }
  if (has_spec) {
    return StringMember(input, "KeySpec") == "AES_128" ? size_t{16} : size_t{32};
  }
  int64_t n = IntMember(input, "NumberOfBytes").value_or(0);
  if (n < 1 || n > 1024) {
    return Validation(
        fmt::format("1 validation error detected: Value '{}' at 'numberOfBytes' failed to satisfy "
                    "constraint: Member must have value between 1 and 1024",
                    n));
  }
  return static_cast<size_t>(n);
}

}  // namespace

ServiceResult KmsService::GenerateDataKey(StoreTxn& txn, const ServiceCall& call,
                                          const KeyScope& scope) {
  auto bytes = DataKeyBytes(call.input);
  if (auto* error = std::get_if<ServiceError>(&bytes)) {
    return *error;
  }
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckUsable(key)) {
    return *e;
  }
  Result<std::string> data_key = RandomBytes(std::get<size_t>(bytes));
  if (!data_key.ok()) {
    return Internal(data_key.status());
  }
  std::string blob;
  if (auto e = SealWith(key, *data_key, ContextMember(call.input, "EncryptionContext"), blob)) {
    return *e;
  }
  return Json{{"CiphertextBlob", blob}, {"Plaintext", *data_key}, {"KeyId", ArnOf(key)}};
}

ServiceResult KmsService::GenerateDataKeyWithoutPlaintext(StoreTxn& txn, const ServiceCall& call,
                                                          const KeyScope& scope) {
  ServiceResult full = GenerateDataKey(txn, call, scope);
  if (!full.ok()) {
    return full;
  }
  Json out = full.output();
  out.erase("Plaintext");
  return out;
}

ServiceResult KmsService::ReEncrypt(StoreTxn& txn, const ServiceCall& call, const KeyScope& scope) {
  if (auto e = CheckAlgorithm(call.input, "SourceEncryptionAlgorithm")) {
    return *e;
  }
  if (auto e = CheckAlgorithm(call.input, "DestinationEncryptionAlgorithm")) {
    return *e;
  }
  Key expected;
  bool has_expected = Has(call.input, "SourceKeyId");
  if (has_expected) {
    if (auto e = FindKey(txn, scope, StringMember(call.input, "SourceKeyId"), expected)) {
      return *e;
    }
  }
  Key source;
  std::string plaintext;
  if (auto e = OpenBlobIn(txn, scope, StringMember(call.input, "CiphertextBlob"),
                          ContextMember(call.input, "SourceEncryptionContext"),
                          has_expected ? &expected : nullptr, source, plaintext)) {
    return *e;
  }
  Key destination;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "DestinationKeyId"), destination)) {
    return *e;
  }
  if (auto e = CheckUsable(destination)) {
    return *e;
  }
  std::string blob;
  if (auto e = SealWith(destination, plaintext,
                        ContextMember(call.input, "DestinationEncryptionContext"), blob)) {
    return *e;
  }
  return Json{{"CiphertextBlob", blob},
              {"SourceKeyId", ArnOf(source)},
              {"KeyId", ArnOf(destination)},
              {"SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT"},
              {"DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
}

ServiceResult KmsService::GenerateRandom(StoreTxn&, const ServiceCall& call, const KeyScope&) {
  if (Has(call.input, "CustomKeyStoreId")) {
    return KmsError("CustomKeyStoreNotFoundException",
                    "Custom key stores are not supported by the clusterform local cloud");
  }
  std::optional<int64_t> n = IntMember(call.input, "NumberOfBytes");
  if (!n) {
    return Validation("Please specify number of bytes.");
  }
  if (*n < 1 || *n > 1024) {
    return Validation(
        fmt::format("1 validation error detected: Value '{}' at 'numberOfBytes' failed to satisfy "
                    "constraint: Member must have value between 1 and 1024",
                    *n));
  }
  Result<std::string> bytes = RandomBytes(static_cast<size_t>(*n));
  if (!bytes.ok()) {
    return Internal(bytes.status());
  }
  return Json{{"Plaintext", *bytes}};
}

// ---- Grants --------------------------------------------------------------------------------

namespace {

Json VisibleGrant(Json grant) {
  grant.erase("_token");
  return grant;
}

}  // namespace

ServiceResult KmsService::CreateGrant(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckUsable(key)) {
    return *e;
  }
  std::string key_id = key.doc.value("KeyId", "");
  std::string grant_prefix = Prefix(scope) + key_id + "/";
  std::string name = StringMember(call.input, "Name");
  if (!name.empty()) {
    Result<std::vector<std::pair<std::string, Json>>> grants = txn.List(kGrants, grant_prefix);
    if (!grants.ok()) {
      return Internal(grants.status());
    }
    for (const auto& [store_key, grant] : *grants) {
      if (grant.value("Name", "") == name &&
          grant.value("GranteePrincipal", "") == StringMember(call.input, "GranteePrincipal") &&
          grant["Operations"] == call.input.value("Operations", Json::array())) {
        return Json{{"GrantToken", grant["_token"]}, {"GrantId", grant["GrantId"]}};
      }
    }
  }
  Result<std::string> id_bytes = RandomBytes(32);
  Result<std::string> token_bytes = RandomBytes(96);
  if (!id_bytes.ok() || !token_bytes.ok()) {
    return Internal(!id_bytes.ok() ? id_bytes.status() : token_bytes.status());
  }
  std::string grant_id = HexEncode(*id_bytes);
  Json grant = {{"KeyId", ArnOf(key)},
                {"GrantId", grant_id},
                {"CreationDate", NowSeconds(context_.clock)},
                {"GranteePrincipal", StringMember(call.input, "GranteePrincipal")},
                {"IssuingAccount", fmt::format("arn:aws:iam::{}:root", scope.account_id)},
                {"Operations", call.input.value("Operations", Json::array())},
                {"_token", Base64Encode(*token_bytes)}};
  if (!name.empty()) {
    grant["Name"] = name;
  }
  if (Has(call.input, "RetiringPrincipal")) {
    grant["RetiringPrincipal"] = StringMember(call.input, "RetiringPrincipal");
  }
  if (Has(call.input, "Constraints")) {
    grant["Constraints"] = call.input["Constraints"];
  }
  return Or(Failed(txn.Put(kGrants, grant_prefix + grant_id, grant)),
            Json{{"GrantToken", grant["_token"]}, {"GrantId", grant_id}});
}

ServiceResult KmsService::ListGrants(StoreTxn& txn, const ServiceCall& call,
                                     const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  Result<std::vector<std::pair<std::string, Json>>> grants =
      txn.List(kGrants, Prefix(scope) + key.doc.value("KeyId", "") + "/");
  if (!grants.ok()) {
    return Internal(grants.status());
  }
  std::string grant_id = StringMember(call.input, "GrantId");
  std::string grantee = StringMember(call.input, "GranteePrincipal");
  Json items = Json::array();
  for (const auto& [store_key, grant] : *grants) {
    if ((!grant_id.empty() && grant.value("GrantId", "") != grant_id) ||
        (!grantee.empty() && grant.value("GranteePrincipal", "") != grantee)) {
      continue;
    }
    items.push_back(VisibleGrant(grant));
  }
  auto page = Page(items, call.input, "Grants");
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::get<Json>(page);
}

ServiceResult KmsService::ListRetirableGrants(StoreTxn& txn, const ServiceCall& call,
                                              const KeyScope& scope) {
  Result<std::vector<std::pair<std::string, Json>>> grants = txn.List(kGrants, Prefix(scope));
  if (!grants.ok()) {
    return Internal(grants.status());
  }
  std::string retiring = StringMember(call.input, "RetiringPrincipal");
  Json items = Json::array();
  for (const auto& [store_key, grant] : *grants) {
    if (grant.value("RetiringPrincipal", "") == retiring) {
      items.push_back(VisibleGrant(grant));
    }
  }
  auto page = Page(items, call.input, "Grants");
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::get<Json>(page);
}

ServiceResult KmsService::RetireGrant(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  std::string token = StringMember(call.input, "GrantToken");
  std::string grant_id = StringMember(call.input, "GrantId");
  if (token.empty() && (grant_id.empty() || !Has(call.input, "KeyId"))) {
    return Validation("Either GrantToken, or both KeyId and GrantId must be specified.");
  }
  std::string prefix = Prefix(scope);
  if (!token.empty()) {
    Result<std::vector<std::pair<std::string, Json>>> grants = txn.List(kGrants, prefix);
    if (!grants.ok()) {
      return Internal(grants.status());
    }
    for (const auto& [store_key, grant] : *grants) {
      if (grant.value("_token", "") == token) {
        return Or(Failed(txn.Delete(kGrants, store_key)), Json::object());
      }
    }
    return KmsError("InvalidGrantTokenException", "Grant token is not valid.");
  }
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  std::string store_key = prefix + key.doc.value("KeyId", "") + "/" + grant_id;
  Result<std::optional<Json>> grant = txn.Get(kGrants, store_key);
  if (!grant.ok()) {
    return Internal(grant.status());
  }
  if (!*grant) {
    return KmsError("NotFoundException", fmt::format("Grant ID {} not found", grant_id));
  }
  return Or(Failed(txn.Delete(kGrants, store_key)), Json::object());
}

ServiceResult KmsService::RevokeGrant(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  std::string grant_id = StringMember(call.input, "GrantId");
  std::string store_key = Prefix(scope) + key.doc.value("KeyId", "") + "/" + grant_id;
  Result<std::optional<Json>> grant = txn.Get(kGrants, store_key);
  if (!grant.ok()) {
    return Internal(grant.status());
  }
  if (!*grant) {
    return KmsError("NotFoundException", fmt::format("Grant ID {} not found", grant_id));
  }
  return Or(Failed(txn.Delete(kGrants, store_key)), Json::object());
}

// ---- Tags ----------------------------------------------------------------------------------

ServiceResult KmsService::TagResource(StoreTxn& txn, const ServiceCall& call,
                                      const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  Json tags = call.input.value("Tags", Json::array());
  if (auto e = CheckTags(tags)) {
    return *e;
  }
  key.doc["_tags"] = MergeTags(key.doc.value("_tags", Json::array()), tags);
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::UntagResource(StoreTxn& txn, const ServiceCall& call,
                                        const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  if (auto e = CheckNotPendingDeletion(key)) {
    return *e;
  }
  std::set<std::string> remove;
  for (const Json& k : call.input.value("TagKeys", Json::array())) {
    if (k.is_string()) {
      remove.insert(k.get<std::string>());
    }
  }
  Json kept = Json::array();
  for (const Json& tag : key.doc.value("_tags", Json::array())) {
    if (remove.count(tag.value("TagKey", "")) == 0) {
      kept.push_back(tag);
    }
  }
  key.doc["_tags"] = kept;
  return Or(Failed(txn.Put(kKeys, key.store_key, key.doc)), Json::object());
}

ServiceResult KmsService::ListResourceTags(StoreTxn& txn, const ServiceCall& call,
                                           const KeyScope& scope) {
  Key key;
  if (auto e = FindKey(txn, scope, StringMember(call.input, "KeyId"), key)) {
    return *e;
  }
  auto page = Page(key.doc.value("_tags", Json::array()), call.input, "Tags");
  if (auto* error = std::get_if<ServiceError>(&page)) {
    return *error;
  }
  return std::get<Json>(page);
}

}  // namespace cf::cloud::kms
