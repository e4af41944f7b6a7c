#include "conformance/suites.h"

namespace cf::conformance {

int HclMain(const std::vector<std::string>& args);
int HclJsonMain(const std::vector<std::string>& args);

const std::vector<Suite>& AllSuites() {
  static const std::vector<Suite> kSuites = {
      {"hcl", "DIR [--known-failures FILE]: parse every .tf, compare with its .json/.error",
       HclMain},
      {"hcl-json", "FILE: print FILE's body in the hcl2json format", HclJsonMain},
  };
  return kSuites;
}

}  // namespace cf::conformance
