#include "cloud/elbv2/data_plane.h"

#include <arpa/inet.h>
#include <fmt/core.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "testing/http_target.h"
#include "testing/status_matchers.h"

namespace cf::cloud::elbv2 {
namespace {

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// A blocking HTTP/1.1 client on one connection (keep-alive), enough for these tests.
class Client {
 public:
  Client(const std::string& address, uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~Client() { ::close(fd_); }
  bool connected() const { return connected_; }

  bool SendRaw(const std::string& data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }

  // Sends a request and reads one response; status 0 when the connection failed.
  Response Request(const std::string& method, const std::string& path,
                   const std::string& extra_headers = "") {
    Response r;
    if (!SendRaw(fmt::format("{} {} HTTP/1.1\r\nHost: lb.test\r\n{}\r\n", method, path,
                             extra_headers))) {
      return r;
    }
    return Read(method == "HEAD");
  }

  Response Read(bool head = false) {
    Response r;
    char chunk[8192];
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        return r;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    std::string head_text = buffer_.substr(0, end);
    r.status = std::atoi(head_text.substr(9, 3).c_str());
    size_t pos = head_text.find("\r\n");
    while (pos != std::string::npos && pos < head_text.size()) {
      size_t next = head_text.find("\r\n", pos + 2);
      std::string line =
          head_text.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string key = line.substr(0, colon);
        for (char& c : key) {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        r.headers[key] = value;
      }
      pos = next;
    }
    size_t length =
        head || r.status == 204 || r.status == 304
            ? 0
            : std::stoul(r.headers.count("content-length") ? r.headers["content-length"] : "0");
    while (buffer_.size() < end + 4 + length) {
      ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (n <= 0) {
        return r;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    r.body = buffer_.substr(end + 4, length);
    buffer_.erase(0, end + 4 + length);
    return r;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

Response Get(const std::string& address, uint16_t port, const std::string& path) {
  Client c(address, port);
  return c.Request("GET", path, "Connection: close\r\n");
}

ActionSpec Forward(const std::string& group) {
  ActionSpec a;
  a.type = ActionSpec::Type::kForward;
  a.target_groups = {{group, 1}};
  return a;
}

HealthCheckSpec FastChecks() {
  HealthCheckSpec h;
  h.path = "/health";
  h.interval = std::chrono::milliseconds(50);
  h.timeout = std::chrono::milliseconds(40);
  h.healthy_threshold = 2;
  h.unhealthy_threshold = 2;
  return h;
}

class DataPlaneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = std::make_unique<HttpTarget>("alpha", "127.0.0.11");
    b_ = std::make_unique<HttpTarget>("beta", "127.0.0.12");
    ASSERT_OK(a_->Start());
    ASSERT_OK(b_->Start());
  }

  TargetGroupConfig Group(std::vector<HttpTarget*> targets, HealthCheckSpec health = FastChecks()) {
    TargetGroupConfig g;
    g.arn = "tg-1";
    g.health = health;
    g.deregistration_delay = std::chrono::milliseconds(300);
    for (HttpTarget* t : targets) {
      g.targets.push_back({t->address(), t->port(), t->address()});
    }
    return g;
  }

  ListenerConfig HttpListener(const std::string& protocol = "HTTP") {
    ListenerConfig l;
    l.arn = "listener-1";
    l.address = "127.240.9.1";
    l.port = 0;
    l.protocol = protocol;
    l.default_action = Forward("tg-1");
    return l;
  }

  uint16_t Apply(const DataPlaneConfig& config) {
    auto errors = plane_.Apply(config);
    EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.begin()->second);
    return plane_.BoundPort("listener-1");
  }

  // Waits up to 5 s until every target of tg-1 is in `state`.
  bool WaitFor(TargetState state, size_t count) {
    for (int i = 0; i < 500; ++i) {
      auto health = plane_.Health("tg-1");
      size_t n = 0;
      for (const auto& h : health) {
        n += h.health.state == state;
      }
      if (n == count) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  TargetState StateOf(const std::string& id) {
    for (const auto& h : plane_.Health("tg-1")) {
      if (h.id == id) {
        return h.health.state;
      }
    }
    return TargetState::kUnused;
  }

  std::unique_ptr<HttpTarget> a_;
  std::unique_ptr<HttpTarget> b_;
  DataPlane plane_{DataPlaneOptions{}};
};

TEST_F(DataPlaneTest, HealthyTargetsShareRequestsRoundRobinWithForwardedHeaders) {
  uint16_t port = Apply({{HttpListener()}, {Group({a_.get(), b_.get()})}});
  ASSERT_NE(port, 0);
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 2));
  std::map<std::string, int> seen;
  for (int i = 0; i < 10; ++i) {
    Response r = Get("127.240.9.1", port, "/page");
    ASSERT_EQ(r.status, 200);
    seen[r.body]++;
    EXPECT_EQ(r.headers["x-seen-forwarded-for"], "127.0.0.1");
    EXPECT_EQ(r.headers["x-seen-forwarded-proto"], "http");
    EXPECT_EQ(r.headers["x-seen-forwarded-port"], std::to_string(port));
  }
  EXPECT_EQ(seen["alpha\n"], 5);
  EXPECT_EQ(seen["beta\n"], 5);
  EXPECT_GT(a_->health_checks(), 0);
}

TEST_F(DataPlaneTest, KeepAliveCarriesManyRequestsOnOneConnectionAndAppendsForwardedFor) {
  uint16_t port = Apply({{HttpListener()}, {Group({a_.get(), b_.get()})}});
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 2));
  Client client("127.240.9.1", port);
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 6; ++i) {
    Response r = client.Request("GET", "/x", "X-Forwarded-For: 198.51.100.7\r\n");
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.headers["x-seen-forwarded-for"], "198.51.100.7, 127.0.0.1");
  }
  Response head = client.Request("HEAD", "/x");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(a_->requests() + b_->requests(), 7);
}

