#include "cloud/cloud_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>

#include "base/clock.h"
#include "cloud/loopback_client.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

// The pipeline under test, with stand-ins for the codecs and the verifier: a model-free JSON
// protocol for "sts", and an authenticator that accepts the key "test" and refuses "bad".
class TestProtocols : public ProtocolTable {
 public:
  const WireProtocol* Find(const std::string& service) const override {
    return service == "sts" ? &sts_ : nullptr;
  }

 private:
  JsonTargetProtocol sts_{"AWSSecurityTokenServiceV20110615", "1.1"};
};

class TestAuthenticator : public Authenticator {
 public:
  AuthOutcome Authenticate(const HttpRequest&, const SigV4Auth& auth,
                           ProtocolFamily) const override {
    if (auth.access_key_id != "test") {
      return {ServiceError{"SignatureDoesNotMatch", "bad signature", 403, true}, {}};
    }
    return {std::nullopt, DefaultCredential().identity};
  }
};

HttpRequest StsRequest(const std::string& operation, const std::string& body = "{}",
                       const std::string& key = "test", const std::string& service = "sts") {
  HttpRequest r;
  r.method = "POST";
  r.target = "/";
  r.headers = {
      {"Content-Type", "application/x-amz-json-1.1"},
      {"X-Amz-Target", "AWSSecurityTokenServiceV20110615." + operation},
      {"X-Amz-Date", "20260101T000000Z"},
      {"Authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/20260101/us-east-1/" + service +
                            "/aws4_request, SignedHeaders=host;x-amz-date, "
                            "Signature=0123"}};
  r.body = body;
  return r;
}

Json BodyJson(const HttpResponse& r) {
  Json json = Json::parse(r.body, nullptr, false);
  return json.is_discarded() ? Json::object() : json;
}

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) {
      return v;
    }
  }
  return "";
}

class CloudServerTest : public ::testing::Test {
 protected:
  std::unique_ptr<CloudServer> StartServer(CloudOptions options = {}) {
    options.port = 0;
    auto server =
        CloudServer::Start(std::move(options), clock_, logger_, std::make_unique<TestProtocols>(),
                           std::make_unique<TestAuthenticator>());
    EXPECT_OK(server);
    return server.ok() ? std::move(server).value() : nullptr;
  }

  std::string TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_cloud_XXXXXX").string();
    dirs_.push_back(mkdtemp(pattern.data()));
    return dirs_.back();
  }

  ~CloudServerTest() override {
    for (const auto& d : dirs_) {
      std::filesystem::remove_all(d);
    }
  }

  SystemClock clock_;
  NullLogger logger_;
  std::vector<std::string> dirs_;
};

TEST_F(CloudServerTest, AnswersASignedCallWithARequestId) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  LoopbackHttpClient client(server->port());
  auto r = client.Send(StsRequest("GetCallerIdentity"));
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(BodyJson(*r)["Account"], "000000000000");
  EXPECT_TRUE(std::regex_match(Header(*r, "x-amzn-requestid"),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-"
                                          "[0-9a-f]{12}")));
}

TEST_F(CloudServerTest, MissingAuthenticationIsRefusedWith403) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  HttpRequest request = StsRequest("GetCallerIdentity");
  request.headers.pop_back();  // no Authorization
  auto r = client.Send(request);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(BodyJson(*r)["__type"], "MissingAuthenticationTokenException");
}

TEST_F(CloudServerTest, MalformedAuthorizationIsAnIncompleteSignature) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  HttpRequest request = StsRequest("GetCallerIdentity");
  request.headers.back().second = "AWS4-HMAC-SHA256 Credential=test/2026/us-east-1";
  auto r = client.Send(request);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(BodyJson(*r)["__type"], "IncompleteSignatureException");
}

TEST_F(CloudServerTest, RefusedSignatureUsesTheAuthenticatorsError) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  auto r = client.Send(StsRequest("GetCallerIdentity", "{}", "bad"));
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(BodyJson(*r)["__type"], "SignatureDoesNotMatch");
}

TEST_F(CloudServerTest, UnknownOperationAndServiceGetTheProtocolsError) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  auto op = client.Send(StsRequest("LaunchRockets"));
  ASSERT_OK(op);
  EXPECT_EQ(op->status, 400);
  EXPECT_EQ(BodyJson(*op)["__type"], "UnknownOperationException");

  auto service = client.Send(StsRequest("GetCallerIdentity", "{}", "test", "nosuchservice"));
  ASSERT_OK(service);
  EXPECT_EQ(service->status, 400);
  EXPECT_EQ(BodyJson(*service)["__type"], "UnknownOperationException");
  EXPECT_NE(BodyJson(*service)["message"].get<std::string>().find("nosuchservice"),
            std::string::npos);
}

TEST_F(CloudServerTest, MalformedJsonBodyIsASerializationError) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  auto r = client.Send(StsRequest("GetCallerIdentity", "{not json"));
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(BodyJson(*r)["__type"], "SerializationException");
}

