// Roles: create, read, update, delete, list, tags, service-linked roles, inline policies and
// managed-policy attachments.

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "cloud/iam/iam_internal.h"
#include "cloud/iam/policy_document.h"

namespace cf::cloud::iam {

namespace {

constexpr size_t kTrustPolicyMax = 2048;
constexpr size_t kInlinePolicyMax = 10240;
constexpr size_t kManagedPoliciesPerRole = 10;

// Loads the role named by in["RoleName"] into `role`.
ServiceOr<Json> RequireRole(Op& op) {
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "RoleName", 64));
  std::string name = Str(op.in(), "RoleName");
  std::optional<Json> found = LoadRole(op, name);
  if (!found) {
    return NoSuchRole(name);
  }
  return std::move(*found);
}

// Service-linked roles change only through their service.
ServiceStatus RequireModifiable(const Json& role) {
  if (role.value("ServiceLinked", false)) {
    return UnmodifiableEntity(fmt::format(
        "Cannot perform the operation on the protected role '{}' - this role is only modifiable "
        "by AWS",
        role["RoleName"].get<std::string>()));
  }
  return {};
}

void SaveRole(Op& op, const Json& role) {
  op.txn.Put(kRoleNamespace, EntityKey(op.account(), role["RoleName"].get<std::string>()), role);
}

std::string TrustQuota() {
  return fmt::format("Cannot exceed quota for ACLSizePerRole: {}", kTrustPolicyMax);
}

// The role name AWS gives a service's service-linked role ("AWSServiceRoleForAutoScaling").
std::string ServiceLinkedRoleName(const std::string& service) {
  static const std::map<std::string, std::string> kKnown = {
      {"autoscaling.amazonaws.com", "AutoScaling"},
      {"elasticloadbalancing.amazonaws.com", "ElasticLoadBalancing"},
      {"eks.amazonaws.com", "AmazonEKS"},
      {"eks-nodegroup.amazonaws.com", "AmazonEKSNodegroup"},
      {"eks-fargate.amazonaws.com", "AmazonEKSForFargate"},
      {"rds.amazonaws.com", "RDS"},
      {"elasticache.amazonaws.com", "ElastiCache"},
      {"spot.amazonaws.com", "EC2Spot"},
      {"ecs.amazonaws.com", "ECS"},
      {"elasticfilesystem.amazonaws.com", "AmazonElasticFileSystem"},
      {"ssm.amazonaws.com", "AmazonSSM"},
      {"dynamodb.application-autoscaling.amazonaws.com", "ApplicationAutoScaling_DynamoDBTable"},
      {"kms.amazonaws.com", "KeyManagementServiceMultiRegionKeys"},
  };
  auto it = kKnown.find(service);
  if (it != kKnown.end()) {
    return "AWSServiceRoleFor" + it->second;
  }
  std::string label = service.substr(0, service.find('.'));
  std::string name;
  bool upper = true;
  for (char c : label) {
    if (c == '-') {
      upper = true;
      continue;
    }
    name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return "AWSServiceRoleFor" + name;
}

}  // namespace

ServiceResult CreateRole(Op& op) {
  const Json& in = op.in();
  SERVICE_RETURN_IF_ERROR(CheckName(in, "RoleName", 64));
  SERVICE_RETURN_IF_ERROR(CheckPath(in, "Path"));
  SERVICE_RETURN_IF_ERROR(CheckMaxSessionDuration(in));
  SERVICE_RETURN_IF_ERROR(
      CheckDocument(in, "AssumeRolePolicyDocument", /*trust=*/true, kTrustPolicyMax, TrustQuota()));
  if (Has(in, "Description") && Str(in, "Description").size() > 1000) {
    return ValidationError(
        "1 validation error detected: Value at 'description' failed to satisfy constraint: "
        "Member must have length less than or equal to 1000");
  }
  if (Has(in, "PermissionsBoundary")) {
    return InvalidInput("Permissions boundaries are not supported by the local cloud.");
  }
  std::string name = Str(in, "RoleName");
  if (LoadRole(op, name)) {
    return EntityAlreadyExists(fmt::format("Role with name {} already exists.", name));
  }
  SERVICE_ASSIGN_OR_RETURN(auto tags, MergeTags(Json::array(), in, "Tags"));
  std::string path = Has(in, "Path") ? Str(in, "Path") : "/";
  Json role = {{"RoleName", name},
               {"RoleId", NewUniqueId(op, "AROA")},
               {"Arn", fmt::format("arn:aws:iam::{}:role{}{}", op.account(), path, name)},
               {"Path", path},
               {"CreateDate", op.now},
               {"AssumeRolePolicyDocument", Str(in, "AssumeRolePolicyDocument")},
               {"MaxSessionDuration",
                Has(in, "MaxSessionDuration") ? in["MaxSessionDuration"].get<int64_t>() : 3600},
               {"Tags", tags},
               {"AttachedPolicies", Json::array()},
               {"InlinePolicies", Json::object()},
               {"ServiceLinked", false}};
  if (Has(in, "Description")) {
    role["Description"] = Str(in, "Description");
  }
  SaveRole(op, role);
  Json out = RoleOutput(role, /*with_tags=*/true);
  out.erase("RoleLastUsed");  // only GetRole reports it
  return Json{{"Role", std::move(out)}};
}

