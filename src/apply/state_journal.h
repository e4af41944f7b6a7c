#pragma once

// The scheduler's Journal over a state::StateStore: every record is written to the backend
// before the call returns (write-ahead token before a create, attributes after each step).

#include <functional>
#include <string>
#include <vector>

#include "apply/scheduler.h"
#include "state/store.h"

namespace cf::apply {

// What the state records of an instance besides its attributes.
struct InstanceMeta {
  std::string provider;  // provider["registry.terraform.io/hashicorp/aws"]
  std::vector<std::string> dependencies;
  std::vector<std::string> sensitive;  // top-level attributes to seal
};

class StateJournal : public Journal {
 public:
  using MetaFn = std::function<InstanceMeta(const Operation& op)>;
  StateJournal(state::StateStore& store, MetaFn meta, Clock& clock)
      : store_(store), meta_(std::move(meta)), clock_(clock) {}

  Status BeginCreate(const Operation& op, const std::string& token) override;
  Status Record(const Operation& op, const Json& attributes) override;
  Status Remove(const Operation& op) override;

 private:
  state::StateStore& store_;
  MetaFn meta_;
  Clock& clock_;
};

}  // namespace cf::apply
