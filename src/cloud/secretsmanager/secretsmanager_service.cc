#include "cloud/secretsmanager/secretsmanager_service.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <set>

#include "base/base64.h"
#include "base/crypto.h"
#include "cloud/core/ids.h"

namespace cf::cloud::secretsmanager {

namespace {

constexpr int64_t kDay = 86400;
constexpr char kSecrets[] = "secretsmanager/secrets";
constexpr char kDefaultKey[] = "alias/aws/secretsmanager";
constexpr char kCurrent[] = "AWSCURRENT";
constexpr char kPrevious[] = "AWSPREVIOUS";
constexpr size_t kMaxDeprecatedVersions = 100;

ServiceError SmError(std::string code, std::string message, int status = 400) {
  return ServiceError{std::move(code), std::move(message), status, true};
}

ServiceError Internal(std::string message) {
  return ServiceError{"InternalServiceError", std::move(message), 500, false};
}

ServiceError InvalidParameter(std::string message) {
  return SmError("InvalidParameterException", std::move(message));
}

ServiceError NotFound() {
  return SmError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
}

ServiceError MarkedForDeletion() {
  return SmError("InvalidRequestException",
                 "You can't perform this operation on the secret because it was marked for "
                 "deletion.");
}

std::string Prefix(const ServiceCall& call) {
  return call.account_id + "/" + call.region + "/";
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

bool BoolMember(const Json& input, const char* name, bool fallback) {
  auto it = input.find(name);
  if (it != input.end() && it->is_boolean()) {
    return it->get<bool>();
  }
  return fallback;
}

std::optional<int64_t> IntMember(const Json& input, const char* name) {
  auto it = input.find(name);
  if (it != input.end() && it->is_number_integer()) {
    return it->get<int64_t>();
  }
  return {};
}

int64_t NowSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

bool Marked(const Json& doc) {
  return doc.contains("DeletedDate");
}

// Versions in creation order (ties by id).
std::vector<std::string> VersionOrder(const Json& versions) {
  std::vector<std::pair<int64_t, std::string>> order;
  for (const auto& [id, v] : versions.items()) {
    order.emplace_back(v.value("created", int64_t{0}), id);
  }
  std::sort(order.begin(), order.end());
  std::vector<std::string> out;
  for (auto& [created, id] : order) {
    out.push_back(id);
  }
  return out;
}

bool HasStage(const Json& version, const std::string& stage) {
  for (const Json& s : version.value("stages", Json::array())) {
    if (s == stage) {
      return true;
    }
  }
  return false;
}

void RemoveStage(Json& version, const std::string& stage) {
  Json kept = Json::array();
  for (const Json& s : version.value("stages", Json::array())) {
    if (s != stage) {
      kept.push_back(s);
    }
  }
  version["stages"] = kept;
}

// The version holding `stage`; empty when none does.
std::string StageHolder(const Json& versions, const std::string& stage) {
  for (const auto& [id, v] : versions.items()) {
    if (HasStage(v, stage)) {
      return id;
    }
  }
  return "";
}

// Moves `stage` onto version `to`; moving AWSCURRENT labels the version that had it
// AWSPREVIOUS.
void MoveStage(Json& versions, const std::string& stage, const std::string& to) {
  std::string from = StageHolder(versions, stage);
  if (!from.empty()) {
    RemoveStage(versions[from], stage);
  }
  if (!HasStage(versions[to], stage)) {
    versions[to]["stages"].push_back(stage);
  }
  if (stage == kCurrent && !from.empty() && from != to) {
    std::string previous = StageHolder(versions, kPrevious);
    if (!previous.empty()) {
      RemoveStage(versions[previous], kPrevious);
    }
    versions[from]["stages"].push_back(kPrevious);
  }
}

Json VersionsToStages(const Json& versions) {
  Json out = Json::object();
  for (const auto& [id, v] : versions.items()) {
    if (!v.value("stages", Json::array()).empty()) {
      out[id] = v["stages"];
    }
  }
  return out;
}

// What DescribeSecret and ListSecrets show of a secret.
Json Visible(const Json& doc, const char* stages_member) {
  Json out = Json::object();
  for (const char* name : {"ARN", "Name", "Description", "KmsKeyId", "LastChangedDate",
                           "LastAccessedDate", "DeletedDate", "CreatedDate"}) {
    if (doc.contains(name)) {
      out[name] = doc[name];
    }
  }
  out["RotationEnabled"] = false;
  Json tags = doc.value("Tags", Json::array());
  if (!tags.empty()) {
    out["Tags"] = tags;
  }
  Json stages = VersionsToStages(doc.value("_versions", Json::object()));
  if (!stages.empty()) {
    out[stages_member] = stages;
  }
  return out;
}

Json MergeTags(Json tags, const Json& add) {
  if (!tags.is_array()) {
    tags = Json::array();
  }
  for (const Json& tag : add) {
    bool replaced = false;
    for (Json& existing : tags) {
      if (existing["Key"] == tag.at("Key")) {
        existing["Value"] = tag.value("Value", "");
        replaced = true;
      }
    }
    if (!replaced) {
      tags.push_back({{"Key", tag.value("Key", "")}, {"Value", tag.value("Value", "")}});
    }
  }
  return tags;
}

ServiceStatus CheckTags(const Json& tags) {
  for (const Json& tag : tags) {
    if (StartsWith(tag.value("Key", ""), "aws:")) {
      return InvalidParameter("Invalid tag key: the aws: prefix is reserved for AWS use.");
    }
  }
  return {};
}

// Offset pagination shared by the List operations.
ServiceOr<std::pair<size_t, size_t>> PageBounds(const Json& input, size_t total) {
  int64_t max = IntMember(input, "MaxResults").value_or(100);
  size_t start = 0;
  if (Has(input, "NextToken")) {
    std::string token = StringMember(input, "NextToken");
    try {
      size_t used = 0;
      start = std::stoul(token, &used);
      if (used != token.size() || start > total) {
        throw std::invalid_argument(token);
      }
    } catch (const std::exception&) {
      return SmError("InvalidNextTokenException", "The NextToken value is invalid.");
    }
  }
  size_t end = std::min(total, start + static_cast<size_t>(std::max<int64_t>(max, 1)));
  return std::make_pair(start, end);
}

kms::EncryptionContext SecretContext(const Json& doc, const std::string& version_id) {
  return {{"SecretARN", doc.value("ARN", "")}, {"SecretVersionId", version_id}};
}

kms::KeyScope Scope(const ServiceCall& call) {
  return kms::KeyScope{call.account_id, call.region};
}

std::string KeyRef(const Json& doc) {
  return doc.value("KmsKeyId", std::string(kDefaultKey));
}

}  // namespace

const OperationTable<SecretsManagerService>& SecretsManagerService::Operations() {
  static const OperationTable<SecretsManagerService> kTable(
      {
          {"CreateSecret", &SecretsManagerService::CreateSecret},
          {"DescribeSecret", &SecretsManagerService::DescribeSecret},
          {"GetSecretValue", &SecretsManagerService::GetSecretValue},
          {"PutSecretValue", &SecretsManagerService::PutSecretValue},
          {"UpdateSecret", &SecretsManagerService::UpdateSecret},
          {"UpdateSecretVersionStage", &SecretsManagerService::UpdateSecretVersionStage},
          {"ListSecretVersionIds", &SecretsManagerService::ListSecretVersionIds},
          {"DeleteSecret", &SecretsManagerService::DeleteSecret},
          {"RestoreSecret", &SecretsManagerService::RestoreSecret},
          {"ListSecrets", &SecretsManagerService::ListSecrets},
          {"GetResourcePolicy", &SecretsManagerService::GetResourcePolicy},
          {"PutResourcePolicy", &SecretsManagerService::PutResourcePolicy},
          {"DeleteResourcePolicy", &SecretsManagerService::DeleteResourcePolicy},
          {"ValidateResourcePolicy", &SecretsManagerService::ValidateResourcePolicy},
          {"TagResource", &SecretsManagerService::TagResource},
          {"UntagResource", &SecretsManagerService::UntagResource},
          {"GetRandomPassword", &SecretsManagerService::GetRandomPassword},
      },
      // A failed call keeps nothing (expired secrets are removed again next time).
      {.internal_error = Internal, .invalid_input = InvalidParameter});
  return kTable;
}

ServiceOr<SecretsManagerService::Secret> SecretsManagerService::FindSecret(
    CallTxn& txn, const ServiceCall& call, const std::string& secret_id) {
  std::string prefix = Prefix(call);
  Secret secret;
  std::optional<Json> found;
  if (StartsWith(secret_id, "arn:")) {
    SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kSecrets, prefix));
    for (auto& [key, doc] : all) {
      std::string arn = doc.value("ARN", "");
      if (arn == secret_id || (arn.size() > 7 && arn.substr(0, arn.size() - 7) == secret_id)) {
        secret.store_key = key;
        found = std::move(doc);
        break;
      }
    }
  } else {
    secret.store_key = prefix + secret_id;
    SERVICE_ASSIGN_OR_RETURN(found, txn.Get(kSecrets, secret.store_key));
  }
  if (!found) {
    return NotFound();
  }
  secret.doc = std::move(*found);
  if (secret.doc.contains("_deletion_at") &&
      secret.doc["_deletion_at"].get<int64_t>() <= NowSeconds(context_.clock)) {
    SERVICE_RETURN_IF_ERROR(txn.Delete(kSecrets, secret.store_key));
    return NotFound();
  }
  return secret;
}

