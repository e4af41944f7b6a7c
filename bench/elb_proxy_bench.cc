// Requests per second through an ALB listener of the local cloud's data plane (HTTP/1.1,
// keep-alive, round-robin to two targets) against the same targets directly. Client, proxy and
// targets share the machine's cores. Each benchmark thread is one keep-alive client.

#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cloud/elbv2/data_plane.h"
#include "testing/http_target.h"

namespace {

using cf::cloud::elbv2::ActionSpec;
using cf::cloud::elbv2::DataPlane;
using cf::cloud::elbv2::DataPlaneOptions;
using cf::cloud::elbv2::HealthCheckSpec;
using cf::cloud::elbv2::ListenerConfig;
using cf::cloud::elbv2::TargetGroupConfig;

struct Fixture {
  std::unique_ptr<cf::HttpTarget> a;
  std::unique_ptr<cf::HttpTarget> b;
  std::unique_ptr<DataPlane> plane;
  uint16_t listener_port = 0;
};

Fixture& Shared() {
  static Fixture* fixture = [] {
    auto* f = new Fixture;
    f->a = std::make_unique<cf::HttpTarget>("alpha", "127.0.0.31");
    f->b = std::make_unique<cf::HttpTarget>("beta", "127.0.0.32");
    (void)f->a->Start();
    (void)f->b->Start();
    DataPlaneOptions options;
    options.threads = 2;
    f->plane = std::make_unique<DataPlane>(options);
    TargetGroupConfig g;
    g.arn = "tg";
    g.health.path = "/health";
    g.health.interval = std::chrono::milliseconds(200);
    g.health.healthy_threshold = 2;
    g.targets = {{"127.0.0.31", f->a->port(), "127.0.0.31"},
                 {"127.0.0.32", f->b->port(), "127.0.0.32"}};
    ListenerConfig l;
    l.arn = "listener";
    l.address = "127.240.99.1";
    l.port = 0;
    l.default_action.type = ActionSpec::Type::kForward;
    l.default_action.target_groups = {{"tg", 1}};
    f->plane->Apply({{l}, {g}});
    f->listener_port = f->plane->BoundPort("listener");
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // targets healthy
    return f;
  }();
  return *fixture;
}

int Connect(const std::string& address, uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, address.c_str(), &addr.sin_addr);
  ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

// One GET on a keep-alive connection; false when the answer was not a whole 200.
bool Get(int fd, std::string& buffer) {
  static const std::string kRequest = "GET /page HTTP/1.1\r\nHost: bench\r\n\r\n";
  if (::send(fd, kRequest.data(), kRequest.size(), MSG_NOSIGNAL) < 0) {
    return false;
  }
  char chunk[4096];
  while (true) {
    size_t end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      size_t cl = buffer.find("Content-Length: ");
      size_t length = cl == std::string::npos ? 0 : std::stoul(buffer.substr(cl + 16));
      if (buffer.size() >= end + 4 + length) {
        bool ok = buffer.compare(9, 3, "200") == 0;
        buffer.erase(0, end + 4 + length);
        return ok;
      }
    }
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      return false;
    }
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

void Run(benchmark::State& state, bool through_proxy) {
  Fixture& f = Shared();
  int fd =
      through_proxy ? Connect("127.240.99.1", f.listener_port) : Connect("127.0.0.31", f.a->port());
  std::string buffer;
  int64_t failures = 0;
  for (auto _ : state) {
    if (!Get(fd, buffer)) {
      ++failures;
    }
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
  state.counters["req_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Direct(benchmark::State& state) {
  Run(state, false);
}
void BM_ThroughAlb(benchmark::State& state) {
  Run(state, true);
}

BENCHMARK(BM_Direct)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);
BENCHMARK(BM_ThroughAlb)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
