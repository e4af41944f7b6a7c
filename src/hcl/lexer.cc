#include "hcl/lexer.h"

#include <cstdint>
#include <cstring>

namespace cf::hcl {

namespace {

inline bool IsAsciiIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

inline bool IsAsciiIdentContinue(unsigned char c) {
  return IsAsciiIdentStart(c) || (c >= '0' && c <= '9') || c == '-';
}

// An approximation of Unicode's ID_Continue for non-ASCII code points, without tables:
// letters, marks and digits of every script are accepted; the punctuation and symbol blocks,
// spaces, private use, specials (U+FFFD) and emoji are not.
bool IsNonAsciiIdentCodePoint(uint32_t cp) {
  if (cp < 0xC0) {
    return cp == 0xAA || cp == 0xB5 || cp == 0xB7 || cp == 0xBA;
  }
  if (cp == 0xD7 || cp == 0xF7) {
    return false;
  }
  if (cp >= 0x2000 && cp <= 0x2BFF) {
    return cp == 0x203F || cp == 0x2040 || cp == 0x2054 || cp == 0x2071 || cp == 0x207F ||
           (cp >= 0x2090 && cp <= 0x209C) || (cp >= 0x20D0 && cp <= 0x20F0) ||
           (cp >= 0x2102 && cp <= 0x214F) || (cp >= 0x2160 && cp <= 0x2188);
  }
  if ((cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x3004) ||
      (cp >= 0x3008 && cp <= 0x3020) || (cp >= 0xD800 && cp <= 0xF8FF) ||
      (cp >= 0xFE10 && cp <= 0xFE1F) || (cp >= 0xFE30 && cp <= 0xFE6F) ||
      (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
      (cp >= 0xFF3B && cp <= 0xFF40 && cp != 0xFF3F) || (cp >= 0xFF5B && cp <= 0xFF65) ||
      (cp >= 0xFFF0 && cp <= 0xFFFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xF0000) ||
      (cp >= 0xE0000 && (cp < 0xE0100 || cp > 0xE01EF))) {
    return false;
  }
  return true;
}

// The length of the identifier character at s[i] (0 when there is none there).
size_t IdentCharLength(std::string_view s, size_t i, bool start) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    return (start ? IsAsciiIdentStart(c) : IsAsciiIdentContinue(c)) ? 1 : 0;
  }
  size_t len;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) {
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (start && cp == 0xB7) {
    return 0;
  }
  return IsNonAsciiIdentCodePoint(cp) ? len : 0;
}

inline bool IsDigit(unsigned char c) {
  return c >= '0' && c <= '9';
}

// Length of the UTF-8 sequence starting with `c` (1 for invalid lead bytes).
inline size_t Utf8Length(unsigned char c) {
  if (c < 0xC0) {
    return 1;
  }
  if (c < 0xE0) {
    return 2;
  }
  if (c < 0xF0) {
    return 3;
  }
  return 4;
}

// The offset of the first byte that is not part of valid UTF-8, or npos.
size_t FindInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t chunk;
      std::memcpy(&chunk, p + i, 8);
      if ((chunk & 0x8080808080808080ULL) != 0) {
        break;
      }
      i += 8;
    }
    if (i >= n) {
      break;
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) {
      return i;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) {
        return i;
      }
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view TokenTypeName(TokenType type) {
  switch (type) {
    case TokenType::kEOF:
      return "end of file";
    case TokenType::kNewline:
      return "newline";
    case TokenType::kIdent:
      return "identifier";
    case TokenType::kNumber:
      return "number";
    case TokenType::kOBrace:
      return "'{'";
    case TokenType::kCBrace:
      return "'}'";
    case TokenType::kOBrack:
      return "'['";
    case TokenType::kCBrack:
      return "']'";
    case TokenType::kOParen:
      return "'('";
    case TokenType::kCParen:
      return "')'";
    case TokenType::kEqual:
      return "'='";
    case TokenType::kColon:
      return "':'";
    case TokenType::kDoubleColon:
      return "'::'";
    case TokenType::kComma:
      return "','";
    case TokenType::kDot:
      return "'.'";
    case TokenType::kEllipsis:
      return "'...'";
    case TokenType::kQuestion:
      return "'?'";
    case TokenType::kFatArrow:
      return "'=>'";
    case TokenType::kPlus:
      return "'+'";
    case TokenType::kMinus:
      return "'-'";
    case TokenType::kStar:
      return "'*'";
    case TokenType::kSlash:
      return "'/'";
    case TokenType::kPercent:
      return "'%'";
    case TokenType::kBang:
      return "'!'";
    case TokenType::kEqualOp:
      return "'=='";
    case TokenType::kNotEqual:
      return "'!='";
    case TokenType::kLess:
      return "'<'";
    case TokenType::kLessEqual:
      return "'<='";
    case TokenType::kGreater:
      return "'>'";
    case TokenType::kGreaterEqual:
      return "'>='";
    case TokenType::kAnd:
      return "'&&'";
    case TokenType::kOr:
      return "'||'";
    case TokenType::kOQuote:
      return "opening quote";
    case TokenType::kCQuote:
      return "closing quote";
    case TokenType::kQuotedLit:
      return "string";
    case TokenType::kQuotedNewline:
      return "newline in string";
    case TokenType::kOHeredoc:
      return "heredoc";
    case TokenType::kCHeredoc:
      return "heredoc end marker";
    case TokenType::kStringLit:
      return "string";
    case TokenType::kTemplateInterp:
      return "'${'";
    case TokenType::kTemplateControl:
      return "'%{'";
    case TokenType::kTemplateSeqEnd:
      return "'}'";
    case TokenType::kInvalid:
      return "invalid character";
  }
  return "token";
}

