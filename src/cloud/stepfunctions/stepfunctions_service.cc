#include "cloud/stepfunctions/stepfunctions_service.h"

#include <fmt/core.h>

#include <string_view>

#include "cloud/stepfunctions/definition.h"

namespace cf::cloud::stepfunctions {

namespace {

constexpr char kMachineNs[] = "states/machine";
constexpr char kExecutionNs[] = "states/execution";

ServiceError Error(const char* code, std::string message) {
  return ServiceError{code, std::move(message), 400, true};
}

// The local cloud's own failures (the store's), as Step Functions answers its internal errors.
ServiceError Unavailable(std::string message) {
  return ServiceError{"ServiceUnavailable", std::move(message), 500, false};
}

ServiceError Invalid(std::string message) {
  return Error("ValidationException", "Invalid request: " + std::move(message));
}

double Epoch(std::chrono::system_clock::time_point t) {
  return static_cast<double>(
             std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()) /
         1000.0;
}

// Names of state machines and executions: 1-80 characters, none of whitespace, brackets,
// wildcards, special characters or control characters.
bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 80) {
    return false;
  }
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f ||
        std::string_view("<>{}[]?*\"#%\\^|~`$&,;:/").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

struct ArnParts {
  std::string region;
  std::string account;
  std::string kind;  // "stateMachine", "execution"
  std::string machine;
  std::string execution;
};

ServiceOr<ArnParts> ParseArn(const std::string& arn, const char* want) {
  // arn:aws:states:REGION:ACCOUNT:stateMachine:NAME / execution:MACHINE:NAME
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 7; ++i) {
    size_t colon = arn.find(':', start);
    if (colon == std::string::npos) {
      break;
    }
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(arn.substr(start));
  if (parts.size() < 7 || parts[0] != "arn" || parts[2] != "states") {
    return Error("InvalidArn", fmt::format("Invalid Arn: 'Unable to parse ARN: {}'", arn));
  }
  ArnParts out{parts[3], parts[4], parts[5], parts[6], parts.size() > 7 ? parts[7] : ""};
  if (out.kind != want || (out.kind == std::string("execution") && out.execution.empty())) {
    return Error(
        "InvalidArn",
        fmt::format("Invalid Arn: 'Resource type not valid in this context: {}'", out.kind));
  }
  return out;
}

std::string MachineKey(const std::string& region, const std::string& name) {
  return region + "|" + name;
}

Json Visible(Json doc) {
  for (auto it = doc.begin(); it != doc.end();) {
    if (it.key().rfind("_", 0) == 0) {
      it = doc.erase(it);
    } else {
      ++it;
    }
  }
  return doc;
}

Json EventJson(const HistoryEvent& e, bool include_data) {
  Json out = {{"timestamp", Epoch(e.timestamp)},
              {"type", e.type},
              {"id", e.id},
              {"previousEventId", e.previous_id}};
  if (!e.details_member.empty()) {
    Json details = e.details;
    if (!include_data) {
      for (const char* member : {"input", "output", "parameters"}) {
        details.erase(member);
      }
    }
    out[e.details_member] = std::move(details);
  }
  return out;
}

ServiceOr<std::optional<Json>> ValidLogging(const Json& input) {
  if (!input.contains("loggingConfiguration")) {
    return std::optional<Json>();
  }
  Json logging = input["loggingConfiguration"];
  std::string level = logging.value("level", "OFF");
  logging["level"] = level;
  if (!logging.contains("includeExecutionData")) {
    logging["includeExecutionData"] = false;
  }
  size_t destinations = logging.contains("destinations") ? logging["destinations"].size() : 0;
  if (level != "OFF" && destinations != 1) {
    return Error("InvalidLoggingConfiguration",
                 "Invalid Logging Configuration: Must specify exactly one Log Destination.");
  }
  if (destinations > 1) {
    return Error("InvalidLoggingConfiguration",
                 "Invalid Logging Configuration: Must specify exactly one Log Destination.");
  }
  if (destinations == 1) {
    std::string arn =
        logging["destinations"][0].value("/cloudWatchLogsLogGroup/logGroupArn"_json_pointer, "");
    if (arn.rfind("arn:aws:logs:", 0) != 0 || arn.find(":log-group:") == std::string::npos) {
      return Error("InvalidLoggingConfiguration",
                   fmt::format("Invalid Logging Configuration: The CloudWatch Logs Resource "
                               "Policy size was exceeded or the log group ARN '{}' is invalid.",
                               arn));
    }
  }
  return std::optional<Json>(logging);
}

// Pagination over a list: nextToken is the decimal offset.
ServiceOr<size_t> PageStart(const Json& input) {
  std::string token = input.value("nextToken", "");
  if (token.empty()) {
    return size_t{0};
  }
  if (token.find_first_not_of("0123456789") != std::string::npos || token.size() > 9) {
    return Error("InvalidToken", fmt::format("Invalid Token: '{}'", token));
  }
  return static_cast<size_t>(std::stoul(token));
}

}  // namespace

