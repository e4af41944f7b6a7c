#include "cloud/core/store.h"

#include <fmt/core.h>
#include <sqlite3.h>

namespace cf::cloud {

namespace {

Status SqliteError(sqlite3* db, const char* what) {
  return InternalError(fmt::format("sqlite {}: {}", what, sqlite3_errmsg(db)));
}

// Resets a cached statement when leaving scope.
class StatementScope {
 public:
  explicit StatementScope(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementScope() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_;
};

void BindText(sqlite3_stmt* stmt, int index, const std::string& text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

Result<Json> ParseDocument(sqlite3_stmt* stmt, int column) {
  const char* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
  int size = sqlite3_column_bytes(stmt, column);
  Json doc = Json::parse(text, text + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return InternalError("store: a stored document is not JSON");
  }
  return doc;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const char* name = path.empty() ? ":memory:" : path.c_str();
  if (sqlite3_open_v2(name, &db, flags, nullptr) != SQLITE_OK) {
    Status status = UnavailableError(
        fmt::format("opening {}: {}", path, db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<Store> store(new Store(db));
  sqlite3_busy_timeout(db, 5000);
  RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(store->Exec("PRAGMA synchronous=NORMAL"));
  RETURN_IF_ERROR(
      store->Exec("CREATE TABLE IF NOT EXISTS documents (ns TEXT NOT NULL, key TEXT NOT NULL, "
                  "doc TEXT NOT NULL, PRIMARY KEY (ns, key)) WITHOUT ROWID"));
  RETURN_IF_ERROR(store->Prepare());
  return store;
}

Store::~Store() {
  for (sqlite3_stmt* stmt : {get_, put_, delete_, list_}) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db_);
}

Status Store::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    Status status = InternalError(fmt::format("sqlite: {}: {}", sql, error ? error : "?"));
    sqlite3_free(error);
    return status;
  }
  return OkStatus();
}

Status Store::Prepare() {
  struct {
    sqlite3_stmt** stmt;
    const char* sql;
  } statements[] = {
      {&get_, "SELECT doc FROM documents WHERE ns = ?1 AND key = ?2"},
      {&put_, "INSERT OR REPLACE INTO documents (ns, key, doc) VALUES (?1, ?2, ?3)"},
      {&delete_, "DELETE FROM documents WHERE ns = ?1 AND key = ?2"},
      {&list_,
       "SELECT key, doc FROM documents WHERE ns = ?1 AND substr(key, 1, length(?2)) = ?2 "
       "ORDER BY key"},
  };
  for (auto& s : statements) {
    if (sqlite3_prepare_v2(db_, s.sql, -1, s.stmt, nullptr) != SQLITE_OK) {
      return SqliteError(db_, "prepare");
    }
  }
  return OkStatus();
}

Result<StoreTxn> Store::Begin() {
  std::unique_lock<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  return StoreTxn(this, std::move(lock));
}

Result<std::optional<Json>> Store::Get(const std::string& ns, const std::string& key) {
  ASSIGN_OR_RETURN(StoreTxn txn, Begin());
  return txn.Get(ns, key);
}

Status Store::Put(const std::string& ns, const std::string& key, const Json& doc) {
  ASSIGN_OR_RETURN(StoreTxn txn, Begin());
  RETURN_IF_ERROR(txn.Put(ns, key, doc));
  return txn.Commit();
}

Status Store::Delete(const std::string& ns, const std::string& key) {
  ASSIGN_OR_RETURN(StoreTxn txn, Begin());
  RETURN_IF_ERROR(txn.Delete(ns, key));
  return txn.Commit();
}

Result<std::vector<std::pair<std::string, Json>>> Store::List(const std::string& ns,
                                                              const std::string& prefix) {
  ASSIGN_OR_RETURN(StoreTxn txn, Begin());
  return txn.List(ns, prefix);
}

Status Store::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  return Exec("DELETE FROM documents");
}

StoreTxn::StoreTxn(Store* store, std::unique_lock<std::mutex> lock)
    : store_(store), lock_(std::move(lock)) {}

StoreTxn::StoreTxn(StoreTxn&& other) noexcept
    : store_(other.store_), lock_(std::move(other.lock_)), open_(other.open_) {
  other.open_ = false;
}

StoreTxn::~StoreTxn() {
  if (open_) {
    (void)store_->Exec("ROLLBACK");
  }
}

Result<std::optional<Json>> StoreTxn::Get(const std::string& ns, const std::string& key) {
  sqlite3_stmt* stmt = store_->get_;
  StatementScope scope(stmt);
  BindText(stmt, 1, ns);
  BindText(stmt, 2, key);
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) {
    return std::optional<Json>();
  }
  if (rc != SQLITE_ROW) {
    return SqliteError(store_->db_, "get");
  }
  ASSIGN_OR_RETURN(Json doc, ParseDocument(stmt, 0));
  return std::optional<Json>(std::move(doc));
}

Status StoreTxn::Put(const std::string& ns, const std::string& key, const Json& doc) {
  sqlite3_stmt* stmt = store_->put_;
  StatementScope scope(stmt);
  BindText(stmt, 1, ns);
  BindText(stmt, 2, key);
  BindText(stmt, 3, doc.dump(-1, ' ', false, Json::error_handler_t::replace));
  if (sqlite3_step(stmt) != SQLITE_DONE) {
    return SqliteError(store_->db_, "put");
  }
  return OkStatus();
}

Status StoreTxn::Delete(const std::string& ns, const std::string& key) {
  sqlite3_stmt* stmt = store_->delete_;
  StatementScope scope(stmt);
  BindText(stmt, 1, ns);
  BindText(stmt, 2, key);
  if (sqlite3_step(stmt) != SQLITE_DONE) {
    return SqliteError(store_->db_, "delete");
  }
  return OkStatus();
}

Result<std::vector<std::pair<std::string, Json>>> StoreTxn::List(const std::string& ns,
                                                                 const std::string& prefix) {
  sqlite3_stmt* stmt = store_->list_;
  StatementScope scope(stmt);
  BindText(stmt, 1, ns);
  BindText(stmt, 2, prefix);
  std::vector<std::pair<std::string, Json>> out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char* key = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    ASSIGN_OR_RETURN(Json doc, ParseDocument(stmt, 1));
    out.emplace_back(std::string(key, sqlite3_column_bytes(stmt, 0)), std::move(doc));
  }
  if (rc != SQLITE_DONE) {
    return SqliteError(store_->db_, "list");
  }
  return out;
}

Status StoreTxn::Commit() {
  if (!open_) {
    return InternalError("store: commit of a closed transaction");
  }
  open_ = false;
  Status status = store_->Exec("COMMIT");
  if (!status.ok()) {
    (void)store_->Exec("ROLLBACK");
  }
  lock_.unlock();
  return status;
}

}  // namespace cf::cloud
