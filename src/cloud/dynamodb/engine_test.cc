#include "cloud/dynamodb/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "cloud/dynamodb/memory_storage.h"
#include "cloud/dynamodb/sqlite_storage.h"
#include "testing/fake_clock.h"

namespace cf::cloud::dynamodb {
namespace {

using ::testing::HasSubstr;

Json J(const char* text) {
  return Json::parse(text);
}

// Runs every test against both storages.
class EngineTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto s = SqliteStorage::Open(":memory:");
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      storage_ = std::move(*s);
    } else {
      storage_ = std::make_unique<MemoryStorage>();
    }
    engine_ = std::make_unique<DynamoDbEngine>(*storage_, clock_);
    ASSERT_TRUE(engine_->Load().ok());
  }

  Json Ok(const char* operation, const Json& input) {
    auto r = engine_->Call(operation, input);
    EXPECT_TRUE(r.ok()) << operation << " " << input.dump() << ": "
                        << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? *r : Json();
  }
  Json Ok(const char* operation, const char* input) { return Ok(operation, J(input)); }

  ServiceError Err(const char* operation, const Json& input) {
    auto r = engine_->Call(operation, input);
    EXPECT_FALSE(r.ok()) << operation << " " << input.dump()
                         << " succeeded: " << (r.ok() ? r->dump() : "");
    return r.ok() ? ServiceError{} : r.error();
  }
  ServiceError Err(const char* operation, const char* input) { return Err(operation, J(input)); }

  void CreateOrders() {
    Ok("CreateTable", R"j({
      "TableName": "orders",
      "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                               {"AttributeName": "sk", "AttributeType": "N"},
                               {"AttributeName": "status", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"}],
      "BillingMode": "PAY_PER_REQUEST",
      "GlobalSecondaryIndexes": [{"IndexName": "by-status",
        "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}],
        "Projection": {"ProjectionType": "KEYS_ONLY"}}]})j");
    for (int i = 1; i <= 5; ++i) {
      Json item = {{"pk", {{"S", "user"}}},
                   {"sk", {{"N", std::to_string(i)}}},
                   {"status", {{"S", i % 2 == 0 ? "open" : "closed"}}},
                   {"total", {{"N", std::to_string(i * 10)}}}};
      Ok("PutItem", Json{{"TableName", "orders"}, {"Item", item}});
    }
    Ok("PutItem", R"j({"TableName": "orders", "Item": {"pk": {"S": "other"}, "sk": {"N": "1"}}})j");
  }

  void CreateSimple(const char* name = "simple") {
    Json in = J(R"j({"AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                    "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}})j");
    in["TableName"] = name;
    Ok("CreateTable", in);
  }

  FakeClock clock_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<DynamoDbEngine> engine_;
};

TEST_P(EngineTest, CreatesDescribesListsAndDeletesTables) {
  CreateSimple("alpha");
  CreateSimple("beta");
  CreateSimple("gamma");
  Json d = Ok("DescribeTable", R"j({"TableName": "beta"})j")["Table"];
  EXPECT_EQ(d["TableStatus"], "ACTIVE");
  EXPECT_EQ(d["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/beta");
  EXPECT_EQ(d["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
  Json page = Ok("ListTables", R"j({"Limit": 2})j");
  EXPECT_EQ(page["TableNames"], J(R"j(["alpha", "beta"])j"));
  EXPECT_EQ(page["LastEvaluatedTableName"], "beta");
  page = Ok("ListTables", R"j({"ExclusiveStartTableName": "beta"})j");
  EXPECT_EQ(page["TableNames"], J(R"j(["gamma"])j"));
  EXPECT_FALSE(page.contains("LastEvaluatedTableName"));

  ServiceError e = Err("CreateTable", R"j({"TableName": "beta",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"})j");
  EXPECT_EQ(e.code, "ResourceInUseException");
  EXPECT_EQ(e.message, "Table already exists: beta");

  EXPECT_EQ(Ok("DeleteTable", R"j({"TableName": "beta"})j")["TableDescription"]["TableStatus"],
            "DELETING");
  e = Err("DescribeTable", R"j({"TableName": "beta"})j");
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "Requested resource not found: Table: beta not found");
}

TEST_P(EngineTest, CreateTableValidatesLikeDynamoDb) {
  ServiceError e = Err("CreateTable", R"j({"TableName": "tbl1",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"},
                               {"AttributeName": "extra", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"})j");
  EXPECT_EQ(e.code, "ValidationException");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: Number of attributes in KeySchema does not "
            "exactly match number of attributes defined in AttributeDefinitions");
  e = Err("CreateTable", R"j({"TableName": "tbl1",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})j");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
            "must both be specified when BillingMode is PROVISIONED");
  e = Err("CreateTable", R"j({"TableName": "tbl1",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "other", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"})j");
  EXPECT_THAT(e.message,
              HasSubstr("Some index key attributes are not defined in AttributeDefinitions"));
  e = Err("CreateTable", R"j({"TableName": "x",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"})j");
  EXPECT_THAT(e.message, HasSubstr("Member must have length greater than or equal to 3"));
}

