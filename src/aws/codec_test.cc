#include "aws/codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/models.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CodecTest : public ::testing::Test {
 protected:
  // One catalogue for the whole suite: parsing ec2 once keeps the tests quick.
  static void SetUpTestSuite() { models_ = new Models(); }
  static void TearDownTestSuite() {
    delete models_;
    models_ = nullptr;
  }

  const ServiceModel& Model(const char* name) {
    auto model = models_->Find(name);
    EXPECT_OK(model);
    return **model;
  }
  const Operation& Op(const ServiceModel& model, const char* name) {
    auto op = model.FindOperation(name);
    EXPECT_OK(op);
    return **op;
  }
  HttpRequest Serialize(const char* service, const char* operation, const nlohmann::json& params) {
    const ServiceModel& model = Model(service);
    SerializeOptions options;
    options.new_idempotency_token = [] { return "token-1"; };
    auto request = SerializeRequest(model, Op(model, operation), params, options);
    EXPECT_OK(request);
    return request.ok() ? *request : HttpRequest();
  }

  static Models* models_;
};

Models* CodecTest::models_ = nullptr;

TEST_F(CodecTest, Ec2FlattensListsAndCapitalizesNames) {
  HttpRequest request = Serialize(
      "ec2", "DescribeInstances",
      {{"Filters", {{{"Name", "tag:Name"}, {"Values", {"web", "db"}}}}}, {"InstanceIds", {"i-1"}}});
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/");
  EXPECT_EQ(*FindHeader(request.headers, "content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(request.body,
            "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag%3AName&"
            "Filter.1.Value.1=web&Filter.1.Value.2=db&InstanceId.1=i-1");
}

TEST_F(CodecTest, FillsAbsentIdempotencyTokens) {
  HttpRequest request =
      Serialize("ec2", "RunInstances", {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}});
  EXPECT_THAT(request.body, HasSubstr("ClientToken=token-1"));
  HttpRequest given =
      Serialize("ec2", "RunInstances",
                {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}, {"ClientToken", "mine"}});
  EXPECT_THAT(given.body, HasSubstr("ClientToken=mine"));
}

TEST_F(CodecTest, RandomIdempotencyTokenIsAUuid) {
  const ServiceModel& ec2 = Model("ec2");
  auto request = SerializeRequest(ec2, Op(ec2, "RunInstances"),
                                  {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}});
  ASSERT_OK(request);
  EXPECT_THAT(request->body,
              ::testing::ContainsRegex("ClientToken=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"));
}

TEST_F(CodecTest, Ec2ParsesItemListsIntoTheOutputTree) {
  const ServiceModel& ec2 = Model("ec2");
  HttpResponse response;
  response.body = R"(<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>r-1</requestId>
  <reservationSet><item><reservationId>r-123</reservationId>
    <instancesSet><item><instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>
      <launchTime>2024-01-02T03:04:05.000Z</launchTime>
      <tagSet><item><key>Name</key><value>web</value></item></tagSet></item></instancesSet>
  </item></reservationSet></DescribeInstancesResponse>)";
  auto result = ParseResponse(ec2, Op(ec2, "DescribeInstances"), response);
  ASSERT_OK(result);
  const nlohmann::json& instance = (*result)["Reservations"][0]["Instances"][0];
  EXPECT_EQ(instance["InstanceId"], "i-1");
  EXPECT_EQ(instance["State"]["Code"], 16);
  EXPECT_EQ(instance["State"]["Name"], "running");
  EXPECT_EQ(instance["LaunchTime"], 1704164645);
  EXPECT_EQ(instance["Tags"][0]["Value"], "web");
}

TEST_F(CodecTest, QueryReadsTheResultWrapper) {
  const ServiceModel& sts = Model("sts");
  HttpResponse response;
  response.body = R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult><Arn>arn:aws:iam::123:user/me</Arn><UserId>AID</UserId>
  <Account>123</Account></GetCallerIdentityResult>
  <ResponseMetadata><RequestId>req</RequestId></ResponseMetadata></GetCallerIdentityResponse>)";
  auto result = ParseResponse(sts, Op(sts, "GetCallerIdentity"), response);
  ASSERT_OK(result);
  EXPECT_EQ(
      *result,
      nlohmann::json({{"Arn", "arn:aws:iam::123:user/me"}, {"UserId", "AID"}, {"Account", "123"}}));
}

