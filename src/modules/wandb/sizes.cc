#include "modules/wandb/sizes.h"

#include <string>

namespace cf::modules::wandb {

Result<SizePreset> LookupSize(std::string_view size) {
  std::string names;
  for (const SizePreset& preset : kSizePresets) {
    if (preset.name == size) {
      return preset;
    }
    if (!names.empty()) {
      names += ", ";
    }
    names += preset.name;
  }
  return InvalidArgumentError("size \"" + std::string(size) + "\" is not one of " + names);
}

}  // namespace cf::modules::wandb
