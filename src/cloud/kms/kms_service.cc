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

ServiceError Internal(std::string message) {
  return ServiceError{"KMSInternalException", std::move(message), 500, false};
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
  return {};
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

ServiceStatus CheckPolicy(const std::string& policy) {
  Json parsed = Json::parse(policy, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("Statement")) {
    return KmsError("MalformedPolicyDocumentException",
                    "The key policy is not a JSON policy document with a Statement.");
  }
  return {};
}

ServiceStatus CheckTags(const Json& tags) {
  if (!tags.is_array()) {
    return {};
  }
  for (const Json& tag : tags) {
    std::string key = StringMember(tag, "TagKey");
    if (key.rfind("aws:", 0) == 0) {
      return KmsError("TagException", "Tags beginning with aws: are reserved.");
    }
  }
  return {};
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

ServiceStatus CheckUsable(const KmsService::Key& key) {
  std::string state = State(key);
  if (state == "Disabled") {
    return KmsError("DisabledException", ArnOf(key) + " is disabled.");
  }
  if (state == "PendingDeletion") {
    return KmsError("KMSInvalidStateException", ArnOf(key) + " is pending deletion.");
  }
  return {};
}

ServiceStatus CheckNotPendingDeletion(const KmsService::Key& key) {
  if (State(key) == "PendingDeletion") {
    return KmsError("KMSInvalidStateException", ArnOf(key) + " is pending deletion.");
  }
  return {};
}

// Pagination over a list: Marker is the offset of the next item.
ServiceOr<Json> Page(const Json& items, const Json& input, const char* member) {
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

ServiceStatus DeleteKeyAndDependents(CallTxn& txn, const KeyScope& scope,
                                     const std::string& key_id) {
  SERVICE_RETURN_IF_ERROR(txn.Delete(kKeys, Prefix(scope) + key_id));
  SERVICE_ASSIGN_OR_RETURN(auto aliases, txn.List(kAliases, Prefix(scope)));
  for (const auto& [store_key, alias] : aliases) {
    if (alias.value("TargetKeyId", "") == key_id) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(kAliases, store_key));
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto grants, txn.List(kGrants, Prefix(scope) + key_id + "/"));
  for (const auto& [store_key, grant] : grants) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kGrants, store_key));
  }
  return {};
}

// "1 validation error detected: Value 'V' at 'MEMBER' failed to satisfy constraint: Member
// must have value ..." for an integer outside [min, max], as KMS words it.
ServiceStatus CheckRange(const char* member, int64_t value, int64_t min, int64_t max) {
  if (value >= min && value <= max) {
    return {};
  }
  return Validation(fmt::format(
      "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member must "
      "have value {} {}",
      value, member, value < min ? "greater than or equal to" : "less than or equal to",
      value < min ? min : max));
}

// numberOfBytes of GenerateRandom and GenerateDataKey.
ServiceStatus CheckByteCount(int64_t n) {
  if (n < 1 || n > 1024) {
    return Validation(
        fmt::format("1 validation error detected: Value '{}' at 'numberOfBytes' failed to satisfy "
                    "constraint: Member must have value between 1 and 1024",
                    n));
  }
  return {};
}

// An alias may not point at another alias.
ServiceStatus CheckAliasTarget(const Json& input) {
  std::string target = StringMember(input, "TargetKeyId");
  if (target.rfind("alias/", 0) == 0 || target.find(":alias/") != std::string::npos) {
    return Validation("Aliases must refer to keys. Not aliases");
  }
  return {};
}

KeyScope ScopeOf(const ServiceCall& call) {
  return KeyScope{call.account_id, call.region};
}

}  // namespace

KmsService::KmsService(const ServiceContext& context, std::string master_key)
    : TableService(context.store, Operations()),
      context_(context),
      master_key_(std::move(master_key)) {}

const OperationTable<KmsService>& KmsService::Operations() {
  static const OperationTable<KmsService> kTable(
      {
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
      },
      // Lazy transitions (expiry, rotation) are saved even when the call itself fails.
      {.internal_error = Internal, .invalid_input = Validation, .commit = CommitPolicy::kAlways});
  return kTable;
}

