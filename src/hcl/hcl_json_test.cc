#include "hcl/hcl_json.h"

#include <gtest/gtest.h>

#include <string>

namespace cf::hcl {
namespace {

// The hcl2json form of `src`, as compact JSON text.
std::string Json(const std::string& src) {
  ParseResult r = Parse(src, "test.tf");
  EXPECT_FALSE(r.diagnostics.HasErrors()) << FormatDiagnostics(r.diagnostics, src);
  return BodyToHclJson(*r.file).dump();
}

TEST(HclJsonTest, LiteralValues) {
  EXPECT_EQ(Json("a = 1\nb = 1.50\nc = true\nd = null\ne = \"s\"\nf = 1e3\n"),
            R"({"a":1,"b":1.5,"c":true,"d":null,"e":"s","f":1000})");
}

TEST(HclJsonTest, NegatedAndNotLiteralsAreValues) {
  EXPECT_EQ(Json("a = -1\nb = !true\nc = -x\nd = - 2.5\n"),
            R"({"a":-1,"b":false,"c":"${-x}","d":-2.5})");
}

TEST(HclJsonTest, OtherExpressionsAreSourceText) {
  EXPECT_EQ(Json("a = var.x\nb = f(1,  2)\nc = x ? 1 : 2\nd = 1 + 2\ne = (1)\n"
                 "f = [for x in y : x]\ng = x[*].id\n"),
            R"({"a":"${var.x}","b":"${f(1,  2)}","c":"${x ? 1 : 2}","d":"${1 + 2}",)"
            R"("e":"${(1)}","f":"${[for x in y : x]}","g":"${x[*].id}"})");
}

TEST(HclJsonTest, MultiLineExpressionsKeepTheirSource) {
  EXPECT_EQ(Json("a = merge(\n  x,\n  y\n)\n"), R"({"a":"${merge(\n  x,\n  y\n)}"})");
}

TEST(HclJsonTest, TuplesAndObjectsRecurse) {
  EXPECT_EQ(Json("a = [1, \"b\", c]\nb = { k = 1, \"q\" = d, m.n = 2, (p) = 3 }\n"),
            R"({"a":[1,"b","${c}"],"b":{"${(p)}":3,"k":1,"m.n":2,"q":"${d}"}})");
}

TEST(HclJsonTest, TemplatesRewriteInterpolations) {
  EXPECT_EQ(Json("a = \"x-${ var.y }-${f(1)}\"\nb = \"${var.z}\"\nc = \"${1}\"\n"),
            R"({"a":"x-${var.y}-${f(1)}","b":"${var.z}","c":1})");
}

TEST(HclJsonTest, LiteralPartsOfTemplates) {
  EXPECT_EQ(Json("a = \"n${1.50}b${true}\"\nb = \"${\"in\"}x\"\n"),
            R"({"a":"n1.5btrue","b":"inx"})");
}

TEST(HclJsonTest, TemplateEscapesAreKept) {
  EXPECT_EQ(Json("a = \"$${x} %%{y} \\\\ \\\"\"\n"), R"({"a":"$${x} %%{y} \\ \""})");
}

TEST(HclJsonTest, DirectivesAndConditionals) {
  EXPECT_EQ(Json("a = \"%{ if x == \"\" ~} A %{~ else } B %{ endif }!\"\n"),
            R"({"a":"%{if x == \"\"}A%{else} B %{endif}!"})");
  EXPECT_EQ(Json("a = \"%{for k, v in m}${k}%{endfor}\"\n"),
            R"({"a":"%{for k, v in m}${k}%{endfor}"})");
  // An interpolated conditional inside a longer template prints as an if directive.
  EXPECT_EQ(Json("a = \"${x ? \"y\" : \"\"}z\"\nb = \"${x ? y : 2}z\"\n"),
            R"({"a":"%{if x}y%{endif}z","b":"%{if x}${y}%{else}2%{endif}z"})");
}

TEST(HclJsonTest, Heredocs) {
  EXPECT_EQ(Json("a = <<EOT\nhello\n  ${x}\nEOT\nb = <<-EOT\n    a\n      b\n    EOT\n"),
            R"({"a":"hello\n  ${x}\n","b":"a\n  b\n"})");
}

TEST(HclJsonTest, BlocksNestByTypeAndLabels) {
  EXPECT_EQ(Json("resource \"t\" \"a\" {\n  x = 1\n}\nresource \"t\" \"b\" {}\n"
                 "resource \"t\" \"a\" {\n  x = 2\n}\nlocals {\n  l = 1\n}\n"),
            R"({"locals":[{"l":1}],"resource":{"t":{"a":[{"x":1},{"x":2}],"b":[{}]}}})");
  EXPECT_EQ(Json("a {\n  b {\n    c = 1\n  }\n  b {}\n}\n"), R"({"a":[{"b":[{"c":1},{}]}]})");
}

TEST(HclJsonTest, NormalizeNumberText) {
  EXPECT_EQ(NormalizeNumberText("0"), "0");
  EXPECT_EQ(NormalizeNumberText("007"), "7");
  EXPECT_EQ(NormalizeNumberText("1.2500"), "1.25");
  EXPECT_EQ(NormalizeNumberText("1.0"), "1");
  EXPECT_EQ(NormalizeNumberText("12e-3"), "0.012");
  EXPECT_EQ(NormalizeNumberText("1.5E+2"), "150");
  EXPECT_EQ(NormalizeNumberText("123456789012345678901234567890"),
            "123456789012345678901234567890");
}

TEST(HclJsonTest, ExpressionToHclJson) {
  ParseResult r = ParseExpression("[1, a]", "e");
  EXPECT_EQ(ExpressionToHclJson(*r.file, r.file->expression()).dump(), R"([1,"${a}"])");
}

}  // namespace
}  // namespace cf::hcl
