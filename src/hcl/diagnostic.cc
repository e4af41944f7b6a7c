#include "hcl/diagnostic.h"

namespace cf::hcl {

namespace {

Diagnostic Make(Severity severity, std::string summary, std::string detail, const Range& r) {
  Diagnostic d;
  d.severity = severity;
  d.summary = std::move(summary);
  d.detail = std::move(detail);
  d.has_subject = true;
  d.filename = std::string(r.filename);
  d.start = r.start;
  d.end = r.end;
  return d;
}

// The text of the line (without its newline) that contains byte offset `byte`.
std::string_view LineAt(std::string_view source, int byte) {
  if (byte < 0 || static_cast<size_t>(byte) > source.size()) {
    return {};
  }
  size_t begin = source.rfind('\n', byte == 0 ? 0 : byte - 1);
  begin = (begin == std::string_view::npos || (byte == 0)) ? 0 : begin + 1;
  if (byte > 0 && source[byte - 1] == '\n') {
    begin = byte;
  }
  size_t end = source.find('\n', begin);
  if (end == std::string_view::npos) {
    end = source.size();
  }
  std::string_view line = source.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

}  // namespace

Diagnostic Diagnostic::Error(std::string summary, std::string detail, const Range& subject) {
  return Make(Severity::kError, std::move(summary), std::move(detail), subject);
}

Diagnostic Diagnostic::Warning(std::string summary, std::string detail, const Range& subject) {
  return Make(Severity::kWarning, std::move(summary), std::move(detail), subject);
}

bool Diagnostics::HasErrors() const {
  for (const Diagnostic& d : items_) {
    if (d.severity == Severity::kError) {
      return true;
    }
  }
  return false;
}

std::string FormatDiagnostic(const Diagnostic& d, std::string_view source) {
  std::string out;
  if (d.has_subject) {
    out += d.filename;
    out += ':';
    out += std::to_string(d.start.line);
    out += ':';
    out += std::to_string(d.start.column);
    out += ": ";
  }
  out += d.severity == Severity::kError ? "error: " : "warning: ";
  out += d.summary;
  if (!d.detail.empty()) {
    out += "; ";
    out += d.detail;
  }
  out += '\n';
  if (d.has_subject && !source.empty()) {
    std::string_view line = LineAt(source, d.start.byte);
    std::string number = std::to_string(d.start.line);
    out += "  ";
    out += number;
    out += " | ";
    out += line;
    out += '\n';
    out += "  ";
    out.append(number.size(), ' ');
    out += " | ";
    // Tabs are kept so the caret lines up under tab-indented source.
    int column = 1;
    for (size_t i = 0; i < line.size() && column < d.start.column; ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      if ((c & 0xC0) == 0x80) {
        continue;
      }
      out += c == '\t' ? '\t' : ' ';
      ++column;
    }
    for (; column < d.start.column; ++column) {
      out += ' ';
    }
    out += "^\n";
  }
  return out;
}

std::string FormatDiagnostics(const Diagnostics& diags, std::string_view source) {
  std::string out;
  for (const Diagnostic& d : diags) {
    out += FormatDiagnostic(d, source);
  }
  return out;
}

}  // namespace cf::hcl
