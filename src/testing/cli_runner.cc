#include "testing/cli_runner.h"

namespace cf {

std::string Slurp(std::FILE* f) {
  std::string text;
  std::rewind(f);
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) {
    text.append(buffer, n);
  }
  std::fclose(f);
  return text;
}

CommandOutput CaptureOutput(const std::function<int(std::FILE* out, std::FILE* err)>& run) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  int code = run(out, err);
  return {code, Slurp(out), Slurp(err)};
}

}  // namespace cf
