#pragma once

#include <string_view>

namespace cf::cloud::dynamodb {

// Whether `word` (any case) is one of DynamoDB's reserved words, which expressions may not use
// as attribute names without an ExpressionAttributeNames alias.
bool IsReservedWord(std::string_view word);

}  // namespace cf::cloud::dynamodb
