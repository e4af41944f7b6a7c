// The `weka` command's subcommands and the simulated OS commands (WekaSim::Run).

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "cloud/wekasim/wekasim.h"

namespace cf::cloud::wekasim {

namespace {

// argv after the subcommand words: positionals and --options. Options named in `flags` take
// no value; every other option takes the next word (or its "=value").
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;

  bool Has(const std::string& name) const { return options.count(name) != 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = options.find(name);
    return it == options.end() || it->second.empty() ? fallback : it->second.back();
  }
  bool WantsJson() const { return Has("-J") || Has("--json") || Get("--format") == "json"; }
};

Args Parse(const std::vector<std::string>& argv, size_t from, const std::set<std::string>& flags) {
  static const std::set<std::string> kCommonFlags = {"-J",
                                                     "--json",
                                                     "-f",
                                                     "--force",
                                                     "-v",
                                                     "--verbose",
                                                     "--all",
                                                     "--dedicate",
                                                     "--no-frontends",
                                                     "--set-current",
                                                     "-R",
                                                     "--raw-units",
                                                     "--only-dataserv-cores",
                                                     "--allow-mix-setting",
                                                     "--unset"};
  Args args;
  for (size_t i = from; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (word.size() > 1 && word[0] == '-' && !std::isdigit(static_cast<unsigned char>(word[1]))) {
      size_t eq = word.find('=');
      if (eq != std::string::npos && word.rfind("--", 0) == 0) {
        args.options[word.substr(0, eq)].push_back(word.substr(eq + 1));
        continue;
      }
      if (flags.count(word) != 0 || kCommonFlags.count(word) != 0 || i + 1 >= argv.size()) {
        args.options[word];
        continue;
      }
      args.options[word].push_back(argv[++i]);
      continue;
    }
    args.positional.push_back(word);
  }
  return args;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string item;
  std::stringstream in(text);
  while (std::getline(in, item, separator)) {
    if (!item.empty()) {
      out.push_back(item);
    }
  }
  return out;
}

CommandOutput Ok(std::string out = "") {
  return CommandOutput{0, std::move(out), ""};
}

CommandOutput Fail(const Status& status, int code = 1) {
  std::string message = status.message();
  if (message.rfind("error:", 0) != 0 && message.rfind("mount:", 0) != 0) {
    message = "error: " + message;
  }
  return CommandOutput{code, "", message + "\n"};
}

CommandOutput Usage(const std::string& text) {
  return CommandOutput{2, "", "error: " + text + "\n"};
}

std::string Pad(const std::string& text, size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size() + 2);
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : Pad(row[i], widths[i]);
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  return out;
}

std::string HumanBytes(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 5) {
    value /= 1000;
    ++unit;
  }
  return fmt::format("{:.2f} {}", value, units[unit]);
}

std::string Word(const std::vector<std::string>& argv, size_t i) {
  return i < argv.size() ? argv[i] : "";
}

int ToInt(const std::string& text, int fallback = -1) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return fallback;
  }
  return std::stoi(text);
}

}  // namespace

