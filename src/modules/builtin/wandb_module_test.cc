// The built-in W&B module (source = "wandb/wandb/aws") expanded for a user's main.tf: the
// resources, their key arguments and references (reference wandb-module.md §2), the size
// presets (§1.1), naming limits, preconditions, outputs (§3) and the local-cloud defaults.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/base64.h"
#include "base/file_system.h"
#include "config/inputs.h"
#include "config/loader.h"
#include "graph/configuration.h"
#include "modules/builtin/builtin_modules.h"
#include "modules/wandb/schema.h"
#include "modules/wandb/sizes.h"
#include "testing/memory_file_system.h"

namespace cf::modules {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

constexpr const char* kAccount = "123456789012";

// Plan-time data sources as the provider answers them, for a fixed account.
class FakeDataSources : public graph::DataSources {
 public:
  explicit FakeDataSources(std::string region) : region_(std::move(region)) {}

  hcl::Value Read(std::string_view type, const hcl::Value& /*arguments*/,
                  const hcl::Range& /*range*/, hcl::Diagnostics& /*diags*/) override {
    if (type == "aws_region") {
      return hcl::Value::Object(
          {{"name", hcl::Value::String(region_)}, {"id", hcl::Value::String(region_)}});
    }
    if (type == "aws_partition") {
      return hcl::Value::Object({{"partition", hcl::Value::String("aws")},
                                 {"dns_suffix", hcl::Value::String("amazonaws.com")},
                                 {"id", hcl::Value::String("aws")}});
    }
    if (type == "aws_caller_identity") {
      return hcl::Value::Object(
          {{"account_id", hcl::Value::String(kAccount)}, {"id", hcl::Value::String(kAccount)}});
    }
    if (type == "aws_availability_zones") {
      hcl::ValueList names;
      for (const char* suffix : {"a", "b", "c"}) {
        names.push_back(hcl::Value::String(region_ + suffix));
      }
      return hcl::Value::Object({{"names", hcl::Value::List(hcl::Type::String(), names)},
                                 {"id", hcl::Value::String(region_)}});
    }
    return hcl::Value::Unknown(hcl::Type::Dynamic());
  }

 private:
  std::string region_;
};

// One planned configuration with its module "wandb".
struct Planned {
  std::unique_ptr<config::RootModule> root;
  config::InputValues inputs;
  graph::DesiredState state;
  hcl::Diagnostics diags;

  std::string Errors() const {
    return diags.HasErrors() ? config::FormatDiagnosticsWithSource(diags, *root) : "";
  }
  const graph::Expansion& Module() const { return state.modules.at(0); }

  // The instance at `address` (without the "module.wandb." prefix); fails the test if absent.
  const graph::ResourceInstance& R(const std::string& address) const {
    const graph::ResourceInstance* r = Module().Find("module.wandb." + address);
    if (r == nullptr) {
      ADD_FAILURE() << "no instance " << address;
      static const graph::ResourceInstance kNone;
      return kNone;
    }
    return *r;
  }
  bool Has(const std::string& address) const {
    return Module().Find("module.wandb." + address) != nullptr;
  }

  // Managed instances' addresses without the module prefix.
  std::vector<std::string> Managed() const {
    std::vector<std::string> out;
    for (const graph::ResourceInstance& r : Module().instances) {
      if (r.mode == graph::ResourceMode::kManaged) {
        out.push_back(r.Address().substr(std::string("module.wandb.").size()));
      }
    }
    return out;
  }

  const graph::OutputValue& Output(const std::string& name) const {
    for (const graph::OutputValue& o : Module().outputs) {
      if (o.name == name) {
        return o;
      }
    }
    ADD_FAILURE() << "no output " << name;
    static const graph::OutputValue kNone;
    return kNone;
  }
};

// The value at a dotted path ("vpc_config.0.subnet_ids"): object attributes by name,
// list elements by index.
hcl::Value At(const hcl::Value& value, const std::string& path) {
  hcl::Value v = value;
  size_t start = 0;
  while (start <= path.size() && !path.empty()) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!v.IsKnown() || v.IsNull()) {
      return v;
    }
    bool index = !part.empty() && std::all_of(part.begin(), part.end(), ::isdigit);
    if (index && v.type().IsSequence()) {
      size_t i = std::stoul(part);
      if (i >= v.Elements().size()) {
        return hcl::Value::Null(hcl::Type::Dynamic());
      }
      v = v.Elements()[i];
    } else {
      v = v.GetAttr(part);
    }
    if (dot == std::string::npos) {
      break;
    }
    start = dot + 1;
  }
  return v;
}

// A known string as itself; anything else as its debug rendering.
std::string Text(const hcl::Value& v) {
  if (v.IsKnown() && !v.IsNull() && !v.IsSensitive() && v.type().kind() == hcl::TypeKind::kString) {
    return v.AsString();
  }
  return v.ToDebugString();
}

std::string Text(const graph::ResourceInstance& r, const std::string& path) {
  return Text(At(r.values, path));
}

// The known strings of a list or set value.
std::vector<std::string> Strings(const hcl::Value& v) {
  std::vector<std::string> out;
  if (!v.IsKnown() || v.IsNull()) {
    return out;
  }
  for (const hcl::Value& e : v.Elements()) {
    out.push_back(Text(e));
  }
  return out;
}

// The tag `key` (which may contain dots) of an instance.
std::string Tag(const graph::ResourceInstance& r, const std::string& key) {
  return Text(r.values.GetAttr("tags").GetAttr(key));
}

bool RefersTo(const graph::ResourceInstance& r, const std::string& address) {
  return std::find(r.depends_on.begin(), r.depends_on.end(), "module.wandb." + address) !=
         r.depends_on.end();
}

class WandbModuleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { modules_ = new BuiltinModules(); }
  static void TearDownTestSuite() {
    delete modules_;
    modules_ = nullptr;
  }

  // Plans `files` (name -> text) in a directory of an in-memory file system.
  static Planned PlanFiles(const std::map<std::string, std::string>& files,
                           const std::map<std::string, std::string>& environment = {}) {
    InMemoryFileSystem fs;
    EXPECT_TRUE(fs.MakeDirectories("/cfg").ok());
    for (const auto& [name, text] : files) {
      EXPECT_TRUE(fs.WriteFileAtomic("/cfg/" + name, text).ok());
    }
    return PlanDir("/cfg", fs, environment);
  }

  static Planned PlanDir(const std::string& dir, const FileSystem& fs,
                         const std::map<std::string, std::string>& environment = {}) {
    Planned p;
    config::LoadResult loaded = config::LoadRootModule(dir, fs);
    p.root = std::move(loaded.module);
    p.diags.Append(loaded.diagnostics);
    p.inputs = config::CollectInputs(*p.root, environment, {}, fs, p.diags);
    graph::ConfigurationOptions options;
    options.lookup = modules_->Lookup();
    options.data_sources = [](const config::ProviderSettings& provider) {
      return std::make_unique<FakeDataSources>(provider.region.empty() ? "us-west-2"
                                                                       : provider.region);
    };
    options.environment = environment;
    p.state = graph::ExpandConfiguration(*p.root, p.inputs, options, p.diags);
    return p;
  }

  // A main.tf calling the module with the required inputs plus `extra` arguments.
  static std::string MainTf(const std::string& extra, const std::string& provider_body = "") {
    return "provider \"aws\" {\n  region = \"us-west-2\"\n" + provider_body +
           "}\n"
           "module \"wandb\" {\n"
           "  source = \"wandb/wandb/aws\"\n"
           "  namespace = \"wandb\"\n"
           "  domain_name = \"example.com\"\n"
           "  subdomain = \"wandb\"\n"
           "  zone_id = \"Z0123456789ABCDEFGHIJ\"\n"
           "  allowed_inbound_cidr = [\"0.0.0.0/0\"]\n"
           "  allowed_inbound_ipv6_cidr = [\"::/0\"]\n"
           "  eks_cluster_version = \"1.31\"\n"
           "  kubernetes_legacy_cluster_creator_admin = false\n"
           "  license = \"example-license\"\n" +
           extra + "}\n";
  }

  static Planned PlanNamespace(const std::string& ns, const std::string& extra) {
    std::string tf = MainTf(extra);
    const std::string from = "namespace = \"wandb\"";
    tf.replace(tf.find(from), from.size(), "namespace = \"" + ns + "\"");
    return PlanFiles({{"main.tf", tf}});
  }

  static Planned Plan(const std::string& extra,
                      const std::map<std::string, std::string>& environment = {}) {
    return PlanFiles({{"main.tf", MainTf(extra)}}, environment);
  }

  static Planned PlanExample(const std::string& name) {
    RealFileSystem fs;
    return PlanDir(std::string(CF_SOURCE_DIR) + "/examples/" + name, fs);
  }

  static BuiltinModules* modules_;
};

BuiltinModules* WandbModuleTest::modules_ = nullptr;

// ---- The examples ----

TEST_F(WandbModuleTest, EveryExampleExpandsWithoutErrors) {
  for (const char* example : {"wandb-standard", "wandb-byo-vpc", "wandb-private-only"}) {
    Planned p = PlanExample(example);
    EXPECT_FALSE(p.diags.HasErrors()) << example << ":\n" << p.Errors();
    ASSERT_EQ(p.state.modules.size(), 1u) << example;
    EXPECT_GT(p.Module().instances.size(), 50u) << example;
  }
}