TEST(EngineClockTest, TableIsCreatingUntilTheDelayPasses) {
  FakeClock clock;
  MemoryStorage storage;
  EngineOptions options;
  options.table_creation_delay = std::chrono::seconds(2);
  DynamoDbEngine engine(storage, clock, options);
  auto r = engine.Call("CreateTable", J(R"j({"TableName": "slow",
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"})j"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["TableDescription"]["TableStatus"], "CREATING");
  auto put = engine.Call("PutItem", J(R"j({"TableName": "slow", "Item": {"id": {"S": "a"}}})j"));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, "ResourceNotFoundException");
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(
      (*engine.Call("DescribeTable", J(R"j({"TableName": "slow"})j")))["Table"]["TableStatus"],
      "ACTIVE");
  EXPECT_TRUE(
      engine.Call("PutItem", J(R"j({"TableName": "slow", "Item": {"id": {"S": "a"}}})j")).ok());
}

TEST_P(EngineTest, PutsAndGetsItemsWithProjection) {
  CreateSimple();
  Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "n": {"N": "01.50"},
      "m": {"M": {"x": {"S": "1"}, "y": {"L": [{"S": "p"}, {"S": "q"}]}}}}})j");
  Json got = Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}}})j");
  EXPECT_EQ(got["Item"]["n"], J(R"j({"N": "1.5"})j"));
  got = Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}},
      "ProjectionExpression": "m.y[1], #n", "ExpressionAttributeNames": {"#n": "n"}})j");
  EXPECT_EQ(got["Item"], J(R"j({"n": {"N": "1.5"}, "m": {"M": {"y": {"L": [{"S": "q"}]}}}})j"));
  EXPECT_EQ(Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "none"}}})j"), J("{}"));
}

TEST_P(EngineTest, RejectsBadKeysAndItems) {
  CreateSimple();
  ServiceError e = Err("GetItem", R"j({"TableName": "simple", "Key": {"id": {"N": "1"}}})j");
  EXPECT_EQ(e.message, "The provided key element does not match the schema");
  e = Err("PutItem", R"j({"TableName": "simple", "Item": {"other": {"S": "x"}}})j");
  EXPECT_EQ(e.message, "One or more parameter values were invalid: Missing the key id in the item");
  e = Err("PutItem", R"j({"TableName": "simple", "Item": {"id": {"N": "1"}}})j");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: Type mismatch for key id expected: S "
            "actual: N");
  e = Err("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": ""}}})j");
  EXPECT_EQ(e.message,
            "One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: id");
  e = Err("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "s": {"SS": []}}})j");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: An string set  may not be empty");
  e = Err("PutItem", R"j({"TableName": "nope", "Item": {"id": {"S": "a"}}})j");
  EXPECT_EQ(e.code, "ResourceNotFoundException");
  EXPECT_EQ(e.message, "Requested resource not found");
}

TEST_P(EngineTest, EnforcesTheItemSizeLimit) {
  CreateSimple();
  Json item = {{"id", {{"S", "big"}}}, {"blob", {{"S", std::string(400 * 1024, 'x')}}}};
  ServiceError e = Err("PutItem", Json{{"TableName", "simple"}, {"Item", item}});
  EXPECT_EQ(e.message, "Item size has exceeded the maximum allowed size");
  item["blob"]["S"] = std::string(400 * 1024 - 20, 'x');
  Ok("PutItem", Json{{"TableName", "simple"}, {"Item", item}});
}

