#include "modules/weka/schema.h"

namespace cf::modules::weka {

std::vector<ModuleFile> WekaModuleFiles() {
  return {
      {"variables.tf", WekaVariablesTf()},
  };
}

}  // namespace cf::modules::weka
