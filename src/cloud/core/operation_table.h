#pragma once

// One way to write a local-cloud service: a table from operation name to handler.
//
//   // logs_service.h
//   class LogsService : public TableService<LogsService> {
//    public:
//     explicit LogsService(const ServiceContext& context)
//         : TableService(context.store, Operations()), context_(context) {}
//     std::string name() const override { return "logs"; }
//
//    private:
//     static const OperationTable<LogsService>& Operations();
//     ServiceResult CreateLogGroup(const ServiceCall& call, CallTxn& txn);
//     ...
//   };
//
//   // logs_service.cc
//   const OperationTable<LogsService>& LogsService::Operations() {
//     static const OperationTable<LogsService> kTable(
//         {
//             {"CreateLogGroup", &LogsService::CreateLogGroup},
//             {"DeleteLogGroup", &LogsService::DeleteLogGroup},
//         },
//         {.internal_error = StoreFailure, .invalid_input = InvalidParameter});
//     return kTable;
//   }
//
//   ServiceResult LogsService::CreateLogGroup(const ServiceCall& call, CallTxn& txn) {
//     ... checks of call.input, each `return InvalidParameter(...)` on failure ...
//     SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kGroupNs, key));
//     if (existing) {
//       return AlreadyExists("The specified log group already exists");
//     }
//     SERVICE_RETURN_IF_ERROR(txn.Put(kGroupNs, key, group));
//     return Json::object();
//   }
//
// Adding an operation is one row and one member function. For each call the table:
//  1. finds the handler; HasOperation answers from the same rows, so the server refuses
//     operations the service does not implement before it calls Handle;
//  2. gives the handler a CallTxn on the shared Store, whose transaction begins on first use
//     (a handler that touches no state, such as sts:GetCallerIdentity, pays nothing);
//  3. turns a JSON type error (nlohmann::json::exception: a member of the wrong type that a
//     handler read as another) into the service's `invalid_input` error;
//  4. commits the transaction when the handler succeeded, or always with
//     CommitPolicy::kAlways; otherwise it is rolled back, so a failed call changes nothing. A
//     failed commit is an internal error;
//  5. answers internal errors (a failed Status from the store, crypto, ...; see
//     service_error.h) as the service's `internal_error`.
// Handlers therefore contain no try/catch, no Begin/Commit and no store-failure wording.
//
// Rows may also be lambdas, for operations that share one member function:
//   {"GetObject", [](S3Service& s, const ServiceCall& c, CallTxn& t) { return s.Get(c, t, false);
//   }}
// A service that must act before every operation (EC2's DryRun and default VPC) overrides
// Handle and calls TableService::Handle.

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cloud/core/service.h"
#include "cloud/core/store.h"

namespace cf::cloud {

// The Store transaction of one call. It begins on first use (Get, Put, Delete, List, Open);
// the OperationTable commits or rolls it back when the handler returns. Not thread-safe: one
// call, one thread. While it is open, the handler must not use the Store directly (its
// transactions would wait for this one).
class CallTxn {
 public:
  explicit CallTxn(Store& store) : store_(store) {}
  CallTxn(const CallTxn&) = delete;
  CallTxn& operator=(const CallTxn&) = delete;

  // As StoreTxn's.
  Result<std::optional<Json>> Get(const std::string& ns, const std::string& key);
  Status Put(const std::string& ns, const std::string& key, const Json& doc);
  Status Delete(const std::string& ns, const std::string& key);
  Result<std::vector<std::pair<std::string, Json>>> List(const std::string& ns,
                                                         const std::string& prefix = "");
  // The document, or `missing` when there is none.
  ServiceOr<Json> Require(const std::string& ns, const std::string& key, ServiceError missing);

  // The open transaction, begun now if it was not: for helpers that take a StoreTxn&.
  Result<StoreTxn*> Open();
  // Commits what is open now (a handler that must act after its changes are durable, such as
  // S3 removing a replaced object's file); a later use begins a new transaction. OK when
  // nothing is open.
  Status Commit();
  // Rolls back what is open now.
  void Rollback() { txn_.reset(); }
  bool is_open() const { return txn_.has_value(); }

