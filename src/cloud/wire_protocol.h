#pragma once

// The seam between the server and the AWS wire protocols. A WireProtocol reads one service's
// requests (which operation, and its input tree keyed by model member names) and writes its
// responses and errors in that service's format (query XML, EC2 XML, JSON 1.0/1.1,
// rest-json, rest-xml). The model-driven codecs of src/aws implement it for every embedded
// service (model_protocol.h); JsonTargetProtocol below is a model-free JSON protocol for
// services without an embedded model and for tests.

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "cloud/core/service.h"
#include "cloud/http_message.h"

namespace cf::cloud {

enum class ProtocolFamily {
  kQuery,  // query and ec2: form-encoded requests, XML answers
  kJson,   // awsJson 1.0 / 1.1 and rest-json: JSON errors with __type
  kRestXml,
};

struct ParsedOperation {
  std::string operation;
  Json input = Json::object();
};

// Thread-safe: the server calls it from several threads.
class WireProtocol {
 public:
  virtual ~WireProtocol() = default;
  virtual ProtocolFamily family() const = 0;
  // The operation and its input; or the protocol's error for an unknown operation
  // (InvalidAction, UnknownOperationException) or an unreadable request.
  virtual std::variant<ParsedOperation, ServiceError> Parse(const HttpRequest& request) const = 0;
  virtual HttpResponse Serialize(const std::string& operation, const Json& output,
                                 std::string_view request_id) const = 0;
  virtual HttpResponse SerializeError(const ServiceError& error,
                                      std::string_view request_id) const = 0;
  // The protocol that reads `request` and answers it: this one, or a sibling for a service
  // that AWS serves in two protocols (SQS answers query and, for newer clients that send
  // X-Amz-Target, JSON).
  virtual const WireProtocol& ForRequest(const HttpRequest& request) const {
    (void)request;
    return *this;
  }
};

// The protocol of each service, by signing name.
class ProtocolTable {
 public:
  virtual ~ProtocolTable() = default;
  // Null when the service is not known.
  virtual const WireProtocol* Find(const std::string& service) const = 0;
};

// awsJson without a model: X-Amz-Target "<prefix>.<Operation>", body a JSON object passed
// through as the input; output written as JSON; errors as {"__type", "message"}.
class JsonTargetProtocol : public WireProtocol {
 public:
  // `version`: "1.0" or "1.1" (the Content-Type application/x-amz-json-<version>).
  JsonTargetProtocol(std::string target_prefix, std::string version)
      : target_prefix_(std::move(target_prefix)), version_(std::move(version)) {}

  ProtocolFamily family() const override { return ProtocolFamily::kJson; }
  std::variant<ParsedOperation, ServiceError> Parse(const HttpRequest& request) const override;
  HttpResponse Serialize(const std::string& operation, const Json& output,
                         std::string_view request_id) const override;
  HttpResponse SerializeError(const ServiceError& error,
                              std::string_view request_id) const override;

 private:
  std::string target_prefix_;
  std::string version_;
};

// A best-effort error answer when the service (and so its protocol) is unknown: JSON when the
// request looks like JSON (X-Amz-Target or a JSON content type), else query-style XML.
HttpResponse GuessedErrorResponse(const HttpRequest& request, const ServiceError& error,
                                  std::string_view request_id);

// Query-style XML error: <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>.
HttpResponse QueryErrorResponse(const ServiceError& error, std::string_view request_id);
// JSON error: {"__type": code, "message": ...} with x-amzn-ErrorType.
HttpResponse JsonErrorResponse(const ServiceError& error, std::string_view request_id,
                               std::string_view content_type);

// Escapes &, <, >, ", ' for XML text.
std::string XmlEscape(std::string_view text);

}  // namespace cf::cloud
