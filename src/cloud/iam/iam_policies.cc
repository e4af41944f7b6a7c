// Managed policies: customer policies with their versions and tags, and the read-only AWS
// managed policies.

#include <fmt/core.h>

#include <algorithm>
#include <regex>

#include "cloud/iam/aws_managed_policies.h"
#include "cloud/iam/iam_internal.h"
#include "cloud/iam/policy_document.h"

namespace cf::cloud::iam {

namespace {

constexpr size_t kManagedPolicyMax = 6144;
constexpr size_t kMaxVersions = 5;

std::string PolicyQuota() {
  return fmt::format("Cannot exceed quota for PolicySize: {}", kManagedPolicyMax);
}

// Loads the policy named by in["PolicyArn"] into `policy`.
ServiceOr<PolicyRef> RequirePolicy(Op& op) {
  SERVICE_RETURN_IF_ERROR(CheckPolicyArn(op.in(), "PolicyArn"));
  std::string arn = Str(op.in(), "PolicyArn");
  std::optional<PolicyRef> found = LoadPolicy(op, arn);
  if (!found) {
    return NoSuchPolicy(arn);
  }
  return std::move(*found);
}

// AWS managed policies belong to AWS's account: changing them is refused as IAM refuses it.
ServiceStatus RequireCustomer(const Op& op, const PolicyRef& policy, std::string_view action) {
  if (policy.aws_managed) {
    return AccessDenied(op, action, "policy " + policy.doc["Arn"].get<std::string>());
  }
  return {};
}

void SavePolicy(Op& op, const Json& policy) {
  op.txn.Put(kPolicyNamespace, EntityKey(op.account(), policy["PolicyName"].get<std::string>()),
             policy);
}

// The Policy output shape. ListPolicies leaves out Description and Tags.
Json PolicyOutput(Op& op, const Json& policy, bool full) {
  Json out = {{"PolicyName", policy["PolicyName"]},
              {"PolicyId", policy["PolicyId"]},
              {"Arn", policy["Arn"]},
              {"Path", policy["Path"]},
              {"DefaultVersionId", policy["DefaultVersionId"]},
              {"AttachmentCount", AttachmentCount(op, policy["Arn"].get<std::string>())},
              {"PermissionsBoundaryUsageCount", 0},
              {"IsAttachable", true},
              {"CreateDate", policy["CreateDate"]},
              {"UpdateDate", policy["UpdateDate"]}};
  if (full && policy.contains("Description")) {
    out["Description"] = policy["Description"];
  }
  if (full && !policy["Tags"].empty()) {
    out["Tags"] = policy["Tags"];
  }
  return out;
}

Json VersionOutput(const Json& policy, const Json& version, bool with_document) {
  Json out = {{"VersionId", version["VersionId"]},
              {"IsDefaultVersion", version["VersionId"] == policy["DefaultVersionId"]},
              {"CreateDate", version["CreateDate"]}};
  if (with_document) {
    out["Document"] = UrlEncodeDocument(version["Document"].get<std::string>());
  }
  return out;
}

ServiceStatus CheckVersionId(const Json& in) {
  SERVICE_RETURN_IF_ERROR(Require(in, "VersionId"));
  static const std::regex kVersion(R"(v[1-9][0-9]*(\.[A-Za-z0-9-]*)?)");
  std::string id = Str(in, "VersionId");
  if (!std::regex_match(id, kVersion)) {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'versionId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
        id));
  }
  return {};
}

// The index of in["VersionId"] in policy["Versions"], or the error for a missing one.
ServiceOr<size_t> FindVersion(const Json& policy, const Json& in) {
  SERVICE_RETURN_IF_ERROR(CheckVersionId(in));
  std::string id = Str(in, "VersionId");
  const Json& versions = policy["Versions"];
  for (size_t i = 0; i < versions.size(); ++i) {
    if (versions[i]["VersionId"] == id) {
      return i;
    }
  }
  return NoSuchEntity(fmt::format("Policy {} version {} does not exist or is not attachable.",
                                  policy["Arn"].get<std::string>(), id));
}

std::string SortKey(const Json& policy) {
  return Lower(policy["PolicyName"].get<std::string>()) + "\n" + policy["Arn"].get<std::string>();
}

}  // namespace

