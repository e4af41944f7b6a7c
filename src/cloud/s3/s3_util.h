#pragma once

// Pure rules of S3, apart from the service so that they are tested on their own: bucket
// names, Range headers, ETags and conditional headers, and the listing walk shared by
// ListObjects and ListObjectsV2.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cf::cloud::s3 {

// S3's rules for new bucket names: 3-63 characters of [a-z0-9.-], beginning and ending with
// a letter or digit, no "..", not shaped like an IPv4 address, not starting with "xn--" or
// "sthree-", not ending with "-s3alias" or "--ol-s3".
bool IsValidBucketName(std::string_view name);

struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;  // inclusive
};

enum class RangeKind {
  kWhole,          // no Range, or one S3 ignores (malformed, several ranges): send everything
  kRange,          // a satisfiable single range
  kUnsatisfiable,  // 416 InvalidRange
};

// Reads "bytes=FIRST-LAST", "bytes=FIRST-" or "bytes=-SUFFIX" against an object of `size`.
RangeKind ParseRange(std::string_view header, uint64_t size, ByteRange* range);

// Whether an If-Match / If-None-Match header value ("*", or a comma-separated list of
// quoted or bare ETags) names `etag` (quoted, as stored).
bool EtagListMatches(std::string_view header, std::string_view etag);

// One page of a listing over `keys` (sorted, all beginning with `prefix`).
struct ListPage {
  std::vector<size_t> contents;              // indices into keys
  std::vector<std::string> common_prefixes;  // in order
  bool truncated = false;
  std::string next_marker;  // the last key or common prefix of the page, when truncated
};

// Walks `keys` after `marker` (exclusive; a common prefix marker skips everything under it),
// rolling keys up to the first `delimiter` after `prefix` into common prefixes, until
// `max_keys` keys and prefixes have been taken.
ListPage ListKeys(const std::vector<std::string>& keys, const std::string& prefix,
                  const std::string& delimiter, const std::string& marker, int max_keys);

// Splits an x-amz-copy-source ("bucket/key", "/bucket/key", "bucket/key?versionId=..",
// percent-encoded). False when it names no bucket and key.
bool ParseCopySource(const std::string& source, std::string* bucket, std::string* key);

// The TagSet ([{"Key", "Value"}]) of an x-amz-tagging header ("k1=v1&k2=v2", form-encoded).
nlohmann::json ParseTaggingHeader(std::string_view text);

// "Wed, 21 Oct 2015 07:28:00 GMT" (also RFC 850 and asctime) -> seconds since the epoch.
std::optional<int64_t> ParseHttpDate(std::string_view text);

}  // namespace cf::cloud::s3
