#include "cloud/elbv2/data_plane.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

namespace cf::cloud::elbv2 {

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using Strand = net::strand<net::io_context::executor_type>;

constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr auto kConnectTimeout = std::chrono::seconds(10);

std::chrono::milliseconds Scaled(std::chrono::milliseconds d, double scale) {
  auto ms = static_cast<int64_t>(static_cast<double>(d.count()) * scale);
  return std::chrono::milliseconds(std::max<int64_t>(ms, 1));
}

bool IsLoopback(const std::string& address) {
  beast::error_code ec;
  net::ip::address_v4 a = net::ip::make_address_v4(address, ec);
  return !ec && (a.to_uint() >> 24) == 127;
}

bool IsHttp(const std::string& protocol) {
  return protocol == "HTTP" || protocol == "HTTPS";
}

// One registered target and its health, shared by the group, its probe loop and the proxy.
struct Target {
  TargetConfig config;
  HealthTracker tracker;  // guarded by Group::mu
  bool draining = false;  // guarded by Group::mu
  std::chrono::steady_clock::time_point drain_until;
  bool removed = false;  // guarded by Group::mu: the probe loop ends
  uint64_t generation = 0;
};

struct Group {
  mutable std::mutex mu;
  TargetGroupConfig config;                      // guarded by mu
  std::vector<std::shared_ptr<Target>> targets;  // guarded by mu
  bool used = false;                             // guarded by mu: behind some listener
  std::atomic<uint64_t> next{0};

  bool Routable(const Target& t) const {
    return !t.removed && !t.draining && !t.config.address.empty();
  }

  // The next target round-robin: healthy ones, or every routable one when none is healthy
  // (or health checks are off).
  std::shared_ptr<Target> Pick() {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<std::shared_ptr<Target>> healthy;
    std::vector<std::shared_ptr<Target>> all;
    for (const auto& t : targets) {
      if (!Routable(*t)) {
        continue;
      }
      all.push_back(t);
      if (config.health.enabled && t->tracker.view().state == TargetState::kHealthy) {
        healthy.push_back(t);
      }
    }
    const auto& pool = healthy.empty() ? all : healthy;
    if (pool.empty()) {
      return nullptr;
    }
    return pool[next.fetch_add(1) % pool.size()];
  }

  uint16_t CheckPort(const Target& t) const {
    return config.health.port ? *config.health.port : t.config.port;
  }

  HealthView ViewOf(const Target& t) const {
    if (t.draining) {
      return {TargetState::kDraining, "Target.DeregistrationInProgress",
              "Target deregistration is in progress"};
    }
    if (t.config.address.empty()) {
      return {TargetState::kUnused, "Target.InvalidState", "Target is not in the running state"};
    }
    if (!used) {
      return {TargetState::kUnused, "Target.NotInUse",
              "Target group is not configured to receive traffic from the load balancer"};
    }
    if (!config.health.enabled) {
      return {TargetState::kUnavailable, "Target.HealthCheckDisabled",
              "Health checks are disabled"};
    }
    return t.tracker.view();
  }
};

struct Listener;

}  // namespace

struct DataPlane::Impl {
  DataPlaneOptions options;
  net::io_context io;
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
  std::atomic<uint64_t> trace_counter{0};
  uint64_t trace_seed = std::random_device{}();

  mutable std::mutex mu;
  std::map<std::string, std::shared_ptr<Group>> groups;        // guarded by mu
  std::map<std::string, std::shared_ptr<Listener>> listeners;  // guarded by mu

  double Scale() const { return options.time_scale ? options.time_scale() : 1.0; }

  explicit Impl(DataPlaneOptions o) : options(std::move(o)), io(std::max(1, options.threads)) {}

  std::shared_ptr<Group> FindGroup(const std::string& arn) const {
    std::lock_guard<std::mutex> lock(mu);
    auto it = groups.find(arn);
    return it == groups.end() ? nullptr : it->second;
  }

