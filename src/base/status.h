#pragma once

// Errors are values. A Status is OK or carries a code that callers act on and a message for
// people; Result<T> is a T or a non-OK Status.

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace cf {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // bad user input: fix the input and retry.
  kNotFound,          // the thing named does not exist.
  kConflict,          // exists already, or a precondition / lock does not hold.
  kUnavailable,       // transient environment failure (network, 5xx, throttling): retryable.
  kPermissionDenied,  // credentials or policy refuse the action.
  kDeadlineExceeded,  // a wait or call ran out of time.
  kInternal,          // a bug or a broken invariant somewhere below.
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  bool IsRetryable() const { return code_ == StatusCode::kUnavailable; }

  // "NotFound: no such file" (or "OK").
  std::string ToString() const;

  // Prefixes the message with context: "reading state: <message>".
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() {
  return Status();
}
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status ConflictError(std::string message);
Status UnavailableError(std::string message);
Status PermissionDeniedError(std::string message);
Status DeadlineExceededError(std::string message);
Status InternalError(std::string message);

// A value of type T, or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design.
  Result(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design.
    if (std::get<Status>(data_).ok()) {
      std::abort();  // An OK status carries no value: a programming error.
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace cf

#define CF_CONCAT_INNER(a, b) a##b
#define CF_CONCAT(a, b) CF_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                       \
  do {                                              \
    ::cf::Status cf_status_ = ::cf::ToStatus(expr); \
    if (!cf_status_.ok()) {                         \
      return cf_status_;                            \
    }                                               \
  } while (false)

// Declares `lhs` from the value of the Result `rexpr`, or returns its Status.
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  CF_ASSIGN_OR_RETURN_IMPL(CF_CONCAT(cf_result_, __LINE__), lhs, rexpr)
#define CF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                             \
  if (!tmp.ok()) {                                \
    return tmp.status();                          \
  }                                               \
  lhs = std::move(tmp).value()

namespace cf {
inline const Status& ToStatus(const Status& s) {
  return s;
}
template <typename T>
const Status& ToStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace cf
