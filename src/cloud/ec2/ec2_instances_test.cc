// Instances of the EC2 service on a fake runtime and a fake clock: launch from templates and
// arguments, addresses, volumes, states by the latency profile, health, lifecycle errors.

#include <fmt/core.h>
#include <gtest/gtest.h>

#include <map>

#include "base/base64.h"
#include "cloud/ec2/ec2_service.h"
#include "cloud/ec2/fake_instance_runtime.h"
#include "cloud/iam/iam_service.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::cloud::ec2 {
namespace {

class Delays : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string& name) const override {
    auto it = delays.find(name);
    return it == delays.end() ? std::chrono::nanoseconds(0) : it->second;
  }
  std::map<std::string, std::chrono::nanoseconds> delays;
};

class Ec2InstancesTest : public ::testing::Test {
 protected:
  Ec2InstancesTest()
      : store_(std::move(Store::Open("").value())),
        random_(11),
        ids_(random_),
        credentials_(*store_, {DefaultCredential()}),
        context_{*store_, ids_, clock_, credentials_, latency_},
        service_(context_, &runtime_),
        iam_(context_) {
    latency_.delays["ec2:InstanceRunning"] = std::chrono::seconds(5);
    latency_.delays["ec2:InstanceTerminated"] = std::chrono::seconds(3);
    latency_.delays["ec2:InstanceStopped"] = std::chrono::seconds(2);
  }

  ServiceResult Call(Service& service, std::string operation, Json input) {
    ServiceCall call;
    call.service = service.name();
    call.operation = std::move(operation);
    call.input = std::move(input);
    call.region = "us-east-1";
    call.caller = DefaultCredential().identity;
    call.account_id = call.caller.account_id;
    return service.Handle(call);
  }
  Json Ok(std::string operation, Json input) {
    ServiceResult r = Call(service_, std::move(operation), std::move(input));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + ": " + r.error().message);
    return r.ok() ? r.output() : Json();
  }
  std::string ErrorCode(std::string operation, Json input) {
    ServiceResult r = Call(service_, std::move(operation), std::move(input));
    return r.ok() ? "(no error)" : r.error().code;
  }

  // A VPC with one subnet of `subnet_cidr`; returns the subnet id.
  std::string Subnet(const std::string& vpc_cidr, const std::string& subnet_cidr) {
    std::string vpc = Ok("CreateVpc", {{"CidrBlock", vpc_cidr}})["Vpc"]["VpcId"];
    return Ok("CreateSubnet", {{"VpcId", vpc}, {"CidrBlock", subnet_cidr}})["Subnet"]["SubnetId"];
  }

  std::string Template(const std::string& name, Json data) {
    return Ok("CreateLaunchTemplate",
              {{"LaunchTemplateName", name},
               {"LaunchTemplateData", data}})["LaunchTemplate"]["LaunchTemplateId"];
  }

  Json Instance(const std::string& id) {
    Json out = Ok("DescribeInstances", {{"InstanceIds", {id}}});
    return out["Reservations"][0]["Instances"][0];
  }

  size_t StoredCount(const char* ns) {
    auto all = store_->List(ns);
    return all.ok() ? all->size() : 0;
  }

  std::unique_ptr<Store> store_;
  FakeClock clock_;
  SeededRandom random_;
  IdGenerator ids_;
  CredentialStore credentials_;
  Delays latency_;
  ServiceContext context_;
  FakeInstanceRuntime runtime_;
  Ec2Service service_;
  iam::IamService iam_;
};

constexpr char kAl2023[] =
    "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64";