TEST_P(EngineTest, ConditionalPutFailsWithTheOldItemWhenAsked) {
  CreateSimple();
  const char* put = R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "v": {"N": "1"}},
      "ConditionExpression": "attribute_not_exists(id)",
      "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})j";
  Ok("PutItem", put);
  ServiceError e = Err("PutItem", put);
  EXPECT_EQ(e.code, "ConditionalCheckFailedException");
  EXPECT_EQ(e.message, "The conditional request failed");
  EXPECT_EQ(e.fields["Item"], J(R"j({"id": {"S": "a"}, "v": {"N": "1"}})j"));
  Json old = Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "v": {"N": "2"}},
      "ConditionExpression": "v = :one", "ExpressionAttributeValues": {":one": {"N": "1.0"}},
      "ReturnValues": "ALL_OLD"})j");
  EXPECT_EQ(old["Attributes"]["v"], J(R"j({"N": "1"})j"));
  e = Err("PutItem",
          R"j({"TableName": "simple", "Item": {"id": {"S": "a"}}, "ReturnValues": "ALL_NEW"})j");
  EXPECT_EQ(e.message, "ReturnValues can only be ALL_OLD or NONE");
}

TEST_P(EngineTest, UnusedAliasesAreValidationErrors) {
  CreateSimple();
  ServiceError e = Err("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}},
      "ConditionExpression": "attribute_not_exists(id)",
      "ExpressionAttributeValues": {":unused": {"S": "x"}}})j");
  EXPECT_EQ(e.message,
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
  e = Err("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}},
      "ConditionExpression": "attribute_not_exists(id)",
      "ExpressionAttributeNames": {"#x": "x"}})j");
  EXPECT_EQ(e.message,
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}");
  e = Err("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}},
      "ConditionExpression": "attribute_not_exists(id)",
      "Expected": {"id": {"Exists": false}}})j");
  EXPECT_EQ(e.message,
            "Can not use both expression and non-expression parameters in the same request: "
            "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}");
}

TEST_P(EngineTest, UpdateItemSupportsEveryClauseAndReturnValues) {
  CreateSimple();
  Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "n": {"N": "1.50"},
      "doc": {"M": {"tags": {"L": [{"S": "x"}]}, "stale": {"S": "gone"}}}, "s": {"SS": ["p"]}}})j");
  Json r = Ok("UpdateItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}},
      "UpdateExpression": "SET n = n + :one, doc.tags = list_append(doc.tags, :more), doc.#c = if_not_exists(doc.#c, :zero) REMOVE doc.stale ADD s :s, visits :one",
      "ConditionExpression": "n > :zero AND size(doc.tags) = :one",
      "ExpressionAttributeNames": {"#c": "count"},
      "ExpressionAttributeValues": {":one": {"N": "1"}, ":zero": {"N": "0"},
                                    ":more": {"L": [{"S": "y"}]}, ":s": {"SS": ["q"]}},
      "ReturnValues": "UPDATED_NEW"})j");
  EXPECT_EQ(r["Attributes"], J(R"j({"n": {"N": "2.5"}, "visits": {"N": "1"},
      "s": {"SS": ["p", "q"]},
      "doc": {"M": {"tags": {"L": [{"S": "x"}, {"S": "y"}]}, "count": {"N": "0"}}}})j"));
  Json item = Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}}})j")["Item"];
  EXPECT_FALSE(item["doc"]["M"].contains("stale"));

  r = Ok("UpdateItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}},
      "UpdateExpression": "SET n = n - :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
      "ReturnValues": "UPDATED_OLD"})j");
  EXPECT_EQ(r["Attributes"], J(R"j({"n": {"N": "2.5"}})j"));

  ServiceError e = Err("UpdateItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}},
      "UpdateExpression": "SET id = :v", "ExpressionAttributeValues": {":v": {"S": "b"}}})j");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: Cannot update attribute id. This "
            "attribute is part of the key");
}

TEST_P(EngineTest, UpdateItemCreatesMissingItemsAndChecksConditions) {
  CreateSimple();
  Json r = Ok("UpdateItem", R"j({"TableName": "simple", "Key": {"id": {"S": "new"}},
      "UpdateExpression": "ADD hits :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
      "ReturnValues": "ALL_NEW"})j");
  EXPECT_EQ(r["Attributes"], J(R"j({"id": {"S": "new"}, "hits": {"N": "1"}})j"));
  ServiceError e = Err("UpdateItem", R"j({"TableName": "simple", "Key": {"id": {"S": "new"}},
      "UpdateExpression": "ADD hits :one", "ConditionExpression": "hits >= :two",
      "ExpressionAttributeValues": {":one": {"N": "1"}, ":two": {"N": "2"}}})j");
  EXPECT_EQ(e.code, "ConditionalCheckFailedException");
  e = Err("UpdateItem", R"j({"TableName": "simple", "Key": {"id": {"S": "new"}},
      "UpdateExpression": "SET hits = id + :one", "ExpressionAttributeValues": {":one": {"N": "1"}}})j");
  EXPECT_EQ(e.message, "An operand in the update expression has an incorrect data type");
}

