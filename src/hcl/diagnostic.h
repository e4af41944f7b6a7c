#pragma once

// Diagnostics: problems found in user input (HCL source, values, evaluation), each with a
// severity, a one-line summary, a detail sentence and the source range it is about.

#include <string>
#include <string_view>
#include <vector>

#include "hcl/source.h"

namespace cf::hcl {

enum class Severity { kError, kWarning };

// One diagnostic. It owns a copy of its subject's filename, so it may outlive the File it was
// made from. `has_subject` is false for diagnostics about no particular place.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string summary;
  std::string detail;
  bool has_subject = false;
  std::string filename;
  Pos start;
  Pos end;

  static Diagnostic Error(std::string summary, std::string detail, const Range& subject);
  static Diagnostic Warning(std::string summary, std::string detail, const Range& subject);

  // The subject as a Range; it views this diagnostic's `filename`.
  Range subject() const { return Range{filename, start, end}; }
};

// An ordered list of diagnostics.
class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void AddError(std::string summary, std::string detail, const Range& subject) {
    items_.push_back(Diagnostic::Error(std::move(summary), std::move(detail), subject));
  }
  void Append(const Diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  }

  bool HasErrors() const;
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const Diagnostic& operator[](size_t i) const { return items_[i]; }
  std::vector<Diagnostic>::const_iterator begin() const { return items_.begin(); }
  std::vector<Diagnostic>::const_iterator end() const { return items_.end(); }

 private:
  std::vector<Diagnostic> items_;
};

// Renders one diagnostic for people:
//
//   main.tf:3:9: error: Invalid character; This character is not used within the language.
//     3 | a = 1 @ 2
//       |       ^
//
// The first line is "file:line:column: error|warning: Summary; detail" ("; detail" only when
// there is a detail). When `source` is the subject file's text, the subject's line follows,
// and a caret under the subject's start column. Without a subject, just "error: Summary;
// detail". Ends with a newline.
std::string FormatDiagnostic(const Diagnostic& d, std::string_view source = {});

// Renders every diagnostic in order, each as FormatDiagnostic.
std::string FormatDiagnostics(const Diagnostics& diags, std::string_view source = {});

}  // namespace cf::hcl
