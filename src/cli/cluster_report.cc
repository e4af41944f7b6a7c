#include "cli/cluster_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <regex>

namespace cf::cli {

namespace {

using Json = nlohmann::json;

int Int(const Json& doc, const char* key) {
  if (!doc.is_object() || !doc.contains(key) || !doc[key].is_number()) {
    return 0;
  }
  return doc[key].get<int>();
}

int64_t Int64(const Json& doc, const char* key) {
  if (!doc.is_object() || !doc.contains(key) || !doc[key].is_number()) {
    return 0;
  }
  return doc[key].get<int64_t>();
}

std::string Str(const Json& doc, const char* key) {
  if (!doc.is_object() || !doc.contains(key) || !doc[key].is_string()) {
    return "";
  }
  return doc[key].get<std::string>();
}

bool Bool(const Json& doc, const char* key) {
  return doc.is_object() && doc.contains(key) && doc[key].is_boolean() && doc[key].get<bool>();
}

const Json& Member(const Json& doc, const char* key) {
  static const Json kNull;
  return doc.is_object() && doc.contains(key) ? doc[key] : kNull;
}

// "ip-10-0-1-5" or "ip-10-0-1-5.ec2.internal" -> "10.0.1.5"; "" for other names.
std::string IpOfHostname(const std::string& hostname) {
  static const std::regex kIp("^ip-(\\d+)-(\\d+)-(\\d+)-(\\d+)(\\..*)?$");
  std::smatch m;
  if (!std::regex_match(hostname, m, kIp)) {
    return "";
  }
  return fmt::format("{}.{}.{}.{}", m[1].str(), m[2].str(), m[3].str(), m[4].str());
}

std::vector<std::string> Lines(const Json& v) {
  std::vector<std::string> out;
  if (v.is_array()) {
    for (const Json& line : v) {
      if (line.is_string()) {
        out.push_back(line.get<std::string>());
      }
    }
  }
  return out;
}

std::optional<WekaReport> ReadWeka(const Json& w, int containers_per_machine) {
  if (!w.is_object() || w.empty() || Str(w, "io_status").empty()) {
    return std::nullopt;  // the management function found no backend to ask
  }
  WekaReport r;
  r.name = Str(w, "name");
  r.guid = Str(w, "guid");
  r.release = Str(w, "release");
  r.status = Str(w, "status");
  r.io_status = Str(w, "io_status");
  r.io_status_changed_time = Str(w, "io_status_changed_time");
  const Json& backends = Member(Member(w, "hosts"), "backends");
  r.containers_active = Int(backends, "active");
  r.containers_total = Int(backends, "total");
  const Json& clients = Member(Member(w, "hosts"), "clients");
  r.clients_active = Int(clients, "active");
  r.clients_total = Int(clients, "total");
  const Json& machines = Member(w, "machines");
  if (machines.is_object()) {
    r.machines_active = Int(machines, "active");
    r.machines_total = Int(machines, "total");
  } else {
    int per = std::max(containers_per_machine, 1);
    r.machines_active = r.containers_active / per;
    r.machines_total = (r.containers_total + per - 1) / per;
  }
  r.drives_active = Int(Member(w, "drives"), "active");
  r.drives_total = Int(Member(w, "drives"), "total");
  const Json& capacity = Member(w, "capacity");
  r.capacity_total_bytes = Int64(capacity, "total_bytes");
  r.hot_spare_bytes = Int64(capacity, "hot_spare_bytes");
  r.unprovisioned_bytes = Int64(capacity, "unprovisioned_bytes");
  r.data_drives = Int(w, "stripe_data_drives");
  r.parity_drives = Int(w, "stripe_protection_drives");
  r.hot_spares = Int(w, "hot_spare");
  r.active_alerts = Int(w, "active_alerts_count");
  r.simulator = Bool(w, "simulator");
  return r;
}

std::string YesNo(bool b) {
  return b ? "yes" : "no";
}

// Columns padded to their widest cell, two spaces apart, each row indented by `indent`.
std::string Table(const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line += std::string(width[i] - row[i].size() + 2, ' ');
      }
    }
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace

std::string FormatBytes(int64_t bytes) {
  static const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) {
    return fmt::format("{} B", bytes);
  }
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  return fmt::format("{:.2f} {}", v, kUnits[unit]);
}

