#include "cloud/dynamodb/expression.h"

#include <gtest/gtest.h>

namespace cf::cloud::dynamodb {
namespace {

Json J(const char* text) {
  return Json::parse(text);
}

class ExpressionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    names_ = J(R"({"#s": "status", "#n": "name"})");
    values_ = J(R"({":one": {"N": "1"}, ":two": {"N": "2"}, ":x": {"S": "x"},
                   ":active": {"S": "active"}, ":l": {"L": [{"S": "z"}]},
                   ":ss": {"SS": ["b", "c"]}, ":t": {"S": "S"}})");
    context_.names = &names_;
    context_.values = &values_;
  }

  // Parses and evaluates a condition against `item`; fails the test on a parse error.
  bool Eval(const char* expression, const Json& item) {
    auto node = ParseCondition(expression, "ConditionExpression", context_);
    EXPECT_TRUE(node.ok()) << expression << ": " << (node.ok() ? "" : node.error().message);
    return node.ok() && EvaluateCondition(*node, item);
  }

  std::string ConditionError(const char* expression) {
    auto node = ParseCondition(expression, "ConditionExpression", context_);
    EXPECT_FALSE(node.ok()) << expression;
    return node.ok() ? "" : node.error().message;
  }

  std::string UpdateError(const char* expression) {
    auto actions = ParseUpdate(expression, context_);
    EXPECT_FALSE(actions.ok()) << expression;
    return actions.ok() ? "" : actions.error().message;
  }

  Json Update(const char* expression, Json item) {
    auto actions = ParseUpdate(expression, context_);
    EXPECT_TRUE(actions.ok()) << (actions.ok() ? "" : actions.error().message);
    if (actions.ok()) {
      auto s = ApplyUpdate(*actions, item);
      EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    }
    return item;
  }

  Json names_;
  Json values_;
  ExpressionContext context_;
};

TEST_F(ExpressionTest, ComparesNumbersAndStrings) {
  Json item = J(R"({"a": {"N": "1"}, "b": {"S": "x"}})");
  EXPECT_TRUE(Eval("a = :one", item));
  EXPECT_TRUE(Eval("a < :two", item));
  EXPECT_FALSE(Eval("a > :two", item));
  EXPECT_TRUE(Eval("b = :x AND a <> :two", item));
  EXPECT_TRUE(Eval("a BETWEEN :one AND :two", item));
  EXPECT_TRUE(Eval("b IN (:active, :x)", item));
  EXPECT_FALSE(Eval("a = :x", item));  // Different types are never equal.
}

TEST_F(ExpressionTest, MissingAttributeIsNotEqualButIsDifferent) {
  Json item = J("{}");
  EXPECT_FALSE(Eval("a = :one", item));
  EXPECT_TRUE(Eval("a <> :one", item));
  EXPECT_FALSE(Eval("a < :one", item));
  EXPECT_TRUE(Eval("attribute_not_exists(a)", item));
}

TEST_F(ExpressionTest, AndBindsTighterThanOrAndNotTighterThanAnd) {
  Json item = J(R"({"a": {"N": "1"}})");
  // true OR (false AND false) = true
  EXPECT_TRUE(Eval("a = :one OR a = :two AND a = :two", item));
  // (false AND false) OR true = true
  EXPECT_TRUE(Eval("a = :two AND a = :two OR a = :one", item));
  // NOT false AND true = true
  EXPECT_TRUE(Eval("NOT a = :two AND a = :one", item));
  EXPECT_FALSE(Eval("NOT (a = :two OR a = :one)", item));
}

TEST_F(ExpressionTest, FunctionsWorkOnNestedPaths) {
  Json item = J(R"({"m": {"M": {"lst": {"L": [{"S": "xyz"}, {"M": {"c": {"S": "S"}}}]}}},
                   "tags": {"SS": ["a", "b"]}, "status": {"S": "active"}})");
  EXPECT_TRUE(Eval("begins_with(m.lst[0], :x)", item));
  EXPECT_TRUE(Eval("attribute_exists(m.lst[1].c)", item));
  EXPECT_FALSE(Eval("attribute_exists(m.lst[2])", item));
  EXPECT_TRUE(Eval("attribute_type(m.lst[1].c, :t)", item));
  EXPECT_TRUE(Eval("size(m.lst) = :two", item));
  EXPECT_TRUE(Eval("size(tags) > :one", item));
  EXPECT_TRUE(Eval("contains(m.lst[0], :x)", item));
  EXPECT_TRUE(Eval("#s = :active", item));
}

