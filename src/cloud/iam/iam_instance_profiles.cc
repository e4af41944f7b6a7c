// Instance profiles: at most one role each, as in IAM.

#include <fmt/core.h>

#include <algorithm>

#include "cloud/iam/iam_internal.h"

namespace cf::cloud::iam {

namespace {

ServiceOr<Json> RequireProfile(Op& op) {
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "InstanceProfileName", 128));
  std::string name = Str(op.in(), "InstanceProfileName");
  std::optional<Json> found = op.txn.Get(kInstanceProfileNamespace, EntityKey(op.account(), name));
  if (!found) {
    return NoSuchEntity(fmt::format("Instance Profile {} cannot be found.", name));
  }
  return std::move(*found);
}

void SaveProfile(Op& op, const Json& profile) {
  op.txn.Put(kInstanceProfileNamespace,
             EntityKey(op.account(), profile["InstanceProfileName"].get<std::string>()), profile);
}

// The InstanceProfile output shape, its roles read from the store.
Json ProfileOutput(Op& op, const Json& profile, bool with_tags) {
  Json roles = Json::array();
  for (const Json& name : profile["Roles"]) {
    if (std::optional<Json> role = LoadRole(op, name.get<std::string>())) {
      roles.push_back(RoleOutput(*role, /*with_tags=*/false));
    }
  }
  Json out = {{"Path", profile["Path"]},
              {"InstanceProfileName", profile["InstanceProfileName"]},
              {"InstanceProfileId", profile["InstanceProfileId"]},
              {"Arn", profile["Arn"]},
              {"CreateDate", profile["CreateDate"]},
              {"Roles", std::move(roles)}};
  if (with_tags && !profile["Tags"].empty()) {
    out["Tags"] = profile["Tags"];
  }
  return out;
}

}  // namespace

ServiceResult CreateInstanceProfile(Op& op) {
  const Json& in = op.in();
  SERVICE_RETURN_IF_ERROR(CheckName(in, "InstanceProfileName", 128));
  SERVICE_RETURN_IF_ERROR(CheckPath(in, "Path"));
  std::string name = Str(in, "InstanceProfileName");
  if (op.txn.Get(kInstanceProfileNamespace, EntityKey(op.account(), name))) {
    return EntityAlreadyExists(fmt::format("Instance Profile {} already exists.", name));
  }
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(Json::array(), in, "Tags"));
  std::string path = Has(in, "Path") ? Str(in, "Path") : "/";
  Json profile = {
      {"InstanceProfileName", name},
      {"InstanceProfileId", NewUniqueId(op, "AIPA")},
      {"Arn", fmt::format("arn:aws:iam::{}:instance-profile{}{}", op.account(), path, name)},
      {"Path", path},
      {"CreateDate", op.now},
      {"Tags", tags},
      {"Roles", Json::array()}};
  SaveProfile(op, profile);
  return Json{{"InstanceProfile", ProfileOutput(op, profile, /*with_tags=*/true)}};
}

ServiceResult GetInstanceProfile(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json profile, RequireProfile(op));
  return Json{{"InstanceProfile", ProfileOutput(op, profile, /*with_tags=*/true)}};
}

ServiceResult DeleteInstanceProfile(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json profile, RequireProfile(op));
  if (!profile["Roles"].empty()) {
    return DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  }
  op.txn.Delete(kInstanceProfileNamespace,
                EntityKey(op.account(), profile["InstanceProfileName"].get<std::string>()));
  return Json::object();
}

ServiceResult AddRoleToInstanceProfile(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json profile, RequireProfile(op));
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "RoleName", 64));
  std::string role_name = Str(op.in(), "RoleName");
  std::optional<Json> role = LoadRole(op, role_name);
  if (!role) {
    return NoSuchRole(role_name);
  }
  if (!profile["Roles"].empty()) {
    return LimitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  }
  profile["Roles"].push_back((*role)["RoleName"]);
  SaveProfile(op, profile);
  return Json::object();
}

ServiceResult RemoveRoleFromInstanceProfile(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json profile, RequireProfile(op));
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "RoleName", 64));
  std::string role_name = Str(op.in(), "RoleName");
  Json& roles = profile["Roles"];
  auto it = std::find_if(roles.begin(), roles.end(), [&](const Json& r) {
    return Lower(r.get<std::string>()) == Lower(role_name);
  });
  if (it == roles.end()) {
    return NoSuchRole(role_name);
  }
  roles.erase(it);
  SaveProfile(op, profile);
  return Json::object();
}

ServiceResult ListInstanceProfiles(Op& op) {
  SERVICE_RETURN_IF_ERROR(CheckPathPrefix(op.in()));
  std::string prefix = Has(op.in(), "PathPrefix") ? Str(op.in(), "PathPrefix") : "/";
  std::vector<std::pair<std::string, Json>> profiles;
  for (const auto& [key, profile] : op.txn.List(kInstanceProfileNamespace, op.account() + "/")) {
    if (profile["Path"].get<std::string>().starts_with(prefix)) {
      profiles.emplace_back(key, ProfileOutput(op, profile, /*with_tags=*/false));
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(profiles, op.in()));
  Json out = Json::object();
  PutPage(out, "InstanceProfiles", std::move(page));
  return out;
}

ServiceResult ListInstanceProfilesForRole(Op& op) {
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "RoleName", 64));
  std::string role_name = Str(op.in(), "RoleName");
  if (!LoadRole(op, role_name)) {
    return NoSuchRole(role_name);
  }
  std::vector<std::pair<std::string, Json>> profiles;
  for (const auto& [key, profile] : op.txn.List(kInstanceProfileNamespace, op.account() + "/")) {
    for (const Json& member : profile["Roles"]) {
      if (Lower(member.get<std::string>()) == Lower(role_name)) {
        profiles.emplace_back(key, ProfileOutput(op, profile, /*with_tags=*/false));
      }
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(profiles, op.in()));
  Json out = Json::object();
  PutPage(out, "InstanceProfiles", std::move(page));
  return out;
}

ServiceResult TagInstanceProfile(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json profile, RequireProfile(op));
  SERVICE_RETURN_IF_ERROR(TagEntity(op.in(), profile));
  SaveProfile(op, profile);
  return Json::object();
}

ServiceResult UntagInstanceProfile(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json profile, RequireProfile(op));
  SERVICE_RETURN_IF_ERROR(UntagEntity(op.in(), profile));
  SaveProfile(op, profile);
  return Json::object();
}

ServiceResult ListInstanceProfileTags(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json profile, RequireProfile(op));
  return ListEntityTags(op.in(), profile);
}

}  // namespace cf::cloud::iam
