#include "cloud/events/events_service.h"

#include <fmt/core.h>

#include <regex>
#include <set>

#include "cloud/events/schedule.h"
#include "cloud/stepfunctions/json_path.h"

namespace cf::cloud::events {

namespace {

constexpr char kNs[] = "events/rule";

ServiceError Err(const char* code, std::string message) {
  return ServiceError{code, std::move(message), 400, true};
}
ServiceError Validation(std::string message) {
  return Err("ValidationException", std::move(message));
}
ServiceError NotFound(std::string message) {
  return Err("ResourceNotFoundException", std::move(message));
}
// The local cloud's own failures (the store's), as EventBridge answers its internal errors.
ServiceError Internal(std::string message) {
  return ServiceError{"InternalException", std::move(message), 500, false};
}
ServiceError Invalid(std::string message) {
  return Validation("Invalid request: " + std::move(message));
}

int64_t Ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
std::chrono::system_clock::time_point FromMs(int64_t ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

std::string Key(const std::string& region, const std::string& name) {
  return region + "|" + name;
}

ServiceStatus CheckBus(const Json& input) {
  std::string bus = input.value("EventBusName", "default");
  if (bus != "default" && bus.find(":event-bus/default") == std::string::npos) {
    return NotFound(fmt::format("Event bus {} does not exist.", bus));
  }
  return {};
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

bool MatchValue(const Json& condition, const Json* value) {
  // condition: a literal, or an object operator.
  if (!condition.is_object()) {
    if (value == nullptr) {
      return false;
    }
    if (value->is_array()) {
      for (const Json& v : *value) {
        if (v == condition) {
          return true;
        }
      }
      return false;
    }
    return *value == condition;
  }
  if (condition.contains("exists")) {
    return (value != nullptr) == condition["exists"].get<bool>();
  }
  if (value == nullptr) {
    return false;
  }
  if (condition.contains("prefix")) {
    return value->is_string() &&
           value->get<std::string>().rfind(condition["prefix"].get<std::string>(), 0) == 0;
  }
  if (condition.contains("suffix")) {
    std::string s = value->is_string() ? value->get<std::string>() : "";
    std::string suffix = condition["suffix"].get<std::string>();
    return value->is_string() && s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  if (condition.contains("anything-but")) {
    const Json& but = condition["anything-but"];
    if (but.is_array()) {
      for (const Json& b : but) {
        if (*value == b) {
          return false;
        }
      }
      return true;
    }
    if (but.is_object() && but.contains("prefix")) {
      return !(value->is_string() &&
               value->get<std::string>().rfind(but["prefix"].get<std::string>(), 0) == 0);
    }
    return *value != but;
  }
  if (condition.contains("numeric")) {
    if (!value->is_number()) {
      return false;
    }
    double v = value->get<double>();
    const Json& ops = condition["numeric"];
    for (size_t i = 0; i + 1 < ops.size(); i += 2) {
      std::string op = ops[i];
      double n = ops[i + 1].get<double>();
      bool ok = op == "="    ? v == n
                : op == "<"  ? v < n
                : op == "<=" ? v <= n
                : op == ">"  ? v > n
                             : v >= n;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
  return false;
}

}  // namespace

bool MatchesPattern(const Json& pattern, const Json& event) {
  if (!pattern.is_object()) {
    return false;
  }
  for (auto it = pattern.begin(); it != pattern.end(); ++it) {
    const Json* value = event.is_object() && event.contains(it.key()) ? &event[it.key()] : nullptr;
    if (it.value().is_object()) {
      if (value == nullptr || !value->is_object() || !MatchesPattern(it.value(), *value)) {
        return false;
      }
      continue;
    }
    if (!it.value().is_array()) {
      return false;
    }
    bool any = false;
    for (const Json& condition : it.value()) {
      if (MatchValue(condition, value)) {
        any = true;
        break;
      }
    }
    if (!any) {
      return false;
    }
  }
  return true;
}

Result<std::string> TargetInput(const Json& target, const Json& event) {
  if (target.contains("Input")) {
    return target["Input"].get<std::string>();
  }
  if (target.contains("InputPath")) {
    ASSIGN_OR_RETURN(Json v, stepfunctions::SelectPath(target["InputPath"], event));
    return v.dump();
  }
  if (target.contains("InputTransformer")) {
    const Json& t = target["InputTransformer"];
    std::map<std::string, Json> values;
    Json paths = t.value("InputPathsMap", Json::object());
    for (auto& [name, path] : paths.items()) {
      Result<Json> v = stepfunctions::SelectPath(path.get<std::string>(), event);
      values[name] = v.ok() ? *v : Json();
    }
    std::string tmpl = t.value("InputTemplate", "");
    std::string out;
    bool in_string = false;
    for (size_t i = 0; i < tmpl.size(); ++i) {
      char c = tmpl[i];
      if (c == '"' && (i == 0 || tmpl[i - 1] != '\\')) {
        in_string = !in_string;
      }
      if (c == '<') {
        size_t end = tmpl.find('>', i);
        if (end != std::string::npos) {
          std::string name = tmpl.substr(i + 1, end - i - 1);
          auto it = values.find(name);
          if (it != values.end() || name == "aws.events.event.json") {
            const Json& v = name == "aws.events.event.json" ? event : it->second;
            if (in_string && v.is_string()) {
              out += v.get<std::string>();
            } else if (in_string) {
              std::string dumped = v.dump();
              for (char d : dumped) {
                out += d == '"' ? std::string("\\\"") : std::string(1, d);
              }
            } else {
              out += v.is_null() ? "null" : v.dump();
            }
            i = end;
            continue;
          }
        }
      }
      out.push_back(c);
    }
    return out;
  }
  return event.dump();
}

EventsService::EventsService(const ServiceContext& context, TargetDispatcher& dispatcher,
                             Sleeper& sleeper)
    : TableService(context.store, Operations()),
      context_(context),
      dispatcher_(dispatcher),
      sleeper_(sleeper) {
  last_real_ = context_.clock.Now();
  sim_now_ = last_real_;
  scheduler_ = std::thread([this] { SchedulerLoop(); });
}

EventsService::~EventsService() {
  Shutdown();
}

void EventsService::Shutdown() {
  stop_.store(true);
  if (scheduler_.joinable()) {
    scheduler_.join();
  }
}

Status EventsService::Reset() {
  std::lock_guard<std::mutex> lock(mu_);
  last_fired_ms_.clear();
  fire_counts_.clear();
  return OkStatus();
}

std::chrono::system_clock::time_point EventsService::SimulatedNow() const {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = context_.clock.Now();
  double scale = context_.latency.TimeScale();
  if (scale < 1e-4) {
    scale = 1e-4;
  }
  if (now > last_real_) {
    sim_now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double, std::nano>(
            static_cast<double>(std::chrono::nanoseconds(now - last_real_).count()) / scale));
  }
  last_real_ = now;
  return sim_now_;
}

int64_t EventsService::FireCount(const std::string& rule_arn) {
  std::lock_guard<std::mutex> lock(mu_);
  return fire_counts_[rule_arn];
}

void EventsService::SchedulerLoop() {
  while (!stop_.load()) {
    auto sim = SimulatedNow();
    Result<std::vector<std::pair<std::string, Json>>> rules = context_.store.List(kNs);
    if (rules.ok()) {
      for (auto& [key, rule] : *rules) {
        if (rule.value("State", "") != "ENABLED" || !rule.contains("ScheduleExpression")) {
          continue;
        }
        Result<Schedule> schedule = Schedule::Parse(rule["ScheduleExpression"]);
        if (!schedule.ok()) {
          continue;
        }
        std::string arn = rule["Arn"];
        int64_t anchor = rule.value("_anchor_ms", Ms(sim));
        int64_t last;
        {
          std::lock_guard<std::mutex> lock(mu_);
          auto it = last_fired_ms_.find(arn);
          last = it == last_fired_ms_.end() || it->second < anchor ? anchor : it->second;
        }
        auto next = schedule->Next(FromMs(anchor), FromMs(last));
        if (next > sim) {
          continue;
        }
        {
          std::lock_guard<std::mutex> lock(mu_);
          last_fired_ms_[arn] = Ms(next);
          ++fire_counts_[arn];
        }
        // region|name
        std::string region = key.substr(0, key.find('|'));
        // arn:aws:events:REGION:ACCOUNT:rule/NAME
        std::string account = arn.substr(15 + region.size() + 1, 12);
        Json event = {{"version", "0"},
                      {"id", context_.ids.RequestId()},
                      {"detail-type", "Scheduled Event"},
                      {"source", "aws.events"},
                      {"account", account},
                      {"time", FormatRfc3339(next)},
                      {"region", region},
                      {"resources", Json::array({arn})},
                      {"detail", Json::object()}};
        Fire(rule, event);
      }
    }
    sleeper_.SleepFor(std::chrono::milliseconds(20));
  }
}

void EventsService::Fire(const Json& rule, const Json& event) {
  std::string region = event["region"];
  std::string account = event["account"];
  for (const Json& target : rule.value("_targets", Json::array())) {
    Result<std::string> input = TargetInput(target, event);
    if (!input.ok()) {
      continue;
    }
    (void)dispatcher_.Deliver(region, account, target["Arn"], target.value("RoleArn", ""), *input);
  }
}

const OperationTable<EventsService>& EventsService::Operations() {
  static const OperationTable<EventsService> kTable(
      {
          {"PutRule", &EventsService::PutRule},
          {"DescribeRule", &EventsService::DescribeRule},
          {"ListRules", &EventsService::ListRules},
          {"DeleteRule", &EventsService::DeleteRule},
          {"EnableRule", [](EventsService& s, const ServiceCall& call,
                            CallTxn& txn) { return s.SetState(call, txn, "ENABLED"); }},
          {"DisableRule", [](EventsService& s, const ServiceCall& call,
                             CallTxn& txn) { return s.SetState(call, txn, "DISABLED"); }},
          {"PutTargets", &EventsService::PutTargets},
          {"RemoveTargets", &EventsService::RemoveTargets},
          {"ListTargetsByRule", &EventsService::ListTargetsByRule},
          {"PutEvents", &EventsService::PutEvents},
          {"TagResource", &EventsService::TagResource},
          {"UntagResource", &EventsService::UntagResource},
          {"ListTagsForResource", &EventsService::ListTagsForResource},
      },
      {.internal_error = Internal, .invalid_input = Invalid});
  return kTable;
}

ServiceResult EventsService::PutRule(const ServiceCall& call, CallTxn& txn) {
  SERVICE_RETURN_IF_ERROR(CheckBus(call.input));
  std::string name = call.input.value("Name", "");
  static const std::regex kName("[\\.\\-_A-Za-z0-9]{1,64}");
  if (!std::regex_match(name, kName)) {
    return Validation(fmt::format(
        "1 validation error detected: Value '{}' at 'name' failed to satisfy constraint: Member "
        "must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
        name));
  }
  bool has_schedule = call.input.contains("ScheduleExpression");
  bool has_pattern = call.input.contains("EventPattern");
  if (!has_schedule && !has_pattern) {
    return Validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  }
  if (has_schedule && !Schedule::Parse(call.input["ScheduleExpression"]).ok()) {
    return Validation("Parameter ScheduleExpression is not valid.");
  }
  if (has_pattern) {
    Json pattern = Json::parse(call.input["EventPattern"].get<std::string>(), nullptr, false);
    if (pattern.is_discarded() || !pattern.is_object() || pattern.empty()) {
      return Err("InvalidEventPatternException",
                 "Event pattern is not valid. Reason: "
                 "Filter is not an object");
    }
  }
  std::string state = call.input.value("State", "ENABLED");
  std::string arn = fmt::format("arn:aws:events:{}:{}:rule/{}", call.region, call.account_id, name);
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> existing, txn.Get(kNs, Key(call.region, name)));
  Json rule = existing ? std::move(*existing) : Json::object();
  std::string old_schedule = rule.value("ScheduleExpression", "");
  std::string old_state = rule.value("State", "");
  rule["Name"] = name;
  rule["Arn"] = arn;
  rule["State"] = state;
  rule["EventBusName"] = "default";
  for (const char* m : {"ScheduleExpression", "EventPattern", "Description", "RoleArn"}) {
    if (call.input.contains(m)) {
      rule[m] = call.input[m];
    } else {
      rule.erase(m);
    }
  }
  if (!rule.contains("_targets")) {
    rule["_targets"] = Json::array();
  }
  Json tags = rule.value("_tags", Json::object());
  for (const Json& t : call.input.value("Tags", Json::array())) {
    tags[t.value("Key", "")] = t.value("Value", "");
  }
  rule["_tags"] = tags;
  if (!rule.contains("_anchor_ms") || old_schedule != rule.value("ScheduleExpression", "") ||
      (old_state != "ENABLED" && state == "ENABLED")) {
    rule["_anchor_ms"] = Ms(SimulatedNow());
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), rule));
  return Json{{"RuleArn", arn}};
}

namespace {

ServiceOr<Json> LoadRule(CallTxn& txn, const ServiceCall& call, const std::string& name) {
  return txn.Require(kNs, Key(call.region, name),
                     NotFound(fmt::format("Rule {} does not exist on EventBus default.", name)));
}

}  // namespace

ServiceResult EventsService::DescribeRule(const ServiceCall& call, CallTxn& txn) {
  SERVICE_RETURN_IF_ERROR(CheckBus(call.input));
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, call.input.value("Name", "")));
  Json out = Visible(rule);
  out["CreatedBy"] = call.account_id;
  return out;
}

