#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "base/base64.h"
#include "cloud/iam/aws_managed_policies.h"
#include "cloud/iam/iam_internal.h"
#include "cloud/iam/policy_document.h"

namespace cf::cloud::iam {

namespace {

constexpr size_t kMaxTags = 50;

// "roleName" for "RoleName", as AWS's validation messages spell members.
std::string MemberLabel(std::string_view member) {
  std::string out(member);
  if (!out.empty()) {
    out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  }
  return out;
}

ServiceError Invalid(std::string_view value, std::string_view member, std::string_view rule) {
  return ValidationError(fmt::format(
      "1 validation error detected: Value '{}' at '{}' failed to satisfy constraint: Member {}",
      value, MemberLabel(member), rule));
}

bool PrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x21 && c <= 0x7e; });
}

}  // namespace

std::string EntityKey(std::string_view account, std::string_view name) {
  return std::string(account) + "/" + Lower(name);
}

Result<std::optional<Json>> FindRole(StoreTxn& txn, std::string_view account,
                                     std::string_view name) {
  return txn.Get(kRoleNamespace, EntityKey(account, name));
}

std::optional<Json> Txn::Get(const std::string& ns, const std::string& key) {
  if (!status_.ok()) {
    return {};
  }
  Result<std::optional<Json>> doc = txn_.Get(ns, key);
  if (!doc.ok()) {
    status_ = doc.status();
    return {};
  }
  return *doc;
}

void Txn::Put(const std::string& ns, const std::string& key, const Json& doc) {
  if (status_.ok()) {
    status_ = txn_.Put(ns, key, doc);
  }
}

void Txn::Delete(const std::string& ns, const std::string& key) {
  if (status_.ok()) {
    status_ = txn_.Delete(ns, key);
  }
}

std::vector<std::pair<std::string, Json>> Txn::List(const std::string& ns,
                                                    const std::string& prefix) {
  if (!status_.ok()) {
    return {};
  }
  auto docs = txn_.List(ns, prefix);
  if (!docs.ok()) {
    status_ = docs.status();
    return {};
  }
  return std::move(*docs);
}

ServiceError NoSuchEntity(std::string message) {
  return {"NoSuchEntity", std::move(message), 404, true};
}
ServiceError EntityAlreadyExists(std::string message) {
  return {"EntityAlreadyExists", std::move(message), 409, true};
}
ServiceError MalformedPolicyDocument(std::string message) {
  return {"MalformedPolicyDocument", std::move(message), 400, true};
}
ServiceError DeleteConflict(std::string message) {
  return {"DeleteConflict", std::move(message), 409, true};
}
ServiceError LimitExceeded(std::string message) {
  return {"LimitExceeded", std::move(message), 409, true};
}
ServiceError InvalidInput(std::string message) {
  return {"InvalidInput", std::move(message), 400, true};
}
ServiceError UnmodifiableEntity(std::string message) {
  return {"UnmodifiableEntity", std::move(message), 400, true};
}
ServiceError AccessDenied(const Op& op, std::string_view action, std::string_view resource) {
  return {"AccessDenied",
          fmt::format("User: {} is not authorized to perform: iam:{} on resource: {}",
                      op.call.caller.arn, action, resource),
          403, true};
}

std::string Str(const Json& in, const char* member) {
  if (in.is_object() && in.contains(member) && in[member].is_string()) {
    return in[member].get<std::string>();
  }
  return "";
}

bool Has(const Json& in, const char* member) {
  return in.is_object() && in.contains(member) && !in[member].is_null();
}

ServiceStatus Require(const Json& in, const char* member) {
  if (!Has(in, member)) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member "
        "must not be null",
        MemberLabel(member)));
  }
  if (!in[member].is_string() && !in[member].is_array() && !in[member].is_number() &&
      !in[member].is_boolean()) {
    return ValidationError(fmt::format("Value for {} has the wrong type", member));
  }
  return {};
}

ServiceStatus CheckName(const Json& in, const char* member, size_t max) {
  SERVICE_RETURN_IF_ERROR(Require(in, member));
  if (!in[member].is_string()) {
    return ValidationError(fmt::format("Value for {} must be a string", member));
  }
  std::string value = in[member].get<std::string>();
  if (value.empty() || value.size() > max) {
    return Invalid(value, member, fmt::format("must have length less than or equal to {}", max));
  }
  static const std::regex kName(R"([\w+=,.@-]+)");
  if (!std::regex_match(value, kName)) {
    return Invalid(value, member, "must satisfy regular expression pattern: [\\w+=,.@-]+");
  }
  return {};
}

