#pragma once

// The paths of the Amazon States Language (states-language.net, "Paths"): JSONPath over a
// JSON tree for InputPath, OutputPath, ItemsPath, Variable and the ".$" fields, and Reference
// Paths (names and indexes only) for ResultPath.
//
// Supported JSONPath: "$" (the root), ".name", "['name']" / "[\"name\"]", "[n]" (negative n
// counts from the end), "[*]" and ".*", "[a,b,...]" unions of indexes or names,
// "[start:end]" slices and "..name" deep scan. A path with a wildcard, union, slice or deep
// scan is indefinite: its value is the array of every match (possibly empty). A definite path
// that matches nothing is an error.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf::cloud::stepfunctions {

using Json = nlohmann::json;

// One parsed path. Immutable once parsed; safe to share between threads.
class JsonPath {
 public:
  // InvalidArgument naming the problem when `text` is not a path starting with "$".
  static Result<JsonPath> Parse(const std::string& text);

  // The value the path selects in `root`. NotFound ("No results for path: ...") when a
  // definite path selects nothing.
  Result<Json> Select(const Json& root) const;

  // True when the path is a Reference Path: only names and non-negative indexes.
  bool IsReference() const;
  bool IsDefinite() const { return definite_; }
  const std::string& text() const { return text_; }

  // Sets the node the reference path names inside `root` to `value`, creating objects for
  // missing names. "$" replaces the whole root. InvalidArgument when the path crosses a
  // value that is not an object (or an index out of range): States.ResultPathMatchFailure.
  Status Assign(Json& root, Json value) const;

 private:
  struct Step {
    enum Kind { kName, kIndex, kWildcard, kUnion, kSlice, kDeepName, kDeepWildcard };
    Kind kind = kName;
    std::string name;
    long index = 0;
    std::vector<Json> members;  // kUnion: names (strings) or indexes (integers)
    std::optional<long> start, end;
    long step = 1;
  };

  void Collect(const Json& node, size_t step, std::vector<const Json*>& out) const;
  // "$['a'][0]" form of the steps, for messages.
  std::string Canonical() const;

  std::string text_;
  std::vector<Step> steps_;
  bool definite_ = true;
};

// Selects `path` (parsed on the fly) in `root`; errors as JsonPath::Parse and Select.
Result<Json> SelectPath(const std::string& path, const Json& root);

}  // namespace cf::cloud::stepfunctions
