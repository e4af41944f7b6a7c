#include "aws/waiter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "aws/models.h"
#include "aws/paginator.h"
#include "testing/fake_clock.h"
#include "testing/status_matchers.h"

namespace cf::aws {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const json kDoc = json::parse(R"({
  "version": 2,
  "waiters": {
    "InstanceRunning": {
      "delay": 15, "operation": "DescribeInstances", "maxAttempts": 40,
      "acceptors": [
        {"expected": "running", "matcher": "pathAll", "state": "success",
         "argument": "Reservations[].Instances[].State.Name"},
        {"expected": "terminated", "matcher": "pathAny", "state": "failure",
         "argument": "Reservations[].Instances[].State.Name"},
        {"matcher": "error", "expected": "InvalidInstanceID.NotFound", "state": "retry"}
      ]
    },
    "BucketNotExists": {
      "delay": 5, "operation": "HeadBucket", "maxAttempts": 20,
      "acceptors": [{"expected": 404, "matcher": "status", "state": "success"}]
    },
    "ImageExists": {
      "operation": "DescribeImages", "delay": 15, "maxAttempts": 40,
      "acceptors": [
        {"matcher": "path", "expected": true, "argument": "length(Images[]) > `0`",
         "state": "success"},
        {"matcher": "error", "expected": "InvalidAMIID.NotFound", "state": "retry"}
      ]
    }
  }
})");

WaiterPoll States(std::vector<std::string> states) {
  WaiterPoll poll;
  json instances = json::array();
  for (const auto& s : states) {
    instances.push_back({{"State", {{"Name", s}}}});
  }
  poll.output = {{"Reservations", json::array({{{"Instances", instances}}})}};
  return poll;
}

WaiterPoll Error(std::string code, int status = 400) {
  WaiterPoll poll;
  poll.http_status = status;
  poll.error_code = std::move(code);
  poll.output = nullptr;
  return poll;
}

class Script {
 public:
  explicit Script(std::deque<WaiterPoll> polls) : polls_(std::move(polls)) {}
  Result<WaiterPoll> operator()() {
    ++calls;
    WaiterPoll p = polls_.front();
    if (polls_.size() > 1) {
      polls_.pop_front();
    }
    return p;
  }
  int calls = 0;

 private:
  std::deque<WaiterPoll> polls_;
};

TEST(WaiterTest, ParsesBotocoreDefinitions) {
  EXPECT_THAT(WaiterNames(kDoc), ElementsAre("BucketNotExists", "ImageExists", "InstanceRunning"));
  auto w = ParseWaiter(kDoc, "InstanceRunning");
  ASSERT_OK(w);
  EXPECT_EQ(w->operation, "DescribeInstances");
  EXPECT_EQ(w->acceptors.size(), 3u);
  EXPECT_THAT(ParseWaiter(kDoc, "Nope"),
              StatusIs(StatusCode::kNotFound, HasSubstr("known: BucketNotExists")));
}

TEST(WaiterTest, RetriesUntilAllInstancesRun) {
  auto w = ParseWaiter(kDoc, "InstanceRunning");
  ASSERT_OK(w);
  FakeClock clock;
  Script script({Error("InvalidInstanceID.NotFound"), States({"pending", "running"}),
                 States({"running", "running"})});
  EXPECT_OK(Wait(*w, std::ref(script), clock));
  EXPECT_EQ(script.calls, 3);
  EXPECT_EQ(clock.slept(), std::chrono::seconds(30));
}

TEST(WaiterTest, AFailureStateEndsTheWait) {
  auto w = ParseWaiter(kDoc, "InstanceRunning");
  ASSERT_OK(w);
  FakeClock clock;
  Script script({States({"pending", "terminated"})});
  EXPECT_THAT(Wait(*w, std::ref(script), clock),
              StatusIs(StatusCode::kConflict, HasSubstr("\"terminated\"")));
}

TEST(WaiterTest, AnUnexpectedErrorEndsTheWait) {
  auto w = ParseWaiter(kDoc, "InstanceRunning");
  ASSERT_OK(w);
  FakeClock clock;
  Script script({Error("UnauthorizedOperation", 403)});
  EXPECT_THAT(Wait(*w, std::ref(script), clock),
              StatusIs(StatusCode::kConflict, HasSubstr("UnauthorizedOperation")));
  EXPECT_EQ(script.calls, 1);
}

TEST(WaiterTest, GivesUpAfterMaxAttempts) {
  auto w = ParseWaiter(kDoc, "InstanceRunning");
  ASSERT_OK(w);
  FakeClock clock;
  Script script({States({"pending"})});
  WaitOptions options;
  options.max_attempts = 4;
  options.delay = std::chrono::seconds(2);
  EXPECT_THAT(Wait(*w, std::ref(script), clock, options),
              StatusIs(StatusCode::kDeadlineExceeded, HasSubstr("4 attempts")));
  EXPECT_EQ(script.calls, 4);
  EXPECT_EQ(clock.slept(), std::chrono::seconds(6));
}

TEST(WaiterTest, StatusAndLengthMatchers) {
  auto gone = ParseWaiter(kDoc, "BucketNotExists");
  ASSERT_OK(gone);
  EXPECT_EQ(MatchAcceptors(*gone, Error("NotFound", 404)), WaiterAcceptor::State::kSuccess);
  EXPECT_EQ(MatchAcceptors(*gone, WaiterPoll{}), std::nullopt);

  auto image = ParseWaiter(kDoc, "ImageExists");
  ASSERT_OK(image);
  WaiterPoll none;
  none.output = {{"Images", json::array()}};
  EXPECT_EQ(MatchAcceptors(*image, none), std::nullopt);
  WaiterPoll one;
  one.output = {{"Images", json::array({{{"ImageId", "ami-1"}}})}};
  EXPECT_EQ(MatchAcceptors(*image, one), WaiterAcceptor::State::kSuccess);
}

TEST(WaiterTest, PathAllNeedsAtLeastOneValue) {
  auto w = ParseWaiter(kDoc, "InstanceRunning");
  ASSERT_OK(w);
  EXPECT_EQ(MatchAcceptors(*w, States({})), std::nullopt);
}

}  // namespace
}  // namespace cf::aws

namespace cf::aws {
namespace {

// Every waiter and paginator of every embedded model fits the JMESPath subset.
TEST(EmbeddedModelsTest, EveryWaiterAndPaginatorParses) {
  Models models;
  int waiters = 0;
  int paginators = 0;
  for (const std::string& service : Models::Names()) {
    auto model = models.Find(service);
    ASSERT_OK(model);
    for (const std::string& name : WaiterNames((*model)->waiters())) {
      EXPECT_OK(ParseWaiter((*model)->waiters(), name)) << service << "." << name;
      ++waiters;
    }
    for (auto it = (*model)->paginators().begin(); it != (*model)->paginators().end(); ++it) {
      EXPECT_OK(ParsePaginator((*model)->paginators(), it.key())) << service << "." << it.key();
      ++paginators;
    }
  }
  EXPECT_GT(waiters, 50);
  EXPECT_GT(paginators, 100);
}

}  // namespace
}  // namespace cf::aws
