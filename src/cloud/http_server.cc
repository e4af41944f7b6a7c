#include "cloud/http_server.h"

#include <fmt/core.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace cf::cloud {

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr size_t kMaxDrain = 4 * 1024 * 1024;

// The server's threads, grown while every one of them is inside a handler.
class ServerThreads {
 public:
  ServerThreads(net::io_context& io, int max) : io_(io), max_(max) {}
  void Start(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < n; ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
  }
  // Around each handler call.
  void Enter() {
    std::lock_guard<std::mutex> lock(mu_);
    ++busy_;
    if (!stopping_ && busy_ >= static_cast<int>(threads_.size()) &&
        static_cast<int>(threads_.size()) < max_) {
      threads_.emplace_back([this] { io_.run(); });
    }
  }
  void Leave() {
    std::lock_guard<std::mutex> lock(mu_);
    --busy_;
  }
  // After io.stop(): joins every thread.
  void Join() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      threads.swap(threads_);
    }
    for (std::thread& t : threads) {
      t.join();
    }
  }

 private:
  net::io_context& io_;
  const int max_;
  std::mutex mu_;
  std::vector<std::thread> threads_;  // guarded by mu_
  int busy_ = 0;                      // guarded by mu_
  bool stopping_ = false;             // guarded by mu_
};

