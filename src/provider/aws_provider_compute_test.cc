// The compute, load balancing, orchestration and DNS types of the AWS provider against the real
// local cloud, in-process: each type's whole life (create, read, find, import, update, delete,
// read gone), the waits Terraform makes (instances running, group capacity InService, load
// balancer active, function Active, certificate ISSUED), replacement, batched reads, bad input
// as the service's error with nothing left behind, and every call within the type's policy.
//
// The local cloud runs with a time scale of 0.05 and non-zero state delays, so the waits are
// real (a first read is pending) and short.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/base64.h"
#include "base/crypto.h"
#include "cloud/lambda/zip_archive.h"
#include "provider/aws_provider_test_fixture.h"
#include "provider/local_types.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::provider {
namespace {

constexpr char kAmi[] = "ami-0a3c3a20c09d6f377";  // the local cloud's Amazon Linux 2023 x86_64
constexpr char kRole[] = "arn:aws:iam::000000000000:role/control-plane";
constexpr char kMachine[] =
    R"({"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":"hi","End":true}}})";
constexpr char kMachine2[] =
    R"({"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":"bye","End":true}}})";

class AwsComputeTest : public AwsProviderTest {
 protected:
  void Configure(cloud::CloudOptions& options) override {
    options.faults.time_scale = 0.05;
    // Simulated delays, 50 ms real each at this scale: every wait is seen pending first.
    options.faults.state_delays_ms = {{"ec2:InstanceRunning", 1000},
                                      {"ec2:InstanceTerminated", 1000},
                                      {"ec2:InstanceStopped", 1000},
                                      {"elbv2:LoadBalancer", 1000},
                                      {"lambda:Function", 1000}};
  }

  void SetUp() override {
    AwsProviderTest::SetUp();
    check_adopted_arn_ = true;
    AwsProviderOptions popts;
    popts.default_tags = {{"owner", "storage-team"}};
    popts.file_system = &files_;
    popts.on_call = [this](std::string_view service, std::string_view operation) {
      std::string action = IamActionForCall(service, operation);
      if (action.empty() || current_type_.empty()) {
        return;
      }
      std::lock_guard<std::mutex> lock(mu_);
      recorded_[current_type_].insert(action);
    };
    provider_ = MakeAwsProvider(*client_, popts);
  }

  // A VPC with two subnets in two zones and a security group.
  struct Network {
    Json vpc, a, b, sg;
  };
  Network MakeNetwork(int octet) {
    Network n;
    n.vpc = Apply("aws_vpc", "net", {{"cidr_block", fmt::format("127.{}.0.0/16", octet)}});
    n.a = Apply("aws_subnet", "a",
                {{"vpc_id", n.vpc["id"]},
                 {"cidr_block", fmt::format("127.{}.1.0/24", octet)},
                 {"availability_zone", "us-east-1a"}});
    n.b = Apply("aws_subnet", "b",
                {{"vpc_id", n.vpc["id"]},
                 {"cidr_block", fmt::format("127.{}.2.0/24", octet)},
                 {"availability_zone", "us-east-1b"}});
    n.sg = Apply("aws_security_group", "sg", {{"name", "compute"}, {"vpc_id", n.vpc["id"]}});
    return n;
  }
  void DropNetwork(const Network& n) {
    Destroy("aws_security_group", "sg", n.sg);
    Destroy("aws_subnet", "a", n.a);
    Destroy("aws_subnet", "b", n.b);
    Destroy("aws_vpc", "net", n.vpc);
  }

  Json Call(const std::string& service, const std::string& op, const Json& params) {
    auto out = client_->Call(service, op, params);
    EXPECT_OK(out) << service << "." << op;
    return out.ok() ? *out : Json::object();
  }

  // The instances of the group that are InService.
  int InService(const std::string& group) {
    Json out =
        Call("autoscaling", "DescribeAutoScalingGroups", {{"AutoScalingGroupNames", {group}}});
    int n = 0;
    for (const Json& i : out["AutoScalingGroups"][0].value("Instances", Json::array())) {
      n += i.value("LifecycleState", "") == "InService" ? 1 : 0;
    }
    return n;
  }

