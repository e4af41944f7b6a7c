#pragma once

// Where IAM keeps its entities in the local cloud's Store, for IAM itself and for services
// that consult it (STS reads roles and their trust policies).
//
// Namespaces and keys (one document each; ACCOUNT is the 12-digit account, NAME the entity's
// name lower-cased, since IAM names are unique regardless of case):
//   "iam/role"              ACCOUNT/NAME  {RoleName, RoleId, Arn, Path, CreateDate (seconds),
//                                          AssumeRolePolicyDocument (as submitted),
//                                          Description?, MaxSessionDuration, Tags,
//                                          AttachedPolicies [{PolicyName, PolicyArn}],
//                                          InlinePolicies {name: document}, ServiceLinked}
//   "iam/policy"            ACCOUNT/NAME  {PolicyName, PolicyId, Arn, Path, Description?,
//                                          CreateDate, UpdateDate, Tags, DefaultVersionId,
//                                          NextVersion, Versions [{VersionId, Document,
//                                          CreateDate}]}  (customer managed policies only)
//   "iam/instance-profile"  ACCOUNT/NAME  {InstanceProfileName, InstanceProfileId, Arn, Path,
//                                          CreateDate, Tags, Roles [role NAME keys]}
//   "iam/slr-deletion"      ACCOUNT/TASK  {Status}

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/core/store.h"

namespace cf::cloud::iam {

inline constexpr char kRoleNamespace[] = "iam/role";
inline constexpr char kPolicyNamespace[] = "iam/policy";
inline constexpr char kInstanceProfileNamespace[] = "iam/instance-profile";
inline constexpr char kDeletionTaskNamespace[] = "iam/slr-deletion";

// "000000000000/my-role" for ("000000000000", "My-Role").
std::string EntityKey(std::string_view account, std::string_view name);

// The role `name` of `account` as stored (see above), or nullopt when there is none.
Result<std::optional<Json>> FindRole(StoreTxn& txn, std::string_view account,
                                     std::string_view name);

}  // namespace cf::cloud::iam