StepFunctionsService::StepFunctionsService(const ServiceContext& context, TaskInvoker& invoker,
                                           Sleeper& sleeper, logs::LogSink* log_sink)
    : TableService(context.store, Operations()),
      context_(context),
      invoker_(invoker),
      sleeper_(sleeper),
      log_sink_(log_sink) {}

StepFunctionsService::~StepFunctionsService() {
  StopAll();
}

void StepFunctionsService::StopAll() {
  std::map<std::string, std::unique_ptr<Running>> running;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutting_down_ = true;
    for (auto& [arn, r] : running_) {
      r->execution->Stop("", "the local cloud stopped");
    }
    running.swap(running_);
  }
  for (auto& [arn, r] : running) {
    if (r->thread.joinable()) {
      r->thread.join();
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  shutting_down_ = false;
}

Status StepFunctionsService::Reset() {
  StopAll();
  return OkStatus();
}

const OperationTable<StepFunctionsService>& StepFunctionsService::Operations() {
  static const OperationTable<StepFunctionsService> kTable(
      {
          {"CreateStateMachine", &StepFunctionsService::CreateStateMachine},
          {"DescribeStateMachine", &StepFunctionsService::DescribeStateMachine},
          {"UpdateStateMachine", &StepFunctionsService::UpdateStateMachine},
          {"DeleteStateMachine", &StepFunctionsService::DeleteStateMachine},
          {"ListStateMachines", &StepFunctionsService::ListStateMachines},
          {"StartExecution", &StepFunctionsService::StartExecution},
          {"DescribeExecution", &StepFunctionsService::DescribeExecution},
          {"DescribeStateMachineForExecution",
           &StepFunctionsService::DescribeStateMachineForExecution},
          {"StopExecution", &StepFunctionsService::StopExecution},
          {"ListExecutions", &StepFunctionsService::ListExecutions},
          {"GetExecutionHistory", &StepFunctionsService::GetExecutionHistory},
          {"TagResource", &StepFunctionsService::TagResource},
          {"UntagResource", &StepFunctionsService::UntagResource},
          {"ListTagsForResource", &StepFunctionsService::ListTagsForResource},
          {"ValidateStateMachineDefinition", &StepFunctionsService::ValidateStateMachineDefinition},
      },
      {.internal_error = Unavailable, .invalid_input = Invalid});
  return kTable;
}

// The problems CreateStateMachine would refuse, as a report: result OK or FAIL, each problem an
// ERROR diagnostic with its code and location (up to maxResults, 100 by default).
ServiceResult StepFunctionsService::ValidateStateMachineDefinition(const ServiceCall& call,
                                                                   CallTxn&) {
  std::vector<DefinitionProblem> problems = ValidateDefinition(call.input.value("definition", ""));
  size_t limit = call.input.value("maxResults", 100);
  if (limit == 0) {
    limit = 100;
  }
  Json diagnostics = Json::array();
  for (size_t i = 0; i < problems.size() && i < limit; ++i) {
    Json d = {{"severity", "ERROR"}, {"code", problems[i].code}, {"message", problems[i].message}};
    if (!problems[i].where.empty()) {
      d["location"] = problems[i].where;
    }
    diagnostics.push_back(std::move(d));
  }
  return Json{{"result", problems.empty() ? "OK" : "FAIL"},
              {"diagnostics", diagnostics},
              {"truncated", problems.size() > limit}};
}

ServiceResult StepFunctionsService::CreateStateMachine(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("name", "");
  if (!ValidName(name)) {
    return Error("InvalidName", fmt::format("Invalid Name: '{}'", name));
  }
  std::string definition = call.input.value("definition", "");
  Result<Json> parsed = ParseDefinition(definition);
  if (!parsed.ok()) {
    return Error("InvalidDefinition", parsed.status().message());
  }
  std::string role = call.input.value("roleArn", "");
  if (role.rfind("arn:aws:iam::", 0) != 0 || role.find(":role/") == std::string::npos) {
    return Error("InvalidArn", fmt::format("Invalid Arn: 'Invalid Role Arn: {}'", role));
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> logging, ValidLogging(call.input));
  std::string arn =
      fmt::format("arn:aws:states:{}:{}:stateMachine:{}", call.region, call.account_id, name);
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing,
                           txn.Get(kMachineNs, MachineKey(call.region, name)));
  if (existing) {
    const Json& old = *existing;
    // AWS: the same name with the same definition and role is idempotent.
    if (old["definition"] == definition && old["roleArn"] == role) {
      return Json{{"stateMachineArn", arn}, {"creationDate", old["creationDate"]}};
    }
    return Error("StateMachineAlreadyExists",
                 fmt::format("State Machine Already Exists: '{}'", arn));
  }
  Json doc = {
      {"stateMachineArn", arn},
      {"name", name},
      {"status", "ACTIVE"},
      {"definition", definition},
      {"roleArn", role},
      {"type", call.input.value("type", "STANDARD")},
      {"creationDate", Epoch(context_.clock.Now())},
      {"loggingConfiguration",
       logging.value_or(Json{{"level", "OFF"}, {"includeExecutionData", false}})},
      {"tracingConfiguration", call.input.value("tracingConfiguration", Json{{"enabled", false}})}};
  Json tags = Json::object();
  for (const Json& tag : call.input.value("tags", Json::array())) {
    tags[tag.value("key", "")] = tag.value("value", "");
  }
  doc["_tags"] = tags;
  SERVICE_RETURN_IF_ERROR(txn.Put(kMachineNs, MachineKey(call.region, name), doc));
  return Json{{"stateMachineArn", arn}, {"creationDate", doc["creationDate"]}};
}

