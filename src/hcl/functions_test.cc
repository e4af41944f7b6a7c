#include <gtest/gtest.h>

#include <random>

#include "hcl/function.h"
#include "hcl/value_json.h"
#include "testing/fake_clock.h"
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
Value D(const char* text) {
  return Value::Num(*Number::Parse(text));
}
Value T(ValueList v) {
  return Value::Tuple(std::move(v));
}
Value O(ValueMap m) {
  return Value::Object(std::move(m));
}
Value U(Type t = Type::Dynamic()) {
  return Value::Unknown(std::move(t));
}

class FunctionsTest : public ::testing::Test {
 protected:
  FunctionsTest() {
    ctx_.file_system = &fs_;
    ctx_.base_dir = "/mod";
    ctx_.clock = &clock_;
    ctx_.random = [this]() { return ++counter_ * 0x0123456789abcdefull; };
    ctx_.render_template = [](const std::string& text, const std::string&, const Value& vars) {
      return Result<Value>(S(text + "|" + ValueToJson(vars)));
    };
  }

  // The result as HCL-ish text, or "ERROR <summary>: <detail>".
  std::string Call(const std::string& name, std::vector<Value> args) {
    FunctionError err;
    Result<Value> r = CallFunction(StandardFunctions(), name, args, ctx_, &err);
    if (!r.ok()) {
      EXPECT_EQ(r.status().message(), err.detail);
      return "ERROR " + err.summary + ": " + err.detail;
    }
    return r->ToDebugString();
  }
  Value CallValue(const std::string& name, std::vector<Value> args) {
    FunctionError err;
    Result<Value> r = CallFunction(StandardFunctions(), name, args, ctx_, &err);
    EXPECT_OK(r);
    return r.ok() ? *r : Value();
  }

  InMemoryFileSystem fs_;
  FakeClock clock_;
  FunctionContext ctx_;
  uint64_t counter_ = 0;
};

TEST_F(FunctionsTest, SetproductRefusesHugeProducts) {
  // Found by hcl_eval_fuzz: setproduct(range(1024), range(1024), range(1024)) ran out of
  // memory building a billion rows.
  Value r = CallValue("range", {N(101)});
  EXPECT_EQ(Call("setproduct", {r, r, r}),
            "ERROR Error in function call: Call to function \"setproduct\" failed: the product "
            "would have more than 1000000 elements.");
  EXPECT_EQ(CallValue("setproduct", {r, r}).Length(), 10201u);
  EXPECT_EQ(Call("setproduct", {r, r, T({})}), "[]");
}

TEST_F(FunctionsTest, ArgumentCountAndTypeErrorsNameTheParameter) {
  EXPECT_EQ(Call("length", {}),
            "ERROR Not enough function arguments: Function \"length\" expects 1 argument(s). "
            "Missing value for \"value\".");
  EXPECT_EQ(Call("length", {S("a"), S("b")}),
            "ERROR Too many function arguments: Function \"length\" expects only 1 argument(s).");
  EXPECT_EQ(Call("element", {T({S("a")}), S("x")}),
            "ERROR Invalid function argument: Invalid value for \"index\" parameter: a number "
            "is required.");
  EXPECT_EQ(Call("upper", {Value()}),
            "ERROR Invalid function argument: Invalid value for \"str\" parameter: argument "
            "must not be null.");
  EXPECT_EQ(Call("nosuch", {}),
            "ERROR Call to unknown function: There is no function named \"nosuch\".");
  EXPECT_EQ(Call("join", {S(",")}),
            "ERROR Error in function call: Call to function \"join\" failed: at least one list "
            "is required.");
}

TEST_F(FunctionsTest, UnknownArgumentsGiveUnknownResults) {
  EXPECT_EQ(Call("upper", {U(Type::String())}), "(unknown string)");
  EXPECT_EQ(Call("join", {S(","), T({S("a"), U(Type::String())})}), "(unknown string)");
  EXPECT_EQ(Call("length", {T({U(), U()})}), "2");
  EXPECT_EQ(Call("length", {U()}), "(unknown number)");
  EXPECT_EQ(Call("max", {N(1), U(Type::Number())}), "(unknown number)");
  EXPECT_EQ(Call("tostring", {U(Type::Number())}), "(unknown string)");
  // Known collections with unknown elements still give known answers where Terraform does.
  Value ids = Value::List(Type::String(), {U(Type::String()), S("b")});
  EXPECT_EQ(Call("element", {ids, N(1)}), "\"b\"");
  EXPECT_EQ(Call("slice", {ids, N(0), N(1)}), "[(unknown string)]");
  EXPECT_EQ(Call("contains", {ids, S("b")}), "true");
  EXPECT_EQ(Call("contains", {ids, S("z")}), "(unknown bool)");
  EXPECT_EQ(Call("flatten", {T({ids, T({S("c")})})}), "[(unknown string), \"b\", \"c\"]");
  EXPECT_EQ(Call("flatten", {T({U(Type::List(Type::String()))})}), "(unknown any)");
  EXPECT_EQ(Call("zipmap", {T({S("k")}), T({U()})}), "{k = (unknown any)}");
  EXPECT_EQ(Call("zipmap", {T({U(Type::String())}), T({N(1)})}), "(unknown any)");
  EXPECT_EQ(Call("element", {U(Type::List(Type::String())), N(0)}), "(unknown any)");
}

