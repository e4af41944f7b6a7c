#include "testing/http_target.h"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

namespace cf {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return s;
}

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      return false;
    }
    sent += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

HttpTarget::HttpTarget(std::string name, std::string address, std::string health_path)
    : name_(std::move(name)), address_(std::move(address)), health_path_(std::move(health_path)) {}

HttpTarget::~HttpTarget() {
  Stop();
}

Status HttpTarget::Start(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, address_.c_str(), &addr.sin_addr) != 1 ||
      (ntohl(addr.sin_addr.s_addr) >> 24) != 127) {
    return InvalidArgumentError(address_ + " is not a loopback address");
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 128) != 0) {
    std::string error = std::strerror(errno);
    ::close(listen_fd_);
    listen_fd_ = -1;
    return UnavailableError(fmt::format("cannot listen on {}:{}: {}", address_, port, error));
  }
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return OkStatus();
}

void HttpTarget::Stop() {
  if (stopping_.exchange(true)) {
    return;
  }
  if (listen_fd_ >= 0) {
    ::shutdown(listen_fd_, SHUT_RDWR);
  }
  if (acceptor_.joinable()) {
    acceptor_.join();
  }
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : connections_) {
      ::shutdown(fd, SHUT_RDWR);
    }
    workers.swap(workers_);
  }
  for (std::thread& t : workers) {
    t.join();
  }
}

void HttpTarget::AcceptLoop() {
  while (!stopping_) {
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    connections_.push_back(fd);
    workers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void HttpTarget::Serve(int fd) {
  std::string buffer;
  char chunk[16384];
  while (!stopping_) {
    size_t end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) {
      ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        break;
      }
      buffer.append(chunk, static_cast<size_t>(n));
      continue;
    }
    std::string head = buffer.substr(0, end);
    size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    std::string method = request_line.substr(0, request_line.find(' '));
    size_t path_start = request_line.find(' ') + 1;
    std::string path =
        request_line.substr(path_start, request_line.find(' ', path_start) - path_start);
    bool http10 = request_line.find("HTTP/1.0") != std::string::npos;
    size_t content_length = 0;
    bool close = http10;
    std::string forwarded_for;
    std::string forwarded_proto;
    std::string forwarded_port;
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
      size_t next = head.find("\r\n", pos);
      if (next == std::string::npos) {
        next = head.size();
      }
      std::string line = head.substr(pos, next - pos);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string key = Lower(line.substr(0, colon));
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (key == "content-length") {
          content_length = std::stoul(value);
        } else if (key == "connection") {
          if (Lower(value) == "close") {
            close = true;
          } else if (Lower(value) == "keep-alive") {
            close = false;
          }
        } else if (key == "x-forwarded-for") {
          forwarded_for = value;
        } else if (key == "x-forwarded-proto") {
          forwarded_proto = value;
        } else if (key == "x-forwarded-port") {
          forwarded_port = value;
        }
      }
      pos = next + 2;
    }
    while (buffer.size() < end + 4 + content_length) {
      ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        close = true;
        break;
      }
      buffer.append(chunk, static_cast<size_t>(n));
    }
    buffer.erase(0, std::min(buffer.size(), end + 4 + content_length));
    int status = 200;
    std::string body;
    std::string extra;
    if (path == health_path_) {
      ++health_checks_;
      status = health_status_.load();
      body = status == 200 ? "ok" : "failing";
    } else {
      ++requests_;
      body = name_ + "\n";
      extra = fmt::format(
          "X-Target: {}\r\nX-Seen-Forwarded-For: {}\r\nX-Seen-Forwarded-Proto: {}\r\n"
          "X-Seen-Forwarded-Port: {}\r\n",
          name_, forwarded_for, forwarded_proto, forwarded_port);
    }
    std::string response =
        fmt::format("HTTP/1.1 {} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n{}{}\r\n",
                    status, status == 200 ? "OK" : "Error", method == "HEAD" ? 0 : body.size(),
                    extra, close ? "Connection: close\r\n" : "");
    if (method != "HEAD") {
      response += body;
    }
    if (!SendAll(fd, response) || close) {
      break;
    }
  }
  ::shutdown(fd, SHUT_RDWR);
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(std::remove(connections_.begin(), connections_.end(), fd), connections_.end());
  ::close(fd);
}

}  // namespace cf
