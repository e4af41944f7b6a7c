#pragma once

// The plan against a prior state: refresh (every instance in state read through its
// provider, one Read call per type), then diff: create, update in place, replace (-/+, or
// +/- with create_before_destroy; which arguments force it comes from the provider's
// UpdateRules), delete (in state, not in the configuration), no-op; drift (what refresh
// found changed outside of clusterform). -target, -replace, -destroy and -refresh-only as
// Terraform has them.

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "graph/configuration.h"
#include "graph/expand.h"
#include "plan/plan.h"
#include "provider/resource_provider.h"
#include "provider/resource_schemas.h"
#include "state/state.h"

namespace cf::plan {

// The state's instances as the expander's applied values: each existing managed instance's
// attributes as an object value, its sensitive attributes marked.
graph::AppliedValues AppliedFromState(const state::State& state);

// One instance's state attributes as a value (sensitive ones marked).
hcl::Value StateValue(const state::InstanceState& instance);

struct RefreshResult {
  state::State refreshed;
  int read_calls = 0;  // Read calls made (one per type)
};

// Reads every existing managed instance of `prior` through `provider`, one Read per type. An
// instance the provider says is gone is removed; one it answers for gets the attributes read.
// Pending-only records and types the provider does not support are kept as they are.
Result<RefreshResult> Refresh(const state::State& prior, provider::ResourceProvider& provider);

struct PlanOptions {
  // The prior state (refreshed unless -refresh=false). Null: nothing exists.
  const state::State* prior = nullptr;
  // The state as it was before refresh, for drift. Null: no drift is reported.
  const state::State* unrefreshed = nullptr;
  // Which arguments of a type force a replacement. Empty: none do.
  std::function<provider::UpdateRules(std::string_view type)> rules;
  std::set<std::string> replace;     // -replace=ADDR
  std::vector<std::string> targets;  // -target=ADDR (with dependencies)
  bool destroy = false;
  bool refresh_only = false;
};

// The plan taking `options.prior` to `desired` (which was expanded with the prior state's
// applied values). Without a prior state this is MakeCreatePlan.
Plan MakePlan(const graph::DesiredState& desired, const provider::AwsResourceSchemas& schemas,
              const PlanOptions& options);

// True when `address` is `target` or inside it (`aws_vpc.a` holds `aws_vpc.a[0]`; `module.x`
// holds everything in it).
bool AddressIn(std::string_view address, std::string_view target);

}  // namespace cf::plan