Lexer::Lexer(std::string_view source, std::string_view filename, Start start)
    : src_(source), filename_(filename) {
  modes_.reserve(16);
  if (start == Start::kTemplate) {
    modes_.push_back(Mode{ModeKind::kBareTemplate});
  } else {
    modes_.push_back(Mode{ModeKind::kNormal});
  }
  // A UTF-8 byte order mark is not part of the text.
  if (src_.size() >= 3 && static_cast<unsigned char>(src_[0]) == 0xEF &&
      static_cast<unsigned char>(src_[1]) == 0xBB && static_cast<unsigned char>(src_[2]) == 0xBF) {
    pos_ = 3;
    line_start_ = 3;
    col_byte_ = 3;
  }
  size_t bad = FindInvalidUtf8(src_);
  if (bad != std::string_view::npos) {
    // Reported once, at the first bad byte; lexing goes on regardless.
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < bad; ++i) {
      if (src_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    int column = 1;
    for (size_t i = line_start; i < bad; ++i) {
      column += (static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80;
    }
    Pos bad_start{line, column, static_cast<int>(bad)};
    Pos bad_end{line, column + 1, static_cast<int>(bad) + 1};
    diags_.AddError("Invalid character encoding",
                    "All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is "
                    "selected in your editor.",
                    Range{filename_, bad_start, bad_end});
  }
}

Pos Lexer::PosAt(size_t byte) {
  if (byte < col_byte_ || col_byte_ < line_start_) {
    col_byte_ = line_start_;
    col_cont_ = 0;
  }
  const char* s = src_.data();
  for (; col_byte_ < byte; ++col_byte_) {
    col_cont_ += (static_cast<unsigned char>(s[col_byte_]) & 0xC0) == 0x80;
  }
  return Pos{line_, static_cast<int>(byte - line_start_) + 1 - col_cont_, static_cast<int>(byte)};
}

void Lexer::AdvanceLine(size_t newline_byte) {
  ++line_;
  line_start_ = newline_byte + 1;
  col_byte_ = line_start_;
  col_cont_ = 0;
}

Token Lexer::Make(TokenType type, size_t begin) {
  Token t;
  t.type = type;
  t.start = PosAt(begin);
  t.end = PosAt(pos_);
  t.text = src_.substr(begin, pos_ - begin);
  return t;
}

void Lexer::Error(std::string summary, std::string detail, size_t begin, size_t end) {
  Range r{filename_, PosAt(begin), PosAt(end)};
  diags_.AddError(std::move(summary), std::move(detail), r);
}

Token Lexer::Next() {
  switch (modes_.back().kind) {
    case ModeKind::kNormal:
      return NextNormal();
    case ModeKind::kQuoted:
      return NextQuoted();
    case ModeKind::kHeredoc:
      return NextHeredoc();
    case ModeKind::kBareTemplate:
      return NextBareTemplate();
  }
  return Make(TokenType::kEOF, pos_);
}

Token Lexer::LexTemplateOpener(size_t begin, TokenType type) {
  pos_ = begin + 2;
  bool strip = false;
  if (pos_ < src_.size() && src_[pos_] == '~') {
    strip = true;
    ++pos_;
  }
  modes_.push_back(Mode{ModeKind::kNormal});
  Token t = Make(type, begin);
  t.strip = strip;
  return t;
}

bool Lexer::TryHeredocStart(size_t begin, Token* out) {
  // begin points at "<<".
  size_t p = begin + 2;
  bool flush = false;
  if (p < src_.size() && src_[p] == '-') {
    flush = true;
    ++p;
  }
  size_t len = p < src_.size() ? IdentCharLength(src_, p, /*start=*/true) : 0;
  if (len == 0) {
    return false;
  }
  size_t id_begin = p;
  p += len;
  while (p < src_.size() && (len = IdentCharLength(src_, p, /*start=*/false)) > 0) {
    p += len;
  }
  size_t id_end = p;
  if (p < src_.size() && src_[p] == '\r') {
    ++p;
  }
  if (p >= src_.size() || src_[p] != '\n') {
    return false;
  }
  Token t;
  t.type = TokenType::kOHeredoc;
  t.strip = flush;
  t.start = PosAt(begin);
  t.text = src_.substr(begin, p + 1 - begin);
  pos_ = p + 1;
  AdvanceLine(p);
  t.end = PosAt(pos_);
  Mode m{ModeKind::kHeredoc};
  m.flush = flush;
  m.line_start = true;
  m.marker = src_.substr(id_begin, id_end - id_begin);
  modes_.push_back(m);
  *out = t;
  return true;
}

Token Lexer::NextNormal() {
  const char* s = src_.data();
  const size_t n = src_.size();
  for (;;) {
    while (pos_ < n && (s[pos_] == ' ' || s[pos_] == '\t')) {
      ++pos_;
    }
    if (pos_ >= n) {
      return Make(TokenType::kEOF, pos_);
    }
    const size_t begin = pos_;
    const unsigned char c = static_cast<unsigned char>(s[pos_]);
    const unsigned char c1 = pos_ + 1 < n ? static_cast<unsigned char>(s[pos_ + 1]) : 0;
    switch (c) {
      case '\r':
        if (c1 != '\n') {
          break;  // A lone carriage return is not part of the language.
        }
        [[fallthrough]];
      case '\n': {
        Token t;
        t.type = TokenType::kNewline;
        t.start = PosAt(begin);
        size_t nl = c == '\r' ? pos_ + 1 : pos_;
        pos_ = nl + 1;
        AdvanceLine(nl);
        t.end = PosAt(pos_);
        t.text = src_.substr(begin, pos_ - begin);
        return t;
      }
      case '#':
      case '/': {
        if (c == '/' && c1 == '*') {
          const char* close = nullptr;
          size_t p = pos_ + 2;
          while (p + 1 < n) {
            const void* star = std::memchr(s + p, '*', n - p - 1);
            if (star == nullptr) {
              break;
            }
            size_t q = static_cast<const char*>(star) - s;
            if (s[q + 1] == '/') {
              close = s + q;
              break;
            }
            p = q + 1;
          }
          size_t end = close != nullptr ? (close - s) + 2 : n;
          if (close == nullptr) {
            // Not a comment after all (as in HashiCorp's scanner): `/` then `*` ...
            ++pos_;
            return Make(TokenType::kSlash, begin);
          }
          // Track lines inside the comment.
          for (size_t i = pos_; i < end; ++i) {
            if (s[i] == '\n') {
              AdvanceLine(i);
            }
          }
          pos_ = end;
          continue;
        }
        if (c == '#' || c1 == '/') {
          const void* nl = std::memchr(s + pos_, '\n', n - pos_);
          if (nl == nullptr) {
            // A comment at the end of the file with no newline.
            pos_ = n;
            continue;
          }
          Token t;
          t.type = TokenType::kNewline;
          t.start = PosAt(begin);
          size_t nlb = static_cast<const char*>(nl) - s;
          pos_ = nlb + 1;
          AdvanceLine(nlb);
          t.end = PosAt(pos_);
          t.text = src_.substr(begin, pos_ - begin);
          return t;
        }
        ++pos_;
        return Make(TokenType::kSlash, begin);
      }
      case '{':
        ++pos_;
        if (modes_.size() > 1) {
          ++modes_.back().brace_depth;
        }
        return Make(TokenType::kOBrace, begin);
      case '}':
        ++pos_;
        if (modes_.size() > 1) {
          if (modes_.back().brace_depth == 0) {
            modes_.pop_back();
            return Make(TokenType::kTemplateSeqEnd, begin);
          }
          --modes_.back().brace_depth;
        }
        return Make(TokenType::kCBrace, begin);
      case '~':
        // `~}` is always a sequence end (as in HashiCorp's scanner); outside a template
        // sequence the parser rejects it.
        if (c1 == '}') {
          pos_ += 2;
          if (modes_.size() > 1) {
            if (modes_.back().brace_depth == 0) {
              modes_.pop_back();
            } else {
              --modes_.back().brace_depth;
            }
          }
          Token t = Make(TokenType::kTemplateSeqEnd, begin);
          t.strip = true;
          return t;
        }
        break;
      case '[':
        ++pos_;
        return Make(TokenType::kOBrack, begin);
      case ']':
        ++pos_;
        return Make(TokenType::kCBrack, begin);
      case '(':
        ++pos_;
        return Make(TokenType::kOParen, begin);
      case ')':
        ++pos_;
        return Make(TokenType::kCParen, begin);
      case ',':
        ++pos_;
        return Make(TokenType::kComma, begin);
      case '?':
        ++pos_;
        return Make(TokenType::kQuestion, begin);
      case '+':
        ++pos_;
        return Make(TokenType::kPlus, begin);
      case '-':
        ++pos_;
        return Make(TokenType::kMinus, begin);
      case '*':
        ++pos_;
        return Make(TokenType::kStar, begin);
      case '%':
        ++pos_;
        return Make(TokenType::kPercent, begin);
      case '.':
        if (c1 == '.' && pos_ + 2 < n && s[pos_ + 2] == '.') {
          pos_ += 3;
          return Make(TokenType::kEllipsis, begin);
        }
        ++pos_;
        return Make(TokenType::kDot, begin);
      case ':':
        if (c1 == ':') {
          pos_ += 2;
          return Make(TokenType::kDoubleColon, begin);
        }
        ++pos_;
        return Make(TokenType::kColon, begin);
      case '=':
        if (c1 == '=') {
          pos_ += 2;
          return Make(TokenType::kEqualOp, begin);
        }
        if (c1 == '>') {
          pos_ += 2;
          return Make(TokenType::kFatArrow, begin);
        }
        ++pos_;
        return Make(TokenType::kEqual, begin);
      case '!':
        if (c1 == '=') {
          pos_ += 2;
          return Make(TokenType::kNotEqual, begin);
        }
        ++pos_;
        return Make(TokenType::kBang, begin);
      case '<': {
        if (c1 == '<') {
          Token t;
          if (TryHeredocStart(begin, &t)) {
            return t;
          }
        }
        if (c1 == '=') {
          pos_ += 2;
          return Make(TokenType::kLessEqual, begin);
        }
        ++pos_;
        return Make(TokenType::kLess, begin);
      }
      case '>':
        if (c1 == '=') {
          pos_ += 2;
          return Make(TokenType::kGreaterEqual, begin);
        }
        ++pos_;
        return Make(TokenType::kGreater, begin);
      case '&':
        if (c1 == '&') {
          pos_ += 2;
          return Make(TokenType::kAnd, begin);
        }
        break;
      case '|':
        if (c1 == '|') {
          pos_ += 2;
          return Make(TokenType::kOr, begin);
        }
        break;
      case '"':
        ++pos_;
        modes_.push_back(Mode{ModeKind::kQuoted});
        return Make(TokenType::kOQuote, begin);
      default:
        break;
    }
    if (IsDigit(c)) {
      ++pos_;
      while (pos_ < n && IsDigit(static_cast<unsigned char>(s[pos_]))) {
        ++pos_;
      }
      {
        if (pos_ + 1 < n && s[pos_] == '.' && IsDigit(static_cast<unsigned char>(s[pos_ + 1]))) {
          pos_ += 2;
          while (pos_ < n && IsDigit(static_cast<unsigned char>(s[pos_]))) {
            ++pos_;
          }
        }
        if (pos_ < n && (s[pos_] == 'e' || s[pos_] == 'E')) {
          size_t p = pos_ + 1;
          if (p < n && (s[p] == '+' || s[p] == '-')) {
            ++p;
          }
          if (p < n && IsDigit(static_cast<unsigned char>(s[p]))) {
            pos_ = p + 1;
            while (pos_ < n && IsDigit(static_cast<unsigned char>(s[pos_]))) {
              ++pos_;
            }
          }
        }
      }
      return Make(TokenType::kNumber, begin);
    }
    if (size_t len = IdentCharLength(src_, pos_, /*start=*/true); len > 0) {
      pos_ += len;
      while (pos_ < n) {
        unsigned char d = static_cast<unsigned char>(s[pos_]);
        if (IsAsciiIdentContinue(d)) {
          ++pos_;
        } else if (d >= 0x80 && (len = IdentCharLength(src_, pos_, /*start=*/false)) > 0) {
          pos_ += len;
        } else {
          break;
        }
      }
      return Make(TokenType::kIdent, begin);
    }
    // Anything else is not part of the language.
    pos_ += Utf8Length(c);
    if (pos_ > n) {
      pos_ = n;
    }
    if (c == '\'') {
      Error("Invalid character",
            "Single quotes are not valid. Use double quotes (\") to enclose strings.", begin, pos_);
    } else {
      Error("Invalid character", "This character is not used within the language.", begin, pos_);
    }
    return Make(TokenType::kInvalid, begin);
  }
}

Token Lexer::NextQuoted() {
  const char* s = src_.data();
  const size_t n = src_.size();
  const size_t begin = pos_;
  size_t p = pos_;
  while (p < n) {
    const char c = s[p];
    if (c == '"' || c == '\n' || (c == '\r' && p + 1 < n && s[p + 1] == '\n')) {
      break;
    }
    if (c == '\r') {
      // A lone carriage return: not a new line, but not allowed in a quoted string either.
      diags_.AddError("Invalid multi-line string",
                      "Quoted strings may not contain a carriage return. Use the \\r escape.",
                      Range{filename_, PosAt(p), PosAt(p + 1)});
    }
    if (c == '\\') {
      p += (p + 1 < n && s[p + 1] != '\n') ? 2 : 1;
      continue;
    }
    if ((c == '$' || c == '%') && p + 1 < n) {
      if (s[p + 1] == '{') {
        break;
      }
      if (s[p + 1] == c && p + 2 < n && s[p + 2] == '{') {
        p += 3;
        continue;
      }
    }
    ++p;
  }
  if (p > n) {
    p = n;
  }
  if (p > begin) {
    pos_ = p;
    return Make(TokenType::kQuotedLit, begin);
  }
  if (p >= n) {
    return Make(TokenType::kEOF, pos_);
  }
  const char c = s[p];
  if (c == '"') {
    ++pos_;
    modes_.pop_back();
    return Make(TokenType::kCQuote, begin);
  }
  if (c == '\n' || c == '\r') {
    // A quoted string ends at the end of its line: almost always its closing quote is
    // missing, and reading on would pair every later quote with the wrong one (an error per
    // line for the rest of the file). The newline itself is left for the normal mode.
    Token t;
    t.type = TokenType::kQuotedNewline;
    t.start = PosAt(p);
    t.end = t.start;
    t.text = src_.substr(p, 0);
    modes_.pop_back();
    diags_.AddError(
        "Invalid multi-line string",
        "The string has no closing quote on its line, and quoted strings may not be split over "
        "multiple lines. To produce a multi-line string, either use the \\n escape to represent "
        "a newline character or use the \"heredoc\" multi-line template syntax.",
        Range{filename_, t.start, t.end});
    return t;
  }
  return LexTemplateOpener(begin,
                           c == '$' ? TokenType::kTemplateInterp : TokenType::kTemplateControl);
}

Token Lexer::NextHeredoc() {
  const char* s = src_.data();
  const size_t n = src_.size();
  Mode& mode = modes_.back();
  const size_t begin = pos_;
  if (pos_ >= n) {
    return Make(TokenType::kEOF, pos_);
  }
  if (mode.line_start) {
    mode.line_start = false;
    // Is this line the closing marker (surrounding whitespace allowed)?
    size_t p = pos_;
    while (p < n && (s[p] == ' ' || s[p] == '\t')) {
      ++p;
    }
    if (n - p >= mode.marker.size() &&
        std::memcmp(s + p, mode.marker.data(), mode.marker.size()) == 0) {
      size_t q = p + mode.marker.size();
      size_t r = q;
      while (r < n && (s[r] == ' ' || s[r] == '\t' || s[r] == '\r')) {
        ++r;
      }
      if (r >= n || s[r] == '\n') {
        pos_ = q;
        Token t = Make(TokenType::kCHeredoc, begin);
        pos_ = r;  // Trailing spaces are dropped; the newline is lexed normally.
        modes_.pop_back();
        return t;
      }
    }
  }
  size_t p = pos_;
  while (p < n) {
    const char c = s[p];
    if (c == '\n') {
      // The literal includes its newline; the next token starts a line.
      Token t;
      t.type = TokenType::kStringLit;
      t.start = PosAt(begin);
      pos_ = p + 1;
      AdvanceLine(p);
      t.end = PosAt(pos_);
      t.text = src_.substr(begin, pos_ - begin);
      mode.line_start = true;
      return t;
    }
    if ((c == '$' || c == '%') && p + 1 < n) {
      if (s[p + 1] == '{') {
        if (p > begin) {
          break;
        }
        return LexTemplateOpener(
            begin, c == '$' ? TokenType::kTemplateInterp : TokenType::kTemplateControl);
      }
      if (s[p + 1] == c && p + 2 < n && s[p + 2] == '{') {
        p += 3;
        continue;
      }
    }
    ++p;
  }
  pos_ = p;
  return Make(TokenType::kStringLit, begin);
}

Token Lexer::NextBareTemplate() {
  const char* s = src_.data();
  const size_t n = src_.size();
  const size_t begin = pos_;
  if (pos_ >= n) {
    return Make(TokenType::kEOF, pos_);
  }
  size_t p = pos_;
  while (p < n) {
    const char c = s[p];
    if (c == '\n') {
      AdvanceLine(p);
    } else if ((c == '$' || c == '%') && p + 1 < n) {
      if (s[p + 1] == '{') {
        if (p > begin) {
          break;
        }
        return LexTemplateOpener(
            begin, c == '$' ? TokenType::kTemplateInterp : TokenType::kTemplateControl);
      }
      if (s[p + 1] == c && p + 2 < n && s[p + 2] == '{') {
        p += 3;
        continue;
      }
    }
    ++p;
  }
  // The start position must be computed on the token's first line.
  Token t;
  t.type = TokenType::kStringLit;
  t.text = src_.substr(begin, p - begin);
  pos_ = p;
  t.end = PosAt(pos_);
  t.start = t.end;  // Fixed up below.
  {
    // Recompute the start: count lines and columns from the token's beginning.
    int line = t.end.line;
    for (size_t i = begin; i < p; ++i) {
      if (s[i] == '\n') {
        --line;
      }
    }
    size_t ls = begin;
    while (ls > 0 && s[ls - 1] != '\n') {
      --ls;
    }
    int col = 1;
    for (size_t i = ls; i < begin; ++i) {
      col += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    }
    t.start = Pos{line, col, static_cast<int>(begin)};
  }
  return t;
}

}  // namespace cf::hcl
