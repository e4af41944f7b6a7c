#include "control/time_scale.h"

#include <cmath>
#include <cstdlib>

namespace cf::control {

double TimeScaleFromEnvironment(const std::map<std::string, std::string>& env) {
  auto it = env.find(kTimeScaleVariable);
  if (it == env.end() || it->second.empty()) {
    return 1.0;
  }
  char* end = nullptr;
  double scale = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || *end != '\0' || !std::isfinite(scale) || scale <= 0) {
    return 1.0;
  }
  return scale;
}

std::chrono::nanoseconds Scaled(std::chrono::nanoseconds d, double scale) {
  return std::chrono::nanoseconds(
      static_cast<int64_t>(std::llround(static_cast<double>(d.count()) * scale)));
}

}  // namespace cf::control