ServiceResult GetRole(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  return Json{{"Role", RoleOutput(role, /*with_tags=*/true)}};
}

ServiceResult DeleteRole(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(RequireModifiable(role));
  if (!role["AttachedPolicies"].empty()) {
    return DeleteConflict("Cannot delete entity, must detach all policies first.");
  }
  if (!role["InlinePolicies"].empty()) {
    return DeleteConflict("Cannot delete entity, must delete policies first.");
  }
  std::string key = EntityKey(op.account(), role["RoleName"].get<std::string>());
  for (const auto& [profile_key, profile] :
       op.txn.List(kInstanceProfileNamespace, op.account() + "/")) {
    for (const Json& member : profile["Roles"]) {
      if (EntityKey(op.account(), member.get<std::string>()) == key) {
        return DeleteConflict(
            "Cannot delete entity, must remove roles from instance profile first.");
      }
    }
  }
  op.txn.Delete(kRoleNamespace, key);
  return Json::object();
}

ServiceResult ListRoles(Op& op) {
  SERVICE_RETURN_IF_ERROR(CheckPathPrefix(op.in()));
  std::string prefix = Has(op.in(), "PathPrefix") ? Str(op.in(), "PathPrefix") : "/";
  std::vector<std::pair<std::string, Json>> roles;
  for (const auto& [key, role] : op.txn.List(kRoleNamespace, op.account() + "/")) {
    if (role["Path"].get<std::string>().starts_with(prefix)) {
      roles.emplace_back(key, RoleOutput(role, /*with_tags=*/false));
    }
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(roles, op.in()));
  Json out = Json::object();
  PutPage(out, "Roles", std::move(page));
  return out;
}

ServiceResult UpdateRole(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(CheckMaxSessionDuration(op.in()));
  if (Has(op.in(), "Description")) {
    role["Description"] = Str(op.in(), "Description");
  }
  if (Has(op.in(), "MaxSessionDuration")) {
    role["MaxSessionDuration"] = op.in()["MaxSessionDuration"];
  }
  SaveRole(op, role);
  return Json::object();
}

ServiceResult UpdateRoleDescription(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(Require(op.in(), "Description"));
  role["Description"] = Str(op.in(), "Description");
  SaveRole(op, role);
  return Json{{"Role", RoleOutput(role, /*with_tags=*/true)}};
}

ServiceResult UpdateAssumeRolePolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(RequireModifiable(role));
  SERVICE_RETURN_IF_ERROR(
      CheckDocument(op.in(), "PolicyDocument", /*trust=*/true, kTrustPolicyMax, TrustQuota()));
  role["AssumeRolePolicyDocument"] = Str(op.in(), "PolicyDocument");
  SaveRole(op, role);
  return Json::object();
}

ServiceResult TagRole(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(TagEntity(op.in(), role));
  SaveRole(op, role);
  return Json::object();
}

ServiceResult UntagRole(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(UntagEntity(op.in(), role));
  SaveRole(op, role);
  return Json::object();
}

ServiceResult ListRoleTags(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  return ListEntityTags(op.in(), role);
}

