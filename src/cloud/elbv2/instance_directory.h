#pragma once

// Where instance targets are: the seam between ELBv2 and EC2's instances. A target group of
// target_type "instance" registers instance ids; the data plane needs each one's private
// address, and only running instances take traffic. StoreInstanceDirectory reads EC2's
// documents ("ec2/instance", key "<region>/<instance-id>", the EC2 model's Instance shape:
// PrivateIpAddress, State.Name, VpcId, Placement.AvailabilityZone); another EC2 data layout
// only needs another implementation.

#include <optional>
#include <string>

#include "cloud/core/store.h"

namespace cf::cloud::elbv2 {

struct InstanceFacts {
  std::string private_ip;
  std::string state;  // "pending", "running", "stopped", ...
  std::string vpc_id;
  std::string zone;
};

class InstanceDirectory {
 public:
  virtual ~InstanceDirectory() = default;
  // The instance, read inside `txn`; nullopt when EC2 does not know it.
  virtual std::optional<InstanceFacts> Find(StoreTxn& txn, const std::string& region,
                                            const std::string& instance_id) const = 0;
};

class StoreInstanceDirectory : public InstanceDirectory {
 public:
  std::optional<InstanceFacts> Find(StoreTxn& txn, const std::string& region,
                                    const std::string& instance_id) const override;
};

}  // namespace cf::cloud::elbv2
