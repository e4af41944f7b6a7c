#include "plan/diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/inputs.h"
#include "config/loader.h"
#include "hcl/value_json.h"
#include "plan/render_json.h"
#include "plan/render_text.h"
#include "testing/fake_resource_provider.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

constexpr const char* kConfig = R"(
variable "size" { default = 1 }
resource "fake_net" "vpc" {
  cidr = "10.0.0.0/16"
  size = var.size
}
resource "fake_net" "subnet" {
  count  = 2
  vpc_id = fake_net.vpc.id
  index  = count.index
}
resource "fake_app" "app" {
  name = "app"
}
output "vpc_id" { value = fake_net.vpc.id }
)";

class DiffTest : public ::testing::Test {
 protected:
  DiffTest() {
    provider_.SetType("fake_net", {"ec2", {"cidr"}, 0, 0});
    state_.lineage = "lineage";
  }

  // Loads `text` as the root module and expands it against state_.
  void Expand(const std::string& text, std::vector<std::string> vars = {}) {
    ASSERT_OK(fs_.WriteFileAtomic("/cfg/main.tf", text));
    loaded_ = config::LoadRootModule("/cfg", fs_);
    ASSERT_FALSE(loaded_.diagnostics.HasErrors()) << loaded_.diagnostics[0].detail;
    std::vector<config::VarOption> options;
    for (const std::string& v : vars) {
      options.push_back({config::VarOption::Kind::kVar, v});
    }
    hcl::Diagnostics diags;
    inputs_ = config::CollectInputs(*loaded_.module, {}, options, fs_, diags);
    applied_ = AppliedFromState(state_);
    graph::ConfigurationOptions expand;
    expand.schemas = &schemas_;
    expand.applied = &applied_;
    desired_ = graph::ExpandConfiguration(*loaded_.module, inputs_, expand, diags);
    ASSERT_FALSE(diags.HasErrors()) << diags[0].summary << ": " << diags[0].detail;
  }

  Plan MakeIt(PlanOptions options = {}) {
    options.prior = &state_;
    options.rules = [this](std::string_view type) { return provider_.Rules(type); };
    return MakePlan(desired_, schemas_, options);
  }

  // Records every create and update of `plan` in state_ as a provider would (a new object
  // gets the id "<address>-id").
  void Record(const Plan& plan) {
    for (const ResourceChange& c : plan.resource_changes) {
      if (c.action != Action::kCreate && c.action != Action::kUpdate) {
        continue;
      }
      Json attrs = Json::parse(hcl::ValueToJson(c.after.UnmarkDeep()), nullptr, false);
      if (attrs.is_discarded() || attrs.is_null()) {
        attrs = Json::object();
      }
      if (c.action == Action::kCreate) {
        attrs["id"] = c.address + "-id";
      }
      Result<state::ParsedAddress> a = state::ParseAddress(c.address);
      state_.Upsert(*a, "p").attributes = attrs;
    }
    state_.outputs["vpc_id"] = state::OutputState{"fake_net.vpc-id", "string", false};
  }

  // Plans and records until nothing changes, as repeated applies would.
  void Converge(const std::string& text) {
    for (int round = 0; round < 3; ++round) {
      Expand(text);
      Plan plan = MakeIt();
      if (!plan.HasChanges()) {
        return;
      }
      Record(plan);
    }
  }

  const ResourceChange* Change(const Plan& plan, const std::string& address) {
    for (const ResourceChange& c : plan.resource_changes) {
      if (c.address == address) {
        return &c;
      }
    }
    return nullptr;
  }

  std::string Text(const Plan& plan) { return RenderPlanText(plan, TextOptions{}); }

  InMemoryFileSystem fs_;
  FakeResourceProvider provider_;
  provider::AwsResourceSchemas schemas_;
  state::State state_;
  config::LoadResult loaded_;
  config::InputValues inputs_;
  graph::AppliedValues applied_;
  graph::DesiredState desired_;
};

TEST_F(DiffTest, WithoutStateEverythingIsCreated) {
  Expand(kConfig);
  Plan plan = MakeIt();
  EXPECT_EQ(plan.ToAdd(), 4);
  EXPECT_FALSE(plan.has_state);
  // Root resources are expanded with their dependencies.
  EXPECT_THAT(Change(plan, "fake_net.subnet[1]")->depends_on, ElementsAre("fake_net.vpc"));
}