TEST_F(Ec2InstancesTest, LaunchesFromTemplateIntoSubnetAndRunsAfterTheDelay) {
  std::string subnet = Subnet("127.40.0.0/16", "127.40.1.0/24");
  std::string script = "#!/bin/bash\necho hello\n";
  std::string lt = Template(
      "backend",
      {{"ImageId", kAl2023},
       {"InstanceType", "i3en.2xlarge"},
       {"UserData", Base64Encode(script)},
       {"DisableApiTermination", true},
       {"MetadataOptions", {{"HttpTokens", "required"}, {"InstanceMetadataTags", "enabled"}}},
       {"BlockDeviceMappings",
        {{{"DeviceName", "/dev/sdp"}, {"Ebs", {{"VolumeSize", 48}, {"VolumeType", "gp3"}}}}}},
       {"NetworkInterfaces", {{{"DeviceIndex", 0}, {"SubnetId", subnet}}}},
       {"TagSpecifications",
        {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "role"}, {"Value", "backend"}}}}}}}});
  Json run =
      Ok("RunInstances", {{"MinCount", 2},
                          {"MaxCount", 2},
                          {"LaunchTemplate", {{"LaunchTemplateId", lt}, {"Version", "$Latest"}}}});
  ASSERT_EQ(run["Instances"].size(), 2u);
  std::string id = run["Instances"][0]["InstanceId"];
  EXPECT_EQ(run["Instances"][0]["State"]["Name"], "pending");
  EXPECT_EQ(run["Instances"][0]["ImageId"], "ami-0a3c3a20c09d6f377");
  EXPECT_EQ(run["Instances"][0]["PrivateIpAddress"], "127.40.1.4");
  EXPECT_EQ(run["Instances"][1]["PrivateIpAddress"], "127.40.1.5");
  EXPECT_EQ(run["Instances"][0]["SubnetId"], subnet);
  EXPECT_EQ(run["Instances"][0]["PrivateDnsName"], "ip-127-40-1-4.ec2.internal");
  // Root volume and the template's /dev/sdp, both attached and deleted with the instance.
  ASSERT_EQ(run["Instances"][0]["BlockDeviceMappings"].size(), 2u);
  Json volumes = Ok("DescribeVolumes",
                    {{"Filters", {{{"Name", "attachment.instance-id"}, {"Values", {id}}}}}});
  ASSERT_EQ(volumes["Volumes"].size(), 2u);
  std::set<int64_t> sizes;
  for (const Json& volume : volumes["Volumes"]) {
    sizes.insert(volume["Size"].get<int64_t>());
  }
  EXPECT_EQ(sizes, (std::set<int64_t>{8, 48}));

  // The runtime booted both with the decoded user data and the type's instance store.
  ASSERT_EQ(runtime_.boots().size(), 2u);
  EXPECT_EQ(runtime_.boots()[0].user_data, script);
  EXPECT_TRUE(runtime_.boots()[0].run_user_data);
  EXPECT_EQ(runtime_.boots()[0].private_ip, "127.40.1.4");
  ASSERT_EQ(runtime_.boots()[0].instance_store.size(), 2u);  // i3en.2xlarge: 2 x 2500 GB
  EXPECT_EQ(runtime_.boots()[0].instance_store[1].device, "nvme2n1");

  EXPECT_EQ(Instance(id)["State"]["Name"], "pending");
  clock_.Advance(std::chrono::seconds(5));
  Json now = Instance(id);
  EXPECT_EQ(now["State"]["Name"], "running");
  EXPECT_EQ(now["State"]["Code"], 16);
  EXPECT_EQ(now["MetadataOptions"]["HttpTokens"], "required");
  std::map<std::string, std::string> tags;
  for (const Json& tag : now["Tags"]) {
    tags[tag["Key"].get<std::string>()] = tag["Value"].get<std::string>();
  }
  EXPECT_EQ(tags["role"], "backend");
  EXPECT_EQ(tags["aws:ec2launchtemplate:id"], lt);

  // Filters and pagination.
  Json by_tag =
      Ok("DescribeInstances", {{"Filters",
                                {{{"Name", "tag:role"}, {"Values", {"backend"}}},
                                 {{"Name", "instance-state-name"}, {"Values", {"running"}}}}}});
  ASSERT_EQ(by_tag["Reservations"].size(), 1u);
  EXPECT_EQ(by_tag["Reservations"][0]["Instances"].size(), 2u);
  Json page = Ok("DescribeInstances", {{"MaxResults", 5}});
  EXPECT_FALSE(page.contains("NextToken"));
  EXPECT_EQ(ErrorCode("DescribeInstances", {{"InstanceIds", {"i-0123456789abcdef0"}}}),
            "InvalidInstanceID.NotFound");

  // Termination protection from the template, then lifted.
  EXPECT_EQ(ErrorCode("TerminateInstances", {{"InstanceIds", {id}}}), "OperationNotPermitted");
  Ok("ModifyInstanceAttribute",
     {{"InstanceId", id}, {"DisableApiTermination", {{"Value", false}}}});
  Json terminated = Ok("TerminateInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(terminated["TerminatingInstances"][0]["CurrentState"]["Name"], "shutting-down");
  EXPECT_EQ(runtime_.Alive(id), std::nullopt);  // halted
  clock_.Advance(std::chrono::seconds(3));
  EXPECT_EQ(Instance(id)["State"]["Name"], "terminated");
  // Its interface and volumes went with it: the next launch gets its address back.
  EXPECT_EQ(Ok("DescribeVolumes",
               {{"Filters", {{{"Name", "attachment.instance-id"}, {"Values", {id}}}}}})["Volumes"]
                .size(),
            0u);
  Json again = Ok(
      "RunInstances",
      {{"MinCount", 1}, {"MaxCount", 1}, {"LaunchTemplate", {{"LaunchTemplateName", "backend"}}}});
  EXPECT_EQ(again["Instances"][0]["PrivateIpAddress"], "127.40.1.4");
}

