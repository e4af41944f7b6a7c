#pragma once

// Child processes: spawn one in its own process group with an exact argv, environment,
// working directory and redirected stdio; wait for it (with a timeout), poll it, signal or
// kill its whole group; and start detached daemons that announce readiness with a file.
//
// Used by the local cloud (EC2 instances are process groups running user data under bash,
// Lambda functions run their `bootstrap`), by the CLI (the cloud daemon) and by the engine.
//
// Robustness contract for Spawn:
//  - The child starts with an empty signal mask and every signal at its default disposition
//    (a server that blocks SIGTERM in its threads does not hand that on), in a new process
//    group whose id is the child's pid, with every file descriptor above 2 closed at exec.
//  - Only async-signal-safe calls run between fork and exec, so Spawn may be called from a
//    multithreaded program.
//  - When the child cannot be started (no such program, not executable, the working directory
//    or a redirect file cannot be opened) Spawn returns an error Status naming the step and
//    the errno text, and the failed child has already been reaped: never a silently dead
//    child, never a zombie.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf {

// Where one of the child's standard streams goes.
struct Redirect {
  enum class Kind {
    kNull,     // /dev/null (the default for every stream)
    kInherit,  // the caller's own stream
    kFile,     // `path`, created 0644 when missing; appended to or truncated
    kPipe,     // a pipe whose other end the Process owns (stdin_fd/stdout_fd/stderr_fd)
    kStdout,   // stderr only: the same place as stdout (2>&1)
  };
  Kind kind = Kind::kNull;
  std::string path;
  bool append = true;

  static Redirect Null() { return {}; }
  static Redirect Inherit() { return {Kind::kInherit, "", true}; }
  static Redirect File(std::string path, bool append = true) {
    return {Kind::kFile, std::move(path), append};
  }
  static Redirect Pipe() { return {Kind::kPipe, "", true}; }
  static Redirect ToStdout() { return {Kind::kStdout, "", true}; }
};

struct ProcessOptions {
  // argv[0] is the program: a path when it contains '/', otherwise looked up in the PATH of
  // the child's environment (or /usr/local/bin:/usr/bin:/bin when it has none). Required.
  std::vector<std::string> argv;
  // The child's environment, exactly: nothing of the caller's is passed unless
  // `inherit_environment` is set, in which case the caller's environment is the base and
  // `environment` adds to or overrides it.
  std::map<std::string, std::string> environment;
  bool inherit_environment = false;
  // Empty: the caller's working directory.
  std::string working_directory;
  Redirect stdin_redirect = Redirect::Null();  // kFile is opened for reading
  Redirect stdout_redirect = Redirect::Null();
  Redirect stderr_redirect = Redirect::Null();
};

// How a process ended.
struct ExitStatus {
  int code = -1;   // the exit code, when it exited
  int signal = 0;  // the signal that killed it, otherwise 0

  bool exited() const { return signal == 0; }
  bool success() const { return signal == 0 && code == 0; }
  // "exit code 3" or "killed by signal 9 (Killed)".
  std::string ToString() const;
  friend bool operator==(const ExitStatus&, const ExitStatus&) = default;
};

// A spawned child and its process group. The Process owns the group: destroying it kills
// whatever remains of the group (SIGKILL) and reaps the child, so a forgotten Process leaves
// neither a zombie nor stray processes. It owns the parent ends of any pipes as well.
//
// Thread-safe: every method may be called from any thread, concurrently (one thread may Wait
// while another calls Signal).
class Process {
 public:
  // Starts the child described by `options`. See the contract at the top of this file.
  static Result<std::unique_ptr<Process>> Spawn(const ProcessOptions& options);

  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // The process group id: the child's pid.
  pid_t pgid() const { return pid_; }

  // The parent ends of kPipe redirects, or -1. Owned by the Process (closed by it on
  // destruction or by the Close* calls); the caller reads or writes them. Not inherited by
  // other children (close-on-exec).
  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  int stderr_fd() const { return stderr_fd_; }
  // Closes the write end of the stdin pipe (the child sees end of file).
  void CloseStdin();