  void StartProbes(const std::shared_ptr<Group>& group, const std::shared_ptr<Target>& target);
  void ScheduleProbe(const std::shared_ptr<Group>& group, const std::shared_ptr<Target>& target,
                     std::chrono::milliseconds delay);
  void Probe(const std::shared_ptr<Group>& group, const std::shared_ptr<Target>& target);
  void ScheduleDrainEnd(const std::shared_ptr<Group>& group, const std::shared_ptr<Target>& target,
                        std::chrono::milliseconds delay);

  std::string TraceId() {
    uint64_t n = trace_counter.fetch_add(1);
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    return fmt::format("Root=1-{:08x}-{:08x}{:016x}", static_cast<uint32_t>(now),
                       static_cast<uint32_t>(trace_seed), n ^ (trace_seed << 13));
  }
};

namespace {

struct Listener {
  std::string arn;
  std::string address;
  uint16_t port = 0;  // as configured
  std::string protocol;
  uint16_t bound_port = 0;
  std::optional<tcp::acceptor> acceptor;
  std::shared_ptr<Strand> strand;
  mutable std::mutex mu;
  std::shared_ptr<const ListenerConfig> config;  // guarded by mu

  std::shared_ptr<const ListenerConfig> Config() const {
    std::lock_guard<std::mutex> lock(mu);
    return config;
  }
};

// ---- HTTP proxying ----

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, DataPlane::Impl* plane, std::shared_ptr<Listener> listener)
      : client_(std::move(socket)), plane_(std::move(plane)), listener_(std::move(listener)) {
    beast::error_code ec;
    tcp::endpoint remote = client_.socket().remote_endpoint(ec);
    client_ip_ = ec ? "" : remote.address().to_string();
  }

  void Start() {
    net::dispatch(client_.get_executor(),
                  beast::bind_front_handler(&HttpSession::ReadHeader, shared_from_this()));
  }

 private:
  struct Upstream {
    explicit Upstream(const net::any_io_executor& executor) : stream(executor) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    bool connected = false;
    bool used = false;  // has carried a request: a failure may be a stale keep-alive
  };

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(plane_->options.max_body_bytes);
    client_.expires_after(plane_->options.idle_timeout);
    http::async_read_header(client_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) {
      return OnReadError(ec);
    }
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(client_, *cont,
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
    http::async_read(client_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::OnRequest, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return SendLocal(413, "text/html",
                       "<html><body><h1>413 Request Entity Too Large</h1></body></html>\n", true);
    }
    if (ec.category() == beast::error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return SendLocal(400, "text/html", "<html><body><h1>400 Bad Request</h1></body></html>\n",
                       true);
    }
    Close();
  }

  void OnRequest(beast::error_code ec, size_t) {
    if (ec) {
      return OnReadError(ec);
    }
    request_ = parser_->release();
    keep_alive_ = request_.keep_alive();
    head_ = request_.method() == http::verb::head;
    std::shared_ptr<const ListenerConfig> config = listener_->Config();
    if (!config) {
      return Close();
    }
    RequestFacts facts;
    facts.method = std::string(request_.method_string());
    facts.host = std::string(request_[http::field::host]);
    std::string target(request_.target());
    size_t q = target.find('?');
    facts.path = target.substr(0, q);
    facts.query = q == std::string::npos ? "" : target.substr(q + 1);
    facts.source_ip = client_ip_;
    facts.protocol = config->protocol == "HTTPS" ? "HTTPS" : "HTTP";
    facts.port = listener_->bound_port;
    for (const auto& field : request_) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      facts.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    const ActionSpec& action = SelectAction(config->rules, config->default_action, facts);
    switch (action.type) {
      case ActionSpec::Type::kFixedResponse:
        return SendLocal(action.status, action.content_type, action.body, false);
      case ActionSpec::Type::kRedirect: {
        auto [location, status] = RedirectTarget(action.redirect, facts);
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(status), 11);
        res->set(http::field::server, "awselb/2.0");
        res->set(http::field::location, location);
        res->set(http::field::content_type, "text/html");
        res->body() = fmt::format("<html><body><h1>{} Moved</h1></body></html>\n", status);
        return Respond(res, false);
      }
      case ActionSpec::Type::kForward:
        break;
    }
    std::shared_ptr<Group> group = PickGroup(action);
    target_ = group ? group->Pick() : nullptr;
    if (!target_) {
      return SendLocal(503, "text/html",
                       "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>\n",
                       false);
    }
    PrepareUpstreamRequest(*config);
    retried_ = false;
    Forward();
  }

  std::shared_ptr<Group> PickGroup(const ActionSpec& action) {
    if (action.target_groups.size() == 1) {
      return plane_->FindGroup(action.target_groups[0].first);
    }
    int total = 0;
    for (const auto& [arn, weight] : action.target_groups) {
      total += std::max(0, weight);
    }
    if (total == 0) {
      return nullptr;
    }
    int slot = static_cast<int>(weighted_counter_++ % static_cast<uint64_t>(total));
    for (const auto& [arn, weight] : action.target_groups) {
      slot -= std::max(0, weight);
      if (slot < 0) {
        return plane_->FindGroup(arn);
      }
    }
    return nullptr;
  }

  void PrepareUpstreamRequest(const ListenerConfig& config) {
    for (http::field hop :
         {http::field::connection, http::field::keep_alive, http::field::proxy_connection,
          http::field::te, http::field::trailer, http::field::upgrade, http::field::expect}) {
      request_.erase(hop);
    }
    std::string forwarded(request_["X-Forwarded-For"]);
    request_.set("X-Forwarded-For", forwarded.empty() ? client_ip_ : forwarded + ", " + client_ip_);
    request_.set("X-Forwarded-Proto", config.protocol == "HTTPS" ? "https" : "http");
    request_.set("X-Forwarded-Port", std::to_string(listener_->bound_port));
    if (request_["X-Amzn-Trace-Id"].empty()) {
      request_.set("X-Amzn-Trace-Id", plane_->TraceId());
    }
    request_.version(11);
    request_.keep_alive(true);
    request_.prepare_payload();
  }

  void Forward() {
    std::string key = fmt::format("{}:{}", target_->config.address, target_->config.port);
    auto& slot = upstreams_[key];
    if (!slot || !slot->connected) {
      slot = std::make_shared<Upstream>(client_.get_executor());
    }
    upstream_ = slot;
    upstream_key_ = key;
    if (upstream_->connected) {
      return WriteUpstream();
    }
    beast::error_code ec;
    tcp::endpoint endpoint(net::ip::make_address_v4(target_->config.address, ec),
                           target_->config.port);
    if (ec) {
      return BadGateway();
    }
    upstream_->stream.expires_after(kConnectTimeout);
    upstream_->stream.async_connect(
        endpoint, [self = shared_from_this(), up = upstream_](beast::error_code cec) {
          if (cec) {
            return self->BadGateway();
          }
          beast::error_code ignored;
          up->stream.socket().set_option(tcp::no_delay(true), ignored);
          up->connected = true;
          self->WriteUpstream();
        });
  }

  void WriteUpstream() {
    upstream_->stream.expires_after(plane_->options.idle_timeout);
    http::async_write(upstream_->stream, request_,
                      [self = shared_from_this(), up = upstream_](beast::error_code ec, size_t) {
                        if (ec) {
                          return self->UpstreamFailed(ec, up);
                        }
                        self->ReadUpstream();
                      });
  }

  void ReadUpstream() {
    response_parser_.emplace();
    response_parser_->header_limit(kHeaderLimit);
    response_parser_->body_limit(plane_->options.max_body_bytes);
    if (head_) {
      response_parser_->skip(true);
    }
    http::async_read(upstream_->stream, upstream_->buffer, *response_parser_,
                     [self = shared_from_this(), up = upstream_](beast::error_code ec, size_t) {
                       if (ec) {
                         return self->UpstreamFailed(ec, up);
                       }
                       self->OnUpstreamResponse();
                     });
  }

  void UpstreamFailed(beast::error_code ec, const std::shared_ptr<Upstream>& up) {
    bool stale = up->used && !retried_ &&
                 (ec == http::error::end_of_stream || ec == net::error::eof ||
                  ec == net::error::connection_reset || ec == net::error::broken_pipe);
    DropUpstream();
    if (stale) {
      retried_ = true;
      return Forward();
    }
    if (ec == beast::error::timeout) {
      return SendLocal(504, "text/html",
                       "<html><body><h1>504 Gateway Time-out</h1></body></html>\n", false);
    }
    BadGateway();
  }

  void DropUpstream() {
    if (upstream_) {
      beast::error_code ignored;
      upstream_->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      upstream_->stream.socket().close(ignored);
      upstream_->connected = false;
    }
    upstreams_.erase(upstream_key_);
  }

  void BadGateway() {
    DropUpstream();
    SendLocal(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>\n", false);
  }

  void OnUpstreamResponse() {
    auto res = std::make_shared<http::response<http::string_body>>(response_parser_->release());
    upstream_->used = true;
    if (!res->keep_alive()) {
      DropUpstream();
    }
    for (http::field hop : {http::field::connection, http::field::keep_alive,
                            http::field::proxy_connection, http::field::trailer}) {
      res->erase(hop);
    }
    res->version(11);
    Respond(res, false);
  }

  void SendLocal(int status, const std::string& content_type, const std::string& body, bool close) {
    auto res =
        std::make_shared<http::response<http::string_body>>(static_cast<http::status>(status), 11);
    res->set(http::field::server, "awselb/2.0");
    if (!content_type.empty()) {
      res->set(http::field::content_type, content_type);
    }
    res->body() = body;
    Respond(res, close);
  }

  void Respond(std::shared_ptr<http::response<http::string_body>> res, bool close) {
    bool keep = keep_alive_ && !close;
    res->keep_alive(keep);
    int status = res->result_int();
    bool no_body = head_ || status == 204 || status == 304 || (status >= 100 && status < 200);
    if (!no_body) {
      res->prepare_payload();
    }
    client_.expires_after(plane_->options.idle_timeout);
    if (no_body) {
      auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*res);
      http::async_write_header(client_, *serializer,
                               [self = shared_from_this(), res, serializer, keep](
                                   beast::error_code ec, size_t) { self->AfterWrite(ec, keep); });
      return;
    }
    http::async_write(client_, *res,
                      [self = shared_from_this(), res, keep](beast::error_code ec, size_t) {
                        self->AfterWrite(ec, keep);
                      });
  }

  void AfterWrite(beast::error_code ec, bool keep) {
    if (ec || !keep) {
      return Close();
    }
    ReadHeader();
  }

  void Close() {
    beast::error_code ignored;
    client_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    client_.socket().close(ignored);
    for (auto& [key, up] : upstreams_) {
      up->stream.socket().close(ignored);
    }
    upstreams_.clear();
  }

  beast::tcp_stream client_;
  DataPlane::Impl* plane_;
  std::shared_ptr<Listener> listener_;
  std::string client_ip_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  bool keep_alive_ = true;
  bool head_ = false;
  bool retried_ = false;
  uint64_t weighted_counter_ = 0;
  std::shared_ptr<Target> target_;
  std::map<std::string, std::shared_ptr<Upstream>> upstreams_;
  std::shared_ptr<Upstream> upstream_;
  std::string upstream_key_;
  std::optional<http::response_parser<http::string_body>> response_parser_;
};

