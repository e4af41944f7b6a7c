#pragma once

#include <map>
#include <mutex>
#include <set>

#include "base/file_system.h"

namespace cf {

// A file system held in memory. Writes are atomic by construction. `FailWritesAfter(n)`
// makes every write after the next n fail with Unavailable, to test crash paths.
// Thread-safe.
class InMemoryFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Status WriteFileAtomic(const std::string& path, std::string_view contents) override;
  bool Exists(const std::string& path) const override;
  bool IsDirectory(const std::string& path) const override;
  Result<std::vector<std::string>> ListDirectory(const std::string& path) const override;
  Status MakeDirectories(const std::string& path) override;
  Status RemoveFile(const std::string& path) override;

  void FailWritesAfter(int writes);
  int write_count() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;  // guarded by mu_
  std::set<std::string> directories_;         // guarded by mu_
  int writes_ = 0;                            // guarded by mu_
  int fail_after_ = -1;                       // guarded by mu_
};

}  // namespace cf
