#include "hcl/parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace cf::hcl {
namespace {

// Parses `src`, expecting no diagnostics.
ParseResult ParseOk(const std::string& src) {
  ParseResult r = Parse(src, "test.tf");
  EXPECT_TRUE(r.diagnostics.empty()) << FormatDiagnostics(r.diagnostics, src);
  return r;
}

// The expression of the single attribute of `src` ("x = ...").
const Expression* AttrExpr(const ParseResult& r, size_t i = 0) {
  const Body* body = r.file->body();
  if (body->attributes.size() <= i) {
    ADD_FAILURE() << "no attribute " << i;
    return nullptr;
  }
  return body->attributes[i]->expr;
}

// The diagnostics of `src` rendered without source lines.
std::string Errors(const std::string& src) {
  ParseResult r = Parse(src, "test.tf");
  return FormatDiagnostics(r.diagnostics);
}

std::string_view Src(const ParseResult& r, const Expression* e) {
  return r.file->Source(e->range);
}

TEST(ParserTest, AttributesAndBlocks) {
  ParseResult r = ParseOk(
      "a = 1\n"
      "resource \"aws_instance\" web {\n"
      "  ami = \"x\"\n"
      "  inner {}\n"
      "}\n");
  const Body* body = r.file->body();
  ASSERT_EQ(body->attributes.size(), 1u);
  EXPECT_EQ(body->attributes[0]->name, "a");
  ASSERT_EQ(body->blocks.size(), 1u);
  const Block* b = body->blocks[0];
  EXPECT_EQ(b->type, "resource");
  ASSERT_EQ(b->labels.size(), 2u);
  EXPECT_EQ(b->labels[0].value, "aws_instance");
  EXPECT_TRUE(b->labels[0].quoted);
  EXPECT_EQ(b->labels[1].value, "web");
  EXPECT_FALSE(b->labels[1].quoted);
  ASSERT_EQ(b->body->attributes.size(), 1u);
  EXPECT_EQ(b->body->attributes[0]->name, "ami");
  ASSERT_EQ(b->body->blocks.size(), 1u);
  EXPECT_EQ(b->body->blocks[0]->type, "inner");
  EXPECT_EQ(b->range.start.line, 2);
  EXPECT_EQ(b->range.end.line, 5);
  EXPECT_EQ(b->range.end.column, 2);
}

TEST(ParserTest, RangesHaveLineColumnAndByte) {
  ParseResult r = ParseOk("\n  foo = bar.baz\n");
  const Attribute* a = r.file->body()->attributes[0];
  EXPECT_EQ(a->name_range.filename, "test.tf");
  EXPECT_EQ(a->name_range.start, (Pos{2, 3, 3}));
  EXPECT_EQ(a->name_range.end, (Pos{2, 6, 6}));
  EXPECT_EQ(a->expr->range.start, (Pos{2, 9, 9}));
  EXPECT_EQ(a->expr->range.end, (Pos{2, 16, 16}));
  EXPECT_EQ(Src(r, a->expr), "bar.baz");
}

TEST(ParserTest, OneLineBlock) {
  ParseResult r = ParseOk("variable \"x\" { default = 1 }\nempty {}\n");
  ASSERT_EQ(r.file->body()->blocks.size(), 2u);
  EXPECT_EQ(r.file->body()->blocks[0]->body->attributes[0]->name, "default");
  EXPECT_TRUE(r.file->body()->blocks[1]->body->attributes.empty());
}

TEST(ParserTest, Literals) {
  ParseResult r = ParseOk("a = 12.5e3\nb = true\nc = false\nd = null\n");
  const auto* n = As<LiteralExpr>(AttrExpr(r, 0));
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->literal_kind, LiteralKind::kNumber);
  EXPECT_EQ(n->number_text, "12.5e3");
  EXPECT_TRUE(As<LiteralExpr>(AttrExpr(r, 1))->bool_value);
  EXPECT_FALSE(As<LiteralExpr>(AttrExpr(r, 2))->bool_value);
  EXPECT_EQ(As<LiteralExpr>(AttrExpr(r, 3))->literal_kind, LiteralKind::kNull);
}

TEST(ParserTest, StringEscapes) {
  ParseResult r = ParseOk(R"(a = "q\"b\\n\n\r\t\u00e9\U0001F600$${x}%%{y}")"
                          "\n");
  const auto* t = As<TemplateExpr>(AttrExpr(r));
  ASSERT_NE(t, nullptr);
  ASSERT_TRUE(t->IsStringLiteral());
  EXPECT_EQ(t->LiteralText(), "q\"b\\n\n\r\t\xC3\xA9\xF0\x9F\x98\x80${x}%{y}");
}

