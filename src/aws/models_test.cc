#include "aws/models.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

TEST(ModelsTest, EmbedsEveryServiceClusterformDrives) {
  std::vector<std::string> names = Models::Names();
  for (const char* service :
       {"sts",      "ec2", "autoscaling", "elbv2",         "iam",    "kms",  "secretsmanager",
        "dynamodb", "s3",  "lambda",      "stepfunctions", "events", "logs", "route53",
        "acm",      "rds", "eks",         "elasticache",   "efs",    "sqs",  "ssm"}) {
    EXPECT_THAT(names, ::testing::Contains(service));
  }
}

TEST(ModelsTest, EveryEmbeddedModelParses) {
  Models models;
  for (const std::string& name : Models::Names()) {
    auto model = models.Find(name);
    ASSERT_OK(model) << name;
    EXPECT_FALSE((*model)->operations().empty()) << name;
  }
}

TEST(ModelsTest, FindsEc2DescribeInstances) {
  Models models;
  auto ec2 = models.Find("ec2");
  ASSERT_OK(ec2);
  EXPECT_EQ((*ec2)->protocol(), Protocol::kEc2);
  EXPECT_EQ((*ec2)->api_version(), "2016-11-15");
  auto op = (*ec2)->FindOperation("DescribeInstances");
  ASSERT_OK(op);
  EXPECT_EQ((*op)->input.value("shape", ""), "DescribeInstancesRequest");
  EXPECT_NE((*ec2)->FindShape("DescribeInstancesRequest"), nullptr);
}

TEST(ModelsTest, DropsDocumentationButKeepsMembersCalledDocumentation) {
  Models models;
  auto ec2 = models.Find("ec2");
  ASSERT_OK(ec2);
  const nlohmann::json* filter = (*ec2)->FindShape("Filter");
  ASSERT_NE(filter, nullptr);
  EXPECT_FALSE(filter->contains("documentation"));
  EXPECT_FALSE((*filter)["members"]["Name"].contains("documentation"));
}

TEST(ModelsTest, HasWaitersAndPaginators) {
  Models models;
  auto ec2 = models.Find("ec2");
  ASSERT_OK(ec2);
  auto waiter = (*ec2)->FindWaiter("InstanceRunning");
  ASSERT_OK(waiter);
  EXPECT_EQ((**waiter)["operation"], "DescribeInstances");
  auto paginator = (*ec2)->FindPaginator("DescribeInstances");
  ASSERT_OK(paginator);
  EXPECT_EQ((**paginator)["input_token"], "NextToken");
  EXPECT_THAT((*ec2)->FindWaiter("NoSuchWaiter"),
              StatusIs(StatusCode::kNotFound, HasSubstr("NoSuchWaiter")));
}

TEST(ModelsTest, ServiceWithoutWaitersHasAnEmptyList) {
  Models models;
  auto sts = models.Find("sts");
  ASSERT_OK(sts);
  EXPECT_TRUE((*sts)->waiters().empty());
  EXPECT_EQ((*sts)->protocol(), Protocol::kQuery);
}

TEST(ModelsTest, ParsesOnceAndReturnsTheSameModel) {
  Models models;
  auto first = models.Find("dynamodb");
  auto second = models.Find("dynamodb");
  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_EQ(*first, *second);
}

TEST(ModelsTest, UnknownServiceIsNotFound) {
  Models models;
  EXPECT_THAT(models.Find("nosuchservice"),
              StatusIs(StatusCode::kNotFound, HasSubstr("unknown service \"nosuchservice\"")));
}

TEST(ModelsTest, UnknownOperationIsNotFound) {
  Models models;
  auto ec2 = models.Find("ec2");
  ASSERT_OK(ec2);
  EXPECT_THAT((*ec2)->FindOperation("DescribeUnicorns"),
              StatusIs(StatusCode::kNotFound, HasSubstr("unknown operation ec2.DescribeUnicorns")));
}

TEST(ServiceModelTest, RejectsUnknownProtocol) {
  nlohmann::json service = {{"metadata", {{"protocol", "smoke-signals"}}}, {"shapes", {}}};
  EXPECT_THAT(ServiceModel::FromJson(service),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("smoke-signals")));
}

TEST(ServiceModelTest, RejectsDanglingInputShape) {
  nlohmann::json service = {
      {"metadata", {{"protocol", "json"}}},
      {"shapes", nlohmann::json::object()},
      {"operations", {{"Op", {{"name", "Op"}, {"input", {{"shape", "Missing"}}}}}}}};
  EXPECT_THAT(ServiceModel::FromJson(service),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("Missing")));
}

}  // namespace
}  // namespace cf::aws
