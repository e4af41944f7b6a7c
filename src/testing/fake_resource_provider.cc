#include "testing/fake_resource_provider.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

namespace cf {

using provider::Json;
using provider::PollResult;
using provider::StepResult;

void FakeResourceProvider::SetType(const std::string& type, TypeBehaviour behaviour) {
  std::lock_guard<std::mutex> lock(mu_);
  types_[type] = std::move(behaviour);
}

void FakeResourceProvider::FailCreate(const std::string& address, Status error) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_create_[address] = std::move(error);
}

void FakeResourceProvider::CrashAfterCreate(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  crash_after_create_.insert(address);
}

FakeResourceProvider::TypeBehaviour FakeResourceProvider::BehaviourLocked(
    std::string_view type) const {
  auto it = types_.find(type);
  return it == types_.end() ? TypeBehaviour{} : it->second;
}

bool FakeResourceProvider::Supports(std::string_view type) const {
  std::lock_guard<std::mutex> lock(mu_);
  return types_.count(type) > 0 || type.substr(0, 5) == "fake_";
}

std::string FakeResourceProvider::Pool(std::string_view type) const {
  std::lock_guard<std::mutex> lock(mu_);
  return BehaviourLocked(type).pool;
}

provider::UpdateRules FakeResourceProvider::Rules(std::string_view type) const {
  std::lock_guard<std::mutex> lock(mu_);
  return provider::UpdateRules{BehaviourLocked(type).force_new};
}

void FakeResourceProvider::Enter(const std::string& pool) {
  std::lock_guard<std::mutex> lock(mu_);
  ++in_flight_;
  max_in_flight_ = std::max(max_in_flight_, in_flight_);
  int& p = pool_in_flight_[pool];
  ++p;
  pool_max_[pool] = std::max(pool_max_[pool], p);
}

void FakeResourceProvider::Leave(const std::string& pool) {
  std::lock_guard<std::mutex> lock(mu_);
  --in_flight_;
  --pool_in_flight_[pool];
}

Result<StepResult> FakeResourceProvider::Create(const provider::InstanceRef& ref,
                                                const Json& config) {
  TypeBehaviour b;
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("Create " + ref.address);
    b = BehaviourLocked(ref.type);
  }
  Enter(b.pool);
  if (b.latency_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(b.latency_ms));
  }
  Leave(b.pool);
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = fail_create_.find(ref.address); it != fail_create_.end()) {
    Status error = it->second;
    fail_create_.erase(it);
    return error;
  }
  std::string id = fmt::format("{}-{}", ref.type, next_id_++);
  Json state = config;
  state["id"] = id;
  state["clusterform:address"] = ref.address;
  state["clusterform:token"] = ref.token;
  objects_[id] = state;
  if (crash_after_create_.erase(ref.address) > 0) {
    return UnavailableError("killed after creating " + id);
  }
  if (b.pending_polls > 0) {
    polls_left_[id] = b.pending_polls;
    return StepResult{state, true};
  }
  return StepResult{state, false};
}

Result<std::vector<std::optional<Json>>> FakeResourceProvider::Read(
    std::string_view type, const std::vector<Json>& states) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back(fmt::format("Read {} {}", type, states.size()));
  std::vector<std::optional<Json>> out;
  for (const Json& s : states) {
    auto it = objects_.find(s.value("id", ""));
    out.push_back(it == objects_.end() ? std::nullopt : std::optional<Json>(it->second));
  }
  return out;
}

Result<StepResult> FakeResourceProvider::Update(const provider::InstanceRef& ref, const Json& prior,
                                                const Json& config) {
  TypeBehaviour b;
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("Update " + ref.address);
    b = BehaviourLocked(ref.type);
  }
  Enter(b.pool);
  if (b.latency_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(b.latency_ms));
  }
  Leave(b.pool);
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = prior.value("id", "");
  auto it = objects_.find(id);
  if (it == objects_.end()) {
    return NotFoundError("no object " + id);
  }
  for (const auto& [k, v] : config.items()) {
    it->second[k] = v;
  }
  return StepResult{it->second, false};
}

Result<StepResult> FakeResourceProvider::Delete(const provider::InstanceRef& ref,
                                                const Json& state) {
  TypeBehaviour b;
  {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back("Delete " + ref.address);
    b = BehaviourLocked(ref.type);
  }
  Enter(b.pool);
  if (b.latency_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(b.latency_ms));
  }
  Leave(b.pool);
  std::lock_guard<std::mutex> lock(mu_);
  std::string id = state.value("id", "");
  if (objects_.count(id) == 0) {
    return StepResult{state, false};
  }
  if (b.pending_polls > 0) {
    deleting_.insert(id);
    polls_left_[id] = b.pending_polls;
    return StepResult{state, true};
  }
  objects_.erase(id);
  return StepResult{state, false};
}

Result<std::vector<PollResult>> FakeResourceProvider::Poll(std::string_view type,
                                                           const std::vector<Json>& states) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back(fmt::format("Poll {} {}", type, states.size()));
  std::vector<PollResult> out;
  for (const Json& s : states) {
    std::string id = s.value("id", "");
    PollResult p;
    auto it = objects_.find(id);
    if (it == objects_.end()) {
      p.phase = PollResult::Phase::kGone;
    } else if (polls_left_[id] > 1) {
      --polls_left_[id];
      p.phase = PollResult::Phase::kPending;
      p.state = it->second;
    } else if (deleting_.count(id) > 0) {
      deleting_.erase(id);
      objects_.erase(it);
      polls_left_.erase(id);
      p.phase = PollResult::Phase::kGone;
    } else {
      polls_left_.erase(id);
      p.phase = PollResult::Phase::kReady;
      p.state = it->second;
      p.state["ready"] = true;
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::optional<Json>> FakeResourceProvider::Find(const provider::InstanceRef& ref,
                                                       const Json& config) {
  (void)config;
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back("Find " + ref.address);
  for (const auto& [id, o] : objects_) {
    if (o.value("clusterform:token", "") == ref.token) {
      return std::optional<Json>(o);
    }
  }
  return std::optional<Json>();
}

Result<Json> FakeResourceProvider::Import(std::string_view type, std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.push_back(fmt::format("Import {} {}", type, id));
  auto it = objects_.find(std::string(id));
  if (it == objects_.end()) {
    return NotFoundError(fmt::format("no {} with id {}", type, id));
  }
  return it->second;
}

std::vector<std::string> FakeResourceProvider::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::map<std::string, Json> FakeResourceProvider::objects() const {
  std::lock_guard<std::mutex> lock(mu_);
  return objects_;
}

void FakeResourceProvider::Mutate(const std::string& id, const std::string& attribute, Json value) {
  std::lock_guard<std::mutex> lock(mu_);
  objects_[id][attribute] = std::move(value);
}

void FakeResourceProvider::Erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  objects_.erase(id);
}

int FakeResourceProvider::max_in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_in_flight_;
}

int FakeResourceProvider::max_in_flight(const std::string& pool) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pool_max_.find(pool);
  return it == pool_max_.end() ? 0 : it->second;
}

}  // namespace cf
