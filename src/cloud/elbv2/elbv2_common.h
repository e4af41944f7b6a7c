#pragma once

// Helpers shared by the ELBv2 service's files (not a public interface).

#include <optional>
#include <string>
#include <vector>

#include "cloud/core/ids.h"
#include "cloud/core/operation_table.h"
#include "cloud/core/service.h"
#include "cloud/core/store.h"

namespace cf::cloud::elbv2 {

// An ELBv2 error: `code` as the model's error shapes spell it, 400, sender fault.
ServiceError Error(const char* code, std::string message);
// The local cloud's own failures (the store's), as ELB answers its internal errors.
ServiceError InternalFailureOf(std::string message);
// A request tree a handler could not read.
ServiceError InvalidRequest(std::string message);

// "arn:aws:elasticloadbalancing:REGION:ACCOUNT:" of the caller.
std::string ArnPrefix(const ServiceCall& call);
// 16 lowercase hex digits (the last part of every ELBv2 ARN).
std::string HexId(IdGenerator& ids);

// The documents of `ns` whose ARN belongs to the caller's account and region.
ServiceOr<std::vector<Json>> ListOwn(CallTxn& txn, const ServiceCall& call, const char* ns,
                                     const std::string& kind);
// The document with key `arn` in `ns`, or `not_found` when there is none (or it is another
// account's or region's).
ServiceOr<Json> GetOwn(CallTxn& txn, const ServiceCall& call, const char* ns,
                       const std::string& arn, const ServiceError& not_found);
// Stores `doc` in `ns` under its member `arn_key`.
ServiceStatus Put(CallTxn& txn, const char* ns, const Json& doc, const char* arn_key);

// The request's string list member (absent: empty).
std::vector<std::string> Strings(const Json& input, const char* member);

// The document without internal members ("_...").
Json Visible(Json doc);

// The request's Tags as stored ([{Key, Value}]) merged into `existing`; DuplicateTagKeys for a
// key given twice, TooManyTags past 50, ValidationError for aws: keys.
ServiceOr<Json> MergeTags(const Json& existing, const Json& tags);

// An optional integer member within [min, max]; ValidationError naming it otherwise.
ServiceOr<std::optional<int64_t>> IntIn(const Json& input, const char* member, int64_t min,
                                        int64_t max);

// A page of `items` after `marker` (the index of the first item, as a decimal string) of at
// most `page_size` (1..400; default 400): the output gets `list_name` and NextMarker.
ServiceResult Page(std::vector<Json> items, const Json& input, const std::string& list_name);

// ELB's name rule for load balancers and target groups: 1-32 of [A-Za-z0-9-], not starting
// or ending with '-'. An error message, or "".
std::string CheckName(const std::string& name, const char* what);

}  // namespace cf::cloud::elbv2
