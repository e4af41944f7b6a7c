#pragma once

// The intrinsic functions of the Amazon States Language (states-language.net, "Intrinsic
// Functions"), usable in the ".$" fields of Parameters and ResultSelector:
//   States.Format, States.StringToJson, States.JsonToString, States.Array,
//   States.ArrayPartition, States.ArrayContains, States.ArrayRange, States.ArrayGetItem,
//   States.ArrayLength, States.ArrayUnique, States.Base64Encode, States.Base64Decode,
//   States.Hash (MD5, SHA-1, SHA-256, SHA-384, SHA-512), States.JsonMerge (shallow),
//   States.MathRandom, States.MathAdd, States.StringSplit, States.UUID.
// Arguments are string literals in single quotes (with \' \{ \} \\ escapes), numbers, true,
// false, null, paths ("$.x" into the input, "$$.x" into the context object) and nested
// intrinsic calls.

#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "cloud/core/random.h"

namespace cf::cloud::stepfunctions {

using Json = nlohmann::json;

// True when `text` looks like an intrinsic call ("States.Name(").
bool IsIntrinsic(const std::string& text);

// Evaluates the intrinsic `expression`. `random` feeds States.MathRandom (unseeded) and
// States.UUID. InvalidArgument with the reason when the expression does not parse, names an
// unknown function, has arguments of the wrong number or type, or a path selects nothing
// (the interpreter reports it as States.IntrinsicFailure / States.Runtime).
Result<Json> EvaluateIntrinsic(const std::string& expression, const Json& input,
                               const Json& context, Random& random);

}  // namespace cf::cloud::stepfunctions
