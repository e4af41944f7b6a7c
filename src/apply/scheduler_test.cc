#include "apply/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "apply/state_journal.h"
#include "state/local_backend.h"
#include "testing/fake_clock.h"
#include "testing/fake_resource_provider.h"
#include "testing/memory_file_system.h"
#include "testing/status_matchers.h"

namespace cf::apply {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using namespace std::chrono_literals;

// Every operation's config is {"name": ADDRESS}.
class NameConfigs : public ConfigSource {
 public:
  Result<Json> Config(const std::string& address) override { return Json{{"name", address}}; }
};

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest()
      : backend_(fs_, "/w/clusterform.tfstate", false),
        store_(backend_, state::LocalKeySealers(fs_, "/w/clusterform.tfstate"), "test"),
        journal_(
            store_,
            [](const Operation&) {
              return InstanceMeta{"p", {}, {}};
            },
            clock_) {
    EXPECT_OK(store_.Load());
    options_.lineage = store_.Snapshot().lineage;
    options_.poll_interval = 2s;
  }

  Summary Apply(const std::vector<Operation>& ops) { return Apply(ops, configs_); }
  Summary Apply(const std::vector<Operation>& ops, ConfigSource& configs) {
    return RunOperations(ops, provider_, configs, journal_, progress_, clock_, options_);
  }

  static Operation Create(std::string address, std::vector<std::string> deps = {},
                          std::string type = "fake_thing") {
    Operation op;
    op.address = std::move(address);
    op.type = std::move(type);
    op.kind = OpKind::kCreate;
    op.depends_on = std::move(deps);
    return op;
  }

  // Index of the last line with `text`.
  size_t LineOf(const std::string& text) {
    std::vector<std::string> lines = progress_.Lines();
    auto it = std::find(lines.rbegin(), lines.rend(), text);
    EXPECT_NE(it, lines.rend()) << "no line \"" << text << "\"";
    return static_cast<size_t>(lines.rend() - it - 1);
  }

  InMemoryFileSystem fs_;
  FakeClock clock_;
  state::LocalBackend backend_;
  state::StateStore store_;
  StateJournal journal_;
  FakeResourceProvider provider_;
  NameConfigs configs_;
  RecordingProgressSink progress_;
  SchedulerOptions options_;
};

TEST_F(SchedulerTest, StartsAnOperationOnlyAfterItsDependencies) {
  Summary s =
      Apply({Create("fake_thing.c", {"fake_thing.b"}), Create("fake_thing.b", {"fake_thing.a"}),
             Create("fake_thing.a"), Create("fake_thing.d")});
  EXPECT_TRUE(s.ok());
  EXPECT_THAT(s.created,
              UnorderedElementsAre("fake_thing.a", "fake_thing.b", "fake_thing.c", "fake_thing.d"));
  EXPECT_LT(
      LineOf("fake_thing.a: Creation complete after 0s [id=" +
             store_.Snapshot().Find("fake_thing.a")->attributes["id"].get<std::string>() + "]"),
      LineOf("fake_thing.b: Creating..."));
  EXPECT_LT(
      LineOf("fake_thing.b: Creation complete after 0s [id=" +
             store_.Snapshot().Find("fake_thing.b")->attributes["id"].get<std::string>() + "]"),
      LineOf("fake_thing.c: Creating..."));
  // Every finished resource is in state, with the attributes the provider returned.
  state::State st = store_.Snapshot();
  EXPECT_EQ(st.Addresses().size(), 4u);
  EXPECT_EQ(st.Find("fake_thing.c")->attributes["name"], "fake_thing.c");
  EXPECT_FALSE(st.Find("fake_thing.c")->pending.has_value());
  // One state write per write-ahead record and per finished resource.
  EXPECT_EQ(st.serial, 8);
}

