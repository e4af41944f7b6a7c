// The built-in WEKA module's body expanded for the examples and for input combinations:
// the resources it plans (reference §2), derived sizes (§1.9, §1.10), names, outputs (§3),
// preconditions and the local-cloud CIDR defaults.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "config/inputs.h"
#include "config/loader.h"
#include "graph/configuration.h"
#include "hcl/source.h"
#include "hcl/value.h"
#include "hcl/value_json.h"
#include "modules/builtin/builtin_modules.h"
#include "modules/weka/schema.h"
#include "testing/memory_file_system.h"

namespace cf::modules {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::StartsWith;

// Answers the plan-time data sources as the provider does for a region: names, partition,
// account and zones <region>a, b, c. Anything else is unknown.
class FakeDataSources : public graph::DataSources {
 public:
  explicit FakeDataSources(std::string region) : region_(std::move(region)) {}
  hcl::Value Read(std::string_view type, const hcl::Value& /*arguments*/,
                  const hcl::Range& /*range*/, hcl::Diagnostics& /*diags*/) override {
    using hcl::Value;
    if (type == "aws_region") {
      return Value::Object({{"name", Value::String(region_)}, {"id", Value::String(region_)}});
    }
    if (type == "aws_partition") {
      return Value::Object({{"partition", Value::String("aws")},
                            {"dns_suffix", Value::String("amazonaws.com")},
                            {"id", Value::String("aws")}});
    }
    if (type == "aws_caller_identity") {
      return Value::Object(
          {{"account_id", Value::String("123456789012")}, {"id", Value::String("123456789012")}});
    }
    if (type == "aws_availability_zones") {
      return Value::Object(
          {{"names", Value::ListOf({Value::String(region_ + "a"), Value::String(region_ + "b"),
                                    Value::String(region_ + "c")})},
           {"id", Value::String(region_)}});
    }
    return Value::Unknown(hcl::Type::Dynamic());
  }

 private:
  std::string region_;
};

// One configuration loaded and expanded.
struct Planned {
  std::unique_ptr<config::RootModule> root;
  config::InputValues inputs;
  graph::DesiredState state;
  hcl::Diagnostics diags;
  std::string rendered_diags;

  const graph::Expansion& module() const { return state.modules.at(0); }
  std::string prefix() const { return "module." + state.config.modules.at(0).name + "."; }

  // The instance at `address` (without the module prefix); fails the test when absent.
  const graph::ResourceInstance& R(const std::string& address) const {
    const graph::ResourceInstance* r = module().Find(prefix() + address);
    if (r == nullptr) {
      ADD_FAILURE() << "no resource " << address;
      static const graph::ResourceInstance kEmpty;
      return kEmpty;
    }
    return *r;
  }
  bool Has(const std::string& address) const {
    return module().Find(prefix() + address) != nullptr;
  }
  // Every instance address, without the module prefix.
  std::set<std::string> Addresses() const {
    std::set<std::string> out;
    for (const graph::ResourceInstance& r : module().instances) {
      out.insert(r.Address().substr(prefix().size()));
    }
    return out;
  }
  hcl::Value Output(const std::string& name) const {
    for (const graph::OutputValue& o : module().outputs) {
      if (o.name == name) {
        return o.value;
      }
    }
    ADD_FAILURE() << "no output " << name;
    return hcl::Value();
  }
  std::vector<std::string> OutputNames() const {
    std::vector<std::string> out;
    for (const graph::OutputValue& o : module().outputs) {
      out.push_back(o.name);
    }
    return out;
  }
};

// Follows a path of attribute names and list indexes ("ebs.0.volume_size") into `v`.
hcl::Value At(const hcl::Value& v, const std::string& path) {
  hcl::Value cur = v;
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (cur.IsNull() || !cur.IsKnown()) {
      ADD_FAILURE() << "null or unknown before '" << part << "' in " << path;
      return hcl::Value();
    }
    if (!part.empty() && std::isdigit(static_cast<unsigned char>(part[0]))) {
      size_t index = std::stoul(part);
      if (index >= cur.Elements().size()) {
        ADD_FAILURE() << "index " << index << " out of range in " << path;
        return hcl::Value();
      }
      cur = cur.Elements()[index];
    } else {
      cur = cur.GetAttr(part);
    }
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return cur;
}

std::string Str(const hcl::Value& v) {
  if (v.IsNull() || !v.IsKnown()) {
    return v.IsNull() ? "<null>" : "<unknown>";
  }
  if (v.type() == hcl::Type::String()) {
    return v.AsString();
  }
  return hcl::ValueToJson(v.UnmarkDeep());
}

std::string Arg(const graph::ResourceInstance& r, const std::string& path) {
  return Str(At(r.values, path));
}

std::map<std::string, std::string> StringMap(const hcl::Value& v) {
  std::map<std::string, std::string> out;
  if (v.IsNull() || !v.IsKnown()) {
    return out;
  }
  for (const auto& [k, e] : v.Attributes()) {
    out[k] = Str(e);
  }
  return out;
}

class WekaModuleTest : public ::testing::Test {
 protected:
  static const BuiltinModules& Builtins() {
    static const BuiltinModules* builtins = new BuiltinModules();
    return *builtins;
  }

  Planned PlanDir(const std::string& dir, const FileSystem& fs,
                  std::map<std::string, std::string> environment = {}) {
    Planned p;
    config::LoadResult loaded = config::LoadRootModule(dir, fs);
    p.diags.Append(loaded.diagnostics);
    p.root = std::move(loaded.module);
    p.inputs = config::CollectInputs(*p.root, environment, {}, fs, p.diags);
    graph::ConfigurationOptions options;
    options.lookup = Builtins().Lookup();
    options.data_sources = [](const config::ProviderSettings& provider) {
      return std::make_unique<FakeDataSources>(provider.region);
    };
    options.environment = environment;
    p.state = graph::ExpandConfiguration(*p.root, p.inputs, options, p.diags);
    p.rendered_diags = config::FormatDiagnosticsWithSource(p.diags, *p.root);
    return p;
  }

  Planned PlanExample(const std::string& name) {
    RealFileSystem fs;
    return PlanDir(std::string(CF_SOURCE_DIR) + "/examples/" + name, fs);
  }

  // A main.tf calling the module with `arguments` (HCL lines) in `region`.
  Planned PlanModule(const std::string& arguments, const std::string& region = "us-east-1",
                     std::map<std::string, std::string> environment = {}) {
    InMemoryFileSystem fs;
    std::string main_tf = "provider \"aws\" {\n  region = \"" + region +
                          "\"\n}\n\nmodule \"weka\" {\n  source = \"weka/weka/aws\"\n"
                          "  get_weka_io_token = \"token\"\n" +
                          arguments + "\n}\n";
    EXPECT_TRUE(fs.MakeDirectories("/cfg").ok());
    EXPECT_TRUE(fs.WriteFileAtomic("/cfg/main.tf", main_tf).ok());
    return PlanDir("/cfg", fs, std::move(environment));
  }
};

// ---- The minimal example: everything the defaults create ----

TEST_F(WekaModuleTest, MinimalExamplePlansEveryDefaultResource) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  std::set<std::string> expected = {
      // data sources
      "data.aws_region.current",
      "data.aws_partition.current",
      "data.aws_caller_identity.current",
      "data.aws_availability_zones.available",
      // network (public mode) with the ALB's second subnet
      "aws_vpc.this[0]",
      "aws_internet_gateway.this[0]",
      "aws_route_table.public[0]",
      "aws_subnet.public[0]",
      "aws_route_table_association.public[0]",
      "aws_subnet.alb_additional[0]",
      "aws_route_table_association.alb_additional[0]",
      // security group
      "aws_security_group.backend[0]",
      // IAM
      "aws_iam_role.backend[0]",
      "aws_iam_instance_profile.backend[0]",
      "aws_iam_policy.backend_eni[0]",
      "aws_iam_policy.backend_invoke_lambda[0]",
      "aws_iam_policy.backend_logs[0]",
      "aws_iam_role_policy_attachment.backend[\"eni\"]",
      "aws_iam_role_policy_attachment.backend[\"invoke_lambda\"]",
      "aws_iam_role_policy_attachment.backend[\"logs\"]",
      "aws_iam_role_policy_attachment.backend[\"ssm\"]",
      "aws_iam_role.lambda[0]",
      "aws_iam_policy.lambda[0]",
      "aws_iam_role_policy_attachment.lambda[0]",
      "aws_iam_role.sfn[0]",
      "aws_iam_policy.sfn[0]",
      "aws_iam_role_policy_attachment.sfn[0]",
      "aws_iam_role.event[0]",
      "aws_iam_policy.event[0]",
      "aws_iam_role_policy_attachment.event[0]",
      // Secrets Manager endpoint (use and create default to true)
      "aws_vpc_endpoint.secretmanager[0]",
      // backends
      "tls_private_key.ssh[0]",
      "aws_key_pair.this[0]",
      "local_sensitive_file.ssh_private_key[0]",
      "local_file.ssh_public_key[0]",
      "aws_placement_group.this[0]",
      "aws_launch_template.backend",
      "aws_autoscaling_group.backend",
      "aws_kms_key.ebs[0]",
      "aws_kms_alias.ebs[0]",
      // ALB
      "aws_lb.this[0]",
      "aws_lb_target_group.backend[0]",
      "tls_private_key.alb[0]",
      "tls_self_signed_cert.alb[0]",
      "aws_acm_certificate.alb[0]",
      "aws_lb_listener.backend[\"api\"]",
      "aws_lb_listener.backend[\"https\"]",
      // state
      "aws_dynamodb_table.state[0]",
      "aws_dynamodb_table_item.state[\"backend\"]",
      // secrets
      "random_string.secret_suffix[\"get_weka_io_token\"]",
      "random_string.secret_suffix[\"weka_username\"]",
      "random_string.secret_suffix[\"weka_password\"]",
      "random_string.secret_suffix[\"weka_deployment_password\"]",
      "random_string.secret_suffix[\"self_signed_cert_pem\"]",
      "aws_secretsmanager_secret.get_weka_io_token[0]",
      "aws_secretsmanager_secret_version.get_weka_io_token[0]",
      "aws_secretsmanager_secret.weka_username",
      "aws_secretsmanager_secret_version.weka_username",
      "aws_secretsmanager_secret.weka_password",
      "aws_secretsmanager_secret.weka_deployment_password",
      "aws_secretsmanager_secret.self_signed_cert_pem[0]",
      "aws_secretsmanager_secret_version.self_signed_cert_pem[0]",
      // scale-down orchestration
      "aws_cloudwatch_log_group.scale_down_sfn",
      "aws_sfn_state_machine.scale_down",
      "aws_cloudwatch_event_rule.scale_down",
      "aws_cloudwatch_event_target.scale_down",
      // data services, deployed by default (data_services_number = 2)
      "aws_iam_role.gateway[\"data\"]",
      "aws_iam_policy.gateway[\"data\"]",
      "aws_iam_role_policy_attachment.gateway[\"data\"]",
      "aws_iam_instance_profile.gateway[\"data\"]",
      "aws_launch_template.gateway[\"data\"]",
      "aws_autoscaling_group.data_services[0]",
  };
  for (const char* fn :
       {"deploy", "clusterize", "clusterize-finalization", "join-nfs-finalization", "report",
        "status", "fetch", "scale-down", "terminate", "transient", "management"}) {
    expected.insert("aws_lambda_function.this[\"" + std::string(fn) + "\"]");
    expected.insert("aws_cloudwatch_log_group.lambda[\"" + std::string(fn) + "\"]");
  }
  EXPECT_EQ(p.Addresses(), expected);

