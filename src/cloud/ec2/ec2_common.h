#pragma once

// Helpers shared by the EC2 service's files (not a public interface).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cloud/core/service.h"
#include "cloud/core/store.h"
#include "cloud/ec2/describe.h"

namespace cf::cloud::ec2 {

// One kind of EC2 resource kept in the Store.
struct ResourceType {
  const char* prefix;     // "vpc"
  const char* ns;         // "ec2/vpc"
  const char* id_member;  // "VpcId"
  const char* tag_type;   // DescribeTags' resource-type: "vpc", "security-group", ...
  const char* not_found;  // "InvalidVpcID.NotFound"
  const char* noun;       // "vpc" in "The vpc ID '...' does not exist"
};

extern const ResourceType kVpcType;
extern const ResourceType kSubnetType;
extern const ResourceType kInternetGatewayType;
extern const ResourceType kSecurityGroupType;
extern const ResourceType kKeyPairType;
extern const ResourceType kRouteTableType;
extern const ResourceType kAddressType;
extern const ResourceType kNatGatewayType;
extern const ResourceType kPlacementGroupType;
extern const ResourceType kLaunchTemplateType;
extern const ResourceType kNetworkInterfaceType;
extern const ResourceType kVpcEndpointType;
extern const ResourceType kFlowLogType;
extern const ResourceType kInstanceType;
extern const ResourceType kVolumeType;
// Every taggable type.
const std::vector<const ResourceType*>& ResourceTypes();
// The type of an id by its prefix; null when none.
const ResourceType* TypeOfId(const std::string& id);

ServiceError StoreFailure(const Status& status);
ServiceError NotFound(const ResourceType& type, const std::string& id);
// Store key of a resource: "<region>/<id>".
std::string Key(const ServiceCall& call, const std::string& id);
std::vector<std::string> StringList(const Json& input, const char* name);
std::vector<std::string> Strings(std::initializer_list<std::string> values);

// The tags of `TagSpecifications` for `resource_type` (an error for a spec of another type,
// or for tags AWS refuses).
std::variant<std::map<std::string, std::string>, ServiceError> SpecTags(
    const Json& input, const std::string& resource_type);
std::optional<ServiceError> CheckTags(const std::map<std::string, std::string>& tags);

// The resource without internal members ("_..."), and without an empty Tags list.
Json Visible(Json resource);

// Reads a resource inside `txn`; NotFound error when absent.
std::variant<Json, ServiceError> GetResource(StoreTxn& txn, const ResourceType& type,
                                             const ServiceCall& call, const std::string& id);

// The region's resources of a type, restricted to `ids` when given (each must exist).
std::variant<std::vector<Json>, ServiceError> ListResources(Store& store, const ServiceCall& call,
                                                            const ResourceType& type,
                                                            const std::vector<std::string>& ids);

// The region's resources of a type inside `txn` (all of them, in id order).
std::variant<std::vector<Json>, ServiceError> ListIn(StoreTxn& txn, const ServiceCall& call,
                                                     const ResourceType& type);

// Puts `resource` (keyed by its id member) inside `txn`.
std::optional<ServiceError> PutResource(StoreTxn& txn, const ServiceCall& call,
                                        const ResourceType& type, const Json& resource);

// Deletes the interface `id` inside `txn` and gives its address back to its subnet
// (ec2_interfaces.cc). OK when it is already gone.
std::optional<ServiceError> RemoveNetworkInterface(StoreTxn& txn, const ServiceCall& call,
                                                   const std::string& id);

// A launch template version, resolved (ec2_templates.cc).
struct ResolvedTemplate {
  std::string id;
  std::string name;
  int64_t version = 0;
  Json data;  // LaunchTemplateData as the version stores it
};
// The version `specification` names: {LaunchTemplateId | LaunchTemplateName, Version
// ("$Default" when absent, "$Latest" or a number)}; the errors EC2 gives otherwise.
std::variant<ResolvedTemplate, ServiceError> ResolveLaunchTemplate(StoreTxn& txn,
                                                                   const ServiceCall& call,
                                                                   const Json& specification);

// Commits `txn` and answers `output`, or the store's failure.
ServiceResult CommitWith(StoreTxn& txn, Json output);

// "InvalidParameterValue" with `message`.
ServiceError InvalidValue(std::string message);
// "MissingParameter": "The request must contain the parameter NAME".
ServiceError MissingParameter(const std::string& name);

// A Describe answer or its error as the service's result.
ServiceResult ToResult(std::variant<Json, ServiceError> page);

// A whole Describe call: the region's resources of `type` (only those named in
// input[ids_member] when given, each of which must exist), filtered, viewed and paginated as
// FilterAndPage does.
ServiceResult DescribeStored(Store& store, const ServiceCall& call, const ResourceType& type,
                             const char* ids_member, const FilterValues& values,
                             const std::string& list_name,
                             const std::function<Json(Json)>& view = Visible, bool paginate = true);

}  // namespace cf::cloud::ec2
