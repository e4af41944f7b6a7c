#pragma once

// The few cryptographic and encoding primitives SigV4 needs (OpenSSL underneath).
// All functions are pure and thread-safe.

#include <string>
#include <string_view>

namespace cf::aws {

// SHA-256 of `data`, as 32 raw bytes.
std::string Sha256(std::string_view data);
// SHA-256 of `data`, as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);
// HMAC-SHA256 of `data` under `key`, as 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// Lowercase hex of raw bytes.
std::string HexEncode(std::string_view bytes);
// True when `a` and `b` are equal, in time independent of where they differ
// (CRYPTO_memcmp); different lengths compare unequal at once.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// RFC 3986 percent-encoding as SigV4 wants it: every byte except A-Z a-z 0-9 - . _ ~ becomes
// %XX (uppercase hex). With `keep_slash`, '/' is left alone (for paths).
std::string UriEncode(std::string_view s, bool keep_slash);
// Decodes %XX sequences; '+' stays '+'. A malformed % sequence is kept literally.
std::string UriDecode(std::string_view s);

}  // namespace cf::aws
