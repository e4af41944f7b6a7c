#pragma once

// Plain HTTP messages, independent of the transport library: what the server hands to its
// handler and what the handler answers.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cf::cloud {

struct HttpRequest {
  std::string method;                                        // "POST"
  std::string target;                                        // "/path?query" as sent
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, in order
  std::string body;

  // The first header of that (lowercase) name, or "" when absent.
  std::string_view Header(std::string_view lowercase_name) const;
  // The path part of the target ("/a/b"), and the raw query string after '?' ("" when none).
  std::string_view Path() const;
  std::string_view Query() const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Held back this long before it is written (latency injection).
  std::chrono::nanoseconds delay{0};
  // Close the connection without answering (fault injection: a dropped connection).
  bool drop_connection = false;
  // Close the connection after answering.
  bool close_connection = false;
};

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}, in order; form encoding ('+' is a space).
std::vector<std::pair<std::string, std::string>> ParseFormEncoded(std::string_view text);

}  // namespace cf::cloud