ServiceOr<SecretsManagerService::Secret> SecretsManagerService::FindLiveSecret(
    CallTxn& txn, const ServiceCall& call) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret,
                           FindSecret(txn, call, StringMember(call.input, "SecretId")));
  if (Marked(secret.doc)) {
    return MarkedForDeletion();
  }
  return secret;
}

ServiceOr<Json> SecretsManagerService::ReadValue(CallTxn& txn, const ServiceCall& call,
                                                 const Secret& secret,
                                                 const std::string& version_id) {
  const Json& version = secret.doc["_versions"][version_id];
  std::optional<std::string> blob = Base64Decode(version.value("blob", std::string()));
  if (!blob) {
    return Internal("stored secret version is not base64");
  }
  ServiceOr<kms::KeyVault::Decrypted> decrypted =
      vault_.Decrypt(txn, Scope(call), *blob, SecretContext(secret.doc, version_id));
  if (!decrypted.ok()) {
    return SmError("DecryptionFailure",
                   "Secrets Manager can't decrypt the protected secret text using the provided "
                   "KMS key. (" +
                       decrypted.error().code + ": " + decrypted.error().message + ")");
  }
  Json out = Json::object();
  out[version.value("binary", false) ? "SecretBinary" : "SecretString"] =
      std::move(decrypted->plaintext);
  return out;
}

