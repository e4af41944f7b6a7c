#pragma once

// The test fixture for one local-cloud service called directly, without the server: what a
// ServiceContext refers to (an in-memory Store, seeded ids, a FakeClock, the default
// credential, a settable latency profile) and Call / Ok / ErrorCode, which call the service as
// the server would for the default credential (account 000000000000).
//
//   class LogsServiceTest : public testing::ServiceTest {
//    protected:
//     LogsServiceTest() : service_(Context()) { Serve(service_); }
//     LogsService service_;
//   };
//
//   TEST_F(LogsServiceTest, CreatesGroupsOnce) {
//     Ok("CreateLogGroup", {{"logGroupName", "g"}});
//     EXPECT_EQ(ErrorCode("CreateLogGroup", {{"logGroupName", "g"}}),
//               "ResourceAlreadyExistsException");
//   }
//
// Header-only: the test binaries of cloud/<service>/ link cf_cloud_core already, cf_testing
// does not.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "cloud/core/context.h"
#include "cloud/core/credentials.h"
#include "cloud/core/ids.h"
#include "cloud/core/random.h"
#include "cloud/core/service.h"
#include "cloud/core/store.h"
#include "testing/fake_clock.h"

namespace cf::testing {

// Delays by name ("ec2:NatGateway"), zero for names not set.
class SettableLatency : public cloud::LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string& name) const override {
    auto it = delays.find(name);
    return it == delays.end() ? std::chrono::nanoseconds(0) : it->second;
  }
  std::map<std::string, std::chrono::nanoseconds> delays;
};

class ServiceTest : public ::testing::Test {
 protected:
  // `seed` makes ids repeatable; the clock starts at FakeClock's default instant.
  explicit ServiceTest(uint64_t seed = 7)
      : store_(std::move(cloud::Store::Open("").value())),
        random_(seed),
        ids_(random_),
        credentials_(*store_, {cloud::DefaultCredential()}) {}
  ServiceTest(uint64_t seed, std::chrono::system_clock::time_point start) : ServiceTest(seed) {
    clock_.Advance(start - clock_.Now());
  }

  cloud::ServiceContext Context() {
    return cloud::ServiceContext{*store_, ids_, clock_, credentials_, latency_};
  }

  // The service Call, Ok and ErrorCode talk to; it must outlive the calls.
  void Serve(cloud::Service& service) { served_ = &service; }

  // `operation` with `input` as the default credential's caller, in `region`, on `account`
  // (the caller's own when empty).
  cloud::ServiceResult Call(const std::string& operation, cloud::Json input,
                            const std::string& region = "us-east-1",
                            const std::string& account = "") {
    return CallOn(*served_, operation, std::move(input), region, account);
  }
  cloud::ServiceResult CallOn(cloud::Service& service, const std::string& operation,
                              cloud::Json input, const std::string& region = "us-east-1",
                              const std::string& account = "") {
    cloud::ServiceCall call;
    call.service = service.name();
    call.operation = operation;
    call.input = std::move(input);
    call.region = region;
    call.caller = cloud::DefaultCredential().identity;
    call.account_id = account.empty() ? call.caller.account_id : account;
    return service.Handle(call);
  }

  // The output of a call that must succeed; a failure of the test (naming the error) and an
  // empty tree otherwise.
  cloud::Json Ok(const std::string& operation, cloud::Json input) {
    return OkOn(*served_, operation, std::move(input));
  }
  cloud::Json OkOn(cloud::Service& service, const std::string& operation, cloud::Json input) {
    cloud::ServiceResult r = CallOn(service, operation, std::move(input));
    EXPECT_TRUE(r.ok()) << operation << ": "
                        << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? r.value() : cloud::Json();
  }

  // The error code of a call, or "(no error)" when it succeeded.
  std::string ErrorCode(const std::string& operation, cloud::Json input) {
    cloud::ServiceResult r = Call(operation, std::move(input));
    return r.ok() ? "(no error)" : r.error().code;
  }

  std::unique_ptr<cloud::Store> store_;
  FakeClock clock_;
  cloud::SeededRandom random_;
  cloud::IdGenerator ids_;
  cloud::CredentialStore credentials_;
  SettableLatency latency_;

 private:
  cloud::Service* served_ = nullptr;
};

}  // namespace cf::testing
