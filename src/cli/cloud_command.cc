#include "cli/cloud_command.h"

#include <fmt/core.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/clock.h"
#include "base/file_system.h"
#include "base/logging.h"
#include "base/process.h"
#include "cloud/cloud_server.h"
#include "cloud/data_dir.h"
#include "cloud/loopback_client.h"

namespace cf::cli {

namespace {

using Json = nlohmann::json;

// What the ready file says about a running cloud.
struct Running {
  pid_t pid = 0;
  uint16_t port = 0;
};

// What the command line says.
struct CloudFlags {
  std::string data_dir;  // empty: cloud::DefaultDataDir()
  uint16_t port = 4566;
  bool port_given = false;
  bool foreground = false;
  std::string config_file;
  std::string seed;  // decimal, empty: unseeded
};

std::string DataDir(const CloudFlags& flags) {
  return flags.data_dir.empty() ? cloud::DefaultDataDir() : flags.data_dir;
}

// The ready file's contents, when they name a pid and a port.
std::optional<Running> ParseReady(const std::string& text) {
  Json json = Json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json["pid"].is_number_integer() ||
      !json["port"].is_number_integer()) {
    return std::nullopt;
  }
  return Running{json["pid"].get<pid_t>(), json["port"].get<uint16_t>()};
}

std::optional<Running> ReadReady(const std::string& dir, const FileSystem& fs) {
  Result<std::string> text = fs.ReadFile(cloud::ReadyFilePath(dir));
  return text.ok() ? ParseReady(*text) : std::nullopt;
}

// The cloud running for `dir`: its ready file names a live process that answers health on
// its port with its pid.
std::optional<Running> FindRunning(const std::string& dir, const FileSystem& fs) {
  std::optional<Running> ready = ReadReady(dir, fs);
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

void RemoveRunFiles(const std::string& dir, FileSystem& fs) {
  (void)fs.RemoveFile(cloud::ReadyFilePath(dir));
  (void)fs.RemoveFile(cloud::PidFilePath(dir));
}

Result<cloud::CloudOptions> BuildOptions(const CloudFlags& flags, const std::string& dir,
                                         const FileSystem& fs) {
  cloud::CloudOptions options;
  options.data_dir = dir;
  RETURN_IF_ERROR(cloud::LoadCloudConfigFile(cloud::ConfigFilePath(dir), options));
  if (!flags.config_file.empty()) {
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
int Serve(const cloud::CloudOptions& options, const std::string& dir, FileSystem& fs,
          std::FILE* announce, std::FILE* err) {
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
  pid_t pid = ::getpid();
  uint16_t port = (*server)->port();
  Status written = fs.WriteFileAtomic(cloud::PidFilePath(dir), fmt::format("{}\n", pid));
  if (written.ok()) {
    written = fs.WriteFileAtomic(cloud::ReadyFilePath(dir),
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
  RemoveRunFiles(dir, fs);
  return 0;
}

int Start(const CloudFlags& flags, const CommandContext& context) {
  const Io& io = context.io;
  FileSystem& fs = context.fs;
  std::string dir = DataDir(flags);
  if (Status made = fs.MakeDirectories(dir); !made.ok()) {
    fmt::print(io.err, "clusterform cloud start: {}\n", made.message());
    return 1;
  }
  if (std::optional<Running> running = FindRunning(dir, fs)) {
    fmt::print(io.err,
               "clusterform cloud start: already running on http://127.0.0.1:{} (pid {}, data "
               "dir {})\n",
               running->port, running->pid, dir);
    return 1;
  }
  RemoveRunFiles(dir, fs);
  Result<cloud::CloudOptions> options = BuildOptions(flags, dir, fs);
  if (!options.ok()) {
    fmt::print(io.err, "clusterform cloud start: {}\n", options.status().message());
    return 2;
  }
  if (flags.foreground) {
    return Serve(*options, dir, fs, io.out, io.err);
  }

  DaemonOptions daemon;
  daemon.ready_file = cloud::ReadyFilePath(dir);
  daemon.log_file = cloud::LogFilePath(dir);
  daemon.ready_timeout = std::chrono::seconds(10);
  std::fflush(io.out);
  std::fflush(io.err);
  Result<DaemonStarted> started = StartDaemon(
      daemon, [&] { return Serve(*options, dir, fs, nullptr, stderr); },
      [](const std::string& text) { return ParseReady(text).has_value(); });
  if (started.ok()) {
    std::optional<Running> ready = ParseReady(started->ready);
    fmt::print(io.out, "clusterform cloud: running on http://127.0.0.1:{} (pid {}, data dir {})\n",
               ready->port, ready->pid, dir);
    return 0;
  }
  if (started.status().code() == StatusCode::kDeadlineExceeded) {
    fmt::print(io.err,
               "clusterform cloud start: the server did not become ready in 10 s (see {})\n",
               daemon.log_file);
    return 1;
  }
  // The daemon is gone: its log says why.
  Result<std::string> log = fs.ReadFile(daemon.log_file);
  constexpr std::string_view kPrefix = "clusterform cloud: ";
  size_t at = log.ok() ? log->rfind(kPrefix) : std::string::npos;
  if (at == std::string::npos) {
    fmt::print(io.err, "clusterform cloud start: failed: {} (see {})\n", started.status().message(),
               daemon.log_file);
    return 1;
  }
  fmt::print(io.err, "clusterform cloud start: failed: {}", log->substr(at + kPrefix.size()));
  (void)fs.RemoveFile(daemon.log_file);
  return 1;
}

int Stop(const CloudFlags& flags, const CommandContext& context) {
  const Io& io = context.io;
  std::string dir = DataDir(flags);
  std::optional<Running> ready = ReadReady(dir, context.fs);
  Status stopped = ready ? SignalAndWait(ready->pid, SIGTERM, std::chrono::seconds(15))
                         : NotFoundError("no ready file");
  if (stopped.code() == StatusCode::kNotFound) {
    RemoveRunFiles(dir, context.fs);
    fmt::print(io.out, "clusterform cloud: not running (data dir {})\n", dir);
    return 0;
  }
  if (!stopped.ok()) {
    fmt::print(io.err, "clusterform cloud stop: {}\n", stopped.message());
    return 1;
  }
  RemoveRunFiles(dir, context.fs);
  fmt::print(io.out, "clusterform cloud: stopped (pid {})\n", ready->pid);
  return 0;
}

int StatusCommand(const CloudFlags& flags, const CommandContext& context) {
  const Io& io = context.io;
  std::string dir = DataDir(flags);
  std::optional<Running> running = FindRunning(dir, context.fs);
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

int Reset(const CloudFlags& flags, const CommandContext& context) {
  const Io& io = context.io;
  std::string dir = DataDir(flags);
  if (std::optional<Running> running = FindRunning(dir, context.fs)) {
    cloud::LoopbackHttpClient client(running->port);
    Result<cloud::HttpResponse> r = client.Send({"POST", "/_clusterform/reset", {}, ""});
    if (!r.ok() || r->status != 200) {
      fmt::print(io.err, "clusterform cloud reset: the running server refused: {}\n",
                 r.ok() ? r->body : r.status().message());
      return 1;
    }
  } else if (Status reset = cloud::ResetDataDir(dir); !reset.ok()) {
    fmt::print(io.err, "clusterform cloud reset: {}\n", reset.message());
    return 1;
  }
  fmt::print(io.out, "clusterform cloud: reset, all state removed (data dir {})\n", dir);
  return 0;
}

Flag DataDirFlag() {
  return ValueFlag("data-dir",
                   "state directory (default $CLUSTERFORM_CLOUD_DIR or ~/.clusterform/cloud)");
}

const FlagSpec& StartFlags() {
  static const FlagSpec kSpec{
      {ValueFlag("port", "port to listen on (0: any free port)", "UINT:INT in [0 - 65535]"),
       DataDirFlag(), BooleanFlag("foreground", "stay in the foreground (Ctrl-C stops)"),
       ValueFlag("config", "JSON configuration (docs/local-cloud.md)"),
       ValueFlag("seed", "seed identifiers and fault draws (repeatable runs)")}};
  return kSpec;
}

const FlagSpec& DataDirOnly() {
  static const FlagSpec kSpec{{DataDirFlag()}};
  return kSpec;
}

// Parses the flags of `cloud NAME` and runs `run` with them; usage errors exit 2.
int WithFlags(const char* name, const FlagSpec& spec, const std::vector<std::string>& args,
              const CommandContext& context, int (*run)(const CloudFlags&, const CommandContext&)) {
  Result<ParsedFlags> parsed = ParseFlags(args, spec);
  Status usage = parsed.status();
  CloudFlags flags;
  if (parsed.ok()) {
    flags.data_dir = parsed->Last("data-dir");
    flags.foreground = parsed->Has("foreground");
    flags.config_file = parsed->Last("config");
    flags.seed = parsed->Last("seed");
    flags.port_given = parsed->Given("port");
    if (flags.port_given) {
      std::string text = parsed->Last("port");
      size_t end = 0;
      unsigned long port = 0;
      try {
        port = std::stoul(text, &end);
      } catch (const std::exception&) {
        end = 0;
      }
      if (end == 0 || end != text.size() || port > 65535 || text[0] == '-') {
        usage = InvalidArgumentError("--port: Value " + text + " not in range 0 to 65535");
      }
      flags.port = static_cast<uint16_t>(port);
    }
  }
  if (!usage.ok()) {
    fmt::print(context.io.err, "clusterform cloud {}: {}\n", name, usage.message());
    return 2;
  }
  return run(flags, context);
}

using Args = std::vector<std::string>;

constexpr Command kCloudCommands[] = {
    {"start", "start the local cloud on 127.0.0.1", StartFlags,
     [](const Args& args, const CommandContext& c) {
       return WithFlags("start", StartFlags(), args, c, Start);
     }},
    {"stop", "stop the running local cloud", DataDirOnly,
     [](const Args& args, const CommandContext& c) {
       return WithFlags("stop", DataDirOnly(), args, c, Stop);
     }},
    {"status", "is the local cloud running, where, with what pid", DataDirOnly,
     [](const Args& args, const CommandContext& c) {
       return WithFlags("status", DataDirOnly(), args, c, StatusCommand);
     }},
    {"reset", "wipe all state of the local cloud", DataDirOnly,
     [](const Args& args, const CommandContext& c) {
       return WithFlags("reset", DataDirOnly(), args, c, Reset);
     }},
};

}  // namespace

std::span<const Command> CloudCommands() {
  return kCloudCommands;
}

}  // namespace cf::cli