TEST_F(CloudServerTest, GarbageOnTheSocketGets400AndTheConnectionClosed) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  auto raw = client.SendRaw(std::string("\x16\x03\x01 this is not http\r\n\r\n", 26));
  ASSERT_OK(raw);
  EXPECT_EQ(raw->substr(0, 12), "HTTP/1.1 400") << *raw;
  // The server still serves others.
  LoopbackHttpClient other(server->port());
  auto r = other.Send(StsRequest("GetCallerIdentity"));
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(CloudServerTest, OversizedBodyGets413AndTheConnectionClosed) {
  CloudOptions options;
  options.max_body_bytes = 1024;
  auto server = StartServer(options);
  LoopbackHttpClient client(server->port());
  auto r =
      client.Send(StsRequest("GetCallerIdentity", "{\"x\": \"" + std::string(5000, 'a') + "\"}"));
  ASSERT_OK(r);
  EXPECT_EQ(r->status, 413) << r->body;
  EXPECT_EQ(BodyJson(*r).value("__type", ""), "RequestEntityTooLarge") << r->body;
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(CloudServerTest, OversizedChunkedBodyGets413) {
  CloudOptions options;
  options.max_body_bytes = 1024;
  auto server = StartServer(options);
  LoopbackHttpClient client(server->port());
  std::string chunk(2000, 'a');
  auto raw =
      client.SendRaw("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" +
                     chunk + "\r\n0\r\n\r\n");
  ASSERT_OK(raw);
  EXPECT_EQ(raw->substr(0, 12), "HTTP/1.1 413") << *raw;
}

TEST_F(CloudServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  for (int i = 0; i < 100; ++i) {
    auto r = client.Send(StsRequest("GetCallerIdentity"));
    ASSERT_OK(r);
    ASSERT_EQ(r->status, 200);
  }
  EXPECT_FALSE(client.ServerClosed(std::chrono::milliseconds(100)));
}

TEST_F(CloudServerTest, ServesManyConcurrentConnections) {
  auto server = StartServer();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 64; ++t) {
    threads.emplace_back([&] {
      LoopbackHttpClient client(server->port());
      for (int i = 0; i < 10; ++i) {
        auto r = client.Send(StsRequest("GetCallerIdentity"));
        if (r.ok() && r->status == 200) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok.load(), 640);
}

TEST_F(CloudServerTest, SeededFaultInjectionIsExact) {
  CloudOptions options;
  ASSERT_OK(ApplyCloudConfig(Json::parse(R"({"faults": {"seed": 42, "rules": [
        {"service": "sts", "operation": "GetCallerIdentity", "throttle_rate": 0.3,
         "error_500_rate": 0.2, "error_503_rate": 0.1}]}})"),
                             options));
  auto server = StartServer(options);
  // The same draws the injector makes: one uniform per matching request.
  SeededRandom expected_random(42);
  LoopbackHttpClient client(server->port());
  int faults = 0;
  for (int i = 0; i < 40; ++i) {
    double u = expected_random.Uniform();
    int expected_status = u < 0.3 ? 400 : u < 0.5 ? 500 : u < 0.6 ? 503 : 200;
    std::string expected_code = u < 0.3   ? "ThrottlingException"
                                : u < 0.5 ? "InternalFailure"
                                : u < 0.6 ? "ServiceUnavailable"
                                          : "";
    auto r = client.Send(StsRequest("GetCallerIdentity"));
    ASSERT_OK(r);
    EXPECT_EQ(r->status, expected_status) << "request " << i;
    if (!expected_code.empty()) {
      EXPECT_EQ(BodyJson(*r)["__type"], expected_code);
      ++faults;
    }
  }
  EXPECT_GT(faults, 0);
  EXPECT_LT(faults, 40);
  // Other operations are untouched by the rule.
  auto other = client.Send(StsRequest("GetSessionToken"));
  ASSERT_OK(other);
  EXPECT_EQ(other->status, 200);
}

TEST_F(CloudServerTest, DropRuleClosesTheConnectionWithoutAnswer) {
  auto server = StartServer();
  LoopbackHttpClient admin(server->port());
  HttpRequest put{"PUT", "/_clusterform/config", {}, R"({"rules": [{"drop_rate": 1}]})"};
  auto set = admin.Send(put);
  ASSERT_OK(set);
  ASSERT_EQ(set->status, 200) << set->body;
  LoopbackHttpClient client(server->port());
  auto r = client.Send(StsRequest("GetCallerIdentity"));
  EXPECT_THAT(r, StatusIs(StatusCode::kUnavailable, ::testing::_));
}

