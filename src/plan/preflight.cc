#include "plan/preflight.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "aws/instance_types.h"

namespace cf::plan {

namespace {

using graph::ResourceInstance;
using graph::ResourceMode;

// Total vCPUs of one quota class above which the vCPU finding becomes a warning. The real
// quota is per account and Region; new and lightly used accounts commonly have far less than
// this, long-standing ones more, so the number is where an unchecked apply starts to be likely
// to stall with instances left unlaunched.
constexpr int64_t kVcpuWarningThreshold = 256;
constexpr const char* kStandardQuotaCode = "L-1216C47A";

std::optional<std::string> KnownString(const hcl::Value& v) {
  if (!v.IsKnown() || v.IsNull() || v.type().kind() != hcl::TypeKind::kString) {
    return std::nullopt;
  }
  return v.AsString();
}

std::optional<int64_t> KnownInt(const hcl::Value& v) {
  if (!v.IsKnown() || v.IsNull() || v.type().kind() != hcl::TypeKind::kNumber) {
    return std::nullopt;
  }
  return v.AsNumber().ToInt64();
}

hcl::Value Attr(const hcl::Value& object, const std::string& name) {
  if (!object.IsKnown() || object.IsNull() || !object.type().IsMapping()) {
    return hcl::Value();
  }
  return object.GetAttr(name);
}

// The elements of a known list, set or tuple; nullopt otherwise.
std::optional<hcl::ValueList> KnownElements(const hcl::Value& v) {
  if (!v.IsKnown() || v.IsNull() || !v.type().IsSequence()) {
    return std::nullopt;
  }
  return v.Elements();
}

class Checker {
 public:
  explicit Checker(const graph::DesiredState& desired) : desired_(desired) {
    for (const graph::Expansion& expansion : desired.modules) {
      for (const ResourceInstance& instance : expansion.instances) {
        by_address_.emplace(instance.Address(), &instance);
        if (instance.mode == ResourceMode::kManaged) {
          managed_.push_back(&instance);
        }
      }
    }
    std::sort(managed_.begin(), managed_.end(),
              [](const ResourceInstance* a, const ResourceInstance* b) {
                return a->Address() < b->Address();
              });
  }

  std::vector<Finding> Run() {
    CheckVcpus();
    for (const ResourceInstance* instance : managed_) {
      CheckLoadBalancerZones(*instance);
      CheckNames(*instance);
      CheckWorldOpenPorts(*instance);
    }
    CheckWekaContainersMap();
    std::stable_sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
      if (a.severity != b.severity) {
        return static_cast<int>(a.severity) < static_cast<int>(b.severity);
      }
      return a.address < b.address;
    });
    return std::move(findings_);
  }

 private:
  void Add(Finding::Severity severity, std::string address, std::string summary,
           std::string detail) {
    findings_.push_back({severity, std::move(address), std::move(summary), std::move(detail)});
  }

  // The instances of `type` that `instance` depends on.
  std::vector<const ResourceInstance*> Dependencies(const ResourceInstance& instance,
                                                    std::string_view type) const {
    std::vector<const ResourceInstance*> out;
    for (const std::string& address : instance.depends_on) {
      auto it = by_address_.find(address);
      if (it != by_address_.end() && it->second->type == type &&
          it->second->mode == ResourceMode::kManaged) {
        out.push_back(it->second);
      }
    }
    return out;
  }

  // The instance type of an aws_instance or an EKS node group (the first of its
  // instance_types), or of the launch template an instance or group uses.
  std::optional<std::string> InstanceTypeOf(const ResourceInstance& instance) const {
    if (auto type = KnownString(Attr(instance.values, "instance_type"))) {
      return type;
    }
    if (auto types = KnownElements(Attr(instance.values, "instance_types"));
        types && !types->empty()) {
      return KnownString((*types)[0]);
    }
    for (const ResourceInstance* lt : Dependencies(instance, "aws_launch_template")) {
      if (auto type = KnownString(Attr(lt->values, "instance_type"))) {
        return type;
      }
    }
    if (instance.type == "aws_eks_node_group" && Attr(instance.values, "instance_types").IsNull()) {
      return "t3.medium";  // EKS's default for a managed node group
    }
    return std::nullopt;
  }

