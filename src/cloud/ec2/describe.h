#pragma once

// What every EC2 Describe call shares: filters (Name + Values with * and ? wildcards, tag:KEY,
// tag-key, tag-value) and pagination (MaxResults, NextToken).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cloud/core/service.h"

namespace cf::cloud::ec2 {

// The values a resource has for a filter name ("vpc-id" -> {"vpc-0123..."}), or nullopt
// when the resource type has no such filter.
using FilterValues = std::function<std::optional<std::vector<std::string>>(
    const Json& resource, const std::string& name)>;

// Tag filters on the resource's "Tags" list: tag:KEY, tag-key, tag-value; nullopt for any
// other name.
std::optional<std::vector<std::string>> TagFilterValues(const Json& resource,
                                                        const std::string& name);

// Keeps the resources that pass every filter of `input["Filters"]`. An unknown filter name is
// InvalidParameterValue.
std::variant<std::vector<Json>, ServiceError> ApplyFilters(std::vector<Json> resources,
                                                           const Json& input,
                                                           const FilterValues& values);

// One page of `resources` (already sorted by id) per MaxResults (5..1000) and NextToken;
// writes the page under `list_name` and NextToken when more remain.
std::optional<ServiceError> Paginate(const std::vector<Json>& resources, const Json& input,
                                     const std::string& id_member, const std::string& list_name,
                                     Json& output);

// A FilterValues reading members by path: {"vpc-id", "VpcId"} for a top-level member,
// {"attachment.instance-id", "Attachment.InstanceId"} for a nested one, and
// {"group-id", "Groups[].GroupId"} for every element of a list. Strings are taken as they are,
// booleans as "true"/"false", numbers in decimal; a missing member gives no value.
FilterValues MemberFilters(std::map<std::string, std::string> paths);

// The values at `path` (MemberFilters' syntax) in `resource`.
std::vector<std::string> ValuesAt(const Json& resource, const std::string& path);

// The tail every Describe call shares: keeps the resources passing the filters, maps each
// through `view` (stored shape -> output shape), and writes them under `list_name`, one page
// per MaxResults/NextToken when `paginate` (ordered by `id_member`), all of them otherwise.
std::variant<Json, ServiceError> FilterAndPage(std::vector<Json> resources, const Json& input,
                                               const FilterValues& values,
                                               const std::string& id_member,
                                               const std::string& list_name,
                                               const std::function<Json(Json)>& view,
                                               bool paginate = true);

// "Tags" of a resource as {key: value}.
std::map<std::string, std::string> TagMap(const Json& resource);
// The "Tags" list for a {key: value} map, sorted by key.
Json TagList(const std::map<std::string, std::string>& tags);

}  // namespace cf::cloud::ec2
