#include "conformance/suites.h"

namespace cf::conformance {

int AwsProtocolsMain(const std::vector<std::string>& args);
int Sigv4Main(const std::vector<std::string>& args);

const std::vector<Suite>& AllSuites() {
  static const std::vector<Suite> kSuites = {
      {"aws-protocols", "DIR [--known-failures FILE]  botocore protocol tests (aws codecs)",
       AwsProtocolsMain},
      {"sigv4", "DIR [--known-failures FILE]  the aws-c-auth SigV4 cases", &Sigv4Main},
  };
  return kSuites;
}

}  // namespace cf::conformance
