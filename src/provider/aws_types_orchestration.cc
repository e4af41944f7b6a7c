// The control plane's services: Lambda functions (waiting until Active) and their
// permissions, Step Functions state machines, EventBridge rules and targets.

#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "provider/aws_type_spec.h"
#include "provider/lambda_package.h"

namespace cf::provider::aws_spec {

namespace {

using Kind = Member::Kind;

Json& Item(Json& state) {
  return state["__item"];
}

bool Has(const Json& config, const char* attr) {
  return config.contains(attr) && !config[attr].is_null();
}

// ---- aws_lambda_function ----

// The Code member of CreateFunction / the code members of UpdateFunctionCode: the zip of
// `filename` (read through the context's file system) or s3_bucket + s3_key.
Result<Json> FunctionCode(AwsContext& ctx, const Json& config) {
  Json code = Json::object();
  if (!Str(config, "filename").empty()) {
    std::vector<std::string> dirs = ctx.package_dirs();
    if (dirs.empty()) {
      dirs.push_back(".");
    }
    ASSIGN_OR_RETURN(std::string path,
                     FindLambdaPackage(ctx.files(), Str(config, "filename"), dirs));
    ASSIGN_OR_RETURN(std::string zip, ctx.files().ReadFile(path));
    code["ZipFile"] = zip;  // a blob: the codec encodes it
  } else if (!Str(config, "s3_bucket").empty()) {
    code["S3Bucket"] = config["s3_bucket"];
    code["S3Key"] = Str(config, "s3_key");
    if (!Str(config, "s3_object_version").empty()) {
      code["S3ObjectVersion"] = config["s3_object_version"];
    }
  } else if (!Str(config, "image_uri").empty()) {
    code["ImageUri"] = config["image_uri"];
  } else {
    return InvalidArgumentError(
        "aws_lambda_function: one of filename, s3_bucket or image_uri must be set");
  }
  return code;
}

Json EnvironmentParam(const Json& config) {
  Json env = config.value("environment", Json::array());
  Json vars =
      env.is_array() && !env.empty() ? env[0].value("variables", Json::object()) : Json::object();
  return {{"Variables", vars.is_object() ? vars : Json::object()}};
}

Json VpcParam(const Json& config) {
  Json vpc = config.value("vpc_config", Json::array());
  if (!vpc.is_array() || vpc.empty()) {
    return {{"SubnetIds", Json::array()}, {"SecurityGroupIds", Json::array()}};
  }
  return {{"SubnetIds", vpc[0].value("subnet_ids", Json::array())},
          {"SecurityGroupIds", vpc[0].value("security_group_ids", Json::array())}};
}

// The logging_config block as LoggingConfig (empty without the block). Without it Lambda
// logs to /aws/lambda/NAME, a group nobody deletes.
constexpr std::pair<const char*, const char*> kLoggingMembers[] = {
    {"log_format", "LogFormat"},
    {"log_group", "LogGroup"},
    {"application_log_level", "ApplicationLogLevel"},
    {"system_log_level", "SystemLogLevel"}};

Json FunctionLoggingParam(const Json& config) {
  Json block = GetPath(config, "logging_config.0");
  Json out = Json::object();
  if (!block.is_object()) {
    return out;
  }
  for (const auto& [attr, member] : kLoggingMembers) {
    if (!Str(block, attr).empty()) {
      out[member] = block[attr];
    }
  }
  return out;
}

// The members UpdateFunctionConfiguration takes, from the config.
Json FunctionConfiguration(const Json& config) {
  Json params = Json::object();
  for (const auto& [attr, member] :
       {std::pair{"role", "Role"}, std::pair{"handler", "Handler"}, std::pair{"runtime", "Runtime"},
        std::pair{"description", "Description"}, std::pair{"timeout", "Timeout"},
        std::pair{"memory_size", "MemorySize"}, std::pair{"kms_key_arn", "KMSKeyArn"},
        std::pair{"layers", "Layers"}}) {
    if (Has(config, attr)) {
      params[member] = config[attr];
    }
  }
  params["Environment"] = EnvironmentParam(config);
  params["VpcConfig"] = VpcParam(config);
  Json logging = FunctionLoggingParam(config);
  if (!logging.empty()) {
    params["LoggingConfig"] = logging;
  }
  return params;
}

// Terraform waits for an update to finish before the next (Lambda refuses an update while
// one is InProgress with ResourceConflictException): polls GetFunction, bounded to 5 minutes.
Status WaitUpdated(AwsContext& ctx, const std::string& name) {
  for (int i = 0; i < 3000; ++i) {
    ASSIGN_OR_RETURN(Json out, ctx.Call("lambda", "GetFunction", {{"FunctionName", name}}));
    std::string status = Str(GetPath(out, "Configuration"), "LastUpdateStatus");
    if (status == "Failed") {
      return ConflictError("lambda function " + name + " update failed: " +
                           Str(GetPath(out, "Configuration"), "LastUpdateStatusReason"));
    }
    if (status != "InProgress") {
      return OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return UnavailableError("lambda function " + name + " is still updating");
}

TypeSpec LambdaFunction() {
  TypeSpec s;
  s.type = "aws_lambda_function";
  s.service = "lambda";
  s.force_new = {"function_name", "package_type"};
  s.find_by_name = "function_name";
  s.create_op = "CreateFunction";
  s.id_template = "$attr.function_name";
  s.tags.style = TagSpec::Style::kMap;
  s.tags.create_member = "Tags";
  s.tags.read_op = "ListTags";
  s.tags.read_params = {{"Resource", "$attr.arn"}};
  s.tags.read_path = "Tags";
  s.tags.tag_op = "TagResource";
  s.tags.tag_params = {{"Resource", "$attr.arn"}};
  s.tags.untag_op = "UntagResource";
  s.tags.untag_params = {{"Resource", "$attr.arn"}};
  s.read.op = "GetFunction";
  s.read.params = {{"FunctionName", "$id"}};
  s.read.object = "Configuration";
  s.ready_waiter = "FunctionActiveV2";
  s.fields = {
      {.attr = "function_name", .create = "FunctionName", .read = "FunctionName"},
      {.attr = "role", .read = "Role"},
      {.attr = "handler", .read = "Handler"},
      {.attr = "runtime", .read = "Runtime"},
      {.attr = "description", .read = "Description", .absent = ""},
      {.attr = "timeout", .read = "Timeout"},
      {.attr = "memory_size", .read = "MemorySize"},
      {.attr = "package_type", .create = "PackageType", .read = "PackageType", .absent = "Zip"},
      {.attr = "architectures",
       .create = "Architectures",
       .read = "Architectures",
       .absent = Json::array({"x86_64"})},
      {.attr = "publish", .create = "Publish"},
      {.attr = "arn", .read = "FunctionArn"},
      {.attr = "code_sha256", .read = "CodeSha256"},
      {.attr = "source_code_size", .read = "CodeSize"},
      {.attr = "last_modified", .read = "LastModified"},
      {.attr = "version", .read = "Version"},
      {.attr = "kms_key_arn", .read = "KMSKeyArn", .absent = ""},
      {.attr = "signing_job_arn", .read = "SigningJobArn", .absent = ""},
      {.attr = "signing_profile_version_arn", .read = "SigningProfileVersionArn", .absent = ""},
      {.attr = "layers", .absent = Json::array()},
  };
  s.build_create = [](AwsContext& ctx, const Json& config, Json& params) -> Status {
    ASSIGN_OR_RETURN(params["Code"], FunctionCode(ctx, config));
    params.update(FunctionConfiguration(config));
    return OkStatus();
  };
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    Json vars = GetPath(item, "Environment.Variables");
    Json prior_env = prior.value("environment", Json());
    if (vars.is_object() && !vars.empty()) {
      state["environment"] = Json::array({{{"variables", vars}}});
    } else if (prior_env.is_array()) {
      state["environment"] = prior_env;  // an empty block reads back as none
    } else {
      state.erase("environment");
    }
    // logging_config as Lambda reports it: the attributes the configuration sets; without a
    // block in the prior state (an import), the format and group when they are not Lambda's
    // defaults (text to /aws/lambda/NAME).
    Json prior_logging = GetPath(prior, "logging_config.0");
    Json logging = GetPath(item, "LoggingConfig");
    bool custom = logging.is_object() &&
                  (logging.value("LogFormat", "Text") != "Text" ||
                   logging.value("LogGroup", "") != "/aws/lambda/" + Str(state, "function_name"));
    if (logging.is_object() && (prior_logging.is_object() || custom)) {
      Json block = Json::object();
      for (const auto& [attr, member] : kLoggingMembers) {
        if (prior_logging.is_object() ? prior_logging.contains(attr) : logging.contains(member)) {
          block[attr] = logging.value(member, "");
        }
      }
      state["logging_config"] = Json::array({block});
    } else {
      state.erase("logging_config");
    }
    Json subnets = GetPath(item, "VpcConfig.SubnetIds");
    if (subnets.is_array() && !subnets.empty()) {
      Json block = {{"subnet_ids",
                     FromApi(subnets, Conv::kStringSet, GetPath(prior, "vpc_config.0.subnet_ids"))},
                    {"security_group_ids",
                     FromApi(GetPath(item, "VpcConfig.SecurityGroupIds"), Conv::kStringSet,
                             GetPath(prior, "vpc_config.0.security_group_ids"))},
                    {"vpc_id", Str(GetPath(item, "VpcConfig"), "VpcId")}};
      Json p = GetPath(prior, "vpc_config.0");
      if (p.is_object() && !p.contains("vpc_id")) {
        block.erase("vpc_id");
      }
      state["vpc_config"] = Json::array({block});
    } else {
      state.erase("vpc_config");
    }
    std::string arn = state["arn"];
    state["qualified_arn"] = arn + ":" + Str(state, "version");
    std::string invoke = fmt::format("arn:{}:apigateway:{}:lambda:path/2015-03-31/functions/",
                                     ctx.partition(), ctx.region());
    state["invoke_arn"] = invoke + arn + "/invocations";
    state["qualified_invoke_arn"] = invoke + Str(state, "qualified_arn") + "/invocations";
    state["response_streaming_invoke_arn"] = fmt::format(
        "arn:{}:apigateway:{}:lambda:path/2021-11-15/functions/{}/"
        "response-streaming-invocations",
        ctx.partition(), ctx.region(), arn);
    // The deployed package's hash, as the AWS provider reads it: a configured (or, for a
    // local package, planned) source_code_hash that differs is drift, and updates the code.
    state["source_code_hash"] = Str(state, "code_sha256");
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    bool code = false;
    bool configuration = false;
    for (const std::string changed : state["__changed"]) {
      if (changed == "filename" || changed == "s3_bucket" || changed == "s3_key" ||
          changed == "s3_object_version" || changed == "source_code_hash" ||
          changed == "image_uri" || changed == "architectures") {
        code = true;
      } else if (changed != "publish" && changed != "skip_destroy") {
        configuration = true;
      }
    }
    if (configuration) {
      Json params = FunctionConfiguration(config);
      params["FunctionName"] = state["id"];
      RETURN_IF_ERROR(ctx.Call("lambda", "UpdateFunctionConfiguration", params));
      RETURN_IF_ERROR(WaitUpdated(ctx, state["id"]));
    }
    if (code) {
      ASSIGN_OR_RETURN(Json params, FunctionCode(ctx, config));
      params["FunctionName"] = state["id"];
      if (Has(config, "architectures")) {
        params["Architectures"] = config["architectures"];
      }
      if (config.value("publish", false)) {
        params["Publish"] = true;
      }
      RETURN_IF_ERROR(ctx.Call("lambda", "UpdateFunctionCode", params));
      RETURN_IF_ERROR(WaitUpdated(ctx, state["id"]));
    }
    return OkStatus();
  };
  s.delete_op = "DeleteFunction";
  s.delete_params = {{"FunctionName", "$id"}};
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    return Json{{"id", std::string(id)}, {"function_name", std::string(id)}};
  };
  return s;
}

// ---- aws_lambda_permission ----

Result<std::optional<Json>> ReadPermission(AwsContext& ctx, const Json& state) {
  Json params = {{"FunctionName", Str(state, "function_name")}};
  if (!Str(state, "qualifier").empty()) {
    params["Qualifier"] = state["qualifier"];
  }
  Result<Json> out = ctx.Call("lambda", "GetPolicy", params);
  if (!out.ok()) {
    if (out.status().code() == StatusCode::kNotFound) {
      return std::optional<Json>();
    }
    return out.status();
  }
  Json policy = Json::parse(Str(*out, "Policy"), nullptr, false);
  if (!policy.is_object()) {
    return std::optional<Json>();
  }
  for (const Json& st : policy.value("Statement", Json::array())) {
    if (Str(st, "Sid") == Str(state, "statement_id")) {
      return std::optional<Json>(st);
    }
  }
  return std::optional<Json>();
}

TypeSpec LambdaPermission() {
  TypeSpec s;
  s.type = "aws_lambda_permission";
  s.service = "lambda";
  s.force_new = {"action",     "event_source_token", "function_name",      "function_url_auth_type",
                 "principal",  "principal_org_id",   "qualifier",          "source_account",
                 "source_arn", "statement_id",       "statement_id_prefix"};
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) -> Status {
    if (Str(config, "statement_id").empty()) {
      // Terraform: statement_id_prefix plus a unique suffix; here the create token's.
      config["statement_id"] = Str(config, "statement_id_prefix") +
                               ref.token.substr(0, std::min<size_t>(26, ref.token.size()));
    }
    return OkStatus();
  };
  s.create_op = "AddPermission";
  s.id_template = "$attr.statement_id";
  s.fields = {
      {.attr = "function_name", .create = "FunctionName"},
      {.attr = "statement_id", .create = "StatementId"},
      {.attr = "action", .create = "Action"},
      {.attr = "principal", .create = "Principal"},
      {.attr = "source_arn", .create = "SourceArn"},
      {.attr = "source_account", .create = "SourceAccount"},
      {.attr = "qualifier", .create = "Qualifier"},
      {.attr = "event_source_token", .create = "EventSourceToken"},
      {.attr = "principal_org_id", .create = "PrincipalOrgID"},
  };
  s.custom_read = [](AwsContext& ctx, const TypeSpec&,
                     const Json& state) -> Result<std::optional<Json>> {
    return ReadPermission(ctx, state);
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& st = Item(state);
    if (!Str(st, "Action").empty()) {
      state["action"] = st["Action"];
    }
    Json principal = st.value("Principal", Json());
    if (principal.is_object()) {
      std::string p =
          Str(principal, "Service").empty() ? Str(principal, "AWS") : Str(principal, "Service");
      if (!p.empty()) {
        state["principal"] = p;
      }
    } else if (principal.is_string()) {
      state["principal"] = principal;
    }
    std::string source = Str(GetPath(st, "Condition.ArnLike"), "AWS:SourceArn");
    if (!source.empty()) {
      state["source_arn"] = source;
    }
    if (!state.contains("statement_id_prefix")) {
      state["statement_id_prefix"] = prior.value("statement_id_prefix", "");
    }
    return OkStatus();
  };
  s.find_prior = [](AwsContext& ctx, const InstanceRef&,
                    const Json& config) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(std::optional<Json> st, ReadPermission(ctx, config));
    if (!st.has_value()) {
      return std::optional<Json>();
    }
    Json state = config;
    state["id"] = config["statement_id"];
    return std::optional<Json>(state);
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    Json params = {{"FunctionName", Str(state, "function_name")},
                   {"StatementId", Str(state, "statement_id")}};
    if (!Str(state, "qualifier").empty()) {
      params["Qualifier"] = state["qualifier"];
    }
    Result<Json> out = ctx.Call("lambda", "RemovePermission", params);
    if (!out.ok() && out.status().code() != StatusCode::kNotFound) {
      return out.status();
    }
    return OkStatus();
  };
  // Terraform's import id: FUNCTION_NAME/STATEMENT_ID (FUNCTION_NAME:QUALIFIER/STATEMENT_ID).
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    size_t slash = id.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) {
      return InvalidArgumentError("aws_lambda_permission import id must be FUNCTION/STATEMENT_ID");
    }
    std::string function(id.substr(0, slash));
    Json state = {{"id", std::string(id.substr(slash + 1))},
                  {"statement_id", std::string(id.substr(slash + 1))}};
    size_t colon = function.find(':');
    if (colon != std::string::npos && function.rfind("arn:", 0) != 0) {
      state["qualifier"] = function.substr(colon + 1);
      function = function.substr(0, colon);
    }
    state["function_name"] = function;
    return state;
  };
  return s;
}

