#include "aws/credentials_chain.h"

#include <algorithm>
#include <cstdlib>

#include "base/strings.h"

namespace cf::aws {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<std::string> NonEmpty(std::optional<std::string> v) {
  if (v && v->empty()) {
    return std::nullopt;
  }
  return v;
}

// Sections of the config file are "[profile name]", except "[default]".
IniSections ConfigProfiles(const IniSections& sections) {
  IniSections out;
  for (const auto& [name, values] : sections) {
    if (name.rfind("profile ", 0) == 0) {
      out[std::string(Trim(std::string_view(name).substr(8)))] = values;
    } else if (name == "default") {
      // "[profile default]" wins over "[default]" when both exist.
      out.try_emplace(name, values);
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> SystemEnvironment::Get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::string> MapEnvironment::Get(std::string_view name) const {
  auto it = vars_.find(std::string(name));
  if (it == vars_.end()) {
    return std::nullopt;
  }
  return it->second;
}

Result<IniSections> ParseIni(std::string_view text, std::string_view file_name) {
  IniSections sections;
  std::string section;
  std::string parent_key;  // the last key with an empty value, for indented sub-settings
  bool in_section = false;
  size_t pos = 0;
  int line_number = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') {
      continue;
    }
    auto error = [&](std::string_view what) {
      return InvalidArgumentError(std::string(file_name) + ":" + std::to_string(line_number) +
                                  ": " + std::string(what));
    };
    if (line[0] == '[') {
      if (line.back() != ']') {
        return error("a section header must end with ']'");
      }
      section = std::string(Trim(line.substr(1, line.size() - 2)));
      sections[section];
      in_section = true;
      parent_key.clear();
      continue;
    }
    if (!in_section) {
      return error("a setting before any [section]");
    }
    const bool indented = raw[0] == ' ' || raw[0] == '\t';
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return error("expected \"key = value\"");
    }
    std::string key = AsciiLower(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (indented && !parent_key.empty()) {
      sections[section][parent_key + "." + key] = value;
      continue;
    }
    parent_key = value.empty() ? key : "";
    sections[section][key] = value;
  }
  return sections;
}

Result<SharedConfig> SharedConfig::Parse(std::string_view config_text,
                                         std::string_view credentials_text) {
  SharedConfig config;
  ASSIGN_OR_RETURN(IniSections raw_config, ParseIni(config_text, "config"));
  ASSIGN_OR_RETURN(config.credentials_, ParseIni(credentials_text, "credentials"));
  config.config_ = ConfigProfiles(raw_config);
  return config;
}

Result<SharedConfig> SharedConfig::Load(const FileSystem& fs, const Environment& env) {
  const std::string home = env.Get("HOME").value_or("");
  const std::string config_path =
      NonEmpty(env.Get("AWS_CONFIG_FILE")).value_or(JoinPath(home, ".aws/config"));
  const std::string credentials_path =
      NonEmpty(env.Get("AWS_SHARED_CREDENTIALS_FILE")).value_or(JoinPath(home, ".aws/credentials"));
  SharedConfig config;
  auto read = [&fs](const std::string& path) -> Result<std::string> {
    Result<std::string> text = fs.ReadFile(path);
    if (!text.ok() && text.status().code() == StatusCode::kNotFound) {
      return std::string();
    }
    return text;
  };
  ASSIGN_OR_RETURN(std::string config_text, read(config_path));
  ASSIGN_OR_RETURN(std::string credentials_text, read(credentials_path));
  ASSIGN_OR_RETURN(IniSections raw_config, ParseIni(config_text, config_path));
  ASSIGN_OR_RETURN(config.credentials_, ParseIni(credentials_text, credentials_path));
  config.config_ = ConfigProfiles(raw_config);
  return config;
}

bool SharedConfig::HasProfile(std::string_view profile) const {
  const std::string name(profile);
  return config_.count(name) > 0 || credentials_.count(name) > 0;
}

std::optional<std::string> SharedConfig::Get(std::string_view profile, std::string_view key) const {
  const std::string name(profile);
  const std::string k = AsciiLower(key);
  for (const IniSections* sections : {&credentials_, &config_}) {
    auto it = sections->find(name);
    if (it != sections->end()) {
      auto value = it->second.find(k);
      if (value != it->second.end() && !value->second.empty()) {
        return value->second;
      }
    }
  }
  return std::nullopt;
}

Result<Credentials> EnvironmentCredentialsProvider::GetCredentials() {
  std::optional<std::string> id = NonEmpty(env_.Get("AWS_ACCESS_KEY_ID"));
  std::optional<std::string> secret = NonEmpty(env_.Get("AWS_SECRET_ACCESS_KEY"));
  if (!id && !secret) {
    return NotFoundError("AWS_ACCESS_KEY_ID is not set");
  }
  if (!id || !secret) {
    return InvalidArgumentError(id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                   : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
  }
  Credentials c;
  c.access_key_id = *id;
  c.secret_access_key = *secret;
  c.session_token = NonEmpty(env_.Get("AWS_SESSION_TOKEN")).value_or("");
  c.source = "environment";
  return c;
}

ProfileCredentialsProvider::ProfileCredentialsProvider(const SharedConfig& config,
                                                       std::string profile, bool explicit_profile,
                                                       const Environment& env, StsClient* sts,
                                                       CredentialsProvider* imds,
                                                       const Clock& clock)
    : config_(config),
      profile_(std::move(profile)),
      explicit_profile_(explicit_profile),
      env_(env),
      sts_(sts),
      imds_(imds),
      clock_(clock) {}

Result<Credentials> ProfileCredentialsProvider::GetCredentials() {
  std::vector<std::string> visited;
  return Resolve(profile_, visited);
}

Result<Credentials> ProfileCredentialsProvider::Resolve(const std::string& profile,
                                                        std::vector<std::string>& visited) {
  if (!config_.HasProfile(profile)) {
    if (visited.empty() && !explicit_profile_) {
      return NotFoundError("no profile \"" + profile + "\" in the shared config files");
    }
    return InvalidArgumentError("the config profile \"" + profile + "\" could not be found");
  }
  if (std::find(visited.begin(), visited.end(), profile) != visited.end()) {
    std::string path;
    for (const auto& p : visited) {
      path += p + " -> ";
    }
    return InvalidArgumentError("source_profile loop: " + path + profile);
  }
  visited.push_back(profile);

  auto static_keys = [&]() -> std::optional<Credentials> {
    std::optional<std::string> id = config_.Get(profile, "aws_access_key_id");
    std::optional<std::string> secret = config_.Get(profile, "aws_secret_access_key");
    if (!id || !secret) {
      return std::nullopt;
    }
    Credentials c;
    c.access_key_id = *id;
    c.secret_access_key = *secret;
    c.session_token = config_.Get(profile, "aws_session_token").value_or("");
    c.source = "profile " + profile;
    return c;
  };

  std::optional<std::string> role_arn = config_.Get(profile, "role_arn");
  if (!role_arn) {
    if (std::optional<Credentials> c = static_keys()) {
      return *c;
    }
    if (visited.size() > 1) {
      return InvalidArgumentError("source profile \"" + profile + "\" has no credentials");
    }
    if (config_.Get(profile, "sso_start_url") || config_.Get(profile, "sso_session") ||
        config_.Get(profile, "credential_process")) {
      return InvalidArgumentError("profile \"" + profile +
                                  "\" uses SSO or credential_process, which clusterform does "
                                  "not support; export keys or use a role profile");
    }
    return NotFoundError("profile \"" + profile + "\" has no credentials");
  }

  std::optional<std::string> source_profile = config_.Get(profile, "source_profile");
  std::optional<std::string> credential_source = config_.Get(profile, "credential_source");
  if (source_profile && credential_source) {
    return InvalidArgumentError("profile \"" + profile +
                                "\" has both source_profile and credential_source");
  }
  Credentials source;
  if (source_profile) {
    if (*source_profile == profile) {
      std::optional<Credentials> c = static_keys();
      if (!c) {
        return InvalidArgumentError("profile \"" + profile +
                                    "\" is its own source_profile but has no keys");
      }
      source = *c;
    } else {
      ASSIGN_OR_RETURN(source, Resolve(*source_profile, visited));
    }
  } else if (credential_source) {
    if (*credential_source == "Environment") {
      EnvironmentCredentialsProvider env(env_);
      ASSIGN_OR_RETURN(source, env.GetCredentials());
    } else if (*credential_source == "Ec2InstanceMetadata") {
      if (imds_ == nullptr) {
        return InvalidArgumentError("credential_source Ec2InstanceMetadata: IMDS is disabled");
      }
      ASSIGN_OR_RETURN(source, imds_->GetCredentials());
    } else {
      return InvalidArgumentError("profile \"" + profile + "\": credential_source \"" +
                                  *credential_source +
                                  "\" is not supported (use Environment or Ec2InstanceMetadata)");
    }
  } else {
    return InvalidArgumentError("profile \"" + profile +
                                "\" has role_arn but neither source_profile nor "
                                "credential_source");
  }
  return AssumeRoleCached(profile, source);
}

Result<Credentials> ProfileCredentialsProvider::AssumeRoleCached(const std::string& profile,
                                                                 const Credentials& source) {
  const auto now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = role_cache_.find(profile);
    if (it != role_cache_.end() && it->second.expiration &&
        *it->second.expiration - std::chrono::minutes(5) > now) {
      return it->second;
    }
  }
  if (sts_ == nullptr) {
    return InvalidArgumentError("profile \"" + profile +
                                "\" assumes a role, but no STS client is available");
  }
  AssumeRoleRequest request;
  request.role_arn = *config_.Get(profile, "role_arn");
  request.role_session_name =
      config_.Get(profile, "role_session_name")
          .value_or("clusterform-" + std::to_string(std::chrono::system_clock::to_time_t(now)));
  request.external_id = config_.Get(profile, "external_id").value_or("");
  if (std::optional<std::string> d = config_.Get(profile, "duration_seconds")) {
    request.duration_seconds = std::atoi(d->c_str());
  }
  request.region = config_.Get(profile, "region").value_or("");
  Result<Credentials> assumed = sts_->AssumeRole(source, request);
  if (!assumed.ok()) {
    return assumed.status().WithContext("assuming " + request.role_arn + " for profile \"" +
                                        profile + "\"");
  }
  Credentials c = *assumed;
  c.source = "assume-role " + request.role_arn;
  std::lock_guard<std::mutex> lock(mu_);
  role_cache_[profile] = c;
  return c;
}

Result<Credentials> ChainCredentialsProvider::GetCredentials() {
  std::string looked;
  for (const auto& provider : providers_) {
    Result<Credentials> c = provider->GetCredentials();
    if (c.ok() || c.status().code() != StatusCode::kNotFound) {
      return c;
    }
    looked += "\n  " + c.status().message();
  }
  return NotFoundError(
      "no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a "
      "profile (aws configure), or run on an instance with a role. Looked at:" +
      looked);
}

Result<Credentials> CachingCredentialsProvider::GetCredentials() {
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && (!cached_->expiration || *cached_->expiration - refresh_before_ > clock_.Now())) {
    return *cached_;
  }
  Result<Credentials> fresh = inner_->GetCredentials();
  if (!fresh.ok()) {
    // Still-valid credentials beat an outage of the source.
    if (cached_ && cached_->expiration && *cached_->expiration > clock_.Now() &&
        fresh.status().code() == StatusCode::kUnavailable) {
      return *cached_;
    }
    return fresh;
  }
  cached_ = *fresh;
  return fresh;
}

std::string EffectiveProfile(const CredentialFlags& flags, const Environment& env) {
  if (!flags.profile.empty()) {
    return flags.profile;
  }
  return NonEmpty(env.Get("AWS_PROFILE")).value_or("default");
}

namespace {

// Explicit keys from flags.
class FlagCredentialsProvider : public CredentialsProvider {
 public:
  explicit FlagCredentialsProvider(const CredentialFlags& flags) : flags_(flags) {}
  Result<Credentials> GetCredentials() override {
    if (flags_.access_key_id.empty() && flags_.secret_access_key.empty()) {
      return NotFoundError("no keys given as flags");
    }
    if (flags_.access_key_id.empty() || flags_.secret_access_key.empty()) {
      return InvalidArgumentError("give both the access key id and the secret access key");
    }
    Credentials c;
    c.access_key_id = flags_.access_key_id;
    c.secret_access_key = flags_.secret_access_key;
    c.session_token = flags_.session_token;
    c.source = "flags";
    return c;
  }

