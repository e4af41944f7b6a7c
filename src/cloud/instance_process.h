#pragma once

// The seam between the local cloud's instances and the operating system: an instance's
// workload is one process group (a leader that stays up while the instance "runs", and
// whatever its user data starts). The real launcher forks and execs; tests use
// FakeProcessLauncher (fake_process_launcher.h), whose processes die on command.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf::cloud {

// A started process group. Thread-safe.
class InstanceProcess {
 public:
  virtual ~InstanceProcess() = default;
  // The group's leader (and the group id).
  virtual int pid() const = 0;
  // True while the leader has not exited (reaping it when it has). Never blocks.
  virtual bool Alive() = 0;
  // SIGKILL to every process of the group, then reaps the leader. Idempotent.
  virtual void Kill() = 0;
};

struct ProcessSpec {
  std::vector<std::string> argv;                   // argv[0] is an absolute path
  std::map<std::string, std::string> environment;  // exactly the child's environment
  std::string working_directory;
  std::string console_path;  // stdout and stderr appended here; stdin is /dev/null
};

// Thread-safe.
class ProcessLauncher {
 public:
  virtual ~ProcessLauncher() = default;
  // Starts `spec` in a new process group. An error names the step that failed.
  virtual Result<std::unique_ptr<InstanceProcess>> Launch(const ProcessSpec& spec) = 0;
};

// Real processes (base/process.h).
std::unique_ptr<ProcessLauncher> MakeSystemProcessLauncher();

}  // namespace cf::cloud