TEST_F(DiffTest, AppliedStateMeansNoChangesAndReferencesResolve) {
  Converge(kConfig);
  Expand(kConfig);
  // The subnet's vpc_id now reads the recorded id instead of "known after apply".
  const graph::ResourceInstance* subnet = desired_.root.Find("fake_net.subnet[0]");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->values.Attributes().at("vpc_id").AsString(), "fake_net.vpc-id");
  Plan plan = MakeIt();
  EXPECT_FALSE(plan.HasChanges());
  EXPECT_EQ(Change(plan, "fake_net.vpc")->action, Action::kNoOp);
  EXPECT_THAT(Text(plan), HasSubstr("No changes. Your infrastructure matches the configuration."));
  EXPECT_EQ(Json::parse(RenderPlanJson(plan, {}))["resource_changes"][0]["change"]["actions"],
            Json::array({"no-op"}));
}

TEST_F(DiffTest, AChangedArgumentUpdatesInPlaceOrReplaces) {
  Converge(kConfig);
  std::string changed = kConfig;
  changed.replace(changed.find("10.0.0.0/16"), 11, "10.1.0.0/16");
  Expand(changed, {"size=3"});
  Plan plan = MakeIt();
  const ResourceChange* vpc = Change(plan, "fake_net.vpc");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->action, Action::kReplace);
  EXPECT_THAT(vpc->replace_paths, ElementsAre("cidr"));
  std::string text = Text(plan);
  EXPECT_THAT(text,
              HasSubstr("# fake_net.vpc must be replaced\n-/+ resource \"fake_net\" \"vpc\" {"));
  EXPECT_THAT(text, HasSubstr("~ cidr = \"10.0.0.0/16\" -> \"10.1.0.0/16\" # forces replacement"));
  EXPECT_THAT(text, HasSubstr("~ size = 1 -> 3"));
  EXPECT_THAT(text, HasSubstr("Plan: 1 to add, 0 to change, 1 to destroy."));
  Json json = Json::parse(RenderPlanJson(plan, {}));
  EXPECT_EQ(json["resource_changes"][3]["address"], "fake_net.vpc");
  EXPECT_EQ(json["resource_changes"][3]["change"]["actions"], Json::array({"delete", "create"}));
  EXPECT_EQ(json["resource_changes"][3]["action_reason"], "replace_because_cannot_update");
  EXPECT_EQ(json["resource_changes"][3]["change"]["before"]["cidr"], "10.0.0.0/16");

  Expand(kConfig, {"size=3"});
  Plan update = MakeIt();
  EXPECT_EQ(Change(update, "fake_net.vpc")->action, Action::kUpdate);
  EXPECT_THAT(Text(update), HasSubstr("# fake_net.vpc will be updated in place\n  ~ resource"));
  EXPECT_THAT(Text(update), HasSubstr("Plan: 0 to add, 1 to change, 0 to destroy."));
}

TEST_F(DiffTest, AChangedMapIsShownKeyByKey) {
  const std::string config = R"(
resource "fake_app" "app" {
  name = "app"
  tags = {
    Name = "app"
    team = "storage"
    old  = "x"
    cost = "1"
  }
}
)";
  Converge(config);
  std::string changed = config;
  changed.replace(changed.find("team = \"storage\""), 16, "team = \"compute\"");
  changed.replace(changed.find("old  = \"x\""), 10, "added = \"y\"");
  Expand(changed);
  Plan plan = MakeIt();
  ASSERT_NE(Change(plan, "fake_app.app"), nullptr);
  EXPECT_EQ(Change(plan, "fake_app.app")->action, Action::kUpdate);
  std::string text = Text(plan);
  EXPECT_THAT(text, HasSubstr("      ~ tags = {\n"
                              "          + \"added\" = \"y\"\n"
                              "          - \"old\"   = \"x\" -> null\n"
                              "          ~ \"team\"  = \"storage\" -> \"compute\"\n"
                              "            # (2 unchanged elements hidden)\n"
                              "        }\n"))
      << text;
}

