#include "cloud/dynamodb/dynamodb_service.h"

#include <gtest/gtest.h>

#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud::dynamodb {
namespace {

const char kCreate[] = R"j({"TableName": "tab",
    "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST"})j";

class DynamoDbServiceTest : public testing::ServiceTest {
 protected:
  DynamoDbServiceTest() {
    auto opened = DynamoDbService::Open(*store_, "", clock_);
    EXPECT_TRUE(opened.ok());
    service_ = std::move(opened).value();
    Serve(*service_);
  }
  std::unique_ptr<DynamoDbService> service_;
};

TEST_F(DynamoDbServiceTest, AnswersEveryEngineOperationAndNoOther) {
  for (const auto& [name, operation] : DynamoDbEngine::Operations()) {
    EXPECT_TRUE(service_->HasOperation(name)) << name;
  }
  EXPECT_FALSE(service_->HasOperation("CreateBackup"));
  EXPECT_EQ(ErrorCode("CreateBackup", Json::object()), "UnknownOperationException");
}

TEST_F(DynamoDbServiceTest, BlobsReachTheEngineAsBase64AndComeBackRaw) {
  Ok("CreateTable", Json::parse(kCreate));
  std::string raw("\x00\xffz", 3);
  Ok("PutItem", {{"TableName", "tab"}, {"Item", {{"k", {{"S", "a"}}}, {"b", {{"B", raw}}}}}});
  Json got = Ok("GetItem", {{"TableName", "tab"}, {"Key", {{"k", {{"S", "a"}}}}}});
  EXPECT_EQ(got["Item"]["b"]["B"], raw);
  // A condition on the blob compares the same bytes.
  Json checked = Ok("UpdateItem",
                    {{"TableName", "tab"},
                     {"Key", {{"k", {{"S", "a"}}}}},
                     {"UpdateExpression", "SET n = :one"},
                     {"ConditionExpression", "b = :b"},
                     {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}, {":b", {{"B", raw}}}}},
                     {"ReturnValues", "ALL_NEW"}});
  EXPECT_EQ(checked["Attributes"]["b"]["B"], raw);
}

TEST_F(DynamoDbServiceTest, AMemberOfTheWrongTypeIsSerializationExceptionAndChangesNothing) {
  Ok("CreateTable", Json::parse(kCreate));
  // Limit must be a number: the engine reads it as one.
  ServiceResult r = Call("Scan", {{"TableName", "tab"}, {"Limit", "ten"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "SerializationException");
  EXPECT_EQ(r.error().http_status, 400);
  Json listed = Ok("ListTables", Json::object());
  EXPECT_EQ(listed["TableNames"], Json({"tab"}));
}

TEST_F(DynamoDbServiceTest, ResetDeletesEveryTable) {
  Ok("CreateTable", Json::parse(kCreate));
  ASSERT_OK(service_->Reset());
  EXPECT_EQ(Ok("ListTables", Json::object())["TableNames"], Json::array());
}

TEST(DynamoDbBlobsTest, BlobsConvertBetweenRawAndBase64) {
  Json tree = {{"Item",
                {{"k", {{"S", "a"}}},
                 {"B", {{"S", "an attribute named B"}}},
                 {"data", {{"B", "hello"}}},
                 {"set", {{"BS", {"x", "yz"}}}},
                 {"nested", {{"M", {{"inner", {{"B", std::string("\x00\xff", 2)}}}}}}}}}};
  BlobsToBase64(tree);
  EXPECT_EQ(tree["Item"]["data"]["B"], "aGVsbG8=");
  EXPECT_EQ(tree["Item"]["set"]["BS"], Json({"eA==", "eXo="}));
  EXPECT_EQ(tree["Item"]["nested"]["M"]["inner"]["B"], "AP8=");
  EXPECT_EQ(tree["Item"]["B"]["S"], "an attribute named B");
  BlobsFromBase64(tree);
  EXPECT_EQ(tree["Item"]["data"]["B"], "hello");
  EXPECT_EQ(tree["Item"]["set"]["BS"], Json({"x", "yz"}));
  EXPECT_EQ(tree["Item"]["nested"]["M"]["inner"]["B"], std::string("\x00\xff", 2));
}

}  // namespace
}  // namespace cf::cloud::dynamodb