TEST_F(WandbModuleTest, StandardExampleCreatesEveryResourceOfTheModule) {
  Planned p = PlanExample("wandb-standard");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  std::vector<std::string> expected = {
      // network (§2.1): 2 zones, 4 subnets each, NAT per zone
      "aws_vpc.this[0]",
      "aws_default_security_group.this[0]",
      "aws_internet_gateway.this[0]",
      "aws_subnet.public[0]",
      "aws_subnet.public[1]",
      "aws_subnet.private[0]",
      "aws_subnet.private[1]",
      "aws_subnet.database[0]",
      "aws_subnet.database[1]",
      "aws_subnet.elasticache[0]",
      "aws_subnet.elasticache[1]",
      "aws_eip.nat[0]",
      "aws_eip.nat[1]",
      "aws_nat_gateway.this[0]",
      "aws_nat_gateway.this[1]",
      "aws_route_table.public[0]",
      "aws_route.public_internet_gateway[0]",
      "aws_route_table_association.public[0]",
      "aws_route_table_association.public[1]",
      "aws_route_table.private[0]",
      "aws_route_table.private[1]",
      "aws_route.private_nat_gateway[0]",
      "aws_route.private_nat_gateway[1]",
      "aws_route_table_association.private[0]",
      "aws_route_table_association.private[1]",
      "aws_route_table_association.database[0]",
      "aws_route_table_association.database[1]",
      "aws_route_table_association.elasticache[0]",
      "aws_route_table_association.elasticache[1]",
      "aws_db_subnet_group.this",
      "aws_elasticache_subnet_group.this[0]",
      // kms (§2.2)
      "aws_kms_key.this",
      "aws_kms_alias.this",
      // file storage (§2.3)
      "random_pet.file_storage[0]",
      "aws_s3_bucket.file_storage[0]",
      "aws_s3_bucket_ownership_controls.file_storage[0]",
      "aws_s3_bucket_acl.file_storage[0]",
      "aws_s3_bucket_public_access_block.file_storage[0]",
      "aws_s3_bucket_server_side_encryption_configuration.file_storage[0]",
      "aws_s3_bucket_versioning.file_storage[0]",
      "aws_s3_bucket_lifecycle_configuration.file_storage[0]",
      "aws_s3_bucket_cors_configuration.file_storage[0]",
      "aws_sqs_queue.file_storage[0]",
      "aws_sqs_queue_policy.file_storage[0]",
      "aws_s3_bucket_notification.file_storage[0]",
      // database (§2.4)
      "random_password.database_master",
      "aws_secretsmanager_secret.database",
      "aws_secretsmanager_secret_version.database",
      "aws_security_group.database",
      "aws_security_group_rule.database_from_primary_workers",
      "aws_rds_cluster_parameter_group.this",
      "aws_db_parameter_group.this",
      "aws_iam_role.database_monitoring",
      "aws_iam_role_policy_attachment.database_monitoring",
      "aws_rds_cluster.this",
      "aws_rds_cluster_instance.this[0]",
      "aws_rds_cluster_instance.this[1]",
      // redis (§2.5)
      "aws_security_group.redis[0]",
      "aws_security_group_rule.redis_from_primary_workers[0]",
      "aws_elasticache_replication_group.this[0]",
      // eks (§2.6)
      "aws_iam_role.cluster",
      "aws_iam_role_policy_attachment.cluster[\"AmazonEKSClusterPolicy\"]",
      "aws_iam_role_policy_attachment.cluster[\"AmazonEKSVPCResourceController\"]",
      "aws_iam_role_policy.cluster_encryption",
      "aws_cloudwatch_log_group.cluster",
      "aws_security_group.cluster",
      "aws_security_group.node",
      "aws_security_group.primary_workers",
      "aws_security_group_rule.cluster_from_nodes",
      "aws_security_group_rule.node_from_cluster[\"api\"]",
      "aws_security_group_rule.node_from_cluster[\"kubelet\"]",
      "aws_security_group_rule.node_from_cluster[\"webhook\"]",
      "aws_security_group_rule.node_self",
      "aws_security_group_rule.node_from_primary_workers",
      "aws_security_group_rule.node_egress",
      "aws_security_group_rule.primary_workers_from_alb",
      "aws_security_group_rule.primary_workers_egress",
      "aws_eks_cluster.this",
      "aws_iam_openid_connect_provider.eks",
      "aws_iam_role.node",
      "aws_iam_role_policy_attachment.node_managed[\"AmazonEKSWorkerNodePolicy\"]",
      "aws_iam_role_policy_attachment.node_managed[\"AmazonEKS_CNI_Policy\"]",
      "aws_iam_role_policy_attachment.node_managed[\"AmazonEC2ContainerRegistryReadOnly\"]",
      "aws_iam_role_policy_attachment.node_managed[\"AmazonEBSCSIDriverPolicy\"]",
      "aws_iam_role_policy_attachment.node_managed[\"AmazonEFSCSIDriverPolicy\"]",
      "aws_iam_policy.node[\"cloudwatch\"]",
      "aws_iam_policy.node[\"IMDSv2\"]",
      "aws_iam_policy.node[\"kms\"]",
      "aws_iam_policy.node[\"s3\"]",
      "aws_iam_policy.node[\"sqs\"]",
      "aws_iam_policy.node[\"secrets-manager\"]",
      "aws_iam_policy.node[\"weave-worker-auth-secret-reader\"]",
      "aws_iam_role_policy_attachment.node[\"cloudwatch\"]",
      "aws_iam_role_policy_attachment.node[\"IMDSv2\"]",
      "aws_iam_role_policy_attachment.node[\"kms\"]",
      "aws_iam_role_policy_attachment.node[\"s3\"]",
      "aws_iam_role_policy_attachment.node[\"sqs\"]",
      "aws_iam_role_policy_attachment.node[\"secrets-manager\"]",
      "aws_iam_role_policy_attachment.node[\"weave-worker-auth-secret-reader\"]",
      "aws_launch_template.node[\"ng-0\"]",
      "aws_launch_template.node[\"ng-1\"]",
      "aws_eks_node_group.this[\"ng-0\"]",
      "aws_eks_node_group.this[\"ng-1\"]",
      "aws_eks_addon.vpc_cni",
      "aws_eks_addon.this[\"coredns\"]",
      "aws_eks_addon.this[\"kube-proxy\"]",
      "aws_eks_addon.this[\"aws-ebs-csi-driver\"]",
      "aws_eks_addon.this[\"aws-efs-csi-driver\"]",
      "aws_eks_addon.this[\"metrics-server\"]",
      "aws_iam_role.vpc_cni",
      "aws_iam_role_policy_attachment.vpc_cni",
      "aws_iam_role.irsa",
      "aws_iam_role_policy.irsa",
      "aws_iam_role.yace[0]",
      "aws_iam_role_policy.yace[0]",
      "aws_iam_role.cluster_autoscaler",
      "aws_iam_role_policy.cluster_autoscaler",
      "random_password.weave_worker_auth",
      "aws_secretsmanager_secret.weave_worker_auth",
      "aws_secretsmanager_secret_version.weave_worker_auth",
      "random_pet.efs",
      "aws_efs_file_system.weave",
      "aws_efs_backup_policy.weave",
      "aws_security_group.efs",
      "aws_security_group_rule.efs_from_primary_workers",
      "aws_efs_mount_target.weave[\"ng-0\"]",
      "aws_efs_mount_target.weave[\"ng-1\"]",
      // app load balancer (§2.7, §2.8)
      "aws_security_group.alb_inbound",
      "aws_lb.app",
      "aws_lb_target_group.app",
      "aws_lb_listener.http",
      "aws_route53_record.app[\"wandb.example.com\"]",
  };
  EXPECT_THAT(p.Managed(), UnorderedElementsAreArray(expected));
}

TEST_F(WandbModuleTest, StandardExampleOutputs) {
  Planned p = PlanExample("wandb-standard");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.Output("url").value), "http://wandb.example.com");
  EXPECT_EQ(Text(p.Output("standardized_size").value), "small");
  EXPECT_EQ(Text(p.Output("bucket_region").value), "us-west-2");
  EXPECT_EQ(Text(p.Output("bucket_path").value), "");
  EXPECT_FALSE(p.Output("bucket_name").value.IsKnown());  // has a random pet suffix
  EXPECT_FALSE(p.Output("bucket_queue_name").value.IsKnown());
  EXPECT_FALSE(p.Output("bucket_queue_name").value.IsNull());
  EXPECT_EQ(Text(p.Output("cluster_name").value), "wandb");
  EXPECT_FALSE(p.Output("cluster_endpoint").value.IsKnown());
  EXPECT_FALSE(p.Output("cluster_certificate_authority_data").value.IsKnown());
  EXPECT_EQ(Text(At(p.Output("cluster_node_role").value, "name")), "wandb-node");
  EXPECT_EQ(Text(p.Output("database_username").value), "wandb");
  EXPECT_EQ(Text(p.Output("database_instance_type").value), "db.r6g.large");
  EXPECT_EQ(Text(p.Output("redis_instance_type").value), "cache.m6g.large");
  EXPECT_EQ(p.Output("eks_min_nodes_per_az").value.ToDebugString(), "1");
  EXPECT_EQ(p.Output("eks_max_nodes_per_az").value.ToDebugString(), "4");
  EXPECT_THAT(Strings(p.Output("eks_node_instance_type").value), ElementsAre("r6i.2xlarge"));
  EXPECT_FALSE(p.Output("kms_key_arn").value.IsKnown());
  EXPECT_TRUE(p.Output("kms_clickhouse_key_arn").value.IsNull());
  EXPECT_FALSE(p.Output("network_id").value.IsKnown());
  EXPECT_EQ(p.Output("network_private_subnets").value.Length(), 2u);
  EXPECT_FALSE(p.Output("elasticache_connection_string").value.IsNull());
  EXPECT_TRUE(p.Output("private_link_service_name").value.IsNull());
  EXPECT_TRUE(p.Output("private_link_service_id").value.IsNull());
  EXPECT_TRUE(p.Output("private_link_availability_zones").value.IsNull());
  // Sensitive: the password, the connection string holding it (plain in the public module)
  // and the spec holding the license.
  EXPECT_TRUE(p.Output("database_password").sensitive);
  EXPECT_TRUE(p.Output("database_connection_string").sensitive);
  EXPECT_TRUE(p.Output("wandb_spec").sensitive);
  EXPECT_FALSE(p.Output("url").sensitive);
  // The root module's output reads the module's.
  EXPECT_EQ(Text(p.state.config.outputs.at("url").value), "http://wandb.example.com");
}