TEST_F(DataPlaneTest, StopsSendingToATargetWhoseHealthCheckFails) {
  uint16_t port = Apply({{HttpListener()}, {Group({a_.get(), b_.get()})}});
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 2));
  b_->set_health_status(500);
  ASSERT_TRUE(WaitFor(TargetState::kUnhealthy, 1));
  EXPECT_EQ(StateOf("127.0.0.12"), TargetState::kUnhealthy);
  for (const auto& h : plane_.Health("tg-1")) {
    if (h.id == "127.0.0.12") {
      EXPECT_EQ(h.health.reason, "Target.ResponseCodeMismatch");
    }
  }
  int64_t before = b_->requests();
  for (int i = 0; i < 8; ++i) {
    Response r = Get("127.240.9.1", port, "/page");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "alpha\n");
  }
  EXPECT_EQ(b_->requests(), before);
  // It recovers after healthy_threshold good checks.
  b_->set_health_status(200);
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 2));
}

TEST_F(DataPlaneTest, FailsOpenWhenNoTargetIsHealthy) {
  uint16_t port = Apply({{HttpListener()}, {Group({a_.get()})}});
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 1));
  a_->set_health_status(503);
  ASSERT_TRUE(WaitFor(TargetState::kUnhealthy, 1));
  EXPECT_EQ(Get("127.240.9.1", port, "/page").body, "alpha\n");
}

TEST_F(DataPlaneTest, AnswersThe503And502OfAnAlb) {
  uint16_t port = Apply({{HttpListener()}, {Group({})}});
  EXPECT_EQ(Get("127.240.9.1", port, "/").status, 503);
  // A target that refuses connections, with health checks off so it is still picked.
  HealthCheckSpec off = FastChecks();
  off.enabled = false;
  TargetGroupConfig g = Group({}, off);
  g.targets.push_back({"127.0.0.13", 1, "127.0.0.13"});
  Apply({{HttpListener()}, {g}});
  EXPECT_EQ(plane_.Health("tg-1")[0].health.state, TargetState::kUnavailable);
  EXPECT_EQ(Get("127.240.9.1", port, "/").status, 502);
}

