#include "cloud/model_protocol.h"

#include <fmt/core.h>

#include "aws/codec.h"
#include "cloud/cloud_handler.h"

namespace cf::cloud {

namespace {

aws::HttpRequest ToAws(const HttpRequest& request, bool with_body = true) {
  aws::HttpRequest out;
  out.method = request.method;
  out.path = request.target.empty() ? "/" : request.target;
  for (const auto& [name, value] : request.headers) {
    out.headers.push_back({name, value});
  }
  if (with_body) {
    out.body = request.body;
  }
  return out;
}

HttpResponse FromAws(aws::HttpResponse response) {
  HttpResponse out;
  out.status = response.status;
  for (auto& header : response.headers) {
    out.headers.emplace_back(std::move(header.name), std::move(header.value));
  }
  out.body = std::move(response.body);
  return out;
}

// The operation a query-style request names, for error messages.
std::string ActionOf(const HttpRequest& request) {
  for (std::string_view text : {request.Query(), std::string_view(request.body)}) {
    for (const auto& [key, value] : ParseFormEncoded(text)) {
      if (key == "Action") {
        return value;
      }
    }
  }
  std::string_view target = request.Header("x-amz-target");
  size_t dot = target.rfind('.');
  return std::string(dot == std::string_view::npos ? target : target.substr(dot + 1));
}

}  // namespace

std::string ModelNameForSigningName(const std::string& signing_name) {
  if (signing_name == "states") {
    return "stepfunctions";
  }
  if (signing_name == "elasticloadbalancing") {
    return "elbv2";
  }
  if (signing_name == "elasticfilesystem") {
    return "efs";
  }
  return signing_name;
}

ModelProtocol::ModelProtocol(const aws::ServiceModel& model)
    : model_(model), protocol_(model.protocol()) {
  if (protocol_ == aws::Protocol::kQuery) {
    json_.reset(new ModelProtocol(model, aws::Protocol::kJson));
  }
}

const WireProtocol& ModelProtocol::ForRequest(const HttpRequest& request) const {
  if (json_ != nullptr && aws::RequestProtocol(model_, ToAws(request, false)) == json_->protocol_) {
    return *json_;
  }
  return *this;
}

ProtocolFamily ModelProtocol::family() const {
  switch (protocol_) {
    case aws::Protocol::kQuery:
    case aws::Protocol::kEc2:
      return ProtocolFamily::kQuery;
    case aws::Protocol::kRestXml:
      return ProtocolFamily::kRestXml;
    default:
      return ProtocolFamily::kJson;
  }
}

std::variant<std::string, ServiceError> ModelProtocol::Route(const HttpRequest& request) const {
  // Only query-style requests name their operation in the body.
  Result<const aws::Operation*> op =
      aws::RouteRequest(model_, ToAws(request, family() == ProtocolFamily::kQuery));
  if (!op.ok()) {
    return UnknownOperationError(family(), model_.signing_name(), ActionOf(request));
  }
  return (**op).name;
}

std::variant<ParsedOperation, ServiceError> ModelProtocol::Parse(const HttpRequest& request) const {
  std::variant<std::string, ServiceError> routed = Route(request);
  if (auto* error = std::get_if<ServiceError>(&routed)) {
    return *error;
  }
  return ParseAs(request, std::get<std::string>(routed));
}

std::variant<ParsedOperation, ServiceError> ModelProtocol::ParseAs(
    const HttpRequest& request, const std::string& operation) const {
  aws::HttpRequest wire = ToAws(request);
  Result<const aws::Operation*> op = model_.FindOperation(operation);
  if (!op.ok()) {
    return UnknownOperationError(family(), model_.signing_name(), operation);
  }
  bool ec2 = protocol_ == aws::Protocol::kEc2;
  bool json = family() == ProtocolFamily::kJson;
  Result<Json> input = aws::ParseRequest(model_, **op, wire);
  if (!input.ok()) {
    if (json) {
      return ServiceError{"SerializationException", input.status().message(), 400, true};
    }
    return ServiceError{ec2 ? "InvalidParameterValue" : "MalformedQueryString",
                        input.status().message(), 400, true};
  }
  const Json& ref = (**op).input;
  if (ref.is_object() && ref.contains("shape")) {
    Status valid = aws::ValidateParams(model_, ref["shape"].get<std::string>(), *input);
    if (!valid.ok()) {
      std::string code = json  ? "ValidationException"
                         : ec2 ? "InvalidParameterValue"
                               : "ValidationError";
      if (ec2 && valid.message().find("missing required") != std::string::npos) {
        code = "MissingParameter";
      }
      return ServiceError{code, valid.message(), 400, true};
    }
  }
  return ParsedOperation{(**op).name, std::move(*input)};
}

HttpResponse ModelProtocol::Serialize(const std::string& operation, const Json& output,
                                      std::string_view request_id) const {
  Result<const aws::Operation*> op = model_.FindOperation(operation);
  if (op.ok()) {
    Result<aws::HttpResponse> response =
        aws::SerializeResponse(model_, **op, output, request_id, protocol_);
    if (response.ok()) {
      HttpResponse out = FromAws(std::move(*response));
      bool has_id = false;
      for (const auto& [name, value] : out.headers) {
        has_id = has_id || name == "x-amzn-RequestId" || name == "x-amz-request-id";
      }
      if (!has_id) {
        out.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
      }
      return out;
    }
    return SerializeError(InternalFailure("the local cloud could not serialize its answer: " +
                                          response.status().message()),
                          request_id);
  }
  return SerializeError(InternalFailure("unknown operation " + operation), request_id);
}

HttpResponse ModelProtocol::SerializeError(const ServiceError& error,
                                           std::string_view request_id) const {
  aws::AwsError aws_error;
  aws_error.code = error.code;
  aws_error.message = error.message;
  aws_error.request_id = std::string(request_id);
  aws_error.http_status = error.http_status;
  aws_error.type = error.sender_fault ? "Sender" : "Receiver";
  aws_error.fields = error.fields;
  HttpResponse out = FromAws(aws::SerializeError(model_, aws_error, protocol_));
  bool has_id = false;
  for (const auto& [name, value] : out.headers) {
    has_id = has_id || name == "x-amzn-RequestId";
  }
  if (!has_id) {
    out.headers.emplace_back("x-amzn-RequestId", std::string(request_id));
  }
  return out;
}

const WireProtocol* ModelProtocolTable::Find(const std::string& service) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = protocols_.find(service);
  if (it != protocols_.end()) {
    return it->second.get();
  }
  Result<const aws::ServiceModel*> model = models_.Find(ModelNameForSigningName(service));
  if (!model.ok() || (*model)->signing_name() != service) {
    return nullptr;  // misses are not cached: the name comes from the client
  }
  auto special = overrides_.find(service);
  std::unique_ptr<ModelProtocol> protocol = special != overrides_.end()
                                                ? special->second(**model)
                                                : std::make_unique<ModelProtocol>(**model);
  const WireProtocol* found = protocol.get();
  protocols_[service] = std::move(protocol);
  return found;
}

}  // namespace cf::cloud