ServiceResult CreateServiceLinkedRole(Op& op) {
  SERVICE_RETURN_IF_ERROR(Require(op.in(), "AWSServiceName"));
  std::string service = Str(op.in(), "AWSServiceName");
  if (!service.ends_with(".amazonaws.com") || service.size() <= 14) {
    return InvalidInput(fmt::format(
        "Service name {} is not a service that supports service-linked roles.", service));
  }
  std::string name = ServiceLinkedRoleName(service);
  if (Has(op.in(), "CustomSuffix")) {
    name += "_" + Str(op.in(), "CustomSuffix");
  }
  if (name.size() > 64) {
    return InvalidInput(fmt::format("Role name {} is too long.", name));
  }
  if (LoadRole(op, name)) {
    return InvalidInput(fmt::format(
        "Service role name {} has been taken in this account, please try a different suffix.",
        name));
  }
  std::string path = "/aws-service-role/" + service + "/";
  Json role = {{"RoleName", name},
               {"RoleId", NewUniqueId(op, "AROA")},
               {"Arn", fmt::format("arn:aws:iam::{}:role{}{}", op.account(), path, name)},
               {"Path", path},
               {"CreateDate", op.now},
               {"AssumeRolePolicyDocument",
                Json{{"Version", "2012-10-17"},
                     {"Statement", Json::array({{{"Effect", "Allow"},
                                                 {"Principal", {{"Service", service}}},
                                                 {"Action", "sts:AssumeRole"}}})}}
                    .dump()},
               {"MaxSessionDuration", 3600},
               {"Tags", Json::array()},
               {"AttachedPolicies", Json::array()},
               {"InlinePolicies", Json::object()},
               {"ServiceLinked", true}};
  if (Has(op.in(), "Description")) {
    role["Description"] = Str(op.in(), "Description");
  }
  SaveRole(op, role);
  return Json{{"Role", RoleOutput(role, /*with_tags=*/false)}};
}

ServiceResult DeleteServiceLinkedRole(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  if (!role.value("ServiceLinked", false)) {
    return InvalidInput(
        fmt::format("Role {} is not a service-linked role.", role["RoleName"].get<std::string>()));
  }
  std::string path = role["Path"].get<std::string>();  // "/aws-service-role/SERVICE/"
  std::string task = fmt::format("task{}{}/{}", path, role["RoleName"].get<std::string>(),
                                 op.context.ids.RequestId());
  op.txn.Delete(kRoleNamespace, EntityKey(op.account(), role["RoleName"].get<std::string>()));
  op.txn.Put(kDeletionTaskNamespace, op.account() + "/" + task, Json{{"Status", "SUCCEEDED"}});
  return Json{{"DeletionTaskId", task}};
}

ServiceResult GetServiceLinkedRoleDeletionStatus(Op& op) {
  SERVICE_RETURN_IF_ERROR(Require(op.in(), "DeletionTaskId"));
  std::string task = Str(op.in(), "DeletionTaskId");
  if (!task.starts_with("task/aws-service-role/")) {
    return InvalidInput(fmt::format("Invalid deletion task id {}.", task));
  }
  std::optional<Json> doc = op.txn.Get(kDeletionTaskNamespace, op.account() + "/" + task);
  if (!doc) {
    return NoSuchEntity(fmt::format("Deletion task {} cannot be found.", task));
  }
  return Json{{"Status", (*doc)["Status"]}};
}

ServiceResult PutRolePolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(RequireModifiable(role));
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "PolicyName", 128));
  std::string role_name = role["RoleName"].get<std::string>();
  SERVICE_RETURN_IF_ERROR(
      CheckDocument(op.in(), "PolicyDocument", /*trust=*/false, kInlinePolicyMax,
                    fmt::format("Maximum policy size of {} bytes exceeded for role {}",
                                kInlinePolicyMax, role_name)));
  // The quota covers all of a role's inline policies together.
  std::string name = Str(op.in(), "PolicyName");
  size_t total = PolicySize(Str(op.in(), "PolicyDocument"));
  for (const auto& [other, document] : role["InlinePolicies"].items()) {
    if (other != name) {
      total += PolicySize(document.get<std::string>());
    }
  }
  if (total > kInlinePolicyMax) {
    return LimitExceeded(fmt::format("Maximum policy size of {} bytes exceeded for role {}",
                                     kInlinePolicyMax, role_name));
  }
  role["InlinePolicies"][name] = Str(op.in(), "PolicyDocument");
  SaveRole(op, role);
  return Json::object();
}