TEST_F(SchedulerTest, WithOneSlotTheLongestChainStartsFirst) {
  options_.parallelism = 1;
  // In plan order the leaves come first; the chain a -> b -> c is the critical path.
  Summary s = Apply({Create("fake_thing.leaf1"), Create("fake_thing.leaf2"),
                     Create("fake_thing.c", {"fake_thing.b"}),
                     Create("fake_thing.b", {"fake_thing.a"}), Create("fake_thing.a")});
  EXPECT_TRUE(s.ok());
  EXPECT_LT(LineOf("fake_thing.a: Creating..."), LineOf("fake_thing.leaf1: Creating..."));
  EXPECT_LT(LineOf("fake_thing.leaf1: Creating..."), LineOf("fake_thing.leaf2: Creating..."));
}

TEST_F(SchedulerTest, GlobalLimitAndPoolsBoundConcurrency) {
  provider_.SetType("fake_ec2", {"ec2", {}, 0, 40});
  provider_.SetType("fake_iam", {"iam", {}, 0, 40});
  options_.parallelism = 4;
  options_.pool_limits = {{"ec2", 2}};
  std::vector<Operation> ops;
  for (int i = 0; i < 6; ++i) {
    ops.push_back(Create("fake_ec2.e" + std::to_string(i), {}, "fake_ec2"));
    ops.push_back(Create("fake_iam.i" + std::to_string(i), {}, "fake_iam"));
  }
  Summary s = Apply(ops);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.created.size(), 12u);
  EXPECT_LE(provider_.max_in_flight("ec2"), 2);
  EXPECT_EQ(provider_.max_in_flight(), 4);  // iam fills the slots ec2 may not use
  EXPECT_GE(provider_.max_in_flight("iam"), 2);
}

TEST_F(SchedulerTest, AFailureStopsOnlyItsDependents) {
  provider_.FailCreate("fake_thing.a", InvalidArgumentError("InvalidParameterValue: bad cidr"));
  Summary s = Apply({Create("fake_thing.a"), Create("fake_thing.b", {"fake_thing.a"}),
                     Create("fake_thing.c", {"fake_thing.b"}), Create("fake_thing.d")});
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.created, ElementsAre("fake_thing.d"));
  ASSERT_EQ(s.failed.count("fake_thing.a"), 1u);
  EXPECT_EQ(s.failed["fake_thing.a"].message(),
            "creating fake_thing.a: InvalidParameterValue: bad cidr");
  EXPECT_EQ(s.failed["fake_thing.a"].code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.skipped, UnorderedElementsAre("fake_thing.b", "fake_thing.c"));
  EXPECT_THAT(provider_.calls(), Not(Contains("Create fake_thing.b")));
  // The failed create left no record; the independent one is recorded.
  state::State st = store_.Snapshot();
  EXPECT_EQ(st.Find("fake_thing.a"), nullptr);
  EXPECT_NE(st.Find("fake_thing.d"), nullptr);
  LineOf("fake_thing.a: Creation errored after 0s");
}

TEST_F(SchedulerTest, PendingInstancesOfATypeArePolledTogether) {
  provider_.SetType("fake_nat", {"ec2", {}, 3, 0});
  std::vector<Operation> ops;
  for (int i = 0; i < 5; ++i) {
    ops.push_back(Create("fake_nat.n" + std::to_string(i), {}, "fake_nat"));
  }
  ops.push_back(Create("fake_thing.after", {"fake_nat.n4"}));
  Summary s = Apply(ops);
  EXPECT_TRUE(s.ok());
  std::vector<std::string> polls;
  for (const std::string& c : provider_.calls()) {
    if (c.rfind("Poll", 0) == 0) {
      polls.push_back(c);
    }
  }
  EXPECT_THAT(polls, ElementsAre("Poll fake_nat 5", "Poll fake_nat 5", "Poll fake_nat 5"));
  // Ready only once polled ready: the state has what the last poll answered.
  EXPECT_EQ(store_.Snapshot().Find("fake_nat.n4")->attributes["ready"], true);
  EXPECT_LT(
      LineOf("fake_nat.n4: Creation complete after 3s [id=" +
             store_.Snapshot().Find("fake_nat.n4")->attributes["id"].get<std::string>() + "]"),
      LineOf("fake_thing.after: Creating..."));
}