TEST_F(FunctionsTest, SensitiveArgumentsGiveSensitiveResults) {
  EXPECT_EQ(Call("upper", {S("pw").WithSensitive()}), "(sensitive \"PW\")");
  EXPECT_EQ(Call("length", {T({S("a").WithSensitive()})}), "(sensitive 1)");
  EXPECT_EQ(Call("sensitive", {S("x")}), "(sensitive \"x\")");
  EXPECT_EQ(Call("nonsensitive", {S("x").WithSensitive()}), "\"x\"");
  EXPECT_EQ(Call("issensitive", {S("x").WithSensitive()}), "true");
}

TEST_F(FunctionsTest, Length) {
  EXPECT_EQ(Call("length", {S("héllo")}), "5");
  EXPECT_EQ(Call("length", {O({{"a", N(1)}})}), "1");
  EXPECT_EQ(Call("length", {N(1)}),
            "ERROR Invalid function argument: Invalid value for \"value\" parameter: argument "
            "must be a string, a collection type, or a structural type.");
}

TEST_F(FunctionsTest, LookupAndMerge) {
  Value m = O({{"a", S("x")}, {"b", S("y")}});
  EXPECT_EQ(Call("lookup", {m, S("a")}), "\"x\"");
  EXPECT_EQ(Call("lookup", {m, S("z"), S("d")}), "\"d\"");
  EXPECT_EQ(Call("lookup", {m, S("z")}),
            "ERROR Error in function call: Call to function \"lookup\" failed: lookup failed to "
            "find key \"z\".");
  EXPECT_EQ(Call("lookup", {m, U(Type::String()), S("d")}), "(unknown any)");
  EXPECT_EQ(Call("merge", {m, O({{"b", N(2)}, {"c", Value::True()}}), Value()}),
            "{a = \"x\", b = 2, c = true}");
  Value merged = CallValue("merge", {Value::Map(Type::String(), {{"a", S("1")}}),
                                     Value::Map(Type::String(), {{"b", S("2")}})});
  EXPECT_EQ(merged.type(), Type::Map(Type::String()));
  EXPECT_EQ(Call("merge", {S("x")}),
            "ERROR Invalid function argument: Invalid value for \"maps\" parameter: arguments "
            "must be maps or objects, got \"string\".");
}

TEST_F(FunctionsTest, ConcatCoalesceContains) {
  EXPECT_EQ(Call("concat", {T({S("a")}), T({N(1), S("b")})}), "[\"a\", 1, \"b\"]");
  Value c = CallValue(
      "concat", {Value::List(Type::String(), {S("a")}), Value::List(Type::String(), {S("b")})});
  EXPECT_EQ(c.type(), Type::List(Type::String()));
  EXPECT_EQ(Call("concat", {S("a")}),
            "ERROR Invalid function argument: Invalid value for \"seqs\" parameter: all "
            "arguments must be lists or tuples; got string.");
  EXPECT_EQ(Call("coalesce", {Value(), S(""), S("b"), S("c")}), "\"b\"");
  EXPECT_EQ(Call("coalesce", {Value(), N(1), S("x")}), "\"1\"");
  EXPECT_EQ(Call("coalesce", {Value(), S("")}),
            "ERROR Error in function call: Call to function \"coalesce\" failed: no non-null, "
            "non-empty-string arguments.");
  EXPECT_EQ(Call("coalesce", {U(Type::String()), S("b")}), "(unknown string)");
  EXPECT_EQ(Call("coalescelist", {T({}), T({S("a")})}), "[\"a\"]");
  EXPECT_EQ(Call("contains", {T({S("a"), S("b")}), S("b")}), "true");
  EXPECT_EQ(Call("contains", {T({S("a")}), S("z")}), "false");
  EXPECT_EQ(Call("contains", {S("a"), S("z")}),
            "ERROR Invalid function argument: Invalid value for \"list\" parameter: argument "
            "must be list, tuple, or set.");
}

TEST_F(FunctionsTest, ElementIndexKeysValues) {
  Value l = T({S("a"), S("b"), S("c")});
  EXPECT_EQ(Call("element", {l, N(4)}), "\"b\"");
  EXPECT_EQ(Call("element", {T({}), N(0)}),
            "ERROR Error in function call: Call to function \"element\" failed: cannot use "
            "element function with an empty list.");
  EXPECT_EQ(Call("element", {l, D("1.5")}),
            "ERROR Invalid function argument: Invalid value for \"index\" parameter: value must "
            "be a whole number.");
  EXPECT_EQ(Call("index", {l, S("c")}), "2");
  EXPECT_EQ(Call("index", {l, S("z")}),
            "ERROR Error in function call: Call to function \"index\" failed: item not found.");
  Value m = O({{"b", N(2)}, {"a", N(1)}});
  EXPECT_EQ(Call("keys", {m}), "[\"a\", \"b\"]");
  EXPECT_EQ(Call("values", {m}), "[1, 2]");
}