// ---- Keys ----------------------------------------------------------------------------------

ServiceStatus KmsService::AddVersion(Key& key) {
  Json& versions = key.doc["_versions"];
  if (!versions.is_array()) {
    versions = Json::array();
  }
  SERVICE_ASSIGN_OR_RETURN(std::string material, RandomBytes(kAes256KeyBytes));
  BlobHeader header{key.doc.value("KeyId", ""), static_cast<uint32_t>(versions.size())};
  SERVICE_ASSIGN_OR_RETURN(std::string wrapped, WrapMaterial(master_key_, header, material));
  versions.push_back(
      {{"material", Base64Encode(wrapped)}, {"created", NowSeconds(context_.clock)}});
  return {};
}

ServiceOr<std::string> KmsService::Material(const Key& key, uint32_t version) const {
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
    return Internal("the key material of " + ArnOf(key) +
                    " does not unwrap under this data dir's KMS master key");
  }
  return std::move(*material);
}

ServiceOr<KmsService::Key> KmsService::CreateKeyRecord(CallTxn& txn, const KeyScope& scope,
                                                       const std::string& description,
                                                       const std::string& policy, const Json& tags,
                                                       bool aws_managed) {
  std::string id = context_.ids.RequestId();
  int64_t now = NowSeconds(context_.clock);
  Key key;
  key.store_key = Prefix(scope) + id;
  key.doc = {{"AWSAccountId", scope.account_id},
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
  SERVICE_RETURN_IF_ERROR(AddVersion(key));
  SERVICE_RETURN_IF_ERROR(txn.Put(kKeys, key.store_key, key.doc));
  return key;
}

ServiceOr<std::optional<KmsService::Key>> KmsService::LoadKeyById(CallTxn& txn,
                                                                  const KeyScope& scope,
                                                                  const std::string& uuid) {
  Key key;
  key.store_key = Prefix(scope) + uuid;
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> doc, txn.Get(kKeys, key.store_key));
  if (!doc) {
    return std::optional<Key>();
  }
  key.doc = std::move(*doc);
  int64_t now = NowSeconds(context_.clock);
  if (State(key) == "PendingDeletion" && key.doc.value("DeletionDate", int64_t{0}) <= now) {
    SERVICE_RETURN_IF_ERROR(DeleteKeyAndDependents(txn, scope, uuid));
    return std::optional<Key>();
  }
  Json& rotation = key.doc["_rotation"];
  if (State(key) == "Enabled" && rotation.value("enabled", false) &&
      rotation.value("next", int64_t{0}) <= now) {
    SERVICE_RETURN_IF_ERROR(AddVersion(key));
    rotation["next"] = now + rotation.value("period_days", kDefaultRotationDays) * kDay;
    rotation["last"] = now;
    SERVICE_RETURN_IF_ERROR(txn.Put(kKeys, key.store_key, key.doc));
  }
  return std::optional<Key>(std::move(key));
}

ServiceOr<KmsService::Key> KmsService::FindKey(CallTxn& txn, const KeyScope& scope,
                                               const std::string& key_id) {
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
    SERVICE_ASSIGN_OR_RETURN(std::optional<Json> alias, txn.Get(kAliases, Prefix(scope) + ref));
    if (!alias) {
      std::string service = ref.rfind("alias/aws/", 0) == 0 ? ref.substr(10) : "";
      if (ManagedKeyServices().count(service) == 0) {
        return KmsError("NotFoundException",
                        fmt::format("Alias {} is not found.", AliasArn(scope, ref)));
      }
      SERVICE_ASSIGN_OR_RETURN(
          Key key,
          CreateKeyRecord(
              txn, scope,
              fmt::format("Default key that protects my {} data when no other key is defined",
                          service),
              "", Json::array(), /*aws_managed=*/true));
      int64_t now = NowSeconds(context_.clock);
      Json record = {{"AliasName", ref},
                     {"AliasArn", AliasArn(scope, ref)},
                     {"TargetKeyId", key.doc["KeyId"]},
                     {"CreationDate", now},
                     {"LastUpdatedDate", now}};
      SERVICE_RETURN_IF_ERROR(txn.Put(kAliases, Prefix(scope) + ref, record));
      return key;
    }
    SERVICE_ASSIGN_OR_RETURN(std::optional<Key> key,
                             LoadKeyById(txn, scope, alias->value("TargetKeyId", "")));
    if (!key) {
      return KmsError("NotFoundException",
                      fmt::format("Alias {} is not found.", AliasArn(scope, ref)));
    }
    return std::move(*key);
  }
  if (!IsUuid(ref)) {
    return KmsError("NotFoundException", fmt::format("Invalid keyId {}", key_id));
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Key> key, LoadKeyById(txn, scope, ref));
  if (!key) {
    return KmsError("NotFoundException",
                    fmt::format("Key '{}' does not exist", KeyArn(scope, ref)));
  }
  return std::move(*key);
}

