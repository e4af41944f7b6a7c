#pragma once

// Validation of an Amazon States Language definition, as CreateStateMachine and
// UpdateStateMachine do it: every problem found, reported in Step Functions' own form
//   Invalid State Machine Definition: 'CODE: message at /path, CODE: message at /path'
// with the codes AWS uses (INVALID_JSON_DESCRIPTION, SCHEMA_VALIDATION_FAILED,
// MISSING_TRANSITION_TARGET). The interpreter runs only definitions that pass.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"

namespace cf::cloud::stepfunctions {

using Json = nlohmann::json;

struct DefinitionProblem {
  std::string code;     // "SCHEMA_VALIDATION_FAILED"
  std::string message;  // "These fields are required: [StartAt]"
  std::string where;    // "/States/Hello/Next"
};

// Every problem of `definition` (text), in document order; empty when it is valid.
std::vector<DefinitionProblem> ValidateDefinition(const std::string& definition);

// The parsed definition, or InvalidArgument whose message is AWS's InvalidDefinition text.
Result<Json> ParseDefinition(const std::string& definition);

// "Invalid State Machine Definition: '...'" for `problems`.
std::string DefinitionErrorMessage(const std::vector<DefinitionProblem>& problems);

}  // namespace cf::cloud::stepfunctions
