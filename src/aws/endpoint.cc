#include "aws/endpoint.h"

#include <charconv>

namespace cf::aws {

namespace {

int DefaultPort(std::string_view scheme) {
  return scheme == "https" ? 443 : 80;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string DnsSuffix(std::string_view region) {
  if (StartsWith(region, "cn-")) {
    return "amazonaws.com.cn";
  }
  return "amazonaws.com";
}

// The region global services are signed for in the region's partition.
std::string GlobalSigningRegion(std::string_view region) {
  if (StartsWith(region, "cn-")) {
    return "cn-north-1";
  }
  if (StartsWith(region, "us-gov-")) {
    return "us-gov-west-1";
  }
  return "us-east-1";
}

}  // namespace

std::string Endpoint::Url() const {
  std::string url;
  url.append(scheme).append("://").append(host);
  if (port != 0 && port != DefaultPort(scheme)) {
    url.append(":").append(std::to_string(port));
  }
  url.append(base_path);
  return url;
}

std::string Endpoint::HostHeader() const {
  if (port != 0 && port != DefaultPort(scheme)) {
    std::string out = host;
    out.append(":").append(std::to_string(port));
    return out;
  }
  return host;
}

Result<Endpoint> ParseEndpointUrl(std::string_view url) {
  Endpoint e;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) {
    return InvalidArgumentError("endpoint URL \"" + std::string(url) +
                                "\" must start with http:// or https://");
  }
  e.scheme = std::string(url.substr(0, sep));
  if (e.scheme != "http" && e.scheme != "https") {
    return InvalidArgumentError("endpoint URL \"" + std::string(url) +
                                "\" must start with http:// or https://");
  }
  std::string_view rest = url.substr(sep + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (!path.empty() && path.back() == '/') {
      path.remove_suffix(1);
    }
    e.base_path = std::string(path);
  }
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    int value = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value <= 0 || value > 65535) {
      return InvalidArgumentError("endpoint URL \"" + std::string(url) + "\" has a bad port");
    }
    e.port = value;
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) {
    return InvalidArgumentError("endpoint URL \"" + std::string(url) + "\" has no host");
  }
  e.host = std::string(authority);
  return e;
}

Result<Endpoint> ResolveEndpoint(std::string_view endpoint_prefix, std::string_view signing_name,
                                 std::string_view region, const EndpointOptions& options) {
  const bool global = endpoint_prefix == "iam" || endpoint_prefix == "route53";
  if (region.empty() && !global) {
    return InvalidArgumentError(
        "no region: pass --region, set AWS_REGION, or set region in the profile");
  }
  Endpoint e;
  if (!options.custom_url.empty()) {
    ASSIGN_OR_RETURN(e, ParseEndpointUrl(options.custom_url));
  } else {
    e.scheme = "https";
    const std::string suffix = DnsSuffix(region);
    if (global) {
      if (StartsWith(region, "cn-")) {
        e.host.append(endpoint_prefix).append(".cn-north-1.").append(suffix);
      } else if (StartsWith(region, "us-gov-")) {
        e.host.append(endpoint_prefix).append(".us-gov.").append(suffix);
      } else {
        e.host.append(endpoint_prefix).append(".").append(suffix);
      }
    } else if (endpoint_prefix == "s3" && region == "us-east-1") {
      e.host = "s3.amazonaws.com";
    } else {
      e.host.append(endpoint_prefix).append(".").append(region).append(".").append(suffix);
    }
  }
  e.signing_name = std::string(signing_name.empty() ? endpoint_prefix : signing_name);
  e.signing_region = global ? GlobalSigningRegion(region) : std::string(region);
  return e;
}

}  // namespace cf::aws