// ---- TCP proxying ----

class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(tcp::socket socket, DataPlane::Impl* plane, std::shared_ptr<Listener> listener)
      : client_(std::move(socket)),
        upstream_(client_.get_executor()),
        plane_(std::move(plane)),
        listener_(std::move(listener)) {}

  void Start() {
    std::shared_ptr<const ListenerConfig> config = listener_->Config();
    if (!config || config->default_action.type != ActionSpec::Type::kForward ||
        config->default_action.target_groups.empty()) {
      return Close();
    }
    group_ = plane_->FindGroup(config->default_action.target_groups[0].first);
    attempts_left_ = 3;
    Connect();
  }

 private:
  void Connect() {
    std::shared_ptr<Target> target = group_ ? group_->Pick() : nullptr;
    if (!target || attempts_left_-- <= 0) {
      return Close();
    }
    beast::error_code ec;
    tcp::endpoint endpoint(net::ip::make_address_v4(target->config.address, ec),
                           target->config.port);
    if (ec) {
      return Close();
    }
    upstream_.async_connect(endpoint, [self = shared_from_this()](beast::error_code cec) {
      if (cec) {
        beast::error_code ignored;
        self->upstream_.close(ignored);
        return self->Connect();
      }
      beast::error_code ignored;
      self->upstream_.set_option(tcp::no_delay(true), ignored);
      self->Pump(self->client_, self->upstream_, self->up_buffer_);
      self->Pump(self->upstream_, self->client_, self->down_buffer_);
    });
  }

  void Pump(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buffer) {
    from.async_read_some(net::buffer(buffer), [self = shared_from_this(), &from, &to, &buffer](
                                                  beast::error_code ec, size_t n) {
      if (ec) {
        beast::error_code ignored;
        if (ec == net::error::eof) {
          to.shutdown(tcp::socket::shutdown_send, ignored);
          if (++self->finished_ == 2) {
            self->Close();
          }
          return;
        }
        return self->Close();
      }
      net::async_write(to, net::buffer(buffer.data(), n),
                       [self, &from, &to, &buffer](beast::error_code wec, size_t) {
                         if (wec) {
                           return self->Close();
                         }
                         self->Pump(from, to, buffer);
                       });
    });
  }

  void Close() {
    beast::error_code ignored;
    client_.close(ignored);
    upstream_.close(ignored);
  }

  tcp::socket client_;
  tcp::socket upstream_;
  DataPlane::Impl* plane_;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<Group> group_;
  int attempts_left_ = 0;
  int finished_ = 0;
  std::array<char, 16384> up_buffer_{};
  std::array<char, 16384> down_buffer_{};
};

