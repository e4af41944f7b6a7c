#pragma once

// The local cloud's persistent state: a SQLite database (WAL mode) of JSON documents, each under
// a namespace ("ec2/vpc") and a key ("vpc-0123456789abcdef0"). Services keep all their state
// here so that it survives stop and start; `cloud reset` wipes it.
//
// Every access happens inside a transaction (StoreTxn). Transactions are serialized: one at a
// time across all threads, so a read-check-write sequence in one transaction is atomic.

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cf::cloud {

using Json = nlohmann::json;

class Store;

// One transaction. Holds the store's lock from Begin() until Commit() or destruction;
// destruction without Commit() rolls back. Not thread-safe; use from one thread.
class StoreTxn {
 public:
  StoreTxn(StoreTxn&& other) noexcept;
  StoreTxn& operator=(StoreTxn&&) = delete;
  ~StoreTxn();

  // The document, or nullopt when there is none.
  Result<std::optional<Json>> Get(const std::string& ns, const std::string& key);
  // Inserts or replaces.
  Status Put(const std::string& ns, const std::string& key, const Json& doc);
  // OK when absent.
  Status Delete(const std::string& ns, const std::string& key);
  // Documents of `ns` whose key starts with `prefix`, ordered by key.
  Result<std::vector<std::pair<std::string, Json>>> List(const std::string& ns,
                                                         const std::string& prefix = "");
  Status Commit();

 private:
  friend class Store;
  StoreTxn(Store* store, std::unique_lock<std::mutex> lock);

  Store* store_;
  std::unique_lock<std::mutex> lock_;
  bool open_ = true;
};

// Thread-safe.
class Store {
 public:
  // Opens (creating) the database at `path`; an empty path gives a private in-memory database.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Starts a transaction; blocks while another is open.
  Result<StoreTxn> Begin();

  // One-call conveniences, each its own transaction.
  Result<std::optional<Json>> Get(const std::string& ns, const std::string& key);
  Status Put(const std::string& ns, const std::string& key, const Json& doc);
  Status Delete(const std::string& ns, const std::string& key);
  Result<std::vector<std::pair<std::string, Json>>> List(const std::string& ns,
                                                         const std::string& prefix = "");
  // Removes every document.
  Status Clear();

 private:
  friend class StoreTxn;
  explicit Store(sqlite3* db) : db_(db) {}
  Status Exec(const char* sql);
  Status Prepare();

  std::mutex mu_;  // held by the open StoreTxn
  sqlite3* db_;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  sqlite3_stmt* delete_ = nullptr;
  sqlite3_stmt* list_ = nullptr;
};

}  // namespace cf::cloud
