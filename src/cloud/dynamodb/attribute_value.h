#pragma once

// AttributeValues as DynamoDB's JSON: {"S":"x"}, {"N":"1"}, {"B":"<base64>"}, {"BOOL":true},
// {"NULL":true}, {"SS":[...]}, {"NS":[...]}, {"BS":[...]}, {"L":[...]}, {"M":{...}}.
// Helpers to validate, compare, measure and encode them. Pure functions, thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "cloud/dynamodb/error.h"

namespace cf::cloud::dynamodb {

// The type tag of a valid AttributeValue ("S", "N", ...), or "" when `value` is not one.
std::string_view TypeOf(const Json& value);

// Checks an AttributeValue (recursively) and rewrites its numbers in canonical form. Returns
// DynamoDB's message for the first problem found.
std::optional<std::string> ValidateValue(Json& value);

// Checks every attribute of an item (a JSON object of AttributeValues).
std::optional<std::string> ValidateItem(Json& item);

// DynamoDB equality: same type and value; sets compare as sets; numbers numerically.
bool ValuesEqual(const Json& a, const Json& b);

// Order of two scalars of the same type S, N or B (-1, 0, 1); nullopt when they are not
// comparable (different types, or not scalars).
std::optional<int> CompareScalars(const Json& a, const Json& b);

// Bytes of a value and of an item under DynamoDB's size rules (names count their UTF-8 length).
size_t ValueSize(const Json& value);
size_t ItemSize(const Json& item);
constexpr size_t kMaxItemSize = 400 * 1024;

// A byte string for a key attribute (S, N or B) whose memcmp order is DynamoDB's order.
std::string EncodeKeyValue(const Json& value);

// Base64 (standard alphabet, padding optional) to bytes; nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace cf::cloud::dynamodb
