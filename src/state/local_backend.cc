#include "state/local_backend.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cf::state {

LocalBackend::LocalBackend(FileSystem& fs, std::string path, bool real_files)
    : fs_(fs),
      path_(std::move(path)),
      lock_path_(path_ + ".lock.info"),
      guard_path_(path_ + ".lock"),
      real_files_(real_files) {}

Result<std::optional<std::string>> LocalBackend::ReadState() {
  Result<std::string> text = fs_.ReadFile(path_);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return std::optional<std::string>();
    }
    return text.status();
  }
  return std::optional<std::string>(std::move(*text));
}

Status LocalBackend::WriteState(std::string_view contents) {
  return fs_.WriteFileAtomic(path_, contents);
}

template <typename Fn>
Status LocalBackend::Guarded(Fn fn) {
  std::lock_guard<std::mutex> lock(mu_);
  int fd = -1;
  if (real_files_) {
    fd = ::open(guard_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return UnavailableError("cannot open " + guard_path_ + ": " + std::strerror(errno));
    }
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno != EINTR) {
        int err = errno;
        ::close(fd);
        return UnavailableError("cannot lock " + guard_path_ + ": " + std::strerror(err));
      }
    }
  }
  Status s = fn();
  if (fd >= 0) {
    ::flock(fd, LOCK_UN);
    ::close(fd);
  }
  return s;
}

Result<std::optional<LockInfo>> LocalBackend::ReadLock() {
  Result<std::string> text = fs_.ReadFile(lock_path_);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return std::optional<LockInfo>();
    }
    return text.status();
  }
  if (text->empty()) {
    return std::optional<LockInfo>();
  }
  ASSIGN_OR_RETURN(LockInfo info, LockInfo::FromJson(*text));
  return std::optional<LockInfo>(std::move(info));
}

Status LocalBackend::TryLock(const LockInfo& info, LockInfo* holder) {
  return Guarded([&]() -> Status {
    ASSIGN_OR_RETURN(std::optional<LockInfo> current, ReadLock());
    if (current) {
      if (holder != nullptr) {
        *holder = *current;
      }
      return ConflictError("the state is locked by " + current->who);
    }
    return fs_.WriteFileAtomic(lock_path_, info.ToJson().dump(2) + "\n");
  });
}

Status LocalBackend::ReplaceLock(const std::string& expected_id, const LockInfo& info,
                                 LockInfo* holder) {
  return Guarded([&]() -> Status {
    ASSIGN_OR_RETURN(std::optional<LockInfo> current, ReadLock());
    if (!current) {
      return ConflictError("the state is not locked");
    }
    if (current->id != expected_id) {
      if (holder != nullptr) {
        *holder = *current;
      }
      return ConflictError("the state is locked by " + current->who + " under another lock");
    }
    return fs_.WriteFileAtomic(lock_path_, info.ToJson().dump(2) + "\n");
  });
}

Status LocalBackend::Unlock(const std::string& id) {
  return Guarded([&]() -> Status {
    ASSIGN_OR_RETURN(std::optional<LockInfo> current, ReadLock());
    if (!current) {
      return NotFoundError("the state at " + path_ + " is not locked");
    }
    if (current->id != id) {
      return ConflictError("the state's lock has ID " + current->id + ", not " + id);
    }
    return fs_.RemoveFile(lock_path_);
  });
}

Result<std::optional<LockInfo>> LocalBackend::CurrentLock() {
  std::optional<LockInfo> out;
  Status s = Guarded([&]() -> Status {
    ASSIGN_OR_RETURN(out, ReadLock());
    return OkStatus();
  });
  if (!s.ok()) {
    return s;
  }
  return out;
}

}  // namespace cf::state
