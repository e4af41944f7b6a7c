#include "hcl/parser.h"

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/strings.h"
#include "hcl/lexer.h"

namespace cf::hcl {

namespace {

// Parser diagnostics past this many are dropped (the lexer's are always kept).
constexpr size_t kMaxParserDiagnostics = 200;

bool IsSpaceChar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view TrimLeftSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && IsSpaceChar(s[i])) {
    ++i;
  }
  return s.substr(i);
}

std::string_view TrimRightSpace(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && IsSpaceChar(s[n - 1])) {
    --n;
  }
  return s.substr(0, n);
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// One element of a template before its directives are assembled into a tree (the "flat"
// form, as HashiCorp's parser also has it).
struct FlatPart {
  enum Kind : uint8_t { kLiteral, kInterp, kIf, kElse, kEndIf, kFor, kEndFor };
  Kind kind = kLiteral;
  Range range;
  std::string_view text;             // kLiteral: decoded text.
  const Expression* expr = nullptr;  // kInterp: the expression; kIf/kFor: cond / collection.
  std::string_view key_var;          // kFor.
  std::string_view value_var;        // kFor.
};

FlatPart MakeFlat(FlatPart::Kind kind, const Range& range) {
  FlatPart p;
  p.kind = kind;
  p.range = range;
  return p;
}

class Parser {
 public:
  Parser(File* file, Lexer::Start start)
      : file_(file),
        arena_(file->arena()),
        filename_(file->filename()),
        lexer_(file->source(), file->filename(), start) {
    newlines_.reserve(64);
    newlines_.push_back(true);
  }

  const Body* ParseFileBody() {
    const Body* body = ParseBody(TokenType::kEOF, Range{});
    return body;
  }

  const Expression* ParseWholeExpression() {
    newlines_.push_back(false);
    const Expression* e = ParseExpression();
    const Token& t = Peek();
    if (t.type != TokenType::kEOF) {
      AddError("Extra characters after expression",
               "An expression was successfully parsed, but extra characters were found after it.",
               RangeOf(t));
    }
    newlines_.pop_back();
    return e;
  }

  const Expression* ParseWholeTemplate() {
    Pos start = Peek().start;
    return ParseTemplateBody(TokenType::kEOF, false, false, start);
  }

  // Lexer diagnostics first (as HashiCorp's parser reports them), then the parser's.
  Diagnostics TakeDiagnostics() {
    Diagnostics out = lexer_.diagnostics();
    out.Append(diags_);
    return out;
  }

 private:
  // ---- Tokens ----

  bool IncludeNewlines() const { return newlines_.back(); }

  const Token& PeekRaw() {
    if (!have_) {
      cur_ = lexer_.Next();
      have_ = true;
    }
    return cur_;
  }

  const Token& Peek() {
    for (;;) {
      const Token& t = PeekRaw();
      if (t.type == TokenType::kNewline && !IncludeNewlines()) {
        have_ = false;
        continue;
      }
      return t;
    }
  }

  Token Read() {
    Peek();
    have_ = false;
    prev_end_ = cur_.end;
    return cur_;
  }

  Token ReadRaw() {
    PeekRaw();
    have_ = false;
    prev_end_ = cur_.end;
    return cur_;
  }

  Range RangeOf(const Token& t) const { return Range{filename_, t.start, t.end}; }
  Range MakeRange(Pos a, Pos b) const { return Range{filename_, a, b}; }

  void AddError(std::string summary, std::string detail, const Range& r) {
    if (diags_.size() >= kMaxParserDiagnostics) {
      return;
    }
    diags_.AddError(std::move(summary), std::move(detail), r);
  }

  // Skips tokens up to and including the `end` token that closes the current construct
  // (nesting of its opener is respected). Stops at end of file. Returns the last token read.
  Token Recover(TokenType end) {
    recovery_ = true;
    TokenType open = Opposite(end);
    int nest = 0;
    for (;;) {
      Token t = ReadRaw();
      TokenType ty = t.type;
      if (end == TokenType::kTemplateSeqEnd && ty == TokenType::kTemplateControl) {
        ty = TokenType::kTemplateInterp;
      }
      if (ty == TokenType::kEOF) {
        return t;
      }
      if (ty == open) {
        ++nest;
      } else if (ty == end) {
        if (nest < 1) {
          return t;
        }
        --nest;
      }
    }
  }

  static TokenType Opposite(TokenType t) {
    switch (t) {
      case TokenType::kCBrace:
        return TokenType::kOBrace;
      case TokenType::kCBrack:
        return TokenType::kOBrack;
      case TokenType::kCParen:
        return TokenType::kOParen;
      case TokenType::kCQuote:
        return TokenType::kOQuote;
      case TokenType::kCHeredoc:
        return TokenType::kOHeredoc;
      case TokenType::kTemplateSeqEnd:
        return TokenType::kTemplateInterp;
      default:
        return TokenType::kInvalid;
    }
  }

  // Skips to the end of the current body item: past the next newline outside any brackets,
  // or up to (not including) a `}` that closes the enclosing block, or to end of file.
  void RecoverAfterBodyItem() {
    recovery_ = true;
    int depth = 0;
    for (;;) {
      const Token& t = PeekRaw();
      switch (t.type) {
        case TokenType::kEOF:
          return;
        case TokenType::kNewline:
          ReadRaw();
          if (depth == 0) {
            return;
          }
          break;
        case TokenType::kOBrace:
        case TokenType::kOBrack:
        case TokenType::kOParen:
        case TokenType::kOQuote:
        case TokenType::kOHeredoc:
        case TokenType::kTemplateInterp:
        case TokenType::kTemplateControl:
          ++depth;
          ReadRaw();
          break;
        case TokenType::kCBrace:
          if (depth == 0) {
            return;
          }
          --depth;
          ReadRaw();
          break;
        case TokenType::kCBrack:
        case TokenType::kCParen:
        case TokenType::kCQuote:
        case TokenType::kCHeredoc:
        case TokenType::kTemplateSeqEnd:
          if (depth > 0) {
            --depth;
          }
          ReadRaw();
          break;
        default:
          ReadRaw();
          break;
      }
    }
  }

  // Depth guard: true when nesting is too deep; the rest of the input is then skipped.
  bool TooDeep() {
    if (depth_ < kMaxNestingDepth) {
      return false;
    }
    if (!too_deep_) {
      too_deep_ = true;
      AddError("Nesting too deep",
               "This input nests blocks or expressions more than " +
                   std::to_string(kMaxNestingDepth) + " levels deep.",
               RangeOf(PeekRaw()));
    }
    while (PeekRaw().type != TokenType::kEOF) {
      ReadRaw();
    }
    return true;
  }

  template <typename T>
  T* NewExpr(const Range& r) {
    T* e = arena_.New<T>();
    e->kind = T::kKind;
    e->range = r;
    return e;
  }

  const Expression* Invalid(const Range& r) { return NewExpr<InvalidExpr>(r); }

  // ---- Structure ----

