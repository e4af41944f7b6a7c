#pragma once

// The conformance suites. Each takes its arguments (after the suite name) and returns the
// process exit code: 0 when every case passed, 1 when one failed, 2 on a usage error.

#include <string>
#include <vector>

namespace cf::conformance {

using SuiteMain = int (*)(const std::vector<std::string>& args);

struct Suite {
  const char* name;
  const char* usage;
  SuiteMain main;
};

// Every suite this build has, in the order `--list` prints them.
const std::vector<Suite>& AllSuites();

}  // namespace cf::conformance