  EXPECT_THAT(p.OutputNames(),
              ElementsAre("local_ssh_private_key", "cluster_name", "ips_type", "lambda_status_name",
                          "weka_cluster_admin_password_secret_id", "alb_dns_name", "asg_name",
                          "placement_group_name", "vpc_id", "subnet_ids", "sg_ids",
                          "cluster_helper_commands", "client_helper_commands", "client_asg_name",
                          "client_ips", "nfs_protocol_gateways_ips", "smb_protocol_gateways_ips",
                          "s3_protocol_gateways_ips", "nfs_protocol_gateways_name",
                          "smb_protocol_gateways_name", "s3_protocol_gateways_name",
                          "data_services_ips", "deploy_lambda_name",
                          "pre_terraform_destroy_command", "get_cert_pem", "get_cert_private_key"));
}

TEST_F(WekaModuleTest, MinimalExampleNetworkAndSecurityGroup) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(Arg(p.R("aws_vpc.this[0]"), "cidr_block"), "10.0.0.0/16");
  EXPECT_EQ(Arg(p.R("aws_vpc.this[0]"), "enable_dns_hostnames"), "true");
  EXPECT_EQ(Arg(p.R("aws_vpc.this[0]"), "tags.Name"), "weka-vpc");
  EXPECT_EQ(Arg(p.R("aws_vpc.this[0]"), "tags.aws-apn-id"), "pc:epkj0ftddjwa38m3oq9umjjlm");
  EXPECT_EQ(Arg(p.R("aws_internet_gateway.this[0]"), "tags.Name"), "weka-igw");
  EXPECT_EQ(Arg(p.R("aws_route_table.public[0]"), "tags.Name"), "weka-igw-rt");
  EXPECT_EQ(Arg(p.R("aws_route_table.public[0]"), "route.0.cidr_block"), "0.0.0.0/0");
  const graph::ResourceInstance& subnet = p.R("aws_subnet.public[0]");
  EXPECT_EQ(Arg(subnet, "cidr_block"), "10.0.1.0/24");
  EXPECT_EQ(Arg(subnet, "availability_zone"), "eu-west-1a");
  EXPECT_EQ(Arg(subnet, "map_public_ip_on_launch"), "true");
  EXPECT_EQ(Arg(subnet, "tags.Name"), "weka-public-subnet-0");
  EXPECT_THAT(subnet.depends_on, Contains("module.weka_deployment.aws_vpc.this[0]"));
  const graph::ResourceInstance& extra = p.R("aws_subnet.alb_additional[0]");
  EXPECT_EQ(Arg(extra, "cidr_block"), "10.0.3.0/24");
  EXPECT_EQ(Arg(extra, "availability_zone"), "eu-west-1b");

  const graph::ResourceInstance& sg = p.R("aws_security_group.backend[0]");
  EXPECT_EQ(Arg(sg, "name"), "weka-poc-sg");
  // self "all", then SSH from the example's 0.0.0.0/0; no 443/14000 rules without CIDRs.
  EXPECT_EQ(Arg(sg, "ingress.0.protocol"), "-1");
  EXPECT_EQ(Arg(sg, "ingress.0.self"), "true");
  EXPECT_EQ(Arg(sg, "ingress.1.from_port"), "22");
  EXPECT_EQ(Arg(sg, "ingress.1.cidr_blocks"), "[\"0.0.0.0/0\"]");
  EXPECT_EQ(At(sg.values, "ingress").Length(), 2u);
  EXPECT_EQ(Arg(sg, "egress.0.self"), "true");
  EXPECT_EQ(Arg(sg, "egress.1.cidr_blocks"), "[\"0.0.0.0/0\"]");
}

TEST_F(WekaModuleTest, MinimalExampleBackendsUseTheDerivedSizes) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  const graph::ResourceInstance& lt = p.R("aws_launch_template.backend");
  EXPECT_EQ(Arg(lt, "name"), "weka-poc-backend-launch-template");
  EXPECT_EQ(Arg(lt, "instance_type"), "i3en.2xlarge");
  EXPECT_EQ(Arg(lt, "image_id"),
            "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64");
  EXPECT_EQ(Arg(lt, "disable_api_termination"), "true");
  EXPECT_EQ(Arg(lt, "disable_api_stop"), "true");
  EXPECT_EQ(Arg(lt, "instance_initiated_shutdown_behavior"), "terminate");
  EXPECT_EQ(Arg(lt, "block_device_mappings.0.device_name"), "/dev/sdp");
  // 48 GB + 10 GB per extra NIC (4 NICs).
  EXPECT_EQ(Arg(lt, "block_device_mappings.0.ebs.0.volume_size"), "78");
  EXPECT_EQ(Arg(lt, "block_device_mappings.0.ebs.0.volume_type"), "gp3");
  EXPECT_EQ(Arg(lt, "block_device_mappings.0.ebs.0.encrypted"), "true");
  EXPECT_EQ(Arg(lt, "metadata_options.0.http_tokens"), "required");
  EXPECT_EQ(Arg(lt, "metadata_options.0.http_put_response_hop_limit"), "1");
  EXPECT_EQ(Arg(lt, "metadata_options.0.instance_metadata_tags"), "enabled");
  EXPECT_EQ(Arg(lt, "monitoring.0.enabled"), "true");
  EXPECT_EQ(Arg(lt, "network_interfaces.0.associate_public_ip_address"), "true");
  EXPECT_EQ(Arg(lt, "placement.0.availability_zone"), "eu-west-1a");
  EXPECT_EQ(Arg(lt, "placement.0.group_name"), "weka-poc-placement-group");
  EXPECT_EQ(Arg(lt, "tag_specifications.0.resource_type"), "instance");
  EXPECT_EQ(Arg(lt, "tag_specifications.0.tags.Name"), "weka-poc-i3en.2xlarge-backend");
  EXPECT_EQ(Arg(lt, "tag_specifications.0.tags.weka_hostgroup_type"), "backend");
  EXPECT_EQ(Arg(lt, "tag_specifications.0.tags.weka_cluster_name"), "poc");
  EXPECT_THAT(lt.depends_on, Contains("module.weka_deployment.aws_kms_key.ebs[0]"));

  const graph::ResourceInstance& asg = p.R("aws_autoscaling_group.backend");
  EXPECT_EQ(Arg(asg, "name"), "weka-poc-autoscaling-group");
  EXPECT_EQ(Arg(asg, "min_size"), "6");
  EXPECT_EQ(Arg(asg, "desired_capacity"), "6");
  EXPECT_EQ(Arg(asg, "max_size"), "42");
  EXPECT_EQ(Arg(asg, "suspended_processes"), "[\"ReplaceUnhealthy\"]");
  EXPECT_EQ(Arg(asg, "protect_from_scale_in"), "true");
  EXPECT_EQ(Arg(asg, "tag.0.key"), "weka-poc-asg");
  EXPECT_EQ(Arg(asg, "tag.0.value"), "poc");
  EXPECT_EQ(Arg(asg, "tag.0.propagate_at_launch"), "true");
  EXPECT_THAT(asg.depends_on, Contains("module.weka_deployment.aws_launch_template.backend"));
  EXPECT_THAT(asg.depends_on, Contains("module.weka_deployment.aws_lb_target_group.backend[0]"));

  const graph::ResourceInstance& kms = p.R("aws_kms_key.ebs[0]");
  EXPECT_EQ(Arg(kms, "enable_key_rotation"), "true");
  EXPECT_EQ(Arg(kms, "deletion_window_in_days"), "20");
  EXPECT_THAT(Arg(kms, "policy"), HasSubstr("AWSServiceRoleForAutoScaling"));
  EXPECT_THAT(Arg(kms, "policy"), HasSubstr("kms:CreateGrant"));
  EXPECT_EQ(Arg(p.R("aws_kms_alias.ebs[0]"), "name"), "alias/weka-poc");
  EXPECT_EQ(Arg(p.R("aws_placement_group.this[0]"), "strategy"), "cluster");
  EXPECT_EQ(Arg(p.R("aws_key_pair.this[0]"), "key_name"), "weka-poc-ssh-key");
  EXPECT_EQ(Arg(p.R("tls_private_key.ssh[0]"), "rsa_bits"), "4096");
  EXPECT_EQ(Arg(p.R("local_sensitive_file.ssh_private_key[0]"), "filename"),
            "/tmp/weka-poc-private-key.pem");
  EXPECT_EQ(Arg(p.R("local_sensitive_file.ssh_private_key[0]"), "file_permission"), "0600");
}