// ---- aws_sfn_state_machine ----

Json LoggingParam(const Json& config) {
  Json lc = config.value("logging_configuration", Json::array());
  if (!lc.is_array() || lc.empty()) {
    return Json();
  }
  Json out = {{"level", lc[0].value("level", "OFF")},
              {"includeExecutionData", lc[0].value("include_execution_data", false)}};
  std::string dest = Str(lc[0], "log_destination");
  if (!dest.empty()) {
    out["destinations"] = Json::array({{{"cloudWatchLogsLogGroup", {{"logGroupArn", dest}}}}});
  }
  return out;
}

TypeSpec StateMachine() {
  TypeSpec s;
  s.type = "aws_sfn_state_machine";
  s.service = "stepfunctions";
  s.force_new = {"name", "name_prefix", "type"};
  s.create_op = "CreateStateMachine";
  s.create_id = "stateMachineArn";
  s.tags.style = TagSpec::Style::kList;
  s.tags.key = "key";
  s.tags.value = "value";
  s.tags.create_member = "tags";
  s.tags.read_op = "ListTagsForResource";
  s.tags.read_params = {{"resourceArn", "$id"}};
  s.tags.read_path = "tags";
  s.tags.tag_op = "TagResource";
  s.tags.tag_params = {{"resourceArn", "$id"}};
  s.tags.tag_member = "tags";
  s.tags.untag_op = "UntagResource";
  s.tags.untag_params = {{"resourceArn", "$id"}};
  s.tags.untag_member = "tagKeys";
  s.read.op = "DescribeStateMachine";
  s.read.params = {{"stateMachineArn", "$id"}};
  s.read.gone_codes = {"StateMachineDoesNotExist"};
  s.read.state_path = "status";
  s.read.gone_states = {"DELETING"};
  s.fields = {
      {.attr = "name", .create = "name", .read = "name"},
      {.attr = "definition",
       .create = "definition",
       .read = "definition",
       .conv = Conv::kJsonDoc,
       .update_op = "UpdateStateMachine",
       .update_params = {{"stateMachineArn", "$id"}, {"definition", "$value"}}},
      {.attr = "role_arn",
       .create = "roleArn",
       .read = "roleArn",
       .update_op = "UpdateStateMachine",
       .update_params = {{"stateMachineArn", "$id"}, {"roleArn", "$value"}}},
      {.attr = "type", .create = "type", .read = "type"},
      {.attr = "arn", .read = "stateMachineArn"},
      {.attr = "status", .read = "status"},
      {.attr = "creation_date", .read = "creationDate", .conv = Conv::kTimestamp},
      {.attr = "description", .read = "description", .absent = ""},
      {.attr = "revision_id", .read = "revisionId", .absent = ""},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    Json logging = LoggingParam(config);
    if (!logging.is_null()) {
      params["loggingConfiguration"] = logging;
    }
    return OkStatus();
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = Item(state);
    Json lc = item.value("loggingConfiguration", Json());
    if (lc.is_object()) {
      Json block = {{"level", lc.value("level", "OFF")},
                    {"include_execution_data", lc.value("includeExecutionData", false)},
                    {"log_destination",
                     Str(GetPath(lc, "destinations[0].cloudWatchLogsLogGroup"), "logGroupArn")}};
      state["logging_configuration"] = Json::array({block});
    }
    state["name_prefix"] = prior.value("name_prefix", "");
    state["state_machine_version_arn"] = "";
    state["version_description"] = "";
    if (!state.contains("tracing_configuration")) {
      state["tracing_configuration"] = Json::array({{{"enabled", false}}});
    }
    if (!state.contains("publish")) {
      state["publish"] = false;
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    for (const std::string changed : state["__changed"]) {
      if (changed == "logging_configuration") {
        Json logging = LoggingParam(config);
        RETURN_IF_ERROR(ctx.Call(
            "stepfunctions", "UpdateStateMachine",
            {{"stateMachineArn", state["id"]},
             {"loggingConfiguration", logging.is_null() ? Json{{"level", "OFF"}} : logging}}));
      }
    }
    return OkStatus();
  };
  s.find_prior = [](AwsContext& ctx, const InstanceRef&,
                    const Json& config) -> Result<std::optional<Json>> {
    std::string name = Str(config, "name");
    if (name.empty()) {
      return std::optional<Json>();
    }
    ASSIGN_OR_RETURN(std::string account, ctx.Account());
    std::string arn = fmt::format("arn:{}:states:{}:{}:stateMachine:{}", ctx.partition(),
                                  ctx.region(), account, name);
    Result<Json> out =
        ctx.Call("stepfunctions", "DescribeStateMachine", {{"stateMachineArn", arn}});
    if (!out.ok()) {
      if (out.status().code() == StatusCode::kNotFound ||
          AwsContext::ErrorCode(out.status()) == "StateMachineDoesNotExist") {
        return std::optional<Json>();
      }
      return out.status();
    }
    Json state = config;
    state["id"] = arn;
    return std::optional<Json>(state);
  };
  s.delete_op = "DeleteStateMachine";
  s.delete_params = {{"stateMachineArn", "$id"}};
  return s;
}

// ---- aws_cloudwatch_event_rule ----

Json RuleParams(const Json& config) {
  Json params = {{"Name", Str(config, "name")}};
  for (const auto& [attr, member] :
       {std::pair{"schedule_expression", "ScheduleExpression"},
        std::pair{"event_pattern", "EventPattern"}, std::pair{"description", "Description"},
        std::pair{"role_arn", "RoleArn"}}) {
    if (!Str(config, attr).empty()) {
      params[member] = config[attr];
    }
  }
  if (!Str(config, "event_bus_name").empty() && Str(config, "event_bus_name") != "default") {
    params["EventBusName"] = config["event_bus_name"];
  }
  std::string state = Str(config, "state");
  if (state.empty() && config.contains("is_enabled") && config["is_enabled"].is_boolean()) {
    state = config["is_enabled"].get<bool>() ? "ENABLED" : "DISABLED";
  }
  params["State"] = state.empty() ? "ENABLED" : state;
  return params;
}

TypeSpec EventRule() {
  TypeSpec s;
  s.type = "aws_cloudwatch_event_rule";
  s.service = "events";
  s.force_new = {"name", "name_prefix", "event_bus_name"};
  s.find_by_name = "name";
  s.create_op = "PutRule";
  s.id_template = "$attr.name";
  s.tags.style = TagSpec::Style::kList;
  s.tags.read_op = "ListTagsForResource";
  s.tags.read_params = {{"ResourceARN", "$attr.arn"}};
  s.tags.read_path = "Tags";
  s.tags.tag_op = "TagResource";
  s.tags.tag_params = {{"ResourceARN", "$attr.arn"}};
  s.tags.untag_op = "UntagResource";
  s.tags.untag_params = {{"ResourceARN", "$attr.arn"}};
  s.read.op = "DescribeRule";
  s.read.params = {{"Name", "$id"}};
  s.fields = {
      {.attr = "name", .read = "Name"},
      {.attr = "schedule_expression", .read = "ScheduleExpression"},
      {.attr = "event_pattern", .read = "EventPattern", .conv = Conv::kJsonDoc},
      {.attr = "description", .read = "Description"},
      {.attr = "role_arn", .read = "RoleArn"},
      {.attr = "state", .read = "State"},
      {.attr = "arn", .read = "Arn"},
      {.attr = "event_bus_name", .read = "EventBusName", .absent = "default"},
  };
  s.build_create = [](AwsContext&, const Json& config, Json& params) -> Status {
    params.update(RuleParams(config));
    return OkStatus();
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    state["is_enabled"] = Str(state, "state") == "ENABLED";
    state["name_prefix"] = prior.value("name_prefix", "");
    return OkStatus();
  };
  // PutRule is also the update: it takes the whole rule again.
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json&) -> Status {
    return ctx.Call("events", "PutRule", RuleParams(config)).status();
  };
  s.delete_op = "DeleteRule";
  s.delete_params = {{"Name", "$id"}};
  return s;
}

