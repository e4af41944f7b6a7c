#include "hcl/lexer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cf::hcl {
namespace {

using ::testing::ElementsAre;
using T = TokenType;

std::vector<Token> Lex(std::string_view src, Lexer::Start start = Lexer::Start::kConfig) {
  Lexer lexer(src, "test.tf", start);
  std::vector<Token> out;
  for (int i = 0; i < 1000; ++i) {
    Token t = lexer.Next();
    out.push_back(t);
    if (t.type == T::kEOF) {
      break;
    }
  }
  return out;
}

std::vector<T> Types(std::string_view src) {
  std::vector<T> out;
  for (const Token& t : Lex(src)) {
    out.push_back(t.type);
  }
  return out;
}

std::vector<std::string> Texts(std::string_view src) {
  std::vector<std::string> out;
  for (const Token& t : Lex(src)) {
    out.emplace_back(t.text);
  }
  return out;
}

TEST(LexerTest, AttributeTokens) {
  EXPECT_THAT(Types("a = 1\n"),
              ElementsAre(T::kIdent, T::kEqual, T::kNumber, T::kNewline, T::kEOF));
  EXPECT_THAT(Texts("foo-bar_2 = x"), ElementsAre("foo-bar_2", "=", "x", ""));
}

TEST(LexerTest, OperatorsAndDelimiters) {
  EXPECT_THAT(Types("+ - * / % && || ! == != < <= > >= ? : :: => ... . , ( ) [ ] { }"),
              ElementsAre(T::kPlus, T::kMinus, T::kStar, T::kSlash, T::kPercent, T::kAnd, T::kOr,
                          T::kBang, T::kEqualOp, T::kNotEqual, T::kLess, T::kLessEqual, T::kGreater,
                          T::kGreaterEqual, T::kQuestion, T::kColon, T::kDoubleColon, T::kFatArrow,
                          T::kEllipsis, T::kDot, T::kComma, T::kOParen, T::kCParen, T::kOBrack,
                          T::kCBrack, T::kOBrace, T::kCBrace, T::kEOF));
}

TEST(LexerTest, Numbers) {
  EXPECT_THAT(Texts("1 1.5 1e3 2.5E-2 7e+1"), ElementsAre("1", "1.5", "1e3", "2.5E-2", "7e+1", ""));
  // A dot not followed by a digit is not part of the number.
  EXPECT_THAT(Texts("1.x"), ElementsAre("1", ".", "x", ""));
  // As in HashiCorp's scanner, `a.0.1` is `a` `.` `0.1` (the parser rejects it).
  EXPECT_THAT(Texts("a.0.1"), ElementsAre("a", ".", "0.1", ""));
}

TEST(LexerTest, CommentsActAsNewlinesOrSpace) {
  EXPECT_THAT(
      Types("a # c\nb // d\nc /* e */ d"),
      ElementsAre(T::kIdent, T::kNewline, T::kIdent, T::kNewline, T::kIdent, T::kIdent, T::kEOF));
  std::vector<Token> toks = Lex("a # comment\nb");
  EXPECT_EQ(toks[1].text, "# comment\n");
  // A block comment spanning lines is skipped, but lines are still counted.
  toks = Lex("/* one\ntwo */ x");
  EXPECT_EQ(toks[0].start.line, 2);
  EXPECT_EQ(toks[0].start.column, 8);
}

TEST(LexerTest, PositionsCountCodePoints) {
  std::vector<Token> toks = Lex("a = \"héllo\" b\nc");
  // a = " héllo " b
  EXPECT_EQ(toks[5].type, T::kIdent);
  EXPECT_EQ(toks[5].text, "b");
  EXPECT_EQ(toks[5].start.column, 13);
  EXPECT_EQ(toks[5].start.byte, 13);
  EXPECT_EQ(toks[7].start.line, 2);
  EXPECT_EQ(toks[7].start.column, 1);
}

TEST(LexerTest, QuotedTemplate) {
  EXPECT_THAT(Types("\"a${b}c%{if x}d\""),
              ElementsAre(T::kOQuote, T::kQuotedLit, T::kTemplateInterp, T::kIdent,
                          T::kTemplateSeqEnd, T::kQuotedLit, T::kTemplateControl, T::kIdent,
                          T::kIdent, T::kTemplateSeqEnd, T::kQuotedLit, T::kCQuote, T::kEOF));
}

TEST(LexerTest, EscapedQuoteAndTemplateEscapesStayInLiteral) {
  EXPECT_THAT(Texts(R"("a\"b$${c}%%{d}")"), ElementsAre("\"", R"(a\"b$${c}%%{d})", "\"", ""));
}