TEST_F(FunctionsTest, ListShaping) {
  EXPECT_EQ(Call("flatten", {T({T({S("a"), T({S("b")})}), S("c"), T({})})}),
            "[\"a\", \"b\", \"c\"]");
  EXPECT_EQ(Call("distinct", {T({S("a"), S("b"), S("a")})}), "[\"a\", \"b\"]");
  EXPECT_EQ(Call("compact", {T({S("a"), S(""), Value(), S("b")})}), "[\"a\", \"b\"]");
  EXPECT_EQ(Call("slice", {T({N(1), N(2), N(3)}), N(1), N(3)}), "[2, 3]");
  EXPECT_EQ(Call("slice", {T({N(1)}), N(0), N(3)}),
            "ERROR Invalid function argument: Invalid value for \"end_index\" parameter: end "
            "index must not be greater than the length of the list.");
  EXPECT_EQ(Call("sort", {T({S("b"), S("a"), N(10)})}), "[\"10\", \"a\", \"b\"]");
  EXPECT_EQ(Call("reverse", {T({N(1), N(2)})}), "[2, 1]");
  EXPECT_EQ(Call("chunklist", {T({N(1), N(2), N(3)}), N(2)}), "[[1, 2], [3]]");
  EXPECT_EQ(Call("chunklist", {T({N(1)}), N(-1)}),
            "ERROR Invalid function argument: Invalid value for \"size\" parameter: the size "
            "argument must be positive.");
  EXPECT_EQ(Call("one", {T({})}), "null");
  EXPECT_EQ(Call("one", {T({S("x")})}), "\"x\"");
  EXPECT_EQ(Call("one", {T({S("x"), S("y")})}),
            "ERROR Invalid function argument: Invalid value for \"list\" parameter: must be a "
            "list, set, or tuple value with either zero or one elements.");
  EXPECT_EQ(Call("zipmap", {T({S("a"), S("b")}), T({N(1), S("x")})}), "{a = 1, b = \"x\"}");
  EXPECT_EQ(Call("zipmap", {T({S("a")}), T({})}),
            "ERROR Error in function call: Call to function \"zipmap\" failed: number of keys "
            "(1) does not match number of values (0).");
  EXPECT_EQ(Call("matchkeys", {T({S("i1"), S("i2")}), T({S("us"), S("eu")}), T({S("eu")})}),
            "[\"i2\"]");
  EXPECT_EQ(Call("transpose", {O({{"a", T({S("1"), S("2")})}, {"b", T({S("2")})}})}),
            "{\"1\" = [\"a\"], \"2\" = [\"a\", \"b\"]}");
  EXPECT_EQ(Call("range", {N(3)}), "[0, 1, 2]");
  EXPECT_EQ(Call("range", {N(1), N(10), N(4)}), "[1, 5, 9]");
  EXPECT_EQ(Call("range", {N(3), N(0)}), "[3, 2, 1]");
  EXPECT_EQ(Call("range", {N(0), N(1), N(0)}),
            "ERROR Invalid function argument: Invalid value for \"params\" parameter: step must "
            "not be zero.");
}

TEST_F(FunctionsTest, SetsAndAggregates) {
  EXPECT_EQ(Call("setunion", {T({S("a"), S("b")}), T({S("b"), S("c")})}),
            "toset([\"a\", \"b\", \"c\"])");
  EXPECT_EQ(Call("setintersection", {T({S("a"), S("b")}), T({S("b"), S("c")})}), "toset([\"b\"])");
  EXPECT_EQ(Call("setsubtract", {T({S("a"), S("b")}), T({S("b")})}), "toset([\"a\"])");
  EXPECT_EQ(Call("setproduct", {T({S("a"), S("b")}), T({N(1)})}), "[[\"a\", 1], [\"b\", 1]]");
  EXPECT_EQ(Call("sum", {T({N(1), D("2.5")})}), "3.5");
  EXPECT_EQ(Call("sum", {T({})}),
            "ERROR Invalid function argument: Invalid value for \"list\" parameter: cannot sum "
            "an empty list.");
  EXPECT_EQ(Call("alltrue", {T({Value::True(), S("true")})}), "true");
  EXPECT_EQ(Call("alltrue", {T({})}), "true");
  EXPECT_EQ(Call("anytrue", {T({Value::False()})}), "false");
  EXPECT_EQ(Call("toset", {T({S("b"), S("a"), S("b")})}), "toset([\"a\", \"b\"])");
  EXPECT_EQ(Call("tolist", {T({S("a"), N(1)})}), "[\"a\", \"1\"]");
  EXPECT_EQ(Call("tomap", {O({{"a", N(1)}})}), "{a = 1}");
  EXPECT_EQ(Call("tonumber", {S("1.5")}), "1.5");
  EXPECT_EQ(Call("tonumber", {S("x")}),
            "ERROR Invalid function argument: Invalid value for \"v\" parameter: a number is "
            "required.");
  EXPECT_EQ(Call("tobool", {S("false")}), "false");
  EXPECT_EQ(Call("tostring", {Value()}), "null");
}

