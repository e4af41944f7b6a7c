#include "cli/apply_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "apply/progress.h"
#include "apply/scheduler.h"
#include "apply/state_journal.h"
#include "cli/engine.h"
#include "plan/render_text.h"
#include "state/lock.h"

namespace cf::cli {

namespace {

using Json = nlohmann::json;

// "creating aws_vpc.a: ec2.CreateVpc: InvalidParameterValue: ..." as Terraform shows it:
// "creating aws_vpc.a: InvalidParameterValue: ..." (the AWS client's error names the call).
std::string WithoutCallName(const std::string& message) {
  static const std::regex kCall(R"(^([^:]*: )[a-z0-9-]+\.[A-Z][A-Za-z0-9]*: )");
  return std::regex_replace(message, kCall, "$1", std::regex_constants::format_first_only);
}

std::string ReadLine(std::FILE* in) {
  std::string line;
  int c;
  while ((c = std::fgetc(in)) != EOF && c != '\n') {
    line += static_cast<char>(c);
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
    line.pop_back();
  }
  return line;
}

void JsonLine(const Io& io, Clock& clock, const std::string& level, const std::string& message,
              const std::string& type, Json extra) {
  Json line = {{"@level", level},
               {"@message", message},
               {"@module", "terraform.ui"},
               {"@timestamp", FormatRfc3339(clock.Now())},
               {"type", type}};
  for (auto& [k, v] : extra.items()) {
    line[k] = v;
  }
  fmt::print(io.out, "{}\n", line.dump());
}

}  // namespace

const FlagSpec& ApplyFlags() {
  static const FlagSpec kSpec{
      {ValueFlag("var"), ValueFlag("var-file"), ValueFlag("parallelism"), ValueFlag("lock-timeout"),
       ValueFlag("target"), ValueFlag("replace"), ValueFlag("refresh"), BooleanFlag("auto-approve"),
       BooleanFlag("json"), BooleanFlag("no-color"), BooleanFlag("refresh-only"),
       BooleanFlag("destroy"), BooleanFlag("input")},
      {},
      /*directory=*/true};
  return kSpec;
}

int RunApply(const std::vector<std::string>& args, const Io& io,
             const std::map<std::string, std::string>& environment, FileSystem& fs,
             const ApplyCommandOptions& options) {
  const char* command = options.destroy ? "destroy" : "apply";
  Result<ParsedFlags> flags = ParseFlags(args, ApplyFlags());
  if (!flags.ok()) {
    fmt::print(io.err, "clusterform {}: {}\n", command, flags.status().message());
    return 2;
  }
  bool json = flags->Has("json");
  PlanRequest request;
  request.destroy = options.destroy || flags->Has("destroy");
  request.refresh_only = flags->Has("refresh-only");
  request.refresh = flags->Last("refresh", "true") != "false";
  for (const auto& [name, value] : flags->values) {
    if (name == "target") {
      request.targets.push_back(value);
    } else if (name == "replace") {
      request.replace.insert(value);
    }
  }
  int parallelism = 10;
  if (std::string p = flags->Last("parallelism"); !p.empty()) {
    try {
      parallelism = std::stoi(p);
    } catch (...) {
      parallelism = 0;
    }
    if (parallelism < 1) {
      fmt::print(io.err, "clusterform {}: -parallelism must be a whole number of 1 or more\n",
                 command);
      return 2;
    }
  }
  Result<std::chrono::milliseconds> lock_timeout = ParseDuration(flags->Last("lock-timeout", "0s"));
  if (!lock_timeout.ok()) {
    fmt::print(io.err, "clusterform {}: -lock-timeout: {}\n", command,
               lock_timeout.status().message());
    return 2;
  }

  // A saved plan: its directory and flags; it must still match the state and configuration.
  std::string dir = flags->dir;
  std::optional<Json> saved;
  if (fs.Exists(dir) && !fs.IsDirectory(dir)) {
    Result<std::string> text = fs.ReadFile(dir);
    Json doc = text.ok() ? Json::parse(*text, nullptr, false) : Json();
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("clusterform")) {
      fmt::print(io.err, "Error: {} is not a plan file saved by `clusterform plan -out`\n", dir);
      return 1;
    }
    saved = doc;
    const Json& cf = doc["clusterform"];
    dir = cf.value("dir", ".");
    request.destroy = cf.value("destroy", false);
    request.refresh_only = cf.value("refresh_only", false);
    request.refresh = cf.value("refresh", true);
    request.targets = cf.value("targets", std::vector<std::string>{});
    std::vector<std::string> replace = cf.value("replace", std::vector<std::string>{});
    request.replace = std::set<std::string>(replace.begin(), replace.end());
  }

