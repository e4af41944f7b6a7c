#pragma once

// Finding credentials and the region the way the AWS CLI does:
//
//   1. explicit keys (flags);
//   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (skipped when a profile
//      was named with --profile);
//   3. the profile (--profile, else AWS_PROFILE, else "default") of the shared files
//      (~/.aws/credentials `[name]` and ~/.aws/config `[profile name]`, or the files named by
//      AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE): static keys, or role_arn assumed
//      through STS from source_profile or credential_source, cached until shortly before it
//      expires;
//   4. the instance's role through IMDSv2 (credentials_imds.h), unless
//      AWS_EC2_METADATA_DISABLED=true.
//
// The environment and the files are reached through interfaces so tests use fakes.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "base/clock.h"
#include "base/file_system.h"

namespace cf::aws {

// Environment variables.
class Environment {
 public:
  virtual ~Environment() = default;
  // The value, or nullopt when unset.
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

// The process environment (getenv). Thread-safe as long as nobody calls setenv.
class SystemEnvironment : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
};

// A map (tests, or a fixed environment).
class MapEnvironment : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
  std::optional<std::string> Get(std::string_view name) const override;
  void Set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string> vars_;
};

// One INI file: section -> key -> value. Keys are lowercased; values trimmed.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;

// Parses the AWS shared file format: [section], key = value, '#' and ';' comments, and
// indented sub-settings (kept as "parent.key"). InvalidArgument "FILE:LINE: ..." otherwise.
Result<IniSections> ParseIni(std::string_view text, std::string_view file_name);

// The shared config and credentials files, merged by profile.
class SharedConfig {
 public:
  SharedConfig() = default;
  // Reads AWS_CONFIG_FILE (default $HOME/.aws/config) and AWS_SHARED_CREDENTIALS_FILE
  // (default $HOME/.aws/credentials). A missing file counts as empty; a malformed one is an
  // error naming file and line.
  static Result<SharedConfig> Load(const FileSystem& fs, const Environment& env);
  // From texts (tests).
  static Result<SharedConfig> Parse(std::string_view config_text,
                                    std::string_view credentials_text);

  bool HasProfile(std::string_view profile) const;
  // A setting of a profile: the credentials file wins over the config file.
  std::optional<std::string> Get(std::string_view profile, std::string_view key) const;

 private:
  IniSections config_;       // by profile name ("default", "dev"), "profile " prefix removed
  IniSections credentials_;  // by profile name
};

// The slice of STS that the chain needs, so tests can use a fake.
struct AssumeRoleRequest {
  std::string role_arn;
  std::string role_session_name;
  std::string external_id;   // may be empty
  int duration_seconds = 0;  // 0: the service default (1 hour)
  std::string region;        // where to call STS; may be empty (us-east-1)
};

class StsClient {
 public:
  virtual ~StsClient() = default;
  // Temporary credentials (with expiration) for the role, signed with `source`.
  virtual Result<Credentials> AssumeRole(const Credentials& source,
                                         const AssumeRoleRequest& request) = 0;
};

// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. NotFound when neither key is
// set; InvalidArgument when only one of the two is.
class EnvironmentCredentialsProvider : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(const Environment& env) : env_(env) {}
  Result<Credentials> GetCredentials() override;

 private:
  const Environment& env_;
};

// One profile of the shared files: static keys, or an assumed role (role_arn with
// source_profile or credential_source = Environment | Ec2InstanceMetadata), cached until
// five minutes before it expires. Thread-safe.
class ProfileCredentialsProvider : public CredentialsProvider {
 public:
  // `sts` may be null (then role profiles fail with a clear error); `imds` may be null
  // (credential_source = Ec2InstanceMetadata then fails). `explicit_profile`: the user named
  // it, so a missing profile is an error instead of NotFound.
  ProfileCredentialsProvider(const SharedConfig& config, std::string profile, bool explicit_profile,
                             const Environment& env, StsClient* sts, CredentialsProvider* imds,
                             const Clock& clock);
  Result<Credentials> GetCredentials() override;

 private:
  Result<Credentials> Resolve(const std::string& profile, std::vector<std::string>& visited);
  Result<Credentials> AssumeRoleCached(const std::string& profile, const Credentials& source);

  const SharedConfig& config_;
  const std::string profile_;
  const bool explicit_profile_;
  const Environment& env_;
  StsClient* sts_;
  CredentialsProvider* imds_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Credentials> role_cache_;  // by profile; guarded by mu_
};

// The first provider that has credentials (anything but NotFound) wins; when all say
// NotFound, NotFound listing where it looked.
class ChainCredentialsProvider : public CredentialsProvider {
 public:
  explicit ChainCredentialsProvider(std::vector<std::unique_ptr<CredentialsProvider>> providers)
      : providers_(std::move(providers)) {}
  Result<Credentials> GetCredentials() override;

 private:
  std::vector<std::unique_ptr<CredentialsProvider>> providers_;
};

// Wraps a provider and keeps its credentials until `refresh_before` their expiration.
// Thread-safe.
class CachingCredentialsProvider : public CredentialsProvider {
 public:
  CachingCredentialsProvider(std::unique_ptr<CredentialsProvider> inner, const Clock& clock,
                             std::chrono::seconds refresh_before = std::chrono::minutes(5))
      : inner_(std::move(inner)), clock_(clock), refresh_before_(refresh_before) {}
  Result<Credentials> GetCredentials() override;

 private:
  std::unique_ptr<CredentialsProvider> inner_;
  const Clock& clock_;
  const std::chrono::seconds refresh_before_;
  std::mutex mu_;
  std::optional<Credentials> cached_;  // guarded by mu_
};

// What the user said on the command line.
struct CredentialFlags {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string profile;  // --profile
  std::string region;   // --region
};

// The profile in effect: --profile, else AWS_PROFILE, else "default".
std::string EffectiveProfile(const CredentialFlags& flags, const Environment& env);

// Builds the chain described at the top of this file. The referenced objects must outlive
// the result. `imds` (may be null) is owned by the chain.
std::unique_ptr<CredentialsProvider> MakeDefaultCredentialsChain(
    const CredentialFlags& flags, const Environment& env, const SharedConfig& config,
    StsClient* sts, std::unique_ptr<CredentialsProvider> imds, const Clock& clock);

// The region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, then
// `imds_region` (may be empty). InvalidArgument naming all four when none has one.
Result<std::string> ResolveRegion(const CredentialFlags& flags, const Environment& env,
                                  const SharedConfig& config,
                                  const std::function<Result<std::string>()>& imds_region = {});

}  // namespace cf::aws