TEST(LexerTest, BracesInsideInterpolationAreCounted) {
  EXPECT_THAT(Types("\"${ {a=1} }\""),
              ElementsAre(T::kOQuote, T::kTemplateInterp, T::kOBrace, T::kIdent, T::kEqual,
                          T::kNumber, T::kCBrace, T::kTemplateSeqEnd, T::kCQuote, T::kEOF));
}

TEST(LexerTest, StripMarkers) {
  std::vector<Token> toks = Lex("\"${~ a ~}\"");
  EXPECT_EQ(toks[1].type, T::kTemplateInterp);
  EXPECT_TRUE(toks[1].strip);
  EXPECT_EQ(toks[3].type, T::kTemplateSeqEnd);
  EXPECT_TRUE(toks[3].strip);
}

TEST(LexerTest, NestedStringsInInterpolation) {
  EXPECT_THAT(
      Types("\"${f(\"x\")}\""),
      ElementsAre(T::kOQuote, T::kTemplateInterp, T::kIdent, T::kOParen, T::kOQuote, T::kQuotedLit,
                  T::kCQuote, T::kCParen, T::kTemplateSeqEnd, T::kCQuote, T::kEOF));
}

TEST(LexerTest, Heredoc) {
  EXPECT_THAT(Texts("x = <<EOT\nhello ${a}\n  EOT\n"),
              ElementsAre("x", "=", "<<EOT\n", "hello ", "${", "a", "}", "\n", "  EOT", "\n", ""));
  std::vector<Token> toks = Lex("<<-EOT\n  a\n  EOT\n");
  EXPECT_EQ(toks[0].type, T::kOHeredoc);
  EXPECT_TRUE(toks[0].strip);
}

TEST(LexerTest, HeredocMarkerMustStandAlone) {
  // "EOT2" and "EOT x" are not the marker; "EOT" followed by spaces is.
  EXPECT_THAT(Texts("<<EOT\nEOT2\nEOT x\nEOT  \n"),
              ElementsAre("<<EOT\n", "EOT2\n", "EOT x\n", "EOT", "\n", ""));
}

TEST(LexerTest, LessLessWithoutMarkerIsTwoLessThans) {
  EXPECT_THAT(Types("<< EOT\n"), ElementsAre(T::kLess, T::kLess, T::kIdent, T::kNewline, T::kEOF));
}

// A quoted string ends with its line (its closing quote is missing), so the next line is
// read as it was written rather than as the inside of a string.
TEST(LexerTest, NewlineEndsAQuotedStringWithOneDiagnostic) {
  Lexer lexer("a = \"ab\ncd = \"x\"", "test.tf");
  std::vector<T> types;
  for (Token t = lexer.Next(); t.type != T::kEOF; t = lexer.Next()) {
    types.push_back(t.type);
  }
  EXPECT_THAT(
      types, ElementsAre(T::kIdent, T::kEqual, T::kOQuote, T::kQuotedLit, T::kQuotedNewline,
                         T::kNewline, T::kIdent, T::kEqual, T::kOQuote, T::kQuotedLit, T::kCQuote));
  ASSERT_EQ(lexer.diagnostics().size(), 1u);
  EXPECT_EQ(FormatDiagnostic(lexer.diagnostics()[0]),
            "test.tf:1:8: error: Invalid multi-line string; The string has no closing quote on "
            "its line, and quoted strings may not be split over multiple lines. To produce a "
            "multi-line string, either use the \\n escape to represent a newline character or use "
            "the \"heredoc\" multi-line template syntax.\n");
}