  InMemoryFileSystem files_;
};

TEST_F(AwsComputeTest, Instance) {
  Network n = MakeNetwork(60);
  Json config = {{"ami", kAmi},
                 {"instance_type", "t3.micro"},
                 {"subnet_id", n.a["id"]},
                 {"vpc_security_group_ids", {n.sg["id"]}},
                 {"user_data", "#!/bin/bash\necho booted\n"},
                 {"disable_api_termination", true},
                 {"tags", {{"Name", "client-0"}}}};
  // The first answer is pending: the instance is not running until the state delay passed.
  current_type_ = "aws_instance";
  auto step = provider_->Create(Ref("aws_instance", "first"), config);
  ASSERT_OK(step);
  EXPECT_TRUE(step->pending);
  EXPECT_EQ(step->state["instance_state"], "pending");
  Json first = Settle("aws_instance", *step);
  EXPECT_EQ(first["instance_state"], "running");
  Destroy("aws_instance", "first", first);  // turns termination protection off first
  EXPECT_FALSE(ReadOne("aws_instance", first).has_value());

  Json update = config;
  update["instance_type"] = "t3.small";  // stop, modify, start
  update["disable_api_termination"] = false;
  update["tags"] = {{"Name", "client-1"}};
  Json state = Lifecycle({"aws_instance", config, update, ById, {"user_data"}});
  EXPECT_EQ(state["instance_type"], "t3.small");
  EXPECT_EQ(state["instance_state"], "running");
  EXPECT_NE(state["private_ip"].get<std::string>().rfind("127.60.1.", 0), std::string::npos)
      << state["private_ip"];
  EXPECT_EQ(state["arn"],
            "arn:aws:ec2:us-east-1:000000000000:instance/" + state["id"].get<std::string>());
  DropNetwork(n);
}

TEST_F(AwsComputeTest, InstanceFromLaunchTemplateAndBatchedRead) {
  Network n = MakeNetwork(61);
  Json lt = Apply("aws_launch_template", "client",
                  {{"name", "client"},
                   {"image_id", kAmi},
                   {"instance_type", "t3.micro"},
                   {"vpc_security_group_ids", {n.sg["id"]}}});
  std::vector<Json> states;
  for (int i = 0; i < 3; ++i) {
    states.push_back(
        Apply("aws_instance", fmt::format("c{}", i),
              {{"subnet_id", n.a["id"]},
               {"launch_template", {{{"id", lt["id"]}, {"version", lt["latest_version"]}}}}}));
    EXPECT_EQ(states.back()["ami"], kAmi);
    EXPECT_EQ(states.back()["instance_type"], "t3.micro");
  }
  states.push_back({{"id", "i-0000000000000dead"}});
  int describes = 0;
  AwsProviderOptions options;
  options.on_call = [&](std::string_view, std::string_view op) {
    describes += op == "DescribeInstances" ? 1 : 0;
  };
  auto counting = MakeAwsProvider(*client_, options);
  auto read = counting->Read("aws_instance", states);
  ASSERT_OK(read);
  EXPECT_EQ(describes, 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*read)[i].has_value());
    EXPECT_EQ((*read)[i]->value("id", ""), states[i]["id"]);
  }
  EXPECT_FALSE((*read)[3].has_value());
  for (int i = 0; i < 3; ++i) {
    Destroy("aws_instance", fmt::format("c{}", i), states[i]);
  }
  Destroy("aws_launch_template", "client", lt);
  DropNetwork(n);
}