void Accept(DataPlane::Impl* plane, std::shared_ptr<Listener> listener) {
  listener->acceptor->async_accept(
      net::make_strand(plane->io), [plane, listener](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !listener->acceptor->is_open() ||
            plane->stopped) {
          return;
        }
        if (!ec) {
          beast::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          if (IsHttp(listener->protocol)) {
            std::make_shared<HttpSession>(std::move(socket), plane, listener)->Start();
          } else {
            std::make_shared<TcpSession>(std::move(socket), plane, listener)->Start();
          }
        }
        Accept(plane, listener);
      });
}

// ---- health probes ----

class ProbeRun : public std::enable_shared_from_this<ProbeRun> {
 public:
  using Done = std::function<void(ProbeOutcome, int)>;
  ProbeRun(net::io_context& io, HealthCheckSpec spec, std::string address, uint16_t port,
           std::chrono::milliseconds timeout, Done done)
      : stream_(net::make_strand(io)),
        spec_(std::move(spec)),
        address_(std::move(address)),
        port_(port),
        timeout_(timeout),
        done_(std::move(done)) {}

  void Start() {
    beast::error_code ec;
    tcp::endpoint endpoint(net::ip::make_address_v4(address_, ec), port_);
    if (ec) {
      return Finish(ProbeOutcome::kConnectFailed, 0);
    }
    stream_.expires_after(timeout_);
    stream_.async_connect(endpoint, [self = shared_from_this()](beast::error_code cec) {
      if (cec) {
        return self->Finish(
            cec == beast::error::timeout ? ProbeOutcome::kTimeout : ProbeOutcome::kConnectFailed,
            0);
      }
      if (self->spec_.protocol == "TCP" || self->spec_.protocol == "TLS" ||
          self->spec_.protocol == "UDP" || self->spec_.protocol == "TCP_UDP") {
        return self->Finish(ProbeOutcome::kSuccess, 0);
      }
      self->SendRequest();
    });
  }