TEST_F(ExpressionTest, ReportsDynamoDbMessages) {
  EXPECT_EQ(ConditionError("status = :one"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "status");
  EXPECT_EQ(ConditionError("a = :nope"),
            "Invalid ConditionExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :nope");
  EXPECT_EQ(ConditionError("#nope = :one"),
            "Invalid ConditionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #nope");
  EXPECT_EQ(ConditionError("foo(a)"),
            "Invalid ConditionExpression: Invalid function name; function: foo");
  EXPECT_EQ(ConditionError("size(a)"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: size");
  EXPECT_EQ(ConditionError("attribute_exists(a, b)"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: attribute_exists, number of operands: 2");
  EXPECT_EQ(ConditionError("a = a"),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: =, first operand: [a]");
  EXPECT_EQ(ConditionError("a BETWEEN :two AND :one"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper "
            "bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(ConditionError("((a = :one))"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_FALSE(Eval("((a = :one) AND (a = :two))", J(R"({"a": {"N": "1"}})")));  // Not redundant.
  EXPECT_EQ(ConditionError(""), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(ConditionError("a ="),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  EXPECT_EQ(ConditionError("attribute_type(a, :one)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: attribute_type, operand type: N");
}

TEST_F(ExpressionTest, SyntaxErrorsQuoteWholeUtf8Characters) {
  std::string message = ConditionError("caf\xc3\xa9 = :one");
  EXPECT_EQ(
      message,
      "Invalid ConditionExpression: Syntax error; token: \"\xc3\xa9\", near: \"caf\xc3\xa9\"");
  EXPECT_NO_THROW((void)Json(message).dump());
}

TEST_F(ExpressionTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  auto node = ParseCondition(deep, "ConditionExpression", context_);
  EXPECT_FALSE(node.ok());
  std::string nested;
  for (int i = 0; i < 200; ++i) {
    nested += "NOT ";
  }
  nested += "a = :one";
  EXPECT_FALSE(ParseCondition(nested, "ConditionExpression", context_).ok());
}

TEST_F(ExpressionTest, UpdatesNestedMapsAndLists) {
  Json item =
      J(R"({"id": {"S": "k"}, "n": {"N": "1.50"}, "m": {"M": {"l": {"L": [{"N": "1"}]}}}})");
  Json out = Update(
      "SET n = n + :one, m.l[0] = :two, m.l[5] = :x, m.added = if_not_exists(m.nope, :x), "
      "extra = list_append(:l, :l)",
      item);
  EXPECT_EQ(out["n"], J(R"({"N": "2.5"})"));
  EXPECT_EQ(out["m"]["M"]["l"], J(R"({"L": [{"N": "2"}, {"S": "x"}]})"));
  EXPECT_EQ(out["m"]["M"]["added"], J(R"({"S": "x"})"));
  EXPECT_EQ(out["extra"], J(R"({"L": [{"S": "z"}, {"S": "z"}]})"));
}

TEST_F(ExpressionTest, RemovesListElementsByOriginalIndex) {
  Json item = J(R"({"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]}})");
  Json out = Update("REMOVE l[0], l[2]", item);
  EXPECT_EQ(out["l"], J(R"({"L": [{"N": "1"}, {"N": "3"}]})"));
}

TEST_F(ExpressionTest, AddAndDeleteWorkOnSetsAndNumbers) {
  Json item = J(R"({"s": {"SS": ["a", "b"]}, "n": {"N": "5"}})");
  Json out = Update("ADD s :ss, n :two, fresh :one", item);
  EXPECT_EQ(out["s"], J(R"({"SS": ["a", "b", "c"]})"));
  EXPECT_EQ(out["n"], J(R"({"N": "7"})"));
  EXPECT_EQ(out["fresh"], J(R"({"N": "1"})"));
  out = Update("DELETE s :ss", out);
  EXPECT_EQ(out["s"], J(R"({"SS": ["a"]})"));
  out = Update("DELETE s :ss, nothing :ss", J(R"({"s": {"SS": ["b"]}})"));
  EXPECT_FALSE(out.contains("s"));
}

TEST_F(ExpressionTest, UpdateErrorsMatchDynamoDb) {
  EXPECT_EQ(UpdateError("SET a = :one SET b = :two"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(UpdateError("SET a = :one, a.b = :two"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(UpdateError("SET a.b = :one, a[1] = :two"),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove "
            "or rewrite one of these paths; path one: [a, b], path two: [a, [1]]");
  EXPECT_EQ(UpdateError("SET a = :x + :one"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "+, operand type: S");
  EXPECT_EQ(UpdateError("ADD a :x"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: S");
  EXPECT_EQ(UpdateError("SET a = if_not_exists(:one, :two)"),
            "Invalid UpdateExpression: Operator or function requires a document path; operator or "
            "function: if_not_exists");
}

TEST_F(ExpressionTest, RuntimeUpdateErrors) {
  auto actions = ParseUpdate("SET a = gone + :one", context_);
  ASSERT_TRUE(actions.ok());
  Json item = J("{}");
  auto s = ApplyUpdate(*actions, item);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "The provided expression refers to an attribute that does not exist in the item");
  auto nested = ParseUpdate("SET nope.child = :one", context_);
  ASSERT_TRUE(nested.ok());
  s = ApplyUpdate(*nested, item);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "The document path provided in the update expression is invalid for update");
}

TEST_F(ExpressionTest, ProjectsNestedPaths) {
  Json item = J(R"({"a": {"N": "1"}, "m": {"M": {"x": {"S": "1"}, "y": {"S": "2"}}},
                   "l": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}]}})");
  auto paths = ParseProjection("m.y, l[2], l[0], #n", context_);
  ASSERT_TRUE(paths.ok());
  Json out = Project(item, *paths);
  EXPECT_EQ(out, J(R"({"m": {"M": {"y": {"S": "2"}}}, "l": {"L": [{"S": "0"}, {"S": "2"}]}})"));
}

}  // namespace
}  // namespace cf::cloud::dynamodb