namespace {

ServiceOr<Json> LoadMachine(CallTxn& txn, const std::string& arn) {
  SERVICE_ASSIGN_OR_RETURN(ArnParts p, ParseArn(arn, "stateMachine"));
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> doc,
                           txn.Get(kMachineNs, MachineKey(p.region, p.machine)));
  if (!doc || (*doc)["stateMachineArn"] != arn) {
    return Error("StateMachineDoesNotExist",
                 fmt::format("State Machine Does Not Exist: '{}'", arn));
  }
  return std::move(*doc);
}

// LoadMachine for the tagging operations, which name a missing machine ResourceNotFound.
ServiceOr<Json> LoadTagged(CallTxn& txn, const std::string& arn) {
  ServiceOr<Json> machine = LoadMachine(txn, arn);
  if (!machine.ok() && machine.error().code == "StateMachineDoesNotExist") {
    return Error("ResourceNotFound", fmt::format("Resource not found: '{}'", arn));
  }
  return machine;
}

}  // namespace

ServiceResult StepFunctionsService::DescribeStateMachine(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json doc, LoadMachine(txn, call.input.value("stateMachineArn", "")));
  return Visible(std::move(doc));
}

ServiceResult StepFunctionsService::UpdateStateMachine(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("stateMachineArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json doc, LoadMachine(txn, arn));
  if (!call.input.contains("definition") && !call.input.contains("roleArn") &&
      !call.input.contains("loggingConfiguration") &&
      !call.input.contains("tracingConfiguration")) {
    return Error("MissingRequiredParameter",
                 "Either the definition, the roleArn, the loggingConfiguration or the "
                 "tracingConfiguration must be specified");
  }
  if (call.input.contains("definition")) {
    std::string definition = call.input["definition"].get<std::string>();
    Result<Json> parsed = ParseDefinition(definition);
    if (!parsed.ok()) {
      return Error("InvalidDefinition", parsed.status().message());
    }
    doc["definition"] = definition;
  }
  if (call.input.contains("roleArn")) {
    std::string role = call.input["roleArn"].get<std::string>();
    if (role.rfind("arn:aws:iam::", 0) != 0 || role.find(":role/") == std::string::npos) {
      return Error("InvalidArn", fmt::format("Invalid Arn: 'Invalid Role Arn: {}'", role));
    }
    doc["roleArn"] = role;
  }
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> logging, ValidLogging(call.input));
  if (logging) {
    doc["loggingConfiguration"] = *logging;
  }
  if (call.input.contains("tracingConfiguration")) {
    doc["tracingConfiguration"] = call.input["tracingConfiguration"];
  }
  double now = Epoch(context_.clock.Now());
  // Hidden from DescribeStateMachine, whose (embedded) model has no updateDate member.
  doc["_updateDate"] = now;
  SERVICE_RETURN_IF_ERROR(txn.Put(kMachineNs, MachineKey(call.region, doc["name"]), doc));
  return Json{{"updateDate", now}};
}

