// The server with its real seams: src/aws's model-driven codecs and SigV4 verifier, driven by
// src/aws's own signer and by Debian's awscli.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include "aws/codec.h"
#include "aws/models.h"
#include "aws/sigv4.h"
#include "cloud/cloud_server.h"
#include "cloud/dynamodb/dynamodb_service.h"
#include "cloud/loopback_client.h"
#include "cloud/model_protocol.h"
#include "testing/awscli.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

class SignedRequestsTest : public ::testing::Test {
 protected:
  void StartServer(const Clock& clock) {
    CloudOptions options;
    options.port = 0;
    options.seed = 5;
    auto server = CloudServer::Start(options, clock, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    auto model = models_.Find("sts");
    ASSERT_OK(model);
    sts_ = *model;
  }

  // Serializes `operation` with the client codec and signs it as `credentials` at `when`.
  aws::HttpRequest Signed(const std::string& operation, const Json& params,
                          const aws::Credentials& credentials,
                          std::chrono::system_clock::time_point when) {
    auto op = sts_->FindOperation(operation);
    EXPECT_OK(op);
    auto request = aws::SerializeRequest(*sts_, **op, params);
    EXPECT_OK(request);
    aws::SetHeader(&request->headers, "Host", fmt::format("127.0.0.1:{}", server_->port()));
    auto signed_parts = aws::SignRequest(*request, credentials,
                                         aws::DefaultSigningParams("sts", "us-east-1", when));
    EXPECT_OK(signed_parts);
    return *request;
  }

  HttpResponse Send(const aws::HttpRequest& request) {
    HttpRequest r;
    r.method = request.method;
    r.target = request.path;
    for (const auto& h : request.headers) {
      r.headers.emplace_back(h.name, h.value);
    }
    r.body = request.body;
    LoopbackHttpClient client(server_->port());
    auto response = client.Send(r);
    EXPECT_OK(response);
    return response.ok() ? *response : HttpResponse{};
  }

  aws::HttpResponse ToAws(const HttpResponse& r) {
    aws::HttpResponse out;
    out.status = r.status;
    for (const auto& [n, v] : r.headers) {
      out.headers.push_back({n, v});
    }
    out.body = r.body;
    return out;
  }

  Json Output(const std::string& operation, const HttpResponse& r) {
    auto op = sts_->FindOperation(operation);
    EXPECT_EQ(r.status, 200) << r.body;
    auto parsed = aws::ParseResponse(*sts_, **op, ToAws(r));
    EXPECT_OK(parsed);
    return parsed.ok() ? *parsed : Json();
  }

  aws::AwsError Error(const std::string& operation, const HttpResponse& r) {
    auto op = sts_->FindOperation(operation);
    return aws::ParseError(*sts_, **op, ToAws(r));
  }

  static aws::Credentials TestKey() { return {"test", "test", "", std::nullopt, "test"}; }

  NullLogger logger_;
  aws::Models models_;
  const aws::ServiceModel* sts_ = nullptr;
  // The clocks outlive server_: the server's background threads (EventBridge's scheduler)
  // read its clock until it stops.
  FakeClock fake_clock_;
  SystemClock system_clock_;
  std::unique_ptr<CloudServer> server_;
};

TEST_F(SignedRequestsTest, GetCallerIdentitySpeaksTheQueryProtocol) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  HttpResponse r = Send(Signed("GetCallerIdentity", Json::object(), TestKey(), clock.Now()));
  EXPECT_NE(r.body.find("<GetCallerIdentityResponse"), std::string::npos) << r.body;
  Json out = Output("GetCallerIdentity", r);
  EXPECT_EQ(out["Account"], "000000000000");
  EXPECT_EQ(out["Arn"], "arn:aws:iam::000000000000:root");
}

TEST_F(SignedRequestsTest, WrongSecretIsSignatureDoesNotMatch) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  aws::Credentials wrong = TestKey();
  wrong.secret_access_key = "not-test";
  HttpResponse r = Send(Signed("GetCallerIdentity", Json::object(), wrong, clock.Now()));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Error("GetCallerIdentity", r).code, "SignatureDoesNotMatch");
}

