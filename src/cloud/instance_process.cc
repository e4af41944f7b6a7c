#include "cloud/instance_process.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace cf::cloud {

namespace {

// A forked child in its own group. Between fork and exec the child makes only
// async-signal-safe calls (everything it needs is prepared before the fork).
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
    int console = open(spec.console_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (console < 0) {
      return UnavailableError(
          fmt::format("cannot open the console file {}: {}", spec.console_path, strerror(errno)));
    }
    int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_in < 0) {
      close(console);
      return UnavailableError(fmt::format("cannot open /dev/null: {}", strerror(errno)));
    }
    // The child reports an exec failure's errno through this close-on-exec pipe.
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
      close(console);
      close(null_in);
      return UnavailableError(fmt::format("pipe: {}", strerror(errno)));
    }
    const char* cwd = spec.working_directory.empty() ? nullptr : spec.working_directory.c_str();
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      for (int sig = 1; sig < NSIG; ++sig) {
        signal(sig, SIG_DFL);
      }
      int code = 0;
      if (dup2(null_in, 0) < 0 || dup2(console, 1) < 0 || dup2(console, 2) < 0) {
        code = errno;
      } else if (cwd != nullptr && chdir(cwd) != 0) {
        code = errno;
      } else {
        execve(argv[0], argv.data(), envp.data());
        code = errno;
      }
      ssize_t ignored = write(report[1], &code, sizeof(code));
      (void)ignored;
      _exit(127);
    }
    int fork_errno = errno;
    close(report[1]);
    close(console);
    close(null_in);
    if (pid < 0) {
      close(report[0]);
      return UnavailableError(fmt::format("fork: {}", strerror(fork_errno)));
    }
    setpgid(pid, pid);
    int child_errno = 0;
    ssize_t n;
    do {
      n = read(report[0], &child_errno, sizeof(child_errno));
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == sizeof(child_errno)) {
      int status = 0;
      waitpid(pid, &status, 0);
      return UnavailableError(
          fmt::format("cannot start {}: {}", spec.argv[0], strerror(child_errno)));
    }
    return std::unique_ptr<InstanceProcess>(new SystemProcess(pid));
  }
};

}  // namespace

std::unique_ptr<ProcessLauncher> MakeSystemProcessLauncher() {
  return std::make_unique<SystemProcessLauncher>();
}

}  // namespace cf::cloud