CommandOutput WekaSim::RunWeka(Machine& machine, const CommandRequest& request) {
  const std::vector<std::string>& argv = request.argv;
  const std::string program = argv[0];
  if (!machine.installed && argv[1 % argv.size()] != "__installed") {
    return CommandOutput{127, "", program + ": the WEKA simulator is not installed here\n"};
  }
  // wapi machine-query-info --info-types=DISKS -J (inside `weka local run`).
  if (program == "wapi") {
    if (Word(argv, 1) != "machine-query-info") {
      return Usage("wapi (simulator): only machine-query-info is simulated");
    }
    Json disks = Json::array();
    for (const Device& device : machine.info.devices) {
      bool mounted = false;
      for (const auto& [point, source] : machine.mounts) {
        mounted = mounted || source == device.path;
      }
      disks.push_back(
          {{"devPath", device.path},
           {"model", device.model},
           {"serialNumber", device.serial},
           {"sizeBytes", device.size_bytes},
           {"isRotational", false},
           {"type", device.path == "/dev/xvda" ? "DISK" : "DISK"},
           {"isMounted", mounted || device.path == "/dev/xvda"},
           {"isSigned", std::find(machine.signed_devices.begin(), machine.signed_devices.end(),
                                  device.path) != machine.signed_devices.end()}});
    }
    return Ok(Json{{"disks", disks}, {"simulator", true}}.dump(2) + "\n");
  }
  // manhole getServerInfo (inside `weka local run`): the machine's drives container's host.
  if (program == "manhole") {
    Cluster* cluster = model_.FindCluster(machine.cluster);
    if (cluster == nullptr) {
      return Fail(ConflictError("This host is not part of a cluster"));
    }
    int host_id = -1;
    for (const Host& host : cluster->hosts) {
      if (host.instance_id == machine.info.instance_id &&
          (host_id < 0 || host.container_name.find("drive") != std::string::npos)) {
        host_id = host.id;
      }
    }
    return Ok(fmt::format("hostIdValue: {}\nhostId: {}\nsimulator: true\n", host_id,
                          PrefixedId("HostId", host_id)));
  }
  std::string group = Word(argv, 1);
  std::string sub = Word(argv, 2);
  if (group == "__installed") {
    model_.Install(machine, Word(argv, 2));
    return Ok();
  }
  if (group.empty() || group == "--help" || group == "-h") {
    return Ok(
        fmt::format("weka (clusterform WEKA simulator {}): a stand-in for WEKA's CLI\n", kRelease));
  }
  if (group == "version") {
    if (sub == "get" || sub == "prepare" || sub == "set") {
      return Ok();
    }
    return Ok(fmt::format("* {}\n", kRelease));
  }
  if (group == "local") {
    if (sub == "ps") {
      Args args = Parse(argv, 3, {});
      if (args.WantsJson()) {
        Json list = Json::array();
        for (const LocalContainer& c : machine.containers) {
          list.push_back({{"name", c.name},
                          {"type", c.client ? "client" : "weka"},
                          {"isRunning", c.running && machine.alive},
                          {"port", c.base_port},
                          {"versionName", kRelease}});
        }
        return Ok(list.dump(2) + "\n");
      }
      std::vector<std::vector<std::string>> rows = {{"CONTAINER", "STATE", "DISABLED", "UPTIME",
                                                     "MONITORING", "PERSISTENT", "PORT", "STATUS",
                                                     "VERSION", "LAST FAILURE"}};
      for (const LocalContainer& c : machine.containers) {
        bool running = c.running && machine.alive;
        rows.push_back({c.name, running ? "Running" : "Stopped", "False", running ? "0:00:10h" : "",
                        "True", "True", std::to_string(c.base_port), running ? "READY" : "",
                        kRelease, ""});
      }
      return Ok(Table(rows));
    }
    if (sub == "stop" || sub == "start" || sub == "restart") {
      Args args = Parse(argv, 3, {});
      std::string name = args.positional.empty() ? "" : args.positional[0];
      Status done = model_.SetRunning(machine, name, sub != "stop");
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub == "rm") {
      Args args = Parse(argv, 3, {});
      std::string name = args.Has("--all")         ? "--all"
                         : args.positional.empty() ? ""
                                                   : args.positional[0];
      if (name.empty()) {
        return Usage("Missing argument 'container'");
      }
      Status done = model_.RemoveContainer(machine, name, args.Has("-f") || args.Has("--force"));
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub == "resources") {
      Args args = Parse(argv, 3, {});
      std::string name = args.Get("-C", args.Get("--container", "default"));
      for (const LocalContainer& c : machine.containers) {
        if (c.name == name) {
          Json resources = {{"name", c.name},
                            {"uid", fmt::format("{}-{}", machine.info.instance_id, c.name)},
                            {"base_port", c.base_port},
                            {"cores", c.cores},
                            {"memory", c.memory},
                            {"failure_domain", c.failure_domain},
                            {"net", c.net},
                            {"simulator", true}};
          if (args.WantsJson()) {
            return Ok(resources.dump(2) + "\n");
          }
          return Ok(fmt::format("{} base port {}, {} cores, memory {}\n", c.name, c.base_port,
                                c.cores, c.memory.empty() ? "auto" : c.memory));
        }
      }
      return Fail(NotFoundError(fmt::format("error: Container \"{}\" was not found", name)));
    }
    if (sub == "setup" && (Word(argv, 3) == "container" || Word(argv, 3) == "client")) {
      Args args = Parse(argv, 4, {});
      LocalContainer container;
      container.name = args.Get("--name", Word(argv, 3) == "client" ? "client" : "");
      container.base_port = ToInt(args.Get("--base-port", "14000"), 14000);
      container.cores = ToInt(args.Get("--cores", "0"), 0);
      container.drive_cores = ToInt(args.Get("--drives-dedicated-cores", "0"), 0);
      container.compute_cores = ToInt(args.Get("--compute-dedicated-cores", "0"), 0);
      container.frontend_cores = ToInt(args.Get("--frontend-dedicated-cores", "0"), 0);
      if (container.cores == 0) {
        container.cores =
            container.drive_cores + container.compute_cores + container.frontend_cores;
      }
      container.memory = args.Get("--memory");
      container.failure_domain = args.Get("--failure-domain");
      container.net = args.Get("--net", "udp");
      container.client = Word(argv, 3) == "client";
      std::vector<std::string> join;
      for (const std::string& entry : args.options["--join-ips"]) {
        for (const std::string& ip : Split(entry, ',')) {
          join.push_back(ip);
        }
      }
      Status done = model_.SetupContainer(machine, container, join);
      return done.ok() ? Ok() : Fail(done);
    }
    return Usage(fmt::format("weka local {}: not simulated", sub));
  }

  // --- commands that need the cluster ---
  if (group == "cluster" && sub == "create") {
    Args args = Parse(argv, 3, {});
    std::vector<std::string> ips;
    for (const std::string& entry : args.options["--host-ips"]) {
      for (const std::string& ip : Split(entry, ',')) {
        ips.push_back(ip);
      }
    }
    Result<std::string> guid =
        model_.CreateCluster(machine, args.positional, ips, args.Get("--admin-password"));
    if (!guid.ok()) {
      return Fail(guid.status());
    }
    return Ok(fmt::format("Cluster {} created (clusterform WEKA simulator {})\n", *guid, kRelease));
  }
  Result<Cluster*> found = model_.ClusterOf(machine);
  if (!found.ok()) {
    return Fail(found.status());
  }
  Cluster& cluster = **found;
  if (group == "user" && sub == "login") {
    Args args = Parse(argv, 3, {});
    std::string user = args.positional.size() > 0 ? args.positional[0] : request.username;
    std::string password = args.positional.size() > 1 ? args.positional[1] : request.password;
    Status checked = model_.CheckPassword(cluster, user, password);
    if (!checked.ok()) {
      return Fail(checked);
    }
    machine.login_user = user;
    return Ok("+ Login completed successfully.\n");
  }
  // Every other command authenticates: WEKA_USERNAME/WEKA_PASSWORD, else the saved login,
  // else the default admin/admin.
  Status auth = OkStatus();
  if (!request.username.empty()) {
    auth = model_.CheckPassword(cluster, request.username, request.password);
  } else if (machine.login_user.empty()) {
    auth = model_.CheckPassword(cluster, "admin", "admin");
  }
  if (!auth.ok()) {
    return Fail(PermissionDeniedError(
        "error: Authentication failed: log in with `weka user login` or set WEKA_USERNAME and "
        "WEKA_PASSWORD"));
  }
  if (group == "user") {
    if (sub == "add") {
      Args args = Parse(argv, 3, {});
      if (args.positional.size() < 3) {
        return Usage("weka user add USERNAME ROLE PASSWORD");
      }
      Status done =
          model_.AddUser(cluster, args.positional[0], args.positional[1], args.positional[2]);
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub.empty() || sub == "-J") {
      std::string out;
      for (const User& u : cluster.users) {
        out += u.name + "  " + u.role + "\n";
      }
      return Ok(out);
    }
    return Usage("weka user " + sub + ": not simulated");
  }
  if (group == "status") {
    Args args = Parse(argv, 2, {});
    Json status = model_.StatusJson(cluster);
    if (args.WantsJson()) {
      return Ok(status.dump(2) + "\n");
    }
    Capacity capacity = model_.CapacityOf(cluster);
    return Ok(fmt::format(
        "WekaIO v{} (clusterform WEKA simulator, not WEKA software)\n"
        "       cluster: {} ({})\n"
        "        status: {} ({}/{} backend containers UP, {}/{} drives UP)\n"
        "    protection: {}+{}\n"
        "     hot spare: {} failure domains\n"
        " drive storage: {} total, {} unprovisioned\n"
        "     io status: {}\n",
        kRelease, cluster.name, cluster.guid, status["status"].get<std::string>(),
        status["hosts"]["backends"]["active"].get<int>(),
        status["hosts"]["backends"]["total"].get<int>(), status["drives"]["active"].get<int>(),
        status["drives"]["total"].get<int>(), cluster.data_drives, cluster.parity_drives,
        cluster.hot_spare, HumanBytes(capacity.total_bytes),
        HumanBytes(capacity.unprovisioned_bytes), cluster.io_status));
  }
  if (group == "cluster") {
    if (sub == "drive") {
      std::string action = Word(argv, 3);
      if (action == "add" || action == "scan") {
        Args args = Parse(argv, 4, {});
        if (args.positional.empty()) {
          return Usage("Missing argument 'container-id'");
        }
        int host_id = ToInt(args.positional[0]);
        if (host_id < 0) {
          host_id = ParsePrefixedId("HostId", args.positional[0]).value_or(-1);
        }
        std::vector<std::string> devices(args.positional.begin() + 1, args.positional.end());
        Result<std::vector<int>> added = action == "add"
                                             ? model_.AddDrives(cluster, host_id, devices)
                                             : model_.ScanDrives(cluster, host_id);
        if (!added.ok()) {
          return Fail(added.status());
        }
        std::string out;
        for (int id : *added) {
          out += fmt::format("{}\n", PrefixedId("DiskId", id));
        }
        return Ok(out);
      }
      if (action == "deactivate" || action == "remove") {
        Args args = Parse(argv, 4, {});
        Status done = action == "deactivate" ? model_.DeactivateDrives(cluster, args.positional)
                                             : model_.RemoveDrives(cluster, args.positional);
        return done.ok() ? Ok() : Fail(done);
      }
      Args args = Parse(argv, 3, {});
      Json drives = model_.DrivesJson(cluster);
      if (args.WantsJson()) {
        Json list = Json::array();
        for (auto& [key, drive] : drives.items()) {
          list.push_back(drive);
        }
        return Ok(list.dump(2) + "\n");
      }
      std::vector<std::vector<std::string>> rows = {
          {"DISK ID", "UUID", "HOSTNAME", "SIZE", "STATUS"}};
      for (auto& [key, drive] : drives.items()) {
        rows.push_back({key, drive["uuid"], drive["hostname"],
                        HumanBytes(drive["size_bytes"].get<int64_t>()), drive["status"]});
      }
      return Ok(Table(rows));
    }
    if (sub == "container" || sub == "host") {
      std::string action = Word(argv, 3);
      if (action == "deactivate") {
        Args args = Parse(argv, 4, {"--skip-resource-validation"});
        std::vector<int> ids;
        for (const std::string& word : args.positional) {
          for (const std::string& item : Split(word, ',')) {
            int id = ToInt(item);
            if (id < 0) {
              id = ParsePrefixedId("HostId", item).value_or(-1);
            }
            if (id < 0) {
              return Usage("Invalid container id " + item);
            }
            ids.push_back(id);
          }
        }
        Status done = model_.DeactivateHosts(cluster, ids, args.Has("--skip-resource-validation"));
        return done.ok() ? Ok() : Fail(done);
      }
      if (action == "remove") {
        Args args = Parse(argv, 4, {"--no-wait"});
        int id = ToInt(Word(args.positional, 0));
        Status done = model_.RemoveHost(cluster, id);
        return done.ok() ? Ok() : Fail(done);
      }
      if (action == "info-hw") {
        // The hardware of the containers' machines: every device with its model and mount.
        Args args = Parse(argv, 4, {});
        Json out = Json::object();
        for (const Host& host : cluster.hosts) {
          std::string id = std::to_string(host.id);
          if (!args.positional.empty() && std::find(args.positional.begin(), args.positional.end(),
                                                    id) == args.positional.end()) {
            continue;
          }
          Machine* owner = model_.FindMachine(host.instance_id);
          Json disks = Json::array();
          if (owner != nullptr) {
            for (const Device& device : owner->info.devices) {
              std::string mount_point = device.path == "/dev/xvda" ? "/" : "";
              for (const auto& [point, source] : owner->mounts) {
                mount_point = source == device.path ? point : mount_point;
              }
              disks.push_back({{"path", device.path},
                               {"model", device.model},
                               {"serial_number", device.serial},
                               {"size_bytes", device.size_bytes},
                               {"mount_point", mount_point}});
            }
          }
          out[PrefixedId("HostId", host.id)] = {
              {"hostname", host.hostname}, {"disks", disks}, {"simulator", true}};
        }
        return Ok(out.dump(2) + "\n");
      }
      Args args = Parse(argv, 3, {"--no-header"});
      // -F key=value filters (id, hostname, container, ip, status, state, mode), -o columns.
      auto field = [](const Host& host, const std::string& name) -> std::string {
        if (name == "id" || name == "containerid" || name == "hostid") {
          return std::to_string(host.id);
        }
        if (name == "hostname") {
          return host.hostname;
        }
        if (name == "container") {
          return host.container_name;
        }
        if (name == "ip" || name == "ips") {
          return host.ip;
        }
        if (name == "status") {
          return host.status;
        }
        if (name == "state") {
          return host.state;
        }
        if (name == "mode") {
          return host.mode;
        }
        if (name == "fd" || name == "failure_domain") {
          return host.failure_domain;
        }
        return "";
      };
      std::vector<std::pair<std::string, std::string>> filters;
      for (const std::string& option : {std::string("-F"), std::string("--filter")}) {
        auto it = args.options.find(option);
        if (it == args.options.end()) {
          continue;
        }
        for (const std::string& entry : it->second) {
          for (const std::string& filter : Split(entry, ',')) {
            size_t eq = filter.find('=');
            if (eq == std::string::npos) {
              return Usage("-F takes key=value");
            }
            filters.push_back({filter.substr(0, eq), filter.substr(eq + 1)});
          }
        }
      }
      std::vector<const Host*> selected;
      for (const Host& host : cluster.hosts) {
        bool match = true;
        for (const auto& [key, value] : filters) {
          match = match && field(host, key) == value;
        }
        if (match) {
          selected.push_back(&host);
        }
      }
      if (args.WantsJson()) {
        Json hosts = model_.HostsJson(cluster);
        Json list = Json::array();
        for (const Host* host : selected) {
          list.push_back(hosts[PrefixedId("HostId", host->id)]);
        }
        return Ok(list.dump(2) + "\n");
      }
      std::vector<std::string> columns = Split(
          args.Get("-o", args.Get("--output", "id,hostname,container,ips,status,state,mode")), ',');
      std::vector<std::vector<std::string>> rows;
      if (!args.Has("--no-header")) {
        std::vector<std::string> header;
        for (std::string column : columns) {
          std::transform(column.begin(), column.end(), column.begin(), ::toupper);
          header.push_back(column == "ID" ? "CONTAINER ID" : column);
        }
        rows.push_back(header);
      }
      for (const Host* host : selected) {
        std::vector<std::string> row;
        for (const std::string& column : columns) {
          row.push_back(field(*host, column));
        }
        rows.push_back(row);
      }
      return Ok(Table(rows));
    }
    if (sub == "update") {
      Args args = Parse(argv, 3, {});
      int data = ToInt(args.Get("--data-drives", "0"), -2);
      int parity = ToInt(args.Get("--parity-drives", "0"), -2);
      if (data == -2 || parity == -2) {
        return Usage("--data-drives and --parity-drives take a number");
      }
      Status done = model_.UpdateCluster(cluster, args.Get("--cluster-name"), data, parity);
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub == "hot-spare") {
      int count = ToInt(Word(argv, 3));
      if (count < 0) {
        return Ok(fmt::format("{}\n", cluster.hot_spare));
      }
      Status done = model_.SetHotSpare(cluster, count);
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub == "start-io") {
      Status done = model_.StartIo(cluster);
      return done.ok() ? Ok("Starting IO...\nIO started\n") : Fail(done);
    }
    return Usage("weka cluster " + sub + ": not simulated");
  }
  if (group == "events" && sub == "trigger-event") {
    Args args = Parse(argv, 3, {});
    if (args.positional.empty()) {
      return Usage("Missing argument 'text'");
    }
    model_.AddEvent(cluster, "CustomEvent", args.positional[0]);
    return Ok();
  }
  if (group == "events") {
    std::string out;
    for (const Event& e : cluster.events) {
      out += fmt::format("{}  {}  {}\n", model_.Time(e.ms), e.type, e.text);
    }
    return Ok(out);
  }
  if (group == "debug" && sub == "manhole") {
    Args args = Parse(argv, 3, {});
    std::string what = Word(args.positional, 0);
    if (what == "operational_status") {
      bool ready = ClusterModel::Serving(machine);
      return Ok(Json{{"is_ready", ready}, {"simulator", true}}.dump(1) + "\n");
    }
    if (what == "getServerInfo") {
      int host_id = -1;
      for (const Host& host : cluster.hosts) {
        if (host.instance_id == machine.info.instance_id &&
            (host_id < 0 || host.container_name.find("drive") != std::string::npos)) {
          host_id = host.id;
        }
      }
      return Ok(Json{{"hostIdValue", host_id},
                     {"host_id", host_id},
                     {"hostId", PrefixedId("HostId", host_id)},
                     {"simulator", true}}
                    .dump(2) +
                "\n");
    }
    return Usage("weka debug manhole " + what + ": not simulated");
  }
  if (group == "fs") {
    Args args = Parse(argv, 3, {});
    if (sub == "group" && Word(argv, 3) == "create") {
      Args group_args = Parse(argv, 4, {});
      Status done = model_.CreateFsGroup(cluster, Word(group_args.positional, 0));
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub == "create") {
      if (args.positional.size() < 3) {
        return Usage("weka fs create NAME GROUP TOTAL-CAPACITY");
      }
      Result<int64_t> bytes = ParseSize(args.positional[2]);
      if (!bytes.ok()) {
        return Fail(bytes.status());
      }
      Status done =
          model_.CreateFilesystem(cluster, args.positional[0], args.positional[1], *bytes);
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub == "update") {
      Result<int64_t> bytes = ParseSize(args.Get("--total-capacity"));
      if (!bytes.ok()) {
        return Fail(bytes.status());
      }
      Status done = model_.UpdateFilesystem(cluster, Word(args.positional, 0), *bytes);
      return done.ok() ? Ok() : Fail(done);
    }
    if (sub == "tier" && Word(argv, 3) == "s3") {
      std::string action = Word(argv, 4);
      Args s3 = Parse(argv, 5, {});
      if (action == "add") {
        if (s3.positional.empty() || s3.Get("--bucket").empty()) {
          return Usage("weka fs tier s3 add NAME --bucket BUCKET ...");
        }
        cluster.obs.push_back({{"name", s3.positional[0]},
                               {"bucket", s3.Get("--bucket")},
                               {"hostname", s3.Get("--hostname")},
                               {"region", s3.Get("--region")}});
        return Ok();
      }
      if (action == "attach") {
        std::string fs_name = Word(s3.positional, 0);
        std::string obs = Word(s3.positional, 1);
        bool known = false;
        for (const Json& o : cluster.obs) {
          known = known || o.value("name", "") == obs;
        }
        if (!known) {
          return Fail(NotFoundError("error: Object store bucket " + obs + " does not exist"));
        }
        for (Filesystem& fs : cluster.filesystems) {
          if (fs.name == fs_name) {
            fs.obs = obs;
            return Ok();
          }
        }
        return Fail(NotFoundError("error: Filesystem " + fs_name + " does not exist"));
      }
      return Usage("weka fs tier s3 " + action + ": not simulated");
    }
    if (sub.empty() || sub == "-J" || sub == "--json") {
      Json list = Json::array();
      for (const Filesystem& fs : cluster.filesystems) {
        list.push_back({{"name", fs.name},
                        {"group_name", fs.group},
                        {"total_budget", fs.total_bytes},
                        {"obs_buckets", fs.obs.empty() ? Json::array() : Json::array({fs.obs})}});
      }
      if (sub == "-J" || sub == "--json") {
        return Ok(list.dump(2) + "\n");
      }
      std::vector<std::vector<std::string>> rows = {{"FILESYSTEM", "GROUP", "TOTAL"}};
      for (const Filesystem& fs : cluster.filesystems) {
        rows.push_back({fs.name, fs.group, HumanBytes(fs.total_bytes)});
      }
      return Ok(Table(rows));
    }
    return Usage("weka fs " + sub + ": not simulated");
  }
  if ((group == "nfs" || group == "dataservice") && sub == "global-config" &&
      Word(argv, 3) == "set") {
    Args args = Parse(argv, 4, {});
    std::string fs = args.Get("--config-fs");
    bool known = false;
    for (const Filesystem& f : cluster.filesystems) {
      known = known || f.name == fs;
    }
    if (!known) {
      return Fail(NotFoundError("error: Filesystem " + fs + " does not exist"));
    }
    (group == "nfs" ? cluster.nfs_config_fs : cluster.dataservice_config_fs) = fs;
    return Ok();
  }
  if (group == "alerts" && sub == "mute") {
    Args args = Parse(argv, 3, {});
    if (args.positional.empty()) {
      return Usage("weka alerts mute ALERT-TYPE DURATION");
    }
    cluster.muted_alerts.push_back(args.positional[0]);
    return Ok();
  }
  if (group == "cloud") {
    Args args = Parse(argv, 3, {});
    if (sub == "enable") {
      cluster.cloud_enabled = true;
      return Ok();
    }
    if (sub == "disable") {
      cluster.cloud_enabled = false;
      return Ok();
    }
    if (sub == "proxy") {
      cluster.cloud_proxy = args.Has("--unset") ? "" : args.Get("--set");
      return Ok();
    }
    return Usage("weka cloud " + sub + ": not simulated");
  }
  return Usage(
      fmt::format("weka {} {}: not simulated by the clusterform WEKA simulator", group, sub));
}

