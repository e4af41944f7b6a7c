#include "base/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "base/file_system.h"

extern char** environ;

namespace cf {

namespace {

using Clock = std::chrono::steady_clock;

// What the child reports through the error pipe when a step before exec fails.
enum class ChildStep : int { kRedirect, kChdir, kExec };

struct ChildError {
  ChildStep step;
  int err;
  int stream;  // for kRedirect: 0, 1 or 2
};

Status ErrnoError(const std::string& what, int err) {
  std::string message = what + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) {
    return NotFoundError(std::move(message));
  }
  if (err == EACCES || err == EPERM) {
    return PermissionDeniedError(std::move(message));
  }
  return InternalError(std::move(message));
}

void CloseFd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

// Moves `fd` to a descriptor >= 3, close-on-exec, so that dup2 onto 0-2 in the child can
// never clobber another source.
int AboveStdio(int fd) {
  if (fd < 0 || fd > 2) {
    return fd;
  }
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

// Descriptors for one stream: what the child gets as 0/1/2 (-1: leave as is) and what the
// parent keeps (a pipe end, or -1).
struct StreamFds {
  int child = -1;
  int parent = -1;
};

Result<StreamFds> OpenStream(const Redirect& redirect, int stream) {
  StreamFds fds;
  switch (redirect.kind) {
    case Redirect::Kind::kInherit:
    case Redirect::Kind::kStdout:
      return fds;
    case Redirect::Kind::kNull:
      fds.child = ::open("/dev/null", (stream == 0 ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
      if (fds.child < 0) {
        return ErrnoError("opening /dev/null", errno);
      }
      break;
    case Redirect::Kind::kFile: {
      int flags = O_CLOEXEC;
      if (stream == 0) {
        flags |= O_RDONLY;
      } else {
        flags |= O_WRONLY | O_CREAT | (redirect.append ? O_APPEND : O_TRUNC);
      }
      fds.child = ::open(redirect.path.c_str(), flags, 0644);
      if (fds.child < 0) {
        return ErrnoError("opening " + redirect.path, errno);
      }
      break;
    }
    case Redirect::Kind::kPipe: {
      int ends[2];
      if (::pipe2(ends, O_CLOEXEC) != 0) {
        return ErrnoError("pipe", errno);
      }
      fds.child = stream == 0 ? ends[0] : ends[1];
      fds.parent = stream == 0 ? ends[1] : ends[0];
      break;
    }
  }
  fds.child = AboveStdio(fds.child);
  fds.parent = AboveStdio(fds.parent);
  if (fds.child < 0 || (redirect.kind == Redirect::Kind::kPipe && fds.parent < 0)) {
    int err = errno;
    CloseFd(fds.child);
    CloseFd(fds.parent);
    return ErrnoError("fcntl", err);
  }
  return fds;
}

// The program to exec: argv[0] itself when it has a '/', otherwise its first executable
// regular file along PATH.
Result<std::string> FindProgram(const std::string& name, const std::string& path_variable) {
  if (name.empty()) {
    return InvalidArgumentError("spawn: empty program name");
  }
  if (name.find('/') != std::string::npos) {
    return name;
  }
  size_t start = 0;
  while (start <= path_variable.size()) {
    size_t end = path_variable.find(':', start);
    if (end == std::string::npos) {
      end = path_variable.size();
    }
    std::string dir = path_variable.substr(start, end - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    struct stat info;
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return NotFoundError("spawn " + name + ": not found in PATH (" + path_variable + ")");
}

std::map<std::string, std::string> ChildEnvironment(const ProcessOptions& options) {
  std::map<std::string, std::string> env;
  if (options.inherit_environment) {
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      std::string text = *entry;
      size_t eq = text.find('=');
      if (eq != std::string::npos) {
        env.emplace(text.substr(0, eq), text.substr(eq + 1));
      }
    }
  }
  for (const auto& [name, value] : options.environment) {
    env[name] = value;
  }
  return env;
}

// In the child, between fork and exec: async-signal-safe calls only.
void ResetSignals() {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) {
      ::sigaction(sig, &action, nullptr);
    }
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Marks every descriptor above 2 close-on-exec (the error pipe must survive until exec).
void CloseOnExecAboveStdio(int max_fd) {
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) {
    return;
  }
  for (int fd = 3; fd < max_fd; ++fd) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
}

[[noreturn]] void ChildFail(int error_fd, ChildStep step, int err, int stream) {
  ChildError report{step, err, stream};
  while (::write(error_fd, &report, sizeof(report)) < 0 && errno == EINTR) {
  }
  ::_exit(127);
}

int MaxFd() {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    return static_cast<int>(limit.rlim_cur);
  }
  return 65536;
}

pid_t WaitPidRetrying(pid_t pid, int* status, int flags) {
  pid_t r;
  do {
    r = ::waitpid(pid, status, flags);
  } while (r < 0 && errno == EINTR);
  return r;
}

ExitStatus FromWaitStatus(int status) {
  ExitStatus exit;
  if (WIFEXITED(status)) {
    exit.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    exit.signal = WTERMSIG(status);
  }
  return exit;
}

}  // namespace

std::string ExitStatus::ToString() const {
  if (signal != 0) {
    return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  }
  return "exit code " + std::to_string(code);
}

Result<std::unique_ptr<Process>> Process::Spawn(const ProcessOptions& options) {
  if (options.argv.empty()) {
    return InvalidArgumentError("spawn: empty argv");
  }
  if (options.stdin_redirect.kind == Redirect::Kind::kStdout ||
      options.stdout_redirect.kind == Redirect::Kind::kStdout) {
    return InvalidArgumentError("spawn: only stderr can be redirected to stdout");
  }
  std::map<std::string, std::string> env = ChildEnvironment(options);
  auto path = env.find("PATH");
  ASSIGN_OR_RETURN(std::string program,
                   FindProgram(options.argv[0],
                               path != env.end() ? path->second : "/usr/local/bin:/usr/bin:/bin"));

  // Everything the child needs is made before fork: it may not allocate.
  std::vector<std::string> env_strings;
  env_strings.reserve(env.size());
  for (const auto& [name, value] : env) {
    env_strings.push_back(name + "=" + value);
  }
  std::vector<char*> argv_ptrs;
  for (const std::string& arg : options.argv) {
    argv_ptrs.push_back(const_cast<char*>(arg.c_str()));
  }
  argv_ptrs.push_back(nullptr);
  std::vector<char*> env_ptrs;
  for (std::string& entry : env_strings) {
    env_ptrs.push_back(entry.data());
  }
  env_ptrs.push_back(nullptr);
  const char* cwd = options.working_directory.empty() ? nullptr : options.working_directory.c_str();
  int max_fd = MaxFd();

  StreamFds streams[3];
  auto close_all = [&streams]() {
    for (StreamFds& s : streams) {
      CloseFd(s.child);
      CloseFd(s.parent);
    }
  };
  const Redirect* redirects[3] = {&options.stdin_redirect, &options.stdout_redirect,
                                  &options.stderr_redirect};
  for (int i = 0; i < 3; ++i) {
    Result<StreamFds> opened = OpenStream(*redirects[i], i);
    if (!opened.ok()) {
      close_all();
      return opened.status().WithContext("spawn " + options.argv[0]);
    }
    streams[i] = *opened;
  }
  int error_pipe[2];
  if (::pipe2(error_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    close_all();
    return ErrnoError("spawn: pipe", err);
  }
  bool stderr_to_stdout = options.stderr_redirect.kind == Redirect::Kind::kStdout;

  // No signal handler of ours may run in the child before it resets them.
  sigset_t all;
  sigset_t saved;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(error_pipe[0]);
    ResetSignals();
    ::setpgid(0, 0);
    for (int i = 0; i < 3; ++i) {
      if (streams[i].child >= 0 && ::dup2(streams[i].child, i) < 0) {
        ChildFail(error_pipe[1], ChildStep::kRedirect, errno, i);
      }
    }
    if (stderr_to_stdout && ::dup2(1, 2) < 0) {
      ChildFail(error_pipe[1], ChildStep::kRedirect, errno, 2);
    }
    if (cwd != nullptr && ::chdir(cwd) != 0) {
      ChildFail(error_pipe[1], ChildStep::kChdir, errno, 0);
    }
    CloseOnExecAboveStdio(max_fd);
    ::execve(program.c_str(), argv_ptrs.data(), env_ptrs.data());
    ChildFail(error_pipe[1], ChildStep::kExec, errno, 0);
  }
  int fork_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  ::close(error_pipe[1]);
  for (StreamFds& s : streams) {
    CloseFd(s.child);
  }
  if (pid < 0) {
    ::close(error_pipe[0]);
    close_all();
    return ErrnoError("spawn " + options.argv[0] + ": fork", fork_errno);
  }
  // Both sides set the group, so it exists whichever runs first (EACCES once it has exec'd).
  ::setpgid(pid, pid);

  ChildError report;
  ssize_t n;
  do {
    n = ::read(error_pipe[0], &report, sizeof(report));
  } while (n < 0 && errno == EINTR);
  ::close(error_pipe[0]);
  if (n > 0) {
    int status = 0;
    WaitPidRetrying(pid, &status, 0);
    close_all();
    switch (report.step) {
      case ChildStep::kRedirect:
        return ErrnoError(
            "spawn " + options.argv[0] + ": redirecting fd " + std::to_string(report.stream),
            report.err);
      case ChildStep::kChdir:
        return ErrnoError(
            "spawn " + options.argv[0] + ": working directory " + options.working_directory,
            report.err);
      case ChildStep::kExec:
        return ErrnoError("spawn " + options.argv[0] + ": exec " + program, report.err);
    }
  }
  // glibc 2.36 declares pidfd_open without C linkage; the system call is the same.
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  return std::unique_ptr<Process>(
      new Process(pid, pidfd, streams[0].parent, streams[1].parent, streams[2].parent));
}

Process::Process(pid_t pid, int pidfd, int stdin_fd, int stdout_fd, int stderr_fd)
    : pid_(pid), pidfd_(pidfd), stdin_fd_(stdin_fd), stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}

Process::~Process() {
  (void)Kill();
  if (pidfd_ >= 0) {
    ::close(pidfd_);
  }
  CloseStdin();
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
  }
  if (stderr_fd_ >= 0) {
    ::close(stderr_fd_);
  }
}