TEST_F(DataPlaneTest, RulesPickFixedResponsesRedirectsAndGroups) {
  ListenerConfig l = HttpListener();
  RuleSpec fixed;
  fixed.priority = 10;
  fixed.conditions = Json::parse(R"([{"Field": "path-pattern", "Values": ["/static/*"]}])");
  fixed.action.type = ActionSpec::Type::kFixedResponse;
  fixed.action.status = 404;
  fixed.action.content_type = "text/plain";
  fixed.action.body = "no static here";
  RuleSpec redirect;
  redirect.priority = 20;
  redirect.conditions = Json::parse(R"([{"Field": "path-pattern", "Values": ["/old*"]}])");
  redirect.action.type = ActionSpec::Type::kRedirect;
  redirect.action.redirect = Json::parse(R"({"Path": "/new/#{path}", "StatusCode": "HTTP_301"})");
  l.rules = {fixed, redirect};
  uint16_t port = Apply({{l}, {Group({a_.get()})}});
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 1));
  Response r = Get("127.240.9.1", port, "/static/x.css");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "no static here");
  r = Get("127.240.9.1", port, "/old/page?q=1");
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.headers["location"], fmt::format("http://lb.test:{}/new/old/page?q=1", port));
  EXPECT_EQ(Get("127.240.9.1", port, "/other").body, "alpha\n");
  EXPECT_EQ(a_->requests(), 1);
}

TEST_F(DataPlaneTest, TcpListenerPipesBytesToTargets) {
  HealthCheckSpec tcp = FastChecks();
  tcp.protocol = "TCP";
  TargetGroupConfig g = Group({a_.get(), b_.get()}, tcp);
  g.protocol = "TCP";
  uint16_t port = Apply({{HttpListener("TCP")}, {g}});
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 2));
  std::map<std::string, int> seen;
  for (int i = 0; i < 4; ++i) {
    Response r = Get("127.240.9.1", port, "/raw");
    ASSERT_EQ(r.status, 200);
    seen[r.body]++;
    // No HTTP processing on a TCP listener: no forwarded headers are added.
    EXPECT_EQ(r.headers["x-seen-forwarded-for"], "");
  }
  EXPECT_EQ(seen["alpha\n"], 2);
  EXPECT_EQ(seen["beta\n"], 2);
}

TEST_F(DataPlaneTest, DeregisteredTargetsDrainThenLeave) {
  uint16_t port = Apply({{HttpListener()}, {Group({a_.get(), b_.get()})}});
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 2));
  Apply({{HttpListener()}, {Group({a_.get()})}});
  EXPECT_EQ(StateOf("127.0.0.12"), TargetState::kDraining);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Get("127.240.9.1", port, "/").body, "alpha\n");
  }
  for (int i = 0; i < 200 && plane_.Health("tg-1").size() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(plane_.Health("tg-1").size(), 1u);
}

TEST_F(DataPlaneTest, GroupBehindNoListenerIsUnusedAndNotProbed) {
  Apply({{}, {Group({a_.get()})}});
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_EQ(plane_.Health("tg-1").size(), 1u);
  EXPECT_EQ(plane_.Health("tg-1")[0].health.reason, "Target.NotInUse");
  EXPECT_EQ(a_->health_checks(), 0);
}

TEST_F(DataPlaneTest, RefusesNonLoopbackAddressesAndReportsBindErrors) {
  ListenerConfig bad = HttpListener();
  bad.address = "10.0.0.1";
  auto errors = plane_.Apply({{bad}, {}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors["listener-1"].find("not a loopback address"), std::string::npos);
  ListenerConfig taken = HttpListener();
  taken.address = "127.0.0.11";
  taken.port = a_->port();
  errors = plane_.Apply({{taken}, {}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors["listener-1"].find("cannot listen on 127.0.0.11"), std::string::npos);
}

TEST_F(DataPlaneTest, ClosingAListenerStopsServing) {
  uint16_t port = Apply({{HttpListener()}, {Group({a_.get()})}});
  ASSERT_TRUE(WaitFor(TargetState::kHealthy, 1));
  EXPECT_EQ(Get("127.240.9.1", port, "/").status, 200);
  plane_.Apply({{}, {Group({a_.get()})}});
  Client c("127.240.9.1", port);
  EXPECT_FALSE(c.connected());
}

// ---- the pure pieces ----

TEST(HealthTrackerTest, FollowsThresholdsAndReasons) {
  HealthCheckSpec spec;
  spec.healthy_threshold = 3;
  spec.unhealthy_threshold = 2;
  HealthTracker t;
  EXPECT_EQ(t.view().reason, "Elb.RegistrationInProgress");
  t.Record(ProbeOutcome::kSuccess, spec);
  t.Record(ProbeOutcome::kSuccess, spec);
  EXPECT_EQ(t.view().state, TargetState::kInitial);
  EXPECT_EQ(t.view().reason, "Elb.InitialHealthChecking");
  t.Record(ProbeOutcome::kSuccess, spec);
  EXPECT_EQ(t.view().state, TargetState::kHealthy);
  t.Record(ProbeOutcome::kTimeout, spec);
  EXPECT_EQ(t.view().state, TargetState::kHealthy);
  t.Record(ProbeOutcome::kCodeMismatch, spec, 500);
  EXPECT_EQ(t.view().state, TargetState::kUnhealthy);
  EXPECT_EQ(t.view().reason, "Target.ResponseCodeMismatch");
  EXPECT_EQ(t.view().description, "Health checks failed with these codes: [500]");
  t.Record(ProbeOutcome::kTimeout, spec);
  EXPECT_EQ(t.view().reason, "Target.Timeout");
  t.Record(ProbeOutcome::kSuccess, spec);
  t.Record(ProbeOutcome::kSuccess, spec);
  EXPECT_EQ(t.view().state, TargetState::kUnhealthy);
  t.Record(ProbeOutcome::kSuccess, spec);
  EXPECT_EQ(t.view().state, TargetState::kHealthy);
}

TEST(HttpCodeMatcherTest, ParsesListsAndRanges) {
  auto m = HttpCodeMatcher::Parse("200,202-204,301");
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->Matches(200));
  EXPECT_TRUE(m->Matches(203));
  EXPECT_TRUE(m->Matches(301));
  EXPECT_FALSE(m->Matches(201));
  EXPECT_FALSE(m->Matches(500));
  EXPECT_FALSE(HttpCodeMatcher::Parse(""));
  EXPECT_FALSE(HttpCodeMatcher::Parse("20"));
  EXPECT_FALSE(HttpCodeMatcher::Parse("600"));
  EXPECT_FALSE(HttpCodeMatcher::Parse("300-200"));
  EXPECT_FALSE(HttpCodeMatcher::Parse("200,"));
}

TEST(RulesTest, ConditionsMatchAsAlbDoes) {
  RequestFacts r;
  r.method = "POST";
  r.host = "API.example.com:8080";
  r.path = "/v1/users";
  r.query = "debug=true&x=a%20b";
  r.source_ip = "127.0.0.5";
  r.headers = {{"user-agent", "curl/8.0"}};
  auto match = [&](const char* json) { return ConditionsMatch(Json::parse(json), r); };
  EXPECT_TRUE(match(R"([{"Field": "host-header", "Values": ["*.example.com"]}])"));
  EXPECT_FALSE(match(R"([{"Field": "host-header", "Values": ["example.com"]}])"));
  EXPECT_TRUE(match(R"([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/v?/*"]}}])"));
  EXPECT_FALSE(match(R"([{"Field": "path-pattern", "Values": ["/V1/*"]}])"));
  EXPECT_TRUE(match(
      R"([{"Field": "http-request-method", "HttpRequestMethodConfig": {"Values": ["POST"]}}])"));
  EXPECT_TRUE(match(R"([{"Field": "source-ip", "SourceIpConfig": {"Values": ["127.0.0.0/24"]}}])"));
  EXPECT_FALSE(
      match(R"([{"Field": "source-ip", "SourceIpConfig": {"Values": ["127.0.1.0/24"]}}])"));
  EXPECT_TRUE(match(
      R"([{"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "User-Agent", "Values": ["curl/*"]}}])"));
  EXPECT_TRUE(match(
      R"([{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "x", "Value": "a b"}]}}])"));
  EXPECT_FALSE(match(
      R"([{"Field": "query-string", "QueryStringConfig": {"Values": [{"Key": "debug", "Value": "false"}]}}])"));
  // All conditions of a rule must hold.
  EXPECT_FALSE(match(
      R"([{"Field": "path-pattern", "Values": ["/v1/*"]}, {"Field": "http-request-method", "Values": ["GET"]}])"));
}

TEST(RulesTest, RedirectsSubstituteTheRequestsParts) {
  RequestFacts r;
  r.host = "shop.example.com";
  r.path = "/cart";
  r.query = "id=3";
  r.port = 80;
  auto [location, status] = RedirectTarget(
      Json::parse(R"({"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"})"), r);
  EXPECT_EQ(location, "https://shop.example.com/cart?id=3");
  EXPECT_EQ(status, 301);
  auto [other, code] = RedirectTarget(
      Json::parse(
          R"({"Host": "#{host}.local", "Port": "8080", "Query": "", "StatusCode": "HTTP_302"})"),
      r);
  EXPECT_EQ(other, "http://shop.example.com.local:8080/cart");
  EXPECT_EQ(code, 302);
}

TEST(RulesTest, TerminalActionIsTheLastByOrderAndChecked) {
  std::string error;
  auto a = TerminalAction(Json::parse(R"([{"Type": "forward", "TargetGroupArn": "tg"}])"), &error);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->target_groups[0].first, "tg");
  EXPECT_FALSE(TerminalAction(Json::array(), &error));
  EXPECT_FALSE(TerminalAction(
      Json::parse(R"([{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "302"}}])"),
      &error));
  EXPECT_NE(error.find("302"), std::string::npos);
  auto weighted = TerminalAction(
      Json::parse(
          R"([{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": "a", "Weight": 3}, {"TargetGroupArn": "b", "Weight": 1}]}}])"),
      &error);
  ASSERT_TRUE(weighted);
  EXPECT_EQ(weighted->target_groups.size(), 2u);
  EXPECT_EQ(weighted->target_groups[0].second, 3);
  EXPECT_TRUE(WildcardMatch("a*b?c", "axxbyc", false));
  EXPECT_FALSE(WildcardMatch("a*b?c", "axxbc", false));
}

}  // namespace
}  // namespace cf::cloud::elbv2