// Polled at 0.5 s, then 1 s later, then every 2 s: a quick resource is not held for 2 s.
TEST_F(SchedulerTest, PendingInstancesArePolledSoonFirstThenLessOften) {
  provider_.SetType("fake_nat", {"ec2", {}, 5, 0});
  Summary s = Apply({Create("fake_nat.n", {}, "fake_nat")});
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(clock_.slept(), 500ms + 1s + 2s + 2s + 2s);
  provider_.SetType("fake_quick", {"ec2", {}, 1, 0});
  Summary quick = Apply({Create("fake_quick.q", {}, "fake_quick")});
  EXPECT_TRUE(quick.ok());
  EXPECT_EQ(clock_.slept(), 500ms + 1s + 2s + 2s + 2s + 500ms);
}

TEST_F(SchedulerTest, SlowCreatesReportStillCreating) {
  provider_.SetType("fake_slow", {"ec2", {}, 8, 0});
  Summary s = Apply({Create("fake_slow.s", {}, "fake_slow")});
  EXPECT_TRUE(s.ok());
  LineOf("fake_slow.s: Still creating... [10s elapsed]");
  LineOf("fake_slow.s: Creation complete after 13s [id=" +
         store_.Snapshot().Find("fake_slow.s")->attributes["id"].get<std::string>() + "]");
}

