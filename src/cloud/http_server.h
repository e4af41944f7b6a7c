#pragma once

// The local cloud's HTTP/1.1 server (Boost.Beast on Asio): listens on 127.0.0.1 only, keeps
// connections alive, serves many connections from a small pool of threads, and never lets a
// bad client crash or hang it:
// - a body larger than `max_body_bytes` (or HttpHandler::MaxBodyBytes) is answered by
// HttpHandler::Reject with 413 (before
//   the body is read when Content-Length says so) and the connection is closed;
// - bytes that are not HTTP are answered with 400 and the connection is closed;
// - a connection idle (or trickling) for `idle_timeout` is closed.
// Answers to HEAD carry the headers only, with the handler's Content-Length when it sets one
// (the size of what GET would return); 204 and 304 answers never carry a body.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "cloud/http_message.h"

namespace cf::cloud {

// Called from the server's threads, concurrently: implementations must be thread-safe.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual HttpResponse Handle(const HttpRequest& request) = 0;
  // The answer to a request that could not be read whole: `request` holds what was parsed
  // (possibly only the headers, possibly nothing); `status` is 400 or 413.
  virtual HttpResponse Reject(const HttpRequest& request, int status, std::string_view code,
                              std::string_view message) = 0;
  // The body limit for a request whose headers (only) are in `request`; `server_limit` is
  // HttpServerOptions::max_body_bytes. Lets one kind of request (S3 objects) carry more.
  virtual uint64_t MaxBodyBytes(const HttpRequest& request, uint64_t server_limit) {
    (void)request;
    return server_limit;
  }
};

struct HttpServerOptions {
  // The IPv4 address to listen on; must lie inside 127.0.0.0/8 (an instance's metadata
  // service listens on the instance's own loopback address).
  std::string address = "127.0.0.1";
  uint16_t port = 4566;  // 0: any free port (see HttpServer::port()).
  int threads = 2;
  // When every thread is inside a handler (a handler may block: a synchronous Lambda Invoke
  // waits for the function, whose own calls come back to this server), another thread is
  // started, up to this many in all; they stay until Stop.
  int max_threads = 256;
  uint64_t max_body_bytes = 16 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{60000};
};

class HttpServer {
 public:
  // `handler` must outlive the server.
  HttpServer(HttpServerOptions options, HttpHandler& handler);
  ~HttpServer();  // Stops.
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds address:port and starts serving on the thread pool. Returns once connections are
  // accepted. Unavailable when the port is taken or may not be bound; InvalidArgument for an
  // address outside 127.0.0.0/8.
  Status Start();
  // The bound port (after Start).
  uint16_t port() const;
  // Stops accepting, closes every connection and joins the threads. Idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cf::cloud
