#pragma once

// A plan: the changes that would take the (for now always empty) prior state to the desired
// state, one per managed resource instance and one per root output, in Terraform's terms so
// that both renderings (render_text.h, render_json.h) read like Terraform's.
//
// There is no state yet, so every managed instance is a create: before is null and after is
// the instance's evaluated arguments plus the attributes its type computes (unknown, "known
// after apply"). Data sources that clusterform answers at plan time (aws_region, ...) are read
// while planning and are not changes; any other data source is a "read" during apply.

#include <map>
#include <string>
#include <vector>

#include "graph/configuration.h"
#include "graph/resource.h"
#include "hcl/value.h"
#include "provider/resource_schemas.h"

namespace cf::plan {

enum class Action {
  kCreate,
  kRead,
  kUpdate,  // in place
  kDelete,
  kReplace,           // -/+ : delete, then create
  kCreateThenDelete,  // +/- : create_before_destroy
  kNoOp,
};

// "create", "read", "update", "delete", "no-op"; a replace's first action.
const char* ActionName(Action action);
// Terraform's JSON "actions" list: ["delete", "create"] for a replace, ["no-op"], ...
std::vector<std::string> ActionList(Action action);

struct ResourceChange {
  std::string address;  // "module.weka.aws_vpc.this[0]"
  std::string module;   // "module.weka"; empty for the root module
  graph::ResourceMode mode = graph::ResourceMode::kManaged;
  std::string type;  // "aws_vpc"
  std::string name;  // "this"
  graph::InstanceKey index;
  std::string provider_name;  // "registry.terraform.io/hashicorp/aws"
  Action action = Action::kCreate;

  hcl::Value before;  // null for a create or a read
  // An object: every argument set (null ones included), the provider's default for each
  // argument with a plain default that is not set, every computed attribute not set
  // (unknown), `tags_all` known when the provider's default_tags and `tags` are, the
  // attributes the type's schema calls sensitive marked sensitive, and objects written for
  // map attributes (tags) as maps. For a read: the data source's arguments, "id" unknown.
  hcl::Value after;
  // Terraform's after_unknown / after_sensitive: `after` with each unknown (resp. sensitive)
  // leaf as true; objects list only the attributes that are true or hold something that is,
  // sequences hold one entry per element (false for a plain one).
  hcl::Value after_unknown;
  hcl::Value after_sensitive;
  // With a prior state: Terraform's before_sensitive (false when before is null).
  hcl::Value before_sensitive;

  // Arguments whose change forces the replacement (dotted paths), sorted.
  std::vector<std::string> replace_paths;
  // Terraform's action_reason: "replace_because_cannot_update", "replace_by_request",
  // "delete_because_no_resource_config"; empty when there is none.
  std::string action_reason;
  // The addresses this instance depends on (the configuration's for creates and updates,
  // the state's for deletes).
  std::vector<std::string> depends_on;
  bool create_before_destroy = false;
  // A create that an interrupted apply started (its write-ahead token): adopt first.
  std::string adopt_token;
};

struct OutputChange {
  std::string name;
  Action action = Action::kCreate;  // kCreate, kUpdate, kDelete or kNoOp
  hcl::Value after;                 // unknown parts: known after apply
  bool sensitive = false;
  hcl::Value before;  // the prior state's value; null without one
};

// What the plan records of the configuration (the JSON plan's `configuration` and
// `variables`).
struct ModuleCallSummary {
  std::string name;    // "weka"
  std::string source;  // "weka/weka/aws"
};

struct Plan {
  // Sorted by address as Terraform sorts them: module, type, name, then key (numbers
  // numerically, strings bytewise).
  std::vector<ResourceChange> resource_changes;
  std::vector<OutputChange> output_changes;  // sorted by name
  std::map<std::string, hcl::Value> variables;
  std::string region;
  std::vector<ModuleCallSummary> module_calls;  // in configuration order

  // Objects changed outside of clusterform, found by refresh: kUpdate (before = what the
  // state had, after = what was read) or kDelete (gone). Sorted as resource_changes.
  std::vector<ResourceChange> resource_drift;
  bool has_state = false;  // a prior state with at least one resource or output
  bool refresh_only = false;
  bool destroy = false;

  int ToAdd() const;      // creates and replacements (reads are not counted, as in Terraform)
  int ToChange() const;   // updates in place
  int ToDestroy() const;  // deletes and replacements
  // True when applying would change a resource or an output (no-ops do not count; with
  // refresh_only, drift does).
  bool HasChanges() const;
};

// Sorts changes as Terraform does (module, type, name, then key).
void SortChanges(std::vector<ResourceChange>& changes);

// The plan that creates everything in `desired`, with `schemas` giving each type's computed
// and sensitive attributes.
Plan MakeCreatePlan(const graph::DesiredState& desired,
                    const provider::AwsResourceSchemas& schemas);

// The instance's arguments as its provider receives them: objects written for map
// attributes (tags) become maps. Unknown where not yet known.
hcl::Value ProviderArguments(const graph::ResourceInstance& instance,
                             const provider::AwsResourceSchemas& schemas);

// Terraform's unknownAsBool / sensitiveAsBool of a value (see ResourceChange).
hcl::Value UnknownAsBool(const hcl::Value& value);
hcl::Value SensitiveAsBool(const hcl::Value& value);

}  // namespace cf::plan