TEST(ParserTest, TemplateInterpolationParts) {
  ParseResult r = ParseOk("a = \"x-${var.y}-z\"\n");
  const auto* t = As<TemplateExpr>(AttrExpr(r));
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->parts.size(), 3u);
  EXPECT_EQ(AsPart<TemplateLiteralPart>(t->parts[0])->text, "x-");
  const auto* in = AsPart<TemplateInterpolationPart>(t->parts[1]);
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(Src(r, in->expr), "var.y");
  EXPECT_EQ(AsPart<TemplateLiteralPart>(t->parts[2])->text, "-z");
  EXPECT_EQ(Src(r, t), "\"x-${var.y}-z\"");
}

TEST(ParserTest, SingleInterpolationIsUnwrapped) {
  ParseResult r = ParseOk("a = \"${var.list}\"\n");
  const auto* w = As<TemplateWrapExpr>(AttrExpr(r));
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(Src(r, w->wrapped), "var.list");
}

TEST(ParserTest, TemplateIfDirective) {
  ParseResult r = ParseOk("a = \"%{ if x }yes%{ else }no%{ endif }!\"\n");
  const auto* t = As<TemplateExpr>(AttrExpr(r));
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->parts.size(), 2u);
  const auto* p = AsPart<TemplateIfPart>(t->parts[0]);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Src(r, p->condition), "x");
  EXPECT_EQ(p->then_body->LiteralText(), "yes");
  ASSERT_NE(p->else_body, nullptr);
  EXPECT_EQ(p->else_body->LiteralText(), "no");
}

TEST(ParserTest, TemplateForDirective) {
  ParseResult r = ParseOk("a = \"%{ for k, v in m }${k}=${v};%{ endfor }\"\n");
  const auto* t = As<TemplateExpr>(AttrExpr(r));
  ASSERT_NE(t, nullptr);
  const auto* p = AsPart<TemplateForPart>(t->parts[0]);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->key_var, "k");
  EXPECT_EQ(p->value_var, "v");
  EXPECT_EQ(Src(r, p->collection), "m");
  EXPECT_EQ(p->body->parts.size(), 4u);
}

TEST(ParserTest, StripMarkersTrimAdjacentLiterals) {
  ParseResult r = ParseOk("a = \"a  ${~ x ~}  b\"\n");
  const auto* t = As<TemplateExpr>(AttrExpr(r));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(AsPart<TemplateLiteralPart>(t->parts[0])->text, "a");
  EXPECT_EQ(AsPart<TemplateLiteralPart>(t->parts[2])->text, "b");
}

TEST(ParserTest, Heredoc) {
  ParseResult r = ParseOk("a = <<EOT\n  hello\n    world\n  EOT\n");
  const auto* t = As<TemplateExpr>(AttrExpr(r));
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->heredoc);
  EXPECT_EQ(t->LiteralText(), "  hello\n    world\n");
}

TEST(ParserTest, FlushHeredocStripsCommonIndent) {
  ParseResult r = ParseOk("a = <<-EOT\n    hello\n\n      ${x}\n    EOT\n");
  const auto* t = As<TemplateExpr>(AttrExpr(r));
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->parts.size(), 3u);
  EXPECT_EQ(AsPart<TemplateLiteralPart>(t->parts[0])->text, "hello\n\n  ");
  EXPECT_EQ(AsPart<TemplateLiteralPart>(t->parts[2])->text, "\n");
}

TEST(ParserTest, HeredocKeepsBackslashes) {
  ParseResult r = ParseOk("a = <<EOT\nC:\\dir $${x}\nEOT\n");
  EXPECT_EQ(As<TemplateExpr>(AttrExpr(r))->LiteralText(), "C:\\dir ${x}\n");
}

TEST(ParserTest, OperatorPrecedence) {
  ParseResult r = ParseOk("a = 1 + 2 * 3 == 7 || !b && c > -d\n");
  const auto* orr = As<BinaryExpr>(AttrExpr(r));
  ASSERT_NE(orr, nullptr);
  EXPECT_EQ(orr->op, BinaryOp::kOr);
  const auto* eq = As<BinaryExpr>(orr->lhs);
  ASSERT_NE(eq, nullptr);
  EXPECT_EQ(eq->op, BinaryOp::kEqual);
  const auto* add = As<BinaryExpr>(eq->lhs);
  EXPECT_EQ(add->op, BinaryOp::kAdd);
  EXPECT_EQ(As<BinaryExpr>(add->rhs)->op, BinaryOp::kMultiply);
  const auto* andd = As<BinaryExpr>(orr->rhs);
  EXPECT_EQ(andd->op, BinaryOp::kAnd);
  EXPECT_EQ(As<UnaryExpr>(andd->lhs)->op, UnaryOp::kNot);
  const auto* gt = As<BinaryExpr>(andd->rhs);
  EXPECT_EQ(gt->op, BinaryOp::kGreater);
  EXPECT_EQ(As<UnaryExpr>(gt->rhs)->op, UnaryOp::kNegate);
}

TEST(ParserTest, BinaryOperatorsAreLeftAssociative) {
  ParseResult r = ParseOk("a = 10 - 3 - 2\n");
  const auto* outer = As<BinaryExpr>(AttrExpr(r));
  EXPECT_EQ(Src(r, outer->lhs), "10 - 3");
  EXPECT_EQ(Src(r, outer->rhs), "2");
}