  // Parses items until `end` (kEOF or kCBrace, which is consumed). `open` is the opening
  // brace (for a block body).
  const Body* ParseBody(TokenType end, const Range& open) {
    Body* body = arena_.New<Body>();
    size_t attr_base = attr_scratch_.size();
    size_t block_base = block_scratch_.size();
    Pos start = open.start;
    if (end == TokenType::kEOF) {
      start = Pos{1, 1, 0};
    }
    Pos end_pos = start;
    for (;;) {
      const Token& t = Peek();
      if (t.type == end) {
        end_pos = t.end;
        Read();
        break;
      }
      if (t.type == TokenType::kNewline) {
        Read();
        continue;
      }
      if (t.type == TokenType::kEOF) {
        AddError("Unclosed configuration block",
                 "There is no closing brace for this block before the end of the file. This may "
                 "be caused by incorrect brace nesting elsewhere in this file.",
                 open);
        end_pos = t.end;
        break;
      }
      if (t.type == TokenType::kIdent) {
        ParseBodyItem(attr_base, false);
        if (too_deep_) {
          end_pos = PeekRaw().end;
          break;
        }
        continue;
      }
      Token bad = Read();
      if (recovery_) {
        // Still skipping the remains of a broken item: no cascade of errors.
      } else if (bad.type == TokenType::kOQuote) {
        AddError("Invalid argument name", "Argument names must not be quoted.", RangeOf(bad));
      } else {
        AddError("Argument or block definition required",
                 "An argument or block definition is required here.", RangeOf(bad));
      }
      if (bad.type == TokenType::kOQuote || bad.type == TokenType::kOHeredoc ||
          bad.type == TokenType::kOBrace || bad.type == TokenType::kOBrack ||
          bad.type == TokenType::kOParen) {
        // Skip the construct this token opens, then the rest of the line.
        TokenType close = bad.type == TokenType::kOQuote     ? TokenType::kCQuote
                          : bad.type == TokenType::kOHeredoc ? TokenType::kCHeredoc
                          : bad.type == TokenType::kOBrace   ? TokenType::kCBrace
                          : bad.type == TokenType::kOBrack   ? TokenType::kCBrack
                                                             : TokenType::kCParen;
        Recover(close);
      }
      if (bad.type == TokenType::kCBrace) {
        // A stray closing brace at the top level: skip just it.
        continue;
      }
      RecoverAfterBodyItem();
    }
    body->attributes = arena_.CopySpan<const Attribute*>(
        std::span<const Attribute* const>(attr_scratch_).subspan(attr_base));
    body->blocks = arena_.CopySpan<const Block*>(
        std::span<const Block* const>(block_scratch_).subspan(block_base));
    attr_scratch_.resize(attr_base);
    block_scratch_.resize(block_base);
    big_body_index_.erase(attr_base);
    body->range = MakeRange(start, end_pos);
    return body;
  }

  // Adds `attr` to the current body's attributes (from `attr_base` on the scratch stack)
  // unless its name is already set there, which is an error.
  void AddAttribute(const Attribute* attr, size_t attr_base) {
    size_t count = attr_scratch_.size() - attr_base;
    const Attribute* existing = nullptr;
    if (count < 32) {
      for (size_t i = attr_base; i < attr_scratch_.size(); ++i) {
        if (attr_scratch_[i]->name == attr->name) {
          existing = attr_scratch_[i];
          break;
        }
      }
    } else {
      // Large bodies: index the names once per body (dropped when the body ends).
      auto& index = big_body_index_[attr_base];
      if (index.empty()) {
        for (size_t i = attr_base; i < attr_scratch_.size(); ++i) {
          index.emplace(attr_scratch_[i]->name, attr_scratch_[i]);
        }
      }
      auto it = index.find(attr->name);
      if (it != index.end()) {
        existing = it->second;
      } else {
        index.emplace(attr->name, attr);
      }
    }
    if (existing != nullptr) {
      AddError("Attribute redefined",
               "The argument \"" + std::string(attr->name) + "\" was already set at " +
                   FormatRange(existing->name_range) + ". Each argument may be set only once.",
               attr->name_range);
      return;
    }
    attr_scratch_.push_back(attr);
  }

  void ParseBodyItem(size_t attr_base, bool single_line) {
    recovery_ = false;
    Token ident = Read();
    const Token& next = Peek();
    switch (next.type) {
      case TokenType::kEqual:
        ParseAttribute(ident, attr_base, single_line);
        return;
      case TokenType::kOQuote:
      case TokenType::kIdent:
      case TokenType::kOBrace:
        if (single_line) {
          AddError("Argument definition required",
                   "A single-line block definition can contain only a single argument. If you "
                   "meant to define argument \"" +
                       std::string(ident.text) +
                       "\", use an equals sign to assign it a value. To define a nested block, "
                       "place it on a line of its own within its parent block.",
                   RangeOf(ident));
          recovery_ = true;
          return;
        }
        ParseBlock(ident);
        return;
      default:
        if (!recovery_ || next.type != TokenType::kInvalid) {
          AddError("Argument or block definition required",
                   "An argument or block definition is required here. To set an argument, use "
                   "the equals sign \"=\" to introduce the argument value.",
                   RangeOf(ident));
        }
        if (!single_line) {
          RecoverAfterBodyItem();
        }
        return;
    }
  }

  void ParseAttribute(const Token& ident, size_t attr_base, bool single_line) {
    Read();  // =
    size_t errors_before = diags_.size();
    const Expression* expr = ParseExpression();
    Attribute* attr = arena_.New<Attribute>();
    attr->name = ident.text;
    attr->name_range = RangeOf(ident);
    attr->expr = expr;
    attr->range = MakeRange(ident.start, expr->range.end);
    if (too_deep_) {
      AddAttribute(attr, attr_base);
      return;
    }
    bool expr_failed = diags_.size() > errors_before;
    if (!single_line) {
      const Token& end = Peek();
      if (end.type == TokenType::kNewline || end.type == TokenType::kEOF) {
        Read();
      } else {
        if (!(expr_failed && recovery_)) {
          if (end.type == TokenType::kComma) {
            AddError("Unexpected comma after argument",
                     "Argument definitions must be separated by newlines, not commas. An "
                     "argument definition must end with a newline.",
                     RangeOf(end));
          } else {
            AddError("Missing newline after argument",
                     "An argument definition must end with a newline.", RangeOf(end));
          }
        }
        RecoverAfterBodyItem();
      }
    }
    AddAttribute(attr, attr_base);
  }

  void ParseBlock(const Token& ident) {
    Block* block = arena_.New<Block>();
    block->type = ident.text;
    block->type_range = RangeOf(ident);
    size_t label_base = label_scratch_.size();
    bool ok = true;
    for (;;) {
      const Token& t = Peek();
      if (t.type == TokenType::kOBrace) {
        break;
      }
      if (t.type == TokenType::kIdent) {
        Token l = Read();
        label_scratch_.push_back(BlockLabel{l.text, RangeOf(l), false});
        continue;
      }
      if (t.type == TokenType::kOQuote) {
        BlockLabel label;
        if (!ParseStringLiteral(&label)) {
          ok = false;
        }
        label_scratch_.push_back(label);
        continue;
      }
      // Anything else is an error.
      ok = false;
      if (t.type == TokenType::kEqual) {
        AddError("Invalid block definition",
                 "The equals sign \"=\" indicates an argument definition, and must not be used "
                 "when defining a block.",
                 RangeOf(t));
      } else if (t.type == TokenType::kNewline) {
        AddError("Invalid block definition",
                 "A block definition must have block content delimited by \"{\" and \"}\", "
                 "starting on the same line as the block header.",
                 RangeOf(t));
      } else {
        AddError("Invalid block definition",
                 "Either a quoted string block label or an opening brace (\"{\") is expected "
                 "here.",
                 RangeOf(t));
      }
      break;
    }
    block->labels = arena_.CopySpan<BlockLabel>(
        std::span<const BlockLabel>(label_scratch_).subspan(label_base));
    label_scratch_.resize(label_base);
    if (!ok && Peek().type != TokenType::kOBrace) {
      block->body = EmptyBody(block->type_range);
      block->range = block->type_range;
      RecoverAfterBodyItem();
      block_scratch_.push_back(block);
      return;
    }
    Token open = Read();  // {
    block->open_brace_range = RangeOf(open);
    ++depth_;
    if (TooDeep()) {
      --depth_;
      block->body = EmptyBody(block->open_brace_range);
      block->range = MakeRange(ident.start, open.end);
      block_scratch_.push_back(block);
      return;
    }
    const Token& first = Peek();
    if (first.type == TokenType::kNewline || first.type == TokenType::kEOF ||
        first.type == TokenType::kCBrace) {
      block->body = ParseBody(TokenType::kCBrace, RangeOf(open));
    } else {
      block->body = ParseSingleAttrBody(RangeOf(open));
    }
    --depth_;
    block->close_brace_range = MakeRange(block->body->range.end, block->body->range.end);
    if (block->body->range.end.byte > 0) {
      Pos e = block->body->range.end;
      Pos s = e;
      s.byte -= 1;
      s.column -= 1;
      block->close_brace_range = MakeRange(s, e);
    }
    block->range = MakeRange(ident.start, block->body->range.end);
    block_scratch_.push_back(block);
    if (too_deep_) {
      return;
    }
    const Token& eol = Peek();
    if (eol.type == TokenType::kNewline || eol.type == TokenType::kEOF) {
      Read();
    } else {
      if (!recovery_) {
        AddError("Missing newline after block definition",
                 "A block definition must end with a newline.", RangeOf(eol));
      }
      RecoverAfterBodyItem();
    }
  }