TEST_F(SignedRequestsTest, UnknownAccessKeyIsInvalidClientTokenId) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  aws::Credentials unknown = TestKey();
  unknown.access_key_id = "AKIANOBODY";
  HttpResponse r = Send(Signed("GetCallerIdentity", Json::object(), unknown, clock.Now()));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Error("GetCallerIdentity", r).code, "InvalidClientTokenId");
}

TEST_F(SignedRequestsTest, ClockSkewOverFifteenMinutesIsRefused) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  HttpResponse r = Send(Signed("GetCallerIdentity", Json::object(), TestKey(),
                               clock.Now() + std::chrono::minutes(16)));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Error("GetCallerIdentity", r).code, "RequestTimeTooSkewed");
  HttpResponse ok = Send(Signed("GetCallerIdentity", Json::object(), TestKey(),
                                clock.Now() + std::chrono::minutes(14)));
  EXPECT_EQ(ok.status, 200);
}

TEST_F(SignedRequestsTest, MissingAuthenticationIsMissingAuthenticationToken) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  aws::HttpRequest request = Signed("GetCallerIdentity", Json::object(), TestKey(), clock.Now());
  std::erase_if(request.headers,
                [](const aws::HttpHeader& h) { return h.name == "Authorization"; });
  HttpResponse r = Send(request);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Error("GetCallerIdentity", r).code, "MissingAuthenticationToken");
}

TEST_F(SignedRequestsTest, AssumedRoleCredentialsWorkUntilTheyExpire) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  // STS only lets the caller assume a role IAM has and whose trust policy names it.
  auto iam = models_.Find("iam");
  ASSERT_OK(iam);
  auto create_role = (*iam)->FindOperation("CreateRole");
  ASSERT_OK(create_role);
  auto role_request = aws::SerializeRequest(
      **iam, **create_role,
      {{"RoleName", "backend"},
       {"AssumeRolePolicyDocument",
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
        R"("Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]})"}});
  ASSERT_OK(role_request);
  aws::SetHeader(&role_request->headers, "Host", fmt::format("127.0.0.1:{}", server_->port()));
  ASSERT_OK(aws::SignRequest(*role_request, TestKey(),
                             aws::DefaultSigningParams("iam", "us-east-1", clock.Now())));
  ASSERT_EQ(Send(*role_request).status, 200);
  Json out =
      Output("AssumeRole", Send(Signed("AssumeRole",
                                       {{"RoleArn", "arn:aws:iam::000000000000:role/backend"},
                                        {"RoleSessionName", "s1"},
                                        {"DurationSeconds", 900}},
                                       TestKey(), clock.Now())));
  aws::Credentials temporary{out["Credentials"]["AccessKeyId"],
                             out["Credentials"]["SecretAccessKey"],
                             out["Credentials"]["SessionToken"], std::nullopt, "sts"};
  Json who = Output("GetCallerIdentity",
                    Send(Signed("GetCallerIdentity", Json::object(), temporary, clock.Now())));
  EXPECT_EQ(who["Arn"], "arn:aws:sts::000000000000:assumed-role/backend/s1");

  aws::Credentials no_token = temporary;
  no_token.session_token.clear();
  HttpResponse missing = Send(Signed("GetCallerIdentity", Json::object(), no_token, clock.Now()));
  EXPECT_EQ(missing.status, 403);

  clock.Advance(std::chrono::seconds(901));
  HttpResponse expired = Send(Signed("GetCallerIdentity", Json::object(), temporary, clock.Now()));
  EXPECT_EQ(expired.status, 400);
  EXPECT_EQ(Error("GetCallerIdentity", expired).code, "ExpiredToken");
}

TEST_F(SignedRequestsTest, PresignedUrlIsAccepted) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  aws::HttpRequest request;
  request.method = "GET";
  request.path = "/?Action=GetCallerIdentity&Version=2011-06-15";
  aws::SetHeader(&request.headers, "Host", fmt::format("127.0.0.1:{}", server_->port()));
  ASSERT_OK(aws::PresignRequest(request, TestKey(),
                                aws::DefaultSigningParams("sts", "us-east-1", clock.Now())));
  HttpResponse r = Send(request);
  EXPECT_EQ(Output("GetCallerIdentity", r)["Account"], "000000000000");
}

