#pragma once

// The EC2 instance metadata service, version 2 (session tokens): the instance role's
// credentials and the instance's region. On the local cloud every instance has its own
// IMDS endpoint, so the same code runs there.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/credentials_chain.h"
#include "aws/transport.h"
#include "base/clock.h"

namespace cf::aws {

struct ImdsOptions {
  // AWS_EC2_METADATA_SERVICE_ENDPOINT overrides it (the local cloud's per-instance address).
  std::string endpoint = "http://169.254.169.254";
  std::chrono::seconds token_ttl{21600};
};

// The options from AWS_EC2_METADATA_SERVICE_ENDPOINT (trailing '/' removed), or defaults.
ImdsOptions ImdsOptionsFromEnvironment(const Environment& env);

// Talks IMDSv2: PUT /latest/api/token once (renewed a minute before its TTL ends, or when a
// GET answers 401), then GETs with X-aws-ec2-metadata-token. Give it a transport with short
// timeouts (about 1 s): off EC2 nothing answers. Thread-safe.
class ImdsClient {
 public:
  ImdsClient(HttpTransport& transport, const Clock& clock, ImdsOptions options = {});

  // The body of GET `path` ("/latest/meta-data/placement/region"). NotFound on 404;
  // Unavailable when IMDS cannot be reached.
  Result<std::string> Get(const std::string& path);
  Result<std::string> Region();

 private:
  Result<std::string> Token(bool force_new);

  HttpTransport& transport_;
  const Clock& clock_;
  const ImdsOptions options_;
  std::mutex mu_;
  std::string token_;                                      // guarded by mu_
  std::chrono::steady_clock::time_point token_expires_{};  // guarded by mu_
};

// The instance role's credentials (GET /latest/meta-data/iam/security-credentials/ for the
// role name, then .../ROLE), kept until five minutes before they expire. NotFound when IMDS
// cannot be reached or the instance has no role (so a chain moves on); Unavailable when a
// refresh fails but nothing valid is cached. Thread-safe.
class ImdsCredentialsProvider : public CredentialsProvider {
 public:
  ImdsCredentialsProvider(ImdsClient& imds, const Clock& clock) : imds_(imds), clock_(clock) {}
  Result<Credentials> GetCredentials() override;

 private:
  Result<Credentials> Fetch();

  ImdsClient& imds_;
  const Clock& clock_;
  std::mutex mu_;
  std::optional<Credentials> cached_;  // guarded by mu_
};

// "2015-08-30T12:36:00Z" (fractions of a second allowed). Nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

}  // namespace cf::aws