ServiceResult EventsService::ListRules(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto all, txn.List(kNs, call.region + "|"));
  std::string prefix = call.input.value("NamePrefix", "");
  std::vector<Json> rules;
  for (auto& [k, r] : all) {
    if (r["Name"].get<std::string>().rfind(prefix, 0) == 0) {
      rules.push_back(Visible(r));
    }
  }
  size_t start = 0;
  std::string token = call.input.value("NextToken", "");
  if (!token.empty()) {
    if (token.find_first_not_of("0123456789") != std::string::npos || token.size() > 9) {
      return Validation("The NextToken is not valid.");
    }
    start = std::stoul(token);
  }
  size_t limit = call.input.value("Limit", 100);
  Json out = {{"Rules", Json::array()}};
  size_t i = start;
  for (; i < rules.size() && out["Rules"].size() < limit; ++i) {
    out["Rules"].push_back(rules[i]);
  }
  if (i < rules.size()) {
    out["NextToken"] = std::to_string(i);
  }
  return out;
}

ServiceResult EventsService::DeleteRule(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("Name", "");
  SERVICE_ASSIGN_OR_RETURN(std::optional<Json> rule, txn.Get(kNs, Key(call.region, name)));
  if (!rule) {
    return Json::object();  // deleting a rule that does not exist succeeds
  }
  if (!rule->value("_targets", Json::array()).empty() && !call.input.value("Force", false)) {
    return Validation("Rule can't be deleted since it has targets.");
  }
  SERVICE_RETURN_IF_ERROR(txn.Delete(kNs, Key(call.region, name)));
  return Json::object();
}