TEST_F(SignedRequestsTest, UnknownActionAndMissingParametersGetQueryErrors) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  aws::HttpRequest request = Signed("GetCallerIdentity", Json::object(), TestKey(), clock.Now());
  request.body = "Action=LaunchRockets&Version=2011-06-15";
  aws::SetHeader(&request.headers, "Content-Length", std::to_string(request.body.size()));
  ASSERT_OK(aws::SignRequest(request, TestKey(),
                             aws::DefaultSigningParams("sts", "us-east-1", clock.Now())));
  HttpResponse unknown = Send(request);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Error("GetCallerIdentity", unknown).code, "InvalidAction");

  request.body = "Action=AssumeRole&Version=2011-06-15&RoleSessionName=s1";
  aws::SetHeader(&request.headers, "Content-Length", std::to_string(request.body.size()));
  ASSERT_OK(aws::SignRequest(request, TestKey(),
                             aws::DefaultSigningParams("sts", "us-east-1", clock.Now())));
  HttpResponse missing = Send(request);
  EXPECT_EQ(missing.status, 400);
  aws::AwsError error = Error("AssumeRole", missing);
  EXPECT_EQ(error.code, "ValidationError");
  EXPECT_NE(error.message.find("RoleArn"), std::string::npos) << error.message;
}

