// DynamoDB over HTTP: PutItem, consistent GetItem and a conditional UpdateItem per second from
// 1 and 8 keep-alive clients on loopback. Requests (1,000 keys per operation) are signed once
// by src/aws's signer and replayed, so the figures measure the server, not the client.
//
// The target is the local cloud's server, started in-process with a data directory, or, when
// CF_BENCH_DYNAMODB_PORT is set, whatever DynamoDB listens on 127.0.0.1 at that port (dynalite
// for the side-by-side figures: bench/dynamodb_load.sh runs both).

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "aws/codec.h"
#include "aws/models.h"
#include "aws/sigv4.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "cloud/loopback_client.h"

namespace cf::cloud {
namespace {

constexpr int kKeys = 1000;
constexpr char kTable[] = "benchload";

struct Target {
  SystemClock clock;
  NullLogger logger;
  std::string dir;
  std::unique_ptr<CloudServer> server;
  uint16_t port = 0;
  aws::Models models;
  std::vector<HttpRequest> puts, gets, updates;

  HttpRequest Signed(const std::string& operation, const Json& params) {
    const aws::ServiceModel* model = models.Find("dynamodb").value();
    const aws::Operation* op = model->FindOperation(operation).value();
    aws::HttpRequest request = aws::SerializeRequest(*model, *op, params).value();
    aws::SetHeader(&request.headers, "Host", fmt::format("127.0.0.1:{}", port));
    aws::Credentials key{"test", "test", "", std::nullopt, "bench"};
    (void)aws::SignRequest(request, key,
                           aws::DefaultSigningParams("dynamodb", "us-east-1", clock.Now()))
        .value();
    HttpRequest out;
    out.method = request.method;
    out.target = request.path;
    for (const auto& h : request.headers) {
      out.headers.emplace_back(h.name, h.value);
    }
    out.body = request.body;
    return out;
  }
};

Target& SharedTarget() {
  static Target* target = [] {
    auto* t = new Target;
    if (const char* port = std::getenv("CF_BENCH_DYNAMODB_PORT"); port != nullptr) {
      t->port = static_cast<uint16_t>(std::atoi(port));
    } else {
      std::string pattern = (std::filesystem::temp_directory_path() / "cf_bench_XXXXXX").string();
      t->dir = mkdtemp(pattern.data());
      CloudOptions options;
      options.port = 0;
      options.data_dir = t->dir;
      options.threads = 2;
      t->server = std::move(CloudServer::Start(options, t->clock, t->logger).value());
      t->port = t->server->port();
    }
    LoopbackHttpClient client(t->port);
    (void)client.Send(
        t->Signed("CreateTable",
                  {{"TableName", kTable},
                   {"AttributeDefinitions", {{{"AttributeName", "k"}, {"AttributeType", "S"}}}},
                   {"KeySchema", {{{"AttributeName", "k"}, {"KeyType", "HASH"}}}},
                   {"BillingMode", "PAY_PER_REQUEST"}}));
    for (int i = 0; i < 100; ++i) {
      auto described = client.Send(t->Signed("DescribeTable", {{"TableName", kTable}}));
      if (described.ok() && described->body.find("\"ACTIVE\"") != std::string::npos) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (int i = 0; i < kKeys; ++i) {
      Json key = {{"k", {{"S", fmt::format("k{}", i)}}}};
      t->puts.push_back(t->Signed("PutItem", {{"TableName", kTable},
                                              {"Item",
                                               {{"k", {{"S", fmt::format("k{}", i)}}},
                                                {"v", {{"N", std::to_string(i)}}},
                                                {"locked", {{"BOOL", false}}}}}}));
      t->gets.push_back(
          t->Signed("GetItem", {{"TableName", kTable}, {"Key", key}, {"ConsistentRead", true}}));
      t->updates.push_back(t->Signed(
          "UpdateItem",
          {{"TableName", kTable},
           {"Key", key},
           {"UpdateExpression", "SET v = v + :one"},
           {"ConditionExpression", "locked = :f"},
           {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}, {":f", {{"BOOL", false}}}}}}));
    }
    for (const HttpRequest& put : t->puts) {
      (void)client.Send(put);
    }
    return t;
  }();
  return *target;
}

void Run(benchmark::State& state, const std::vector<HttpRequest>& requests) {
  Target& target = SharedTarget();
  LoopbackHttpClient client(target.port);
  int64_t failures = 0;
  size_t next = static_cast<size_t>(state.thread_index()) * 131;
  for (auto _ : state) {
    auto response = client.Send(requests[next++ % requests.size()]);
    if (!response.ok() || response->status != 200) {
      ++failures;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
}

void BM_PutItem(benchmark::State& state) {
  Run(state, SharedTarget().puts);
}
BENCHMARK(BM_PutItem)->Threads(1)->Threads(8)->UseRealTime();

void BM_GetItem(benchmark::State& state) {
  Run(state, SharedTarget().gets);
}
BENCHMARK(BM_GetItem)->Threads(1)->Threads(8)->UseRealTime();

void BM_ConditionalUpdateItem(benchmark::State& state) {
  Run(state, SharedTarget().updates);
}
BENCHMARK(BM_ConditionalUpdateItem)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace
}  // namespace cf::cloud

BENCHMARK_MAIN();