void Process::CloseStdin() {
  std::lock_guard<std::mutex> lock(mu_);
  CloseFd(stdin_fd_);
}

std::optional<ExitStatus> Process::Reap(bool block) {
  if (block) {
    // Wait without reaping, outside the lock, so Signal stays possible meanwhile.
    siginfo_t info;
    while (::waitid(P_PID, pid_, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (status_) {
    return status_;
  }
  int status = 0;
  pid_t r = WaitPidRetrying(pid_, &status, block ? 0 : WNOHANG);
  if (r == pid_) {
    status_ = FromWaitStatus(status);
  } else if (r < 0 && errno == ECHILD) {
    // Reaped behind our back (someone waited for any child): the status is lost.
    status_ = ExitStatus{};
  }
  return status_;
}

std::optional<ExitStatus> Process::Poll() {
  return Reap(false);
}

ExitStatus Process::Wait() {
  return *Reap(true);
}

Result<ExitStatus> Process::WaitFor(std::chrono::milliseconds timeout) {
  Clock::time_point deadline = Clock::now() + timeout;
  std::chrono::milliseconds nap(1);
  while (true) {
    if (std::optional<ExitStatus> done = Reap(false)) {
      return *done;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      return DeadlineExceededError("pid " + std::to_string(pid_) + " still running after " +
                                   std::to_string(timeout.count()) + " ms");
    }
    if (pidfd_ >= 0) {
      struct pollfd p = {pidfd_, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    } else {
      std::this_thread::sleep_for(std::min(nap, left));
      nap = std::min(nap * 2, std::chrono::milliseconds(20));
    }
  }
}

Status Process::Signal(int signal) {
  std::lock_guard<std::mutex> lock(mu_);
  if (::kill(-pid_, signal) != 0 && errno != ESRCH) {
    return ErrnoError("signalling process group " + std::to_string(pid_), errno);
  }
  return OkStatus();
}

ExitStatus Process::Kill() {
  (void)Signal(SIGKILL);
  return Wait();
}

ExitStatus Process::Terminate(std::chrono::milliseconds grace) {
  (void)Signal(SIGTERM);
  Result<ExitStatus> done = WaitFor(grace);
  (void)Signal(SIGKILL);
  return done.ok() ? *done : Wait();
}

Result<std::string> ReadToEnd(int fd) {
  std::string out;
  char buffer[65536];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return ErrnoError("read", errno);
    }
    if (n == 0) {
      return out;
    }
    out.append(buffer, static_cast<size_t>(n));
  }
}

Result<RunOutput> RunProcess(ProcessOptions options, std::chrono::milliseconds timeout) {
  options.stdout_redirect = Redirect::Pipe();
  ASSIGN_OR_RETURN(std::unique_ptr<Process> process, Process::Spawn(options));
  process->CloseStdin();
  Clock::time_point deadline = Clock::now() + timeout;
  RunOutput output;
  struct Stream {
    int fd;
    std::string* into;
  };
  std::vector<Stream> open = {{process->stdout_fd(), &output.out}};
  if (process->stderr_fd() >= 0) {
    open.push_back({process->stderr_fd(), &output.err});
  }
  while (!open.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      process->Kill();
      return DeadlineExceededError(options.argv[0] + " did not finish within " +
                                   std::to_string(timeout.count()) + " ms");
    }
    std::vector<pollfd> fds;
    for (const Stream& s : open) {
      fds.push_back({s.fd, POLLIN, 0});
    }
    int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()) + 1);
    if (ready < 0 && errno != EINTR) {
      return ErrnoError("poll", errno);
    }
    for (size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) {
        continue;
      }
      char buffer[65536];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        open[i].into->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  Result<ExitStatus> status = process->WaitFor(std::max(left, std::chrono::milliseconds(0)));
  if (!status.ok()) {
    process->Kill();
    return status.status();
  }
  output.status = *status;
  return output;
}

