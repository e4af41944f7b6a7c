#pragma once

// `clusterform scale N [DIR] [-timeout D] [-interval D] [-var NAME=VALUE] [-var-file F]`: sets
// the WEKA deployment's backend count to N and follows the cluster until it has N active
// backends.
//
// Before anything changes, N is checked against the module's own rule for cluster_size (the
// same message a configuration would get: "Cluster size should be at least 6.") and against
// the autoscaling group's maximum size (7 × cluster_size, as the module creates it), and the
// cluster must be clusterized. Then, when N is below the group's minimum size (the module
// creates min = cluster_size), MinSize is lowered to N (UpdateAutoScalingGroup); the group's
// desired capacity is set to N (SetDesiredCapacity, HonorCooldown false). Scale-out: the
// group launches instances that join through the deploy function's join script. Scale-in:
// the scale-down state machine deactivates the surplus machines and terminates them (they are
// protected from scale-in, so the group itself terminates none). The command reports progress
// each -interval (default 5s) until WEKA has N active backend machines and the group exactly N
// instances InService and Healthy (exit 0), -timeout (default 30m; exit 1, the change stays
// in place), or Ctrl-C (exit 130, the change stays in place).
//
// Configuration drift: none. cluster_size is the initial size and clusterization target; the
// module's aws_autoscaling_group ignores changes of desired_capacity, min_size and max_size
// (lifecycle ignore_changes, as the public module), so the next plan shows no change for the
// group after a scale, and editing cluster_size later does not resize a running cluster (use
// scale). docs/status-and-scale.md.

#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"

namespace cf::cli {

const FlagSpec& ScaleFlags();

int RunScale(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, FileSystem& fs);

}  // namespace cf::cli
