#include "aws/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "aws/sigv4_verifier.h"
#include "aws/transport_recording.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class FixedRandom : public RandomSource {
 public:
  double NextUnit() override { return 0.5; }
};

class OneKey : public SecretLookup {
 public:
  std::optional<KnownKey> FindKey(std::string_view id) const override {
    if (id == "AKIDTEST") {
      return KnownKey{"test-secret", ""};
    }
    return std::nullopt;
  }
};

// A fake AWS behind the RecordingTransport: it verifies each request's signature, routes and
// parses it with the server side of the codecs, asks a per-operation script for the output
// or error, and serializes the answer. Scripted transport errors come first.
class FakeAws {
 public:
  using Script = std::function<std::variant<json, AwsError>(const json& input)>;

  // The server keeps its own time (FakeClock's start), apart from the client's clock.
  FakeAws() : verifier_(keys_, server_clock_) {}

  void On(std::string service, std::string operation, Script script) {
    scripts_[service + "." + operation].push_back(std::move(script));
  }

  Result<HttpResponse> Handle(std::string_view base_url, const HttpRequest& request) {
    ++calls;
    if (!transport_errors.empty()) {
      Status error = transport_errors.front();
      transport_errors.pop_front();
      return error;
    }
    last_request = request;
    last_base_url = std::string(base_url);
    VerifyOptions options;
    options.max_skew = std::chrono::minutes(15);
    VerifyResult verified = verifier_.Verify(request, options);
    const std::string service = service_for_next;
    auto model = models_.Find(service);
    if (!model.ok()) {
      return model.status();
    }
    if (!verified.ok()) {
      AwsError error;
      error.code = verified.error->AwsCode(service, (*model)->protocol() == Protocol::kJson);
      error.message = verified.error->message;
      error.http_status = verified.error->HttpStatus();
      HttpResponse response = SerializeError(**model, error);
      response.headers.push_back({"Date", server_date});
      return response;
    }
    auto op = RouteRequest(**model, request);
    if (!op.ok()) {
      return op.status();
    }
    auto input = ParseRequest(**model, **op, request);
    if (!input.ok()) {
      return input.status();
    }
    last_input = *input;
    auto& queue = scripts_[service + "." + (*op)->name];
    if (queue.empty()) {
      return InternalError("no script for " + (*op)->name);
    }
    Script script = queue.front();
    if (queue.size() > 1) {
      queue.erase(queue.begin());
    }
    auto result = script(*input);
    if (std::holds_alternative<AwsError>(result)) {
      HttpResponse response = SerializeError(**model, std::get<AwsError>(result));
      response.headers.push_back({"Date", server_date});
      return response;
    }
    return SerializeResponse(**model, **op, std::get<json>(result), "req-1");
  }

  int calls = 0;
  std::string service_for_next = "ec2";
  std::string server_date = "Sun, 30 Aug 2015 12:36:00 GMT";
  std::deque<Status> transport_errors;
  HttpRequest last_request;
  std::string last_base_url;
  json last_input;

 private:
  FakeClock server_clock_;
  OneKey keys_;
  SigV4Verifier verifier_;
  Models models_;
  std::map<std::string, std::vector<Script>> scripts_;
};

AwsError Err(std::string code, std::string message = "", int status = 400) {
  AwsError e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.http_status = status;
  return e;
}

json Instances(std::vector<std::pair<std::string, std::string>> ids_and_states,
               std::string next = "") {
  json instances = json::array();
  for (const auto& [id, state] : ids_and_states) {
    instances.push_back({{"InstanceId", id}, {"State", {{"Name", state}}}});
  }
  json out = {
      {"Reservations", json::array({{{"ReservationId", "r-1"}, {"Instances", instances}}})}};
  if (!next.empty()) {
    out["NextToken"] = next;
  }
  return out;
}

class ClientTest : public ::testing::Test {
 protected:
  ClientTest()
      : transport_(
            [this](std::string_view url, const HttpRequest& r) { return fake_.Handle(url, r); }),
        credentials_(Credentials{"AKIDTEST", "test-secret", "", std::nullopt, "test"}) {}

  Client MakeClient(std::string endpoint_url = "") {
    ClientOptions options;
    options.region = "us-east-1";
    options.endpoint_url = std::move(endpoint_url);
    return Client(models_, credentials_, transport_, clock_, random_, options);
  }

  FakeClock clock_;
  FakeAws fake_;
  RecordingTransport transport_;
  StaticCredentialsProvider credentials_;
  FixedRandom random_;
  Models models_;
};