TEST_F(CloudServerTest, AdminApiReportsHealthAndValidatesConfig) {
  auto server = StartServer();
  LoopbackHttpClient client(server->port());
  auto health = client.Send({"GET", "/_clusterform/health", {}, ""});
  ASSERT_OK(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(BodyJson(*health)["status"], "running");
  EXPECT_EQ(BodyJson(*health)["port"], server->port());
  EXPECT_EQ(BodyJson(*health)["pid"], getpid());

  auto bad = client.Send({"PUT", "/_clusterform/config", {}, R"({"rules": [{"throttle": 1}]})"});
  ASSERT_OK(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(BodyJson(*bad)["error"].get<std::string>().find("unknown member \"throttle\""),
            std::string::npos);

  auto good = client.Send({"PUT", "/_clusterform/config", {}, R"({"time_scale": 0.5})"});
  ASSERT_OK(good);
  EXPECT_EQ(good->status, 200);
  auto get = client.Send({"GET", "/_clusterform/config", {}, ""});
  ASSERT_OK(get);
  EXPECT_EQ(BodyJson(*get)["faults"]["time_scale"], 0.5);

  auto missing = client.Send({"GET", "/_clusterform/nothing", {}, ""});
  ASSERT_OK(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(CloudServerTest, TemporaryCredentialsSurviveRestartAndResetWipesThem) {
  CloudOptions options;
  options.data_dir = TempDir();
  std::string key;
  {
    auto server = StartServer(options);
    LoopbackHttpClient client(server->port());
    auto r = client.Send(StsRequest("GetSessionToken", R"({"DurationSeconds": 900})"));
    ASSERT_OK(r);
    ASSERT_EQ(r->status, 200) << r->body;
    key = BodyJson(*r)["Credentials"]["AccessKeyId"];
  }
  {
    auto store = Store::Open(DatabasePath(options.data_dir));
    ASSERT_OK(store);
    CredentialStore credentials(**store, {});
    EXPECT_OK(credentials.Lookup(key));
  }
  {
    auto server = StartServer(options);
    LoopbackHttpClient client(server->port());
    auto reset = client.Send({"POST", "/_clusterform/reset", {}, ""});
    ASSERT_OK(reset);
    EXPECT_EQ(reset->status, 200);
  }
  auto store = Store::Open(DatabasePath(options.data_dir));
  ASSERT_OK(store);
  CredentialStore credentials(**store, {});
  EXPECT_THAT(credentials.Lookup(key), StatusIs(StatusCode::kNotFound, ::testing::_));
}

TEST_F(CloudServerTest, SecondServerOnTheSamePortFailsClearly) {
  auto server = StartServer();
  CloudOptions options;
  options.port = server->port();
  auto second = CloudServer::Start(options, clock_, logger_, std::make_unique<TestProtocols>(),
                                   std::make_unique<TestAuthenticator>());
  EXPECT_THAT(second, StatusIs(StatusCode::kUnavailable, ::testing::HasSubstr("127.0.0.1")));
}

TEST(CloudConfigTest, RejectsUnknownMembersAndBadCredentials) {
  CloudOptions options;
  EXPECT_THAT(ApplyCloudConfig(Json::parse(R"({"prot": 1})"), options),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("\"prot\"")));
  EXPECT_THAT(
      ApplyCloudConfig(Json::parse(R"({"credentials": [{"access_key_id": "a"}]})"), options),
      StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("credentials[0]")));
  ASSERT_OK(
      ApplyCloudConfig(Json::parse(R"({"port": 0, "credentials": [{"access_key_id": "AKIAALICE",
        "secret_access_key": "s", "account_id": "111122223333", "user_name": "alice"}]})"),
                       options));
  ASSERT_EQ(options.credentials.size(), 1u);
  EXPECT_EQ(options.credentials[0].identity.arn, "arn:aws:iam::111122223333:user/alice");
}

TEST(FaultProfileTest, TimeScaleScalesLatenciesAndStateDelays) {
  SeededRandom random(1);
  FaultInjector faults(random);
  auto profile = FaultProfile::FromJson(Json::parse(
      R"({"time_scale": 0.1, "rules": [{"service": "ec2", "latency_ms": 200}],
          "state_delays_ms": {"ec2:NatGateway": 60000}})"));
  ASSERT_OK(profile);
  faults.SetProfile(*profile);
  EXPECT_EQ(faults.Decide("ec2", "CreateVpc").delay, std::chrono::milliseconds(20));
  EXPECT_EQ(faults.Decide("ec2", "CreateVpc").kind, FaultKind::kNone);
  EXPECT_EQ(faults.Decide("sts", "GetCallerIdentity").delay, std::chrono::milliseconds(0));
  EXPECT_EQ(faults.StateDelay("ec2:NatGateway"), std::chrono::seconds(6));
  EXPECT_EQ(faults.StateDelay("ec2:Other"), std::chrono::seconds(0));
}

TEST(FaultProfileTest, RejectsRatesAboveOne) {
  EXPECT_THAT(FaultProfile::FromJson(
                  Json::parse(R"({"rules": [{"throttle_rate": 0.7, "error_500_rate": 0.7}]})")),
              StatusIs(StatusCode::kInvalidArgument, ::testing::HasSubstr("add up")));
}

}  // namespace
}  // namespace cf::cloud