TEST(LexerTest, InvalidCharacters) {
  Lexer lexer("a = $b ; 'c'", "test.tf");
  while (lexer.Next().type != T::kEOF) {
  }
  ASSERT_EQ(lexer.diagnostics().size(), 4u);
  EXPECT_EQ(FormatDiagnostic(lexer.diagnostics()[0]),
            "test.tf:1:5: error: Invalid character; This character is not used within the "
            "language.\n");
  EXPECT_EQ(lexer.diagnostics()[1].start.column, 8);
  EXPECT_EQ(FormatDiagnostic(lexer.diagnostics()[2]),
            "test.tf:1:10: error: Invalid character; Single quotes are not valid. Use double "
            "quotes (\") to enclose strings.\n");
}

TEST(LexerTest, UnterminatedBlockCommentIsSlashStar) {
  EXPECT_THAT(Types("a /* b"), ElementsAre(T::kIdent, T::kSlash, T::kStar, T::kIdent, T::kEOF));
}

TEST(LexerTest, StripCloseOutsideTemplateIsASequenceEnd) {
  EXPECT_THAT(Types("a ~}"), ElementsAre(T::kIdent, T::kTemplateSeqEnd, T::kEOF));
}

TEST(LexerTest, BareTemplate) {
  std::vector<Token> toks = Lex("a\n${b}c", Lexer::Start::kTemplate);
  ASSERT_EQ(toks.size(), 6u);
  EXPECT_EQ(toks[0].type, T::kStringLit);
  EXPECT_EQ(toks[0].text, "a\n");
  EXPECT_EQ(toks[1].type, T::kTemplateInterp);
  EXPECT_EQ(toks[1].start.line, 2);
  EXPECT_EQ(toks[4].text, "c");
  EXPECT_EQ(toks[4].start.column, 5);
}

TEST(LexerTest, ByteOrderMarkIsSkipped) {
  std::vector<Token> toks = Lex("\xEF\xBB\xBFx");
  EXPECT_EQ(toks[0].text, "x");
  EXPECT_EQ(toks[0].start.column, 1);
}

TEST(LexerTest, InvalidUtf8IsDiagnosedOnce) {
  Lexer lexer("a = 1\nb = \"x\xC3(\xFF\"\n", "test.tf");
  while (lexer.Next().type != T::kEOF) {
  }
  ASSERT_EQ(lexer.diagnostics().size(), 1u);
  EXPECT_EQ(FormatDiagnostic(lexer.diagnostics()[0]),
            "test.tf:2:7: error: Invalid character encoding; All input files must be UTF-8 "
            "encoded. Ensure that UTF-8 encoding is selected in your editor.\n");
}

TEST(LexerTest, UnicodeIdentifiers) {
  EXPECT_THAT(Texts("größe = π"), ElementsAre("größe", "=", "π", ""));
  // Symbols such as U+FFFD or U+00D7 are not identifier characters.
  EXPECT_THAT(Types("a\xEF\xBF\xBD\xC3\x97"
                    "b"),
              ElementsAre(T::kIdent, T::kInvalid, T::kInvalid, T::kIdent, T::kEOF));
}

TEST(LexerTest, CrLfNewlines) {
  EXPECT_THAT(Types("a\r\nb"), ElementsAre(T::kIdent, T::kNewline, T::kIdent, T::kEOF));
  // A lone carriage return is an invalid character (inside a string too, where it does not
  // end the line); CR LF ends a quoted string's line as LF does.
  EXPECT_THAT(Types("a\rb"), ElementsAre(T::kIdent, T::kInvalid, T::kIdent, T::kEOF));
  EXPECT_THAT(Types("\"a\rb\""), ElementsAre(T::kOQuote, T::kQuotedLit, T::kCQuote, T::kEOF));
  EXPECT_THAT(Types("\"a\r\nb"), ElementsAre(T::kOQuote, T::kQuotedLit, T::kQuotedNewline,
                                             T::kNewline, T::kIdent, T::kEOF));
}

}  // namespace
}  // namespace cf::hcl
