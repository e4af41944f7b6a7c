#pragma once

// Where a state lives and how it is locked. A backend stores one state document and one lock
// record; the lock's lease and takeover logic is backend-independent (state/lock.h).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cf::state {

// Who holds a lock, in Terraform's LockInfo fields plus the holder's pid and lease expiry.
struct LockInfo {
  std::string id;         // random UUID
  std::string operation;  // "OperationTypeApply", "OperationTypePlan", ...
  std::string who;        // "user@host"
  std::string version;    // clusterform's version
  std::string created;    // RFC 3339
  std::string path;       // the state's location
  std::string info;
  int64_t pid = 0;
  std::string expires;  // RFC 3339: the lease; renewed by the holder

  nlohmann::json ToJson() const;
  static Result<LockInfo> FromJson(std::string_view text);
  // "Lock Info:\n  ID: ...\n  Path: ...\n ..." as Terraform prints it.
  std::string Describe() const;
};

// One state and its lock. Implementations are thread-safe.
class Backend {
 public:
  virtual ~Backend() = default;
  // Where the state is, for messages: "clusterform.tfstate", "s3://bucket/key".
  virtual std::string Location() const = 0;
  // The stored document, or nullopt when there is none yet.
  virtual Result<std::optional<std::string>> ReadState() = 0;
  // Replaces the stored document atomically (a crash leaves the old or the new one).
  virtual Status WriteState(std::string_view contents) = 0;

  // Takes the lock when nobody holds it. Conflict when it is held, with `holder` filled.
  virtual Status TryLock(const LockInfo& info, LockInfo* holder) = 0;
  // Replaces the lock record whose id is `expected_id` by `info` (a renewal, or the takeover
  // of an expired lease). Conflict when the record has another id (filled into `holder`) or
  // there is none.
  virtual Status ReplaceLock(const std::string& expected_id, const LockInfo& info,
                             LockInfo* holder) = 0;
  // Releases the lock with `id`. NotFound when not locked; Conflict when held under another id.
  virtual Status Unlock(const std::string& id) = 0;
  // The current holder, or nullopt.
  virtual Result<std::optional<LockInfo>> CurrentLock() = 0;
};

}  // namespace cf::state