  // vCPUs: every autoscaling group (desired capacity, else min size), EKS node group (desired
  // size) and instance.
  void CheckVcpus() {
    struct Use {
      std::string address;
      std::string type;
      int64_t count;
    };
    std::vector<Use> uses;
    for (const ResourceInstance* instance : managed_) {
      std::optional<int64_t> count;
      if (instance->type == "aws_autoscaling_group") {
        count = KnownInt(Attr(instance->values, "desired_capacity"));
        if (!count && Attr(instance->values, "desired_capacity").IsNull()) {
          count = KnownInt(Attr(instance->values, "min_size"));
        }
      } else if (instance->type == "aws_instance") {
        count = 1;
      } else if (instance->type == "aws_eks_node_group") {
        if (auto scaling = KnownElements(Attr(instance->values, "scaling_config"));
            scaling && !scaling->empty()) {
          count = KnownInt(Attr((*scaling)[0], "desired_size"));
        }
      } else {
        continue;
      }
      std::string address = instance->Address();
      std::optional<std::string> type = InstanceTypeOf(*instance);
      if (!type || !count) {
        Add(Finding::Severity::kInfo, address,
            fmt::format("vCPUs not counted: the {} is known only after apply",
                        type ? "instance count" : "instance type"),
            "");
        continue;
      }
      if (*count == 0) {
        continue;
      }
      if (aws::FindInstanceType(*type) == nullptr) {
        Add(Finding::Severity::kWarning, address,
            fmt::format("instance type \"{}\" is not in clusterform's table: its vCPUs are not "
                        "counted",
                        *type),
            "Check its vCPUs against your On-Demand quota yourself.");
        continue;
      }
      uses.push_back({address, *type, *count});
    }

    // family -> type -> count, and the addresses, in address order.
    std::map<std::string, std::map<std::string, int64_t>> families;
    std::map<std::string, std::vector<std::string>> family_addresses;
    std::map<std::string, int64_t> class_totals;
    for (const Use& use : uses) {
      std::string family(aws::InstanceFamily(use.type));
      families[family][use.type] += use.count;
      family_addresses[family].push_back(use.address);
      class_totals[aws::OnDemandQuotaClass(use.type)] +=
          use.count * aws::FindInstanceType(use.type)->vcpus;
    }
    for (const auto& [family, types] : families) {
      std::vector<std::string> terms;
      int64_t vcpus = 0;
      for (const auto& [type, count] : types) {
        terms.push_back(fmt::format("{} × {}", count, type));
        vcpus += count * aws::FindInstanceType(type)->vcpus;
      }
      const std::vector<std::string>& addresses = family_addresses[family];
      Add(Finding::Severity::kInfo, addresses.size() == 1 ? addresses[0] : "",
          fmt::format("{} = {} vCPUs ({} family)", fmt::join(terms, " + "), vcpus, family),
          addresses.size() == 1 ? "" : fmt::format("From {}.", fmt::join(addresses, ", ")));
    }
    for (const auto& [quota_class, vcpus] : class_totals) {
      bool standard = quota_class.rfind("Standard", 0) == 0;
      std::string summary =
          fmt::format("Running On-Demand {} instances: {} vCPUs needed", quota_class, vcpus);
      std::string detail = fmt::format(
          "The quota is set per account and Region{}; check it in Service Quotas before "
          "applying.",
          standard ? fmt::format(" (quota code {})", kStandardQuotaCode) : "");
      if (vcpus > kVcpuWarningThreshold) {
        Add(Finding::Severity::kWarning, "",
            summary + fmt::format(", more than {}", kVcpuWarningThreshold),
            detail +
                " Deployments this large often exceed it: an autoscaling group short of "
                "quota launches only part of the cluster.");
      } else {
        Add(Finding::Severity::kInfo, "", summary, detail);
      }
    }
  }

  // An application load balancer needs subnets in two Availability Zones.
  void CheckLoadBalancerZones(const ResourceInstance& instance) {
    if (instance.type != "aws_lb") {
      return;
    }
    hcl::Value lb_type = Attr(instance.values, "load_balancer_type");
    std::optional<std::string> kind = KnownString(lb_type);
    if (!lb_type.IsNull() && kind != "application") {
      return;
    }
    hcl::ValueList subnets;
    bool any = false;
    if (auto list = KnownElements(Attr(instance.values, "subnets"))) {
      subnets = *list;
      any = true;
    } else if (!Attr(instance.values, "subnets").IsNull()) {
      return;  // unknown as a whole
    }
    if (auto mappings = KnownElements(Attr(instance.values, "subnet_mapping"))) {
      for (const hcl::Value& mapping : *mappings) {
        subnets.push_back(Attr(mapping, "subnet_id"));
        any = true;
      }
    }
    if (!any) {
      return;
    }
    std::string address = instance.Address();
    const char* detail = "Give the load balancer a subnet in a second Availability Zone.";
    if (subnets.size() < 2) {
      Add(Finding::Severity::kError, address,
          fmt::format("an application load balancer needs subnets in at least 2 Availability "
                      "Zones, but it has {} subnet{}",
                      subnets.size(), subnets.size() == 1 ? "" : "s"),
          detail);
      return;
    }
    // Only subnets this deployment creates have a zone known at plan time.
    for (const hcl::Value& subnet : subnets) {
      if (subnet.IsKnown()) {
        return;
      }
    }
    std::vector<const ResourceInstance*> created = Dependencies(instance, "aws_subnet");
    if (created.size() != subnets.size()) {
      return;
    }
    std::set<std::string> zones;
    for (const ResourceInstance* subnet : created) {
      std::optional<std::string> zone = KnownString(Attr(subnet->values, "availability_zone"));
      if (!zone) {
        return;
      }
      zones.insert(*zone);
    }
    if (zones.size() < 2) {
      Add(Finding::Severity::kError, address,
          fmt::format("an application load balancer needs subnets in at least 2 Availability "
                      "Zones, but its {} subnets are all in {}",
                      subnets.size(), *zones.begin()),
          detail);
    }
  }

