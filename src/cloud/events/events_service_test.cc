#include "cloud/events/events_service.h"

#include <gtest/gtest.h>

#include <thread>

#include "cloud/core/credentials.h"
#include "cloud/core/ids.h"
#include "cloud/core/store.h"
#include "cloud/events/schedule.h"
#include "testing/fake_clock.h"
#include "testing/service_harness.h"
#include "testing/status_matchers.h"

namespace cf::cloud::events {
namespace {

using std::chrono::minutes;

std::chrono::system_clock::time_point At(const char* rfc3339) {
  std::tm tm{};
  strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

TEST(ScheduleTest, RatesAndCrons) {
  Result<Schedule> rate = Schedule::Parse("rate(5 minutes)");
  ASSERT_TRUE(rate.ok());
  auto anchor = At("2024-01-01T00:00:00Z");
  EXPECT_EQ(rate->Next(anchor, anchor), anchor + minutes(5));
  EXPECT_EQ(rate->Next(anchor, anchor + minutes(7)), anchor + minutes(10));
  for (const char* bad :
       {"rate(1 minutes)", "rate(2 minute)", "rate(0 hours)", "rate(5 weeks)", "cron(0 12 * * * *)",
        "cron(0 12 * * ?)", "cron(0 12 L * ? *)", "every minute", "cron(61 * * * ? *)"}) {
    EXPECT_FALSE(Schedule::Parse(bad).ok()) << bad;
  }
  Result<Schedule> noon = Schedule::Parse("cron(0 12 * * ? *)");
  ASSERT_TRUE(noon.ok());
  EXPECT_EQ(noon->Next(anchor, At("2024-01-01T12:00:00Z")), At("2024-01-02T12:00:00Z"));
  // 10:15 on weekdays (2024-01-06 is a Saturday).
  Result<Schedule> weekdays = Schedule::Parse("cron(15 10 ? * MON-FRI *)");
  ASSERT_TRUE(weekdays.ok());
  EXPECT_EQ(weekdays->Next(anchor, At("2024-01-05T11:00:00Z")), At("2024-01-08T10:15:00Z"));
  Result<Schedule> every = Schedule::Parse("cron(0/15 * * * ? *)");
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(every->Next(anchor, At("2024-01-01T00:16:00Z")), At("2024-01-01T00:30:00Z"));
}

TEST(PatternTest, MatchesAsEventBridgeDoes) {
  Json event = Json::parse(R"({"source": "aws.ec2", "detail-type": "EC2 Instance State-change",
      "detail": {"state": "terminated", "instance-id": "i-123", "count": 5}})");
  EXPECT_TRUE(MatchesPattern(Json::parse(R"({"source": ["aws.ec2"]})"), event));
  EXPECT_FALSE(MatchesPattern(Json::parse(R"({"source": ["aws.s3"]})"), event));
  EXPECT_TRUE(MatchesPattern(
      Json::parse(
          R"({"detail": {"state": ["running", "terminated"], "instance-id": [{"prefix": "i-"}]}})"),
      event));
  EXPECT_TRUE(MatchesPattern(Json::parse(R"({"detail": {"state": [{"anything-but": "running"}]}})"),
                             event));
  EXPECT_TRUE(MatchesPattern(Json::parse(R"({"detail": {"gone": [{"exists": false}]}})"), event));
  EXPECT_TRUE(MatchesPattern(
      Json::parse(R"({"detail": {"count": [{"numeric": [">", 3, "<=", 5]}]}})"), event));
  EXPECT_FALSE(
      MatchesPattern(Json::parse(R"({"detail": {"count": [{"numeric": [">", 5]}]}})"), event));
}

TEST(TargetInputTest, InputPathAndTransformer) {
  Json event = Json::parse(R"({"time": "t", "detail": {"id": "i-1", "n": 3}})");
  EXPECT_EQ(*TargetInput(Json::parse(R"({"Input": "{\"a\":1}"})"), event), R"({"a":1})");
  EXPECT_EQ(*TargetInput(Json::parse(R"({"InputPath": "$.detail"})"), event),
            R"({"id":"i-1","n":3})");
  Json t = Json::parse(R"({"InputTransformer": {"InputPathsMap": {"id": "$.detail.id",
      "n": "$.detail.n"}, "InputTemplate": "{\"instance\": <id>, \"msg\": \"id <id> n <n>\"}"}})");
  EXPECT_EQ(Json::parse(*TargetInput(t, event)),
            Json::parse(R"({"instance": "i-1", "msg": "id i-1 n 3"})"));
  EXPECT_EQ(Json::parse(*TargetInput(Json::object(), event)), event);
}

class NoLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string&) const override { return {}; }
  double TimeScale() const override { return 0.01; }
};