TEST_F(FunctionsTest, Format) {
  EXPECT_EQ(Call("format", {S("Hello, %s!"), S("Ander")}), "\"Hello, Ander!\"");
  EXPECT_EQ(Call("format", {S("%d items"), N(42)}), "\"42 items\"");
  EXPECT_EQ(Call("format", {S("%5.2f|%-4d|%04d"), D("3.14159"), N(7), N(7)}),
            "\" 3.14|7   |0007\"");
  EXPECT_EQ(Call("format",
                 {S("%q %t %x %X %o %b"), S("a\"b"), Value::True(), N(255), N(255), N(8), N(5)}),
            "\"\\\"a\\\\\\\"b\\\" true ff FF 10 101\"");
  EXPECT_EQ(Call("format", {S("%v %v %#v"), N(1), T({S("a")}), S("s")}),
            "\"1 [\\\"a\\\"] \\\"s\\\"\"");
  EXPECT_EQ(Call("format", {S("%[2]s-%[1]s"), S("a"), S("b")}), "\"b-a\"");
  EXPECT_EQ(Call("format", {S("100%%")}), "\"100%\"");
  EXPECT_EQ(Call("format", {S("%.3s"), S("abcdef")}), "\"abc\"");
  EXPECT_EQ(Call("format", {S("%+d %e"), N(5), N(1500)}), "\"+5 1.500000e+03\"");
  EXPECT_EQ(Call("format", {S("%d %d"), N(1)}),
            "ERROR Error in function call: Call to function \"format\" failed: not enough "
            "arguments for \"%d\" at 3: need index 2 but have 1 total.");
  EXPECT_EQ(Call("format", {S("%d"), S("x")}),
            "ERROR Error in function call: Call to function \"format\" failed: unsupported "
            "value for \"%d\" at 0: number required.");
  EXPECT_EQ(Call("format", {S("%s"), T({S("a")})}),
            "ERROR Error in function call: Call to function \"format\" failed: unsupported "
            "value for \"%s\" at 0: string required.");
  EXPECT_EQ(Call("format", {S("%d"), D("1.5")}),
            "ERROR Error in function call: Call to function \"format\" failed: unsupported "
            "value for \"%d\" at 0: an integer is required.");
  EXPECT_EQ(Call("format", {S("x"), N(1)}),
            "ERROR Error in function call: Call to function \"format\" failed: too many "
            "arguments; no verbs in format string.");
  EXPECT_EQ(Call("formatlist", {S("%s=%s"), T({S("a"), S("b")}), S("v")}), "[\"a=v\", \"b=v\"]");
  EXPECT_EQ(Call("formatlist", {S("%s%s"), T({S("a")}), T({S("b"), S("c")})}),
            "ERROR Invalid function argument: Invalid value for \"args\" parameter: argument 2 "
            "has length 2, which is inconsistent with argument 1 of length 1.");
}

TEST_F(FunctionsTest, StringFunctions) {
  EXPECT_EQ(Call("join", {S(", "), T({S("a"), S("b")}), T({S("c")})}), "\"a, b, c\"");
  EXPECT_EQ(Call("join", {S(","), T({S("a"), Value()})}),
            "ERROR Invalid function argument: Invalid value for \"lists\" parameter: element 1 "
            "is null; cannot concatenate null values.");
  EXPECT_EQ(Call("split", {S(","), S("a,b,,c")}), "[\"a\", \"b\", \"\", \"c\"]");
  EXPECT_EQ(Call("split", {S(","), S("")}), "[\"\"]");
  EXPECT_EQ(Call("replace", {S("1 + 2 + 3"), S("+"), S("-")}), "\"1 - 2 - 3\"");
  EXPECT_EQ(Call("replace", {S("hello world"), S("/w.*d/"), S("everybody")}),
            "\"hello everybody\"");
  EXPECT_EQ(Call("replace", {S("a-b"), S("/(\\w)-(\\w)/"), S("$2+${1}")}), "\"b+a\"");
  EXPECT_EQ(Call("lower", {S("HeLLo")}), "\"hello\"");
  EXPECT_EQ(Call("upper", {S("hello")}), "\"HELLO\"");
  EXPECT_EQ(Call("title", {S("hello world-wide")}), "\"Hello World-Wide\"");
  EXPECT_EQ(Call("substr", {S("hello world"), N(1), N(4)}), "\"ello\"");
  EXPECT_EQ(Call("substr", {S("hello"), N(-3), N(-1)}), "\"llo\"");
  EXPECT_EQ(Call("substr", {S("hé"), N(1), N(1)}), "\"é\"");
  EXPECT_EQ(Call("trim", {S("?!hello?!"), S("!?")}), "\"hello\"");
  EXPECT_EQ(Call("trimspace", {S("  hi\n")}), "\"hi\"");
  EXPECT_EQ(Call("trimprefix", {S("helloworld"), S("hello")}), "\"world\"");
  EXPECT_EQ(Call("trimsuffix", {S("helloworld"), S("world")}), "\"hello\"");
  EXPECT_EQ(Call("chomp", {S("hi\r\n\n")}), "\"hi\"");
  EXPECT_EQ(Call("indent", {N(2), S("a\nb")}), "\"a\\n  b\"");
  EXPECT_EQ(Call("strrev", {S("abc")}), "\"cba\"");
  EXPECT_EQ(Call("startswith", {S("hello"), S("he")}), "true");
  EXPECT_EQ(Call("endswith", {S("hello"), S("he")}), "false");
  EXPECT_EQ(Call("strcontains", {S("hello"), S("ll")}), "true");
}

