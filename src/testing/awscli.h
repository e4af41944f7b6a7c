#pragma once

// Runs Debian's awscli (a real AWS client nobody here wrote) against the local cloud on
// 127.0.0.1, with the given keys and nothing from the caller's environment or AWS config
// files, for end-to-end tests of the local cloud's services.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cf {

struct ShellResult {
  int status = -1;     // as from pclose(): 0 when the command succeeded
  std::string output;  // stdout and stderr together
  // The output parsed as JSON; an empty object when it is not JSON.
  nlohmann::json Json() const;
};

// Runs `command` with /bin/sh and collects its output.
ShellResult RunShell(const std::string& command);

struct AwsCliKey {
  std::string access_key_id = "test";
  std::string secret_access_key = "test";
  std::string session_token;  // empty: none
  std::string region = "us-east-1";
};

// `aws ARGS --endpoint-url http://127.0.0.1:PORT --output json`, one attempt, no retries.
ShellResult RunAwsCli(uint16_t port, const std::string& args, const AwsCliKey& key = {});

// The same with another AWS CLI executable.
ShellResult RunAwsCliBinary(const std::string& binary, uint16_t port, const std::string& args,
                            const AwsCliKey& key = {});

// An AWS CLI on PATH other than Debian's /usr/bin/aws (a newer one, whose models may speak
// other protocols), resolved to a script that runs without its installer's environment;
// nullopt when there is none.
std::optional<std::string> NewerAwsCli();

// True when /usr/bin/aws exists (tests skip otherwise).
bool HaveAwsCli();

}  // namespace cf
