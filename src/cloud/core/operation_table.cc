#include "cloud/core/operation_table.h"

namespace cf::cloud {

Result<StoreTxn*> CallTxn::Open() {
  if (!txn_) {
    ASSIGN_OR_RETURN(StoreTxn begun, store_.Begin());
    txn_.emplace(std::move(begun));
  }
  return &*txn_;
}

Result<std::optional<Json>> CallTxn::Get(const std::string& ns, const std::string& key) {
  ASSIGN_OR_RETURN(StoreTxn * txn, Open());
  return txn->Get(ns, key);
}

Status CallTxn::Put(const std::string& ns, const std::string& key, const Json& doc) {
  ASSIGN_OR_RETURN(StoreTxn * txn, Open());
  return txn->Put(ns, key, doc);
}

Status CallTxn::Delete(const std::string& ns, const std::string& key) {
  ASSIGN_OR_RETURN(StoreTxn * txn, Open());
  return txn->Delete(ns, key);
}

Result<std::vector<std::pair<std::string, Json>>> CallTxn::List(const std::string& ns,
                                                                const std::string& prefix) {
  ASSIGN_OR_RETURN(StoreTxn * txn, Open());
  return txn->List(ns, prefix);
}

ServiceOr<Json> CallTxn::Require(const std::string& ns, const std::string& key,
                                 ServiceError missing) {
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> doc, Get(ns, key));
  if (!doc) {
    return missing;
  }
  return std::move(*doc);
}

Status CallTxn::Commit() {
  if (!txn_) {
    return OkStatus();
  }
  Status committed = txn_->Commit();
  txn_.reset();
  return committed;
}

namespace internal_table {

ServiceResult Finish(CallTxn& txn, ServiceResult result, const OperationOptions& options) {
  if (result.ok() || options.commit == CommitPolicy::kAlways) {
    Status committed = txn.Commit();
    if (!committed.ok()) {
      return options.internal_error(committed.message());
    }
  } else {
    txn.Rollback();
  }
  if (!result.ok() && result.error().internal) {
    return options.internal_error(result.error().message);
  }
  return result;
}

ServiceError UnknownOperation(const std::string& operation) {
  return ServiceError{"UnknownOperationException",
                      "The operation " + operation + " is not supported.", 400, true};
}

ServiceError InvalidInput(const OperationOptions& options, const char* what) {
  return options.invalid_input(std::string("The request does not fit the operation's input: ") +
                               what);
}

}  // namespace internal_table

}  // namespace cf::cloud
