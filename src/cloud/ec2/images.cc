#include "cloud/ec2/images.h"

#include <algorithm>

namespace cf::cloud::ec2 {

namespace {

using Json = nlohmann::json;

Json Image(const std::string& id, const std::string& name, const std::string& architecture,
           const std::string& created, const std::string& snapshot,
           const std::string& description) {
  return Json{
      {"ImageId", id},
      {"ImageLocation", "amazon/" + name},
      {"State", "available"},
      {"OwnerId", kAmazonOwnerId},
      {"ImageOwnerAlias", "amazon"},
      {"CreationDate", created},
      {"Public", true},
      {"Architecture", architecture},
      {"ImageType", "machine"},
      {"Name", name},
      {"Description", description},
      {"RootDeviceType", "ebs"},
      {"RootDeviceName", "/dev/xvda"},
      {"VirtualizationType", "hvm"},
      {"Hypervisor", "xen"},
      {"EnaSupport", true},
      {"SriovNetSupport", "simple"},
      {"PlatformDetails", "Linux/UNIX"},
      {"UsageOperation", "RunInstances"},
      {"BootMode", "uefi-preferred"},
      {"ImdsSupport", "v2.0"},
      {"DeprecationTime", "2026-12-12T00:00:00.000Z"},
      {"BlockDeviceMappings", Json::array({{{"DeviceName", "/dev/xvda"},
                                            {"Ebs",
                                             {{"DeleteOnTermination", true},
                                              {"SnapshotId", snapshot},
                                              {"VolumeSize", 8},
                                              {"VolumeType", "gp3"},
                                              {"Iops", 3000},
                                              {"Throughput", 125},
                                              {"Encrypted", false}}}}})},
  };
}

}  // namespace

const std::vector<Json>& KnownImages() {
  static const std::vector<Json> kImages = [] {
    std::vector<Json> images = {
        Image("ami-0a3c3a20c09d6f377", "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64", "x86_64",
              "2024-12-13T21:45:35.000Z", "snap-0a1b2c3d4e5f60718",
              "Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1"),
        Image("ami-0c4e709339fa8521a", "al2023-ami-2023.6.20241212.0-kernel-6.1-arm64", "arm64",
              "2024-12-13T21:45:40.000Z", "snap-0b2c3d4e5f6071829",
              "Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1"),
        Image("ami-05576a079321f21f8", "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64", "x86_64",
              "2024-11-22T18:03:12.000Z", "snap-0c3d4e5f607182930",
              "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1"),
        Image("ami-01816d07b1128cd2d", "amzn2-ami-hvm-2.0.20241217.0-x86_64-gp2", "x86_64",
              "2024-12-18T19:52:11.000Z", "snap-0d4e5f60718293a4b",
              "Amazon Linux 2 AMI 2.0.20241217.0 x86_64 HVM gp2"),
    };
    std::sort(images.begin(), images.end(), [](const Json& a, const Json& b) {
      return a["ImageId"].get<std::string>() < b["ImageId"].get<std::string>();
    });
    return images;
  }();
  return kImages;
}

std::optional<Json> FindImage(const std::string& id) {
  for (const Json& image : KnownImages()) {
    if (image["ImageId"] == id) {
      return image;
    }
  }
  return std::nullopt;
}

const std::vector<PublicParameter>& PublicParameters() {
  static const std::vector<PublicParameter> kParameters = [] {
    const std::string prefix = "/aws/service/ami-amazon-linux-latest/";
    std::vector<PublicParameter> parameters = {
        {prefix + "al2023-ami-kernel-6.1-x86_64", "ami-0a3c3a20c09d6f377"},
        {prefix + "al2023-ami-kernel-default-x86_64", "ami-0a3c3a20c09d6f377"},
        {prefix + "al2023-ami-minimal-kernel-default-x86_64", "ami-0a3c3a20c09d6f377"},
        {prefix + "al2023-ami-kernel-6.1-arm64", "ami-0c4e709339fa8521a"},
        {prefix + "al2023-ami-kernel-default-arm64", "ami-0c4e709339fa8521a"},
        {prefix + "amzn2-ami-hvm-x86_64-gp2", "ami-01816d07b1128cd2d"},
        {prefix + "amzn2-ami-kernel-5.10-hvm-x86_64-gp2", "ami-01816d07b1128cd2d"},
    };
    std::sort(parameters.begin(), parameters.end(),
              [](const PublicParameter& a, const PublicParameter& b) { return a.name < b.name; });
    return parameters;
  }();
  return kParameters;
}

std::optional<std::string> FindPublicParameter(const std::string& name) {
  for (const PublicParameter& parameter : PublicParameters()) {
    if (parameter.name == name) {
      return parameter.value;
    }
  }
  return std::nullopt;
}

}  // namespace cf::cloud::ec2
