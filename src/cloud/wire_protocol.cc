#include "cloud/wire_protocol.h"

#include <fmt/core.h>

namespace cf::cloud {

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

HttpResponse QueryErrorResponse(const ServiceError& error, std::string_view request_id) {
  HttpResponse response;
  response.status = error.http_status;
  response.headers = {{"Content-Type", "text/xml"}, {"x-amzn-RequestId", std::string(request_id)}};
  response.body = fmt::format(
      "<ErrorResponse xmlns=\"https://clusterform.local/doc/\"><Error><Type>{}</Type>"
      "<Code>{}</Code><Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
      error.sender_fault ? "Sender" : "Receiver", XmlEscape(error.code), XmlEscape(error.message),
      request_id);
  return response;
}

HttpResponse JsonErrorResponse(const ServiceError& error, std::string_view request_id,
                               std::string_view content_type) {
  HttpResponse response;
  response.status = error.http_status;
  response.headers = {{"Content-Type", std::string(content_type)},
                      {"x-amzn-RequestId", std::string(request_id)},
                      {"x-amzn-ErrorType", error.code}};
  Json body = {{"__type", error.code}, {"message", error.message}};
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

HttpResponse GuessedErrorResponse(const HttpRequest& request, const ServiceError& error,
                                  std::string_view request_id) {
  std::string_view content_type = request.Header("content-type");
  if (!request.Header("x-amz-target").empty() ||
      content_type.find("json") != std::string_view::npos) {
    return JsonErrorResponse(error, request_id, "application/x-amz-json-1.1");
  }
  return QueryErrorResponse(error, request_id);
}

std::variant<ParsedOperation, ServiceError> JsonTargetProtocol::Parse(
    const HttpRequest& request) const {
  std::string_view target = request.Header("x-amz-target");
  size_t dot = target.rfind('.');
  if (target.empty() || dot == std::string_view::npos || target.substr(0, dot) != target_prefix_) {
    return ServiceError{"UnknownOperationException",
                        fmt::format("Unknown operation target '{}'", target), 400, true};
  }
  ParsedOperation parsed;
  parsed.operation = std::string(target.substr(dot + 1));
  if (!request.body.empty()) {
    parsed.input = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (parsed.input.is_discarded() || !parsed.input.is_object()) {
      return ServiceError{"SerializationException", "The request body is not a JSON object", 400,
                          true};
    }
  }
  return parsed;
}

HttpResponse JsonTargetProtocol::Serialize(const std::string&, const Json& output,
                                           std::string_view request_id) const {
  HttpResponse response;
  response.headers = {{"Content-Type", "application/x-amz-json-" + version_},
                      {"x-amzn-RequestId", std::string(request_id)}};
  response.body = (output.is_null() ? Json::object() : output)
                      .dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

HttpResponse JsonTargetProtocol::SerializeError(const ServiceError& error,
                                                std::string_view request_id) const {
  return JsonErrorResponse(error, request_id, "application/x-amz-json-" + version_);
}

}  // namespace cf::cloud
