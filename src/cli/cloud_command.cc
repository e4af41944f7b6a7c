#include "cli/cloud_command.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/logging.h"
#include "cloud/cloud_server.h"
#include "cloud/core/store.h"
#include "cloud/dynamodb_service.h"
#include "cloud/loopback_client.h"

namespace cf::cli {

namespace {

using Json = nlohmann::json;

constexpr char kPidFile[] = "cloud.pid";
constexpr char kReadyFile[] = "cloud.ready";
constexpr char kLogFile[] = "cloud.log";
constexpr char kConfigFile[] = "config.json";

// What the ready file says about a running cloud.
struct Running {
  pid_t pid = 0;
  uint16_t port = 0;
};

std::string DataDir(const CloudFlags& flags) {
  return flags.data_dir.empty() ? cloud::DefaultDataDir() : flags.data_dir;
}

// A process that exists and has not exited: a zombie (exited, not yet reaped by whoever
// adopted the daemon) counts as gone.
bool ProcessAlive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) {
    return false;
  }
  RealFileSystem fs;
  Result<std::string> stat = fs.ReadFile(fmt::format("/proc/{}/stat", pid));
  if (stat.ok()) {
    size_t paren = stat->rfind(')');
    if (paren != std::string::npos && paren + 2 < stat->size()) {
      char state = (*stat)[paren + 2];
      return state != 'Z' && state != 'X';
    }
  }
  return true;
}

std::optional<Running> ReadReady(const std::string& dir) {
  RealFileSystem fs;
  Result<std::string> text = fs.ReadFile(JoinPath(dir, kReadyFile));
  if (!text.ok()) {
    return std::nullopt;
  }
  Json json = Json::parse(*text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json["pid"].is_number_integer() ||
      !json["port"].is_number_integer()) {
    return std::nullopt;
  }
  return Running{json["pid"].get<pid_t>(), json["port"].get<uint16_t>()};
}

// The cloud running for `dir`: its ready file names a live process that answers health on
// its port with its pid.
std::optional<Running> FindRunning(const std::string& dir) {
  std::optional<Running> ready = ReadReady(dir);
  if (!ready || !ProcessAlive(ready->pid)) {
    return std::nullopt;
  }
  cloud::LoopbackHttpClient client(ready->port, std::chrono::seconds(2));
  Result<cloud::HttpResponse> health = client.Send({"GET", "/_clusterform/health", {}, ""});
  if (!health.ok() || health->status != 200) {
    return std::nullopt;
  }
  Json body = Json::parse(health->body, nullptr, false);
  if (body.is_discarded() || body.value("pid", -1) != ready->pid) {
    return std::nullopt;
  }
  return ready;
}

void RemoveRunFiles(const std::string& dir) {
  RealFileSystem fs;
  (void)fs.RemoveFile(JoinPath(dir, kReadyFile));
  (void)fs.RemoveFile(JoinPath(dir, kPidFile));
}

Result<cloud::CloudOptions> BuildOptions(const CloudFlags& flags, const std::string& dir) {
  cloud::CloudOptions options;
  options.data_dir = dir;
  RETURN_IF_ERROR(cloud::LoadCloudConfigFile(JoinPath(dir, kConfigFile), options));
  if (!flags.config_file.empty()) {
    RealFileSystem fs;
    if (!fs.Exists(flags.config_file)) {
      return InvalidArgumentError("--config " + flags.config_file + ": no such file");
    }
    RETURN_IF_ERROR(cloud::LoadCloudConfigFile(flags.config_file, options));
  }
  if (flags.port_given) {
    options.port = flags.port;
  }
  if (!flags.seed.empty()) {
    try {
      options.seed = std::stoull(flags.seed);
    } catch (const std::exception&) {
      return InvalidArgumentError("--seed: expected a non-negative integer");
    }
  }
  return options;
}

