#include "cloud/stepfunctions/json_path.h"

#include <gtest/gtest.h>

namespace cf::cloud::stepfunctions {
namespace {

const Json kDoc = Json::parse(R"({
  "store": {"book": [{"title": "a", "price": 8}, {"title": "b", "price": 12},
                     {"title": "c", "price": 3}],
            "bicycle": {"price": 20}},
  "odd key": 1, "n": null})");

Json Sel(const std::string& path) {
  Result<Json> r = SelectPath(path, kDoc);
  EXPECT_TRUE(r.ok()) << path << ": " << r.status().ToString();
  return r.ok() ? *r : Json();
}

TEST(JsonPathTest, SelectsDefinitePaths) {
  EXPECT_EQ(Sel("$"), kDoc);
  EXPECT_EQ(Sel("$.store.book[1].title"), "b");
  EXPECT_EQ(Sel("$['odd key']"), 1);
  EXPECT_EQ(Sel("$.store['bicycle'].price"), 20);
  EXPECT_EQ(Sel("$.store.book[-1].title"), "c");
  EXPECT_TRUE(Sel("$.n").is_null());
}

TEST(JsonPathTest, IndefinitePathsGiveArrays) {
  EXPECT_EQ(Sel("$.store.book[*].price"), Json::parse("[8, 12, 3]"));
  EXPECT_EQ(Sel("$.store.book[0,2].title"), Json::parse(R"(["a", "c"])"));
  EXPECT_EQ(Sel("$.store.book[1:].title"), Json::parse(R"(["b", "c"])"));
  EXPECT_EQ(Sel("$..price"), Json::parse("[20, 8, 12, 3]"));
  EXPECT_EQ(Sel("$.store.book[*].missing"), Json::array());
}

TEST(JsonPathTest, MissingDefinitePathIsNotFound) {
  Result<Json> r = SelectPath("$.store.car", kDoc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "No results for path: $['store']['car']");
  EXPECT_FALSE(SelectPath("$.store.book[7]", kDoc).ok());
}

TEST(JsonPathTest, RejectsMalformedPaths) {
  for (const char* bad : {"store", "$.", "$[", "$['a", "$[?(@.a)]", "$.a b"}) {
    EXPECT_FALSE(JsonPath::Parse(bad).ok()) << bad;
  }
}

TEST(JsonPathTest, AssignsThroughReferencePaths) {
  Json doc = {{"a", {{"b", 1}}}};
  ASSERT_TRUE(JsonPath::Parse("$.a.c.d")->Assign(doc, "x").ok());
  EXPECT_EQ(doc, Json::parse(R"({"a": {"b": 1, "c": {"d": "x"}}})"));
  ASSERT_TRUE(JsonPath::Parse("$")->Assign(doc, 5).ok());
  EXPECT_EQ(doc, 5);
  Json scalar = {{"a", 1}};
  EXPECT_FALSE(JsonPath::Parse("$.a.b")->Assign(scalar, 2).ok());
  EXPECT_FALSE(JsonPath::Parse("$.a[*]")->IsReference());
}

}  // namespace
}  // namespace cf::cloud::stepfunctions