TEST_F(WandbModuleTest, NetworkPublicSubnetsListsThePublicSubnetsNotTheInboundCidrs) {
  Planned p = PlanExample("wandb-standard");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const hcl::Value& subnets = p.Output("network_public_subnets").value;
  ASSERT_TRUE(subnets.IsKnown());
  ASSERT_EQ(subnets.Length(), 2u);
  for (const hcl::Value& id : subnets.Elements()) {
    EXPECT_FALSE(id.IsKnown());  // subnet ids, known after apply; not "0.0.0.0/0"
  }
}

// ---- Network ----

TEST_F(WandbModuleTest, EachTierHasOneSubnetPerZoneWithTheGivenCidrs) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& vpc = p.R("aws_vpc.this[0]");
  EXPECT_EQ(Text(vpc, "cidr_block"), "10.10.0.0/16");
  EXPECT_EQ(Text(vpc, "enable_dns_hostnames"), "true");
  EXPECT_EQ(Text(vpc, "tags.Name"), "wandb-vpc");
  struct Want {
    std::string address, cidr, az;
  };
  for (const Want& w : std::vector<Want>{
           {"aws_subnet.public[0]", "10.10.0.0/24", "us-west-2a"},
           {"aws_subnet.public[1]", "10.10.1.0/24", "us-west-2b"},
           {"aws_subnet.private[0]", "10.10.10.0/24", "us-west-2a"},
           {"aws_subnet.private[1]", "10.10.11.0/24", "us-west-2b"},
           {"aws_subnet.database[0]", "10.10.20.0/24", "us-west-2a"},
           {"aws_subnet.database[1]", "10.10.21.0/24", "us-west-2b"},
           {"aws_subnet.elasticache[0]", "10.10.30.0/24", "us-west-2a"},
           {"aws_subnet.elasticache[1]", "10.10.31.0/24", "us-west-2b"},
       }) {
    const graph::ResourceInstance& s = p.R(w.address);
    EXPECT_EQ(Text(s, "cidr_block"), w.cidr) << w.address;
    EXPECT_EQ(Text(s, "availability_zone"), w.az) << w.address;
    EXPECT_TRUE(RefersTo(s, "aws_vpc.this[0]")) << w.address;
  }
  EXPECT_EQ(Text(p.R("aws_subnet.public[0]"), "map_public_ip_on_launch"), "true");
  EXPECT_EQ(Tag(p.R("aws_subnet.public[0]"), "kubernetes.io/role/elb"), "1");
  EXPECT_EQ(Text(At(p.R("aws_subnet.private[1]").values, "tags")
                     .GetAttr("kubernetes.io/role/internal-elb")),
            "1");
}

TEST_F(WandbModuleTest, EveryZoneHasItsOwnNatGatewayAndPrivateRoute) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  for (const std::string n : {"[0]", "[1]"}) {
    const graph::ResourceInstance& nat = p.R("aws_nat_gateway.this" + n);
    EXPECT_TRUE(RefersTo(nat, "aws_subnet.public" + n));
    EXPECT_TRUE(RefersTo(nat, "aws_eip.nat" + n));
    const graph::ResourceInstance& route = p.R("aws_route.private_nat_gateway" + n);
    EXPECT_EQ(Text(route, "destination_cidr_block"), "0.0.0.0/0");
    EXPECT_TRUE(RefersTo(route, "aws_nat_gateway.this" + n));
    EXPECT_TRUE(RefersTo(route, "aws_route_table.private" + n));
    EXPECT_TRUE(
        RefersTo(p.R("aws_route_table_association.database" + n), "aws_route_table.private" + n));
  }
  EXPECT_TRUE(
      RefersTo(p.R("aws_route.public_internet_gateway[0]"), "aws_internet_gateway.this[0]"));
  EXPECT_EQ(Text(p.R("aws_db_subnet_group.this"), "name"), "wandb-vpc");
  EXPECT_TRUE(RefersTo(p.R("aws_db_subnet_group.this"), "aws_subnet.database[1]"));
  EXPECT_TRUE(RefersTo(p.R("aws_elasticache_subnet_group.this[0]"), "aws_subnet.elasticache[0]"));
}

TEST_F(WandbModuleTest, FlowLogsOnlyWhenEnabled) {
  Planned off = Plan("");
  ASSERT_FALSE(off.diags.HasErrors()) << off.Errors();
  EXPECT_FALSE(off.Has("aws_s3_bucket.flow_log[0]"));
  Planned on = Plan("enable_flow_log = true\n");
  ASSERT_FALSE(on.diags.HasErrors()) << on.Errors();
  EXPECT_EQ(Text(on.R("aws_s3_bucket.flow_log[0]"), "bucket"), "wandb-vpc-flow-logs");
  EXPECT_EQ(Text(on.R("aws_flow_log.this[0]"), "traffic_type"), "REJECT");
}

TEST_F(WandbModuleTest, BringYourOwnVpcCreatesNoNetworkAndUsesTheGivenSubnets) {
  Planned p = PlanExample("wandb-byo-vpc");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  for (const std::string& address : p.Managed()) {
    for (const char* network_type :
         {"aws_vpc.", "aws_subnet.", "aws_nat_gateway.", "aws_eip.", "aws_internet_gateway.",
          "aws_route_table", "aws_route.", "aws_default_security_group."}) {
      EXPECT_NE(address.rfind(network_type, 0), 0u) << address;
    }
  }
  const std::vector<std::string> private_ids = {"subnet-0a0000000000000a1",
                                                "subnet-0a0000000000000a2"};
  const graph::ResourceInstance& db_group = p.R("aws_db_subnet_group.this");
  EXPECT_EQ(Text(db_group, "name"), "ml-database-subnet");
  EXPECT_THAT(Strings(At(db_group.values, "subnet_ids")),
              ElementsAre("subnet-0b0000000000000b1", "subnet-0b0000000000000b2"));
  const graph::ResourceInstance& cache_group = p.R("aws_elasticache_subnet_group.this[0]");
  EXPECT_EQ(Text(cache_group, "name"), "ml-redis-subnet");
  EXPECT_THAT(Strings(At(cache_group.values, "subnet_ids")),
              ElementsAre("subnet-0c0000000000000c1", "subnet-0c0000000000000c2"));
  EXPECT_EQ(Strings(At(p.R("aws_eks_cluster.this").values, "vpc_config.0.subnet_ids")),
            private_ids);
  EXPECT_THAT(Strings(At(p.R("aws_eks_node_group.this[\"ng-0\"]").values, "subnet_ids")),
              ElementsAre("subnet-0a0000000000000a1"));
  EXPECT_THAT(Strings(At(p.R("aws_eks_node_group.this[\"ng-1\"]").values, "subnet_ids")),
              ElementsAre("subnet-0a0000000000000a2"));
  EXPECT_EQ(Text(p.R("aws_efs_mount_target.weave[\"ng-1\"]"), "subnet_id"),
            "subnet-0a0000000000000a2");
  for (const char* sg : {"aws_security_group.database", "aws_security_group.primary_workers",
                         "aws_security_group.alb_inbound", "aws_security_group.redis[0]"}) {
    EXPECT_EQ(Text(p.R(sg), "vpc_id"), "vpc-0123456789abcdef0") << sg;
  }
  // Without public subnets the ALB goes in the private ones.
  EXPECT_EQ(Strings(At(p.R("aws_lb.app").values, "subnets")), private_ids);
  EXPECT_EQ(Text(p.Output("network_id").value), "vpc-0123456789abcdef0");
  EXPECT_EQ(Strings(p.Output("network_private_subnets").value), private_ids);
  EXPECT_EQ(p.Output("network_public_subnets").value.Length(), 0u);
  // size = "medium"
  EXPECT_EQ(Text(p.R("aws_rds_cluster_instance.this[0]"), "instance_class"), "db.r6g.xlarge");
  EXPECT_EQ(Text(p.R("aws_elasticache_replication_group.this[0]"), "node_type"), "cache.m6g.large");
  EXPECT_THAT(Strings(At(p.R("aws_eks_node_group.this[\"ng-0\"]").values, "instance_types")),
              ElementsAre("r6i.4xlarge"));
}

TEST_F(WandbModuleTest, ExistingVpcWithoutSubnetsFailsWithTheModulesMessage) {
  Planned p = Plan("create_vpc = false\nnetwork_id = \"vpc-1\"\n");
  ASSERT_TRUE(p.diags.HasErrors());
  EXPECT_THAT(p.Errors(), HasSubstr("With create_vpc = false, set network_id and at least two "
                                    "subnets"));
}