TEST(ParserTest, NegationBindsToTraversal) {
  ParseResult r = ParseOk("a = -x.y + 1\n");
  const auto* add = As<BinaryExpr>(AttrExpr(r));
  ASSERT_NE(add, nullptr);
  const auto* neg = As<UnaryExpr>(add->lhs);
  ASSERT_NE(neg, nullptr);
  EXPECT_EQ(Src(r, neg->operand), "x.y");
}

TEST(ParserTest, Conditional) {
  ParseResult r = ParseOk("a = x ? 1 : y ? 2 : 3\n");
  const auto* c = As<ConditionalExpr>(AttrExpr(r));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(Src(r, c->condition), "x");
  EXPECT_NE(As<ConditionalExpr>(c->false_expr), nullptr);
}

TEST(ParserTest, FunctionCalls) {
  ParseResult r = ParseOk("a = f(1, \"b\",\n  c...)\nb = g()\nc = provider::aws::arn(x)\n");
  const auto* f = As<FunctionCallExpr>(AttrExpr(r, 0));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->name, "f");
  EXPECT_EQ(f->args.size(), 3u);
  EXPECT_TRUE(f->expand_final);
  EXPECT_EQ(Src(r, f), "f(1, \"b\",\n  c...)");
  const auto* g = As<FunctionCallExpr>(AttrExpr(r, 1));
  EXPECT_TRUE(g->args.empty());
  EXPECT_FALSE(g->expand_final);
  EXPECT_EQ(As<FunctionCallExpr>(AttrExpr(r, 2))->name, "provider::aws::arn");
}

TEST(ParserTest, Traversals) {
  ParseResult r = ParseOk("a = x.y[0][\"k\"].z.1\n");
  const auto* legacy = As<IndexExpr>(AttrExpr(r));
  ASSERT_NE(legacy, nullptr);
  EXPECT_TRUE(legacy->legacy_dot);
  const auto* z = As<GetAttrExpr>(legacy->collection);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->name, "z");
  const auto* k = As<IndexExpr>(z->object);
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(Src(r, k->key), "\"k\"");
  EXPECT_TRUE(IsStaticTraversal(AttrExpr(r)));
  ParseResult dynamic = ParseOk("a = x[var.i]\n");
  EXPECT_FALSE(IsStaticTraversal(AttrExpr(dynamic)));
}

TEST(ParserTest, Splats) {
  ParseResult r = ParseOk("a = x[*].y.z\nb = x.*.id\nc = x[*]\n");
  const auto* full = As<SplatExpr>(AttrExpr(r, 0));
  ASSERT_NE(full, nullptr);
  EXPECT_TRUE(full->full);
  EXPECT_EQ(Src(r, full->source), "x");
  const auto* z = As<GetAttrExpr>(full->each);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->name, "z");
  EXPECT_EQ(As<GetAttrExpr>(z->object)->object, full->item);
  EXPECT_EQ(Src(r, full), "x[*].y.z");
  const auto* attr = As<SplatExpr>(AttrExpr(r, 1));
  ASSERT_NE(attr, nullptr);
  EXPECT_FALSE(attr->full);
  const auto* bare = As<SplatExpr>(AttrExpr(r, 2));
  ASSERT_NE(bare, nullptr);
  EXPECT_EQ(bare->each, bare->item);
}

TEST(ParserTest, FullSplatsNest) {
  // x[*].y[*].z: for each element e of x, e.y[*].z.
  ParseResult r = ParseOk("a = x[*].y[*].z\nb = x[*].*.y\nc = x.*[*].y\n");
  const auto* outer = As<SplatExpr>(AttrExpr(r, 0));
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(Src(r, outer->source), "x");
  const auto* inner = As<SplatExpr>(outer->each);
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(As<GetAttrExpr>(inner->source)->object, outer->item);
  EXPECT_EQ(As<GetAttrExpr>(inner->each)->name, "z");
  const auto* b = As<SplatExpr>(AttrExpr(r, 1));
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(As<SplatExpr>(b->each)->full);
  const auto* c = As<SplatExpr>(AttrExpr(r, 2));
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->full);
  EXPECT_FALSE(As<SplatExpr>(c->source)->full);
}

TEST(ParserTest, AttributeOnlySplatStopsAtIndex) {
  ParseResult r = ParseOk("a = x.*.y[0]\n");
  const auto* index = As<IndexExpr>(AttrExpr(r));
  ASSERT_NE(index, nullptr);
  EXPECT_NE(As<SplatExpr>(index->collection), nullptr);
}

