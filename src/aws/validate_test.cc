#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/codec.h"
#include "aws/models.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

class ValidateTest : public ::testing::Test {
 protected:
  const ServiceModel& Model(const char* name) {
    auto model = models_.Find(name);
    EXPECT_OK(model);
    return **model;
  }
  Status Serialize(const char* service, const char* operation, const nlohmann::json& params) {
    const ServiceModel& model = Model(service);
    auto op = model.FindOperation(operation);
    EXPECT_OK(op);
    return SerializeRequest(model, **op, params).status();
  }

  Models models_;
};

TEST_F(ValidateTest, AcceptsWellFormedParams) {
  EXPECT_OK(
      Serialize("ec2", "DescribeInstances",
                {{"Filters", {{{"Name", "tag:Name"}, {"Values", {"web"}}}}}, {"MaxResults", 10}}));
}

TEST_F(ValidateTest, NamesTheMemberPathOfAWrongType) {
  EXPECT_THAT(
      Serialize("ec2", "DescribeInstances",
                {{"Filters", {{{"Name", "tag:Name"}, {"Values", "web"}}}}}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("Filters[0].Values: expected a list")));
  EXPECT_THAT(Serialize("ec2", "DescribeInstances", {{"MaxResults", "ten"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("MaxResults: expected an integer")));
  EXPECT_THAT(Serialize("ec2", "DescribeInstances", {{"DryRun", "yes"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("DryRun: expected a boolean")));
}

TEST_F(ValidateTest, RejectsUnknownMembers) {
  EXPECT_THAT(Serialize("ec2", "DescribeInstances", {{"Filters", {{{"Nme", "x"}}}}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("Filters[0].Nme: unknown member")));
}

TEST_F(ValidateTest, RejectsMissingRequiredMembers) {
  EXPECT_THAT(Serialize("iam", "CreateRole", {{"RoleName", "web"}}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("AssumeRolePolicyDocument: missing required member")));
  EXPECT_THAT(
      Serialize("ec2", "RunInstances", {{"MinCount", 1}}),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("MaxCount: missing required member")));
}

TEST_F(ValidateTest, RejectsValuesOutsideTheEnum) {
  EXPECT_THAT(
      Serialize("dynamodb", "CreateTable",
                {{"TableName", "t"},
                 {"AttributeDefinitions", {{{"AttributeName", "k"}, {"AttributeType", "S"}}}},
                 {"KeySchema", {{{"AttributeName", "k"}, {"KeyType", "HASH"}}}},
                 {"BillingMode", "FREE"}}),
      StatusIs(StatusCode::kInvalidArgument,
               HasSubstr("BillingMode: \"FREE\" is not one of PROVISIONED, PAY_PER_REQUEST")));
}

TEST_F(ValidateTest, EnforcesLengthLimits) {
  std::string doc = "{}";
  EXPECT_THAT(Serialize("iam", "CreateRole", {{"RoleName", ""}, {"AssumeRolePolicyDocument", doc}}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("RoleName: length 0 is below the minimum 1")));
  EXPECT_THAT(Serialize("iam", "CreateRole",
                        {{"RoleName", std::string(65, 'r')}, {"AssumeRolePolicyDocument", doc}}),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("RoleName: length 65 is above the maximum 64")));
}

TEST_F(ValidateTest, RejectsParamsForAnOperationWithoutInput) {
  nlohmann::json service = {{"metadata", {{"protocol", "json"}, {"targetPrefix", "T"}}},
                            {"shapes", nlohmann::json::object()},
                            {"operations", {{"Ping", {{"name", "Ping"}}}}}};
  auto model = ServiceModel::FromJson(service);
  ASSERT_OK(model);
  auto op = (*model)->FindOperation("Ping");
  ASSERT_OK(op);
  EXPECT_THAT(SerializeRequest(**model, **op, {{"x", 1}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("Ping takes no parameters")));
}

TEST_F(ValidateTest, ValidateParamsChecksAShapeDirectly) {
  const ServiceModel& ec2 = Model("ec2");
  EXPECT_OK(ValidateParams(ec2, "Filter", {{"Name", "a"}}));
  EXPECT_THAT(ValidateParams(ec2, "Filter", nlohmann::json::array()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("params: expected an object")));
}

}  // namespace
}  // namespace cf::aws
