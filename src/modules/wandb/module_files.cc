#include "modules/wandb/schema.h"

namespace cf::modules::wandb {

std::string_view WandbLocalsTf();
std::string_view WandbNetworkTf();
std::string_view WandbKmsTf();
std::string_view WandbFileStorageTf();
std::string_view WandbDatabaseTf();
std::string_view WandbRedisTf();
std::string_view WandbEksTf();
std::string_view WandbAppLbTf();
std::string_view WandbPrivateLinkTf();
std::string_view WandbAcmTf();
std::string_view WandbOutputsTf();

std::vector<ModuleFile> WandbModuleFiles() {
  return {
      {"variables.tf", WandbVariablesTf()},
      {"locals.tf", WandbLocalsTf()},
      {"network.tf", WandbNetworkTf()},
      {"kms.tf", WandbKmsTf()},
      {"file_storage.tf", WandbFileStorageTf()},
      {"database.tf", WandbDatabaseTf()},
      {"redis.tf", WandbRedisTf()},
      {"eks.tf", WandbEksTf()},
      {"app_lb.tf", WandbAppLbTf()},
      {"private_link.tf", WandbPrivateLinkTf()},
      {"acm.tf", WandbAcmTf()},
      {"outputs.tf", WandbOutputsTf()},
  };
}

}  // namespace cf::modules::wandb
