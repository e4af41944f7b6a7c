#include "cloud/dynamodb/sqlite_storage.h"

#include <sqlite3.h>

namespace cf::cloud::dynamodb {
namespace {

// Resets a cached statement when it goes out of scope.
class StatementScope {
 public:
  explicit StatementScope(sqlite3_stmt* s) : s_(s) {}
  ~StatementScope() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  StatementScope(const StatementScope&) = delete;
  StatementScope& operator=(const StatementScope&) = delete;

 private:
  sqlite3_stmt* s_;
};

void BindText(sqlite3_stmt* s, int index, const std::string& text) {
  sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
void BindBlob(sqlite3_stmt* s, int index, const std::string& blob) {
  // A zero-length blob must still be a blob (not NULL) for comparisons to work.
  sqlite3_bind_blob(s, index, blob.empty() ? "" : blob.data(), static_cast<int>(blob.size()),
                    SQLITE_TRANSIENT);
}
std::string ColumnBytes(sqlite3_stmt* s, int column) {
  const void* p = sqlite3_column_blob(s, column);
  int n = sqlite3_column_bytes(s, column);
  return p == nullptr ? std::string()
                      : std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

}  // namespace

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return UnavailableError("opening " + path + ": " + message);
  }
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage(db));
  std::lock_guard<std::mutex> lock(storage->mu_);
  // One connection owns the file for the server's lifetime: with the lock held exclusively,
  // SQLite takes no file lock per transaction and keeps the WAL index in memory (no -shm), which
  // removes two fcntl calls from every write. A second server on the same data directory gets
  // "database is locked" instead of sharing it.
  RETURN_IF_ERROR(storage->Exec("PRAGMA locking_mode=EXCLUSIVE"));
  RETURN_IF_ERROR(storage->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(storage->Exec("PRAGMA synchronous=NORMAL"));
  RETURN_IF_ERROR(storage->Exec(
      "CREATE TABLE IF NOT EXISTS tables(name TEXT PRIMARY KEY, description TEXT NOT NULL)"));
  RETURN_IF_ERROR(storage->Exec(
      "CREATE TABLE IF NOT EXISTS items(tbl TEXT NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL, "
      "data BLOB NOT NULL, PRIMARY KEY(tbl, hk, rk)) WITHOUT ROWID"));
  return storage;
}

SqliteStorage::~SqliteStorage() {
  for (auto& [sql, statement] : statements_) {
    sqlite3_finalize(statement);
  }
  sqlite3_close(db_);
}

Status SqliteStorage::Error(const char* what) {
  return UnavailableError(std::string("sqlite ") + what + ": " + sqlite3_errmsg(db_));
}

Status SqliteStorage::Exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    return UnavailableError(std::string("sqlite: ") + sql + ": " + text);
  }
  return OkStatus();
}

Result<sqlite3_stmt*> SqliteStorage::Prepare(const std::string& sql) {
  for (auto& [text, statement] : statements_) {
    if (text == sql) {
      return statement;
    }
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &statement, nullptr) !=
      SQLITE_OK) {
    return Error("prepare");
  }
  statements_.emplace_back(sql, statement);
  return statement;
}

Status SqliteStorage::PutTable(const std::string& name, const std::string& description) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(sqlite3_stmt * s,
                   Prepare("INSERT OR REPLACE INTO tables(name, description) VALUES(?, ?)"));
  StatementScope scope(s);
  BindText(s, 1, name);
  BindText(s, 2, description);
  if (sqlite3_step(s) != SQLITE_DONE) {
    return Error("put table");
  }
  return OkStatus();
}

Status SqliteStorage::DeleteTable(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(Exec("BEGIN"));
  for (const char* sql : {"DELETE FROM tables WHERE name = ?", "DELETE FROM items WHERE tbl = ?"}) {
    auto s = Prepare(sql);
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s.status();
    }
    StatementScope scope(*s);
    BindText(*s, 1, name);
    if (sqlite3_step(*s) != SQLITE_DONE) {
      Status error = Error("delete table");
      (void)Exec("ROLLBACK");
      return error;
    }
  }
  return Exec("COMMIT");
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStorage::LoadTables() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare("SELECT name, description FROM tables ORDER BY name"));
  StatementScope scope(s);
  std::vector<std::pair<std::string, std::string>> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    out.emplace_back(ColumnBytes(s, 0), ColumnBytes(s, 1));
  }
  if (rc != SQLITE_DONE) {
    return Error("load tables");
  }
  return out;
}

