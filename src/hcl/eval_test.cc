#include "hcl/eval.h"

#include <gtest/gtest.h>

#include <random>

#include "hcl/parser.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::hcl {
namespace {

Value S(std::string s) {
  return Value::String(std::move(s));
}
Value N(int64_t n) {
  return Value::Num(n);
}

class EvalTest : public ::testing::Test {
 protected:
  EvalTest() {
    scope_.Set("var", Value::Object({
                          {"name", S("weka")},
                          {"count", N(3)},
                          {"zones", Value::List(Type::String(), {S("a"), S("b")})},
                          {"tags", Value::Map(Type::String(), {{"env", S("prod")}})},
                          {"nothing", Value::Null(Type::String())},
                          {"id", Value::Unknown(Type::String())},
                          {"password", S("hunter2").WithSensitive()},
                          {"flag", Value::Unknown(Type::Bool())},
                          {"items", Value::Tuple({Value::Object({{"id", S("i-1")}}),
                                                  Value::Object({{"id", S("i-2")}})})},
                      }));
    scope_.Set("count", Value::Object({{"index", N(1)}}));
    ctx_.file_system = &fs_;
    ctx_.base_dir = "/m";
  }

  // The value as HCL-ish text, or the diagnostics as "ERROR summary: detail @line:col;".
  std::string Eval(const std::string& text) {
    ParseResult parsed = ParseExpression(text, "test.tf");
    EXPECT_FALSE(parsed.diagnostics.HasErrors()) << FormatDiagnostics(parsed.diagnostics);
    Diagnostics diags;
    Evaluator ev(&scope_, &StandardFunctions(), ctx_);
    Value v = ev.Evaluate(parsed.file->expression(), &diags);
    last_ = v;
    if (diags.empty()) {
      return v.ToDebugString();
    }
    std::string out;
    for (const auto& d : diags) {
      out += "ERROR " + d.summary + ": " + d.detail + " @" + std::to_string(d.start.line) + ":" +
             std::to_string(d.start.column) + ";";
    }
    return out;
  }