ServiceOr<KmsService::Key> KmsService::KeyNamed(CallTxn& txn, const ServiceCall& call,
                                                const char* member) {
  return FindKey(txn, ScopeOf(call), StringMember(call.input, member));
}

ServiceOr<KmsService::Key> KmsService::ChangeableKey(CallTxn& txn, const ServiceCall& call,
                                                     const char* member) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call, member));
  SERVICE_RETURN_IF_ERROR(CheckNotPendingDeletion(key));
  return key;
}

ServiceOr<KmsService::Key> KmsService::UsableKey(CallTxn& txn, const ServiceCall& call,
                                                 const char* member) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call, member));
  SERVICE_RETURN_IF_ERROR(CheckUsable(key));
  return key;
}

ServiceResult KmsService::SaveKey(CallTxn& txn, const Key& key, Json output) {
  SERVICE_RETURN_IF_ERROR(txn.Put(kKeys, key.store_key, key.doc));
  return output;
}

ServiceResult KmsService::CreateKey(const ServiceCall& call, CallTxn& txn) {
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
    SERVICE_RETURN_IF_ERROR(CheckPolicy(policy));
  }
  Json tags = in.value("Tags", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckTags(tags));
  SERVICE_ASSIGN_OR_RETURN(
      Key key, CreateKeyRecord(txn, ScopeOf(call), StringMember(in, "Description"), policy,
                               MergeTags(Json::array(), tags), /*aws_managed=*/false));
  return Json{{"KeyMetadata", Metadata(key)}};
}

ServiceResult KmsService::DescribeKey(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
  return Json{{"KeyMetadata", Metadata(key)}};
}

ServiceResult KmsService::ListKeys(const ServiceCall& call, CallTxn& txn) {
  KeyScope scope = ScopeOf(call);
  SERVICE_ASSIGN_OR_RETURN(auto docs, txn.List(kKeys, Prefix(scope)));
  Json items = Json::array();
  for (const auto& [store_key, doc] : docs) {
    SERVICE_ASSIGN_OR_RETURN(std::optional<Key> key,
                             LoadKeyById(txn, scope, doc.value("KeyId", "")));
    if (key) {
      items.push_back({{"KeyId", key->doc["KeyId"]}, {"KeyArn", key->doc["Arn"]}});
    }
  }
  return Page(items, call.input, "Keys");
}

ServiceResult KmsService::UpdateKeyDescription(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call));
  key.doc["Description"] = StringMember(call.input, "Description");
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::EnableKey(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call));
  key.doc["KeyState"] = "Enabled";
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::DisableKey(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call));
  if (key.doc.value("KeyManager", "") == "AWS") {
    return KmsError("KMSInvalidStateException",
                    ArnOf(key) + " is an AWS managed key and cannot be disabled.");
  }
  key.doc["KeyState"] = "Disabled";
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::ScheduleKeyDeletion(const ServiceCall& call, CallTxn& txn) {
  int64_t days = 30;
  if (Has(call.input, "PendingWindowInDays")) {
    days = IntMember(call.input, "PendingWindowInDays").value_or(0);
    SERVICE_RETURN_IF_ERROR(CheckRange("pendingWindowInDays", days, 7, 30));
  }
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call));
  if (key.doc.value("KeyManager", "") == "AWS") {
    return KmsError("KMSInvalidStateException",
                    ArnOf(key) + " is an AWS managed key and cannot be deleted.");
  }
  int64_t deletion = NowSeconds(context_.clock) + days * kDay;
  key.doc["KeyState"] = "PendingDeletion";
  key.doc["DeletionDate"] = deletion;
  key.doc["PendingDeletionWindowInDays"] = days;
  return SaveKey(txn, key,
                 Json{{"KeyId", ArnOf(key)},
                      {"DeletionDate", deletion},
                      {"KeyState", "PendingDeletion"},
                      {"PendingWindowInDays", days}});
}

