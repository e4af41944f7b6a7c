#pragma once

// Choice rules of the Amazon States Language (states-language.net, "Choice Rules"): the
// comparison operators (String*, Numeric*, Boolean*, Timestamp* and their *Path forms,
// StringMatches), the type tests (IsNull, IsPresent, IsNumeric, IsString, IsBoolean,
// IsTimestamp) and the boolean combinators And, Or, Not.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/status.h"

namespace cf::cloud::stepfunctions {

using Json = nlohmann::json;

// Whether `rule` (validated) holds for `input`, with "$$" paths read from `context`.
// InvalidArgument when its Variable (or a *Path operand) selects nothing and the operator is
// not IsPresent: the interpreter fails the execution with States.Runtime.
Result<bool> EvaluateChoiceRule(const Json& rule, const Json& input, const Json& context);

// "2016-03-14T01:59:00Z", with optional fractional seconds and a "+hh:mm" / "-hh:mm" offset
// instead of "Z" (RFC 3339, the form Step Functions accepts). nullopt when `text` is not one.
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(const std::string& text);

// StringMatches: '*' matches any run of characters, "\\*" a literal '*', "\\\\" a '\'.
bool WildcardMatch(const std::string& pattern, const std::string& text);

}  // namespace cf::cloud::stepfunctions
