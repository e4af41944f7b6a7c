#include "cloud/elbv2/elbv2_service.h"

#include <fmt/core.h>

#include <algorithm>

#include "cloud/elbv2/elbv2_common.h"

namespace cf::cloud::elbv2 {

namespace {

// The health-check settings of a stored target group.
HealthCheckSpec HealthOf(const Json& tg) {
  HealthCheckSpec spec;
  spec.enabled = tg.value("HealthCheckEnabled", true);
  spec.protocol = tg.value("HealthCheckProtocol", tg.value("Protocol", "HTTP"));
  spec.path = tg.value("HealthCheckPath", "/");
  std::string port = tg.value("HealthCheckPort", "traffic-port");
  if (port != "traffic-port" && !port.empty() &&
      port.find_first_not_of("0123456789") == std::string::npos) {
    spec.port = static_cast<uint16_t>(std::stoi(port));
  }
  spec.interval = std::chrono::seconds(tg.value("HealthCheckIntervalSeconds", int64_t{30}));
  spec.timeout = std::chrono::seconds(tg.value("HealthCheckTimeoutSeconds", int64_t{5}));
  spec.healthy_threshold = static_cast<int>(tg.value("HealthyThresholdCount", int64_t{5}));
  spec.unhealthy_threshold = static_cast<int>(tg.value("UnhealthyThresholdCount", int64_t{2}));
  if (tg.contains("Matcher") && tg["Matcher"].contains("HttpCode")) {
    spec.matcher = tg["Matcher"]["HttpCode"].get<std::string>();
  }
  return spec;
}

// "arn:aws:elasticloadbalancing:REGION:..." -> REGION.
std::string RegionOfArn(const std::string& arn) {
  size_t start = std::string("arn:aws:elasticloadbalancing:").size();
  size_t end = arn.find(':', start);
  return end == std::string::npos ? "" : arn.substr(start, end - start);
}

}  // namespace

Elbv2Service::Elbv2Service(const ServiceContext& context, Elbv2Options options,
                           const InstanceDirectory* directory)
    : TableService(context.store, Operations()),
      context_(context),
      options_(options),
      directory_(directory != nullptr ? *directory : store_directory_),
      data_plane_(DataPlaneOptions{options.threads,
                                   [latency = &context.latency] { return latency->TimeScale(); }}) {
  Sync();
  resync_thread_ = std::thread([this] { ResyncLoop(); });
}

Elbv2Service::~Elbv2Service() {
  {
    std::lock_guard<std::mutex> lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  if (resync_thread_.joinable()) {
    resync_thread_.join();
  }
  data_plane_.Stop();
}

void Elbv2Service::ResyncLoop() {
  std::unique_lock<std::mutex> lock(loop_mu_);
  while (!stopping_) {
    loop_cv_.wait_for(lock, options_.resync_interval);
    if (stopping_) {
      break;
    }
    lock.unlock();
    Sync();
    lock.lock();
  }
}

Status Elbv2Service::Reset() {
  Sync();
  return OkStatus();
}

std::map<std::string, std::string> Elbv2Service::Sync() {
  std::lock_guard<std::mutex> lock(sync_mu_);
  DataPlaneConfig config;
  std::map<std::string, uint16_t> group_ports;
  {
    Result<StoreTxn> txn = context_.store.Begin();
    if (!txn.ok()) {
      return {{"*", txn.status().message()}};
    }
    auto lbs = txn->List(kLoadBalancerNs);
    auto listeners = txn->List(kListenerNs);
    auto rules = txn->List(kRuleNs);
    auto groups = txn->List(kTargetGroupNs);
    if (!lbs.ok() || !listeners.ok() || !rules.ok() || !groups.ok()) {
      return {{"*", "the store could not be read"}};
    }
    std::map<std::string, std::string> address_of;
    for (const auto& [arn, lb] : *lbs) {
      address_of[arn] = lb.value("_address", "");
    }
    std::map<std::string, std::vector<RuleSpec>> rules_of;
    for (const auto& [arn, rule] : *rules) {
      std::string error;
      std::optional<ActionSpec> action =
          TerminalAction(rule.value("Actions", Json::array()), &error);
      if (!action) {
        continue;
      }
      RuleSpec spec;
      spec.priority = std::atoi(rule.value("Priority", "0").c_str());
      spec.conditions = rule.value("Conditions", Json::array());
      spec.action = *action;
      rules_of[rule.value("_listener", "")].push_back(std::move(spec));
    }
    for (const auto& [arn, l] : *listeners) {
      std::string error;
      std::optional<ActionSpec> action =
          TerminalAction(l.value("DefaultActions", Json::array()), &error);
      auto lb = address_of.find(l.value("LoadBalancerArn", ""));
      if (!action || lb == address_of.end()) {
        continue;
      }
      ListenerConfig listener;
      listener.arn = arn;
      listener.address = lb->second;
      listener.port = static_cast<uint16_t>(l.value("Port", int64_t{80}));
      listener.protocol = l.value("Protocol", "HTTP");
      listener.default_action = *action;
      listener.rules = rules_of[arn];
      std::sort(listener.rules.begin(), listener.rules.end(),
                [](const RuleSpec& a, const RuleSpec& b) { return a.priority < b.priority; });
      config.listeners.push_back(std::move(listener));
    }
    for (const auto& [arn, tg] : *groups) {
      TargetGroupConfig group;
      group.arn = arn;
      group_ports[arn] = static_cast<uint16_t>(tg.value("Port", int64_t{80}));
      group.protocol = tg.value("Protocol", "HTTP");
      group.health = HealthOf(tg);
      const Json& attributes = tg.value("_attributes", Json::object());
      group.deregistration_delay = std::chrono::seconds(
          std::atoi(attributes.value("deregistration_delay.timeout_seconds", "300").c_str()));
      bool instances = tg.value("TargetType", "instance") == "instance";
      std::string region = RegionOfArn(arn);
      for (const Json& t : tg.value("_targets", Json::array())) {
        TargetConfig target;
        target.id = t.value("Id", "");
        target.port = static_cast<uint16_t>(t.value("Port", tg.value("Port", int64_t{80})));
        if (instances) {
          std::optional<InstanceFacts> facts = directory_.Find(*txn, region, target.id);
          if (facts && facts->state == "running") {
            target.address = facts->private_ip;
          }
        } else {
          target.address = target.id;
        }
        group.targets.push_back(std::move(target));
      }
      config.groups.push_back(std::move(group));
    }
  }
  // Instances of autoscaling groups attached to a target group (read outside the transaction
  // above: the autoscaling view opens its own).
  for (TargetGroupConfig& group : config.groups) {
    Result<std::vector<autoscaling::GroupTargets>> attached =
        autoscaling::GroupsForTargetGroup(context_.store, RegionOfArn(group.arn), group.arn);
    if (!attached.ok()) {
      continue;
    }
    uint16_t port = group_ports[group.arn];
    for (const autoscaling::GroupTargets& asg : *attached) {
      for (const autoscaling::GroupMember& m : asg.members) {
        bool present = std::any_of(group.targets.begin(), group.targets.end(),
                                   [&](const TargetConfig& t) { return t.id == m.instance_id; });
        if (present || m.lifecycle_state == "Terminating" || m.lifecycle_state == "Terminated" ||
            m.lifecycle_state == "Detached") {
          continue;
        }
        group.targets.push_back({m.instance_id, port, m.private_ip});
      }
    }
  }
  return data_plane_.Apply(config);
}

std::optional<bool> Elbv2Service::Healthy(const std::string& region,
                                          const std::string& target_group_arn,
                                          const std::string& instance_id) {
  if (RegionOfArn(target_group_arn) != region) {
    return std::nullopt;
  }
  for (const TargetHealthReport& r : data_plane_.Health(target_group_arn)) {
    if (r.id != instance_id) {
      continue;
    }
    if (r.health.state == TargetState::kHealthy) {
      return true;
    }
    if (r.health.state == TargetState::kUnhealthy) {
      return false;
    }
  }
  return std::nullopt;
}

const OperationTable<Elbv2Service>& Elbv2Service::Operations() {
  static const OperationTable<Elbv2Service> kTable(
      {
          {"CreateLoadBalancer", &Elbv2Service::CreateLoadBalancer},
          {"DescribeLoadBalancers", &Elbv2Service::DescribeLoadBalancers},
          {"DeleteLoadBalancer", &Elbv2Service::DeleteLoadBalancer},
          {"DescribeLoadBalancerAttributes", &Elbv2Service::DescribeLoadBalancerAttributes},
          {"ModifyLoadBalancerAttributes", &Elbv2Service::ModifyLoadBalancerAttributes},
          {"SetSecurityGroups", &Elbv2Service::SetSecurityGroups},
          {"AddTags", &Elbv2Service::AddTags},
          {"RemoveTags", &Elbv2Service::RemoveTags},
          {"DescribeTags", &Elbv2Service::DescribeTags},
          {"CreateTargetGroup", &Elbv2Service::CreateTargetGroup},
          {"DescribeTargetGroups", &Elbv2Service::DescribeTargetGroups},
          {"ModifyTargetGroup", &Elbv2Service::ModifyTargetGroup},
          {"DeleteTargetGroup", &Elbv2Service::DeleteTargetGroup},
          {"DescribeTargetGroupAttributes", &Elbv2Service::DescribeTargetGroupAttributes},
          {"ModifyTargetGroupAttributes", &Elbv2Service::ModifyTargetGroupAttributes},
          {"RegisterTargets", &Elbv2Service::RegisterTargets},
          {"DeregisterTargets", &Elbv2Service::DeregisterTargets},
          {"DescribeTargetHealth", &Elbv2Service::DescribeTargetHealth},
          {"CreateListener", &Elbv2Service::CreateListener},
          {"DescribeListeners", &Elbv2Service::DescribeListeners},
          {"ModifyListener", &Elbv2Service::ModifyListener},
          {"DeleteListener", &Elbv2Service::DeleteListener},
          {"CreateRule", &Elbv2Service::CreateRule},
          {"DescribeRules", &Elbv2Service::DescribeRules},
          {"ModifyRule", &Elbv2Service::ModifyRule},
          {"DeleteRule", &Elbv2Service::DeleteRule},
          {"SetRulePriorities", &Elbv2Service::SetRulePriorities},
          {"AddListenerCertificates", &Elbv2Service::AddListenerCertificates},
          {"RemoveListenerCertificates", &Elbv2Service::RemoveListenerCertificates},
          {"DescribeListenerCertificates", &Elbv2Service::DescribeListenerCertificates},
      },
      {.internal_error = InternalFailureOf, .invalid_input = InvalidRequest});
  return kTable;
}

ServiceResult Elbv2Service::Handle(const ServiceCall& call) {
  ServiceResult result = TableService::Handle(call);
  if (result.ok() && call.operation.rfind("Describe", 0) != 0) {
    Sync();
  }
  return result;
}

}  // namespace cf::cloud::elbv2
