#pragma once

// Where to send a service's requests and how to sign them: https://{prefix}.{region}.{dns
// suffix} with the known exceptions (IAM and Route 53 are global and signed for us-east-1;
// S3 in us-east-1 is s3.amazonaws.com), or one custom endpoint URL for every service (the
// local cloud, `--endpoint-url`).

#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::aws {

struct Endpoint {
  std::string scheme;          // "https" or "http"
  std::string host;            // "ec2.us-east-1.amazonaws.com" or "127.0.0.1"
  int port = 0;                // 0: the scheme's default
  std::string base_path;       // a custom endpoint's path prefix without trailing '/', or ""
  std::string signing_region;  // the region in the credential scope
  std::string signing_name;    // the service in the credential scope

  // "https://ec2.us-east-1.amazonaws.com" / "http://127.0.0.1:4566".
  std::string Url() const;
  // The Host header value: host, plus ":port" when the port is not the scheme's default.
  std::string HostHeader() const;
};

struct EndpointOptions {
  // When set, every service goes there ("http://127.0.0.1:4566").
  std::string custom_url;
};

// The endpoint of a service. `endpoint_prefix` and `signing_name` come from the service
// model's metadata (for EC2 both are "ec2"; for ELBv2 "elasticloadbalancing"; for Step
// Functions "states"). InvalidArgument for an empty region (outside the global services) or a
// malformed custom URL.
Result<Endpoint> ResolveEndpoint(std::string_view endpoint_prefix, std::string_view signing_name,
                                 std::string_view region, const EndpointOptions& options = {});

// Parses "scheme://host[:port][/path]". InvalidArgument when it is not such a URL.
Result<Endpoint> ParseEndpointUrl(std::string_view url);

}  // namespace cf::aws