ServiceStatus SecretsManagerService::CheckKey(CallTxn& txn, const ServiceCall& call,
                                              const std::string& key) {
  ServiceOr<std::string> resolved = vault_.ResolveKeyArn(txn, Scope(call), key);
  if (!resolved.ok()) {
    return SmError("EncryptionFailure",
                   fmt::format("Secrets Manager can't use the KMS key {}. ({}: {})", key,
                               resolved.error().code, resolved.error().message));
  }
  return {};
}

ServiceStatus SecretsManagerService::AddVersion(CallTxn& txn, const ServiceCall& call,
                                                Secret& secret, const std::string& version_id,
                                                const Json& stages) {
  const Json& in = call.input;
  bool binary = Has(in, "SecretBinary");
  if (binary && Has(in, "SecretString")) {
    return InvalidParameter(
        "You can't specify both a binary secret value and a string secret value in the same "
        "secret.");
  }
  std::string value = StringMember(in, binary ? "SecretBinary" : "SecretString");
  Json& versions = secret.doc["_versions"];
  if (!versions.is_object()) {
    versions = Json::object();
  }
  if (versions.contains(version_id)) {
    SERVICE_ASSIGN_OR_RETURN(Json existing, ReadValue(txn, call, secret, version_id));
    const char* member = binary ? "SecretBinary" : "SecretString";
    if (existing.contains(member) && existing[member] == value) {
      return {};
    }
    return SmError("ResourceExistsException",
                   "You can't modify an existing version, you can only create a new version.");
  }
  ServiceOr<std::string> blob = vault_.Encrypt(txn, Scope(call), KeyRef(secret.doc), value,
                                               SecretContext(secret.doc, version_id));
  if (!blob.ok()) {
    return SmError("EncryptionFailure",
                   "Secrets Manager can't encrypt the protected secret text using the provided "
                   "KMS key. (" +
                       blob.error().code + ": " + blob.error().message + ")");
  }
  ServiceOr<std::string> key_arn = vault_.ResolveKeyArn(txn, Scope(call), KeyRef(secret.doc));
  int64_t now = NowSeconds(context_.clock);
  versions[version_id] = {{"stages", Json::array()},
                          {"created", now},
                          {"binary", binary},
                          {"kms_key_arn", key_arn.ok() ? *key_arn : ""},
                          {"blob", Base64Encode(*blob)}};
  for (const Json& stage : stages) {
    MoveStage(versions, stage.get<std::string>(), version_id);
  }
  // Like AWS, keep at most kMaxDeprecatedVersions versions without a label (oldest go).
  std::vector<std::string> unlabelled;
  for (const std::string& id : VersionOrder(versions)) {
    if (versions[id].value("stages", Json::array()).empty()) {
      unlabelled.push_back(id);
    }
  }
  for (size_t i = 0; i + kMaxDeprecatedVersions < unlabelled.size(); ++i) {
    versions.erase(unlabelled[i]);
  }
  secret.doc["LastChangedDate"] = now;
  return {};
}