TEST_F(WandbModuleTest, PrivateOnlyExampleExposesNothingPublicly) {
  Planned p = PlanExample("wandb-private-only");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& alb = p.R("aws_lb.app");
  EXPECT_EQ(Text(alb, "internal"), "true");
  EXPECT_EQ(Text(alb, "name"), "wandb-private-alb-k8s");
  EXPECT_TRUE(RefersTo(alb, "aws_subnet.private[0]"));
  const graph::ResourceInstance& nlb = p.R("aws_lb.nlb[0]");
  EXPECT_EQ(Text(nlb, "internal"), "true");
  EXPECT_EQ(Text(nlb, "load_balancer_type"), "network");
  EXPECT_EQ(Text(nlb, "name"), "wandb-private-private-link-nlb");
  EXPECT_TRUE(RefersTo(nlb, "aws_subnet.private[1]"));
  EXPECT_TRUE(RefersTo(nlb, "aws_security_group.nlb_inbound[0]"));
  EXPECT_THAT(Strings(At(p.R("aws_security_group.nlb_inbound[0]").values, "ingress.0.cidr_blocks")),
              ElementsAre("10.10.0.0/16"));
  EXPECT_TRUE(p.Has("aws_security_group_rule.alb_from_nlb[\"https\"]"));
  EXPECT_TRUE(p.Has("aws_lb_target_group_attachment.nlb[0]"));
  EXPECT_TRUE(RefersTo(p.R("aws_lb_target_group_attachment.nlb[0]"), "aws_lb.app"));
  // No PrivateLink endpoint service without allowed accounts.
  EXPECT_FALSE(p.Has("aws_vpc_endpoint_service.this[0]"));
  // Nothing accepts traffic from the internet: every ingress CIDR is the private range.
  for (const graph::ResourceInstance& r : p.Module().instances) {
    if (r.type != "aws_security_group") {
      continue;
    }
    const hcl::Value ingress = r.values.GetAttr("ingress");
    if (!ingress.IsKnown() || ingress.IsNull()) {
      continue;
    }
    for (const hcl::Value& rule : ingress.Elements()) {
      EXPECT_THAT(Strings(rule.GetAttr("cidr_blocks")), Not(Contains("0.0.0.0/0"))) << r.Address();
      EXPECT_THAT(Strings(rule.GetAttr("ipv6_cidr_blocks")), Not(Contains("::/0"))) << r.Address();
    }
  }
  EXPECT_EQ(Text(p.Output("url").value), "http://internal.example.com");
}

TEST_F(WandbModuleTest, PrivateLinkSharesTheNlbWithTheListedAccounts) {
  Planned p = Plan("private_link_allowed_account_ids = [\"111122223333\"]\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_lb.nlb[0]"), "name"), "wandb-nlb");
  const graph::ResourceInstance& service = p.R("aws_vpc_endpoint_service.this[0]");
  EXPECT_EQ(Text(service, "acceptance_required"), "false");
  EXPECT_THAT(Strings(At(service.values, "allowed_principals")),
              ElementsAre("arn:aws:iam::111122223333:root"));
  EXPECT_TRUE(RefersTo(service, "aws_lb.nlb[0]"));
  const graph::ResourceInstance& tg = p.R("aws_lb_target_group.nlb[0]");
  EXPECT_EQ(Text(tg, "name"), "wandb-nlb-tg");
  EXPECT_EQ(Text(tg, "target_type"), "alb");
  EXPECT_EQ(Text(tg, "health_check.0.path"), "/healthz");
  EXPECT_EQ(Text(tg, "health_check.0.matcher"), "200-399");
  // The ALB is the target, referenced directly (not looked up by name).
  EXPECT_TRUE(RefersTo(p.R("aws_lb_target_group_attachment.nlb[0]"), "aws_lb.app"));
  EXPECT_TRUE(RefersTo(p.R("aws_lb_target_group_attachment.nlb[0]"), "aws_lb_listener.http"));
  const graph::ResourceInstance& s3 = p.R("aws_vpc_endpoint.s3[0]");
  EXPECT_EQ(Text(s3, "service_name"), "com.amazonaws.us-west-2.s3");
  EXPECT_EQ(Text(s3, "vpc_endpoint_type"), "Gateway");
  EXPECT_TRUE(RefersTo(s3, "aws_route_table.private[1]"));
  EXPECT_FALSE(p.Output("private_link_service_name").value.IsNull());
}

// ---- KMS, storage, database, cache ----

TEST_F(WandbModuleTest, KmsKeyRotatesAndItsPolicyNamesTheAccount) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& key = p.R("aws_kms_key.this");
  EXPECT_EQ(Text(key, "enable_key_rotation"), "true");
  EXPECT_EQ(Text(key, "deletion_window_in_days"), "7");
  EXPECT_EQ(Text(key, "tags.Name"), "wandb-kms-key");
  std::string policy = Text(key, "policy");
  EXPECT_THAT(policy, HasSubstr("\"arn:aws:iam::123456789012:root\""));
  EXPECT_THAT(policy, HasSubstr("AWSServiceRoleForAutoScaling"));
  EXPECT_THAT(policy, HasSubstr("\"kms:ViaService\":\"ec2.*.amazonaws.com\""));
  EXPECT_EQ(Text(p.R("aws_kms_alias.this"), "name"), "alias/wandb-kms-alias");
  EXPECT_FALSE(p.Has("aws_kms_key.clickhouse[0]"));

  Planned custom = Plan(
      "kms_key_alias = \"mine\"\nenable_clickhouse = true\n"
      "kms_key_policy_administrator_arn = \"arn:aws:iam::123456789012:role/admin\"\n");
  ASSERT_FALSE(custom.diags.HasErrors()) << custom.Errors();
  EXPECT_EQ(Text(custom.R("aws_kms_alias.this"), "name"), "alias/mine");
  EXPECT_THAT(Text(custom.R("aws_kms_key.this"), "policy"),
              HasSubstr("arn:aws:iam::123456789012:role/admin"));
  EXPECT_EQ(Text(custom.R("aws_kms_alias.clickhouse[0]"), "name"),
            "alias/wandb-kms-clickhouse-alias");
  EXPECT_EQ(Text(custom.R("aws_kms_key.clickhouse[0]"), "enable_key_rotation"), "true");
  EXPECT_THAT(Text(custom.R("aws_kms_key.clickhouse[0]"), "policy"),
              HasSubstr("arn:aws:iam::576599896960:role/prod-kms-request-role"));
  EXPECT_FALSE(custom.Output("kms_clickhouse_key_arn").value.IsNull());
}

TEST_F(WandbModuleTest, GivenKeysEncryptTheBucketTheDatabaseAndTheCache) {
  const std::string bucket_key = "arn:aws:kms:us-west-2:123456789012:key/bucket-key";
  const std::string db_key = "arn:aws:kms:us-west-2:123456789012:key/db-key";
  const std::string pi_key = "arn:aws:kms:us-west-2:123456789012:key/pi-key";
  Planned p = Plan("bucket_kms_key_arn = \"" + bucket_key + "\"\ndatabase_kms_key_arn = \"" +
                   db_key + "\"\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_s3_bucket_server_side_encryption_configuration.file_storage[0]"),
                 "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"),
            bucket_key);
  EXPECT_EQ(Text(p.R("aws_rds_cluster.this"), "kms_key_id"), db_key);
  // Performance Insights falls back to the database key; ElastiCache uses the database key.
  EXPECT_EQ(Text(p.R("aws_rds_cluster_instance.this[0]"), "performance_insights_kms_key_id"),
            db_key);
  EXPECT_EQ(Text(p.R("aws_elasticache_replication_group.this[0]"), "kms_key_id"), db_key);
  // The nodes may use the bucket key.
  EXPECT_FALSE(p.R("aws_iam_policy.node[\"kms\"]").values.GetAttr("policy").IsKnown());
  EXPECT_TRUE(RefersTo(p.R("aws_iam_policy.node[\"kms\"]"), "aws_kms_key.this"));

  Planned pi = Plan("database_performance_insights_kms_key_arn = \"" + pi_key + "\"\n");
  ASSERT_FALSE(pi.diags.HasErrors()) << pi.Errors();
  EXPECT_EQ(Text(pi.R("aws_rds_cluster_instance.this[1]"), "performance_insights_kms_key_id"),
            pi_key);
}

TEST_F(WandbModuleTest, WithoutDeletionProtectionEverythingCanBeDestroyed) {
  Planned p =
      Plan("deletion_protection = false\nprivate_link_allowed_account_ids = [\"111122223333\"]\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_rds_cluster.this"), "deletion_protection"), "false");
  EXPECT_EQ(Text(p.R("aws_rds_cluster.this"), "skip_final_snapshot"), "true");
  EXPECT_TRUE(At(p.R("aws_rds_cluster.this").values, "final_snapshot_identifier").IsNull());
  EXPECT_EQ(Text(p.R("aws_lb.nlb[0]"), "enable_deletion_protection"), "false");
  EXPECT_EQ(Text(p.R("aws_s3_bucket.file_storage[0]"), "force_destroy"), "true");

  Planned kept = Plan("private_link_allowed_account_ids = [\"111122223333\"]\n");
  ASSERT_FALSE(kept.diags.HasErrors()) << kept.Errors();
  EXPECT_EQ(Text(kept.R("aws_rds_cluster.this"), "final_snapshot_identifier"), "wandb-final");
  EXPECT_EQ(Text(kept.R("aws_lb.nlb[0]"), "enable_deletion_protection"), "true");
}

