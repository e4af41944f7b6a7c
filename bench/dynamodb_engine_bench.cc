// The DynamoDB engine alone (no HTTP, no signing): PutItem, GetItem and a conditional
// UpdateItem against SQLite storage in a temporary file, from 1 and 8 threads.
// Reference (../shared/bench/README.md): dynalite does about 1,600 PutItem/s, 2,800 GetItem/s
// and 1,400 conditional UpdateItem/s from 8 clients on this machine; the target is 3x that.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "base/clock.h"
#include "cloud/dynamodb/engine.h"
#include "cloud/dynamodb/sqlite_storage.h"

namespace {

using cf::cloud::dynamodb::DynamoDbEngine;
using cf::cloud::dynamodb::Json;
using cf::cloud::dynamodb::SqliteStorage;

constexpr int kKeys = 1000;

struct World {
  std::string dir;
  cf::SystemClock clock;
  std::unique_ptr<SqliteStorage> storage;
  std::unique_ptr<DynamoDbEngine> engine;

  World() {
    dir = std::filesystem::temp_directory_path().string() + "/dynamodb_bench_" +
          std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    storage = std::move(SqliteStorage::Open(dir + "/bench.sqlite")).value();
    engine = std::make_unique<DynamoDbEngine>(*storage, clock);
    (void)engine->Load();
    (void)engine->Call("CreateTable", Json::parse(R"({"TableName": "bench",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST"})"));
    for (int i = 0; i < kKeys; ++i) {
      (void)engine->Call("PutItem", PutInput(i));
    }
  }
  ~World() {
    engine.reset();
    storage.reset();
    std::filesystem::remove_all(dir);
  }

  static Json PutInput(int i) {
    return Json{{"TableName", "bench"},
                {"Item",
                 {{"id", {{"S", "key-" + std::to_string(i)}}},
                  {"count", {{"N", "0"}}},
                  {"owner", {{"S", "bench-runner"}}},
                  {"payload", {{"S", std::string(200, 'x')}}}}}};
  }
};

World& GetWorld() {
  static World world;
  return world;
}

std::atomic<int> next_key{0};

void BM_PutItem(benchmark::State& state) {
  World& w = GetWorld();
  for (auto _ : state) {
    auto r = w.engine->Call("PutItem", World::PutInput(next_key++ % kKeys));
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_GetItem(benchmark::State& state) {
  World& w = GetWorld();
  for (auto _ : state) {
    Json in = {{"TableName", "bench"},
               {"Key", {{"id", {{"S", "key-" + std::to_string(next_key++ % kKeys)}}}}}};
    auto r = w.engine->Call("GetItem", in);
    if (!r.ok() || !r->contains("Item")) {
      state.SkipWithError("GetItem failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ConditionalUpdateItem(benchmark::State& state) {
  World& w = GetWorld();
  for (auto _ : state) {
    Json in = {{"TableName", "bench"},
               {"Key", {{"id", {{"S", "key-" + std::to_string(next_key++ % kKeys)}}}}},
               {"UpdateExpression", "SET #c = #c + :one"},
               {"ConditionExpression", "attribute_exists(id) AND #o = :owner"},
               {"ExpressionAttributeNames", {{"#c", "count"}, {"#o", "owner"}}},
               {"ExpressionAttributeValues",
                {{":one", {{"N", "1"}}}, {":owner", {{"S", "bench-runner"}}}}}};
    auto r = w.engine->Call("UpdateItem", in);
    if (!r.ok()) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_PutItem)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK(BM_GetItem)->Threads(1)->Threads(8)->UseRealTime();
BENCHMARK(BM_ConditionalUpdateItem)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