ServiceResult CreatePolicy(Op& op) {
  const Json& in = op.in();
  SERVICE_RETURN_IF_ERROR(CheckName(in, "PolicyName", 128));
  SERVICE_RETURN_IF_ERROR(CheckPath(in, "Path"));
  SERVICE_RETURN_IF_ERROR(
      CheckDocument(in, "PolicyDocument", /*trust=*/false, kManagedPolicyMax, PolicyQuota()));
  if (Has(in, "Description") && Str(in, "Description").size() > 1000) {
    return ValidationError(
        "1 validation error detected: Value at 'description' failed to satisfy constraint: "
        "Member must have length less than or equal to 1000");
  }
  std::string name = Str(in, "PolicyName");
  if (op.txn.Get(kPolicyNamespace, EntityKey(op.account(), name))) {
    return EntityAlreadyExists(
        fmt::format("A policy called {} already exists. Duplicate names are not allowed.", name));
  }
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(Json::array(), in, "Tags"));
  std::string path = Has(in, "Path") ? Str(in, "Path") : "/";
  Json policy = {{"PolicyName", name},
                 {"PolicyId", NewUniqueId(op, "ANPA")},
                 {"Arn", fmt::format("arn:aws:iam::{}:policy{}{}", op.account(), path, name)},
                 {"Path", path},
                 {"CreateDate", op.now},
                 {"UpdateDate", op.now},
                 {"Tags", tags},
                 {"DefaultVersionId", "v1"},
                 {"NextVersion", 2},
                 {"Versions", Json::array({{{"VersionId", "v1"},
                                            {"Document", Str(in, "PolicyDocument")},
                                            {"CreateDate", op.now}}})}};
  if (Has(in, "Description")) {
    policy["Description"] = Str(in, "Description");
  }
  SavePolicy(op, policy);
  return Json{{"Policy", PolicyOutput(op, policy, /*full=*/true)}};
}

ServiceResult GetPolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  return Json{{"Policy", PolicyOutput(op, policy.doc, /*full=*/true)}};
}

ServiceResult DeletePolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  SERVICE_RETURN_IF_ERROR(RequireCustomer(op, policy, "DeletePolicy"));
  if (AttachmentCount(op, policy.doc["Arn"].get<std::string>()) > 0) {
    return DeleteConflict("Cannot delete a policy attached to entities.");
  }
  if (policy.doc["Versions"].size() > 1) {
    return DeleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete "
        "the policy's versions. The default version is deleted with the policy.");
  }
  op.txn.Delete(kPolicyNamespace,
                EntityKey(op.account(), policy.doc["PolicyName"].get<std::string>()));
  return Json::object();
}

ServiceResult ListPolicies(Op& op) {
  const Json& in = op.in();
  SERVICE_RETURN_IF_ERROR(CheckPathPrefix(in));
  std::string scope = Has(in, "Scope") ? Str(in, "Scope") : "All";
  if (scope != "All" && scope != "AWS" && scope != "Local") {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'scope' failed to satisfy constraint: "
        "Member must satisfy enum value set: [All, AWS, Local]",
        scope));
  }
  bool only_attached =
      Has(in, "OnlyAttached") && in["OnlyAttached"].is_boolean() && in["OnlyAttached"].get<bool>();
  std::string prefix = Has(in, "PathPrefix") ? Str(in, "PathPrefix") : "/";
  std::vector<Json> candidates;
  if (scope != "Local") {
    for (const AwsManagedPolicy& aws : AwsManagedPolicies()) {
      candidates.push_back(LoadPolicy(op, AwsManagedPolicyArn(aws))->doc);
    }
  }
  if (scope != "AWS") {
    for (auto& [key, policy] : op.txn.List(kPolicyNamespace, op.account() + "/")) {
      candidates.push_back(std::move(policy));
    }
  }
  std::vector<std::pair<std::string, Json>> listed;
  for (const Json& policy : candidates) {
    if (!policy["Path"].get<std::string>().starts_with(prefix)) {
      continue;
    }
    Json out = PolicyOutput(op, policy, /*full=*/false);
    if (only_attached && out["AttachmentCount"] == 0) {
      continue;
    }
    listed.emplace_back(SortKey(policy), std::move(out));
  }
  std::sort(listed.begin(), listed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(listed, in));
  Json out = Json::object();
  PutPage(out, "Policies", std::move(page));
  return out;
}