TEST_F(WandbModuleTest, WandbSpecCarriesWhatTheOperatorWouldBeGiven) {
  Planned p = Plan("kubernetes_alb_internet_facing = false\nother_wandb_env = { A = \"1\" }\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const hcl::Value spec = p.Output("wandb_spec").value.UnmarkDeep();
  EXPECT_EQ(Text(At(spec, "values.global.host")), "http://wandb.example.com");
  EXPECT_EQ(Text(At(spec, "values.global.license")), "example-license");
  EXPECT_EQ(Text(At(spec, "values.global.size")), "small");
  EXPECT_EQ(Text(At(spec, "values.global.extraEnv.A")), "1");
  EXPECT_EQ(Text(At(spec, "values.global.mysql.user")), "wandb");
  EXPECT_EQ(Text(At(spec, "values.global.mysql.database")), "wandb_local");
  EXPECT_EQ(Text(At(spec, "values.global.redis.port")), "6379");
  EXPECT_TRUE(At(spec, "values.global.bucket").IsNull());
  const hcl::Value annotations = At(spec, "values.ingress.annotations");
  EXPECT_EQ(Text(annotations.GetAttr("alb.ingress.kubernetes.io/scheme")), "internal");
  EXPECT_EQ(Text(annotations.GetAttr("alb.ingress.kubernetes.io/load-balancer-name")),
            "wandb-alb-k8s");
  EXPECT_EQ(Text(annotations.GetAttr("external-dns.alpha.kubernetes.io/hostname")),
            "wandb.example.com");
  EXPECT_EQ(Text(At(spec, "values.weave.persistence.provider")), "efs");
  EXPECT_EQ(Text(At(spec, "values.mysql.install")), "false");
}

TEST_F(WandbModuleTest, BucketIsPrivateEncryptedVersionedAndFeedsAnEncryptedQueue) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& bucket = p.R("aws_s3_bucket.file_storage[0]");
  EXPECT_EQ(Text(bucket, "force_destroy"), "false");  // deletion_protection defaults to true
  EXPECT_TRUE(RefersTo(bucket, "random_pet.file_storage[0]"));
  const graph::ResourceInstance& pab = p.R("aws_s3_bucket_public_access_block.file_storage[0]");
  for (const char* flag : {"block_public_acls", "block_public_policy", "ignore_public_acls",
                           "restrict_public_buckets"}) {
    EXPECT_EQ(Text(pab, flag), "true") << flag;
  }
  const graph::ResourceInstance& sse =
      p.R("aws_s3_bucket_server_side_encryption_configuration.file_storage[0]");
  EXPECT_EQ(Text(sse, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm"), "aws:kms");
  EXPECT_TRUE(RefersTo(sse, "aws_kms_key.this"));
  EXPECT_EQ(
      Text(p.R("aws_s3_bucket_versioning.file_storage[0]"), "versioning_configuration.0.status"),
      "Enabled");
  const graph::ResourceInstance& cors = p.R("aws_s3_bucket_cors_configuration.file_storage[0]");
  EXPECT_THAT(Strings(At(cors.values, "cors_rule.0.allowed_methods")),
              ElementsAre("GET", "HEAD", "PUT"));
  EXPECT_EQ(Text(cors, "cors_rule.0.max_age_seconds"), "3000");
  EXPECT_EQ(
      Text(p.R("aws_s3_bucket_ownership_controls.file_storage[0]"), "rule.0.object_ownership"),
      "BucketOwnerPreferred");

  const graph::ResourceInstance& queue = p.R("aws_sqs_queue.file_storage[0]");
  EXPECT_EQ(Text(queue, "sqs_managed_sse_enabled"), "true");
  EXPECT_EQ(Text(queue, "receive_wait_time_seconds"), "10");
  const graph::ResourceInstance& notification = p.R("aws_s3_bucket_notification.file_storage[0]");
  EXPECT_THAT(Strings(At(notification.values, "queue.0.events")),
              ElementsAre("s3:ObjectCreated:*"));
  EXPECT_TRUE(RefersTo(notification, "aws_sqs_queue_policy.file_storage[0]"));
  EXPECT_FALSE(p.Has("aws_s3_bucket_policy.https_only[0]"));

  Planned open = Plan("deletion_protection = false\nenable_s3_https_only = true\n");
  ASSERT_FALSE(open.diags.HasErrors()) << open.Errors();
  EXPECT_EQ(Text(open.R("aws_s3_bucket.file_storage[0]"), "force_destroy"), "true");
  // The policy names the bucket, whose name is known after apply.
  EXPECT_TRUE(
      RefersTo(open.R("aws_s3_bucket_policy.https_only[0]"), "aws_s3_bucket.file_storage[0]"));
}

TEST_F(WandbModuleTest, InternalQueueAndBringYourOwnBucketCreateNoQueue) {
  Planned internal = Plan("use_internal_queue = true\n");
  ASSERT_FALSE(internal.diags.HasErrors()) << internal.Errors();
  EXPECT_TRUE(internal.Has("aws_s3_bucket.file_storage[0]"));
  EXPECT_FALSE(internal.Has("aws_sqs_queue.file_storage[0]"));
  EXPECT_FALSE(internal.Has("aws_s3_bucket_notification.file_storage[0]"));
  EXPECT_FALSE(internal.Has("aws_iam_policy.node[\"sqs\"]"));
  EXPECT_TRUE(internal.Output("bucket_queue_name").value.IsNull());

  Planned byob = Plan("bucket_name = \"team-bucket\"\nbucket_path = \"wandb\"\n");
  ASSERT_FALSE(byob.diags.HasErrors()) << byob.Errors();
  EXPECT_FALSE(byob.Has("aws_s3_bucket.file_storage[0]"));
  EXPECT_FALSE(byob.Has("random_pet.file_storage[0]"));
  EXPECT_FALSE(byob.Has("aws_sqs_queue.file_storage[0]"));  // BYOB forces the internal queue
  EXPECT_EQ(Text(byob.Output("bucket_name").value), "team-bucket");
  EXPECT_EQ(Text(byob.Output("bucket_path").value), "wandb");
  EXPECT_THAT(Text(byob.R("aws_iam_policy.node[\"s3\"]"), "policy"),
              HasSubstr("arn:aws:s3:::team-bucket/*"));
}

TEST_F(WandbModuleTest, AuroraHasAWriterAndAFailoverReaderWithACsprngPassword) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& cluster = p.R("aws_rds_cluster.this");
  EXPECT_EQ(Text(cluster, "cluster_identifier"), "wandb");
  EXPECT_EQ(Text(cluster, "engine"), "aurora-mysql");
  EXPECT_EQ(Text(cluster, "engine_version"), "8.0");
  EXPECT_EQ(Text(cluster, "database_name"), "wandb_local");
  EXPECT_EQ(Text(cluster, "master_username"), "wandb");
  EXPECT_EQ(Text(cluster, "storage_encrypted"), "true");
  EXPECT_EQ(Text(cluster, "backup_retention_period"), "14");
  EXPECT_EQ(Text(cluster, "preferred_backup_window"), "02:00-03:00");
  EXPECT_EQ(Text(cluster, "preferred_maintenance_window"), "sun:05:00-sun:06:00");
  EXPECT_EQ(Text(cluster, "deletion_protection"), "true");
  EXPECT_EQ(Text(cluster, "skip_final_snapshot"), "false");
  EXPECT_THAT(Strings(At(cluster.values, "enabled_cloudwatch_logs_exports")),
              ElementsAre("audit", "error", "general", "slowquery"));
  EXPECT_TRUE(RefersTo(cluster, "random_password.database_master"));
  EXPECT_TRUE(RefersTo(cluster, "aws_kms_key.this"));
  EXPECT_TRUE(RefersTo(cluster, "aws_db_subnet_group.this"));
  EXPECT_TRUE(At(cluster.values, "master_password").IsSensitive() ||
              !At(cluster.values, "master_password").IsKnown());
  EXPECT_EQ(Text(p.R("random_password.database_master"), "length"), "32");
  for (int i = 0; i < 2; ++i) {
    const graph::ResourceInstance& instance =
        p.R("aws_rds_cluster_instance.this[" + std::to_string(i) + "]");
    EXPECT_EQ(Text(instance, "instance_class"), "db.r6g.large");
    EXPECT_EQ(Text(instance, "monitoring_interval"), "15");
    EXPECT_EQ(Text(instance, "performance_insights_enabled"), "true");
    EXPECT_EQ(Text(instance, "performance_insights_retention_period"), "7");
    EXPECT_TRUE(RefersTo(instance, "aws_rds_cluster.this"));
  }
  EXPECT_EQ(Text(p.R("aws_rds_cluster_instance.this[1]"), "availability_zone"), "us-west-2b");
  EXPECT_EQ(Text(p.R("aws_db_parameter_group.this"), "name"), "wandb-aurora-db-80-parameter-group");
  EXPECT_EQ(Text(p.R("aws_rds_cluster_parameter_group.this"), "name"),
            "wandb-aurora-80-cluster-parameter-group");
  std::map<std::string, std::string> parameters;
  for (const hcl::Value& parameter :
       p.R("aws_db_parameter_group.this").values.GetAttr("parameter").Elements()) {
    parameters[Text(parameter.GetAttr("name"))] = Text(parameter.GetAttr("value"));
  }
  EXPECT_EQ(parameters["sort_buffer_size"], "67108864");
  EXPECT_EQ(parameters["innodb_lru_scan_depth"], "128");
  EXPECT_EQ(parameters["max_execution_time"], "60000");
  EXPECT_EQ(Text(p.R("aws_iam_role.database_monitoring"), "name"), "wandb-aurora-monitoring");
  // Only the nodes reach MySQL.
  const graph::ResourceInstance& rule =
      p.R("aws_security_group_rule.database_from_primary_workers");
  EXPECT_EQ(Text(rule, "from_port"), "3306");
  EXPECT_TRUE(RefersTo(rule, "aws_security_group.primary_workers"));
  EXPECT_TRUE(RefersTo(rule, "aws_security_group.database"));
  // The credentials are kept in Secrets Manager, encrypted with the module key.
  EXPECT_EQ(Text(p.R("aws_secretsmanager_secret.database"), "name"), "wandb-database-master");
  EXPECT_TRUE(RefersTo(p.R("aws_secretsmanager_secret_version.database"),
                       "random_password.database_master"));
}

TEST_F(WandbModuleTest, RedisReplicationGroupIsMultiAzAndEncrypted) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& redis = p.R("aws_elasticache_replication_group.this[0]");
  EXPECT_EQ(Text(redis, "replication_group_id"), "wandb-rep-group");
  EXPECT_EQ(Text(redis, "engine_version"), "7.1");
  EXPECT_EQ(Text(redis, "num_cache_clusters"), "2");
  EXPECT_EQ(Text(redis, "port"), "6379");
  EXPECT_EQ(Text(redis, "automatic_failover_enabled"), "true");
  EXPECT_EQ(Text(redis, "multi_az_enabled"), "true");
  EXPECT_EQ(Text(redis, "at_rest_encryption_enabled"), "true");
  EXPECT_EQ(Text(redis, "transit_encryption_enabled"), "true");
  EXPECT_EQ(Text(redis, "snapshot_retention_limit"), "1");
  EXPECT_TRUE(RefersTo(redis, "aws_kms_key.this"));
  EXPECT_EQ(Text(p.R("aws_security_group.redis[0]"), "name"), "wandb-elasticache-security-group");
  EXPECT_EQ(Text(p.R("aws_security_group_rule.redis_from_primary_workers[0]"), "to_port"), "6379");

  Planned none = Plan("create_elasticache = false\n");
  ASSERT_FALSE(none.diags.HasErrors()) << none.Errors();
  EXPECT_FALSE(none.Has("aws_elasticache_replication_group.this[0]"));
  EXPECT_FALSE(none.Has("aws_subnet.elasticache[0]"));
  EXPECT_TRUE(none.Output("elasticache_connection_string").value.IsNull());

  Planned external = Plan(
      "use_external_redis = true\nexternal_redis_host = \"redis.internal\"\n"
      "external_redis_port = \"6380\"\n");
  ASSERT_FALSE(external.diags.HasErrors()) << external.Errors();
  EXPECT_FALSE(external.Has("aws_elasticache_replication_group.this[0]"));
  EXPECT_EQ(Text(external.Output("elasticache_connection_string").value), "redis.internal:6380");
}

