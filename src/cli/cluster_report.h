#pragma once

// One look at a WEKA deployment, as `clusterform status` prints it and `clusterform scale`
// follows it: the status function's two answers ({"type":"progress"} and {"type":"status"},
// reference §4.7), the backends' autoscaling group (DescribeAutoScalingGroups) and its
// instances (DescribeInstances), read into one ClusterReport; rendered as aligned text or as
// one JSON document whose fields docs/status-and-scale.md lists. Pure functions: the calls are
// made by ObserveCluster (cluster_observer.h).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/weka_deployment.h"

namespace cf::cli {

// Progress and error lines a host reported ("HH:MM:SS UTC: message"), under its hostname
// (ip-a-b-c-d) and, when the address belongs to an instance of the group, that instance.
struct HostReport {
  std::string hostname;
  std::string private_ip;   // from the hostname; "" when it is not ip-a-b-c-d
  std::string instance_id;  // "" when no instance of the group has that address
  std::vector<std::string> progress;
  std::vector<std::string> errors;
};

struct InstanceReport {
  std::string instance_id;
  std::string private_ip;
  std::string state;      // EC2: pending, running, shutting-down, terminated, ...
  std::string lifecycle;  // the group's: Pending, InService, Terminating, ...
  std::string health;     // Healthy / Unhealthy
  bool protected_from_scale_in = false;
  std::string launch_time;
};

// What WEKA's own status says (the management function's answer), once clusterized.
struct WekaReport {
  std::string name, guid, release, status, io_status, io_status_changed_time;
  int machines_active = 0;  // backend machines: the simulator's count, else containers / n
  int machines_total = 0;
  int containers_active = 0, containers_total = 0;
  int clients_active = 0, clients_total = 0;
  int drives_active = 0, drives_total = 0;
  int64_t capacity_total_bytes = 0, hot_spare_bytes = 0, unprovisioned_bytes = 0;
  int data_drives = 0, parity_drives = 0, hot_spares = 0;
  int active_alerts = 0;
  bool simulator = false;  // the answer came from the local cloud's WEKA simulator
};

struct ClusterReport {
  std::string module, region, asg_name, status_function;
  bool clusterized = false;
  int clusterization_target = 0;
  int ready_for_clusterization = 0;
  std::vector<std::string> in_progress;  // hostnames still installing
  std::vector<HostReport> hosts;         // sorted by hostname
  // Set once clusterized and WEKA answered; nullopt before, or when no backend answered.
  std::optional<WekaReport> weka;
  int desired = 0, min_size = 0, max_size = 0, in_service = 0;
  std::vector<InstanceReport> instances;  // sorted by instance id
};

// Reads the documents into a report. `group` is one element of DescribeAutoScalingGroups'
// AutoScalingGroups; `reservations` is DescribeInstances' Reservations (may be empty).
// Fields missing from a document stay at their zero values.
ClusterReport BuildReport(const WekaDeployment& deployment, const std::string& region,
                          const nlohmann::json& progress, const nlohmann::json& status,
                          const nlohmann::json& group, const nlohmann::json& reservations);

// The report as aligned text (trailing newline). `lines_per_host` limits each host's progress
// lines to the last N (0: all); errors are always shown whole.
std::string RenderReportText(const ClusterReport& report, size_t lines_per_host = 0);

// The report as the stable JSON document of docs/status-and-scale.md ("version": 1).
nlohmann::json RenderReportJson(const ClusterReport& report);

// "1.50 TiB", "22.00 GiB", "512 B": binary units, two decimals.
std::string FormatBytes(int64_t bytes);

// Where a scale to `target` backends stands: done when WEKA's io status is STARTED, it has
// `target` active backend machines and no inactive container, and the group has exactly
// `target` instances, all InService and Healthy. `line` is one line of progress.
struct ScaleCheck {
  bool done = false;
  std::string line;
};
ScaleCheck CheckScale(const ClusterReport& report, int target);

}  // namespace cf::cli