TEST_P(EngineTest, LegacyExpectedAndAttributeUpdates) {
  CreateSimple();
  Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "v": {"N": "1"}},
      "Expected": {"id": {"Exists": false}}})j");
  ServiceError e = Err("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}},
      "Expected": {"id": {"Exists": false}}})j");
  EXPECT_EQ(e.code, "ConditionalCheckFailedException");
  Json r = Ok("UpdateItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}},
      "AttributeUpdates": {"v": {"Action": "ADD", "Value": {"N": "2"}},
                           "l": {"Action": "ADD", "Value": {"L": [{"S": "x"}]}},
                           "name": {"Action": "PUT", "Value": {"S": "n"}}},
      "Expected": {"v": {"ComparisonOperator": "BETWEEN",
                         "AttributeValueList": [{"N": "0"}, {"N": "5"}]}},
      "ReturnValues": "ALL_NEW"})j");
  EXPECT_EQ(r["Attributes"], J(R"j({"id": {"S": "a"}, "v": {"N": "3"}, "l": {"L": [{"S": "x"}]},
      "name": {"S": "n"}})j"));
}

TEST_P(EngineTest, DeleteItemWithConditionAndReturnValues) {
  CreateSimple();
  Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "v": {"N": "1"}}})j");
  ServiceError e = Err("DeleteItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}},
      "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}})j");
  EXPECT_EQ(e.code, "ConditionalCheckFailedException");
  Json r = Ok("DeleteItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}},
      "ReturnValues": "ALL_OLD"})j");
  EXPECT_EQ(r["Attributes"]["v"], J(R"j({"N": "1"})j"));
  EXPECT_EQ(Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}}})j"), J("{}"));
}

TEST_P(EngineTest, QueriesRangesInOrderWithPagination) {
  CreateOrders();
  Json r =
      Ok("Query",
         R"j({"TableName": "orders", "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
      "ExpressionAttributeValues": {":p": {"S": "user"}, ":a": {"N": "2"}, ":b": {"N": "4"}}})j");
  ASSERT_EQ(r["Count"], 3);
  EXPECT_EQ(r["Items"][0]["sk"], J(R"j({"N": "2"})j"));
  EXPECT_EQ(r["Items"][2]["sk"], J(R"j({"N": "4"})j"));
  EXPECT_FALSE(r.contains("LastEvaluatedKey"));

  r = Ok("Query", R"j({"TableName": "orders", "KeyConditionExpression": "pk = :p",
      "ExpressionAttributeValues": {":p": {"S": "user"}}, "ScanIndexForward": false, "Limit": 2})j");
  ASSERT_EQ(r["Count"], 2);
  EXPECT_EQ(r["Items"][0]["sk"], J(R"j({"N": "5"})j"));
  EXPECT_EQ(r["LastEvaluatedKey"], J(R"j({"pk": {"S": "user"}, "sk": {"N": "4"}})j"));
  Json next = J(R"j({"TableName": "orders", "KeyConditionExpression": "pk = :p",
      "ExpressionAttributeValues": {":p": {"S": "user"}}, "ScanIndexForward": false, "Limit": 2})j");
  next["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  r = Ok("Query", next);
  EXPECT_EQ(r["Items"][0]["sk"], J(R"j({"N": "3"})j"));

  r = Ok("Query", R"j({"TableName": "orders", "KeyConditionExpression": "pk = :p AND sk > :one",
      "FilterExpression": "#t >= :t", "ExpressionAttributeNames": {"#t": "total"},
      "ExpressionAttributeValues": {":p": {"S": "user"}, ":one": {"N": "1"}, ":t": {"N": "40"}},
      "Select": "COUNT"})j");
  EXPECT_EQ(r["Count"], 2);
  EXPECT_EQ(r["ScannedCount"], 4);
  EXPECT_FALSE(r.contains("Items"));
}

TEST_P(EngineTest, QueryValidatesKeyConditions) {
  CreateOrders();
  ServiceError e = Err("Query", R"j({"TableName": "orders", "KeyConditionExpression": "sk = :a",
      "ExpressionAttributeValues": {":a": {"N": "1"}}})j");
  EXPECT_EQ(e.message, "Query condition missed key schema element: pk");
  e = Err("Query", R"j({"TableName": "orders", "KeyConditionExpression": "pk = :p OR sk = :a",
      "ExpressionAttributeValues": {":p": {"S": "user"}, ":a": {"N": "1"}}})j");
  EXPECT_EQ(e.message, "Invalid operator used in KeyConditionExpression: OR");
  e = Err("Query", R"j({"TableName": "orders", "KeyConditionExpression": "pk = :p",
      "ExpressionAttributeValues": {":p": {"N": "1"}}})j");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
  e = Err("Query",
          R"j({"TableName": "orders", "IndexName": "nope", "KeyConditionExpression": "pk = :p",
      "ExpressionAttributeValues": {":p": {"S": "user"}}})j");
  EXPECT_EQ(e.message, "The table does not have the specified index: nope");
}