bool ProcessAlive(pid_t pid) {
  if (pid <= 0 || (::kill(pid, 0) != 0 && errno != EPERM)) {
    return false;
  }
  RealFileSystem fs;
  Result<std::string> stat = fs.ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (stat.ok()) {
    size_t paren = stat->rfind(')');
    if (paren != std::string::npos && paren + 2 < stat->size()) {
      char state = (*stat)[paren + 2];
      return state != 'Z' && state != 'X';
    }
  }
  return true;
}

namespace {

// The daemon itself: stdio to /dev/null and the log, no descriptors of the caller's, then
// the pid file and the body.
[[noreturn]] void RunDaemon(const DaemonOptions& options, const std::function<int()>& body) {
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  int log_fd = options.log_file.empty() ? -1
                                        : ::open(options.log_file.c_str(),
                                                 O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int out_fd = log_fd >= 0 ? log_fd : null_fd;
  ::dup2(null_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(out_fd, 2);
  ::close_range(3, ~0U, 0);
  ::umask(022);
  sigset_t none;
  sigemptyset(&none);
  ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
  if (!options.pid_file.empty()) {
    RealFileSystem fs;
    Status written = fs.WriteFileAtomic(options.pid_file, std::to_string(::getpid()) + "\n");
    if (!written.ok()) {
      std::fprintf(stderr, "daemon: %s\n", written.message().c_str());
      std::fflush(stderr);
      ::_exit(1);
    }
  }
  int code = body();
  std::fflush(nullptr);
  ::_exit(code);
}

}  // namespace

Result<DaemonStarted> StartDaemon(const DaemonOptions& options, const std::function<int()>& body,
                                  const std::function<bool(const std::string&)>& is_ready) {
  if (options.ready_file.empty()) {
    return InvalidArgumentError("daemon: a ready file is required");
  }
  std::fflush(nullptr);
  int pid_pipe[2];
  if (::pipe2(pid_pipe, O_CLOEXEC) != 0) {
    return ErrnoError("daemon: pipe", errno);
  }
  pid_t child = ::fork();
  if (child < 0) {
    int err = errno;
    ::close(pid_pipe[0]);
    ::close(pid_pipe[1]);
    return ErrnoError("daemon: fork", err);
  }
  if (child == 0) {
    // First child: a new session, then the daemon in a grandchild so that nobody has to reap
    // it and it can never regain a terminal.
    ::close(pid_pipe[0]);
    ::setsid();
    pid_t daemon = ::fork();
    if (daemon == 0) {
      ::close(pid_pipe[1]);
      RunDaemon(options, body);
    }
    while (::write(pid_pipe[1], &daemon, sizeof(daemon)) < 0 && errno == EINTR) {
    }
    ::_exit(daemon < 0 ? 1 : 0);
  }
  ::close(pid_pipe[1]);
  pid_t daemon = -1;
  ssize_t n;
  do {
    n = ::read(pid_pipe[0], &daemon, sizeof(daemon));
  } while (n < 0 && errno == EINTR);
  ::close(pid_pipe[0]);
  int status = 0;
  WaitPidRetrying(child, &status, 0);
  if (n != static_cast<ssize_t>(sizeof(daemon)) || daemon <= 0) {
    return InternalError("daemon: the second fork failed");
  }

  RealFileSystem fs;
  auto ready_now = [&]() -> std::optional<std::string> {
    Result<std::string> text = fs.ReadFile(options.ready_file);
    if (text.ok() && !text->empty() && (is_ready == nullptr || is_ready(*text))) {
      return *text;
    }
    return std::nullopt;
  };
  Clock::time_point deadline = Clock::now() + options.ready_timeout;
  while (Clock::now() < deadline) {
    if (std::optional<std::string> ready = ready_now()) {
      return DaemonStarted{daemon, *ready};
    }
    if (!ProcessAlive(daemon)) {
      if (std::optional<std::string> ready = ready_now()) {
        return DaemonStarted{daemon, *ready};
      }
      return UnavailableError("daemon: pid " + std::to_string(daemon) +
                              " exited before it was ready");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return DeadlineExceededError("daemon: pid " + std::to_string(daemon) + " not ready within " +
                               std::to_string(options.ready_timeout.count()) + " ms");
}

Status SignalAndWait(pid_t pid, int signal, std::chrono::milliseconds timeout) {
  if (!ProcessAlive(pid)) {
    return NotFoundError("pid " + std::to_string(pid) + " is not running");
  }
  if (::kill(pid, signal) != 0) {
    return ErrnoError("cannot signal pid " + std::to_string(pid), errno);
  }
  Clock::time_point deadline = Clock::now() + timeout;
  while (ProcessAlive(pid)) {
    if (Clock::now() > deadline) {
      return DeadlineExceededError("pid " + std::to_string(pid) + " did not stop within " +
                                   std::to_string(timeout.count() / 1000) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return OkStatus();
}

}  // namespace cf
