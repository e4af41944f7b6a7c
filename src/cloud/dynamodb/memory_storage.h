#pragma once

#include <map>
#include <mutex>
#include <tuple>

#include "cloud/dynamodb/storage.h"

namespace cf::cloud::dynamodb {

// Storage in ordered maps, for tests. Thread-safe (one mutex).
class MemoryStorage : public Storage {
 public:
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
  using Key = std::tuple<std::string, std::string, std::string>;
  std::mutex mu_;
  std::map<std::string, std::string> tables_;  // guarded by mu_
  std::map<Key, std::string> items_;           // guarded by mu_
};

}  // namespace cf::cloud::dynamodb
