// S3 buckets and the bucket-configuration types. Each configuration type is one Put, one Get
// and one Delete on the bucket it names (its id is the bucket name), with its blocks mapped to
// the configuration document by Members.

#include <fmt/format.h>

#include "provider/aws_type_spec.h"

namespace cf::provider::aws_spec {

namespace {

using Kind = Member::Kind;

Member V(std::string attr, std::string api, Conv conv = Conv::kPlain) {
  return Member{.attr = std::move(attr), .api = std::move(api), .conv = conv};
}
Member B(std::string attr, std::string api, std::vector<Member> children,
         Kind kind = Kind::kBlock) {
  return Member{.attr = std::move(attr),
                .api = std::move(api),
                .kind = kind,
                .children = std::move(children)};
}

TypeSpec Bucket() {
  TypeSpec s;
  s.type = "aws_s3_bucket";
  s.service = "s3";
  s.force_new = {"bucket", "bucket_prefix", "object_lock_enabled"};
  s.prepare = [](AwsContext&, const InstanceRef& ref, Json& config) {
    if (Str(config, "bucket").empty()) {
      std::string prefix = Str(config, "bucket_prefix");
      std::string name = (prefix.empty() ? "terraform-" : prefix) + ref.token;
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      config["bucket"] = name.substr(0, 63);
    }
    return OkStatus();
  };
  s.create_op = "CreateBucket";
  s.id_template = "$attr.bucket";
  s.find_by_name = "bucket";
  s.fields = {
      {.attr = "bucket", .create = "Bucket"},
      {.attr = "object_lock_enabled", .create = "ObjectLockEnabledForBucket"},
  };
  s.build_create = [](AwsContext& ctx, const Json&, Json& params) {
    if (ctx.region() != "us-east-1") {
      params["CreateBucketConfiguration"] = {{"LocationConstraint", ctx.region()}};
    }
    return OkStatus();
  };
  s.tags.style = TagSpec::Style::kList;
  s.tags.at_create = false;
  s.tags.read_op = "GetBucketTagging";
  s.tags.read_params = {{"Bucket", "$id"}};
  s.tags.read_path = "TagSet";
  s.tags.tag_op = "PutBucketTagging";
  s.tags.tag_params = {{"Bucket", "$id"}};
  s.tags.tag_member = "Tagging.TagSet";
  s.tags.tag_op_replaces = true;
  s.tags.untag_op = "DeleteBucketTagging";
  s.tags.untag_params = {{"Bucket", "$id"}};
  s.tag_address = false;
  s.read.op = "HeadBucket";
  s.read.params = {{"Bucket", "$id"}};
  s.after_read = [](AwsContext& ctx, const TypeSpec&, const Json& prior, Json& state) -> Status {
    std::string bucket = Str(state, "id");
    state["bucket"] = bucket;
    std::string region = Str(state["__item"], "BucketRegion");
    if (region.empty()) {
      region = ctx.region();
    }
    state["region"] = region;
    state["arn"] = fmt::format("arn:{}:s3:::{}", ctx.partition(), bucket);
    state["bucket_domain_name"] = bucket + ".s3.amazonaws.com";
    state["bucket_regional_domain_name"] = fmt::format("{}.s3.{}.amazonaws.com", bucket, region);
    state["hosted_zone_id"] = region == "us-east-1" ? "Z3AQBSTGFYJSTF" : "";
    Result<Json> policy = ctx.Call("s3", "GetBucketPolicy", {{"Bucket", bucket}});
    if (policy.ok()) {
      state["policy"] = FromApi((*policy)["Policy"], Conv::kJsonDoc, prior.value("policy", Json()));
    } else if (policy.status().code() == StatusCode::kNotFound) {
      state["policy"] = "";
    } else {
      return policy.status();
    }
    state["acceleration_status"] = "";
    state["request_payer"] = "BucketOwner";
    state["website_domain"] = "";
    state["website_endpoint"] = "";
    state["acl"] = prior.value("acl", Json(""));
    state["bucket_prefix"] = prior.value("bucket_prefix", "");
    state["object_lock_enabled"] = prior.value("object_lock_enabled", false);
    if (!state.contains("force_destroy")) {
      state["force_destroy"] = false;
    }
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    for (const Json& changed : state["__changed"]) {
      if (changed != "force_destroy") {
        return InvalidArgumentError("aws_s3_bucket: " + changed.get<std::string>() +
                                    " cannot be changed in place");
      }
    }
    (void)ctx;
    (void)config;
    return OkStatus();
  };
  s.before_delete = [](AwsContext& ctx, const TypeSpec&, const Json& state, Json&) -> Status {
    if (!state.value("force_destroy", false)) {
      return OkStatus();
    }
    // Every object (and version) goes first.
    std::string bucket = Str(state, "id");
    for (int round = 0; round < 10000; ++round) {
      ASSIGN_OR_RETURN(Json out, ctx.Call("s3", "ListObjectsV2", {{"Bucket", bucket}}));
      Json objects = Json::array();
      for (const Json& o : out.value("Contents", Json::array())) {
        objects.push_back({{"Key", o["Key"]}});
      }
      if (objects.empty()) {
        break;
      }
      RETURN_IF_ERROR(
          ctx.Call("s3", "DeleteObjects",
                   {{"Bucket", bucket}, {"Delete", {{"Objects", objects}, {"Quiet", true}}}}));
    }
    return OkStatus();
  };
  s.delete_op = "DeleteBucket";
  s.delete_params = {{"Bucket", "$id"}};
  return s;
}

// A bucket-configuration type: put_op with the bucket and `fields`, read by get_op, removed by
// delete_op (or, with delete_params, a put that resets it).
TypeSpec BucketConfig(std::string type, std::string put_op, std::string get_op,
                      std::string delete_op, std::vector<Field> fields) {
  TypeSpec s;
  s.type = std::move(type);
  s.service = "s3";
  s.force_new = {"bucket", "expected_bucket_owner"};
  s.create_op = put_op;
  s.id_template = "$attr.bucket";
  s.find_by_name = "bucket";
  s.fields = {{.attr = "bucket", .create = "Bucket"},
              {.attr = "expected_bucket_owner", .create = "ExpectedBucketOwner"}};
  for (Field& f : fields) {
    s.fields.push_back(std::move(f));
  }
  s.read.op = std::move(get_op);
  s.read.params = {{"Bucket", "$id"}};
  s.delete_op = std::move(delete_op);
  s.delete_params = {{"Bucket", "$id"}};
  // An update is the same Put with the new configuration.
  s.update = [put_op](AwsContext& ctx, const TypeSpec& spec, const Json& config,
                      Json& state) -> Status {
    Json params = {{"Bucket", state["id"]}};
    for (const Field& f : spec.fields) {
      if (f.create.empty() || f.attr == "bucket") {
        continue;
      }
      Json v = GetPath(config, f.attr);
      if (!f.block.empty()) {
        v = BlocksToApi(f.block, v, f.block_kind);
      } else if (!v.is_null()) {
        v = ToApi(v, f.conv);
      }
      if (!v.is_null() && !(v.is_array() && v.empty() && !f.block.empty())) {
        SetPath(params, f.create, v);
      }
    }
    return ctx.Call("s3", put_op, params).status();
  };
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) {
    state["bucket"] = state["id"];
    state["expected_bucket_owner"] = prior.value("expected_bucket_owner", "");
    return OkStatus();
  };
  return s;
}

TypeSpec Versioning() {
  TypeSpec s = BucketConfig("aws_s3_bucket_versioning", "PutBucketVersioning",
                            "GetBucketVersioning", "PutBucketVersioning",
                            {{.attr = "versioning_configuration",
                              .create = "VersioningConfiguration",
                              .read = ".",
                              .block = {V("status", "Status"), V("mfa_delete", "MFADelete")}},
                             {.attr = "mfa", .create = "MFA"}});
  // Versioning cannot be removed from a bucket, only suspended (as Terraform does).
  s.delete_params = {{"Bucket", "$id"}, {"VersioningConfiguration", {{"Status", "Suspended"}}}};
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    std::string status = Str(state["__item"], "Status");
    if (status.empty()) {
      return NotFoundError("bucket " + Str(state, "id") + " never had versioning");
    }
    state["bucket"] = state["id"];
    state["expected_bucket_owner"] = prior.value("expected_bucket_owner", "");
    Json& vc = state["versioning_configuration"];
    if (vc.is_array() && !vc.empty() && !vc[0].contains("mfa_delete") &&
        !Str(state["__item"], "MFADelete").empty()) {
      vc[0]["mfa_delete"] = state["__item"]["MFADelete"];
    }
    return OkStatus();
  };
  return s;
}

