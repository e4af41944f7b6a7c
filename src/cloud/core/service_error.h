#pragma once

// How local-cloud services report errors: one ServiceError (the AWS error a client receives),
// and the value types handlers and their helpers return instead of out-parameters:
//
//   ServiceOr<T>    a T, or the ServiceError that explains why there is none;
//   ServiceResult   ServiceOr<Json>: an operation's output tree or its error;
//   ServiceStatus   OK, or a ServiceError (for steps that produce nothing).
//
// Two macros propagate errors, as base/status.h's RETURN_IF_ERROR and ASSIGN_OR_RETURN do for
// Status:
//
//   SERVICE_RETURN_IF_ERROR(CheckTags(tags));                   // a ServiceStatus
//   SERVICE_RETURN_IF_ERROR(txn.Put(kNs, key, doc));            // a Status: the store's
//   SERVICE_ASSIGN_OR_RETURN(Json group, GetGroup(txn, name));  // a ServiceOr<Json>
//   SERVICE_ASSIGN_OR_RETURN(auto rows, txn.List(kNs, prefix)); // a Result<...>
//
// Both accept ServiceStatus, ServiceOr<T>, Status and Result<T>. A failed Status (the store,
// the random source, anything below the service) becomes an *internal* ServiceError: the
// local cloud's own failure, not an answer AWS would give. The OperationTable
// (operation_table.h) rewrites internal errors into the service's own internal-error code
// (KMSInternalException, InternalServiceError, ...) before they reach the client, so handlers
// never spell out a store failure.

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"

namespace cf::cloud {

using Json = nlohmann::json;

// An AWS error as the protocol reports it.
struct ServiceError {
  std::string code;     // "ValidationError", "InvalidVpcID.NotFound", ...
  std::string message;  // the text AWS would give.
  int http_status = 400;
  bool sender_fault = true;  // query protocols: <Type>Sender</Type> or Receiver.
  // The error shape's other members as an output tree (DynamoDB's CancellationReasons, S3's
  // Key or BucketName, ...); serialized when the service model declares them.
  Json fields = Json::object();
  // Extra elements of an S3-style XML error, in order: {"Key", "a.txt"}, {"BucketName", "b"}.
  // Other protocols ignore them.
  std::vector<std::pair<std::string, std::string>> details = {};
  // The local cloud's own failure (made from a Status by the macros below, or by
  // InternalErrorOf): the OperationTable answers it as the service's internal error.
  bool internal = false;
};

// Common errors, with AWS's codes and statuses.
ServiceError ValidationError(std::string message);     // "ValidationError", 400
ServiceError InternalFailure(std::string message);     // "InternalFailure", 500
ServiceError ThrottlingError(std::string message);     // "Throttling", 400
ServiceError ServiceUnavailable(std::string message);  // "ServiceUnavailable", 503
// An internal error (InternalFailure, 500, marked internal) from a failed Status.
ServiceError InternalErrorOf(const Status& status);

// OK, or the error of a step that produces no value.
class [[nodiscard]] ServiceStatus {
 public:
  ServiceStatus() = default;                                       // OK
  ServiceStatus(ServiceError error) : error_(std::move(error)) {}  // NOLINT: implicit.

  bool ok() const { return std::holds_alternative<std::monostate>(error_); }
  // Requires !ok().
  const ServiceError& error() const& { return std::get<ServiceError>(error_); }
  ServiceError&& error() && { return std::get<ServiceError>(std::move(error_)); }

 private:
  std::variant<std::monostate, ServiceError> error_;
};

// A value of type T, or the ServiceError that explains why there is none.
template <typename T>
class [[nodiscard]] ServiceOr {
 public:
  ServiceOr(T value) : data_(std::move(value)) {}             // NOLINT: implicit.
  ServiceOr(ServiceError error) : data_(std::move(error)) {}  // NOLINT: implicit.
  // Anything a T is made from ("text" for a std::string, {{"a", 1}} for a Json).
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, ServiceError> &&
           !std::is_same_v<std::decay_t<U>, ServiceOr> && !std::is_same_v<std::decay_t<U>, T>)
      ServiceOr(U&& value)
      : data_(T(std::forward<U>(value))) {}  // NOLINT: implicit.

  bool ok() const { return std::holds_alternative<T>(data_); }
  // Require ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // The output tree of a ServiceResult (the same as value()).
  const Json& output() const requires std::is_same_v<T, Json> { return value(); }
  Json& output() requires std::is_same_v<T, Json> { return value(); }
  // Requires !ok().
  const ServiceError& error() const& { return std::get<ServiceError>(data_); }
  ServiceError&& error() && { return std::get<ServiceError>(std::move(data_)); }

 private:
  std::variant<T, ServiceError> data_;
};

// An operation's output tree, or its error.
using ServiceResult = ServiceOr<Json>;

// The error of a failed value of any of the four forms (requires !ok()); used by the macros.
inline ServiceError ErrorOf(const ServiceStatus& s) {
  return s.error();
}
inline ServiceError ErrorOf(ServiceStatus&& s) {
  return std::move(s).error();
}
template <typename T>
ServiceError ErrorOf(const ServiceOr<T>& r) {
  return r.error();
}
template <typename T>
ServiceError ErrorOf(ServiceOr<T>&& r) {
  return std::move(r).error();
}
inline ServiceError ErrorOf(const Status& s) {
  return InternalErrorOf(s);
}
template <typename T>
ServiceError ErrorOf(const Result<T>& r) {
  return InternalErrorOf(r.status());
}

}  // namespace cf::cloud

// Returns the error of `expr` (a ServiceStatus, ServiceOr<T>, Status or Result<T>) from the
// enclosing function, which returns a ServiceResult, ServiceOr<U> or ServiceStatus.
#define SERVICE_RETURN_IF_ERROR(expr)                                                            \
  do {                                                                                           \
    auto&& cf_service_value_ = (expr);                                                           \
    if (!cf_service_value_.ok()) {                                                               \
      return ::cf::cloud::ErrorOf(std::forward<decltype(cf_service_value_)>(cf_service_value_)); \
    }                                                                                            \
  } while (false)

// Declares `lhs` from the value of `rexpr` (a ServiceOr<T> or Result<T>), or returns its error
// as SERVICE_RETURN_IF_ERROR does.
#define SERVICE_ASSIGN_OR_RETURN(lhs, rexpr) \
  CF_SERVICE_ASSIGN_OR_RETURN_IMPL(CF_CONCAT(cf_service_or_, __LINE__), lhs, rexpr)
#define CF_SERVICE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                     \
  if (!tmp.ok()) {                                        \
    return ::cf::cloud::ErrorOf(std::move(tmp));          \
  }                                                       \
  lhs = std::move(tmp).value()
