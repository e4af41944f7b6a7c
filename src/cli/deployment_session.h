#pragma once

// What `status` and `scale` open first: the configuration in DIR expanded against its state
// (the engine plan uses, so -var and -var-file work the same), the WEKA deployment in it,
// and an AWS client made from its provider "aws" settings (AWS, or the local cloud the
// endpoints name).

#include <signal.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/aws_wiring.h"
#include "cli/cluster_observer.h"
#include "cli/engine.h"

namespace cf::cli {

struct DeploymentSession {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<AwsClientStack> client;
  std::string region;
  std::string endpoint;  // "" for AWS's own endpoints
  std::unique_ptr<ClusterObserver> observer;
};

// Prints what went wrong to io.err, prefixed with `command` ("clusterform status"), and
// returns nullptr: configuration diagnostics, no state, no WEKA module, no client.
std::unique_ptr<DeploymentSession> OpenDeploymentSession(
    const std::string& command, const std::string& dir, const std::vector<config::VarOption>& vars,
    const std::map<std::string, std::string>& environment, FileSystem& fs, const Io& io);

// Waits for Ctrl-C (SIGINT) while alive: Sleep returns early, and interrupted() turns true,
// instead of the process being killed, so a command can say what it left behind. One at a
// time per process (the handler sets a process-wide flag).
class InterruptWatch {
 public:
  InterruptWatch();
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;
  bool interrupted() const;
  // Sleeps for `d` or until interrupted; false when interrupted.
  bool Sleep(std::chrono::milliseconds d) const;

 private:
  struct sigaction previous_ {};
};

}  // namespace cf::cli