ServiceStatus CheckPath(const Json& in, const char* member) {
  if (!Has(in, member)) {
    return {};
  }
  std::string path = Str(in, member);
  bool ok = path == "/" || (path.size() >= 3 && path.size() <= 512 && path.front() == '/' &&
                            path.back() == '/' && PrintableAscii(path));
  if (!ok) {
    return Invalid(path, member,
                   "must satisfy regular expression pattern: "
                   "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
  }
  return {};
}

ServiceStatus CheckPathPrefix(const Json& in) {
  if (!Has(in, "PathPrefix")) {
    return {};
  }
  std::string prefix = Str(in, "PathPrefix");
  if (prefix.empty() || prefix.front() != '/' || prefix.size() > 512 || !PrintableAscii(prefix)) {
    return Invalid(prefix, "PathPrefix",
                   "must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
  }
  return {};
}

ServiceStatus CheckMaxSessionDuration(const Json& in) {
  if (!Has(in, "MaxSessionDuration")) {
    return {};
  }
  const Json& v = in["MaxSessionDuration"];
  if (!v.is_number_integer() || v.get<int64_t>() < 3600 || v.get<int64_t>() > 43200) {
    return Invalid(v.dump(), "MaxSessionDuration",
                   "must have value less than or equal to 43200 and greater than or equal to "
                   "3600");
  }
  return {};
}

ServiceStatus CheckDocument(const Json& in, const char* member, bool trust, size_t max_size,
                            const std::string& quota_message) {
  SERVICE_RETURN_IF_ERROR(Require(in, member));
  std::string text = Str(in, member);
  if (text.empty()) {
    return MalformedPolicyDocument("Syntax errors in policy.");
  }
  if (PolicySize(text) > max_size) {
    return LimitExceeded(quota_message);
  }
  Status valid = ValidatePolicyDocument(text, trust ? PolicyKind::kTrust : PolicyKind::kIdentity);
  if (!valid.ok()) {
    return MalformedPolicyDocument(valid.message());
  }
  return {};
}

ServiceStatus CheckPolicyArn(const Json& in, const char* member) {
  SERVICE_RETURN_IF_ERROR(Require(in, member));
  std::string arn = Str(in, member);
  static const std::regex kPolicyArn(
      R"(arn:aws:iam::(\d{12}|aws):policy/([\x21-\x7e]*/)?[\w+=,.@-]+)");
  if (!std::regex_match(arn, kPolicyArn)) {
    return InvalidInput(fmt::format("ARN {} is not valid.", arn));
  }
  return {};
}

ServiceOr<Json> MergeTags(const Json& existing, const Json& in, const char* member) {
  Json tags = existing.is_array() ? existing : Json::array();
  if (!Has(in, member)) {
    return tags;
  }
  const Json& add = in[member];
  if (!add.is_array()) {
    return ValidationError(fmt::format("Value for {} must be a list of tags", member));
  }
  std::vector<std::string> seen;
  for (const Json& tag : add) {
    if (!tag.is_object() || !tag.contains("Key") || !tag["Key"].is_string() ||
        !tag.contains("Value") || !tag["Value"].is_string()) {
      return ValidationError(
          "1 validation error detected: Value null at 'tags.member.key' failed to satisfy "
          "constraint: Member must not be null");
    }
    std::string key = tag["Key"].get<std::string>();
    if (key.empty() || key.size() > 128 || key.starts_with("aws:")) {
      return InvalidInput(fmt::format("Tag key {} is not valid.", key));
    }
    if (tag["Value"].get<std::string>().size() > 256) {
      return InvalidInput(fmt::format("Tag value for key {} is too long.", key));
    }
    if (std::find(seen.begin(), seen.end(), Lower(key)) != seen.end()) {
      return InvalidInput(
          "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
    seen.push_back(Lower(key));
  }
  for (const Json& tag : add) {
    std::string key = Lower(tag["Key"].get<std::string>());
    auto same = std::find_if(tags.begin(), tags.end(), [&](const Json& t) {
      return Lower(t["Key"].get<std::string>()) == key;
    });
    Json entry = {{"Key", tag["Key"]}, {"Value", tag["Value"]}};
    if (same != tags.end()) {
      *same = entry;
    } else {
      tags.push_back(entry);
    }
  }
  if (tags.size() > kMaxTags) {
    return LimitExceeded("The number of tags has reached the maximum limit.");
  }
  return tags;
}

Json RemoveTags(const Json& existing, const Json& in) {
  Json tags = Json::array();
  std::vector<std::string> remove;
  if (Has(in, "TagKeys") && in["TagKeys"].is_array()) {
    for (const Json& k : in["TagKeys"]) {
      if (k.is_string()) {
        remove.push_back(Lower(k.get<std::string>()));
      }
    }
  }
  for (const Json& tag : existing) {
    if (std::find(remove.begin(), remove.end(), Lower(tag["Key"].get<std::string>())) ==
        remove.end()) {
      tags.push_back(tag);
    }
  }
  return tags;
}

ServiceStatus TagEntity(const Json& in, Json& entity) {
  SERVICE_RETURN_IF_ERROR(Require(in, "Tags"));
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(entity["Tags"], in, "Tags"));
  entity["Tags"] = std::move(tags);
  return {};
}

ServiceStatus UntagEntity(const Json& in, Json& entity) {
  SERVICE_RETURN_IF_ERROR(Require(in, "TagKeys"));
  entity["Tags"] = RemoveTags(entity["Tags"], in);
  return {};
}

ServiceResult ListEntityTags(const Json& in, const Json& entity) {
  std::vector<std::pair<std::string, Json>> tags;
  for (const Json& tag : entity.value("Tags", Json::array())) {
    tags.emplace_back(Lower(tag["Key"].get<std::string>()), tag);
  }
  std::sort(tags.begin(), tags.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(tags, in));
  Json out = Json::object();
  PutPage(out, "Tags", std::move(page));
  return out;
}

ServiceOr<Page> Paginate(const std::vector<std::pair<std::string, Json>>& sorted, const Json& in) {
  int64_t max_items = 100;
  if (Has(in, "MaxItems")) {
    const Json& v = in["MaxItems"];
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 1000) {
      return Invalid(v.dump(), "MaxItems",
                     "must have value less than or equal to 1000 and greater than or equal to 1");
    }
    max_items = v.get<int64_t>();
  }
  size_t start = 0;
  if (Has(in, "Marker")) {
    std::optional<std::string> after = Base64Decode(Str(in, "Marker"));
    if (!after || after->empty()) {
      return InvalidInput("Invalid Marker.");
    }
    while (start < sorted.size() && sorted[start].first < *after) {
      ++start;
    }
  }
  Page page;
  size_t end = std::min(sorted.size(), start + static_cast<size_t>(max_items));
  for (size_t i = start; i < end; ++i) {
    page.items.push_back(sorted[i].second);
  }
  if (end < sorted.size()) {
    page.truncated = true;
    page.marker = Base64Encode(sorted[end].first);
  }
  return page;
}

void PutPage(Json& out, const char* member, Page page) {
  out[member] = std::move(page.items);
  out["IsTruncated"] = page.truncated;
  if (page.truncated) {
    out["Marker"] = page.marker;
  }
}

std::string NewUniqueId(const Op& op, std::string_view prefix) {
  // 17 hex digits from the seeded source, upper-cased: AWS's unique ids are 4 + 17 [0-9A-Z].
  std::string hex = op.context.ids.ResourceId("x").substr(2);
  std::transform(hex.begin(), hex.end(), hex.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return std::string(prefix) + hex;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<Json> LoadRole(Op& op, const std::string& name) {
  return op.txn.Get(kRoleNamespace, EntityKey(op.account(), name));
}

ServiceError NoSuchRole(const std::string& name) {
  return NoSuchEntity(fmt::format("The role with name {} cannot be found.", name));
}

Json RoleOutput(const Json& role, bool with_tags) {
  Json out = {{"Path", role["Path"]},
              {"RoleName", role["RoleName"]},
              {"RoleId", role["RoleId"]},
              {"Arn", role["Arn"]},
              {"CreateDate", role["CreateDate"]},
              {"AssumeRolePolicyDocument",
               UrlEncodeDocument(role["AssumeRolePolicyDocument"].get<std::string>())},
              {"MaxSessionDuration", role.value("MaxSessionDuration", 3600)}};
  if (role.contains("Description")) {
    out["Description"] = role["Description"];
  }
  if (with_tags && role.contains("Tags") && !role["Tags"].empty()) {
    out["Tags"] = role["Tags"];
  }
  if (with_tags) {
    out["RoleLastUsed"] = Json::object();
  }
  return out;
}

std::optional<PolicyRef> LoadPolicy(Op& op, const std::string& arn) {
  if (const AwsManagedPolicy* aws = FindAwsManagedPolicy(arn)) {
    // A fixed creation time: 2015-02-06T18:40:00Z, when AWS managed policies appeared.
    constexpr int64_t kCreated = 1423248000;
    Json doc = {
        {"PolicyName", aws->name},
        {"PolicyId", aws->id},
        {"Arn", arn},
        {"Path", aws->path},
        {"CreateDate", kCreated},
        {"UpdateDate", kCreated},
        {"Tags", Json::array()},
        {"DefaultVersionId", "v1"},
        {"NextVersion", 2},
        {"Versions",
         Json::array(
             {{{"VersionId", "v1"}, {"Document", aws->document}, {"CreateDate", kCreated}}})}};
    return PolicyRef{std::move(doc), true};
  }
  std::string prefix = fmt::format("arn:aws:iam::{}:policy/", op.account());
  if (!arn.starts_with(prefix)) {
    return {};
  }
  std::string name = arn.substr(arn.rfind('/') + 1);
  std::optional<Json> doc = op.txn.Get(kPolicyNamespace, EntityKey(op.account(), name));
  if (!doc || (*doc)["Arn"] != arn) {
    return {};
  }
  return PolicyRef{std::move(*doc), false};
}

ServiceError NoSuchPolicy(const std::string& arn) {
  return NoSuchEntity(fmt::format("Policy {} was not found.", arn));
}

int AttachmentCount(Op& op, const std::string& arn) {
  int count = 0;
  for (const auto& [key, role] : op.txn.List(kRoleNamespace, op.account() + "/")) {
    for (const Json& attached : role.value("AttachedPolicies", Json::array())) {
      if (attached["PolicyArn"] == arn) {
        ++count;
      }
    }
  }
  return count;
}

}  // namespace cf::cloud::iam
