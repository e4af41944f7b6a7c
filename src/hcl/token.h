#pragma once

// Tokens of the HCL native syntax, as produced by Lexer.

#include <cstdint>
#include <string_view>

#include "hcl/source.h"

namespace cf::hcl {

enum class TokenType : uint8_t {
  kEOF,
  kNewline,  // A newline, or a line comment (which ends with its newline).
  kIdent,
  kNumber,
  kOBrace,           // {
  kCBrace,           // }
  kOBrack,           // [
  kCBrack,           // ]
  kOParen,           // (
  kCParen,           // )
  kEqual,            // =
  kColon,            // :
  kDoubleColon,      // ::
  kComma,            // ,
  kDot,              // .
  kEllipsis,         // ...
  kQuestion,         // ?
  kFatArrow,         // =>
  kPlus,             // +
  kMinus,            // -
  kStar,             // *
  kSlash,            // /
  kPercent,          // %
  kBang,             // !
  kEqualOp,          // ==
  kNotEqual,         // !=
  kLess,             // <
  kLessEqual,        // <=
  kGreater,          // >
  kGreaterEqual,     // >=
  kAnd,              // &&
  kOr,               // ||
  kOQuote,           // " opening a quoted template
  kCQuote,           // " closing it
  kQuotedLit,        // Raw literal text inside quotes (escapes not yet decoded).
  kQuotedNewline,    // A newline inside quotes (an error).
  kOHeredoc,         // <<EOT or <<-EOT, including the newline.
  kCHeredoc,         // The closing marker line (its leading spaces and the marker).
  kStringLit,        // Raw literal text of a heredoc line (up to and including its newline) or of
                     // a bare template.
  kTemplateInterp,   // ${ or ${~
  kTemplateControl,  // %{ or %{~
  kTemplateSeqEnd,   // } or ~} closing ${ or %{
  kInvalid,          // A character that is not part of the language (already diagnosed).
};

// A printable name for messages and tests ("identifier", "'{'", ...).
std::string_view TokenTypeName(TokenType type);

struct Token {
  TokenType type = TokenType::kEOF;
  // kTemplateInterp/kTemplateControl: `~` after the opener; kTemplateSeqEnd: `~` before it;
  // kOHeredoc: the `<<-` (flush) form.
  bool strip = false;
  Pos start;
  Pos end;
  std::string_view text;  // The token's exact source bytes.
};

}  // namespace cf::hcl