TEST_P(EngineTest, QueriesGlobalSecondaryIndexes) {
  CreateOrders();
  Json r = Ok("Query", R"j({"TableName": "orders", "IndexName": "by-status",
      "KeyConditionExpression": "#s = :open", "ExpressionAttributeNames": {"#s": "status"},
      "ExpressionAttributeValues": {":open": {"S": "open"}}})j");
  ASSERT_EQ(r["Count"], 2);
  // KEYS_ONLY: table and index keys only.
  EXPECT_EQ(r["Items"][0],
            J(R"j({"pk": {"S": "user"}, "sk": {"N": "2"}, "status": {"S": "open"}})j"));
  r = Ok("Query", R"j({"TableName": "orders", "IndexName": "by-status", "Limit": 1,
      "KeyConditionExpression": "#s = :open", "ExpressionAttributeNames": {"#s": "status"},
      "ExpressionAttributeValues": {":open": {"S": "open"}}})j");
  ASSERT_TRUE(r.contains("LastEvaluatedKey"));
  Json next = J(R"j({"TableName": "orders", "IndexName": "by-status",
      "KeyConditionExpression": "#s = :open", "ExpressionAttributeNames": {"#s": "status"},
      "ExpressionAttributeValues": {":open": {"S": "open"}}})j");
  next["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  r = Ok("Query", next);
  ASSERT_EQ(r["Count"], 1);
  EXPECT_EQ(r["Items"][0]["sk"], J(R"j({"N": "4"})j"));
  ServiceError e =
      Err("Query", R"j({"TableName": "orders", "IndexName": "by-status", "ConsistentRead": true,
      "KeyConditionExpression": "#s = :open", "ExpressionAttributeNames": {"#s": "status"},
      "ExpressionAttributeValues": {":open": {"S": "open"}}})j");
  EXPECT_EQ(e.message, "Consistent reads are not supported on global secondary indexes");
}

TEST_P(EngineTest, ScansWithFilterAndPagination) {
  CreateOrders();
  Json seen = Json::array();
  Json request = J(R"j({"TableName": "orders", "Limit": 4})j");
  for (int page = 0; page < 5; ++page) {
    Json r = Ok("Scan", request);
    for (const Json& item : r["Items"]) {
      seen.push_back(item);
    }
    if (!r.contains("LastEvaluatedKey")) {
      break;
    }
    request["ExclusiveStartKey"] = r["LastEvaluatedKey"];
  }
  EXPECT_EQ(seen.size(), 6u);
  Json r = Ok("Scan", R"j({"TableName": "orders", "FilterExpression": "attribute_not_exists(#s)",
      "ExpressionAttributeNames": {"#s": "status"}})j");
  EXPECT_EQ(r["Count"], 1);
  EXPECT_EQ(r["ScannedCount"], 6);
}

TEST_P(EngineTest, BatchWritesAndGets) {
  CreateSimple();
  Ok("BatchWriteItem", R"j({"RequestItems": {"simple": [
      {"PutRequest": {"Item": {"id": {"S": "a"}, "v": {"N": "1"}}}},
      {"PutRequest": {"Item": {"id": {"S": "b"}, "v": {"N": "2"}}}},
      {"PutRequest": {"Item": {"id": {"S": "c"}}}}]}})j");
  Ok("BatchWriteItem",
     R"j({"RequestItems": {"simple": [{"DeleteRequest": {"Key": {"id": {"S": "c"}}}}]}})j");
  Json r = Ok("BatchGetItem", R"j({"RequestItems": {"simple": {"Keys": [
      {"id": {"S": "a"}}, {"id": {"S": "b"}}, {"id": {"S": "c"}}], "ProjectionExpression": "v"}}})j");
  EXPECT_EQ(r["Responses"]["simple"].size(), 2u);
  EXPECT_EQ(r["UnprocessedKeys"], J("{}"));
  ServiceError e = Err("BatchGetItem", R"j({"RequestItems": {"simple": {"Keys": [
      {"id": {"S": "a"}}, {"id": {"S": "a"}}]}}})j");
  EXPECT_EQ(e.message, "Provided list of item keys contains duplicates");
}