ServiceResult KmsService::CancelKeyDeletion(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
  if (State(key) != "PendingDeletion") {
    return KmsError("KMSInvalidStateException", ArnOf(key) + " is not pending deletion.");
  }
  key.doc["KeyState"] = "Disabled";
  key.doc.erase("DeletionDate");
  key.doc.erase("PendingDeletionWindowInDays");
  return SaveKey(txn, key, Json{{"KeyId", ArnOf(key)}});
}

// ---- Aliases -------------------------------------------------------------------------------

namespace {

ServiceStatus CheckAliasName(const std::string& name) {
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
  return {};
}

}  // namespace

ServiceResult KmsService::CreateAlias(const ServiceCall& call, CallTxn& txn) {
  KeyScope scope = ScopeOf(call);
  std::string name = StringMember(call.input, "AliasName");
  SERVICE_RETURN_IF_ERROR(CheckAliasName(name));
  SERVICE_RETURN_IF_ERROR(CheckAliasTarget(call.input));
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kAliases, Prefix(scope) + name));
  if (existing) {
    return KmsError("AlreadyExistsException",
                    fmt::format("An alias with the name {} already exists", AliasArn(scope, name)));
  }
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call, "TargetKeyId"));
  int64_t now = NowSeconds(context_.clock);
  Json record = {{"AliasName", name},
                 {"AliasArn", AliasArn(scope, name)},
                 {"TargetKeyId", key.doc["KeyId"]},
                 {"CreationDate", now},
                 {"LastUpdatedDate", now}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kAliases, Prefix(scope) + name, record));
  return Json::object();
}

ServiceOr<Json> KmsService::ExistingAlias(CallTxn& txn, const ServiceCall& call) {
  KeyScope scope = ScopeOf(call);
  std::string name = StringMember(call.input, "AliasName");
  SERVICE_RETURN_IF_ERROR(CheckAliasName(name));
  return txn.Require(
      kAliases, Prefix(scope) + name,
      KmsError("NotFoundException", fmt::format("Alias {} is not found.", AliasArn(scope, name))));
}

ServiceResult KmsService::UpdateAlias(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json record, ExistingAlias(txn, call));
  SERVICE_RETURN_IF_ERROR(CheckAliasTarget(call.input));
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call, "TargetKeyId"));
  record["TargetKeyId"] = key.doc["KeyId"];
  record["LastUpdatedDate"] = NowSeconds(context_.clock);
  SERVICE_RETURN_IF_ERROR(
      txn.Put(kAliases, Prefix(ScopeOf(call)) + StringMember(call.input, "AliasName"), record));
  return Json::object();
}

ServiceResult KmsService::DeleteAlias(const ServiceCall& call, CallTxn& txn) {
  SERVICE_RETURN_IF_ERROR(ExistingAlias(txn, call));
  SERVICE_RETURN_IF_ERROR(
      txn.Delete(kAliases, Prefix(ScopeOf(call)) + StringMember(call.input, "AliasName")));
  return Json::object();
}

ServiceResult KmsService::ListAliases(const ServiceCall& call, CallTxn& txn) {
  KeyScope scope = ScopeOf(call);
  std::string only_key;
  if (Has(call.input, "KeyId")) {
    SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
    only_key = key.doc.value("KeyId", "");
  }
  SERVICE_ASSIGN_OR_RETURN(auto docs, txn.List(kAliases, Prefix(scope)));
  Json items = Json::array();
  for (const auto& [store_key, alias] : docs) {
    std::string target = alias.value("TargetKeyId", "");
    if (!only_key.empty() && target != only_key) {
      continue;
    }
    SERVICE_ASSIGN_OR_RETURN(std::optional<Key> key, LoadKeyById(txn, scope, target));
    if (key) {
      items.push_back(alias);
    }
  }
  return Page(items, call.input, "Aliases");
}

