#include "cloud/stepfunctions/definition.h"

#include <gtest/gtest.h>

namespace cf::cloud::stepfunctions {
namespace {

std::string Problems(const std::string& definition) {
  return DefinitionErrorMessage(ValidateDefinition(definition));
}

TEST(DefinitionTest, AcceptsAValidMachine) {
  EXPECT_TRUE(ValidateDefinition(R"({
    "Comment": "ok", "StartAt": "A", "TimeoutSeconds": 60,
    "States": {
      "A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "Next": "B"},
      "B": {"Type": "Choice", "Choices": [
              {"Variable": "$.r.x", "NumericEquals": 1, "Next": "C"},
              {"And": [{"Variable": "$.a", "IsPresent": true},
                       {"Not": {"Variable": "$.a", "StringMatches": "x*"}}], "Next": "D"}],
            "Default": "D"},
      "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "D", "ResultPath": "$.err"}],
            "Next": "M"},
      "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
            "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
            "Next": "P"},
      "P": {"Type": "Parallel", "Branches": [
              {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}}],
            "End": true},
      "D": {"Type": "Fail", "Error": "E", "Cause": "c"}
    }})")
                  .empty());
}

TEST(DefinitionTest, BadJson) {
  std::vector<DefinitionProblem> p = ValidateDefinition("{\"StartAt\": ");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].code, "INVALID_JSON_DESCRIPTION");
}

TEST(DefinitionTest, MissingTargetsAndUnreachableStatesAsAwsReportsThem) {
  EXPECT_EQ(Problems(R"({"StartAt": "pass1", "States": {
      "pass1": {"Type": "Pass", "Next": "pass3"},
      "pass2": {"Type": "Pass", "End": true}}})"),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: "
            "pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not "
            "reachable. at /States/pass2'");
  EXPECT_EQ(Problems(R"({"StartAt": "X", "States": {"A": {"Type": "Succeed"}}})"),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: "
            "X at /StartAt, MISSING_TRANSITION_TARGET: State \"A\" is not reachable. at "
            "/States/A'");
}

TEST(DefinitionTest, SchemaProblems) {
  EXPECT_EQ(Problems(R"({"States": {}})"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are "
            "required: [StartAt] at /'");
  EXPECT_EQ(Problems(R"({"StartAt": "A", "States": {"A": {"Type": "Sleep", "End": true}}})"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value is not one of "
            "[Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map] at /States/A/Type'");
  EXPECT_EQ(Problems(R"({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "nope",
                                                          "End": true}}})"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value is not a valid "
            "resource ARN at /States/A/Resource'");
  EXPECT_EQ(Problems(R"({"StartAt": "A", "States": {"A": {"Type": "Pass"}}})"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Exactly one of these "
            "fields must be set: [Next, End] at /States/A'");
  EXPECT_EQ(Problems(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true,
                                                          "Bogus": 1}}})"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field \"Bogus\" is not "
            "supported by Step Functions at /States/A'");
  EXPECT_EQ(Problems(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true,
                                                          "ResultPath": "$.a[*]"}}})"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field "
            "'ResultPath' must be a valid Reference Path at /States/A/ResultPath'");
  EXPECT_EQ(Problems(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true,
                                                          "Parameters": {"x.$": "nope"}}}})"),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field "
            "'x.$' must be a valid JSONPath or a valid intrinsic function call at "
            "/States/A/Parameters'");
}

TEST(DefinitionTest, ChoiceRetryWaitAndNestedProblems) {
  EXPECT_FALSE(ValidateDefinition(R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "E"}]},
      "E": {"Type": "Succeed"}}})")
                   .empty());
  EXPECT_FALSE(ValidateDefinition(R"({"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": "1", "Next": "E"}]},
      "E": {"Type": "Succeed"}}})")
                   .empty());
  EXPECT_NE(Problems(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f",
            "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["X"]}], "End": true}}})")
                .find("States.ALL must appear alone"),
            std::string::npos);
  EXPECT_NE(Problems(R"({"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 1, "Timestamp": "2020-01-01T00:00:00Z", "End": true}}})")
                .find("[Seconds, Timestamp, SecondsPath, TimestampPath]"),
            std::string::npos);
  EXPECT_NE(Problems(R"({"StartAt": "P", "States": {
      "P": {"Type": "Parallel", "End": true,
            "Branches": [{"StartAt": "X", "States": {"Y": {"Type": "Succeed"}}}]}}})")
                .find("Missing 'Next' target: X at /States/P/Branches[0]/StartAt"),
            std::string::npos);
}

TEST(DefinitionTest, ParseDefinitionGivesTheAwsMessage) {
  Result<Json> r = ParseDefinition("[]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Expected value of type: "
            "Object at /'");
}

}  // namespace
}  // namespace cf::cloud::stepfunctions
