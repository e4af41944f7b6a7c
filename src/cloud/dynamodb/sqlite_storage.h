#pragma once

#include <memory>
#include <mutex>

#include "cloud/dynamodb/storage.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cf::cloud::dynamodb {

// Storage in one SQLite database file (WAL journal, synchronous=NORMAL: a crash of the
// machine may lose the last commits but never corrupts the file). Schema:
//   tables(name TEXT PRIMARY KEY, description TEXT)
//   items(tbl TEXT, hk BLOB, rk BLOB, data BLOB, PRIMARY KEY(tbl, hk, rk)) WITHOUT ROWID
// BLOBs compare with memcmp, so range keys come back in DynamoDB's order.
// Thread-safe: one connection behind a mutex.
class SqliteStorage : public Storage {
 public:
  // Opens or creates the database at `path` (":memory:" for a private in-memory database).
  static Result<std::unique_ptr<SqliteStorage>> Open(const std::string& path);
  ~SqliteStorage() override;
  SqliteStorage(const SqliteStorage&) = delete;
  SqliteStorage& operator=(const SqliteStorage&) = delete;

  Status PutTable(const std::string& name, const std::string& description) override;
  Status DeleteTable(const std::string& name) override;
  Result<std::vector<std::pair<std::string, std::string>>> LoadTables() override;
  Result<std::optional<std::string>> GetItem(const std::string& table, const std::string& hash_key,
                                             const std::string& range_key) override;
  Status Write(const std::vector<ItemWrite>& writes) override;
  Result<std::vector<StoredItem>> QueryPartition(const std::string& table,
                                                 const std::string& hash_key,
                                                 const std::optional<KeyBound>& low,
                                                 const std::optional<KeyBound>& high, bool forward,
                                                 size_t limit) override;
  Result<std::vector<StoredItem>> ScanTable(
      const std::string& table, const std::optional<std::pair<std::string, std::string>>& after,
      size_t limit) override;
  Result<std::pair<long long, long long>> CountItems(const std::string& table) override;

 private:
  explicit SqliteStorage(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);                           // requires mu_
  Result<sqlite3_stmt*> Prepare(const std::string& sql);  // cached; requires mu_
  Status Error(const char* what);                         // requires mu_

  std::mutex mu_;
  sqlite3* db_;                                                    // guarded by mu_
  std::vector<std::pair<std::string, sqlite3_stmt*>> statements_;  // guarded by mu_
};

}  // namespace cf::cloud::dynamodb
