#pragma once

// HTTP bindings of the rest-json and rest-xml protocols (internal to src/aws): members bound
// to the URI path, the query string, headers, header-prefix maps and the status code.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/http.h"
#include "aws/model.h"
#include "aws/protocol_util.h"

namespace cf::aws::internal {

// Fills `request->path` (from op.request_uri and the uri / querystring members) and the
// header members of `input` (a structure) from `params`.
void RestWriteBindings(const ServiceModel& model, const Operation& op, const Ref& input,
                       const nlohmann::json& params, HttpRequest* request);

// Adds the header and headers-prefix members of `shape` in `value` to `headers`.
void RestWriteHeaders(const ServiceModel& model, const Ref& shape, const nlohmann::json& value,
                      HttpHeaders* headers);

// Reads the header, headers-prefix and statusCode members of `shape` into `out`.
void RestReadHeaders(const ServiceModel& model, const Ref& shape, const HttpHeaders& headers,
                     int status, nlohmann::json* out);

// Matches a request path against the operation's URI template. On a match, stores the
// decoded labels and returns true. `query` is the raw query of the request: the template's
// constant query keys must be present in it.
bool RestMatchUri(const std::string& request_uri, std::string_view path, std::string_view query,
                  std::map<std::string, std::string>* labels);

// Reads the uri and querystring members of `input` from `request` into `out`.
void RestReadBindings(const ServiceModel& model, const Operation& op, const Ref& input,
                      const HttpRequest& request, nlohmann::json* out);

// The number of literal characters of a URI template (to prefer specific templates).
int RestTemplateSpecificity(const std::string& request_uri);

}  // namespace cf::aws::internal
