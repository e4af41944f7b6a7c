// The local cloud's compute, measured end to end through the server (signed requests on
// loopback, the real instance host: process groups, metadata services):
//  - BM_LaunchToRunning/100: RunInstances of 100 instances (one call) until DescribeInstances
//    shows all 100 running and DescribeInstanceStatus reports all 100 "ok" (their process
//    groups up); instances/s = 100 / wall time. Then terminates them (not timed).
//  - BM_DeathToReplacement: an autoscaling group of 3; one instance is killed through the
//    admin API; wall time until the group again has 3 InService instances without it.
//    With the default profile (time scale 1) wall seconds are simulated seconds; the target
//    is 10 s.
// Run: build/bench/cloud_compute_bench

#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
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

using Clock = std::chrono::steady_clock;

struct Cloud {
  SystemClock clock;
  NullLogger logger;
  std::string dir;
  std::unique_ptr<CloudServer> server;
  aws::Models models;
  std::unique_ptr<LoopbackHttpClient> client;

  Cloud() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_bench_XXXXXX").string();
    dir = mkdtemp(pattern.data());
    CloudOptions options;
    options.port = 0;
    options.data_dir = dir;
    options.imds_port = 0;
    server = std::move(CloudServer::Start(options, clock, logger).value());
    client = std::make_unique<LoopbackHttpClient>(server->port(), std::chrono::seconds(60));
  }
  ~Cloud() {
    client.reset();
    server.reset();
    std::filesystem::remove_all(dir);
  }

  // `operation` of `service`: serialized, signed, sent, parsed. Aborts on an error answer.
  Json Call(const std::string& service, const std::string& operation, const Json& params) {
    const aws::ServiceModel* model = models.Find(service).value();
    const aws::Operation* op = model->FindOperation(operation).value();
    aws::HttpRequest request = aws::SerializeRequest(*model, *op, params).value();
    aws::SetHeader(&request.headers, "Host", fmt::format("127.0.0.1:{}", server->port()));
    aws::Credentials key{"test", "test", "", std::nullopt, "bench"};
    (void)aws::SignRequest(request, key,
                           aws::DefaultSigningParams(service, "us-east-1", clock.Now()))
        .value();
    HttpRequest out{request.method, request.path, {}, request.body};
    for (const auto& h : request.headers) {
      out.headers.emplace_back(h.name, h.value);
    }
    HttpResponse response = client->Send(out).value();
    aws::HttpResponse wire{response.status, {}, response.body};
    for (const auto& [name, value] : response.headers) {
      wire.headers.push_back({name, value});
    }
    if (aws::IsErrorResponse(wire)) {
      aws::AwsError error = aws::ParseError(*model, *op, wire);
      fmt::print(stderr, "{} {}: {} {}\n", service, operation, error.code, error.message);
      std::abort();
    }
    return aws::ParseResponse(*model, *op, wire).value();
  }

  std::string Subnet(const std::string& vpc_cidr, const std::string& cidr) {
    std::string vpc = Call("ec2", "CreateVpc", {{"CidrBlock", vpc_cidr}})["Vpc"]["VpcId"];
    return Call("ec2", "CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", cidr}})["Subnet"]["SubnetId"];
  }
};

void BM_LaunchToRunning(benchmark::State& state) {
  const int64_t count = state.range(0);
  Cloud cloud;
  std::string subnet = cloud.Subnet("127.70.0.0/16", "127.70.0.0/22");
  int round = 0;
  for (auto _ : state) {
    auto start = Clock::now();
    Json run = cloud.Call("ec2", "RunInstances",
                          {{"ImageId", "ami-0a3c3a20c09d6f377"},
                           {"InstanceType", "t3.micro"},
                           {"MinCount", count},
                           {"MaxCount", count},
                           {"SubnetId", subnet},
                           {"TagSpecifications",
                            {{{"ResourceType", "instance"},
                              {"Tags", {{{"Key", "round"}, {"Value", std::to_string(round)}}}}}}}});
    state.counters["run_call_ms"] =
        std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    std::vector<std::string> ids;
    for (const Json& instance : run["Instances"]) {
      ids.push_back(instance["InstanceId"]);
    }
    while (true) {
      Json status = cloud.Call("ec2", "DescribeInstanceStatus", {{"InstanceIds", ids}});
      int ok = 0;
      for (const Json& s : status.value("InstanceStatuses", Json::array())) {
        ok += s["InstanceStatus"]["Status"] == "ok" ? 1 : 0;
      }
      if (ok == count) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(seconds);
    state.counters["instances_per_s"] = benchmark::Counter(static_cast<double>(count) / seconds);
    state.PauseTiming();
    cloud.Call("ec2", "TerminateInstances", {{"InstanceIds", ids}});
    ++round;
    state.ResumeTiming();
  }
}
BENCHMARK(BM_LaunchToRunning)
    ->Arg(100)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_DeathToReplacement(benchmark::State& state) {
  Cloud cloud;
  std::string subnet = cloud.Subnet("127.71.0.0/16", "127.71.0.0/24");
  cloud.Call("ec2", "CreateLaunchTemplate",
             {{"LaunchTemplateName", "bench"},
              {"LaunchTemplateData",
               {{"ImageId", "ami-0a3c3a20c09d6f377"}, {"InstanceType", "t3.micro"}}}});
  cloud.Call("autoscaling", "CreateAutoScalingGroup",
             {{"AutoScalingGroupName", "bench"},
              {"LaunchTemplate", {{"LaunchTemplateName", "bench"}}},
              {"MinSize", 3},
              {"MaxSize", 3},
              {"VPCZoneIdentifier", subnet}});
  auto in_service = [&cloud] {
    Json groups = cloud.Call("autoscaling", "DescribeAutoScalingGroups",
                             {{"AutoScalingGroupNames", {"bench"}}});
    std::vector<std::string> ids;
    for (const Json& instance : groups["AutoScalingGroups"][0]["Instances"]) {
      if (instance["LifecycleState"] == "InService") {
        ids.push_back(instance["InstanceId"]);
      }
    }
    return ids;
  };
  for (auto _ : state) {
    std::vector<std::string> ids;
    while ((ids = in_service()).size() != 3) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::string victim = ids[0];
    LoopbackHttpClient admin(cloud.server->port());
    auto start = Clock::now();
    auto killed = admin.Send({"POST", "/_clusterform/instances/" + victim + "/kill", {}, ""});
    if (!killed.ok() || killed->status != 200) {
      state.SkipWithError("the admin API did not kill the instance");
      break;
    }
    while (true) {
      ids = in_service();
      if (ids.size() == 3 && std::find(ids.begin(), ids.end(), victim) == ids.end()) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - start).count());
  }
}
BENCHMARK(BM_DeathToReplacement)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace cf::cloud

BENCHMARK_MAIN();