// ---- aws_cloudwatch_event_target ----

std::string TargetId(const Json& config) {
  return Str(config, "rule") + "-" + Str(config, "target_id");
}

Status PutTarget(AwsContext& ctx, const Json& config) {
  Json target = {{"Id", Str(config, "target_id")}, {"Arn", Str(config, "arn")}};
  for (const auto& [attr, member] : {std::pair{"role_arn", "RoleArn"}, std::pair{"input", "Input"},
                                     std::pair{"input_path", "InputPath"}}) {
    if (!Str(config, attr).empty()) {
      target[member] = config[attr];
    }
  }
  Json it = config.value("input_transformer", Json::array());
  if (it.is_array() && !it.empty()) {
    target["InputTransformer"] = {{"InputTemplate", Str(it[0], "input_template")}};
    if (it[0].contains("input_paths") && it[0]["input_paths"].is_object()) {
      target["InputTransformer"]["InputPathsMap"] = it[0]["input_paths"];
    }
  }
  Json params = {{"Rule", Str(config, "rule")}, {"Targets", {target}}};
  if (!Str(config, "event_bus_name").empty() && Str(config, "event_bus_name") != "default") {
    params["EventBusName"] = config["event_bus_name"];
  }
  ASSIGN_OR_RETURN(Json out, ctx.Call("events", "PutTargets", params));
  if (out.value("FailedEntryCount", 0) > 0) {
    const Json& failed = GetPath(out, "FailedEntries[0]");
    return InvalidArgumentError(fmt::format("events.PutTargets: {}: {}", Str(failed, "ErrorCode"),
                                            Str(failed, "ErrorMessage")));
  }
  return OkStatus();
}

