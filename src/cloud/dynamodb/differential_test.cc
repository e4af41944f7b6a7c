// Replays differential/cases.json through the engine and checks every answer against
// dynalite's, recorded in differential/dynalite_expected.jsonl by
// `RECORD=1 differential/run_differential.sh`: same success or failure, same error codes, same
// returned items and values (sets compared as sets), same table shapes. Cases marked
// "dynalite_differs" document where dynalite departs from DynamoDB and are skipped.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "cloud/dynamodb/engine.h"
#include "cloud/dynamodb/sqlite_storage.h"
#include "testing/fake_clock.h"

namespace cf::cloud::dynamodb {
namespace {

const char* const kFields[] = {"Item",      "Items",           "Attributes",
                               "Count",     "ScannedCount",    "LastEvaluatedKey",
                               "Responses", "UnprocessedKeys", "UnprocessedItems",
                               "TableNames"};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Sets are unordered: sort their members.
Json Normalize(const Json& v) {
  if (v.is_object()) {
    Json out = Json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      if ((it.key() == "SS" || it.key() == "NS" || it.key() == "BS") && it->is_array()) {
        std::vector<std::string> members;
        for (const Json& m : *it) {
          members.push_back(m.dump());
        }
        std::sort(members.begin(), members.end());
        Json sorted = Json::array();
        for (const std::string& m : members) {
          sorted.push_back(Json::parse(m));
        }
        out[it.key()] = sorted;
      } else {
        out[it.key()] = Normalize(*it);
      }
    }
    return out;
  }
  if (v.is_array()) {
    Json out = Json::array();
    for (const Json& e : v) {
      out.push_back(Normalize(e));
    }
    return out;
  }
  return v;
}

Json SortedArray(const Json& array) {
  std::vector<std::string> dumped;
  for (const Json& e : array) {
    dumped.push_back(e.dump());
  }
  std::sort(dumped.begin(), dumped.end());
  Json out = Json::array();
  for (const std::string& d : dumped) {
    out.push_back(Json::parse(d));
  }
  return out;
}

std::string Code(const Json& body) {
  std::string type = body.value("__type", "");
  return type.substr(type.find('#') + 1);
}

// The parts of a table description both implementations must agree on.
Json TableShape(const Json& body) {
  for (const char* key : {"Table", "TableDescription"}) {
    if (body.contains(key) && body[key].is_object()) {
      const Json& d = body[key];
      Json shape = {{"TableName", d.value("TableName", "")},
                    {"KeySchema", d.value("KeySchema", Json())},
                    {"AttributeDefinitions", d.value("AttributeDefinitions", Json())}};
      if (d.value("TableStatus", "") != "DELETING") {
        for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
          Json indexes = Json::array();
          for (const Json& i : d.value(kind, Json::array())) {
            indexes.push_back({i["IndexName"], i["KeySchema"], i["Projection"]});
          }
          shape[kind] = SortedArray(indexes);
        }
      }
      return shape;
    }
  }
  return nullptr;
}

TEST(DifferentialTest, EngineAnswersLikeDynalite) {
  const std::string dir = std::string(CF_SOURCE_DIR) + "/src/cloud/dynamodb/differential/";
  Json cases = Json::parse(ReadFile(dir + "cases.json"));
  std::vector<Json> expected;
  std::istringstream lines(ReadFile(dir + "dynalite_expected.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) {
      expected.push_back(Json::parse(line));
    }
  }
  ASSERT_EQ(expected.size(), cases.size()) << "re-record with RECORD=1 run_differential.sh";

  auto storage = SqliteStorage::Open(":memory:");
  ASSERT_TRUE(storage.ok());
  FakeClock clock;
  DynamoDbEngine engine(**storage, clock);
  ASSERT_TRUE(engine.Load().ok());
  int compared = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Json& c = cases[i];
    std::string name = std::to_string(i + 1) + "-" + c["op"].get<std::string>();
    auto result = engine.Call(c["op"].get<std::string>(), c["input"]);
    if (c.contains("dynalite_differs")) {
      continue;
    }
    ++compared;
    const Json& ref = expected[i];
    bool ref_ok = ref["status"] == 200;
    if (ref_ok != result.ok()) {
      ADD_FAILURE() << name << ": dynalite " << ref["body"].dump() << ", engine "
                    << (result.ok() ? result->dump() : ErrorBody(result.error()).dump());
      continue;
    }
    if (!ref_ok) {
      EXPECT_EQ(Code(ref["body"]), result.error().code) << name;
      continue;
    }
    Json ref_body = ref["body"];
    Json our_body = *result;
    if (c.value("unordered", false)) {
      for (Json* body : {&ref_body, &our_body}) {
        if (body->contains("Items")) {
          (*body)["Items"] = SortedArray((*body)["Items"]);
        }
      }
    }
    if (c["op"] == "BatchGetItem") {
      for (Json* body : {&ref_body, &our_body}) {
        for (auto& [table, items] : (*body)["Responses"].items()) {
          items = SortedArray(items);
        }
      }
    }
    EXPECT_EQ(TableShape(ref_body), TableShape(our_body)) << name;
    for (const char* field : kFields) {
      Json a = ref_body.contains(field) ? Normalize(ref_body[field]) : Json();
      Json b = our_body.contains(field) ? Normalize(our_body[field]) : Json();
      if (std::string(field) == "Attributes" && a.empty() && b.empty()) {
        continue;  // An empty map and no map say the same.
      }
      EXPECT_EQ(a, b) << name << " " << field;
    }
  }
  EXPECT_GT(compared, 150);
}

}  // namespace
}  // namespace cf::cloud::dynamodb
