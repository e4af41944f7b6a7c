// KMS keys and aliases, Secrets Manager secrets and versions, DynamoDB tables and items,
// CloudWatch Logs log groups.

#include <fmt/format.h>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

using Kind = Member::Kind;

TypeSpec KmsKey() {
  TypeSpec s;
  s.type = "aws_kms_key";
  s.service = "kms";
  s.force_new = {"key_usage", "customer_master_key_spec", "multi_region"};
  s.create_op = "CreateKey";
  s.create_id = "KeyMetadata.KeyId";
  s.tag_address = true;
  s.tags.style = TagSpec::Style::kList;
  s.tags.key = "TagKey";
  s.tags.value = "TagValue";
  s.tags.read_op = "ListResourceTags";
  s.tags.read_params = {{"KeyId", "$id"}};
  s.tags.read_path = "Tags";
  s.tags.tag_op = "TagResource";
  s.tags.tag_params = {{"KeyId", "$id"}};
  s.tags.untag_op = "UntagResource";
  s.tags.untag_params = {{"KeyId", "$id"}};
  s.fields = {
      {.attr = "description",
       .create = "Description",
       .read = "Description",
       .update_op = "UpdateKeyDescription",
       .update_params = {{"KeyId", "$id"}, {"Description", "$value"}}},
      {.attr = "key_usage", .create = "KeyUsage", .read = "KeyUsage"},
      {.attr = "customer_master_key_spec", .create = "KeySpec", .read = "KeySpec"},
      {.attr = "multi_region", .create = "MultiRegion", .read = "MultiRegion", .absent = false},
      {.attr = "policy",
       .create = "Policy",
       .conv = Conv::kJsonDoc,
       .update_op = "PutKeyPolicy",
       .update_params = {{"KeyId", "$id"}, {"PolicyName", "default"}, {"Policy", "$value"}}},
      {.attr = "bypass_policy_lockout_safety_check", .create = "BypassPolicyLockoutSafetyCheck"},
      {.attr = "is_enabled", .read = "Enabled"},
      {.attr = "arn", .read = "Arn"},
      {.attr = "key_id", .read = "KeyId"},
  };
  s.read.op = "DescribeKey";
  s.read.params = {{"KeyId", "$id"}};
  s.read.object = "KeyMetadata";
  s.read.item_id = "KeyId";
  s.read.state_path = "KeyState";
  s.read.gone_states = {"PendingDeletion", "PendingReplicaDeletion"};
  s.read.pending_states = {"Creating"};
  auto rotation = [](AwsContext& ctx, const std::string& id, const Json& config) -> Status {
    if (config.value("enable_key_rotation", false)) {
      Json params = {{"KeyId", id}};
      if (config.contains("rotation_period_in_days")) {
        params["RotationPeriodInDays"] = config["rotation_period_in_days"];
      }
      return ctx.Call("kms", "EnableKeyRotation", params).status();
    }
    return ctx.Call("kms", "DisableKeyRotation", {{"KeyId", id}}).status();
  };
  s.after_create = [rotation](AwsContext& ctx, const TypeSpec&, const Json& config,
                              Json& state) -> Status {
    if (config.value("enable_key_rotation", false)) {
      RETURN_IF_ERROR(rotation(ctx, state["id"], config));
    }
    if (config.contains("is_enabled") && !config["is_enabled"].get<bool>()) {
      RETURN_IF_ERROR(ctx.Call("kms", "DisableKey", {{"KeyId", state["id"]}}));
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    std::string id = Str(state, "id");
    ASSIGN_OR_RETURN(Json policy,
                     ctx.Call("kms", "GetKeyPolicy", {{"KeyId", id}, {"PolicyName", "default"}}));
    state["policy"] = FromApi(policy["Policy"], Conv::kJsonDoc, prior.value("policy", Json()));
    ASSIGN_OR_RETURN(Json rot, ctx.Call("kms", "GetKeyRotationStatus", {{"KeyId", id}}));
    state["enable_key_rotation"] = rot.value("KeyRotationEnabled", false);
    state["rotation_period_in_days"] =
        rot.value("RotationPeriodInDays", prior.value("rotation_period_in_days", Json(365)));
    if (!state.contains("deletion_window_in_days")) {
      state["deletion_window_in_days"] = 30;
    }
    if (!state.contains("bypass_policy_lockout_safety_check")) {
      state["bypass_policy_lockout_safety_check"] = false;
    }
    state["custom_key_store_id"] = prior.value("custom_key_store_id", "");
    state["xks_key_id"] = prior.value("xks_key_id", "");
    return OkStatus();
  };
  s.update = [rotation](AwsContext& ctx, const TypeSpec&, const Json& config,
                        Json& state) -> Status {
    for (const Json& changed : state["__changed"]) {
      std::string name = changed;
      if (name == "enable_key_rotation" || name == "rotation_period_in_days") {
        RETURN_IF_ERROR(rotation(ctx, state["id"], config));
      } else if (name == "is_enabled") {
        RETURN_IF_ERROR(ctx.Call("kms",
                                 config.value("is_enabled", true) ? "EnableKey" : "DisableKey",
                                 {{"KeyId", state["id"]}}));
      } else if (name != "deletion_window_in_days" &&
                 name != "bypass_policy_lockout_safety_check") {
        return InvalidArgumentError("aws_kms_key: " + name + " cannot be changed in place");
      }
    }
    return OkStatus();
  };
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef& ref,
                     const Json& config) -> Result<std::optional<Json>> {
    // KMS has no tag filter: the keys' tags, one call each.
    Json params = Json::object();
    for (int page = 0; page < 100; ++page) {
      ASSIGN_OR_RETURN(Json keys, ctx.Call("kms", "ListKeys", params));
      for (const Json& k : keys.value("Keys", Json::array())) {
        Result<Json> tags = ctx.Call("kms", "ListResourceTags", {{"KeyId", k["KeyId"]}});
        if (!tags.ok()) {
          continue;
        }
        for (const Json& t : tags->value("Tags", Json::array())) {
          if (Str(t, "TagKey") == kAddressTag && Str(t, "TagValue") == ref.address) {
            Result<Json> key = ctx.Call("kms", "DescribeKey", {{"KeyId", k["KeyId"]}});
            if (key.ok() && Str((*key)["KeyMetadata"], "KeyState") != "PendingDeletion") {
              Json state = config;
              state["id"] = k["KeyId"];
              return std::optional<Json>(std::move(state));
            }
          }
        }
      }
      if (!keys.value("Truncated", false)) {
        break;
      }
      params["Marker"] = keys["NextMarker"];
    }
    return std::optional<Json>();
  };
  s.delete_op = "ScheduleKeyDeletion";
  s.delete_params = {{"KeyId", "$id"}, {"PendingWindowInDays", "$attr.deletion_window_in_days"}};
  s.read.gone_codes = {"KMSInvalidStateException"};
  return s;
}