TEST_F(DiffTest, ReplaceByRequestAndCreateBeforeDestroy) {
  std::string cbd = std::string(kConfig) +
                    "resource \"fake_net\" \"edge\" {\n  cidr = \"x\"\n  lifecycle {\n"
                    "    create_before_destroy = true\n  }\n}\n";
  Converge(cbd);
  Expand(cbd);
  PlanOptions options;
  options.replace = {"fake_net.edge", "fake_app.app"};
  Plan plan = MakeIt(options);
  EXPECT_EQ(Change(plan, "fake_net.edge")->action, Action::kCreateThenDelete);
  EXPECT_EQ(Change(plan, "fake_app.app")->action, Action::kReplace);
  EXPECT_EQ(Change(plan, "fake_app.app")->action_reason, "replace_by_request");
  EXPECT_THAT(Text(plan), HasSubstr("+/- resource \"fake_net\" \"edge\""));
}

// What the WEKA module's autoscaling group relies on after `clusterform scale`: the size the
// object has (changed outside the configuration) is not planned back to the configured one.
TEST_F(DiffTest, IgnoreChangesKeepsWhatTheObjectHas) {
  std::string cfg = std::string(kConfig) +
                    "resource \"fake_net\" \"group\" {\n  cidr = \"g\"\n  size = var.size\n"
                    "  name = \"a\"\n  lifecycle {\n    ignore_changes = [size]\n  }\n}\n";
  Converge(cfg);
  state_.FindMutable("fake_net.group")->attributes["size"] = 8;
  Expand(cfg);
  Plan plan = MakeIt();
  EXPECT_EQ(Change(plan, "fake_net.group")->action, Action::kNoOp);
  EXPECT_THAT(Text(plan), HasSubstr("No changes."));

  std::string renamed = cfg;
  renamed.replace(renamed.find("name = \"a\""), 10, "name = \"b\"");
  Expand(renamed);
  Plan update = MakeIt();
  const ResourceChange* group = Change(update, "fake_net.group");
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->action, Action::kUpdate);
  EXPECT_EQ(hcl::ValueToJson(group->after.GetAttr("size").UnmarkDeep()), "8");
  EXPECT_EQ(hcl::ValueToJson(group->after.GetAttr("name").UnmarkDeep()), "\"b\"");

  std::string everything = cfg;
  everything.replace(everything.find("[size]"), 6, "all");
  std::string all_renamed = everything;
  all_renamed.replace(all_renamed.find("name = \"a\""), 10, "name = \"b\"");
  Expand(all_renamed);
  EXPECT_EQ(Change(MakeIt(), "fake_net.group")->action, Action::kNoOp);
}