ServiceResult StepFunctionsService::DeleteStateMachine(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("stateMachineArn", "");
  SERVICE_ASSIGN_OR_RETURN(ArnParts p, ParseArn(arn, "stateMachine"));
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::string prefix =
        fmt::format("arn:aws:states:{}:{}:execution:{}:", p.region, p.account, p.machine);
    for (auto& [exec_arn, r] : running_) {
      if (exec_arn.rfind(prefix, 0) == 0) {
        r->execution->Stop("", "the state machine was deleted");
      }
    }
  }
  // Deleting a state machine that does not exist succeeds, as on AWS.
  SERVICE_RETURN_IF_ERROR(txn.Delete(kMachineNs, MachineKey(p.region, p.machine)));
  return Json::object();
}

ServiceResult StepFunctionsService::ListStateMachines(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kMachineNs, call.region + "|"));
  SERVICE_ASSIGN_OR_RETURN(size_t start, PageStart(call.input));
  size_t max = call.input.value("maxResults", 100);
  if (max == 0) {
    max = 100;
  }
  Json out = {{"stateMachines", Json::array()}};
  size_t i = start;
  for (; i < all.size() && out["stateMachines"].size() < max; ++i) {
    const Json& d = all[i].second;
    out["stateMachines"].push_back({{"stateMachineArn", d["stateMachineArn"]},
                                    {"name", d["name"]},
                                    {"type", d["type"]},
                                    {"creationDate", d["creationDate"]}});
  }
  if (i < all.size()) {
    out["nextToken"] = std::to_string(i);
  }
  return out;
}

ServiceResult StepFunctionsService::StartExecution(const ServiceCall& call, CallTxn& txn) {
  return StartIn(txn, call.input.value("stateMachineArn", ""), call.input.value("input", "{}"),
                 call.input.value("name", ""));
}

ServiceResult StepFunctionsService::Start(const std::string& region, const std::string& account,
                                          const std::string& machine_arn,
                                          const std::string& input_text,
                                          const std::string& requested_name) {
  (void)region;
  (void)account;
  CallTxn txn(context_.store);
  return StartIn(txn, machine_arn, input_text, requested_name);
}

