#include "cloud/elbv2/instance_directory.h"

namespace cf::cloud::elbv2 {

std::optional<InstanceFacts> StoreInstanceDirectory::Find(StoreTxn& txn, const std::string& region,
                                                          const std::string& instance_id) const {
  Result<std::optional<Json>> doc = txn.Get("ec2/instance", region + "/" + instance_id);
  if (!doc.ok() || !*doc || !(*doc)->is_object()) {
    return std::nullopt;
  }
  const Json& instance = **doc;
  InstanceFacts facts;
  facts.private_ip = instance.value("PrivateIpAddress", "");
  if (instance.contains("State") && instance["State"].is_object()) {
    facts.state = instance["State"].value("Name", "");
  }
  facts.vpc_id = instance.value("VpcId", "");
  if (instance.contains("Placement") && instance["Placement"].is_object()) {
    facts.zone = instance["Placement"].value("AvailabilityZone", "");
  }
  return facts;
}

}  // namespace cf::cloud::elbv2
