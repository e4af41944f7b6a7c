// clusterform-conformance SUITE ARGS...: runs one conformance suite over ../shared/conformance.

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "conformance/suites.h"

namespace {

void PrintUsage() {
  std::fprintf(stderr,
               "usage: clusterform-conformance SUITE ARGS...\n       "
               "clusterform-conformance --list\nsuites:\n");
  for (const auto& suite : cf::conformance::AllSuites()) {
    std::fprintf(stderr, "  %-14s %s\n", suite.name, suite.usage);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage();
    return 2;
  }
  if (std::strcmp(argv[1], "--list") == 0) {
    for (const auto& suite : cf::conformance::AllSuites()) {
      std::printf("%s\n", suite.name);
    }
    return 0;
  }
  for (const auto& suite : cf::conformance::AllSuites()) {
    if (suite.name == std::string(argv[1])) {
      return suite.main(std::vector<std::string>(argv + 2, argv + argc));
    }
  }
  std::fprintf(stderr, "clusterform-conformance: unknown suite \"%s\"\n", argv[1]);
  PrintUsage();
  return 2;
}
