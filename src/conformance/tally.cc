#include "conformance/tally.h"

#include <fstream>

namespace cf::conformance {

void Tally::Pass(const std::string& name) {
  if (known_failures_.count(name) > 0) {
    ++failed_;
    std::printf("FAIL %s: passes but is listed as a known failure; remove it from the list\n",
                name.c_str());
    return;
  }
  ++passed_;
}

void Tally::Fail(const std::string& name, const std::string& why) {
  if (known_failures_.count(name) > 0) {
    ++skipped_;
    return;
  }
  ++failed_;
  std::printf("FAIL %s: %s\n", name.c_str(), why.c_str());
}

int Tally::Finish() const {
  if (skipped_ > 0) {
    std::printf("%d passed, %d failed, %d skipped\n", passed_, failed_, skipped_);
  } else {
    std::printf("%d passed, %d failed\n", passed_, failed_);
  }
  std::fflush(stdout);
  return failed_ == 0 ? 0 : 1;
}

std::set<std::string> ReadNameList(const std::string& path) {
  std::set<std::string> names;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.pop_back();
    }
    if (!line.empty() && line[0] != '#') {
      names.insert(line);
    }
  }
  return names;
}

}  // namespace cf::conformance
