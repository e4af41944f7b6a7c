#pragma once

// The `local` backend: the state in one file (default clusterform.tfstate in the configuration
// directory; the backend's `path` argument), written through FileSystem::WriteFileAtomic
// (temporary, fsync, rename, fsync of the folder). The lock is the file PATH.lock.info (JSON
// LockInfo); every change to it happens under flock(2) on PATH.lock, which the kernel releases
// when the holder dies, so two processes never both see the lock free.

#include <mutex>
#include <string>

#include "base/file_system.h"
#include "state/backend.h"

namespace cf::state {

class LocalBackend : public Backend {
 public:
  // `fs` must outlive the backend. The lock guard uses the real file system (flock), so a
  // backend over an in-memory FileSystem locks within the process only.
  LocalBackend(FileSystem& fs, std::string path, bool real_files = true);

  std::string Location() const override { return path_; }
  Result<std::optional<std::string>> ReadState() override;
  Status WriteState(std::string_view contents) override;
  Status TryLock(const LockInfo& info, LockInfo* holder) override;
  Status ReplaceLock(const std::string& expected_id, const LockInfo& info,
                     LockInfo* holder) override;
  Status Unlock(const std::string& id) override;
  Result<std::optional<LockInfo>> CurrentLock() override;

  const std::string& path() const { return path_; }

 private:
  // Runs `fn` holding the flock guard (and mu_).
  template <typename Fn>
  Status Guarded(Fn fn);
  Result<std::optional<LockInfo>> ReadLock();

  FileSystem& fs_;
  const std::string path_;
  const std::string lock_path_;
  const std::string guard_path_;
  const bool real_files_;
  std::mutex mu_;
};

}  // namespace cf::state
