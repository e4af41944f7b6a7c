#pragma once

// The state of one operation in memory, persisted to its backend after every change: the
// apply scheduler records each finished resource (and, before each create, the write-ahead
// record of its token) through Mutate, so a crash loses at most the call in flight.
// Sensitive values are sealed on the way out and opened on the way in.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "state/backend.h"
#include "state/sealer.h"
#include "state/state.h"

namespace cf::state {

// Makes the sealer of `state`; `create` allows creating a new key (only when sealing), which a
// KMS factory records in state.data_key.
using SealerFactory = std::function<Result<std::unique_ptr<Sealer>>(State& state, bool create)>;

// Thread-safe.
class StateStore {
 public:
  StateStore(Backend& backend, SealerFactory sealers, std::string version);

  // Reads the backend's state (a fresh state with a new lineage when there is none).
  Status Load();
  // A copy of the state now (sensitive values in clear).
  State Snapshot() const;
  // Applies `change` and writes the state (serial + 1). On a write failure the change stays
  // in memory and the Status says the state could not be saved.
  Status Mutate(const std::function<void(State&)>& change);
  // Replaces the whole state and writes it (state push, tests).
  Status Replace(State state);

  Backend& backend() { return backend_; }

 private:
  Status WriteLocked();  // requires mu_
  Backend& backend_;
  SealerFactory sealers_;
  const std::string version_;
  mutable std::mutex mu_;
  State state_;                     // guarded by mu_
  std::unique_ptr<Sealer> sealer_;  // guarded by mu_; made on first need
};

// The local-file sealer factory for a state at `state_path`: the key in STATE_PATH.key.
SealerFactory LocalKeySealers(FileSystem& fs, const std::string& state_path);

}  // namespace cf::state
