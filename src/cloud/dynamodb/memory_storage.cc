#include "cloud/dynamodb/memory_storage.h"

#include <algorithm>

namespace cf::cloud::dynamodb {
namespace {

bool AboveLow(const std::string& key, const std::optional<KeyBound>& low) {
  return !low || (low->inclusive ? key >= low->key : key > low->key);
}
bool BelowHigh(const std::string& key, const std::optional<KeyBound>& high) {
  return !high || (high->inclusive ? key <= high->key : key < high->key);
}

}  // namespace

Status MemoryStorage::PutTable(const std::string& name, const std::string& description) {
  std::lock_guard<std::mutex> lock(mu_);
  tables_[name] = description;
  return OkStatus();
}

Status MemoryStorage::DeleteTable(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  tables_.erase(name);
  auto it = items_.lower_bound(Key{name, "", ""});
  while (it != items_.end() && std::get<0>(it->first) == name) {
    it = items_.erase(it);
  }
  return OkStatus();
}

Result<std::vector<std::pair<std::string, std::string>>> MemoryStorage::LoadTables() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::vector<std::pair<std::string, std::string>>(tables_.begin(), tables_.end());
}

Result<std::optional<std::string>> MemoryStorage::GetItem(const std::string& table,
                                                          const std::string& hash_key,
                                                          const std::string& range_key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = items_.find(Key{table, hash_key, range_key});
  if (it == items_.end()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(it->second);
}

Status MemoryStorage::Write(const std::vector<ItemWrite>& writes) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const ItemWrite& w : writes) {
    Key key{w.table, w.hash_key, w.range_key};
    if (w.data) {
      items_[key] = *w.data;
    } else {
      items_.erase(key);
    }
  }
  return OkStatus();
}

Result<std::vector<StoredItem>> MemoryStorage::QueryPartition(const std::string& table,
                                                              const std::string& hash_key,
                                                              const std::optional<KeyBound>& low,
                                                              const std::optional<KeyBound>& high,
                                                              bool forward, size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StoredItem> out;
  auto begin = items_.lower_bound(Key{table, hash_key, ""});
  std::vector<std::map<Key, std::string>::iterator> matches;
  for (auto it = begin;
       it != items_.end() && std::get<0>(it->first) == table && std::get<1>(it->first) == hash_key;
       ++it) {
    const std::string& rk = std::get<2>(it->first);
    if (AboveLow(rk, low) && BelowHigh(rk, high)) {
      matches.push_back(it);
    }
  }
  if (!forward) {
    std::reverse(matches.begin(), matches.end());
  }
  for (auto it : matches) {
    if (limit != 0 && out.size() >= limit) {
      break;
    }
    out.push_back(StoredItem{std::get<1>(it->first), std::get<2>(it->first), it->second});
  }
  return out;
}

Result<std::vector<StoredItem>> MemoryStorage::ScanTable(
    const std::string& table, const std::optional<std::pair<std::string, std::string>>& after,
    size_t limit) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<StoredItem> out;
  auto it = after ? items_.upper_bound(Key{table, after->first, after->second})
                  : items_.lower_bound(Key{table, "", ""});
  for (; it != items_.end() && std::get<0>(it->first) == table; ++it) {
    if (limit != 0 && out.size() >= limit) {
      break;
    }
    out.push_back(StoredItem{std::get<1>(it->first), std::get<2>(it->first), it->second});
  }
  return out;
}

Result<std::pair<long long, long long>> MemoryStorage::CountItems(const std::string& table) {
  std::lock_guard<std::mutex> lock(mu_);
  long long count = 0;
  long long bytes = 0;
  for (auto it = items_.lower_bound(Key{table, "", ""});
       it != items_.end() && std::get<0>(it->first) == table; ++it) {
    ++count;
    bytes += static_cast<long long>(it->second.size());
  }
  return std::make_pair(count, bytes);
}

}  // namespace cf::cloud::dynamodb