TEST_F(AwsComputeTest, AutoscalingGroupWaitsForCapacity) {
  Network n = MakeNetwork(62);
  Json lt = Apply("aws_launch_template", "backend",
                  {{"name", "backend"}, {"image_id", kAmi}, {"instance_type", "t3.micro"}});
  Json tg = Apply("aws_lb_target_group", "tg",
                  {{"name", "backends"},
                   {"port", 14000},
                   {"protocol", "HTTP"},
                   {"vpc_id", n.vpc["id"]},
                   {"target_type", "instance"}});
  Json config = {{"name", "weka-backends"},
                 {"min_size", 2},
                 {"max_size", 4},
                 {"desired_capacity", 2},
                 {"vpc_zone_identifier", {n.a["id"]}},
                 {"protect_from_scale_in", true},
                 {"suspended_processes", {"ReplaceUnhealthy"}},
                 {"target_group_arns", {tg["arn"]}},
                 {"launch_template", {{{"id", lt["id"]}, {"version", lt["latest_version"]}}}},
                 {"tag",
                  {{{"key", "weka_cluster"}, {"value", "poc"}, {"propagate_at_launch", true}},
                   {{"key", "team"}, {"value", "storage"}, {"propagate_at_launch", false}}}}};
  current_type_ = "aws_autoscaling_group";
  auto step = provider_->Create(Ref("aws_autoscaling_group", "first"), config);
  ASSERT_OK(step);
  EXPECT_TRUE(step->pending) << "no instance can be InService at once";
  Json first = Settle("aws_autoscaling_group", *step);
  EXPECT_EQ(InService("weka-backends"), 2) << "the wait ends at desired capacity";
  // Tags that propagate are on the instances.
  Json instances = Call("ec2", "DescribeInstances",
                        {{"Filters", {{{"Name", "tag:weka_cluster"}, {"Values", {"poc"}}}}}});
  int tagged = 0;
  for (const Json& r : instances["Reservations"]) {
    for (const Json& i : r["Instances"]) {
      tagged += i["State"]["Name"] == "running" ? 1 : 0;
    }
  }
  EXPECT_EQ(tagged, 2);
  Destroy("aws_autoscaling_group", "first", first);  // protected instances go with it
  EXPECT_FALSE(ReadOne("aws_autoscaling_group", first).has_value());

  Json update = config;
  update["desired_capacity"] = 3;
  update["max_size"] = 5;
  update["suspended_processes"] = Json::array();
  update["target_group_arns"] = Json::array();
  update["tag"] = {{{"key", "weka_cluster"}, {"value", "poc2"}, {"propagate_at_launch", true}}};
  // An import cannot know the config's spelling of the template (id or name, version).
  Json state = Lifecycle({"aws_autoscaling_group", config, update, ById, {"launch_template"}});
  EXPECT_EQ(state["desired_capacity"], 3);
  EXPECT_EQ(state["suspended_processes"], Json::array());
  Destroy("aws_lb_target_group", "tg", tg);
  Destroy("aws_launch_template", "backend", lt);
  DropNetwork(n);
}

