#pragma once

// JSON and YAML forms of values, as Terraform's jsonencode / jsondecode / yamlencode write
// and read them.
//
// ValueToJson: compact JSON; object/map keys sorted; numbers exact ("0.3", big integers in
// full); `<`, `>`, `&`, U+2028 and U+2029 escaped as \u003c ... like Go's encoder. Unknown
// values are not representable: the caller must check IsWhollyKnown() first (they encode as
// null). Marks are ignored.
//
// ValueFromJson: objects become objects, arrays tuples, numbers exact from their text.
// InvalidArgument with the parser's message on malformed input.
//
// ValueToYaml: block-style YAML with every string double-quoted (multi-line strings as
// literal blocks), as Terraform's yamlencode writes it.

#include <string>
#include <string_view>

#include "base/status.h"
#include "hcl/value.h"

namespace cf::hcl {

std::string ValueToJson(const Value& v);
Result<Value> ValueFromJson(std::string_view json);
std::string ValueToYaml(const Value& v);

// One YAML document (the subset configurations use: block and flow mappings and sequences,
// plain/quoted/block scalars, comments, 1.2 core-schema scalars). Mappings become objects,
// sequences tuples. Anchors, aliases, tags and multiple documents give InvalidArgument
// "on line N, column 1: ...".
Result<Value> ValueFromYaml(std::string_view yaml);

}  // namespace cf::hcl