TEST(ParserTest, TuplesAndObjects) {
  ParseResult r = ParseOk(
      "a = [1, 2,\n 3,]\n"
      "b = {\n  k = 1\n  \"q\" : 2, (var.x) = 3\n  m.n = 4\n}\n");
  EXPECT_EQ(As<TupleExpr>(AttrExpr(r, 0))->elements.size(), 3u);
  const auto* o = As<ObjectExpr>(AttrExpr(r, 1));
  ASSERT_NE(o, nullptr);
  ASSERT_EQ(o->items.size(), 4u);
  EXPECT_EQ(As<VariableExpr>(o->items[0].key)->name, "k");
  EXPECT_NE(As<TemplateExpr>(o->items[1].key), nullptr);
  EXPECT_NE(As<ParensExpr>(o->items[2].key), nullptr);
  EXPECT_NE(As<GetAttrExpr>(o->items[3].key), nullptr);
}

TEST(ParserTest, ForExpressions) {
  ParseResult r = ParseOk(
      "a = [for i, v in list : v * 2 if i > 0]\n"
      "b = {\n  for k, v in m :\n  k => v...\n  if v != null\n}\n"
      "c = {for x in l : x => x}\n");
  const auto* t = As<ForExpr>(AttrExpr(r, 0));
  ASSERT_NE(t, nullptr);
  EXPECT_FALSE(t->object_form());
  EXPECT_EQ(t->key_var, "i");
  EXPECT_EQ(t->value_var, "v");
  EXPECT_EQ(Src(r, t->collection), "list");
  EXPECT_EQ(Src(r, t->value_expr), "v * 2");
  EXPECT_EQ(Src(r, t->condition), "i > 0");
  const auto* o = As<ForExpr>(AttrExpr(r, 1));
  ASSERT_NE(o, nullptr);
  EXPECT_TRUE(o->object_form());
  EXPECT_TRUE(o->grouping);
  EXPECT_EQ(Src(r, o->key_expr), "k");
  const auto* c = As<ForExpr>(AttrExpr(r, 2));
  EXPECT_EQ(c->key_var, "");
  EXPECT_EQ(c->value_var, "x");
  EXPECT_EQ(c->condition, nullptr);
}

TEST(ParserTest, Parentheses) {
  ParseResult r = ParseOk("a = (1 +\n 2) * 3\n");
  const auto* mul = As<BinaryExpr>(AttrExpr(r));
  ASSERT_NE(mul, nullptr);
  const auto* p = As<ParensExpr>(mul->lhs);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Src(r, p), "(1 +\n 2)");
}

TEST(ParserTest, CommentsEverywhere) {
  ParseResult r = ParseOk(
      "# top\n"
      "a = 1 # trailing\n"
      "/* block */ b = [\n  1, // one\n  2 /* two */\n]\n"
      "c { // open\n}\n");
  EXPECT_EQ(r.file->body()->attributes.size(), 2u);
  EXPECT_EQ(r.file->body()->blocks.size(), 1u);
}

TEST(ParserTest, ParseExpressionAndTemplate) {
  ParseResult e = ParseExpression("\n  [1, var.x]  \n", "cli");
  EXPECT_TRUE(e.diagnostics.empty());
  EXPECT_NE(As<TupleExpr>(e.file->expression()), nullptr);
  ParseResult bad = ParseExpression("1 2", "cli");
  EXPECT_EQ(FormatDiagnostics(bad.diagnostics),
            "cli:1:3: error: Extra characters after expression; An expression was successfully "
            "parsed, but extra characters were found after it.\n");
  ParseResult t = ParseTemplate("Hello ${name}!\n%{ if x }y%{ endif }", "tmpl");
  EXPECT_TRUE(t.diagnostics.empty()) << FormatDiagnostics(t.diagnostics);
  const auto* tmpl = As<TemplateExpr>(t.file->expression());
  ASSERT_NE(tmpl, nullptr);
  EXPECT_EQ(tmpl->parts.size(), 4u);
}

// ---- Diagnostics ----

TEST(ParserDiagnosticsTest, FormatsWithSourceLineAndCaret) {
  std::string src = "a = 1\nb = 2 3\n";
  ParseResult r = Parse(src, "main.tf");
  EXPECT_EQ(FormatDiagnostics(r.diagnostics, src),
            "main.tf:2:7: error: Missing newline after argument; An argument definition must end "
            "with a newline.\n"
            "  2 | b = 2 3\n"
            "    |       ^\n");
}

TEST(ParserDiagnosticsTest, CaretFollowsTabsAndWideCharacters) {
  std::string src = "\tx = \"é\" 3\n";
  ParseResult r = Parse(src, "main.tf");
  EXPECT_EQ(FormatDiagnostics(r.diagnostics, src),
            "main.tf:1:10: error: Missing newline after argument; An argument definition must "
            "end with a newline.\n"
            "  1 | \tx = \"é\" 3\n"
            "    | \t        ^\n");
}

TEST(ParserDiagnosticsTest, AttributeRedefined) {
  EXPECT_EQ(Errors("a = 1\nb = 2\na = 3\n"),
            "test.tf:3:1: error: Attribute redefined; The argument \"a\" was already set at "
            "test.tf:1,1-2. Each argument may be set only once.\n");
}

