#pragma once

// The contract between the engine (plan/ refresh and diff, apply/ scheduler) and what knows how
// to create, read, update and delete each resource type. The engine knows no AWS: it hands a
// ResourceProvider attribute objects and addresses; the provider makes the calls.
//
// Attributes are JSON objects with Terraform's names (snake_case, as the HCL block writes them,
// nested blocks as lists of objects, maps as objects), the same objects the state file keeps
// per instance (Terraform state v4 "attributes"). Config objects hold every argument the block
// sets with its final value (at apply every reference is resolved); an argument not set is
// absent. State objects hold every argument and every computed attribute, known.
//
// Waiting: a create, update or delete may answer "pending" with the state as it is so far
// (its id known). The engine then polls every pending instance of one type together with one
// Poll call (one Describe for all of them where the API allows), until each is ready, gone or
// failed. Handlers never sleep to wait.
//
// Idempotency: every create is given the instance's address and a token derived from the
// state's lineage and the address. A provider sets the tag `clusterform:address` (or passes the
// token as the API's client token) so that Find can adopt what an interrupted run created.
//
// Implementations are thread-safe: the engine calls them from several threads at once.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cf::provider {

using Json = nlohmann::json;

// One instance the engine asks about.
struct InstanceRef {
  std::string type;     // "aws_vpc"
  std::string address;  // "module.weka.aws_vpc.this[0]"
  // Deterministic per state lineage and address; at most 64 characters of [A-Za-z0-9-].
  std::string token;
};

// What a mutating step left: the instance's attributes now, and whether the engine must poll
// until it settles (a NAT gateway "pending", an instance "pending", a key "Creating").
struct StepResult {
  Json state = Json::object();
  bool pending = false;
};

// The outcome of polling one pending instance.
struct PollResult {
  enum class Phase { kReady, kPending, kGone, kFailed };
  Phase phase = Phase::kPending;
  Json state = Json::object();  // kReady and kPending: the attributes now
  Status error;                 // kFailed: why ("NAT gateway nat-1 failed: ...")
};

// What the plan needs to know about updating a type.
struct UpdateRules {
  // Arguments whose change forces a replacement (destroy and create); everything else that
  // changes is updated in place. Dotted paths name block members ("root_block_device.size").
  std::vector<std::string> force_new;
};

class ResourceProvider {
 public:
  virtual ~ResourceProvider() = default;

  // True when this provider can create and manage `type`.
  virtual bool Supports(std::string_view type) const = 0;
  // The concurrency pool the type's calls go to: the AWS service ("ec2", "iam", "kms") or
  // "local" for types that make no call (random_*, tls_*, local_*).
  virtual std::string Pool(std::string_view type) const = 0;
  virtual UpdateRules Rules(std::string_view type) const = 0;

  // Creates the instance from `config`. A failure that the API answered is the Status of the
  // AWS error (aws::AwsErrorToStatus); nothing is left behind by a failed create unless it is
  // reported in a StepResult.
  virtual Result<StepResult> Create(const InstanceRef& ref, const Json& config) = 0;

  // The current attributes of instances in state, for refresh: one entry per input, nullopt
  // for one that no longer exists. Batched: one call reads many instances of one type.
  virtual Result<std::vector<std::optional<Json>>> Read(std::string_view type,
                                                        const std::vector<Json>& states) = 0;

  // Changes an instance in place from `prior` state to `config`.
  virtual Result<StepResult> Update(const InstanceRef& ref, const Json& prior,
                                    const Json& config) = 0;

  // Deletes an instance; an instance already gone is success. `pending` when the deletion
  // is still under way (poll until kGone).
  virtual Result<StepResult> Delete(const InstanceRef& ref, const Json& state) = 0;

  // Polls pending instances of one type, one entry per input, in order.
  virtual Result<std::vector<PollResult>> Poll(std::string_view type,
                                               const std::vector<Json>& states) = 0;

  // An instance that an interrupted run created for `ref` (by the `clusterform:address` tag,
  // the client token, or a name the config fixes), or nullopt.
  virtual Result<std::optional<Json>> Find(const InstanceRef& ref, const Json& config) = 0;

  // The state of an existing object given its import id (Terraform's import id for the type:
  // "vpc-1234", a role name, a bucket name).
  virtual Result<Json> Import(std::string_view type, std::string_view id) = 0;
};

}  // namespace cf::provider
