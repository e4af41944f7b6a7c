#include "cloud/kms/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/crypto.h"
#include "base/file_system.h"
#include "base/strings.h"

namespace cf::cloud::kms {

namespace {

constexpr char kHeader[] = "cf-kms-master-key v1";

Status Errno(const std::string& what, const std::string& path) {
  return InternalError(what + " " + path + ": " + std::strerror(errno));
}

Status WriteKeyFile(const std::string& path, const std::string& contents) {
  std::string temp = path + ".tmp";
  ::unlink(temp.c_str());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Errno("cannot create", temp);
  }
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      Status s = Errno("cannot write", temp);
      ::close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = Errno("cannot fsync", temp);
    ::close(fd);
    return s;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return Errno("cannot rename to", path);
  }
  int dir = ::open(DirName(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return OkStatus();
}

}  // namespace

std::string MasterKeyPath(const std::string& data_dir) {
  return JoinPath(data_dir, "kms-master-key");
}

Result<std::string> LoadOrCreateMasterKey(const std::string& data_dir) {
  if (data_dir.empty()) {
    return RandomBytes(kAes256KeyBytes);
  }
  std::string path = MasterKeyPath(data_dir);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      return Errno("cannot stat", path);
    }
    ASSIGN_OR_RETURN(std::string key, RandomBytes(kAes256KeyBytes));
    RETURN_IF_ERROR(WriteKeyFile(path, std::string(kHeader) + "\n" + HexEncode(key) + "\n"));
    return key;
  }
  if ((st.st_mode & 077) != 0) {
    return InvalidArgumentError(path + ": the KMS master key file must not be readable by group " +
                                "or others (chmod 600 it)");
  }
  std::ifstream in(path);
  std::string header;
  std::string hex;
  if (!in || !std::getline(in, header) || !std::getline(in, hex) || header != kHeader ||
      hex.size() != 2 * kAes256KeyBytes) {
    return InvalidArgumentError(path + ": not a clusterform KMS master key file");
  }
  std::optional<std::string> key = HexDecode(hex);
  if (!key) {
    return InvalidArgumentError(path + ": not a clusterform KMS master key file");
  }
  return *key;
}

}  // namespace cf::cloud::kms