TEST_F(Ec2InstancesTest, BadInputChangesNothing) {
  std::string subnet = Subnet("127.41.0.0/16", "127.41.0.0/28");  // 11 usable addresses
  size_t enis = StoredCount("ec2/network-interface");
  auto subnet_free = [&] {
    return Ok("DescribeSubnets", {{"SubnetIds", {subnet}}})["Subnets"][0]["AvailableIpAddressCount"]
        .get<int64_t>();
  };
  EXPECT_EQ(subnet_free(), 11);
  Json base = {{"ImageId", kAl2023}, {"InstanceType", "t3.micro"}, {"SubnetId", subnet}};

  Json missing_template = {{"MinCount", 1},
                           {"MaxCount", 1},
                           {"LaunchTemplate", {{"LaunchTemplateId", "lt-0123456789abcdef0"}}}};
  EXPECT_EQ(ErrorCode("RunInstances", missing_template), "InvalidLaunchTemplateId.NotFound");
  EXPECT_EQ(ErrorCode("RunInstances", {{"MinCount", 1},
                                       {"MaxCount", 1},
                                       {"LaunchTemplate", {{"LaunchTemplateName", "nope"}}}}),
            "InvalidLaunchTemplateName.NotFoundException");
  Json too_many = base;
  too_many["MinCount"] = 12;
  too_many["MaxCount"] = 12;
  EXPECT_EQ(ErrorCode("RunInstances", too_many), "InsufficientFreeAddressesInSubnet");
  Json unknown_image = base;
  unknown_image["ImageId"] = "ami-0000000000000000f";
  unknown_image["MinCount"] = 1;
  unknown_image["MaxCount"] = 1;
  EXPECT_EQ(ErrorCode("RunInstances", unknown_image), "InvalidAMIID.NotFound");
  unknown_image["ImageId"] = "resolve:ssm:/no/such/parameter";
  EXPECT_EQ(ErrorCode("RunInstances", unknown_image), "InvalidParameterValue");
  Json bad_type = base;
  bad_type["InstanceType"] = "x9.huge";
  bad_type["MinCount"] = 1;
  bad_type["MaxCount"] = 1;
  EXPECT_EQ(ErrorCode("RunInstances", bad_type), "InvalidParameterValue");
  Json bad_profile = bad_type;
  bad_profile["InstanceType"] = "t3.micro";
  bad_profile["IamInstanceProfile"] = {{"Name", "missing"}};
  EXPECT_EQ(ErrorCode("RunInstances", bad_profile), "InvalidParameterValue");
  Json bad_subnet = bad_profile;
  bad_subnet.erase("IamInstanceProfile");
  bad_subnet["SubnetId"] = "subnet-0123456789abcdef0";
  EXPECT_EQ(ErrorCode("RunInstances", bad_subnet), "InvalidSubnetID.NotFound");

  EXPECT_EQ(StoredCount("ec2/instance"), 0u);
  EXPECT_EQ(StoredCount("ec2/volume"), 0u);
  EXPECT_EQ(StoredCount("ec2/network-interface"), enis);
  EXPECT_EQ(subnet_free(), 11);
  EXPECT_TRUE(runtime_.boots().empty());

  // MinCount 1, MaxCount 12: as many as fit.
  Json some = base;
  some["MinCount"] = 1;
  some["MaxCount"] = 12;
  EXPECT_EQ(Ok("RunInstances", some)["Instances"].size(), 11u);
  EXPECT_EQ(subnet_free(), 0);
}