// ---- Policies and rotation -----------------------------------------------------------------

namespace {

ServiceStatus CheckPolicyName(const Json& input) {
  std::string name =
      Has(input, "PolicyName") ? StringMember(input, "PolicyName") : std::string("default");
  if (name != "default") {
    return KmsError("NotFoundException", fmt::format("No such policy exists: {}", name));
  }
  return {};
}

}  // namespace

ServiceResult KmsService::GetKeyPolicy(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
  SERVICE_RETURN_IF_ERROR(CheckPolicyName(call.input));
  return Json{{"Policy", key.doc.value("_policy", "")}};
}

ServiceResult KmsService::PutKeyPolicy(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
  SERVICE_RETURN_IF_ERROR(CheckPolicyName(call.input));
  SERVICE_RETURN_IF_ERROR(CheckNotPendingDeletion(key));
  std::string policy = StringMember(call.input, "Policy");
  SERVICE_RETURN_IF_ERROR(CheckPolicy(policy));
  key.doc["_policy"] = policy;
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::ListKeyPolicies(const ServiceCall& call, CallTxn& txn) {
  SERVICE_RETURN_IF_ERROR(KeyNamed(txn, call));
  return Json{{"PolicyNames", Json::array({"default"})}, {"Truncated", false}};
}

ServiceResult KmsService::EnableKeyRotation(const ServiceCall& call, CallTxn& txn) {
  int64_t days = kDefaultRotationDays;
  if (Has(call.input, "RotationPeriodInDays")) {
    days = IntMember(call.input, "RotationPeriodInDays").value_or(0);
    SERVICE_RETURN_IF_ERROR(CheckRange("rotationPeriodInDays", days, 90, 2560));
  }
  SERVICE_ASSIGN_OR_RETURN(Key key, UsableKey(txn, call));
  Json& rotation = key.doc["_rotation"];
  if (!rotation.value("enabled", false) || rotation.value("period_days", int64_t{0}) != days) {
    rotation["enabled"] = true;
    rotation["period_days"] = days;
    rotation["next"] = NowSeconds(context_.clock) + days * kDay;
  }
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::DisableKeyRotation(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, UsableKey(txn, call));
  if (key.doc.value("KeyManager", "") == "AWS") {
    return KmsError("UnsupportedOperationException",
                    ArnOf(key) + " is an AWS managed key; its rotation cannot be changed.");
  }
  key.doc["_rotation"]["enabled"] = false;
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::GetKeyRotationStatus(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call));
  return Json{{"KeyRotationEnabled", key.doc["_rotation"].value("enabled", false)}};
}

// ---- Cryptographic operations --------------------------------------------------------------

ServiceOr<std::string> KmsService::SealWith(const Key& key, std::string_view plaintext,
                                            const EncryptionContext& context) {
  const Json& versions = key.doc["_versions"];
  if (!versions.is_array() || versions.empty()) {
    return Internal(ArnOf(key) + " has no key material");
  }
  uint32_t version = static_cast<uint32_t>(versions.size() - 1);
  SERVICE_ASSIGN_OR_RETURN(std::string material, Material(key, version));
  SERVICE_ASSIGN_OR_RETURN(
      std::string blob,
      SealBlob(BlobHeader{key.doc.value("KeyId", ""), version}, material, plaintext, context));
  return blob;
}

ServiceOr<KmsService::Opened> KmsService::OpenBlobIn(CallTxn& txn, const KeyScope& scope,
                                                     std::string_view blob,
                                                     const EncryptionContext& context,
                                                     const Key* expected) {
  std::optional<BlobHeader> header = PeekBlob(blob);
  if (!header || !IsUuid(header->key_id)) {
    return KmsError("InvalidCiphertextException", "");
  }
  if (expected != nullptr && expected->doc.value("KeyId", "") != header->key_id) {
    return KmsError("IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this "
                    "operation.");
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Key> key, LoadKeyById(txn, scope, header->key_id));
  if (!key) {
    return KmsError("InvalidCiphertextException", "");
  }
  SERVICE_RETURN_IF_ERROR(CheckUsable(*key));
  if (header->version >= key->doc["_versions"].size()) {
    return KmsError("InvalidCiphertextException", "");
  }
  SERVICE_ASSIGN_OR_RETURN(std::string material, Material(*key, header->version));
  std::optional<std::string> opened = OpenBlob(blob, material, context);
  if (!opened) {
    return KmsError("InvalidCiphertextException", "");
  }
  return Opened{std::move(*key), std::move(*opened)};
}