TEST_F(WekaModuleTest, MinimalExampleBackendBootScriptRunsDeployFromMemory) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  hcl::Value user_data = At(p.R("aws_launch_template.backend").values, "user_data");
  ASSERT_TRUE(user_data.IsKnown());
  // base64 of the script; decode it with the same function library.
  std::string encoded = user_data.AsString();
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string script;
  int bits = 0;
  unsigned buffer = 0;
  for (char c : encoded) {
    size_t v = kAlphabet.find(c);
    if (v == std::string::npos) {
      continue;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      script += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  EXPECT_THAT(script, StartsWith("#!/bin/bash\n"));
  EXPECT_THAT(script, HasSubstr("\"log_group_name\": \"/wekaio/weka-poc\""));
  EXPECT_THAT(script, HasSubstr("for (( i = 1; i < 4; i++ ))"));
  EXPECT_THAT(script, HasSubstr("invoke \"weka-poc-deploy-lambda\" \"$payload\""));
  EXPECT_THAT(script, HasSubstr("bash <(printf '%s\\n' \"$deploy_script\")"));
  // The install script (with the get.weka.io token) is never written to /tmp.
  EXPECT_THAT(script, Not(HasSubstr("/tmp/deploy.sh")));
  EXPECT_THAT(script, Not(HasSubstr("example-token")));
  EXPECT_THAT(script, HasSubstr("${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}"));
}

TEST_F(WekaModuleTest, MinimalExampleAlbStateAndSecrets) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  const graph::ResourceInstance& lb = p.R("aws_lb.this[0]");
  EXPECT_EQ(Arg(lb, "name"), "weka-poc-lb");
  EXPECT_EQ(Arg(lb, "internal"), "true");
  EXPECT_EQ(Arg(lb, "load_balancer_type"), "application");
  EXPECT_THAT(lb.depends_on, IsSupersetOf({"module.weka_deployment.aws_subnet.public[0]",
                                           "module.weka_deployment.aws_subnet.alb_additional[0]"}));
  const graph::ResourceInstance& tg = p.R("aws_lb_target_group.backend[0]");
  EXPECT_EQ(Arg(tg, "name"), "weka-poc-lb-tg");
  EXPECT_EQ(Arg(tg, "port"), "14000");
  EXPECT_EQ(Arg(tg, "protocol"), "HTTPS");
  // Cross-zone on: the backends are all in the first AZ.
  EXPECT_TRUE(At(tg.values, "load_balancing_cross_zone_enabled").IsNull());
  EXPECT_EQ(Arg(tg, "health_check.0.path"), "/api/v2/healthcheck/");
  EXPECT_EQ(Arg(tg, "health_check.0.timeout"), "3");
  EXPECT_EQ(Arg(tg, "health_check.0.interval"), "30");
  EXPECT_EQ(Arg(tg, "health_check.0.healthy_threshold"), "2");
  for (const auto& [key, port] :
       std::map<std::string, std::string>{{"api", "14000"}, {"https", "443"}}) {
    const graph::ResourceInstance& l = p.R("aws_lb_listener.backend[\"" + key + "\"]");
    EXPECT_EQ(Arg(l, "port"), port);
    EXPECT_EQ(Arg(l, "protocol"), "HTTPS");
    EXPECT_EQ(Arg(l, "ssl_policy"), "ELBSecurityPolicy-TLS13-1-2-2021-06");
    EXPECT_EQ(Arg(l, "default_action.0.type"), "forward");
    EXPECT_THAT(l.depends_on, Contains("module.weka_deployment.aws_acm_certificate.alb[0]"));
  }
  const graph::ResourceInstance& cert = p.R("tls_self_signed_cert.alb[0]");
  EXPECT_EQ(Arg(cert, "subject.0.common_name"), "*.eu-west-1.elb.amazonaws.com");
  EXPECT_EQ(Arg(cert, "validity_period_hours"), "8760");
  EXPECT_EQ(Arg(cert, "early_renewal_hours"), "336");
  EXPECT_EQ(Arg(p.R("tls_private_key.alb[0]"), "rsa_bits"), "2048");

  const graph::ResourceInstance& table = p.R("aws_dynamodb_table.state[0]");
  EXPECT_EQ(Arg(table, "name"), "weka-poc-weka-deployment");
  EXPECT_EQ(Arg(table, "billing_mode"), "PAY_PER_REQUEST");
  EXPECT_EQ(Arg(table, "hash_key"), "Key");
  EXPECT_EQ(Arg(table, "attribute.0.type"), "S");
  std::string item = Arg(p.R("aws_dynamodb_table_item.state[\"backend\"]"), "item");
  EXPECT_THAT(item, HasSubstr("\"Key\":{\"S\":\"weka-poc-state\"}"));
  EXPECT_THAT(item, HasSubstr("\"Locked\":{\"BOOL\":false}"));
  EXPECT_THAT(item, HasSubstr("\"LockExpires\":{\"N\":\"0\"}"));
  EXPECT_THAT(item, HasSubstr("\"clusterization_target\":{\"N\":\"6\"}"));
  EXPECT_THAT(item, HasSubstr("\"instances\":{\"L\":[]}"));
  EXPECT_THAT(item, HasSubstr("\"clusterized\":{\"BOOL\":false}"));

  // Names are <secrets prefix>-<cluster>/<name>-<random suffix>: unknown until the suffix is.
  EXPECT_EQ(Arg(p.R("random_string.secret_suffix[\"weka_password\"]"), "length"), "4");
  EXPECT_EQ(Arg(p.R("random_string.secret_suffix[\"weka_password\"]"), "min_upper"), "1");
  EXPECT_THAT(p.R("aws_secretsmanager_secret.weka_password").depends_on,
              Contains("module.weka_deployment.random_string.secret_suffix[\"weka_password\"]"));
  EXPECT_EQ(Arg(p.R("aws_secretsmanager_secret_version.weka_username"), "secret_string"),
            "weka-deployment");
  EXPECT_FALSE(p.Has("aws_secretsmanager_secret_version.weka_password"));
  hcl::Value token =
      At(p.R("aws_secretsmanager_secret_version.get_weka_io_token[0]").values, "secret_string");
  EXPECT_TRUE(token.ContainsSensitive());

  const graph::ResourceInstance& endpoint = p.R("aws_vpc_endpoint.secretmanager[0]");
  EXPECT_EQ(Arg(endpoint, "service_name"), "com.amazonaws.eu-west-1.secretsmanager");
  EXPECT_EQ(Arg(endpoint, "private_dns_enabled"), "true");
  EXPECT_EQ(Arg(endpoint, "tags.Name"), "weka-secretmanager-endpoint");
}

TEST_F(WekaModuleTest, MinimalExampleIamRolesAndPolicies) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(Arg(p.R("aws_iam_role.backend[0]"), "name"), "weka-poc-iam-role");
  EXPECT_THAT(Arg(p.R("aws_iam_role.backend[0]"), "assume_role_policy"),
              HasSubstr("ec2.amazonaws.com"));
  EXPECT_EQ(Arg(p.R("aws_iam_instance_profile.backend[0]"), "name"), "weka-poc-instance-profile");
  EXPECT_EQ(Arg(p.R("aws_iam_policy.backend_eni[0]"), "name"), "weka-poc-eni-policy");
  EXPECT_THAT(Arg(p.R("aws_iam_policy.backend_eni[0]"), "policy"),
              HasSubstr("ec2:AttachNetworkInterface"));
  EXPECT_EQ(Arg(p.R("aws_iam_policy.backend_invoke_lambda[0]"), "name"),
            "weka-poc-invoke-lambda-function");
  EXPECT_THAT(Arg(p.R("aws_iam_policy.backend_invoke_lambda[0]"), "policy"),
              HasSubstr("arn:aws:lambda:eu-west-1:123456789012:function:weka-poc*"));
  EXPECT_EQ(Arg(p.R("aws_iam_policy.backend_logs[0]"), "name"),
            "weka-poc-send-log-to-cloud-watch-policy");
  EXPECT_THAT(Arg(p.R("aws_iam_policy.backend_logs[0]"), "policy"),
              HasSubstr("log-group:/wekaio/weka-poc*"));
  EXPECT_EQ(Arg(p.R("aws_iam_role_policy_attachment.backend[\"ssm\"]"), "policy_arn"),
            "arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM");
  for (const graph::ResourceInstance& r : p.module().instances) {
    if (r.type == "aws_iam_policy" && r.name.rfind("backend", 0) == 0) {
      EXPECT_THAT(Arg(r, "policy"), Not(HasSubstr("secretsmanager"))) << r.Address();
    }
  }
  EXPECT_EQ(Arg(p.R("aws_iam_role.lambda[0]"), "name"), "weka-poc-lambda-role");
  std::string lambda_policy = Arg(p.R("aws_iam_policy.lambda[0]"), "policy");
  EXPECT_THAT(lambda_policy, HasSubstr("log-group:/aws/lambda/weka/weka-poc*"));
  EXPECT_THAT(lambda_policy, HasSubstr("dynamodb:UpdateItem"));
  EXPECT_THAT(lambda_policy, HasSubstr("secret:weka/weka*"));
  EXPECT_THAT(lambda_policy, HasSubstr("autoscaling:SetInstanceProtection"));
  EXPECT_THAT(lambda_policy, HasSubstr("table/weka-poc-weka-deployment"));
  EXPECT_THAT(lambda_policy, Not(HasSubstr("s3:CreateBucket")));
  EXPECT_EQ(Arg(p.R("aws_iam_role.sfn[0]"), "name"), "weka-poc-sfn-role");
  EXPECT_THAT(Arg(p.R("aws_iam_policy.sfn[0]"), "policy"), HasSubstr("function:weka-poc-*-lambda"));
  EXPECT_EQ(Arg(p.R("aws_iam_role.event[0]"), "name"), "weka-poc-event-role");
  EXPECT_THAT(p.R("aws_iam_policy.event[0]").depends_on,
              Contains("module.weka_deployment.aws_sfn_state_machine.scale_down"));
}

