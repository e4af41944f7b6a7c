#include "state/lock.h"

#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "state/state.h"

namespace cf::state {

namespace {

using Json = nlohmann::json;

std::string Field(const Json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Parses the RFC 3339 timestamps this file writes (whole seconds, Z).
std::optional<std::chrono::system_clock::time_point> ParseTime(const std::string& s) {
  std::tm tm{};
  if (strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm) == nullptr) {
    return std::nullopt;
  }
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string Expiry(Clock& clock, std::chrono::milliseconds lease) {
  auto lease_s = std::chrono::duration_cast<std::chrono::seconds>(lease);
  if (lease_s.count() < 1) {
    lease_s = std::chrono::seconds(1);
  }
  return FormatRfc3339(clock.Now() + lease_s);
}

// True when `holder` names a process of this host (same user@host) that no longer exists:
// its lease cannot be renewed any more, so waiting for it to expire is pointless.
bool HolderIsGone(const LockInfo& holder, const LockInfo& mine) {
  if (holder.who != mine.who || holder.pid <= 0 || holder.pid == mine.pid) {
    return false;
  }
  return ::kill(static_cast<pid_t>(holder.pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

Json LockInfo::ToJson() const {
  return Json{{"ID", id},           {"Operation", operation}, {"Info", info}, {"Who", who},
              {"Version", version}, {"Created", created},     {"Path", path}, {"Pid", pid},
              {"Expires", expires}};
}

Result<LockInfo> LockInfo::FromJson(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || Field(j, "ID").empty()) {
    return InvalidArgumentError("the lock record is not a lock (JSON with an ID)");
  }
  LockInfo info;
  info.id = Field(j, "ID");
  info.operation = Field(j, "Operation");
  info.info = Field(j, "Info");
  info.who = Field(j, "Who");
  info.version = Field(j, "Version");
  info.created = Field(j, "Created");
  info.path = Field(j, "Path");
  info.expires = Field(j, "Expires");
  info.pid = j.value("Pid", int64_t{0});
  return info;
}

std::string LockInfo::Describe() const {
  return fmt::format(
      "Lock Info:\n  ID:        {}\n  Path:      {}\n  Operation: {}\n  Who:       {}\n"
      "  Pid:       {}\n  Version:   {}\n  Created:   {}\n  Expires:   {}\n  Info:      {}\n",
      id, path, operation, who, pid, version, created, expires, info);
}

LockInfo MakeLockInfo(const LockOptions& options, const std::string& path, Clock& clock) {
  LockInfo info;
  info.id = NewLineage();
  info.operation = options.operation;
  info.version = options.version;
  info.created = FormatRfc3339(clock.Now());
  info.path = path;
  info.pid = static_cast<int64_t>(::getpid());
  char host[256] = {0};
  ::gethostname(host, sizeof(host) - 1);
  std::string user = "unknown";
  if (const passwd* pw = ::getpwuid(::geteuid())) {
    user = pw->pw_name;
  }
  info.who = user + "@" + host;
  info.expires = Expiry(clock, options.lease);
  return info;
}

HeldLock::HeldLock(Backend& backend, Clock& clock, LockInfo info, std::chrono::milliseconds lease)
    : backend_(backend), clock_(clock), info_(std::move(info)), lease_(lease) {
  renewer_ = std::thread([this] { RenewLoop(); });
}

HeldLock::~HeldLock() {
  (void)Release();
}

void HeldLock::RenewLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, lease_ / 3, [this] { return stop_; });
    if (stop_) {
      break;
    }
    LockInfo renewed = info_;
    renewed.expires = Expiry(clock_, lease_);
    if (backend_.ReplaceLock(info_.id, renewed, nullptr).ok()) {
      info_ = renewed;
    }
  }
}

void HeldLock::Abandon() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    released_ = true;
  }
  cv_.notify_all();
  if (renewer_.joinable()) {
    renewer_.join();
  }
}

Status HeldLock::Release() {
  bool already;
  {
    std::lock_guard<std::mutex> lock(mu_);
    already = released_;
    stop_ = true;
    released_ = true;
  }
  cv_.notify_all();
  if (renewer_.joinable()) {
    renewer_.join();
  }
  if (already) {
    return OkStatus();
  }
  return backend_.Unlock(info_.id);
}

Result<std::unique_ptr<HeldLock>> AcquireLock(Backend& backend, Clock& clock,
                                              const LockOptions& options) {
  LockInfo mine = MakeLockInfo(options, backend.Location(), clock);
  auto deadline = clock.Monotonic() + options.timeout;
  while (true) {
    mine.expires = Expiry(clock, options.lease);
    LockInfo holder;
    Status s = backend.TryLock(mine, &holder);
    if (s.ok()) {
      return std::make_unique<HeldLock>(backend, clock, mine, options.lease);
    }
    if (s.code() != StatusCode::kConflict) {
      return s.WithContext("locking the state");
    }
    std::optional<std::chrono::system_clock::time_point> expires = ParseTime(holder.expires);
    bool dead = HolderIsGone(holder, mine);
    if ((expires && clock.Now() > *expires) || dead) {
      Status taken = backend.ReplaceLock(holder.id, mine, nullptr);
      if (taken.ok()) {
        if (options.warn) {
          options.warn(
              dead ? fmt::format("The state lock {} is held by {} (pid {}, {}), a process of "
                                 "this host that no longer exists. Taking it over.",
                                 holder.id, holder.who, holder.pid, holder.operation)
                   : fmt::format("The state lock {} held by {} (pid {}, {}) expired at {}; its "
                                 "holder stopped renewing it. Taking it over.",
                                 holder.id, holder.who, holder.pid, holder.operation,
                                 holder.expires));
        }
        return std::make_unique<HeldLock>(backend, clock, mine, options.lease);
      }
      continue;  // someone else took it over first: look again
    }
    if (clock.Monotonic() >= deadline) {
      return ConflictError(fmt::format(
          "Error acquiring the state lock\n\nThe state at {} is locked by another operation.\n"
          "{}\nclusterform waited {}s (-lock-timeout). If the holder is gone, "
          "`clusterform force-unlock {}` releases it.",
          backend.Location(), holder.Describe(),
          std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count(), holder.id));
    }
    clock.SleepFor(options.retry_interval);
  }
}

}  // namespace cf::state