TypeSpec Encryption() {
  Member by_default =
      B("apply_server_side_encryption_by_default", "ApplyServerSideEncryptionByDefault",
        {V("sse_algorithm", "SSEAlgorithm"), V("kms_master_key_id", "KMSMasterKeyID")});
  TypeSpec s = BucketConfig("aws_s3_bucket_server_side_encryption_configuration",
                            "PutBucketEncryption", "GetBucketEncryption", "DeleteBucketEncryption",
                            {{.attr = "rule",
                              .create = "ServerSideEncryptionConfiguration.Rules",
                              .read = "ServerSideEncryptionConfiguration.Rules",
                              .block = {by_default, V("bucket_key_enabled", "BucketKeyEnabled")},
                              .block_kind = Kind::kBlockList}});
  return s;
}

TypeSpec PublicAccessBlock() {
  std::vector<Field> fields;
  for (const auto& [attr, api] : {std::pair{"block_public_acls", "BlockPublicAcls"},
                                  std::pair{"block_public_policy", "BlockPublicPolicy"},
                                  std::pair{"ignore_public_acls", "IgnorePublicAcls"},
                                  std::pair{"restrict_public_buckets", "RestrictPublicBuckets"}}) {
    fields.push_back({.attr = attr,
                      .create = std::string("PublicAccessBlockConfiguration.") + api,
                      .read = std::string("PublicAccessBlockConfiguration.") + api,
                      .absent = false});
  }
  return BucketConfig("aws_s3_bucket_public_access_block", "PutPublicAccessBlock",
                      "GetPublicAccessBlock", "DeletePublicAccessBlock", std::move(fields));
}