 private:
  void SendRequest() {
    request_.method(http::verb::get);
    request_.target(spec_.path.empty() ? "/" : spec_.path);
    request_.version(11);
    request_.set(http::field::host, fmt::format("{}:{}", address_, port_));
    request_.set(http::field::user_agent, "ELB-HealthChecker/2.0");
    request_.set(http::field::connection, "close");
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        return self->Finish(
            ec == beast::error::timeout ? ProbeOutcome::kTimeout : ProbeOutcome::kConnectFailed, 0);
      }
      self->parser_.header_limit(kHeaderLimit);
      http::async_read_header(self->stream_, self->buffer_, self->parser_,
                              [self](beast::error_code rec, size_t) { self->OnHeader(rec); });
    });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) {
      return Finish(
          ec == beast::error::timeout ? ProbeOutcome::kTimeout : ProbeOutcome::kConnectFailed, 0);
    }
    int status = parser_.get().result_int();
    std::optional<HttpCodeMatcher> matcher = HttpCodeMatcher::Parse(spec_.matcher);
    bool ok = matcher ? matcher->Matches(status) : status == 200;
    Finish(ok ? ProbeOutcome::kSuccess : ProbeOutcome::kCodeMismatch, status);
  }

  void Finish(ProbeOutcome outcome, int status) {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    if (done_) {
      Done done = std::move(done_);
      done_ = nullptr;
      done(outcome, status);
    }
  }

  beast::tcp_stream stream_;
  HealthCheckSpec spec_;
  std::string address_;
  uint16_t port_;
  std::chrono::milliseconds timeout_;
  Done done_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> request_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

