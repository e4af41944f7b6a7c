#pragma once

// `clusterform status [DIR] [--watch] [-json] [-interval D] [-var NAME=VALUE] [-var-file F]`:
// the WEKA deployment of DIR as its status function, its autoscaling group and its instances
// describe it (cluster_report.h): clusterization progress per host, clusterized or not, io
// status, backends and drives active/total, capacity, the group's desired and in-service
// counts and each instance's health. Text by default; -json prints one JSON document
// (docs/status-and-scale.md). --watch refreshes every -interval (default 2s) until the cluster
// is clusterized (exit 0) or Ctrl-C (exit 130); on a terminal it redraws in place, otherwise
// it prints the report again only when it changed (with -json: one compact document per line).
//
// Exit status: 0 success; 1 no state, no WEKA module, an unreachable endpoint, a failing
// status function; 2 usage; 130 interrupted while watching.

#include <map>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "cli/app.h"
#include "cli/flags.h"

namespace cf::cli {

const FlagSpec& StatusFlags();

int RunStatus(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs);

}  // namespace cf::cli
