#pragma once

// Paginators from botocore's paginators-1.json: call an operation again with the next-page
// token(s) until there are none. Supports several tokens at once (S3 ListObjectVersions:
// KeyMarker + VersionIdMarker), output tokens that are JMESPath expressions ("NextMarker ||
// Contents[-1].Key"), more_results flags ("IsTruncated"), limit_key (page size) and merging
// the result keys of all pages into one result.

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/waiter_jmespath.h"
#include "base/status.h"

namespace cf::aws {

struct PaginatorConfig {
  std::string operation;
  std::vector<std::string> input_tokens;             // request members
  std::vector<jmespath::Expression> output_tokens;   // one per input token
  std::optional<jmespath::Expression> more_results;  // when set and falsy: last page
  std::string limit_key;                             // page size member, may be empty
  std::vector<std::string> result_keys;              // dotted paths of the lists to merge
  std::vector<std::string> non_aggregate_keys;       // kept from the pages as they come
};

// Whether `operation` has a paginator in the paginators-1.json document (or its "pagination"
// object, as ServiceModel::paginators() gives it).
bool CanPaginate(const nlohmann::json& paginators_doc, std::string_view operation);
// NotFound when it has none; InvalidArgument for a malformed definition.
Result<PaginatorConfig> ParsePaginator(const nlohmann::json& paginators_doc,
                                       std::string_view operation);

// Calls the operation with one params tree and returns its output tree.
using PageCall = std::function<Result<nlohmann::json>(const nlohmann::json& params)>;

struct PaginateOptions {
  int page_size = 0;  // sets limit_key on every call when > 0
  int max_items = 0;  // stops once the first result key holds this many (0: all)
};

// Calls `call` page by page, handing each output to `on_page` (which returns false to stop).
// Errors from `call` end the loop and are returned. Internal when a service returns the same
// token twice (it would loop forever).
Status ForEachPage(const PaginatorConfig& config, nlohmann::json params, const PageCall& call,
                   const std::function<bool(const nlohmann::json& page)>& on_page,
                   const PaginateOptions& options = {});

// All pages merged: every result key holds the concatenation of its lists (truncated to
// max_items for the first one); other members are those of the first page, and
// non-aggregate keys take the first non-null value; the token members are removed.
Result<nlohmann::json> PaginateAll(const PaginatorConfig& config, nlohmann::json params,
                                   const PageCall& call, const PaginateOptions& options = {});

}  // namespace cf::aws