ClusterReport BuildReport(const WekaDeployment& deployment, const std::string& region,
                          const Json& progress, const Json& status, const Json& group,
                          const Json& reservations) {
  ClusterReport r;
  r.module = deployment.module;
  r.region = region;
  r.asg_name = deployment.asg_name;
  r.status_function = deployment.status_function;
  const Json& summary = Member(progress, "summary");
  r.clusterized = Bool(summary, "clusterized") || Bool(status, "clusterized");
  r.clusterization_target = Int(summary, "clusterization_target");
  r.ready_for_clusterization = Int(summary, "ready_for_clusterization");
  r.in_progress = Lines(Member(progress, "in_progress"));
  if (r.clusterized) {
    r.weka = ReadWeka(Member(status, "weka_status"), deployment.containers_per_machine);
  }

  r.desired = Int(group, "DesiredCapacity");
  r.min_size = Int(group, "MinSize");
  r.max_size = Int(group, "MaxSize");
  std::map<std::string, const Json*> ec2;
  if (reservations.is_array()) {
    for (const Json& reservation : reservations) {
      for (const Json& i : Member(reservation, "Instances")) {
        ec2[Str(i, "InstanceId")] = &i;
      }
    }
  }
  std::map<std::string, std::string> id_of_ip;
  for (const Json& i : Member(group, "Instances")) {
    InstanceReport in;
    in.instance_id = Str(i, "InstanceId");
    in.lifecycle = Str(i, "LifecycleState");
    in.health = Str(i, "HealthStatus");
    in.protected_from_scale_in = Bool(i, "ProtectedFromScaleIn");
    auto it = ec2.find(in.instance_id);
    if (it != ec2.end()) {
      in.private_ip = Str(*it->second, "PrivateIpAddress");
      in.state = Str(Member(*it->second, "State"), "Name");
      in.launch_time = Str(*it->second, "LaunchTime");
    }
    if (in.lifecycle == "InService") {
      ++r.in_service;
    }
    if (!in.private_ip.empty()) {
      id_of_ip[in.private_ip] = in.instance_id;
    }
    r.instances.push_back(std::move(in));
  }
  std::sort(r.instances.begin(), r.instances.end(),
            [](const InstanceReport& a, const InstanceReport& b) {
              return a.instance_id < b.instance_id;
            });

  std::map<std::string, HostReport> hosts;
  auto host = [&](const std::string& name) -> HostReport& {
    HostReport& h = hosts[name];
    if (h.hostname.empty()) {
      h.hostname = name;
      h.private_ip = IpOfHostname(name);
      auto it = id_of_ip.find(h.private_ip);
      h.instance_id = it == id_of_ip.end() ? "" : it->second;
    }
    return h;
  };
  const Json& lines = Member(progress, "progress");
  if (lines.is_object()) {
    for (auto it = lines.begin(); it != lines.end(); ++it) {
      host(it.key()).progress = Lines(it.value());
    }
  }
  const Json& errors = Member(progress, "errors");
  if (errors.is_object()) {
    for (auto it = errors.begin(); it != errors.end(); ++it) {
      host(it.key()).errors = Lines(it.value());
    }
  }
  for (auto& [name, h] : hosts) {
    r.hosts.push_back(std::move(h));
  }
  return r;
}

std::string RenderReportText(const ClusterReport& r, size_t lines_per_host) {
  std::string out = fmt::format("WEKA deployment module.{} ({})\n\n", r.module, r.region);
  std::vector<std::vector<std::string>> facts;
  if (r.clusterized) {
    facts.push_back({"Clusterized:", "yes"});
  } else {
    facts.push_back({"Clusterized:", fmt::format("no: {} of {} backends ready for clusterization, "
                                                 "{} installing",
                                                 r.ready_for_clusterization,
                                                 r.clusterization_target, r.in_progress.size())});
  }
  if (r.weka) {
    const WekaReport& w = *r.weka;
    std::string name = w.name.empty() ? "" : fmt::format("\"{}\" ", w.name);
    facts.push_back(
        {"Cluster:",
         fmt::format("{}{}release {}{}", name, w.guid.empty() ? "" : fmt::format("({}) ", w.guid),
                     w.release, w.simulator ? " (clusterform WEKA simulator)" : "")});
    facts.push_back({"IO status:", w.status.empty()
                                       ? w.io_status
                                       : fmt::format("{}, status {}", w.io_status, w.status)});
    facts.push_back(
        {"Backends:", fmt::format("{}/{} machines active ({}/{} containers)", w.machines_active,
                                  w.machines_total, w.containers_active, w.containers_total)});
    if (w.clients_total > 0) {
      facts.push_back({"Clients:", fmt::format("{}/{} active", w.clients_active, w.clients_total)});
    }
    facts.push_back({"Drives:", fmt::format("{}/{} active", w.drives_active, w.drives_total)});
    facts.push_back({"Capacity:", fmt::format("{} usable, {} hot spare, {} unprovisioned",
                                              FormatBytes(w.capacity_total_bytes),
                                              FormatBytes(w.hot_spare_bytes),
                                              FormatBytes(w.unprovisioned_bytes))});
    facts.push_back(
        {"Protection:", fmt::format("{}+{} stripe, {} hot spare{}", w.data_drives, w.parity_drives,
                                    w.hot_spares, w.hot_spares == 1 ? "" : "s")});
    facts.push_back({"Alerts:", fmt::format("{} active", w.active_alerts)});
  } else if (r.clusterized) {
    facts.push_back({"WEKA status:", "unavailable: no backend answered the management function"});
  }
  facts.push_back({"Autoscaling group:",
                   fmt::format("{}: desired {}, in service {} (min {}, max {})", r.asg_name,
                               r.desired, r.in_service, r.min_size, r.max_size)});
  out += Table(facts, "");

  if (!r.instances.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"INSTANCE", "PRIVATE IP", "STATE", "LIFECYCLE", "HEALTH", "SCALE-IN PROTECTED"}};
    for (const InstanceReport& i : r.instances) {
      rows.push_back({i.instance_id, i.private_ip.empty() ? "-" : i.private_ip,
                      i.state.empty() ? "-" : i.state, i.lifecycle, i.health,
                      YesNo(i.protected_from_scale_in)});
    }
    out += "\n";
    out += Table(rows, "  ");
  }

  if (!r.hosts.empty()) {
    out += fmt::format("\nClusterization progress ({} host{}):\n", r.hosts.size(),
                       r.hosts.size() == 1 ? "" : "s");
    for (const HostReport& h : r.hosts) {
      std::string who = h.instance_id.empty() ? "" : fmt::format(" ({})", h.instance_id);
      out += fmt::format("  {}{}\n", h.hostname, who);
      size_t from = lines_per_host == 0 || h.progress.size() <= lines_per_host
                        ? 0
                        : h.progress.size() - lines_per_host;
      if (from > 0) {
        out += fmt::format("    ... {} earlier line{}\n", from, from == 1 ? "" : "s");
      }
      for (size_t i = from; i < h.progress.size(); ++i) {
        out += fmt::format("    {}\n", h.progress[i]);
      }
      for (const std::string& e : h.errors) {
        out += fmt::format("    error: {}\n", e);
      }
    }
  }
  return out;
}