TEST_F(CodecTest, Ec2ErrorsGiveCodeMessageAndRequestId) {
  const ServiceModel& ec2 = Model("ec2");
  HttpResponse response;
  response.status = 400;
  response.body =
      "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance "
      "ID 'i-1' does not exist</Message></Error></Errors><RequestID>req-9</RequestID></Response>";
  ASSERT_TRUE(IsErrorResponse(response));
  AwsError error = ParseError(ec2, Op(ec2, "DescribeInstances"), response);
  EXPECT_EQ(error.code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(error.message, "The instance ID 'i-1' does not exist");
  EXPECT_EQ(error.request_id, "req-9");
  EXPECT_EQ(error.http_status, 400);
}

TEST_F(CodecTest, JsonProtocolSetsTargetAndVersion) {
  HttpRequest request =
      Serialize("dynamodb", "GetItem", {{"TableName", "tbl"}, {"Key", {{"id", {{"S", "1"}}}}}});
  EXPECT_EQ(*FindHeader(request.headers, "X-Amz-Target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(*FindHeader(request.headers, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(nlohmann::json::parse(request.body),
            nlohmann::json({{"TableName", "tbl"}, {"Key", {{"id", {{"S", "1"}}}}}}));
}

TEST_F(CodecTest, JsonErrorsDropTheNamespace) {
  const ServiceModel& ddb = Model("dynamodb");
  HttpResponse response;
  response.status = 400;
  response.headers = {{"x-amzn-RequestId", "abc"}};
  response.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                      "message":"Requested resource not found"})";
  AwsError error = ParseError(ddb, Op(ddb, "GetItem"), response);
  EXPECT_EQ(error.code, "ResourceNotFoundException");
  EXPECT_EQ(error.message, "Requested resource not found");
  EXPECT_EQ(error.request_id, "abc");
}

TEST_F(CodecTest, RestXmlGreedyLabelsKeepSlashesAndPayloadIsRaw) {
  HttpRequest request = Serialize(
      "s3", "PutObject",
      {{"Bucket", "b"}, {"Key", "dir/my file.txt"}, {"Body", "hello"}, {"ACL", "private"}});
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.path, "/b/dir/my%20file.txt");
  EXPECT_EQ(request.body, "hello");
  EXPECT_EQ(*FindHeader(request.headers, "x-amz-acl"), "private");
}

TEST_F(CodecTest, RestXmlReadsHeadersAndBlobPayload) {
  const ServiceModel& s3 = Model("s3");
  HttpResponse response;
  response.headers = {{"ETag", "\"abc\""},
                      {"Content-Length", "5"},
                      {"Last-Modified", "Tue, 02 Jan 2024 03:04:05 GMT"},
                      {"x-amz-meta-owner", "me"}};
  response.body = "hello";
  auto result = ParseResponse(s3, Op(s3, "GetObject"), response);
  ASSERT_OK(result);
  EXPECT_EQ((*result)["Body"], "hello");
  EXPECT_EQ((*result)["ETag"], "\"abc\"");
  EXPECT_EQ((*result)["ContentLength"], 5);
  EXPECT_EQ((*result)["LastModified"], 1704164645);
  EXPECT_EQ((*result)["Metadata"], nlohmann::json({{"owner", "me"}}));
}

TEST_F(CodecTest, EmptyErrorBodyFallsBackToTheStatus) {
  const ServiceModel& s3 = Model("s3");
  HttpResponse response;
  response.status = 404;
  AwsError error = ParseError(s3, Op(s3, "HeadBucket"), response);
  EXPECT_EQ(error.code, "NotFound");
  EXPECT_EQ(error.http_status, 404);
}

