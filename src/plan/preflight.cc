#include "plan/preflight.h"

namespace cf::plan {

std::vector<Finding> Preflight(const graph::DesiredState& desired) {
  (void)desired;
  return {};
}

}  // namespace cf::plan