  // The exit status if the child has exited (reaping it), nullopt while it runs. Never blocks.
  std::optional<ExitStatus> Poll();
  // Blocks until the child exits. Retries on EINTR.
  ExitStatus Wait();
  // Waits at most `timeout`; DeadlineExceeded when the child is still running then.
  Result<ExitStatus> WaitFor(std::chrono::milliseconds timeout);

  // Sends `signal` to every process of the group (kill(-pgid)). OK when the group has no
  // process left. The group id cannot be reused while the child is unreaped; after Wait it
  // still addresses the group's remaining members (daemons a script left behind).
  Status Signal(int signal);
  // SIGKILL to the whole group, then reaps the child.
  ExitStatus Kill();
  // SIGTERM to the group; after `grace` without the child exiting, SIGKILL. Reaps the child.
  // Remaining members of the group are sent SIGKILL in either case.
  ExitStatus Terminate(std::chrono::milliseconds grace);

 private:
  Process(pid_t pid, int pidfd, int stdin_fd, int stdout_fd, int stderr_fd);
  std::optional<ExitStatus> Reap(bool block);

  const pid_t pid_;
  const int pidfd_;  // -1 where pidfd_open is not available
  std::mutex mu_;
  std::optional<ExitStatus> status_;  // guarded by mu_: set once the child is reaped
  int stdin_fd_;                      // guarded by mu_ for CloseStdin
  const int stdout_fd_;
  const int stderr_fd_;
};

// Reads `fd` until end of file (retrying on EINTR) and returns what it read.
Result<std::string> ReadToEnd(int fd);

// Runs `options` to completion, collecting stdout (and stderr when it is redirected to
// kStdout or kPipe) into memory. stdout_redirect and stderr_redirect of kPipe are implied
// for the streams collected. DeadlineExceeded (after killing the group) past `timeout`.
struct RunOutput {
  ExitStatus status;
  std::string out;
  std::string err;
};
Result<RunOutput> RunProcess(ProcessOptions options, std::chrono::milliseconds timeout);

// True when `pid` names a process that has not exited: a zombie (exited, not yet reaped by
// whoever adopted it) counts as gone.
bool ProcessAlive(pid_t pid);

// A detached daemon started by StartDaemon.
struct DaemonOptions {
  // Written by the daemon ("PID\n", atomically) before `body` runs; empty: none.
  std::string pid_file;
  // The file whose appearance means "ready": the daemon's body writes it. Required.
  std::string ready_file;
  // The daemon's stdout and stderr are appended here (stdin is /dev/null); empty: /dev/null.
  std::string log_file;
  // How long StartDaemon waits for the ready file.
  std::chrono::milliseconds ready_timeout{10000};
};

struct DaemonStarted {
  pid_t pid = 0;
  std::string ready;  // the ready file's contents
};

// Starts `body` in a detached daemon: forked twice (nobody has to reap it), in a new session
// (no controlling terminal, ever), stdin /dev/null, stdout and stderr appended to log_file,
// umask 022, signal mask emptied. The daemon exits with body's return value. The caller's
// buffered stdio is flushed first. The calling process must be single-threaded (the daemon is
// a fork that runs C++ code, not an exec).
//
// Returns once `ready_file` exists with non-empty contents that `is_ready` accepts (nullptr:
// any), or with an error when the daemon is gone before that (Unavailable; its log says why)
// or does not become ready within `ready_timeout` (DeadlineExceeded; the daemon is left
// running). The caller removes a stale ready file first. File descriptors above 2 are closed
// in the daemon.
Result<DaemonStarted> StartDaemon(
    const DaemonOptions& options, const std::function<int()>& body,
    const std::function<bool(const std::string&)>& is_ready = nullptr);

// Sends `signal` to `pid` and waits until it is gone (ProcessAlive false). NotFound when it
// was not running; DeadlineExceeded when it still runs after `timeout`.
Status SignalAndWait(pid_t pid, int signal, std::chrono::milliseconds timeout);

}  // namespace cf
