// The client's CPU cost per call: serialize a DescribeInstances request, sign it, and parse a
// DescribeInstances-sized response (50 instances in 10 reservations), plus each step alone and
// the server-side signature check.

#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "aws/codec.h"
#include "aws/models.h"
#include "aws/sigv4.h"
#include "aws/sigv4_verifier.h"
#include "base/clock.h"
#include "base/logging.h"

namespace {

using nlohmann::json;

const auto kTime = std::chrono::system_clock::from_time_t(1440938160);

json Params() {
  return {{"Filters",
           {{{"Name", "tag:clusterform:cluster"}, {"Values", {"weka-prod"}}},
            {{"Name", "instance-state-name"}, {"Values", {"pending", "running"}}}}},
          {"MaxResults", 1000}};
}

json Output() {
  json reservations = json::array();
  for (int r = 0; r < 10; ++r) {
    json instances = json::array();
    for (int i = 0; i < 5; ++i) {
      std::string n = std::to_string(r * 5 + i);
      instances.push_back(
          {{"InstanceId", "i-0abc" + n},
           {"ImageId", "ami-0123456789"},
           {"InstanceType", "i3en.6xlarge"},
           {"PrivateIpAddress", "127.0.1." + n},
           {"SubnetId", "subnet-01"},
           {"VpcId", "vpc-01"},
           {"State", {{"Code", 16}, {"Name", "running"}}},
           {"LaunchTime", 1440938160},
           {"Placement", {{"AvailabilityZone", "us-east-1a"}, {"Tenancy", "default"}}},
           {"SecurityGroups", {{{"GroupId", "sg-01"}, {"GroupName", "weka"}}}},
           {"Tags",
            {{{"Key", "Name"}, {"Value", "weka-backend-" + n}},
             {{"Key", "clusterform:cluster"}, {"Value", "weka-prod"}},
             {{"Key", "clusterform:address"}, {"Value", "module.weka.aws_instance.backend"}}}},
           {"BlockDeviceMappings",
            {{{"DeviceName", "/dev/xvda"},
              {"Ebs", {{"VolumeId", "vol-" + n}, {"Status", "attached"}}}}}}});
    }
    reservations.push_back({{"ReservationId", "r-" + std::to_string(r)},
                            {"OwnerId", "123456789012"},
                            {"Instances", instances}});
  }
  return {{"Reservations", reservations}};
}

struct Fixture {
  Fixture() {
    auto m = models.Find("ec2");
    CF_CHECK(m.ok());
    model = *m;
    auto o = model->FindOperation("DescribeInstances");
    CF_CHECK(o.ok());
    op = *o;
    auto r = cf::aws::SerializeResponse(*model, *op, Output(), "req-1");
    CF_CHECK(r.ok());
    response = *r;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  }
  cf::aws::Models models;
  const cf::aws::ServiceModel* model = nullptr;
  const cf::aws::Operation* op = nullptr;
  cf::aws::HttpResponse response;
  cf::aws::Credentials credentials;
};

Fixture& F() {
  static Fixture fixture;
  return fixture;
}

void BM_RoundTrip(benchmark::State& state) {
  Fixture& f = F();
  const json params = Params();
  for (auto _ : state) {
    auto request = cf::aws::SerializeRequest(*f.model, *f.op, params);
    cf::aws::SetHeader(&request->headers, "Host", "ec2.us-east-1.amazonaws.com");
    auto parts = cf::aws::SignRequest(*request, f.credentials,
                                      cf::aws::DefaultSigningParams("ec2", "us-east-1", kTime));
    auto output = cf::aws::ParseResponse(*f.model, *f.op, f.response);
    benchmark::DoNotOptimize(parts);
    benchmark::DoNotOptimize(output);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.response.body.size()));
}
BENCHMARK(BM_RoundTrip);

void BM_SerializeRequest(benchmark::State& state) {
  Fixture& f = F();
  const json params = Params();
  for (auto _ : state) {
    benchmark::DoNotOptimize(cf::aws::SerializeRequest(*f.model, *f.op, params));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SerializeRequest);

void BM_Sign(benchmark::State& state) {
  Fixture& f = F();
  auto request = cf::aws::SerializeRequest(*f.model, *f.op, Params());
  cf::aws::SetHeader(&request->headers, "Host", "ec2.us-east-1.amazonaws.com");
  const auto params = cf::aws::DefaultSigningParams("ec2", "us-east-1", kTime);
  for (auto _ : state) {
    cf::aws::HttpRequest copy = *request;
    benchmark::DoNotOptimize(cf::aws::SignRequest(copy, f.credentials, params));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sign);

void BM_ParseResponse(benchmark::State& state) {
  Fixture& f = F();
  for (auto _ : state) {
    benchmark::DoNotOptimize(cf::aws::ParseResponse(*f.model, *f.op, f.response));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(f.response.body.size()));
}
BENCHMARK(BM_ParseResponse);

class FixedClock : public cf::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return kTime; }
  std::chrono::steady_clock::time_point Monotonic() const override { return {}; }
  void SleepFor(std::chrono::nanoseconds) override {}
};

class OneKey : public cf::aws::SecretLookup {
 public:
  std::optional<cf::aws::KnownKey> FindKey(std::string_view) const override {
    return cf::aws::KnownKey{"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  }
};

void BM_Verify(benchmark::State& state) {
  Fixture& f = F();
  auto request = cf::aws::SerializeRequest(*f.model, *f.op, Params());
  cf::aws::SetHeader(&request->headers, "Host", "ec2.us-east-1.amazonaws.com");
  CF_CHECK(cf::aws::SignRequest(*request, f.credentials,
                                cf::aws::DefaultSigningParams("ec2", "us-east-1", kTime))
               .ok());
  FixedClock clock;
  OneKey keys;
  cf::aws::SigV4Verifier verifier(keys, clock);
  cf::aws::VerifyOptions options;
  for (auto _ : state) {
    auto result = verifier.Verify(*request, options);
    CF_CHECK(result.ok());
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Verify);

}  // namespace

BENCHMARK_MAIN();