CommandOutput WekaSim::RunOs(Machine& machine, const CommandRequest& request) {
  const std::vector<std::string>& argv = request.argv;
  const std::string& program = argv[0];
  auto find_device = [&](const std::string& path) -> const Device* {
    for (const Device& d : machine.info.devices) {
      if (d.path == path || "/dev/" + d.path.substr(d.path.rfind('/') + 1) == "/dev/" + path) {
        return &d;
      }
    }
    return nullptr;
  };
  auto mount_point_of = [&](const std::string& path) -> std::string {
    if (path == "/dev/xvda") {
      return "/";
    }
    for (const auto& [point, source] : machine.mounts) {
      if (source == path) {
        return point;
      }
    }
    return "";
  };
  if (program == "lsblk") {
    // Combined short options ("-dno NAME,SERIAL") are split first.
    std::vector<std::string> expanded = {program};
    for (size_t i = 1; i < argv.size(); ++i) {
      const std::string& word = argv[i];
      if (word.size() > 2 && word[0] == '-' && word[1] != '-') {
        for (size_t j = 1; j < word.size(); ++j) {
          expanded.push_back(std::string("-") + word[j]);
        }
      } else {
        expanded.push_back(word);
      }
    }
    Args args = Parse(expanded, 1, {"-d", "-n", "-p", "-J", "-b", "-l", "-a", "-S"});
    std::string columns =
        args.Get("-o", args.Get("--output", "NAME,MAJ:MIN,RM,SIZE,RO,TYPE,MOUNTPOINT"));
    bool no_header = args.Has("-n") || args.Has("--noheadings");
    bool bytes = args.Has("-b") || args.Has("--bytes");
    bool paths = args.Has("-p") || args.Has("--paths");
    std::vector<const Device*> selected;
    for (const std::string& path : args.positional) {
      const Device* device = find_device(path);
      if (device == nullptr) {
        return CommandOutput{32, "", fmt::format("lsblk: {}: not a block device\n", path)};
      }
      selected.push_back(device);
    }
    if (args.positional.empty()) {
      for (const Device& d : machine.info.devices) {
        selected.push_back(&d);
      }
    }
    std::vector<std::string> cols = Split(columns, ',');
    auto value = [&](const Device& d, const std::string& column) -> std::string {
      std::string name = d.path.substr(5);
      if (column == "NAME" || column == "KNAME") {
        return paths ? d.path : name;
      }
      if (column == "PATH") {
        return d.path;
      }
      if (column == "SERIAL") {
        return d.serial;
      }
      if (column == "MODEL") {
        return d.model;
      }
      if (column == "SIZE") {
        return bytes ? std::to_string(d.size_bytes)
                     : fmt::format("{}G", d.size_bytes / (1LL << 30));
      }
      if (column == "TYPE") {
        return "disk";
      }
      if (column == "MOUNTPOINT" || column == "MOUNTPOINTS") {
        return mount_point_of(d.path);
      }
      if (column == "FSTYPE") {
        return machine.labels.count(d.path) != 0 || d.path == "/dev/xvda" ? "ext4" : "";
      }
      if (column == "LABEL") {
        auto it = machine.labels.find(d.path);
        return it == machine.labels.end() ? "" : it->second;
      }
      if (column == "MAJ:MIN") {
        return "259:0";
      }
      if (column == "RM" || column == "RO") {
        return "0";
      }
      if (column == "ROTA") {
        return "0";
      }
      return "";
    };
    if (args.Has("-J") || args.Has("--json")) {
      Json devices = Json::array();
      for (const Device* d : selected) {
        Json entry = Json::object();
        for (const std::string& column : cols) {
          std::string key = column;
          std::transform(key.begin(), key.end(), key.begin(), ::tolower);
          std::string v = value(*d, column);
          entry[key] = v.empty() ? Json() : Json(v);
        }
        devices.push_back(entry);
      }
      return Ok(Json{{"blockdevices", devices}}.dump(3) + "\n");
    }
    std::vector<std::vector<std::string>> rows;
    if (!no_header) {
      rows.push_back(cols);
    }
    for (const Device* d : selected) {
      std::vector<std::string> row;
      for (const std::string& column : cols) {
        row.push_back(value(*d, column));
      }
      rows.push_back(row);
    }
    return Ok(Table(rows));
  }
  if (program == "lscpu") {
    int vcpus = machine.info.vcpus;
    int half = std::max(1, vcpus / 2);
    std::string parse;
    for (size_t i = 1; i < argv.size(); ++i) {
      if (argv[i] == "-p" || argv[i] == "--parse") {
        parse = "CPU,CORE,SOCKET,NODE";
      } else if (argv[i].rfind("-p=", 0) == 0 || argv[i].rfind("--parse=", 0) == 0) {
        parse = argv[i].substr(argv[i].find('=') + 1);
      }
    }
    if (!parse.empty()) {
      // Two threads per core: CPU i and i + vCPUs/2 share core i mod vCPUs/2; one node.
      std::vector<std::string> columns = Split(parse, ',');
      std::string out = "# The following is the parsable format (clusterform WEKA simulator)\n# ";
      for (size_t c = 0; c < columns.size(); ++c) {
        out += (c == 0 ? "" : ",") + columns[c];
      }
      out += "\n";
      for (int cpu = 0; cpu < vcpus; ++cpu) {
        for (size_t c = 0; c < columns.size(); ++c) {
          std::string column = columns[c];
          std::transform(column.begin(), column.end(), column.begin(), ::toupper);
          std::string value = column == "CPU"    ? std::to_string(cpu)
                              : column == "CORE" ? std::to_string(cpu % half)
                                                 : "0";
          out += (c == 0 ? "" : ",") + value;
        }
        out += "\n";
      }
      return Ok(out);
    }
    return Ok(fmt::format(
        "Architecture:                    x86_64\n"
        "CPU op-mode(s):                  32-bit, 64-bit\n"
        "CPU(s):                          {}\n"
        "On-line CPU(s) list:             0-{}\n"
        "Thread(s) per core:              2\n"
        "Core(s) per socket:              {}\n"
        "Socket(s):                       1\n"
        "NUMA node(s):                    1\n"
        "Vendor ID:                       GenuineIntel\n"
        "Model name:                      Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz "
        "(clusterform WEKA simulator)\n"
        "Hypervisor vendor:               KVM\n"
        "NUMA node0 CPU(s):               0-{}\n",
        vcpus, vcpus - 1, std::max(1, vcpus / 2), vcpus - 1));
  }
  if (program == "mkfs.ext4") {
    Args args = Parse(argv, 1, {"-F", "-q"});
    if (args.positional.empty()) {
      return CommandOutput{1, "", "Usage: mkfs.ext4 [-F] [-L volume-label] device\n"};
    }
    const Device* device = find_device(args.positional[0]);
    if (device == nullptr) {
      return CommandOutput{1, "",
                           fmt::format("mke2fs: No such file or directory while trying to "
                                       "determine filesystem size\n  ({})\n",
                                       args.positional[0])};
    }
    if (!mount_point_of(device->path).empty()) {
      return CommandOutput{1, "",
                           fmt::format("mke2fs: {} contains a mounted filesystem\n", device->path)};
    }
    machine.labels[device->path] = args.Get("-L");
    return Ok(fmt::format(
        "mke2fs 1.46.5 (clusterform WEKA simulator: nothing is written)\n"
        "Creating filesystem with {} 4k blocks\nWriting superblocks and filesystem accounting "
        "information: done\n",
        device->size_bytes / 4096));
  }
  if (program == "mount") {
    Args args = Parse(argv, 1, {"-a"});
    if (args.Has("-a")) {
      return Ok();
    }
    if (args.positional.empty()) {
      std::string out = "/dev/xvda on / type ext4 (rw,relatime)\n";
      for (const auto& [point, source] : machine.mounts) {
        out += fmt::format("{} on {} type {} (rw,relatime)\n", source, point,
                           source.rfind("/dev/", 0) == 0 ? "ext4" : "wekafs");
      }
      return Ok(out);
    }
    if (args.positional.size() < 2) {
      return CommandOutput{1, "", "mount: bad usage\n"};
    }
    const std::string& source = args.positional[0];
    const std::string& point = args.positional[1];
    if (args.Get("-t") == "wekafs") {
      size_t slash = source.find('/');
      std::string backend = slash == std::string::npos ? source : source.substr(0, slash);
      std::string fs = slash == std::string::npos ? "default" : source.substr(slash + 1);
      backend = backend.substr(0, backend.find(':'));
      Status done = model_.MountClient(machine, backend, fs, point);
      return done.ok() ? Ok() : Fail(done, 32);
    }
    const Device* device = find_device(source);
    if (device == nullptr) {
      return CommandOutput{
          32, "", fmt::format("mount: {}: special device {} does not exist.\n", point, source)};
    }
    if (machine.labels.count(device->path) == 0) {
      return CommandOutput{32, "",
                           fmt::format("mount: {}: wrong fs type, bad option, bad superblock on "
                                       "{}, missing codepage or helper program.\n",
                                       point, device->path)};
    }
    machine.mounts[point] = device->path;
    return Ok();
  }
  if (program == "weka_sign_drive") {
    Args args = Parse(argv, 1, {"--force"});
    if (args.positional.empty()) {
      return CommandOutput{1, "", "usage: weka_sign_drive DEVICE...\n"};
    }
    for (const std::string& path : args.positional) {
      const Device* device = find_device(path);
      if (device == nullptr || !device->instance_store) {
        return CommandOutput{1, "",
                             fmt::format("weka_sign_drive: {}: not an instance-store NVMe device "
                                         "of this machine\n",
                                         path)};
      }
      if (std::find(machine.signed_devices.begin(), machine.signed_devices.end(), device->path) ==
          machine.signed_devices.end()) {
        machine.signed_devices.push_back(device->path);
      }
    }
    return Ok();
  }
  if (program == "hostname") {
    return Ok(machine.info.private_ip + " \n");
  }
  return CommandOutput{127, "", program + ": not simulated by the clusterform WEKA simulator\n"};
}

}  // namespace cf::cloud::wekasim