TypeSpec OwnershipControls() {
  return BucketConfig("aws_s3_bucket_ownership_controls", "PutBucketOwnershipControls",
                      "GetBucketOwnershipControls", "DeleteBucketOwnershipControls",
                      {{.attr = "rule",
                        .create = "OwnershipControls.Rules",
                        .read = "OwnershipControls.Rules",
                        .block = {V("object_ownership", "ObjectOwnership")},
                        .block_kind = Kind::kBlockList}});
}

TypeSpec BucketPolicy() {
  return BucketConfig(
      "aws_s3_bucket_policy", "PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy",
      {{.attr = "policy", .create = "Policy", .read = "Policy", .conv = Conv::kJsonDoc}});
}

TypeSpec Cors() {
  return BucketConfig(
      "aws_s3_bucket_cors_configuration", "PutBucketCors", "GetBucketCors", "DeleteBucketCors",
      {{.attr = "cors_rule",
        .create = "CORSConfiguration.CORSRules",
        .read = "CORSRules",
        .block = {V("id", "ID"), V("allowed_headers", "AllowedHeaders"),
                  V("allowed_methods", "AllowedMethods"), V("allowed_origins", "AllowedOrigins"),
                  V("expose_headers", "ExposeHeaders"), V("max_age_seconds", "MaxAgeSeconds")},
        .block_kind = Kind::kBlockList}});
}

