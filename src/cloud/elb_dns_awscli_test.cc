// Debian's awscli against the local cloud's ELBv2, Route 53 and ACM: an ALB that proxies HTTP
// to two targets and stops sending to the one whose health check fails; record sets with
// Route 53's change-batch errors; an ACM certificate requested, validated through a Route 53
// record and issued, then refused deletion while a listener uses it.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "base/clock.h"
#include "cloud/acm/certificate.h"
#include "cloud/cloud_server.h"
#include "testing/awscli.h"
#include "testing/http_target.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

Json AwsOk(uint16_t port, const std::string& args) {
  ShellResult r = RunAwsCli(port, args);
  EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
  if (r.status == 0 && r.output.find_first_not_of(" \n") == std::string::npos) {
    return Json::object();
  }
  Json json = Json::parse(r.output, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << args << "\n" << r.output;
  return json.is_discarded() ? Json() : json;
}

std::string AwsError(uint16_t port, const std::string& args) {
  ShellResult r = RunAwsCli(port, args);
  EXPECT_NE(r.status, 0) << args << "\n" << r.output;
  return r.output;
}

class ElbDnsAwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveAwsCli()) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_elb_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    options_.port = 0;
    options_.data_dir = dir_;
    options_.faults.time_scale = 0.02;  // 5 s health-check intervals take 100 ms
    auto server = CloudServer::Start(options_, clock_, logger_);
    ASSERT_OK(server);
    server_ = std::move(server).value();
    port_ = server_->port();
  }
  void TearDown() override {
    server_.reset();
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  std::string Curl(const std::string& url) {
    return RunShell("curl -s --max-time 5 " + url).output;
  }

  SystemClock clock_;
  NullLogger logger_;
  CloudOptions options_;
  std::string dir_;
  std::unique_ptr<CloudServer> server_;
  uint16_t port_ = 0;
};

