#include "cli/s3_backend_wiring.h"

#include <fmt/format.h>

#include <set>

#include "cli/aws_wiring.h"
#include "config/provider.h"
#include "hcl/eval.h"
#include "state/kms_sealer.h"
#include "state/s3_backend.h"

namespace cf::cli {

namespace {

std::string Where(const hcl::Range& r) {
  return fmt::format("{}:{}:{}", r.filename, r.start.line, r.start.column);
}

// The backend and the client stack it talks through, destroyed together.
class OwningS3Backend : public state::Backend {
 public:
  OwningS3Backend(std::unique_ptr<AwsClientStack> aws, state::S3BackendOptions options)
      : aws_(std::move(aws)), backend_(aws_->client(), aws_->conditional(), std::move(options)) {}
  std::string Location() const override { return backend_.Location(); }
  Result<std::optional<std::string>> ReadState() override { return backend_.ReadState(); }
  Status WriteState(std::string_view contents) override { return backend_.WriteState(contents); }
  Status TryLock(const state::LockInfo& info, state::LockInfo* holder) override {
    return backend_.TryLock(info, holder);
  }
  Status ReplaceLock(const std::string& expected_id, const state::LockInfo& info,
                     state::LockInfo* holder) override {
    return backend_.ReplaceLock(expected_id, info, holder);
  }
  Status Unlock(const std::string& id) override { return backend_.Unlock(id); }
  Result<std::optional<state::LockInfo>> CurrentLock() override { return backend_.CurrentLock(); }
  aws::Client& client() { return aws_->client(); }

 private:
  std::unique_ptr<AwsClientStack> aws_;
  state::S3Backend backend_;
};

// The block's arguments, evaluated as literals.
class Arguments {
 public:
  explicit Arguments(const config::Backend& block) : block_(block) {}

  Result<std::string> String(std::string_view name) {
    const hcl::Attribute* attr = Find(name);
    if (attr == nullptr) {
      return std::string();
    }
    ASSIGN_OR_RETURN(hcl::Value v, Literal(*attr));
    if (v.type().kind() != hcl::TypeKind::kString) {
      return TypeError(*attr, "a string");
    }
    return v.AsString();
  }
  Result<bool> Bool(std::string_view name, bool fallback) {
    const hcl::Attribute* attr = Find(name);
    if (attr == nullptr) {
      return fallback;
    }
    ASSIGN_OR_RETURN(hcl::Value v, Literal(*attr));
    if (v.type().kind() != hcl::TypeKind::kBool) {
      return TypeError(*attr, "a bool");
    }
    return v.AsBool();
  }
  Result<std::map<std::string, std::string>> StringMap(std::string_view name) {
    std::map<std::string, std::string> out;
    const hcl::Attribute* attr = Find(name);
    if (attr == nullptr) {
      return out;
    }
    ASSIGN_OR_RETURN(hcl::Value v, Literal(*attr));
    if (!v.type().IsMapping()) {
      return TypeError(*attr, "an object of URLs ({ s3 = \"http://...\" })");
    }
    for (const auto& [k, e] : v.Attributes()) {
      if (!e.IsKnown() || e.IsNull() || e.type().kind() != hcl::TypeKind::kString) {
        return TypeError(*attr, "an object of URLs ({ s3 = \"http://...\" })");
      }
      out[k] = e.AsString();
    }
    return out;
  }
  // InvalidArgument for the first argument not in `known` (or in `refused`, with its reason).
  Status CheckNames(const std::set<std::string, std::less<>>& known,
                    const std::map<std::string, std::string, std::less<>>& refused) {
    for (const hcl::Attribute* attr : block_.body->attributes) {
      auto why = refused.find(attr->name);
      if (why != refused.end()) {
        return InvalidArgumentError(fmt::format("{}: the s3 backend's \"{}\": {}",
                                                Where(attr->expr->range), attr->name, why->second));
      }
      if (known.count(attr->name) == 0) {
        return InvalidArgumentError(fmt::format(
            "{}: the s3 backend has no argument \"{}\" (it takes bucket, key, region, encrypt, "
            "kms_key_id, endpoints, profile, access_key, secret_key, token, use_path_style, "
            "use_lockfile)",
            Where(attr->expr->range), attr->name));
      }
    }
    return OkStatus();
  }

