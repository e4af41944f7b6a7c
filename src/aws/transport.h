#pragma once

// Sending HTTP requests, behind an interface: CurlTransport (transport_curl.h) for real,
// RecordingTransport (transport_recording.h) in tests.

#include <string_view>

#include "aws/http.h"
#include "base/status.h"

namespace cf::aws {

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Sends `request` to `base_url` ("https://ec2.us-east-1.amazonaws.com",
  // "http://127.0.0.1:4566") followed by request.path, exactly as given: headers (including
  // Host and Authorization) and body are sent unchanged, and redirects are not followed.
  // Any HTTP status is a response. Errors: Unavailable when the connection failed or broke
  // (refused, reset, DNS, no reply), DeadlineExceeded on a timeout, PermissionDenied when
  // the TLS peer failed verification, InvalidArgument for a malformed URL.
  // Implementations are thread-safe.
  virtual Result<HttpResponse> Send(std::string_view base_url, const HttpRequest& request) = 0;
};

}  // namespace cf::aws
