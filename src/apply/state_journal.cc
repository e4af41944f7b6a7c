#include "apply/state_journal.h"

namespace cf::apply {

Status StateJournal::BeginCreate(const Operation& op, const std::string& token) {
  ASSIGN_OR_RETURN(state::ParsedAddress address, state::ParseAddress(op.address));
  InstanceMeta meta = meta_(op);
  std::string started = FormatRfc3339(clock_.Now());
  return store_.Mutate([&](state::State& s) {
    state::InstanceState& i = s.Upsert(address, meta.provider);
    if (op.kind == OpKind::kCreate) {
      i.attributes = Json::object();
    }
    i.pending = state::PendingCreate{token, started};
    i.dependencies = meta.dependencies;
  });
}

Status StateJournal::Record(const Operation& op, const Json& attributes) {
  ASSIGN_OR_RETURN(state::ParsedAddress address, state::ParseAddress(op.address));
  InstanceMeta meta = meta_(op);
  return store_.Mutate([&](state::State& s) {
    state::InstanceState& i = s.Upsert(address, meta.provider);
    i.attributes = attributes;
    i.pending.reset();
    i.dependencies = meta.dependencies;
    i.sensitive_attributes.clear();
    for (const std::string& name : meta.sensitive) {
      if (attributes.contains(name)) {
        i.sensitive_attributes.push_back(name);
      }
    }
  });
}

Status StateJournal::Remove(const Operation& op) {
  return store_.Mutate([&](state::State& s) { s.Remove(op.address); });
}

}  // namespace cf::apply