// Serves until SIGINT or SIGTERM. Writes the pid and ready files once serving, removes
// them when done. `announce` prints the address (foreground only).
int Serve(const cloud::CloudOptions& options, const std::string& dir, std::FILE* announce,
          std::FILE* err) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // the server's threads inherit the mask

  SystemClock clock;
  StderrLogger logger;
  Result<std::unique_ptr<cloud::CloudServer>> server =
      cloud::CloudServer::Start(options, clock, logger);
  if (!server.ok()) {
    fmt::print(err, "clusterform cloud: {}\n", server.status().message());
    pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
    return 1;
  }
  RealFileSystem fs;
  pid_t pid = ::getpid();
  uint16_t port = (*server)->port();
  Status written = fs.WriteFileAtomic(JoinPath(dir, kPidFile), fmt::format("{}\n", pid));
  if (written.ok()) {
    written = fs.WriteFileAtomic(JoinPath(dir, kReadyFile),
                                 Json{{"pid", pid}, {"port", port}}.dump() + "\n");
  }
  if (!written.ok()) {
    fmt::print(err, "clusterform cloud: {}\n", written.message());
    return 1;
  }
  if (announce != nullptr) {
    fmt::print(announce,
               "clusterform cloud: running on http://127.0.0.1:{} (pid {}, data dir {})\n"
               "Press Ctrl-C to stop.\n",
               port, pid, dir);
    std::fflush(announce);
  }
  int received = 0;
  sigwait(&signals, &received);
  (*server)->Stop();
  RemoveRunFiles(dir);
  return 0;
}