  SystemClock system_clock;
  Clock& clock = options.clock != nullptr ? *options.clock : system_clock;
  Engine engine(dir, VarOptions(flags->values), environment, fs, options.real_files);
  if (!engine.Open(io)) {
    return 1;
  }
  state::LockOptions lock_options;
  lock_options.operation = options.destroy ? "OperationTypeApply" : "OperationTypeApply";
  lock_options.version = kVersion;
  lock_options.timeout = *lock_timeout;
  lock_options.warn = [&io](const std::string& w) { fmt::print(io.err, "Warning: {}\n\n", w); };
  Result<std::unique_ptr<state::HeldLock>> lock =
      state::AcquireLock(engine.backend(), clock, lock_options);
  if (!lock.ok()) {
    fmt::print(io.err, "{}\n", lock.status().message());
    return 1;
  }
  // Loaded again under the lock: another apply may have finished while this one waited.
  if (Status reloaded = engine.store().Load(); !reloaded.ok()) {
    fmt::print(io.err, "Error: {}\n", reloaded.message());
    return 1;
  }
  if (saved) {
    const Json& cf = (*saved)["clusterform"];
    state::State now = engine.store().Snapshot();
    std::string lineage = cf.value("lineage", "");
    bool same_state = cf.value("serial", int64_t{-1}) == now.serial &&
                      (lineage.empty() ? now.serial == 0 : lineage == now.lineage);
    if (!same_state) {
      fmt::print(io.err,
                 "Error: Saved plan is stale\n\nThe given plan file can no longer be applied "
                 "because the state was changed by another operation after the plan was "
                 "created (plan: serial {}, state: serial {}). Run `clusterform plan` again.\n",
                 cf.value("serial", int64_t{-1}), now.serial);
      return 1;
    }
    if (cf.value("configuration_digest", "") != engine.ConfigurationDigest()) {
      fmt::print(io.err,
                 "Error: Saved plan is stale\n\nThe configuration in {} or its input values "
                 "changed since the plan was made. Run `clusterform plan` again.\n",
                 dir);
      return 1;
    }
  }

  std::optional<PlanOutcome> outcome = MakeEnginePlan(engine, request, io);
  if (!outcome) {
    return 1;
  }
  plan::Plan& the_plan = outcome->plan;
  if (saved) {
    // The same changes as when the plan was made, or nothing is done.
    std::map<std::string, std::vector<std::string>> planned;
    for (const Json& c : (*saved).value("resource_changes", Json::array())) {
      planned[c.value("address", "")] = c["change"].value("actions", std::vector<std::string>{});
    }
    std::map<std::string, std::vector<std::string>> now;
    for (const plan::ResourceChange& c : the_plan.resource_changes) {
      now[c.address] = plan::ActionList(c.action);
    }
    if (planned != now) {
      fmt::print(io.err,
                 "Error: Saved plan is stale\n\nWhat exists changed since the plan was made (a "
                 "refresh found other objects); its changes no longer apply as planned. Run "
                 "`clusterform plan` again.\n");
      return 1;
    }
  }
  if (request.refresh && outcome->refreshed.serial == outcome->prior.serial &&
      state::Serialize(outcome->refreshed) != state::Serialize(outcome->prior)) {
    state::State refreshed = outcome->refreshed;
    Status s = engine.store().Mutate(
        [&refreshed](state::State& st) { st.resources = refreshed.resources; });
    if (!s.ok()) {
      fmt::print(io.err, "Error: {}\n", s.message());
      return 1;
    }
  }

  bool color = !json && !flags->Has("no-color") && environment.count("NO_COLOR") == 0 &&
               isatty(fileno(io.out)) != 0;
  if (!json) {
    plan::TextOptions text;
    text.color = color;
    const provider::AwsResourceSchemas& schemas = outcome->loaded->schemas;
    text.is_block = [&schemas](std::string_view type, std::string_view path) {
      return schemas.IsBlock(type, path);
    };
    fmt::print(io.out, "{}", plan::RenderPlanText(the_plan, text));
  }
  bool changes = the_plan.HasChanges();
  if (changes && !saved && !flags->Has("auto-approve")) {
    if (request.destroy) {
      fmt::print(io.out,
                 "\nDo you really want to destroy all resources?\n  clusterform will destroy "
                 "all your managed infrastructure, as shown above.\n  There is no undo. Only "
                 "'yes' will be accepted to confirm.\n\n  Enter a value: ");
    } else {
      fmt::print(io.out,
                 "\nDo you want to perform these actions?\n  clusterform will perform the "
                 "actions described above.\n  Only 'yes' will be accepted to approve.\n\n"
                 "  Enter a value: ");
    }
    std::fflush(io.out);
    if (ReadLine(io.in) != "yes") {
      fmt::print(io.err, "\n{} cancelled.\n", request.destroy ? "Destroy" : "Apply");
      return 1;
    }
    fmt::print(io.out, "\n");
  }