TEST_F(AwsComputeTest, LoadBalancerTargetGroupListenerAttachment) {
  Network n = MakeNetwork(63);
  Json lb_config = {{"name", "weka-alb"},
                    {"internal", true},
                    {"load_balancer_type", "application"},
                    {"subnets", {n.a["id"], n.b["id"]}},
                    {"security_groups", {n.sg["id"]}},
                    {"idle_timeout", 60},
                    {"tags", {{"Name", "weka-alb"}}}};
  current_type_ = "aws_lb";
  auto step = provider_->Create(Ref("aws_lb", "first"), lb_config);
  ASSERT_OK(step);
  EXPECT_TRUE(step->pending) << "provisioning until the state delay passed";
  Json first = Settle("aws_lb", *step);
  Destroy("aws_lb", "first", first);
  Json lb_update = lb_config;
  lb_update["idle_timeout"] = 120;
  lb_update["enable_deletion_protection"] = false;
  lb_update["tags"] = {{"Name", "weka-alb-2"}};
  Json lb = Lifecycle({"aws_lb", lb_config, lb_update, ById});
  EXPECT_EQ(lb["idle_timeout"], 120);
  EXPECT_EQ(lb["dns_name"].get<std::string>().rfind("127.240.", 0), 0u) << lb["dns_name"];
  EXPECT_EQ(lb["arn_suffix"].get<std::string>().rfind("app/weka-alb/", 0), 0u);

  Json tg_config = {{"name", "weka-backends"},
                    {"port", 14000},
                    {"protocol", "HTTP"},
                    {"vpc_id", n.vpc["id"]},
                    {"target_type", "ip"},
                    {"health_check",
                     {{{"enabled", true},
                       {"path", "/api/v2/healthcheck/"},
                       {"port", "14000"},
                       {"protocol", "HTTP"},
                       {"healthy_threshold", 2},
                       {"unhealthy_threshold", 2},
                       {"timeout", 3},
                       {"interval", 30}}}},
                    {"tags", {{"Name", "tg"}}}};
  Json tg_update = tg_config;
  tg_update["health_check"][0]["path"] = "/healthz";
  tg_update["deregistration_delay"] = 30;
  Json tg = Lifecycle({"aws_lb_target_group", tg_config, tg_update, ById, {"health_check"}});
  EXPECT_EQ(tg["health_check"][0]["path"], "/healthz");

  // Replacement (port is ForceNew): the new group is created, the old deleted and gone.
  std::vector<std::string> force_new = provider_->Rules("aws_lb_target_group").force_new;
  EXPECT_NE(std::find(force_new.begin(), force_new.end(), "port"), force_new.end());
  Json old_tg = Apply("aws_lb_target_group", "old",
                      {{"name", "replaced"},
                       {"port", 8080},
                       {"protocol", "HTTP"},
                       {"vpc_id", n.vpc["id"]},
                       {"target_type", "ip"}});
  Destroy("aws_lb_target_group", "old", old_tg);
  Json new_tg = Apply("aws_lb_target_group", "old",
                      {{"name", "replaced"},
                       {"port", 8081},
                       {"protocol", "HTTP"},
                       {"vpc_id", n.vpc["id"]},
                       {"target_type", "ip"}});
  EXPECT_NE(new_tg["id"], old_tg["id"]);
  EXPECT_EQ(new_tg["port"], 8081);
  EXPECT_FALSE(ReadOne("aws_lb_target_group", old_tg).has_value());

  Json lb2 = Apply("aws_lb", "lb",
                   {{"name", "listeners"},
                    {"internal", true},
                    {"subnets", {n.a["id"], n.b["id"]}},
                    {"security_groups", {n.sg["id"]}}});
  Json listener =
      Lifecycle({"aws_lb_listener",
                 {{"load_balancer_arn", lb2["arn"]},
                  {"port", 18080},
                  {"protocol", "HTTP"},
                  {"default_action", {{{"type", "forward"}, {"target_group_arn", new_tg["arn"]}}}},
                  {"tags", {{"Name", "api"}}}},
                 {{"load_balancer_arn", lb2["arn"]},
                  {"port", 18080},
                  {"protocol", "HTTP"},
                  {"default_action",
                   {{{"type", "fixed-response"},
                     {"fixed_response",
                      {{{"content_type", "text/plain"},
                        {"message_body", "down"},
                        {"status_code", "503"}}}}}}},
                  {"tags", {{"Name", "api"}}}},
                 ById,
                 {"default_action"}});
  EXPECT_EQ(listener["default_action"][0]["type"], "fixed-response");

  Apply("aws_lb_listener", "fwd",
        {{"load_balancer_arn", lb2["arn"]},
         {"port", 18081},
         {"protocol", "HTTP"},
         {"default_action", {{{"type", "forward"}, {"target_group_arn", new_tg["arn"]}}}}});
  Lifecycle({"aws_lb_target_group_attachment",
             {{"target_group_arn", new_tg["arn"]}, {"target_id", "127.63.1.10"}, {"port", 8081}},
             Json(),
             [](const Json& s) {
               return s["target_group_arn"].get<std::string>() + ",127.63.1.10,8081";
             }});
  Destroy("aws_lb", "lb", lb2);
  Destroy("aws_lb_target_group", "old", new_tg);
  DropNetwork(n);
}

