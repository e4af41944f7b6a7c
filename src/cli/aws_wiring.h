#pragma once

// The AWS provider of the engine, made on first need from the configuration's
// `provider "aws"` settings (region, profile, endpoint overrides, default tags): the client
// with the default credentials chain (over the command's environment and file system, never
// the process's behind the caller's back), and provider::MakeAwsProvider over it. Where the
// calls go is decided as plan decides it (config::ProviderSettings): the endpoint overrides
// (or AWS_ENDPOINT_URL), so a provider pointed at `clusterform cloud start` talks to the local
// cloud, otherwise AWS. Until Configure is called, or when the client cannot be made (no
// region, endpoints that differ), calls answer with the reason. Thread-safe.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "aws/client.h"
#include "base/file_system.h"
#include "config/provider.h"
#include "provider/resource_provider.h"
#include "state/s3_backend.h"

namespace cf::cli {

// Who an AWS client is and where it sends: what the provider "aws" block or a backend block
// says, completed by the environment and the shared config files.
struct AwsClientSettings {
  std::string region;  // empty: AWS_REGION, AWS_DEFAULT_REGION, then the profile's
  std::string profile;
  std::string access_key;  // with secret_key: static credentials before the chain
  std::string secret_key;
  std::string token;
  std::string endpoint_url;  // one URL for every service; empty: AWS's endpoints
  // Pointed at the local cloud: credentials never come from an instance metadata service.
  bool local_cloud = false;
};

// A client with its credentials chain, transport and clock, over the command's environment
// and files (never the process's). Calls go through a state::ConditionalTransport (which adds
// nothing unless a caller scopes conditional headers), so the s3 backend can use the client.
class AwsClientStack {
 public:
  // InvalidArgument when no region can be found: "`who` needs a region: set `region` in
  // `block`, ...".
  static Result<std::unique_ptr<AwsClientStack>> Make(
      FileSystem& fs, const std::map<std::string, std::string>& environment,
      const AwsClientSettings& settings, std::string_view who, std::string_view block);
  // The client the provider "aws" block describes (as plan and apply make theirs).
  static Result<std::unique_ptr<AwsClientStack>> ForProvider(
      FileSystem& fs, const std::map<std::string, std::string>& environment,
      const config::ProviderSettings& provider);
  ~AwsClientStack();

  aws::Client& client() { return *client_; }
  state::ConditionalTransport& conditional() { return *conditional_; }
  const std::string& region() const { return region_; }

 private:
  struct Parts;
  AwsClientStack();
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<state::ConditionalTransport> conditional_;
  std::unique_ptr<aws::Client> client_;
  std::string region_;
};

// The endpoint every call goes to: the `endpoints` block's (or AWS_ENDPOINT_URL, which
// config::EvaluateProvider gives as "*"), one URL, since the client sends every service to one
// address as the local cloud serves them all; empty: AWS's own endpoints. InvalidArgument when
// two services name different URLs.
Result<std::string> EndpointFor(const std::map<std::string, std::string>& endpoints,
                                std::string_view where);

class LazyAwsProvider : public provider::ResourceProvider {
 public:
  // `fs` (the shared config and credentials files) must outlive the provider.
  LazyAwsProvider(FileSystem& fs, std::map<std::string, std::string> environment);
  ~LazyAwsProvider() override;

  // The settings the provider is made with (replaces earlier ones before first use only).
  void Configure(const config::ProviderSettings& settings);
  // Where relative Lambda package names are looked for (provider/lambda_package.h); before
  // first use.
  void SetPackageDirs(std::vector<std::string> dirs);

  bool Supports(std::string_view type) const override;
  std::string Pool(std::string_view type) const override;
  provider::UpdateRules Rules(std::string_view type) const override;
  Result<provider::StepResult> Create(const provider::InstanceRef& ref,
                                      const provider::Json& config) override;
  Result<std::vector<std::optional<provider::Json>>> Read(
      std::string_view type, const std::vector<provider::Json>& states) override;
  Result<provider::StepResult> Update(const provider::InstanceRef& ref, const provider::Json& prior,
                                      const provider::Json& config) override;
  Result<provider::StepResult> Delete(const provider::InstanceRef& ref,
                                      const provider::Json& state) override;
  Result<std::vector<provider::PollResult>> Poll(
      std::string_view type, const std::vector<provider::Json>& states) override;
  Result<std::optional<provider::Json>> Find(const provider::InstanceRef& ref,
                                             const provider::Json& config) override;
  Result<provider::Json> Import(std::string_view type, std::string_view id) override;

 private:
  struct Stack {
    std::unique_ptr<AwsClientStack> aws;
    std::unique_ptr<provider::ResourceProvider> provider;
  };
  Result<provider::ResourceProvider*> Get() const;
  FileSystem& fs_;
  const std::map<std::string, std::string> environment_;
  mutable std::mutex mu_;
  config::ProviderSettings settings_;      // guarded by mu_
  bool configured_ = false;                // guarded by mu_
  std::vector<std::string> package_dirs_;  // guarded by mu_
  mutable std::unique_ptr<Stack> stack_;   // guarded by mu_
  mutable Status failed_;                  // guarded by mu_
};

}  // namespace cf::cli
