#pragma once

// A small HTTP/1.1 server for tests and benchmarks of the load balancers: it binds a given
// loopback address (any 127.x.y.z) and answers every request with its own name, so a test sees
// which target a request reached. Keep-alive is honoured; one thread per connection.
//   GET <health_path>  -> health_status() (200 by default), body "ok"
//   anything else      -> 200, body "<name>\n", with X-Target: <name> and
//                         X-Seen-Forwarded-For / X-Seen-Forwarded-Proto / X-Seen-Forwarded-Port
//                         echoing what the request carried
// Thread-safe.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace cf {

class HttpTarget {
 public:
  HttpTarget(std::string name, std::string address, std::string health_path = "/health");
  ~HttpTarget();  // Stops.
  HttpTarget(const HttpTarget&) = delete;
  HttpTarget& operator=(const HttpTarget&) = delete;

  // Binds address:port (0: any free port) and serves.
  Status Start(uint16_t port = 0);
  void Stop();

  uint16_t port() const { return port_; }
  const std::string& address() const { return address_; }
  // Requests answered other than health checks.
  int64_t requests() const { return requests_.load(); }
  int64_t health_checks() const { return health_checks_.load(); }
  // The status GET <health_path> answers from now on.
  void set_health_status(int status) { health_status_.store(status); }

 private:
  void AcceptLoop();
  void Serve(int fd);

  std::string name_;
  std::string address_;
  std::string health_path_;
  uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<int> health_status_{200};
  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> health_checks_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> connections_;      // guarded by mu_
  std::vector<std::thread> workers_;  // guarded by mu_
};

}  // namespace cf