TEST(ParserDiagnosticsTest, AttributeRedefinedInLargeBody) {
  std::string src;
  for (int i = 0; i < 40; ++i) {
    src.append("a").append(std::to_string(i)).append(" = 1\n");
  }
  src += "a35 = 2\n";
  EXPECT_EQ(Errors(src),
            "test.tf:41:1: error: Attribute redefined; The argument \"a35\" was already set at "
            "test.tf:36,1-4. Each argument may be set only once.\n");
}

TEST(ParserDiagnosticsTest, UnexpectedCommaAfterArgument) {
  EXPECT_EQ(Errors("a = 1, b = 2\n"),
            "test.tf:1:6: error: Unexpected comma after argument; Argument definitions must be "
            "separated by newlines, not commas. An argument definition must end with a newline.\n");
}

TEST(ParserDiagnosticsTest, InvalidMultiLineString) {
  const std::string kError =
      "test.tf:2:22: error: Invalid multi-line string; The string has no closing quote on its "
      "line, and quoted strings may not be split over multiple lines. To produce a multi-line "
      "string, either use the \\n escape to represent a newline character or use the \"heredoc\" "
      "multi-line template syntax.\n";
  // One unclosed string is one error: the lines after it are read as written.
  EXPECT_EQ(Errors("m {\n  source = \"weka/weka\n  prefix = \"weka\"\n  size = 6\n}\n"), kError);
  EXPECT_EQ(Errors("m {\n  a = \"x ${1 + 2}\n  b = [\"y\", \"z\"]\n}\n"),
            "test.tf:2:18: error: Invalid multi-line string; The string has no closing quote on "
            "its line, and quoted strings may not be split over multiple lines. To produce a "
            "multi-line string, either use the \\n escape to represent a newline character or use "
            "the \"heredoc\" multi-line template syntax.\n");
}

TEST(ParserDiagnosticsTest, UnterminatedStringAtEnd) {
  EXPECT_EQ(Errors("a = \"abc"),
            "test.tf:1:9: error: Unterminated template string; No closing marker was found for "
            "the string.\n");
}

TEST(ParserDiagnosticsTest, UnterminatedHeredoc) {
  EXPECT_EQ(Errors("a = <<EOT\nabc\n"),
            "test.tf:3:1: error: Unterminated template string; No closing marker was found for "
            "the string.\n");
}

TEST(ParserDiagnosticsTest, SingleLineBlockMustCloseOnItsLine) {
  EXPECT_EQ(Errors("v { type = \"list\"\n  d = 1\n}\nw = 1\n"),
            "test.tf:1:18: error: Invalid single-argument block definition; An argument "
            "definition on the same line as its containing block creates a single-line block "
            "definition, which must also be closed on the same line. Place the block's closing "
            "brace immediately after the argument definition.\n");
  EXPECT_EQ(Errors("v { a = 1, b = 2 }\n"),
            "test.tf:1:10: error: Invalid single-argument block definition; Single-line block "
            "syntax can include only one argument definition. To define multiple arguments, use "
            "the multi-line block syntax with one argument definition per line.\n");
  EXPECT_EQ(Errors("v { a = 1 b }\n"),
            "test.tf:1:11: error: Invalid single-argument block definition; A single-line block "
            "definition must end with a closing brace immediately after its single argument "
            "definition.\n");
  EXPECT_EQ(Errors("v { inner {} }\n"),
            "test.tf:1:5: error: Argument definition required; A single-line block definition "
            "can contain only a single argument. If you meant to define argument \"inner\", use "
            "an equals sign to assign it a value. To define a nested block, place it on a line "
            "of its own within its parent block.\n");
}

TEST(ParserDiagnosticsTest, TemplateInBlockLabel) {
  EXPECT_EQ(Errors("resource \"a-${var.x}\" {\n}\n"),
            "test.tf:1:13: error: Invalid string literal; Template sequences are not allowed in "
            "this string. To include a literal \"$\", double it (as \"$$\") to escape it.\n");
}

TEST(ParserDiagnosticsTest, BlockDefinitionErrors) {
  EXPECT_EQ(Errors("a b = {\n}\n"),
            "test.tf:1:5: error: Invalid block definition; The equals sign \"=\" indicates an "
            "argument definition, and must not be used when defining a block.\n");
  EXPECT_EQ(Errors("a \"b\"\n{\n}\n"),
            "test.tf:1:6: error: Invalid block definition; A block definition must have block "
            "content delimited by \"{\" and \"}\", starting on the same line as the block "
            "header.\n");
  EXPECT_EQ(Errors("a \"b\" 1 {\n}\n"),
            "test.tf:1:7: error: Invalid block definition; Either a quoted string block label or "
            "an opening brace (\"{\") is expected here.\n");
  EXPECT_EQ(Errors("a {\n} b = 1\n"),
            "test.tf:2:3: error: Missing newline after block definition; A block definition must "
            "end with a newline.\n");
}

