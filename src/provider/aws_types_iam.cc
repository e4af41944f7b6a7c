// IAM: roles, policies, role policy attachments, inline role policies, instance profiles.
// Every IAM type has a name the config fixes (or a name_prefix made unique with the create
// token), so Find adopts by name.

#include <fmt/format.h>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

TagSpec IamTags(std::string tag_op, std::string untag_op, std::string id_member) {
  TagSpec t;
  t.style = TagSpec::Style::kList;
  t.read_path = "Tags";
  t.tag_op = std::move(tag_op);
  t.tag_params = {{id_member, "$id"}};
  t.untag_op = std::move(untag_op);
  t.untag_params = {{id_member, "$id"}};
  return t;
}

// name from name_prefix and the token when the config gives no name.
std::function<Status(AwsContext&, const InstanceRef&, Json&)> NameFromPrefix(
    std::string attr = "name", size_t max = 64) {
  return [attr, max](AwsContext&, const InstanceRef& ref, Json& config) {
    if (!Str(config, attr).empty()) {
      return OkStatus();
    }
    std::string prefix = Str(config, attr + "_prefix");
    if (prefix.empty()) {
      prefix = "terraform-";
    }
    std::string name = prefix + ref.token;
    config[attr] = name.substr(0, max);
    return OkStatus();
  };
}

TypeSpec Role() {
  TypeSpec s;
  s.type = "aws_iam_role";
  s.service = "iam";
  s.force_new = {"name", "name_prefix", "path"};
  s.prepare = NameFromPrefix();
  s.create_op = "CreateRole";
  s.id_template = "$attr.name";
  s.find_by_name = "name";
  s.tags = IamTags("TagRole", "UntagRole", "RoleName");
  s.fields = {
      {.attr = "name", .create = "RoleName", .read = "RoleName"},
      {.attr = "assume_role_policy",
       .create = "AssumeRolePolicyDocument",
       .read = "AssumeRolePolicyDocument",
       .conv = Conv::kUrlJsonDoc,
       .update_op = "UpdateAssumeRolePolicy",
       .update_params = {{"RoleName", "$id"}, {"PolicyDocument", "$value"}}},
      {.attr = "path", .create = "Path", .read = "Path"},
      {.attr = "description",
       .create = "Description",
       .read = "Description",
       .absent = "",
       .update_op = "UpdateRole",
       .update_params = {{"RoleName", "$id"}, {"Description", "$value"}}},
      {.attr = "max_session_duration",
       .create = "MaxSessionDuration",
       .read = "MaxSessionDuration",
       .update_op = "UpdateRole",
       .update_params = {{"RoleName", "$id"}, {"MaxSessionDuration", "$value"}}},
      {.attr = "permissions_boundary",
       .create = "PermissionsBoundary",
       .read = "PermissionsBoundary.PermissionsBoundaryArn",
       .absent = ""},
      {.attr = "arn", .read = "Arn"},
      {.attr = "unique_id", .read = "RoleId"},
      {.attr = "create_date", .read = "CreateDate", .conv = Conv::kTimestamp},
  };
  s.read.op = "GetRole";
  s.read.params = {{"RoleName", "$id"}};
  s.read.object = "Role";
  s.read.item_id = "RoleName";
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    std::string name = Str(state, "id");
    ASSIGN_OR_RETURN(Json attached,
                     ctx.Call("iam", "ListAttachedRolePolicies", {{"RoleName", name}}));
    Json arns = Json::array();
    for (const Json& p : attached.value("AttachedPolicies", Json::array())) {
      arns.push_back(Str(p, "PolicyArn"));
    }
    state["managed_policy_arns"] =
        FromApi(arns, Conv::kStringSet, prior.value("managed_policy_arns", Json()));
    ASSIGN_OR_RETURN(Json inline_names, ctx.Call("iam", "ListRolePolicies", {{"RoleName", name}}));
    Json inline_policies = Json::array();
    for (const Json& n : inline_names.value("PolicyNames", Json::array())) {
      ASSIGN_OR_RETURN(Json p,
                       ctx.Call("iam", "GetRolePolicy", {{"RoleName", name}, {"PolicyName", n}}));
      inline_policies.push_back(
          {{"name", n}, {"policy", FromApi(p["PolicyDocument"], Conv::kUrlJsonDoc, Json())}});
    }
    state["inline_policy"] = inline_policies;
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    if (!state.contains("force_detach_policies")) {
      state["force_detach_policies"] = false;
    }
    return OkStatus();
  };
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) -> Status {
    std::string name = Str(state, "id");
    ASSIGN_OR_RETURN(Json profiles,
                     ctx.Call("iam", "ListInstanceProfilesForRole", {{"RoleName", name}}));
    for (const Json& p : profiles.value("InstanceProfiles", Json::array())) {
      RETURN_IF_ERROR(
          ctx.Call("iam", "RemoveRoleFromInstanceProfile",
                   {{"RoleName", name}, {"InstanceProfileName", Str(p, "InstanceProfileName")}}));
    }
    if (!state.value("force_detach_policies", false)) {
      return OkStatus();
    }
    ASSIGN_OR_RETURN(Json attached,
                     ctx.Call("iam", "ListAttachedRolePolicies", {{"RoleName", name}}));
    for (const Json& p : attached.value("AttachedPolicies", Json::array())) {
      RETURN_IF_ERROR(ctx.Call("iam", "DetachRolePolicy",
                               {{"RoleName", name}, {"PolicyArn", Str(p, "PolicyArn")}}));
    }
    ASSIGN_OR_RETURN(Json names, ctx.Call("iam", "ListRolePolicies", {{"RoleName", name}}));
    for (const Json& n : names.value("PolicyNames", Json::array())) {
      RETURN_IF_ERROR(ctx.Call("iam", "DeleteRolePolicy", {{"RoleName", name}, {"PolicyName", n}}));
    }
    return OkStatus();
  };
  s.delete_op = "DeleteRole";
  s.delete_params = {{"RoleName", "$id"}};
  return s;
}