TEST_F(WandbModuleTest, PreconditionsFailWithTheirMessages) {
  struct Case {
    std::string extra;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"use_external_redis = true\n",
            "use_external_redis needs external_redis_host and external_redis_port."},
           {"kms_key_deletion_window = 3\n",
            "kms_key_deletion_window must be between 7 and 30 days (AWS refuses anything "
            "else)."},
           {"network_private_subnet_cidrs = [\"10.10.10.0/24\"]\n",
            "The VPC needs at least two private and two database subnet CIDRs (one per "
            "availability zone: Aurora, ElastiCache and EKS need two zones) and one public "
            "subnet CIDR."},
           {"create_vpc = false\nnetwork_id = \"vpc-1\"\n"
            "network_private_subnets = [\"subnet-1\", \"subnet-2\"]\n"
            "network_database_subnets = [\"subnet-3\", \"subnet-4\"]\n",
            "With create_vpc = false, set network_id and at least two subnets (in two "
            "availability zones) in each of network_private_subnets, network_database_subnets "
            "and (for ElastiCache) network_elasticache_subnets."},
       }) {
    Planned p = Plan(c.extra);
    ASSERT_TRUE(p.diags.HasErrors()) << c.extra;
    EXPECT_THAT(p.Errors(), HasSubstr(c.message)) << c.extra;
  }
  // Without ElastiCache an existing VPC needs no cache subnets.
  Planned no_cache = Plan(
      "create_vpc = false\nnetwork_id = \"vpc-1\"\ncreate_elasticache = false\n"
      "network_private_subnets = [\"subnet-1\", \"subnet-2\"]\n"
      "network_database_subnets = [\"subnet-3\", \"subnet-4\"]\n");
  EXPECT_FALSE(no_cache.diags.HasErrors()) << no_cache.Errors();
}

TEST_F(WandbModuleTest, AtMostOneRedisChoice) {
  Planned p = Plan("use_ctrlplane_redis = true\nuse_chainguard_redis = true\n");
  ASSERT_TRUE(p.diags.HasErrors());
  EXPECT_THAT(p.Errors(), HasSubstr("At most one of use_external_redis, use_ctrlplane_redis and "
                                    "use_chainguard_redis can be true."));
}

// ---- EKS ----

TEST_F(WandbModuleTest, EksClusterIsPrivateEncryptedAndLogsTheControlPlane) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& cluster = p.R("aws_eks_cluster.this");
  EXPECT_EQ(Text(cluster, "name"), "wandb");
  EXPECT_EQ(Text(cluster, "version"), "1.31");
  EXPECT_EQ(Text(cluster, "vpc_config.0.endpoint_private_access"), "true");
  EXPECT_EQ(Text(cluster, "vpc_config.0.endpoint_public_access"), "false");
  EXPECT_TRUE(RefersTo(cluster, "aws_subnet.private[0]"));
  EXPECT_TRUE(RefersTo(cluster, "aws_subnet.private[1]"));
  EXPECT_EQ(Text(cluster, "access_config.0.authentication_mode"), "API_AND_CONFIG_MAP");
  EXPECT_EQ(Text(cluster, "access_config.0.bootstrap_cluster_creator_admin_permissions"), "true");
  EXPECT_THAT(Strings(At(cluster.values, "encryption_config.0.resources")), ElementsAre("secrets"));
  EXPECT_TRUE(RefersTo(cluster, "aws_kms_key.this"));
  EXPECT_THAT(Strings(At(cluster.values, "enabled_cluster_log_types")),
              ElementsAre("api", "audit", "controllerManager", "scheduler"));
  EXPECT_EQ(Text(p.R("aws_cloudwatch_log_group.cluster"), "retention_in_days"), "30");
  EXPECT_EQ(Text(p.R("aws_cloudwatch_log_group.cluster"), "name"), "/aws/eks/wandb/cluster");
  EXPECT_EQ(Text(p.R("aws_security_group.cluster"), "description"), "EKS cluster security group.");
  EXPECT_THAT(Strings(At(p.R("aws_iam_openid_connect_provider.eks").values, "client_id_list")),
              ElementsAre("sts.amazonaws.com"));
  EXPECT_TRUE(RefersTo(p.R("aws_iam_openid_connect_provider.eks"), "aws_eks_cluster.this"));
}

TEST_F(WandbModuleTest, OneNodeGroupPerZoneWithHardenedLaunchTemplate) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const char* letters[] = {"a", "b"};
  for (int i = 0; i < 2; ++i) {
    std::string key = "[\"ng-" + std::to_string(i) + "\"]";
    const graph::ResourceInstance& group = p.R("aws_eks_node_group.this" + key);
    EXPECT_EQ(Text(group, "node_group_name_prefix"), std::string("wandb-") + letters[i]);
    EXPECT_EQ(Text(group, "ami_type"), "AL2023_x86_64_STANDARD");
    EXPECT_EQ(Text(group, "scaling_config.0.min_size"), "1");
    EXPECT_EQ(Text(group, "scaling_config.0.desired_size"), "1");
    EXPECT_EQ(Text(group, "scaling_config.0.max_size"), "4");
    EXPECT_EQ(Tag(group, "k8s.io/cluster-autoscaler/enabled"), "true");
    EXPECT_TRUE(RefersTo(group, "aws_subnet.private[" + std::to_string(i) + "]"));
    EXPECT_TRUE(RefersTo(group, "aws_launch_template.node" + key));
    EXPECT_TRUE(RefersTo(group, "aws_iam_role.node"));
    const graph::ResourceInstance& lt = p.R("aws_launch_template.node" + key);
    EXPECT_EQ(Text(lt, "metadata_options.0.http_tokens"), "required");
    EXPECT_EQ(Text(lt, "metadata_options.0.http_put_response_hop_limit"), "2");
    EXPECT_EQ(Text(lt, "block_device_mappings.0.device_name"), "/dev/xvda");
    EXPECT_EQ(Text(lt, "block_device_mappings.0.ebs.0.volume_type"), "gp3");
    EXPECT_EQ(Text(lt, "block_device_mappings.0.ebs.0.volume_size"), "100");
    EXPECT_EQ(Text(lt, "block_device_mappings.0.ebs.0.encrypted"), "true");
    EXPECT_EQ(Text(lt, "monitoring.0.enabled"), "true");
    EXPECT_TRUE(RefersTo(lt, "aws_security_group.primary_workers"));
  }
  // systemReserved through the AL2023 nodeadm NodeConfig.
  std::optional<std::string> user_data =
      Base64Decode(Text(p.R("aws_launch_template.node[\"ng-0\"]"), "user_data"));
  ASSERT_TRUE(user_data.has_value());
  EXPECT_THAT(*user_data, HasSubstr("kind: NodeConfig"));
  EXPECT_THAT(*user_data, HasSubstr("\"cpu\":\"70m\""));
  EXPECT_THAT(*user_data, HasSubstr("\"memory\":\"100Mi\""));
  EXPECT_THAT(*user_data, HasSubstr("\"ephemeral-storage\":\"750Mi\""));
  EXPECT_THAT(*user_data, HasSubstr("\"pid\":\"500\""));

  Planned trimmed = Plan("system_reserved_pid = -1\nsystem_reserved_cpu_millicores = 250\n");
  ASSERT_FALSE(trimmed.diags.HasErrors()) << trimmed.Errors();
  user_data = Base64Decode(Text(trimmed.R("aws_launch_template.node[\"ng-1\"]"), "user_data"));
  ASSERT_TRUE(user_data.has_value());
  EXPECT_THAT(*user_data, HasSubstr("\"cpu\":\"250m\""));
  EXPECT_THAT(*user_data, Not(HasSubstr("pid")));
}

