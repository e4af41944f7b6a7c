#pragma once

// The AWS wire protocols (ec2, query, json 1.0/1.1, rest-json, rest-xml), both directions,
// driven by a ServiceModel at run time.
//
// Parameter and result trees are nlohmann::json values shaped like the operation's input /
// output shape, keyed by member names as the model spells them ("InstanceIds", "Filters").
// Scalars: strings and enums are JSON strings; integers and longs JSON integers; floats and
// doubles JSON numbers (or the strings "NaN", "Infinity", "-Infinity"); booleans JSON
// booleans; blobs are JSON strings holding the raw bytes (the codec base64-encodes them);
// timestamps are numbers of seconds since the Unix epoch (fractions allowed; input also
// accepts ISO 8601 strings); document members are any JSON. Absent members are omitted.
//
// Client side: SerializeRequest -> (sign, send) -> IsErrorResponse ? ParseError : ParseResponse.
// Server side: RouteRequest -> ParseRequest -> (handle) -> SerializeResponse / SerializeError.
//
// All functions are pure (no I/O, no clocks) except that SerializeRequest draws a random UUID
// for an absent idempotency token unless SerializeOptions says otherwise. Thread-safe.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "aws/http.h"
#include "aws/model.h"
#include "base/status.h"

namespace cf::aws {

// An error an AWS service returned (or a local service sends).
struct AwsError {
  std::string code;        // "InvalidInstanceID.NotFound", "ThrottlingException", ...
  std::string message;     // may be empty
  std::string request_id;  // may be empty
  int http_status = 0;
  // The error shape's other modeled members, parsed like an output tree (only when the code
  // names one of the operation's / model's error shapes); an empty object otherwise.
  nlohmann::json fields = nlohmann::json::object();
  // For query-style protocols, "Sender" or "Receiver" (may be empty).
  std::string type;
};

struct SerializeOptions {
  // Makes the value of an idempotency-token member the caller left out. Null: a random
  // version-4 UUID.
  std::function<std::string()> new_idempotency_token;
  // Validate params against the input shape first (ValidateParams). On by default.
  bool validate = true;
};

// Client: builds the request for `op` from `params` (an object; null counts as {}).
// InvalidArgument, naming the member path, when params do not fit the input shape.
Result<HttpRequest> SerializeRequest(const ServiceModel& model, const Operation& op,
                                     const nlohmann::json& params,
                                     const SerializeOptions& options = {});

// Whether `response` carries an error rather than the operation's output: a status >= 300.
bool IsErrorResponse(const HttpResponse& response);

// Client: the output tree of a successful response ({} when the operation has no output).
// InvalidArgument when the body does not parse as the protocol's format.
Result<nlohmann::json> ParseResponse(const ServiceModel& model, const Operation& op,
                                     const HttpResponse& response);

// Client: the error in a failed response. Never fails: an unreadable body gives the code
// "Http<status>" (or "UnknownError") and the body text (truncated) as message.
AwsError ParseError(const ServiceModel& model, const Operation& op, const HttpResponse& response);

// Server: the operation a request asks for: X-Amz-Target (json), Action (query, ec2), or
// the method and URI template that fit the request best (rest-*). NotFound when none fits.
Result<const Operation*> RouteRequest(const ServiceModel& model, const HttpRequest& request);

// Server: the input tree of a request for `op` (the inverse of SerializeRequest).
// InvalidArgument when the request cannot be read as that operation's input.
Result<nlohmann::json> ParseRequest(const ServiceModel& model, const Operation& op,
                                    const HttpRequest& request);

// Server: a successful response carrying `result` (an output tree; null counts as {}).
// `request_id` goes where the protocol puts it (x-amzn-RequestId header, ResponseMetadata).
Result<HttpResponse> SerializeResponse(const ServiceModel& model, const Operation& op,
                                       const nlohmann::json& result, std::string_view request_id);

// Server: an error response in the protocol's format. error.http_status 0 means: the error
// shape's httpStatusCode when the code names a modeled error, else 400.
HttpResponse SerializeError(const ServiceModel& model, const AwsError& error);

// Checks `params` against `shape_name` (a shape of `model`) without serializing:
// InvalidArgument "Filters[0].Values: expected a list", "missing required member
// InstanceId", "Engine: unknown member", "State: \"foo\" is not one of pending, running",
// "Name: length 0 is below the minimum 1", ... The first problem found is reported.
Status ValidateParams(const ServiceModel& model, std::string_view shape_name,
                      const nlohmann::json& params);

}  // namespace cf::aws