  MapScope scope_;
  InMemoryFileSystem fs_;
  FunctionContext ctx_;
  Value last_;
};

TEST_F(EvalTest, LiteralsAndArithmetic) {
  EXPECT_EQ(Eval("1 + 2 * 3"), "7");
  EXPECT_EQ(Eval("0.1 + 0.2"), "0.3");
  EXPECT_EQ(Eval("0.1 + 0.2 == 0.3"), "true");
  EXPECT_EQ(Eval("-5 % 3"), "-2");
  EXPECT_EQ(Eval("10 / 4"), "2.5");
  EXPECT_EQ(Eval("\"a\" == \"a\" && !false"), "true");
  EXPECT_EQ(Eval("[1, \"a\", null, true]"), "[1, \"a\", null, true]");
  EXPECT_EQ(Eval("{ a = 1, \"b c\" = 2, (var.name) = 3 }"), "{a = 1, \"b c\" = 2, weka = 3}");
  EXPECT_EQ(Eval("1 / 0"),
            "ERROR Operation failed: Error during operation: can't divide by zero. @1:1;");
  EXPECT_EQ(
      Eval("\"x\" + 1"),
      "ERROR Invalid operand: Unsuitable value for left operand: a number is required. @1:1;");
  EXPECT_EQ(Eval("-\"x\""),
            "ERROR Invalid operand: Unsuitable value for unary operand: a number is required. "
            "@1:2;");
}

TEST_F(EvalTest, TraversalsAndErrors) {
  EXPECT_EQ(Eval("var.name"), "\"weka\"");
  EXPECT_EQ(Eval("var.zones[1]"), "\"b\"");
  EXPECT_EQ(Eval("var.zones.0"), "\"a\"");
  EXPECT_EQ(Eval("var.tags.env"), "\"prod\"");
  EXPECT_EQ(Eval("var.tags[\"env\"]"), "\"prod\"");
  EXPECT_EQ(Eval("var.items[0].id"), "\"i-1\"");
  EXPECT_EQ(Eval("count.index"), "1");
  EXPECT_EQ(Eval("nope.x"), "ERROR Unknown variable: There is no variable named \"nope\". @1:1;");
  EXPECT_EQ(Eval("var.nope"),
            "ERROR Unsupported attribute: This object does not have an attribute named \"nope\". "
            "@1:5;");
  EXPECT_EQ(Eval("var.zones[5]"),
            "ERROR Invalid index: The given key does not identify an element in this collection "
            "value: the given index is greater than or equal to the length of the collection. "
            "@1:11;");
  EXPECT_EQ(Eval("var.zones[-1]"),
            "ERROR Invalid index: The given key does not identify an element in this collection "
            "value: a negative number is not a valid index for a sequence. @1:11;");
  EXPECT_EQ(Eval("var.tags.x"),
            "ERROR Missing map element: This map does not have an element with the key \"x\". "
            "@1:10;");
  EXPECT_EQ(Eval("var.nothing.x"),
            "ERROR Attempt to get attribute from null value: This value is null, so it does not "
            "have any attributes. @1:13;");
  EXPECT_EQ(Eval("var.name.x"),
            "ERROR Unsupported attribute: Can't access attributes on a primitive-typed value "
            "(string). @1:10;");
  EXPECT_THAT(Eval("toset([\"a\"])[0]"),
              ::testing::StartsWith("ERROR Invalid index: Elements of a set are identified only "
                                    "by their value and don't"));
}

TEST_F(EvalTest, UnknownsPropagate) {
  EXPECT_EQ(Eval("var.id"), "(unknown string)");
  EXPECT_EQ(Eval("\"id-${var.id}\""), "(unknown string)");
  EXPECT_EQ(Eval("var.flag ? 1 : 2"), "(unknown number)");
  EXPECT_EQ(Eval("var.flag ? \"a\" : 2"), "(unknown string)");
  EXPECT_EQ(Eval("var.flag || true"), "true");
  EXPECT_EQ(Eval("length([var.id, \"x\"])"), "2");
  EXPECT_EQ(Eval("upper(var.id)"), "(unknown string)");
  EXPECT_EQ(Eval("[for z in var.zones : z if var.flag]"), "(unknown any)");
  EXPECT_EQ(Eval("var.id == \"x\""), "(unknown bool)");
}

TEST_F(EvalTest, SensitivePropagates) {
  EXPECT_EQ(Eval("var.password"), "(sensitive \"hunter2\")");
  EXPECT_EQ(Eval("\"pw=${var.password}\""), "(sensitive \"pw=hunter2\")");
  EXPECT_EQ(Eval("upper(var.password)"), "(sensitive \"HUNTER2\")");
  EXPECT_EQ(Eval("length(var.password) + 1"), "(sensitive 8)");
  EXPECT_EQ(Eval("[var.password][0]"), "(sensitive \"hunter2\")");
  EXPECT_EQ(Eval("var.password == \"x\""), "(sensitive false)");
}

TEST_F(EvalTest, Conditionals) {
  EXPECT_EQ(Eval("true ? \"a\" : \"b\""), "\"a\"");
  EXPECT_EQ(Eval("false ? 1 : \"b\""), "\"b\"");
  EXPECT_EQ(Eval("true ? 1 : \"b\""), "\"1\"");
  EXPECT_EQ(Eval("true ? null : \"b\""), "null");
  EXPECT_EQ(Eval("false ? [\"a\"] : [\"b\", \"c\"]"), "[\"b\", \"c\"]");
  // Only the chosen result's problems count.
  EXPECT_EQ(Eval("var.nothing != null ? var.nothing.x : \"d\""), "\"d\"");
  EXPECT_EQ(Eval("true ? var.nope : 1"),
            "ERROR Unsupported attribute: This object does not have an attribute named \"nope\". "
            "@1:12;");
  EXPECT_EQ(Eval("var.flag ? var.nope : 1"),
            "ERROR Unsupported attribute: This object does not have an attribute named \"nope\". "
            "@1:16;");
  EXPECT_EQ(Eval("null ? 1 : 2"),
            "ERROR Null condition: The condition value is null. Conditions must either be true or "
            "false. @1:1;");
  EXPECT_EQ(Eval("\"x\" ? 1 : 2"),
            "ERROR Incorrect condition type: The condition expression must be of type bool. @1:1;");
  EXPECT_EQ(Eval("true ? 1 : false"),
            "ERROR Inconsistent conditional result types: The true and false result expressions "
            "must have consistent types. The 'true' value is number, but the 'false' value is "
            "bool. @1:8;");
}

TEST_F(EvalTest, TemplatesAndDirectives) {
  EXPECT_EQ(Eval("\"${var.name}-${var.count}\""), "\"weka-3\"");
  EXPECT_EQ(Eval("\"${var.count}\""), "3");
  EXPECT_EQ(Eval("\"%{ for z in var.zones }${z};%{ endfor }\""), "\"a;b;\"");
  EXPECT_EQ(Eval("\"%{ for i, z in var.zones }${i}=${z} %{ endfor }\""), "\"0=a 1=b \"");
  EXPECT_EQ(Eval("\"%{ if var.count > 2 }big%{ else }small%{ endif }\""), "\"big\"");
  EXPECT_EQ(Eval("\"x${var.nothing}\""),
            "ERROR Invalid template interpolation value: The expression result is null. Cannot "
            "include a null value in a string template. @1:5;");
  EXPECT_EQ(Eval("\"x${var.zones}\""),
            "ERROR Invalid template interpolation value: Cannot include the given value in a "
            "string template: string required. @1:5;");
  EXPECT_EQ(Eval("<<EOT\nhello ${var.name}\nEOT\n"), "\"hello weka\\n\"");
}

TEST_F(EvalTest, ForExpressions) {
  EXPECT_EQ(Eval("[for z in var.zones : upper(z)]"), "[\"A\", \"B\"]");
  EXPECT_EQ(Eval("[for i, z in var.zones : \"${i}${z}\" if i > 0]"), "[\"1b\"]");
  EXPECT_EQ(Eval("{for k, v in var.tags : v => k}"), "{prod = \"env\"}");
  EXPECT_EQ(Eval("{for s in [\"a\", \"b\", \"a\"] : s => s...}"),
            "{a = [\"a\", \"a\"], b = [\"b\"]}");
  EXPECT_EQ(Eval("{for s in [\"a\", \"a\"] : s => 1}").substr(0, 50),
            "ERROR Duplicate object key: Two different items pr");
  EXPECT_EQ(Eval("[for x in var.nothing : x]"),
            "ERROR Iteration over null value: A null value cannot be used as the collection in a "
            "'for' expression. @1:11;");
  EXPECT_EQ(Eval("[for x in 5 : x]"),
            "ERROR Iteration over non-iterable value: A value of type number cannot be used as "
            "the collection in a 'for' expression. @1:11;");
}

TEST_F(EvalTest, Splats) {
  EXPECT_EQ(Eval("var.items[*].id"), "[\"i-1\", \"i-2\"]");
  EXPECT_EQ(Eval("var.items.*.id"), "[\"i-1\", \"i-2\"]");
  EXPECT_EQ(Eval("var.nothing[*]"), "[]");
  EXPECT_EQ(Eval("var.name[*]"), "[\"weka\"]");
  EXPECT_EQ(Eval("length(var.zones[*])"), "2");
}

TEST_F(EvalTest, FunctionCalls) {
  EXPECT_EQ(Eval("max(var.zones...)").substr(0, 40), "ERROR Invalid function argument: Invalid");
  EXPECT_EQ(Eval("max([1, 5, 2]...)"), "5");
  EXPECT_EQ(Eval("join(\"-\", var.zones)"), "\"a-b\"");
  EXPECT_EQ(Eval("element(var.zones, \"x\")"),
            "ERROR Invalid function argument: Invalid value for \"index\" parameter: a number "
            "is required. @1:20;");
  EXPECT_EQ(Eval("nosuch(1)"),
            "ERROR Call to unknown function: There is no function named \"nosuch\". @1:1;");
  EXPECT_EQ(Eval("max(null...)"),
            "ERROR Invalid expanding argument value: The expanding argument (indicated by ...) "
            "must not be null. @1:5;");
  EXPECT_EQ(Eval("can(var.nope)"), "false");
  EXPECT_EQ(Eval("can(var.name)"), "true");
  EXPECT_EQ(Eval("can(var.id)"), "(unknown bool)");
  EXPECT_EQ(Eval("try(var.nope, var.tags.x, \"fallback\")"), "\"fallback\"");
  EXPECT_THAT(Eval("try(var.nope)"),
              ::testing::StartsWith(
                  "ERROR Error in function call: Call to function \"try\" failed: no expression "
                  "succeeded:\n- Unsupported attribute (at test.tf:1,9-13)\n  This object does not "
                  "have an attribute named \"nope\""));
  EXPECT_EQ(Eval("lookup(var.tags, \"env\", \"x\")"), "\"prod\"");
  EXPECT_EQ(Eval("coalesce(var.nothing, \"d\")"), "\"d\"");
}

// Broken source still parses into a (partial) AST; evaluating it must give values and
// diagnostics, never a crash.
TEST_F(EvalTest, MutatedExpressionsEvaluateWithoutCrashing) {
  const std::vector<std::string> seeds = {
      "[for i, z in var.zones : \"${i}-${upper(z)}\" if i < length(var.zones)]",
      "{for k, v in var.tags : k => v... if v != null}",
      "var.items[*].id[0] == \"x\" ? try(var.tags.env, \"d\") : format(\"%s-%d\", \"a\", 1)",
      "\"%{ for z in var.zones }${z}%{ if z == \"a\" },%{ endif }%{ endfor }\"",
      "merge({a = 1}, {(var.name) = [1, 2]...}, var.tags)[\"a\"] + -var.count % 2",
  };
  std::mt19937 rng(2024);
  const std::string alphabet = "{}[]()%$:.,?!=<>&|*+-/\"'0123456789az \n\\";
  int evaluated = 0;
  for (const auto& seed : seeds) {
    for (int round = 0; round < 400; ++round) {
      std::string text = seed;
      int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        size_t pos = rng() % text.size();
        switch (rng() % 3) {
          case 0:
            text.erase(pos, 1 + rng() % 4);
            break;
          case 1:
            text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
            break;
          default:
            text[pos] = alphabet[rng() % alphabet.size()];
        }
      }
      ParseResult parsed = ParseExpression(text, "m.tf");
      Diagnostics diags;
      Evaluator ev(&scope_, &StandardFunctions(), ctx_);
      ev.Evaluate(parsed.file->expression(), &diags);
      ++evaluated;
    }
  }
  EXPECT_EQ(evaluated, 2000);
}

