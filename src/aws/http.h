#pragma once

// The HTTP messages the AWS codecs produce and consume. They carry no connection state:
// the client's transport turns an HttpRequest into bytes on the wire (adding Host,
// Content-Length, signatures), and the local cloud's server builds them from what it read.

#include <string>
#include <string_view>
#include <vector>

namespace cf::aws {

struct HttpHeader {
  std::string name;
  std::string value;
};

// Headers in the order they were added. Names compare case-insensitively.
using HttpHeaders = std::vector<HttpHeader>;

// The value of the first header called `name` (any case), or nullptr.
const std::string* FindHeader(const HttpHeaders& headers, std::string_view name);

// Replaces the value of every header called `name` (any case) by one header, appended at the
// end when there was none.
void SetHeader(HttpHeaders* headers, std::string_view name, std::string value);

struct HttpRequest {
  std::string method = "POST";
  // The request target: percent-encoded path, then "?" and the query when there is one
  // ("/bucket/key%20name?versionId=3"). Never a full URL.
  std::string path = "/";
  // The operation's endpoint.hostPrefix with its labels filled in ("abc.data."): the
  // transport prepends it to the endpoint's host. Empty for most operations.
  std::string host_prefix;
  HttpHeaders headers;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  HttpHeaders headers;
  std::string body;
};

// Splits `path` at the first '?': the path part and the raw query part (without '?').
std::pair<std::string_view, std::string_view> SplitPathAndQuery(std::string_view path);

}  // namespace cf::aws
