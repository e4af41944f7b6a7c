// DescribeImages over the local cloud's image catalogue (images.h).

#include <fmt/core.h>

#include <set>

#include "cloud/ec2/describe.h"
#include "cloud/ec2/ec2_common.h"
#include "cloud/ec2/ec2_service.h"
#include "cloud/ec2/images.h"

namespace cf::cloud::ec2 {

ServiceResult Ec2Service::DescribeImages(const ServiceCall& call) {
  std::vector<std::string> ids = StringList(call.input, "ImageIds");
  std::vector<std::string> owners = StringList(call.input, "Owners");
  std::set<std::string> missing(ids.begin(), ids.end());
  std::vector<Json> images;
  for (const Json& image : KnownImages()) {
    std::string id = image["ImageId"];
    if (!ids.empty() && missing.erase(id) == 0) {
      continue;
    }
    bool owned = owners.empty();
    for (const std::string& owner : owners) {
      owned = owned || owner == image.value("OwnerId", "") ||
              owner == image.value("ImageOwnerAlias", "");
    }
    if (owned) {
      images.push_back(image);
    }
  }
  for (const std::string& id : missing) {
    if (!IsResourceId(id, "ami")) {
      return ServiceError{"InvalidAMIID.Malformed",
                          fmt::format("Invalid id: \"{}\" (expecting \"ami-...\")", id), 400, true};
    }
    return ServiceError{"InvalidAMIID.NotFound",
                        fmt::format("The image id '[{}]' does not exist", id), 400, true};
  }
  static const FilterValues kFilters = MemberFilters({
      {"image-id", "ImageId"},
      {"name", "Name"},
      {"description", "Description"},
      {"architecture", "Architecture"},
      {"owner-id", "OwnerId"},
      {"owner-alias", "ImageOwnerAlias"},
      {"state", "State"},
      {"image-type", "ImageType"},
      {"is-public", "Public"},
      {"root-device-type", "RootDeviceType"},
      {"root-device-name", "RootDeviceName"},
      {"virtualization-type", "VirtualizationType"},
      {"hypervisor", "Hypervisor"},
      {"platform-details", "PlatformDetails"},
      {"ena-support", "EnaSupport"},
      {"block-device-mapping.volume-type", "BlockDeviceMappings[].Ebs.VolumeType"},
  });
  return ToResult(FilterAndPage(std::move(images), call.input, kFilters, "ImageId", "Images",
                                Visible, call.input.contains("MaxResults")));
}

}  // namespace cf::cloud::ec2