TEST_F(EvalTest, WorkBeyondTheStepLimitIsAnError) {
  // Found by hcl_eval_fuzz: three nested `for`s over range(1024) ran for hours.
  ParseResult parsed =
      ParseExpression("[for a in range(100) : [for b in range(100) : a * b]]", "test.tf");
  ASSERT_FALSE(parsed.diagnostics.HasErrors());
  {
    Diagnostics diags;
    Evaluator ev(&scope_, &StandardFunctions(), ctx_);
    Value v = ev.Evaluate(parsed.file->expression(), &diags);
    EXPECT_TRUE(diags.empty());
    EXPECT_EQ(v.Length(), 100u);
  }
  Diagnostics diags;
  Evaluator ev(&scope_, &StandardFunctions(), ctx_);
  ev.set_step_limit(5000);
  Value v = ev.Evaluate(parsed.file->expression(), &diags);
  EXPECT_FALSE(v.IsKnown());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags.begin()->summary, "Expression too complex");
  // try() cannot hide an exhausted budget.
  ParseResult wrapped =
      ParseExpression("try([for a in range(100) : [for b in range(100) : a * b]], [])", "test.tf");
  Diagnostics diags2;
  Evaluator ev2(&scope_, &StandardFunctions(), ctx_);
  ev2.set_step_limit(5000);
  EXPECT_FALSE(ev2.Evaluate(wrapped.file->expression(), &diags2).IsKnown());
  EXPECT_TRUE(diags2.HasErrors());
}

