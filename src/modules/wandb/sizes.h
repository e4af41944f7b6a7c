#pragma once

// The module's size presets (deployment-size.tf of wandb/terraform-aws-wandb v8.0.0): what
// `size` selects for each setting whose own variable is null (database_instance_class,
// kubernetes_instance_types, kubernetes_min/max_nodes_per_az, elasticache_node_type,
// kubernetes_node_disk_size_gb).

#include <array>
#include <string_view>

#include "base/status.h"

namespace cf::modules::wandb {

struct SizePreset {
  std::string_view name;
  std::string_view database_instance_class;  // Aurora instance class.
  std::string_view node_instance_type;       // EKS node group instance type.
  int min_nodes_per_az;                      // also the desired size
  int max_nodes_per_az;
  std::string_view cache_node_type;  // ElastiCache node type.
  int root_volume_gb;                // node root volume
};

inline constexpr std::string_view kDefaultSize = "small";

// In ascending order.
inline constexpr std::array<SizePreset, 5> kSizePresets = {{
    {"small", "db.r6g.large", "r6i.2xlarge", 1, 4, "cache.m6g.large", 100},
    {"medium", "db.r6g.xlarge", "r6i.4xlarge", 1, 4, "cache.m6g.large", 100},
    {"large", "db.r6g.2xlarge", "r6i.4xlarge", 1, 4, "cache.m6g.xlarge", 256},
    {"xlarge", "db.r6g.4xlarge", "r6i.4xlarge", 1, 4, "cache.m6g.xlarge", 256},
    {"xxlarge", "db.r6g.8xlarge", "r6i.4xlarge", 1, 4, "cache.m6g.2xlarge", 256},
}};

// The preset named `size` (exact, case-sensitive match, as the module's map lookup).
// InvalidArgument `size "x" is not one of small, medium, large, xlarge, xxlarge` otherwise,
// where the module itself would fail with an opaque map-index error.
Result<SizePreset> LookupSize(std::string_view size);

}  // namespace cf::modules::wandb
