#include "modules/wandb/schema.h"

namespace cf::modules::wandb {

std::vector<ModuleFile> WandbModuleFiles() {
  return {
      {"variables.tf", WandbVariablesTf()},
  };
}

}  // namespace cf::modules::wandb
