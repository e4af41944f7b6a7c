#include "config/references.h"

#include <gtest/gtest.h>

#include "hcl/parser.h"

namespace cf::config {
namespace {

std::vector<std::string> Refs(const std::string& text) {
  hcl::ParseResult parsed = hcl::ParseExpression(text, "x.tf");
  EXPECT_FALSE(parsed.diagnostics.HasErrors()) << text;
  std::vector<std::string> out;
  for (const Reference& r : FindReferences(parsed.file->expression())) {
    const char* kind = r.kind == Reference::Kind::kVariable ? "var"
                       : r.kind == Reference::Kind::kLocal  ? "local"
                                                            : "module";
    out.push_back(std::string(kind) + "." + r.name);
  }
  return out;
}

TEST(ReferencesTest, FindsEveryKindInsideEveryConstruct) {
  EXPECT_EQ(Refs("\"${var.prefix}-${local.name}\""),
            (std::vector<std::string>{"var.prefix", "local.name"}));
  EXPECT_EQ(Refs("module.weka.alb_dns_name"), (std::vector<std::string>{"module.weka"}));
  EXPECT_EQ(Refs("[for s in var.subnets : s.id if local.on]"),
            (std::vector<std::string>{"var.subnets", "local.on"}));
  EXPECT_EQ(Refs("var.a ? { x = local.b } : merge(local.c, var.d[0].e)"),
            (std::vector<std::string>{"var.a", "local.b", "local.c", "var.d"}));
  EXPECT_EQ(Refs("\"%{ if var.x }${local.y}%{ endif }\""),
            (std::vector<std::string>{"var.x", "local.y"}));
  EXPECT_EQ(Refs("local.items[*].name"), (std::vector<std::string>{"local.items"}));
}

TEST(ReferencesTest, IgnoresOtherRootsAndObjectKeys) {
  EXPECT_TRUE(Refs("{ var = 1, path = each.key, c = count.index }").empty());
  EXPECT_TRUE(Refs("var").empty());
}

}  // namespace
}  // namespace cf::config
