#include "base/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "testing/status_matchers.h"

namespace cf {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ProcessTest : public ::testing::Test {
 protected:
  ProcessTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_process_XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  ~ProcessTest() override { std::filesystem::remove_all(dir_); }

  static ProcessOptions Shell(const std::string& script) {
    ProcessOptions options;
    options.argv = {"/bin/sh", "-c", script};
    return options;
  }
  static RunOutput Run(const ProcessOptions& options) {
    Result<RunOutput> out = RunProcess(options, 10s);
    EXPECT_OK(out);
    return out.ok() ? *out : RunOutput{};
  }

  std::string dir_;
};

TEST_F(ProcessTest, ChildGetsExactlyTheGivenEnvironment) {
  ::setenv("CF_PROCESS_TEST_PARENT", "leak", 1);
  ProcessOptions options;
  options.argv = {"env"};  // found on the default PATH: the child's environment has none
  options.environment = {{"A", "1"}, {"B", "two words"}};
  RunOutput out = Run(options);
  EXPECT_TRUE(out.status.success()) << out.status.ToString();
  EXPECT_EQ(out.out, "A=1\nB=two words\n");
}

TEST_F(ProcessTest, InheritsTheCallersEnvironmentOnlyWhenAsked) {
  ::setenv("CF_PROCESS_TEST_PARENT", "from parent", 1);
  ::setenv("CF_PROCESS_TEST_OVERRIDDEN", "old", 1);
  ProcessOptions options = Shell("echo \"$CF_PROCESS_TEST_PARENT/$CF_PROCESS_TEST_OVERRIDDEN\"");
  options.inherit_environment = true;
  options.environment = {{"CF_PROCESS_TEST_OVERRIDDEN", "new"}};
  EXPECT_EQ(Run(options).out, "from parent/new\n");
}

TEST_F(ProcessTest, RunsInTheGivenWorkingDirectory) {
  ProcessOptions options;
  options.argv = {"/bin/pwd"};
  options.working_directory = dir_;
  EXPECT_EQ(Run(options).out, std::filesystem::canonical(dir_).string() + "\n");
}

TEST_F(ProcessTest, RedirectsStreamsToFilesAppendingOrTruncating) {
  std::string out = dir_ + "/out.log";
  std::string err = dir_ + "/err.log";
  ProcessOptions options = Shell("echo out; echo err >&2");
  options.stdout_redirect = Redirect::File(out);
  options.stderr_redirect = Redirect::File(err);
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK(Process::Spawn(options));  // destroyed at once: waits (and kills) the group
    auto p = Process::Spawn(options);
    ASSERT_OK(p);
    EXPECT_TRUE((*p)->Wait().success());
  }
  EXPECT_EQ(Slurp(err).find("err\n"), 0u);
  options.stdout_redirect = Redirect::File(out, /*append=*/false);
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  (*p)->Wait();
  EXPECT_EQ(Slurp(out), "out\n");
}

TEST_F(ProcessTest, StderrCanFollowStdoutOrHaveItsOwnPipe) {
  ProcessOptions options = Shell("echo one; echo two >&2; echo three");
  options.stderr_redirect = Redirect::ToStdout();
  EXPECT_EQ(Run(options).out, "one\ntwo\nthree\n");
  options.stderr_redirect = Redirect::Pipe();
  RunOutput split = Run(options);
  EXPECT_EQ(split.out, "one\nthree\n");
  EXPECT_EQ(split.err, "two\n");
}

TEST_F(ProcessTest, StdinPipeFeedsTheChild) {
  ProcessOptions options;
  options.argv = {"/bin/cat"};
  options.stdin_redirect = Redirect::Pipe();
  options.stdout_redirect = Redirect::Pipe();
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  ASSERT_EQ(::write((*p)->stdin_fd(), "hello", 5), 5);
  (*p)->CloseStdin();
  Result<std::string> text = ReadToEnd((*p)->stdout_fd());
  ASSERT_OK(text);
  EXPECT_EQ(*text, "hello");
  EXPECT_TRUE((*p)->Wait().success());
}