// Content-Type on rest requests: the body's type unless the caller gave one; none without a
// body.
TEST_F(CodecTest, RestRequestsNameTheirContentType) {
  auto content_type = [](const HttpRequest& r) -> std::string {
    const std::string* value = FindHeader(r.headers, "Content-Type");
    return value == nullptr ? "(none)" : *value;
  };
  EXPECT_EQ(
      content_type(Serialize("s3", "PutObject", {{"Bucket", "b"}, {"Key", "k"}, {"Body", "x"}})),
      "application/octet-stream");
  EXPECT_EQ(content_type(Serialize(
                "s3", "PutObject",
                {{"Bucket", "b"}, {"Key", "k"}, {"Body", "x"}, {"ContentType", "text/csv"}})),
            "text/csv");
  HttpRequest tagging =
      Serialize("s3", "PutBucketTagging",
                {{"Bucket", "b"}, {"Tagging", {{"TagSet", {{{"Key", "k"}, {"Value", "v"}}}}}}});
  EXPECT_NE(tagging.body.find("<Tagging"), std::string::npos) << tagging.body;
  EXPECT_EQ(content_type(tagging), "application/xml");
  // rest-json: a body, also an empty one, is application/json; no body, no type.
  HttpRequest update = Serialize("lambda", "UpdateFunctionConfiguration", {{"FunctionName", "fn"}});
  EXPECT_EQ(update.body, "{}");
  EXPECT_EQ(content_type(update), "application/json");
  HttpRequest tag =
      Serialize("lambda", "TagResource",
                {{"Resource", "arn:aws:lambda:us-east-1:1:function:fn"}, {"Tags", {{"a", "b"}}}});
  EXPECT_EQ(content_type(tag), "application/json");
  HttpRequest remove = Serialize("lambda", "DeleteFunction", {{"FunctionName", "fn"}});
  EXPECT_EQ(remove.body, "");
  EXPECT_EQ(content_type(remove), "(none)");
}

TEST_F(CodecTest, RestJsonPutsLabelsInThePathAndPayloadInTheBody) {
  HttpRequest request =
      Serialize("lambda", "Invoke", {{"FunctionName", "fn"}, {"Payload", R"({"a":1})"}});
  EXPECT_EQ(request.path, "/2015-03-31/functions/fn/invocations");
  EXPECT_EQ(request.body, R"({"a":1})");
}

TEST_F(CodecTest, UnparseableResponseIsAnError) {
  const ServiceModel& sts = Model("sts");
  HttpResponse response;
  response.body = "<unterminated";
  EXPECT_THAT(ParseResponse(sts, Op(sts, "GetCallerIdentity"), response),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not XML")));
}

// Found by the request fuzzer: an error message quoting a member name that is not valid
// UTF-8 made the JSON error body throw, which took the local cloud's server down.
TEST_F(CodecTest, ErrorMessagesWithInvalidUtf8StillSerialize) {
  AwsError error;
  error.code = "ValidationException";
  error.message = std::string("unknown member timest\x9e\x92\x8f\xdd");
  error.http_status = 400;
  HttpResponse response = SerializeError(Model("logs"), error);
  EXPECT_EQ(response.status, 400);
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << response.body;
  EXPECT_EQ(body["__type"], "ValidationException");
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("unknown member timest\xef\xbf\xbd"));
}

TEST_F(CodecTest, RoutesRequestsToOperations) {
  const ServiceModel& s3 = Model("s3");
  HttpRequest list = Serialize("s3", "ListObjectsV2", {{"Bucket", "b"}, {"Prefix", "x/"}});
  auto routed = RouteRequest(s3, list);
  ASSERT_OK(routed);
  EXPECT_EQ((*routed)->name, "ListObjectsV2");
  HttpRequest get = Serialize("s3", "GetObject", {{"Bucket", "b"}, {"Key", "x/y"}});
  routed = RouteRequest(s3, get);
  ASSERT_OK(routed);
  EXPECT_EQ((*routed)->name, "GetObject");

  const ServiceModel& ec2 = Model("ec2");
  routed = RouteRequest(ec2, Serialize("ec2", "DescribeVpcs", nlohmann::json::object()));
  ASSERT_OK(routed);
  EXPECT_EQ((*routed)->name, "DescribeVpcs");

  const ServiceModel& ddb = Model("dynamodb");
  routed = RouteRequest(ddb, Serialize("dynamodb", "ListTables", nlohmann::json::object()));
  ASSERT_OK(routed);
  EXPECT_EQ((*routed)->name, "ListTables");

  HttpRequest unknown;
  unknown.headers = {{"X-Amz-Target", "DynamoDB_20120810.Frobnicate"}};
  EXPECT_THAT(RouteRequest(ddb, unknown), StatusIs(StatusCode::kNotFound, HasSubstr("Frobnicate")));
}