TypeSpec Lifecycle() {
  Member tag = B("tag", "Tag", {V("key", "Key"), V("value", "Value")});
  Member filter = B("filter", "Filter",
                    {V("prefix", "Prefix"), V("object_size_greater_than", "ObjectSizeGreaterThan"),
                     V("object_size_less_than", "ObjectSizeLessThan"), tag,
                     B("and", "And",
                       {V("prefix", "Prefix"), V("tags", "Tags", Conv::kTagList),
                        V("object_size_greater_than", "ObjectSizeGreaterThan"),
                        V("object_size_less_than", "ObjectSizeLessThan")})});
  Member rule = B("rule", "Rules",
                  {V("id", "ID"), V("status", "Status"), V("prefix", "Prefix"), filter,
                   B("expiration", "Expiration",
                     {V("days", "Days"), V("date", "Date"),
                      V("expired_object_delete_marker", "ExpiredObjectDeleteMarker")}),
                   B("transition", "Transitions",
                     {V("days", "Days"), V("date", "Date"), V("storage_class", "StorageClass")},
                     Kind::kBlockList),
                   B("noncurrent_version_expiration", "NoncurrentVersionExpiration",
                     {V("noncurrent_days", "NoncurrentDays"),
                      V("newer_noncurrent_versions", "NewerNoncurrentVersions")}),
                   B("noncurrent_version_transition", "NoncurrentVersionTransitions",
                     {V("noncurrent_days", "NoncurrentDays"), V("storage_class", "StorageClass"),
                      V("newer_noncurrent_versions", "NewerNoncurrentVersions")},
                     Kind::kBlockList),
                   B("abort_incomplete_multipart_upload", "AbortIncompleteMultipartUpload",
                     {V("days_after_initiation", "DaysAfterInitiation")})},
                  Kind::kBlockList);
  TypeSpec s =
      BucketConfig("aws_s3_bucket_lifecycle_configuration", "PutBucketLifecycleConfiguration",
                   "GetBucketLifecycleConfiguration", "DeleteBucketLifecycle",
                   {{.attr = "rule",
                     .create = "LifecycleConfiguration.Rules",
                     .read = "Rules",
                     .block = rule.children,
                     .block_kind = Kind::kBlockList},
                    {.attr = "transition_default_minimum_object_size",
                     .create = "TransitionDefaultMinimumObjectSize",
                     .read = "TransitionDefaultMinimumObjectSize",
                     .absent = "all_storage_classes_128K"}});
  return s;
}

// Notification targets: Terraform's filter_prefix / filter_suffix are S3's filter rules.
Json NotificationsToApi(const Json& config) {
  Json out = Json::object();
  for (const auto& [attr, api, arn_attr, arn_api] :
       {std::tuple{"queue", "QueueConfigurations", "queue_arn", "QueueArn"},
        std::tuple{"topic", "TopicConfigurations", "topic_arn", "TopicArn"},
        std::tuple{"lambda_function", "LambdaFunctionConfigurations", "lambda_function_arn",
                   "LambdaFunctionArn"}}) {
    for (const Json& b : config.value(attr, Json::array())) {
      Json c = {{arn_api, b.value(arn_attr, "")}, {"Events", b.value("events", Json::array())}};
      if (!Str(b, "id").empty()) {
        c["Id"] = b["id"];
      }
      Json rules = Json::array();
      for (const auto& [fattr, name] :
           {std::pair{"filter_prefix", "prefix"}, std::pair{"filter_suffix", "suffix"}}) {
        if (!Str(b, fattr).empty()) {
          rules.push_back({{"Name", name}, {"Value", b[fattr]}});
        }
      }
      if (!rules.empty()) {
        c["Filter"] = {{"Key", {{"FilterRules", rules}}}};
      }
      out[api].push_back(c);
    }
  }
  if (config.value("eventbridge", false)) {
    out["EventBridgeConfiguration"] = Json::object();
  }
  return out;
}

TypeSpec Notification() {
  TypeSpec s =
      BucketConfig("aws_s3_bucket_notification", "PutBucketNotificationConfiguration",
                   "GetBucketNotificationConfiguration", "PutBucketNotificationConfiguration", {});
  s.build_create = [](AwsContext&, const Json& config, Json& params) {
    params["NotificationConfiguration"] = NotificationsToApi(config);
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    return ctx
        .Call("s3", "PutBucketNotificationConfiguration",
              {{"Bucket", state["id"]}, {"NotificationConfiguration", NotificationsToApi(config)}})
        .status();
  };
  s.delete_params = {{"Bucket", "$id"}, {"NotificationConfiguration", Json::object()}};
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = state["__item"];
    state["bucket"] = state["id"];
    state["expected_bucket_owner"] = prior.value("expected_bucket_owner", "");
    Json want = NotificationsToApi(prior);
    bool empty = true;
    for (const char* api :
         {"QueueConfigurations", "TopicConfigurations", "LambdaFunctionConfigurations"}) {
      if (item.contains(api) && !item[api].empty()) {
        empty = false;
      }
    }
    if (empty && !item.contains("EventBridgeConfiguration")) {
      return NotFoundError("bucket " + Str(state, "id") + " has no notifications");
    }
    if (Subset(want, item)) {
      for (const char* attr : {"queue", "topic", "lambda_function", "eventbridge"}) {
        if (prior.contains(attr)) {
          state[attr] = prior[attr];
        }
      }
      return OkStatus();
    }
    for (const auto& [attr, api, arn_attr, arn_api] :
         {std::tuple{"queue", "QueueConfigurations", "queue_arn", "QueueArn"},
          std::tuple{"topic", "TopicConfigurations", "topic_arn", "TopicArn"},
          std::tuple{"lambda_function", "LambdaFunctionConfigurations", "lambda_function_arn",
                     "LambdaFunctionArn"}}) {
      Json blocks = Json::array();
      for (const Json& c : item.value(api, Json::array())) {
        Json b = {{"id", Str(c, "Id")},
                  {arn_attr, Str(c, arn_api)},
                  {"events", c.value("Events", Json::array())}};
        for (const Json& r : GetPath(c, "Filter.Key.FilterRules").is_array()
                                 ? GetPath(c, "Filter.Key.FilterRules")
                                 : Json::array()) {
          b[Str(r, "Name") == "prefix" ? "filter_prefix" : "filter_suffix"] = Str(r, "Value");
        }
        blocks.push_back(b);
      }
      state[attr] = blocks;
    }
    state["eventbridge"] = item.contains("EventBridgeConfiguration");
    return OkStatus();
  };
  return s;
}