// ---- Operations ----------------------------------------------------------------------------

ServiceResult SecretsManagerService::CreateSecret(const ServiceCall& call, CallTxn& txn) {
  const Json& in = call.input;
  std::string name = StringMember(in, "Name");
  static const std::regex kName("[A-Za-z0-9/_+=.@-]+");
  if (!std::regex_match(name, kName)) {
    return InvalidParameter(
        "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
        "following: -/_+=.@!");
  }
  if (Has(in, "SecretString") && Has(in, "SecretBinary")) {
    return InvalidParameter(
        "You can't specify both a binary secret value and a string secret value in the same "
        "secret.");
  }
  std::string version_id = Has(in, "ClientRequestToken") ? StringMember(in, "ClientRequestToken")
                                                         : context_.ids.RequestId();
  bool has_value = Has(in, "SecretString") || Has(in, "SecretBinary");
  Secret secret;
  secret.store_key = Prefix(call) + name;
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kSecrets, secret.store_key));
  if (existing) {
    ServiceOr<Secret> lookup = FindSecret(txn, call, name);
    if (lookup.ok()) {
      Secret& old = *lookup;
      if (Marked(old.doc)) {
        return SmError("InvalidRequestException",
                       "You can't create this secret because a secret with this name is already "
                       "scheduled for deletion.");
      }
      // The same request again (same token, same value) succeeds without a change.
      if (has_value && old.doc["_versions"].contains(version_id)) {
        SERVICE_RETURN_IF_ERROR(AddVersion(txn, call, old, version_id, Json::array()));
        return Json{{"ARN", old.doc["ARN"]}, {"Name", name}, {"VersionId", version_id}};
      }
      return SmError(
          "ResourceExistsException",
          fmt::format("The operation failed because the secret {} already exists.", name));
    }
    if (lookup.error().code != "ResourceNotFoundException") {
      return lookup.error();
    }
  }
  Json tags = in.value("Tags", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckTags(tags));
  SERVICE_ASSIGN_OR_RETURN(std::string suffix_bytes, RandomBytes(6));
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (unsigned char c : suffix_bytes) {
    suffix.push_back(kAlnum[c % 62]);
  }
  int64_t now = NowSeconds(context_.clock);
  secret.doc = {
      {"ARN", Arn("secretsmanager", call.region, call.account_id, "secret:" + name + "-" + suffix)},
      {"Name", name},
      {"CreatedDate", now},
      {"LastChangedDate", now},
      {"Tags", MergeTags(Json::array(), tags)},
      {"_versions", Json::object()}};
  if (Has(in, "Description")) {
    secret.doc["Description"] = StringMember(in, "Description");
  }
  if (Has(in, "KmsKeyId")) {
    std::string key = StringMember(in, "KmsKeyId");
    SERVICE_RETURN_IF_ERROR(CheckKey(txn, call, key));
    secret.doc["KmsKeyId"] = key;
  }
  Json out = {{"ARN", secret.doc["ARN"]}, {"Name", name}};
  if (has_value) {
    SERVICE_RETURN_IF_ERROR(AddVersion(txn, call, secret, version_id, Json::array({kCurrent})));
    out["VersionId"] = version_id;
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return out;
}

