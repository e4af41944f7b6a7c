#pragma once

// Counting for conformance runners: one line per failure as it happens, then the closing
// line "N passed, M failed" that scripts/test and CI read.

#include <cstdio>
#include <set>
#include <string>

#include "base/status.h"

namespace cf::conformance {

class Tally {
 public:
  // `known_failures`: case names expected to fail (see tests/conformance/*.xfail). They are
  // reported as "skipped"; one of them passing is itself a failure, so the list cannot rot.
  explicit Tally(std::set<std::string> known_failures = {})
      : known_failures_(std::move(known_failures)) {}

  void Pass(const std::string& name);
  void Fail(const std::string& name, const std::string& why);

  int passed() const { return passed_; }
  int failed() const { return failed_; }
  int skipped() const { return skipped_; }

  // Prints "N passed, M failed[, K skipped]" and returns the process exit code.
  int Finish() const;

 private:
  std::set<std::string> known_failures_;
  int passed_ = 0;
  int failed_ = 0;
  int skipped_ = 0;
};

// Reads a list of case names, one a line; blank lines and lines starting with '#' are
// ignored. A missing file is an empty list.
std::set<std::string> ReadNameList(const std::string& path);

}  // namespace cf::conformance
