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
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using ::testing::HasSubstr;

// A tiny HTTP/1.1 server on 127.0.0.1 (port 0) for the transport's tests: keep-alive,
// Content-Length bodies, answers from a handler; or, when `silent`, never answers.
class LoopbackServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  explicit LoopbackServer(Handler handler, bool silent = false)
      : handler_(std::move(handler)), silent_(silent) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(listen(listen_fd_, 16), 0);
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~LoopbackServer() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    thread_.join();
    for (auto& t : workers_) {
      t.join();
    }
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_.load(); }
  std::vector<HttpRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) {
        return;
      }
      ++connections_;
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[4096];
    while (!stopping_) {
      size_t header_end;
      while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) {
          close(fd);
          return;
        }
        buffer.append(chunk, static_cast<size_t>(n));
      }
      HttpRequest request;
      std::string head = buffer.substr(0, header_end);
      size_t line_end = head.find("\r\n");
      std::string request_line = head.substr(0, line_end);
      request.method = request_line.substr(0, request_line.find(' '));
      request.path = request_line.substr(request.method.size() + 1,
                                         request_line.rfind(' ') - request.method.size() - 1);
      size_t content_length = 0;
      size_t pos = line_end + 2;
      while (pos < head.size()) {
        size_t end = head.find("\r\n", pos);
        if (end == std::string::npos) {
          end = head.size();
        }
        std::string line = head.substr(pos, end - pos);
        size_t colon = line.find(':');
        std::string name = line.substr(0, colon);
        std::string value = line.substr(colon + 2);
        if (strcasecmp(name.c_str(), "content-length") == 0) {
          content_length = std::stoul(value);
        }
        request.headers.push_back({name, value});
        pos = end + 2;
      }
      buffer.erase(0, header_end + 4);
      while (buffer.size() < content_length) {
        ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) {
          close(fd);
          return;
        }
        buffer.append(chunk, static_cast<size_t>(n));
      }
      request.body = buffer.substr(0, content_length);
      buffer.erase(0, content_length);
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(request);
      }
      if (silent_) {
        while (!stopping_ && recv(fd, chunk, sizeof(chunk), 0) > 0) {
        }
        close(fd);
        return;
      }
      HttpResponse response = handler_(request);
      std::string out = "HTTP/1.1 " + std::to_string(response.status) + " X\r\n";
      for (const auto& h : response.headers) {
        out += h.name + ": " + h.value + "\r\n";
      }
      out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
      if (request.method != "HEAD") {
        out += response.body;
      }
      send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    }
    close(fd);
  }

  Handler handler_;
  bool silent_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::vector<HttpRequest> requests_;  // guarded by mu_
};

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