  // The operations, with each finished one recorded in state as it finishes.
  state::State before = engine.store().Snapshot();
  std::vector<apply::Operation> ops = OperationsFor(the_plan, before);
  std::map<std::string, std::vector<std::string>> deps;
  for (const plan::ResourceChange& c : the_plan.resource_changes) {
    deps[c.address] = c.depends_on;
  }
  // The configuration is expanded again as operations finish, which replaces
  // outcome->loaded: from here on only what the plan itself holds is used.
  outcome->loaded = nullptr;
  ExpandingConfigSource configs(engine, io);
  const provider::AwsResourceSchemas schemas;
  apply::StateJournal journal(
      engine.store(),
      [&](const apply::Operation& op) {
        apply::InstanceMeta meta;
        meta.provider = StateProviderName(op.type);
        meta.dependencies = deps[op.address];
        if (op.kind != apply::OpKind::kDelete) {
          meta.sensitive = configs.SensitiveArguments(op.address);
        }
        for (const std::string& s : schemas.Sensitive(op.type)) {
          if (std::find(meta.sensitive.begin(), meta.sensitive.end(), s) == meta.sensitive.end()) {
            meta.sensitive.push_back(s);
          }
        }
        return meta;
      },
      clock);
  apply::SchedulerOptions scheduler;
  scheduler.parallelism = parallelism;
  scheduler.lineage = before.lineage;
  apply::Summary summary;
  if (json) {
    apply::JsonProgressSink sink(io.out, clock);
    summary = apply::RunOperations(ops, engine.providers().get(), configs, journal, sink, clock,
                                   scheduler);
  } else {
    apply::TextProgressSink sink(io.out, isatty(fileno(io.out)) != 0);
    summary = apply::RunOperations(ops, engine.providers().get(), configs, journal, sink, clock,
                                   scheduler);
    sink.Finish();
  }

  // Outputs, from the configuration against what now exists.
  std::map<std::string, state::OutputState> outputs;
  state::State after = engine.store().Snapshot();
  if (!request.destroy && !request.refresh_only) {
    LoadedConfiguration* final_config = engine.Expand(after, io);
    if (final_config != nullptr) {
      outputs = OutputsFor(final_config->desired);
    }
  }
  if (request.refresh_only) {
    outputs = after.outputs;
  }
  Status saved_outputs = engine.store().Mutate([&](state::State& s) { s.outputs = outputs; });
  if (!saved_outputs.ok()) {
    fmt::print(io.err, "Error: {}\n", saved_outputs.message());
    return 1;
  }

  int added = static_cast<int>(summary.created.size() + summary.replaced.size());
  int changed = static_cast<int>(summary.updated.size());
  int destroyed = static_cast<int>(summary.destroyed.size() + summary.replaced.size());
  for (const auto& [address, error] : summary.failed) {
    if (json) {
      std::string message = WithoutCallName(error.message());
      JsonLine(io, clock, "error", fmt::format("Error: {}", message), "diagnostic",
               {{"diagnostic",
                 {{"severity", "error"}, {"summary", message}, {"address", address}}}});
    } else {
      fmt::print(io.err, "\nError: {}\n\n  with {}\n", WithoutCallName(error.message()), address);
    }
  }
  if (!summary.skipped.empty() && !json) {
    fmt::print(io.err, "\nNot attempted, because what they depend on failed: {}\n",
               fmt::join(summary.skipped, ", "));
  }
  std::string verb = request.destroy ? "Destroy" : "Apply";
  std::string counts = request.destroy
                           ? fmt::format("Resources: {} destroyed.", destroyed)
                           : fmt::format("Resources: {} added, {} changed, {} destroyed.", added,
                                         changed, destroyed);
  if (json) {
    JsonLine(io, clock, "info",
             fmt::format("{} {}! {}", verb, summary.ok() ? "complete" : "failed", counts),
             "change_summary",
             {{"changes",
               {{"add", added},
                {"change", changed},
                {"remove", destroyed},
                {"operation", request.destroy ? "destroy" : "apply"}}}});
    Json out_json = Json::object();
    for (const auto& [name, o] : outputs) {
      out_json[name] = {{"sensitive", o.sensitive}, {"type", o.type}};
      if (!o.sensitive) {
        out_json[name]["value"] = o.value;
      }
    }
    JsonLine(io, clock, "info", fmt::format("Outputs: {}", outputs.size()), "outputs",
             {{"outputs", out_json}});
  } else {
    if (summary.ok()) {
      fmt::print(io.out, "\n{} complete! {}\n", verb, counts);
    } else {
      fmt::print(io.out, "\n{} failed: {} failed, {} not attempted. Done: {}\n", verb,
                 summary.failed.size(), summary.skipped.size(), counts);
    }
    if (!outputs.empty()) {
      fmt::print(io.out, "\nOutputs:\n\n{}", RenderOutputs(outputs));
    }
  }
  return summary.ok() ? 0 : 1;
}

}  // namespace cf::cli
