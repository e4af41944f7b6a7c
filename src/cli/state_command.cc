#include "cli/state_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "cli/engine.h"
#include "plan/diff.h"
#include "state/lock.h"

namespace cf::cli {

namespace {

using Json = nlohmann::json;

// What ParseFlags found, with -dir DIR taken out of the values.
struct Args {
  std::vector<std::string> positional;
  std::set<std::string> booleans;
  std::vector<std::pair<std::string, std::string>> values;
  std::string dir = ".";
};

Result<Args> ParseArgs(const std::vector<std::string>& args, const FlagSpec& spec) {
  ASSIGN_OR_RETURN(ParsedFlags flags, ParseFlags(args, spec));
  Args out{flags.positionals, flags.booleans, {}, flags.Last("dir", ".")};
  for (auto& [name, value] : flags.values) {
    if (name != "dir") {
      out.values.emplace_back(name, value);
    }
  }
  return out;
}

// Positional arguments, -dir DIR, and the given flags.
FlagSpec EngineFlags(const std::vector<Flag>& flags) {
  FlagSpec spec{flags};
  spec.flags.push_back(ValueFlag("dir"));
  spec.more_positionals = true;
  return spec;
}

std::string Pretty(const Json& v) {
  return v.is_string() ? Json(v.get<std::string>()).dump() : v.dump(2);
}

}  // namespace

const FlagSpec& OutputFlags() {
  static const FlagSpec kSpec =
      EngineFlags({BooleanFlag("json"), BooleanFlag("raw"), BooleanFlag("no-color")});
  return kSpec;
}

const FlagSpec& StateFlags() {
  static const FlagSpec kSpec = EngineFlags({ValueFlag("lock-timeout")});
  return kSpec;
}

const FlagSpec& ImportFlags() {
  static const FlagSpec kSpec = EngineFlags({BooleanFlag("no-color"), ValueFlag("var"),
                                             ValueFlag("var-file"), ValueFlag("lock-timeout")});
  return kSpec;
}

const FlagSpec& ForceUnlockFlags() {
  static const FlagSpec kSpec = EngineFlags({BooleanFlag("force")});
  return kSpec;
}

int RunOutput(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs) {
  Result<Args> a = ParseArgs(args, OutputFlags());
  if (!a.ok() || a->positional.size() > 1) {
    fmt::print(io.err, "clusterform output: {}\n",
               a.ok() ? "at most one output NAME may be given" : a.status().message());
    return 2;
  }
  Engine engine(a->dir, {}, environment, fs, true);
  if (!engine.Open(io)) {
    return 1;
  }
  state::State s = engine.store().Snapshot();
  bool json = a->booleans.count("json") > 0;
  bool raw = a->booleans.count("raw") > 0;
  if (a->positional.empty()) {
    if (raw) {
      fmt::print(io.err, "clusterform output: -raw needs an output NAME\n");
      return 2;
    }
    if (json) {
      Json out = Json::object();
      for (const auto& [name, o] : s.outputs) {
        out[name] = {{"sensitive", o.sensitive}, {"type", o.type}, {"value", o.value}};
      }
      fmt::print(io.out, "{}\n", out.dump(2));
      return 0;
    }
    if (s.outputs.empty()) {
      fmt::print(io.err,
                 "Warning: No outputs found\n\nThe state has no outputs. Apply a configuration "
                 "with output blocks first.\n");
      return 0;
    }
    fmt::print(io.out, "{}", RenderOutputs(s.outputs));
    return 0;
  }
  const std::string& name = a->positional[0];
  auto it = s.outputs.find(name);
  if (it == s.outputs.end()) {
    fmt::print(io.err,
               "Error: Output \"{}\" not found\n\nThe output variable requested could not be "
               "found in the state. Run `clusterform apply` first, or check the name.\n",
               name);
    return 1;
  }
  const Json& v = it->second.value;
  if (raw) {
    if (v.is_string()) {
      fmt::print(io.out, "{}", v.get<std::string>());
    } else if (v.is_number() || v.is_boolean()) {
      fmt::print(io.out, "{}", v.dump());
    } else {
      fmt::print(io.err,
                 "Error: Unsupported value for raw output\n\nThe -raw option only supports "
                 "strings, numbers, and boolean values, but output value \"{}\" is not.\n",
                 name);
      return 1;
    }
    return 0;
  }
  fmt::print(io.out, "{}\n", json ? v.dump() : Pretty(v));
  return 0;
}

int RunState(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, FileSystem& fs) {
  if (args.empty()) {
    fmt::print(io.err, "clusterform state: a subcommand is needed: list, show ADDR, rm ADDR\n");
    return 2;
  }
  std::string sub = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  Result<Args> a = ParseArgs(rest, StateFlags());
  if (!a.ok()) {
    fmt::print(io.err, "clusterform state {}: {}\n", sub, a.status().message());
    return 2;
  }
  if (sub == "list" && a->positional.size() == 1 && fs.IsDirectory(a->positional[0])) {
    a->dir = a->positional[0];
    a->positional.clear();
  }
  Engine engine(a->dir, {}, environment, fs, true);
  if (!engine.Open(io)) {
    return 1;
  }
  state::State s = engine.store().Snapshot();
  if (sub == "list") {
    for (const std::string& address : s.Addresses()) {
      bool match = a->positional.empty();
      for (const std::string& p : a->positional) {
        match = match || plan::AddressIn(address, p);
      }
      if (match) {
        fmt::print(io.out, "{}\n", address);
      }
    }
    return 0;
  }
  if (sub == "show") {
    if (a->positional.size() != 1) {
      fmt::print(io.err, "clusterform state show: exactly one ADDR is needed\n");
      return 2;
    }
    const state::InstanceState* i = s.Find(a->positional[0]);
    if (i == nullptr) {
      fmt::print(io.err, "Error: No instance found for the given address: {}\n", a->positional[0]);
      return 1;
    }
    Result<state::ParsedAddress> p = state::ParseAddress(a->positional[0]);
    fmt::print(io.out, "# {}:\n{}resource \"{}\" \"{}\" {{\n", a->positional[0],
               p->mode == "data" ? "data " : "", p->type, p->name);
    size_t width = 0;
    for (const auto& [k, v] : i->attributes.items()) {
      width = std::max(width, k.size());
    }
    for (const auto& [k, v] : i->attributes.items()) {
      bool sensitive = std::find(i->sensitive_attributes.begin(), i->sensitive_attributes.end(),
                                 k) != i->sensitive_attributes.end();
      std::string text = sensitive ? "(sensitive value)" : v.dump();
      fmt::print(io.out, "    {:<{}} = {}\n", k, width, text);
    }
    fmt::print(io.out, "}}\n");
    return 0;
  }
  if (sub == "rm") {
    if (a->positional.empty()) {
      fmt::print(io.err, "clusterform state rm: at least one ADDR is needed\n");
      return 2;
    }
    SystemClock clock;
    state::LockOptions lock_options;
    lock_options.operation = "OperationTypeInvalid";
    lock_options.version = kVersion;
    Result<std::unique_ptr<state::HeldLock>> lock =
        state::AcquireLock(engine.backend(), clock, lock_options);
    if (!lock.ok()) {
      fmt::print(io.err, "{}\n", lock.status().message());
      return 1;
    }
    if (!engine.store().Load().ok()) {
      return 1;
    }
    std::vector<std::string> removed;
    for (const std::string& target : a->positional) {
      for (const std::string& address : engine.store().Snapshot().Addresses()) {
        if (plan::AddressIn(address, target)) {
          removed.push_back(address);
        }
      }
    }
    if (removed.empty()) {
      fmt::print(io.err, "Error: No instance found for the given address(es)\n");
      return 1;
    }
    Status s2 = engine.store().Mutate([&](state::State& st) {
      for (const std::string& address : removed) {
        st.Remove(address);
      }
    });
    if (!s2.ok()) {
      fmt::print(io.err, "Error: {}\n", s2.message());
      return 1;
    }
    for (const std::string& address : removed) {
      fmt::print(io.out, "Removed {}\n", address);
    }
    fmt::print(io.out, "Successfully removed {} resource instance(s).\n", removed.size());
    return 0;
  }
  fmt::print(io.err, "clusterform state: unknown subcommand \"{}\" (list, show, rm)\n", sub);
  return 2;
}

int RunImport(const std::vector<std::string>& args, const Io& io,
              const std::map<std::string, std::string>& environment, FileSystem& fs) {
  Result<Args> a = ParseArgs(args, ImportFlags());
  if (!a.ok() || a->positional.size() != 2) {
    fmt::print(io.err, "clusterform import: {}\n",
               a.ok() ? "usage: clusterform import ADDR ID" : a.status().message());
    return 2;
  }
  const std::string& address = a->positional[0];
  const std::string& id = a->positional[1];
  Result<state::ParsedAddress> parsed = state::ParseAddress(address);
  if (!parsed.ok()) {
    fmt::print(io.err, "Error: {}\n", parsed.status().message());
    return 1;
  }
  Engine engine(a->dir, VarOptions(a->values), environment, fs, true);
  if (!engine.Open(io)) {
    return 1;
  }
  SystemClock clock;
  state::LockOptions lock_options;
  lock_options.operation = "OperationTypeImport";
  lock_options.version = kVersion;
  Result<std::unique_ptr<state::HeldLock>> lock =
      state::AcquireLock(engine.backend(), clock, lock_options);
  if (!lock.ok()) {
    fmt::print(io.err, "{}\n", lock.status().message());
    return 1;
  }
  if (Status loaded = engine.store().Load(); !loaded.ok()) {
    fmt::print(io.err, "Error: {}\n", loaded.message());
    return 1;
  }
  state::State s = engine.store().Snapshot();
  LoadedConfiguration* loaded = engine.Expand(s, io);
  if (loaded == nullptr) {
    return 1;
  }
  const graph::ResourceInstance* declared = nullptr;
  for (const graph::ResourceInstance* i : loaded->desired.Instances()) {
    if (i->Address() == address) {
      declared = i;
    }
  }
  if (declared == nullptr) {
    fmt::print(io.err,
               "Error: resource address \"{}\" does not exist in the configuration.\n\nBefore "
               "importing this resource, please create its configuration in the root module.\n",
               address);
    return 1;
  }
  if (s.Find(address) != nullptr && s.Find(address)->Exists()) {
    fmt::print(io.err,
               "Error: Resource already managed by clusterform\n\nclusterform is already "
               "managing a remote object for {}. To import to this address you must first "
               "remove the existing object from the state (`clusterform state rm {}`).\n",
               address, address);
    return 1;
  }
  Result<Json> imported = engine.providers().get().Import(parsed->type, id);
  if (!imported.ok()) {
    fmt::print(io.err, "Error: importing {} as {}: {}\n", id, address, imported.status().message());
    return 1;
  }
  std::vector<std::string> sensitive = loaded->schemas.Sensitive(parsed->type);
  Status saved = engine.store().Mutate([&](state::State& st) {
    state::InstanceState& i = st.Upsert(*parsed, StateProviderName(parsed->type));
    i.attributes = *imported;
    i.pending.reset();
    i.dependencies = declared->depends_on;
    i.sensitive_attributes.clear();
    for (const std::string& name : sensitive) {
      if (imported->contains(name)) {
        i.sensitive_attributes.push_back(name);
      }
    }
  });
  if (!saved.ok()) {
    fmt::print(io.err, "Error: {}\n", saved.message());
    return 1;
  }
  fmt::print(io.out,
             "{}: Importing from ID \"{}\"...\n{}: Import prepared!\n{}: Refreshing state... "
             "[id={}]\n\nImport successful!\n\nThe resources that were imported are shown above. "
             "These resources are now in your clusterform state and will henceforth be managed "
             "by clusterform.\n",
             address, id, address, address, imported->value("id", id));
  return 0;
}

int RunForceUnlock(const std::vector<std::string>& args, const Io& io,
                   const std::map<std::string, std::string>& environment, FileSystem& fs) {
  Result<Args> a = ParseArgs(args, ForceUnlockFlags());
  if (!a.ok() || a->positional.size() != 1) {
    fmt::print(io.err, "clusterform force-unlock: {}\n",
               a.ok() ? "usage: clusterform force-unlock LOCK_ID [-force]" : a.status().message());
    return 2;
  }
  Engine engine(a->dir, {}, environment, fs, true);
  if (!engine.Open(io)) {
    return 1;
  }
  const std::string& id = a->positional[0];
  Result<std::optional<state::LockInfo>> current = engine.backend().CurrentLock();
  if (current.ok() && current->has_value() && (*current)->id == id &&
      a->booleans.count("force") == 0) {
    fmt::print(io.out,
               "Do you really want to force-unlock?\n  clusterform will remove the lock on the "
               "remote state.\n  This will allow local clusterform commands to modify this "
               "state, even though it may still be in use. Only 'yes' will be accepted to "
               "confirm.\n\n{}\n  Enter a value: ",
               (*current)->Describe());
    std::fflush(io.out);
    std::string line;
    int c;
    while ((c = std::fgetc(io.in)) != EOF && c != '\n') {
      line += static_cast<char>(c);
    }
    if (line != "yes") {
      fmt::print(io.err, "force-unlock cancelled.\n");
      return 1;
    }
  }
  Status s = engine.backend().Unlock(id);
  if (!s.ok()) {
    fmt::print(io.err, "Error: Failed to unlock state: {}\n", s.message());
    return 1;
  }
  fmt::print(io.out,
             "clusterform state has been successfully unlocked!\n\nThe state has been unlocked, "
             "and clusterform commands should now be able to obtain a new lock on the remote "
             "state.\n");
  return 0;
}

}  // namespace cf::cli