ServiceOr<KmsService::Opened> KmsService::OpenBlobOf(CallTxn& txn, const ServiceCall& call,
                                                     const char* key_member,
                                                     const char* context_member) {
  std::optional<Key> expected;
  if (Has(call.input, key_member)) {
    SERVICE_ASSIGN_OR_RETURN(expected, KeyNamed(txn, call, key_member));
  }
  return OpenBlobIn(txn, ScopeOf(call), StringMember(call.input, "CiphertextBlob"),
                    ContextMember(call.input, context_member), expected ? &*expected : nullptr);
}

ServiceOr<std::string> KmsService::ResolveKeyArn(CallTxn& txn, const KeyScope& scope,
                                                 const std::string& key_id) {
  SERVICE_ASSIGN_OR_RETURN(Key key, FindKey(txn, scope, key_id));
  return ArnOf(key);
}

ServiceOr<std::string> KmsService::Encrypt(CallTxn& txn, const KeyScope& scope,
                                           const std::string& key_id, std::string_view plaintext,
                                           const EncryptionContext& context) {
  SERVICE_ASSIGN_OR_RETURN(Key key, FindKey(txn, scope, key_id));
  SERVICE_RETURN_IF_ERROR(CheckUsable(key));
  return SealWith(key, plaintext, context);
}

ServiceOr<KeyVault::Decrypted> KmsService::Decrypt(CallTxn& txn, const KeyScope& scope,
                                                   std::string_view blob,
                                                   const EncryptionContext& context) {
  SERVICE_ASSIGN_OR_RETURN(Opened opened, OpenBlobIn(txn, scope, blob, context, nullptr));
  return Decrypted{ArnOf(opened.key), std::move(opened.plaintext)};
}

namespace {

ServiceStatus CheckAlgorithm(const Json& input, const char* member) {
  if (Has(input, member) && StringMember(input, member) != "SYMMETRIC_DEFAULT") {
    return KmsError("InvalidKeyUsageException",
                    fmt::format("Algorithm {} is incompatible with a symmetric key",
                                StringMember(input, member)));
  }
  return {};
}

}  // namespace

