#pragma once

// Source positions and ranges for HCL files.

#include <cstdint>
#include <string>
#include <string_view>

namespace cf::hcl {

// A position in a source file. `line` and `column` are 1-based; `column` counts Unicode code
// points (not bytes) from the start of the line. `byte` is the 0-based byte offset.
struct Pos {
  int line = 1;
  int column = 1;
  int byte = 0;

  friend bool operator==(const Pos&, const Pos&) = default;
};

// A half-open range [start, end) of a source file. `filename` views storage owned by the
// parsed File (or a string that outlives the Range): a Range must not outlive its File.
// Copy it into an owning form (e.g. Diagnostic) to keep it longer.
struct Range {
  std::string_view filename;
  Pos start;
  Pos end;

  friend bool operator==(const Range&, const Range&) = default;
};

// The smallest range covering both `a` and `b` (filename taken from `a`).
inline Range RangeBetween(const Range& a, const Range& b) {
  Range r;
  r.filename = a.filename;
  r.start = a.start.byte <= b.start.byte ? a.start : b.start;
  r.end = a.end.byte >= b.end.byte ? a.end : b.end;
  return r;
}

// The exact source text of `range` within `source` (empty when out of bounds).
inline std::string_view SourceSlice(std::string_view source, const Range& range) {
  if (range.start.byte < 0 || range.end.byte < range.start.byte ||
      static_cast<size_t>(range.end.byte) > source.size()) {
    return {};
  }
  return source.substr(range.start.byte, range.end.byte - range.start.byte);
}

// HCL's compact form: "file:3,5-9" on one line, "file:3,5-4,1" across lines.
inline std::string FormatRange(const Range& r) {
  std::string out(r.filename);
  out += ':' + std::to_string(r.start.line) + ',' + std::to_string(r.start.column) + '-';
  if (r.start.line != r.end.line) {
    out += std::to_string(r.end.line) + ',';
  }
  out += std::to_string(r.end.column);
  return out;
}

}  // namespace cf::hcl
