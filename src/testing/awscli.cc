#include "testing/awscli.h"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

namespace cf {

nlohmann::json ShellResult::Json() const {
  nlohmann::json parsed = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json::object() : parsed;
}

ShellResult RunShell(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return {-1, "popen failed"};
  }
  ShellResult result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), n);
  }
  result.status = ::pclose(pipe);
  return result;
}

ShellResult RunAwsCliBinary(const std::string& binary, uint16_t port, const std::string& args,
                            const AwsCliKey& key) {
  return RunShell(
      fmt::format("env -i PATH=/usr/bin:/bin HOME=/nonexistent AWS_ACCESS_KEY_ID={} "
                  "AWS_SECRET_ACCESS_KEY={} {} AWS_DEFAULT_REGION={} AWS_CONFIG_FILE=/dev/null "
                  "AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1 {} {} "
                  "--endpoint-url http://127.0.0.1:{} --output json 2>&1",
                  key.access_key_id, key.secret_access_key,
                  key.session_token.empty() ? "" : "AWS_SESSION_TOKEN=" + key.session_token,
                  key.region, binary, args, port));
}

ShellResult RunAwsCli(uint16_t port, const std::string& args, const AwsCliKey& key) {
  return RunAwsCliBinary("/usr/bin/aws", port, args, key);
}

std::optional<std::string> NewerAwsCli() {
  const char* path = std::getenv("PATH");
  std::string dirs = path == nullptr ? "" : path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t colon = dirs.find(':', start);
    std::string dir =
        dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    start = colon == std::string::npos ? dirs.size() + 1 : colon + 1;
    std::error_code ec;
    std::filesystem::path candidate = std::filesystem::path(dir) / "aws";
    if (dir.empty() || !std::filesystem::exists(candidate, ec)) {
      continue;
    }
    std::string real = std::filesystem::canonical(candidate, ec).string();
    if (ec || real == "/usr/bin/aws" || real == "/bin/aws") {
      continue;
    }
    if (dir.find("/.pyenv/shims") != std::string::npos) {
      // A pyenv shim needs pyenv's environment; run the interpreter's own script instead.
      ShellResult which = RunShell("pyenv which aws 2>/dev/null");
      std::string resolved = which.output.substr(0, which.output.find('\n'));
      if (which.status != 0 || resolved.empty()) {
        continue;
      }
      real = resolved;
    }
    return real;
  }
  return std::nullopt;
}

bool HaveAwsCli() {
  return std::filesystem::exists("/usr/bin/aws");
}

}  // namespace cf
