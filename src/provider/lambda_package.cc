#include "provider/lambda_package.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "base/base64.h"
#include "base/crypto.h"

namespace cf::provider {

std::vector<std::string> LambdaPackageDirs(const std::string& config_dir) {
  std::vector<std::string> dirs = {config_dir.empty() ? "." : config_dir};
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) {
    dirs.push_back(exe.parent_path().string());
  }
  return dirs;
}

Result<std::string> FindLambdaPackage(const FileSystem& fs, const std::string& filename,
                                      const std::vector<std::string>& dirs) {
  if (filename.empty()) {
    return InvalidArgumentError("aws_lambda_function: filename is empty");
  }
  if (filename.front() == '/') {
    if (fs.Exists(filename)) {
      return filename;
    }
    return InvalidArgumentError(
        fmt::format("aws_lambda_function: the package {} does not exist", filename));
  }
  std::vector<std::string> looked;
  for (const std::string& dir : dirs) {
    std::string path = JoinPath(dir, filename);
    if (fs.Exists(path) && !fs.IsDirectory(path)) {
      return path;
    }
    looked.push_back(path);
  }
  return InvalidArgumentError(fmt::format(
      "aws_lambda_function: the package \"{}\" was found in none of the places looked at: {} "
      "(the configuration directory, then the folder of the clusterform executable, where the "
      "build puts clusterform-lambda.zip)",
      filename, fmt::join(looked, ", ")));
}

std::string LambdaPackageHash(std::string_view zip) {
  return Base64Encode(Sha256(zip));
}

}  // namespace cf::provider
