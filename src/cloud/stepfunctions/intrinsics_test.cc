#include "cloud/stepfunctions/intrinsics.h"

#include <gtest/gtest.h>

#include <regex>

namespace cf::cloud::stepfunctions {
namespace {

class IntrinsicsTest : public ::testing::Test {
 protected:
  Json Eval(const std::string& expr) {
    Result<Json> r = EvaluateIntrinsic(expr, input_, context_, random_);
    EXPECT_TRUE(r.ok()) << expr << ": " << r.status().ToString();
    return r.ok() ? *r : Json("<error>");
  }
  std::string Error(const std::string& expr) {
    Result<Json> r = EvaluateIntrinsic(expr, input_, context_, random_);
    EXPECT_FALSE(r.ok()) << expr << " gave " << (r.ok() ? r->dump() : "");
    return r.status().message();
  }

  Json input_ = Json::parse(R"({"name": "weka", "n": 3, "list": [1, 2, 2, 3],
                                "obj": {"a": 1}, "csv": "a,b,,c"})");
  Json context_ = Json::parse(R"({"Execution": {"Name": "run-1"}})");
  SeededRandom random_{7};
};

TEST_F(IntrinsicsTest, Format) {
  EXPECT_EQ(Eval("States.Format('Hello, {}! {} items', $.name, $.n)"), "Hello, weka! 3 items");
  EXPECT_EQ(Eval("States.Format('run {}', $$.Execution.Name)"), "run run-1");
  EXPECT_EQ(Eval("States.Format('a \\{\\} {}', true)"), "a {} true");
  EXPECT_EQ(Eval("States.Format('it\\'s {}', null)"), "it's null");
  EXPECT_NE(Error("States.Format('{} {}', 1)").find("more {}"), std::string::npos);
}

TEST_F(IntrinsicsTest, JsonConversions) {
  EXPECT_EQ(Eval("States.StringToJson('{\"x\": [1]}')"), Json::parse(R"({"x": [1]})"));
  EXPECT_EQ(Eval("States.JsonToString($.obj)"), R"({"a":1})");
  Error("States.StringToJson('{nope')");
}

TEST_F(IntrinsicsTest, Arrays) {
  EXPECT_EQ(Eval("States.Array(1, 'two', $.obj, States.Array())"),
            Json::parse(R"([1, "two", {"a": 1}, []])"));
  EXPECT_EQ(Eval("States.ArrayPartition($.list, 3)"), Json::parse("[[1, 2, 2], [3]]"));
  EXPECT_EQ(Eval("States.ArrayContains($.list, 3)"), true);
  EXPECT_EQ(Eval("States.ArrayContains($.list, 9)"), false);
  EXPECT_EQ(Eval("States.ArrayRange(1, 9, 2)"), Json::parse("[1, 3, 5, 7, 9]"));
  EXPECT_EQ(Eval("States.ArrayRange(3, 1, -1)"), Json::parse("[3, 2, 1]"));
  EXPECT_EQ(Eval("States.ArrayGetItem($.list, 3)"), 3);
  EXPECT_EQ(Eval("States.ArrayLength($.list)"), 4);
  EXPECT_EQ(Eval("States.ArrayUnique($.list)"), Json::parse("[1, 2, 3]"));
  Error("States.ArrayGetItem($.list, 4)");
  Error("States.ArrayRange(0, 5000, 1)");
  Error("States.ArrayLength($.name)");
}

TEST_F(IntrinsicsTest, EncodingAndHashing) {
  EXPECT_EQ(Eval("States.Base64Encode('Data to encode')"), "RGF0YSB0byBlbmNvZGU=");
  EXPECT_EQ(Eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), "Data to encode");
  EXPECT_EQ(Eval("States.Hash('input data', 'SHA-1')"), "aaff4a450a104cd177d28d18d74485e8cae074b7");
  EXPECT_EQ(Eval("States.Hash('abc', 'MD5')"), "900150983cd24fb0d6963f7d28e17f72");
  Error("States.Hash('abc', 'CRC32')");
}

TEST_F(IntrinsicsTest, MergeMathSplitUuid) {
  EXPECT_EQ(Eval("States.JsonMerge($.obj, States.StringToJson('{\"b\": 2, \"a\": 5}'), false)"),
            Json::parse(R"({"a": 5, "b": 2})"));
  Error("States.JsonMerge($.obj, $.obj, true)");
  EXPECT_EQ(Eval("States.MathAdd($.n, -5)"), -2);
  Json r = Eval("States.MathRandom(10, 20)");
  ASSERT_TRUE(r.is_number_integer());
  EXPECT_GE(r.get<int>(), 10);
  EXPECT_LT(r.get<int>(), 20);
  EXPECT_EQ(Eval("States.MathRandom(0, 1000, 42)"), Eval("States.MathRandom(0, 1000, 42)"));
  EXPECT_EQ(Eval("States.StringSplit($.csv, ',')"), Json::parse(R"(["a", "b", "c"])"));
  EXPECT_EQ(Eval("States.StringSplit('a-b+c', '-+')"), Json::parse(R"(["a", "b", "c"])"));
  std::string uuid = Eval("States.UUID()").get<std::string>();
  EXPECT_TRUE(std::regex_match(
      uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << uuid;
}

TEST_F(IntrinsicsTest, ErrorsNameTheProblem) {
  EXPECT_NE(Error("States.Nope(1)").find("not an intrinsic function"), std::string::npos);
  EXPECT_NE(Error("States.ArrayLength($.missing)").find("$.missing"), std::string::npos);
  EXPECT_NE(Error("States.MathAdd(1)").find("takes 2 arguments"), std::string::npos);
  Error("States.Format('x'");
}

}  // namespace
}  // namespace cf::cloud::stepfunctions
