#pragma once

// A fake HttpTransport for tests: records every request and answers from a script (a queue
// of responses or errors) or from a handler function. Wrap a real transport with
// FaultInjectingTransport to make chosen calls fail.

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "aws/transport.h"

namespace cf::aws {

struct RecordedRequest {
  std::string base_url;
  HttpRequest request;
};

// Thread-safe.
class RecordingTransport : public HttpTransport {
 public:
  using Handler =
      std::function<Result<HttpResponse>(std::string_view base_url, const HttpRequest& request)>;

  RecordingTransport() = default;
  // Every request goes to `handler` (after the queued replies run out).
  explicit RecordingTransport(Handler handler) : handler_(std::move(handler)) {}

  // Queues one reply (a response or an error), used in order before the handler.
  void Enqueue(Result<HttpResponse> reply);
  // Shorthand: a response with this status, body and headers.
  void EnqueueResponse(int status, std::string body, HttpHeaders headers = {});

  Result<HttpResponse> Send(std::string_view base_url, const HttpRequest& request) override;

  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;

 private:
  mutable std::mutex mu_;
  Handler handler_;
  std::deque<Result<HttpResponse>> queue_;  // guarded by mu_
  std::vector<RecordedRequest> requests_;   // guarded by mu_
};

// Forwards to another transport, but the calls numbered in `fail_calls` (1-based) fail with
// `error` instead of being sent. Thread-safe.
class FaultInjectingTransport : public HttpTransport {
 public:
  FaultInjectingTransport(HttpTransport& inner, Status error, std::vector<int> fail_calls)
      : inner_(inner), error_(std::move(error)), fail_calls_(std::move(fail_calls)) {}
  Result<HttpResponse> Send(std::string_view base_url, const HttpRequest& request) override;

 private:
  HttpTransport& inner_;
  const Status error_;
  const std::vector<int> fail_calls_;
  std::mutex mu_;
  int calls_ = 0;  // guarded by mu_
};

}  // namespace cf::aws
