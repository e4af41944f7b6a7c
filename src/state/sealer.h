#pragma once

// Sealing of sensitive values in state: every attribute an instance lists in
// sensitive_attributes and every sensitive output is replaced, in the file, by
// {"clusterform_sealed": "v1:<base64 of nonce | ciphertext | tag>"}: the value's JSON text
// encrypted with AES-256-GCM under a 256-bit data key, the attribute's address as associated
// data (so a sealed value cannot be moved to another attribute). The data key comes from a
// KeySource: a local key file (beside the state, mode 0600) or KMS (a data key wrapped by the
// backend's KMS key, kept wrapped in the state).

#include <memory>
#include <string>
#include <string_view>

#include "base/file_system.h"
#include "base/status.h"
#include "state/state.h"

namespace cf::state {

// Encrypts and decrypts values. Thread-safe.
class Sealer {
 public:
  virtual ~Sealer() = default;
  // "v1:..." for `plaintext` bound to `context`.
  virtual Result<std::string> Seal(std::string_view plaintext, std::string_view context) = 0;
  // The plaintext; InvalidArgument when `sealed` was not sealed by this key for `context`.
  virtual Result<std::string> Open(std::string_view sealed, std::string_view context) = 0;
};

// AES-256-GCM with a 32-byte key held in memory.
class AesGcmSealer : public Sealer {
 public:
  // InvalidArgument unless the key has 32 bytes.
  static Result<std::unique_ptr<AesGcmSealer>> Create(std::string key);
  Result<std::string> Seal(std::string_view plaintext, std::string_view context) override;
  Result<std::string> Open(std::string_view sealed, std::string_view context) override;

 private:
  explicit AesGcmSealer(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// The key in the file at `path` (base64 of 32 bytes), created with fresh random bytes (mode
// 0600, written atomically) when it does not exist and `create` is true. NotFound when it is
// missing and `create` is false.
Result<std::unique_ptr<Sealer>> LocalKeyFileSealer(FileSystem& fs, const std::string& path,
                                                   bool create);

// The sealed form of `value` (a state JSON value) and back. IsSealed is true for a sealed one.
bool IsSealed(const Json& value);

// `state` with every sensitive attribute and output sealed.
Result<State> SealState(const State& state, Sealer& sealer);
// Opens every sealed value of `state` in place. InvalidArgument when one cannot be opened
// (another key, tampered file).
Status OpenState(State& state, Sealer& sealer);
// True when the state holds any sealed value (and so needs a key to be read).
bool HasSealedValues(const State& state);

}  // namespace cf::state