 private:
  CredentialFlags flags_;
};

// Owns the IMDS provider and the profile provider that may refer to it.
class DefaultChain : public CredentialsProvider {
 public:
  DefaultChain(std::unique_ptr<CredentialsProvider> imds,
               std::vector<std::unique_ptr<CredentialsProvider>> before_imds)
      : imds_(std::move(imds)) {
    if (imds_ != nullptr) {
      before_imds.push_back(std::make_unique<Forward>(*imds_));
    }
    chain_ = std::make_unique<ChainCredentialsProvider>(std::move(before_imds));
  }
  Result<Credentials> GetCredentials() override { return chain_->GetCredentials(); }
  CredentialsProvider* imds() { return imds_.get(); }

 private:
  class Forward : public CredentialsProvider {
   public:
    explicit Forward(CredentialsProvider& target) : target_(target) {}
    Result<Credentials> GetCredentials() override { return target_.GetCredentials(); }

   private:
    CredentialsProvider& target_;
  };
  std::unique_ptr<CredentialsProvider> imds_;
  std::unique_ptr<ChainCredentialsProvider> chain_;
};

}  // namespace

std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(
    const CredentialFlags& flags, const Environment& env, const SharedConfig& config,
    StsClient* sts, std::unique_ptr<CredentialsProvider> imds, const Clock& clock) {
  if (AsciiLower(env.Get("AWS_EC2_METADATA_DISABLED").value_or("")) == "true") {
    imds.reset();
  }
  CredentialsProvider* imds_ptr = imds.get();
  std::vector<std::unique_ptr<CredentialsProvider>> providers;
  providers.push_back(std::make_unique<FlagCredentialsProvider>(flags));
  if (flags.profile.empty()) {
    providers.push_back(std::make_unique<EnvironmentCredentialsProvider>(env));
  }
  const bool explicit_profile = !flags.profile.empty() || NonEmpty(env.Get("AWS_PROFILE"));
  providers.push_back(std::make_unique<ProfileCredentialsProvider>(
      config, EffectiveProfile(flags, env), explicit_profile, env, sts, imds_ptr, clock));
  return std::make_unique<DefaultChain>(std::move(imds), std::move(providers));
}

Result<std::string> ResolveRegion(const CredentialFlags& flags, const Environment& env,
                                  const SharedConfig& config,
                                  const std::function<Result<std::string>()>& imds_region) {
  if (!flags.region.empty()) {
    return flags.region;
  }
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::optional<std::string> v = NonEmpty(env.Get(name))) {
      return *v;
    }
  }
  if (std::optional<std::string> v = config.Get(EffectiveProfile(flags, env), "region")) {
    return *v;
  }
  if (imds_region) {
    Result<std::string> r = imds_region();
    if (r.ok() && !r->empty()) {
      return r;
    }
  }
  return InvalidArgumentError(
      "no AWS region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set region in "
      "the profile \"" +
      EffectiveProfile(flags, env) + "\"");
}

}  // namespace cf::aws
