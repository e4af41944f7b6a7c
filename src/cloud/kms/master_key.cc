#include "cloud/kms/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/file_system.h"
#include "cloud/kms/aes_gcm.h"

namespace cf::cloud::kms {

namespace {

constexpr char kHeader[] = "cf-kms-master-key v1";

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

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
    return SecureRandomBytes(kAesKeyBytes);
  }
  std::string path = MasterKeyPath(data_dir);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      return Errno("cannot stat", path);
    }
    ASSIGN_OR_RETURN(std::string key, SecureRandomBytes(kAesKeyBytes));
    RETURN_IF_ERROR(WriteKeyFile(path, std::string(kHeader) + "\n" + Hex(key) + "\n"));
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
      hex.size() != 2 * kAesKeyBytes) {
    return InvalidArgumentError(path + ": not a clusterform KMS master key file");
  }
  std::string key;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]);
    int lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return InvalidArgumentError(path + ": not a clusterform KMS master key file");
    }
    key.push_back(static_cast<char>(hi * 16 + lo));
  }
  return key;
}

}  // namespace cf::cloud::kms