std::string PolicyArn(AwsContext& ctx, const std::string& account, const Json& config) {
  std::string path = Str(config, "path");
  if (path.empty()) {
    path = "/";
  }
  return fmt::format("arn:{}:iam::{}:policy{}{}", ctx.partition(), account, path,
                     Str(config, "name"));
}

TypeSpec Policy() {
  TypeSpec s;
  s.type = "aws_iam_policy";
  s.service = "iam";
  s.force_new = {"name", "name_prefix", "path", "description"};
  s.prepare = NameFromPrefix("name", 128);
  s.create_op = "CreatePolicy";
  s.create_id = "Policy.Arn";
  s.tags = IamTags("TagPolicy", "UntagPolicy", "PolicyArn");
  s.fields = {
      {.attr = "name", .create = "PolicyName", .read = "PolicyName"},
      {.attr = "policy", .create = "PolicyDocument"},
      {.attr = "path", .create = "Path", .read = "Path"},
      {.attr = "description", .create = "Description", .read = "Description", .absent = ""},
      {.attr = "arn", .read = "Arn"},
      {.attr = "policy_id", .read = "PolicyId"},
      {.attr = "attachment_count", .read = "AttachmentCount", .absent = 0},
  };
  s.read.op = "GetPolicy";
  s.read.params = {{"PolicyArn", "$id"}};
  s.read.object = "Policy";
  s.read.item_id = "Arn";
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    ASSIGN_OR_RETURN(Json version,
                     ctx.Call("iam", "GetPolicyVersion",
                              {{"PolicyArn", state["id"]},
                               {"VersionId", Str(state["__item"], "DefaultVersionId")}}));
    state["policy"] = FromApi(GetPath(version, "PolicyVersion.Document"), Conv::kUrlJsonDoc,
                              prior.value("policy", Json()));
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    for (const Json& changed : state["__changed"]) {
      if (changed != "policy") {
        return InvalidArgumentError("aws_iam_policy: " + changed.get<std::string>() +
                                    " cannot be changed in place");
      }
    }
    // At most five versions: drop the oldest non-default one first.
    ASSIGN_OR_RETURN(Json versions,
                     ctx.Call("iam", "ListPolicyVersions", {{"PolicyArn", state["id"]}}));
    Json list = versions.value("Versions", Json::array());
    if (list.size() >= 5) {
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (!it->value("IsDefaultVersion", false)) {
          RETURN_IF_ERROR(
              ctx.Call("iam", "DeletePolicyVersion",
                       {{"PolicyArn", state["id"]}, {"VersionId", (*it)["VersionId"]}}));
          break;
        }
      }
    }
    return ctx
        .Call("iam", "CreatePolicyVersion",
              {{"PolicyArn", state["id"]},
               {"PolicyDocument", config["policy"]},
               {"SetAsDefault", true}})
        .status();
  };
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) -> Status {
    ASSIGN_OR_RETURN(Json versions,
                     ctx.Call("iam", "ListPolicyVersions", {{"PolicyArn", state["id"]}}));
    for (const Json& v : versions.value("Versions", Json::array())) {
      if (!v.value("IsDefaultVersion", false)) {
        RETURN_IF_ERROR(ctx.Call("iam", "DeletePolicyVersion",
                                 {{"PolicyArn", state["id"]}, {"VersionId", v["VersionId"]}}));
      }
    }
    return OkStatus();
  };
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(std::string account, ctx.Account());
    Result<Json> out =
        ctx.Call("iam", "GetPolicy", {{"PolicyArn", PolicyArn(ctx, account, config)}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound) {
        return std::optional<Json>();
      }
      return out.status();
    }
    Json state = config;
    state["id"] = GetPath(*out, "Policy.Arn");
    return std::optional<Json>(std::move(state));
  };
  s.delete_op = "DeletePolicy";
  s.delete_params = {{"PolicyArn", "$id"}};
  return s;
}