TypeSpec KmsAlias() {
  TypeSpec s;
  s.type = "aws_kms_alias";
  s.service = "kms";
  s.force_new = {"name", "name_prefix"};
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) {
    if (Str(config, "name").empty()) {
      std::string prefix = Str(config, "name_prefix");
      config["name"] = (prefix.empty() ? "alias/terraform-" : prefix) + ref.token;
    }
    return OkStatus();
  };
  s.create_op = "CreateAlias";
  s.id_template = "$attr.name";
  s.find_by_name = "name";
  s.fields = {
      {.attr = "name", .create = "AliasName", .read = "AliasName"},
      {.attr = "target_key_id",
       .create = "TargetKeyId",
       .read = "TargetKeyId",
       .update_op = "UpdateAlias",
       .update_params = {{"AliasName", "$id"}, {"TargetKeyId", "$value"}}},
      {.attr = "arn", .read = "AliasArn"},
  };
  s.read.op = "ListAliases";
  s.read.list_all = true;
  s.read.list = "Aliases";
  s.read.item_id = "AliasName";
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    std::string arn = Str(state, "arn");
    size_t cut = arn.find(":alias/");
    state["target_key_arn"] =
        cut == std::string::npos ? "" : arn.substr(0, cut) + ":key/" + Str(state, "target_key_id");
    // The config may name the key by ARN; the API answers its id.
    std::string given = Str(prior, "target_key_id");
    if (!given.empty() && given == state["target_key_arn"]) {
      state["target_key_id"] = given;
    }
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    (void)ctx;
    return OkStatus();
  };
  s.delete_op = "DeleteAlias";
  s.delete_params = {{"AliasName", "$id"}};
  return s;
}