// One connection: read a request, answer it, repeat while keep-alive holds.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServerOptions& options, HttpHandler& handler,
          ServerThreads& threads)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        options_(options),
        handler_(handler),
        threads_(threads) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // The body limit is checked in OnHeader, with the headers at hand for the error format.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(options_.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) {
      return OnReadError(ec);
    }
    body_limit_ = handler_.MaxBodyBytes(ToRequest(false), options_.max_body_bytes);
    auto length = parser_->content_length();
    if (length && *length > body_limit_) {
      return Reject(
          413, "RequestEntityTooLarge",
          fmt::format("The request body is {} bytes; the limit is {} bytes", *length, body_limit_));
    }
    parser_->body_limit(body_limit_);
    const auto& header = parser_->get();
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     header.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                          if (wec) {
                            return self->Close();
                          }
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(options_.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == http::error::partial_message) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Reject(413, "RequestEntityTooLarge",
                    fmt::format("The request body exceeds the limit of {} bytes", body_limit_));
    }
    if (ec.category() == beast::error_code(http::error::bad_method).category()) {
      return Reject(400, "BadRequest", "The request is not valid HTTP/1.1: " + ec.message());
    }
    Close();
  }

  HttpRequest ToRequest(bool with_body) {
    HttpRequest request;
    if (!parser_->is_header_done()) {
      return request;
    }
    auto& message = parser_->get();
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    if (with_body) {
      request.body = std::move(message.body());
    }
    return request;
  }

  void Reject(int status, std::string_view code, const std::string& message) {
    HttpRequest partial = ToRequest(false);
    head_request_ = partial.method == "HEAD";
    HttpResponse response = handler_.Reject(partial, status, code, message);
    response.close_connection = true;
    linger_ = true;
    Send(std::move(response), 11);
  }

  // After refusing a request whose bytes may still be arriving: stop sending, then read and
  // discard for a moment before closing, so that the client reads the refusal instead of a
  // connection reset.
  void LingeringClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    Drain();
  }

  void Drain() {
    drain_buffer_.resize(16384);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxDrain) {
                                return self->Close();
                              }
                              self->Drain();
                            });
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec) {
      return OnReadError(ec);
    }
    unsigned version = parser_->get().version();
    bool keep_alive = parser_->get().keep_alive();
    HttpRequest request = ToRequest(true);
    head_request_ = request.method == "HEAD";
    threads_.Enter();
    HttpResponse response = handler_.Handle(request);
    threads_.Leave();
    if (!keep_alive) {
      response.close_connection = true;
    }
    Send(std::move(response), version);
  }

  void Send(HttpResponse response, unsigned version) {
    if (response.drop_connection) {
      if (response.delay.count() > 0) {
        timer_.expires_after(response.delay);
        timer_.async_wait([self = shared_from_this()](beast::error_code) { self->Close(); });
        return;
      }
      return Close();
    }
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    for (auto& [name, value] : response.headers) {
      res->set(name, value);
    }
    res->keep_alive(!response.close_connection);
    if (response.status == 204 || response.status == 304) {
      res->erase(http::field::content_length);
    } else if (head_request_) {
      // Headers only; Content-Length says what a GET would carry.
      if (res->find(http::field::content_length) == res->end()) {
        res->content_length(response.body.size());
      }
    } else {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    bool close = response.close_connection;
    if (response.delay.count() > 0) {
      timer_.expires_after(response.delay);
      timer_.async_wait([self = shared_from_this(), res, close](beast::error_code ec) {
        if (ec) {
          return self->Close();
        }
        self->Write(res, close);
      });
      return;
    }
    Write(res, close);
  }

  void Write(std::shared_ptr<http::response<http::string_body>> res, bool close) {
    stream_.expires_after(options_.idle_timeout);
    if (head_request_ || res->result() == http::status::no_content ||
        res->result() == http::status::not_modified) {
      // The header alone: a serializer would otherwise expect Content-Length bytes of body.
      auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*res);
      http::async_write_header(stream_, *serializer,
                               [self = shared_from_this(), res, serializer, close](
                                   beast::error_code ec, size_t) { self->AfterWrite(ec, close); });
      return;
    }
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, close](beast::error_code ec, size_t) {
                        self->AfterWrite(ec, close);
                      });
  }

  void AfterWrite(beast::error_code ec, bool close) {
    if (!ec && close && linger_) {
      return LingeringClose();
    }
    if (ec || close) {
      return Close();
    }
    ReadHeader();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const HttpServerOptions& options_;
  HttpHandler& handler_;
  ServerThreads& threads_;
  bool linger_ = false;
  bool head_request_ = false;  // the request being answered is a HEAD
  uint64_t body_limit_ = 0;    // of the request being read
  std::string drain_buffer_;
  size_t drained_ = 0;
};

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  HttpHandler& handler;
  std::optional<net::io_context> io;
  std::optional<tcp::acceptor> acceptor;
  std::optional<ServerThreads> threads;
  uint16_t port = 0;

  Impl(HttpServerOptions o, HttpHandler& h) : options(std::move(o)), handler(h) {}

  void Accept() {
    acceptor->async_accept(net::make_strand(*io), [this](beast::error_code ec, tcp::socket s) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) {
        return;
      }
      if (!ec) {
        beast::error_code ignored;
        s.set_option(tcp::no_delay(true), ignored);
        std::make_shared<Session>(std::move(s), options, handler, *threads)->Start();
      }
      Accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

HttpServer::~HttpServer() {
  Stop();
}

Status HttpServer::Start() {
  beast::error_code ec;
  net::ip::address_v4 address = net::ip::make_address_v4(impl_->options.address, ec);
  if (ec || (address.to_uint() >> 24) != 127) {
    return InvalidArgumentError(
        fmt::format("cannot listen on {}: the local cloud listens inside 127.0.0.0/8 only",
                    impl_->options.address));
  }
  int threads = std::max(1, impl_->options.threads);
  impl_->io.emplace(threads);
  impl_->acceptor.emplace(*impl_->io);
  tcp::endpoint endpoint(address, impl_->options.port);
  impl_->acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    impl_->acceptor->set_option(net::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    impl_->acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    impl_->acceptor->listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    impl_->acceptor.reset();
    impl_->io.reset();
    return UnavailableError(fmt::format("cannot listen on {}:{}: {}", impl_->options.address,
                                        impl_->options.port, ec.message()));
  }
  impl_->port = impl_->acceptor->local_endpoint().port();
  impl_->threads.emplace(*impl_->io, std::max(threads, impl_->options.max_threads));
  impl_->Accept();
  impl_->threads->Start(threads);
  return OkStatus();
}

uint16_t HttpServer::port() const {
  return impl_->port;
}

void HttpServer::Stop() {
  if (!impl_->io) {
    return;
  }
  impl_->io->stop();
  impl_->threads->Join();
  impl_->threads.reset();
  impl_->acceptor.reset();
  impl_->io.reset();  // destroys the sessions still waiting, closing their sockets
}

}  // namespace cf::cloud