TypeSpec RolePolicyAttachment() {
  TypeSpec s;
  s.type = "aws_iam_role_policy_attachment";
  s.service = "iam";
  s.force_new = {"role", "policy_arn"};
  s.create_op = "AttachRolePolicy";
  s.make_id = [](const Json& config, const Json&) {
    return Str(config, "role") + "/" + Str(config, "policy_arn");
  };
  s.fields = {{.attr = "role", .create = "RoleName"},
              {.attr = "policy_arn", .create = "PolicyArn"}};
  s.read.op = "ListAttachedRolePolicies";
  s.read.params = {{"RoleName", "$attr.role"}};
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    for (const Json& p : state["__item"].value("AttachedPolicies", Json::array())) {
      if (Str(p, "PolicyArn") == Str(prior, "policy_arn")) {
        state["role"] = prior["role"];
        state["policy_arn"] = prior["policy_arn"];
        return OkStatus();
      }
    }
    return NotFoundError("policy " + Str(prior, "policy_arn") + " is not attached to " +
                         Str(prior, "role"));
  };
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    Result<Json> out = ctx.Call("iam", "ListAttachedRolePolicies", {{"RoleName", config["role"]}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound) {
        return std::optional<Json>();
      }
      return out.status();
    }
    for (const Json& p : out->value("AttachedPolicies", Json::array())) {
      if (Str(p, "PolicyArn") == Str(config, "policy_arn")) {
        Json state = config;
        state["id"] = Str(config, "role") + "/" + Str(config, "policy_arn");
        return std::optional<Json>(std::move(state));
      }
    }
    return std::optional<Json>();
  };
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    size_t cut = id.find('/');
    if (cut == std::string_view::npos) {
      return InvalidArgumentError(
          "aws_iam_role_policy_attachment import id must be ROLE/POLICYARN, got " +
          std::string(id));
    }
    return Json{{"id", std::string(id)},
                {"role", std::string(id.substr(0, cut))},
                {"policy_arn", std::string(id.substr(cut + 1))}};
  };
  s.delete_op = "DetachRolePolicy";
  s.delete_params = {{"RoleName", "$attr.role"}, {"PolicyArn", "$attr.policy_arn"}};
  return s;
}

