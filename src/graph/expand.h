#pragma once

// Expansion of a module body (the embedded .tf files of a built-in module: variables, locals,
// resource and data blocks, outputs) for one module call's inputs, as Terraform plans a
// module: every named thing is evaluated once the things it refers to are, count and for_each
// are evaluated (and must be known) to give the instances, data sources are read through a
// DataSources, and an attribute of a managed resource that the block does not set is unknown.

#include <map>
#include <string>
#include <vector>

#include "config/root_module.h"
#include "graph/resource.h"
#include "hcl/diagnostic.h"
#include "hcl/function.h"
#include "hcl/value.h"

namespace cf::graph {

// What graph/ needs to know about resource types, supplied by provider/.
class ResourceSchemas {
 public:
  virtual ~ResourceSchemas() = default;
  // The attributes that `type` computes when it is created (always including "id"), sorted.
  virtual std::vector<std::string> Computed(std::string_view type) const = 0;
};

// Reads data sources at plan time (never a mutating call).
class DataSources {
 public:
  virtual ~DataSources() = default;
  // The attributes of data source `type` (`aws_region`, `aws_caller_identity`, ...) given its
  // evaluated arguments (an object): an object value, unknown where the answer is not known
  // at plan time. An error is reported at `range` and yields an unknown object.
  virtual hcl::Value Read(std::string_view type, const hcl::Value& arguments,
                          const hcl::Range& range, hcl::Diagnostics& diags) = 0;
};

// The attributes of instances that exist (from state), by address
// ("module.weka.aws_vpc.this[0]"): an object value each, sensitive attributes marked.
using AppliedValues = std::map<std::string, hcl::Value>;

struct ExpandOptions {
  std::string module_address;  // "module.weka"; empty for the root module
  const ResourceSchemas* schemas = nullptr;
  DataSources* data_sources = nullptr;
  hcl::FunctionContext functions;
  // Instances that exist: a reference to one of them resolves to its recorded attributes
  // where the block does not set them (instead of "known after apply"). Null: nothing exists
  // (a plan without state: every computed attribute is unknown).
  const AppliedValues* applied = nullptr;
  // What `module.NAME` is in the body (the root module's view of its module calls' outputs,
  // an object). Null: the body has no `module` name.
  hcl::Value module_outputs;
  // What `path.module` is; empty: module_address.
  std::string path_module;
};

// Expands `body` (decoded with resources allowed) for `inputs`, which must hold every
// variable of the body, already converted and validated. Problems in the body (a bug in a
// built-in module, or a precondition that fails for these inputs) are added to `diags` with
// their position in the body's files.
Expansion ExpandModule(const config::RootModule& body,
                       const std::map<std::string, hcl::Value>& inputs,
                       const ExpandOptions& options, hcl::Diagnostics& diags);

}  // namespace cf::graph
