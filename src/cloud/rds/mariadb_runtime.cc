// DatabaseRuntime on Debian's MariaDB: mariadb-install-db makes a data folder, mariadbd serves
// it on the cluster's address and port, the mariadb client (over the server's Unix socket, as
// the operating-system user, which install-db grants every privilege by unix_socket
// authentication) creates the master user and runs restores, mariadb-dump takes snapshots.

#include <arpa/inet.h>
#include <fmt/core.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "base/crypto.h"
#include "base/file_system.h"
#include "base/process.h"
#include "cloud/rds/database_runtime.h"

namespace cf::cloud::rds {

namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr milliseconds kInstallTimeout{180000};
constexpr milliseconds kReadyTimeout{120000};
constexpr milliseconds kClientTimeout{120000};
constexpr milliseconds kStopGrace{30000};
constexpr char kPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The first of `candidates` that is an executable file; empty when none is.
std::string FindProgram(std::initializer_list<const char*> candidates) {
  for (const char* c : candidates) {
    if (access(c, X_OK) == 0) {
      return c;
    }
  }
  return "";
}

std::string ServerProgram() {
  return FindProgram({"/usr/sbin/mariadbd", "/usr/sbin/mysqld"});
}
std::string InstallProgram() {
  return FindProgram({"/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"});
}
std::string ClientProgram() {
  return FindProgram({"/usr/bin/mariadb", "/usr/bin/mysql"});
}
std::string DumpProgram() {
  return FindProgram({"/usr/bin/mariadb-dump", "/usr/bin/mysqldump"});
}

std::string OsUser() {
  struct passwd* pw = getpwuid(geteuid());
  return pw != nullptr ? pw->pw_name : "root";
}

// A SQL string literal.
std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "'";
}

// A SQL identifier.
std::string Backquote(const std::string& text) {
  std::string out = "`";
  for (char c : text) {
    if (c == '`') {
      out += '`';
    }
    out += c;
  }
  return out + "`";
}

std::string Tail(const std::string& path, size_t bytes = 600) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

// Options both install-db's bootstrap server and the server itself take: small logs and
// buffers, so that dozens of clusters fit on one machine.
std::vector<std::string> SizeOptions() {
  return {"--innodb-log-file-size=4M", "--innodb-buffer-pool-size=16M"};
}