TEST_F(WandbModuleTest, NodeRoleHasTheModulesPolicies) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_iam_role.node"), "name"), "wandb-node");
  EXPECT_THAT(Text(p.R("aws_iam_role.node"), "assume_role_policy"), HasSubstr("ec2.amazonaws.com"));
  EXPECT_EQ(Text(p.R("aws_iam_policy.node[\"cloudwatch\"]"), "name"), "wandb-cloudwatch");
  EXPECT_EQ(Text(p.R("aws_iam_policy.node[\"IMDSv2\"]"), "name"), "wandb-IMDSv2");
  EXPECT_THAT(Text(p.R("aws_iam_policy.node[\"secrets-manager\"]"), "policy"),
              HasSubstr("arn:aws:secretsmanager:us-west-2:123456789012:secret:wandb*"));
  EXPECT_EQ(Text(p.R("aws_iam_role_policy_attachment.node_managed[\"AmazonEKSWorkerNodePolicy\"]"),
                 "policy_arn"),
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");
  EXPECT_TRUE(RefersTo(p.R("aws_iam_role_policy_attachment.node[\"sqs\"]"),
                       "aws_iam_policy.node[\"sqs\"]"));
  // strict: no cross-account statement.
  EXPECT_THAT(Text(p.R("aws_iam_policy.node[\"s3\"]"), "policy"),
              Not(HasSubstr("s3:ResourceAccount")));

  Planned restricted = Plan(
      "bucket_name = \"team-bucket\"\nbucket_permissions_mode = \"restricted\"\n"
      "bucket_restricted_accounts = [\"444455556666\"]\n");
  ASSERT_FALSE(restricted.diags.HasErrors()) << restricted.Errors();
  std::string policy = Text(restricted.R("aws_iam_policy.node[\"s3\"]"), "policy");
  EXPECT_THAT(policy, HasSubstr("\"s3:ResourceAccount\":[\"444455556666\"]"));
  EXPECT_THAT(policy, HasSubstr("StringEquals"));
}

TEST_F(WandbModuleTest, AddonsEfsAndServiceAccountRoles) {
  Planned p = Plan("eks_addon_coredns_version = \"v1.11.3-eksbuild.1\"\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_eks_addon.this[\"coredns\"]"), "addon_version"), "v1.11.3-eksbuild.1");
  EXPECT_TRUE(At(p.R("aws_eks_addon.this[\"kube-proxy\"]").values, "addon_version").IsNull());
  EXPECT_EQ(Text(p.R("aws_eks_addon.this[\"metrics-server\"]"), "resolve_conflicts_on_update"),
            "OVERWRITE");
  EXPECT_TRUE(
      RefersTo(p.R("aws_eks_addon.this[\"coredns\"]"), "aws_eks_node_group.this[\"ng-1\"]"));
  const graph::ResourceInstance& cni = p.R("aws_eks_addon.vpc_cni");
  EXPECT_EQ(Text(cni, "addon_name"), "vpc-cni");
  EXPECT_TRUE(RefersTo(cni, "aws_iam_role.vpc_cni"));
  EXPECT_EQ(Text(p.R("aws_iam_role.vpc_cni"), "name"), "wandb-oidc");
  EXPECT_EQ(Text(p.R("aws_iam_role.irsa"), "name"), "wandb-irsa-role");
  // Scoped to the deployment's bucket, not s3:* on everything.
  EXPECT_THAT(Text(p.R("aws_iam_role_policy.irsa"), "policy"),
              Not(HasSubstr("\"Resource\":\"*\"")));
  EXPECT_EQ(Text(p.R("aws_iam_role.yace[0]"), "name"), "wandb-yace-irsa-role");
  EXPECT_EQ(Text(p.R("aws_iam_role.cluster_autoscaler"), "name"), "wandb-cluster-autoscaler");
  EXPECT_THAT(Text(p.R("aws_iam_role_policy.cluster_autoscaler"), "policy"),
              HasSubstr("\"aws:ResourceTag/k8s.io/cluster-autoscaler/wandb\":\"owned\""));

  const graph::ResourceInstance& efs = p.R("aws_efs_file_system.weave");
  EXPECT_EQ(Text(efs, "encrypted"), "true");
  EXPECT_EQ(Text(efs, "throughput_mode"), "elastic");
  EXPECT_EQ(Text(p.R("aws_efs_backup_policy.weave"), "backup_policy.0.status"), "ENABLED");
  EXPECT_EQ(Text(p.R("aws_security_group_rule.efs_from_primary_workers"), "from_port"), "2049");
  EXPECT_TRUE(RefersTo(p.R("aws_efs_mount_target.weave[\"ng-0\"]"), "aws_subnet.private[0]"));
  const graph::ResourceInstance& weave = p.R("aws_secretsmanager_secret.weave_worker_auth");
  EXPECT_EQ(Text(weave, "name"), "wandb-weave-worker-auth");
  EXPECT_EQ(Text(weave, "recovery_window_in_days"), "0");

  Planned no_yace = Plan("enable_yace = false\n");
  ASSERT_FALSE(no_yace.diags.HasErrors()) << no_yace.Errors();
  EXPECT_FALSE(no_yace.Has("aws_iam_role.yace[0]"));
}