 private:
  Store& store_;
  std::optional<StoreTxn> txn_;
};

enum class CommitPolicy {
  kOnSuccess,  // a failed call changes nothing (most services)
  kAlways,     // keep what a failed call wrote too (KMS saves lazy state transitions)
};

// How a service words the errors the table produces for it.
struct OperationOptions {
  // The local cloud's own failures; `message` says what failed. ServiceUnavailableException,
  // KMSInternalException, InternalServiceError, ...
  ServiceError (*internal_error)(std::string message) = InternalFailure;
  // A request tree a handler could not read; `message` names the JSON type error.
  ServiceError (*invalid_input)(std::string message) = ValidationError;
  CommitPolicy commit = CommitPolicy::kOnSuccess;
};

// Shared by every OperationTable (operation_table.cc).
namespace internal_table {
// Steps 4 and 5 above.
ServiceResult Finish(CallTxn& txn, ServiceResult result, const OperationOptions& options);
// UnknownOperationException, for a direct caller naming an operation there is no row for.
ServiceError UnknownOperation(const std::string& operation);
// The invalid_input error for a JSON type error.
ServiceError InvalidInput(const OperationOptions& options, const char* what);
}  // namespace internal_table

// The operations of service S: name -> handler. Immutable after construction; thread-safe.
template <typename S>
class OperationTable {
 public:
  // A member function `ServiceResult S::Op(const ServiceCall&, CallTxn&)`, or any callable
  // taking (S&, const ServiceCall&, CallTxn&).
  using Handler = std::function<ServiceResult(S&, const ServiceCall&, CallTxn&)>;
  struct Row {
    std::string operation;  // the model's operation name: "CreateLogGroup"
    Handler handler;
  };

  OperationTable(std::initializer_list<Row> rows, OperationOptions options = {})
      : options_(options) {
    for (const Row& row : rows) {
      handlers_.emplace(row.operation, row.handler);
    }
  }
  // Rows made from another list (DynamoDB's engine names its own operations).
  OperationTable(const std::vector<Row>& rows, OperationOptions options) : options_(options) {
    for (const Row& row : rows) {
      handlers_.emplace(row.operation, row.handler);
    }
  }

  bool Has(const std::string& operation) const { return handlers_.count(operation) > 0; }

  // The operation names, in no particular order.
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [name, handler] : handlers_) {
      names.push_back(name);
    }
    return names;
  }

  // Runs `call` on `service` with a transaction on `store`, as the header comment says.
  ServiceResult Handle(S& service, Store& store, const ServiceCall& call) const {
    auto it = handlers_.find(call.operation);
    if (it == handlers_.end()) {
      return internal_table::UnknownOperation(call.operation);
    }
    CallTxn txn(store);
    std::optional<ServiceResult> result;
    try {
      result.emplace(it->second(service, call, txn));
    } catch (const nlohmann::json::exception& e) {
      txn.Rollback();
      return internal_table::InvalidInput(options_, e.what());
    }
    return internal_table::Finish(txn, std::move(*result), options_);
  }

 private:
  std::unordered_map<std::string, Handler> handlers_;
  OperationOptions options_;
};

// A Service whose operations are an OperationTable: HasOperation and Handle come from the
// table. S derives from TableService<S> and passes its table (and the Store) to the
// constructor; both must outlive the service.
template <typename S>
class TableService : public Service {
 public:
  bool HasOperation(const std::string& operation) const override { return table_.Has(operation); }
  ServiceResult Handle(const ServiceCall& call) override {
    return table_.Handle(static_cast<S&>(*this), store_, call);
  }

 protected:
  TableService(Store& store, const OperationTable<S>& table) : store_(store), table_(table) {}

 private:
  Store& store_;
  const OperationTable<S>& table_;
};

}  // namespace cf::cloud
