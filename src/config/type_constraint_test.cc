#include "config/type_constraint.h"

#include <gtest/gtest.h>

#include "hcl/parser.h"

namespace cf::config {
namespace {

struct Decoded {
  std::unique_ptr<hcl::File> file;
  std::optional<TypeConstraint> constraint;
  hcl::Diagnostics diags;
};

Decoded DecodeText(const std::string& text) {
  Decoded d;
  hcl::ParseResult parsed = hcl::ParseExpression(text, "type.tf");
  EXPECT_FALSE(parsed.diagnostics.HasErrors()) << text;
  d.file = std::move(parsed.file);
  d.constraint = DecodeTypeConstraint(d.file->expression(), d.diags);
  return d;
}

TEST(TypeConstraintTest, PrimitivesAndCollections) {
  EXPECT_EQ(DecodeText("string").constraint->type, hcl::Type::String());
  EXPECT_EQ(DecodeText("any").constraint->type, hcl::Type::Dynamic());
  EXPECT_EQ(DecodeText("list(string)").constraint->type.ToString(), "list(string)");
  EXPECT_EQ(DecodeText("map(list(number))").constraint->type.ToString(), "map(list(number))");
  EXPECT_EQ(DecodeText("set(bool)").constraint->type, hcl::Type::Set(hcl::Type::Bool()));
  EXPECT_EQ(DecodeText("tuple([string, number])").constraint->type,
            hcl::Type::Tuple({hcl::Type::String(), hcl::Type::Number()}));
}

TEST(TypeConstraintTest, ObjectsWithOptionalAttributesAndDefaults) {
  Decoded d = DecodeText(
      "list(object({ name = string, port = optional(number, 443), tags = optional(map(string)) "
      "}))");
  ASSERT_TRUE(d.constraint.has_value());
  const hcl::Type& element = d.constraint->type.element();
  ASSERT_TRUE(element.IsObject());
  EXPECT_EQ(element.optional_attributes(), (std::set<std::string>{"port", "tags"}));
  // Converting fills the default of `port`; `tags` has none and stays null.
  hcl::Value given = hcl::Value::Tuple({hcl::Value::Object({{"name", hcl::Value::String("a")}})});
  Result<hcl::Value> converted = d.constraint->Convert(given);
  ASSERT_TRUE(converted.ok()) << converted.status().message();
  EXPECT_EQ(converted->ToDebugString(), "[{name = \"a\", port = 443, tags = null}]");
}

TEST(TypeConstraintTest, ErrorsPointAtTheBadPart) {
  Decoded d = DecodeText("map(strin)");
  EXPECT_FALSE(d.constraint.has_value());
  ASSERT_EQ(d.diags.size(), 1u);
  EXPECT_EQ(d.diags[0].summary, "Invalid type specification");
  EXPECT_EQ(d.diags[0].detail, "The keyword \"strin\" is not a valid type specification.");
  EXPECT_EQ(d.diags[0].start.column, 5);

  Decoded quoted = DecodeText("\"string\"");
  ASSERT_EQ(quoted.diags.size(), 1u);
  EXPECT_EQ(quoted.diags[0].detail,
            "Type constraints are keywords, not strings: write string without the quotes.");

  // Terraform still reads the bare legacy keywords list and map as list(any) and map(any),
  // but not set.
  EXPECT_EQ(DecodeText("list").constraint->type.ToString(), "list(any)");
  EXPECT_EQ(DecodeText("map").constraint->type.ToString(), "map(any)");
  Decoded bare = DecodeText("set");
  EXPECT_FALSE(bare.constraint.has_value());
  ASSERT_EQ(bare.diags.size(), 1u);
  EXPECT_EQ(bare.diags[0].detail,
            "The set type constructor requires one argument specifying the element type.");

  Decoded outside = DecodeText("optional(string)");
  ASSERT_EQ(outside.diags.size(), 1u);
  EXPECT_EQ(outside.diags[0].detail,
            "Keyword \"optional\" is valid only as a modifier for object type attributes.");

  Decoded unknown = DecodeText("lst(string)");
  ASSERT_EQ(unknown.diags.size(), 1u);
  EXPECT_EQ(unknown.diags[0].detail, "Keyword \"lst\" is not a valid type constructor.");
}

}  // namespace
}  // namespace cf::config