TEST_F(CodecTest, RoutesByRequiredHeadersWhenTemplatesTie) {
  const ServiceModel& s3 = Model("s3");
  HttpRequest copy =
      Serialize("s3", "CopyObject", {{"Bucket", "b"}, {"Key", "k"}, {"CopySource", "a/x"}});
  auto routed = RouteRequest(s3, copy);
  ASSERT_OK(routed);
  EXPECT_EQ((*routed)->name, "CopyObject");
  HttpRequest put = Serialize("s3", "PutObject", {{"Bucket", "b"}, {"Key", "k"}, {"Body", "x"}});
  routed = RouteRequest(s3, put);
  ASSERT_OK(routed);
  EXPECT_EQ((*routed)->name, "PutObject");
}

// Terraform's provider (aws-sdk-go-v2) posts record changes to ".../rrset" where botocore's
// template ends ".../rrset/"; both reach the operation, with the label read.
TEST_F(CodecTest, RoutesWithOrWithoutTheTemplatesTrailingSlash) {
  const ServiceModel& route53 = Model("route53");
  HttpRequest change;
  change.method = "POST";
  for (const char* path :
       {"/2013-04-01/hostedzone/Z123/rrset/", "/2013-04-01/hostedzone/Z123/rrset"}) {
    change.path = path;
    auto routed = RouteRequest(route53, change);
    ASSERT_OK(routed);
    EXPECT_EQ((*routed)->name, "ChangeResourceRecordSets") << path;
  }
  change.path = "/2013-04-01/hostedzone/Z123/rrsetx";
  EXPECT_FALSE(RouteRequest(route53, change).ok());
  HttpRequest list;
  list.method = "GET";
  list.path = "/2015-03-31/functions";
  auto routed = RouteRequest(Model("lambda"), list);
  ASSERT_OK(routed);
  EXPECT_EQ((*routed)->name, "ListFunctions");
}

TEST_F(CodecTest, S3ResponsesCarryTheRequestIdInItsOwnHeader) {
  const ServiceModel& s3 = Model("s3");
  HttpResponse response = SerializeError(s3, "NoSuchKey", "gone", 404, "r-9");
  EXPECT_EQ(*FindHeader(response.headers, "x-amz-request-id"), "r-9");
  EXPECT_EQ(ParseError(s3, Op(s3, "GetObject"), response).request_id, "r-9");
}

TEST_F(CodecTest, QueryServiceAnswersJsonClientsInJson) {
  const ServiceModel& sqs = Model("sqs");
  HttpRequest request;
  request.headers = {{"X-Amz-Target", "AmazonSQS.CreateQueue"},
                     {"Content-Type", "application/x-amz-json-1.0"}};
  request.body = R"({"QueueName":"q","Attributes":{"VisibilityTimeout":"30"}})";
  EXPECT_EQ(RequestProtocol(sqs, request), Protocol::kJson);
  auto op = RouteRequest(sqs, request);
  ASSERT_OK(op);
  EXPECT_EQ((*op)->name, "CreateQueue");
  auto params = ParseRequest(sqs, **op, request);
  ASSERT_OK(params);
  EXPECT_EQ(*params,
            nlohmann::json({{"QueueName", "q"}, {"Attributes", {{"VisibilityTimeout", "30"}}}}));
  auto response = SerializeResponse(sqs, **op, {{"QueueUrl", "http://q"}}, "r-1", Protocol::kJson);
  ASSERT_OK(response);
  EXPECT_EQ(nlohmann::json::parse(response->body), nlohmann::json({{"QueueUrl", "http://q"}}));
  AwsError missing;
  missing.code = "QueueDoesNotExist";
  missing.message = "no";
  HttpResponse error = SerializeError(sqs, missing, Protocol::kJson);
  EXPECT_EQ(*FindHeader(error.headers, "x-amzn-query-error"), "QueueDoesNotExist;Sender");

  HttpRequest form = Serialize("sqs", "CreateQueue", {{"QueueName", "q"}});
  EXPECT_EQ(RequestProtocol(sqs, form), Protocol::kQuery);
}