TEST_F(ElbDnsAwsCliTest, AlbProxiesToHealthyTargetsOnly) {
  HttpTarget alpha("alpha", "127.0.0.21");
  HttpTarget beta("beta", "127.0.0.22");
  ASSERT_OK(alpha.Start());
  ASSERT_OK(beta.Start());
  Json vpc = AwsOk(port_, "ec2 describe-vpcs --filters Name=is-default,Values=true");
  std::string vpc_id = vpc["Vpcs"][0]["VpcId"];
  Json subnets = AwsOk(port_, "ec2 describe-subnets --filters Name=vpc-id,Values=" + vpc_id);
  ASSERT_GE(subnets["Subnets"].size(), 2u);
  std::string s1 = subnets["Subnets"][0]["SubnetId"];
  std::string s2 = subnets["Subnets"][1]["SubnetId"];

  Json lb = AwsOk(port_, fmt::format("elbv2 create-load-balancer --name web --subnets {} {} "
                                     "--scheme internal --tags Key=team,Value=storage",
                                     s1, s2));
  std::string lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"];
  std::string dns = lb["LoadBalancers"][0]["DNSName"];
  EXPECT_EQ(dns.rfind("127.240.", 0), 0u) << dns;
  EXPECT_NE(AwsError(port_, fmt::format("elbv2 create-load-balancer --name web --subnets {}", s1))
                .find("ValidationError"),
            std::string::npos);
  EXPECT_NE(AwsError(port_, fmt::format("elbv2 create-load-balancer --name web --subnets {} {} "
                                        "--scheme internet-facing",
                                        s1, s2))
                .find("DuplicateLoadBalancerName"),
            std::string::npos);
  Json described = AwsOk(port_, "elbv2 describe-load-balancers --names web");
  EXPECT_EQ(described["LoadBalancers"][0]["State"]["Code"], "active");

  Json tg =
      AwsOk(port_, fmt::format("elbv2 create-target-group --name web-tg --protocol HTTP "
                               "--port {} --vpc-id {} --target-type ip "
                               "--health-check-path /health --health-check-interval-seconds 5 "
                               "--health-check-timeout-seconds 2 --healthy-threshold-count 2 "
                               "--unhealthy-threshold-count 2",
                               alpha.port(), vpc_id));
  std::string tg_arn = tg["TargetGroups"][0]["TargetGroupArn"];
  EXPECT_NE(AwsError(port_, "elbv2 register-targets --target-group-arn " + tg_arn +
                                " --targets Id=10.0.0.5")
                .find("InvalidTarget"),
            std::string::npos);
  AwsOk(port_, fmt::format("elbv2 register-targets --target-group-arn {} --targets Id=127.0.0.21,"
                           "Port={} Id=127.0.0.22,Port={}",
                           tg_arn, alpha.port(), beta.port()));
  Json health = AwsOk(port_, "elbv2 describe-target-health --target-group-arn " + tg_arn);
  ASSERT_EQ(health["TargetHealthDescriptions"].size(), 2u);
  EXPECT_EQ(health["TargetHealthDescriptions"][0]["TargetHealth"]["Reason"], "Target.NotInUse");

  Json listener = AwsOk(port_, fmt::format("elbv2 create-listener --load-balancer-arn {} "
                                           "--protocol HTTP --port 8080 --default-actions "
                                           "Type=forward,TargetGroupArn={}",
                                           lb_arn, tg_arn));
  EXPECT_EQ(listener["Listeners"][0]["Port"], 8080);
  EXPECT_NE(AwsError(port_, fmt::format("elbv2 delete-target-group --target-group-arn {}", tg_arn))
                .find("ResourceInUse"),
            std::string::npos);
  auto wait_states = [&](const std::map<std::string, std::string>& wanted) {
    for (int i = 0; i < 50; ++i) {
      Json h = AwsOk(port_, "elbv2 describe-target-health --target-group-arn " + tg_arn);
      std::map<std::string, std::string> got;
      for (const Json& d : h["TargetHealthDescriptions"]) {
        got[d["Target"]["Id"]] = d["TargetHealth"]["State"];
      }
      if (got == wanted) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  ASSERT_TRUE(wait_states({{"127.0.0.21", "healthy"}, {"127.0.0.22", "healthy"}}));
  std::map<std::string, int> seen;
  for (int i = 0; i < 6; ++i) {
    seen[Curl(fmt::format("http://{}:8080/index.html", dns))]++;
  }
  EXPECT_EQ(seen["alpha\n"], 3);
  EXPECT_EQ(seen["beta\n"], 3);

  beta.set_health_status(500);
  ASSERT_TRUE(wait_states({{"127.0.0.21", "healthy"}, {"127.0.0.22", "unhealthy"}}));
  Json h = AwsOk(port_, "elbv2 describe-target-health --target-group-arn " + tg_arn +
                            " --targets Id=127.0.0.22,Port=" + std::to_string(beta.port()));
  EXPECT_EQ(h["TargetHealthDescriptions"][0]["TargetHealth"]["Reason"],
            "Target.ResponseCodeMismatch");
  int64_t beta_before = beta.requests();
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(Curl(fmt::format("http://{}:8080/", dns)), "alpha\n");
  }
  EXPECT_EQ(beta.requests(), beta_before);

  // A rule answering by itself.
  AwsOk(port_, fmt::format("elbv2 create-rule --listener-arn {} --priority 5 --conditions "
                           "Field=path-pattern,Values='/maintenance*' --actions "
                           "'Type=fixed-response,FixedResponseConfig={{StatusCode=503,"
                           "ContentType=text/plain,MessageBody=down}}'",
                           std::string(listener["Listeners"][0]["ListenerArn"])));
  EXPECT_EQ(Curl(fmt::format("http://{}:8080/maintenance", dns)), "down");
  EXPECT_NE(
      AwsError(port_, fmt::format("elbv2 create-rule --listener-arn {} --priority 5 "
                                  "--conditions Field=path-pattern,Values=/x --actions "
                                  "Type=forward,TargetGroupArn={}",
                                  std::string(listener["Listeners"][0]["ListenerArn"]), tg_arn))
          .find("PriorityInUse"),
      std::string::npos);
  Json tags = AwsOk(port_, "elbv2 describe-tags --resource-arns " + lb_arn);
  EXPECT_EQ(tags["TagDescriptions"][0]["Tags"][0]["Key"], "team");

  // Deregistration drains, then the target is gone; deleting the load balancer stops serving.
  AwsOk(port_, fmt::format("elbv2 modify-target-group-attributes --target-group-arn {} "
                           "--attributes Key=deregistration_delay.timeout_seconds,Value=5",
                           tg_arn));
  AwsOk(port_, fmt::format("elbv2 deregister-targets --target-group-arn {} --targets "
                           "Id=127.0.0.22,Port={}",
                           tg_arn, beta.port()));
  ASSERT_TRUE(wait_states({{"127.0.0.21", "healthy"}}));
  AwsOk(port_, "elbv2 delete-load-balancer --load-balancer-arn " + lb_arn);
  EXPECT_EQ(Curl(fmt::format("http://{}:8080/", dns)), "");
  AwsOk(port_, "elbv2 delete-target-group --target-group-arn " + tg_arn);
}

TEST_F(ElbDnsAwsCliTest, Route53RecordSetsAndChangeBatchErrors) {
  Json zone = AwsOk(port_, "route53 create-hosted-zone --name example.com --caller-reference r1");
  std::string id = zone["HostedZone"]["Id"];
  EXPECT_EQ(zone["HostedZone"]["Name"], "example.com.");
  EXPECT_EQ(zone["DelegationSet"]["NameServers"].size(), 4u);
  std::string change_id = zone["ChangeInfo"]["Id"];
  EXPECT_EQ(AwsOk(port_, "route53 get-change --id " + change_id)["ChangeInfo"]["Status"], "INSYNC");
  EXPECT_NE(AwsError(port_, "route53 create-hosted-zone --name example.com --caller-reference r1")
                .find("HostedZoneAlreadyExists"),
            std::string::npos);
  std::string batch = dir_ + "/batch.json";
  auto write = [&](const std::string& text) { std::ofstream(batch) << text; };
  write(R"({"Changes": [
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "www.example.com", "Type": "A", "TTL": 60,
      "ResourceRecords": [{"Value": "127.0.0.8"}]}},
    {"Action": "CREATE", "ResourceRecordSet": {"Name": "api.example.com", "Type": "A",
      "AliasTarget": {"HostedZoneId": ")" +
        id.substr(id.rfind('/') + 1) + R"(", "DNSName": "www.example.com",
        "EvaluateTargetHealth": false}}}]})");
  AwsOk(port_, "route53 change-resource-record-sets --hosted-zone-id " + id +
                   " --change-batch file://" + batch);
  std::string again = AwsError(port_, "route53 change-resource-record-sets --hosted-zone-id " + id +
                                          " --change-batch file://" + batch);
  EXPECT_NE(again.find("InvalidChangeBatch"), std::string::npos) << again;
  EXPECT_NE(again.find("but it already exists"), std::string::npos) << again;
  write(R"({"Changes": [{"Action": "CREATE", "ResourceRecordSet": {"Name": "www.other.org",
    "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "127.0.0.9"}]}}]})");
  EXPECT_NE(AwsError(port_, "route53 change-resource-record-sets --hosted-zone-id " + id +
                                " --change-batch file://" + batch)
                .find("is not permitted in zone"),
            std::string::npos);
  Json page =
      AwsOk(port_, "route53 list-resource-record-sets --hosted-zone-id " + id + " --max-items 2");
  Json all = AwsOk(port_, "route53 list-resource-record-sets --hosted-zone-id " + id);
  ASSERT_EQ(all["ResourceRecordSets"].size(), 4u);
  EXPECT_EQ(all["ResourceRecordSets"][0]["Type"], "NS");
  EXPECT_EQ(all["ResourceRecordSets"][1]["Type"], "SOA");
  EXPECT_EQ(all["ResourceRecordSets"][2]["Name"], "api.example.com.");
  EXPECT_EQ(all["ResourceRecordSets"][3]["Name"], "www.example.com.");
  EXPECT_EQ(page["ResourceRecordSets"].size(), 2u);
  EXPECT_TRUE(page.contains("NextToken"));
  EXPECT_NE(AwsError(port_, "route53 delete-hosted-zone --id " + id).find("HostedZoneNotEmpty"),
            std::string::npos);
}

