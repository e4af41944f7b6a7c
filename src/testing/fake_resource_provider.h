#pragma once

// A ResourceProvider with behaviour, for tests of plan/ and apply/: objects live in memory
// (the "cloud"), each create gets an id "<type>-<n>" and remembers the create's token and
// address (as a real handler tags clusterform:address), Find adopts by token, Read answers
// what exists. Per type: its pool, force-new arguments, how many polls a create/delete stays
// pending, a latency (real time, to observe concurrency). Failures and crashes on command.
// Records every call. Thread-safe.

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "provider/resource_provider.h"

namespace cf {

class FakeResourceProvider : public provider::ResourceProvider {
 public:
  struct TypeBehaviour {
    std::string pool = "fake";
    std::vector<std::string> force_new;
    int pending_polls = 0;  // polls a create or delete stays pending
    int latency_ms = 0;     // each mutating call takes this long
  };

  void SetType(const std::string& type, TypeBehaviour behaviour);
  // The next Create of `address` fails with `error` (nothing is created).
  void FailCreate(const std::string& address, Status error);
  // The next Create of `address` creates the object and then fails as if the process died
  // before it could record it.
  void CrashAfterCreate(const std::string& address);

  bool Supports(std::string_view type) const override;
  std::string Pool(std::string_view type) const override;
  provider::UpdateRules Rules(std::string_view type) const override;
  Result<provider::StepResult> Create(const provider::InstanceRef& ref,
                                      const provider::Json& config) override;
  Result<std::vector<std::optional<provider::Json>>> Read(
      std::string_view type, const std::vector<provider::Json>& states) override;
  Result<provider::StepResult> Update(const provider::InstanceRef& ref, const provider::Json& prior,
                                      const provider::Json& config) override;
  Result<provider::StepResult> Delete(const provider::InstanceRef& ref,
                                      const provider::Json& state) override;
  Result<std::vector<provider::PollResult>> Poll(
      std::string_view type, const std::vector<provider::Json>& states) override;
  Result<std::optional<provider::Json>> Find(const provider::InstanceRef& ref,
                                             const provider::Json& config) override;
  Result<provider::Json> Import(std::string_view type, std::string_view id) override;

  // Calls in order: "Create aws_vpc.a", "Poll aws_subnet 3", "Read aws_vpc 2", ...
  std::vector<std::string> calls() const;
  // Objects that exist: id -> attributes (with "clusterform:address" and "clusterform:token").
  std::map<std::string, provider::Json> objects() const;
  // Changes an object behind the engine's back (drift).
  void Mutate(const std::string& id, const std::string& attribute, provider::Json value);
  void Erase(const std::string& id);
  // The most mutating calls that ran at once, overall and per pool.
  int max_in_flight() const;
  int max_in_flight(const std::string& pool) const;

 private:
  TypeBehaviour BehaviourLocked(std::string_view type) const;
  void Enter(const std::string& pool);
  void Leave(const std::string& pool);

  mutable std::mutex mu_;
  std::map<std::string, TypeBehaviour, std::less<>> types_;
  std::map<std::string, Status> fail_create_;
  std::set<std::string> crash_after_create_;
  std::map<std::string, provider::Json> objects_;
  std::map<std::string, int> polls_left_;  // id -> polls before ready / gone
  std::set<std::string> deleting_;
  std::vector<std::string> calls_;
  int next_id_ = 1;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  std::map<std::string, int> pool_in_flight_;
  std::map<std::string, int> pool_max_;
};

}  // namespace cf