TEST_P(EngineTest, TransactionsAreAllOrNothing) {
  CreateSimple();
  Ok("PutItem",
     R"j({"TableName": "simple", "Item": {"id": {"S": "acct"}, "balance": {"N": "10"}}})j");
  ServiceError e = Err("TransactWriteItems", R"j({"TransactItems": [
      {"Put": {"TableName": "simple", "Item": {"id": {"S": "new"}}}},
      {"Update": {"TableName": "simple", "Key": {"id": {"S": "acct"}},
                  "UpdateExpression": "SET balance = balance - :amt",
                  "ConditionExpression": "balance >= :amt",
                  "ExpressionAttributeValues": {":amt": {"N": "50"}},
                  "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}]})j");
  EXPECT_EQ(e.code, "TransactionCanceledException");
  EXPECT_EQ(e.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
            "ConditionalCheckFailed]");
  EXPECT_EQ(e.fields["CancellationReasons"][0], J(R"j({"Code": "None"})j"));
  EXPECT_EQ(e.fields["CancellationReasons"][1]["Code"], "ConditionalCheckFailed");
  EXPECT_EQ(e.fields["CancellationReasons"][1]["Item"]["balance"], J(R"j({"N": "10"})j"));
  EXPECT_EQ(Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "new"}}})j"), J("{}"));

  Ok("TransactWriteItems", R"j({"TransactItems": [
      {"Put": {"TableName": "simple", "Item": {"id": {"S": "new"}}}},
      {"ConditionCheck": {"TableName": "simple", "Key": {"id": {"S": "other"}},
                          "ConditionExpression": "attribute_not_exists(id)"}},
      {"Update": {"TableName": "simple", "Key": {"id": {"S": "acct"}},
                  "UpdateExpression": "SET balance = balance - :amt",
                  "ConditionExpression": "attribute_exists(balance)",
                  "ExpressionAttributeValues": {":amt": {"N": "2.5"}}}}]})j");
  Json r = Ok("TransactGetItems", R"j({"TransactItems": [
      {"Get": {"TableName": "simple", "Key": {"id": {"S": "acct"}}}},
      {"Get": {"TableName": "simple", "Key": {"id": {"S": "missing"}}}}]})j");
  EXPECT_EQ(r["Responses"][0]["Item"]["balance"], J(R"j({"N": "7.5"})j"));
  EXPECT_EQ(r["Responses"][1], J("{}"));
  e = Err("TransactWriteItems", R"j({"TransactItems": [
      {"Put": {"TableName": "simple", "Item": {"id": {"S": "x"}}}},
      {"Delete": {"TableName": "simple", "Key": {"id": {"S": "x"}}}}]})j");
  EXPECT_EQ(e.message, "Transaction request cannot include multiple operations on one item");
}

TEST_P(EngineTest, TransactionsWithAClientTokenApplyOnce) {
  CreateSimple();
  Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "n"}, "v": {"N": "0"}}})j");
  const char* increment = R"j({"ClientRequestToken": "tok-1", "TransactItems": [
      {"Update": {"TableName": "simple", "Key": {"id": {"S": "n"}},
                  "UpdateExpression": "ADD v :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}]})j";
  Ok("TransactWriteItems", increment);
  Ok("TransactWriteItems", increment);  // A retry: not applied twice.
  EXPECT_EQ(Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "n"}}})j")["Item"]["v"],
            J(R"j({"N": "1"})j"));
  ServiceError e = Err("TransactWriteItems", R"j({"ClientRequestToken": "tok-1", "TransactItems": [
      {"Delete": {"TableName": "simple", "Key": {"id": {"S": "n"}}}}]})j");
  EXPECT_EQ(e.code, "IdempotentParameterMismatchException");
  clock_.Advance(std::chrono::minutes(11));  // The token expires.
  Ok("TransactWriteItems", increment);
  EXPECT_EQ(Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "n"}}})j")["Item"]["v"],
            J(R"j({"N": "2"})j"));
}