void DataPlane::Impl::ScheduleProbe(const std::shared_ptr<Group>& group,
                                    const std::shared_ptr<Target>& target,
                                    std::chrono::milliseconds delay) {
  auto timer = std::make_shared<net::steady_timer>(io, delay);
  Impl* self = this;
  timer->async_wait([self, group, target, timer](beast::error_code ec) {
    if (ec || self->stopped) {
      return;
    }
    self->Probe(group, target);
  });
}

void DataPlane::Impl::Probe(const std::shared_ptr<Group>& group,
                            const std::shared_ptr<Target>& target) {
  HealthCheckSpec spec;
  uint16_t port = 0;
  bool active = false;
  {
    std::lock_guard<std::mutex> lock(group->mu);
    if (target->removed || target->draining) {
      return;  // the loop ends; a drain has its own timer
    }
    spec = group->config.health;
    port = group->CheckPort(*target);
    active = group->used && spec.enabled && !target->config.address.empty();
  }
  std::chrono::milliseconds interval = Scaled(spec.interval, Scale());
  if (!active) {
    return ScheduleProbe(group, target, interval);
  }
  std::chrono::milliseconds timeout = Scaled(spec.timeout, Scale());
  Impl* self = this;
  uint64_t generation = target->generation;
  auto run = std::make_shared<ProbeRun>(
      io, spec, target->config.address, port, timeout,
      [self, group, target, interval, generation](ProbeOutcome outcome, int status) {
        if (self->stopped) {
          return;
        }
        {
          std::lock_guard<std::mutex> lock(group->mu);
          if (target->removed || target->generation != generation) {
            return;
          }
          target->tracker.Record(outcome, group->config.health, status);
        }
        self->ScheduleProbe(group, target, interval);
      });
  run->Start();
}