TEST_F(ClientTest, CallsEc2SignedAndParsesTheOutput) {
  fake_.On("ec2", "DescribeInstances", [](const json& input) {
    EXPECT_EQ(input["InstanceIds"], json::array({"i-1"}));
    return Instances({{"i-1", "running"}});
  });
  Client client = MakeClient();
  auto out = client.Call("ec2", "DescribeInstances", {{"InstanceIds", {"i-1"}}});
  ASSERT_OK(out);
  EXPECT_EQ((*out)["Reservations"][0]["Instances"][0]["State"]["Name"], "running");
  EXPECT_EQ(fake_.last_base_url, "https://ec2.us-east-1.amazonaws.com");
  EXPECT_EQ(*FindHeader(fake_.last_request.headers, "Host"), "ec2.us-east-1.amazonaws.com");
  EXPECT_THAT(*FindHeader(fake_.last_request.headers, "Authorization"),
              StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20150830/us-east-1/ec2/"));
}

TEST_F(ClientTest, ACustomEndpointServesEveryService) {
  fake_.service_for_next = "dynamodb";
  fake_.On("dynamodb", "ListTables", [](const json&) { return json{{"TableNames", {"state"}}}; });
  Client client = MakeClient("http://127.0.0.1:4566");
  auto out = client.Call("dynamodb", "ListTables", json::object());
  ASSERT_OK(out);
  EXPECT_EQ((*out)["TableNames"][0], "state");
  EXPECT_EQ(fake_.last_base_url, "http://127.0.0.1:4566");
  EXPECT_EQ(*FindHeader(fake_.last_request.headers, "Host"), "127.0.0.1:4566");
}

TEST_F(ClientTest, RetriesThrottlingWithBackoff) {
  fake_.On("ec2", "DescribeInstances",
           [](const json&) { return Err("RequestLimitExceeded", "slow down", 503); });
  fake_.On("ec2", "DescribeInstances", [](const json&) { return Instances({{"i-1", "running"}}); });
  Client client = MakeClient();
  auto response = client.Invoke("ec2", "DescribeInstances", json::object());
  ASSERT_OK(response);
  EXPECT_TRUE(response->ok());
  EXPECT_EQ(response->attempts, 2);
  EXPECT_EQ(clock_.slept(), std::chrono::milliseconds(500));
  EXPECT_EQ(client.retry_strategy().quota(), 500);  // the retry's 5 came back
}

TEST_F(ClientTest, FinalErrorsComeBackAsAwsErrorsOrStatuses) {
  fake_.On("ec2", "DescribeInstances", [](const json&) {
    return Err("InvalidInstanceID.NotFound", "The instance ID 'i-9' does not exist");
  });
  Client client = MakeClient();
  auto response = client.Invoke("ec2", "DescribeInstances", {{"InstanceIds", {"i-9"}}});
  ASSERT_OK(response);
  ASSERT_FALSE(response->ok());
  EXPECT_EQ(response->error->code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(response->attempts, 1);
  EXPECT_THAT(client.Call("ec2", "DescribeInstances", {{"InstanceIds", {"i-9"}}}),
              StatusIs(StatusCode::kNotFound,
                       HasSubstr("ec2.DescribeInstances: InvalidInstanceID.NotFound: The "
                                 "instance ID 'i-9' does not exist")));
}

TEST_F(ClientTest, BadParamsNeverReachTheWire) {
  Client client = MakeClient();
  EXPECT_THAT(client.Call("ec2", "DescribeInstances", {{"InstanceIds", "i-1"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("InstanceIds")));
  EXPECT_THAT(client.Call("ec2", "LaunchRockets", json::object()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("LaunchRockets")));
  EXPECT_EQ(fake_.calls, 0);
}

TEST_F(ClientTest, ConnectionErrorsAreRetriedThenReported) {
  for (int i = 0; i < 3; ++i) {
    fake_.transport_errors.push_back(UnavailableError("connection reset"));
  }
  Client client = MakeClient();
  EXPECT_THAT(client.Call("ec2", "DescribeInstances", json::object()),
              StatusIs(StatusCode::kUnavailable, HasSubstr("after 3 attempts")));
  EXPECT_EQ(fake_.calls, 3);
  EXPECT_EQ(clock_.slept(), std::chrono::milliseconds(500 + 1000));
}

TEST_F(ClientTest, LearnsClockSkewFromTheServerAndResigns) {
  fake_.On("ec2", "DescribeInstances", [](const json&) { return Instances({}); });
  // Our clock is 40 minutes slow: the verifier refuses; the Date header says the truth.
  clock_.Advance(-std::chrono::minutes(40));
  Client client = MakeClient();
  auto out = client.Invoke("ec2", "DescribeInstances", json::object());
  ASSERT_OK(out);
  EXPECT_TRUE(out->ok()) << out->error->code;
  EXPECT_EQ(out->attempts, 2);
  EXPECT_EQ(client.clock_skew().offset(), std::chrono::minutes(40));
  EXPECT_EQ(*FindHeader(fake_.last_request.headers, "X-Amz-Date"), "20150830T123600Z");
}

TEST_F(ClientTest, PaginatesThroughEveryPage) {
  fake_.On("ec2", "DescribeInstances", [](const json&) {
    return Instances({{"i-1", "running"}}, "page2");
  });
  fake_.On("ec2", "DescribeInstances", [](const json& input) {
    EXPECT_EQ(input["NextToken"], "page2");
    return Instances({{"i-2", "running"}});
  });
  Client client = MakeClient();
  auto all = client.Paginate("ec2", "DescribeInstances", json::object());
  ASSERT_OK(all);
  EXPECT_EQ((*all)["Reservations"].size(), 2u);
}

TEST_F(ClientTest, WaitsForInstancesToRun) {
  fake_.On("ec2", "DescribeInstances", [](const json&) { return Instances({{"i-1", "pending"}}); });
  fake_.On("ec2", "DescribeInstances", [](const json&) { return Instances({{"i-1", "running"}}); });
  Client client = MakeClient();
  EXPECT_OK(client.Wait("ec2", "InstanceRunning", {{"InstanceIds", {"i-1"}}}));
  EXPECT_EQ(clock_.slept(), std::chrono::seconds(15));
  EXPECT_THAT(client.Wait("ec2", "NoSuchWaiter", json::object()),
              StatusIs(StatusCode::kNotFound, HasSubstr("NoSuchWaiter")));
}

TEST_F(ClientTest, StsClientAssumesRoles) {
  fake_.service_for_next = "sts";
  fake_.On("sts", "AssumeRole", [](const json& input) {
    EXPECT_EQ(input["RoleArn"], "arn:aws:iam::1:role/r");
    EXPECT_EQ(input["ExternalId"], "ext-1");
    return json{{"Credentials",
                 {{"AccessKeyId", "ASIAROLE"},
                  {"SecretAccessKey", "role-secret"},
                  {"SessionToken", "role-token"},
                  {"Expiration", 1440941760}}}};
  });
  ClientOptions options;
  ClientStsClient sts(models_, transport_, clock_, random_, options);
  AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::1:role/r";
  request.role_session_name = "session";
  request.external_id = "ext-1";
  auto c = sts.AssumeRole(Credentials{"AKIDTEST", "test-secret", "", std::nullopt, ""}, request);
  ASSERT_OK(c);
  EXPECT_EQ(c->access_key_id, "ASIAROLE");
  EXPECT_EQ(c->expiration, std::chrono::system_clock::from_time_t(1440941760));
  EXPECT_EQ(fake_.last_base_url, "https://sts.us-east-1.amazonaws.com");
}

TEST_F(ClientTest, PresignedUrlsVerifyUntilTheyExpire) {
  Client client = MakeClient("http://127.0.0.1:4566");
  auto url = client.Presign("s3", "GetObject", {{"Bucket", "bucket"}, {"Key", "a b.txt"}},
                            std::chrono::seconds(300));
  ASSERT_OK(url);
  EXPECT_THAT(*url, StartsWith("http://127.0.0.1:4566/bucket/a%20b.txt?"));
  EXPECT_THAT(*url, HasSubstr("X-Amz-Expires=300"));
  // What a browser would send with that URL.
  HttpRequest request;
  request.method = "GET";
  request.path = url->substr(std::string("http://127.0.0.1:4566").size());
  request.headers = {{"Host", "127.0.0.1:4566"}};
  FakeClock server_clock;
  OneKey keys;
  SigV4Verifier verifier(keys, server_clock);
  VerifyResult accepted = verifier.Verify(request, VerifyOptions{});
  EXPECT_TRUE(accepted.ok()) << accepted.error->message;
  EXPECT_TRUE(accepted.caller.presigned);
  server_clock.Advance(std::chrono::seconds(301));
  VerifyResult expired = verifier.Verify(request, VerifyOptions{});
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error->code, AuthErrorCode::kRequestExpired);
}

TEST_F(ClientTest, AddsContentMd5WhereS3RequiresAChecksum) {
  fake_.service_for_next = "s3";
  fake_.On("s3", "PutBucketVersioning", [](const json&) { return json::object(); });
  Client client = MakeClient("http://127.0.0.1:4566");
  ASSERT_OK(
      client.Call("s3", "PutBucketVersioning",
                  {{"Bucket", "bucket"}, {"VersioningConfiguration", {{"Status", "Enabled"}}}}));
  const std::string* md5 = FindHeader(fake_.last_request.headers, "Content-MD5");
  ASSERT_NE(md5, nullptr);
  EXPECT_EQ(md5->size(), 24u);
  EXPECT_THAT(*FindHeader(fake_.last_request.headers, "Authorization"), HasSubstr("content-md5"));
}

TEST(AwsErrorToStatusTest, MapsCodesToActions) {
  EXPECT_EQ(AwsErrorToStatus(Err("Throttling"), "s", "o").code(), StatusCode::kUnavailable);
  EXPECT_EQ(AwsErrorToStatus(Err("NoSuchBucket", "", 404), "s", "o").code(), StatusCode::kNotFound);
  EXPECT_EQ(AwsErrorToStatus(Err("UnauthorizedOperation", "", 403), "s", "o").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(AwsErrorToStatus(Err("InvalidGroup.Duplicate"), "s", "o").code(),
            StatusCode::kConflict);
  EXPECT_EQ(AwsErrorToStatus(Err("DependencyViolation"), "s", "o").code(), StatusCode::kConflict);
  EXPECT_EQ(AwsErrorToStatus(Err("InvalidParameterValue"), "s", "o").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AwsErrorToStatus(Err("InternalError", "", 500), "s", "o").code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cf::aws
