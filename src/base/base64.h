#pragma once

// Standard base64 (RFC 4648, with padding), through OpenSSL.

#include <optional>
#include <string>
#include <string_view>

namespace cf {

std::string Base64Encode(std::string_view bytes);
// The decoded bytes, or nullopt when `text` is not padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace cf