TypeSpec RolePolicy() {
  TypeSpec s;
  s.type = "aws_iam_role_policy";
  s.service = "iam";
  s.force_new = {"role", "name", "name_prefix"};
  s.prepare = NameFromPrefix("name", 128);
  s.create_op = "PutRolePolicy";
  s.make_id = [](const Json& config, const Json&) {
    return Str(config, "role") + ":" + Str(config, "name");
  };
  s.fields = {
      {.attr = "role", .create = "RoleName", .read = "RoleName"},
      {.attr = "name", .create = "PolicyName", .read = "PolicyName"},
      {.attr = "policy",
       .create = "PolicyDocument",
       .read = "PolicyDocument",
       .conv = Conv::kUrlJsonDoc,
       .update_op = "PutRolePolicy",
       .update_params = {{"RoleName", "$attr.role"},
                         {"PolicyName", "$attr.name"},
                         {"PolicyDocument", "$value"}}},
  };
  s.read.op = "GetRolePolicy";
  s.read.params = {{"RoleName", "$attr.role"}, {"PolicyName", "$attr.name"}};
  s.after_read = [](AwsContext&, const TypeSpec&, const Json&, Json& state) {
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    return OkStatus();
  };
  s.find_by_name = "name";
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    Result<Json> out = ctx.Call("iam", "GetRolePolicy",
                                {{"RoleName", config["role"]}, {"PolicyName", config["name"]}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound) {
        return std::optional<Json>();
      }
      return out.status();
    }
    Json state = config;
    state["id"] = Str(config, "role") + ":" + Str(config, "name");
    return std::optional<Json>(std::move(state));
  };
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    size_t cut = id.find(':');
    if (cut == std::string_view::npos) {
      return InvalidArgumentError("aws_iam_role_policy import id must be ROLE:NAME, got " +
                                  std::string(id));
    }
    return Json{{"id", std::string(id)},
                {"role", std::string(id.substr(0, cut))},
                {"name", std::string(id.substr(cut + 1))}};
  };
  s.delete_op = "DeleteRolePolicy";
  s.delete_params = {{"RoleName", "$attr.role"}, {"PolicyName", "$attr.name"}};
  return s;
}

Status SetProfileRole(AwsContext& ctx, const std::string& profile, const std::string& from,
                      const std::string& to) {
  if (from == to) {
    return OkStatus();
  }
  if (!from.empty()) {
    Result<Json> out = ctx.Call("iam", "RemoveRoleFromInstanceProfile",
                                {{"InstanceProfileName", profile}, {"RoleName", from}});
    if (!out.ok() && out.status().code() != StatusCode::kNotFound) {
      return out.status();
    }
  }
  if (!to.empty()) {
    RETURN_IF_ERROR(ctx.Call("iam", "AddRoleToInstanceProfile",
                             {{"InstanceProfileName", profile}, {"RoleName", to}}));
  }
  return OkStatus();
}

TypeSpec InstanceProfile() {
  TypeSpec s;
  s.type = "aws_iam_instance_profile";
  s.service = "iam";
  s.force_new = {"name", "name_prefix", "path"};
  s.prepare = NameFromPrefix("name", 128);
  s.create_op = "CreateInstanceProfile";
  s.id_template = "$attr.name";
  s.find_by_name = "name";
  s.tags = IamTags("TagInstanceProfile", "UntagInstanceProfile", "InstanceProfileName");
  s.fields = {
      {.attr = "name", .create = "InstanceProfileName", .read = "InstanceProfileName"},
      {.attr = "path", .create = "Path", .read = "Path"},
      {.attr = "arn", .read = "Arn"},
      {.attr = "unique_id", .read = "InstanceProfileId"},
      {.attr = "create_date", .read = "CreateDate", .conv = Conv::kTimestamp},
      {.attr = "role", .read = "Roles[0].RoleName", .absent = ""},
  };
  s.read.op = "GetInstanceProfile";
  s.read.params = {{"InstanceProfileName", "$id"}};
  s.read.object = "InstanceProfile";
  s.read.item_id = "InstanceProfileName";
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    return SetProfileRole(ctx, state["id"], "", Str(config, "role"));
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json&, Json& state) {
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) {
    return SetProfileRole(ctx, state["id"], Str(state, "role"), Str(config, "role"));
  };
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) {
    return SetProfileRole(ctx, state["id"], Str(state, "role"), "");
  };
  s.delete_op = "DeleteInstanceProfile";
  s.delete_params = {{"InstanceProfileName", "$id"}};
  return s;
}

