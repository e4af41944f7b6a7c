#pragma once

// `clusterform aws SERVICE OPERATION [--input JSON|@FILE] [--endpoint-url URL] [--region R]
//  [--profile P] [--paginate] [--wait WAITER]`: one AWS call through clusterform's own client
// (models, codecs, SigV4, credentials chain, retries), printing the output as JSON.

#include <CLI/CLI.hpp>
#include <string>

#include "cli/app.h"

namespace cf::cli {

struct AwsCommandFlags {
  std::string service;
  std::string operation;
  std::string input;  // JSON text, or @FILE
  std::string endpoint_url;
  std::string region;
  std::string profile;
  bool paginate = false;
  std::string wait;
};

// Adds the `aws` subcommand, filling `flags` when it is parsed.
CLI::App* AddAwsCommand(CLI::App& app, AwsCommandFlags& flags);

// Runs it with the real environment, files, clock and network. Exit codes: 0 done, 1 the
// call or wait failed, 2 bad usage or input.
int RunAwsCommand(const AwsCommandFlags& flags, const Io& io);

}  // namespace cf::cli
