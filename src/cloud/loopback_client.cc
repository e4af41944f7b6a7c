#include "cloud/loopback_client.h"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cf::cloud {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

LoopbackHttpClient::~LoopbackHttpClient() {
  Close();
}

void LoopbackHttpClient::Close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  buffer_.clear();
}

Status LoopbackHttpClient::Connect() {
  Close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    return UnavailableError(std::string("socket: ") + std::strerror(errno));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    Status status =
        UnavailableError(fmt::format("connect 127.0.0.1:{}: {}", port_, std::strerror(errno)));
    Close();
    return status;
  }
  return OkStatus();
}

Status LoopbackHttpClient::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return UnavailableError(std::string("send: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return OkStatus();
}

bool LoopbackHttpClient::ServerClosed(std::chrono::milliseconds wait) {
  if (fd_ < 0) {
    return true;
  }
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) {
    return false;
  }
  char c;
  ssize_t n = ::recv(fd_, &c, 1, MSG_PEEK);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

Result<std::string> LoopbackHttpClient::SendRaw(std::string_view bytes) {
  if (fd_ < 0) {
    RETURN_IF_ERROR(Connect());
  }
  RETURN_IF_ERROR(WriteAll(bytes));
  std::string out = std::move(buffer_);
  buffer_.clear();
  char chunk[16384];
  while (true) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) {
      break;
    }
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      break;
    }
    out.append(chunk, static_cast<size_t>(n));
  }
  Close();
  return out;
}

Result<HttpResponse> LoopbackHttpClient::Send(const HttpRequest& request) {
  std::string wire = fmt::format("{} {} HTTP/1.1\r\n", request.method,
                                 request.target.empty() ? "/" : request.target);
  bool has_length = false;
  bool has_host = false;
  for (const auto& [name, value] : request.headers) {
    wire += fmt::format("{}: {}\r\n", name, value);
    has_length = has_length || Lower(name) == "content-length";
    has_host = has_host || Lower(name) == "host";
  }
  if (!has_host) {
    wire += fmt::format("Host: 127.0.0.1:{}\r\n", port_);
  }
  if (!has_length) {
    wire += fmt::format("Content-Length: {}\r\n", request.body.size());
  }
  wire += "\r\n";
  wire += request.body;

  {
    if (fd_ < 0) {
      RETURN_IF_ERROR(Connect());
    }
    Status written = WriteAll(wire);
    if (!written.ok()) {
      Close();
      return written;
    }
    // Read the header block.
    char chunk[16384];
    size_t header_end;
    bool closed = false;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) {
        Close();
        return DeadlineExceededError("no response from 127.0.0.1 in time");
      }
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        closed = true;
        break;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    if (closed) {
      Close();
      return UnavailableError("the server closed the connection without a response");
    }
    HttpResponse response;
    std::string_view head(buffer_.data(), header_end);
    size_t line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") {
      Close();
      return UnavailableError("malformed status line");
    }
    response.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    size_t content_length = 0;
    bool close_after = false;
    std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
    while (!rest.empty()) {
      size_t end = rest.find("\r\n");
      std::string_view line = rest.substr(0, end);
      rest = end == std::string_view::npos ? "" : rest.substr(end + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) {
        continue;
      }
      std::string name = Lower(line.substr(0, colon));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      if (name == "content-length") {
        content_length = std::strtoull(std::string(value).c_str(), nullptr, 10);
      } else if (name == "connection" && Lower(value) == "close") {
        close_after = true;
      }
      response.headers.emplace_back(name, std::string(value));
    }
    buffer_.erase(0, header_end + 4);
    if (request.method == "HEAD" || response.status == 204 || response.status == 304) {
      content_length = 0;  // Content-Length describes what GET would carry
    }
    while (buffer_.size() < content_length) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(timeout_.count())) <= 0) {
        Close();
        return DeadlineExceededError("response body did not arrive in time");
      }
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        Close();
        return UnavailableError("the server closed the connection in the middle of a body");
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    response.body = buffer_.substr(0, content_length);
    buffer_.erase(0, content_length);
    if (close_after) {
      Close();
    }
    return response;
  }
}

}  // namespace cf::cloud