  const Body* EmptyBody(const Range& r) {
    Body* body = arena_.New<Body>();
    body->range = r;
    return body;
  }

  // `{ name = expr }` on one line. The opening brace has been read.
  const Body* ParseSingleAttrBody(const Range& open) {
    Body* body = arena_.New<Body>();
    size_t attr_base = attr_scratch_.size();
    const Token& t = Peek();
    if (t.type == TokenType::kIdent) {
      ParseBodyItem(attr_base, true);
    } else {
      AddError("Argument or block definition required",
               "An argument or block definition is required here.", RangeOf(t));
    }
    Pos end_pos = prev_end_;
    if (!too_deep_) {
      const Token& close = Peek();
      switch (close.type) {
        case TokenType::kCBrace:
          end_pos = close.end;
          Read();
          break;
        case TokenType::kComma:
          AddError("Invalid single-argument block definition",
                   "Single-line block syntax can include only one argument definition. To "
                   "define multiple arguments, use the multi-line block syntax with one argument "
                   "definition per line.",
                   RangeOf(close));
          end_pos = Recover(TokenType::kCBrace).end;
          break;
        case TokenType::kNewline:
          AddError("Invalid single-argument block definition",
                   "An argument definition on the same line as its containing block creates a "
                   "single-line block definition, which must also be closed on the same line. "
                   "Place the block's closing brace immediately after the argument definition.",
                   RangeOf(close));
          end_pos = Recover(TokenType::kCBrace).end;
          break;
        default:
          if (!recovery_) {
            AddError("Invalid single-argument block definition",
                     "A single-line block definition must end with a closing brace immediately "
                     "after its single argument definition.",
                     RangeOf(close));
          }
          end_pos = Recover(TokenType::kCBrace).end;
          break;
      }
    }
    body->attributes = arena_.CopySpan<const Attribute*>(
        std::span<const Attribute* const>(attr_scratch_).subspan(attr_base));
    attr_scratch_.resize(attr_base);
    big_body_index_.erase(attr_base);
    body->range = MakeRange(open.start, end_pos);
    return body;
  }

  // A quoted string with no template sequences (a block label). The opening quote is next.
  // Returns false (after a diagnostic) when the string is not a plain literal.
  bool ParseStringLiteral(BlockLabel* label) {
    Token open = Read();
    bool ok = true;
    std::string decoded;
    bool need_copy = false;
    std::string_view single;
    int lits = 0;
    Pos end_pos = open.end;
    for (;;) {
      const Token& t = PeekRaw();
      if (t.type == TokenType::kCQuote) {
        end_pos = t.end;
        ReadRaw();
        break;
      }
      if (t.type == TokenType::kQuotedLit) {
        Token lit = ReadRaw();
        std::string_view text = DecodeLiteral(lit, /*quoted=*/true);
        if (lits == 0) {
          single = text;
        } else {
          if (!need_copy) {
            decoded.assign(single);
            need_copy = true;
          }
          decoded.append(text);
        }
        ++lits;
        continue;
      }
      if (t.type == TokenType::kTemplateInterp || t.type == TokenType::kTemplateControl) {
        Token seq = ReadRaw();
        if (ok) {
          AddError(
              "Invalid string literal",
              "Template sequences are not allowed in this string. To include a literal "
              "\"$\", double it (as \"$$\") to escape it.",
              MakeRange(seq.start, Pos{seq.start.line, seq.start.column + 2, seq.start.byte + 2}));
        }
        ok = false;
        Recover(TokenType::kTemplateSeqEnd);
        continue;
      }
      // The end of the line, which ends the string (the lexer diagnosed it), or of the file.
      if (t.type == TokenType::kQuotedNewline) {
        end_pos = t.start;
        ReadRaw();
        ok = false;
        break;
      }
      if (ok) {
        AddError("Unterminated template string", "No closing marker was found for the string.",
                 RangeOf(t));
      }
      ok = false;
      if (t.type == TokenType::kEOF) {
        break;
      }
      end_pos = Recover(TokenType::kCQuote).end;
      break;
    }
    label->value = need_copy ? arena_.CopyString(decoded) : single;
    label->range = MakeRange(open.start, end_pos);
    label->quoted = true;
    if (!ok) {
      recovery_ = true;
    }
    return ok;
  }

  // ---- Strings ----