Result<std::optional<Json>> ReadTarget(AwsContext& ctx, const Json& state) {
  Result<Json> out = ctx.Call("events", "ListTargetsByRule", {{"Rule", Str(state, "rule")}});
  if (!out.ok()) {
    if (out.status().code() == StatusCode::kNotFound) {
      return std::optional<Json>();
    }
    return out.status();
  }
  for (const Json& t : out->value("Targets", Json::array())) {
    if (Str(t, "Id") == Str(state, "target_id")) {
      return std::optional<Json>(t);
    }
  }
  return std::optional<Json>();
}

TypeSpec EventTarget() {
  TypeSpec s;
  s.type = "aws_cloudwatch_event_target";
  s.service = "events";
  s.force_new = {"rule", "target_id", "event_bus_name"};
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) -> Status {
    if (Str(config, "target_id").empty()) {
      config["target_id"] =
          "clusterform-" + ref.token.substr(0, std::min<size_t>(20, ref.token.size()));
    }
    return OkStatus();
  };
  s.fields = {
      {.attr = "arn", .read = "Arn"},
      {.attr = "role_arn", .read = "RoleArn"},
      {.attr = "input", .read = "Input"},
      {.attr = "input_path", .read = "InputPath"},
  };
  s.custom_create = [](AwsContext& ctx, const TypeSpec&, const InstanceRef&,
                       const Json& config) -> Result<StepResult> {
    RETURN_IF_ERROR(PutTarget(ctx, config));
    StepResult result;
    result.state = config;
    result.state["id"] = TargetId(config);
    if (!result.state.contains("event_bus_name")) {
      result.state["event_bus_name"] = "default";
    }
    return result;
  };
  s.custom_read = [](AwsContext& ctx, const TypeSpec&,
                     const Json& state) -> Result<std::optional<Json>> {
    return ReadTarget(ctx, state);
  };
  s.find_prior = [](AwsContext& ctx, const InstanceRef&,
                    const Json& config) -> Result<std::optional<Json>> {
    ASSIGN_OR_RETURN(std::optional<Json> t, ReadTarget(ctx, config));
    if (!t.has_value()) {
      return std::optional<Json>();
    }
    Json state = config;
    state["id"] = TargetId(config);
    return std::optional<Json>(state);
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json&) -> Status {
    return PutTarget(ctx, config);  // PutTargets replaces a target with the same id
  };
  s.custom_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state) -> Status {
    Result<Json> out = ctx.Call("events", "RemoveTargets",
                                {{"Rule", Str(state, "rule")}, {"Ids", {Str(state, "target_id")}}});
    if (!out.ok() && out.status().code() != StatusCode::kNotFound) {
      return out.status();
    }
    return OkStatus();
  };
  // Terraform's import id: RULE/TARGET_ID (or BUS/RULE/TARGET_ID).
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    size_t last = id.rfind('/');
    if (last == std::string_view::npos || last == 0 || last + 1 == id.size()) {
      return InvalidArgumentError("aws_cloudwatch_event_target import id must be RULE/TARGET_ID");
    }
    std::string head(id.substr(0, last));
    Json state = {{"target_id", std::string(id.substr(last + 1))}, {"event_bus_name", "default"}};
    size_t first = head.find('/');
    if (first != std::string::npos) {
      state["event_bus_name"] = head.substr(0, first);
      head = head.substr(first + 1);
    }
    state["rule"] = head;
    state["id"] = TargetId(state);
    return state;
  };
  return s;
}

}  // namespace

void AddOrchestrationTypes(std::vector<TypeSpec>& out) {
  out.push_back(LambdaFunction());
  out.push_back(LambdaPermission());
  out.push_back(StateMachine());
  out.push_back(EventRule());
  out.push_back(EventTarget());
}

}  // namespace cf::provider::aws_spec