TEST_F(WekaModuleTest, MinimalExampleControlPlaneFunctions) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  std::map<std::string, std::string> handlers = {
      {"deploy", "deploy"},
      {"clusterize", "clusterize"},
      {"clusterize-finalization", "clusterizeFinalization"},
      {"join-nfs-finalization", "joinNfsFinalization"},
      {"report", "report"},
      {"status", "status"},
      {"fetch", "fetch"},
      {"scale-down", "scaleDown"},
      {"terminate", "terminate"},
      {"transient", "transient"},
      {"management", "management"}};
  for (const auto& [fn, handler] : handlers) {
    const graph::ResourceInstance& f = p.R("aws_lambda_function.this[\"" + fn + "\"]");
    EXPECT_EQ(Arg(f, "function_name"), "weka-poc-" + fn + "-lambda");
    EXPECT_EQ(Arg(f, "runtime"), "provided.al2023");
    EXPECT_EQ(Arg(f, "architectures"), "[\"arm64\"]");
    EXPECT_EQ(Arg(f, "handler"), "bootstrap");
    EXPECT_EQ(Arg(f, "memory_size"), "128");
    EXPECT_EQ(Arg(f, "timeout"), "20");
    EXPECT_EQ(Arg(f, "environment.0.variables.LAMBDA"), handler);
    EXPECT_EQ(Arg(f, "logging_config.0.log_format"), "Text");
    bool in_vpc = fn == "scale-down" || fn == "management";
    EXPECT_EQ(At(f.values, "vpc_config").Length(), in_vpc ? 1u : 0u) << fn;
    const graph::ResourceInstance& logs = p.R("aws_cloudwatch_log_group.lambda[\"" + fn + "\"]");
    EXPECT_EQ(Arg(logs, "name"), "/aws/lambda/weka/weka-poc-" + fn + "-lambda");
    EXPECT_EQ(Arg(logs, "retention_in_days"), "30");
  }
  // Derived values for i3en.2xlarge without a dedicated frontend (reference §1.9).
  std::map<std::string, std::string> deploy =
      StringMap(At(p.R("aws_lambda_function.this[\"deploy\"]").values, "environment.0.variables"));
  EXPECT_EQ(deploy["COMPUTE_CONTAINER_CORES_NUM"], "2");
  EXPECT_EQ(deploy["FRONTEND_CONTAINER_CORES_NUM"], "0");
  EXPECT_EQ(deploy["DRIVE_CONTAINER_CORES_NUM"], "1");
  EXPECT_EQ(deploy["COMPUTE_MEMORY"], "32.9GB");
  EXPECT_EQ(deploy["NICS_NUM"], "4");
  EXPECT_EQ(deploy["NVMES_NUM"], "2");
  EXPECT_EQ(deploy["INSTALL_DPDK"], "true");
  EXPECT_EQ(deploy["STATE_KEY"], "weka-poc-state");
  EXPECT_EQ(deploy["INSTALL_URL"],
            "https://$TOKEN@get.weka.io/dist/v1/install/4.4.10/4.4.10?provider=aws&region="
            "eu-west-1");
  std::map<std::string, std::string> clusterize = StringMap(
      At(p.R("aws_lambda_function.this[\"clusterize\"]").values, "environment.0.variables"));
  EXPECT_EQ(clusterize["HOSTS_NUM"], "6");
  EXPECT_EQ(clusterize["STRIPE_WIDTH"], "3");
  EXPECT_EQ(clusterize["PROTECTION_LEVEL"], "2");
  EXPECT_EQ(clusterize["HOTSPARE"], "1");
  std::map<std::string, std::string> fetch =
      StringMap(At(p.R("aws_lambda_function.this[\"fetch\"]").values, "environment.0.variables"));
  EXPECT_EQ(fetch["ROLE"], "backend");
  EXPECT_EQ(fetch["ASG_NAME"], "weka-poc-autoscaling-group");
  EXPECT_EQ(fetch["NFS_ASG_NAME"], "weka-poc-nfs-protocol-gateway");
  EXPECT_EQ(fetch["DOWN_BACKENDS_REMOVAL_TIMEOUT"], "3h");
  EXPECT_EQ(fetch["USE_SECRETMANAGER_ENDPOINT"], "true");
  // No function gets a secret's value, only its id.
  for (const auto& [name, value] : deploy) {
    EXPECT_NE(value, "example-token") << name;
  }

  const graph::ResourceInstance& rule = p.R("aws_cloudwatch_event_rule.scale_down");
  EXPECT_EQ(Arg(rule, "name"), "weka-poc-scale-down-trigger-rule");
  EXPECT_EQ(Arg(rule, "schedule_expression"), "rate(1 minute)");
  EXPECT_EQ(Arg(p.R("aws_cloudwatch_event_target.scale_down"), "target_id"),
            "TriggerStepFunctionFromCloudWatch");
  const graph::ResourceInstance& sfn = p.R("aws_sfn_state_machine.scale_down");
  EXPECT_EQ(Arg(sfn, "name"), "weka-poc-scale-down-state-machine");
  EXPECT_EQ(Arg(sfn, "type"), "STANDARD");
  EXPECT_EQ(Arg(sfn, "tags.Name"), "weka-poc-scale-down-state-machine");
  EXPECT_EQ(Arg(sfn, "logging_configuration.0.level"), "ALL");
  EXPECT_EQ(Arg(p.R("aws_cloudwatch_log_group.scale_down_sfn"), "name"),
            "/aws/vendedlogs/states/weka/poc-scale-down-sfn");
}

TEST_F(WekaModuleTest, StateMachineDefinitionChainsTheFourTasks) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  hcl::Value definition = At(p.R("aws_sfn_state_machine.scale_down").values, "definition");
  ASSERT_TRUE(definition.IsKnown());
  nlohmann::json got = nlohmann::json::parse(definition.AsString());
  const std::string arn = "arn:aws:lambda:eu-west-1:123456789012:function:weka-poc-";
  nlohmann::json states = {
      {"Fetch", {{"Type", "Task"}, {"Resource", arn + "fetch-lambda"}, {"Next", "ScaleDown"}}},
      {"ScaleDown",
       {{"Type", "Task"}, {"Resource", arn + "scale-down-lambda"}, {"Next", "Terminate"}}},
      {"Terminate",
       {{"Type", "Task"}, {"Resource", arn + "terminate-lambda"}, {"Next", "ErrorCheck"}}},
      {"ErrorCheck",
       {{"Type", "Choice"},
        {"Choices",
         {{{"Variable", "$.TransientErrors"}, {"IsNull", false}, {"Next", "Transient"}}}},
        {"Default", "Success"}}},
      {"Success", {{"Type", "Succeed"}}},
      {"Transient", {{"Type", "Task"}, {"Resource", arn + "transient-lambda"}, {"End", true}}},
  };
  EXPECT_EQ(got["StartAt"], "Fetch");
  EXPECT_EQ(got["States"], states);
  EXPECT_THAT(p.R("aws_sfn_state_machine.scale_down").depends_on,
              IsSupersetOf({"module.weka_deployment.aws_lambda_function.this[\"fetch\"]",
                            "module.weka_deployment.aws_lambda_function.this[\"transient\"]"}));
}

