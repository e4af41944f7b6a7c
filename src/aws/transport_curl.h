#pragma once

// HttpTransport over libcurl. Easy handles are pooled, so connections (and TLS sessions) are
// reused across requests; TLS peers are always verified.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "aws/transport.h"

namespace cf::aws {

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{60000};  // whole request, 0: none
  // A CA bundle file; empty: the system's.
  std::string ca_file;
  // Handles kept idle for reuse.
  size_t max_idle_handles = 16;
  std::string user_agent = "clusterform";
};

// Thread-safe: each Send takes a handle from the pool (or makes one) and gives it back.
class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(std::string_view base_url, const HttpRequest& request) override;

 private:
  void* AcquireHandle();
  void ReleaseHandle(void* handle);

  const CurlTransportOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles; guarded by mu_
};

}  // namespace cf::aws
