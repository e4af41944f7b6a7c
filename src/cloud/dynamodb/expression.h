#pragma once

// DynamoDB expressions: a hand-written parser (bounded depth and length: it never recurses
// deeper than kMaxExpressionDepth and rejects input over 4 KB) and evaluators for condition,
// filter and key condition expressions, update expressions and projection expressions.
//
// Parsers resolve #names and :values through an ExpressionContext and record which ones they
// used, so the caller can report unused ones like DynamoDB does. Their errors carry DynamoDB's
// message prefixed with "Invalid <Kind>Expression: ".

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/dynamodb/error.h"

namespace cf::cloud::dynamodb {

constexpr int kMaxExpressionDepth = 64;
constexpr size_t kMaxExpressionSize = 4096;

// One step of a document path: a map key, or a list index when index >= 0.
struct PathElement {
  std::string name;
  long index = -1;
  bool is_index() const { return index >= 0; }
  friend bool operator==(const PathElement&, const PathElement&) = default;
};
using Path = std::vector<PathElement>;

// "[a, b, [2]]": DynamoDB's rendering of a path in messages.
std::string PathToString(const Path& path);

enum class NodeKind {
  kPath,      // path
  kValue,     // value
  kFunction,  // name(args...)
  kCompare,   // args[0] name args[1]; name is one of = <> < <= > >=
  kBetween,   // args[0] BETWEEN args[1] AND args[2]
  kIn,        // args[0] IN (args[1..])
  kAnd,
  kOr,
  kNot,
  kPlus,   // update value: args[0] + args[1]
  kMinus,  // update value: args[0] - args[1]
};

struct Node {
  NodeKind kind = NodeKind::kValue;
  std::string name;  // function name or comparator
  Path path;         // kPath
  Json value;        // kValue
  std::vector<Node> args;
};

// The aliases of one request. `names` and `values` are JSON objects or null; they must
// outlive the context.
struct ExpressionContext {
  const Json* names = nullptr;
  const Json* values = nullptr;
  std::set<std::string> used_names;
  std::set<std::string> used_values;
};

// `kind` is "ConditionExpression", "FilterExpression" or "KeyConditionExpression" (for
// messages).
ServiceOr<Node> ParseCondition(std::string_view text, std::string_view kind,
                               ExpressionContext& context);

struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  Path path;
  Node value;  // kSet: the value expression; kAdd/kDelete: a kValue node.
};
ServiceOr<std::vector<UpdateAction>> ParseUpdate(std::string_view text, ExpressionContext& context);

ServiceOr<std::vector<Path>> ParseProjection(std::string_view text, ExpressionContext& context);

// Evaluation. `item` is a JSON object of AttributeValues (empty when there is no item).
const Json* ResolvePath(const Json& item, const Path& path);
bool EvaluateCondition(const Node& condition, const Json& item);

// Applies update actions to `item` in place, with DynamoDB's semantics (all values are read
// from the item as it was before the update). Errors are DynamoDB's ValidationExceptions.
ServiceStatus ApplyUpdate(const std::vector<UpdateAction>& actions, Json& item);

// The attributes of `item` named by `paths`, nested like the item (list elements keep their
// order and close up).
Json Project(const Json& item, const std::vector<Path>& paths);

// Checks that no two paths overlap or conflict; DynamoDB's message otherwise.
std::optional<std::string> CheckPathsDisjoint(const std::vector<Path>& paths);

}  // namespace cf::cloud::dynamodb
