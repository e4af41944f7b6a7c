#pragma once

// The machine images the local cloud knows (DescribeImages) and the public SSM parameters
// that name them (`/aws/service/ami-amazon-linux-latest/...`, what launch templates resolve
// with `resolve:ssm:`). Every instance runs the host's own bash whatever its image; the
// catalogue exists so that lookups by name, owner and architecture (the modules'
// `data "aws_ami"` and SSM aliases) answer as on AWS. The same ids in every region.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cf::cloud::ec2 {

// Amazon's owner id for Amazon Linux images.
inline constexpr char kAmazonOwnerId[] = "137112412989";

// The catalogue, as DescribeImages' Image shape, ordered by id.
const std::vector<nlohmann::json>& KnownImages();
// The image `id`, or nullopt.
std::optional<nlohmann::json> FindImage(const std::string& id);

// A public parameter (GetParameter's Parameter shape without ARN, region-independent):
// {Name, Type "String", Value "ami-...", Version, LastModifiedDate, DataType "aws:ec2:image"}.
struct PublicParameter {
  std::string name;
  std::string value;
};
// Every public parameter, ordered by name.
const std::vector<PublicParameter>& PublicParameters();
// The value of public parameter `name`, or nullopt.
std::optional<std::string> FindPublicParameter(const std::string& name);

// Where user parameters live in the Store (owned by the SSM service, read by EC2 to resolve
// `resolve:ssm:NAME`): namespace "ssm/parameter", key "REGION/NAME", document with the
// Parameter shape's members (Name, Type, Value, Version, ...).
inline constexpr char kSsmParameterNamespace[] = "ssm/parameter";

}  // namespace cf::cloud::ec2
