#include "cloud/stepfunctions/definition.h"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <map>
#include <set>

#include "cloud/stepfunctions/intrinsics.h"
#include "cloud/stepfunctions/json_path.h"

namespace cf::cloud::stepfunctions {

namespace {

constexpr char kSchema[] = "SCHEMA_VALIDATION_FAILED";
constexpr char kMissing[] = "MISSING_TRANSITION_TARGET";

// The fields each state type accepts (besides Type and Comment).
const std::map<std::string, std::set<std::string>>& AllowedFields() {
  static const std::map<std::string, std::set<std::string>> kFields = {
      {"Pass", {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"}},
      {"Task",
       {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
        "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
        "HeartbeatSecondsPath", "Retry", "Catch", "Credentials"}},
      {"Choice", {"Choices", "Default", "InputPath", "OutputPath"}},
      {"Wait",
       {"Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath",
        "TimestampPath"}},
      {"Succeed", {"InputPath", "OutputPath"}},
      {"Fail", {"Error", "Cause", "ErrorPath", "CausePath"}},
      {"Parallel",
       {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
        "Branches", "Retry", "Catch"}},
      {"Map",
       {"Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ItemSelector",
        "ResultSelector", "ItemsPath", "Iterator", "ItemProcessor", "MaxConcurrency",
        "MaxConcurrencyPath", "Retry", "Catch", "ToleratedFailurePercentage",
        "ToleratedFailureCount", "Label"}},
  };
  return kFields;
}

// Comparison operators of a Choice rule and the JSON type their operand must have.
const std::map<std::string, std::string>& Comparators() {
  static const std::map<std::string, std::string> kOps = [] {
    std::map<std::string, std::string> ops;
    for (const char* base : {"StringEquals", "StringLessThan", "StringGreaterThan",
                             "StringLessThanEquals", "StringGreaterThanEquals"}) {
      ops[base] = "string";
      ops[std::string(base) + "Path"] = "path";
    }
    ops["StringMatches"] = "string";
    for (const char* base : {"NumericEquals", "NumericLessThan", "NumericGreaterThan",
                             "NumericLessThanEquals", "NumericGreaterThanEquals"}) {
      ops[base] = "number";
      ops[std::string(base) + "Path"] = "path";
    }
    ops["BooleanEquals"] = "boolean";
    ops["BooleanEqualsPath"] = "path";
    for (const char* base : {"TimestampEquals", "TimestampLessThan", "TimestampGreaterThan",
                             "TimestampLessThanEquals", "TimestampGreaterThanEquals"}) {
      ops[base] = "timestamp";
      ops[std::string(base) + "Path"] = "path";
    }
    for (const char* test :
         {"IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"}) {
      ops[test] = "boolean";
    }
    return ops;
  }();
  return kOps;
}

class Validator {
 public:
  std::vector<DefinitionProblem> problems;

  void Add(const char* code, std::string message, const std::string& where) {
    problems.push_back({code, std::move(message), where.empty() ? "/" : where});
  }

  // A (sub-)machine: {StartAt, States}; `where` is "" for the root.
  void Machine(const Json& machine, const std::string& where, bool root) {
    if (!machine.is_object()) {
      Add(kSchema, "Expected value of type: Object", where);
      return;
    }
    std::vector<std::string> missing;
    for (const char* field : {"StartAt", "States"}) {
      if (!machine.contains(field)) {
        missing.push_back(field);
      }
    }
    if (!missing.empty()) {
      Add(kSchema, fmt::format("These fields are required: [{}]", fmt::join(missing, ", ")), where);
      return;
    }
    for (auto it = machine.begin(); it != machine.end(); ++it) {
      static const std::set<std::string> kRoot = {"StartAt", "States",         "Comment",
                                                  "Version", "TimeoutSeconds", "QueryLanguage"};
      static const std::set<std::string> kBranch = {"StartAt", "States", "Comment",
                                                    "ProcessorConfig"};
      if (!(root ? kRoot : kBranch).count(it.key())) {
        Add(kSchema, fmt::format("Field \"{}\" is not supported by Step Functions", it.key()),
            where);
      }
    }
    if (root && machine.contains("TimeoutSeconds") &&
        (!machine["TimeoutSeconds"].is_number_integer() ||
         machine["TimeoutSeconds"].get<int64_t>() < 1)) {
      Add(kSchema, "The value for the field 'TimeoutSeconds' must be a positive integer",
          where + "/TimeoutSeconds");
    }
    if (!machine["StartAt"].is_string()) {
      Add(kSchema, "Expected value of type: String", where + "/StartAt");
      return;
    }
    const Json& states = machine["States"];
    if (!states.is_object() || states.empty()) {
      Add(kSchema, "The field 'States' must be a non-empty object", where + "/States");
      return;
    }
    std::string start = machine["StartAt"].get<std::string>();
    if (!states.contains(start)) {
      Add(kMissing, fmt::format("Missing 'Next' target: {}", start), where + "/StartAt");
    }
    std::set<std::string> targeted = {start};
    for (auto it = states.begin(); it != states.end(); ++it) {
      State(it.key(), it.value(), states, where + "/States/" + it.key(), targeted);
    }
    // Reachability from StartAt.
    std::set<std::string> reached;
    std::vector<std::string> todo = {start};
    while (!todo.empty()) {
      std::string name = todo.back();
      todo.pop_back();
      if (!states.contains(name) || !reached.insert(name).second) {
        continue;
      }
      for (const std::string& next : Targets(states[name])) {
        todo.push_back(next);
      }
    }
    for (auto it = states.begin(); it != states.end(); ++it) {
      if (!reached.count(it.key())) {
        Add(kMissing, fmt::format("State \"{}\" is not reachable.", it.key()),
            where + "/States/" + it.key());
      }
    }
  }

  static std::vector<std::string> Targets(const Json& state) {
    std::vector<std::string> out;
    if (!state.is_object()) {
      return out;
    }
    if (state.contains("Next") && state["Next"].is_string()) {
      out.push_back(state["Next"].get<std::string>());
    }
    if (state.contains("Default") && state["Default"].is_string()) {
      out.push_back(state["Default"].get<std::string>());
    }
    for (const char* list : {"Choices", "Catch"}) {
      if (state.contains(list) && state[list].is_array()) {
        for (const Json& rule : state[list]) {
          if (rule.is_object() && rule.contains("Next") && rule["Next"].is_string()) {
            out.push_back(rule["Next"].get<std::string>());
          }
        }
      }
    }
    return out;
  }

  void Target(const Json& next, const Json& states, const std::string& where) {
    if (!next.is_string()) {
      Add(kSchema, "Expected value of type: String", where);
    } else if (!states.contains(next.get<std::string>())) {
      Add(kMissing, fmt::format("Missing 'Next' target: {}", next.get<std::string>()), where);
    }
  }

  void Path(const Json& state, const char* field, const std::string& where, bool reference,
            bool nullable) {
    if (!state.contains(field)) {
      return;
    }
    const Json& value = state[field];
    if (value.is_null() && nullable) {
      return;
    }
    Result<JsonPath> path = value.is_string() ? JsonPath::Parse(value.get<std::string>())
                                              : Result<JsonPath>(InvalidArgumentError(""));
    if (!path.ok() || (reference && !path->IsReference())) {
      Add(kSchema,
          fmt::format("The value for the field '{}' must be a valid {}", field,
                      reference ? "Reference Path" : "JSONPath"),
          where + "/" + field);
    }
  }

  // A Parameters / ResultSelector / ItemSelector template: "x.$" members hold paths or
  // intrinsic calls.
  void Template(const Json& node, const std::string& field, const std::string& where) {
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string& key = it.key();
        if (key.size() > 2 && key.compare(key.size() - 2, 2, ".$") == 0) {
          bool ok = it.value().is_string();
          if (ok) {
            std::string text = it.value().get<std::string>();
            if (IsIntrinsic(text)) {
              ok = true;
            } else {
              std::string path = text.rfind("$$", 0) == 0 ? text.substr(1) : text;
              ok = JsonPath::Parse(path).ok();
            }
          }
          if (!ok) {
            Add(kSchema,
                fmt::format("The value for the field '{}' must be a valid JSONPath or a valid "
                            "intrinsic function call",
                            key),
                where + "/" + field);
          }
        } else {
          Template(it.value(), field, where);
        }
      }
    } else if (node.is_array()) {
      for (const Json& item : node) {
        Template(item, field, where);
      }
    }
  }

  void Retriers(const Json& state, const char* field, const Json& states,
                const std::string& where) {
    if (!state.contains(field)) {
      return;
    }
    const Json& list = state[field];
    if (!list.is_array()) {
      Add(kSchema, "Expected value of type: Array", where + "/" + field);
      return;
    }
    bool catcher = std::string(field) == "Catch";
    for (size_t i = 0; i < list.size(); ++i) {
      std::string at = fmt::format("{}/{}[{}]", where, field, i);
      const Json& rule = list[i];
      if (!rule.is_object()) {
        Add(kSchema, "Expected value of type: Object", at);
        continue;
      }
      if (!rule.contains("ErrorEquals") || !rule["ErrorEquals"].is_array() ||
          rule["ErrorEquals"].empty()) {
        Add(kSchema, "These fields are required: [ErrorEquals]", at);
      } else {
        const Json& errors = rule["ErrorEquals"];
        for (size_t j = 0; j < errors.size(); ++j) {
          if (!errors[j].is_string()) {
            Add(kSchema, "Expected value of type: String",
                fmt::format("{}/ErrorEquals[{}]", at, j));
          } else if (errors[j] == "States.ALL" && (errors.size() != 1 || i + 1 != list.size())) {
            Add(kSchema,
                "States.ALL must appear alone in ErrorEquals and in the last " +
                    std::string(catcher ? "catcher" : "retrier"),
                at + "/ErrorEquals");
          }
        }
      }
      static const std::set<std::string> kRetry = {
          "ErrorEquals",     "IntervalSeconds", "MaxAttempts", "BackoffRate",
          "MaxDelaySeconds", "JitterStrategy",  "Comment"};
      static const std::set<std::string> kCatch = {"ErrorEquals", "Next", "ResultPath", "Comment"};
      for (auto it = rule.begin(); it != rule.end(); ++it) {
        if (!(catcher ? kCatch : kRetry).count(it.key())) {
          Add(kSchema, fmt::format("Field \"{}\" is not supported by Step Functions", it.key()),
              at);
        }
      }
      if (catcher) {
        if (!rule.contains("Next")) {
          Add(kSchema, "These fields are required: [Next]", at);
        } else {
          Target(rule["Next"], states, at + "/Next");
        }
        Path(rule, "ResultPath", at, /*reference=*/true, /*nullable=*/true);
      } else {
        for (const char* n : {"IntervalSeconds", "MaxAttempts", "MaxDelaySeconds"}) {
          if (rule.contains(n) && (!rule[n].is_number_integer() || rule[n].get<int64_t>() < 0 ||
                                   (std::string(n) != "MaxAttempts" && rule[n] == 0))) {
            Add(kSchema,
                fmt::format("The value for the field '{}' must be a {} integer", n,
                            std::string(n) == "MaxAttempts" ? "non-negative" : "positive"),
                at + "/" + n);
          }
        }
        if (rule.contains("BackoffRate") &&
            (!rule["BackoffRate"].is_number() || rule["BackoffRate"].get<double>() < 1.0)) {
          Add(kSchema, "The value for the field 'BackoffRate' must be a number >= 1.0",
              at + "/BackoffRate");
        }
        if (rule.contains("JitterStrategy") && rule["JitterStrategy"] != "FULL" &&
            rule["JitterStrategy"] != "NONE") {
          Add(kSchema, "The value for the field 'JitterStrategy' must be one of [FULL, NONE]",
              at + "/JitterStrategy");
        }
      }
    }
  }

  void ChoiceRule(const Json& rule, const std::string& at, bool top, const Json& states) {
    if (!rule.is_object()) {
      Add(kSchema, "Expected value of type: Object", at);
      return;
    }
    int operators = 0;
    for (auto it = rule.begin(); it != rule.end(); ++it) {
      const std::string& key = it.key();
      if (key == "Next") {
        if (!top) {
          Add(kSchema, "Field \"Next\" is only allowed in a top-level choice rule", at);
        } else {
          Target(it.value(), states, at + "/Next");
        }
      } else if (key == "Variable") {
        if (!it.value().is_string() ||
            !JsonPath::Parse(it.value().get<std::string>().rfind("$$", 0) == 0
                                 ? it.value().get<std::string>().substr(1)
                                 : it.value().get<std::string>())
                 .ok()) {
          Add(kSchema, "The value for the field 'Variable' must be a valid JSONPath",
              at + "/Variable");
        }
      } else if (key == "And" || key == "Or") {
        ++operators;
        if (!it.value().is_array() || it.value().empty()) {
          Add(kSchema, fmt::format("The field '{}' must be a non-empty array", key),
              at + "/" + key);
        } else {
          for (size_t i = 0; i < it.value().size(); ++i) {
            ChoiceRule(it.value()[i], fmt::format("{}/{}[{}]", at, key, i), false, states);
          }
        }
      } else if (key == "Not") {
        ++operators;
        ChoiceRule(it.value(), at + "/Not", false, states);
      } else if (Comparators().count(key)) {
        ++operators;
        const std::string& type = Comparators().at(key);
        const Json& v = it.value();
        bool ok = type == "string" || type == "timestamp" ? v.is_string()
                  : type == "number"                      ? v.is_number()
                  : type == "boolean"
                      ? v.is_boolean()
                      : v.is_string() && JsonPath::Parse(v.get<std::string>().rfind("$$", 0) == 0
                                                             ? v.get<std::string>().substr(1)
                                                             : v.get<std::string>())
                                             .ok();
        if (!ok) {
          Add(kSchema,
              fmt::format("The value for the field '{}' must be a {}", key,
                          type == "path" ? "valid JSONPath" : type),
              at + "/" + key);
        }
        if (!rule.contains("Variable")) {
          Add(kSchema, "These fields are required: [Variable]", at);
        }
      } else if (key != "Comment") {
        Add(kSchema, fmt::format("Field \"{}\" is not supported by Step Functions", key), at);
      }
    }
    if (operators != 1) {
      Add(kSchema, "A choice rule must have exactly one comparison operator or And, Or, Not", at);
    }
    if (top && !rule.contains("Next")) {
      Add(kSchema, "These fields are required: [Next]", at);
    }
  }

  void State(const std::string& name, const Json& state, const Json& states,
             const std::string& where, std::set<std::string>& targeted) {
    (void)targeted;
    if (name.size() > 80) {
      Add(kSchema, "State names must be at most 80 characters", where);
    }
    if (!state.is_object()) {
      Add(kSchema, "Expected value of type: Object", where);
      return;
    }
    if (!state.contains("Type")) {
      Add(kSchema, "These fields are required: [Type]", where);
      return;
    }
    if (!state["Type"].is_string() || !AllowedFields().count(state["Type"].get<std::string>())) {
      Add(kSchema, "Value is not one of [Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map]",
          where + "/Type");
      return;
    }
    std::string type = state["Type"].get<std::string>();
    const std::set<std::string>& allowed = AllowedFields().at(type);
    for (auto it = state.begin(); it != state.end(); ++it) {
      if (it.key() != "Type" && it.key() != "Comment" && !allowed.count(it.key())) {
        Add(kSchema, fmt::format("Field \"{}\" is not supported by Step Functions", it.key()),
            where);
      }
    }
    if (allowed.count("End")) {
      bool has_next = state.contains("Next");
      bool has_end = state.contains("End") && state["End"] == true;
      if (has_next == has_end) {
        Add(kSchema, "Exactly one of these fields must be set: [Next, End]", where);
      }
      if (state.contains("End") && !state["End"].is_boolean()) {
        Add(kSchema, "Expected value of type: Boolean", where + "/End");
      }
      if (has_next) {
        Target(state["Next"], states, where + "/Next");
      }
    }
    Path(state, "InputPath", where, false, true);
    Path(state, "OutputPath", where, false, true);
    Path(state, "ResultPath", where, true, true);
    for (const char* field : {"Parameters", "ResultSelector", "ItemSelector"}) {
      if (state.contains(field)) {
        if (std::string(field) != "Parameters" && !state[field].is_object()) {
          Add(kSchema, "Expected value of type: Object", where + "/" + field);
        }
        Template(state[field], field, where);
      }
    }
    Retriers(state, "Retry", states, where);
    Retriers(state, "Catch", states, where);
    if (type == "Task") {
      if (!state.contains("Resource")) {
        Add(kSchema, "These fields are required: [Resource]", where);
      } else if (!state["Resource"].is_string() ||
                 state["Resource"].get_ref<const std::string&>().rfind("arn:", 0) != 0 ||
                 std::count(state["Resource"].get_ref<const std::string&>().begin(),
                            state["Resource"].get_ref<const std::string&>().end(), ':') < 5) {
        Add(kSchema, "Value is not a valid resource ARN", where + "/Resource");
      }
      for (const char* n : {"TimeoutSeconds", "HeartbeatSeconds"}) {
        if (state.contains(n) && (!state[n].is_number_integer() || state[n].get<int64_t>() < 1)) {
          Add(kSchema, fmt::format("The value for the field '{}' must be a positive integer", n),
              where + "/" + n);
        }
      }
      Path(state, "TimeoutSecondsPath", where, true, false);
      Path(state, "HeartbeatSecondsPath", where, true, false);
    } else if (type == "Choice") {
      if (!state.contains("Choices") || !state["Choices"].is_array() || state["Choices"].empty()) {
        Add(kSchema, "These fields are required: [Choices]", where);
      } else {
        for (size_t i = 0; i < state["Choices"].size(); ++i) {
          ChoiceRule(state["Choices"][i], fmt::format("{}/Choices[{}]", where, i), true, states);
        }
      }
      if (state.contains("Default")) {
        Target(state["Default"], states, where + "/Default");
      }
    } else if (type == "Wait") {
      int set = 0;
      for (const char* n : {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"}) {
        set += state.contains(n) ? 1 : 0;
      }
      if (set != 1) {
        Add(kSchema,
            "Exactly one of these fields must be set: [Seconds, Timestamp, SecondsPath, "
            "TimestampPath]",
            where);
      }
      if (state.contains("Seconds") &&
          (!state["Seconds"].is_number_integer() || state["Seconds"].get<int64_t>() < 0)) {
        Add(kSchema, "The value for the field 'Seconds' must be a non-negative integer",
            where + "/Seconds");
      }
      if (state.contains("Timestamp") && !state["Timestamp"].is_string()) {
        Add(kSchema, "The value for the field 'Timestamp' must be an ISO-8601 timestamp",
            where + "/Timestamp");
      }
      Path(state, "SecondsPath", where, true, false);
      Path(state, "TimestampPath", where, true, false);
    } else if (type == "Fail") {
      for (const char* n : {"Error", "Cause"}) {
        if (state.contains(n) && !state[n].is_string()) {
          Add(kSchema, "Expected value of type: String", where + "/" + n);
        }
        if (state.contains(n) && state.contains(std::string(n) + "Path")) {
          Add(kSchema, fmt::format("Only one of {} and {}Path may be set", n, n), where);
        }
      }
    } else if (type == "Parallel") {
      if (!state.contains("Branches") || !state["Branches"].is_array() ||
          state["Branches"].empty()) {
        Add(kSchema, "These fields are required: [Branches]", where);
      } else {
        for (size_t i = 0; i < state["Branches"].size(); ++i) {
          Machine(state["Branches"][i], fmt::format("{}/Branches[{}]", where, i), false);
        }
      }
    } else if (type == "Map") {
      bool iterator = state.contains("Iterator");
      bool processor = state.contains("ItemProcessor");
      if (iterator == processor) {
        Add(kSchema, "Exactly one of these fields must be set: [Iterator, ItemProcessor]", where);
      } else {
        const char* field = iterator ? "Iterator" : "ItemProcessor";
        Machine(state[field], where + "/" + field, false);
      }
      if (state.contains("Parameters") && state.contains("ItemSelector")) {
        Add(kSchema, "Only one of Parameters and ItemSelector may be set", where);
      }
      Path(state, "ItemsPath", where, false, false);
      if (state.contains("MaxConcurrency") && (!state["MaxConcurrency"].is_number_integer() ||
                                               state["MaxConcurrency"].get<int64_t>() < 0)) {
        Add(kSchema, "The value for the field 'MaxConcurrency' must be a non-negative integer",
            where + "/MaxConcurrency");
      }
    }
  }
};

}  // namespace

std::vector<DefinitionProblem> ValidateDefinition(const std::string& definition) {
  Json parsed = Json::parse(definition, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    std::string why;
    try {
      Json ignored = Json::parse(definition);
      (void)ignored;
    } catch (const Json::parse_error& e) {
      why = e.what();
    }
    return {{"INVALID_JSON_DESCRIPTION", why, ""}};
  }
  Validator validator;
  validator.Machine(parsed, "", /*root=*/true);
  return validator.problems;
}

std::string DefinitionErrorMessage(const std::vector<DefinitionProblem>& problems) {
  std::vector<std::string> parts;
  for (const DefinitionProblem& p : problems) {
    if (p.code == "INVALID_JSON_DESCRIPTION") {
      parts.push_back(fmt::format("{}: {}", p.code, p.message));
    } else {
      parts.push_back(fmt::format("{}: {} at {}", p.code, p.message, p.where));
    }
  }
  return fmt::format("Invalid State Machine Definition: '{}'", fmt::join(parts, ", "));
}

Result<Json> ParseDefinition(const std::string& definition) {
  std::vector<DefinitionProblem> problems = ValidateDefinition(definition);
  if (!problems.empty()) {
    return InvalidArgumentError(DefinitionErrorMessage(problems));
  }
  return Json::parse(definition);
}

}  // namespace cf::cloud::stepfunctions
