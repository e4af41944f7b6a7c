#pragma once

// What the IAM service's operation files share: the call being handled, errors with IAM's
// codes, input checks, tags, pagination and the output shapes of roles and policies. Private
// to src/cloud/iam.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/iam/iam_store.h"

namespace cf::cloud::iam {

// The call's transaction, with its first failure sticking: reads after a failure give
// nothing and writes are skipped; the service then answers the failure (an internal error)
// instead of the handler's result, and nothing is committed.
class Txn {
 public:
  explicit Txn(CallTxn& txn) : txn_(txn) {}

  std::optional<Json> Get(const std::string& ns, const std::string& key);
  void Put(const std::string& ns, const std::string& key, const Json& doc);
  void Delete(const std::string& ns, const std::string& key);
  std::vector<std::pair<std::string, Json>> List(const std::string& ns, const std::string& prefix);
  const Status& status() const { return status_; }

 private:
  CallTxn& txn_;
  Status status_;
};

// One call being handled, inside its transaction. IAM's handlers take an Op
// (IamService::Operations() adapts each to the operation table).
struct Op {
  const ServiceCall& call;
  Txn& txn;
  const ServiceContext& context;
  int64_t now;  // seconds since the epoch

  const Json& in() const { return call.input; }
  const std::string& account() const { return call.account_id; }
};

// IAM's errors.
ServiceError NoSuchEntity(std::string message);             // 404
ServiceError EntityAlreadyExists(std::string message);      // 409
ServiceError MalformedPolicyDocument(std::string message);  // 400
ServiceError DeleteConflict(std::string message);           // 409
ServiceError LimitExceeded(std::string message);            // 409
ServiceError InvalidInput(std::string message);             // 400
ServiceError UnmodifiableEntity(std::string message);       // 400
ServiceError AccessDenied(const Op& op, std::string_view action, std::string_view resource);

// Input members. Str gives "" when absent or not a string.
std::string Str(const Json& in, const char* member);
bool Has(const Json& in, const char* member);
// "1 validation error detected: Value null at 'roleName' ..." when `member` is absent.
ServiceStatus Require(const Json& in, const char* member);
// Required name member of IAM's name grammar ([\w+=,.@-]+, 1..max characters).
ServiceStatus CheckName(const Json& in, const char* member, size_t max);
// Optional path member: "/" or "/.../" of characters ! to ~, at most 512.
ServiceStatus CheckPath(const Json& in, const char* member);
// Optional PathPrefix: "/" followed by characters ! to ~.
ServiceStatus CheckPathPrefix(const Json& in);
// Optional MaxSessionDuration in 3600..43200.
ServiceStatus CheckMaxSessionDuration(const Json& in);
// A policy document member: required, within `max_size` (PolicySize), valid as `kind`.
// `quota_message` is the LimitExceeded text.
ServiceStatus CheckDocument(const Json& in, const char* member, bool trust, size_t max_size,
                            const std::string& quota_message);
// A policy ARN member: "arn:aws:iam::(ACCOUNT|aws):policy/[PATH/]NAME".
ServiceStatus CheckPolicyArn(const Json& in, const char* member);

// Tags: `in[member]` checked (list of {Key, Value}, no duplicate keys ignoring case, at most
// 50 after merging) and merged over `existing` (same key, ignoring case, replaced).
ServiceOr<Json> MergeTags(const Json& existing, const Json& in, const char* member);
// `existing` without the keys in in["TagKeys"].
Json RemoveTags(const Json& existing, const Json& in);

// The Tag*/Untag*/List*Tags operations on an entity document (a role, a policy, an instance
// profile) whose "Tags" member holds its tags: Tag and Untag update entity["Tags"] (the caller
// saves the entity); ListTags answers a page of them, sorted by key ignoring case.
ServiceStatus TagEntity(const Json& in, Json& entity);
ServiceStatus UntagEntity(const Json& in, Json& entity);
ServiceResult ListEntityTags(const Json& in, const Json& entity);

// Marker/MaxItems pagination over items sorted by their key.
struct Page {
  Json items = Json::array();
  bool truncated = false;
  std::string marker;
};
ServiceOr<Page> Paginate(const std::vector<std::pair<std::string, Json>>& sorted, const Json& in);
// Sets out[member], IsTruncated and (when truncated) Marker.
void PutPage(Json& out, const char* member, Page page);

// "AROA" + 17 characters of [0-9A-Z].
std::string NewUniqueId(const Op& op, std::string_view prefix);
std::string Lower(std::string_view s);

// Roles.
std::optional<Json> LoadRole(Op& op, const std::string& name);
ServiceError NoSuchRole(const std::string& name);
// The Role output shape (documents URL-encoded); Tags only when `with_tags`.
Json RoleOutput(const Json& role, bool with_tags);

// Managed policies, customer and AWS. The document is as stored for customer policies and
// built for AWS ones (Versions with one "v1"); `aws_managed` says which.
struct PolicyRef {
  Json doc;
  bool aws_managed = false;
};
std::optional<PolicyRef> LoadPolicy(Op& op, const std::string& arn);
ServiceError NoSuchPolicy(const std::string& arn);
// How many roles of the account have `arn` attached.
int AttachmentCount(Op& op, const std::string& arn);

// The operations, by file.
ServiceResult CreateRole(Op& op);
ServiceResult GetRole(Op& op);
ServiceResult DeleteRole(Op& op);
ServiceResult ListRoles(Op& op);
ServiceResult UpdateRole(Op& op);
ServiceResult UpdateRoleDescription(Op& op);
ServiceResult UpdateAssumeRolePolicy(Op& op);
ServiceResult TagRole(Op& op);
ServiceResult UntagRole(Op& op);
ServiceResult ListRoleTags(Op& op);
ServiceResult CreateServiceLinkedRole(Op& op);
ServiceResult DeleteServiceLinkedRole(Op& op);
ServiceResult GetServiceLinkedRoleDeletionStatus(Op& op);
ServiceResult PutRolePolicy(Op& op);
ServiceResult GetRolePolicy(Op& op);
ServiceResult DeleteRolePolicy(Op& op);
ServiceResult ListRolePolicies(Op& op);
ServiceResult AttachRolePolicy(Op& op);
ServiceResult DetachRolePolicy(Op& op);
ServiceResult ListAttachedRolePolicies(Op& op);

ServiceResult CreatePolicy(Op& op);
ServiceResult GetPolicy(Op& op);
ServiceResult DeletePolicy(Op& op);
ServiceResult ListPolicies(Op& op);
ServiceResult CreatePolicyVersion(Op& op);
ServiceResult GetPolicyVersion(Op& op);
ServiceResult ListPolicyVersions(Op& op);
ServiceResult DeletePolicyVersion(Op& op);
ServiceResult SetDefaultPolicyVersion(Op& op);
ServiceResult TagPolicy(Op& op);
ServiceResult UntagPolicy(Op& op);
ServiceResult ListPolicyTags(Op& op);

ServiceResult CreateInstanceProfile(Op& op);
ServiceResult GetInstanceProfile(Op& op);
ServiceResult DeleteInstanceProfile(Op& op);
ServiceResult AddRoleToInstanceProfile(Op& op);
ServiceResult RemoveRoleFromInstanceProfile(Op& op);
ServiceResult ListInstanceProfiles(Op& op);
ServiceResult ListInstanceProfilesForRole(Op& op);
ServiceResult TagInstanceProfile(Op& op);
ServiceResult UntagInstanceProfile(Op& op);
ServiceResult ListInstanceProfileTags(Op& op);

ServiceResult CreateOpenIDConnectProvider(Op& op);
ServiceResult GetOpenIDConnectProvider(Op& op);
ServiceResult DeleteOpenIDConnectProvider(Op& op);
ServiceResult UpdateOpenIDConnectProviderThumbprint(Op& op);
ServiceResult AddClientIDToOpenIDConnectProvider(Op& op);
ServiceResult RemoveClientIDFromOpenIDConnectProvider(Op& op);
ServiceResult TagOpenIDConnectProvider(Op& op);
ServiceResult UntagOpenIDConnectProvider(Op& op);

}  // namespace cf::cloud::iam
