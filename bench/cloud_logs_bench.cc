// CloudWatch Logs on the Store, without HTTP: PutLogEvents of 100-event batches into one
// stream, GetLogEvents pages (100 events) of a 10,000-event stream, and FilterLogEvents with
// a term over 10,000 events in 10 streams. The store is a SQLite file in a temporary folder,
// as the server uses it.

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>

#include "base/clock.h"
#include "cloud/core/context.h"
#include "cloud/core/credentials.h"
#include "cloud/core/ids.h"
#include "cloud/core/random.h"
#include "cloud/core/store.h"
#include "cloud/logs/logs_service.h"

namespace cf::cloud::logs {
namespace {

class NoLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string&) const override {
    return std::chrono::nanoseconds(0);
  }
};

struct World {
  World() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_logs_XXXXXX").string();
    dir = mkdtemp(pattern.data());
    store = std::move(Store::Open(dir + "/cloud.db").value());
    credentials =
        std::make_unique<CredentialStore>(*store, std::vector<Credential>{DefaultCredential()});
    service =
        std::make_unique<LogsService>(ServiceContext{*store, ids, clock, *credentials, latency});
  }
  ~World() { std::filesystem::remove_all(dir); }

  Json Call(const std::string& operation, Json input) {
    ServiceCall call;
    call.service = "logs";
    call.operation = operation;
    call.input = std::move(input);
    call.region = "us-east-1";
    call.caller = DefaultCredential().identity;
    call.account_id = call.caller.account_id;
    ServiceResult r = service->Handle(call);
    return r.ok() ? r.output() : Json{{"error", r.error().code}};
  }

  int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
        .count();
  }

  // Fills `stream` with `count` events in batches of 100.
  void Fill(const std::string& stream, int count, int64_t base) {
    Call("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", stream}});
    for (int i = 0; i < count; i += 100) {
      Json events = Json::array();
      for (int j = i; j < i + 100 && j < count; ++j) {
        events.push_back({{"timestamp", base + j},
                          {"message", fmt::format("{} request {} took {} ms",
                                                  j % 10 == 0 ? "ERROR" : "INFO", j, j % 97)}});
      }
      Call("PutLogEvents",
           {{"logGroupName", "g"}, {"logStreamName", stream}, {"logEvents", events}});
    }
  }

  std::string dir;
  SystemClock clock;
  SeededRandom random{1};
  IdGenerator ids{random};
  NoLatency latency;
  std::unique_ptr<Store> store;
  std::unique_ptr<CredentialStore> credentials;
  std::unique_ptr<LogsService> service;
};

void BM_PutLogEvents100(benchmark::State& state) {
  World world;
  world.Call("CreateLogGroup", {{"logGroupName", "g"}});
  world.Call("CreateLogStream", {{"logGroupName", "g"}, {"logStreamName", "s"}});
  Json events = Json::array();
  for (int j = 0; j < 100; ++j) {
    events.push_back(
        {{"timestamp", world.Now() - 1000 + j}, {"message", fmt::format("INFO event {}", j)}});
  }
  Json input = {{"logGroupName", "g"}, {"logStreamName", "s"}, {"logEvents", events}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(world.Call("PutLogEvents", input));
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_PutLogEvents100)->Unit(benchmark::kMicrosecond);

void BM_GetLogEventsPage(benchmark::State& state) {
  World world;
  world.Call("CreateLogGroup", {{"logGroupName", "g"}});
  world.Fill("s", 10000, world.Now() - 3600 * 1000);
  Json input = {
      {"logGroupName", "g"}, {"logStreamName", "s"}, {"limit", 100}, {"startFromHead", true}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(world.Call("GetLogEvents", input));
  }
}
BENCHMARK(BM_GetLogEventsPage)->Unit(benchmark::kMillisecond);

void BM_FilterLogEventsTerm(benchmark::State& state) {
  World world;
  world.Call("CreateLogGroup", {{"logGroupName", "g"}});
  for (int s = 0; s < 10; ++s) {
    world.Fill(fmt::format("s{}", s), 1000, world.Now() - 3600 * 1000);
  }
  Json input = {{"logGroupName", "g"}, {"filterPattern", "ERROR"}, {"limit", 100}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(world.Call("FilterLogEvents", input));
  }
}
BENCHMARK(BM_FilterLogEventsTerm)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cf::cloud::logs

BENCHMARK_MAIN();
