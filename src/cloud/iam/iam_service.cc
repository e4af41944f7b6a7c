#include "cloud/iam/iam_service.h"

#include <chrono>

#include "cloud/iam/iam_internal.h"

namespace cf::cloud::iam {

namespace {

// Stored documents are written only by IAM, so a JSON type error while reading them is a bug
// of the local cloud, answered as InternalFailure rather than a crash.
ServiceError JsonBug(std::string message) {
  return InternalFailure("iam: " + std::move(message));
}

// An IAM handler on the operation table: the Op for the call, and the sticky failure of its
// store reads and writes answered in place of the handler's result.
template <ServiceResult (*Handler)(Op&)>
ServiceResult Run(IamService& service, const ServiceCall& call, CallTxn& store_txn) {
  if (!call.input.is_object()) {
    return ValidationError("the request parameters must be a structure");
  }
  Txn txn(store_txn);
  const ServiceContext& context = service.context();
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(context.clock.Now().time_since_epoch())
          .count();
  Op op{call, txn, context, now};
  ServiceResult result = Handler(op);
  SERVICE_RETURN_IF_ERROR(txn.status());
  return result;
}

}  // namespace

const OperationTable<IamService>& IamService::Operations() {
  static const OperationTable<IamService> kTable(
      {
          {"CreateRole", Run<CreateRole>},
          {"CreateOpenIDConnectProvider", Run<CreateOpenIDConnectProvider>},
          {"GetOpenIDConnectProvider", Run<GetOpenIDConnectProvider>},
          {"DeleteOpenIDConnectProvider", Run<DeleteOpenIDConnectProvider>},
          {"UpdateOpenIDConnectProviderThumbprint", Run<UpdateOpenIDConnectProviderThumbprint>},
          {"AddClientIDToOpenIDConnectProvider", Run<AddClientIDToOpenIDConnectProvider>},
          {"RemoveClientIDFromOpenIDConnectProvider", Run<RemoveClientIDFromOpenIDConnectProvider>},
          {"TagOpenIDConnectProvider", Run<TagOpenIDConnectProvider>},
          {"UntagOpenIDConnectProvider", Run<UntagOpenIDConnectProvider>},
          {"GetRole", Run<GetRole>},
          {"DeleteRole", Run<DeleteRole>},
          {"ListRoles", Run<ListRoles>},
          {"UpdateRole", Run<UpdateRole>},
          {"UpdateRoleDescription", Run<UpdateRoleDescription>},
          {"UpdateAssumeRolePolicy", Run<UpdateAssumeRolePolicy>},
          {"TagRole", Run<TagRole>},
          {"UntagRole", Run<UntagRole>},
          {"ListRoleTags", Run<ListRoleTags>},
          {"CreateServiceLinkedRole", Run<CreateServiceLinkedRole>},
          {"DeleteServiceLinkedRole", Run<DeleteServiceLinkedRole>},
          {"GetServiceLinkedRoleDeletionStatus", Run<GetServiceLinkedRoleDeletionStatus>},
          {"PutRolePolicy", Run<PutRolePolicy>},
          {"GetRolePolicy", Run<GetRolePolicy>},
          {"DeleteRolePolicy", Run<DeleteRolePolicy>},
          {"ListRolePolicies", Run<ListRolePolicies>},
          {"AttachRolePolicy", Run<AttachRolePolicy>},
          {"DetachRolePolicy", Run<DetachRolePolicy>},
          {"ListAttachedRolePolicies", Run<ListAttachedRolePolicies>},
          {"CreatePolicy", Run<CreatePolicy>},
          {"GetPolicy", Run<GetPolicy>},
          {"DeletePolicy", Run<DeletePolicy>},
          {"ListPolicies", Run<ListPolicies>},
          {"CreatePolicyVersion", Run<CreatePolicyVersion>},
          {"GetPolicyVersion", Run<GetPolicyVersion>},
          {"ListPolicyVersions", Run<ListPolicyVersions>},
          {"DeletePolicyVersion", Run<DeletePolicyVersion>},
          {"SetDefaultPolicyVersion", Run<SetDefaultPolicyVersion>},
          {"TagPolicy", Run<TagPolicy>},
          {"UntagPolicy", Run<UntagPolicy>},
          {"ListPolicyTags", Run<ListPolicyTags>},
          {"CreateInstanceProfile", Run<CreateInstanceProfile>},
          {"GetInstanceProfile", Run<GetInstanceProfile>},
          {"DeleteInstanceProfile", Run<DeleteInstanceProfile>},
          {"AddRoleToInstanceProfile", Run<AddRoleToInstanceProfile>},
          {"RemoveRoleFromInstanceProfile", Run<RemoveRoleFromInstanceProfile>},
          {"ListInstanceProfiles", Run<ListInstanceProfiles>},
          {"ListInstanceProfilesForRole", Run<ListInstanceProfilesForRole>},
          {"TagInstanceProfile", Run<TagInstanceProfile>},
          {"UntagInstanceProfile", Run<UntagInstanceProfile>},
          {"ListInstanceProfileTags", Run<ListInstanceProfileTags>},
      },
      {.invalid_input = JsonBug});
  return kTable;
}

}  // namespace cf::cloud::iam
