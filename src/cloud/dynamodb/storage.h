#pragma once

// Where the DynamoDB engine keeps tables and items. Items are opaque blobs addressed by
// (table, hash key bytes, range key bytes); key bytes come from EncodeKeyValue, so byte order
// is DynamoDB's sort order. Implementations: SqliteStorage (durable) and MemoryStorage (tests).
//
// Thread-safety: every method may be called from any thread; each call is atomic. Callers
// that need read-modify-write atomicity across calls (conditional writes) serialize per table
// themselves (the engine does).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace cf::cloud::dynamodb {

struct StoredItem {
  std::string hash_key;
  std::string range_key;  // Empty for tables without a range key.
  std::string data;
};

// One end of a range of range keys.
struct KeyBound {
  std::string key;
  bool inclusive = true;
};

struct ItemWrite {
  std::string table;
  std::string hash_key;
  std::string range_key;
  std::optional<std::string> data;  // nullopt deletes the item.
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Table descriptions (opaque text) by table name.
  virtual Status PutTable(const std::string& name, const std::string& description) = 0;
  // Deletes the table's description and all its items.
  virtual Status DeleteTable(const std::string& name) = 0;
  virtual Result<std::vector<std::pair<std::string, std::string>>> LoadTables() = 0;

  virtual Result<std::optional<std::string>> GetItem(const std::string& table,
                                                     const std::string& hash_key,
                                                     const std::string& range_key) = 0;
  // Applies all writes or none.
  virtual Status Write(const std::vector<ItemWrite>& writes) = 0;

  // Items of one partition whose range key lies within the bounds, in range key order
  // (descending when !forward), at most `limit` of them (0: no limit).
  virtual Result<std::vector<StoredItem>> QueryPartition(const std::string& table,
                                                         const std::string& hash_key,
                                                         const std::optional<KeyBound>& low,
                                                         const std::optional<KeyBound>& high,
                                                         bool forward, size_t limit) = 0;
  // All items of a table in (hash key, range key) order, starting strictly after `after` when
  // given, at most `limit` of them (0: no limit).
  virtual Result<std::vector<StoredItem>> ScanTable(
      const std::string& table, const std::optional<std::pair<std::string, std::string>>& after,
      size_t limit) = 0;

  // Number of items and total bytes of their blobs.
  virtual Result<std::pair<long long, long long>> CountItems(const std::string& table) = 0;
};

}  // namespace cf::cloud::dynamodb
