#pragma once

// The scheduler: runs a set of operations (create, update, delete, replace) over a
// ResourceProvider in dependency order. It knows no AWS and no HCL:
//   - a ready set: an operation starts once every operation it depends on has finished;
//   - a global limit (-parallelism) and a limit per pool (provider Pool(): "ec2", "iam",
//     "local"), so a slow or throttled service never holds slots unrelated work could use;
//   - instances a step left pending hold no slot: every pending instance of one type is
//     polled with one Poll call, first soon, then less often (SchedulerOptions);
//   - a failed operation stops only the operations that depend on it (skipped); the others
//     finish, and the journal has recorded every finished step;
//   - creates are idempotent: the journal writes the create's token before the call; an
//     operation that carries a token from an interrupted run first asks the provider to Find
//     what that run created, and adopts it; when an argument of the config differs from what
//     was found (the run was killed before its follow-up calls), the adopted object is then
//     updated to the config.
// Destroy order is the planner's business: a delete depends on the deletes of the instances
// that depended on it (plan/ builds the operations that way).

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "apply/progress.h"
#include "base/clock.h"
#include "base/status.h"
#include "provider/resource_provider.h"

namespace cf::apply {

using Json = nlohmann::json;

struct Operation {
  std::string address;
  std::string type;
  OpKind kind = OpKind::kCreate;
  // Addresses of operations in the same run that must finish first (others are ignored).
  std::vector<std::string> depends_on;
  Json prior = Json::object();  // the state before: update, delete, replace
  // The write-ahead token of a create an interrupted run started: Find before Create.
  std::optional<std::string> adopt_token;
};

// The final configuration of an operation's instance, evaluated once its dependencies exist
// (references to them resolved to their recorded attributes). Called from several threads.
class ConfigSource {
 public:
  virtual ~ConfigSource() = default;
  virtual Result<Json> Config(const std::string& address) = 0;
};

// Where the scheduler records what it did, as it does it (state/). Called from several
// threads; each call persists before it returns.
class Journal {
 public:
  virtual ~Journal() = default;
  // Before a create: the write-ahead record of its token.
  virtual Status BeginCreate(const Operation& op, const std::string& token) = 0;
  // The instance exists with `attributes` (after a create, adopt, update, or a pending step).
  virtual Status Record(const Operation& op, const Json& attributes) = 0;
  // The instance is gone.
  virtual Status Remove(const Operation& op) = 0;
};

struct SchedulerOptions {
  int parallelism = 10;
  // Pool name -> the most calls in flight for it; a pool not listed gets `default_pool_limit`
  // (0: only the global limit applies).
  std::map<std::string, int> pool_limits;
  int default_pool_limit = 0;
  // Adaptive polling: an instance that turns pending is polled after `first_poll_interval`,
  // then at twice the interval before, up to `poll_interval`. Every pending instance of a type
  // is polled in the one call a due instance of that type makes.
  std::chrono::milliseconds first_poll_interval{500};
  std::chrono::milliseconds poll_interval{std::chrono::seconds(2)};
  std::chrono::seconds still_interval{10};
  // Derives create tokens (state::CreateToken(lineage, address)).
  std::string lineage;
};

struct Summary {
  std::vector<std::string> created;
  std::vector<std::string> updated;
  std::vector<std::string> destroyed;
  std::vector<std::string> replaced;
  std::vector<std::string> adopted;  // also in created
  // The error of each failed operation, its message led by the step and the address as
  // Terraform prints it ("creating aws_vpc.a: ...").
  std::map<std::string, Status> failed;
  std::vector<std::string> skipped;  // a dependency failed
  bool ok() const { return failed.empty() && skipped.empty(); }
};

// Runs `ops` (each address at most once) to completion. Returns when every operation has
// finished, failed or been skipped.
Summary RunOperations(const std::vector<Operation>& ops, provider::ResourceProvider& provider,
                      ConfigSource& configs, Journal& journal, ProgressSink& progress, Clock& clock,
                      const SchedulerOptions& options);

}  // namespace cf::apply
