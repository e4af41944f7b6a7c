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

namespace cf::cli {

// One AWS client and everything it stands on (credentials chain, transport, clock), made
// from the provider "aws" settings as plan and apply make theirs: the region of the block,
// else AWS_REGION, else the profile's; the endpoint overrides (or AWS_ENDPOINT_URL), one URL;
// pointed at the local cloud, no instance metadata service is asked for credentials.
struct AwsClientStack;
struct AwsClientStackDeleter {
  void operator()(AwsClientStack* stack) const;
};
using AwsClientHandle = std::unique_ptr<AwsClientStack, AwsClientStackDeleter>;

// InvalidArgument when no region is given or the endpoints name different URLs; the shared
// config files' errors. `fs` must outlive the handle.
Result<AwsClientHandle> MakeAwsClient(FileSystem& fs,
                                      const std::map<std::string, std::string>& environment,
                                      const config::ProviderSettings& settings);
// The handle's client, and the region it signs for.
aws::Client& ClientOf(AwsClientStack& stack);
const std::string& RegionOf(const AwsClientStack& stack);

class LazyAwsProvider : public provider::ResourceProvider {
 public:
  // `fs` (the shared config and credentials files) must outlive the provider.
  LazyAwsProvider(FileSystem& fs, std::map<std::string, std::string> environment);
  ~LazyAwsProvider() override;

  // The settings the provider is made with (replaces earlier ones before first use only).
  void Configure(const config::ProviderSettings& settings);

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
  Result<provider::ResourceProvider*> Get() const;
  FileSystem& fs_;
  const std::map<std::string, std::string> environment_;
  mutable std::mutex mu_;
  config::ProviderSettings settings_;                         // guarded by mu_
  bool configured_ = false;                                   // guarded by mu_
  mutable AwsClientHandle stack_;                             // guarded by mu_
  mutable std::unique_ptr<provider::ResourceProvider> made_;  // guarded by mu_
  mutable Status failed_;                                     // guarded by mu_
};

}  // namespace cf::cli