Json RenderReportJson(const ClusterReport& r) {
  Json hosts = Json::array();
  for (const HostReport& h : r.hosts) {
    hosts.push_back({{"hostname", h.hostname},
                     {"private_ip", h.private_ip},
                     {"instance_id", h.instance_id},
                     {"progress", h.progress},
                     {"errors", h.errors}});
  }
  Json instances = Json::array();
  for (const InstanceReport& i : r.instances) {
    instances.push_back({{"instance_id", i.instance_id},
                         {"private_ip", i.private_ip},
                         {"state", i.state},
                         {"lifecycle", i.lifecycle},
                         {"health", i.health},
                         {"protected_from_scale_in", i.protected_from_scale_in},
                         {"launch_time", i.launch_time}});
  }
  Json weka = nullptr;
  if (r.weka) {
    const WekaReport& w = *r.weka;
    weka = {{"name", w.name},
            {"guid", w.guid},
            {"release", w.release},
            {"status", w.status},
            {"io_status", w.io_status},
            {"io_status_changed_time", w.io_status_changed_time},
            {"backends",
             {{"machines_active", w.machines_active},
              {"machines_total", w.machines_total},
              {"containers_active", w.containers_active},
              {"containers_total", w.containers_total}}},
            {"clients", {{"active", w.clients_active}, {"total", w.clients_total}}},
            {"drives", {{"active", w.drives_active}, {"total", w.drives_total}}},
            {"capacity",
             {{"total_bytes", w.capacity_total_bytes},
              {"hot_spare_bytes", w.hot_spare_bytes},
              {"unprovisioned_bytes", w.unprovisioned_bytes}}},
            {"protection",
             {{"data_drives", w.data_drives},
              {"parity_drives", w.parity_drives},
              {"hot_spares", w.hot_spares}}},
            {"active_alerts", w.active_alerts},
            {"simulator", w.simulator}};
  }
  return {{"version", 1},
          {"deployment",
           {{"module", r.module},
            {"region", r.region},
            {"asg_name", r.asg_name},
            {"status_function", r.status_function}}},
          {"clusterized", r.clusterized},
          {"clusterization",
           {{"target", r.clusterization_target},
            {"ready", r.ready_for_clusterization},
            {"in_progress", r.in_progress}}},
          {"weka", weka},
          {"autoscaling_group",
           {{"name", r.asg_name},
            {"desired", r.desired},
            {"min", r.min_size},
            {"max", r.max_size},
            {"in_service", r.in_service},
            {"instances", instances}}},
          {"hosts", hosts}};
}

ScaleCheck CheckScale(const ClusterReport& r, int target) {
  int healthy = 0;
  int others = 0;
  for (const InstanceReport& i : r.instances) {
    if (i.lifecycle == "InService" && i.health == "Healthy") {
      ++healthy;
    } else {
      ++others;
    }
  }
  std::string group = fmt::format("group: {} instance{} ({} in service and healthy)",
                                  r.instances.size(), r.instances.size() == 1 ? "" : "s", healthy);
  if (!r.weka) {
    return {false, fmt::format("backends: WEKA status unavailable; {}", group)};
  }
  const WekaReport& w = *r.weka;
  std::string weka =
      fmt::format("backends: {}/{} active (target {}), containers {}/{}, io {}", w.machines_active,
                  w.machines_total, target, w.containers_active, w.containers_total, w.io_status);
  bool done = w.io_status == "STARTED" && w.machines_active == target &&
              w.machines_total == target && w.containers_active == w.containers_total &&
              healthy == target && others == 0;
  return {done, weka + "; " + group};
}

}  // namespace cf::cli