TEST_F(SchedulerTest, ARerunAdoptsWhatAnInterruptedCreateMade) {
  provider_.CrashAfterCreate("fake_thing.b");
  Summary first = Apply({Create("fake_thing.a"), Create("fake_thing.b")});
  EXPECT_EQ(first.failed.size(), 1u);
  state::State after_crash = store_.Snapshot();
  const state::InstanceState* b = after_crash.Find("fake_thing.b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->pending.has_value());  // the write-ahead record survived
  EXPECT_EQ(provider_.objects().size(), 2u);

  Operation retry = Create("fake_thing.b");
  retry.adopt_token = b->pending->token;
  Summary second = Apply({retry});
  EXPECT_TRUE(second.ok());
  EXPECT_THAT(second.adopted, ElementsAre("fake_thing.b"));
  EXPECT_EQ(provider_.objects().size(), 2u);  // nothing created twice
  int creates = 0;
  for (const std::string& c : provider_.calls()) {
    creates += c == "Create fake_thing.b" ? 1 : 0;
  }
  EXPECT_EQ(creates, 1);
  state::State after_adopt = store_.Snapshot();
  const state::InstanceState* adopted = after_adopt.Find("fake_thing.b");
  EXPECT_TRUE(adopted->Exists());
  EXPECT_FALSE(adopted->pending.has_value());
}

TEST_F(SchedulerTest, AnAdoptedObjectIsUpdatedToItsConfig) {
  // The killed run created b, but died before the follow-up call that sets its name.
  provider_.CrashAfterCreate("fake_thing.b");
  Apply({Create("fake_thing.b")});
  state::State after_crash = store_.Snapshot();
  const state::InstanceState* b = after_crash.Find("fake_thing.b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->pending.has_value());
  ASSERT_EQ(provider_.objects().size(), 1u);
  std::string id = provider_.objects().begin()->first;
  provider_.Mutate(id, "name", "half-made");

  Operation retry = Create("fake_thing.b");
  retry.adopt_token = b->pending->token;
  Summary second = Apply({retry});
  EXPECT_TRUE(second.ok());
  EXPECT_THAT(second.adopted, ElementsAre("fake_thing.b"));
  EXPECT_THAT(provider_.calls(), Contains("Update fake_thing.b"));
  EXPECT_EQ(provider_.objects().at(id)["name"], "fake_thing.b");
  EXPECT_EQ(store_.Snapshot().Find("fake_thing.b")->attributes["name"], "fake_thing.b");
}

TEST_F(SchedulerTest, AnAdoptedObjectThatMatchesItsConfigIsNotUpdated) {
  provider_.CrashAfterCreate("fake_thing.b");
  Apply({Create("fake_thing.b")});
  Operation retry = Create("fake_thing.b");
  retry.adopt_token = store_.Snapshot().Find("fake_thing.b")->pending->token;
  EXPECT_TRUE(Apply({retry}).ok());
  EXPECT_THAT(provider_.calls(), Not(Contains("Update fake_thing.b")));
}

TEST_F(SchedulerTest, UpdatesDeletesAndReplacesRecordTheirResults) {
  Apply({Create("fake_thing.u"), Create("fake_thing.d"), Create("fake_thing.r"),
         Create("fake_thing.cbd")});
  state::State st = store_.Snapshot();
  auto op = [&](const std::string& address, OpKind kind) {
    Operation o;
    o.address = address;
    o.type = "fake_thing";
    o.kind = kind;
    o.prior = st.Find(address)->attributes;
    return o;
  };
  std::string old_r = st.Find("fake_thing.r")->attributes["id"];
  std::string old_cbd = st.Find("fake_thing.cbd")->attributes["id"];
  Summary s = Apply({op("fake_thing.u", OpKind::kUpdate), op("fake_thing.d", OpKind::kDelete),
                     op("fake_thing.r", OpKind::kReplace),
                     op("fake_thing.cbd", OpKind::kReplaceCreateFirst)});
  EXPECT_TRUE(s.ok());
  EXPECT_THAT(s.updated, ElementsAre("fake_thing.u"));
  EXPECT_THAT(s.destroyed, ElementsAre("fake_thing.d"));
  EXPECT_THAT(s.replaced, UnorderedElementsAre("fake_thing.r", "fake_thing.cbd"));
  state::State after = store_.Snapshot();
  EXPECT_EQ(after.Find("fake_thing.d"), nullptr);
  EXPECT_NE(after.Find("fake_thing.r")->attributes["id"], old_r);
  EXPECT_NE(after.Find("fake_thing.cbd")->attributes["id"], old_cbd);
  EXPECT_EQ(provider_.objects().count(old_r), 0u);
  EXPECT_EQ(provider_.objects().count(old_cbd), 0u);
  EXPECT_EQ(provider_.objects().size(), 3u);
  // Delete before create for a plain replace; create first with create_before_destroy.
  EXPECT_LT(LineOf("fake_thing.r: Destroying... [id=" + old_r + "]"),
            LineOf("fake_thing.r: Creating..."));
  EXPECT_LT(LineOf("fake_thing.cbd: Creating..."),
            LineOf("fake_thing.cbd: Destroying... [id=" + old_cbd + "]"));
  LineOf("fake_thing.d: Destruction complete after 0s");
}

// fake_thing.b's config refers to fake_thing.a's id, as the state has it when b's step runs.
class ReferringConfigs : public ConfigSource {
 public:
  explicit ReferringConfigs(state::StateStore& store) : store_(store) {}
  Result<Json> Config(const std::string& address) override {
    Json config{{"name", address}};
    if (address == "fake_thing.b") {
      state::State now = store_.Snapshot();
      const state::InstanceState* a = now.Find("fake_thing.a");
      if (a == nullptr || !a->Exists()) {
        return InternalError("b's config was asked for while a did not exist");
      }
      config["a_id"] = a->attributes["id"];
    }
    return config;
  }

 private:
  state::StateStore& store_;
};

class ReplacementOrderTest : public SchedulerTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        Apply({Create("fake_thing.a"), Create("fake_thing.b", {"fake_thing.a"})}, refs_).ok());
    st_ = store_.Snapshot();
    old_a_ = st_.Find("fake_thing.a")->attributes["id"];
    old_b_ = st_.Find("fake_thing.b")->attributes["id"];
  }
  Operation Op(const std::string& address, OpKind kind, std::vector<std::string> deps = {}) {
    Operation o = Create(address, std::move(deps));
    o.kind = kind;
    o.prior = st_.Find(address)->attributes;
    return o;
  }
  size_t CallIndex(const std::string& call) {
    std::vector<std::string> calls = provider_.calls();
    auto it = std::find(calls.rbegin(), calls.rend(), call);
    EXPECT_NE(it, calls.rend()) << "no call " << call;
    return static_cast<size_t>(calls.rend() - it - 1);
  }
  Json StateOf(const std::string& address, const std::string& attribute) {
    state::State now = store_.Snapshot();
    const state::InstanceState* i = now.Find(address);
    return i == nullptr ? Json() : i->attributes.value(attribute, Json());
  }

  ReferringConfigs refs_{store_};
  state::State st_;
  std::string old_a_;
  std::string old_b_;
};

