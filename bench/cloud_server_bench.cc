// The local cloud's server: time to start (until it accepts connections) and signed API calls
// per second (sts:GetCallerIdentity, ec2:DescribeVpcs, ec2:CreateTags) from 1, 8 and 64
// keep-alive clients on loopback. The request is signed once by
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
  aws::Models models;
  HttpRequest get_caller_identity;
  HttpRequest describe_vpcs;
  HttpRequest create_tags;

  // `operation` of `service` with `params`, serialized by the client codec and signed.
  HttpRequest Signed(const std::string& service, const std::string& operation, const Json& params) {
    const aws::ServiceModel* model = models.Find(service).value();
    const aws::Operation* op = model->FindOperation(operation).value();
    aws::HttpRequest request = aws::SerializeRequest(*model, *op, params).value();
    aws::SetHeader(&request.headers, "Host", fmt::format("127.0.0.1:{}", server->port()));
    aws::Credentials key{"test", "test", "", std::nullopt, "bench"};
    (void)aws::SignRequest(request, key,
                           aws::DefaultSigningParams(service, "us-east-1", clock.Now()))
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

Shared& SharedServer() {
  static Shared* shared = [] {
    auto* s = new Shared;
    s->dir = TempDir();
    CloudOptions options;
    options.port = 0;
    options.data_dir = s->dir;
    options.threads = 2;
    s->server = std::move(CloudServer::Start(options, s->clock, s->logger).value());
    s->get_caller_identity = s->Signed("sts", "GetCallerIdentity", Json::object());
    LoopbackHttpClient client(s->server->port());
    std::string vpc_id;
    for (int i = 0; i < 10; ++i) {
      auto created = client.Send(
          s->Signed("ec2", "CreateVpc", {{"CidrBlock", fmt::format("127.{}.0.0/16", 100 + i)}}));
      size_t at = created->body.find("<vpcId>");
      vpc_id = created->body.substr(at + 7, 21);
    }
    s->describe_vpcs = s->Signed("ec2", "DescribeVpcs", Json::object());
    s->create_tags =
        s->Signed("ec2", "CreateTags",
                  {{"Resources", {vpc_id}}, {"Tags", {{{"Key", "bench"}, {"Value", "yes"}}}}});
    return s;
  }();
  return *shared;
}

void RunCalls(benchmark::State& state, const HttpRequest& request) {
  Shared& shared = SharedServer();
  LoopbackHttpClient client(shared.server->port());
  int64_t failures = 0;
  for (auto _ : state) {
    auto response = client.Send(request);
    if (!response.ok() || response->status != 200) {
      ++failures;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
}

// sts:GetCallerIdentity: SigV4 verification and the query protocol, no state.
void BM_SignedGetCallerIdentity(benchmark::State& state) {
  RunCalls(state, SharedServer().get_caller_identity);
}
BENCHMARK(BM_SignedGetCallerIdentity)->Threads(1)->Threads(8)->Threads(64)->UseRealTime();

// ec2:DescribeVpcs over 10 VPCs: a read of the store and the ec2 protocol's XML.
void BM_DescribeVpcs(benchmark::State& state) {
  RunCalls(state, SharedServer().describe_vpcs);
}
BENCHMARK(BM_DescribeVpcs)->Threads(1)->Threads(8)->Threads(64)->UseRealTime();

// ec2:CreateTags on one VPC: a read-modify-write transaction committed to SQLite (WAL).
void BM_CreateTags(benchmark::State& state) {
  RunCalls(state, SharedServer().create_tags);
}
BENCHMARK(BM_CreateTags)->Threads(1)->Threads(8)->Threads(64)->UseRealTime();

}  // namespace
}  // namespace cf::cloud

BENCHMARK_MAIN();
