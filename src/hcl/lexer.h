#pragma once

// The HCL native-syntax lexer: a hand-written scanner over a string_view that produces one
// token at a time with no heap allocation per token.
//
// The lexer is modal like HashiCorp's: it tracks quoted strings, heredocs and the
// interpolation / directive sequences inside them itself (a small mode stack), so its token
// stream does not depend on the parser, and a parser recovering from an error can skip
// tokens without losing track of strings.
//
// Lexical errors (invalid characters, newlines inside quoted strings, ...) are recorded in
// `diagnostics()` as they are met, and an kInvalid / kQuotedNewline token is still returned.

#include <string_view>
#include <vector>

#include "hcl/diagnostic.h"
#include "hcl/token.h"

namespace cf::hcl {

class Lexer {
 public:
  enum class Start {
    kConfig,    // Normal expression/body syntax.
    kTemplate,  // A bare template: literal text with ${ } and %{ } sequences.
  };

  // `source` and `filename` must outlive the lexer and every token it returns.
  Lexer(std::string_view source, std::string_view filename, Start start = Start::kConfig);

  // The next token; kEOF forever at the end.
  Token Next();

  Diagnostics& diagnostics() { return diags_; }

 private:
  enum class ModeKind : uint8_t { kNormal, kQuoted, kHeredoc, kBareTemplate };
  struct Mode {
    explicit Mode(ModeKind k) : kind(k) {}
    ModeKind kind;
    bool flush = false;       // Heredoc: <<- form.
    bool line_start = false;  // Heredoc: at the start of a line.
    int brace_depth = 0;      // Normal: open `{` inside an interpolation sequence.
    std::string_view marker;  // Heredoc: the closing marker.
  };

  Token NextNormal();
  Token NextQuoted();
  Token NextHeredoc();
  Token NextBareTemplate();
  Token Make(TokenType type, size_t begin);
  Pos PosAt(size_t byte);
  void AdvanceLine(size_t newline_byte);
  bool TryHeredocStart(size_t begin, Token* out);
  Token LexTemplateOpener(size_t begin, TokenType type);
  void Error(std::string summary, std::string detail, size_t begin, size_t end);

  std::string_view src_;
  std::string_view filename_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  // Column cache: the number of UTF-8 continuation bytes in [line_start_, col_byte_).
  size_t col_byte_ = 0;
  int col_cont_ = 0;
  std::vector<Mode> modes_;
  Diagnostics diags_;
};

}  // namespace cf::hcl