ServiceResult SecretsManagerService::DescribeSecret(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret,
                           FindSecret(txn, call, StringMember(call.input, "SecretId")));
  return Visible(secret.doc, "VersionIdsToStages");
}

ServiceResult SecretsManagerService::GetSecretValue(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  const Json& versions = secret.doc["_versions"];
  std::string version_id = StringMember(call.input, "VersionId");
  std::string stage = StringMember(call.input, "VersionStage");
  if (!version_id.empty()) {
    if (!versions.contains(version_id)) {
      return SmError(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret value for VersionId: " + version_id);
    }
    if (!stage.empty() && !HasStage(versions[version_id], stage)) {
      return InvalidParameter(fmt::format(
          "You provided a VersionStage that is not associated to the provided VersionId."));
    }
  } else {
    if (stage.empty()) {
      stage = kCurrent;
    }
    version_id = StageHolder(versions, stage);
    if (version_id.empty()) {
      return SmError(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret value for staging label: " + stage);
    }
  }
  SERVICE_ASSIGN_OR_RETURN(Json out, ReadValue(txn, call, secret, version_id));
  const Json& version = versions[version_id];
  out["ARN"] = secret.doc["ARN"];
  out["Name"] = secret.doc["Name"];
  out["VersionId"] = version_id;
  out["VersionStages"] = version["stages"];
  out["CreatedDate"] = version["created"];
  int64_t now = NowSeconds(context_.clock);
  secret.doc["LastAccessedDate"] = now - now % kDay;
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return out;
}

ServiceResult SecretsManagerService::PutSecretValue(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  if (!Has(call.input, "SecretString") && !Has(call.input, "SecretBinary")) {
    return InvalidParameter("You must provide either SecretString or SecretBinary.");
  }
  std::string version_id = Has(call.input, "ClientRequestToken")
                               ? StringMember(call.input, "ClientRequestToken")
                               : context_.ids.RequestId();
  Json stages = call.input.value("VersionStages", Json::array({kCurrent}));
  SERVICE_RETURN_IF_ERROR(AddVersion(txn, call, secret, version_id, stages));
  Json out = {{"ARN", secret.doc["ARN"]},
              {"Name", secret.doc["Name"]},
              {"VersionId", version_id},
              {"VersionStages", secret.doc["_versions"][version_id]["stages"]}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return out;
}

ServiceResult SecretsManagerService::UpdateSecret(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  const Json& in = call.input;
  int64_t now = NowSeconds(context_.clock);
  if (Has(in, "Description")) {
    secret.doc["Description"] = StringMember(in, "Description");
    secret.doc["LastChangedDate"] = now;
  }
  if (Has(in, "KmsKeyId")) {
    std::string key = StringMember(in, "KmsKeyId");
    SERVICE_RETURN_IF_ERROR(CheckKey(txn, call, key));
    secret.doc["KmsKeyId"] = key;
    secret.doc["LastChangedDate"] = now;
  }
  Json out = {{"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}};
  if (Has(in, "SecretString") || Has(in, "SecretBinary")) {
    std::string version_id = Has(in, "ClientRequestToken") ? StringMember(in, "ClientRequestToken")
                                                           : context_.ids.RequestId();
    SERVICE_RETURN_IF_ERROR(AddVersion(txn, call, secret, version_id, Json::array({kCurrent})));
    out["VersionId"] = version_id;
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return out;
}

ServiceResult SecretsManagerService::UpdateSecretVersionStage(const ServiceCall& call,
                                                              CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  Json& versions = secret.doc["_versions"];
  std::string stage = StringMember(call.input, "VersionStage");
  std::string remove_from = StringMember(call.input, "RemoveFromVersionId");
  std::string move_to = StringMember(call.input, "MoveToVersionId");
  for (const std::string& id : {remove_from, move_to}) {
    if (!id.empty() && !versions.contains(id)) {
      return InvalidParameter(fmt::format("The version {} doesn't exist.", id));
    }
  }
  std::string holder = StageHolder(versions, stage);
  if (!move_to.empty()) {
    if (!holder.empty() && holder != move_to && remove_from != holder) {
      return InvalidParameter(fmt::format(
          "The parameter RemoveFromVersionId can't be empty. Staging label {} is currently "
          "attached to version {}, so you must explicitly reference that version in "
          "RemoveFromVersionId.",
          stage, holder));
    }
    MoveStage(versions, stage, move_to);
  } else if (!remove_from.empty()) {
    if (holder != remove_from) {
      return InvalidParameter(
          fmt::format("The staging label {} is not attached to version {}.", stage, remove_from));
    }
    if (stage == kCurrent) {
      return InvalidParameter(
          "You can only move staging label AWSCURRENT to a different secret version. It can't "
          "be completely removed.");
    }
    RemoveStage(versions[remove_from], stage);
  } else {
    return InvalidParameter("You must specify RemoveFromVersionId or MoveToVersionId.");
  }
  secret.doc["LastChangedDate"] = NowSeconds(context_.clock);
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return Json{{"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}};
}

ServiceResult SecretsManagerService::ListSecretVersionIds(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret,
                           FindSecret(txn, call, StringMember(call.input, "SecretId")));
  bool deprecated = BoolMember(call.input, "IncludeDeprecated", false);
  const Json& versions = secret.doc["_versions"];
  Json items = Json::array();
  for (const std::string& id : VersionOrder(versions)) {
    const Json& v = versions[id];
    if (!deprecated && v.value("stages", Json::array()).empty()) {
      continue;
    }
    Json entry = {{"VersionId", id}, {"VersionStages", v["stages"]}, {"CreatedDate", v["created"]}};
    if (!v.value("kms_key_arn", "").empty()) {
      entry["KmsKeyIds"] = Json::array({v["kms_key_arn"]});
    }
    items.push_back(entry);
  }
  SERVICE_ASSIGN_OR_RETURN(auto bounds, PageBounds(call.input, items.size()));
  auto [start, end] = bounds;
  Json out = {
      {"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}, {"Versions", Json::array()}};
  for (size_t i = start; i < end; ++i) {
    out["Versions"].push_back(items[i]);
  }
  if (end < items.size()) {
    out["NextToken"] = std::to_string(end);
  }
  return out;
}

ServiceResult SecretsManagerService::DeleteSecret(const ServiceCall& call, CallTxn& txn) {
  bool force = BoolMember(call.input, "ForceDeleteWithoutRecovery", false);
  bool has_window = Has(call.input, "RecoveryWindowInDays");
  if (force && has_window) {
    return InvalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  int64_t days = has_window ? IntMember(call.input, "RecoveryWindowInDays").value_or(0) : 30;
  if (days < 7 || days > 30) {
    return InvalidParameter(
        "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
  }
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  int64_t now = NowSeconds(context_.clock);
  Json out = {{"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}};
  if (force) {
    out["DeletionDate"] = now;
    SERVICE_RETURN_IF_ERROR(txn.Delete(kSecrets, secret.store_key));
    return out;
  }
  secret.doc["DeletedDate"] = now;
  secret.doc["_deletion_at"] = now + days * kDay;
  out["DeletionDate"] = now + days * kDay;
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return out;
}

ServiceResult SecretsManagerService::RestoreSecret(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret,
                           FindSecret(txn, call, StringMember(call.input, "SecretId")));
  secret.doc.erase("DeletedDate");
  secret.doc.erase("_deletion_at");
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return Json{{"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}};
}

namespace {

// Whether `doc` passes one ListSecrets filter: any of its plain values matches, and none of
// its "!"-negated values does.
bool Passes(const Json& doc, const std::string& key, const Json& values,
            const std::string& region) {
  auto matches = [&](const std::string& value) {
    auto prefix = [&](const std::string& text, bool fold) {
      return fold ? StartsWith(Lower(text), Lower(value)) : StartsWith(text, value);
    };
    const Json tags = doc.value("Tags", Json::array());
    bool any = false;
    if (key == "name" || key == "all") {
      any = any || prefix(doc.value("Name", ""), key == "all");
    }
    if (key == "description" || key == "all") {
      any = any || prefix(doc.value("Description", ""), true);
    }
    for (const Json& tag : tags) {
      if (key == "tag-key" || key == "all") {
        any = any || prefix(tag.value("Key", ""), key == "all");
      }
      if (key == "tag-value" || key == "all") {
        any = any || prefix(tag.value("Value", ""), key == "all");
      }
    }
    if (key == "primary-region") {
      any = prefix(region, false);
    }
    return any;
  };
  bool has_positive = false;
  bool positive_hit = false;
  for (const Json& v : values) {
    std::string value = v.get<std::string>();
    if (StartsWith(value, "!")) {
      if (matches(value.substr(1))) {
        return false;
      }
    } else {
      has_positive = true;
      positive_hit = positive_hit || matches(value);
    }
  }
  return !has_positive || positive_hit;
}

}  // namespace

ServiceResult SecretsManagerService::ListSecrets(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kSecrets, Prefix(call)));
  Json filters = call.input.value("Filters", Json::array());
  for (const Json& filter : filters) {
    if (!filter.contains("Key") || filter.value("Values", Json::array()).empty()) {
      return InvalidParameter("Invalid filter: each filter needs a Key and at least one value.");
    }
  }
  int64_t now = NowSeconds(context_.clock);
  std::vector<const Json*> kept;
  for (auto& [store_key, doc] : all) {
    if (doc.contains("_deletion_at") && doc["_deletion_at"].get<int64_t>() <= now) {
      SERVICE_RETURN_IF_ERROR(txn.Delete(kSecrets, store_key));
      continue;
    }
    if (Marked(doc)) {
      continue;
    }
    bool pass = true;
    for (const Json& filter : filters) {
      pass = pass && Passes(doc, filter["Key"].get<std::string>(), filter["Values"], call.region);
    }
    if (pass) {
      kept.push_back(&doc);
    }
  }
  bool descending = StringMember(call.input, "SortOrder") == "desc";
  std::stable_sort(kept.begin(), kept.end(), [&](const Json* a, const Json* b) {
    int64_t ca = a->value("CreatedDate", int64_t{0});
    int64_t cb = b->value("CreatedDate", int64_t{0});
    if (ca != cb) {
      return descending ? ca > cb : ca < cb;
    }
    return descending ? a->value("Name", "") > b->value("Name", "")
                      : a->value("Name", "") < b->value("Name", "");
  });
  SERVICE_ASSIGN_OR_RETURN(auto bounds, PageBounds(call.input, kept.size()));
  auto [start, end] = bounds;
  Json out = {{"SecretList", Json::array()}};
  for (size_t i = start; i < end; ++i) {
    out["SecretList"].push_back(Visible(*kept[i], "SecretVersionsToStages"));
  }
  if (end < kept.size()) {
    out["NextToken"] = std::to_string(end);
  }
  return out;
}

namespace {

ServiceStatus CheckPolicy(const std::string& policy) {
  Json parsed = Json::parse(policy, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("Statement")) {
    return SmError("MalformedPolicyDocumentException",
                   "This resource policy contains a syntax error.");
  }
  return {};
}

}  // namespace

ServiceResult SecretsManagerService::GetResourcePolicy(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  Json out = {{"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}};
  if (secret.doc.contains("_policy")) {
    out["ResourcePolicy"] = secret.doc["_policy"];
  }
  return out;
}

ServiceResult SecretsManagerService::PutResourcePolicy(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  std::string policy = StringMember(call.input, "ResourcePolicy");
  SERVICE_RETURN_IF_ERROR(CheckPolicy(policy));
  secret.doc["_policy"] = policy;
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return Json{{"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}};
}

ServiceResult SecretsManagerService::DeleteResourcePolicy(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  secret.doc.erase("_policy");
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return Json{{"ARN", secret.doc["ARN"]}, {"Name", secret.doc["Name"]}};
}

ServiceResult SecretsManagerService::ValidateResourcePolicy(const ServiceCall& call, CallTxn& txn) {
  if (Has(call.input, "SecretId")) {
    SERVICE_RETURN_IF_ERROR(FindLiveSecret(txn, call));
  }
  SERVICE_RETURN_IF_ERROR(CheckPolicy(StringMember(call.input, "ResourcePolicy")));
  return Json{{"PolicyValidationPassed", true}, {"ValidationErrors", Json::array()}};
}

ServiceResult SecretsManagerService::TagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  Json tags = call.input.value("Tags", Json::array());
  SERVICE_RETURN_IF_ERROR(CheckTags(tags));
  secret.doc["Tags"] = MergeTags(secret.doc.value("Tags", Json::array()), tags);
  secret.doc["LastChangedDate"] = NowSeconds(context_.clock);
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return Json::object();
}

ServiceResult SecretsManagerService::UntagResource(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Secret secret, FindLiveSecret(txn, call));
  std::set<std::string> remove;
  for (const Json& k : call.input.value("TagKeys", Json::array())) {
    remove.insert(k.get<std::string>());
  }
  Json kept = Json::array();
  for (const Json& tag : secret.doc.value("Tags", Json::array())) {
    if (remove.count(tag.value("Key", "")) == 0) {
      kept.push_back(tag);
    }
  }
  secret.doc["Tags"] = kept;
  secret.doc["LastChangedDate"] = NowSeconds(context_.clock);
  SERVICE_RETURN_IF_ERROR(txn.Put(kSecrets, secret.store_key, secret.doc));
  return Json::object();
}

ServiceResult SecretsManagerService::GetRandomPassword(const ServiceCall& call, CallTxn&) {
  const Json& in = call.input;
  int64_t length = IntMember(in, "PasswordLength").value_or(32);
  if (length < 1 || length > 4096) {
    return InvalidParameter("Password length must be between 1 and 4096.");
  }
  std::string exclude = StringMember(in, "ExcludeCharacters");
  auto keep = [&](std::string chars) {
    std::string out;
    for (char c : chars) {
      if (exclude.find(c) == std::string::npos) {
        out.push_back(c);
      }
    }
    return out;
  };
  std::vector<std::string> classes;
  if (!BoolMember(in, "ExcludeLowercase", false)) {
    classes.push_back(keep("abcdefghijklmnopqrstuvwxyz"));
  }
  if (!BoolMember(in, "ExcludeUppercase", false)) {
    classes.push_back(keep("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
  }
  if (!BoolMember(in, "ExcludeNumbers", false)) {
    classes.push_back(keep("0123456789"));
  }
  if (!BoolMember(in, "ExcludePunctuation", false)) {
    classes.push_back(keep("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
  }
  if (BoolMember(in, "IncludeSpace", false)) {
    classes.push_back(keep(" "));
  }
  std::erase_if(classes, [](const std::string& c) { return c.empty(); });
  if (classes.empty()) {
    return InvalidParameter("The password can't be generated: every character is excluded.");
  }
  bool each = BoolMember(in, "RequireEachIncludedType", true);
  if (each && static_cast<size_t>(length) < classes.size()) {
    return InvalidParameter(
        "The password length is too short to include a character of each required type.");
  }
  std::string pool;
  for (const std::string& c : classes) {
    pool += c;
  }
  // Uniform picks from the CSPRNG by rejection sampling.
  auto pick = [](size_t n) -> Result<size_t> {
    uint32_t limit = UINT32_MAX - UINT32_MAX % static_cast<uint32_t>(n);
    while (true) {
      ASSIGN_OR_RETURN(std::string bytes, RandomBytes(4));
      uint32_t v = 0;
      for (unsigned char b : bytes) {
        v = (v << 8) | b;
      }
      if (v < limit) {
        return static_cast<size_t>(v % n);
      }
    }
  };
  std::string password;
  if (each) {
    for (const std::string& c : classes) {
      SERVICE_ASSIGN_OR_RETURN(size_t i, pick(c.size()));
      password.push_back(c[i]);
    }
  }
  while (password.size() < static_cast<size_t>(length)) {
    SERVICE_ASSIGN_OR_RETURN(size_t i, pick(pool.size()));
    password.push_back(pool[i]);
  }
  // Fisher-Yates, so the required characters are not always first.
  for (size_t i = password.size(); i > 1; --i) {
    SERVICE_ASSIGN_OR_RETURN(size_t j, pick(i));
    std::swap(password[i - 1], password[j]);
  }
  return Json{{"RandomPassword", password}};
}

}  // namespace cf::cloud::secretsmanager
