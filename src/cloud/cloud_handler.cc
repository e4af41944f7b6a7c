#include "cloud/cloud_handler.h"

#include <fmt/core.h>

#include <algorithm>

namespace cf::cloud {

namespace {

constexpr std::string_view kAdminPrefix = "/_clusterform/";
constexpr std::string_view kWekaSimPrefix = "/_wekasim/";  // the WEKA simulator (unsigned)

ServiceError FaultError(FaultKind kind, ProtocolFamily family, const std::string& service) {
  bool json = family == ProtocolFamily::kJson;
  switch (kind) {
    case FaultKind::kThrottle:
      if (service == "ec2") {
        return ServiceError{"RequestLimitExceeded", "Request limit exceeded.", 503, false};
      }
      if (service == "s3") {  // S3 throttles with 503 SlowDown, as AWS does
        return ServiceError{"SlowDown", "Please reduce your request rate.", 503, false};
      }
      return ServiceError{json ? "ThrottlingException" : "Throttling", "Rate exceeded", 400, true};
    case FaultKind::kInternalError:
      return ServiceError{service == "ec2" ? "InternalError" : "InternalFailure",
                          "An internal error occurred (injected by the fault profile)", 500, false};
    case FaultKind::kUnavailable:
      return ServiceError{"ServiceUnavailable",
                          "Service is unavailable (injected by the fault profile)", 503, false};
    default:
      return InternalFailure("no fault");
  }
}

ProtocolFamily GuessFamily(const HttpRequest& request) {
  std::string_view content_type = request.Header("content-type");
  if (!request.Header("x-amz-target").empty() ||
      content_type.find("json") != std::string_view::npos) {
    return ProtocolFamily::kJson;
  }
  return ProtocolFamily::kQuery;
}

}  // namespace

ServiceError UnknownOperationError(ProtocolFamily family, const std::string& service,
                                   const std::string& operation) {
  if (family == ProtocolFamily::kJson) {
    return ServiceError{"UnknownOperationException",
                        fmt::format("Operation {} is not supported by {} in the local cloud",
                                    operation.empty() ? "(none)" : operation, service),
                        400, true};
  }
  return ServiceError{"InvalidAction",
                      fmt::format("The action {} is not valid for {} in the local cloud",
                                  operation.empty() ? "(none)" : operation, service),
                      400, true};
}

HttpResponse CloudHandler::Handle(const HttpRequest& request) {
  std::string request_id = ids_.RequestId();
  if (request.Path().substr(0, kAdminPrefix.size()) == kAdminPrefix ||
      request.Path().substr(0, kWekaSimPrefix.size()) == kWekaSimPrefix) {
    return admin_.Handle(request);
  }

  Result<SigV4Auth> auth = ParseSigV4(request);
  if (!auth.ok()) {
    ServiceError error =
        auth.status().code() == StatusCode::kNotFound
            ? ServiceError{"MissingAuthenticationToken", "Request is missing Authentication Token",
                           403, true}
            : ServiceError{"IncompleteSignature", auth.status().message(), 400, true};
    if (GuessFamily(request) == ProtocolFamily::kJson) {
      error.code += "Exception";
    }
    return GuessedErrorResponse(request, error, request_id);
  }

  const std::string& service_name = auth->service;
  const WireProtocol* protocol = protocols_.Find(service_name);
  if (protocol != nullptr) {
    protocol = &protocol->ForRequest(request);
  }
  Service* service = services_.Find(service_name);
  if (protocol == nullptr || service == nullptr) {
    // A service whose model is embedded answers in its own wire format, so clients read
    // the error as they would AWS's; anything else gets the format the request suggests.
    ProtocolFamily family = protocol != nullptr ? protocol->family() : GuessFamily(request);
    ServiceError error = UnknownOperationError(family, service_name, "");
    error.message = fmt::format("The service {} is not available in the local cloud", service_name);
    return protocol != nullptr ? protocol->SerializeError(error, request_id)
                               : GuessedErrorResponse(request, error, request_id);
  }

  AuthOutcome outcome = authenticator_.Authenticate(request, *auth, protocol->family());
  if (outcome.error) {
    return protocol->SerializeError(*outcome.error, request_id);
  }

  std::variant<ParsedOperation, ServiceError> parsed = protocol->Parse(request);
  if (auto* error = std::get_if<ServiceError>(&parsed)) {
    return protocol->SerializeError(*error, request_id);
  }
  ParsedOperation& operation = std::get<ParsedOperation>(parsed);
  if (!service->HasOperation(operation.operation)) {
    return protocol->SerializeError(
        UnknownOperationError(protocol->family(), service_name, operation.operation), request_id);
  }

  FaultDecision fault = faults_.Decide(service_name, operation.operation);
  HttpResponse response;
  if (fault.kind == FaultKind::kDropConnection) {
    response.drop_connection = true;
  } else if (fault.kind != FaultKind::kNone) {
    response = protocol->SerializeError(FaultError(fault.kind, protocol->family(), service_name),
                                        request_id);
  } else {
    ServiceCall call;
    call.service = service_name;
    call.operation = std::move(operation.operation);
    call.input = std::move(operation.input);
    call.account_id = outcome.caller.account_id;
    call.region = auth->region;
    call.request_id = request_id;
    call.caller = std::move(outcome.caller);
    ServiceResult result = service->Handle(call);
    if (result.ok()) {
      response = protocol->Serialize(call.operation, result.output(), request_id);
    } else {
      if (result.error().http_status >= 500 && logger_.Enabled(LogLevel::kWarning)) {
        logger_.Log(LogLevel::kWarning, fmt::format("{}.{}: {}: {}", service_name, call.operation,
                                                    result.error().code, result.error().message));
      }
      response = protocol->SerializeError(result.error(), request_id);
    }
  }
  response.delay = fault.delay;
  return response;
}

uint64_t CloudHandler::MaxBodyBytes(const HttpRequest& request, uint64_t server_limit) {
  Result<SigV4Auth> auth = ParseSigV4(request);
  if (!auth.ok()) {
    return server_limit;
  }
  const Service* service = services_.Find(auth->service);
  if (service == nullptr) {
    return server_limit;
  }
  return std::max(server_limit, service->MaxRequestBodyBytes());
}

HttpResponse CloudHandler::Reject(const HttpRequest& request, int status, std::string_view code,
                                  std::string_view message) {
  ServiceError error{std::string(code), std::string(message), status, true};
  std::string request_id = ids_.RequestId();
  Result<SigV4Auth> auth = ParseSigV4(request);
  if (auth.ok()) {
    if (const WireProtocol* protocol = protocols_.Find(auth->service)) {
      return protocol->ForRequest(request).SerializeError(error, request_id);
    }
  }
  return GuessedErrorResponse(request, error, request_id);
}

}  // namespace cf::cloud
