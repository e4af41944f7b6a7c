#pragma once

// The HCL native-syntax parser: source text -> File (AST) + Diagnostics.
//
// The parser never throws, never crashes and always terminates, on any input: after an error
// it records a diagnostic, skips to the end of the line or block, and goes on, so one run
// reports several problems. Nesting deeper than kMaxNestingDepth is itself an error.
// A File with error diagnostics still has a (partial) body; InvalidExpr marks holes.

#include <memory>
#include <string>
#include <string_view>

#include "hcl/arena.h"
#include "hcl/ast.h"
#include "hcl/diagnostic.h"

namespace cf::hcl {

inline constexpr int kMaxNestingDepth = 256;

// A parsed file: owns its name, its source text and every AST node. Not copyable or movable
// (nodes and ranges point into it); hold it by unique_ptr.
class File {
 public:
  File(std::string filename, std::string source)
      : filename_(std::move(filename)), source_(std::move(source)) {}
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  const std::string& filename() const { return filename_; }
  const std::string& source() const { return source_; }
  // The top-level body (after Parse); never nullptr.
  const Body* body() const { return body_; }
  // The expression (after ParseExpression / ParseTemplate); never nullptr.
  const Expression* expression() const { return expression_; }

  // The exact source text of `range`.
  std::string_view Source(const Range& range) const { return SourceSlice(source_, range); }

  Arena& arena() { return arena_; }
  void set_body(const Body* body) { body_ = body; }
  void set_expression(const Expression* e) { expression_ = e; }

 private:
  std::string filename_;
  std::string source_;
  Arena arena_;
  const Body* body_ = nullptr;
  const Expression* expression_ = nullptr;
};

struct ParseResult {
  std::unique_ptr<File> file;  // Never nullptr.
  Diagnostics diagnostics;
};

// Parses a whole configuration file (a body of attributes and blocks). Also reports
// "Attribute redefined" for an attribute name set twice in the same body.
ParseResult Parse(std::string source, std::string filename);

// Parses `source` as one expression (e.g. a -var value or a tfvars right-hand side); the
// whole input must be the expression (surrounding whitespace and newlines allowed).
ParseResult ParseExpression(std::string source, std::string filename);

// Parses `source` as a bare template (the contents of a string without quotes, as in
// templatefile()): `${...}` and `%{...}` sequences are recognised, everything else is text.
ParseResult ParseTemplate(std::string source, std::string filename);

}  // namespace cf::hcl