TEST_F(ReplacementOrderTest, ADependentReplacedTooIsDeletedFirstAndCreatedLast) {
  Summary s = Apply({Op("fake_thing.a", OpKind::kReplace),
                     Op("fake_thing.b", OpKind::kReplace, {"fake_thing.a"})},
                    refs_);
  ASSERT_TRUE(s.ok());
  EXPECT_LT(CallIndex("Delete fake_thing.b"), CallIndex("Delete fake_thing.a"));
  EXPECT_LT(CallIndex("Delete fake_thing.a"), CallIndex("Create fake_thing.a"));
  EXPECT_LT(CallIndex("Create fake_thing.a"), CallIndex("Create fake_thing.b"));
  Json new_a = StateOf("fake_thing.a", "id");
  EXPECT_NE(new_a, old_a_);
  EXPECT_EQ(StateOf("fake_thing.b", "a_id"), new_a);
  EXPECT_EQ(provider_.objects().size(), 2u);
}

TEST_F(ReplacementOrderTest, CreateBeforeDestroyMovesDependentsBeforeTheOldObjectGoes) {
  Summary s = Apply({Op("fake_thing.a", OpKind::kReplaceCreateFirst),
                     Op("fake_thing.b", OpKind::kUpdate, {"fake_thing.a"})},
                    refs_);
  ASSERT_TRUE(s.ok());
  EXPECT_LT(CallIndex("Create fake_thing.a"), CallIndex("Update fake_thing.b"));
  EXPECT_LT(CallIndex("Update fake_thing.b"), CallIndex("Delete fake_thing.a"));
  Json new_a = StateOf("fake_thing.a", "id");
  EXPECT_NE(new_a, old_a_);
  EXPECT_EQ(StateOf("fake_thing.b", "a_id"), new_a);
  EXPECT_EQ(provider_.objects().count(old_a_), 0u);
  EXPECT_EQ(provider_.objects().size(), 2u);
}

TEST_F(ReplacementOrderTest, CreateBeforeDestroyWithADependentReplacedToo) {
  Summary s = Apply({Op("fake_thing.a", OpKind::kReplaceCreateFirst),
                     Op("fake_thing.b", OpKind::kReplace, {"fake_thing.a"})},
                    refs_);
  ASSERT_TRUE(s.ok());
  EXPECT_LT(CallIndex("Create fake_thing.a"), CallIndex("Create fake_thing.b"));
  EXPECT_LT(CallIndex("Create fake_thing.b"), CallIndex("Delete fake_thing.a"));
  EXPECT_EQ(StateOf("fake_thing.b", "a_id"), StateOf("fake_thing.a", "id"));
  EXPECT_EQ(provider_.objects().count(old_a_), 0u);
  EXPECT_EQ(provider_.objects().count(old_b_), 0u);
}

TEST_F(ReplacementOrderTest, AFailedReplacementSkipsTheDependentItsOldObjectIsGone) {
  provider_.FailCreate("fake_thing.a", InvalidArgumentError("bad"));
  Summary s = Apply({Op("fake_thing.a", OpKind::kReplace),
                     Op("fake_thing.b", OpKind::kReplace, {"fake_thing.a"})},
                    refs_);
  EXPECT_EQ(s.failed.count("fake_thing.a"), 1u);
  EXPECT_THAT(s.skipped, ElementsAre("fake_thing.b"));
  std::vector<std::string> calls = provider_.calls();
  EXPECT_EQ(std::count(calls.begin(), calls.end(), "Create fake_thing.b"), 1);  // SetUp's
}

