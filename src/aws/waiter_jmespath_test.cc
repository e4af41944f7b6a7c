#include "aws/waiter_jmespath.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::aws::jmespath {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json Eval(std::string_view expr, const json& data) {
  auto r = Search(expr, data);
  EXPECT_OK(r) << expr;
  return r.ok() ? *r : json("<error>");
}

const json kInstances = json::parse(R"({
  "Reservations": [
    {"Instances": [{"InstanceId": "i-1", "State": {"Name": "running"}},
                   {"InstanceId": "i-2", "State": {"Name": "pending"}}]},
    {"Instances": [{"InstanceId": "i-3", "State": {"Name": "running"}}]},
    {"Instances": []}
  ],
  "Table": {"TableStatus": "ACTIVE"},
  "Output": null
})");

TEST(JmespathTest, FieldPaths) {
  EXPECT_EQ(Eval("Table.TableStatus", kInstances), "ACTIVE");
  EXPECT_EQ(Eval("Table.Missing", kInstances), nullptr);
  EXPECT_EQ(Eval("Nope.Deeper", kInstances), nullptr);
  EXPECT_EQ(Eval("\"Table\".TableStatus", kInstances), "ACTIVE");
}

TEST(JmespathTest, FlattenProjectsTheRestOfThePath) {
  EXPECT_EQ(Eval("Reservations[].Instances[].State.Name", kInstances),
            json::parse(R"(["running","pending","running"])"));
  EXPECT_EQ(Eval("Reservations[].Instances[].InstanceId", kInstances),
            json::parse(R"(["i-1","i-2","i-3"])"));
  EXPECT_EQ(Eval("length(Reservations[]) > `0`", kInstances), true);
  EXPECT_EQ(Eval("length(Reservations[].Instances[]) == `3`", kInstances), true);
}

TEST(JmespathTest, FiltersWithLiteralsAndRawStrings) {
  EXPECT_EQ(Eval("Reservations[].Instances[?State.Name=='running'].InstanceId[]", kInstances),
            json::parse(R"(["i-1","i-3"])"));
  EXPECT_EQ(Eval("Reservations[].Instances[?State.Name==`\"pending\"`][].InstanceId", kInstances),
            json::parse(R"(["i-2"])"));
  EXPECT_EQ(Eval("length(Reservations[].Instances[?State.Name != 'running'][]) == `1`", kInstances),
            true);
}

TEST(JmespathTest, OrAndNotAndIndexes) {
  EXPECT_EQ(Eval("length(Output || '') > `0`", kInstances), false);
  EXPECT_EQ(Eval("length(Output || 'abc')", kInstances), 3);
  EXPECT_EQ(Eval("!Output && Table", kInstances), json::parse(R"({"TableStatus":"ACTIVE"})"));
  EXPECT_EQ(Eval("Reservations[0].Instances[-1].InstanceId", kInstances), "i-2");
  EXPECT_EQ(Eval("Reservations[-1].Instances[0]", kInstances), nullptr);
}

TEST(JmespathTest, S3NextMarkerFallback) {
  json page = json::parse(R"({"Contents": [{"Key": "a"}, {"Key": "b"}]})");
  EXPECT_EQ(Eval("NextMarker || Contents[-1].Key", page), "b");
  page["NextMarker"] = "m";
  EXPECT_EQ(Eval("NextMarker || Contents[-1].Key", page), "m");
}

TEST(JmespathTest, MultiSelectListsAndContains) {
  json groups = json::parse(R"({"AutoScalingGroups": [
      {"MinSize": 2, "Instances": [{"LifecycleState": "InService"}, {"LifecycleState": "Pending"}]},
      {"MinSize": 1, "Instances": [{"LifecycleState": "InService"}]}]})");
  EXPECT_EQ(Eval("AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) >= "
                 "MinSize][]",
                 groups),
            json::parse("[false, true]"));
  EXPECT_EQ(Eval("contains(AutoScalingGroups[].[length(Instances[?LifecycleState=='InService']) "
                 ">= MinSize][], `false`)",
                 groups),
            true);
}

TEST(JmespathTest, WildcardsOverListsAndObjects) {
  json data =
      json::parse(R"({"a": [{"b": 1}, {"b": 2}, {}], "m": {"x": {"v": 1}, "y": {"v": 2}}})");
  EXPECT_EQ(Eval("a[*].b", data), json::parse("[1, 2]"));
  EXPECT_EQ(Eval("m.*.v", data), json::parse("[1, 2]"));
  EXPECT_EQ(Eval("a | length(@)", data), 3);
}

TEST(JmespathTest, BadExpressionsSayWhere) {
  EXPECT_THAT(Search("a.", json::object()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("column 3")));
  EXPECT_THAT(Search("sort(a)", json::object()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown function sort()")));
  EXPECT_THAT(Search("a[?b == 'x'", json::object()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected ']'")));
}

}  // namespace
}  // namespace cf::aws::jmespath
