#pragma once

// What plan, apply, destroy, output, state, import and force-unlock share: the backend the
// configuration names (`terraform { backend ... }`, local by default), its state, the
// providers (the local types and the AWS types), the configuration expanded
// against what exists, and the conversion of a plan into the scheduler's operations.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "apply/scheduler.h"
#include "base/clock.h"
#include "base/file_system.h"
#include "cli/app.h"
#include "cli/aws_wiring.h"
#include "cli/load_configuration.h"
#include "cli/s3_backend_wiring.h"
#include "plan/diff.h"
#include "plan/plan.h"
#include "provider/composite.h"
#include "provider/local_types.h"
#include "state/backend.h"
#include "state/store.h"

namespace cf::cli {

// The backend of the configuration in `dir` and how its state is sealed: `local`
// (clusterform.tfstate in `dir`, or its `path` argument, relative to `dir`; the key file
// STATE.key) unless the terraform block names `s3` (cli/s3_backend_wiring.h).
// InvalidArgument for a backend this build cannot use, naming it.
Result<OpenedBackend> OpenBackend(const std::string& dir, const config::RootModule& root,
                                  FileSystem& fs, bool real_files,
                                  const std::map<std::string, std::string>& environment);

// The providers of this build, routing each type to the first that supports it.
class Providers {
 public:
  Providers(FileSystem& fs, const std::string& dir, bool real_files,
            const std::map<std::string, std::string>& environment);
  provider::ResourceProvider& get() { return composite_; }
  // Root blocks may use these types (resource: the managed types; data: the plan-time ones).
  bool Supports(std::string_view type, bool data) const;
  std::vector<std::string> SupportedTypes(bool data) const;
  // The provider "aws" settings the AWS provider is made with (on first use).
  void Configure(const config::ProviderSettings& settings) { aws_.Configure(settings); }
  // Where relative Lambda package names are looked for (provider/lambda_package.h).
  void SetPackageDirs(std::vector<std::string> dirs) { aws_.SetPackageDirs(std::move(dirs)); }

 private:
  provider::LocalTypesProvider local_;
  LazyAwsProvider aws_;
  provider::CompositeProvider composite_;
};

// One command's engine: the configuration in `dir`, its state and its providers.
class Engine {
 public:
  Engine(std::string dir, std::vector<config::VarOption> vars,
         std::map<std::string, std::string> environment, FileSystem& fs, bool real_files);

  // Loads the root module and the state (without expanding). Errors are printed to io.err;
  // false when the command cannot go on.
  bool Open(const Io& io);
  // Expands the configuration against `state` (its instances' attributes resolve references).
  // Diagnostics are printed; null when there are errors.
  LoadedConfiguration* Expand(const state::State& state, const Io& io);

  state::Backend& backend() { return *backend_; }
  state::StateStore& store() { return *store_; }
  Providers& providers() { return providers_; }
  FileSystem& fs() { return fs_; }
  const std::string& dir() const { return dir_; }
  const config::RootModule& root() const { return *root_.module; }
  // The errors printed by Open and Expand so far.
  int errors() const { return errors_; }
  // The SHA-256 of every *.tf file of the configuration and the input values: a saved plan
  // applies only to the same.
  std::string ConfigurationDigest() const;

 private:
  std::string dir_;
  std::vector<config::VarOption> vars_;
  std::map<std::string, std::string> environment_;
  FileSystem& fs_;
  bool real_files_;
  config::LoadResult root_;
  std::unique_ptr<state::Backend> backend_;
  std::unique_ptr<state::StateStore> store_;
  Providers providers_;
  provider::AwsResourceSchemas loaded_schemas_;
  graph::AppliedValues applied_;
  std::unique_ptr<LoadedConfiguration> loaded_;
  // The configuration directory, then the executable's folder (Lambda packages).
  std::vector<std::string> package_dirs_;
  std::map<std::string, std::pair<size_t, std::string>> package_hashes_;
  int errors_ = 0;
};

// The configuration of each operation at apply time, re-expanded against the state as it is
// when the operation starts (so references to what was just created resolve). Thread-safe.
class ExpandingConfigSource : public apply::ConfigSource {
 public:
  ExpandingConfigSource(Engine& engine, const Io& io) : engine_(engine), io_(io) {}
  Result<nlohmann::json> Config(const std::string& address) override;
  // Sensitive argument names of `address` in its configuration (module-marked values).
  std::vector<std::string> SensitiveArguments(const std::string& address);

 private:
  Status RefreshLocked();
  Engine& engine_;
  const Io& io_;
  std::mutex mu_;
  int64_t serial_ = -1;                    // guarded by mu_
  LoadedConfiguration* loaded_ = nullptr;  // guarded by mu_
};

// What plan, apply and destroy ask for (Terraform's planning flags).
struct PlanRequest {
  bool refresh = true;  // -refresh=false: plan against the state as recorded
  bool refresh_only = false;
  bool destroy = false;
  std::vector<std::string> targets;
  std::set<std::string> replace;
};

struct PlanOutcome {
  plan::Plan plan;
  state::State prior;      // as recorded
  state::State refreshed;  // after refresh (== prior without it)
  LoadedConfiguration* loaded = nullptr;
  int read_calls = 0;
};

// Refreshes the engine's state, expands the configuration against it and plans. Errors (a
// refresh that failed, configuration diagnostics) are printed; nullopt then.
std::optional<PlanOutcome> MakeEnginePlan(Engine& engine, const PlanRequest& request, const Io& io);

// Terraform's duration strings for -lock-timeout: "0s", "500ms", "30s", "5m", "1h".
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The scheduler's operations for a plan: creates, updates and replaces after the operations
// of what they depend on; a delete after the deletes of what depended on it (from the state).
std::vector<apply::Operation> OperationsFor(const plan::Plan& plan, const state::State& state);

// `provider["registry.terraform.io/hashicorp/aws"]` for `type`.
std::string StateProviderName(std::string_view type);

// The outputs of `desired` as the state keeps them; an output not wholly known is left out.
std::map<std::string, state::OutputState> OutputsFor(const graph::DesiredState& desired);

// "name = value" lines as Terraform prints outputs after apply (sensitive: <sensitive>).
std::string RenderOutputs(const std::map<std::string, state::OutputState>& outputs);

}  // namespace cf::cli