ServiceResult GetRolePolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "PolicyName", 128));
  std::string name = Str(op.in(), "PolicyName");
  if (!role["InlinePolicies"].contains(name)) {
    return NoSuchEntity(fmt::format("The role policy with name {} cannot be found.", name));
  }
  return Json{
      {"RoleName", role["RoleName"]},
      {"PolicyName", name},
      {"PolicyDocument", UrlEncodeDocument(role["InlinePolicies"][name].get<std::string>())}};
}

ServiceResult DeleteRolePolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(RequireModifiable(role));
  SERVICE_RETURN_IF_ERROR(CheckName(op.in(), "PolicyName", 128));
  std::string name = Str(op.in(), "PolicyName");
  if (!role["InlinePolicies"].contains(name)) {
    return NoSuchEntity(fmt::format("The role policy with name {} cannot be found.", name));
  }
  role["InlinePolicies"].erase(name);
  SaveRole(op, role);
  return Json::object();
}

ServiceResult ListRolePolicies(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  std::vector<std::pair<std::string, Json>> names;
  for (const auto& [name, document] : role["InlinePolicies"].items()) {
    names.emplace_back(name, name);
  }
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(names, op.in()));
  Json out = Json::object();
  PutPage(out, "PolicyNames", std::move(page));
  return out;
}

ServiceResult AttachRolePolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(RequireModifiable(role));
  SERVICE_RETURN_IF_ERROR(CheckPolicyArn(op.in(), "PolicyArn"));
  std::string arn = Str(op.in(), "PolicyArn");
  std::optional<PolicyRef> policy = LoadPolicy(op, arn);
  if (!policy) {
    return NoSuchEntity(fmt::format("Policy {} does not exist or is not attachable.", arn));
  }
  Json& attached = role["AttachedPolicies"];
  for (const Json& a : attached) {
    if (a["PolicyArn"] == arn) {
      return Json::object();  // attaching twice is a no-op, as in IAM.
    }
  }
  if (attached.size() >= kManagedPoliciesPerRole) {
    return LimitExceeded(
        fmt::format("Cannot exceed quota for PoliciesPerRole: {}", kManagedPoliciesPerRole));
  }
  attached.push_back({{"PolicyName", policy->doc["PolicyName"]}, {"PolicyArn", arn}});
  SaveRole(op, role);
  return Json::object();
}

ServiceResult DetachRolePolicy(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(RequireModifiable(role));
  SERVICE_RETURN_IF_ERROR(CheckPolicyArn(op.in(), "PolicyArn"));
  std::string arn = Str(op.in(), "PolicyArn");
  Json& attached = role["AttachedPolicies"];
  auto it = std::find_if(attached.begin(), attached.end(),
                         [&](const Json& a) { return a["PolicyArn"] == arn; });
  if (it == attached.end()) {
    return NoSuchEntity(fmt::format("Policy {} was not found.", arn));
  }
  attached.erase(it);
  SaveRole(op, role);
  return Json::object();
}

ServiceResult ListAttachedRolePolicies(Op& op) {
  SERVICE_ASSIGN_OR_RETURN(Json role, RequireRole(op));
  SERVICE_RETURN_IF_ERROR(CheckPathPrefix(op.in()));
  std::string prefix = Has(op.in(), "PathPrefix") ? Str(op.in(), "PathPrefix") : "/";
  std::vector<std::pair<std::string, Json>> policies;
  for (const Json& a : role["AttachedPolicies"]) {
    std::string arn = a["PolicyArn"].get<std::string>();
    // The path is what lies between "policy" and the name.
    size_t start = arn.find(":policy/") + 7;
    std::string path = arn.substr(start, arn.rfind('/') + 1 - start);
    if (path.starts_with(prefix)) {
      policies.emplace_back(Lower(a["PolicyName"].get<std::string>()) + "\n" + arn, a);
    }
  }
  std::sort(policies.begin(), policies.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  SERVICE_ASSIGN_OR_RETURN(auto page, Paginate(policies, op.in()));
  Json out = Json::object();
  PutPage(out, "AttachedPolicies", std::move(page));
  return out;
}

}  // namespace cf::cloud::iam
