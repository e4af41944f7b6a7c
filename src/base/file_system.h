#pragma once

// The file system, behind an interface so tests can use memory (InMemoryFileSystem in
// src/testing) and inject faults by wrapping.

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cf {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The whole file. NotFound when it does not exist.
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  // Replaces `path` with `contents` so that a crash at any instant leaves either the old or
  // the new file, never a mix: write a temporary beside it, fsync, rename, fsync the folder.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view contents) = 0;
  virtual bool Exists(const std::string& path) const = 0;
  virtual bool IsDirectory(const std::string& path) const = 0;
  // Names (not paths) of the entries of a folder, sorted.
  virtual Result<std::vector<std::string>> ListDirectory(const std::string& path) const = 0;
  // Creates the folder and its parents; OK when it exists already.
  virtual Status MakeDirectories(const std::string& path) = 0;
  // Removes a file; OK when it does not exist.
  virtual Status RemoveFile(const std::string& path) = 0;
};

// The real file system (POSIX). Thread-compatible: distinct paths may be used concurrently.
class RealFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Status WriteFileAtomic(const std::string& path, std::string_view contents) override;
  bool Exists(const std::string& path) const override;
  bool IsDirectory(const std::string& path) const override;
  Result<std::vector<std::string>> ListDirectory(const std::string& path) const override;
  Status MakeDirectories(const std::string& path) override;
  Status RemoveFile(const std::string& path) override;
};

// "a/b" + "c" -> "a/b/c".
std::string JoinPath(std::string_view a, std::string_view b);
// "a/b/c.tf" -> "a/b"; "c.tf" -> ".".
std::string DirName(std::string_view path);
// "a/b/c.tf" -> "c.tf".
std::string BaseName(std::string_view path);

}  // namespace cf