TEST_F(Ec2InstancesTest, DeadWorkloadIsImpairedAndStopStartReboots) {
  std::string subnet = Subnet("127.42.0.0/16", "127.42.0.0/24");
  Json run = Ok("RunInstances", {{"ImageId", kAl2023},
                                 {"MinCount", 1},
                                 {"MaxCount", 1},
                                 {"SubnetId", subnet},
                                 {"UserData", Base64Encode("echo once")}});
  std::string id = run["Instances"][0]["InstanceId"];
  // Pending instances are not reported without IncludeAllInstances.
  EXPECT_TRUE(Ok("DescribeInstanceStatus", {{"InstanceIds", {id}}})["InstanceStatuses"].empty());
  clock_.Advance(std::chrono::seconds(5));
  Json status = Ok("DescribeInstanceStatus", {{"InstanceIds", {id}}});
  ASSERT_EQ(status["InstanceStatuses"].size(), 1u);
  EXPECT_EQ(status["InstanceStatuses"][0]["InstanceStatus"]["Status"], "ok");
  ASSERT_OK(runtime_.Kill(id));
  status = Ok("DescribeInstanceStatus", {{"InstanceIds", {id}}});
  EXPECT_EQ(status["InstanceStatuses"][0]["InstanceStatus"]["Status"], "impaired");
  EXPECT_EQ(status["InstanceStatuses"][0]["InstanceState"]["Name"], "running");
  Json impaired =
      Ok("DescribeInstanceStatus",
         {{"Filters", {{{"Name", "instance-status.status"}, {"Values", {"impaired"}}}}}});
  EXPECT_EQ(impaired["InstanceStatuses"].size(), 1u);

  // Reboot: booted again without the user data, healthy again.
  Ok("RebootInstances", {{"InstanceIds", {id}}});
  ASSERT_EQ(runtime_.boots().size(), 2u);
  EXPECT_FALSE(runtime_.boots()[1].run_user_data);
  EXPECT_EQ(Ok("DescribeInstanceStatus",
               {{"InstanceIds", {id}}})["InstanceStatuses"][0]["InstanceStatus"]["Status"],
            "ok");

  // Stop and start.
  Json stopping = Ok("StopInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(stopping["StoppingInstances"][0]["CurrentState"]["Name"], "stopping");
  EXPECT_EQ(runtime_.Alive(id), std::nullopt);
  EXPECT_EQ(ErrorCode("StartInstances", {{"InstanceIds", {id}}}), "IncorrectInstanceState");
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(Instance(id)["State"]["Name"], "stopped");
  Ok("ModifyInstanceAttribute", {{"InstanceId", id}, {"InstanceType", {{"Value", "t3.large"}}}});
  Ok("StartInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(runtime_.boots().size(), 3u);
  EXPECT_FALSE(runtime_.boots()[2].run_user_data);
  clock_.Advance(std::chrono::seconds(5));
  Json started = Instance(id);
  EXPECT_EQ(started["State"]["Name"], "running");
  EXPECT_EQ(started["InstanceType"], "t3.large");
  EXPECT_EQ(started["PrivateIpAddress"], run["Instances"][0]["PrivateIpAddress"]);

  // Stop protection.
  Ok("ModifyInstanceAttribute", {{"InstanceId", id}, {"DisableApiStop", {{"Value", true}}}});
  EXPECT_EQ(ErrorCode("StopInstances", {{"InstanceIds", {id}}}), "OperationNotPermitted");
  Json attribute =
      Ok("DescribeInstanceAttribute", {{"InstanceId", id}, {"Attribute", "disableApiStop"}});
  EXPECT_EQ(attribute["DisableApiStop"]["Value"], true);
  Json console = Ok("GetConsoleOutput", {{"InstanceId", id}});
  EXPECT_EQ(Base64Decode(console["Output"].get<std::string>()).value_or(""),
            "console of " + id + "\n");
}

TEST_F(Ec2InstancesTest, InstanceProfileRoleIsRecordedForMetadata) {
  ServiceResult role = Call(
      iam_, "CreateRole",
      {{"RoleName", "backend"},
       {"AssumeRolePolicyDocument", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                    R"("Principal":{"Service":"ec2.amazonaws.com"},)"
                                    R"("Action":"sts:AssumeRole"}]})"}});
  ASSERT_TRUE(role.ok()) << role.error().message;
  ASSERT_TRUE(
      Call(iam_, "CreateInstanceProfile", {{"InstanceProfileName", "backend-profile"}}).ok());
  ASSERT_TRUE(Call(iam_, "AddRoleToInstanceProfile",
                   {{"InstanceProfileName", "backend-profile"}, {"RoleName", "backend"}})
                  .ok());
  std::string subnet = Subnet("127.43.0.0/16", "127.43.0.0/24");
  Json run = Ok("RunInstances", {{"ImageId", "ami-0a3c3a20c09d6f377"},
                                 {"MinCount", 1},
                                 {"MaxCount", 1},
                                 {"SubnetId", subnet},
                                 {"IamInstanceProfile", {{"Name", "backend-profile"}}}});
  std::string id = run["Instances"][0]["InstanceId"];
  auto stored = store_->Get("ec2/instance", "us-east-1/" + id);
  ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((**stored)["_role"]["RoleName"], "backend");
  EXPECT_NE((**stored)["IamInstanceProfile"]["Arn"].get<std::string>().find(
                "instance-profile/backend-profile"),
            std::string::npos);
  // The internal members never show.
  EXPECT_FALSE(Instance(id).contains("_role"));
}

TEST_F(Ec2InstancesTest, BurstableInstancesReportTheirCreditOption) {
  std::string subnet = Subnet("127.41.0.0/16", "127.41.1.0/24");
  auto run = [&](const std::string& type, Json extra) {
    Json input = {{"ImageId", kAl2023},
                  {"InstanceType", type},
                  {"SubnetId", subnet},
                  {"MinCount", 1},
                  {"MaxCount", 1}};
    input.update(extra);
    return Ok("RunInstances", input)["Instances"][0]["InstanceId"].get<std::string>();
  };
  std::string t3 = run("t3.micro", Json::object());
  std::string chosen = run("t3.small", {{"CreditSpecification", {{"CpuCredits", "standard"}}}});
  std::string big = run("m5.large", Json::object());
  Json specs = Ok("DescribeInstanceCreditSpecifications",
                  {{"InstanceIds", {t3, chosen, big}}})["InstanceCreditSpecifications"];
  ASSERT_EQ(specs.size(), 2u) << specs.dump();  // m5 earns no credits: not listed
  EXPECT_EQ(specs[0], (Json{{"InstanceId", t3}, {"CpuCredits", "unlimited"}}));
  EXPECT_EQ(specs[1], (Json{{"InstanceId", chosen}, {"CpuCredits", "standard"}}));
  EXPECT_EQ(
      ErrorCode("DescribeInstanceCreditSpecifications", {{"InstanceIds", {"i-0123456789abcdef0"}}}),
      "InvalidInstanceID.NotFound");
}

TEST_F(Ec2InstancesTest, DescribeImagesByNameAndOwner) {
  Json images = Ok("DescribeImages",
                   {{"Owners", {"amazon"}},
                    {"Filters",
                     {{{"Name", "name"}, {"Values", {"al2023-ami-2023*-kernel-6.1-x86_64"}}},
                      {{"Name", "architecture"}, {"Values", {"x86_64"}}}}}});
  ASSERT_EQ(images["Images"].size(), 2u);
  for (const Json& image : images["Images"]) {
    EXPECT_EQ(image["Architecture"], "x86_64");
    EXPECT_EQ(image["OwnerId"], "137112412989");
  }
  EXPECT_EQ(ErrorCode("DescribeImages", {{"ImageIds", {"ami-0000000000000000f"}}}),
            "InvalidAMIID.NotFound");
  EXPECT_TRUE(Ok("DescribeImages", {{"Owners", {"self"}}})["Images"].empty());
}

}  // namespace
}  // namespace cf::cloud::ec2

