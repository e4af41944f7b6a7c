#pragma once

// `clusterform aws SERVICE OPERATION [--input JSON|@FILE] [--endpoint-url URL] [--region R]
//  [--profile P] [--paginate] [--wait WAITER]`: one AWS call through clusterform's own client
// (models, codecs, SigV4, credentials chain, retries), printing the output as JSON.

#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/flags.h"

namespace cf::cli {

// SERVICE OPERATION and the flags above.
const FlagSpec& AwsFlags();

// Runs `aws ARGS` with the real environment, clock and network and the context's files.
// Exit codes: 0 done, 1 the call or wait failed, 2 bad usage or input.
int RunAwsCommand(const std::vector<std::string>& args, const CommandContext& context);

}  // namespace cf::cli
