#include "cloud/iam/iam_service.h"

#include <chrono>
#include <map>
#include <optional>

#include "cloud/iam/iam_internal.h"

namespace cf::cloud::iam {

namespace {

const std::map<std::string, Handler>& Handlers() {
  static const std::map<std::string, Handler>* const kHandlers = new std::map<std::string, Handler>{
      {"CreateRole", CreateRole},
      {"CreateOpenIDConnectProvider", CreateOpenIDConnectProvider},
      {"GetOpenIDConnectProvider", GetOpenIDConnectProvider},
      {"DeleteOpenIDConnectProvider", DeleteOpenIDConnectProvider},
      {"UpdateOpenIDConnectProviderThumbprint", UpdateOpenIDConnectProviderThumbprint},
      {"AddClientIDToOpenIDConnectProvider", AddClientIDToOpenIDConnectProvider},
      {"RemoveClientIDFromOpenIDConnectProvider", RemoveClientIDFromOpenIDConnectProvider},
      {"TagOpenIDConnectProvider", TagOpenIDConnectProvider},
      {"UntagOpenIDConnectProvider", UntagOpenIDConnectProvider},
      {"GetRole", GetRole},
      {"DeleteRole", DeleteRole},
      {"ListRoles", ListRoles},
      {"UpdateRole", UpdateRole},
      {"UpdateRoleDescription", UpdateRoleDescription},
      {"UpdateAssumeRolePolicy", UpdateAssumeRolePolicy},
      {"TagRole", TagRole},
      {"UntagRole", UntagRole},
      {"ListRoleTags", ListRoleTags},
      {"CreateServiceLinkedRole", CreateServiceLinkedRole},
      {"DeleteServiceLinkedRole", DeleteServiceLinkedRole},
      {"GetServiceLinkedRoleDeletionStatus", GetServiceLinkedRoleDeletionStatus},
      {"PutRolePolicy", PutRolePolicy},
      {"GetRolePolicy", GetRolePolicy},
      {"DeleteRolePolicy", DeleteRolePolicy},
      {"ListRolePolicies", ListRolePolicies},
      {"AttachRolePolicy", AttachRolePolicy},
      {"DetachRolePolicy", DetachRolePolicy},
      {"ListAttachedRolePolicies", ListAttachedRolePolicies},
      {"CreatePolicy", CreatePolicy},
      {"GetPolicy", GetPolicy},
      {"DeletePolicy", DeletePolicy},
      {"ListPolicies", ListPolicies},
      {"CreatePolicyVersion", CreatePolicyVersion},
      {"GetPolicyVersion", GetPolicyVersion},
      {"ListPolicyVersions", ListPolicyVersions},
      {"DeletePolicyVersion", DeletePolicyVersion},
      {"SetDefaultPolicyVersion", SetDefaultPolicyVersion},
      {"TagPolicy", TagPolicy},
      {"UntagPolicy", UntagPolicy},
      {"ListPolicyTags", ListPolicyTags},
      {"CreateInstanceProfile", CreateInstanceProfile},
      {"GetInstanceProfile", GetInstanceProfile},
      {"DeleteInstanceProfile", DeleteInstanceProfile},
      {"AddRoleToInstanceProfile", AddRoleToInstanceProfile},
      {"RemoveRoleFromInstanceProfile", RemoveRoleFromInstanceProfile},
      {"ListInstanceProfiles", ListInstanceProfiles},
      {"ListInstanceProfilesForRole", ListInstanceProfilesForRole},
      {"TagInstanceProfile", TagInstanceProfile},
      {"UntagInstanceProfile", UntagInstanceProfile},
      {"ListInstanceProfileTags", ListInstanceProfileTags},
  };
  return *kHandlers;
}

}  // namespace

bool IamService::HasOperation(const std::string& operation) const {
  return Handlers().contains(operation);
}

ServiceResult IamService::Handle(const ServiceCall& call) {
  auto it = Handlers().find(call.operation);
  if (it == Handlers().end()) {
    return ServiceError{"InvalidAction", "Could not find operation " + call.operation, 400, true};
  }
  if (!call.input.is_object()) {
    return ValidationError("the request parameters must be a structure");
  }
  Result<StoreTxn> store_txn = context_.store.Begin();
  if (!store_txn.ok()) {
    return InternalFailure(store_txn.status().message());
  }
  Txn txn(std::move(*store_txn));
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(context_.clock.Now().time_since_epoch())
          .count();
  Op op{call, txn, context_, now};
  // Stored documents are written only here, so a JSON type error is a bug: report it
  // rather than crash the server.
  std::optional<ServiceResult> handled;
  try {
    handled.emplace(it->second(op));
  } catch (const Json::exception& e) {
    return InternalFailure(std::string("iam: ") + e.what());
  }
  ServiceResult& result = *handled;
  if (!txn.status().ok()) {
    return InternalFailure(txn.status().message());
  }
  if (result.ok()) {
    Status committed = txn.Commit();
    if (!committed.ok()) {
      return InternalFailure(committed.message());
    }
  }
  return result;
}

}  // namespace cf::cloud::iam