TEST_F(WandbModuleTest, MappedRolesAndUsersBecomeAccessEntries) {
  Planned p = Plan(
      "kubernetes_map_roles = [{ rolearn = \"arn:aws:iam::123456789012:role/ops\", "
      "username = \"ops\", groups = [\"system:masters\"] }]\n"
      "kubernetes_map_users = [{ userarn = \"arn:aws:iam::123456789012:user/dev\", "
      "username = \"dev\", groups = [\"viewers\"] }]\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& ops = p.R("aws_eks_access_entry.this[\"ops\"]");
  EXPECT_EQ(Text(ops, "principal_arn"), "arn:aws:iam::123456789012:role/ops");
  EXPECT_EQ(At(ops.values, "kubernetes_groups").Length(), 0u);
  EXPECT_EQ(Text(p.R("aws_eks_access_policy_association.cluster_admin[\"ops\"]"), "policy_arn"),
            "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
  EXPECT_THAT(Strings(At(p.R("aws_eks_access_entry.this[\"dev\"]").values, "kubernetes_groups")),
              ElementsAre("viewers"));
  EXPECT_FALSE(p.Has("aws_eks_access_policy_association.cluster_admin[\"dev\"]"));
}

// ---- Load balancer, certificate, DNS ----

TEST_F(WandbModuleTest, PublicAccessCertificateCoversTheFqdnAndServesHttps) {
  Planned p = Plan("public_access = true\nextra_fqdn = [\"ml.example.com\"]\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& cert = p.R("aws_acm_certificate.this[0]");
  // The FQDN even without external_dns (the public module would certify example.com).
  EXPECT_EQ(Text(cert, "domain_name"), "wandb.example.com");
  EXPECT_THAT(Strings(At(cert.values, "subject_alternative_names")), ElementsAre("ml.example.com"));
  EXPECT_EQ(Text(cert, "validation_method"), "DNS");
  EXPECT_EQ(
      Text(p.R("aws_route53_record.certificate_validation[\"wandb.example.com\"]"), "zone_id"),
      "Z0123456789ABCDEFGHIJ");
  EXPECT_TRUE(p.Has("aws_route53_record.certificate_validation[\"ml.example.com\"]"));
  EXPECT_TRUE(RefersTo(p.R("aws_acm_certificate_validation.this[0]"),
                       "aws_route53_record.certificate_validation[\"ml.example.com\"]"));
  const graph::ResourceInstance& https = p.R("aws_lb_listener.https[0]");
  EXPECT_EQ(Text(https, "port"), "443");
  EXPECT_EQ(Text(https, "protocol"), "HTTPS");
  EXPECT_TRUE(RefersTo(https, "aws_acm_certificate_validation.this[0]"));
  EXPECT_EQ(Text(p.R("aws_lb_listener.http"), "default_action.0.type"), "redirect");
  EXPECT_EQ(Text(p.R("aws_lb_listener.http"), "default_action.0.redirect.0.protocol"), "HTTPS");
  EXPECT_TRUE(p.Has("aws_route53_record.app[\"ml.example.com\"]"));
  EXPECT_EQ(Text(p.Output("url").value), "https://wandb.example.com");

  Planned given =
      Plan("acm_certificate_arn = \"arn:aws:acm:us-west-2:123456789012:certificate/x\"\n");
  ASSERT_FALSE(given.diags.HasErrors()) << given.Errors();
  EXPECT_FALSE(given.Has("aws_acm_certificate.this[0]"));
  EXPECT_EQ(Text(given.R("aws_lb_listener.https[0]"), "certificate_arn"),
            "arn:aws:acm:us-west-2:123456789012:certificate/x");
  EXPECT_EQ(Text(given.Output("url").value), "https://wandb.example.com");
}

TEST_F(WandbModuleTest, AlbIsInternetFacingInThePublicSubnetsAndAcceptsOnlyTheAllowedCidrs) {
  Planned p = Plan("");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  const graph::ResourceInstance& alb = p.R("aws_lb.app");
  EXPECT_EQ(Text(alb, "name"), "wandb-alb-k8s");
  EXPECT_EQ(Text(alb, "internal"), "false");
  EXPECT_EQ(Text(alb, "load_balancer_type"), "application");
  EXPECT_TRUE(RefersTo(alb, "aws_subnet.public[0]"));
  EXPECT_TRUE(RefersTo(alb, "aws_security_group.alb_inbound"));
  const graph::ResourceInstance& sg = p.R("aws_security_group.alb_inbound");
  EXPECT_EQ(Text(sg, "name"), "wandb-alb-inbound");
  EXPECT_EQ(Text(sg, "ingress.0.from_port"), "443");
  EXPECT_THAT(Strings(At(sg.values, "ingress.0.cidr_blocks")), ElementsAre("0.0.0.0/0"));
  EXPECT_THAT(Strings(At(sg.values, "ingress.0.ipv6_cidr_blocks")), ElementsAre("::/0"));
  EXPECT_EQ(Text(p.R("aws_lb_listener.http"), "default_action.0.type"), "forward");
  const graph::ResourceInstance& record = p.R("aws_route53_record.app[\"wandb.example.com\"]");
  EXPECT_EQ(Text(record, "type"), "A");
  EXPECT_TRUE(RefersTo(record, "aws_lb.app"));
  EXPECT_EQ(Text(p.R("aws_security_group_rule.primary_workers_from_alb"), "from_port"), "8080");

  Planned given = Plan("kubernetes_alb_subnets = [\"subnet-1\", \"subnet-2\"]\n");
  ASSERT_FALSE(given.diags.HasErrors()) << given.Errors();
  EXPECT_THAT(Strings(At(given.R("aws_lb.app").values, "subnets")),
              ElementsAre("subnet-1", "subnet-2"));
}

// ---- Sizes and naming ----

TEST_F(WandbModuleTest, EverySizePresetMatchesTheSizeTable) {
  for (const wandb::SizePreset& preset : wandb::kSizePresets) {
    SCOPED_TRACE(preset.name);
    Planned p = Plan("size = \"" + std::string(preset.name) + "\"\n");
    ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
    EXPECT_EQ(Text(p.Output("database_instance_type").value), preset.database_instance_class);
    EXPECT_EQ(Text(p.R("aws_rds_cluster_instance.this[1]"), "instance_class"),
              preset.database_instance_class);
    EXPECT_THAT(Strings(p.Output("eks_node_instance_type").value),
                ElementsAre(std::string(preset.node_instance_type)));
    EXPECT_EQ(p.Output("eks_min_nodes_per_az").value.ToDebugString(),
              std::to_string(preset.min_nodes_per_az));
    EXPECT_EQ(p.Output("eks_max_nodes_per_az").value.ToDebugString(),
              std::to_string(preset.max_nodes_per_az));
    EXPECT_EQ(Text(p.R("aws_eks_node_group.this[\"ng-0\"]"), "scaling_config.0.max_size"),
              std::to_string(preset.max_nodes_per_az));
    EXPECT_EQ(Text(p.Output("redis_instance_type").value), preset.cache_node_type);
    EXPECT_EQ(Text(p.R("aws_launch_template.node[\"ng-1\"]"),
                   "block_device_mappings.0.ebs.0.volume_size"),
              std::to_string(preset.root_volume_gb));
    EXPECT_EQ(Text(p.Output("standardized_size").value), preset.name);
  }
}

TEST_F(WandbModuleTest, MediumSizeAndExplicitSettingsOverrideThePreset) {
  Planned medium = Plan("size = \"medium\"\n");
  ASSERT_FALSE(medium.diags.HasErrors()) << medium.Errors();
  EXPECT_EQ(Text(medium.R("aws_rds_cluster_instance.this[0]"), "instance_class"), "db.r6g.xlarge");
  EXPECT_THAT(Strings(At(medium.R("aws_eks_node_group.this[\"ng-0\"]").values, "instance_types")),
              ElementsAre("r6i.4xlarge"));

  Planned p = Plan(
      "size = \"large\"\ndatabase_instance_class = \"db.r7g.large\"\n"
      "kubernetes_instance_types = [\"m6i.2xlarge\"]\nkubernetes_min_nodes_per_az = 2\n"
      "kubernetes_max_nodes_per_az = 6\nelasticache_node_type = \"cache.r7g.large\"\n"
      "kubernetes_node_disk_size_gb = 500\n");
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_rds_cluster_instance.this[0]"), "instance_class"), "db.r7g.large");
  const graph::ResourceInstance& group = p.R("aws_eks_node_group.this[\"ng-1\"]");
  EXPECT_THAT(Strings(At(group.values, "instance_types")), ElementsAre("m6i.2xlarge"));
  EXPECT_EQ(Text(group, "scaling_config.0.min_size"), "2");
  EXPECT_EQ(Text(group, "scaling_config.0.desired_size"), "2");
  EXPECT_EQ(Text(group, "scaling_config.0.max_size"), "6");
  EXPECT_EQ(Text(p.R("aws_elasticache_replication_group.this[0]"), "node_type"), "cache.r7g.large");
  EXPECT_EQ(
      Text(p.R("aws_launch_template.node[\"ng-0\"]"), "block_device_mappings.0.ebs.0.volume_size"),
      "500");
}

TEST_F(WandbModuleTest, UnknownSizeFailsWithTheSameMessageAsTheSizeTable) {
  Planned p = Plan("size = \"huge\"\n");
  ASSERT_TRUE(p.diags.HasErrors());
  Result<wandb::SizePreset> lookup = wandb::LookupSize("huge");
  ASSERT_FALSE(lookup.ok());
  EXPECT_THAT(p.Errors(), HasSubstr(std::string(lookup.status().message())));
}

TEST_F(WandbModuleTest, LongNamespacesKeepLoadBalancerNamesWithinTheirLimits) {
  // 30 characters, the longest namespace accepted; a hyphen falls at the truncation points.
  const std::string ns = "abcdefghijklmno-qrstuvwx-zabcd";
  ASSERT_EQ(ns.size(), 30u);
  Planned q = PlanNamespace(ns,
                            "private_link_allowed_account_ids = [\"111122223333\"]\n"
                            "private_only_traffic = true\n");
  ASSERT_FALSE(q.diags.HasErrors()) << q.Errors();
  for (const char* lb :
       {"aws_lb.app", "aws_lb.nlb[0]", "aws_lb_target_group.nlb[0]", "aws_lb_target_group.app"}) {
    std::string name = Text(q.R(lb), "name");
    EXPECT_LE(name.size(), 32u) << lb << ": " << name;
    EXPECT_EQ(name.find("--"), std::string::npos) << lb << ": " << name;
  }
  EXPECT_EQ(Text(q.R("aws_lb.app"), "name"), "abcdefghijklmno-qrstuvwx-alb-k8s");
  EXPECT_EQ(Text(q.R("aws_lb.nlb[0]"), "name"), "abcdefghijklmno-private-link-nlb");
  EXPECT_EQ(Text(q.R("aws_lb_target_group.nlb[0]"), "name"), "abcdefghijklmno-qrstuvwx-nlb-tg");
  std::string group =
      Text(q.R("aws_elasticache_replication_group.this[0]"), "replication_group_id");
  EXPECT_EQ(group, ns + "-rep-group");
  EXPECT_LE(group.size(), 40u);
  EXPECT_EQ(Text(q.R("aws_eks_cluster.this"), "name"), ns);
}

TEST_F(WandbModuleTest, NamespaceThatCannotNameEveryResourceIsRefused) {
  for (const char* ns :
       {"abcdefghijklmnopqrstuvwxyzabcde", "Wandb", "1wandb", "wandb-", "wa--ndb"}) {
    Planned p = PlanNamespace(ns, "");
    ASSERT_TRUE(p.diags.HasErrors()) << ns;
    EXPECT_THAT(p.Errors(),
                HasSubstr("namespace \"" + std::string(ns) + "\" must be 1 to 30 characters"))
        << ns;
  }
}

// ---- Local cloud ----

TEST_F(WandbModuleTest, LocalCloudUsesLoopbackCidrs) {
  Planned p = Plan("", {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}});
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_vpc.this[0]"), "cidr_block"), "127.10.0.0/16");
  EXPECT_EQ(Text(p.R("aws_subnet.public[1]"), "cidr_block"), "127.10.1.0/24");
  EXPECT_EQ(Text(p.R("aws_subnet.private[0]"), "cidr_block"), "127.10.10.0/24");
  EXPECT_EQ(Text(p.R("aws_subnet.database[1]"), "cidr_block"), "127.10.21.0/24");
  EXPECT_EQ(Text(p.R("aws_subnet.elasticache[0]"), "cidr_block"), "127.10.30.0/24");
  int subnets = 0;
  for (const graph::ResourceInstance& r : p.Module().instances) {
    if (r.type == "aws_vpc" || r.type == "aws_subnet") {
      ++subnets;
      EXPECT_EQ(Text(r, "cidr_block").rfind("127.", 0), 0u) << r.Address();
    }
  }
  EXPECT_EQ(subnets, 9);
}

TEST_F(WandbModuleTest, LocalCloudDefaultsCoverEveryCidrVariableAndStayInLoopback) {
  BuiltinModules modules;
  const config::ModuleDefinition* wandb = modules.Find(wandb::kSource);
  ASSERT_NE(wandb, nullptr);
  ASSERT_NE(wandb->local_cloud_defaults, nullptr);
  for (const char* name :
       {"network_cidr", "network_public_subnet_cidrs", "network_private_subnet_cidrs",
        "network_database_subnet_cidrs", "network_elasticache_subnet_cidrs"}) {
    EXPECT_EQ(wandb->local_cloud_defaults->count(name), 1u) << name;
  }
  // A user's own CIDRs still win on the local cloud.
  Planned p =
      Plan("network_cidr = \"127.20.0.0/16\"\n", {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"}});
  ASSERT_FALSE(p.diags.HasErrors()) << p.Errors();
  EXPECT_EQ(Text(p.R("aws_vpc.this[0]"), "cidr_block"), "127.20.0.0/16");
}

}  // namespace
}  // namespace cf::modules
