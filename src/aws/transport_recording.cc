#include "aws/transport_recording.h"

#include <algorithm>

namespace cf::aws {

void RecordingTransport::Enqueue(Result<HttpResponse> reply) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(reply));
}

void RecordingTransport::EnqueueResponse(int status, std::string body, HttpHeaders headers) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  Enqueue(std::move(response));
}

Result<HttpResponse> RecordingTransport::Send(std::string_view base_url,
                                              const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back({std::string(base_url), request});
    if (!queue_.empty()) {
      Result<HttpResponse> reply = std::move(queue_.front());
      queue_.pop_front();
      return reply;
    }
    handler = handler_;
  }
  if (handler) {
    return handler(base_url, request);
  }
  return UnavailableError("RecordingTransport: no reply scripted for " + request.method + " " +
                          std::string(base_url) + request.path);
}

std::vector<RecordedRequest> RecordingTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t RecordingTransport::request_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

Result<HttpResponse> FaultInjectingTransport::Send(std::string_view base_url,
                                                   const HttpRequest& request) {
  int call = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    call = ++calls_;
  }
  if (std::find(fail_calls_.begin(), fail_calls_.end(), call) != fail_calls_.end()) {
    return error_;
  }
  return inner_.Send(base_url, request);
}

}  // namespace cf::aws