TEST_F(CodecTest, ServerParsesWhatTheClientSerialized) {
  nlohmann::json params = {{"Filters", {{{"Name", "tag:Name"}, {"Values", {"web"}}}}},
                           {"MaxResults", 5}};
  const ServiceModel& ec2 = Model("ec2");
  HttpRequest request = Serialize("ec2", "DescribeInstances", params);
  auto parsed = ParseRequest(ec2, Op(ec2, "DescribeInstances"), request);
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, params);

  const ServiceModel& s3 = Model("s3");
  nlohmann::json put = {{"Bucket", "b"},
                        {"Key", "a/b c"},
                        {"Body", "data"},
                        {"ContentType", "text/csv"},
                        {"Metadata", {{"k", "v"}}}};
  auto put_parsed = ParseRequest(s3, Op(s3, "PutObject"), Serialize("s3", "PutObject", put));
  ASSERT_OK(put_parsed);
  EXPECT_EQ(*put_parsed, put);
}

TEST_F(CodecTest, ClientReadsWhatTheServerSerialized) {
  const ServiceModel& ec2 = Model("ec2");
  nlohmann::json result = {
      {"Vpcs", {{{"VpcId", "vpc-1"}, {"CidrBlock", "10.0.0.0/16"}, {"IsDefault", false}}}}};
  auto response = SerializeResponse(ec2, Op(ec2, "DescribeVpcs"), result, "req-1");
  ASSERT_OK(response);
  EXPECT_THAT(response->body, HasSubstr("<vpcSet><item>"));
  auto parsed = ParseResponse(ec2, Op(ec2, "DescribeVpcs"), *response);
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, result);

  const ServiceModel& elbv2 = Model("elbv2");
  nlohmann::json lbs = {{"LoadBalancers", {{{"LoadBalancerName", "lb"}, {"Scheme", "internal"}}}}};
  response = SerializeResponse(elbv2, Op(elbv2, "DescribeLoadBalancers"), lbs, "req-2");
  ASSERT_OK(response);
  parsed = ParseResponse(elbv2, Op(elbv2, "DescribeLoadBalancers"), *response);
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, lbs);
}

TEST_F(CodecTest, ErrorsRoundTripInEveryProtocolFamily) {
  for (const char* service : {"ec2", "iam", "dynamodb", "s3", "lambda"}) {
    const ServiceModel& model = Model(service);
    AwsError error;
    error.code = "NoSuchThing";
    error.message = "it is not there";
    error.request_id = "req-7";
    error.http_status = 404;
    HttpResponse response = SerializeError(model, error);
    EXPECT_EQ(response.status, 404) << service;
    AwsError parsed = ParseError(model, model.operations().begin()->second, response);
    EXPECT_EQ(parsed.code, "NoSuchThing") << service;
    EXPECT_EQ(parsed.message, "it is not there") << service;
    EXPECT_EQ(parsed.request_id, "req-7") << service;
  }
}

TEST_F(CodecTest, ModeledErrorTakesItsStatusFromTheModel) {
  const ServiceModel& iam = Model("iam");
  HttpResponse response = SerializeError(iam, "NoSuchEntity", "role web not found", 0, "r-1");
  EXPECT_EQ(response.status, 404);
  EXPECT_THAT(response.body, HasSubstr("<Code>NoSuchEntity</Code>"));
  EXPECT_THAT(response.body, Not(HasSubstr("<Type>Receiver</Type>")));
}

}  // namespace
}  // namespace cf::aws
