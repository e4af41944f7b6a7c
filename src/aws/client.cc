#include "aws/client.h"

#include "aws/sigv4.h"
#include "base/base64.h"
#include "base/crypto.h"

namespace cf::aws {

using nlohmann::json;

namespace {

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Where to send: scheme://[host_prefix]host[:port][base_path], and the Host header.
struct Target {
  std::string base_url;
  std::string host_header;
};

Target MakeTarget(const Endpoint& endpoint, const HttpRequest& request, bool custom_endpoint) {
  // Host prefixes ("data.") only make sense on AWS's own DNS names.
  const std::string prefix = custom_endpoint ? "" : request.host_prefix;
  Target t;
  t.host_header = prefix + endpoint.HostHeader();
  t.base_url = endpoint.scheme + "://" + t.host_header + endpoint.base_path;
  return t;
}

// Operations S3 refuses without a body checksum (PutBucketPolicy, DeleteObjects, ...).
bool NeedsContentMd5(const Operation& op) {
  const json& d = op.definition;
  if (!d.is_object()) {
    return false;
  }
  if (d.value("httpChecksumRequired", false)) {
    return true;
  }
  auto checksum = d.find("httpChecksum");
  return checksum != d.end() && checksum->is_object() &&
         checksum->value("requestChecksumRequired", false);
}

}  // namespace

Status AwsErrorToStatus(const AwsError& error, std::string_view service,
                        std::string_view operation) {
  std::string message = std::string(service) + "." + std::string(operation) + ": " + error.code;
  if (!error.message.empty()) {
    message += ": " + error.message;
  }
  if (!error.request_id.empty()) {
    message += " (request id " + error.request_id + ")";
  }
  const std::string& code = error.code;
  if (IsThrottlingCode(code) || error.http_status >= 500 || code == "RequestTimeout" ||
      code == "InternalError" || code == "InternalFailure" || code == "ServiceUnavailable") {
    return UnavailableError(std::move(message));
  }
  if (Contains(code, "NotFound") || Contains(code, "NoSuch") || error.http_status == 404) {
    return NotFoundError(std::move(message));
  }
  if (Contains(code, "AccessDenied") || code == "UnauthorizedOperation" || code == "AuthFailure" ||
      code == "InvalidClientTokenId" || code == "UnrecognizedClientException" ||
      code == "SignatureDoesNotMatch" || code == "InvalidSignatureException" ||
      code == "ExpiredToken" || code == "ExpiredTokenException" || code == "InvalidAccessKeyId" ||
      code == "MissingAuthenticationToken" || error.http_status == 403) {
    return PermissionDeniedError(std::move(message));
  }
  if (Contains(code, "AlreadyExists") || Contains(code, "InUse") || Contains(code, "Duplicate") ||
      code == "DependencyViolation" || Contains(code, "ConditionalCheckFailed") ||
      Contains(code, "Conflict") || EndsWith(code, "IncorrectState") ||
      code == "BucketAlreadyOwnedByYou" || error.http_status == 409) {
    return ConflictError(std::move(message));
  }
  return InvalidArgumentError(std::move(message));
}

Client::Client(const Models& models, CredentialsProvider& credentials, HttpTransport& transport,
               Clock& clock, RandomSource& random, ClientOptions options)
    : models_(models),
      credentials_(credentials),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      retry_(options_.retry, random, &skew_) {}

Result<AwsResponse> Client::Invoke(std::string_view service, std::string_view operation,
                                   const json& params) {
  ASSIGN_OR_RETURN(const ServiceModel* model, models_.Find(service));
  ASSIGN_OR_RETURN(const Operation* op, model->FindOperation(operation));
  Result<HttpRequest> serialized = SerializeRequest(*model, *op, params);
  if (!serialized.ok()) {
    return serialized.status().WithContext(std::string(service) + "." + std::string(operation));
  }
  EndpointOptions endpoint_options;
  endpoint_options.custom_url = options_.endpoint_url;
  ASSIGN_OR_RETURN(Endpoint endpoint,
                   ResolveEndpoint(model->endpoint_prefix(), model->signing_name(), options_.region,
                                   endpoint_options));
  const Target target = MakeTarget(endpoint, *serialized, !options_.endpoint_url.empty());
  if (NeedsContentMd5(*op) && FindHeader(serialized->headers, "Content-MD5") == nullptr) {
    SetHeader(&serialized->headers, "Content-MD5", Base64Encode(Md5(serialized->body)));
  }
  const bool unsigned_operation =
      op->definition.is_object() && op->definition.value("authtype", "") == "none";

  RetryState state;
  AwsResponse answer;
  while (true) {
    HttpRequest request = *serialized;
    SetHeader(&request.headers, "Host", target.host_header);
    SetHeader(&request.headers, "User-Agent", options_.user_agent);
    if (!unsigned_operation) {
      ASSIGN_OR_RETURN(Credentials credentials, credentials_.GetCredentials());
      SigningParams signing = DefaultSigningParams(endpoint.signing_name, endpoint.signing_region,
                                                   skew_.Adjust(clock_.Now()));
      RETURN_IF_ERROR(SignRequest(request, credentials, signing));
    }
    ++state.attempts;
    Result<HttpResponse> sent = transport_.Send(target.base_url, request);

    AttemptOutcome outcome;
    if (!sent.ok()) {
      if (sent.status().code() == StatusCode::kDeadlineExceeded) {
        outcome.kind = AttemptOutcome::Kind::kTimeout;
      } else if (sent.status().code() == StatusCode::kUnavailable) {
        outcome.kind = AttemptOutcome::Kind::kConnectionError;
      } else {
        return sent.status();
      }
    } else if (IsErrorResponse(*sent)) {
      AwsError error = ParseError(*model, *op, *sent);
      outcome.kind = AttemptOutcome::Kind::kServiceError;
      outcome.http_status = sent->status;
      outcome.error_code = error.code;
      if (const std::string* date = FindHeader(sent->headers, "Date")) {
        outcome.date_header = *date;
      }
      answer.error = std::move(error);
      answer.http_status = sent->status;
    } else {
      Result<json> output = ParseResponse(*model, *op, *sent);
      if (!output.ok()) {
        return output.status().WithContext(std::string(service) + "." + std::string(operation) +
                                           " response");
      }
      retry_.OnSuccess(state);
      answer.output = std::move(*output);
      answer.error.reset();
      answer.http_status = sent->status;
      answer.attempts = state.attempts;
      return answer;
    }

    std::optional<std::chrono::milliseconds> delay = retry_.OnFailure(outcome, state, clock_.Now());
    if (!delay) {
      if (!sent.ok()) {
        return sent.status().WithContext(std::string(service) + "." + std::string(operation) +
                                         " after " + std::to_string(state.attempts) + " attempts");
      }
      answer.attempts = state.attempts;
      return answer;
    }
    clock_.SleepFor(*delay);
  }
}

Result<std::string> Client::Presign(std::string_view service, std::string_view operation,
                                    const json& params, std::chrono::seconds expires) {
  ASSIGN_OR_RETURN(const ServiceModel* model, models_.Find(service));
  ASSIGN_OR_RETURN(const Operation* op, model->FindOperation(operation));
  Result<HttpRequest> serialized = SerializeRequest(*model, *op, params);
  if (!serialized.ok()) {
    return serialized.status().WithContext(std::string(service) + "." + std::string(operation));
  }
  EndpointOptions endpoint_options;
  endpoint_options.custom_url = options_.endpoint_url;
  ASSIGN_OR_RETURN(Endpoint endpoint,
                   ResolveEndpoint(model->endpoint_prefix(), model->signing_name(), options_.region,
                                   endpoint_options));
  const Target target = MakeTarget(endpoint, *serialized, !options_.endpoint_url.empty());
  HttpRequest request = *serialized;
  request.headers = {{"Host", target.host_header}};
  request.body.clear();
  ASSIGN_OR_RETURN(Credentials credentials, credentials_.GetCredentials());
  SigningParams signing = DefaultSigningParams(endpoint.signing_name, endpoint.signing_region,
                                               skew_.Adjust(clock_.Now()));
  signing.expires = expires;
  if (endpoint.signing_name == "s3") {
    signing.payload_hash = std::string(kUnsignedPayload);
  }
  RETURN_IF_ERROR(PresignRequest(request, credentials, signing));
  return target.base_url + request.path;
}

Result<json> Client::Call(std::string_view service, std::string_view operation,
                          const json& params) {
  ASSIGN_OR_RETURN(AwsResponse response, Invoke(service, operation, params));
  if (response.error) {
    return AwsErrorToStatus(*response.error, service, operation);
  }
  return std::move(response.output);
}

Result<json> Client::Paginate(std::string_view service, std::string_view operation,
                              const json& params, const PaginateOptions& options) {
  ASSIGN_OR_RETURN(const ServiceModel* model, models_.Find(service));
  Result<PaginatorConfig> config = ParsePaginator(model->paginators(), operation);
  if (!config.ok()) {
    return config.status().WithContext(std::string(service));
  }
  auto call = [&](const json& page_params) { return Call(service, operation, page_params); };
  return PaginateAll(*config, params, call, options);
}

Status Client::Wait(std::string_view service, std::string_view waiter, const json& params,
                    const WaitOptions& options) {
  ASSIGN_OR_RETURN(const ServiceModel* model, models_.Find(service));
  Result<WaiterConfig> config = ParseWaiter(model->waiters(), waiter);
  if (!config.ok()) {
    return config.status().WithContext(std::string(service));
  }
  auto poll = [&]() -> Result<WaiterPoll> {
    ASSIGN_OR_RETURN(AwsResponse response, Invoke(service, config->operation, params));
    WaiterPoll result;
    result.http_status = response.http_status;
    if (response.error) {
      result.error_code = response.error->code;
      result.output = nullptr;
    } else {
      result.output = std::move(response.output);
    }
    return result;
  };
  return cf::aws::Wait(*config, poll, clock_, options);
}

Result<Credentials> ClientStsClient::AssumeRole(const Credentials& source,
                                                const AssumeRoleRequest& request) {
  StaticCredentialsProvider provider(source);
  ClientOptions options = options_;
  if (!request.region.empty()) {
    options.region = request.region;
  }
  if (options.region.empty()) {
    options.region = "us-east-1";
  }
  Client client(models_, provider, transport_, clock_, random_, options);
  json params = {{"RoleArn", request.role_arn}, {"RoleSessionName", request.role_session_name}};
  if (!request.external_id.empty()) {
    params["ExternalId"] = request.external_id;
  }
  if (request.duration_seconds > 0) {
    params["DurationSeconds"] = request.duration_seconds;
  }
  ASSIGN_OR_RETURN(json output, client.Call("sts", "AssumeRole", params));
  try {
    const json& c = output.at("Credentials");
    Credentials out;
    out.access_key_id = c.at("AccessKeyId").get<std::string>();
    out.secret_access_key = c.at("SecretAccessKey").get<std::string>();
    out.session_token = c.at("SessionToken").get<std::string>();
    const json& expiration = c.at("Expiration");
    if (expiration.is_number()) {
      out.expiration = std::chrono::system_clock::time_point(
          std::chrono::seconds(static_cast<long long>(expiration.get<double>())));
    }
    out.source = "assume-role " + request.role_arn;
    return out;
  } catch (const json::exception& e) {
    return InternalError(std::string("sts.AssumeRole: unexpected output: ") + e.what());
  }
}

}  // namespace cf::aws