TEST(ParserDiagnosticsTest, UnclosedBlock) {
  EXPECT_EQ(Errors("a {\n  b = 1\n"),
            "test.tf:1:3: error: Unclosed configuration block; There is no closing brace for this "
            "block before the end of the file. This may be caused by incorrect brace nesting "
            "elsewhere in this file.\n");
}

TEST(ParserDiagnosticsTest, BodyItemErrors) {
  EXPECT_EQ(Errors("\"a\" = 1\n"),
            "test.tf:1:1: error: Invalid argument name; Argument names must not be quoted.\n");
  EXPECT_EQ(Errors("= 1\n"),
            "test.tf:1:1: error: Argument or block definition required; An argument or block "
            "definition is required here.\n");
  EXPECT_EQ(Errors("a\n"),
            "test.tf:1:1: error: Argument or block definition required; An argument or block "
            "definition is required here. To set an argument, use the equals sign \"=\" to "
            "introduce the argument value.\n");
}

TEST(ParserDiagnosticsTest, ExpressionErrors) {
  EXPECT_EQ(Errors("a = "),
            "test.tf:1:5: error: Missing expression; Expected the start of an expression, but "
            "found the end of the file.\n");
  EXPECT_EQ(Errors("a = )\n"),
            "test.tf:1:5: error: Invalid expression; Expected the start of an expression, but "
            "found an invalid expression token.\n");
  EXPECT_EQ(Errors("a = (1 2)\n"),
            "test.tf:1:8: error: Unbalanced parentheses; Expected a closing parenthesis to "
            "terminate the expression.\n");
  EXPECT_EQ(Errors("a = [1 2]\n"),
            "test.tf:1:8: error: Missing item separator; Expected a comma to mark the beginning of "
            "the next item.\n");
  EXPECT_EQ(Errors("a = f(1 2)\n"),
            "test.tf:1:9: error: Missing argument separator; A comma is required to separate each "
            "function argument from the next.\n");
  EXPECT_EQ(Errors("a = f(x..., y)\n"),
            "test.tf:1:11: error: Missing closing parenthesis; An expanded function argument "
            "(with ...) must be immediately followed by closing parentheses.\n");
  EXPECT_EQ(Errors("a = x ? 1\n"),
            "test.tf:1:10: error: Missing false expression in conditional; The conditional "
            "operator (...?...:...) requires a false expression, delimited by a colon.\n");
  EXPECT_EQ(Errors("a = x.\n"),
            "test.tf:1:7: error: Invalid attribute name; An attribute name is required after a "
            "dot.\n");
  // As in HashiCorp's parser, these two name where recovery stopped (the `]` or the end).
  EXPECT_EQ(Errors("a = x[1\nb = 2\n"),
            "test.tf:3:1: error: Missing close bracket on index; The index operator must end "
            "with a closing bracket (\"]\").\n");
  EXPECT_EQ(Errors("a = x[1 2 3]\n"),
            "test.tf:1:12: error: Missing close bracket on index; The index operator must end "
            "with a closing bracket (\"]\").\n");
  EXPECT_EQ(Errors("a = x[* 1]\nb = 1\n"),
            "test.tf:1:10: error: Missing close bracket on splat index; The star for a full "
            "splat operator must be immediately followed by a closing bracket (\"]\").\n");
  EXPECT_EQ(Errors("a = f(1,\n"),
            "test.tf:2:1: error: Missing expression; Expected the start of an expression, but "
            "found the end of the file.\n");
  EXPECT_EQ(Errors("a = f(1\n"),
            "test.tf:1:5: error: Unterminated function call; There is no closing parenthesis for "
            "this function call before the end of the file. This may be caused by incorrect "
            "parenthesis nesting elsewhere in this file.\n");
  EXPECT_EQ(Errors("a = x.0.1\n"),
            "test.tf:1:7: error: Invalid legacy index syntax; When using the legacy index "
            "syntax, chaining two indexes together is not permitted. Use the proper index syntax "
            "instead, like [0][1].\n");
  EXPECT_EQ(Errors("a = x.*.*\n"),
            "test.tf:1:9: error: Nested splat expression not allowed; A splat expression (*) "
            "cannot be used inside another attribute-only splat expression.\n");
  EXPECT_EQ(Errors("a = x.*.1.0\n"),
            "test.tf:1:7: error: Invalid legacy index syntax; When using the legacy index "
            "syntax, chaining two indexes together is not permitted. Use the proper index syntax "
            "with a full splat expression [*] instead, like [1][0].\n");
  EXPECT_EQ(Errors("a = x.*.\n"),
            "test.tf:1:7: error: Invalid attribute name; An attribute name is required after a "
            "dot.\n");
  EXPECT_EQ(Errors("a = p::\n"),
            "test.tf:1:8: error: Missing function name; Function scope resolution symbol :: must "
            "be followed by a function name in this scope.\n");
  EXPECT_EQ(Errors("a = p::f\n"),
            "test.tf:1:9: error: Missing open parenthesis; Function selector must be followed by "
            "an open parenthesis to begin the function call.\n");
}