void DataPlane::Impl::StartProbes(const std::shared_ptr<Group>& group,
                                  const std::shared_ptr<Target>& target) {
  // The first check follows registration quickly, as ELB's do.
  ScheduleProbe(group, target, std::chrono::milliseconds(1));
}

void DataPlane::Impl::ScheduleDrainEnd(const std::shared_ptr<Group>& group,
                                       const std::shared_ptr<Target>& target,
                                       std::chrono::milliseconds delay) {
  auto timer = std::make_shared<net::steady_timer>(io, delay);
  timer->async_wait([group, target, timer](beast::error_code ec) {
    if (ec) {
      return;
    }
    std::lock_guard<std::mutex> lock(group->mu);
    if (!target->draining || std::chrono::steady_clock::now() < target->drain_until) {
      return;
    }
    target->removed = true;
    auto& list = group->targets;
    list.erase(std::remove(list.begin(), list.end(), target), list.end());
  });
}

DataPlane::DataPlane(DataPlaneOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  // Keeps the threads running while there is no socket yet.
  auto guard = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(
      impl_->io.get_executor());
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
    impl_->threads.emplace_back([impl = impl_.get(), guard] { impl->io.run(); });
  }
}

DataPlane::~DataPlane() {
  Stop();
}

void DataPlane::Stop() {
  if (impl_->stopped.exchange(true)) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (auto& [arn, listener] : impl_->listeners) {
      beast::error_code ignored;
      if (listener->acceptor) {
        listener->acceptor->close(ignored);
      }
    }
  }
  impl_->io.stop();
  for (std::thread& t : impl_->threads) {
    t.join();
  }
  impl_->threads.clear();
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->listeners.clear();
  impl_->groups.clear();
}