TEST(EngineLimitsTest, ItemCollectionsOfTablesWithLocalIndexesAreBounded) {
  FakeClock clock;
  MemoryStorage storage;
  EngineOptions options;
  options.item_collection_size_limit = 100;
  DynamoDbEngine engine(storage, clock, options);
  ASSERT_TRUE(engine
                  .Call("CreateTable", J(R"j({"TableName": "lsi",
      "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"},
                               {"AttributeName": "r", "AttributeType": "S"},
                               {"AttributeName": "x", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
      "LocalSecondaryIndexes": [{"IndexName": "by-x",
          "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "x", "KeyType": "RANGE"}],
          "Projection": {"ProjectionType": "ALL"}}],
      "BillingMode": "PAY_PER_REQUEST"})j"))
                  .ok());
  auto put = [&](const char* h, const char* r) {
    Json in = {
        {"TableName", "lsi"},
        {"Item", {{"h", {{"S", h}}}, {"r", {{"S", r}}}, {"pad", {{"S", std::string(50, 'p')}}}}}};
    return engine.Call("PutItem", in);
  };
  EXPECT_TRUE(put("a", "1").ok());
  EXPECT_TRUE(put("a", "1").ok());  // Replacing an item does not grow the collection.
  auto r = put("a", "2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ItemCollectionSizeLimitExceededException");
  EXPECT_TRUE(put("b", "1").ok());  // Another partition key, another collection.
}

TEST_P(EngineTest, TimeToLiveBackupsAndTags) {
  CreateSimple();
  Json r = Ok("UpdateTimeToLive", R"j({"TableName": "simple",
      "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}})j");
  EXPECT_EQ(r["TimeToLiveSpecification"]["AttributeName"], "expires");
  EXPECT_EQ(Ok("DescribeTimeToLive", R"j({"TableName": "simple"})j")["TimeToLiveDescription"],
            J(R"j({"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"})j"));
  EXPECT_EQ(Err("UpdateTimeToLive", R"j({"TableName": "simple",
      "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}})j")
                .message,
            "TimeToLive is already enabled");

  r = Ok("DescribeContinuousBackups", R"j({"TableName": "simple"})j");
  EXPECT_EQ(r["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
             ["PointInTimeRecoveryStatus"],
            "DISABLED");
  r = Ok("UpdateContinuousBackups", R"j({"TableName": "simple",
      "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}})j");
  EXPECT_EQ(r["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
             ["PointInTimeRecoveryStatus"],
            "ENABLED");

  const char* arn = "arn:aws:dynamodb:us-east-1:000000000000:table/simple";
  Ok("TagResource",
     Json{{"ResourceArn", arn},
          {"Tags", J(R"j([{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "a"}])j")}});
  Ok("UntagResource", Json{{"ResourceArn", arn}, {"TagKeys", J(R"j(["team"])j")}});
  EXPECT_EQ(Ok("ListTagsOfResource", Json{{"ResourceArn", arn}})["Tags"],
            J(R"j([{"Key": "env", "Value": "dev"}])j"));
}

TEST_P(EngineTest, ExpireItemsDeletesItemsPastTheirTimeToLive) {
  CreateSimple();
  Ok("UpdateTimeToLive", R"j({"TableName": "simple",
      "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}})j");
  long long now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  auto put = [&](const char* id, Json expires) {
    Json item = {{"id", {{"S", id}}}};
    if (!expires.is_null()) {
      item["expires"] = std::move(expires);
    }
    Ok("PutItem", Json{{"TableName", "simple"}, {"Item", item}});
  };
  put("past", {{"N", std::to_string(now - 10)}});
  put("future", {{"N", std::to_string(now + 10)}});
  put("ancient", {{"N", "1"}});  // More than five years ago: DynamoDB leaves it.
  put("text", {{"S", "1"}});
  put("none", nullptr);
  auto deleted = engine_->ExpireItems();
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "past"}}})j"), J("{}"));
  clock_.Advance(std::chrono::seconds(11));
  EXPECT_EQ(*engine_->ExpireItems(), 1);
  EXPECT_EQ(Ok("Scan", R"j({"TableName": "simple", "Select": "COUNT"})j")["Count"], 3);
}

TEST_P(EngineTest, UpdateTableAddsAQueryableIndex) {
  CreateSimple();
  Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}, "email": {"S": "a@x"}}})j");
  Ok("UpdateTable", R"j({"TableName": "simple",
      "AttributeDefinitions": [{"AttributeName": "email", "AttributeType": "S"}],
      "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "by-email",
          "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
          "Projection": {"ProjectionType": "ALL"},
          "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}]})j");
  Json r = Ok("Query", R"j({"TableName": "simple", "IndexName": "by-email",
      "KeyConditionExpression": "email = :e", "ExpressionAttributeValues": {":e": {"S": "a@x"}}})j");
  EXPECT_EQ(r["Count"], 1);
  ServiceError e = Err(
      "PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "b"}, "email": {"N": "1"}}})j");
  EXPECT_EQ(e.message,
            "One or more parameter values were invalid: Type mismatch for Index Key email "
            "Expected: S Actual: N IndexName: by-email");
}

