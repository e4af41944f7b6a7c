#include "conformance/suites.h"

namespace cf::conformance {

int HclMain(const std::vector<std::string>& args);
int HclJsonMain(const std::vector<std::string>& args);
int Sigv4Main(const std::vector<std::string>& args);
int AwsProtocolsMain(const std::vector<std::string>& args);

const std::vector<Suite>& AllSuites() {
  static const std::vector<Suite> kSuites = {
      {"hcl", "DIR [--known-failures FILE]: parse every .tf, compare with its .json/.error",
       HclMain},
      {"hcl-json", "FILE: print FILE's body in the hcl2json format", HclJsonMain},
      {"sigv4", "DIR [--known-failures FILE]: the aws-c-auth SigV4 cases", Sigv4Main},
      {"aws-protocols", "DIR [--known-failures FILE]: botocore protocol tests (aws codecs)",
       AwsProtocolsMain},
  };
  return kSuites;
}

}  // namespace cf::conformance