TEST_F(WekaModuleTest, MinimalExampleOutputs) {
  Planned p = PlanExample("weka-minimal");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(Str(p.Output("cluster_name")), "poc");
  EXPECT_EQ(Str(p.Output("ips_type")), "PublicIpAddress");
  EXPECT_EQ(Str(p.Output("local_ssh_private_key")), "/tmp/weka-poc-private-key.pem");
  EXPECT_EQ(Str(p.Output("placement_group_name")), "weka-poc-placement-group");
  EXPECT_EQ(Str(p.Output("asg_name")), "weka-poc-autoscaling-group");
  EXPECT_FALSE(p.Output("alb_dns_name").IsKnown());
  hcl::Value commands = p.Output("cluster_helper_commands");
  EXPECT_FALSE(commands.IsNull());
  EXPECT_EQ(Str(At(commands, "get_status")),
            "aws lambda invoke --region eu-west-1 --function-name weka-poc-status-lambda "
            "--cli-binary-format raw-in-base64-out --payload '{\"type\": \"progress\"}' "
            "/dev/stdout");
  EXPECT_EQ(Str(At(commands, "get_ips")),
            "aws autoscaling describe-auto-scaling-groups --region eu-west-1 "
            "--auto-scaling-group-names weka-poc-autoscaling-group --query "
            "\"AutoScalingGroups[].Instances[].InstanceId\" --output text | xargs -r aws ec2 "
            "describe-instances --region eu-west-1 --query "
            "\"Reservations[].Instances[].PublicIpAddress\" --output json --instance-ids");
  // The admin password secret's id is known after apply.
  EXPECT_FALSE(At(commands, "get_password").IsKnown());
  EXPECT_TRUE(p.Output("client_helper_commands").IsNull());
  EXPECT_TRUE(p.Output("nfs_protocol_gateways_ips").IsNull());
  EXPECT_THAT(Str(p.Output("data_services_ips")),
              AllOf(HasSubstr("aws ec2 describe-instances --region eu-west-1"),
                    HasSubstr("Name=tag:Name,Values=weka-poc-data-services*"),
                    HasSubstr("Name=instance-state-name,Values=running"),
                    HasSubstr("Reservations[].Instances[].PublicIpAddress")));
  EXPECT_TRUE(p.Output("pre_terraform_destroy_command").IsNull());
  EXPECT_TRUE(p.Output("get_cert_private_key").IsNull());
  EXPECT_FALSE(p.Output("get_cert_pem").IsKnown());
}

// ---- Existing network ----

TEST_F(WekaModuleTest, ExistingNetworkCreatesNoNetworkAndUsesTheGivenSubnets) {
  Planned p = PlanExample("weka-existing-network");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  for (const std::string& address : p.Addresses()) {
    EXPECT_THAT(address, Not(AnyOf(StartsWith("aws_vpc."), StartsWith("aws_subnet."),
                                   StartsWith("aws_internet_gateway."),
                                   StartsWith("aws_route_table"), StartsWith("aws_nat_gateway."),
                                   StartsWith("aws_eip."), StartsWith("aws_security_group."))))
        << address;
  }
  const graph::ResourceInstance& lb = p.R("aws_lb.this[0]");
  EXPECT_EQ(Arg(lb, "name"), "acme-prod-lb");
  EXPECT_EQ(Arg(lb, "subnets"), "[\"subnet-0a1b2c3d4e5f60718\",\"subnet-0fedcba9876543210\"]");
  EXPECT_EQ(Arg(lb, "security_groups"), "[\"sg-0123456789abcdef0\"]");
  const graph::ResourceInstance& lt = p.R("aws_launch_template.backend");
  EXPECT_EQ(Arg(lt, "network_interfaces.0.subnet_id"), "subnet-0a1b2c3d4e5f60718");
  EXPECT_EQ(Arg(lt, "network_interfaces.0.security_groups"), "[\"sg-0123456789abcdef0\"]");
  EXPECT_EQ(Arg(lt, "network_interfaces.0.associate_public_ip_address"), "false");
  EXPECT_EQ(Arg(lt, "tag_specifications.0.tags.team"), "storage");
  // i3en.6xlarge: 4 compute + 1 (no dedicated frontend), 2 drive, 8 NICs.
  EXPECT_EQ(Arg(lt, "block_device_mappings.0.ebs.0.volume_size"), "118");
  std::map<std::string, std::string> deploy =
      StringMap(At(p.R("aws_lambda_function.this[\"deploy\"]").values, "environment.0.variables"));
  EXPECT_EQ(deploy["COMPUTE_CONTAINER_CORES_NUM"], "5");
  EXPECT_EQ(deploy["DRIVE_CONTAINER_CORES_NUM"], "2");
  EXPECT_EQ(deploy["FRONTEND_CONTAINER_CORES_NUM"], "0");
  EXPECT_EQ(deploy["COMPUTE_MEMORY"], "136.5GB");
  EXPECT_EQ(deploy["NICS_NUM"], "8");
  std::map<std::string, std::string> clusterize = StringMap(
      At(p.R("aws_lambda_function.this[\"clusterize\"]").values, "environment.0.variables"));
  EXPECT_EQ(clusterize["STRIPE_WIDTH"], "5");
  const graph::ResourceInstance& asg = p.R("aws_autoscaling_group.backend");
  EXPECT_EQ(Arg(asg, "min_size"), "8");
  EXPECT_EQ(Arg(asg, "max_size"), "56");
  EXPECT_EQ(Arg(asg, "vpc_zone_identifier"), "[\"subnet-0a1b2c3d4e5f60718\"]");
  EXPECT_EQ(Arg(p.R("aws_vpc_endpoint.secretmanager[0]"), "security_group_ids"),
            "[\"sg-0123456789abcdef0\"]");
  EXPECT_EQ(Str(p.Output("ips_type")), "PrivateIpAddress");
  EXPECT_EQ(Str(p.Output("subnet_ids")), "[\"subnet-0a1b2c3d4e5f60718\"]");
  EXPECT_EQ(Str(p.Output("sg_ids")), "[\"sg-0123456789abcdef0\"]");
  EXPECT_FALSE(p.Output("vpc_id").IsKnown());
}

// ---- Tiering, NFS, SMB and clients ----

TEST_F(WekaModuleTest, TieringProtocolsExamplePlansGatewaysClientsAndTiering) {
  Planned p = PlanExample("weka-tiering-protocols");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  // Tiering: the backends may use the bucket, which is not created by the module.
  EXPECT_EQ(Arg(p.R("aws_iam_policy.backend_obs[0]"), "name"), "lab-tiered-obs-policy");
  EXPECT_THAT(Arg(p.R("aws_iam_policy.backend_obs[0]"), "policy"),
              HasSubstr("arn:aws:s3:::lab-tiered-obs*"));
  EXPECT_TRUE(p.Has("aws_iam_role_policy_attachment.backend[\"obs\"]"));
  EXPECT_THAT(Arg(p.R("aws_iam_policy.lambda[0]"), "policy"), Not(HasSubstr("s3:CreateBucket")));
  std::map<std::string, std::string> clusterize = StringMap(
      At(p.R("aws_lambda_function.this[\"clusterize\"]").values, "environment.0.variables"));
  EXPECT_EQ(clusterize["SET_OBS"], "true");
  EXPECT_EQ(clusterize["OBS_NAME"], "lab-tiered-obs");
  EXPECT_EQ(clusterize["OBS_TIERING_SSD_PERCENT"], "25");
  EXPECT_EQ(clusterize["CREATE_OBS_BUCKET"], "false");

  // NFS: an autoscaling group of 2 and its own state item.
  const graph::ResourceInstance& nfs = p.R("aws_autoscaling_group.nfs_gateways[0]");
  EXPECT_EQ(Arg(nfs, "name"), "lab-tiered-nfs-protocol-gateway");
  EXPECT_EQ(Arg(nfs, "desired_capacity"), "2");
  EXPECT_THAT(Arg(p.R("aws_dynamodb_table_item.state[\"nfs\"]"), "item"),
              AllOf(HasSubstr("\"Key\":{\"S\":\"lab-tiered-nfs-state\"}"),
                    HasSubstr("\"initial_size\":{\"N\":\"2\"}")));
  const graph::ResourceInstance& nfs_lt = p.R("aws_launch_template.gateway[\"nfs\"]");
  EXPECT_EQ(Arg(nfs_lt, "instance_type"), "c5n.2xlarge");
  EXPECT_EQ(Arg(nfs_lt, "disable_api_stop"), "false");
  EXPECT_EQ(Arg(nfs_lt, "tag_specifications.0.tags.weka_hostgroup_type"), "gateways-protocol");
  EXPECT_EQ(Arg(nfs_lt, "tag_specifications.0.tags.protocol"), "NFS");
  EXPECT_EQ(Arg(nfs_lt, "placement.0.group_name"), "lab-tiered-placement-group");
  EXPECT_EQ(Arg(p.R("aws_iam_role.gateway[\"nfs\"]"), "name"), "lab-tiered-nfs-protocol-gateway");

  // SMB: three protected instances.
  for (int i = 0; i < 3; ++i) {
    const graph::ResourceInstance& smb = p.R("aws_instance.smb_gateway[" + std::to_string(i) + "]");
    EXPECT_EQ(Arg(smb, "tags.Name"), "lab-tiered-smb-protocol-gateway-" + std::to_string(i));
    EXPECT_EQ(Arg(smb, "tags.protocol"), "SMB");
  }
  EXPECT_FALSE(p.Has("aws_instance.smb_gateway[3]"));
  const graph::ResourceInstance& smb_lt = p.R("aws_launch_template.gateway[\"smb\"]");
  EXPECT_EQ(Arg(smb_lt, "disable_api_termination"), "true");
  EXPECT_EQ(Arg(smb_lt, "disable_api_stop"), "true");
  EXPECT_EQ(Arg(p.R("aws_iam_role.gateway[\"smb\"]"), "name"), "lab-tiered-smb-protocol-gateway");
  EXPECT_FALSE(p.Has("aws_launch_template.gateway[\"s3\"]"));

  // Clients: two instances with their own role.
  EXPECT_TRUE(p.Has("aws_instance.client[0]"));
  EXPECT_TRUE(p.Has("aws_instance.client[1]"));
  EXPECT_FALSE(p.Has("aws_autoscaling_group.client[0]"));
  EXPECT_EQ(Arg(p.R("aws_iam_role.client[0]"), "name"), "lab-tiered-client");
  EXPECT_EQ(Arg(p.R("aws_instance.client[1]"), "tags.weka_hostgroup_type"), "client");
  EXPECT_EQ(Arg(p.R("aws_launch_template.client[0]"), "instance_type"), "c5.2xlarge");

  EXPECT_EQ(Str(p.Output("nfs_protocol_gateways_name")), "lab-tiered-nfs-protocol-gateway");
  EXPECT_EQ(Str(p.Output("smb_protocol_gateways_name")), "lab-tiered-smb-protocol-gateway");
  EXPECT_TRUE(p.Output("s3_protocol_gateways_name").IsNull());
  EXPECT_THAT(Str(p.Output("nfs_protocol_gateways_ips")),
              HasSubstr("Name=tag:Name,Values=lab-tiered-nfs-protocol-gateway*"));
  EXPECT_THAT(Str(p.Output("pre_terraform_destroy_command")),
              AllOf(HasSubstr("Values=lab-tiered-smb-protocol-gateway*"),
                    HasSubstr("modify-instance-attribute"), HasSubstr("--no-disable-api-stop")));
  EXPECT_THAT(Str(At(p.Output("client_helper_commands"), "get_ips")),
              HasSubstr("Values=lab-tiered-client*"));
  hcl::Value client_ips = p.Output("client_ips");
  ASSERT_TRUE(client_ips.IsKnown());
  ASSERT_EQ(client_ips.Length(), 2u);
  EXPECT_FALSE(client_ips.Elements()[0].IsKnown());
  EXPECT_TRUE(p.Output("client_asg_name").IsNull());
}