TypeSpec Secret() {
  TypeSpec s;
  s.type = "aws_secretsmanager_secret";
  s.service = "secretsmanager";
  s.force_new = {"name", "name_prefix"};
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) {
    if (Str(config, "name").empty()) {
      std::string prefix = Str(config, "name_prefix");
      config["name"] = (prefix.empty() ? "terraform-" : prefix) + ref.token;
    }
    return OkStatus();
  };
  s.create_op = "CreateSecret";
  s.create_id = "ARN";
  s.find_by_name = "name";
  s.tags.style = TagSpec::Style::kList;
  s.tags.read_path = "Tags";
  s.tags.tag_op = "TagResource";
  s.tags.tag_params = {{"SecretId", "$id"}};
  s.tags.untag_op = "UntagResource";
  s.tags.untag_params = {{"SecretId", "$id"}};
  s.fields = {
      {.attr = "name", .create = "Name", .read = "Name"},
      {.attr = "description",
       .create = "Description",
       .read = "Description",
       .absent = "",
       .update_op = "UpdateSecret",
       .update_params = {{"SecretId", "$id"}, {"Description", "$value"}}},
      {.attr = "kms_key_id",
       .create = "KmsKeyId",
       .read = "KmsKeyId",
       .absent = "",
       .update_op = "UpdateSecret",
       .update_params = {{"SecretId", "$id"}, {"KmsKeyId", "$value"}}},
      {.attr = "arn", .read = "ARN"},
  };
  s.read.op = "DescribeSecret";
  s.read.params = {{"SecretId", "$id"}};
  s.read.item_id = "ARN";
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    if (state["__item"].contains("DeletedDate")) {
      return NotFoundError("secret " + Str(state, "id") + " is scheduled for deletion");
    }
    ASSIGN_OR_RETURN(Json policy,
                     ctx.Call("secretsmanager", "GetResourcePolicy", {{"SecretId", state["id"]}}));
    state["policy"] =
        policy.contains("ResourcePolicy")
            ? FromApi(policy["ResourcePolicy"], Conv::kJsonDoc, prior.value("policy", Json()))
            : Json("");
    state["replica"] = Json::array();
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    if (!state.contains("recovery_window_in_days")) {
      state["recovery_window_in_days"] = 30;
    }
    if (!state.contains("force_overwrite_replica_secret")) {
      state["force_overwrite_replica_secret"] = false;
    }
    return OkStatus();
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    Json params = {{"SecretId", state["id"]}};
    int64_t window = state.value("recovery_window_in_days", int64_t{30});
    if (window == 0) {
      params["ForceDeleteWithoutRecovery"] = true;
    } else {
      params["RecoveryWindowInDays"] = window;
    }
    Result<Json> out = ctx.Call("secretsmanager", "DeleteSecret", params);
    if (!out.ok() && out.status().message().find("marked for deletion") != std::string::npos) {
      return OkStatus();  // deleted already
    }
    return out.ok() || out.status().code() == StatusCode::kNotFound ? OkStatus() : out.status();
  };
  return s;
}

// Secrets Manager's ClientRequestToken is 32 to 64 characters.
std::string VersionToken(const std::string& token) {
  std::string t = token;
  while (t.size() < 32) {
    t += "-0";
  }
  return t.substr(0, 64);
}