TypeSpec OidcProvider() {
  TypeSpec s;
  s.type = "aws_iam_openid_connect_provider";
  s.service = "iam";
  s.force_new = {"url"};
  s.create_op = "CreateOpenIDConnectProvider";
  s.create_id = "OpenIDConnectProviderArn";
  s.tag_address = true;
  s.tags =
      IamTags("TagOpenIDConnectProvider", "UntagOpenIDConnectProvider", "OpenIDConnectProviderArn");
  s.fields = {
      {.attr = "url", .create = "Url"},
      {.attr = "client_id_list",
       .create = "ClientIDList",
       .read = "ClientIDList",
       .conv = Conv::kStringSet},
      {.attr = "thumbprint_list",
       .create = "ThumbprintList",
       .read = "ThumbprintList",
       .conv = Conv::kStringSet,
       .update_op = "UpdateOpenIDConnectProviderThumbprint",
       .update_params = {{"OpenIDConnectProviderArn", "$id"}, {"ThumbprintList", "$value"}}},
  };
  s.read.op = "GetOpenIDConnectProvider";
  s.read.params = {{"OpenIDConnectProviderArn", "$id"}};
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) {
    // The API answers the URL without its scheme.
    std::string url = Str(state["__item"], "Url");
    std::string given = Str(prior, "url");
    state["url"] = given.empty() || given.find(url) == std::string::npos ? "https://" + url : given;
    state["arn"] = state["id"];
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    std::set<std::string> have, want;
    for (const Json& c : state.value("client_id_list", Json::array())) {
      have.insert(c.get<std::string>());
    }
    for (const Json& c : config.value("client_id_list", Json::array())) {
      want.insert(c.get<std::string>());
    }
    for (const std::string& c : want) {
      if (!have.contains(c)) {
        RETURN_IF_ERROR(ctx.Call("iam", "AddClientIDToOpenIDConnectProvider",
                                 {{"OpenIDConnectProviderArn", state["id"]}, {"ClientID", c}}));
      }
    }
    for (const std::string& c : have) {
      if (!want.contains(c)) {
        RETURN_IF_ERROR(ctx.Call("iam", "RemoveClientIDFromOpenIDConnectProvider",
                                 {{"OpenIDConnectProviderArn", state["id"]}, {"ClientID", c}}));
      }
    }
    return OkStatus();
  };
  // The provider's ARN follows from its URL: adopt by that.
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    std::string url = Str(config, "url");
    if (url.rfind("https://", 0) == 0) {
      url = url.substr(8);
    }
    ASSIGN_OR_RETURN(std::string account, ctx.Account());
    std::string arn = fmt::format("arn:{}:iam::{}:oidc-provider/{}", ctx.partition(), account, url);
    Result<Json> out =
        ctx.Call("iam", "GetOpenIDConnectProvider", {{"OpenIDConnectProviderArn", arn}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound) {
        return std::optional<Json>();
      }
      return out.status();
    }
    Json state = config;
    state["id"] = arn;
    return std::optional<Json>(std::move(state));
  };
  s.delete_op = "DeleteOpenIDConnectProvider";
  s.delete_params = {{"OpenIDConnectProviderArn", "$id"}};
  return s;
}

}  // namespace

void AddIamTypes(std::vector<TypeSpec>& out) {
  out.push_back(Role());
  out.push_back(Policy());
  out.push_back(RolePolicyAttachment());
  out.push_back(RolePolicy());
  out.push_back(InstanceProfile());
  out.push_back(OidcProvider());
}

}  // namespace cf::provider::aws_spec
