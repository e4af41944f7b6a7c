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

enum class Action { kCreate, kRead };

// "create", "read".
const char* ActionName(Action action);

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
};

struct OutputChange {
  std::string name;
  Action action = Action::kCreate;
  hcl::Value after;  // unknown parts: known after apply
  bool sensitive = false;
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

  int ToAdd() const;  // creates (reads are not counted, as in Terraform)
  int ToChange() const { return 0; }
  int ToDestroy() const { return 0; }
  bool HasChanges() const { return !resource_changes.empty() || !output_changes.empty(); }
};

// The plan that creates everything in `desired`, with `schemas` giving each type's computed
// and sensitive attributes.
Plan MakeCreatePlan(const graph::DesiredState& desired,
                    const provider::AwsResourceSchemas& schemas);

// Terraform's unknownAsBool / sensitiveAsBool of a value (see ResourceChange).
hcl::Value UnknownAsBool(const hcl::Value& value);
hcl::Value SensitiveAsBool(const hcl::Value& value);

}  // namespace cf::plan