 private:
  const hcl::Attribute* Find(std::string_view name) const {
    for (const hcl::Attribute* attr : block_.body->attributes) {
      if (attr->name == name) {
        return attr;
      }
    }
    return nullptr;
  }
  Result<hcl::Value> Literal(const hcl::Attribute& attr) {
    hcl::MapScope scope;
    hcl::Diagnostics diags;
    hcl::Value v = hcl::Evaluate(attr.expr, scope, &diags, {});
    if (diags.HasErrors() || !v.IsKnown() || v.IsNull()) {
      return InvalidArgumentError(
          fmt::format("{}: the backend's \"{}\" must be a literal value (backend arguments "
                      "cannot refer to variables)",
                      Where(attr.expr->range), attr.name));
    }
    return v;
  }
  Status TypeError(const hcl::Attribute& attr, std::string_view what) {
    return InvalidArgumentError(fmt::format("{}: the backend's \"{}\" must be {}",
                                            Where(attr.expr->range), attr.name, what));
  }
  const config::Backend& block_;
};

}  // namespace

Result<OpenedBackend> OpenS3Backend(const config::Backend& block, const std::string& dir,
                                    FileSystem& fs,
                                    const std::map<std::string, std::string>& environment) {
  Arguments args(block);
  RETURN_IF_ERROR(args.CheckNames(
      {"bucket", "key", "region", "encrypt", "kms_key_id", "endpoints", "endpoint", "profile",
       "access_key", "secret_key", "token", "use_path_style", "force_path_style", "use_lockfile",
       "skip_credentials_validation", "skip_region_validation", "skip_metadata_api_check",
       "skip_requesting_account_id", "skip_s3_checksum"},
      {{"dynamodb_table",
        "locking through a DynamoDB table is not supported; clusterform locks with the "
        "KEY.tflock object (Terraform's use_lockfile = true): remove dynamodb_table"},
       {"workspace_key_prefix", "workspaces are not supported; remove it"}}));
  state::S3BackendOptions options;
  ASSIGN_OR_RETURN(options.bucket, args.String("bucket"));
  ASSIGN_OR_RETURN(options.key, args.String("key"));
  if (options.bucket.empty() || options.key.empty()) {
    return InvalidArgumentError(
        fmt::format("{}: the s3 backend needs \"bucket\" and \"key\"", Where(block.range)));
  }
  if (options.key.front() == '/' || options.key.back() == '/') {
    return InvalidArgumentError(fmt::format(
        "{}: the s3 backend's \"key\" must not start or end with \"/\"", Where(block.range)));
  }
  ASSIGN_OR_RETURN(options.encrypt, args.Bool("encrypt", false));
  ASSIGN_OR_RETURN(options.kms_key_id, args.String("kms_key_id"));
  ASSIGN_OR_RETURN(bool use_lockfile, args.Bool("use_lockfile", true));
  if (!use_lockfile) {
    return InvalidArgumentError(
        fmt::format("{}: the s3 backend always locks with the KEY.tflock object; "
                    "use_lockfile = false is not supported",
                    Where(block.range)));
  }
  for (const char* name : {"use_path_style", "force_path_style", "skip_credentials_validation",
                           "skip_region_validation", "skip_metadata_api_check",
                           "skip_requesting_account_id", "skip_s3_checksum"}) {
    RETURN_IF_ERROR(args.Bool(name, false).status());
  }

  AwsClientSettings settings;
  ASSIGN_OR_RETURN(settings.region, args.String("region"));
  ASSIGN_OR_RETURN(settings.profile, args.String("profile"));
  ASSIGN_OR_RETURN(settings.access_key, args.String("access_key"));
  ASSIGN_OR_RETURN(settings.secret_key, args.String("secret_key"));
  ASSIGN_OR_RETURN(settings.token, args.String("token"));
  if (settings.access_key.empty() != settings.secret_key.empty()) {
    return InvalidArgumentError(fmt::format(
        "{}: the s3 backend sets only one of access_key and secret_key; set both, or neither",
        Where(block.range)));
  }
  using UrlMap = std::map<std::string, std::string>;
  ASSIGN_OR_RETURN(UrlMap endpoints, args.StringMap("endpoints"));
  ASSIGN_OR_RETURN(std::string legacy, args.String("endpoint"));
  if (!legacy.empty()) {
    endpoints["s3"] = legacy;
  }
  if (endpoints.empty()) {
    auto global = environment.find("AWS_ENDPOINT_URL_S3");
    if (global == environment.end() || global->second.empty()) {
      global = environment.find("AWS_ENDPOINT_URL");
    }
    if (global != environment.end() && !global->second.empty()) {
      endpoints["*"] = global->second;
    }
  }
  Result<std::string> endpoint = EndpointFor(endpoints, "the s3 backend's");
  if (!endpoint.ok()) {
    return endpoint.status().WithContext(Where(block.range));
  }
  settings.endpoint_url = *endpoint;
  settings.local_cloud = !settings.endpoint_url.empty() && config::IsLoopbackUrl(*endpoint);
  Result<std::unique_ptr<AwsClientStack>> aws =
      AwsClientStack::Make(fs, environment, settings, "the s3 backend", "the backend block");
  if (!aws.ok()) {
    return aws.status().WithContext(Where(block.range));
  }
  auto backend = std::make_unique<OwningS3Backend>(std::move(*aws), options);
  OpenedBackend out;
  aws::Client& client = backend->client();
  if (!options.kms_key_id.empty()) {
    out.sealers = state::KmsSealers(client, options.kms_key_id);
  } else if (settings.local_cloud) {
    out.sealers = [&client](state::State& s,
                            bool create) -> Result<std::unique_ptr<state::Sealer>> {
      std::string key_id;
      if (!s.data_key) {
        if (!create) {
          return NotFoundError("the state holds sealed values but no data key to open them");
        }
        ASSIGN_OR_RETURN(key_id, state::EnsureLocalCloudStateKey(client));
      }
      return state::KmsSealers(client, key_id)(s, create);
    };
  } else {
    out.sealers = state::LocalKeySealers(fs, JoinPath(dir, ".clusterform-state"));
  }
  out.backend = std::move(backend);
  return out;
}

}  // namespace cf::cli