// ---- i8ge with a dedicated frontend ----

TEST_F(WekaModuleTest, I8geDedicatedFrontendUsesTheSecondMemoryColumn) {
  Planned p = PlanExample("weka-i8ge-frontend");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  std::map<std::string, std::string> deploy =
      StringMap(At(p.R("aws_lambda_function.this[\"deploy\"]").values, "environment.0.variables"));
  // i8ge.6xlarge: compute 6, drive 2, frontend 1, 10 NICs, memory 136.5GB / 136.2GB.
  EXPECT_EQ(deploy["COMPUTE_CONTAINER_CORES_NUM"], "6");
  EXPECT_EQ(deploy["FRONTEND_CONTAINER_CORES_NUM"], "1");
  EXPECT_EQ(deploy["DRIVE_CONTAINER_CORES_NUM"], "2");
  EXPECT_EQ(deploy["COMPUTE_MEMORY"], "136.2GB");
  EXPECT_EQ(deploy["NICS_NUM"], "10");
  std::map<std::string, std::string> clusterize = StringMap(
      At(p.R("aws_lambda_function.this[\"clusterize\"]").values, "environment.0.variables"));
  EXPECT_EQ(clusterize["PROTECTION_LEVEL"], "4");
  EXPECT_EQ(clusterize["STRIPE_WIDTH"], "5");  // min(10 - 4 - 1, 16)
  EXPECT_EQ(clusterize["HOSTS_NUM"], "10");
  const graph::ResourceInstance& lt = p.R("aws_launch_template.backend");
  EXPECT_EQ(Arg(lt, "image_id"),
            "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64");
  EXPECT_EQ(Arg(lt, "block_device_mappings.0.ebs.0.volume_size"), "138");
  EXPECT_EQ(Arg(p.R("aws_autoscaling_group.backend"), "max_size"), "70");
  EXPECT_EQ(Arg(p.R("aws_subnet.alb_additional[0]"), "availability_zone"), "us-west-2b");
}

TEST_F(WekaModuleTest, StripeWidthIsCappedAtSixteenAndTakenAsGiven) {
  Planned big = PlanModule("weka_version = \"4.4.10\"\ncluster_size = 30");
  ASSERT_FALSE(big.diags.HasErrors()) << big.rendered_diags;
  EXPECT_EQ(StringMap(At(big.R("aws_lambda_function.this[\"clusterize\"]").values,
                         "environment.0.variables"))["STRIPE_WIDTH"],
            "16");
  Planned given = PlanModule("weka_version = \"4.4.10\"\ncluster_size = 30\nstripe_width = 7");
  ASSERT_FALSE(given.diags.HasErrors()) << given.rendered_diags;
  EXPECT_EQ(StringMap(At(given.R("aws_lambda_function.this[\"clusterize\"]").values,
                         "environment.0.variables"))["STRIPE_WIDTH"],
            "7");
}

TEST_F(WekaModuleTest, UdpModeAddsNoExtraInterfaces) {
  Planned p = PlanModule("weka_version = \"4.4.10\"\ninstall_cluster_dpdk = false");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(StringMap(At(p.R("aws_lambda_function.this[\"deploy\"]").values,
                         "environment.0.variables"))["INSTALL_DPDK"],
            "false");
}

// ---- Naming ----

TEST_F(WekaModuleTest, CustomPrefixesNameEachFamily) {
  Planned p = PlanModule(R"(weka_version = "4.4.10"
cluster_name = "c1"
custom_prefix = {
  lb = "lbp", db = "dbp", kms = "kmsp", cloudwatch = "cwp", sfn = "sfnp",
  lambda = "lmp", secrets = "secp", ec2 = "ecp", iam = "iamp", obs = "obsp"
}
tiering_enable_obs_integration = true)");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(Arg(p.R("aws_lb.this[0]"), "name"), "lbp-c1-lb");
  EXPECT_EQ(Arg(p.R("aws_lb_target_group.backend[0]"), "name"), "lbp-c1-lb-tg");
  EXPECT_EQ(Arg(p.R("aws_dynamodb_table.state[0]"), "name"), "dbp-c1-weka-deployment");
  // State keys keep the plain prefix.
  EXPECT_THAT(Arg(p.R("aws_dynamodb_table_item.state[\"backend\"]"), "item"),
              HasSubstr("\"Key\":{\"S\":\"weka-c1-state\"}"));
  EXPECT_EQ(Arg(p.R("aws_kms_alias.ebs[0]"), "name"), "alias/kmsp-c1");
  EXPECT_EQ(Arg(p.R("aws_cloudwatch_event_rule.scale_down"), "name"),
            "cwp-c1-scale-down-trigger-rule");
  EXPECT_EQ(Arg(p.R("aws_cloudwatch_log_group.lambda[\"deploy\"]"), "name"),
            "/aws/lambda/cwp/lmp-c1-deploy-lambda");
  EXPECT_EQ(Arg(p.R("aws_sfn_state_machine.scale_down"), "name"),
            "sfnp-c1-scale-down-state-machine");
  EXPECT_EQ(Arg(p.R("aws_lambda_function.this[\"deploy\"]"), "function_name"),
            "lmp-c1-deploy-lambda");
  EXPECT_THAT(Arg(p.R("aws_iam_policy.lambda[0]"), "policy"), HasSubstr("secret:secp*"));
  EXPECT_EQ(Arg(p.R("aws_autoscaling_group.backend"), "name"), "ecp-c1-autoscaling-group");
  EXPECT_EQ(Arg(p.R("aws_placement_group.this[0]"), "name"), "ecp-c1-placement-group");
  EXPECT_EQ(Arg(p.R("aws_iam_role.backend[0]"), "name"), "iamp-c1-iam-role");
  EXPECT_EQ(Arg(p.R("aws_iam_role.gateway[\"data\"]"), "name"), "iamp-c1-data-services");
  EXPECT_EQ(Arg(p.R("aws_autoscaling_group.data_services[0]"), "name"), "ecp-c1-data-services");
  EXPECT_THAT(Arg(p.R("aws_iam_policy.backend_obs[0]"), "policy"),
              HasSubstr("arn:aws:s3:::obsp-c1-obs*"));
  // The network keeps the plain prefix.
  EXPECT_EQ(Arg(p.R("aws_vpc.this[0]"), "tags.Name"), "weka-vpc");
  EXPECT_EQ(Arg(p.R("aws_security_group.backend[0]"), "name"), "weka-c1-sg");
}

TEST_F(WekaModuleTest, LongNamesAreTruncatedToAwsLimits) {
  Planned p = PlanModule(R"(weka_version = "4.4.10"
prefix = "averyveryverylongprefix"
cluster_name = "an-exceedingly-long-cluster-name-for-testing")");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  std::string alb = Arg(p.R("aws_lb.this[0]"), "name");
  std::string tg = Arg(p.R("aws_lb_target_group.backend[0]"), "name");
  EXPECT_LE(alb.size(), 32u);
  EXPECT_LE(tg.size(), 32u);
  EXPECT_EQ(alb, "averyveryverylongprefix-an-excee");
  // A cut that ends on a hyphen is trimmed (AWS refuses a trailing hyphen).
  Planned hyphen = PlanModule(R"(weka_version = "4.4.10"
prefix = "abcdefghijklmnopqrstuvwxyz"
cluster_name = "abcd-efgh")");
  ASSERT_FALSE(hyphen.diags.HasErrors()) << hyphen.rendered_diags;
  EXPECT_EQ(Arg(hyphen.R("aws_lb.this[0]"), "name"), "abcdefghijklmnopqrstuvwxyz-abcd");
  for (const graph::ResourceInstance& r : p.module().instances) {
    if (r.type == "aws_lambda_function") {
      EXPECT_LE(Arg(r, "function_name").size(), 64u) << r.Address();
    }
  }
  EXPECT_EQ(Arg(p.R("aws_lambda_function.this[\"clusterize-finalization\"]"), "function_name"),
            "averyveryverylongprefix-an-exceedingly-long-cluster-name-for-tes");
  EXPECT_EQ(Arg(p.R("aws_lambda_function.this[\"deploy\"]"), "function_name"),
            "averyveryverylongprefix-an-exceedingly-long-cluster-name-for-tes");
}

// ---- Preconditions ----

