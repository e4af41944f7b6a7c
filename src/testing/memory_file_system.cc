#include "testing/memory_file_system.h"

namespace cf {

Result<std::string> InMemoryFileSystem::ReadFile(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) {
    return NotFoundError("reading " + path + ": No such file or directory");
  }
  return it->second;
}

Status InMemoryFileSystem::WriteFileAtomic(const std::string& path, std::string_view contents) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_after_ >= 0 && writes_ >= fail_after_) {
    return UnavailableError("writing " + path + ": injected failure");
  }
  ++writes_;
  files_[path] = std::string(contents);
  for (std::string dir = DirName(path); dir != "." && dir != "/"; dir = DirName(dir)) {
    directories_.insert(dir);
  }
  return OkStatus();
}

bool InMemoryFileSystem::Exists(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  return files_.count(path) > 0 || directories_.count(path) > 0;
}

bool InMemoryFileSystem::IsDirectory(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  return directories_.count(path) > 0;
}

Result<std::vector<std::string>> InMemoryFileSystem::ListDirectory(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (directories_.count(path) == 0) {
    return NotFoundError("listing " + path + ": No such file or directory");
  }
  std::set<std::string> names;
  std::string prefix = path + "/";
  auto collect = [&](const std::string& entry) {
    if (entry.compare(0, prefix.size(), prefix) == 0) {
      std::string rest = entry.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    }
  };
  for (const auto& [name, unused] : files_) {
    collect(name);
  }
  for (const auto& dir : directories_) {
    collect(dir);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Status InMemoryFileSystem::MakeDirectories(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::string dir = path; dir != "." && dir != "/" && !dir.empty(); dir = DirName(dir)) {
    directories_.insert(dir);
  }
  return OkStatus();
}

Status InMemoryFileSystem::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  files_.erase(path);
  return OkStatus();
}

void InMemoryFileSystem::FailWritesAfter(int writes) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_after_ = writes_ + writes;
}

int InMemoryFileSystem::write_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return writes_;
}

}  // namespace cf