TypeSpec Acl() {
  TypeSpec s = BucketConfig("aws_s3_bucket_acl", "PutBucketAcl", "GetBucketAcl", "", {});
  s.fields.push_back({.attr = "acl", .create = "ACL"});
  // Terraform's id is "bucket,acl" when a canned ACL is set.
  s.make_id = [](const Json& config, const Json&) {
    return Str(config, "acl").empty() ? Str(config, "bucket")
                                      : Str(config, "bucket") + "," + Str(config, "acl");
  };
  s.read.params = {{"Bucket", "$attr.bucket"}};
  s.after_read = [](AwsContext&, const TypeSpec&, const Json& prior, Json& state) -> Status {
    const Json& item = state["__item"];
    state["bucket"] = prior.value("bucket", state["id"]);
    state["id"] = Str(prior, "acl").empty() ? Str(state, "bucket")
                                            : Str(state, "bucket") + "," + Str(prior, "acl");
    state["expected_bucket_owner"] = prior.value("expected_bucket_owner", "");
    Json grants = Json::array();
    for (const Json& g : item.value("Grants", Json::array())) {
      Json grantee = g.value("Grantee", Json::object());
      grants.push_back({{"permission", Str(g, "Permission")},
                        {"grantee",
                         {{{"id", Str(grantee, "ID")},
                           {"type", Str(grantee, "Type")},
                           {"uri", Str(grantee, "URI")},
                           {"email_address", ""},
                           {"display_name", Str(grantee, "DisplayName")}}}}});
    }
    state["access_control_policy"] =
        Json::array({{{"grant", grants},
                      {"owner",
                       {{{"id", Str(GetPath(item, "Owner"), "ID")},
                         {"display_name", Str(GetPath(item, "Owner"), "DisplayName")}}}}}});
    return OkStatus();
  };
  s.update = [](AwsContext& ctx, const TypeSpec&, const Json& config, Json& state) -> Status {
    return ctx.Call("s3", "PutBucketAcl", {{"Bucket", state["bucket"]}, {"ACL", config["acl"]}})
        .status();
  };
  s.import_state = [](AwsContext&, const TypeSpec&, std::string_view id) -> Result<Json> {
    // "bucket" or "bucket,canned-acl"
    size_t cut = id.find(',');
    Json state = {{"id", std::string(id)}, {"bucket", std::string(id.substr(0, cut))}};
    if (cut != std::string_view::npos) {
      state["acl"] = std::string(id.substr(cut + 1));
    }
    return state;
  };
  // Destroying an ACL resource leaves the bucket's ACL (Terraform does the same).
  s.delete_op.clear();
  return s;
}

}  // namespace

void AddS3Types(std::vector<TypeSpec>& out) {
  out.push_back(Bucket());
  out.push_back(Versioning());
  out.push_back(Encryption());
  out.push_back(PublicAccessBlock());
  out.push_back(OwnershipControls());
  out.push_back(BucketPolicy());
  out.push_back(Cors());
  out.push_back(Lifecycle());
  out.push_back(Notification());
  out.push_back(Acl());
}

}  // namespace cf::provider::aws_spec
