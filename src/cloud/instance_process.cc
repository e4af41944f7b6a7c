#include "cloud/instance_process.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace cf::cloud {

namespace {

// A spawned child in its own group (posix_spawn: signal mask emptied, dispositions reset,
// stdio redirected, every descriptor above 2 closed, working directory set before exec).
class SystemProcess : public InstanceProcess {
 public:
  explicit SystemProcess(pid_t pid) : pid_(pid) {}
  ~SystemProcess() override { Kill(); }

  int pid() const override { return pid_; }

  bool Alive() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (reaped_) {
      return false;
    }
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) {
      reaped_ = true;
      return false;
    }
    return true;
  }

  void Kill() override {
    std::lock_guard<std::mutex> lock(mu_);
    // The group outlives its leader when the user data left daemons behind: always signal it.
    kill(-pid_, SIGKILL);
    if (!reaped_) {
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      reaped_ = true;
    }
  }

 private:
  const pid_t pid_;
  std::mutex mu_;
  bool reaped_ = false;  // guarded by mu_
};

class SystemProcessLauncher : public ProcessLauncher {
 public:
  Result<std::unique_ptr<InstanceProcess>> Launch(const ProcessSpec& spec) override {
    if (spec.argv.empty() || spec.argv[0].empty() || spec.argv[0][0] != '/') {
      return InvalidArgumentError("instance process: argv[0] must be an absolute path");
    }
    std::vector<std::string> env_text;
    for (const auto& [name, value] : spec.environment) {
      env_text.push_back(name + "=" + value);
    }
    std::vector<char*> argv;
    for (const std::string& arg : spec.argv) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (std::string& entry : env_text) {
      envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    // posix_spawn (a vfork-style clone in glibc) instead of fork: no copy of the server's page
    // tables, so starting 100 instances does not cost 100 copies of a large process.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, spec.console_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    // Nothing of the server (its listening sockets, the store) leaks into the instance.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (!spec.working_directory.empty()) {
      posix_spawn_file_actions_addchdir_np(&actions, spec.working_directory.c_str());
    }
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    sigset_t all;
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                              POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_USEVFORK);
    pid_t pid = 0;
    int error = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) {
      return UnavailableError(fmt::format("cannot start {} (console {}, directory {}): {}",
                                          spec.argv[0], spec.console_path, spec.working_directory,
                                          strerror(error)));
    }
    return std::unique_ptr<InstanceProcess>(new SystemProcess(pid));
  }
};

}  // namespace

std::unique_ptr<ProcessLauncher> MakeSystemProcessLauncher() {
  return std::make_unique<SystemProcessLauncher>();
}

}  // namespace cf::cloud
