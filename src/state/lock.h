#pragma once

// Taking a backend's lock for one operation: wait while another live holder has it (up to a
// timeout), take over a lease that expired (its holder died) with a warning, and renew the
// lease while the operation runs.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "state/backend.h"

namespace cf::state {

struct LockOptions {
  std::string operation = "OperationTypeApply";
  std::string version;  // clusterform's
  // How long to wait for a live holder before failing (Terraform's -lock-timeout; 0: fail at once).
  std::chrono::milliseconds timeout{0};
  // The lease: a holder that stops renewing for this long is presumed dead.
  std::chrono::milliseconds lease{std::chrono::seconds(30)};
  // Between two tries while waiting.
  std::chrono::milliseconds retry_interval{std::chrono::seconds(1)};
  // Told when an expired lease is taken over ("Warning: ...").
  std::function<void(const std::string&)> warn;
};

// A lock held on a backend. Renews the lease every lease/3 on its own thread until Release()
// or destruction, which releases the lock. Not copyable.
class HeldLock {
 public:
  HeldLock(Backend& backend, Clock& clock, LockInfo info, std::chrono::milliseconds lease);
  ~HeldLock();
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;

  const LockInfo& info() const { return info_; }
  // Stops renewing and releases the lock.
  Status Release();
  // Stops renewing without releasing (a simulated crash in tests).
  void Abandon();

 private:
  void RenewLoop();
  Backend& backend_;
  Clock& clock_;
  LockInfo info_;  // guarded by mu_ after construction
  const std::chrono::milliseconds lease_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  bool released_ = false;
  std::thread renewer_;
};

// Who this process is: "user@host", the pid.
LockInfo MakeLockInfo(const LockOptions& options, const std::string& path, Clock& clock);

// Takes the lock. A holder whose lease expired, or a holder process of this host that no
// longer exists (killed), is taken over with a warning. Conflict, with the holder's
// LockInfo::Describe() in the message as Terraform prints it, when a live holder kept it past
// options.timeout.
Result<std::unique_ptr<HeldLock>> AcquireLock(Backend& backend, Clock& clock,
                                              const LockOptions& options);

}  // namespace cf::state
