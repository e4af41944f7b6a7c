#include "state/store.h"

namespace cf::state {

namespace {

bool HasSensitive(const State& s) {
  for (const ResourceState& r : s.resources) {
    for (const InstanceState& i : r.instances) {
      if (!i.sensitive_attributes.empty()) {
        return true;
      }
    }
  }
  for (const auto& [name, o] : s.outputs) {
    if (o.sensitive) {
      return true;
    }
  }
  return false;
}

}  // namespace

StateStore::StateStore(Backend& backend, SealerFactory sealers, std::string version)
    : backend_(backend), sealers_(std::move(sealers)), version_(std::move(version)) {}

Status StateStore::Load() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(std::optional<std::string> text, backend_.ReadState());
  if (!text || text->empty()) {
    state_ = State();
    state_.lineage = NewLineage();
    state_.terraform_version = version_;
    return OkStatus();
  }
  Result<State> parsed = Parse(*text);
  if (!parsed.ok()) {
    return parsed.status().WithContext("reading the state at " + backend_.Location());
  }
  if (HasSealedValues(*parsed)) {
    if (!sealer_) {
      ASSIGN_OR_RETURN(sealer_, sealers_(*parsed, false));
    }
    Status opened = OpenState(*parsed, *sealer_);
    if (!opened.ok()) {
      return opened.WithContext("reading the state at " + backend_.Location());
    }
  }
  state_ = std::move(*parsed);
  return OkStatus();
}

State StateStore::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

Status StateStore::WriteLocked() {
  state_.serial += 1;
  state_.terraform_version = version_;
  if (!HasSensitive(state_)) {
    return backend_.WriteState(Serialize(state_));
  }
  if (!sealer_) {
    ASSIGN_OR_RETURN(sealer_, sealers_(state_, true));
  }
  ASSIGN_OR_RETURN(State sealed, SealState(state_, *sealer_));
  return backend_.WriteState(Serialize(sealed));
}

Status StateStore::Mutate(const std::function<void(State&)>& change) {
  std::lock_guard<std::mutex> lock(mu_);
  change(state_);
  Status s = WriteLocked();
  return s.ok() ? s : s.WithContext("saving the state to " + backend_.Location());
}

Status StateStore::Replace(State state) {
  std::lock_guard<std::mutex> lock(mu_);
  const bool same_key =
      state.data_key.has_value() == state_.data_key.has_value() &&
      (!state.data_key || state.data_key->ciphertext == state_.data_key->ciphertext);
  if (!same_key) {
    sealer_.reset();
  }
  state_ = std::move(state);
  return WriteLocked();
}

SealerFactory LocalKeySealers(FileSystem& fs, const std::string& state_path) {
  std::string key_path = state_path + ".key";
  return [&fs, key_path](State&, bool create) { return LocalKeyFileSealer(fs, key_path, create); };
}

}  // namespace cf::state