TypeSpec SecretVersion() {
  TypeSpec s;
  s.type = "aws_secretsmanager_secret_version";
  s.service = "secretsmanager";
  s.force_new = {"secret_id", "secret_string", "secret_binary"};
  s.create_op = "PutSecretValue";
  s.build_create = [](AwsContext&, const Json&, Json& params) {
    params["ClientRequestToken"] = VersionToken(params["ClientRequestToken"]);
    return OkStatus();
  };
  s.client_token = "ClientRequestToken";
  s.make_id = [](const Json& config, const Json& out) {
    return Str(config, "secret_id") + "|" + Str(out, "VersionId");
  };
  s.fields = {
      {.attr = "secret_id", .create = "SecretId"},
      {.attr = "secret_string", .create = "SecretString", .read = "SecretString"},
      {.attr = "secret_binary", .create = "SecretBinary", .read = "SecretBinary"},
      {.attr = "version_stages",
       .create = "VersionStages",
       .read = "VersionStages",
       .conv = Conv::kStringSet},
      {.attr = "arn", .read = "ARN"},
      {.attr = "version_id", .read = "VersionId"},
  };
  s.read.op = "GetSecretValue";
  s.read.params = {{"SecretId", "$attr.secret_id"}, {"VersionId", "$attr.version_id"}};
  s.read.gone_codes = {"InvalidRequestException"};
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    size_t cut = id.find('|');
    if (cut == std::string_view::npos) {
      return InvalidArgumentError(
          "aws_secretsmanager_secret_version import id must be SECRETID|VERSIONID, got " +
          std::string(id));
    }
    return Json{{"id", std::string(id)},
                {"secret_id", std::string(id.substr(0, cut))},
                {"version_id", std::string(id.substr(cut + 1))}};
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) {
    state["id"] = Str(prior, "secret_id") + "|" + Str(state, "version_id");
    state["has_secret_string_wo"] = false;
    if (!state.contains("secret_string")) {
      state["secret_string"] = "";
    }
    if (!state.contains("secret_binary")) {
      state["secret_binary"] = "";
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    // Only version_stages changes in place.
    std::set<std::string> have, want;
    for (const Json& v : state.value("version_stages", Json::array())) {
      have.insert(v.get<std::string>());
    }
    for (const Json& v : config.value("version_stages", Json::array())) {
      want.insert(v.get<std::string>());
    }
    for (const std::string& stage : want) {
      if (!have.contains(stage)) {
        RETURN_IF_ERROR(ctx.Call("secretsmanager", "UpdateSecretVersionStage",
                                 {{"SecretId", state["secret_id"]},
                                  {"VersionStage", stage},
                                  {"MoveToVersionId", state["version_id"]}}));
      }
    }
    for (const std::string& stage : have) {
      if (!want.contains(stage) && stage != "AWSCURRENT") {
        RETURN_IF_ERROR(ctx.Call("secretsmanager", "UpdateSecretVersionStage",
                                 {{"SecretId", state["secret_id"]},
                                  {"VersionStage", stage},
                                  {"RemoveFromVersionId", state["version_id"]}}));
      }
    }
    return OkStatus();
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    // A version cannot be deleted: its stages are taken off it, except AWSCURRENT, which
    // stays until another version takes it (as Terraform does).
    for (const Json& stage : state.value("version_stages", Json::array())) {
      if (stage == "AWSCURRENT") {
        continue;
      }
      Result<Json> out = ctx.Call("secretsmanager", "UpdateSecretVersionStage",
                                  {{"SecretId", state["secret_id"]},
                                   {"VersionStage", stage},
                                   {"RemoveFromVersionId", state["version_id"]}});
      if (!out.ok() && out.status().code() != StatusCode::kNotFound &&
          AwsContext::ErrorCode(out.status()) != "InvalidRequestException") {
        return out.status();
      }
    }
    return OkStatus();
  };
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef& ref,
                     const Json& config) -> Result<std::optional<Json>> {
    // The version a create made has the token as its id.
    std::string version = VersionToken(ref.token);
    Result<Json> out = ctx.Call("secretsmanager", "GetSecretValue",
                                {{"SecretId", config["secret_id"]}, {"VersionId", version}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound ||
          AwsContext::ErrorCode(out.status()) == "InvalidRequestException") {
        return std::optional<Json>();
      }
      return out.status();
    }
    Json state = config;
    state["id"] = Str(config, "secret_id") + "|" + version;
    state["version_id"] = version;
    return std::optional<Json>(std::move(state));
  };
  return s;
}

Json KeySchema(const Json& config) {
  Json schema = Json::array({{{"AttributeName", config["hash_key"]}, {"KeyType", "HASH"}}});
  if (!Str(config, "range_key").empty()) {
    schema.push_back({{"AttributeName", config["range_key"]}, {"KeyType", "RANGE"}});
  }
  return schema;
}

