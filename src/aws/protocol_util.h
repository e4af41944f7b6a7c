#pragma once

// Shared pieces of the protocol codecs (internal to src/aws): resolving member references,
// scalar text forms, timestamps, base64 and percent-encoding.
//
// Inside the codecs, a malformed model or message unwinds with CodecError; the entry points
// in codec.cc catch it (and nlohmann::json's exceptions) and return a Status.

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "aws/model.h"
#include "base/strings.h"

namespace cf::aws::internal {

class CodecError : public std::runtime_error {
 public:
  explicit CodecError(const std::string& what) : std::runtime_error(what) {}
};

// A member reference resolved against the model. Traits on the reference (locationName,
// flattened, timestampFormat, xmlNamespace, ...) override those on the shape.
struct Ref {
  const nlohmann::json* ref = nullptr;    // the reference object (never null)
  const nlohmann::json* shape = nullptr;  // the target shape (never null)
  std::string shape_name;

  std::string type() const;
  // The trait `key` from the reference, else the shape, else nullptr.
  const nlohmann::json* Trait(std::string_view key) const;
  std::string StringTrait(std::string_view key, std::string fallback = "") const;
  bool BoolTrait(std::string_view key) const;
  // Trait only on the reference (location, locationName of a member binding).
  std::string RefString(std::string_view key, std::string fallback = "") const;
  bool RefBool(std::string_view key) const;
  // The members object of a structure ({} for other types).
  const nlohmann::json& members() const;
};

// Resolves `ref` ({"shape": "Name", ...traits}). Throws CodecError for a dangling reference.
Ref Resolve(const ServiceModel& model, const nlohmann::json& ref);
// The member called `name` of structure `parent`.
Ref Member(const ServiceModel& model, const Ref& parent, const std::string& name);
// list: member; map: key / value.
Ref ListMember(const ServiceModel& model, const Ref& list);
Ref MapKey(const ServiceModel& model, const Ref& map);
Ref MapValue(const ServiceModel& model, const Ref& map);

// An empty object, for shapes that have none.
const nlohmann::json& EmptyObject();

std::string Base64Encode(std::string_view bytes);
// Throws CodecError on invalid input.
std::string Base64Decode(std::string_view text);

enum class TimestampFormat { kIso8601, kRfc822, kUnix };
// "iso8601", "rfc822", "unixTimestamp"; `fallback` for anything else.
TimestampFormat TimestampFormatOf(const Ref& ref, TimestampFormat fallback);
// Seconds since the epoch of a tree value: a number, or an ISO 8601 / RFC 822 string.
double TimestampSeconds(const nlohmann::json& value);
// Throws CodecError for seconds beyond the year 9999 (or not finite).
std::string FormatTimestamp(double seconds, TimestampFormat format);
// Parses any of the three formats (with offsets and fractions). Throws CodecError.
double ParseTimestamp(std::string_view text);
// The tree value of a timestamp: an integer when whole, else a double.
nlohmann::json TimestampValue(double seconds);

// Shortest round-trip text of a double; "NaN", "Infinity", "-Infinity".
std::string FormatDouble(double value);

// The text form of a scalar tree value of shape type `ref` (string, enum, integer, long,
// float, double, boolean, blob -> base64 when `base64_blobs`, timestamp in `format`).
std::string ScalarToText(const Ref& ref, const nlohmann::json& value, TimestampFormat format,
                         bool base64_blobs = true);
// The inverse: a tree value from text. Throws CodecError on malformed text.
nlohmann::json ScalarFromText(const Ref& ref, std::string_view text, bool base64_blobs = true);

// A random version-4 UUID ("0b5d9c1e-...").
std::string RandomUuid();

// "Name[3]", "Name.Key" path joining for messages.
std::string JoinPath(const std::string& parent, const std::string& member);

}  // namespace cf::aws::internal
