#include <string>
#include <vector>

#include "cli/app.h"

int main(int argc, char** argv) {
  return cf::cli::RunCli(std::vector<std::string>(argv, argv + argc), cf::cli::Io{});
}
