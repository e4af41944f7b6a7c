#pragma once

// String encodings and matching shared by every folder: hex, percent-encoding, case, globs.
// All functions are pure and thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace cf {

// The value of one hex digit (0-9, a-f, A-F), or -1.
int HexDigitValue(char c);
// Lowercase hex of raw bytes: "\x01\xab" -> "01ab".
std::string HexEncode(std::string_view bytes);
// The bytes of an even number of hex digits (either case), or nullopt.
std::optional<std::string> HexDecode(std::string_view hex);

// RFC 3986 percent-encoding, as SigV4 and AWS's REST protocols want it: every byte except
// A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex). With `keep_slash`, '/' is left alone
// (paths).
std::string PercentEncode(std::string_view text, bool keep_slash = false);
// Decodes %XX sequences (either case); a malformed % sequence is kept literally. '+' becomes
// a space only with `plus_is_space` (application/x-www-form-urlencoded).
std::string PercentDecode(std::string_view text, bool plus_is_space = false);

// ASCII letters lowercased; other bytes unchanged ("X-Amz-Date" -> "x-amz-date").
std::string AsciiLower(std::string_view text);

// Glob match as IAM and EC2 filters do it: '*' matches any run of characters (also none),
// '?' exactly one; everything else matches itself, compared ASCII-case-insensitively with
// `case_insensitive`. Linear in practice (backtracks only to the last '*').
bool GlobMatch(std::string_view pattern, std::string_view text, bool case_insensitive = false);

}  // namespace cf