ServiceResult EventsService::SetState(const ServiceCall& call, CallTxn& txn, const char* state) {
  std::string name = call.input.value("Name", "");
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, name));
  if (rule["State"] != "ENABLED" && std::string(state) == "ENABLED") {
    rule["_anchor_ms"] = Ms(SimulatedNow());
  }
  rule["State"] = state;
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), rule));
  return Json::object();
}

ServiceResult EventsService::PutTargets(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("Rule", "");
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, name));
  Json targets = rule.value("_targets", Json::array());
  Json failed = Json::array();
  for (const Json& t : call.input.value("Targets", Json::array())) {
    std::string id = t.value("Id", "");
    std::string arn = t.value("Arn", "");
    int inputs = t.contains("Input") + t.contains("InputPath") + t.contains("InputTransformer");
    std::string error;
    if (inputs > 1) {
      error = "Only one of Input, InputPath, or InputTransformer may be specified.";
    } else if (t.contains("Input") &&
               Json::parse(t["Input"].get<std::string>(), nullptr, false).is_discarded()) {
      error = "Input is not valid JSON.";
    } else if (arn.rfind("arn:aws:states:", 0) == 0 && t.value("RoleArn", "").empty()) {
      error = "RoleArn is required for target " + arn + ".";
    } else if (arn.rfind("arn:aws:lambda:", 0) != 0 && arn.rfind("arn:aws:states:", 0) != 0) {
      error =
          "The local cloud delivers to Lambda functions and Step Functions state machines "
          "only: " +
          arn;
    }
    if (!error.empty()) {
      if (inputs > 1 || error.rfind("Input is not", 0) == 0) {
        return Validation(error);
      }
      failed.push_back(
          {{"TargetId", id}, {"ErrorCode", "ValidationException"}, {"ErrorMessage", error}});
      continue;
    }
    bool replaced = false;
    for (Json& existing : targets) {
      if (existing["Id"] == id) {
        existing = t;
        replaced = true;
      }
    }
    if (!replaced) {
      if (targets.size() >= 5) {
        return Err("LimitExceededException",
                   "The requested resource exceeds the maximum number "
                   "allowed.");
      }
      targets.push_back(t);
    }
  }
  rule["_targets"] = targets;
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), rule));
  return Json{{"FailedEntryCount", failed.size()}, {"FailedEntries", failed}};
}