TEST_F(FunctionsTest, Regex) {
  EXPECT_EQ(Call("regex", {S("[a-z]+"), S("53453453.345345aaabbbccc23454")}), "\"aaabbbccc\"");
  EXPECT_EQ(Call("regex", {S("(\\d\\d\\d\\d)-(\\d\\d)"), S("2019-02-01")}), "[\"2019\", \"02\"]");
  EXPECT_EQ(Call("regex", {S("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                           S("https://terraform.io/docs/")}),
            "{authority = \"terraform.io\", scheme = \"https\"}");
  EXPECT_EQ(Call("regex", {S("(?i)HELLO"), S("say hello")}), "\"hello\"");
  EXPECT_EQ(Call("regex", {S("x"), S("abc")}),
            "ERROR Error in function call: Call to function \"regex\" failed: pattern did not "
            "match any part of the given string.");
  EXPECT_EQ(Call("regex", {S("(?P<a>x)(y)"), S("xy")}),
            "ERROR Invalid function argument: Invalid value for \"pattern\" parameter: invalid "
            "regexp pattern: must use either only named or only unnamed capture groups.");
  EXPECT_EQ(Call("regexall", {S("[a-z]+"), S("1234abcd5678efgh9")}), "[\"abcd\", \"efgh\"]");
  // Patterns from the W&B module.
  EXPECT_EQ(Call("regex", {S(".*[[:digit:]]([[:alpha:]])"), S("us-east-1a")}), "[\"a\"]");
  EXPECT_EQ(Call("regex", {S("^arn:aws:kms:[a-z0-9-]+:[0-9]+:key/[a-zA-Z0-9-_]+$"),
                           S("arn:aws:kms:us-east-1:123456789012:key/ab-c_d")}),
            "\"arn:aws:kms:us-east-1:123456789012:key/ab-c_d\"");
  EXPECT_EQ(Call("regex", {S("^\\d+\\.\\d+"), S("1.29.3")}), "\"1.29\"");
  EXPECT_EQ(Call("regex", {S("^[0-9]+\\.[0-9]+(\\.[0-9]+)?"), S("1.29")}), "[null]");
  EXPECT_EQ(Call("length", {CallValue("regexall", {S("z"), S("abc")})}), "0");
}

TEST_F(FunctionsTest, Numeric) {
  EXPECT_EQ(Call("min", {N(12), N(54), N(3)}), "3");
  EXPECT_EQ(Call("max", {N(12), D("54.5"), N(3)}), "54.5");
  EXPECT_EQ(Call("max", {}),
            "ERROR Error in function call: Call to function \"max\" failed: must pass at least "
            "one number.");
  EXPECT_EQ(Call("abs", {D("-12.4")}), "12.4");
  EXPECT_EQ(Call("ceil", {D("4.1")}), "5");
  EXPECT_EQ(Call("floor", {D("-4.1")}), "-5");
  EXPECT_EQ(Call("pow", {N(3), N(2)}), "9");
  EXPECT_EQ(Call("pow", {N(4), D("0.5")}), "2");
  EXPECT_EQ(Call("pow", {N(2), N(100)}), "1267650600228229401496703205376");
  EXPECT_EQ(Call("signum", {N(-13)}), "-1");
  EXPECT_EQ(Call("log", {N(16), N(2)}), "4");
  EXPECT_EQ(Call("parseint", {S("100"), N(10)}), "100");
  EXPECT_EQ(Call("parseint", {S("FF"), N(16)}), "255");
  EXPECT_EQ(Call("parseint", {S("-1010"), N(2)}), "-10");
  EXPECT_EQ(Call("parseint", {S("zz"), N(10)}),
            "ERROR Invalid function argument: Invalid value for \"number\" parameter: cannot "
            "parse \"zz\" as a base 10 integer.");
  EXPECT_EQ(Call("parseint", {S("1"), N(1)}),
            "ERROR Invalid function argument: Invalid value for \"base\" parameter: base must "
            "be a whole number between 2 and 62 inclusive.");
}

TEST_F(FunctionsTest, Encoding) {
  EXPECT_EQ(Call("jsonencode", {O({{"b", T({N(1), Value::True(), Value()})}, {"a", S("<x>")}})}),
            "\"{\\\"a\\\":\\\"\\\\u003cx\\\\u003e\\\",\\\"b\\\":[1,true,null]}\"");
  EXPECT_EQ(Call("jsondecode", {S("{\"a\": [1, 0.1, \"x\", null, false]}")}),
            "{a = [1, 0.1, \"x\", null, false]}");
  EXPECT_EQ(Call("jsondecode", {S("123456789012345678901234567890")}),
            "123456789012345678901234567890");
  EXPECT_EQ(Call("jsondecode", {S("{")}).substr(0, 60),
            "ERROR Error in function call: Call to function \"jsondecode\" ");
  EXPECT_EQ(CallValue("yamlencode", {O({{"foo", T({N(1), O({{"a", S("b")}, {"c", S("d")}}), N(3)})},
                                        {"bar", S("baz")}})})
                .AsString(),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n");
  EXPECT_EQ(CallValue("yamlencode", {O({{"m", O({{"k", S("line1\nline2\n")}})}})}).AsString(),
            "\"m\":\n  \"k\": |\n    line1\n    line2\n");
  EXPECT_EQ(Call("base64encode", {S("Hello World")}), "\"SGVsbG8gV29ybGQ=\"");
  EXPECT_EQ(Call("base64decode", {S("SGVsbG8gV29ybGQ=")}), "\"Hello World\"");
  EXPECT_EQ(Call("base64decode", {S("abc")}),
            "ERROR Invalid function argument: Invalid value for \"str\" parameter: failed to "
            "decode base64 data \"abc\".");
  EXPECT_EQ(Call("md5", {S("hello world")}), "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
  EXPECT_EQ(Call("sha1", {S("hello world")}), "\"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed\"");
  EXPECT_EQ(Call("sha256", {S("hello world")}),
            "\"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\"");
  EXPECT_EQ(CallValue("sha512", {S("")}).AsString().substr(0, 16), "cf83e1357eefb8bd");
  EXPECT_EQ(Call("base64sha256", {S("hello world")}),
            "\"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\"");
  EXPECT_EQ(Call("urlencode", {S("Hello World/?")}), "\"Hello+World%2F%3F\"");
  std::string uuid = CallValue("uuid", {}).AsString();
  EXPECT_EQ(uuid.size(), 36u);
  EXPECT_EQ(uuid[14], '4');
  EXPECT_NE(uuid, CallValue("uuid", {}).AsString());
}

TEST_F(FunctionsTest, Network) {
  EXPECT_EQ(Call("cidrsubnet", {S("172.16.0.0/12"), N(4), N(2)}), "\"172.18.0.0/16\"");
  EXPECT_EQ(Call("cidrsubnet", {S("10.1.2.0/24"), N(4), N(15)}), "\"10.1.2.240/28\"");
  EXPECT_EQ(Call("cidrsubnet", {S("fd00:fd12:3456:7890::/56"), N(16), N(162)}),
            "\"fd00:fd12:3456:7800:a200::/72\"");
  EXPECT_EQ(Call("cidrsubnet", {S("10.0.0.0/30"), N(4), N(1)}),
            "ERROR Error in function call: Call to function \"cidrsubnet\" failed: insufficient "
            "address space to extend prefix of 30 by 4.");
  EXPECT_EQ(Call("cidrsubnet", {S("10.0.0.0/16"), N(2), N(4)}),
            "ERROR Error in function call: Call to function \"cidrsubnet\" failed: prefix "
            "extension of 2 does not accommodate a subnet numbered 4.");
  EXPECT_EQ(Call("cidrsubnet", {S("10.0.0.0"), N(2), N(1)}),
            "ERROR Invalid function argument: Invalid value for \"prefix\" parameter: invalid "
            "CIDR expression: invalid CIDR address: 10.0.0.0.");
  EXPECT_EQ(Call("cidrsubnets", {S("10.1.0.0/16"), N(4), N(4), N(8), N(4)}),
            "[\"10.1.0.0/20\", \"10.1.16.0/20\", \"10.1.32.0/24\", \"10.1.48.0/20\"]");
  EXPECT_EQ(Call("cidrsubnets", {S("10.0.0.0/24"), N(1), N(1), N(1)}).substr(0, 40),
            "ERROR Invalid function argument: Invalid");
  EXPECT_EQ(Call("cidrhost", {S("10.12.112.0/20"), N(16)}), "\"10.12.112.16\"");
  EXPECT_EQ(Call("cidrhost", {S("10.12.112.0/20"), N(268)}), "\"10.12.113.12\"");
  EXPECT_EQ(Call("cidrhost", {S("10.0.0.0/24"), N(-2)}), "\"10.0.0.254\"");
  EXPECT_EQ(Call("cidrhost", {S("10.0.0.0/24"), N(256)}),
            "ERROR Error in function call: Call to function \"cidrhost\" failed: prefix of 24 "
            "does not accommodate a host numbered 256.");
  EXPECT_EQ(Call("cidrnetmask", {S("172.16.0.0/12")}), "\"255.240.0.0\"");
}

TEST_F(FunctionsTest, FilesTimeAndTemplates) {
  ASSERT_OK(fs_.MakeDirectories("/mod/t"));
  ASSERT_OK(fs_.WriteFileAtomic("/mod/t/a.txt", "hello"));
  ASSERT_OK(fs_.WriteFileAtomic("/mod/t/b.tpl", "hi ${name}"));
  EXPECT_EQ(Call("file", {S("t/a.txt")}), "\"hello\"");
  EXPECT_EQ(Call("filebase64", {S("t/a.txt")}), "\"aGVsbG8=\"");
  EXPECT_EQ(Call("fileexists", {S("t/a.txt")}), "true");
  EXPECT_EQ(Call("fileexists", {S("t/none")}), "false");
  EXPECT_EQ(Call("file", {S("t/none")}).substr(0, 100),
            "ERROR Invalid function argument: Invalid value for \"path\" parameter: no file "
            "exists at \"t/none\"; thi");
  EXPECT_EQ(Call("templatefile", {S("t/b.tpl"), O({{"name", S("x")}})}),
            "\"hi ${name}|{\\\"name\\\":\\\"x\\\"}\"");
  EXPECT_EQ(Call("templatefile", {S("t/b.tpl"), O({{"name", U(Type::String())}})}),
            "(unknown any)");
  EXPECT_EQ(Call("timestamp", {}), "\"2015-08-30T12:36:00Z\"");
  EXPECT_EQ(Call("dirname", {S("a/b/c.txt")}), "\"a/b\"");
  EXPECT_EQ(Call("basename", {S("a/b/c.txt")}), "\"c.txt\"");
}

TEST_F(FunctionsTest, TimeFunctions) {
  EXPECT_EQ(Call("formatdate", {S("DD MMM YYYY hh:mm ZZZ"), S("2018-01-02T23:12:01Z")}),
            "\"02 Jan 2018 23:12 UTC\"");
  EXPECT_EQ(
      Call("formatdate", {S("EEEE, MMMM D, YYYY 'at' H:mmaa"), S("2018-01-02T23:12:01-08:00")}),
      "\"Tuesday, January 2, 2018 at 11:12pm\"");
  EXPECT_EQ(Call("formatdate", {S("YYYY-MM-DD'T'hh:mm:ssZ"), S("2024-02-29T00:00:00+05:30")}),
            "\"2024-02-29T00:00:00+05:30\"");
  EXPECT_EQ(Call("formatdate", {S("Q"), S("2018-01-02T23:12:01Z")}),
            "ERROR Error in function call: Call to function \"formatdate\" failed: invalid "
            "date format verb \"Q\".");
  EXPECT_EQ(Call("formatdate", {S("YYYY"), S("2018-01-02")}),
            "ERROR Invalid function argument: Invalid value for \"time\" parameter: not a valid "
            "RFC3339 timestamp: \"2018-01-02\".");
  EXPECT_EQ(Call("timeadd", {S("2017-11-22T00:00:00Z"), S("10m")}), "\"2017-11-22T00:10:00Z\"");
  EXPECT_EQ(Call("timeadd", {S("2017-11-22T00:00:00Z"), S("-1h30m")}), "\"2017-11-21T22:30:00Z\"");
  EXPECT_EQ(Call("timeadd", {S("2017-11-22T00:00:00Z"), S("1d")}),
            "ERROR Invalid function argument: Invalid value for \"duration\" parameter: unknown "
            "unit \"d\" in duration \"1d\".");
  EXPECT_EQ(Call("timecmp", {S("2017-11-22T00:00:00Z"), S("2017-11-22T01:00:00+01:00")}), "0");
  EXPECT_EQ(Call("timecmp", {S("2017-11-22T00:00:00Z"), S("2017-11-22T00:00:01Z")}), "-1");
  EXPECT_EQ(Call("plantimestamp", {}), "\"2015-08-30T12:36:00Z\"");
}

TEST_F(FunctionsTest, MoreFileFunctions) {
  ASSERT_OK(fs_.MakeDirectories("/mod/files/sub"));
  ASSERT_OK(fs_.WriteFileAtomic("/mod/files/a.txt", "hello world"));
  ASSERT_OK(fs_.WriteFileAtomic("/mod/files/b.json", "{}"));
  ASSERT_OK(fs_.WriteFileAtomic("/mod/files/sub/c.txt", "x"));
  EXPECT_EQ(Call("filemd5", {S("files/a.txt")}), "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
  EXPECT_EQ(Call("filebase64sha256", {S("files/a.txt")}),
            "\"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\"");
  EXPECT_EQ(Call("fileset", {S("files"), S("*.txt")}), "toset([\"a.txt\"])");
  EXPECT_EQ(Call("fileset", {S("files"), S("**/*.txt")}), "toset([\"a.txt\", \"sub/c.txt\"])");
  EXPECT_EQ(Call("fileset", {S("files"), S("{a,b}.*")}), "toset([\"a.txt\", \"b.json\"])");
  EXPECT_EQ(Call("pathexpand", {S("/abs")}), "\"/abs\"");
  ctx_.home_dir = "/home/u";
  EXPECT_EQ(Call("pathexpand", {S("~/.ssh/id")}), "\"/home/u/.ssh/id\"");
}

TEST_F(FunctionsTest, GzipAndUuidV5AndRemovedFunctions) {
  // A stored-block gzip stream (header, one final stored block, CRC32, length); gunzip
  // reads it back as "hi".
  std::string gz = CallValue("base64gzip", {S("hi")}).AsString();
  EXPECT_EQ(gz, "H4sIAAAAAAAA/wECAP3/aGmsKpPYAgAAAA==");
  EXPECT_EQ(Call("uuidv5", {S("dns"), S("www.terraform.io")}),
            "\"a5008fae-b28c-5ba5-96cd-82b4c53552d6\"");
  EXPECT_EQ(Call("list", {S("a")}),
            "ERROR Error in function call: Call to function \"list\" failed: the \"list\" "
            "function was deprecated in Terraform v0.12 and is no longer available; use "
            "tolist([ ... ]) syntax to write a literal list.");
}

TEST_F(FunctionsTest, YamlDecode) {
  EXPECT_EQ(Call("yamldecode", {S("a: 1\nb:\n  - x\n  - 'y'\n  - c: true\n    d: ~\n"
                                  "e: {f: [1, 2], g: \"h\\n\"}  # comment\n"
                                  "s: |\n  line1\n  line2\nt: >-\n  folded\n  text\n")}),
            "{a = 1, b = [\"x\", \"y\", {c = true, d = null}], e = {f = [1, 2], g = \"h\\n\"}, "
            "s = \"line1\\nline2\\n\", t = \"folded text\"}");
  EXPECT_EQ(Call("yamldecode", {S("- 1.5\n- hello world\n- 0x1F\n")}),
            "[1.5, \"hello world\", 31]");
  EXPECT_EQ(Call("yamldecode", {S("key:\n- a\n- b\n")}), "{key = [\"a\", \"b\"]}");
  EXPECT_THAT(Call("yamldecode", {S("a: &x 1\n")}),
              ::testing::EndsWith("anchors, aliases and tags are not supported."));
  Value round = CallValue(
      "yamldecode",
      {CallValue("yamlencode", {Value::Object({{"list", Value::Tuple({S("a"), N(2)})},
                                               {"multi", S("x\ny\n")},
                                               {"nested", Value::Object({{"k", S("v: w")}})}})})});
  EXPECT_EQ(round.ToDebugString(),
            "{list = [\"a\", 2], multi = \"x\\ny\\n\", nested = {k = \"v: w\"}}");
}

TEST_F(FunctionsTest, RemainingHashAndPathFunctions) {
  ASSERT_OK(fs_.MakeDirectories("/mod"));
  ASSERT_OK(fs_.WriteFileAtomic("/mod/h.txt", "hello world"));
  EXPECT_EQ(Call("filesha1", {S("h.txt")}), "\"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed\"");
  EXPECT_EQ(Call("filesha256", {S("h.txt")}),
            "\"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\"");
  EXPECT_EQ(CallValue("filesha512", {S("h.txt")}).AsString(),
            CallValue("sha512", {S("hello world")}).AsString());
  EXPECT_EQ(CallValue("filebase64sha512", {S("h.txt")}).AsString(),
            CallValue("base64sha512", {S("hello world")}).AsString());
  EXPECT_EQ(CallValue("base64sha512", {S("")}).AsString().substr(0, 12), "z4PhNX7vuL3x");
  EXPECT_EQ(Call("abspath", {S("x/y")}), "\"/mod/x/y\"");
  EXPECT_EQ(Call("abspath", {S("/etc")}), "\"/etc\"");
  EXPECT_EQ(Call("textencodebase64", {S("Hello"), S("UTF-8")}), "\"SGVsbG8=\"");
  EXPECT_EQ(Call("textencodebase64", {S("Hello"), S("UTF-16LE")}),
            "ERROR Invalid function argument: Invalid value for \"encoding\" parameter: "
            "\"UTF-16LE\" is not a supported IANA encoding name or alias.");
  EXPECT_EQ(Call("map", {S("a"), S("b")}),
            "ERROR Error in function call: Call to function \"map\" failed: the \"map\" function "
            "was deprecated in Terraform v0.12 and is no longer available; use tomap({ ... }) "
            "syntax to write a literal map.");
}

// Decoders and mini-languages inside functions (YAML, JSON, format verbs, RE2 patterns, CIDR,
// timestamps) get mutated inputs: every call must come back with a value or an error.
TEST_F(FunctionsTest, MutatedInputsGiveValuesOrErrors) {
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {"yamldecode", "a: 1\nb:\n  - x\n  - {c: [1, 'q']}\ns: |\n  t\n"},
      {"jsondecode", "{\"a\": [1, 2.5e3, \"x\\u00e9\", null, {\"b\": true}]}"},
      {"format", "%-5.2f|%[2]q|%#v|%x|%08.3e|%%"},
      {"regex", "^(?P<a>[a-z]+)-(?P<b>\\d{2,})(?i)\\A\\z[[:alpha:]]$"},
      {"cidrhost", "fd00:fd12:3456:7890::/56"},
      {"formatdate", "2018-01-02T23:12:01.123+05:30"},
  };
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]()%:'\"\\-|>#&*!?.,0123456789aZ \n\t/";
  int answered = 0;
  for (const auto& [fn, seed] : seeds) {
    for (int round = 0; round < 1000; ++round) {
      std::string text = seed;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !text.empty(); ++e) {
        size_t pos = rng() % text.size();
        switch (rng() % 3) {
          case 0:
            text.erase(pos, 1 + rng() % 3);
            break;
          case 1:
            text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
            break;
          default:
            text[pos] = alphabet[rng() % alphabet.size()];
        }
      }
      std::vector<Value> args;
      if (fn == "format") {
        args = {S(text), D("3.14159"), S("q"), N(255)};
      } else if (fn == "regex") {
        args = {S(text), S("abc-123")};
      } else if (fn == "cidrhost") {
        args = {S(text), N(5)};
      } else if (fn == "formatdate") {
        args = {S("YYYY-MM-DD hh:mm:ss ZZZZZ"), S(text)};
      } else {
        args = {S(text)};
      }
      FunctionError err;
      Result<Value> r = CallFunction(StandardFunctions(), fn, args, ctx_, &err);
      EXPECT_TRUE(r.ok() || !err.detail.empty()) << fn << ": " << text;
      ++answered;
    }
  }
  EXPECT_EQ(answered, 6000);
}

}  // namespace
}  // namespace cf::hcl