ServiceResult KmsService::EncryptOp(const ServiceCall& call, CallTxn& txn) {
  SERVICE_RETURN_IF_ERROR(CheckAlgorithm(call.input, "EncryptionAlgorithm"));
  KeyScope scope = ScopeOf(call);
  SERVICE_ASSIGN_OR_RETURN(
      std::string ciphertext,
      Encrypt(txn, scope, StringMember(call.input, "KeyId"), StringMember(call.input, "Plaintext"),
              ContextMember(call.input, "EncryptionContext")));
  std::optional<BlobHeader> header = PeekBlob(ciphertext);
  return Json{{"CiphertextBlob", ciphertext},
              {"KeyId", KeyArn(scope, header->key_id)},
              {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
}

ServiceResult KmsService::DecryptOp(const ServiceCall& call, CallTxn& txn) {
  SERVICE_RETURN_IF_ERROR(CheckAlgorithm(call.input, "EncryptionAlgorithm"));
  SERVICE_ASSIGN_OR_RETURN(Opened opened, OpenBlobOf(txn, call, "KeyId", "EncryptionContext"));
  return Json{{"KeyId", ArnOf(opened.key)},
              {"Plaintext", opened.plaintext},
              {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
}

namespace {

// The data key length GenerateDataKey* asks for, or an error.
ServiceOr<size_t> DataKeyBytes(const Json& input) {
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
  SERVICE_RETURN_IF_ERROR(CheckByteCount(n));
  return static_cast<size_t>(n);
}

}  // namespace

ServiceResult KmsService::GenerateDataKey(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(size_t bytes, DataKeyBytes(call.input));
  SERVICE_ASSIGN_OR_RETURN(Key key, UsableKey(txn, call));
  SERVICE_ASSIGN_OR_RETURN(std::string data_key, RandomBytes(bytes));
  SERVICE_ASSIGN_OR_RETURN(std::string blob,
                           SealWith(key, data_key, ContextMember(call.input, "EncryptionContext")));
  return Json{{"CiphertextBlob", blob}, {"Plaintext", data_key}, {"KeyId", ArnOf(key)}};
}

ServiceResult KmsService::GenerateDataKeyWithoutPlaintext(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json out, GenerateDataKey(call, txn));
  out.erase("Plaintext");
  return out;
}

ServiceResult KmsService::ReEncrypt(const ServiceCall& call, CallTxn& txn) {
  SERVICE_RETURN_IF_ERROR(CheckAlgorithm(call.input, "SourceEncryptionAlgorithm"));
  SERVICE_RETURN_IF_ERROR(CheckAlgorithm(call.input, "DestinationEncryptionAlgorithm"));
  SERVICE_ASSIGN_OR_RETURN(Opened source,
                           OpenBlobOf(txn, call, "SourceKeyId", "SourceEncryptionContext"));
  SERVICE_ASSIGN_OR_RETURN(Key destination, UsableKey(txn, call, "DestinationKeyId"));
  SERVICE_ASSIGN_OR_RETURN(std::string blob,
                           SealWith(destination, source.plaintext,
                                    ContextMember(call.input, "DestinationEncryptionContext")));
  return Json{{"CiphertextBlob", blob},
              {"SourceKeyId", ArnOf(source.key)},
              {"KeyId", ArnOf(destination)},
              {"SourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT"},
              {"DestinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
}

ServiceResult KmsService::GenerateRandom(const ServiceCall& call, CallTxn&) {
  if (Has(call.input, "CustomKeyStoreId")) {
    return KmsError("CustomKeyStoreNotFoundException",
                    "Custom key stores are not supported by the clusterform local cloud");
  }
  std::optional<int64_t> n = IntMember(call.input, "NumberOfBytes");
  if (!n) {
    return Validation("Please specify number of bytes.");
  }
  SERVICE_RETURN_IF_ERROR(CheckByteCount(*n));
  SERVICE_ASSIGN_OR_RETURN(std::string bytes, RandomBytes(static_cast<size_t>(*n)));
  return Json{{"Plaintext", bytes}};
}

// ---- Grants --------------------------------------------------------------------------------

namespace {

Json VisibleGrant(Json grant) {
  grant.erase("_token");
  return grant;
}

}  // namespace

ServiceResult KmsService::CreateGrant(const ServiceCall& call, CallTxn& txn) {
  KeyScope scope = ScopeOf(call);
  SERVICE_ASSIGN_OR_RETURN(Key key, UsableKey(txn, call));
  std::string key_id = key.doc.value("KeyId", "");
  std::string grant_prefix = Prefix(scope) + key_id + "/";
  std::string name = StringMember(call.input, "Name");
  if (!name.empty()) {
    SERVICE_ASSIGN_OR_RETURN(auto grants, txn.List(kGrants, grant_prefix));
    for (const auto& [store_key, grant] : grants) {
      if (grant.value("Name", "") == name &&
          grant.value("GranteePrincipal", "") == StringMember(call.input, "GranteePrincipal") &&
          grant["Operations"] == call.input.value("Operations", Json::array())) {
        return Json{{"GrantToken", grant["_token"]}, {"GrantId", grant["GrantId"]}};
      }
    }
  }
  SERVICE_ASSIGN_OR_RETURN(std::string id_bytes, RandomBytes(32));
  SERVICE_ASSIGN_OR_RETURN(std::string token_bytes, RandomBytes(96));
  std::string grant_id = HexEncode(id_bytes);
  Json grant = {{"KeyId", ArnOf(key)},
                {"GrantId", grant_id},
                {"CreationDate", NowSeconds(context_.clock)},
                {"GranteePrincipal", StringMember(call.input, "GranteePrincipal")},
                {"IssuingAccount", fmt::format("arn:aws:iam::{}:root", scope.account_id)},
                {"Operations", call.input.value("Operations", Json::array())},
                {"_token", Base64Encode(token_bytes)}};
  if (!name.empty()) {
    grant["Name"] = name;
  }
  if (Has(call.input, "RetiringPrincipal")) {
    grant["RetiringPrincipal"] = StringMember(call.input, "RetiringPrincipal");
  }
  if (Has(call.input, "Constraints")) {
    grant["Constraints"] = call.input["Constraints"];
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kGrants, grant_prefix + grant_id, grant));
  return Json{{"GrantToken", grant["_token"]}, {"GrantId", grant_id}};
}

ServiceResult KmsService::ListGrants(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
  SERVICE_ASSIGN_OR_RETURN(
      auto grants, txn.List(kGrants, Prefix(ScopeOf(call)) + key.doc.value("KeyId", "") + "/"));
  std::string grant_id = StringMember(call.input, "GrantId");
  std::string grantee = StringMember(call.input, "GranteePrincipal");
  Json items = Json::array();
  for (const auto& [store_key, grant] : grants) {
    if ((!grant_id.empty() && grant.value("GrantId", "") != grant_id) ||
        (!grantee.empty() && grant.value("GranteePrincipal", "") != grantee)) {
      continue;
    }
    items.push_back(VisibleGrant(grant));
  }
  return Page(items, call.input, "Grants");
}

ServiceResult KmsService::ListRetirableGrants(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto grants, txn.List(kGrants, Prefix(ScopeOf(call))));
  std::string retiring = StringMember(call.input, "RetiringPrincipal");
  Json items = Json::array();
  for (const auto& [store_key, grant] : grants) {
    if (grant.value("RetiringPrincipal", "") == retiring) {
      items.push_back(VisibleGrant(grant));
    }
  }
  return Page(items, call.input, "Grants");
}

ServiceResult KmsService::DeleteGrantOf(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
  std::string grant_id = StringMember(call.input, "GrantId");
  std::string store_key = Prefix(ScopeOf(call)) + key.doc.value("KeyId", "") + "/" + grant_id;
  SERVICE_RETURN_IF_ERROR(
      txn.Require(kGrants, store_key,
                  KmsError("NotFoundException", fmt::format("Grant ID {} not found", grant_id))));
  SERVICE_RETURN_IF_ERROR(txn.Delete(kGrants, store_key));
  return Json::object();
}

ServiceResult KmsService::RetireGrant(const ServiceCall& call, CallTxn& txn) {
  std::string token = StringMember(call.input, "GrantToken");
  if (token.empty() && (StringMember(call.input, "GrantId").empty() || !Has(call.input, "KeyId"))) {
    return Validation("Either GrantToken, or both KeyId and GrantId must be specified.");
  }
  if (token.empty()) {
    return DeleteGrantOf(call, txn);
  }
  SERVICE_ASSIGN_OR_RETURN(auto grants, txn.List(kGrants, Prefix(ScopeOf(call))));
  for (const auto& [store_key, grant] : grants) {
    if (grant.value("_token", "") == token) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(kGrants, store_key));
      return Json::object();
    }
  }
  return KmsError("InvalidGrantTokenException", "Grant token is not valid.");
}

ServiceResult KmsService::RevokeGrant(const ServiceCall& call, CallTxn& txn) {
  return DeleteGrantOf(call, txn);
}

// ---- Tags ----------------------------------------------------------------------------------

ServiceResult KmsService::TagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call));
  Json tags = call.input.value("Tags", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckTags(tags));
  key.doc["_tags"] = MergeTags(key.doc.value("_tags", Json::array()), tags);
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::UntagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, ChangeableKey(txn, call));
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
  return SaveKey(txn, key, Json::object());
}

ServiceResult KmsService::ListResourceTags(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Key key, KeyNamed(txn, call));
  return Page(key.doc.value("_tags", Json::array()), call.input, "Tags");
}

}  // namespace cf::cloud::kms
