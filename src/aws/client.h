#pragma once

// The AWS client: (service, operation, params tree) -> output tree or the service's error.
// It composes the embedded model and codec (codec.h), the endpoint, the credentials, the
// SigV4 signer, the transport and the standard retry mode; paginators and waiters come from
// the same model.
//
//   Models models;  SystemClock clock;  CurlTransport transport;  SystemRandomSource random;
//   Client client(models, *credentials, transport, clock, random, {.region = "us-east-1"});
//   Result<json> out = client.Call("ec2", "DescribeInstances", {{"InstanceIds", {"i-1"}}});

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "aws/codec.h"
#include "aws/credentials.h"
#include "aws/credentials_chain.h"
#include "aws/endpoint.h"
#include "aws/models.h"
#include "aws/paginator.h"
#include "aws/retry.h"
#include "aws/transport.h"
#include "aws/waiter.h"
#include "base/clock.h"

namespace cf::aws {

struct ClientOptions {
  std::string region;
  // One endpoint for every service ("http://127.0.0.1:4566"); empty: AWS's endpoints.
  std::string endpoint_url;
  RetryOptions retry;
  std::string user_agent = "clusterform/0.1";
};

// The answer to one call, after retries: the output, or the error the service returned.
struct AwsResponse {
  nlohmann::json output = nlohmann::json::object();
  std::optional<AwsError> error;
  int http_status = 0;
  int attempts = 0;
  bool ok() const { return !error.has_value(); }
};

// Maps an AWS error to a Status callers can act on: NotFound (…NotFound, NoSuch…, 404),
// PermissionDenied (AccessDenied, UnauthorizedOperation, bad credentials, 403), Conflict
// (…AlreadyExists, …InUse, DependencyViolation, ConditionalCheckFailed…, 409), Unavailable
// (throttling, 5xx), else InvalidArgument. The message reads
// "ec2.DescribeInstances: InvalidInstanceID.NotFound: The instance ID 'i-1' does not exist".
Status AwsErrorToStatus(const AwsError& error, std::string_view service,
                        std::string_view operation);

// Thread-safe: the retry quota and the learned clock skew are shared by all calls, as the
// AWS SDKs do per client. The references must outlive the client.
class Client {
 public:
  Client(const Models& models, CredentialsProvider& credentials, HttpTransport& transport,
         Clock& clock, RandomSource& random, ClientOptions options);

  // Serializes, signs, sends and parses, retrying per the standard mode. A Status only when
  // no AWS answer was had: unknown service or operation, params that do not fit the input
  // shape (InvalidArgument naming the member), no credentials, an unreachable endpoint
  // after retries (Unavailable / DeadlineExceeded), an unreadable response.
  Result<AwsResponse> Invoke(std::string_view service, std::string_view operation,
                             const nlohmann::json& params);

  // Invoke with AWS errors folded into the Status (AwsErrorToStatus).
  Result<nlohmann::json> Call(std::string_view service, std::string_view operation,
                              const nlohmann::json& params);

  // Every page of a paginated operation, merged (paginator.h). NotFound when the operation
  // does not paginate.
  Result<nlohmann::json> Paginate(std::string_view service, std::string_view operation,
                                  const nlohmann::json& params,
                                  const PaginateOptions& options = {});

  // Waits with the model's waiter `waiter` ("InstanceRunning"), polling its operation with
  // `params` (waiter.h for the outcomes).
  Status Wait(std::string_view service, std::string_view waiter, const nlohmann::json& params,
              const WaitOptions& options = {});

  // A presigned URL for one call (S3 GetObject / PutObject): anyone holding it may make that
  // request without credentials until `expires` (1 s to 7 days) has passed. Only the Host
  // header is signed; S3 payloads are UNSIGNED-PAYLOAD.
  Result<std::string> Presign(std::string_view service, std::string_view operation,
                              const nlohmann::json& params, std::chrono::seconds expires);

  const ClientOptions& options() const { return options_; }
  const RetryStrategy& retry_strategy() const { return retry_; }
  const ClockSkew& clock_skew() const { return skew_; }

 private:
  const Models& models_;
  CredentialsProvider& credentials_;
  HttpTransport& transport_;
  Clock& clock_;
  const ClientOptions options_;
  ClockSkew skew_;
  RetryStrategy retry_;
};

// StsClient (for role profiles) over a Client: each AssumeRole signs with the source
// credentials it is given.
class ClientStsClient : public StsClient {
 public:
  ClientStsClient(const Models& models, HttpTransport& transport, Clock& clock,
                  RandomSource& random, ClientOptions options)
      : models_(models),
        transport_(transport),
        clock_(clock),
        random_(random),
        options_(std::move(options)) {}
  Result<Credentials> AssumeRole(const Credentials& source,
                                 const AssumeRoleRequest& request) override;

 private:
  const Models& models_;
  HttpTransport& transport_;
  Clock& clock_;
  RandomSource& random_;
  const ClientOptions options_;
};

}  // namespace cf::aws
