#pragma once

// The data sources the built-in modules read at plan time, answered without mutating calls:
// aws_region, aws_partition, aws_availability_zones, aws_caller_identity.

#include <memory>

#include "config/provider.h"
#include "graph/expand.h"

namespace cf::provider {

std::unique_ptr<graph::DataSources> MakePlanDataSources(const config::ProviderSettings& provider);

}  // namespace cf::provider