TEST_F(SignedRequestsTest, ConcurrentCreatesThroughTheServerAreAllKept) {
  FakeClock& clock = fake_clock_;
  StartServer(clock);
  auto ec2 = models_.Find("ec2");
  ASSERT_OK(ec2);
  auto signed_ec2 = [&](const std::string& operation, const Json& params) {
    auto op = (*ec2)->FindOperation(operation);
    auto request = aws::SerializeRequest(**ec2, **op, params);
    aws::SetHeader(&request->headers, "Host", fmt::format("127.0.0.1:{}", server_->port()));
    (void)aws::SignRequest(*request, TestKey(),
                           aws::DefaultSigningParams("ec2", "us-east-1", clock.Now()));
    return *request;
  };
  std::vector<aws::HttpRequest> requests;
  for (int i = 0; i < 40; ++i) {
    requests.push_back(signed_ec2("CreateVpc", {{"CidrBlock", fmt::format("127.{}.0.0/16", i)}}));
  }
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 40; i += 8) {
        if (Send(requests[i]).status == 200) {
          ++created;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(created.load(), 40);
  auto op = (*ec2)->FindOperation("DescribeVpcs");
  HttpResponse listed = Send(signed_ec2("DescribeVpcs", Json::object()));
  auto out = aws::ParseResponse(**ec2, **op, ToAws(listed));
  ASSERT_OK(out);
  std::set<std::string> ids;
  for (const Json& vpc : (*out)["Vpcs"]) {
    if (!vpc.value("IsDefault", false)) {  // the region's default VPC is not one of them
      ids.insert(vpc["VpcId"].get<std::string>());
    }
  }
  EXPECT_EQ(ids.size(), 40u);
}

using CliResult = ShellResult;

// Runs Debian's awscli (a client nobody here wrote) against 127.0.0.1:port, with the local
// credentials and nothing from the environment.
CliResult AwsCli(uint16_t port, const std::string& args) {
  return RunAwsCli(port, args);
}

TEST_F(SignedRequestsTest, AwsCliGetCallerIdentity) {
  if (!std::filesystem::exists("/usr/bin/aws")) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  SystemClock& clock = system_clock_;
  StartServer(clock);
  CliResult r = AwsCli(server_->port(), "sts get-caller-identity");
  ASSERT_EQ(r.status, 0) << r.output;
  Json json = Json::parse(r.output, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << r.output;
  EXPECT_EQ(json["Account"], "000000000000");
  EXPECT_EQ(json["Arn"], "arn:aws:iam::000000000000:root");
}

TEST_F(SignedRequestsTest, AwsCliEc2NetworkScenarioSurvivesRestart) {
  if (!std::filesystem::exists("/usr/bin/aws")) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "cf_ec2_XXXXXX").string();
  std::string dir = mkdtemp(pattern.data());
  SystemClock clock;
  CloudOptions options;
  options.port = 0;
  options.data_dir = dir;
  std::string vpc_id;
  std::string subnet_id;
  {
    auto server = CloudServer::Start(options, clock, logger_);
    ASSERT_OK(server);
    uint16_t port = (*server)->port();
    CliResult range = AwsCli(port, "ec2 create-vpc --cidr-block 10.0.0.0/16");
    EXPECT_NE(range.status, 0);
    EXPECT_NE(range.output.find("InvalidVpc.Range"), std::string::npos) << range.output;

    CliResult vpc = AwsCli(port,
                           "ec2 create-vpc --cidr-block 127.16.0.0/16 --tag-specifications "
                           "'ResourceType=vpc,Tags=[{Key=Name,Value=main}]'");
    ASSERT_EQ(vpc.status, 0) << vpc.output;
    vpc_id = Json::parse(vpc.output)["Vpc"]["VpcId"];
    CliResult subnet = AwsCli(port, "ec2 create-subnet --vpc-id " + vpc_id +
                                        " --cidr-block 127.16.1.0/24 --availability-zone "
                                        "us-east-1b");
    ASSERT_EQ(subnet.status, 0) << subnet.output;
    subnet_id = Json::parse(subnet.output)["Subnet"]["SubnetId"];
    EXPECT_EQ(Json::parse(subnet.output)["Subnet"]["AvailableIpAddressCount"], 251);
  }
  auto server = CloudServer::Start(options, clock, logger_);
  ASSERT_OK(server);
  uint16_t port = (*server)->port();
  CliResult vpcs = AwsCli(port, "ec2 describe-vpcs --filters Name=tag:Name,Values=main");
  ASSERT_EQ(vpcs.status, 0) << vpcs.output;
  Json listed = Json::parse(vpcs.output)["Vpcs"];
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["VpcId"], vpc_id);
  EXPECT_EQ(listed[0]["CidrBlock"], "127.16.0.0/16");
  CliResult subnets = AwsCli(port, "ec2 describe-subnets --filters Name=vpc-id,Values=" + vpc_id);
  ASSERT_EQ(subnets.status, 0) << subnets.output;
  EXPECT_EQ(Json::parse(subnets.output)["Subnets"][0]["SubnetId"], subnet_id);
  CliResult blocked = AwsCli(port, "ec2 delete-vpc --vpc-id " + vpc_id);
  EXPECT_NE(blocked.status, 0);
  EXPECT_NE(blocked.output.find("DependencyViolation"), std::string::npos) << blocked.output;
  EXPECT_EQ(AwsCli(port, "ec2 delete-subnet --subnet-id " + subnet_id).status, 0);
  EXPECT_EQ(AwsCli(port, "ec2 delete-vpc --vpc-id " + vpc_id).status, 0);
  (*server)->Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cf::cloud

namespace cf::cloud {
namespace {

// A cancelled transaction's reasons (with the item that failed its condition) reach the wire
// in the error body, where SDKs read them.
TEST(DynamoDbServiceTest, CancellationReasonsAreSerializedInTheErrorBody) {
  SystemClock clock;
  auto store = Store::Open("");
  ASSERT_OK(store);
  auto service = dynamodb::DynamoDbService::Open(**store, "", clock);
  ASSERT_OK(service);
  auto call = [&](const std::string& operation, const Json& input) {
    ServiceCall c;
    c.service = "dynamodb";
    c.operation = operation;
    c.input = input;
    return (*service)->Handle(c);
  };
  ServiceResult created = call("CreateTable", Json::parse(R"j({"TableName": "txn",
      "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
      "BillingMode": "PAY_PER_REQUEST"})j"));
  ASSERT_TRUE(created.ok()) << created.error().code << ": " << created.error().message;
  ASSERT_TRUE(call("PutItem", Json::parse(R"j({"TableName": "txn",
      "Item": {"k": {"S": "a"}, "data": {"B": "raw"}}})j"))
                  .ok());
  ServiceResult cancelled = call("TransactWriteItems", Json::parse(R"j({"TransactItems": [
      {"Put": {"TableName": "txn", "Item": {"k": {"S": "b"}}}},
      {"ConditionCheck": {"TableName": "txn", "Key": {"k": {"S": "a"}},
        "ConditionExpression": "attribute_not_exists(k)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}]})j"));
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, "TransactionCanceledException");
  const Json& reasons = cancelled.error().fields["CancellationReasons"];
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[1]["Code"], "ConditionalCheckFailed");
  EXPECT_EQ(reasons[1]["Item"]["data"]["B"], "raw");

  aws::Models models;
  auto model = models.Find("dynamodb");
  ASSERT_OK(model);
  ModelProtocol protocol(**model);
  HttpResponse wire = protocol.SerializeError(cancelled.error(), "req-1");
  Json body = Json::parse(wire.body);
  EXPECT_EQ(body["__type"], "TransactionCanceledException");
  ASSERT_EQ(body["CancellationReasons"].size(), 2u);
  EXPECT_EQ(body["CancellationReasons"][0]["Code"], "None");
  EXPECT_EQ(body["CancellationReasons"][1]["Item"]["data"]["B"], "cmF3");  // base64 of "raw"
}

TEST(DynamoDbServiceTest, AwsCliConditionalUpdatesPersistAndResetWipesTables) {
  if (!std::filesystem::exists("/usr/bin/aws")) {
    GTEST_SKIP() << "/usr/bin/aws is not installed";
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "cf_ddb_XXXXXX").string();
  std::string dir = mkdtemp(pattern.data());
  SystemClock clock;
  NullLogger logger;
  CloudOptions options;
  options.port = 0;
  options.data_dir = dir;
  {
    auto server = CloudServer::Start(options, clock, logger);
    ASSERT_OK(server);
    uint16_t port = (*server)->port();
    CliResult table = AwsCli(port,
                             "dynamodb create-table --table-name clusters "
                             "--attribute-definitions AttributeName=Key,AttributeType=S "
                             "--key-schema AttributeName=Key,KeyType=HASH "
                             "--billing-mode PAY_PER_REQUEST");
    ASSERT_EQ(table.status, 0) << table.output;
    CliResult put = AwsCli(port,
                           "dynamodb put-item --table-name clusters --item "
                           "'{\"Key\":{\"S\":\"weka-poc-state\"},\"Locked\":{\"BOOL\":false},"
                           "\"Members\":{\"N\":\"6\"},\"Blob\":{\"B\":\"aGVsbG8=\"}}'");
    ASSERT_EQ(put.status, 0) << put.output;
    const std::string lock =
        "dynamodb update-item --table-name clusters --key '{\"Key\":{\"S\":\"weka-poc-state\"}}' "
        "--update-expression 'SET Locked = :t, Members = Members + :one' "
        "--condition-expression 'Locked = :f' --expression-attribute-values "
        "'{\":t\":{\"BOOL\":true},\":f\":{\"BOOL\":false},\":one\":{\"N\":\"1\"}}' "
        "--return-values ALL_NEW";
    CliResult first = AwsCli(port, lock);
    ASSERT_EQ(first.status, 0) << first.output;
    Json attributes = Json::parse(first.output)["Attributes"];
    EXPECT_EQ(attributes["Members"]["N"], "7");
    EXPECT_EQ(attributes["Locked"]["BOOL"], true);
    EXPECT_EQ(attributes["Blob"]["B"], "aGVsbG8=");
    CliResult second = AwsCli(port, lock);
    EXPECT_NE(second.status, 0);
    EXPECT_NE(second.output.find("ConditionalCheckFailedException"), std::string::npos)
        << second.output;
  }
  {
    auto server = CloudServer::Start(options, clock, logger);
    ASSERT_OK(server);
    uint16_t port = (*server)->port();
    CliResult got = AwsCli(port,
                           "dynamodb get-item --table-name clusters --consistent-read --key "
                           "'{\"Key\":{\"S\":\"weka-poc-state\"}}'");
    ASSERT_EQ(got.status, 0) << got.output;
    EXPECT_EQ(Json::parse(got.output)["Item"]["Members"]["N"], "7");
    LoopbackHttpClient admin(port);
    Result<HttpResponse> reset = admin.Send({"POST", "/_clusterform/reset", {}, ""});
    ASSERT_OK(reset);
    EXPECT_EQ(reset->status, 200);
    CliResult listed = AwsCli(port, "dynamodb list-tables");
    ASSERT_EQ(listed.status, 0) << listed.output;
    EXPECT_EQ(Json::parse(listed.output)["TableNames"], Json::array());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cf::cloud