ServiceResult StepFunctionsService::StartIn(CallTxn& txn, const std::string& machine_arn,
                                            const std::string& input_text,
                                            const std::string& requested_name) {
  SERVICE_ASSIGN_OR_RETURN(Json machine, LoadMachine(txn, machine_arn));
  std::string name = requested_name.empty() ? context_.ids.RequestId() : requested_name;
  if (!ValidName(name)) {
    return Error("InvalidName", fmt::format("Invalid Name: '{}'", name));
  }
  Json input = Json::parse(input_text, nullptr, false);
  if (input.is_discarded()) {
    return Error("InvalidExecutionInput",
                 fmt::format("Invalid State Machine Execution Input: '{}' is not JSON",
                             input_text.substr(0, 200)));
  }
  SERVICE_ASSIGN_OR_RETURN(ArnParts parts, ParseArn(machine_arn, "stateMachine"));
  std::string arn = fmt::format("arn:aws:states:{}:{}:execution:{}:{}", parts.region, parts.account,
                                parts.machine, name);
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kExecutionNs, arn));
  if (existing) {
    return Error("ExecutionAlreadyExists", fmt::format("Execution Already Exists: '{}'", arn));
  }
  double start = Epoch(context_.clock.Now());
  Json record = {{"executionArn", arn},
                 {"stateMachineArn", machine_arn},
                 {"name", name},
                 {"status", "RUNNING"},
                 {"startDate", start},
                 {"input", input_text},
                 {"inputDetails", {{"included", true}}}};
  SERVICE_RETURN_IF_ERROR(txn.Put(kExecutionNs, arn, record));
  // The record is durable before the execution's thread (which uses the store) starts.
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  ExecutionInfo info{
      arn,          name,         machine_arn, parts.machine, machine["roleArn"].get<std::string>(),
      parts.region, parts.account};
  Json definition = Json::parse(machine["definition"].get<std::string>());
  std::vector<std::unique_ptr<Running>> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Reap executions that have ended.
    for (auto it = running_.begin(); it != running_.end();) {
      if (it->second->done) {
        finished.push_back(std::move(it->second));
        it = running_.erase(it);
      } else {
        ++it;
      }
    }
    auto running = std::make_unique<Running>();
    running->execution =
        std::make_unique<Execution>(definition, info, invoker_, context_.clock, sleeper_, random_,
                                    context_.latency.TimeScale());
    Running* r = running.get();
    running_[arn] = std::move(running);
    Execution* execution = r->execution.get();
    r->thread = std::thread(
        [this, execution, arn, machine, input] { RunExecution(execution, arn, machine, input); });
  }
  for (auto& r : finished) {
    r->thread.join();
  }
  return Json{{"executionArn", arn}, {"startDate", start}};
}

void StepFunctionsService::RunExecution(Execution* execution, std::string arn, Json machine,
                                        Json input) {
  ExecutionOutcome outcome = execution->Run(input);
  std::vector<HistoryEvent> history = execution->History();
  Json events = Json::array();
  for (const HistoryEvent& e : history) {
    events.push_back(EventJson(e, true));
  }
  Result<std::optional<Json>> record = context_.store.Get(kExecutionNs, arn);
  if (record.ok() && *record) {
    Json doc = **record;
    doc["status"] = ExecutionStatusName(outcome.status);
    doc["stopDate"] = Epoch(context_.clock.Now());
    if (outcome.status == ExecutionStatus::kSucceeded) {
      doc["output"] = outcome.output.dump();
      doc["outputDetails"] = {{"included", true}};
    }
    if (!outcome.error.empty()) {
      doc["error"] = outcome.error;
    }
    if (!outcome.cause.empty()) {
      doc["cause"] = outcome.cause;
    }
    doc["_history"] = events;
    (void)context_.store.Put(kExecutionNs, arn, doc);
  }
  // Execution logs.
  const Json& logging = machine["loggingConfiguration"];
  std::string level = logging.value("level", "OFF");
  if (log_sink_ != nullptr && level != "OFF" && logging.contains("destinations")) {
    std::string group_arn =
        logging["destinations"][0].value("/cloudWatchLogsLogGroup/logGroupArn"_json_pointer, "");
    std::string group = group_arn.substr(group_arn.find(":log-group:") + 11);
    if (group.size() >= 2 && group.compare(group.size() - 2, 2, ":*") == 0) {
      group.resize(group.size() - 2);
    }
    bool with_data = logging.value("includeExecutionData", false);
    std::vector<logs::LogLine> lines;
    for (const HistoryEvent& e : history) {
      bool failure = e.type.find("Failed") != std::string::npos ||
                     e.type.find("TimedOut") != std::string::npos ||
                     e.type.find("Aborted") != std::string::npos;
      bool fatal = e.type == "ExecutionFailed" || e.type == "ExecutionTimedOut" ||
                   e.type == "ExecutionAborted";
      if (level == "ALL" || (level == "ERROR" && failure) || (level == "FATAL" && fatal)) {
        Json line = {
            {"id", std::to_string(e.id)},
            {"type", e.type},
            {"details", with_data ? e.details : EventJson(e, false)[e.details_member]},
            {"previous_event_id", std::to_string(e.previous_id)},
            {"event_timestamp", std::to_string(static_cast<int64_t>(Epoch(e.timestamp) * 1000))},
            {"execution_arn", arn}};
        if (e.details_member.empty()) {
          line["details"] = Json::object();
        }
        lines.push_back({static_cast<int64_t>(Epoch(e.timestamp) * 1000), line.dump()});
      }
    }
    ArnParts parts = ParseArn(arn, "execution").value();
    std::string day = FormatRfc3339(execution->start_time()).substr(0, 10);
    (void)log_sink_->Append(parts.region, parts.account, group,
                            fmt::format("states/{}/{}/{}", parts.machine, day, parts.execution),
                            lines);
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = running_.find(arn);
  if (it != running_.end()) {
    it->second->done = true;
  }
  cv_.notify_all();
}

bool StepFunctionsService::WaitForExecution(const std::string& arn) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!running_.count(arn)) {
    lock.unlock();  // never wait for the store while holding mu_
    return context_.store.Get(kExecutionNs, arn).ok();
  }
  cv_.wait(lock, [&] {
    auto it = running_.find(arn);
    return it == running_.end() || it->second->done;
  });
  return true;
}

