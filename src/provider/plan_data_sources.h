#pragma once

// The data sources the built-in modules read at plan time, answered without any call:
// aws_region, aws_partition, aws_availability_zones, aws_caller_identity. Any other data
// source reads as an unknown object: it is read during apply (the plan says so).

#include <memory>
#include <string_view>

#include "config/provider.h"
#include "graph/expand.h"

namespace cf::provider {

// True for the data source types MakePlanDataSources answers.
bool IsPlanTimeDataSource(std::string_view type);

// Without a region (provider block, AWS_REGION, profile), aws_region is an error at the data
// source when `require_region`, and an unknown value otherwise (validate checks a
// configuration before any provider settings are needed, as Terraform's does).
std::unique_ptr<graph::DataSources> MakePlanDataSources(const config::ProviderSettings& provider,
                                                        bool require_region = true);

}  // namespace cf::provider