TEST_F(AwsComputeTest, LambdaFunctionAndPermission) {
  std::string zip = cloud::lambda::WriteZip(
      {{"bootstrap", 0100755, "#!/bin/sh\nexit 0\n"}, {"README", 0100644, "v1\n"}});
  std::string zip2 = cloud::lambda::WriteZip({{"bootstrap", 0100755, "#!/bin/sh\nexit 1\n"}});
  ASSERT_OK(files_.WriteFileAtomic("fn.zip", zip));
  ASSERT_OK(files_.WriteFileAtomic("fn2.zip", zip2));
  Json config = {{"function_name", "weka-poc-deploy-lambda"},
                 {"role", kRole},
                 {"runtime", "provided.al2"},
                 {"handler", "bootstrap"},
                 {"architectures", {"x86_64"}},
                 {"memory_size", 128},
                 {"timeout", 20},
                 {"filename", "fn.zip"},
                 {"environment", {{{"variables", {{"CLUSTER_NAME", "poc"}}}}}},
                 {"logging_config", {{{"log_format", "Text"}, {"log_group", "/weka/poc/deploy"}}}},
                 {"tags", {{"Name", "deploy"}}}};
  current_type_ = "aws_lambda_function";
  auto step = provider_->Create(Ref("aws_lambda_function", "first"), [&] {
    Json c = config;
    c["function_name"] = "first";
    return c;
  }());
  ASSERT_OK(step);
  EXPECT_TRUE(step->pending) << "Pending until the state delay passed";
  Json first = Settle("aws_lambda_function", *step);
  Destroy("aws_lambda_function", "first", first);

  Json update = config;
  update["timeout"] = 30;
  update["memory_size"] = 256;
  update["environment"] = {{{"variables", {{"CLUSTER_NAME", "poc"}, {"HOSTS_NUM", "6"}}}}};
  update["filename"] = "fn2.zip";
  update["source_code_hash"] = Base64Encode(Sha256(zip2));
  update["tags"] = {{"Name", "deploy-2"}};
  update["logging_config"] = {{{"log_format", "Text"}, {"log_group", "/weka/poc/deploy-2"}}};
  Json fn = Lifecycle({"aws_lambda_function", config, update, ById, {"filename"}});
  // The function logs to the configured group, not to /aws/lambda/NAME (which nothing would
  // delete).
  EXPECT_EQ(fn["logging_config"],
            Json::array({{{"log_format", "Text"}, {"log_group", "/weka/poc/deploy-2"}}}));
  EXPECT_EQ(fn["code_sha256"], Base64Encode(Sha256(zip2)));
  EXPECT_EQ(fn["arn"], "arn:aws:lambda:us-east-1:000000000000:function:weka-poc-deploy-lambda");
  EXPECT_EQ(fn["environment"][0]["variables"]["HOSTS_NUM"], "6");

  Json target = Apply("aws_lambda_function", "target", [&] {
    Json c = config;
    c["function_name"] = "scale-down";
    return c;
  }());
  Lifecycle({"aws_lambda_permission",
             {{"function_name", "scale-down"},
              {"statement_id", "AllowEventBridge"},
              {"action", "lambda:InvokeFunction"},
              {"principal", "events.amazonaws.com"},
              {"source_arn", "arn:aws:events:us-east-1:000000000000:rule/scale-down"}},
             Json(),
             [](const Json&) { return std::string("scale-down/AllowEventBridge"); }});
  Destroy("aws_lambda_function", "target", target);
}