TEST_F(EvalTest, TemplatefileRendersWithDirectives) {
  ASSERT_OK(fs_.MakeDirectories("/m"));
  ASSERT_OK(fs_.WriteFileAtomic(
      "/m/user.sh",
      "#!/bin/sh\n%{ for ip in ips ~}\necho ${ip}\n%{ endfor ~}\nname=${upper(n)}\n"));
  EXPECT_EQ(Eval("templatefile(\"user.sh\", { ips = [\"1.1.1.1\", \"2.2.2.2\"], n = \"x\" })"),
            "\"#!/bin/sh\\necho 1.1.1.1\\necho 2.2.2.2\\nname=X\\n\"");
  ASSERT_OK(fs_.WriteFileAtomic("/m/bad.tpl", "${missing}"));
  EXPECT_EQ(Eval("templatefile(\"bad.tpl\", {})").substr(0, 80),
            "ERROR Error in function call: Call to function \"templatefile\" failed: bad.tpl:1:");
}

// A scope that resolves `var.x` itself and reports undeclared variables as Terraform does.
class VariablesScope : public Scope {
 public:
  std::optional<Value> Lookup(std::string_view name) const override {
    if (name == "var") {
      return Value::Object({{"a", S("x")}});
    }
    return std::nullopt;
  }
  std::optional<Value> LookupAttribute(std::string_view root, std::string_view name,
                                       const Range& range, Diagnostics* diags) const override {
    if (root == "var" && name != "a") {
      diags->AddError(
          "Reference to undeclared input variable",
          "An input variable with the name \"" + std::string(name) + "\" has not been declared.",
          range);
      return Value();
    }
    return std::nullopt;
  }
};