Result<std::optional<std::string>> SqliteStorage::GetItem(const std::string& table,
                                                          const std::string& hash_key,
                                                          const std::string& range_key) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(sqlite3_stmt * s,
                   Prepare("SELECT data FROM items WHERE tbl = ? AND hk = ? AND rk = ?"));
  StatementScope scope(s);
  BindText(s, 1, table);
  BindBlob(s, 2, hash_key);
  BindBlob(s, 3, range_key);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    return std::optional<std::string>(ColumnBytes(s, 0));
  }
  if (rc != SQLITE_DONE) {
    return Error("get item");
  }
  return std::optional<std::string>();
}

Status SqliteStorage::Write(const std::vector<ItemWrite>& writes) {
  std::lock_guard<std::mutex> lock(mu_);
  bool transaction = writes.size() > 1;
  if (transaction) {
    RETURN_IF_ERROR(Exec("BEGIN"));
  }
  for (const ItemWrite& w : writes) {
    auto s = w.data ? Prepare("INSERT OR REPLACE INTO items(tbl, hk, rk, data) VALUES(?, ?, ?, ?)")
                    : Prepare("DELETE FROM items WHERE tbl = ? AND hk = ? AND rk = ?");
    if (!s.ok()) {
      if (transaction) {
        (void)Exec("ROLLBACK");
      }
      return s.status();
    }
    StatementScope scope(*s);
    BindText(*s, 1, w.table);
    BindBlob(*s, 2, w.hash_key);
    BindBlob(*s, 3, w.range_key);
    if (w.data) {
      BindBlob(*s, 4, *w.data);
    }
    if (sqlite3_step(*s) != SQLITE_DONE) {
      Status error = Error("write item");
      if (transaction) {
        (void)Exec("ROLLBACK");
      }
      return error;
    }
  }
  if (transaction) {
    return Exec("COMMIT");
  }
  return OkStatus();
}

Result<std::vector<StoredItem>> SqliteStorage::QueryPartition(const std::string& table,
                                                              const std::string& hash_key,
                                                              const std::optional<KeyBound>& low,
                                                              const std::optional<KeyBound>& high,
                                                              bool forward, size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = "SELECT rk, data FROM items WHERE tbl = ?1 AND hk = ?2";
  if (low) {
    sql += low->inclusive ? " AND rk >= ?3" : " AND rk > ?3";
  }
  if (high) {
    sql += high->inclusive ? " AND rk <= ?4" : " AND rk < ?4";
  }
  sql += forward ? " ORDER BY rk ASC" : " ORDER BY rk DESC";
  sql += " LIMIT ?5";
  ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(sql));
  StatementScope scope(s);
  BindText(s, 1, table);
  BindBlob(s, 2, hash_key);
  if (low) {
    BindBlob(s, 3, low->key);
  }
  if (high) {
    BindBlob(s, 4, high->key);
  }
  sqlite3_bind_int64(s, 5, limit == 0 ? -1 : static_cast<sqlite3_int64>(limit));
  std::vector<StoredItem> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    out.push_back(StoredItem{hash_key, ColumnBytes(s, 0), ColumnBytes(s, 1)});
  }
  if (rc != SQLITE_DONE) {
    return Error("query");
  }
  return out;
}

Result<std::vector<StoredItem>> SqliteStorage::ScanTable(
    const std::string& table, const std::optional<std::pair<std::string, std::string>>& after,
    size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string sql = "SELECT hk, rk, data FROM items WHERE tbl = ?1";
  if (after) {
    sql += " AND (hk > ?2 OR (hk = ?2 AND rk > ?3))";
  }
  sql += " ORDER BY hk, rk LIMIT ?4";
  ASSIGN_OR_RETURN(sqlite3_stmt * s, Prepare(sql));
  StatementScope scope(s);
  BindText(s, 1, table);
  if (after) {
    BindBlob(s, 2, after->first);
    BindBlob(s, 3, after->second);
  }
  sqlite3_bind_int64(s, 4, limit == 0 ? -1 : static_cast<sqlite3_int64>(limit));
  std::vector<StoredItem> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    out.push_back(StoredItem{ColumnBytes(s, 0), ColumnBytes(s, 1), ColumnBytes(s, 2)});
  }
  if (rc != SQLITE_DONE) {
    return Error("scan");
  }
  return out;
}

Result<std::pair<long long, long long>> SqliteStorage::CountItems(const std::string& table) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(
      sqlite3_stmt * s,
      Prepare("SELECT COUNT(*), COALESCE(SUM(LENGTH(data)), 0) FROM items WHERE tbl = ?"));
  StatementScope scope(s);
  BindText(s, 1, table);
  if (sqlite3_step(s) != SQLITE_ROW) {
    return Error("count");
  }
  return std::make_pair(static_cast<long long>(sqlite3_column_int64(s, 0)),
                        static_cast<long long>(sqlite3_column_int64(s, 1)));
}

}  // namespace cf::cloud::dynamodb
