// The local cloud's server: time to start (until it accepts connections) and signed API calls
// per second from 1, 8 and 64 keep-alive clients on loopback. The request is signed once by
// src/aws's signer and replayed (the server verifies the signature every time), so the
// figures measure the server, not the client's signing.

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

#include "aws/codec.h"
#include "aws/models.h"
#include "aws/sigv4.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "cloud/loopback_client.h"

namespace cf::cloud {
namespace {

std::string TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "cf_bench_XXXXXX").string();
  return mkdtemp(pattern.data());
}

// Start (store opened, services registered, listening) and stop, with a data directory.
void BM_StartStop(benchmark::State& state) {
  SystemClock clock;
  NullLogger logger;
  std::string dir = TempDir();
  for (auto _ : state) {
    CloudOptions options;
    options.port = 0;
    options.data_dir = dir;
    auto server = CloudServer::Start(options, clock, logger);
    if (!server.ok()) {
      state.SkipWithError(server.status().ToString().c_str());
      break;
    }
    LoopbackHttpClient client((*server)->port());
    auto health = client.Send({"GET", "/_clusterform/health", {}, ""});
    benchmark::DoNotOptimize(health);
    (*server)->Stop();
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StartStop)->Unit(benchmark::kMillisecond);

struct Shared {
  SystemClock clock;
  NullLogger logger;
  std::string dir;
  std::unique_ptr<CloudServer> server;
  HttpRequest request;
};

Shared& SharedServer() {
  static Shared* shared = [] {
    auto* s = new Shared;
    s->dir = TempDir();
    CloudOptions options;
    options.port = 0;
    options.data_dir = s->dir;
    options.threads = 2;
    s->server = std::move(CloudServer::Start(options, s->clock, s->logger).value());
    aws::Models models;
    const aws::ServiceModel* sts = models.Find("sts").value();
    const aws::Operation* op = sts->FindOperation("GetCallerIdentity").value();
    aws::HttpRequest request = aws::SerializeRequest(*sts, *op, Json::object()).value();
    aws::SetHeader(&request.headers, "Host", fmt::format("127.0.0.1:{}", s->server->port()));
    aws::Credentials key{"test", "test", "", std::nullopt, "bench"};
    (void)aws::SignRequest(request, key,
                           aws::DefaultSigningParams("sts", "us-east-1", s->clock.Now()))
        .value();
    s->request.method = request.method;
    s->request.target = request.path;
    for (const auto& h : request.headers) {
      s->request.headers.emplace_back(h.name, h.value);
    }
    s->request.body = request.body;
    return s;
  }();
  return *shared;
}

// sts:GetCallerIdentity, SigV4-verified, query protocol in and out.
void BM_SignedGetCallerIdentity(benchmark::State& state) {
  Shared& shared = SharedServer();
  LoopbackHttpClient client(shared.server->port());
  int64_t failures = 0;
  for (auto _ : state) {
    auto response = client.Send(shared.request);
    if (!response.ok() || response->status != 200) {
      ++failures;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
}
BENCHMARK(BM_SignedGetCallerIdentity)->Threads(1)->Threads(8)->Threads(64)->UseRealTime();

}  // namespace
}  // namespace cf::cloud

BENCHMARK_MAIN();