namespace {

ServiceOr<Json> LoadExecution(CallTxn& txn, const std::string& arn) {
  SERVICE_RETURN_IF_ERROR(ParseArn(arn, "execution"));
  return txn.Require(
      kExecutionNs, arn,
      Error("ExecutionDoesNotExist", fmt::format("Execution Does Not Exist: '{}'", arn)));
}

}  // namespace

ServiceResult StepFunctionsService::DescribeExecution(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("executionArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json out, LoadExecution(txn, arn));
  if (out["status"] == "RUNNING") {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_.count(arn)) {
      out["status"] = "ABORTED";
      out["cause"] = "the local cloud restarted";
    }
  }
  return Visible(std::move(out));
}

ServiceResult StepFunctionsService::DescribeStateMachineForExecution(const ServiceCall& call,
                                                                     CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json doc, LoadExecution(txn, call.input.value("executionArn", "")));
  SERVICE_ASSIGN_OR_RETURN(Json m, LoadMachine(txn, doc["stateMachineArn"]));
  return Json{{"stateMachineArn", m["stateMachineArn"]},
              {"name", m["name"]},
              {"definition", m["definition"]},
              {"roleArn", m["roleArn"]},
              {"updateDate", m.value("_updateDate", m["creationDate"])},
              {"loggingConfiguration", m["loggingConfiguration"]},
              {"tracingConfiguration", m["tracingConfiguration"]}};
}

ServiceResult StepFunctionsService::StopExecution(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("executionArn", "");
  SERVICE_RETURN_IF_ERROR(LoadExecution(txn, arn));
  // The execution's thread records its end in the store: let it, before waiting for it.
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(arn);
    if (it != running_.end() && !it->second->done) {
      it->second->execution->Stop(call.input.value("error", ""), call.input.value("cause", ""));
    }
  }
  WaitForExecution(arn);
  return Json{{"stopDate", Epoch(context_.clock.Now())}};
}

