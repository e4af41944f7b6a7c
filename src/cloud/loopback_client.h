#pragma once

// A minimal blocking HTTP/1.1 client for 127.0.0.1 only: used by `clusterform cloud status`
// and `start` (health checks), by tests and by the benchmark. One connection, kept alive
// across requests; reconnects when the server closed it. Not thread-safe.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "cloud/http_message.h"

namespace cf::cloud {

class LoopbackHttpClient {
 public:
  explicit LoopbackHttpClient(uint16_t port,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10))
      : port_(port), timeout_(timeout) {}
  ~LoopbackHttpClient();
  LoopbackHttpClient(const LoopbackHttpClient&) = delete;
  LoopbackHttpClient& operator=(const LoopbackHttpClient&) = delete;

  // Sends `request` (Host and Content-Length are added when absent) and reads the response
  // (none after HEAD, 204 and 304).
  // Unavailable when the connection fails or the server closes it before a full response
  // (the next Send reconnects).
  Result<HttpResponse> Send(const HttpRequest& request);
  // Writes raw bytes and reads whatever comes back until the server closes the connection or
  // the timeout passes (for malformed-request tests).
  Result<std::string> SendRaw(std::string_view bytes);
  // Whether the server closes this connection within `wait` (a read returns end of stream).
  bool ServerClosed(std::chrono::milliseconds wait = std::chrono::seconds(2));
  void Close();

 private:
  Status Connect();
  Status WriteAll(std::string_view bytes);

  uint16_t port_;
  std::chrono::milliseconds timeout_;
  int fd_ = -1;
  std::string buffer_;  // bytes read but not consumed
};

}  // namespace cf::cloud