ServiceResult EventsService::RemoveTargets(const ServiceCall& call, CallTxn& txn) {
  std::string name = call.input.value("Rule", "");
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, name));
  Json kept = Json::array();
  std::set<std::string> ids;
  for (const Json& id : call.input.value("Ids", Json::array())) {
    ids.insert(id.get<std::string>());
  }
  for (const Json& t : rule.value("_targets", Json::array())) {
    if (!ids.count(t["Id"].get<std::string>())) {
      kept.push_back(t);
    }
  }
  rule["_targets"] = kept;
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), rule));
  return Json{{"FailedEntryCount", 0}, {"FailedEntries", Json::array()}};
}

ServiceResult EventsService::ListTargetsByRule(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, call.input.value("Rule", "")));
  return Json{{"Targets", rule.value("_targets", Json::array())}};
}

ServiceResult EventsService::PutEvents(const ServiceCall& call, CallTxn& txn) {
  SERVICE_ASSIGN_OR_RETURN(auto rules, txn.List(kNs, call.region + "|"));
  // Targets are other services (Lambda, Step Functions) that use the store themselves.
  SERVICE_RETURN_IF_ERROR(txn.Commit());
  Json entries = Json::array();
  int failed = 0;
  for (const Json& entry : call.input.value("Entries", Json::array())) {
    Json detail = Json::parse(entry.value("Detail", "{}"), nullptr, false);
    if (detail.is_discarded() || !detail.is_object()) {
      entries.push_back(
          {{"ErrorCode", "MalformedDetail"}, {"ErrorMessage", "Detail is malformed."}});
      ++failed;
      continue;
    }
    std::string id = context_.ids.RequestId();
    Json event = {{"version", "0"},
                  {"id", id},
                  {"detail-type", entry.value("DetailType", "")},
                  {"source", entry.value("Source", "")},
                  {"account", call.account_id},
                  {"time", FormatRfc3339(context_.clock.Now())},
                  {"region", call.region},
                  {"resources", entry.value("Resources", Json::array())},
                  {"detail", detail}};
    for (auto& [k, rule] : rules) {
      if (rule.value("State", "") != "ENABLED" || !rule.contains("EventPattern")) {
        continue;
      }
      if (MatchesPattern(Json::parse(rule["EventPattern"].get<std::string>()), event)) {
        Fire(rule, event);
      }
    }
    entries.push_back({{"EventId", id}});
  }
  return Json{{"FailedEntryCount", failed}, {"Entries", entries}};
}