TEST_F(ProcessTest, ExecFailureIsAnErrorNotADeadChild) {
  ProcessOptions options;
  options.argv = {"/nonexistent/program"};
  EXPECT_THAT(Process::Spawn(options),
              StatusIs(StatusCode::kNotFound, HasSubstr("exec /nonexistent/program")));

  options.argv = {"no-such-program-anywhere"};
  EXPECT_THAT(Process::Spawn(options),
              StatusIs(StatusCode::kNotFound, HasSubstr("not found in PATH")));

  std::string script = dir_ + "/not-executable";
  std::ofstream(script) << "#!/bin/sh\necho hi\n";
  options.argv = {script};
  EXPECT_THAT(Process::Spawn(options), StatusIs(StatusCode::kPermissionDenied, HasSubstr("exec")));

  options.argv = {"/bin/true"};
  options.working_directory = dir_ + "/missing";
  EXPECT_THAT(Process::Spawn(options),
              StatusIs(StatusCode::kNotFound, HasSubstr("working directory")));

  options.working_directory.clear();
  options.stdout_redirect = Redirect::File(dir_ + "/missing/out.log");
  EXPECT_THAT(Process::Spawn(options), StatusIs(StatusCode::kNotFound, HasSubstr("out.log")));

  // No child of ours is left behind, not even a zombie.
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(ProcessTest, ReportsExitCodesAndSignals) {
  auto exited = Process::Spawn(Shell("exit 3"));
  ASSERT_OK(exited);
  EXPECT_EQ((*exited)->Wait(), (ExitStatus{3, 0}));
  EXPECT_EQ((*exited)->Wait().ToString(), "exit code 3");  // stays known once reaped

  auto killed = Process::Spawn(Shell("kill -KILL $$"));
  ASSERT_OK(killed);
  ExitStatus status = (*killed)->Wait();
  EXPECT_EQ(status.signal, SIGKILL);
  EXPECT_FALSE(status.exited());
  EXPECT_THAT(status.ToString(), HasSubstr("signal 9"));
}

TEST_F(ProcessTest, WaitForTimesOutAndPollDoesNotBlock) {
  ProcessOptions options;
  options.argv = {"/bin/sleep", "30"};
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  EXPECT_EQ((*p)->Poll(), std::nullopt);
  EXPECT_THAT((*p)->WaitFor(50ms), StatusIs(StatusCode::kDeadlineExceeded, HasSubstr("running")));
  EXPECT_EQ((*p)->Kill().signal, SIGKILL);
  ASSERT_OK((*p)->WaitFor(0ms));
  EXPECT_EQ((*p)->Poll()->signal, SIGKILL);
}

TEST_F(ProcessTest, ChildLeadsItsOwnProcessGroup) {
  ProcessOptions options;
  options.argv = {"/bin/sleep", "30"};
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  EXPECT_EQ(::getpgid((*p)->pid()), (*p)->pid());
  EXPECT_NE(::getpgid((*p)->pid()), ::getpgrp());
}

TEST_F(ProcessTest, TerminateStopsTheWholeGroup) {
  // A script that leaves a background process behind, as user data does.
  ProcessOptions options = Shell("sleep 30 & echo $!; wait");
  options.stdout_redirect = Redirect::Pipe();
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  std::string line;
  char c;
  while (::read((*p)->stdout_fd(), &c, 1) == 1 && c != '\n') {
    line += c;
  }
  pid_t background = std::stoi(line);
  ASSERT_TRUE(ProcessAlive(background));
  EXPECT_EQ((*p)->Terminate(5s).signal, SIGTERM);
  for (int i = 0; i < 500 && ProcessAlive(background); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_FALSE(ProcessAlive(background));
}

TEST_F(ProcessTest, TerminateEscalatesToKillAfterTheGrace) {
  ProcessOptions options = Shell("trap '' TERM; echo ready; while true; do sleep 0.01; done");
  options.stdout_redirect = Redirect::Pipe();
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  char c;
  ASSERT_EQ(::read((*p)->stdout_fd(), &c, 1), 1);  // the trap is set
  EXPECT_EQ((*p)->Terminate(100ms).signal, SIGKILL);
}

TEST_F(ProcessTest, ChildStartsWithDefaultSignalsAndAnEmptyMask) {
  // A server blocks SIGTERM in its threads and may ignore SIGPIPE; its children must not.
  sigset_t term;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  sigset_t saved;
  ASSERT_EQ(::pthread_sigmask(SIG_BLOCK, &term, &saved), 0);
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_term;
  ::sigaction(SIGTERM, &ignore, &old_term);

  ProcessOptions options;
  options.argv = {"/bin/sleep", "30"};
  auto p = Process::Spawn(options);

  ::sigaction(SIGTERM, &old_term, nullptr);
  ::pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  ASSERT_OK(p);
  ASSERT_OK((*p)->Signal(SIGTERM));
  EXPECT_EQ((*p)->Wait().signal, SIGTERM);
}

TEST_F(ProcessTest, ClosesTheCallersDescriptorsInTheChild) {
  int leaked[2];
  ASSERT_EQ(::pipe(leaked), 0);  // deliberately without close-on-exec
  ProcessOptions options;
  options.argv = {"/bin/sleep", "30"};
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  // Give exec a moment: the descriptors close at exec.
  std::string fd_dir = "/proc/" + std::to_string((*p)->pid()) + "/fd/";
  for (int i = 0; i < 200 && std::filesystem::exists(fd_dir + std::to_string(leaked[1])); ++i) {
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_FALSE(std::filesystem::exists(fd_dir + std::to_string(leaked[0])));
  EXPECT_FALSE(std::filesystem::exists(fd_dir + std::to_string(leaked[1])));
  EXPECT_TRUE(std::filesystem::exists(fd_dir + "1"));
  ::close(leaked[0]);
  ::close(leaked[1]);
}

TEST_F(ProcessTest, DestroyingAProcessKillsAndReapsIt) {
  ProcessOptions options;
  options.argv = {"/bin/sleep", "30"};
  pid_t pid;
  {
    auto p = Process::Spawn(options);
    ASSERT_OK(p);
    pid = (*p)->pid();
  }
  EXPECT_FALSE(ProcessAlive(pid));
  EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), -1);  // already reaped: no zombie
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(ProcessTest, OneThreadWaitsWhileAnotherSignals) {
  ProcessOptions options;
  options.argv = {"/bin/sleep", "30"};
  auto p = Process::Spawn(options);
  ASSERT_OK(p);
  ExitStatus seen;
  std::thread waiter([&] { seen = (*p)->Wait(); });
  std::this_thread::sleep_for(20ms);
  ASSERT_OK((*p)->Signal(SIGINT));
  waiter.join();
  EXPECT_EQ(seen.signal, SIGINT);
}

TEST_F(ProcessTest, RunProcessKillsAChildPastItsDeadline) {
  ProcessOptions options;
  options.argv = {"/bin/sleep", "30"};
  auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(RunProcess(options, 100ms),
              StatusIs(StatusCode::kDeadlineExceeded, HasSubstr("within 100 ms")));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST_F(ProcessTest, ProcessAliveTreatsZombiesAsGone) {
  pid_t child = ::fork();
  if (child == 0) {
    ::_exit(0);
  }
  for (int i = 0; i < 500 && ProcessAlive(child); ++i) {
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_FALSE(ProcessAlive(child));  // a zombie until reaped below
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(ProcessAlive(::getpid()));
  EXPECT_FALSE(ProcessAlive(0));
}

int ServeUntilTerminated(const std::string& ready_file) {
  std::ofstream(ready_file) << "{\"pid\": " << ::getpid() << "}\n";
  ::pause();
  return 0;
}

TEST_F(ProcessTest, DaemonStartsDetachedAndAnnouncesReadiness) {
  DaemonOptions options;
  options.pid_file = dir_ + "/d.pid";
  options.ready_file = dir_ + "/d.ready";
  options.log_file = dir_ + "/d.log";
  Result<DaemonStarted> started = StartDaemon(
      options, [&] { return ServeUntilTerminated(options.ready_file); },
      [](const std::string& text) { return text.find('}') != std::string::npos; });
  ASSERT_OK(started);
  EXPECT_NE(started->pid, ::getpid());
  EXPECT_EQ(started->ready, "{\"pid\": " + std::to_string(started->pid) + "}\n");
  EXPECT_EQ(Slurp(options.pid_file), std::to_string(started->pid) + "\n");
  // A session of its own, which it does not lead: it can never acquire a terminal.
  EXPECT_NE(::getsid(started->pid), ::getsid(0));
  EXPECT_NE(::getsid(started->pid), started->pid);
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);  // not our child: nobody of ours reaps it
  ASSERT_OK(SignalAndWait(started->pid, SIGTERM, 5s));
  EXPECT_FALSE(ProcessAlive(started->pid));
  EXPECT_THAT(SignalAndWait(started->pid, SIGTERM, 5s),
              StatusIs(StatusCode::kNotFound, HasSubstr("not running")));
}

TEST_F(ProcessTest, DaemonThatDiesBeforeReadyIsAnErrorWithItsLog) {
  DaemonOptions options;
  options.ready_file = dir_ + "/d.ready";
  options.log_file = dir_ + "/d.log";
  Result<DaemonStarted> started = StartDaemon(options, [] {
    std::fprintf(stderr, "cannot bind\n");
    return 1;
  });
  EXPECT_THAT(started, StatusIs(StatusCode::kUnavailable, HasSubstr("exited before it was ready")));
  EXPECT_EQ(Slurp(options.log_file), "cannot bind\n");
}

TEST_F(ProcessTest, DaemonNotReadyInTimeIsADeadlineError) {
  DaemonOptions options;
  options.pid_file = dir_ + "/d.pid";
  options.ready_file = dir_ + "/d.ready";
  options.ready_timeout = 100ms;
  Result<DaemonStarted> started = StartDaemon(options, [] {
    ::pause();
    return 0;
  });
  EXPECT_THAT(started, StatusIs(StatusCode::kDeadlineExceeded, HasSubstr("not ready")));
  pid_t pid = std::stoi(Slurp(options.pid_file));
  ASSERT_OK(SignalAndWait(pid, SIGKILL, 5s));
}

}  // namespace
}  // namespace cf