TEST_P(EngineTest, ConcurrentConditionalIncrementsLoseNothing) {
  CreateSimple();
  Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "c"}, "n": {"N": "0"}}})j");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        // Read-modify-write with an optimistic condition; retry on conflict.
        while (true) {
          auto got = engine_->Call("GetItem",
                                   J(R"j({"TableName": "simple", "Key": {"id": {"S": "c"}}})j"));
          Json cur = (*got)["Item"]["n"];
          Json in = J(R"j({"TableName": "simple", "Key": {"id": {"S": "c"}},
              "UpdateExpression": "SET n = n + :one", "ConditionExpression": "n = :cur"})j");
          in["ExpressionAttributeValues"] = {{":one", {{"N", "1"}}}, {":cur", cur}};
          auto r = engine_->Call("UpdateItem", in);
          if (r.ok()) {
            break;
          }
          if (r.error().code != "ConditionalCheckFailedException") {
            ++failures;
            break;
          }
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures, 0);
  Json item = Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "c"}}})j")["Item"];
  EXPECT_EQ(item["n"]["N"], std::to_string(kThreads * kPerThread));
}

TEST_P(EngineTest, ReportsConsumedCapacityWhenAsked) {
  CreateSimple();
  Json r = Ok("PutItem", R"j({"TableName": "simple", "Item": {"id": {"S": "a"}},
      "ReturnConsumedCapacity": "TOTAL"})j");
  EXPECT_EQ(r["ConsumedCapacity"], J(R"j({"TableName": "simple", "CapacityUnits": 1.0})j"));
  r = Ok("BatchGetItem", R"j({"RequestItems": {"simple": {"Keys": [{"id": {"S": "a"}}]}},
      "ReturnConsumedCapacity": "TOTAL"})j");
  EXPECT_EQ(r["ConsumedCapacity"], J(R"j([{"TableName": "simple", "CapacityUnits": 1.0}])j"));
  EXPECT_FALSE(Ok("GetItem", R"j({"TableName": "simple", "Key": {"id": {"S": "a"}}})j")
                   .contains("ConsumedCapacity"));
}

TEST(ErrorBodyTest, UsesDynamoDbTypesAndFields) {
  EXPECT_EQ(
      ErrorBody(ValidationError("bad")),
      J(R"j({"__type": "com.amazon.coral.validate#ValidationException", "message": "bad"})j"));
  EXPECT_EQ(ErrorBody(ConditionalCheckFailed(J(R"j({"id": {"S": "a"}})j"))),
            J(R"j({"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                  "message": "The conditional request failed", "Item": {"id": {"S": "a"}}})j"));
  ServiceError cancelled{"TransactionCanceledException", "Transaction cancelled"};
  cancelled.fields["CancellationReasons"] = J(R"j([{"Code": "None"}])j");
  EXPECT_EQ(ErrorBody(cancelled),
            J(R"j({"__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                  "Message": "Transaction cancelled", "CancellationReasons": [{"Code": "None"}]})j"));
}

INSTANTIATE_TEST_SUITE_P(Storages, EngineTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Sqlite" : "Memory";
                         });

TEST(SqliteEngineTest, TablesAndItemsSurviveARestart) {
  std::string dir = ::testing::TempDir() + "/ddb_restart_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string path = dir + "/dynamodb.sqlite";
  FakeClock clock;
  {
    auto storage = SqliteStorage::Open(path);
    ASSERT_TRUE(storage.ok());
    DynamoDbEngine engine(**storage, clock);
    ASSERT_TRUE(engine.Load().ok());
    ASSERT_TRUE(engine
                    .Call("CreateTable", J(R"j({"TableName": "kept",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"})j"))
                    .ok());
    ASSERT_TRUE(
        engine
            .Call("PutItem",
                  J(R"j({"TableName": "kept", "Item": {"id": {"N": "7"}, "v": {"S": "x"}}})j"))
            .ok());
  }
  auto storage = SqliteStorage::Open(path);
  ASSERT_TRUE(storage.ok());
  DynamoDbEngine engine(**storage, clock);
  ASSERT_TRUE(engine.Load().ok());
  auto got = engine.Call("GetItem", J(R"j({"TableName": "kept", "Key": {"id": {"N": "7.0"}}})j"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["Item"]["v"], J(R"j({"S": "x"})j"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cf::cloud::dynamodb
