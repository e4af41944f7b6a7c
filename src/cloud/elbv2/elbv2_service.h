#pragma once

// Elastic Load Balancing v2 for the local cloud (query protocol, signing name
// "elasticloadbalancing"): application and network load balancers, target groups (instance
// and ip targets), listeners with default actions and rules, attributes and tags, with
// ELBv2's error codes. The control plane keeps its documents in the Store, keyed by ARN
// (account and region are inside the ARN):
//   elbv2/lb        the LoadBalancer shape, plus "_address" (its loopback address),
//                   "_created_ms", "_attributes" {key: value}, "_tags" [{Key, Value}]
//   elbv2/tg        the TargetGroup shape, plus "_targets" [{Id, Port}], "_attributes", "_tags"
//   elbv2/listener  the Listener shape, plus "_default_rule", "_extra_certificates", "_tags"
//   elbv2/rule      the Rule shape, plus "_listener" (its listener's ARN), "_tags"
// Other services read two of these: ACM reads elbv2/listener's Certificates (in use or not).
//
// Every load balancer gets its own address in 127.240.0.0/16 (the lowest free one) and
// reports it as its DNSName, so that clients on this machine reach it by that name with no
// resolver setup (docs/local-cloud.md, "ELBv2"). State is "provisioning" until the latency
// profile's "elbv2:LoadBalancer" delay has passed since creation, then "active".
//
// The data plane (data_plane.h) serves the listeners; this service hands it the whole
// configuration after every change and once a second (instances that start or stop move their
// targets), and on construction (the listeners of a restarted cloud serve again).

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>

#include "cloud/autoscaling/group_members.h"
#include "cloud/core/context.h"
#include "cloud/core/operation_table.h"
#include "cloud/elbv2/data_plane.h"
#include "cloud/elbv2/instance_directory.h"

namespace cf::cloud::elbv2 {

inline constexpr char kLoadBalancerNs[] = "elbv2/lb";
inline constexpr char kTargetGroupNs[] = "elbv2/tg";
inline constexpr char kListenerNs[] = "elbv2/listener";
inline constexpr char kRuleNs[] = "elbv2/rule";

struct Elbv2Options {
  // Proxy threads (shared with the health checker).
  int threads = 1;
  // How often the data plane is re-synchronized with the store (instances may move).
  std::chrono::milliseconds resync_interval{1000};
};

// Also the target health Auto Scaling consults for groups with HealthCheckType ELB; the
// instances of groups attached to a target group (TargetGroupARNs) are its targets, on the
// group's port, beside the registered ones.
class Elbv2Service : public TableService<Elbv2Service>, public autoscaling::TargetHealthSource {
 public:
  // `directory` (null: EC2's documents in the Store) must outlive the service.
  Elbv2Service(const ServiceContext& context, Elbv2Options options = {},
               const InstanceDirectory* directory = nullptr);
  ~Elbv2Service() override;

  std::string name() const override { return "elasticloadbalancing"; }
  // The table's Handle, then (after a successful call that is not a Describe*, once its
  // changes are committed) Sync().
  ServiceResult Handle(const ServiceCall& call) override;
  Status Reset() override;

  // Re-reads the store and reconfigures the data plane; returns the listeners that cannot
  // serve, by ARN, with the reason.
  std::map<std::string, std::string> Sync();
  const DataPlane& data_plane() const { return data_plane_; }

  std::optional<bool> Healthy(const std::string& region, const std::string& target_group_arn,
                              const std::string& instance_id) override;

 private:
  static const OperationTable<Elbv2Service>& Operations();

  // Load balancers, attributes and tags (elbv2_load_balancers.cc).
  ServiceResult CreateLoadBalancer(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeLoadBalancers(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteLoadBalancer(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeLoadBalancerAttributes(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyLoadBalancerAttributes(const ServiceCall& call, CallTxn& txn);
  ServiceResult SetSecurityGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult AddTags(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemoveTags(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeTags(const ServiceCall& call, CallTxn& txn);
  // Target groups and targets (elbv2_target_groups.cc).
  ServiceResult CreateTargetGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeTargetGroups(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyTargetGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteTargetGroup(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeTargetGroupAttributes(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyTargetGroupAttributes(const ServiceCall& call, CallTxn& txn);
  ServiceResult RegisterTargets(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeregisterTargets(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeTargetHealth(const ServiceCall& call, CallTxn& txn);
  // Listeners, rules and certificates (elbv2_listeners.cc).
  ServiceResult CreateListener(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeListeners(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyListener(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteListener(const ServiceCall& call, CallTxn& txn);
  ServiceResult CreateRule(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeRules(const ServiceCall& call, CallTxn& txn);
  ServiceResult ModifyRule(const ServiceCall& call, CallTxn& txn);
  ServiceResult DeleteRule(const ServiceCall& call, CallTxn& txn);
  ServiceResult SetRulePriorities(const ServiceCall& call, CallTxn& txn);
  ServiceResult AddListenerCertificates(const ServiceCall& call, CallTxn& txn);
  ServiceResult RemoveListenerCertificates(const ServiceCall& call, CallTxn& txn);
  ServiceResult DescribeListenerCertificates(const ServiceCall& call, CallTxn& txn);

  void ResyncLoop();

  ServiceContext context_;
  Elbv2Options options_;
  StoreInstanceDirectory store_directory_;
  const InstanceDirectory& directory_;
  DataPlane data_plane_;
  std::mutex sync_mu_;  // one Sync at a time

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;  // guarded by loop_mu_
  std::thread resync_thread_;
};

}  // namespace cf::cloud::elbv2
