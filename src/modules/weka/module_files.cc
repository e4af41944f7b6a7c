#include "modules/weka/schema.h"

namespace cf::modules::weka {

// The embedded body files (cf_embed in CMakeLists.txt).
std::string_view WekaLocalsTf();
std::string_view WekaNetworkTf();
std::string_view WekaSecurityGroupTf();
std::string_view WekaIamTf();
std::string_view WekaEndpointsTf();
std::string_view WekaComputeTf();
std::string_view WekaUserDataTf();
std::string_view WekaAlbTf();
std::string_view WekaStateTf();
std::string_view WekaSecretsTf();
std::string_view WekaLambdasTf();
std::string_view WekaScaleDownTf();
std::string_view WekaGatewaysTf();
std::string_view WekaDataServicesTf();
std::string_view WekaClientsTf();
std::string_view WekaOutputsTf();

std::vector<ModuleFile> WekaModuleFiles() {
  return {
      {"variables.tf", WekaVariablesTf()},
      {"locals.tf", WekaLocalsTf()},
      {"network.tf", WekaNetworkTf()},
      {"security_group.tf", WekaSecurityGroupTf()},
      {"iam.tf", WekaIamTf()},
      {"endpoints.tf", WekaEndpointsTf()},
      {"compute.tf", WekaComputeTf()},
      {"user_data.tf", WekaUserDataTf()},
      {"alb.tf", WekaAlbTf()},
      {"state.tf", WekaStateTf()},
      {"secrets.tf", WekaSecretsTf()},
      {"lambdas.tf", WekaLambdasTf()},
      {"scale_down.tf", WekaScaleDownTf()},
      {"gateways.tf", WekaGatewaysTf()},
      {"data_services.tf", WekaDataServicesTf()},
      {"clients.tf", WekaClientsTf()},
      {"outputs.tf", WekaOutputsTf()},
  };
}

}  // namespace cf::modules::weka
