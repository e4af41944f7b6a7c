#include "conformance/suites.h"

namespace cf::conformance {

int AwsProtocolsMain(const std::vector<std::string>& args);

const std::vector<Suite>& AllSuites() {
  static const std::vector<Suite> kSuites = {
      {"aws-protocols", "DIR [--known-failures FILE]  botocore protocol tests (aws codecs)",
       AwsProtocolsMain},
  };
  return kSuites;
}

}  // namespace cf::conformance
