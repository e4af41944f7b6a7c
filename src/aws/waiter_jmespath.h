#pragma once

// A JMESPath subset, enough for botocore's waiters and paginators:
//   field paths (a.b.c, "quoted"), @, index a[0] and a[-1], flatten a[], wildcard a[*],
//   filters a[?b=='x'] / a[?b==`1` && c], comparisons == != < <= > >=, || && !, ( ),
//   literals `json` and 'raw', the pipe |, and the functions length(), contains(),
//   not_null(), to_string(), keys() and values().
// Projections follow the specification: after [] [*] or [?...] the rest of the path applies
// to each element and nulls are dropped.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::aws::jmespath {

struct Node;

// A parsed expression. Immutable; thread-safe to evaluate concurrently.
class Expression {
 public:
  // InvalidArgument "jmespath: ... at column N" for anything outside the subset.
  static Result<Expression> Parse(std::string_view text);

  nlohmann::json Evaluate(const nlohmann::json& data) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
};

// Parses and evaluates in one go.
Result<nlohmann::json> Search(std::string_view expression, const nlohmann::json& data);

// JMESPath truthiness: false for null, false, "", [] and {}.
bool IsTruthy(const nlohmann::json& value);

}  // namespace cf::aws::jmespath