TEST_F(AwsComputeTest, StateMachineRuleAndTarget) {
  Json group = Apply("aws_cloudwatch_log_group", "sfn", {{"name", "/aws/vendedlogs/states/sd"}});
  Json config = {{"name", "weka-poc-scale-down"},
                 {"role_arn", kRole},
                 {"type", "STANDARD"},
                 {"definition", kMachine},
                 {"logging_configuration",
                  {{{"log_destination", group["arn"].get<std::string>() + ":*"},
                    {"include_execution_data", true},
                    {"level", "ALL"}}}},
                 {"tags", {{"Name", "sd"}}}};
  Json update = config;
  update["definition"] = kMachine2;
  update["logging_configuration"][0]["level"] = "ERROR";
  update["tags"] = {{"Name", "sd2"}};
  Json machine = Lifecycle({"aws_sfn_state_machine", config, update, ById});
  EXPECT_EQ(machine["arn"],
            "arn:aws:states:us-east-1:000000000000:stateMachine:weka-poc-scale-down");
  EXPECT_EQ(machine["status"], "ACTIVE");

  Json rule = Lifecycle({"aws_cloudwatch_event_rule",
                         {{"name", "scale-down"},
                          {"description", "every minute"},
                          {"schedule_expression", "rate(1 minute)"},
                          {"tags", {{"Name", "rule"}}}},
                         {{"name", "scale-down"},
                          {"description", "every minute, paused"},
                          {"schedule_expression", "rate(1 minute)"},
                          {"state", "DISABLED"},
                          {"tags", {{"Name", "rule"}}}},
                         ById});
  EXPECT_EQ(rule["is_enabled"], false);

  Json m = Apply("aws_sfn_state_machine", "m",
                 {{"name", "target"}, {"role_arn", kRole}, {"definition", kMachine}});
  Json r = Apply("aws_cloudwatch_event_rule", "r",
                 {{"name", "every-minute"}, {"schedule_expression", "rate(1 minute)"}});
  Lifecycle({"aws_cloudwatch_event_target",
             {{"rule", "every-minute"},
              {"target_id", "TriggerStepFunction"},
              {"arn", m["arn"]},
              {"role_arn", kRole}},
             {{"rule", "every-minute"},
              {"target_id", "TriggerStepFunction"},
              {"arn", m["arn"]},
              {"role_arn", kRole},
              {"input", R"({"source":"schedule"})"}},
             [](const Json&) { return std::string("every-minute/TriggerStepFunction"); }});
  Destroy("aws_cloudwatch_event_rule", "r", r);
  Destroy("aws_sfn_state_machine", "m", m);
  Destroy("aws_cloudwatch_log_group", "sfn", group);
}

