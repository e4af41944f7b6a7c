#include "testing/awscli.h"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <filesystem>

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

ShellResult RunAwsCli(uint16_t port, const std::string& args, const AwsCliKey& key) {
  return RunShell(
      fmt::format("env -i PATH=/usr/bin:/bin HOME=/nonexistent AWS_ACCESS_KEY_ID={} "
                  "AWS_SECRET_ACCESS_KEY={} {} AWS_DEFAULT_REGION={} AWS_CONFIG_FILE=/dev/null "
                  "AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_MAX_ATTEMPTS=1 /usr/bin/aws {} "
                  "--endpoint-url http://127.0.0.1:{} --output json 2>&1",
                  key.access_key_id, key.secret_access_key,
                  key.session_token.empty() ? "" : "AWS_SESSION_TOKEN=" + key.session_token,
                  key.region, args, port));
}

bool HaveAwsCli() {
  return std::filesystem::exists("/usr/bin/aws");
}

}  // namespace cf
