// Malformed requests: every member of a set of valid requests is removed or replaced by a
// value of another JSON type, and the engine must answer (with an error or not) without
// crashing or tripping an assertion. Run under ASan/UBSan and debug assertions in CI presets.

#include <gtest/gtest.h>

#include <functional>

#include "cloud/dynamodb/engine.h"
#include "cloud/dynamodb/memory_storage.h"
#include "testing/fake_clock.h"

namespace cf::cloud::dynamodb {
namespace {

const char* const kRequests[][2] = {
    {"CreateTable", R"j({"TableName": "fz", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"},
                                 {"AttributeName": "r", "AttributeType": "N"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r", "KeyType": "RANGE"}],
        "GlobalSecondaryIndexes": [{"IndexName": "gi", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}],
        "LocalSecondaryIndexes": [{"IndexName": "li", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"},
                                   {"AttributeName": "g", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}],
        "Tags": [{"Key": "k", "Value": "v"}], "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}})j"},
    {"PutItem", R"j({"TableName": "fz", "Item": {"h": {"S": "a"}, "r": {"N": "1"}, "g": {"S": "x"},
        "l": {"L": [{"N": "1"}]}, "m": {"M": {"s": {"SS": ["a"]}}}},
        "ConditionExpression": "attribute_not_exists(h) OR #l[0] = :v",
        "ExpressionAttributeNames": {"#l": "l"}, "ExpressionAttributeValues": {":v": {"N": "1"}},
        "ReturnValues": "ALL_OLD", "Expected": {"h": {"Exists": false}}})j"},
    {"UpdateItem", R"j({"TableName": "fz", "Key": {"h": {"S": "a"}, "r": {"N": "1"}},
        "UpdateExpression": "SET m.n = if_not_exists(m.n, :v) ADD c :v",
        "ConditionExpression": "size(l) > :z", "ExpressionAttributeValues": {":v": {"N": "1"}, ":z": {"N": "0"}},
        "AttributeUpdates": {"x": {"Action": "PUT", "Value": {"S": "y"}}},
        "Expected": {"l": {"ComparisonOperator": "NOT_NULL"}},
        "ReturnValues": "UPDATED_NEW", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})j"},
    {"UpdateItem", R"j({"TableName": "fz", "Key": {"h": {"S": "a"}, "r": {"N": "1"}},
        "AttributeUpdates": {"x": {"Action": "ADD", "Value": {"L": [{"S": "y"}]}}, "c": {"Action": "DELETE"}},
        "Expected": {"c": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "0"}, {"N": "9"}]}},
        "ConditionalOperator": "OR"})j"},
    {"GetItem", R"j({"TableName": "fz", "Key": {"h": {"S": "a"}, "r": {"N": "1"}},
        "ProjectionExpression": "#m.s, l[0]", "ExpressionAttributeNames": {"#m": "m"},
        "AttributesToGet": ["h"], "ConsistentRead": true})j"},
    {"Query",
     R"j({"TableName": "fz", "IndexName": "li", "KeyConditionExpression": "h = :h AND g > :g",
        "FilterExpression": "c = :v", "ProjectionExpression": "h", "Select": "SPECIFIC_ATTRIBUTES",
        "ExpressionAttributeValues": {":h": {"S": "a"}, ":g": {"S": "a"}, ":v": {"N": "1"}},
        "Limit": 5, "ScanIndexForward": false,
        "ExclusiveStartKey": {"h": {"S": "a"}, "r": {"N": "1"}, "g": {"S": "x"}},
        "KeyConditions": {"h": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]}},
        "QueryFilter": {"c": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "0"}]}}})j"},
    {"Scan",
     R"j({"TableName": "fz", "IndexName": "gi", "Limit": 2, "Segment": 0, "TotalSegments": 2,
        "ScanFilter": {"g": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}]}},
        "ExclusiveStartKey": {"h": {"S": "a"}, "r": {"N": "1"}, "g": {"S": "x"}},
        "ReturnConsumedCapacity": "INDEXES"})j"},
    {"BatchWriteItem", R"j({"RequestItems": {"fz": [
        {"PutRequest": {"Item": {"h": {"S": "b"}, "r": {"N": "2"}}}},
        {"DeleteRequest": {"Key": {"h": {"S": "c"}, "r": {"N": "3"}}}}]}})j"},
    {"BatchGetItem", R"j({"RequestItems": {"fz": {"Keys": [{"h": {"S": "b"}, "r": {"N": "2"}}],
        "ProjectionExpression": "h", "ConsistentRead": true}}})j"},
    {"TransactWriteItems", R"j({"ClientRequestToken": "t", "TransactItems": [
        {"ConditionCheck": {"TableName": "fz", "Key": {"h": {"S": "a"}, "r": {"N": "1"}},
                            "ConditionExpression": "attribute_exists(h)"}},
        {"Put": {"TableName": "fz", "Item": {"h": {"S": "d"}, "r": {"N": "4"}}}},
        {"Delete": {"TableName": "fz", "Key": {"h": {"S": "b"}, "r": {"N": "2"}}}},
        {"Update": {"TableName": "fz", "Key": {"h": {"S": "e"}, "r": {"N": "5"}},
                    "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"S": "w"}}}}]})j"},
    {"TransactGetItems", R"j({"TransactItems": [{"Get": {"TableName": "fz",
        "Key": {"h": {"S": "a"}, "r": {"N": "1"}}, "ProjectionExpression": "h"}}]})j"},
    {"UpdateTable", R"j({"TableName": "fz", "BillingMode": "PROVISIONED",
        "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
        "AttributeDefinitions": [{"AttributeName": "z", "AttributeType": "S"}],
        "GlobalSecondaryIndexUpdates": [
            {"Create": {"IndexName": "zi", "KeySchema": [{"AttributeName": "z", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "ALL"},
                        "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}},
            {"Update": {"IndexName": "gi", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}},
            {"Delete": {"IndexName": "gi"}}],
        "DeletionProtectionEnabled": false, "StreamSpecification": {"StreamEnabled": false}})j"},
    {"UpdateTimeToLive",
     R"j({"TableName": "fz", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "t"}})j"},
    {"UpdateContinuousBackups", R"j({"TableName": "fz",
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}})j"},
    {"TagResource", R"j({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/fz",
        "Tags": [{"Key": "a", "Value": "b"}]})j"},
    {"UntagResource",
     R"j({"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/fz", "TagKeys": ["a"]})j"},
    {"ListTables", R"j({"Limit": 10, "ExclusiveStartTableName": "a"})j"},
    {"DeleteItem", R"j({"TableName": "fz", "Key": {"h": {"S": "a"}, "r": {"N": "1"}},
        "ConditionExpression": "h IN (:a, :b)", "ExpressionAttributeValues": {":a": {"S": "a"}, ":b": {"S": "b"}},
        "ReturnValues": "ALL_OLD"})j"},
};

