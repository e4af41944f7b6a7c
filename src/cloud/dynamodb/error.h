#pragma once

// DynamoDB's errors, as the local cloud's ServiceError values (cloud/core/service_error.h).
// The engine answers every request with a JSON response or a ServiceError, and passes errors
// on with SERVICE_RETURN_IF_ERROR / SERVICE_ASSIGN_OR_RETURN. The JSON 1.0 error body is
// {"__type": "com.amazonaws.dynamodb.v20120810#<code>", "message": <message>} plus the
// members of `fields` (CancellationReasons for TransactionCanceledException, Item for a failed
// condition with ReturnValuesOnConditionCheckFailure=ALL_OLD), with HTTP status `http_status`.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "cloud/core/service_error.h"

namespace cf::cloud::dynamodb {

using Json = nlohmann::json;

// DynamoDB spells its validation error ValidationException (cloud::ValidationError is the
// query services' ValidationError).
inline ServiceError ValidationError(std::string message) {
  return ServiceError{"ValidationException", std::move(message)};
}
inline ServiceError ConditionalCheckFailed(Json item = nullptr) {
  ServiceError e{"ConditionalCheckFailedException", "The conditional request failed"};
  if (!item.is_null()) {
    e.fields["Item"] = std::move(item);
  }
  return e;
}
inline ServiceError ResourceNotFound(std::string message = "Requested resource not found") {
  return ServiceError{"ResourceNotFoundException", std::move(message)};
}
inline ServiceError ResourceInUse(std::string message) {
  return ServiceError{"ResourceInUseException", std::move(message)};
}
inline ServiceError InternalServerError(std::string message) {
  return ServiceError{"InternalServerError", std::move(message), 500, false};
}
// A request member of the wrong JSON type.
inline ServiceError SerializationError(std::string message) {
  return ServiceError{"SerializationException", std::move(message)};
}

// The "__type" DynamoDB sends: validation errors come from the request validator, the rest
// from the service.
inline std::string ErrorType(const ServiceError& e) {
  if (e.code == "ValidationException") {
    return "com.amazon.coral.validate#ValidationException";
  }
  return "com.amazonaws.dynamodb.v20120810#" + e.code;
}

// The JSON 1.0 error body, as DynamoDB sends it (TransactionCanceledException spells its
// message "Message").
inline Json ErrorBody(const ServiceError& e) {
  Json body = e.fields;
  body["__type"] = ErrorType(e);
  body[e.code == "TransactionCanceledException" ? "Message" : "message"] = e.message;
  return body;
}

}  // namespace cf::cloud::dynamodb
