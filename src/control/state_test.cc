#include "control/state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "control/local_cloud_test_fixture.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::control {
namespace {

using ::testing::HasSubstr;

TEST(StateJsonTest, RoundTripsThroughDynamoDbAttributeValues) {
  ClusterState s;
  s.initial_size = 6;
  s.desired_size = 6;
  s.clusterization_target = 6;
  s.instances = {{"i-1", "", "", ""}, {"i-2", "nfs", "uid", "eth1"}};
  s.progress["ip-127-0-1-5"] = {"12:00:00 UTC: hello"};
  nlohmann::json av = ToAttributeValue(StateToJson(s));
  EXPECT_EQ(av["M"]["initial_size"]["N"], "6");
  EXPECT_EQ(av["M"]["clusterized"]["BOOL"], false);
  Result<nlohmann::json> back = FromAttributeValue(av);
  ASSERT_OK(back);
  Result<ClusterState> parsed = StateFromJson(*back);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->instances.size(), 2u);
  EXPECT_EQ(parsed->instances[1].nic_name, "eth1");
  EXPECT_EQ(parsed->progress["ip-127-0-1-5"][0], "12:00:00 UTC: hello");
  EXPECT_FALSE(StateToJson(s).contains("updates"));
}

TEST(StateJsonTest, RefusesWrongTypes) {
  EXPECT_THAT(StateFromJson({{"clusterized", "yes"}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("clusterized")));
  EXPECT_THAT(StateFromJson({{"instances", 3}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("instances")));
  EXPECT_FALSE(FromAttributeValue({{"SS", {"a"}}}).ok());
}

class StateStoreTest : public LocalCloudTest {
 protected:
  void SetUp() override {
    LocalCloudTest::SetUp();
    SeedState("tbl", "p-c-state", 6);
  }
  LockOptions Options() {
    LockOptions o;
    o.lease = std::chrono::milliseconds(20000);
    o.wait = std::chrono::milliseconds(1000);
    o.retry = std::chrono::milliseconds(100);
    return o;
  }
  FakeClock fake_{std::chrono::system_clock::now()};
};

TEST_F(StateStoreTest, UpdateWritesUnderTheLockAndReleasesIt) {
  StateStore store(*api_, fake_, "tbl", "Key", "fn-a", Options());
  ASSERT_OK(store.Update("p-c-state", [](ClusterState& s) {
    s.instances.push_back({"i-1", "", "", ""});
    return OkStatus();
  }));
  Result<ClusterState> s = store.Read("p-c-state");
  ASSERT_OK(s);
  ASSERT_EQ(s->instances.size(), 1u);
  EXPECT_EQ(s->initial_size, 6);
  nlohmann::json item = RawItem("tbl", "p-c-state");
  EXPECT_EQ(item["Locked"]["BOOL"], false);
  EXPECT_FALSE(item.contains("LockOwner"));
  EXPECT_FALSE(item.contains("LockExpires"));
}

TEST_F(StateStoreTest, AFailedChangeWritesNothingAndReleases) {
  StateStore store(*api_, fake_, "tbl", "Key", "fn-a", Options());
  Status st = store.Update("p-c-state", [](ClusterState& s) {
    s.clusterized = true;
    return ConflictError("refused");
  });
  EXPECT_THAT(st, StatusIs(StatusCode::kConflict, HasSubstr("refused")));
  EXPECT_FALSE(store.Read("p-c-state")->clusterized);
  EXPECT_EQ(RawItem("tbl", "p-c-state")["Locked"]["BOOL"], false);
}

TEST_F(StateStoreTest, AHeldLockMakesOthersWaitThenTimeOut) {
  StateStore holder(*api_, fake_, "tbl", "Key", "fn-holder", Options());
  StateStore other(*api_, fake_, "tbl", "Key", "fn-other", Options());
  Status inner;
  ASSERT_OK(holder.Update("p-c-state", [&](ClusterState&) {
    // While held (lease 20 s, the other waits 1 s of fake time): refused, nothing written.
    inner = other.Update("p-c-state", [](ClusterState& s) {
      s.clusterized = true;
      return OkStatus();
    });
    return OkStatus();
  }));
  EXPECT_THAT(inner, StatusIs(StatusCode::kUnavailable, HasSubstr("held by fn-holder")));
  EXPECT_FALSE(other.Read("p-c-state")->clusterized);
}

TEST_F(StateStoreTest, ADeadHoldersExpiredLeaseIsTakenOver) {
  // A holder that died: Locked=true, its lease (20 s) long past.
  LockOptions o = Options();
  StateStore dead(*api_, fake_, "tbl", "Key", "fn-dead", o);
  Status taken_over;
  Status dead_write = dead.Update("p-c-state", [&](ClusterState& s) {
    fake_.Advance(std::chrono::seconds(21));
    StateStore next(*api_, fake_, "tbl", "Key", "fn-next", o);
    taken_over = next.Update("p-c-state", [](ClusterState& n) {
      n.progress["h"].push_back("taken over");
      return OkStatus();
    });
    s.clusterized = true;  // the old holder's write must be refused
    return OkStatus();
  });
  EXPECT_OK(taken_over);
  EXPECT_THAT(dead_write, StatusIs(StatusCode::kConflict, HasSubstr("lease ran out")));
  Result<ClusterState> s = dead.Read("p-c-state");
  ASSERT_OK(s);
  EXPECT_FALSE(s->clusterized);
  EXPECT_EQ(s->progress["h"][0], "taken over");
}

TEST_F(StateStoreTest, ALeaselessLockOfThePublicModuleIsNotForever) {
  ASSERT_OK(api_->Call("dynamodb", "UpdateItem",
                       {{"TableName", "tbl"},
                        {"Key", {{"Key", {{"S", "p-c-state"}}}}},
                        {"UpdateExpression", "SET Locked = :t"},
                        {"ExpressionAttributeValues", {{":t", {{"BOOL", true}}}}}}));
  StateStore store(*api_, fake_, "tbl", "Key", "fn-a", Options());
  EXPECT_OK(store.ReadLocked("p-c-state"));
}

TEST_F(StateStoreTest, AMissingItemIsNotFound) {
  StateStore store(*api_, fake_, "tbl", "Key", "fn-a", Options());
  EXPECT_THAT(store.Update("nope", [](ClusterState&) { return OkStatus(); }),
              StatusIs(StatusCode::kNotFound, HasSubstr("nope")));
  EXPECT_THAT(store.Read("nope"), StatusIs(StatusCode::kNotFound, HasSubstr("table tbl")));
}

}  // namespace
}  // namespace cf::control