// Calls `visit` with every variant of `request` that has one member removed or replaced.
void ForEachMutation(const Json& request, const std::function<void(const Json&)>& visit) {
  const Json replacements[] = {nullptr,    Json("text"),  Json(7),        Json(-1.5),
                               Json(true), Json::array(), Json::object(), Json::array({1, "x"})};
  std::function<void(Json&, const std::function<void()>&)> walk;
  Json copy = request;
  walk = [&](Json& node, const std::function<void()>& emit) {
    if (node.is_object()) {
      std::vector<std::string> keys;
      for (auto it = node.begin(); it != node.end(); ++it) {
        keys.push_back(it.key());
      }
      for (const std::string& key : keys) {
        Json saved = node[key];
        node.erase(key);
        emit();
        for (const Json& r : replacements) {
          node[key] = r;
          emit();
        }
        node[key] = saved;
        walk(node[key], emit);
      }
    } else if (node.is_array()) {
      for (size_t i = 0; i < node.size(); ++i) {
        Json saved = node[i];
        for (const Json& r : replacements) {
          node[i] = r;
          emit();
        }
        node[i] = saved;
        walk(node[i], emit);
      }
    }
  };
  walk(copy, [&] { visit(copy); });
}

TEST(RobustnessTest, MalformedRequestsGetAnswersNotCrashes) {
  FakeClock clock;
  MemoryStorage storage;
  DynamoDbEngine engine(storage, clock);
  int calls = 0;
  for (const auto& [operation, text] : kRequests) {
    Json request = Json::parse(text);
    // The valid request first, so that later requests find the table and items.
    (void)engine.Call(operation, request);
    ForEachMutation(request, [&](const Json& mutated) {
      auto r = engine.Call(operation, mutated);
      if (!r.ok()) {
        EXPECT_FALSE(r.error().code.empty());
        EXPECT_NO_THROW((void)ErrorBody(r.error()).dump());
      } else {
        EXPECT_NO_THROW((void)r->dump());
      }
      ++calls;
    });
  }
  EXPECT_GT(calls, 1000);
}

}  // namespace
}  // namespace cf::cloud::dynamodb