bool RunningOn(pid_t pid, const std::string& data) {
  std::ifstream in(fmt::format("/proc/{}/cmdline", pid), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str().find("--datadir=" + data + std::string(1, '\0')) != std::string::npos;
}

class MariaDbRuntime : public DatabaseRuntime {
 public:
  explicit MariaDbRuntime(std::string root) : root_(std::move(root)) {}
  ~MariaDbRuntime() override { StopAll(); }

  Status Create(const ServerSpec& spec, const MasterUser& master, const std::string& database,
                const std::string& snapshot) override {
    std::string dir = Dir(spec.name);
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    if (ec) {
      return UnavailableError(fmt::format("cannot create {}: {}", dir, ec.message()));
    }
    fs::permissions(dir, fs::perms::owner_all, ec);
    ProcessOptions install;
    install.argv = {InstallProgram(),
                    "--no-defaults",
                    "--datadir=" + Data(spec.name),
                    "--auth-root-authentication-method=socket",
                    "--skip-test-db",
                    "--user=" + OsUser()};
    for (const std::string& o : SizeOptions()) {
      install.argv.push_back(o);
    }
    install.environment = {{"PATH", kPath}, {"HOME", dir}};
    install.working_directory = dir;
    std::string log = JoinPath(dir, "install.log");
    install.stdout_redirect = Redirect::File(log, false);
    install.stderr_redirect = Redirect::ToStdout();
    ASSIGN_OR_RETURN(std::unique_ptr<Process> installer, Process::Spawn(install));
    Result<ExitStatus> installed = installer->WaitFor(kInstallTimeout);
    if (!installed.ok() || !installed->success()) {
      installer->Kill();
      return UnavailableError(
          fmt::format("mariadb-install-db for {} failed: {}", spec.name, Tail(log)));
    }
    RETURN_IF_ERROR(StartServer(spec));
    if (snapshot.empty()) {
      std::string sql = fmt::format(
          "CREATE USER {0}@'%' IDENTIFIED BY {1};\n"
          "GRANT ALL PRIVILEGES ON *.* TO {0}@'%' WITH GRANT OPTION;\n",
          Quote(master.username), Quote(master.password));
      if (!database.empty()) {
        sql += fmt::format("CREATE DATABASE IF NOT EXISTS {};\n", Backquote(database));
      }
      return RunSql(spec.name, sql);
    }
    RETURN_IF_ERROR(RunClient(spec.name, {}, SnapshotFile(snapshot)));
    return RunSql(spec.name, "FLUSH PRIVILEGES;\n");
  }

  Status Resume(const ServerSpec& spec) override {
    if (!fs::exists(Data(spec.name))) {
      return NotFoundError(fmt::format("no data for {} under {}", spec.name, Dir(spec.name)));
    }
    return StartServer(spec);
  }

  Status SetMasterPassword(const std::string& name, const MasterUser& master) override {
    return RunSql(name, fmt::format("ALTER USER {}@'%' IDENTIFIED BY {};\n", Quote(master.username),
                                    Quote(master.password)));
  }

  Status Snapshot(const std::string& name, const std::string& snapshot) override {
    // The databases to dump: every one but the server's own.
    ProcessOptions list = ClientOptions(name);
    list.argv.insert(list.argv.end(), {"-N", "-B", "-e", "SHOW DATABASES"});
    ASSIGN_OR_RETURN(RunOutput listed, RunProcess(list, kClientTimeout));
    if (!listed.status.success()) {
      return UnavailableError(fmt::format("listing the databases of {}: {}", name, listed.err));
    }
    std::vector<std::string> databases;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line != "mysql" && line != "information_schema" &&
          line != "performance_schema" && line != "sys") {
        databases.push_back(line);
      }
    }
    std::string file = SnapshotFile(snapshot);
    std::error_code ec;
    fs::create_directories(fs::path(file).parent_path(), ec);
    std::string partial = file + ".partial";
    ProcessOptions dump;
    dump.argv = {
        DumpProgram(),    "--no-defaults",   "--socket=" + Socket(name), "-u",         OsUser(),
        "--system=users", "--insert-ignore", "--single-transaction",     "--routines", "--events",
        "--triggers"};
    if (!databases.empty()) {
      dump.argv.push_back("--databases");
      dump.argv.insert(dump.argv.end(), databases.begin(), databases.end());
    }
    dump.argv.push_back("--result-file=" + partial);
    dump.environment = {{"PATH", kPath}};
    dump.stderr_redirect = Redirect::Pipe();
    ASSIGN_OR_RETURN(RunOutput dumped, RunProcess(dump, kClientTimeout));
    if (!dumped.status.success()) {
      fs::remove(partial, ec);
      return UnavailableError(fmt::format("mariadb-dump of {} failed: {}", name, dumped.err));
    }
    fs::rename(partial, file, ec);
    if (ec) {
      return UnavailableError(fmt::format("cannot write {}: {}", file, ec.message()));
    }
    return OkStatus();
  }

  Status CopySnapshot(const std::string& from, const std::string& to) override {
    std::string target = SnapshotFile(to);
    std::error_code ec;
    fs::create_directories(fs::path(target).parent_path(), ec);
    fs::copy_file(SnapshotFile(from), target + ".partial", fs::copy_options::overwrite_existing,
                  ec);
    if (!ec) {
      fs::rename(target + ".partial", target, ec);
    }
    if (ec) {
      return UnavailableError(
          fmt::format("cannot copy snapshot {} to {}: {}", from, to, ec.message()));
    }
    return OkStatus();
  }

  Status DeleteSnapshot(const std::string& snapshot) override {
    std::error_code ec;
    fs::remove(SnapshotFile(snapshot), ec);
    return OkStatus();
  }

  Status Destroy(const std::string& name) override {
    Stop(name);
    std::error_code ec;
    fs::remove_all(Dir(name), ec);
    fs::remove(Socket(name), ec);
    if (ec) {
      return UnavailableError(fmt::format("cannot remove {}: {}", Dir(name), ec.message()));
    }
    return OkStatus();
  }

  void StopAll() override {
    std::map<std::string, std::unique_ptr<Process>> all;
    {
      std::lock_guard<std::mutex> lock(mu_);
      all.swap(servers_);
    }
    std::vector<std::thread> stoppers;
    for (auto& [name, process] : all) {
      stoppers.emplace_back([p = process.get()] { p->Terminate(kStopGrace); });
    }
    for (std::thread& t : stoppers) {
      t.join();
    }
  }

  Status DestroyAll() override {
    StopAll();
    std::error_code ec;
    for (const char* part : {"clusters", "snapshots"}) {
      fs::remove_all(JoinPath(root_, part), ec);
      if (ec) {
        return UnavailableError(fmt::format("cannot remove {}/{}: {}", root_, part, ec.message()));
      }
    }
    return OkStatus();
  }

  bool AddressFree(const std::string& address, uint16_t port) const override {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      return false;
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    bool bound = inet_pton(AF_INET, address.c_str(), &sa.sin_addr) == 1 &&
                 bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
    close(fd);
    return bound;
  }

  std::optional<pid_t> Pid(const std::string& name) const override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = servers_.find(name);
    if (it == servers_.end() || !ProcessAlive(it->second->pid())) {
      return std::nullopt;
    }
    return it->second->pid();
  }

 private:
  std::string Dir(const std::string& name) const {
    return JoinPath(JoinPath(root_, "clusters"), name);
  }
  std::string Data(const std::string& name) const { return JoinPath(Dir(name), "data"); }
  std::string SnapshotFile(const std::string& snapshot) const {
    return JoinPath(JoinPath(root_, "snapshots"), snapshot) + ".sql";
  }
  // Unix socket paths are limited to 107 bytes: sockets live in the temporary folder under a
  // name made from the server's folder.
  std::string Socket(const std::string& name) const {
    return (fs::temp_directory_path() /
            fmt::format("clusterform-rds-{}.sock", Sha256Hex(Dir(name)).substr(0, 16)))
        .string();
  }

  ProcessOptions ClientOptions(const std::string& name) const {
    ProcessOptions o;
    o.argv = {ClientProgram(), "--no-defaults", "--socket=" + Socket(name), "-u", OsUser()};
    o.environment = {{"PATH", kPath}};
    return o;
  }

  // Runs the client with `args` and stdin from `input_file` (none when empty).
  Status RunClient(const std::string& name, const std::vector<std::string>& args,
                   const std::string& input_file) const {
    ProcessOptions o = ClientOptions(name);
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    if (!input_file.empty()) {
      o.stdin_redirect = Redirect::File(input_file);
    }
    o.stderr_redirect = Redirect::Pipe();
    ASSIGN_OR_RETURN(RunOutput ran, RunProcess(o, kClientTimeout));
    if (!ran.status.success()) {
      return UnavailableError(fmt::format("mariadb on {}: {}", name, ran.err));
    }
    return OkStatus();
  }

  // Runs `sql` (which may hold a password: it goes through a file only the owner reads,
  // removed at once, never through argv).
  Status RunSql(const std::string& name, const std::string& sql) const {
    std::string file = JoinPath(Dir(name), "statements.sql");
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      std::error_code ec;
      fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, ec);
      out << sql;
      if (!out) {
        return UnavailableError("cannot write " + file);
      }
    }
    Status ran = RunClient(name, {}, file);
    std::error_code ec;
    fs::remove(file, ec);
    return ran;
  }

  void Stop(const std::string& name) {
    std::unique_ptr<Process> process;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = servers_.find(name);
      if (it != servers_.end()) {
        process = std::move(it->second);
        servers_.erase(it);
      }
    }
    if (process) {
      process->Terminate(kStopGrace);
    }
    StopLeftover(name);
  }

  // A server left running on this data by a local cloud that was killed: stopped by the pid
  // its pid file names, when that process really serves this data.
  void StopLeftover(const std::string& name) {
    std::ifstream in(JoinPath(Dir(name), "mariadbd.pid"));
    pid_t pid = 0;
    if (in >> pid && pid > 1 && ProcessAlive(pid) && RunningOn(pid, Data(name))) {
      Status stopped = SignalAndWait(pid, SIGTERM, kStopGrace);
      if (!stopped.ok() && ProcessAlive(pid)) {
        (void)SignalAndWait(pid, SIGKILL, kStopGrace);
      }
    }
  }

  Status StartServer(const ServerSpec& spec) {
    StopLeftover(spec.name);
    std::string dir = Dir(spec.name);
    ProcessOptions server;
    server.argv = {ServerProgram(),
                   "--no-defaults",
                   "--datadir=" + Data(spec.name),
                   "--bind-address=" + spec.address,
                   fmt::format("--port={}", spec.port),
                   "--socket=" + Socket(spec.name),
                   "--pid-file=" + JoinPath(dir, "mariadbd.pid"),
                   "--log-error=" + JoinPath(dir, "error.log"),
                   "--skip-name-resolve"};
    if (geteuid() == 0) {
      server.argv.push_back("--user=root");
    }
    for (const std::string& o : SizeOptions()) {
      server.argv.push_back(o);
    }
    server.environment = {{"PATH", kPath}, {"HOME", dir}};
    server.working_directory = dir;
    server.stdout_redirect = Redirect::File(JoinPath(dir, "server.out"));
    server.stderr_redirect = Redirect::ToStdout();
    ASSIGN_OR_RETURN(std::unique_ptr<Process> process, Process::Spawn(server));
    auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
    ProcessOptions ping = ClientOptions(spec.name);
    ping.argv.insert(ping.argv.end(), {"-N", "-B", "-e", "SELECT 1"});
    while (true) {
      if (std::optional<ExitStatus> ended = process->Poll()) {
        return UnavailableError(fmt::format("mariadbd for {} ended ({}): {}", spec.name,
                                            ended->ToString(), Tail(JoinPath(dir, "error.log"))));
      }
      Result<RunOutput> pinged = RunProcess(ping, kClientTimeout);
      if (pinged.ok() && pinged->status.success()) {
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        process->Kill();
        return DeadlineExceededError(
            fmt::format("mariadbd for {} did not accept connections in time", spec.name));
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
    std::lock_guard<std::mutex> lock(mu_);
    servers_[spec.name] = std::move(process);
    return OkStatus();
  }

  const std::string root_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Process>> servers_;  // guarded by mu_
};

}  // namespace

bool MariaDbInstalled() {
  return !ServerProgram().empty() && !InstallProgram().empty() && !ClientProgram().empty() &&
         !DumpProgram().empty();
}

std::unique_ptr<DatabaseRuntime> MakeMariaDbRuntime(std::string root) {
  return std::make_unique<MariaDbRuntime>(std::move(root));
}

}  // namespace cf::cloud::rds