TEST(ScopeTest, ScopeMayResolveRootAttributesWithItsOwnMessages) {
  VariablesScope scope;
  for (const auto& [text, want] : std::vector<std::pair<std::string, std::string>>{
           {"var.a", "\"x\""},
           {"[for var in [1] : var]", "[1]"},
           {"var.b",
            "Reference to undeclared input variable: An input variable with the name "
            "\"b\" has not been declared."}}) {
    ParseResult parsed = ParseExpression(text, "s.tf");
    Diagnostics diags;
    Value v = Evaluate(parsed.file->expression(), scope, &diags);
    std::string got = diags.empty() ? v.ToDebugString() : diags[0].summary + ": " + diags[0].detail;
    EXPECT_EQ(got, want) << text;
  }
}

TEST(TypeExpressionTest, DecodesConstraints) {
  auto decode = [](const std::string& text, Diagnostics* diags) {
    ParseResult parsed = ParseExpression(text, "t.tf");
    return EvaluateTypeExpression(parsed.file->expression(), diags);
  };
  Diagnostics diags;
  EXPECT_EQ(decode("list(string)", &diags), Type::List(Type::String()));
  EXPECT_EQ(decode("map(any)", &diags), Type::Map(Type::Dynamic()));
  EXPECT_EQ(decode("object({a = string, b = optional(number)})", &diags),
            Type::Object({{"a", Type::String()}, {"b", Type::Number()}}, {"b"}));
  EXPECT_EQ(decode("tuple([string, bool])", &diags), Type::Tuple({Type::String(), Type::Bool()}));
  EXPECT_TRUE(diags.empty());
  decode("strin", &diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].detail, "The keyword \"strin\" is not a valid type specification.");
}

TEST(TypeConstraintTest, OptionalDefaultsFillNullAndMissingAttributes) {
  ParseResult parsed = ParseExpression(
      "list(object({name = string, size = optional(number, 10), "
      "disk = optional(object({type = optional(string, \"gp3\")}), {})}))",
      "t.tf");
  Diagnostics diags;
  TypeConstraint tc = EvaluateTypeConstraint(parsed.file->expression(), &diags);
  ASSERT_TRUE(diags.empty()) << FormatDiagnostics(diags);
  Value given = Value::Tuple({
      Value::Object({{"name", S("a")}}),
      Value::Object({{"name", S("b")}, {"size", N(5)}, {"disk", Value::Object({})}}),
      Value::Object({{"name", S("c")}, {"size", Value()}}),
  });
  Result<Value> v = tc.Convert(given);
  ASSERT_OK(v);
  EXPECT_EQ(v->ToDebugString(),
            "[{disk = {type = \"gp3\"}, name = \"a\", size = 10}, "
            "{disk = {type = \"gp3\"}, name = \"b\", size = 5}, "
            "{disk = {type = \"gp3\"}, name = \"c\", size = 10}]");
  EXPECT_THAT(tc.Convert(Value::Tuple({Value::Object({})})),
              StatusIs(StatusCode::kInvalidArgument, "element 0: attribute \"name\" is required"));
}

TEST(TypeConstraintTest, DefaultMustMatchTheAttributeType) {
  ParseResult parsed = ParseExpression("object({n = optional(number, \"x\")})", "t.tf");
  Diagnostics diags;
  EvaluateTypeConstraint(parsed.file->expression(), &diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "Invalid default value for optional attribute");
  EXPECT_EQ(diags[0].detail,
            "This default value is not compatible with the attribute's type constraint: a "
            "number is required.");
}

}  // namespace
}  // namespace cf::hcl
