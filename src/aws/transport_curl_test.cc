#include "aws/transport_curl.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "aws/transport_recording.h"
#include "aws/transport_test_server.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response;
  response.status = request.path == "/missing" ? 404 : 200;
  response.headers.push_back({"x-amzn-RequestId", "req-1"});
  response.body = request.method + " " + request.path + " " + request.body;
  return response;
}

TEST(CurlTransportTest, SendsExactlyWhatItIsGiven) {
  LoopbackServer server(&Echo);
  CurlTransport transport;
  HttpRequest request;
  request.method = "POST";
  request.path = "/a%20b?x=1";
  request.headers = {{"Host", "ec2.us-east-1.amazonaws.com"},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  request.body = "{}";
  auto response = transport.Send(server.url(), request);
  ASSERT_OK(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "POST /a%20b?x=1 {}");
  ASSERT_NE(FindHeader(response->headers, "x-amzn-requestid"), nullptr);
  EXPECT_EQ(*FindHeader(response->headers, "x-amzn-requestid"), "req-1");

  HttpRequest seen = server.requests().at(0);
  EXPECT_EQ(*FindHeader(seen.headers, "Host"), "ec2.us-east-1.amazonaws.com");
  EXPECT_EQ(*FindHeader(seen.headers, "X-Amz-Target"), "DynamoDB_20120810.ListTables");
  EXPECT_EQ(FindHeader(seen.headers, "Expect"), nullptr);
  EXPECT_EQ(FindHeader(seen.headers, "Accept"), nullptr);
}

TEST(CurlTransportTest, ErrorStatusesAreResponsesAndHeadHasNoBody) {
  LoopbackServer server(&Echo);
  CurlTransport transport;
  HttpRequest get;
  get.method = "GET";
  get.path = "/missing";
  auto missing = transport.Send(server.url(), get);
  ASSERT_OK(missing);
  EXPECT_EQ(missing->status, 404);
  HttpRequest head;
  head.method = "HEAD";
  head.path = "/bucket";
  auto headed = transport.Send(server.url(), head);
  ASSERT_OK(headed);
  EXPECT_EQ(headed->status, 200);
  EXPECT_EQ(headed->body, "");
}

TEST(CurlTransportTest, ReusesConnections) {
  LoopbackServer server(&Echo);
  CurlTransport transport;
  HttpRequest request;
  request.method = "PUT";
  request.path = "/k";
  request.body = "data";
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(transport.Send(server.url(), request));
  }
  EXPECT_EQ(server.requests().size(), 5u);
  EXPECT_EQ(server.connections(), 1);
}

TEST(CurlTransportTest, RefusedConnectionsAreUnavailable) {
  int port = 0;
  {
    LoopbackServer server(&Echo);
    port = std::stoi(server.url().substr(server.url().rfind(':') + 1));
  }
  CurlTransport transport;
  HttpRequest request;
  request.method = "GET";
  auto result = transport.Send("http://127.0.0.1:" + std::to_string(port), request);
  EXPECT_THAT(result, StatusIs(StatusCode::kUnavailable, HasSubstr("127.0.0.1")));
}

TEST(CurlTransportTest, ASilentServerTimesOut) {
  LoopbackServer server(&Echo, /*silent=*/true);
  CurlTransportOptions options;
  options.total_timeout = std::chrono::milliseconds(300);
  CurlTransport transport(options);
  HttpRequest request;
  request.method = "GET";
  EXPECT_THAT(transport.Send(server.url(), request),
              StatusIs(StatusCode::kDeadlineExceeded, HasSubstr("timed out")));
}

TEST(RecordingTransportTest, RepliesInOrderThenFromTheHandler) {
  RecordingTransport transport([](std::string_view, const HttpRequest& r) -> Result<HttpResponse> {
    HttpResponse response;
    response.body = "handled " + r.path;
    return response;
  });
  transport.EnqueueResponse(503, "busy");
  transport.Enqueue(UnavailableError("reset"));
  HttpRequest request;
  request.path = "/x";
  EXPECT_EQ(transport.Send("http://h", request)->status, 503);
  EXPECT_THAT(transport.Send("http://h", request), StatusIs(StatusCode::kUnavailable, "reset"));
  EXPECT_EQ(transport.Send("http://h", request)->body, "handled /x");
  EXPECT_EQ(transport.request_count(), 3u);
  EXPECT_EQ(transport.requests()[0].base_url, "http://h");
}

TEST(FaultInjectingTransportTest, FailsTheChosenCalls) {
  RecordingTransport inner(
      [](std::string_view, const HttpRequest&) -> Result<HttpResponse> { return HttpResponse{}; });
  FaultInjectingTransport faulty(inner, UnavailableError("dropped"), {2});
  HttpRequest request;
  EXPECT_OK(faulty.Send("u", request));
  EXPECT_THAT(faulty.Send("u", request), StatusIs(StatusCode::kUnavailable, "dropped"));
  EXPECT_OK(faulty.Send("u", request));
  EXPECT_EQ(inner.request_count(), 2u);
}

}  // namespace
}  // namespace cf::aws
