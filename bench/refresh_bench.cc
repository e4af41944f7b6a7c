// Plan-time refresh of a state of 1,000 AWS resources against the local cloud (in-process on
// 127.0.0.1): 1 VPC, 500 subnets, 400 security groups and 99 IAM roles, created through the
// provider as apply creates them. Two ways to read them back:
//   - clusterform: plan::Refresh, one Read per type, which the EC2 types answer with one
//     batched Describe call (ids under a filter, paged);
//   - one call per resource (how Terraform refreshes: a Read per instance).
// Counters: api_calls (HTTP requests sent) and resources. Target: < 1 s for the batched one
// (DESIGN.md; Terraform: 1,600 resources take 8 minutes, hashicorp/terraform#16375).

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <atomic>
#include <cstdio>
#include <memory>

#include "aws/client.h"
#include "aws/transport_curl.h"
#include "base/clock.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "plan/diff.h"
#include "provider/aws_provider.h"
#include "state/state.h"

namespace cf {
namespace {

using Json = nlohmann::json;

class CountingTransport : public aws::HttpTransport {
 public:
  explicit CountingTransport(aws::HttpTransport& inner) : inner_(inner) {}
  Result<aws::HttpResponse> Send(std::string_view base_url,
                                 const aws::HttpRequest& request) override {
    ++sent;
    return inner_.Send(base_url, request);
  }
  std::atomic<int> sent{0};

 private:
  aws::HttpTransport& inner_;
};

constexpr const char* kTrust =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",)"
    R"("Principal":{"Service":"ec2.amazonaws.com"}}]})";

struct World {
  SystemClock clock;
  NullLogger logger;
  std::unique_ptr<cloud::CloudServer> server;
  aws::Models models;
  aws::StaticCredentialsProvider credentials{{"test", "test", "", std::nullopt, "test"}};
  aws::CurlTransport curl;
  CountingTransport counting{curl};
  aws::SystemRandomSource random;
  std::unique_ptr<aws::Client> client;
  std::unique_ptr<provider::ResourceProvider> provider;
  state::State state;
  std::string error;

  void Add(const std::string& type, const std::string& name, int index, const Json& config) {
    if (!error.empty()) {
      return;
    }
    std::string address = fmt::format("{}.{}[{}]", type, name, index);
    provider::InstanceRef ref{type, address, state::CreateToken(state.lineage, address)};
    Result<provider::StepResult> step = provider->Create(ref, config);
    if (!step.ok()) {
      error = address + ": " + step.status().message();
      return;
    }
    Json attributes = step->state;
    for (int i = 0; step->pending && i < 400; ++i) {
      auto polled = provider->Poll(type, {attributes});
      if (!polled.ok()) {
        error = polled.status().message();
        return;
      }
      attributes = (*polled)[0].state;
      if ((*polled)[0].phase != provider::PollResult::Phase::kPending) {
        break;
      }
      clock.SleepFor(std::chrono::milliseconds(5));
    }
    state::ParsedAddress parsed{"", "managed", type, name, index};
    state.Upsert(parsed, "provider[\"registry.terraform.io/hashicorp/aws\"]").attributes =
        attributes;
  }

  World() {
    cloud::CloudOptions options;
    options.port = 0;
    options.imds_port = 0;
    auto started = cloud::CloudServer::Start(options, clock, logger);
    if (!started.ok()) {
      error = started.status().message();
      return;
    }
    server = std::move(started).value();
    aws::ClientOptions client_options;
    client_options.region = "us-east-1";
    client_options.endpoint_url = fmt::format("http://127.0.0.1:{}", server->port());
    client =
        std::make_unique<aws::Client>(models, credentials, counting, clock, random, client_options);
    provider = provider::MakeAwsProvider(*client, {});
    state.lineage = "refresh-bench";
    Add("aws_vpc", "v", 0, {{"cidr_block", "127.60.0.0/16"}});
    if (!error.empty()) {
      return;
    }
    std::string vpc = state.resources[0].instances[0].attributes["id"];
    for (int i = 0; i < 500; ++i) {
      Add("aws_subnet", "s", i,
          {{"vpc_id", vpc}, {"cidr_block", fmt::format("127.60.{}.{}/28", i / 16, (i % 16) * 16)}});
    }
    for (int i = 0; i < 400; ++i) {
      Add("aws_security_group", "g", i, {{"name", fmt::format("g{}", i)}, {"vpc_id", vpc}});
    }
    for (int i = 0; i < 99; ++i) {
      Add("aws_iam_role", "r", i,
          {{"name", fmt::format("r{}", i)}, {"assume_role_policy", kTrust}});
    }
  }
};

World& TheWorld() {
  static World* world = new World();
  return *world;
}

int Resources(const state::State& s) {
  int n = 0;
  for (const auto& r : s.resources) {
    n += static_cast<int>(r.instances.size());
  }
  return n;
}

void BM_RefreshBatched(benchmark::State& bench) {
  World& w = TheWorld();
  if (!w.error.empty()) {
    bench.SkipWithError(w.error.c_str());
    return;
  }
  int calls = 0;
  int kept = 0;
  for (auto _ : bench) {
    int before = w.counting.sent.load();
    Result<plan::RefreshResult> r = plan::Refresh(w.state, *w.provider);
    calls = w.counting.sent.load() - before;
    if (!r.ok()) {
      bench.SkipWithError(r.status().message().c_str());
      return;
    }
    kept = Resources(r->refreshed);
  }
  bench.counters["api_calls"] = calls;
  bench.counters["resources"] = kept;
}

void BM_RefreshOneCallPerResource(benchmark::State& bench) {
  World& w = TheWorld();
  if (!w.error.empty()) {
    bench.SkipWithError(w.error.c_str());
    return;
  }
  int calls = 0;
  for (auto _ : bench) {
    int before = w.counting.sent.load();
    for (const auto& r : w.state.resources) {
      for (const auto& i : r.instances) {
        auto read = w.provider->Read(r.type, {i.attributes});
        if (!read.ok() || !(*read)[0].has_value()) {
          bench.SkipWithError("a read failed");
          return;
        }
      }
    }
    calls = w.counting.sent.load() - before;
  }
  bench.counters["api_calls"] = calls;
  bench.counters["resources"] = Resources(w.state);
}

BENCHMARK(BM_RefreshBatched)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_RefreshOneCallPerResource)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace cf

BENCHMARK_MAIN();
