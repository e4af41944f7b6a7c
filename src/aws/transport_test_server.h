#pragma once

// Test-only (header-only, included by tests): a tiny HTTP/1.1 server on 127.0.0.1 with a port
// of its own choosing, for exercising clients without the network.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aws/http.h"

namespace cf::aws {

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
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(listen_fd_, 16);
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
      const std::string* expect = FindHeader(request.headers, "Expect");
      if (expect != nullptr && strcasecmp(expect->c_str(), "100-continue") == 0 &&
          buffer.size() < content_length) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        send(fd, kContinue, sizeof(kContinue) - 1, MSG_NOSIGNAL);
      }
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

}  // namespace cf::aws