class WekaPreconditionTest : public WekaModuleTest {
 protected:
  // The expansion's error messages (summary and detail).
  std::string Errors(const std::string& arguments) {
    Planned p = PlanModule(arguments);
    std::string out;
    for (const hcl::Diagnostic& d : p.diags) {
      if (d.severity == hcl::Severity::kError) {
        out += d.summary + ": " + d.detail + "\n";
      }
    }
    return out;
  }
};

TEST_F(WekaPreconditionTest, NeedsAWekaVersionOrInstallUrl) {
  EXPECT_THAT(Errors(""), HasSubstr("Please provide either weka_version or install_weka_url."));
  EXPECT_EQ(Errors("install_weka_url = \"s3://bucket/weka.tar\""), "");
  EXPECT_EQ(Errors("weka_version = \"4.4.10\""), "");
}

TEST_F(WekaPreconditionTest, TieringBucketMustStartWithTheIamPrefix) {
  EXPECT_THAT(Errors(R"(weka_version = "4.4.10"
tiering_enable_obs_integration = true
tiering_obs_name = "other-bucket"
tiering_obs_iam_bucket_prefix = "weka-")"),
              HasSubstr("The tiering bucket name \"other-bucket\" must start with "
                        "tiering_obs_iam_bucket_prefix \"weka-\"."));
  EXPECT_EQ(Errors(R"(weka_version = "4.4.10"
tiering_enable_obs_integration = true
tiering_obs_name = "weka-bucket"
tiering_obs_iam_bucket_prefix = "weka-")"),
            "");
  // The bucket the module names itself is checked too.
  EXPECT_THAT(Errors(R"(weka_version = "4.4.10"
tiering_enable_obs_integration = true
tiering_obs_iam_bucket_prefix = "corp-")"),
              HasSubstr("The tiering bucket name \"weka-poc-obs\" must start with"));
}

TEST_F(WekaPreconditionTest, SmbSetupNeedsADomainName) {
  EXPECT_THAT(Errors("weka_version = \"4.4.10\"\nsmb_protocol_gateways_number = 3"),
              HasSubstr("smb_domain_name is required to set up the SMB protocol "
                        "(smb_setup_protocol = true)."));
  EXPECT_EQ(Errors("weka_version = \"4.4.10\"\nsmb_protocol_gateways_number = 3\n"
                   "smb_setup_protocol = false"),
            "");
}

TEST_F(WekaPreconditionTest, DevLambdasNeedAnMd5Version) {
  EXPECT_THAT(Errors("weka_version = \"4.4.10\"\nlambdas_dist = \"dev\"\nlambdas_version = \"x\""),
              HasSubstr("Please update lambdas version."));
  EXPECT_EQ(Errors("weka_version = \"4.4.10\"\nlambdas_dist = \"dev\"\n"
                   "lambdas_version = \"85b38faf0f1f4aa2b2f5c6a0e0c0d0e0\""),
            "");
}

TEST_F(WekaPreconditionTest, InstanceTypeMustBeInTheContainersConfigMap) {
  EXPECT_THAT(Errors("weka_version = \"4.4.10\"\ninstance_type = \"m5.large\""),
              HasSubstr("instance_type \"m5.large\" is not a key of containers_config_map"));
}

TEST_F(WekaPreconditionTest, ExistingSubnetNeedsTheAlbsSecondSubnet) {
  EXPECT_THAT(Errors("weka_version = \"4.4.10\"\nsubnet_ids = [\"subnet-1\"]\nsg_ids = [\"sg-1\"]"),
              HasSubstr("alb_additional_subnet_id is required when subnet_ids is given"));
  EXPECT_EQ(Errors("weka_version = \"4.4.10\"\nsubnet_ids = [\"subnet-1\"]\nsg_ids = [\"sg-1\"]\n"
                   "create_alb = false"),
            "");
}

// ---- Network modes, optional parts ----

TEST_F(WekaModuleTest, NatModePutsTheClusterInAPrivateSubnet) {
  Planned p = PlanModule("weka_version = \"4.4.10\"\ncreate_nat_gateway = true");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(Arg(p.R("aws_subnet.public[0]"), "cidr_block"), "10.0.2.0/24");
  EXPECT_EQ(Arg(p.R("aws_subnet.private[0]"), "cidr_block"), "10.0.1.0/24");
  EXPECT_EQ(Arg(p.R("aws_subnet.private[0]"), "tags.Name"), "weka-private-subnet-0");
  EXPECT_EQ(Arg(p.R("aws_nat_gateway.this[0]"), "tags.Name"), "weka-private-nat");
  EXPECT_EQ(Arg(p.R("aws_route_table.nat[0]"), "tags.Name"), "weka-nat-rt");
  EXPECT_TRUE(p.Has("aws_eip.nat[0]"));
  EXPECT_TRUE(p.Has("aws_route_table_association.private_nat[0]"));
  EXPECT_FALSE(p.Has("aws_subnet.public[1]"));
  EXPECT_EQ(
      Arg(p.R("aws_launch_template.backend"), "network_interfaces.0.associate_public_ip_address"),
      "false");
  EXPECT_THAT(p.R("aws_launch_template.backend").depends_on,
              Contains("module.weka.aws_subnet.private[0]"));
}

TEST_F(WekaModuleTest, PrivateModeHasNoRouteOut) {
  Planned p = PlanModule("weka_version = \"4.4.10\"\nsubnet_autocreate_as_private = true");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_TRUE(p.Has("aws_subnet.private[0]"));
  EXPECT_FALSE(p.Has("aws_internet_gateway.this[0]"));
  EXPECT_FALSE(p.Has("aws_nat_gateway.this[0]"));
  EXPECT_FALSE(p.Has("aws_subnet.public[0]"));
  EXPECT_FALSE(p.Has("aws_route_table_association.alb_additional[0]"));
  EXPECT_EQ(Str(p.Output("ips_type")), "PrivateIpAddress");
}

TEST_F(WekaModuleTest, WithoutAlbNoLoadBalancerCertificateOrSecond) {
  Planned p = PlanModule("weka_version = \"4.4.10\"\ncreate_alb = false\ndata_services_number = 0");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  for (const std::string& address : p.Addresses()) {
    EXPECT_THAT(address, Not(AnyOf(StartsWith("aws_lb"), StartsWith("tls_self_signed_cert"),
                                   StartsWith("aws_acm_certificate"),
                                   StartsWith("aws_subnet.alb_additional"),
                                   HasSubstr("self_signed_cert_pem"), HasSubstr(".gateway["),
                                   HasSubstr("data_services"))))
        << address;
  }
  EXPECT_TRUE(p.Output("alb_dns_name").IsNull());
  EXPECT_TRUE(p.Output("data_services_ips").IsNull());
  EXPECT_EQ(Arg(p.R("aws_autoscaling_group.backend"), "target_group_arns"), "[]");
}

TEST_F(WekaModuleTest, AlbDnsNamePrefersTheCustomName) {
  Planned p = PlanModule(
      "weka_version = \"4.4.10\"\nalb_dns_name = \"weka.example.com\"\n"
      "alb_alias_name = \"weka\"\nalb_route53_zone_id = \"Z123\"");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(Str(p.Output("alb_dns_name")), "weka.example.com");
  EXPECT_EQ(Arg(p.R("aws_route53_record.alb[0]"), "type"), "A");
  EXPECT_EQ(Arg(p.R("aws_route53_record.alb[0]"), "zone_id"), "Z123");
}

TEST_F(WekaModuleTest, EachEndpointFlagCreatesItsEndpointWithASecurityGroup) {
  // The public module's lambda endpoint needed the ec2 endpoint's group (quirk 2).
  Planned p = PlanModule(
      "weka_version = \"4.4.10\"\nvpc_endpoint_lambda_create = true\n"
      "vpc_endpoint_dynamodb_gateway_create = true\n"
      "secretmanager_sg_ids = [\"sg-endpoint\"]");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  const graph::ResourceInstance& lambda = p.R("aws_vpc_endpoint.interface[\"lambda\"]");
  EXPECT_EQ(Arg(lambda, "service_name"), "com.amazonaws.us-east-1.lambda");
  EXPECT_THAT(lambda.depends_on, Contains("module.weka.aws_security_group.vpc_endpoints[0]"));
  EXPECT_FALSE(p.Has("aws_vpc_endpoint.interface[\"ec2\"]"));
  const graph::ResourceInstance& dynamodb = p.R("aws_vpc_endpoint.gateway[\"dynamodb\"]");
  EXPECT_EQ(Arg(dynamodb, "vpc_endpoint_type"), "Gateway");
  EXPECT_THAT(dynamodb.depends_on, Contains("module.weka.aws_route_table.public[0]"));
  // One Secrets Manager endpoint group is enough (quirk 3).
  EXPECT_EQ(Arg(p.R("aws_vpc_endpoint.secretmanager[0]"), "security_group_ids"),
            "[\"sg-endpoint\"]");
}