TEST_F(AwsComputeTest, ZoneRecordsAndCertificates) {
  Json zone = Lifecycle(
      {"aws_route53_zone",
       {{"name", "weka.example.com"}, {"comment", "WEKA"}, {"tags", {{"Name", "zone"}}}},
       {{"name", "weka.example.com"}, {"comment", "WEKA cluster"}, {"tags", {{"Name", "zone2"}}}},
       ById});
  EXPECT_FALSE(zone["name_servers"].empty());

  Json z = Apply("aws_route53_zone", "z", {{"name", "example.com"}, {"force_destroy", true}});
  std::string zone_id = z["id"];
  Json record = Lifecycle({"aws_route53_record",
                           {{"zone_id", zone_id},
                            {"name", "api"},
                            {"type", "A"},
                            {"ttl", 300},
                            {"records", {"127.0.0.5"}}},
                           {{"zone_id", zone_id},
                            {"name", "api"},
                            {"type", "A"},
                            {"ttl", 60},
                            {"records", {"127.0.0.5", "127.0.0.6"}}},
                           [&](const Json&) { return zone_id + "_api_A"; }});
  EXPECT_EQ(record["fqdn"], "api.example.com");

  // An imported certificate (what the WEKA module does for its ALB).
  InMemoryFileSystem fs;
  LocalTypesProvider local(fs, "/");
  auto key = local.Create({"tls_private_key", "tls_private_key.k", "t1"},
                          {{"algorithm", "RSA"}, {"rsa_bits", 2048}});
  ASSERT_OK(key);
  auto cert = local.Create({"tls_self_signed_cert", "tls_self_signed_cert.c", "t2"},
                           {{"private_key_pem", key->state["private_key_pem"]},
                            {"validity_period_hours", 24},
                            {"allowed_uses", {"server_auth"}},
                            {"subject", {{{"common_name", "*.us-east-1.elb.amazonaws.com"}}}}});
  ASSERT_OK(cert);
  Json imported = Lifecycle({"aws_acm_certificate",
                             {{"private_key", key->state["private_key_pem"]},
                              {"certificate_body", cert->state["cert_pem"]},
                              {"tags", {{"Name", "alb"}}}},
                             {{"private_key", key->state["private_key_pem"]},
                              {"certificate_body", cert->state["cert_pem"]},
                              {"tags", {{"Other", "tag"}}}},
                             ById,
                             {"private_key", "certificate_body"}});
  EXPECT_EQ(imported["type"], "IMPORTED");
  EXPECT_EQ(imported["status"], "ISSUED");
  EXPECT_EQ(imported["domain_name"], "*.us-east-1.elb.amazonaws.com");

  // A requested certificate: pending until its validation record is in the zone.
  Json requested = Apply("aws_acm_certificate", "app",
                         {{"domain_name", "app.example.com"}, {"validation_method", "DNS"}});
  EXPECT_EQ(requested["status"], "PENDING_VALIDATION");
  ASSERT_EQ(requested["domain_validation_options"].size(), 1u) << requested.dump();
  const Json& dvo = requested["domain_validation_options"][0];
  current_type_ = "aws_acm_certificate_validation";
  auto waiting = provider_->Create(Ref("aws_acm_certificate_validation", "app"),
                                   {{"certificate_arn", requested["arn"]}});
  ASSERT_OK(waiting);
  EXPECT_TRUE(waiting->pending) << "no validation record yet";
  Json cname = Apply("aws_route53_record", "validation",
                     {{"zone_id", zone_id},
                      {"name", dvo["resource_record_name"]},
                      {"type", dvo["resource_record_type"]},
                      {"ttl", 60},
                      {"records", {dvo["resource_record_value"]}}});
  Json validated = Lifecycle({"aws_acm_certificate_validation",
                              {{"certificate_arn", requested["arn"]}},
                              Json(),
                              [](const Json& s) { return s["certificate_arn"].get<std::string>(); },
                              {},
                              /*gone_after_delete=*/false});
  auto issued = ReadOne("aws_acm_certificate", requested);
  ASSERT_TRUE(issued.has_value());
  EXPECT_EQ((*issued)["status"], "ISSUED");
  Destroy("aws_acm_certificate", "app", requested);
  Destroy("aws_route53_zone", "z", z);  // force_destroy deletes the records first
  EXPECT_FALSE(ReadOne("aws_route53_zone", z).has_value());
}

// Refresh of many load balancers is one DescribeLoadBalancers (a missing ARN among them: one
// call each, as ELB fails the whole call for it), and an alias record points at one.
TEST_F(AwsComputeTest, LoadBalancersReadInOneCallAndAliasRecords) {
  Network n = MakeNetwork(65);
  std::vector<Json> states;
  for (int i = 0; i < 3; ++i) {
    states.push_back(Apply("aws_lb", fmt::format("lb{}", i),
                           {{"name", fmt::format("lb-{}", i)},
                            {"internal", true},
                            {"subnets", {n.a["id"], n.b["id"]}},
                            {"security_groups", {n.sg["id"]}}}));
  }
  int describes = 0;
  AwsProviderOptions options;
  options.on_call = [&](std::string_view, std::string_view op) {
    describes += op == "DescribeLoadBalancers" ? 1 : 0;
  };
  auto counting = MakeAwsProvider(*client_, options);
  auto read = counting->Read("aws_lb", states);
  ASSERT_OK(read);
  EXPECT_EQ(describes, 1);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*read)[i].has_value());
    EXPECT_EQ((*read)[i]->value("name", ""), fmt::format("lb-{}", i));
  }
  Destroy("aws_lb", "lb2", states[2]);
  describes = 0;
  read = counting->Read("aws_lb", states);
  ASSERT_OK(read);
  EXPECT_TRUE((*read)[0].has_value());
  EXPECT_TRUE((*read)[1].has_value());
  EXPECT_FALSE((*read)[2].has_value()) << "deleted";

  Json zone = Apply("aws_route53_zone", "z", {{"name", "alias.example.com"}});
  Json alias = Lifecycle({"aws_route53_record",
                          {{"zone_id", zone["id"]},
                           {"name", "weka"},
                           {"type", "A"},
                           {"alias",
                            {{{"name", states[0]["dns_name"]},
                              {"zone_id", states[0]["zone_id"]},
                              {"evaluate_target_health", true}}}}},
                          Json(),
                          [&](const Json&) { return zone["id"].get<std::string>() + "_weka_A"; }});
  EXPECT_EQ(alias["fqdn"], "weka.alias.example.com");
  Destroy("aws_route53_zone", "z", zone);
  Destroy("aws_lb", "lb0", states[0]);
  Destroy("aws_lb", "lb1", states[1]);
  DropNetwork(n);
}