  // Decodes a literal token's raw text: backslash escapes (quoted strings only) and the
  // `$${` / `%%{` escapes. Returns a view of the source when nothing needed decoding.
  std::string_view DecodeLiteral(const Token& tok, bool quoted) {
    std::string_view raw = tok.text;
    bool plain = true;
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if ((c == '\\' && quoted) ||
          ((c == '$' || c == '%') && i + 2 < raw.size() && raw[i + 1] == c && raw[i + 2] == '{')) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return raw;
    }
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if ((c == '$' || c == '%') && i + 2 < raw.size() && raw[i + 1] == c && raw[i + 2] == '{') {
        out.push_back(c);
        out.push_back('{');
        i += 2;
        continue;
      }
      if (c != '\\' || !quoted) {
        out.push_back(c);
        continue;
      }
      if (i + 1 >= raw.size()) {
        out.push_back(c);
        continue;
      }
      char e = raw[i + 1];
      switch (e) {
        case 'n':
          out.push_back('\n');
          ++i;
          continue;
        case 'r':
          out.push_back('\r');
          ++i;
          continue;
        case 't':
          out.push_back('\t');
          ++i;
          continue;
        case '"':
          out.push_back('"');
          ++i;
          continue;
        case '\\':
          out.push_back('\\');
          ++i;
          continue;
        case 'u':
        case 'U': {
          size_t digits = e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          bool good = i + 2 + digits <= raw.size();
          for (size_t k = 0; good && k < digits; ++k) {
            int h = HexDigitValue(raw[i + 2 + k]);
            if (h < 0) {
              good = false;
            } else {
              cp = cp * 16 + static_cast<uint32_t>(h);
            }
          }
          if (good && (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) {
            good = false;
          }
          if (!good) {
            AddError("Invalid escape sequence",
                     e == 'u' ? "The \\u escape sequence must be followed by four hexadecimal "
                                "digits."
                              : "The \\U escape sequence must be followed by eight hexadecimal "
                                "digits.",
                     EscapeRange(tok, i, 2));
            out.push_back('\\');
            continue;
          }
          AppendUtf8(&out, cp);
          i += 1 + digits;
          continue;
        }
        default: {
          AddError(
              "Invalid escape sequence",
              "The symbol \"" + std::string(1, e) + "\" is not a valid escape sequence selector.",
              EscapeRange(tok, i, 2));
          out.push_back(e);
          ++i;
          continue;
        }
      }
    }
    return arena_.CopyString(out);
  }

  // The range of `len` bytes at byte offset `offset` of a single-line token.
  Range EscapeRange(const Token& tok, size_t offset, int len) {
    Pos s = tok.start;
    for (size_t i = 0; i < offset; ++i) {
      if ((static_cast<unsigned char>(tok.text[i]) & 0xC0) != 0x80) {
        ++s.column;
      }
    }
    s.byte += static_cast<int>(offset);
    Pos e = s;
    e.byte += len;
    e.column += len;
    return MakeRange(s, e);
  }

  // ---- Templates ----

  // Parses template parts up to the `end` token (kCQuote, kCHeredoc or kEOF), which is
  // consumed, and builds the template expression. `start` is where the template begins.
  const Expression* ParseTemplateBody(TokenType end, bool heredoc, bool flush, Pos start) {
    size_t base = flat_scratch_.size();
    bool ltrim_next = false;
    Pos end_pos = start;
    Pos end_token_start = start;
    newlines_.push_back(false);
    for (;;) {
      const Token& t = PeekRaw();
      if (t.type == end) {
        end_pos = t.end;
        end_token_start = t.start;
        ReadRaw();
        break;
      }
      switch (t.type) {
        case TokenType::kQuotedLit:
        case TokenType::kStringLit: {
          Token lit = ReadRaw();
          std::string_view text = DecodeLiteral(lit, t.type == TokenType::kQuotedLit);
          if (ltrim_next) {
            text = TrimLeftSpace(text);
            ltrim_next = false;
          }
          FlatPart p = MakeFlat(FlatPart::kLiteral, RangeOf(lit));
          p.text = text;
          flat_scratch_.push_back(p);
          continue;
        }
        case TokenType::kTemplateInterp: {
          Token open = ReadRaw();
          if (open.strip) {
            TrimPreviousLiteral(base);
          }
          ++depth_;
          if (TooDeep()) {
            --depth_;
            break;
          }
          const Expression* e = ParseExpression();
          --depth_;
          const Token& close = Peek();
          if (close.type != TokenType::kTemplateSeqEnd) {
            Range opener = MakeRange(
                open.start, Pos{open.start.line, open.start.column + 2, open.start.byte + 2});
            if (recovery_ && !too_deep_) {
              // The expression's own error was reported.
            } else if (close.type == TokenType::kEOF) {
              AddError("Unclosed template interpolation sequence",
                       "There is no closing brace for this interpolation sequence before the end "
                       "of the file. This might be caused by incorrect nesting inside the given "
                       "expression.",
                       opener);
            } else if (close.type == TokenType::kColon) {
              AddError("Extra characters after interpolation expression",
                       "Template interpolation doesn't expect a colon at this location. Did you "
                       "intend this to be a literal sequence to be processed as part of another "
                       "language? If so, escape it by starting with \"$${\" instead of just "
                       "\"${\".",
                       RangeOf(close));
            } else if ((close.type == TokenType::kCQuote || close.type == TokenType::kOQuote) &&
                       end == TokenType::kCQuote) {
              AddError("Unclosed template interpolation sequence",
                       "There is no closing brace for this interpolation sequence before the end "
                       "of the quoted template. This might be caused by incorrect nesting inside "
                       "the given expression.",
                       opener);
            } else {
              AddError("Extra characters after interpolation expression",
                       "Expected a closing brace to end the interpolation expression, but found "
                       "extra characters.\n\nThis can happen when you include interpolation "
                       "syntax for another language, such as shell scripting, but forget to "
                       "escape the interpolation start token. If this is an embedded sequence "
                       "for another language, escape it by starting with \"$${\" instead of just "
                       "\"${\".",
                       RangeOf(close));
            }
            Recover(TokenType::kTemplateSeqEnd);
          } else {
            Token c = Read();
            ltrim_next = c.strip;
          }
          FlatPart p = MakeFlat(FlatPart::kInterp, MakeRange(open.start, prev_end_));
          p.expr = e;
          flat_scratch_.push_back(p);
          continue;
        }
        case TokenType::kTemplateControl: {
          Token open = ReadRaw();
          if (open.strip) {
            TrimPreviousLiteral(base);
          }
          ltrim_next = ParseDirective(open);
          continue;
        }
        default:
          break;
      }
      if (too_deep_) {
        break;
      }
      // End of file, a newline in a quoted string, or some other unexpected token.
      const Token& bad = PeekRaw();
      if (bad.type == TokenType::kQuotedNewline) {
        // The string ends with its line; the lexer diagnosed it, and what follows on the
        // line's statement is likely to be misread because of it.
        end_pos = bad.start;
        end_token_start = bad.start;
        ReadRaw();
        recovery_ = true;
        break;
      }
      AddError("Unterminated template string", "No closing marker was found for the string.",
               RangeOf(bad));
      if (bad.type == TokenType::kEOF || end == TokenType::kEOF) {
        end_pos = bad.end;
        end_token_start = bad.start;
        break;
      }
      Token last = Recover(end);
      end_pos = last.end;
      end_token_start = last.start;
      break;
    }
    newlines_.pop_back();
    std::span<FlatPart> flat(flat_scratch_.data() + base, flat_scratch_.size() - base);
    if (flush) {
      FlushHeredoc(flat);
    }
    MeldLiterals(base);
    flat = std::span<FlatPart>(flat_scratch_.data() + base, flat_scratch_.size() - base);
    Range range = MakeRange(start, end_pos);
    const Expression* result;
    if (flat.size() == 1 && flat[0].kind == FlatPart::kInterp) {
      auto* wrap = NewExpr<TemplateWrapExpr>(range);
      wrap->wrapped = flat[0].expr;
      result = wrap;
    } else {
      size_t pos = 0;
      TemplateExpr* tmpl = BuildTemplate(flat, &pos, range, /*stop=*/0, end_token_start);
      tmpl->heredoc = heredoc;
      result = tmpl;
    }
    flat_scratch_.resize(base);
    return result;
  }

  void TrimPreviousLiteral(size_t base) {
    if (flat_scratch_.size() > base && flat_scratch_.back().kind == FlatPart::kLiteral) {
      flat_scratch_.back().text = TrimRightSpace(flat_scratch_.back().text);
    }
  }

  // Parses `%{ keyword ... }` after its opener; returns whether it ended with `~}`.
  bool ParseDirective(const Token& open) {
    const Token& kw = Peek();
    if (kw.type != TokenType::kIdent) {
      if (!recovery_) {
        AddError("Invalid template directive",
                 "A template directive keyword (\"if\", \"for\", etc) is expected at the "
                 "beginning of a %{ sequence.",
                 RangeOf(kw));
      }
      Recover(TokenType::kTemplateSeqEnd);
      return false;
    }
    Token word = Read();
    FlatPart p = MakeFlat(FlatPart::kLiteral, RangeOf(open));
    bool valid = true;
    if (word.text == "if") {
      p.kind = FlatPart::kIf;
      p.expr = ParseNested();
    } else if (word.text == "else") {
      p.kind = FlatPart::kElse;
    } else if (word.text == "endif") {
      p.kind = FlatPart::kEndIf;
    } else if (word.text == "endfor") {
      p.kind = FlatPart::kEndFor;
    } else if (word.text == "for") {
      p.kind = FlatPart::kFor;
      if (Peek().type != TokenType::kIdent) {
        AddError("Invalid 'for' directive", "For directive requires variable name after 'for'.",
                 RangeOf(Peek()));
        valid = false;
      } else {
        p.value_var = Read().text;
        if (Peek().type == TokenType::kComma) {
          Read();
          p.key_var = p.value_var;
          if (Peek().type != TokenType::kIdent) {
            AddError("Invalid 'for' directive",
                     "For directive requires value variable name after comma.", RangeOf(Peek()));
            valid = false;
          } else {
            p.value_var = Read().text;
          }
        }
        if (valid) {
          if (Peek().type != TokenType::kIdent || Peek().text != "in") {
            AddError("Invalid 'for' directive", "For directive requires 'in' keyword after names.",
                     RangeOf(Peek()));
            valid = false;
          } else {
            Read();
            p.expr = ParseNested();
          }
        }
      }
    } else {
      AddError("Invalid template control keyword",
               "\"" + std::string(word.text) + "\" is not a valid template control keyword.",
               RangeOf(word));
      valid = false;
    }
    bool strip = false;
    const Token& close = Peek();
    if (close.type != TokenType::kTemplateSeqEnd) {
      if (valid && !recovery_) {
        AddError("Extra characters in " + std::string(word.text) + " marker",
                 "Expected a closing brace to end the sequence, but found extra characters.",
                 RangeOf(close));
      }
      Recover(TokenType::kTemplateSeqEnd);
    } else {
      strip = Read().strip;
    }
    p.range = MakeRange(open.start, prev_end_);
    if (valid) {
      flat_scratch_.push_back(p);
    }
    return strip;
  }

  const Expression* ParseNested() {
    ++depth_;
    if (TooDeep()) {
      --depth_;
      return Invalid(RangeOf(PeekRaw()));
    }
    const Expression* e = ParseExpression();
    --depth_;
    return e;
  }

  // HCL's flush heredoc rule (`<<-`): remove from every line-leading literal the smallest
  // count of leading whitespace characters found on any non-blank line.
  static void FlushHeredoc(std::span<FlatPart> parts) {
    const int kMax = 1 << 30;
    int min_spaces = kMax;
    bool newline = true;
    for (const FlatPart& p : parts) {
      if (newline) {
        newline = false;
        int spaces;
        if (p.kind == FlatPart::kLiteral) {
          std::string_view trimmed = TrimLeftSpace(p.text);
          if (trimmed.empty() && !p.text.empty() && p.text.back() == '\n') {
            spaces = kMax;
          } else {
            spaces = CountChars(p.text.substr(0, p.text.size() - trimmed.size()));
          }
        } else {
          spaces = 0;
        }
        if (spaces < min_spaces) {
          min_spaces = spaces;
        }
      }
      if (p.kind == FlatPart::kLiteral && !p.text.empty() && p.text.back() == '\n') {
        newline = true;
      }
    }
    if (min_spaces == kMax || min_spaces == 0) {
      return;
    }
    newline = true;
    for (FlatPart& p : parts) {
      if (newline && p.kind == FlatPart::kLiteral) {
        std::string_view trimmed = TrimLeftSpace(p.text);
        bool blank = trimmed.empty() && !p.text.empty() && p.text.back() == '\n';
        if (!blank) {
          size_t i = 0;
          for (int k = 0; k < min_spaces && i < p.text.size(); ++k) {
            i += 1;
            while (i < p.text.size() && (static_cast<unsigned char>(p.text[i]) & 0xC0) == 0x80) {
              ++i;
            }
          }
          p.text = p.text.substr(i);
        }
      }
      newline = p.kind == FlatPart::kLiteral && !p.text.empty() && p.text.back() == '\n';
      if (p.kind != FlatPart::kLiteral) {
        newline = false;
      }
    }
  }

  static int CountChars(std::string_view s) {
    int n = 0;
    for (char c : s) {
      n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }
    return n;
  }

  // Joins consecutive literal parts (from `base` on) into one.
  void MeldLiterals(size_t base) {
    size_t out = base;
    size_t i = base;
    const size_t n = flat_scratch_.size();
    while (i < n) {
      FlatPart p = flat_scratch_[i];
      if (p.kind != FlatPart::kLiteral) {
        flat_scratch_[out++] = p;
        ++i;
        continue;
      }
      // A run of literals [i, j): one view when they are contiguous in the source, else
      // one copy (linear in the run's length).
      size_t j = i + 1;
      bool contiguous = true;
      std::string_view joined = p.text;
      while (j < n && flat_scratch_[j].kind == FlatPart::kLiteral) {
        std::string_view t = flat_scratch_[j].text;
        if (!t.empty()) {
          if (joined.empty()) {
            joined = t;
          } else if (contiguous && joined.data() + joined.size() == t.data()) {
            joined = std::string_view(joined.data(), joined.size() + t.size());
          } else {
            contiguous = false;
          }
        }
        ++j;
      }
      if (!contiguous) {
        std::string text;
        for (size_t k = i; k < j; ++k) {
          text.append(flat_scratch_[k].text);
        }
        joined = arena_.CopyString(text);
      }
      p.text = joined;
      p.range = RangeBetween(p.range, flat_scratch_[j - 1].range);
      flat_scratch_[out++] = p;
      i = j;
    }
    flat_scratch_.resize(out);
  }

  static constexpr unsigned kStopElse = 1;
  static constexpr unsigned kStopEndIf = 2;
  static constexpr unsigned kStopEndFor = 4;

  static unsigned StopBit(FlatPart::Kind kind) {
    switch (kind) {
      case FlatPart::kElse:
        return kStopElse;
      case FlatPart::kEndIf:
        return kStopEndIf;
      case FlatPart::kEndFor:
        return kStopEndFor;
      default:
        return 0;
    }
  }

  // Builds a TemplateExpr from flat parts starting at *pos, until the end of `flat` or a
  // closing marker in `stop` (left at *pos). Other closing markers are errors and skipped.
  // `template_end` is where the whole template ends (for "Unexpected end of template").
  TemplateExpr* BuildTemplate(std::span<FlatPart> flat, size_t* pos, const Range& range,
                              unsigned stop, Pos template_end) {
    ++template_depth_;
    size_t base = part_scratch_.size();
    Pos last_end = range.start;
    while (*pos < flat.size()) {
      const FlatPart& p = flat[*pos];
      if (unsigned bit = StopBit(p.kind); bit != 0) {
        if ((stop & bit) != 0) {
          break;
        }
        const char* what = p.kind == FlatPart::kElse    ? "else"
                           : p.kind == FlatPart::kEndIf ? "endif"
                                                        : "endfor";
        AddError(std::string("Unexpected ") + what + " directive",
                 "The control directives within this template are unbalanced.", p.range);
        ++*pos;
        continue;
      }
      if ((p.kind == FlatPart::kIf || p.kind == FlatPart::kFor) &&
          template_depth_ >= kMaxNestingDepth) {
        // Directives nested too deeply: report once and drop the rest of the template.
        if (!too_deep_) {
          too_deep_ = true;
          AddError("Nesting too deep",
                   "This input nests blocks or expressions more than " +
                       std::to_string(kMaxNestingDepth) + " levels deep.",
                   p.range);
        }
        *pos = flat.size();
        break;
      }
      ++*pos;
      switch (p.kind) {
        case FlatPart::kLiteral: {
          auto* lit = arena_.New<TemplateLiteralPart>();
          lit->kind = TemplatePartKind::kLiteral;
          lit->range = p.range;
          lit->text = p.text;
          part_scratch_.push_back(lit);
          break;
        }
        case FlatPart::kInterp: {
          auto* in = arena_.New<TemplateInterpolationPart>();
          in->kind = TemplatePartKind::kInterpolation;
          in->range = p.range;
          in->expr = p.expr;
          part_scratch_.push_back(in);
          break;
        }
        case FlatPart::kIf: {
          auto* part = arena_.New<TemplateIfPart>();
          part->kind = TemplatePartKind::kIf;
          part->condition = p.expr;
          Range body_start = MakeRange(p.range.end, p.range.end);
          part->then_body =
              BuildTemplate(flat, pos, body_start, kStopElse | kStopEndIf, template_end);
          Pos end = template_end;
          if (*pos < flat.size() && flat[*pos].kind == FlatPart::kElse) {
            Range else_start = MakeRange(flat[*pos].range.end, flat[*pos].range.end);
            ++*pos;
            part->else_body = BuildTemplate(flat, pos, else_start, kStopEndIf, template_end);
          }
          if (*pos < flat.size() && flat[*pos].kind == FlatPart::kEndIf) {
            end = flat[*pos].range.end;
            ++*pos;
          } else {
            UnexpectedEnd("if", "endif", p.range.start, template_end);
          }
          part->range = MakeRange(p.range.start, end);
          part_scratch_.push_back(part);
          break;
        }
        case FlatPart::kFor: {
          auto* part = arena_.New<TemplateForPart>();
          part->kind = TemplatePartKind::kFor;
          part->key_var = p.key_var;
          part->value_var = p.value_var;
          part->collection = p.expr;
          Range body_start = MakeRange(p.range.end, p.range.end);
          part->body = BuildTemplate(flat, pos, body_start, kStopEndFor, template_end);
          Pos end = template_end;
          if (*pos < flat.size() && flat[*pos].kind == FlatPart::kEndFor) {
            end = flat[*pos].range.end;
            ++*pos;
          } else {
            UnexpectedEnd("for", "endfor", p.range.start, template_end);
          }
          part->range = MakeRange(p.range.start, end);
          part_scratch_.push_back(part);
          break;
        }
        default:
          break;
      }
      last_end = p.range.end;
    }
    auto* tmpl = NewExpr<TemplateExpr>(range);
    if (stop != 0) {
      tmpl->range = MakeRange(range.start, last_end);
    }
    tmpl->parts = arena_.CopySpan<const TemplatePart*>(
        std::span<const TemplatePart* const>(part_scratch_).subspan(base));
    part_scratch_.resize(base);
    --template_depth_;
    return tmpl;
  }

  void UnexpectedEnd(const char* what, const char* closer, Pos start, Pos template_end) {
    AddError("Unexpected end of template",
             std::string("The ") + what + " directive at " +
                 FormatRange(MakeRange(start, template_end)) + " is missing its corresponding " +
                 closer + " directive.",
             MakeRange(template_end, template_end));
  }

  // ---- Expressions ----

  const Expression* ParseExpression() {
    ++depth_;
    if (TooDeep()) {
      --depth_;
      return Invalid(RangeOf(PeekRaw()));
    }
    const Expression* e = ParseConditional();
    --depth_;
    return e;
  }

  const Expression* ParseConditional() {
    const Expression* cond = ParseBinary(0);
    if (Peek().type != TokenType::kQuestion) {
      return cond;
    }
    Read();
    const Expression* t = ParseExpression();
    if (too_deep_) {
      return cond;
    }
    const Expression* f;
    if (Peek().type != TokenType::kColon) {
      if (!recovery_) {
        AddError("Missing false expression in conditional",
                 "The conditional operator (...?...:...) requires a false expression, delimited "
                 "by a colon.",
                 RangeOf(Peek()));
      }
      recovery_ = true;
      f = Invalid(MakeRange(prev_end_, prev_end_));
    } else {
      Read();
      f = ParseExpression();
    }
    auto* c = NewExpr<ConditionalExpr>(MakeRange(cond->range.start, f->range.end));
    c->condition = cond;
    c->true_expr = t;
    c->false_expr = f;
    return c;
  }

  // Binary operator of precedence `level` (0 = ||, 5 = * / %) for token `t`, if any.
  static bool BinaryOpAt(int level, TokenType t, BinaryOp* op) {
    switch (level) {
      case 0:
        if (t == TokenType::kOr) {
          *op = BinaryOp::kOr;
          return true;
        }
        return false;
      case 1:
        if (t == TokenType::kAnd) {
          *op = BinaryOp::kAnd;
          return true;
        }
        return false;
      case 2:
        if (t == TokenType::kEqualOp) {
          *op = BinaryOp::kEqual;
          return true;
        }
        if (t == TokenType::kNotEqual) {
          *op = BinaryOp::kNotEqual;
          return true;
        }
        return false;
      case 3:
        switch (t) {
          case TokenType::kGreater:
            *op = BinaryOp::kGreater;
            return true;
          case TokenType::kGreaterEqual:
            *op = BinaryOp::kGreaterOrEqual;
            return true;
          case TokenType::kLess:
            *op = BinaryOp::kLess;
            return true;
          case TokenType::kLessEqual:
            *op = BinaryOp::kLessOrEqual;
            return true;
          default:
            return false;
        }
      case 4:
        if (t == TokenType::kPlus) {
          *op = BinaryOp::kAdd;
          return true;
        }
        if (t == TokenType::kMinus) {
          *op = BinaryOp::kSubtract;
          return true;
        }
        return false;
      case 5:
        switch (t) {
          case TokenType::kStar:
            *op = BinaryOp::kMultiply;
            return true;
          case TokenType::kSlash:
            *op = BinaryOp::kDivide;
            return true;
          case TokenType::kPercent:
            *op = BinaryOp::kModulo;
            return true;
          default:
            return false;
        }
      default:
        return false;
    }
  }

  const Expression* ParseBinary(int level) {
    if (level > 5) {
      return ParseUnary();
    }
    const Expression* lhs = ParseBinary(level + 1);
    BinaryOp op;
    while (!too_deep_ && BinaryOpAt(level, Peek().type, &op)) {
      Read();
      const Expression* rhs = ParseBinary(level + 1);
      auto* b = NewExpr<BinaryExpr>(MakeRange(lhs->range.start, rhs->range.end));
      b->op = op;
      b->lhs = lhs;
      b->rhs = rhs;
      lhs = b;
    }
    return lhs;
  }

  const Expression* ParseUnary() {
    const Token& t = Peek();
    if (t.type == TokenType::kMinus || t.type == TokenType::kBang) {
      Token op = Read();
      ++depth_;
      if (TooDeep()) {
        --depth_;
        return Invalid(RangeOf(op));
      }
      const Expression* operand = ParseUnary();
      --depth_;
      auto* u = NewExpr<UnaryExpr>(MakeRange(op.start, operand->range.end));
      u->op = op.type == TokenType::kMinus ? UnaryOp::kNegate : UnaryOp::kNot;
      u->operand = operand;
      return u;
    }
    return ParseTraversals(ParseTerm());
  }

  const Expression* ParseTerm() {
    const Token& t = Peek();
    switch (t.type) {
      case TokenType::kNumber: {
        Token n = Read();
        auto* lit = NewExpr<LiteralExpr>(RangeOf(n));
        lit->literal_kind = LiteralKind::kNumber;
        lit->number_text = n.text;
        return lit;
      }
      case TokenType::kIdent: {
        Token id = Read();
        if (id.text == "true" || id.text == "false") {
          auto* lit = NewExpr<LiteralExpr>(RangeOf(id));
          lit->literal_kind = LiteralKind::kBool;
          lit->bool_value = id.text == "true";
          return lit;
        }
        if (id.text == "null") {
          auto* lit = NewExpr<LiteralExpr>(RangeOf(id));
          lit->literal_kind = LiteralKind::kNull;
          return lit;
        }
        const Token& next = Peek();
        if (next.type == TokenType::kOParen || next.type == TokenType::kDoubleColon) {
          return ParseFunctionCall(id);
        }
        auto* v = NewExpr<VariableExpr>(RangeOf(id));
        v->name = id.text;
        return v;
      }
      case TokenType::kOParen: {
        Token open = Read();
        newlines_.push_back(false);
        const Expression* inner = ParseExpression();
        Pos end = inner->range.end;
        if (!too_deep_) {
          const Token& close = Peek();
          if (close.type == TokenType::kCParen) {
            end = Read().end;
          } else {
            if (!recovery_) {
              AddError("Unbalanced parentheses",
                       "Expected a closing parenthesis to terminate the expression.",
                       RangeOf(close));
            }
            end = Recover(TokenType::kCParen).end;
          }
        }
        newlines_.pop_back();
        auto* p = NewExpr<ParensExpr>(MakeRange(open.start, end));
        p->inner = inner;
        return p;
      }
      case TokenType::kOQuote: {
        Token open = Read();
        return ParseTemplateBody(TokenType::kCQuote, false, false, open.start);
      }
      case TokenType::kOHeredoc: {
        Token open = Read();
        return ParseTemplateBody(TokenType::kCHeredoc, true, open.strip, open.start);
      }
      case TokenType::kOBrack:
        return ParseTuple();
      case TokenType::kOBrace:
        return ParseObject();
      case TokenType::kEOF:
        if (!recovery_) {
          AddError("Missing expression",
                   "Expected the start of an expression, but found the end of the file.",
                   RangeOf(t));
        }
        recovery_ = true;
        return Invalid(RangeOf(t));
      default:
        if (!recovery_) {
          AddError("Invalid expression",
                   "Expected the start of an expression, but found an invalid expression token.",
                   RangeOf(t));
        }
        recovery_ = true;
        return Invalid(RangeOf(t));
    }
  }

  const Expression* ParseFunctionCall(const Token& first) {
    Pos name_end = first.end;
    std::string_view name = first.text;
    while (Peek().type == TokenType::kDoubleColon) {
      Read();
      if (Peek().type != TokenType::kIdent) {
        if (!recovery_) {
          AddError("Missing function name",
                   "Function scope resolution symbol :: must be followed by a function name in "
                   "this scope.",
                   RangeOf(Peek()));
        }
        recovery_ = true;
        return Invalid(MakeRange(first.start, prev_end_));
      }
      name_end = Read().end;
    }
    name = std::string_view(file_->source())
               .substr(first.start.byte, name_end.byte - first.start.byte);
    if (Peek().type != TokenType::kOParen) {
      if (!recovery_) {
        AddError("Missing open parenthesis",
                 "Function selector must be followed by an open parenthesis to begin the "
                 "function call.",
                 RangeOf(Peek()));
      }
      recovery_ = true;
      return Invalid(MakeRange(first.start, prev_end_));
    }
    Token open = Read();
    newlines_.push_back(false);
    size_t base = expr_scratch_.size();
    bool expand = false;
    Pos close_start = open.start;
    Pos close_end = open.end;
    for (;;) {
      const Token& t = Peek();
      if (t.type == TokenType::kCParen) {
        close_start = t.start;
        close_end = Read().end;
        break;
      }
      const Expression* arg = ParseExpression();
      expr_scratch_.push_back(arg);
      if (too_deep_) {
        break;
      }
      const Token& sep = Peek();
      if (sep.type == TokenType::kEllipsis) {
        Read();
        expand = true;
        if (Peek().type != TokenType::kCParen) {
          if (!recovery_) {
            AddError("Missing closing parenthesis",
                     "An expanded function argument (with ...) must be immediately followed by "
                     "closing parentheses.",
                     RangeOf(Peek()));
          }
          Token c = Recover(TokenType::kCParen);
          close_start = c.start;
          close_end = c.end;
          break;
        }
        continue;
      }
      if (sep.type == TokenType::kComma) {
        Read();
        continue;
      }
      if (sep.type == TokenType::kCParen) {
        continue;
      }
      if (recovery_) {
        // The argument's own error was reported.
      } else if (sep.type == TokenType::kEOF) {
        AddError("Unterminated function call",
                 "There is no closing parenthesis for this function call before the end of the "
                 "file. This may be caused by incorrect parenthesis nesting elsewhere in this "
                 "file.",
                 MakeRange(first.start, open.end));
      } else {
        AddError("Missing argument separator",
                 "A comma is required to separate each function argument from the next.",
                 RangeOf(sep));
      }
      Token c = Recover(TokenType::kCParen);
      close_start = c.start;
      close_end = c.end;
      break;
    }
    newlines_.pop_back();
    auto* call = NewExpr<FunctionCallExpr>(MakeRange(first.start, close_end));
    call->name = name;
    call->name_range = MakeRange(first.start, name_end);
    call->args = arena_.CopySpan<const Expression*>(
        std::span<const Expression* const>(expr_scratch_).subspan(base));
    expr_scratch_.resize(base);
    call->expand_final = expand;
    call->open_paren_range = RangeOf(open);
    call->close_paren_range = MakeRange(close_start, close_end);
    return call;
  }

  bool PeekIsKeyword(std::string_view word) {
    const Token& t = Peek();
    return t.type == TokenType::kIdent && t.text == word;
  }

  const Expression* ParseTuple() {
    Token open = Read();
    newlines_.push_back(false);
    if (PeekIsKeyword("for")) {
      const Expression* e = ParseForExpr(open, TokenType::kCBrack);
      newlines_.pop_back();
      return e;
    }
    size_t base = expr_scratch_.size();
    Pos end = open.end;
    for (;;) {
      const Token& t = Peek();
      if (t.type == TokenType::kCBrack) {
        end = Read().end;
        break;
      }
      const Expression* e = ParseExpression();
      expr_scratch_.push_back(e);
      if (too_deep_) {
        break;
      }
      const Token& sep = Peek();
      if (sep.type == TokenType::kComma) {
        Read();
        continue;
      }
      if (sep.type == TokenType::kCBrack) {
        continue;
      }
      if (!recovery_) {
        AddError("Missing item separator",
                 "Expected a comma to mark the beginning of the next item.", RangeOf(sep));
      }
      end = Recover(TokenType::kCBrack).end;
      break;
    }
    newlines_.pop_back();
    auto* tuple = NewExpr<TupleExpr>(MakeRange(open.start, end));
    tuple->elements = arena_.CopySpan<const Expression*>(
        std::span<const Expression* const>(expr_scratch_).subspan(base));
    expr_scratch_.resize(base);
    return tuple;
  }

  const Expression* ParseObject() {
    Token open = Read();
    newlines_.push_back(false);
    bool is_for = PeekIsKeyword("for");
    if (is_for) {
      const Expression* e = ParseForExpr(open, TokenType::kCBrace);
      newlines_.pop_back();
      return e;
    }
    newlines_.back() = true;
    size_t base = item_scratch_.size();
    Pos end = open.end;
    for (;;) {
      const Token* t = &Peek();
      while (t->type == TokenType::kNewline) {
        Read();
        t = &Peek();
      }
      if (t->type == TokenType::kCBrace) {
        end = Read().end;
        break;
      }
      const Expression* key = ParseExpression();
      if (too_deep_) {
        break;
      }
      const Token& eq = Peek();
      if (eq.type != TokenType::kEqual && eq.type != TokenType::kColon) {
        if (!recovery_) {
          if (eq.type == TokenType::kNewline || eq.type == TokenType::kComma) {
            AddError("Missing attribute value",
                     "Expected an attribute value, introduced by an equals sign (\"=\").",
                     RangeOf(eq));
          } else {
            AddError("Missing key/value separator",
                     "Expected an equals sign (\"=\") to mark the beginning of the attribute "
                     "value.",
                     RangeOf(eq));
          }
        }
        end = Recover(TokenType::kCBrace).end;
        break;
      }
      Read();
      const Expression* value = ParseExpression();
      item_scratch_.push_back(ObjectItem{key, value});
      if (too_deep_) {
        break;
      }
      const Token& sep = Peek();
      if (sep.type == TokenType::kComma || sep.type == TokenType::kNewline) {
        Read();
        continue;
      }
      if (sep.type == TokenType::kCBrace) {
        continue;
      }
      if (!recovery_) {
        AddError("Missing attribute separator",
                 "Expected a newline or comma to mark the beginning of the next attribute.",
                 RangeOf(sep));
      }
      end = Recover(TokenType::kCBrace).end;
      break;
    }
    newlines_.pop_back();
    auto* obj = NewExpr<ObjectExpr>(MakeRange(open.start, end));
    obj->items =
        arena_.CopySpan<ObjectItem>(std::span<const ObjectItem>(item_scratch_).subspan(base));
    item_scratch_.resize(base);
    return obj;
  }

  // `for k, v in coll : ...` after the opening bracket (`close` is its closing token).
  const Expression* ParseForExpr(const Token& open, TokenType close) {
    Read();  // for
    auto* f = NewExpr<ForExpr>(RangeOf(open));
    auto fail = [&](std::string detail) -> const Expression* {
      if (!recovery_) {
        AddError("Invalid 'for' expression", std::move(detail), RangeOf(Peek()));
      }
      Token c = Recover(close);
      f->range = MakeRange(open.start, c.end);
      if (f->collection == nullptr) {
        f->collection = Invalid(f->range);
      }
      if (f->value_expr == nullptr) {
        f->value_expr = Invalid(f->range);
      }
      if (close == TokenType::kCBrace && f->key_expr == nullptr) {
        f->key_expr = Invalid(f->range);
      }
      return f;
    };
    if (Peek().type != TokenType::kIdent) {
      return fail("For expression requires variable name after 'for'.");
    }
    f->value_var = Read().text;
    if (Peek().type == TokenType::kComma) {
      Read();
      f->key_var = f->value_var;
      if (Peek().type != TokenType::kIdent) {
        return fail("For expression requires value variable name after comma.");
      }
      f->value_var = Read().text;
    }
    if (!PeekIsKeyword("in")) {
      return fail("For expression requires the 'in' keyword after its name declarations.");
    }
    Read();
    f->collection = ParseExpression();
    if (too_deep_) {
      return f;
    }
    if (Peek().type != TokenType::kColon) {
      return fail("For expression requires a colon after the collection expression.");
    }
    Read();
    if (close == TokenType::kCBrace) {
      f->key_expr = ParseExpression();
      if (too_deep_) {
        return f;
      }
      if (Peek().type != TokenType::kFatArrow) {
        return fail("For expression requires a '=>' symbol after the key expression.");
      }
      Read();
    }
    f->value_expr = ParseExpression();
    if (too_deep_) {
      return f;
    }
    if (close == TokenType::kCBrace && Peek().type == TokenType::kEllipsis) {
      Read();
      f->grouping = true;
    }
    if (PeekIsKeyword("if")) {
      Read();
      f->condition = ParseExpression();
      if (too_deep_) {
        return f;
      }
    }
    if (Peek().type != close) {
      if (close == TokenType::kCBrack && Peek().type == TokenType::kFatArrow) {
        return fail("Key expression is not valid when building a tuple.");
      }
      if (close == TokenType::kCBrace && Peek().type == TokenType::kEllipsis) {
        return fail("Grouping ellipsis (...) cannot be used when building a tuple.");
      }
      return fail("Extra characters after the end of the 'for' expression.");
    }
    f->range = MakeRange(open.start, Read().end);
    return f;
  }

  // Attribute access, indexing and splats after a term.
  const Expression* ParseTraversals(const Expression* from) {
    for (;;) {
      if (too_deep_) {
        return from;
      }
      const Token& t = Peek();
      if (t.type == TokenType::kDot) {
        Read();
        const Token& name = Peek();
        if (name.type == TokenType::kIdent) {
          from = MakeGetAttr(from, Read());
          continue;
        }
        if (name.type == TokenType::kNumber) {
          from = MakeLegacyIndex(from, Read());
          continue;
        }
        if (name.type == TokenType::kStar) {
          Token star = Read();
          from = ParseSplat(from, MakeRange(t.start, star.end), /*full=*/false);
          continue;
        }
        if (!recovery_) {
          AddError("Invalid attribute name", "An attribute name is required after a dot.",
                   RangeOf(name));
        }
        recovery_ = true;
        return from;
      }
      if (t.type == TokenType::kOBrack) {
        Token open = Read();
        newlines_.push_back(false);
        if (Peek().type == TokenType::kStar) {
          Read();
          if (Peek().type == TokenType::kCBrack) {
            Token close = Read();
            newlines_.pop_back();
            from = ParseSplat(from, MakeRange(open.start, close.end), /*full=*/true);
            continue;
          }
          bool report = !recovery_;
          Read();
          Token c = Recover(TokenType::kCBrack);
          if (report) {
            AddError("Missing close bracket on splat index",
                     "The star for a full splat operator must be immediately followed by a "
                     "closing bracket (\"]\").",
                     RangeOf(c));
          }
          newlines_.pop_back();
          auto* bad = NewExpr<InvalidExpr>(MakeRange(from->range.start, c.end));
          return bad;
        }
        from = FinishIndex(from);
        newlines_.pop_back();
        continue;
      }
      return from;
    }
  }

  // `[key]` after the opening bracket (newlines are already ignored).
  const Expression* FinishIndex(const Expression* from) {
    ++depth_;
    if (TooDeep()) {
      --depth_;
      return from;
    }
    const Expression* key = ParseExpression();
    --depth_;
    Pos end = key->range.end;
    if (!too_deep_) {
      const Token& close = Peek();
      if (close.type == TokenType::kCBrack) {
        end = Read().end;
      } else if (recovery_) {
        end = Recover(TokenType::kCBrack).end;
      } else {
        // Like HashiCorp's parser, the error names where recovery stopped: the matching
        // `]` or the end of the file.
        Read();
        Token stop = Recover(TokenType::kCBrack);
        AddError("Missing close bracket on index",
                 "The index operator must end with a closing bracket (\"]\").", RangeOf(stop));
        end = stop.end;
      }
    }
    auto* index = NewExpr<IndexExpr>(MakeRange(from->range.start, end));
    index->collection = from;
    index->key = key;
    return index;
  }

  const Expression* MakeGetAttr(const Expression* from, const Token& name) {
    auto* g = NewExpr<GetAttrExpr>(MakeRange(from->range.start, name.end));
    g->object = from;
    g->name = name.text;
    g->name_range = RangeOf(name);
    return g;
  }

  const Expression* MakeLegacyIndex(const Expression* from, const Token& number) {
    if (number.text.find_first_not_of("0123456789") != std::string_view::npos) {
      // `a.0.1` lexes as `a` `.` `0.1`.
      size_t dot = number.text.find('.');
      if (!recovery_) {
        AddError("Invalid legacy index syntax",
                 "When using the legacy index syntax, chaining two indexes together is not "
                 "permitted. Use the proper index syntax instead, like [" +
                     std::string(number.text.substr(0, dot)) + "][" +
                     std::string(dot == std::string_view::npos ? "" : number.text.substr(dot + 1)) +
                     "].",
                 RangeOf(number));
      }
      recovery_ = true;
    }
    return MakeIndexStep(from, number);
  }

  // `from.N` as an index step (no checks).
  const Expression* MakeIndexStep(const Expression* from, const Token& number) {
    auto* key = NewExpr<LiteralExpr>(RangeOf(number));
    key->literal_kind = LiteralKind::kNumber;
    key->number_text = number.text;
    auto* index = NewExpr<IndexExpr>(MakeRange(from->range.start, number.end));
    index->collection = from;
    index->key = key;
    index->legacy_dot = true;
    return index;
  }

  // The traversal steps after `[*]` or `.*`, applied to each element of `source`.
  //
  // A full splat (`[*]`) takes every following step, including further splats (nested:
  // `x[*].y[*].z` makes a list of lists). An attribute-only splat (`.*`) takes only `.name`
  // and legacy `.0` steps; what follows applies to its result (`x.*.y[0]` is `(x.*.y)[0]`).
  const Expression* ParseSplat(const Expression* source, const Range& op_range, bool full) {
    auto* item = NewExpr<SplatItemExpr>(op_range);
    const Expression* each = item;
    if (full) {
      ++depth_;
      if (!TooDeep()) {
        each = ParseTraversals(item);
      }
      --depth_;
    } else {
      // HashiCorp's parser reports errors inside `.*` steps at the star.
      const Range star = MakeRange(
          Pos{op_range.end.line, op_range.end.column - 1, op_range.end.byte - 1}, op_range.end);
      while (!too_deep_ && Peek().type == TokenType::kDot) {
        Read();
        const Token& name = Peek();
        if (name.type == TokenType::kIdent) {
          each = MakeGetAttr(each, Read());
          continue;
        }
        if (name.type == TokenType::kNumber) {
          Token number = Read();
          if (number.text.find_first_not_of("0123456789") != std::string_view::npos) {
            size_t dot = number.text.find('.');
            if (!recovery_) {
              AddError(
                  "Invalid legacy index syntax",
                  "When using the legacy index syntax, chaining two indexes together is not "
                  "permitted. Use the proper index syntax with a full splat expression [*] "
                  "instead, like [" +
                      std::string(number.text.substr(0, dot)) + "][" +
                      std::string(dot == std::string_view::npos ? std::string_view()
                                                                : number.text.substr(dot + 1)) +
                      "].",
                  star);
            }
            recovery_ = true;
          }
          each = MakeIndexStep(each, number);
          continue;
        }
        if (!recovery_) {
          if (name.type == TokenType::kStar) {
            AddError("Nested splat expression not allowed",
                     "A splat expression (*) cannot be used inside another attribute-only splat "
                     "expression.",
                     RangeOf(name));
          } else {
            AddError("Invalid attribute name", "An attribute name is required after a dot.", star);
          }
        }
        recovery_ = true;
        break;
      }
    }
    Pos end = each == item ? op_range.end : each->range.end;
    auto* splat = NewExpr<SplatExpr>(MakeRange(source->range.start, end));
    splat->source = source;
    splat->each = each;
    splat->item = item;
    splat->full = full;
    return splat;
  }

  File* file_;
  Arena& arena_;
  std::string_view filename_;
  Lexer lexer_;
  Token cur_;
  bool have_ = false;
  Pos prev_end_;
  std::vector<bool> newlines_;
  Diagnostics diags_;
  bool recovery_ = false;
  bool too_deep_ = false;
  int depth_ = 0;
  int template_depth_ = 0;  // Nesting of BuildTemplate (directives inside directives).

  std::vector<const Attribute*> attr_scratch_;
  std::vector<const Block*> block_scratch_;
  std::vector<BlockLabel> label_scratch_;
  std::vector<const Expression*> expr_scratch_;
  std::vector<ObjectItem> item_scratch_;
  std::vector<FlatPart> flat_scratch_;
  std::vector<const TemplatePart*> part_scratch_;
  std::unordered_map<size_t, std::unordered_map<std::string_view, const Attribute*>>
      big_body_index_;
};

}  // namespace

ParseResult Parse(std::string source, std::string filename) {
  ParseResult result;
  result.file = std::make_unique<File>(std::move(filename), std::move(source));
  Parser parser(result.file.get(), Lexer::Start::kConfig);
  result.file->set_body(parser.ParseFileBody());
  result.diagnostics = parser.TakeDiagnostics();
  return result;
}

ParseResult ParseExpression(std::string source, std::string filename) {
  ParseResult result;
  result.file = std::make_unique<File>(std::move(filename), std::move(source));
  Parser parser(result.file.get(), Lexer::Start::kConfig);
  result.file->set_expression(parser.ParseWholeExpression());
  result.diagnostics = parser.TakeDiagnostics();
  return result;
}

ParseResult ParseTemplate(std::string source, std::string filename) {
  ParseResult result;
  result.file = std::make_unique<File>(std::move(filename), std::move(source));
  Parser parser(result.file.get(), Lexer::Start::kTemplate);
  result.file->set_expression(parser.ParseWholeTemplate());
  result.diagnostics = parser.TakeDiagnostics();
  return result;
}

}  // namespace cf::hcl
