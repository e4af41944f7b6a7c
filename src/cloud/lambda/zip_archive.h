#pragma once

// A small reader of ZIP archives (PKWARE APPNOTE: local headers, central directory, end of
// central directory), enough for Lambda deployment packages: stored and deflated entries,
// CRC-32 checked, Unix permission bits from the central directory. ZIP64, encryption and
// multi-disk archives are refused.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cf::cloud::lambda {

struct ZipEntry {
  std::string name;   // as stored ("bin/bootstrap"); directories end with '/'
  uint32_t mode = 0;  // Unix st_mode bits when the archive carries them, else 0
  std::string data;   // the uncompressed bytes (empty for directories)
  bool directory() const { return !name.empty() && name.back() == '/'; }
};

// Every entry of `archive`, in central-directory order. InvalidArgument describing the
// problem for anything that is not a readable ZIP, and for entry names that are absolute or
// climb out with "..".
Result<std::vector<ZipEntry>> ReadZip(std::string_view archive);

// Writes `entries` under `directory` (created), files with their mode (0644 when none; the
// owner-execute bit kept). Internal naming the file on failure.
Status ExtractZip(const std::vector<ZipEntry>& entries, const std::string& directory);

// A ZIP of `entries` with stored (uncompressed) members: for tests and for packages the
// local cloud builds itself.
std::string WriteZip(const std::vector<ZipEntry>& entries);

}  // namespace cf::cloud::lambda