TEST(ParserDiagnosticsTest, ObjectErrors) {
  EXPECT_EQ(Errors("a = { b 1 }\n"),
            "test.tf:1:9: error: Missing key/value separator; Expected an equals sign (\"=\") to "
            "mark the beginning of the attribute value.\n");
  EXPECT_EQ(Errors("a = { b\n}\n"),
            "test.tf:1:8: error: Missing attribute value; Expected an attribute value, introduced "
            "by an equals sign (\"=\").\n");
  EXPECT_EQ(Errors("a = { b = 1 c = 2 }\n"),
            "test.tf:1:13: error: Missing attribute separator; Expected a newline or comma to "
            "mark the beginning of the next attribute.\n");
}

TEST(ParserDiagnosticsTest, ForExpressionErrors) {
  EXPECT_EQ(Errors("a = [for in x : 1]\n"),
            "test.tf:1:13: error: Invalid 'for' expression; For expression requires the 'in' "
            "keyword after its name declarations.\n");
  EXPECT_EQ(Errors("a = [for 1 in x : 1]\n"),
            "test.tf:1:10: error: Invalid 'for' expression; For expression requires variable "
            "name after 'for'.\n");
  EXPECT_EQ(Errors("a = [for k, 1 in x : 1]\n"),
            "test.tf:1:13: error: Invalid 'for' expression; For expression requires value "
            "variable name after comma.\n");
  EXPECT_EQ(Errors("a = [for x in y 1]\n"),
            "test.tf:1:17: error: Invalid 'for' expression; For expression requires a colon after "
            "the collection expression.\n");
  EXPECT_EQ(Errors("a = {for x in y : x}\n"),
            "test.tf:1:20: error: Invalid 'for' expression; For expression requires a '=>' symbol "
            "after the key expression.\n");
  EXPECT_EQ(Errors("a = [for x in y : x => 1]\n"),
            "test.tf:1:21: error: Invalid 'for' expression; Key expression is not valid when "
            "building a tuple.\n");
  EXPECT_EQ(Errors("a = [for x in y : x 1]\n"),
            "test.tf:1:21: error: Invalid 'for' expression; Extra characters after the end of the "
            "'for' expression.\n");
}

TEST(ParserDiagnosticsTest, TemplateErrors) {
  EXPECT_EQ(Errors("a = \"${x y}\"\n"),
            "test.tf:1:10: error: Extra characters after interpolation expression; Expected a "
            "closing brace to end the interpolation expression, but found extra characters.\n\n"
            "This can happen when you include interpolation syntax for another language, such as "
            "shell scripting, but forget to escape the interpolation start token. If this is an "
            "embedded sequence for another language, escape it by starting with \"$${\" instead "
            "of just \"${\".\n");
  EXPECT_EQ(Errors("a = \"${x \"y\"\n"),
            "test.tf:1:6: error: Unclosed template interpolation sequence; There is no closing "
            "brace for this interpolation sequence before the end of the quoted template. This "
            "might be caused by incorrect nesting inside the given expression.\n"
            "test.tf:2:1: error: Unterminated template string; No closing marker was found for "
            "the string.\n");
  EXPECT_EQ(Errors("a = <<EOT\n${x"),
            "test.tf:2:1: error: Unclosed template interpolation sequence; There is no closing "
            "brace for this interpolation sequence before the end of the file. This might be "
            "caused by incorrect nesting inside the given expression.\n"
            "test.tf:2:4: error: Unterminated template string; No closing marker was found for "
            "the string.\n");
  EXPECT_EQ(Errors("a = \"${x:y}\"\n"),
            "test.tf:1:9: error: Extra characters after interpolation expression; Template "
            "interpolation doesn't expect a colon at this location. Did you intend this to be a "
            "literal sequence to be processed as part of another language? If so, escape it by "
            "starting with \"$${\" instead of just \"${\".\n");
  EXPECT_EQ(Errors("a = \"%{ 1 }\"\n"),
            "test.tf:1:9: error: Invalid template directive; A template directive keyword (\"if\", "
            "\"for\", etc) is expected at the beginning of a %{ sequence.\n");
  EXPECT_EQ(Errors("a = \"%{ bogus }\"\n"),
            "test.tf:1:9: error: Invalid template control keyword; \"bogus\" is not a valid "
            "template control keyword.\n");
  EXPECT_EQ(Errors("a = \"%{ else x }\"\n"),
            "test.tf:1:14: error: Extra characters in else marker; Expected a closing brace to "
            "end the sequence, but found extra characters.\n"
            "test.tf:1:6: error: Unexpected else directive; The control directives within this "
            "template are unbalanced.\n");
  EXPECT_EQ(Errors("a = \"%{ if x }y\"\n"),
            "test.tf:1:16: error: Unexpected end of template; The if directive at test.tf:1,6-16 "
            "is missing its corresponding endif directive.\n");
  EXPECT_EQ(Errors("a = \"%{ for x in y }z\"\n"),
            "test.tf:1:22: error: Unexpected end of template; The for directive at "
            "test.tf:1,6-22 is missing its corresponding endfor directive.\n");
  EXPECT_EQ(Errors("a = \"%{ for x in y }%{ endif }%{ endfor }\"\n"),
            "test.tf:1:21: error: Unexpected endif directive; The control directives within this "
            "template are unbalanced.\n");
  EXPECT_EQ(Errors("a = \"%{ for }\"\n"),
            "test.tf:1:13: error: Invalid 'for' directive; For directive requires variable name "
            "after 'for'.\n");
  EXPECT_EQ(Errors("a = \"%{ for x y }\"\n"),
            "test.tf:1:15: error: Invalid 'for' directive; For directive requires 'in' keyword "
            "after names.\n");
  EXPECT_EQ(Errors("a = \"%{ for k, }\"\n"),
            "test.tf:1:16: error: Invalid 'for' directive; For directive requires value variable "
            "name after comma.\n");
}