TypeSpec DynamoTable() {
  TypeSpec s;
  s.type = "aws_dynamodb_table";
  s.service = "dynamodb";
  s.force_new = {"name", "hash_key", "range_key"};
  s.create_op = "CreateTable";
  s.id_template = "$attr.name";
  s.find_by_name = "name";
  s.tags.style = TagSpec::Style::kList;
  s.tags.read_op = "ListTagsOfResource";
  s.tags.read_params = {{"ResourceArn", "$attr.arn"}};
  s.tags.read_path = "Tags";
  s.tags.tag_op = "TagResource";
  s.tags.tag_params = {{"ResourceArn", "$attr.arn"}};
  s.tags.untag_op = "UntagResource";
  s.tags.untag_params = {{"ResourceArn", "$attr.arn"}};
  Member attribute{.attr = "attribute",
                   .api = "AttributeDefinitions",
                   .kind = Kind::kBlockList,
                   .children = {{.attr = "name", .api = "AttributeName"},
                                {.attr = "type", .api = "AttributeType"}}};
  s.fields = {
      {.attr = "name", .create = "TableName", .read = "TableName"},
      {.attr = "billing_mode",
       .create = "BillingMode",
       .read = "BillingModeSummary.BillingMode",
       .absent = "PROVISIONED"},
      {.attr = "attribute",
       .create = "AttributeDefinitions",
       .read = "AttributeDefinitions",
       .block = attribute.children,
       .block_kind = Kind::kBlockList},
      {.attr = "table_class",
       .create = "TableClass",
       .read = "TableClassSummary.TableClass",
       .absent = "STANDARD"},
      {.attr = "deletion_protection_enabled",
       .create = "DeletionProtectionEnabled",
       .read = "DeletionProtectionEnabled",
       .absent = false,
       .update_op = "UpdateTable",
       .update_params = {{"TableName", "$id"}, {"DeletionProtectionEnabled", "$value"}}},
      {.attr = "arn", .read = "TableArn"},
      {.attr = "stream_arn", .read = "LatestStreamArn", .absent = ""},
      {.attr = "stream_label", .read = "LatestStreamLabel", .absent = ""},
      {.attr = "stream_enabled", .read = "StreamSpecification.StreamEnabled", .absent = false},
      {.attr = "stream_view_type", .read = "StreamSpecification.StreamViewType", .absent = ""},
      {.attr = "read_capacity", .read = "ProvisionedThroughput.ReadCapacityUnits", .absent = 0},
      {.attr = "write_capacity", .read = "ProvisionedThroughput.WriteCapacityUnits", .absent = 0},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    params["KeySchema"] = KeySchema(config);
    if (Str(config, "billing_mode") != "PAY_PER_REQUEST") {
      params["ProvisionedThroughput"] = {{"ReadCapacityUnits", config.value("read_capacity", 1)},
                                         {"WriteCapacityUnits", config.value("write_capacity", 1)}};
    }
    Json sse = GetPath(config, "server_side_encryption.0");
    if (sse.is_object() && sse.value("enabled", false)) {
      params["SSESpecification"] = {{"Enabled", true}, {"SSEType", "KMS"}};
      if (!Str(sse, "kms_key_arn").empty()) {
        params["SSESpecification"]["KMSMasterKeyId"] = sse["kms_key_arn"];
      }
    }
    if (config.value("stream_enabled", false)) {
      params["StreamSpecification"] = {{"StreamEnabled", true},
                                       {"StreamViewType", config["stream_view_type"]}};
    }
    return OkStatus();
  };
  s.after_create = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    Json ttl = GetPath(config, "ttl.0");
    if (ttl.is_object() && ttl.value("enabled", false)) {
      RETURN_IF_ERROR(ctx.Call("dynamodb", "UpdateTimeToLive",
                               {{"TableName", state["id"]},
                                {"TimeToLiveSpecification",
                                 {{"AttributeName", ttl["attribute_name"]}, {"Enabled", true}}}}));
    }
    Json pitr = GetPath(config, "point_in_time_recovery.0");
    if (pitr.is_object() && pitr.value("enabled", false)) {
      RETURN_IF_ERROR(
          ctx.Call("dynamodb", "UpdateContinuousBackups",
                   {{"TableName", state["id"]},
                    {"PointInTimeRecoverySpecification", {{"PointInTimeRecoveryEnabled", true}}}}));
    }
    return OkStatus();
  };
  s.read.op = "DescribeTable";
  s.read.params = {{"TableName", "$id"}};
  s.read.object = "Table";
  s.read.item_id = "TableName";
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& t = state["__item"];
    for (const Json& k : t.value("KeySchema", Json::array())) {
      state[Str(k, "KeyType") == "HASH" ? "hash_key" : "range_key"] = k["AttributeName"];
    }
    if (!state.contains("range_key")) {
      state["range_key"] = "";
    }
    Json sse = t.value("SSEDescription", Json::object());
    bool sse_on = Str(sse, "Status") == "ENABLED" || Str(sse, "Status") == "ENABLING";
    Json prior_sse = prior.value("server_side_encryption", Json());
    Json read_sse =
        sse_on ? Json::array({{{"enabled", true}, {"kms_key_arn", Str(sse, "KMSMasterKeyArn")}}})
               : Json::array();
    bool same =
        prior_sse.is_array() &&
        (prior_sse.empty() ? !sse_on
                           : sse_on && GetPath(prior_sse, "0.enabled") == Json(true) &&
                                 (Str(prior_sse[0], "kms_key_arn").empty() ||
                                  Str(prior_sse[0], "kms_key_arn") == Str(sse, "KMSMasterKeyArn")));
    state["server_side_encryption"] = same ? prior_sse : read_sse;
    std::string name = Str(state, "id");
    ASSIGN_OR_RETURN(Json ttl, ctx.Call("dynamodb", "DescribeTimeToLive", {{"TableName", name}}));
    Json d = ttl.value("TimeToLiveDescription", Json::object());
    bool ttl_on = Str(d, "TimeToLiveStatus") == "ENABLED";
    state["ttl"] = Json::array(
        {{{"enabled", ttl_on}, {"attribute_name", ttl_on ? Str(d, "AttributeName") : ""}}});
    if (prior.contains("ttl") && prior["ttl"].is_array() && !ttl_on &&
        (prior["ttl"].empty() || !GetPath(prior["ttl"], "0.enabled").get<bool>())) {
      state["ttl"] = prior["ttl"];
    }
    ASSIGN_OR_RETURN(Json backups,
                     ctx.Call("dynamodb", "DescribeContinuousBackups", {{"TableName", name}}));
    bool pitr = Str(GetPath(backups, "ContinuousBackupsDescription.PointInTimeRecoveryDescription"),
                    "PointInTimeRecoveryStatus") == "ENABLED";
    state["point_in_time_recovery"] = Json::array({{{"enabled", pitr}}});
    if (prior.contains("point_in_time_recovery") && prior["point_in_time_recovery"].is_array() &&
        prior["point_in_time_recovery"].empty() && !pitr) {
      state["point_in_time_recovery"] = prior["point_in_time_recovery"];
    }
    for (const char* block : {"global_secondary_index", "local_secondary_index", "replica"}) {
      if (!state.contains(block)) {
        state[block] = Json::array();
      }
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    std::string name = Str(state, "id");
    Json table_update = {{"TableName", name}};
    for (const Json& changed : state["__changed"]) {
      std::string c = changed;
      if (c == "billing_mode" || c == "read_capacity" || c == "write_capacity") {
        table_update["BillingMode"] = config.value("billing_mode", "PROVISIONED");
        if (table_update["BillingMode"] == "PROVISIONED") {
          table_update["ProvisionedThroughput"] = {
              {"ReadCapacityUnits", config.value("read_capacity", 1)},
              {"WriteCapacityUnits", config.value("write_capacity", 1)}};
        }
      } else if (c == "server_side_encryption") {
        Json sse = GetPath(config, "server_side_encryption.0");
        bool on = sse.is_object() && sse.value("enabled", false);
        table_update["SSESpecification"] = {{"Enabled", on}};
        if (on) {
          table_update["SSESpecification"]["SSEType"] = "KMS";
          if (!Str(sse, "kms_key_arn").empty()) {
            table_update["SSESpecification"]["KMSMasterKeyId"] = sse["kms_key_arn"];
          }
        }
      } else if (c == "ttl") {
        Json ttl = GetPath(config, "ttl.0");
        bool on = ttl.is_object() && ttl.value("enabled", false);
        std::string attr =
            on ? Str(ttl, "attribute_name") : Str(GetPath(state, "ttl.0"), "attribute_name");
        if (!attr.empty()) {
          RETURN_IF_ERROR(
              ctx.Call("dynamodb", "UpdateTimeToLive",
                       {{"TableName", name},
                        {"TimeToLiveSpecification", {{"AttributeName", attr}, {"Enabled", on}}}}));
        }
      } else if (c == "point_in_time_recovery") {
        Json pitr = GetPath(config, "point_in_time_recovery.0");
        RETURN_IF_ERROR(ctx.Call("dynamodb", "UpdateContinuousBackups",
                                 {{"TableName", name},
                                  {"PointInTimeRecoverySpecification",
                                   {{"PointInTimeRecoveryEnabled",
                                     pitr.is_object() && pitr.value("enabled", false)}}}}));
      } else if (c != "attribute") {
        return InvalidArgumentError("aws_dynamodb_table: " + c + " cannot be changed in place");
      }
    }
    if (table_update.size() > 1) {
      RETURN_IF_ERROR(ctx.Call("dynamodb", "UpdateTable", table_update));
    }
    return OkStatus();
  };
  s.ready_waiter = "TableExists";
  s.gone_waiter = "TableNotExists";
  s.delete_pending = true;
  s.delete_op = "DeleteTable";
  s.delete_params = {{"TableName", "$id"}};
  return s;
}