TEST_F(WekaModuleTest, ExistingRolesAndKeysAreNotCreated) {
  Planned p = PlanModule(R"(weka_version = "4.4.10"
instance_iam_profile_arn = "arn:aws:iam::1:instance-profile/p"
lambda_iam_role_arn = "arn:aws:iam::1:role/l"
sfn_iam_role_arn = "arn:aws:iam::1:role/s"
event_iam_role_arn = "arn:aws:iam::1:role/e"
ebs_kms_key_id = "arn:aws:kms:us-east-1:1:key/k"
key_pair_name = "mine"
placement_group_name = "pg"
secretmanager_enable_encryption = true
get_weka_io_token_secret_id = "token-secret"
data_services_number = 0)");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  for (const std::string& address : p.Addresses()) {
    EXPECT_THAT(address,
                Not(AnyOf(StartsWith("aws_iam_"), StartsWith("aws_kms_key.ebs"),
                          StartsWith("aws_key_pair"), StartsWith("tls_private_key.ssh"),
                          StartsWith("aws_placement_group"), HasSubstr("get_weka_io_token"))))
        << address;
  }
  // Secrets encryption on without a key: a rotated CMK for the control plane's role.
  EXPECT_EQ(Arg(p.R("aws_kms_alias.secrets[0]"), "name"), "alias/weka-poc-secrets");
  EXPECT_EQ(Arg(p.R("aws_kms_key.secrets[0]"), "enable_key_rotation"), "true");
  EXPECT_THAT(Arg(p.R("aws_kms_key.secrets[0]"), "policy"), HasSubstr("arn:aws:iam::1:role/l"));
  const graph::ResourceInstance& lt = p.R("aws_launch_template.backend");
  EXPECT_EQ(Arg(lt, "key_name"), "mine");
  EXPECT_EQ(Arg(lt, "placement.0.group_name"), "pg");
  EXPECT_EQ(Arg(lt, "iam_instance_profile.0.arn"), "arn:aws:iam::1:instance-profile/p");
  EXPECT_EQ(Arg(lt, "block_device_mappings.0.ebs.0.kms_key_id"), "arn:aws:kms:us-east-1:1:key/k");
  EXPECT_EQ(Arg(p.R("aws_lambda_function.this[\"status\"]"), "role"), "arn:aws:iam::1:role/l");
  EXPECT_EQ(StringMap(At(p.R("aws_lambda_function.this[\"deploy\"]").values,
                         "environment.0.variables"))["TOKEN_ID"],
            "token-secret");
  EXPECT_TRUE(p.Output("local_ssh_private_key").IsNull());
}

TEST_F(WekaPreconditionTest, ProxyEndpointIsRefusedUntilItsServiceNamesAreKnown) {
  EXPECT_THAT(Errors("weka_version = \"4.4.10\"\nvpc_endpoint_proxy_create = true"),
              HasSubstr("clusterform does not know the WEKA proxy endpoint service of this "
                        "region yet"));
}

TEST_F(WekaModuleTest, LambdaCodeComesFromTheGivenPackage) {
  Planned own = PlanModule("weka_version = \"4.4.10\"");
  ASSERT_FALSE(own.diags.HasErrors()) << own.rendered_diags;
  const graph::ResourceInstance& deploy = own.R("aws_lambda_function.this[\"deploy\"]");
  EXPECT_EQ(Arg(deploy, "filename"), "clusterform-lambda.zip");
  EXPECT_TRUE(At(deploy.values, "s3_bucket").IsNull());

  Planned release = PlanModule(
      "weka_version = \"4.4.10\"\nlambdas_version = \"85b38faf0f1f4aa2b2f5c6a0e0c0d0e0\"");
  ASSERT_FALSE(release.diags.HasErrors()) << release.rendered_diags;
  const graph::ResourceInstance& r = release.R("aws_lambda_function.this[\"deploy\"]");
  EXPECT_EQ(Arg(r, "s3_bucket"), "weka-tf-aws-releases-us-east-1");
  EXPECT_EQ(Arg(r, "s3_key"), "release/85b38faf0f1f4aa2b2f5c6a0e0c0d0e0.zip");
  EXPECT_TRUE(At(r.values, "filename").IsNull());

  Planned custom = PlanModule(
      "weka_version = \"4.4.10\"\nlambdas_custom_s3_bucket = \"mine\"\n"
      "lambdas_custom_s3_key = \"lambdas/weka.zip\"\nenable_lambda_vpc_config = true");
  ASSERT_FALSE(custom.diags.HasErrors()) << custom.rendered_diags;
  for (const graph::ResourceInstance& f : custom.module().instances) {
    if (f.type != "aws_lambda_function") {
      continue;
    }
    EXPECT_EQ(Arg(f, "s3_bucket"), "mine");
    EXPECT_EQ(Arg(f, "s3_key"), "lambdas/weka.zip");
    // enable_lambda_vpc_config puts every function in the VPC.
    EXPECT_EQ(At(f.values, "vpc_config").Length(), 1u) << f.Address();
  }
}

TEST_F(WekaModuleTest, GivenSecretsKeyIsUsableByTheControlPlane) {
  Planned p = PlanModule(R"(weka_version = "4.4.10"
secretmanager_enable_encryption = true
secretmanager_kms_key_id = "arn:aws:kms:us-east-1:1:key/s")");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_FALSE(p.Has("aws_kms_key.secrets[0]"));
  EXPECT_EQ(Arg(p.R("aws_secretsmanager_secret.weka_password"), "kms_key_id"),
            "arn:aws:kms:us-east-1:1:key/s");
  std::string policy = Arg(p.R("aws_iam_policy.lambda[0]"), "policy");
  EXPECT_THAT(policy, HasSubstr("kms:Decrypt"));
  EXPECT_THAT(policy, HasSubstr("arn:aws:kms:us-east-1:1:key/s"));
}

TEST_F(WekaModuleTest, ClientsInAnAutoscalingGroupAndS3Gateways) {
  Planned p = PlanModule(R"(weka_version = "4.4.10"
clients_number = 3
clients_use_autoscaling_group = true
client_instance_type = "c7gn.xlarge"
clients_use_dpdk = false
s3_protocol_gateways_number = 2)");
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  const graph::ResourceInstance& asg = p.R("aws_autoscaling_group.client[0]");
  EXPECT_EQ(Arg(asg, "name"), "weka-poc-client-asg");
  EXPECT_EQ(Arg(asg, "min_size"), "3");
  EXPECT_EQ(Arg(asg, "max_size"), "3");
  EXPECT_EQ(Arg(asg, "protect_from_scale_in"), "true");
  EXPECT_FALSE(p.Has("aws_instance.client[0]"));
  EXPECT_EQ(Str(p.Output("client_asg_name")), "weka-poc-client-asg");
  EXPECT_TRUE(p.Output("client_ips").IsNull());
  // c7gn is a Graviton type: the arm64 image.
  EXPECT_EQ(Arg(p.R("aws_launch_template.client[0]"), "image_id"),
            "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64");
  EXPECT_TRUE(p.Has("aws_instance.s3_gateway[1]"));
  EXPECT_EQ(Arg(p.R("aws_instance.s3_gateway[0]"), "tags.protocol"), "S3");
  EXPECT_EQ(Arg(p.R("aws_launch_template.gateway[\"s3\"]"), "disable_api_stop"), "true");
  EXPECT_EQ(Str(p.Output("s3_protocol_gateways_name")), "weka-poc-s3-protocol-gateway");
  EXPECT_THAT(Str(p.Output("pre_terraform_destroy_command")),
              HasSubstr("Values=weka-poc-s3-protocol-gateway*"));
  EXPECT_FALSE(p.Has("aws_dynamodb_table_item.state[\"nfs\"]"));
}

// ---- Local cloud ----

TEST_F(WekaModuleTest, LocalCloudUsesLoopbackCidrs) {
  Planned p = PlanModule("weka_version = \"4.4.10\"\ncreate_nat_gateway = true", "us-east-1",
                         {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}});
  ASSERT_FALSE(p.diags.HasErrors()) << p.rendered_diags;
  EXPECT_EQ(Arg(p.R("aws_vpc.this[0]"), "cidr_block"), "127.10.0.0/16");
  EXPECT_EQ(Arg(p.R("aws_subnet.private[0]"), "cidr_block"), "127.10.1.0/24");
  EXPECT_EQ(Arg(p.R("aws_subnet.public[0]"), "cidr_block"), "127.10.2.0/24");
  EXPECT_EQ(Arg(p.R("aws_subnet.alb_additional[0]"), "cidr_block"), "127.10.3.0/24");
}

TEST_F(WekaModuleTest, EveryCidrDefaultHasALoopbackLocalCloudDefault) {
  const config::ModuleDefinition* weka = Builtins().Find(weka::kSource);
  ASSERT_NE(weka, nullptr);
  // The local-cloud defaults, `name = value` one per line.
  std::map<std::string, std::string> local_defaults;
  std::string tfvars(weka::WekaLocalCloudDefaults());
  std::regex assignment(R"(^([a-z_]+)\s*=\s*(.*)$)", std::regex::multiline);
  for (std::sregex_iterator m(tfvars.begin(), tfvars.end(), assignment), end; m != end; ++m) {
    local_defaults[(*m)[1]] = (*m)[2];
  }
  EXPECT_EQ(local_defaults.size(), weka->local_cloud_defaults->size());
  std::regex cidr(R"(\d+\.\d+\.\d+\.\d+/\d+)");
  std::set<std::string> checked;
  for (const config::Variable& v : weka->schema->variables) {
    if (v.default_value == nullptr) {
      continue;
    }
    std::string text(hcl::SourceSlice(weka->schema->SourceOf(v.default_value->range.filename),
                                      v.default_value->range));
    if (!std::regex_search(text, cidr)) {
      continue;
    }
    checked.insert(v.name);
    ASSERT_TRUE(local_defaults.count(v.name)) << v.name << " has no local-cloud default";
    const std::string& local = local_defaults[v.name];
    int cidrs = 0;
    for (std::sregex_iterator m(local.begin(), local.end(), cidr), end; m != end; ++m) {
      EXPECT_THAT(m->str(), StartsWith("127.")) << v.name;
      ++cidrs;
    }
    EXPECT_GT(cidrs, 0) << v.name;
  }
  EXPECT_EQ(checked, (std::set<std::string>{"vpc_cidr", "subnets_cidrs", "nat_public_subnet_cidr",
                                            "alb_additional_subnet_cidr_block"}));
}

}  // namespace
}  // namespace cf::modules
