#pragma once

// The resource graph of a desired state in Graphviz DOT, as `clusterform graph` prints it.
//
// One node per resource block address ("module.weka.aws_subnet.this", the block's instances
// folded into one node labelled with their count) or, with `instances`, one node per resource
// instance. An edge A -> B means A depends on B (it refers to B or names it in depends_on),
// as in `terraform graph`. Each module call is a cluster ("cluster_module_weka") labelled with
// its address; root resources sit outside any cluster. Nodes, clusters and edges are sorted,
// so the same desired state always prints the same text. Ids are quoted (and escaped), so any
// address is a valid DOT id.

#include <string>

#include "graph/configuration.h"

namespace cf::graph {

struct DotOptions {
  bool instances = false;  // one node per instance instead of per block
};

std::string ToDot(const DesiredState& desired, const DotOptions& options = {});

}  // namespace cf::graph
