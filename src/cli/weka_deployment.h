#pragma once

// What `status` and `scale` need to know of a WEKA deployment, read from the configuration
// (the call of the built-in `weka/weka/aws` module and its evaluated inputs) and from the
// engine's state (what apply created: the backends' autoscaling group and the status
// function), so that the commands work on AWS and on the local cloud alike.

#include <string>

#include "base/status.h"
#include "cli/load_configuration.h"
#include "config/root_module.h"
#include "hcl/value.h"
#include "state/state.h"

namespace cf::cli {

struct WekaDeployment {
  std::string module;           // the call's name: "weka_deployment"
  std::string asg_name;         // module.M.aws_autoscaling_group.backend's name
  std::string status_function;  // module.M.aws_lambda_function.this["status"]'s function_name
  int cluster_size = 0;         // the configuration's cluster_size
  // WEKA containers per backend machine (drives0, compute0, and frontend0 when the instance
  // type's containers_config_map entry has frontend cores): WEKA's status counts containers.
  int containers_per_machine = 3;
  // For ValidateClusterSize: the module's declaration of cluster_size and every input.
  const config::Variable* cluster_size_decl = nullptr;
  hcl::Value inputs;
};

// The only call of `weka/weka/aws` in the configuration, with its resources in `state`.
// NotFound, saying what to do, when the configuration calls no WEKA module and when the state
// has no autoscaling group or status function for it (nothing applied yet); InvalidArgument
// when it calls it more than once.
Result<WekaDeployment> FindWekaDeployment(const LoadedConfiguration& loaded,
                                          const state::State& state);

// Checks `size` backends against the module's own validations of cluster_size (the same
// condition and message as a configuration with `cluster_size = size` would get:
// "Cluster size should be at least 6."). InvalidArgument with that message.
Status ValidateClusterSize(const WekaDeployment& deployment, int size);

}  // namespace cf::cli