TEST_F(DiffTest, WhatLeftTheConfigurationIsDestroyed) {
  Converge(kConfig);
  std::string without_app = kConfig;
  without_app.erase(without_app.find("resource \"fake_app\""),
                    std::string("resource \"fake_app\" \"app\" {\n  name = \"app\"\n}\n").size());
  Expand(without_app);
  Plan plan = MakeIt();
  const ResourceChange* app = Change(plan, "fake_app.app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->action, Action::kDelete);
  EXPECT_THAT(Text(plan),
              HasSubstr("# fake_app.app will be destroyed\n  # (because fake_app.app is "
                        "not in configuration)\n  - resource \"fake_app\" \"app\" {\n"
                        "      - id   = \"fake_app.app-id\" -> null\n"
                        "      - name = \"app\" -> null\n"));
}

TEST_F(DiffTest, DestroyDeletesEverythingAndTargetsPickDependencies) {
  Converge(kConfig);
  Expand(kConfig);
  PlanOptions destroy;
  destroy.destroy = true;
  Plan plan = MakeIt(destroy);
  EXPECT_EQ(plan.ToDestroy(), 4);
  EXPECT_EQ(plan.ToAdd(), 0);
  ASSERT_EQ(plan.output_changes.size(), 1u);
  EXPECT_EQ(plan.output_changes[0].action, Action::kDelete);

  state_ = state::State();
  Expand(kConfig);
  PlanOptions target;
  target.targets = {"fake_net.subnet[1]"};
  Plan targeted = MakeIt(target);
  std::vector<std::string> addresses;
  for (const ResourceChange& c : targeted.resource_changes) {
    addresses.push_back(c.address);
  }
  EXPECT_THAT(addresses, ElementsAre("fake_net.subnet[1]", "fake_net.vpc"));
}

TEST_F(DiffTest, RefreshFindsDriftInOneReadPerType) {
  Converge(kConfig);
  // The fake cloud holds what the state holds, then drifts.
  FakeResourceProvider cloud;
  cloud.SetType("fake_net", {"ec2", {"cidr"}, 0, 0});
  for (const std::string& address : state_.Addresses()) {
    Result<state::ParsedAddress> a = state::ParseAddress(address);
    Json attrs = state_.Find(address)->attributes;
    auto created = cloud.Create({a->type, address, "t"}, attrs);
    ASSERT_OK(created);
    state_.FindMutable(address)->attributes = created->state;
  }
  std::string vpc_id = state_.Find("fake_net.vpc")->attributes["id"];
  std::string app_id = state_.Find("fake_app.app")->attributes["id"];
  cloud.Mutate(vpc_id, "size", 7);
  cloud.Erase(app_id);
  state::State unrefreshed = state_;
  Result<RefreshResult> refreshed = Refresh(state_, cloud);
  ASSERT_OK(refreshed);
  EXPECT_EQ(refreshed->read_calls, 2);
  EXPECT_THAT(cloud.calls(), testing::Contains("Read fake_net 3"));
  state_ = refreshed->refreshed;
  EXPECT_EQ(state_.Find("fake_app.app"), nullptr);
  Expand(kConfig);
  PlanOptions options;
  options.unrefreshed = &unrefreshed;
  Plan plan = MakeIt(options);
  ASSERT_EQ(plan.resource_drift.size(), 2u);
  std::string text = Text(plan);
  EXPECT_THAT(text, HasSubstr("Note: Objects have changed outside of clusterform"));
  EXPECT_THAT(text, HasSubstr("# fake_app.app has been deleted"));
  EXPECT_THAT(text, HasSubstr("# fake_net.vpc has changed\n  ~ resource \"fake_net\" \"vpc\" {\n"
                              "      ~ size = 1 -> 7\n"));
  // The plan puts it back: the app is created again, the vpc updated to size 1.
  EXPECT_EQ(Change(plan, "fake_app.app")->action, Action::kCreate);
  EXPECT_EQ(Change(plan, "fake_net.vpc")->action, Action::kUpdate);

  PlanOptions refresh_only = options;
  refresh_only.refresh_only = true;
  Plan ro = MakeIt(refresh_only);
  EXPECT_TRUE(ro.resource_changes.empty());
  EXPECT_TRUE(ro.HasChanges());
  EXPECT_THAT(Text(ro), HasSubstr("This is a refresh-only plan"));
}

TEST_F(DiffTest, ChangedDefaultTagsUpdateTagsAllInPlace) {
  constexpr const char* kTagged = R"(
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "storage" }
  }
}
resource "aws_vpc" "v" {
  cidr_block = "127.16.0.0/16"
  tags       = { Name = "v" }
}
)";
  Converge(kTagged);
  ASSERT_NE(state_.Find("aws_vpc.v"), nullptr);
  EXPECT_EQ(state_.Find("aws_vpc.v")->attributes["tags_all"],
            Json({{"Name", "v"}, {"team", "storage"}}));
  Expand(kTagged);
  EXPECT_EQ(Change(MakeIt(), "aws_vpc.v")->action, Action::kNoOp);

  std::string changed = kTagged;
  changed.replace(changed.find("\"storage\""), 9, "\"compute\"");
  Expand(changed);
  Plan plan = MakeIt();
  const ResourceChange* vpc = Change(plan, "aws_vpc.v");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->action, Action::kUpdate);
  std::string text = Text(plan);
  EXPECT_THAT(text, HasSubstr("~ tags_all = {"));
  EXPECT_THAT(text, HasSubstr("~ team = \"storage\" -> \"compute\""));
  EXPECT_THAT(text, HasSubstr("# (1 unchanged element hidden)"));
  EXPECT_THAT(text, Not(HasSubstr("~ tags ")));
  Json after = Json::parse(hcl::ValueToJson(vpc->after.UnmarkDeep()));
  EXPECT_EQ(after["tags_all"], Json({{"Name", "v"}, {"team", "compute"}}));
  EXPECT_EQ(after["tags"], Json({{"Name", "v"}}));
}

TEST(AddressInTest, MatchesInstancesAndModules) {
  EXPECT_TRUE(AddressIn("aws_vpc.a[0]", "aws_vpc.a"));
  EXPECT_TRUE(AddressIn("module.x.aws_vpc.a", "module.x"));
  EXPECT_FALSE(AddressIn("aws_vpc.ab", "aws_vpc.a"));
  EXPECT_FALSE(AddressIn("module.xy.aws_vpc.a", "module.x"));
}

}  // namespace
}  // namespace cf::plan