TEST_F(ElbDnsAwsCliTest, AcmRequestValidatedThroughRoute53AndImported) {
  Json zone = AwsOk(port_, "route53 create-hosted-zone --name example.net --caller-reference z");
  std::string zone_id = zone["HostedZone"]["Id"];
  Json requested = AwsOk(port_,
                         "acm request-certificate --domain-name app.example.net "
                         "--validation-method DNS --subject-alternative-names "
                         "'*.app.example.net'");
  std::string arn = requested["CertificateArn"];
  Json cert = AwsOk(port_, "acm describe-certificate --certificate-arn " + arn);
  EXPECT_EQ(cert["Certificate"]["Status"], "PENDING_VALIDATION");
  const Json& record = cert["Certificate"]["DomainValidationOptions"][0]["ResourceRecord"];
  std::string name = record["Name"];
  EXPECT_EQ(name.rfind("_", 0), 0u);
  EXPECT_NE(name.find(".app.example.net."), std::string::npos);
  EXPECT_EQ(cert["Certificate"]["DomainValidationOptions"][1]["ResourceRecord"]["Name"], name);
  std::string value = record["Value"];
  EXPECT_NE(value.find(".acm-validations.aws."), std::string::npos);
  EXPECT_NE(AwsError(port_, "acm get-certificate --certificate-arn " + arn)
                .find("RequestInProgressException"),
            std::string::npos);
  std::string batch = dir_ + "/validation.json";
  std::ofstream(batch) << fmt::format(
      R"({{"Changes": [{{"Action": "UPSERT", "ResourceRecordSet": {{"Name": "{}", "Type": "CNAME",
      "TTL": 300, "ResourceRecords": [{{"Value": "{}"}}]}}}}]}})",
      name, value);
  AwsOk(port_, "route53 change-resource-record-sets --hosted-zone-id " + zone_id +
                   " --change-batch file://" + batch);
  cert = AwsOk(port_, "acm describe-certificate --certificate-arn " + arn);
  EXPECT_EQ(cert["Certificate"]["Status"], "ISSUED");
  EXPECT_EQ(cert["Certificate"]["DomainValidationOptions"][0]["ValidationStatus"], "SUCCESS");
  EXPECT_EQ(cert["Certificate"]["KeyAlgorithm"], "RSA-2048");
  std::string pem = AwsOk(port_, "acm get-certificate --certificate-arn " + arn)["Certificate"];
  EXPECT_NE(pem.find("BEGIN CERTIFICATE"), std::string::npos);

  // Import a certificate and key made here; a key of another certificate is refused.
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto issued = acm::IssueCertificate("weka.local", {"weka.local", "alb.weka.local"},
                                      "EC_prime256v1", now - 60, now + 86400);
  auto other = acm::IssueCertificate("other.local", {}, "EC_prime256v1", now - 60, now + 86400);
  ASSERT_OK(issued);
  ASSERT_OK(other);
  std::ofstream(dir_ + "/cert.pem") << issued->certificate_pem;
  std::ofstream(dir_ + "/key.pem") << issued->private_key_pem;
  std::ofstream(dir_ + "/other.pem") << other->private_key_pem;
  EXPECT_NE(AwsError(port_, fmt::format("acm import-certificate --certificate fileb://{0}/cert.pem "
                                        "--private-key fileb://{0}/other.pem",
                                        dir_))
                .find("ValidationException"),
            std::string::npos);
  std::string imported = AwsOk(port_, fmt::format("acm import-certificate --certificate "
                                                  "fileb://{0}/cert.pem --private-key "
                                                  "fileb://{0}/key.pem",
                                                  dir_))["CertificateArn"];
  Json detail = AwsOk(port_, "acm describe-certificate --certificate-arn " + imported);
  EXPECT_EQ(detail["Certificate"]["Type"], "IMPORTED");
  EXPECT_EQ(detail["Certificate"]["Subject"], "CN=weka.local");
  EXPECT_EQ(detail["Certificate"]["KeyAlgorithm"], "EC-prime256v1");
  EXPECT_EQ(detail["Certificate"]["SubjectAlternativeNames"][1], "alb.weka.local");
  Json listed = AwsOk(port_, "acm list-certificates --includes keyTypes=EC_prime256v1,RSA_2048");
  EXPECT_EQ(listed["CertificateSummaryList"].size(), 2u);

  // In use by an HTTPS listener: deletion refused until the listener goes.
  Json vpc = AwsOk(port_, "ec2 describe-vpcs --filters Name=is-default,Values=true");
  std::string vpc_id = vpc["Vpcs"][0]["VpcId"];
  Json subnets = AwsOk(port_, "ec2 describe-subnets --filters Name=vpc-id,Values=" + vpc_id);
  std::string lb_arn = AwsOk(
      port_,
      fmt::format(
          "elbv2 create-load-balancer --name tls --subnets "
          "{} {}",
          std::string(subnets["Subnets"][0]["SubnetId"]),
          std::string(subnets["Subnets"][1]["SubnetId"])))["LoadBalancers"][0]["LoadBalancerArn"];
  std::string listener =
      AwsOk(port_, fmt::format("elbv2 create-listener --load-balancer-arn {} --protocol HTTPS "
                               "--port 8443 --certificates CertificateArn={} --default-actions "
                               "'Type=fixed-response,FixedResponseConfig={{StatusCode=200}}'",
                               lb_arn, imported))["Listeners"][0]["ListenerArn"];
  detail = AwsOk(port_, "acm describe-certificate --certificate-arn " + imported);
  EXPECT_EQ(detail["Certificate"]["InUseBy"][0], lb_arn);
  EXPECT_NE(AwsError(port_, "acm delete-certificate --certificate-arn " + imported)
                .find("ResourceInUseException"),
            std::string::npos);
  AwsOk(port_, "elbv2 delete-listener --listener-arn " + listener);
  AwsOk(port_, "acm delete-certificate --certificate-arn " + imported);
  EXPECT_NE(AwsError(port_, "acm describe-certificate --certificate-arn " + imported)
                .find("ResourceNotFoundException"),
            std::string::npos);
}

}  // namespace
}  // namespace cf::cloud
