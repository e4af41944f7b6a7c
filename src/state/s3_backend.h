#pragma once

// The `s3` backend: the state is one object (`bucket`/`key`) and the lock is the object
// KEY.tflock, taken as Terraform 1.10 takes it: a PUT with `If-None-Match: *`, which S3
// answers 412 PreconditionFailed when the object exists, so two writers never both get it.
// Every later change is conditional on what was read: a lock renewal or release carries
// `If-Match: ETAG` of the record it checked, and a state write carries `If-Match` of the
// state object it last read or wrote (`If-None-Match: *` when there was none), so a writer
// that lost its lock cannot overwrite the state of the one that took it over. `encrypt`
// asks for server-side encryption (SSE-KMS with `kms_key_id`, else SSE-S3).
//
// The embedded S3 model predates conditional writes, so the conditions travel as HTTP
// headers added by ConditionalTransport, which the backend's client must send through.

#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "aws/client.h"
#include "aws/transport.h"
#include "state/backend.h"

namespace cf::state {

// Forwards to `inner`, adding the conditional headers the calling thread has set (on a PUT or
// DELETE only). Thread-safe; `inner` must outlive it.
class ConditionalTransport : public aws::HttpTransport {
 public:
  explicit ConditionalTransport(aws::HttpTransport& inner) : inner_(inner) {}
  Result<aws::HttpResponse> Send(std::string_view base_url,
                                 const aws::HttpRequest& request) override;

  // The headers of the calling thread's requests until the scope ends.
  class Scope {
   public:
    Scope(ConditionalTransport& transport, std::map<std::string, std::string> headers);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ConditionalTransport& transport_;
  };

 private:
  aws::HttpTransport& inner_;
  std::mutex mu_;
  std::map<std::thread::id, std::map<std::string, std::string>> headers_;  // guarded by mu_
};

struct S3BackendOptions {
  std::string bucket;
  std::string key;
  bool encrypt = false;
  std::string kms_key_id;  // SSE-KMS key when encrypt is set
};

// `client` must send through `transport` (a ConditionalTransport); both must outlive the
// backend. Thread-safe.
class S3Backend : public Backend {
 public:
  S3Backend(aws::Client& client, ConditionalTransport& transport, S3BackendOptions options);

  std::string Location() const override;  // "s3://bucket/key"
  Result<std::optional<std::string>> ReadState() override;
  // Conflict when the object changed since this backend last read or wrote it.
  Status WriteState(std::string_view contents) override;
  Status TryLock(const LockInfo& info, LockInfo* holder) override;
  Status ReplaceLock(const std::string& expected_id, const LockInfo& info,
                     LockInfo* holder) override;
  Status Unlock(const std::string& id) override;
  Result<std::optional<LockInfo>> CurrentLock() override;

  const std::string& lock_key() const { return lock_key_; }

 private:
  struct Object {
    std::string body;
    std::string etag;
  };
  // The object, or nullopt when there is none.
  Result<std::optional<Object>> Get(const std::string& key);
  // A PUT of `key` under `conditions`: the new ETag, or nullopt when S3 answered 412
  // PreconditionFailed (or 409 ConditionalRequestConflict: a concurrent conditional write).
  Result<std::optional<std::string>> Put(const std::string& key, std::string_view body,
                                         std::map<std::string, std::string> conditions,
                                         bool encrypted);
  // The lock record and its ETag, or nullopt when unlocked.
  Result<std::optional<std::pair<LockInfo, std::string>>> ReadLock();
  // DELETE of `key` when its ETag is still `etag`; false when it changed meanwhile.
  Result<bool> DeleteIfMatch(const std::string& key, const std::string& etag);

  aws::Client& client_;
  ConditionalTransport& transport_;
  const S3BackendOptions options_;
  const std::string lock_key_;
  std::mutex mu_;
  bool state_read_ = false;  // guarded by mu_: ReadState or WriteState happened
  std::string state_etag_;   // guarded by mu_: empty when there was no object
};

}  // namespace cf::state