// The key of an item: the hash (and range) attribute of its JSON.
Result<Json> ItemKey(const Json& state) {
  Json item = Json::parse(Str(state, "item"), nullptr, false);
  if (item.is_discarded() || !item.is_object()) {
    return InvalidArgumentError("aws_dynamodb_table_item: item is not a JSON object");
  }
  Json key = Json::object();
  for (const char* attr : {"hash_key", "range_key"}) {
    std::string name = Str(state, attr);
    if (name.empty()) {
      continue;
    }
    if (!item.contains(name)) {
      return InvalidArgumentError("aws_dynamodb_table_item: item has no " + std::string(attr) +
                                  " attribute \"" + name + "\"");
    }
    key[name] = item[name];
  }
  return key;
}

std::string ItemId(const Json& state, const Json& key) {
  std::string id = Str(state, "table_name");
  for (const char* attr : {"hash_key", "range_key"}) {
    std::string name = Str(state, attr);
    if (!name.empty() && key.contains(name)) {
      const Json& v = key[name];
      id += "|" + name + "|" + (v.begin() != v.end() ? v.begin()->dump() : v.dump());
    }
  }
  return id;
}

TypeSpec DynamoItem() {
  TypeSpec s;
  s.type = "aws_dynamodb_table_item";
  s.service = "dynamodb";
  s.force_new = {"table_name", "hash_key", "range_key"};
  s.custom_create = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                       const Json& config) -> Result<StepResult> {
    ASSIGN_OR_RETURN(Json key, ItemKey(config));
    Json item = Json::parse(Str(config, "item"));
    RETURN_IF_ERROR(
        ctx.Call("dynamodb", "PutItem", {{"TableName", config["table_name"]}, {"Item", item}}));
    StepResult result;
    result.state = config;
    result.state["id"] = ItemId(config, key);
    if (!result.state.contains("range_key")) {
      result.state["range_key"] = "";
    }
    return result;
  };
  s.custom_read = [](AwsContext& ctx, const TypeSpec&,
                     const Json& state) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(Json key, ItemKey(state));
    Result<Json> out =
        ctx.Call("dynamodb", "GetItem",
                 {{"TableName", state["table_name"]}, {"Key", key}, {"ConsistentRead", true}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound) {
        return std::optional<Json>();
      }
      return out.status();
    }
    if (!out->contains("Item")) {
      return std::optional<Json>();
    }
    return std::optional<Json>((*out)["Item"]);
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) {
    std::string read = state["__item"].dump();
    state["item"] = SameDocument(Str(prior, "item"), read) ? prior["item"] : Json(read);
    for (const char* a : {"table_name", "hash_key"}) {
      state[a] = prior[a];
    }
    state["range_key"] = prior.value("range_key", "");
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json&) -> Status {
    ASSIGN_OR_RETURN(Json key, ItemKey(config));
    (void)key;
    return ctx
        .Call("dynamodb", "PutItem",
              {{"TableName", config["table_name"]}, {"Item", Json::parse(Str(config, "item"))}})
        .status();
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    ASSIGN_OR_RETURN(Json key, ItemKey(state));
    Result<Json> out =
        ctx.Call("dynamodb", "DeleteItem", {{"TableName", state["table_name"]}, {"Key", key}});
    return out.ok() || out.status().code() == StatusCode::kNotFound ? OkStatus() : out.status();
  };
  s.custom_find = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                     const Json& config) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(Json key, ItemKey(config));
    Result<Json> out =
        ctx.Call("dynamodb", "GetItem",
                 {{"TableName", config["table_name"]}, {"Key", key}, {"ConsistentRead", true}});
    if (!out.ok() || !out->contains("Item")) {
      return std::optional<Json>();
    }
    Json state = config;
    state["id"] = ItemId(config, key);
    return std::optional<Json>(std::move(state));
  };
  return s;
}

