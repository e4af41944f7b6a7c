#pragma once

// DynamoDB's errors as values. The engine answers every request with either a JSON response
// or a DynamoError; the server serializes the error with the JSON 1.0 protocol:
// {"__type": "com.amazonaws.dynamodb.v20120810#<code>", "message": <message>} plus the fields
// of `extra` (CancellationReasons for TransactionCanceledException, Item for a failed
// condition with ReturnValuesOnConditionCheckFailure=ALL_OLD), with HTTP status `http_status`.

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <variant>

namespace cf::cloud::dynamodb {

using Json = nlohmann::json;

struct DynamoError {
  std::string code;     // "ValidationException", "ConditionalCheckFailedException", ...
  std::string message;  // DynamoDB's own text.
  int http_status = 400;
  Json extra = Json::object();  // Extra members of the error body.
};

inline DynamoError ValidationError(std::string message) {
  return DynamoError{"ValidationException", std::move(message)};
}
inline DynamoError ConditionalCheckFailed(Json item = nullptr) {
  DynamoError e{"ConditionalCheckFailedException", "The conditional request failed"};
  if (!item.is_null()) {
    e.extra["Item"] = std::move(item);
  }
  return e;
}
inline DynamoError ResourceNotFound(std::string message = "Requested resource not found") {
  return DynamoError{"ResourceNotFoundException", std::move(message)};
}
inline DynamoError ResourceInUse(std::string message) {
  return DynamoError{"ResourceInUseException", std::move(message)};
}
inline DynamoError InternalServerError(std::string message) {
  return DynamoError{"InternalServerError", std::move(message), 500};
}

// A T or the DynamoError that explains why there is none.
template <typename T>
class [[nodiscard]] DynamoResult {
 public:
  DynamoResult(T value) : data_(std::move(value)) {}            // NOLINT: implicit by design.
  DynamoResult(DynamoError error) : data_(std::move(error)) {}  // NOLINT: implicit by design.

  bool ok() const { return std::holds_alternative<T>(data_); }
  const DynamoError& error() const { return std::get<DynamoError>(data_); }
  DynamoError&& take_error() && { return std::get<DynamoError>(std::move(data_)); }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, DynamoError> data_;
};

// The "__type" DynamoDB sends: validation errors come from the request validator, the rest
// from the service.
inline std::string ErrorType(const DynamoError& e) {
  if (e.code == "ValidationException") {
    return "com.amazon.coral.validate#ValidationException";
  }
  return "com.amazonaws.dynamodb.v20120810#" + e.code;
}

// The JSON 1.0 error body, as DynamoDB sends it (TransactionCanceledException spells its
// message "Message").
inline Json ErrorBody(const DynamoError& e) {
  Json body = e.extra;
  body["__type"] = ErrorType(e);
  body[e.code == "TransactionCanceledException" ? "Message" : "message"] = e.message;
  return body;
}

// The "no value" result: std::monostate on success.
using DynamoStatus = DynamoResult<std::monostate>;
inline DynamoStatus DynamoOk() {
  return std::monostate{};
}

}  // namespace cf::cloud::dynamodb

#define DDB_CONCAT_INNER(a, b) a##b
#define DDB_CONCAT(a, b) DDB_CONCAT_INNER(a, b)

// Returns the error of the DynamoResult `expr` from the enclosing function.
#define DDB_RETURN_IF_ERROR(expr)            \
  do {                                       \
    auto ddb_r_ = (expr);                    \
    if (!ddb_r_.ok()) {                      \
      return std::move(ddb_r_).take_error(); \
    }                                        \
  } while (false)

// Declares `lhs` from the value of the DynamoResult `rexpr`, or returns its error.
#define DDB_ASSIGN_OR_RETURN(lhs, rexpr) \
  DDB_ASSIGN_OR_RETURN_IMPL(DDB_CONCAT(ddb_result_, __LINE__), lhs, rexpr)
#define DDB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) {                                 \
    return std::move(tmp).take_error();            \
  }                                                \
  lhs = std::move(tmp).value()
