// The local cloud's S3: PutObject and GetObject of 1 KB and 1 MB objects per second from 1 and
// 8 concurrent keep-alive clients on loopback, with a data directory (object bytes written
// temp -> fsync -> rename, metadata committed to SQLite). Each client signs its requests once
// (payload hash included) and replays them; the server verifies every signature, so the
// figures measure the server.

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>

#include "aws/sigv4.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "cloud/loopback_client.h"

namespace cf::cloud {
namespace {

struct Shared {
  SystemClock clock;
  NullLogger logger;
  std::string dir;
  std::unique_ptr<CloudServer> server;

  HttpRequest Signed(const std::string& method, const std::string& target,
                     const std::string& body) {
    aws::HttpRequest request;
    request.method = method;
    request.path = target;
    request.body = body;
    request.headers.push_back({"Host", fmt::format("127.0.0.1:{}", server->port())});
    aws::SigningParams params = aws::DefaultSigningParams("s3", "us-east-1", clock.Now());
    params.add_content_sha256_header = true;
    (void)aws::SignRequest(request, {"test", "test", "", std::nullopt, "bench"}, params).value();
    HttpRequest out;
    out.method = request.method;
    out.target = request.path;
    for (const auto& h : request.headers) {
      out.headers.emplace_back(h.name, h.value);
    }
    out.body = std::move(request.body);
    return out;
  }
};

Shared& SharedServer() {
  static Shared* shared = [] {
    auto* s = new Shared;
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_s3bench_XXXXXX").string();
    s->dir = mkdtemp(pattern.data());
    CloudOptions options;
    options.port = 0;
    options.data_dir = s->dir;
    options.threads = 2;
    s->server = std::move(CloudServer::Start(options, s->clock, s->logger).value());
    LoopbackHttpClient client(s->server->port());
    (void)client.Send(s->Signed("PUT", "/bench", ""));
    return s;
  }();
  return *shared;
}

void Run(benchmark::State& state, bool put) {
  Shared& shared = SharedServer();
  size_t size = static_cast<size_t>(state.range(0));
  std::string key = fmt::format("/bench/obj-{}-{}", size, state.thread_index());
  LoopbackHttpClient client(shared.server->port(), std::chrono::seconds(60));
  HttpRequest put_request = shared.Signed("PUT", key, std::string(size, 'x'));
  HttpRequest get_request = shared.Signed("GET", key, "");
  if (!put) {
    (void)client.Send(put_request);
  }
  const HttpRequest& request = put ? put_request : get_request;
  int64_t failures = 0;
  for (auto _ : state) {
    auto response = client.Send(request);
    if (!response.ok() || response->status != 200 || (!put && response->body.size() != size)) {
      ++failures;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
  state.counters["failures"] = static_cast<double>(failures);
}

void BM_PutObject(benchmark::State& state) {
  Run(state, true);
}
BENCHMARK(BM_PutObject)->Arg(1024)->Arg(1 << 20)->Threads(1)->Threads(8)->UseRealTime();

void BM_GetObject(benchmark::State& state) {
  Run(state, false);
}
BENCHMARK(BM_GetObject)->Arg(1024)->Arg(1 << 20)->Threads(1)->Threads(8)->UseRealTime();

}  // namespace
}  // namespace cf::cloud

BENCHMARK_MAIN();