namespace cf::cloud::ec2 {
namespace {

// The WEKA backends' boot: interfaces created and attached after launch, marked
// DeleteOnTermination; the instance in a placement group that cannot be deleted while the
// instance is not terminated.
TEST_F(Ec2InstancesTest, InterfacesAttachedLaterGoWithTheInstanceAndItsGroupIsFreedAfter) {
  std::string subnet = Subnet("127.44.0.0/16", "127.44.1.0/24");
  Ok("CreatePlacementGroup", {{"GroupName", "weka"}, {"Strategy", "cluster"}});
  Json run = Ok("RunInstances", {{"ImageId", kAl2023},
                                 {"InstanceType", "i3en.2xlarge"},
                                 {"SubnetId", subnet},
                                 {"MinCount", 1},
                                 {"MaxCount", 1},
                                 {"Placement", {{"GroupName", "weka"}}}});
  std::string id = run["Instances"][0]["InstanceId"];
  auto attach = [&](int index, bool delete_on_termination) {
    std::string eni = Ok("CreateNetworkInterface",
                         {{"SubnetId", subnet}})["NetworkInterface"]["NetworkInterfaceId"];
    std::string attachment = Ok(
        "AttachNetworkInterface",
        {{"NetworkInterfaceId", eni}, {"InstanceId", id}, {"DeviceIndex", index}})["AttachmentId"];
    if (delete_on_termination) {
      Ok("ModifyNetworkInterfaceAttribute",
         {{"NetworkInterfaceId", eni},
          {"Attachment", {{"AttachmentId", attachment}, {"DeleteOnTermination", true}}}});
    }
    return eni;
  };
  std::string goes = attach(1, true);
  std::string stays = attach(2, false);
  EXPECT_EQ(StoredCount("ec2/network-interface"), 3u);

  Ok("TerminateInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(ErrorCode("DescribeNetworkInterfaces", {{"NetworkInterfaceIds", {goes}}}),
            "InvalidNetworkInterfaceID.NotFound");
  Json kept =
      Ok("DescribeNetworkInterfaces", {{"NetworkInterfaceIds", {stays}}})["NetworkInterfaces"][0];
  EXPECT_EQ(kept["Status"], "available");
  EXPECT_FALSE(kept.contains("Attachment"));
  EXPECT_EQ(StoredCount("ec2/network-interface"), 1u);  // the primary went too

  // Shutting down: the group is still in use; once terminated, it can be deleted.
  EXPECT_EQ(ErrorCode("DeletePlacementGroup", {{"GroupName", "weka"}}),
            "InvalidPlacementGroup.InUse");
  clock_.Advance(std::chrono::seconds(3));
  Ok("DeletePlacementGroup", {{"GroupName", "weka"}});
}

}  // namespace
}  // namespace cf::cloud::ec2