TypeSpec LogGroup() {
  TypeSpec s;
  s.type = "aws_cloudwatch_log_group";
  s.service = "logs";
  s.force_new = {"name", "name_prefix", "log_group_class"};
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) {
    if (Str(config, "name").empty()) {
      std::string prefix = Str(config, "name_prefix");
      config["name"] = (prefix.empty() ? "terraform-" : prefix) + ref.token;
    }
    return OkStatus();
  };
  s.create_op = "CreateLogGroup";
  s.id_template = "$attr.name";
  s.find_by_name = "name";
  s.tags.style = TagSpec::Style::kMap;
  s.tags.create_member = "tags";
  s.tags.read_op = "ListTagsForResource";
  s.tags.read_params = {{"resourceArn", "$attr.arn"}};
  s.tags.read_path = "tags";
  s.tags.tag_op = "TagResource";
  s.tags.tag_params = {{"resourceArn", "$attr.arn"}};
  s.tags.tag_member = "tags";
  s.tags.untag_op = "UntagResource";
  s.tags.untag_params = {{"resourceArn", "$attr.arn"}};
  s.tags.untag_member = "tagKeys";
  s.fields = {
      {.attr = "name", .create = "logGroupName", .read = "logGroupName"},
      {.attr = "kms_key_id", .create = "kmsKeyId", .read = "kmsKeyId", .absent = ""},
      {.attr = "log_group_class",
       .create = "logGroupClass",
       .read = "logGroupClass",
       .absent = "STANDARD"},
      {.attr = "retention_in_days", .read = "retentionInDays", .absent = 0},
      {.attr = "deletion_protection_enabled", .read = "deletionProtectionEnabled", .absent = false},
      {.attr = "arn", .read = "arn", .conv = Conv::kNoStarArn},
  };
  auto retention = [](AwsContext& ctx, const std::string& name, const Json& config) -> Status {
    int64_t days = config.value("retention_in_days", int64_t{0});
    if (days == 0) {
      return ctx.Call("logs", "DeleteRetentionPolicy", {{"logGroupName", name}}).status();
    }
    return ctx
        .Call("logs", "PutRetentionPolicy", {{"logGroupName", name}, {"retentionInDays", days}})
        .status();
  };
  s.after_create = [retention](AwsContext& ctx, const TypeSpec&, const Json& config,
                               Json& state) -> Status {
    if (config.value("retention_in_days", int64_t{0}) != 0) {
      return retention(ctx, state["id"], config);
    }
    return OkStatus();
  };
  s.update = [retention](AwsContext& ctx, const TypeSpec&, const Json& config,
                         Json& state) -> Status {
    for (const Json& changed : state["__changed"]) {
      if (changed == "retention_in_days") {
        RETURN_IF_ERROR(retention(ctx, state["id"], config));
      } else if (changed != "skip_destroy") {
        return InvalidArgumentError("aws_cloudwatch_log_group: " + changed.get<std::string>() +
                                    " cannot be changed in place");
      }
    }
    return OkStatus();
  };
  s.read.op = "DescribeLogGroups";
  s.read.params = {{"logGroupNamePrefix", "$id"}};
  s.read.list = "logGroups";
  s.read.item_id = "logGroupName";
  s.after_read = [](AwsContext&, const TypeSpec&, const Json&, Json& state) {
    if (!state.contains("skip_destroy")) {
      state["skip_destroy"] = false;
    }
    if (!state.contains("name_prefix")) {
      state["name_prefix"] = "";
    }
    return OkStatus();
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    if (state.value("skip_destroy", false)) {
      return OkStatus();
    }
    Result<Json> out = ctx.Call("logs", "DeleteLogGroup", {{"logGroupName", state["id"]}});
    return out.ok() || out.status().code() == StatusCode::kNotFound ? OkStatus() : out.status();
  };
  return s;
}

}  // namespace

void AddDataTypes(std::vector<TypeSpec>& out) {
  out.push_back(KmsKey());
  out.push_back(KmsAlias());
  out.push_back(Secret());
  out.push_back(SecretVersion());
  out.push_back(DynamoTable());
  out.push_back(DynamoItem());
  out.push_back(LogGroup());
}

}  // namespace cf::provider::aws_spec
