#include "cloud/s3/object_files.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/crypto.h"

namespace cf::cloud::s3 {

namespace {

Status Errno(const std::string& what) {
  return InternalError(fmt::format("{}: {}", what, std::strerror(errno)));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Errno("write " + path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<ObjectFiles>> ObjectFiles::Open(const std::string& root) {
  std::error_code ec;
  if (root.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "cf_s3_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Errno("mkdtemp " + pattern);
    }
    return std::unique_ptr<ObjectFiles>(new ObjectFiles(pattern, true));
  }
  std::filesystem::create_directories(root, ec);
  if (ec) {
    return InternalError(fmt::format("cannot create {}: {}", root, ec.message()));
  }
  return std::unique_ptr<ObjectFiles>(new ObjectFiles(root, false));
}

ObjectFiles::~ObjectFiles() {
  if (temporary_) {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
}

Result<std::string> ObjectFiles::WriteNew(const std::string& relative,
                                          const std::vector<std::string_view>& pieces,
                                          const std::vector<std::string>& from_files) {
  std::filesystem::path path = std::filesystem::path(root_) / relative;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return InternalError(
        fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));
  }
  std::string temp = path.string() + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Errno("open " + temp);
  }
  Status status = OkStatus();
  for (std::string_view piece : pieces) {
    if (status.ok()) {
      status = WriteAll(fd, piece, temp);
    }
  }
  std::string buffer(1 << 20, '\0');
  for (const std::string& name : from_files) {
    if (!status.ok()) {
      break;
    }
    std::string from = (std::filesystem::path(root_) / name).string();
    int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      status = errno == ENOENT ? NotFoundError("object file " + name + " is gone")
                               : Errno("open " + from);
      break;
    }
    while (status.ok()) {
      ssize_t n = ::read(in, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        status = Errno("read " + from);
      } else if (n == 0) {
        break;
      } else {
        status = WriteAll(fd, std::string_view(buffer.data(), static_cast<size_t>(n)), temp);
      }
    }
    ::close(in);
  }
  if (status.ok() && ::fsync(fd) != 0) {
    status = Errno("fsync " + temp);
  }
  ::close(fd);
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = Errno("rename " + temp);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  // The rename is durable once the directory is.
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return relative;
}

Result<std::string> ObjectFiles::WriteObject(const std::string& bucket, const std::string& key,
                                             std::string_view data, const std::string& generation) {
  return WriteNew(bucket + "/" + Sha256Hex(key) + "." + generation, {data}, {});
}

Result<std::string> ObjectFiles::ConcatObject(const std::string& bucket, const std::string& key,
                                              const std::vector<std::string>& parts,
                                              const std::string& generation) {
  return WriteNew(bucket + "/" + Sha256Hex(key) + "." + generation, {}, parts);
}

Result<std::string> ObjectFiles::WritePart(const std::string& upload_id, int part_number,
                                           std::string_view data, const std::string& generation) {
  return WriteNew(fmt::format(".uploads/{}/{}.{}", upload_id, part_number, generation), {data}, {});
}

Result<std::string> ObjectFiles::Read(const std::string& name, uint64_t offset,
                                      uint64_t length) const {
  std::string path = (std::filesystem::path(root_) / name).string();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return NotFoundError("object file " + name + " is gone");
    }
    return Errno("open " + path);
  }
  std::string out(length, '\0');
  uint64_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      ::close(fd);
      return n < 0 ? Errno("read " + path) : InternalError(path + " is shorter than recorded");
    }
    done += static_cast<uint64_t>(n);
  }
  ::close(fd);
  return out;
}

void ObjectFiles::Remove(const std::string& name) {
  std::error_code ec;
  std::filesystem::remove(std::filesystem::path(root_) / name, ec);
}

void ObjectFiles::RemoveBucket(const std::string& bucket) {
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(root_) / bucket, ec);
}

void ObjectFiles::RemoveUpload(const std::string& upload_id) {
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(root_) / ".uploads" / upload_id, ec);
}

Status ObjectFiles::Clear() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(root_, ec)) {
    std::filesystem::remove_all(entry.path(), ec);
    if (ec) {
      return InternalError(
          fmt::format("cannot remove {}: {}", entry.path().string(), ec.message()));
    }
  }
  return OkStatus();
}

}  // namespace cf::cloud::s3