ServiceResult CreatePolicyVersion(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  SERVICE_RETURN_IF_ERROR(RequireCustomer(op, policy, "CreatePolicyVersion"));
  SERVICE_RETURN_IF_ERROR(
      CheckDocument(op.in(), "PolicyDocument", /*trust=*/false, kManagedPolicyMax, PolicyQuota()));
  Json& doc = policy.doc;
  if (doc["Versions"].size() >= kMaxVersions) {
    return LimitExceeded(
        "A managed policy can have up to 5 versions. Before you create a new version, you must "
        "delete an existing version.");
  }
  int64_t number = doc.value("NextVersion", 2);
  Json version = {{"VersionId", fmt::format("v{}", number)},
                  {"Document", Str(op.in(), "PolicyDocument")},
                  {"CreateDate", op.now}};
  doc["Versions"].push_back(version);
  doc["NextVersion"] = number + 1;
  if (Has(op.in(), "SetAsDefault") && op.in()["SetAsDefault"].is_boolean() &&
      op.in()["SetAsDefault"].get<bool>()) {
    doc["DefaultVersionId"] = version["VersionId"];
    doc["UpdateDate"] = op.now;
  }
  SavePolicy(op, doc);
  return Json{{"PolicyVersion", VersionOutput(doc, version, /*with_document=*/false)}};
}

ServiceResult GetPolicyVersion(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  SERVICE_ASSIGN_OR_RETURN(auto index, FindVersion(policy.doc, op.in()));
  const Json& version = policy.doc["Versions"][index];
  return Json{{"PolicyVersion", VersionOutput(policy.doc, version, /*with_document=*/true)}};
}

ServiceResult ListPolicyVersions(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  std::vector<std::pair<std::string, Json>> versions;
  for (const Json& version : policy.doc["Versions"]) {
    // Newest first, as IAM lists them.
    std::string id = version["VersionId"].get<std::string>();
    int64_t number = std::stoll(id.substr(1));
    versions.emplace_back(fmt::format("{:012d}", 999999999999 - number),
                          VersionOutput(policy.doc, version, /*with_document=*/false));
  }
  std::sort(versions.begin(), versions.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(versions, op.in()));
  Json out = Json::object();
  PutPage(out, "Versions", std::move(page));
  return out;
}

ServiceResult DeletePolicyVersion(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  SERVICE_RETURN_IF_ERROR(RequireCustomer(op, policy, "DeletePolicyVersion"));
  SERVICE_ASSIGN_OR_RETURN(auto index, FindVersion(policy.doc, op.in()));
  Json& versions = policy.doc["Versions"];
  size_t i = index;
  if (versions[i]["VersionId"] == policy.doc["DefaultVersionId"]) {
    return DeleteConflict("Cannot delete the default version of the policy.");
  }
  versions.erase(versions.begin() + static_cast<std::ptrdiff_t>(i));
  SavePolicy(op, policy.doc);
  return Json::object();
}

ServiceResult SetDefaultPolicyVersion(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  SERVICE_RETURN_IF_ERROR(RequireCustomer(op, policy, "SetDefaultPolicyVersion"));
  SERVICE_ASSIGN_OR_RETURN(auto index, FindVersion(policy.doc, op.in()));
  policy.doc["DefaultVersionId"] = policy.doc["Versions"][index]["VersionId"];
  policy.doc["UpdateDate"] = op.now;
  SavePolicy(op, policy.doc);
  return Json::object();
}

ServiceResult TagPolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  SERVICE_RETURN_IF_ERROR(RequireCustomer(op, policy, "TagPolicy"));
  SERVICE_RETURN_IF_ERROR(TagEntity(op.in(), policy.doc));
  SavePolicy(op, policy.doc);
  return Json::object();
}

ServiceResult UntagPolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  SERVICE_RETURN_IF_ERROR(RequireCustomer(op, policy, "UntagPolicy"));
  SERVICE_RETURN_IF_ERROR(UntagEntity(op.in(), policy.doc));
  SavePolicy(op, policy.doc);
  return Json::object();
}

ServiceResult ListPolicyTags(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(PolicyRef policy, RequirePolicy(op));
  return ListEntityTags(op.in(), policy.doc);
}

}  // namespace cf::cloud::iam