TEST(ParserDiagnosticsTest, InvalidEscapes) {
  EXPECT_EQ(Errors(R"(a = "\q")"
                   "\n"),
            "test.tf:1:6: error: Invalid escape sequence; The symbol \"q\" is not a valid escape "
            "sequence selector.\n");
  EXPECT_EQ(Errors(R"(a = "\u12")"
                   "\n"),
            "test.tf:1:6: error: Invalid escape sequence; The \\u escape sequence must be followed "
            "by four hexadecimal digits.\n");
  EXPECT_EQ(Errors(R"(a = "\UFFFFFFFF")"
                   "\n"),
            "test.tf:1:6: error: Invalid escape sequence; The \\U escape sequence must be "
            "followed by eight hexadecimal digits.\n");
}

TEST(ParserDiagnosticsTest, LexicalErrorsComeFirst) {
  EXPECT_EQ(Errors("a = 1 2\nb = $\n"),
            "test.tf:2:5: error: Invalid character; This character is not used within the "
            "language.\n"
            "test.tf:1:7: error: Missing newline after argument; An argument definition must end "
            "with a newline.\n"
            "test.tf:2:5: error: Invalid expression; Expected the start of an expression, but "
            "found an invalid expression token.\n");
}

TEST(ParserDiagnosticsTest, RecoversAndReportsSeveralErrors) {
  ParseResult r = Parse("a = 1 2\nb = )\nc = 3\nd {\n  e = 1 1\n  f = 1\n}\ng = 4\n", "t.tf");
  EXPECT_EQ(r.diagnostics.size(), 3u);
  // Items after the errors are still parsed.
  bool found_g = false;
  for (const Attribute* a : r.file->body()->attributes) {
    found_g = found_g || a->name == "g";
  }
  EXPECT_TRUE(found_g) << FormatDiagnostics(r.diagnostics);
}

TEST(ParserDiagnosticsTest, DeepNestingIsAnErrorNotACrash) {
  std::string src = "a = ";
  src.append(100000, '[').append("\n");
  ParseResult r = Parse(src, "deep.tf");
  ASSERT_TRUE(r.diagnostics.HasErrors());
  EXPECT_EQ(r.diagnostics[0].summary, "Nesting too deep");
  std::string blocks;
  for (int i = 0; i < 5000; ++i) {
    blocks += "b {\n";
  }
  ParseResult rb = Parse(blocks, "deep.tf");
  EXPECT_TRUE(rb.diagnostics.HasErrors());
  std::string unary = "a = ";
  unary.append(100000, '-').append("1\n");
  EXPECT_TRUE(Parse(unary, "deep.tf").diagnostics.HasErrors());
  std::string interp = "a = ";
  for (int i = 0; i < 3000; ++i) {
    interp += "\"${";
  }
  interp.append("\n");
  EXPECT_TRUE(Parse(interp, "deep.tf").diagnostics.HasErrors());
  // Directives nest without expressions in between; full splats nest too.
  std::string ifs = "a = \"";
  for (int i = 0; i < 100000; ++i) {
    ifs += "%{if x}";
  }
  ifs += "\"\n";
  ParseResult r_ifs = Parse(ifs, "deep.tf");
  ASSERT_TRUE(r_ifs.diagnostics.HasErrors());
  EXPECT_EQ(r_ifs.diagnostics[0].summary, "Nesting too deep");
  std::string splats = "a = x";
  for (int i = 0; i < 100000; ++i) {
    splats += "[*]";
  }
  EXPECT_TRUE(Parse(splats, "deep.tf").diagnostics.HasErrors());
}

TEST(ParserDiagnosticsTest, DiagnosticWithoutSubject) {
  Diagnostic d;
  d.summary = "Something";
  d.detail = "went wrong.";
  EXPECT_EQ(FormatDiagnostic(d, "x"), "error: Something; went wrong.\n");
  d.severity = Severity::kWarning;
  d.detail.clear();
  EXPECT_EQ(FormatDiagnostic(d), "warning: Something\n");
}

}  // namespace
}  // namespace cf::hcl