class RecordingTargets : public TargetDispatcher {
 public:
  Status Deliver(const std::string&, const std::string&, const std::string& arn,
                 const std::string& role, const std::string& input) override {
    std::lock_guard<std::mutex> lock(mu);
    delivered.push_back({arn, role, input});
    return OkStatus();
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu);
    return delivered.size();
  }
  std::mutex mu;
  std::vector<std::vector<std::string>> delivered;
};

TEST(EventsServiceTest, ARateRuleFiresOnScaledTime) {
  SystemClock clock;
  ThreadSleeper sleeper;
  SeededRandom random(5);
  IdGenerator ids(random);
  NoLatency latency;
  auto store = Store::Open("").value();
  CredentialStore credentials(*store, {DefaultCredential()});
  ServiceContext context{*store, ids, clock, credentials, latency};
  RecordingTargets targets;
  EventsService service(context, targets, sleeper);
  auto call = [&](const std::string& op, Json input) {
    ServiceCall c;
    c.operation = op;
    c.input = std::move(input);
    c.region = "us-east-1";
    c.account_id = "000000000000";
    return service.Handle(c);
  };
  EXPECT_EQ(
      call("PutRule", {{"Name", "r"}, {"ScheduleExpression", "rate(1 minutes)"}}).error().message,
      "Parameter ScheduleExpression is not valid.");
  ServiceResult put =
      call("PutRule", {{"Name", "every-minute"}, {"ScheduleExpression", "rate(1 minute)"}});
  ASSERT_TRUE(put.ok());
  std::string arn = put.output()["RuleArn"];
  EXPECT_EQ(arn, "arn:aws:events:us-east-1:000000000000:rule/every-minute");
  ServiceResult targets_put =
      call("PutTargets", Json::parse(R"({"Rule": "every-minute", "Targets": [
          {"Id": "sm", "Arn": "arn:aws:states:us-east-1:000000000000:stateMachine:s",
           "RoleArn": "arn:aws:iam::000000000000:role/events"},
          {"Id": "nr", "Arn": "arn:aws:states:us-east-1:000000000000:stateMachine:s"}]})"));
  ASSERT_TRUE(targets_put.ok());
  EXPECT_EQ(targets_put.output()["FailedEntryCount"], 1);  // the one without a RoleArn
  EXPECT_EQ(call("DeleteRule", {{"Name", "every-minute"}}).error().message,
            "Rule can't be deleted since it has targets.");
  // One minute is 0.6 s at time scale 0.01: three firings in about 2 s.
  auto start = std::chrono::steady_clock::now();
  while (targets.count() < 3 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_GE(targets.count(), 3u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  Json event = Json::parse(targets.delivered[0][2]);
  EXPECT_EQ(event["detail-type"], "Scheduled Event");
  EXPECT_EQ(event["source"], "aws.events");
  EXPECT_EQ(event["resources"][0], arn);
  EXPECT_EQ(targets.delivered[0][1], "arn:aws:iam::000000000000:role/events");

  ASSERT_TRUE(call("DisableRule", {{"Name", "every-minute"}}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  size_t after_disable = targets.count();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(targets.count(), after_disable);
  EXPECT_EQ(call("DescribeRule", {{"Name", "every-minute"}}).output()["State"], "DISABLED");
  ASSERT_TRUE(call("RemoveTargets", {{"Rule", "every-minute"}, {"Ids", {"sm"}}}).ok());
  ASSERT_TRUE(call("DeleteRule", {{"Name", "every-minute"}}).ok());
  EXPECT_EQ(call("DescribeRule", {{"Name", "every-minute"}}).error().code,
            "ResourceNotFoundException");
}

// Delivers as a Lambda or Step Functions target would: by using the store itself, which waits
// while a call's transaction is open.
class StoreReadingTargets : public TargetDispatcher {
 public:
  explicit StoreReadingTargets(Store& store) : store_(store) {}
  Status Deliver(const std::string&, const std::string&, const std::string& arn, const std::string&,
                 const std::string& input) override {
    ASSIGN_OR_RETURN(auto rules, store_.List("events/rule"));
    std::lock_guard<std::mutex> lock(mu);
    delivered.push_back({arn, input, std::to_string(rules.size())});
    return OkStatus();
  }
  std::mutex mu;
  std::vector<std::vector<std::string>> delivered;

 private:
  Store& store_;
};

class EventsOperationsTest : public testing::ServiceTest {
 protected:
  EventsOperationsTest() : targets_(*store_), service_(Context(), targets_, sleeper_) {
    Serve(service_);
  }
  ~EventsOperationsTest() override { service_.Shutdown(); }

  static Json Target(const std::string& id) {
    return {{"Id", id}, {"Arn", "arn:aws:lambda:us-east-1:000000000000:function:" + id}};
  }

  ThreadSleeper sleeper_;
  StoreReadingTargets targets_;
  EventsService service_;
};

TEST_F(EventsOperationsTest, PutEventsDeliversToMatchingRulesOutsideTheCallsTransaction) {
  Ok("PutRule", {{"Name", "ec2"}, {"EventPattern", R"({"source": ["aws.ec2"]})"}});
  Ok("PutRule", {{"Name", "s3"}, {"EventPattern", R"({"source": ["aws.s3"]})"}});
  Ok("PutTargets", {{"Rule", "ec2"}, {"Targets", {Target("f")}}});
  Json out = Ok("PutEvents", {{"Entries",
                               {{{"Source", "aws.ec2"}, {"DetailType", "x"}, {"Detail", "{}"}},
                                {{"Source", "aws.ec2"}, {"Detail", "not json"}}}}});
  EXPECT_EQ(out["FailedEntryCount"], 1);
  EXPECT_EQ(out["Entries"][1]["ErrorCode"], "MalformedDetail");
  std::lock_guard<std::mutex> lock(targets_.mu);
  ASSERT_EQ(targets_.delivered.size(), 1u);
  EXPECT_EQ(targets_.delivered[0][0], "arn:aws:lambda:us-east-1:000000000000:function:f");
  EXPECT_EQ(Json::parse(targets_.delivered[0][1])["source"], "aws.ec2");
  EXPECT_EQ(targets_.delivered[0][2], "2");  // the target read the store during the call
}

TEST_F(EventsOperationsTest, BadRulesGetEventBridgeCodesAndCreateNothing) {
  EXPECT_EQ(ErrorCode("PutRule", {{"Name", "bad name"}, {"ScheduleExpression", "rate(1 hour)"}}),
            "ValidationException");
  EXPECT_EQ(ErrorCode("PutRule", {{"Name", "r"}}), "ValidationException");
  EXPECT_EQ(ErrorCode("PutRule", {{"Name", "r"}, {"EventPattern", "[]"}}),
            "InvalidEventPatternException");
  EXPECT_EQ(
      ErrorCode("PutRule",
                {{"Name", "r"}, {"EventBusName", "other"}, {"ScheduleExpression", "rate(1 hour)"}}),
      "ResourceNotFoundException");
  EXPECT_EQ(ErrorCode("PutRule", {{"Name", 7}, {"ScheduleExpression", "rate(1 hour)"}}),
            "ValidationException");
  EXPECT_TRUE(Ok("ListRules", Json::object())["Rules"].empty());
  EXPECT_EQ(ErrorCode("EnableRule", {{"Name", "r"}}), "ResourceNotFoundException");
  EXPECT_EQ(ErrorCode("DescribeRule", {{"Name", "r"}}), "ResourceNotFoundException");
  Ok("DeleteRule", {{"Name", "r"}});  // deleting a rule that does not exist succeeds
}

TEST_F(EventsOperationsTest, ARefusedTargetBatchKeepsTheTargetsThereWere) {
  Ok("PutRule", {{"Name", "r"}, {"ScheduleExpression", "rate(1 hour)"}, {"State", "DISABLED"}});
  Ok("PutTargets", {{"Rule", "r"}, {"Targets", {Target("a"), Target("b"), Target("c")}}});
  EXPECT_EQ(ErrorCode("PutTargets",
                      {{"Rule", "r"}, {"Targets", {Target("d"), Target("e"), Target("f")}}}),
            "LimitExceededException");
  EXPECT_EQ(Ok("ListTargetsByRule", {{"Rule", "r"}})["Targets"].size(), 3u);
  Json bad = Target("g");
  bad["Input"] = "{not json";
  EXPECT_EQ(ErrorCode("PutTargets", {{"Rule", "r"}, {"Targets", {bad}}}), "ValidationException");
  Ok("RemoveTargets", {{"Rule", "r"}, {"Ids", {"a", "b"}}});
  EXPECT_EQ(Ok("ListTargetsByRule", {{"Rule", "r"}})["Targets"], Json::array({Target("c")}));
  Ok("EnableRule", {{"Name", "r"}});
  EXPECT_EQ(Ok("DescribeRule", {{"Name", "r"}})["State"], "ENABLED");
}

TEST_F(EventsOperationsTest, TagsOnRules) {
  std::string arn = Ok("PutRule", {{"Name", "r"},
                                   {"ScheduleExpression", "rate(1 hour)"},
                                   {"Tags", {{{"Key", "a"}, {"Value", "1"}}}}})["RuleArn"];
  Ok("TagResource", {{"ResourceARN", arn}, {"Tags", {{{"Key", "b"}, {"Value", "2"}}}}});
  Ok("UntagResource", {{"ResourceARN", arn}, {"TagKeys", {"a"}}});
  EXPECT_EQ(Ok("ListTagsForResource", {{"ResourceARN", arn}})["Tags"],
            Json::array({{{"Key", "b"}, {"Value", "2"}}}));
  EXPECT_EQ(ErrorCode("ListTagsForResource",
                      {{"ResourceARN", "arn:aws:events:us-east-1:000000000000:rule/none"}}),
            "ResourceNotFoundException");
}

}  // namespace
}  // namespace cf::cloud::events
