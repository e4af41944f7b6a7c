#pragma once

// The control plane's functions (reference §4.3-§4.13), one binary, the handler chosen by the
// LAMBDA environment variable as the WEKA module sets it (src/modules/weka/lambdas.tf):
// deploy, clusterize, clusterizeFinalization, joinNfsFinalization, report, status, fetch,
// scaleDown, terminate, transient, management. Each takes the invocation's event and answers
// a JSON value (a string for scripts and confirmations), or a Status that the runtime reports
// as the function's error (its message is the error message the reference gives).

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "control/aws_api.h"
#include "control/state.h"
#include "control/weka_rpc.h"

namespace cf::control {

using Environment = std::map<std::string, std::string>;

// Makes the JSON-RPC pool scale-down and management use: backend IPs in the order to try
// them, and the credentials to log in with.
using WekaRpcFactory = std::function<std::unique_ptr<WekaRpc>(
    std::vector<std::string> ips, std::string username, std::string password)>;

struct HandlerContext {
  Environment env;  // the function's environment (LAMBDA, TABLE_NAME, ...)
  AwsApi* aws = nullptr;
  Clock* clock = nullptr;
  WekaRpcFactory make_rpc;
  std::string request_id;  // the lock's owner
  LockOptions lock;
  // CLUSTERFORM_TIME_SCALE of the environment (control/time_scale.h): scale-down's and
  // terminate's durations are multiplied by it.
  double time_scale = 1.0;
};

// Runs the handler LAMBDA names. InvalidArgument "unsupported lambda command" for an unknown
// one; the handlers' own errors otherwise.
Result<nlohmann::json> HandleEvent(const HandlerContext& ctx, const nlohmann::json& event);

// "HH:MM:SS UTC: message", as reports are stored.
std::string ReportEntry(std::chrono::system_clock::time_point t, const std::string& message);

// A password of `length` characters from the CSPRNG with at least one lower-case letter, one
// upper-case letter and one digit (the public module uses math/rand).
Result<std::string> GeneratePassword(size_t length = 20);

// The installer URL the scripts use: "$TOKEN@" userinfo removed (the token goes by basic
// auth); on the local cloud (`endpoint_url` set) the default get.weka.io URL becomes the
// simulator's `${AWS_ENDPOINT_URL}/_wekasim/dist/v1/install/<version>` (contract §2).
std::string ScriptInstallUrl(const std::string& install_url, const std::string& endpoint_url);

}  // namespace cf::control