ServiceResult StepFunctionsService::ListExecutions(const ServiceCall& call, CallTxn& txn) {
  std::string machine_arn = call.input.value("stateMachineArn", "");
  SERVICE_RETURN_IF_ERROR(LoadMachine(txn, machine_arn));
  SERVICE_ASSIGN_OR_RETURN(ArnParts parts, ParseArn(machine_arn, "stateMachine"));
  SERVICE_ASSIGN_OR_RETURN(
      auto all, txn.List(kExecutionNs, fmt::format("arn:aws:states:{}:{}:execution:{}:",
                                                   parts.region, parts.account, parts.machine)));
  // Newest first, as AWS lists them.
  std::vector<Json> items;
  std::string filter = call.input.value("statusFilter", "");
  for (auto& [key, d] : all) {
    Json item = {{"executionArn", d["executionArn"]},
                 {"stateMachineArn", d["stateMachineArn"]},
                 {"name", d["name"]},
                 {"status", d["status"]},
                 {"startDate", d["startDate"]}};
    if (d.contains("stopDate")) {
      item["stopDate"] = d["stopDate"];
    }
    if (filter.empty() || item["status"] == filter) {
      items.push_back(std::move(item));
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
    return a["startDate"].get<double>() > b["startDate"].get<double>();
  });
  SERVICE_ASSIGN_OR_RETURN(size_t start, PageStart(call.input));
  size_t max = call.input.value("maxResults", 100);
  if (max == 0) {
    max = 100;
  }
  Json out = {{"executions", Json::array()}};
  size_t i = start;
  for (; i < items.size() && out["executions"].size() < max; ++i) {
    out["executions"].push_back(items[i]);
  }
  if (i < items.size()) {
    out["nextToken"] = std::to_string(i);
  }
  return out;
}

ServiceResult StepFunctionsService::GetExecutionHistory(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("executionArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json stored, LoadExecution(txn, arn));
  bool include = call.input.value("includeExecutionData", true);
  Json events = Json::array();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = running_.find(arn);
    if (it != running_.end() && !it->second->done) {
      for (const HistoryEvent& e : it->second->execution->History()) {
        events.push_back(EventJson(e, include));
      }
    }
  }
  if (events.empty()) {
    for (const Json& e : stored.value("_history", Json::array())) {
      Json copy = e;
      if (!include) {
        for (auto m = copy.begin(); m != copy.end(); ++m) {
          if (m.value().is_object()) {
            m.value().erase("input");
            m.value().erase("output");
            m.value().erase("parameters");
          }
        }
      }
      events.push_back(std::move(copy));
    }
  }
  if (call.input.value("reverseOrder", false)) {
    std::reverse(events.begin(), events.end());
  }
  SERVICE_ASSIGN_OR_RETURN(size_t start, PageStart(call.input));
  size_t max = call.input.value("maxResults", 100);
  if (max == 0) {
    max = 100;
  }
  Json out = {{"events", Json::array()}};
  size_t i = start;
  for (; i < events.size() && out["events"].size() < max; ++i) {
    out["events"].push_back(events[i]);
  }
  if (i < events.size()) {
    out["nextToken"] = std::to_string(i);
  }
  return out;
}

ServiceResult StepFunctionsService::TagResource(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("resourceArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json doc, LoadTagged(txn, arn));
  for (const Json& tag : call.input.value("tags", Json::array())) {
    doc["_tags"][tag.value("key", "")] = tag.value("value", "");
  }
  if (doc["_tags"].size() > 50) {
    return Error("TooManyTags", "Too many tags: a resource can have at most 50 tags");
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kMachineNs, MachineKey(call.region, doc["name"]), doc));
  return Json::object();
}

ServiceResult StepFunctionsService::UntagResource(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("resourceArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json doc, LoadTagged(txn, arn));
  for (const Json& key : call.input.value("tagKeys", Json::array())) {
    doc["_tags"].erase(key.get<std::string>());
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kMachineNs, MachineKey(call.region, doc["name"]), doc));
  return Json::object();
}

ServiceResult StepFunctionsService::ListTagsForResource(const ServiceCall& call, CallTxn& txn) {
  std::string arn = call.input.value("resourceArn", "");
  SERVICE_ASSIGN_OR_RETURN(Json doc, LoadTagged(txn, arn));
  Json tags = Json::array();
  Json stored = doc.value("_tags", Json::object());
  for (auto& [k, v] : stored.items()) {
    tags.push_back({{"key", k}, {"value", v}});
  }
  return Json{{"tags", tags}};
}

}  // namespace cf::cloud::stepfunctions