TEST_F(SchedulerTest, DeletesFollowTheOrderTheyAreGiven) {
  Apply({Create("fake_thing.vpc"), Create("fake_thing.subnet", {"fake_thing.vpc"})});
  state::State st = store_.Snapshot();
  Operation del_vpc{"fake_thing.vpc",
                    "fake_thing",
                    OpKind::kDelete,
                    {"fake_thing.subnet"},
                    st.Find("fake_thing.vpc")->attributes,
                    std::nullopt};
  Operation del_subnet{"fake_thing.subnet",
                       "fake_thing",
                       OpKind::kDelete,
                       {},
                       st.Find("fake_thing.subnet")->attributes,
                       std::nullopt};
  Summary s = Apply({del_vpc, del_subnet});
  EXPECT_TRUE(s.ok());
  EXPECT_LT(LineOf("fake_thing.subnet: Destruction complete after 0s"),
            LineOf("fake_thing.vpc: Destroying... [id=" +
                   st.Find("fake_thing.vpc")->attributes["id"].get<std::string>() + "]"));
  EXPECT_TRUE(store_.Snapshot().Empty());
  EXPECT_THAT(provider_.objects(), IsEmpty());
}

TEST(ProgressTest, ATerminalGetsALiveStatusLineBelowTheEvents) {
  std::FILE* out = std::tmpfile();
  TextProgressSink sink(out, /*status_line=*/true);
  ProgressEvent e;
  e.address = "aws_vpc.a";
  e.type = "aws_vpc";
  sink.OnCounts({1, 2, 3, 0, 12s});
  sink.OnEvent(e);
  sink.Finish();
  std::rewind(out);
  std::string text;
  char buffer[1024];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), out)) > 0) {
    text.append(buffer, n);
  }
  std::fclose(out);
  EXPECT_EQ(text,
            "  done 1 · in progress 2 · waiting 3 · failed 0 · 12s"
            "\r\x1b[2Kaws_vpc.a: Creating...\n"
            "  done 1 · in progress 2 · waiting 3 · failed 0 · 12s"
            "\r\x1b[2K");
}

TEST(ProgressTest, JsonEventsFollowTerraformsMachineReadableUi) {
  FakeClock clock;
  JsonProgressSink sink(stdout, clock);
  ProgressEvent e;
  e.kind = ProgressEvent::Kind::kComplete;
  e.address = "module.weka.aws_vpc.this[0]";
  e.type = "aws_vpc";
  e.elapsed = 2s;
  e.id = "vpc-1";
  Json line = Json::parse(sink.Line(e));
  EXPECT_EQ(line["type"], "apply_complete");
  EXPECT_EQ(line["@message"], "module.weka.aws_vpc.this[0]: Creation complete after 2s [id=vpc-1]");
  EXPECT_EQ(line["@module"], "terraform.ui");
  EXPECT_EQ(line["@timestamp"], "2015-08-30T12:36:00Z");
  EXPECT_EQ(line["hook"]["resource"]["module"], "module.weka");
  EXPECT_EQ(line["hook"]["resource"]["resource"], "aws_vpc.this[0]");
  EXPECT_EQ(line["hook"]["resource"]["resource_key"], 0);
  EXPECT_EQ(line["hook"]["resource"]["implied_provider"], "aws");
  EXPECT_EQ(line["hook"]["action"], "create");
  EXPECT_EQ(line["hook"]["id_value"], "vpc-1");
  EXPECT_EQ(line["hook"]["elapsed_seconds"], 2);
  EXPECT_EQ(FormatElapsed(90s), "1m30s");
}

}  // namespace
}  // namespace cf::apply