namespace {

std::string RuleNameOfArn(const std::string& arn) {
  size_t at = arn.find(":rule/");
  return at == std::string::npos ? "" : arn.substr(at + 6);
}

}  // namespace

ServiceResult EventsService::TagResource(const ServiceCall& call, CallTxn& txn) {
  std::string name = RuleNameOfArn(call.input.value("ResourceARN", ""));
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, name));
  for (const Json& t : call.input.value("Tags", Json::array())) {
    rule["_tags"][t.value("Key", "")] = t.value("Value", "");
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), rule));
  return Json::object();
}

ServiceResult EventsService::UntagResource(const ServiceCall& call, CallTxn& txn) {
  std::string name = RuleNameOfArn(call.input.value("ResourceARN", ""));
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, name));
  for (const Json& k : call.input.value("TagKeys", Json::array())) {
    rule["_tags"].erase(k.get<std::string>());
  }
  SERVICE_RETURN_IF_ERROR(txn.Put(kNs, Key(call.region, name), rule));
  return Json::object();
}

ServiceResult EventsService::ListTagsForResource(const ServiceCall& call, CallTxn& txn) {
  std::string name = RuleNameOfArn(call.input.value("ResourceARN", ""));
  SERVICE_ASSIGN_OR_RETURN(Json rule, LoadRule(txn, call, name));
  Json tags = Json::array();
  Json stored = rule.value("_tags", Json::object());
  for (auto& [k, v] : stored.items()) {
    tags.push_back({{"Key", k}, {"Value", v}});
  }
  return Json{{"Tags", tags}};
}

}  // namespace cf::cloud::events