int Start(const CloudFlags& flags, const Io& io) {
  std::string dir = DataDir(flags);
  RealFileSystem fs;
  if (Status made = fs.MakeDirectories(dir); !made.ok()) {
    fmt::print(io.err, "clusterform cloud start: {}\n", made.message());
    return 1;
  }
  if (std::optional<Running> running = FindRunning(dir)) {
    fmt::print(io.err,
               "clusterform cloud start: already running on http://127.0.0.1:{} (pid {}, data "
               "dir {})\n",
               running->port, running->pid, dir);
    return 1;
  }
  RemoveRunFiles(dir);
  Result<cloud::CloudOptions> options = BuildOptions(flags, dir);
  if (!options.ok()) {
    fmt::print(io.err, "clusterform cloud start: {}\n", options.status().message());
    return 2;
  }
  if (flags.foreground) {
    return Serve(*options, dir, io.out, io.err);
  }

  std::fflush(io.out);
  std::fflush(io.err);
  pid_t child = ::fork();
  if (child < 0) {
    fmt::print(io.err, "clusterform cloud start: fork: {}\n", std::strerror(errno));
    return 1;
  }
  if (child == 0) {
    // First child: a new session, then the daemon in a grandchild so that nobody has to reap
    // it and it can never regain a terminal.
    ::setsid();
    pid_t daemon = ::fork();
    if (daemon != 0) {
      ::_exit(daemon < 0 ? 1 : 0);
    }
    int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    int log_fd =
        ::open(JoinPath(dir, kLogFile).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    ::dup2(null_fd, 0);
    ::dup2(log_fd >= 0 ? log_fd : null_fd, 1);
    ::dup2(log_fd >= 0 ? log_fd : null_fd, 2);
    ::umask(022);
    int code = Serve(*options, dir, nullptr, stderr);
    std::fflush(stderr);
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  // Wait for the daemon's ready file, or its log saying why it failed.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::optional<Running> ready = ReadReady(dir)) {
      fmt::print(io.out,
                 "clusterform cloud: running on http://127.0.0.1:{} (pid {}, data dir {})\n",
                 ready->port, ready->pid, dir);
      return 0;
    }
    Result<std::string> log = fs.ReadFile(JoinPath(dir, kLogFile));
    if (log.ok() && log->find("clusterform cloud: ") != std::string::npos) {
      std::string text = *log;
      size_t at = text.rfind("clusterform cloud: ");
      fmt::print(io.err, "clusterform cloud start: failed: {}", text.substr(at + 19));
      (void)fs.RemoveFile(JoinPath(dir, kLogFile));
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  fmt::print(io.err, "clusterform cloud start: the server did not become ready in 10 s (see {})\n",
             JoinPath(dir, kLogFile));
  return 1;
}

int Stop(const CloudFlags& flags, const Io& io) {
  std::string dir = DataDir(flags);
  std::optional<Running> ready = ReadReady(dir);
  if (!ready || !ProcessAlive(ready->pid)) {
    RemoveRunFiles(dir);
    fmt::print(io.out, "clusterform cloud: not running (data dir {})\n", dir);
    return 0;
  }
  if (::kill(ready->pid, SIGTERM) != 0) {
    fmt::print(io.err, "clusterform cloud stop: cannot signal pid {}: {}\n", ready->pid,
               std::strerror(errno));
    return 1;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (ProcessAlive(ready->pid)) {
    if (std::chrono::steady_clock::now() > deadline) {
      fmt::print(io.err, "clusterform cloud stop: pid {} did not stop within 15 s\n", ready->pid);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  RemoveRunFiles(dir);
  fmt::print(io.out, "clusterform cloud: stopped (pid {})\n", ready->pid);
  return 0;
}

int StatusCommand(const CloudFlags& flags, const Io& io) {
  std::string dir = DataDir(flags);
  std::optional<Running> running = FindRunning(dir);
  if (!running) {
    fmt::print(io.out, "clusterform cloud: not running (data dir {})\n", dir);
    return 1;
  }
  fmt::print(io.out,
             "clusterform cloud: running\n  endpoint  http://127.0.0.1:{}\n  pid       {}\n"
             "  port      {}\n  data dir  {}\n",
             running->port, running->pid, running->port, dir);
  return 0;
}

int Reset(const CloudFlags& flags, const Io& io) {
  std::string dir = DataDir(flags);
  if (std::optional<Running> running = FindRunning(dir)) {
    cloud::LoopbackHttpClient client(running->port);
    Result<cloud::HttpResponse> r = client.Send({"POST", "/_clusterform/reset", {}, ""});
    if (!r.ok() || r->status != 200) {
      fmt::print(io.err, "clusterform cloud reset: the running server refused: {}\n",
                 r.ok() ? r->body : r.status().message());
      return 1;
    }
  } else {
    RealFileSystem fs;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      Status removed = fs.RemoveFile(cloud::DynamoDbPath(dir) + suffix);
      if (!removed.ok()) {
        fmt::print(io.err, "clusterform cloud reset: {}\n", removed.message());
        return 1;
      }
    }
    if (fs.Exists(cloud::DatabasePath(dir))) {
      Result<std::unique_ptr<cloud::Store>> store = cloud::Store::Open(cloud::DatabasePath(dir));
      Status cleared = store.ok() ? (*store)->Clear() : store.status();
      if (!cleared.ok()) {
        fmt::print(io.err, "clusterform cloud reset: {}\n", cleared.message());
        return 1;
      }
    }
  }
  fmt::print(io.out, "clusterform cloud: reset, all state removed (data dir {})\n", dir);
  return 0;
}

}  // namespace

CLI::App* AddCloudCommand(CLI::App& app, CloudFlags& flags) {
  CLI::App* cloud = app.add_subcommand("cloud", "run the local AWS-compatible cloud");
  cloud->require_subcommand(1);
  auto add_dir = [&flags](CLI::App* sub) {
    sub->add_option("--data-dir", flags.data_dir,
                    "state directory (default $CLUSTERFORM_CLOUD_DIR or ~/.clusterform/cloud)");
  };
  CLI::App* start = cloud->add_subcommand("start", "start the local cloud on 127.0.0.1");
  start->add_option("--port", flags.port, "port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535));
  add_dir(start);
  start->add_flag("--foreground", flags.foreground, "stay in the foreground (Ctrl-C stops)");
  start->add_option("--config", flags.config_file, "JSON configuration (docs/local-cloud.md)");
  start->add_option("--seed", flags.seed, "seed identifiers and fault draws (repeatable runs)");
  add_dir(cloud->add_subcommand("stop", "stop the running local cloud"));
  add_dir(cloud->add_subcommand("status", "is the local cloud running, where, with what pid"));
  add_dir(cloud->add_subcommand("reset", "wipe all state of the local cloud"));
  return cloud;
}

int RunCloudCommand(CLI::App& cloud, CloudFlags& flags, const Io& io) {
  if (cloud.got_subcommand("start")) {
    flags.port_given = cloud.get_subcommand("start")->count("--port") > 0;
    return Start(flags, io);
  }
  if (cloud.got_subcommand("stop")) {
    return Stop(flags, io);
  }
  if (cloud.got_subcommand("status")) {
    return StatusCommand(flags, io);
  }
  if (cloud.got_subcommand("reset")) {
    return Reset(flags, io);
  }
  return 2;
}

}  // namespace cf::cli