// Bad input: the service's own error code, and nothing left behind (Find adopts nothing).
TEST_F(AwsComputeTest, BadInputIsTheServiceErrorAndLeavesNothing) {
  auto expect_error = [&](const std::string& type, const Json& config, const std::string& code) {
    SCOPED_TRACE(type);
    current_type_ = type;
    auto step = provider_->Create(Ref(type, "bad"), config);
    ASSERT_FALSE(step.ok());
    EXPECT_NE(step.status().message().find(code), std::string::npos) << step.status().message();
    auto found = provider_->Find(Ref(type, "bad"), config);
    ASSERT_OK(found);
    EXPECT_FALSE(found->has_value()) << type << " left " << found->value_or(Json()).dump();
  };
  Network n = MakeNetwork(64);
  expect_error("aws_autoscaling_group",
               {{"name", "no-template"},
                {"min_size", 1},
                {"max_size", 1},
                {"vpc_zone_identifier", {n.a["id"]}},
                {"launch_template", {{{"id", "lt-0000000000000dead"}, {"version", "$Latest"}}}}},
               "autoscaling.CreateAutoScalingGroup: ValidationError");
  expect_error("aws_instance",
               {{"ami", "ami-00000000"}, {"instance_type", "t3.micro"}, {"subnet_id", n.a["id"]}},
               "InvalidAMIID");
  expect_error("aws_lb", {{"name", "one-subnet"}, {"internal", true}, {"subnets", {n.a["id"]}}},
               "elbv2.CreateLoadBalancer:");
  ASSERT_OK(files_.WriteFileAtomic(
      "fn.zip", cloud::lambda::WriteZip({{"bootstrap", 0100755, "#!/bin/sh\n"}})));
  expect_error("aws_lambda_function",
               {{"function_name", "java"},
                {"role", kRole},
                {"runtime", "java11"},  // in the model, not run locally
                {"handler", "Main::handle"},
                {"filename", "fn.zip"}},
               "lambda.CreateFunction: InvalidParameterValueException");
  expect_error("aws_sfn_state_machine",
               {{"name", "broken"},
                {"role_arn", kRole},
                {"definition", R"({"StartAt":"Nowhere","States":{}})"}},
               "InvalidDefinition");
  expect_error("aws_cloudwatch_event_rule",
               {{"name", "bad-schedule"}, {"schedule_expression", "every minute"}},
               "events.PutRule: ValidationException");
  expect_error("aws_acm_certificate",
               {{"private_key", "not a key"}, {"certificate_body", "not a certificate"}},
               "acm.ImportCertificate: ValidationException");
  expect_error("aws_route53_record",
               {{"zone_id", "Z0000000000000000DEAD"},
                {"name", "x"},
                {"type", "A"},
                {"ttl", 60},
                {"records", {"127.0.0.1"}}},
               "NoSuchHostedZone");
  DropNetwork(n);
}

}  // namespace
}  // namespace cf::provider