  void CheckNames(const ResourceInstance& instance) {
    enum class Rule { kLength, kS3Bucket, kKmsAlias };
    struct NameLimit {
      const char* type;
      const char* attribute;
      size_t min;
      size_t max;
      Rule rule;
    };
    static constexpr NameLimit kLimits[] = {
        {"aws_lb", "name", 1, 32, Rule::kLength},
        {"aws_lb_target_group", "name", 1, 32, Rule::kLength},
        {"aws_lambda_function", "function_name", 1, 64, Rule::kLength},
        {"aws_iam_role", "name", 1, 64, Rule::kLength},
        {"aws_iam_policy", "name", 1, 128, Rule::kLength},
        {"aws_iam_role_policy", "name", 1, 128, Rule::kLength},
        {"aws_iam_instance_profile", "name", 1, 128, Rule::kLength},
        {"aws_s3_bucket", "bucket", 3, 63, Rule::kS3Bucket},
        {"aws_sqs_queue", "name", 1, 80, Rule::kLength},
        {"aws_dynamodb_table", "name", 3, 255, Rule::kLength},
        {"aws_cloudwatch_log_group", "name", 1, 512, Rule::kLength},
        {"aws_sfn_state_machine", "name", 1, 80, Rule::kLength},
        {"aws_kms_alias", "name", 1, 256, Rule::kKmsAlias},
    };
    for (const NameLimit& limit : kLimits) {
      if (instance.type != limit.type) {
        continue;
      }
      std::optional<std::string> name = KnownString(Attr(instance.values, limit.attribute));
      if (!name) {
        continue;
      }
      std::string what = fmt::format("{} {} \"{}\"", limit.type, limit.attribute, *name);
      std::string address = instance.Address();
      if (name->size() < limit.min || name->size() > limit.max) {
        std::string allowed = limit.min <= 1 ? fmt::format("at most {}", limit.max)
                                             : fmt::format("{} to {}", limit.min, limit.max);
        Add(Finding::Severity::kError, address,
            fmt::format("{} is {} characters long; AWS allows {}", what, name->size(), allowed),
            "Shorten the prefix or the cluster name it is built from.");
      }
      if (limit.rule == Rule::kS3Bucket && !name->empty()) {
        bool ok = std::all_of(name->begin(), name->end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        });
        auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
        if (!ok || !alnum(name->front()) || !alnum(name->back())) {
          Add(Finding::Severity::kError, address,
              fmt::format("{} may only hold lowercase letters, digits, dots and hyphens, and "
                          "must start and end with a letter or digit",
                          what),
              "");
        }
      }
      if (limit.rule == Rule::kKmsAlias) {
        if (name->rfind("alias/", 0) != 0) {
          Add(Finding::Severity::kError, address,
              fmt::format("{} must start with \"alias/\"", what), "");
        } else if (name->rfind("alias/aws/", 0) == 0) {
          Add(Finding::Severity::kError, address,
              fmt::format("{} must not start with \"alias/aws/\", which AWS keeps for its own "
                          "keys",
                          what),
              "");
        }
      }
    }
  }

  // SSH (22) and the WEKA API (14000) reachable from anywhere.
  void CheckWorldOpenPorts(const ResourceInstance& instance) {
    struct Rule {
      hcl::Value protocol;
      hcl::Value from_port;
      hcl::Value to_port;
      std::vector<hcl::Value> sources;
    };
    std::vector<Rule> rules;
    auto sources_of = [](const hcl::Value& rule, std::initializer_list<const char*> list_attrs,
                         std::initializer_list<const char*> single_attrs) {
      std::vector<hcl::Value> out;
      for (const char* name : list_attrs) {
        if (auto elements = KnownElements(Attr(rule, name))) {
          out.insert(out.end(), elements->begin(), elements->end());
        }
      }
      for (const char* name : single_attrs) {
        out.push_back(Attr(rule, name));
      }
      return out;
    };
    if (instance.type == "aws_security_group") {
      if (auto ingress = KnownElements(Attr(instance.values, "ingress"))) {
        for (const hcl::Value& rule : *ingress) {
          rules.push_back({Attr(rule, "protocol"), Attr(rule, "from_port"), Attr(rule, "to_port"),
                           sources_of(rule, {"cidr_blocks", "ipv6_cidr_blocks"}, {})});
        }
      }
    } else if (instance.type == "aws_security_group_rule") {
      if (KnownString(Attr(instance.values, "type")) != "ingress") {
        return;
      }
      rules.push_back({Attr(instance.values, "protocol"), Attr(instance.values, "from_port"),
                       Attr(instance.values, "to_port"),
                       sources_of(instance.values, {"cidr_blocks", "ipv6_cidr_blocks"}, {})});
    } else if (instance.type == "aws_vpc_security_group_ingress_rule") {
      rules.push_back({Attr(instance.values, "ip_protocol"), Attr(instance.values, "from_port"),
                       Attr(instance.values, "to_port"),
                       sources_of(instance.values, {}, {"cidr_ipv4", "cidr_ipv6"})});
    } else {
      return;
    }
    struct Port {
      int64_t port;
      const char* what;
    };
    static constexpr Port kPorts[] = {{22, "SSH (port 22)"}, {14000, "the WEKA API (port 14000)"}};
    for (const Port& port : kPorts) {
      std::set<std::string> open_to;
      for (const Rule& rule : rules) {
        std::optional<std::string> protocol = KnownString(rule.protocol);
        if (!protocol) {
          if (auto number = KnownInt(rule.protocol)) {
            protocol = std::to_string(*number);
          } else {
            continue;
          }
        }
        bool all = *protocol == "-1" || *protocol == "all";
        if (!all && *protocol != "tcp" && *protocol != "6") {
          continue;
        }
        if (!all) {
          std::optional<int64_t> from = KnownInt(rule.from_port);
          std::optional<int64_t> to = KnownInt(rule.to_port);
          if (!from || !to || port.port < *from || port.port > *to) {
            continue;
          }
        }
        for (const hcl::Value& source : rule.sources) {
          std::optional<std::string> cidr = KnownString(source);
          if (cidr && (*cidr == "0.0.0.0/0" || *cidr == "::/0")) {
            open_to.insert(*cidr);
          }
        }
      }
      if (!open_to.empty()) {
        // "0.0.0.0/0" sorts before "::/0".
        Add(Finding::Severity::kWarning, instance.Address(),
            fmt::format("{} is open to {}", port.what, fmt::join(open_to, " and ")),
            "Anyone on the internet can try to connect; limit the rule to the addresses that "
            "need access.");
      }
    }
  }

  // A WEKA backend instance type the module has no container sizing for.
  void CheckWekaContainersMap() {
    for (const config::EvaluatedModuleCall& call : desired_.config.modules) {
      if (call.definition == nullptr || call.definition->source != "weka/weka/aws") {
        continue;
      }
      auto type_it = call.inputs.find("instance_type");
      auto map_it = call.inputs.find("containers_config_map");
      if (type_it == call.inputs.end() || map_it == call.inputs.end()) {
        continue;
      }
      std::optional<std::string> type = KnownString(type_it->second);
      const hcl::Value& map = map_it->second;
      if (!type || !map.IsKnown() || map.IsNull() || !map.type().IsMapping()) {
        continue;
      }
      const hcl::ValueMap& entries = map.Attributes();
      if (entries.count(*type) > 0) {
        continue;
      }
      std::vector<std::string> known;
      for (const auto& [name, value] : entries) {
        known.push_back(name);
      }
      Add(Finding::Severity::kError, call.address,
          fmt::format("instance_type \"{}\" has no entry in containers_config_map", *type),
          known.empty()
              ? "The module sizes WEKA's containers from that map: add an entry for it."
              : fmt::format("The module sizes WEKA's containers from that map: add an entry for "
                            "it, or use one of {}.",
                            fmt::join(known, ", ")));
    }
  }

  const graph::DesiredState& desired_;
  std::map<std::string, const ResourceInstance*> by_address_;
  std::vector<const ResourceInstance*> managed_;  // sorted by address
  std::vector<Finding> findings_;
};

}  // namespace

std::vector<Finding> Preflight(const graph::DesiredState& desired) {
  return Checker(desired).Run();
}

}  // namespace cf::plan
