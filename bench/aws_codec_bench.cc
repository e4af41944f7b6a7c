// AWS codec costs: parsing an embedded model the first time, serializing a request, parsing a
// response.

#include <benchmark/benchmark.h>

#include "aws/codec.h"
#include "aws/models.h"

namespace {

void BM_ParseEc2Model(benchmark::State& state) {
  for (auto _ : state) {
    cf::aws::Models models;
    benchmark::DoNotOptimize(models.Find("ec2"));
  }
}
BENCHMARK(BM_ParseEc2Model)->Unit(benchmark::kMillisecond);

void BM_SerializeDescribeInstances(benchmark::State& state) {
  cf::aws::Models models;
  const cf::aws::ServiceModel& ec2 = **models.Find("ec2");
  const cf::aws::Operation& op = **ec2.FindOperation("DescribeInstances");
  nlohmann::json params = {
      {"Filters",
       {{{"Name", "tag:Name"}, {"Values", {"web", "db"}}},
        {{"Name", "instance-state-name"}, {"Values", {"running", "pending"}}}}},
      {"MaxResults", 100}};
  for (auto _ : state) {
    auto request = cf::aws::SerializeRequest(ec2, op, params);
    benchmark::DoNotOptimize(request);
  }
}
BENCHMARK(BM_SerializeDescribeInstances);

void BM_ParseDescribeInstancesResponse(benchmark::State& state) {
  cf::aws::Models models;
  const cf::aws::ServiceModel& ec2 = **models.Find("ec2");
  const cf::aws::Operation& op = **ec2.FindOperation("DescribeInstances");
  nlohmann::json instances = nlohmann::json::array();
  for (int i = 0; i < 50; ++i) {
    instances.push_back({{"InstanceId", "i-" + std::to_string(i)},
                         {"InstanceType", "m5.large"},
                         {"State", {{"Code", 16}, {"Name", "running"}}},
                         {"LaunchTime", 1704164645},
                         {"Tags", {{{"Key", "Name"}, {"Value", "web"}}}}});
  }
  nlohmann::json result = {
      {"Reservations", {{{"ReservationId", "r-1"}, {"Instances", instances}}}}};
  cf::aws::HttpResponse response = *cf::aws::SerializeResponse(ec2, op, result, "req");
  for (auto _ : state) {
    auto parsed = cf::aws::ParseResponse(ec2, op, response);
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * response.body.size()));
}
BENCHMARK(BM_ParseDescribeInstancesResponse);

}  // namespace

BENCHMARK_MAIN();