std::map<std::string, std::string> DataPlane::Apply(const DataPlaneConfig& config) {
  std::map<std::string, std::string> errors;
  if (impl_->stopped) {
    return errors;
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  // Groups first, so that new listeners find them.
  std::map<std::string, bool> used;
  for (const ListenerConfig& l : config.listeners) {
    auto mark = [&](const ActionSpec& a) {
      if (a.type == ActionSpec::Type::kForward) {
        for (const auto& [arn, weight] : a.target_groups) {
          used[arn] = true;
        }
      }
    };
    mark(l.default_action);
    for (const RuleSpec& r : l.rules) {
      mark(r.action);
    }
  }
  std::map<std::string, std::shared_ptr<Group>> groups;
  for (const TargetGroupConfig& g : config.groups) {
    std::shared_ptr<Group> group;
    auto it = impl_->groups.find(g.arn);
    if (it != impl_->groups.end()) {
      group = it->second;
    } else {
      group = std::make_shared<Group>();
    }
    std::vector<std::pair<std::shared_ptr<Target>, bool>> to_start;  // target, draining
    {
      std::lock_guard<std::mutex> group_lock(group->mu);
      bool health_changed = !(group->config.health == g.health);
      group->config = g;
      group->used = used.count(g.arn) > 0;
      std::vector<std::shared_ptr<Target>> kept;
      for (const TargetConfig& wanted : g.targets) {
        std::shared_ptr<Target> match;
        for (const auto& t : group->targets) {
          if (t->config.id == wanted.id && t->config.port == wanted.port && !t->draining &&
              !t->removed) {
            match = t;
          }
        }
        if (match && match->config.address != wanted.address) {
          // The instance moved (or started or stopped): its health starts over.
          match->config = wanted;
          match->tracker = HealthTracker();
          ++match->generation;
        }
        if (!match) {
          match = std::make_shared<Target>();
          match->config = wanted;
          to_start.push_back({match, false});
        }
        if (health_changed) {
          match->tracker = HealthTracker();
          ++match->generation;
        }
        kept.push_back(match);
      }
      for (const auto& t : group->targets) {
        if (std::find(kept.begin(), kept.end(), t) != kept.end()) {
          continue;
        }
        if (!t->draining) {
          t->draining = true;
          t->drain_until =
              std::chrono::steady_clock::now() + Scaled(g.deregistration_delay, impl_->Scale());
          to_start.push_back({t, true});
        }
        kept.push_back(t);  // still reported while it drains
      }
      group->targets = std::move(kept);
    }
    for (const auto& [target, draining] : to_start) {
      if (draining) {
        impl_->ScheduleDrainEnd(group, target, Scaled(g.deregistration_delay, impl_->Scale()));
      } else {
        impl_->StartProbes(group, target);
      }
    }
    groups[g.arn] = group;
  }
  for (auto& [arn, group] : impl_->groups) {
    if (groups.count(arn) == 0) {
      std::lock_guard<std::mutex> group_lock(group->mu);
      for (auto& t : group->targets) {
        t->removed = true;
      }
    }
  }
  impl_->groups = std::move(groups);

  std::map<std::string, std::shared_ptr<Listener>> listeners;
  for (const ListenerConfig& l : config.listeners) {
    auto snapshot = std::make_shared<const ListenerConfig>(l);
    auto it = impl_->listeners.find(l.arn);
    if (it != impl_->listeners.end() && it->second->address == l.address &&
        it->second->port == l.port && IsHttp(it->second->protocol) == IsHttp(l.protocol) &&
        it->second->acceptor) {
      std::lock_guard<std::mutex> listener_lock(it->second->mu);
      it->second->config = snapshot;
      listeners[l.arn] = it->second;
      continue;
    }
    if (it != impl_->listeners.end() && it->second->acceptor) {
      beast::error_code ignored;
      it->second->acceptor->close(ignored);
    }
    auto listener = std::make_shared<Listener>();
    listener->arn = l.arn;
    listener->address = l.address;
    listener->port = l.port;
    listener->protocol = l.protocol;
    listener->config = snapshot;
    if (!IsLoopback(l.address)) {
      errors[l.arn] = fmt::format("{} is not a loopback address", l.address);
      continue;
    }
    beast::error_code ec;
    tcp::endpoint endpoint(net::ip::make_address_v4(l.address), l.port);
    listener->acceptor.emplace(impl_->io);
    listener->acceptor->open(endpoint.protocol(), ec);
    if (!ec) {
      listener->acceptor->set_option(net::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
      listener->acceptor->bind(endpoint, ec);
    }
    if (!ec) {
      listener->acceptor->listen(net::socket_base::max_listen_connections, ec);
    }
    if (ec) {
      errors[l.arn] = fmt::format("cannot listen on {}:{}: {}", l.address, l.port, ec.message());
      listener->acceptor.reset();
      continue;
    }
    listener->bound_port = listener->acceptor->local_endpoint().port();
    Accept(impl_.get(), listener);
    listeners[l.arn] = listener;
  }
  for (auto& [arn, listener] : impl_->listeners) {
    if (listeners.count(arn) == 0 || listeners[arn] != listener) {
      if (listener->acceptor) {
        beast::error_code ignored;
        listener->acceptor->close(ignored);
      }
    }
  }
  impl_->listeners = std::move(listeners);
  return errors;
}

std::vector<TargetHealthReport> DataPlane::Health(const std::string& group_arn) const {
  std::vector<TargetHealthReport> reports;
  std::shared_ptr<Group> group = impl_->FindGroup(group_arn);
  if (!group) {
    return reports;
  }
  std::lock_guard<std::mutex> lock(group->mu);
  for (const auto& t : group->targets) {
    if (t->removed) {
      continue;
    }
    reports.push_back({t->config.id, t->config.port, group->CheckPort(*t), group->ViewOf(*t)});
  }
  return reports;
}

uint16_t DataPlane::BoundPort(const std::string& listener_arn) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto it = impl_->listeners.find(listener_arn);
  return it == impl_->listeners.end() ? 0 : it->second->bound_port;
}

}  // namespace cf::cloud::elbv2
