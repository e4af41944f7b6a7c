#include "cloud/stepfunctions/stepfunctions_service.h"

#include <gtest/gtest.h>

#include <condition_variable>

#include "cloud/core/credentials.h"
#include "cloud/core/ids.h"
#include "cloud/core/store.h"
#include "testing/fake_clock.h"

namespace cf::cloud::stepfunctions {
namespace {

class NoLatency : public LatencyProfile {
 public:
  std::chrono::nanoseconds StateDelay(const std::string&) const override { return {}; }
  double TimeScale() const override { return 1.0; }
};

// A Lambda that answers its input, or blocks while `hold` is set.
class GateInvoker : public TaskInvoker {
 public:
  LambdaReply InvokeLambda(const LambdaCall& call) override {
    std::unique_lock<std::mutex> lock(mu);
    ++calls;
    cv.notify_all();
    cv.wait(lock, [&] { return !hold; });
    LambdaReply r;
    r.payload = call.payload;
    return r;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu);
    hold = false;
    cv.notify_all();
  }
  void WaitForCall() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return calls > 0; });
  }
  std::mutex mu;
  std::condition_variable cv;
  bool hold = false;
  int calls = 0;
};

class RecordingSink : public logs::LogSink {
 public:
  Status Append(const std::string&, const std::string&, const std::string& g, const std::string& s,
                const std::vector<logs::LogLine>& l) override {
    std::lock_guard<std::mutex> lock(mu);
    group = g;
    stream = s;
    lines.insert(lines.end(), l.begin(), l.end());
    return OkStatus();
  }
  std::mutex mu;
  std::string group, stream;
  std::vector<logs::LogLine> lines;
};

constexpr char kMachine[] = R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:echo",
          "ResultPath": "$.echo", "Next": "W"},
    "W": {"Type": "Wait", "Seconds": 30, "End": true}}})";

class StepFunctionsServiceTest : public ::testing::Test {
 protected:
  StepFunctionsServiceTest()
      : store_(Store::Open("").value()),
        credentials_(*store_, {DefaultCredential()}),
        context_{*store_, ids_, clock_, credentials_, latency_},
        service_(std::make_unique<StepFunctionsService>(context_, invoker_, sleeper_, &sink_)) {}

  ServiceResult Call(const std::string& op, Json input) {
    ServiceCall call;
    call.service = "states";
    call.operation = op;
    call.input = std::move(input);
    call.region = "us-east-1";
    call.account_id = "000000000000";
    return service_->Handle(call);
  }
  std::string Create(const std::string& name, const std::string& definition = kMachine,
                     Json extra = Json::object()) {
    Json input = {{"name", name},
                  {"definition", definition},
                  {"roleArn", "arn:aws:iam::000000000000:role/sfn"}};
    input.update(extra);
    ServiceResult r = Call("CreateStateMachine", input);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.output()["stateMachineArn"].get<std::string>() : "";
  }

  FakeClock clock_;
  ClockSleeper sleeper_{clock_};
  SeededRandom random_{3};
  IdGenerator ids_{random_};
  NoLatency latency_;
  std::unique_ptr<Store> store_;
  CredentialStore credentials_;
  ServiceContext context_;
  GateInvoker invoker_;
  RecordingSink sink_;
  std::unique_ptr<StepFunctionsService> service_;
};

TEST_F(StepFunctionsServiceTest, RunsAnExecutionToCompletionWithItsHistory) {
  std::string arn = Create("sm");
  EXPECT_EQ(arn, "arn:aws:states:us-east-1:000000000000:stateMachine:sm");
  ServiceResult d = Call("DescribeStateMachine", {{"stateMachineArn", arn}});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.output()["status"], "ACTIVE");
  EXPECT_EQ(d.output()["definition"], kMachine);
  EXPECT_FALSE(d.output().contains("_tags"));

  ServiceResult started = Call(
      "StartExecution", {{"stateMachineArn", arn}, {"name", "run-1"}, {"input", R"({"x": 1})"}});
  ASSERT_TRUE(started.ok()) << started.error().message;
  std::string exec = started.output()["executionArn"];
  EXPECT_EQ(exec, "arn:aws:states:us-east-1:000000000000:execution:sm:run-1");
  ASSERT_TRUE(service_->WaitForExecution(exec));
  ServiceResult e = Call("DescribeExecution", {{"executionArn", exec}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.output()["status"], "SUCCEEDED");
  EXPECT_EQ(Json::parse(e.output()["output"].get<std::string>()),
            Json::parse(R"({"x": 1, "echo": {"x": 1}})"));
  EXPECT_GE(e.output()["stopDate"].get<double>() - e.output()["startDate"].get<double>(), 30.0);

  ServiceResult h = Call("GetExecutionHistory", {{"executionArn", exec}});
  ASSERT_TRUE(h.ok());
  std::vector<std::string> types;
  for (const Json& ev : h.output()["events"]) {
    types.push_back(ev["type"]);
  }
  EXPECT_EQ(types, (std::vector<std::string>{
                       "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                       "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
                       "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"}));
  EXPECT_TRUE(h.output()["events"][1]["stateEnteredEventDetails"].contains("input"));
  ServiceResult paged = Call("GetExecutionHistory", {{"executionArn", exec},
                                                     {"maxResults", 4},
                                                     {"reverseOrder", true},
                                                     {"includeExecutionData", false}});
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(paged.output()["events"].size(), 4u);
  EXPECT_EQ(paged.output()["events"][0]["type"], "ExecutionSucceeded");
  EXPECT_FALSE(paged.output()["events"][3]["stateEnteredEventDetails"].contains("input"));
  EXPECT_EQ(paged.output()["nextToken"], "4");

  ServiceResult list = Call("ListExecutions", {{"stateMachineArn", arn}});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list.output()["executions"].size(), 1u);
  EXPECT_EQ(list.output()["executions"][0]["status"], "SUCCEEDED");
}

TEST_F(StepFunctionsServiceTest, BadInputGetsAwsErrorsAndChangesNothing) {
  ServiceResult r = Call("CreateStateMachine",
                         {{"name", "bad"},
                          {"definition", R"({"StartAt": "A", "States": {"A": {"Type": "Pass"}}})"},
                          {"roleArn", "arn:aws:iam::000000000000:role/sfn"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "InvalidDefinition");
  EXPECT_EQ(r.error().message,
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Exactly one of these "
            "fields must be set: [Next, End] at /States/A'");
  ServiceResult list = Call("ListStateMachines", Json::object());
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list.output()["stateMachines"].empty());

  EXPECT_EQ(Call("CreateStateMachine", {{"name", "has space"},
                                        {"definition", kMachine},
                                        {"roleArn", "arn:aws:iam::000000000000:role/sfn"}})
                .error()
                .code,
            "InvalidName");
  std::string arn = Create("sm");
  EXPECT_EQ(Call("CreateStateMachine",
                 {{"name", "sm"},
                  {"definition", R"({"StartAt": "S", "States": {"S": {"Type": "Succeed"}}})"},
                  {"roleArn", "arn:aws:iam::000000000000:role/sfn"}})
                .error()
                .code,
            "StateMachineAlreadyExists");
  EXPECT_EQ(Call("DescribeStateMachine",
                 {{"stateMachineArn", "arn:aws:states:us-east-1:000000000000:stateMachine:nope"}})
                .error()
                .message,
            "State Machine Does Not Exist: "
            "'arn:aws:states:us-east-1:000000000000:stateMachine:nope'");
  EXPECT_EQ(Call("DescribeStateMachine", {{"stateMachineArn", "nope"}}).error().code, "InvalidArn");
  EXPECT_EQ(Call("StartExecution", {{"stateMachineArn", arn}, {"input", "{nope"}}).error().code,
            "InvalidExecutionInput");
  EXPECT_EQ(Call("DescribeExecution",
                 {{"executionArn", "arn:aws:states:us-east-1:000000000000:execution:sm:x"}})
                .error()
                .code,
            "ExecutionDoesNotExist");
  EXPECT_EQ(
      Call("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", "{}"}}).error().code,
      "InvalidDefinition");
  ServiceResult d = Call("DescribeStateMachine", {{"stateMachineArn", arn}});
  EXPECT_EQ(d.output()["definition"], kMachine);
  EXPECT_EQ(Call("CreateStateMachine", {{"name", "logged"},
                                        {"definition", kMachine},
                                        {"roleArn", "arn:aws:iam::000000000000:role/sfn"},
                                        {"loggingConfiguration", {{"level", "ALL"}}}})
                .error()
                .code,
            "InvalidLoggingConfiguration");
}

// What Terraform's aws_sfn_state_machine asks before it creates: the same problems
// CreateStateMachine refuses, as diagnostics.
TEST_F(StepFunctionsServiceTest, ValidateStateMachineDefinitionReportsTheProblems) {
  ServiceResult ok = Call("ValidateStateMachineDefinition", {{"definition", kMachine}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.output(),
            (Json{{"result", "OK"}, {"diagnostics", Json::array()}, {"truncated", false}}));
  ServiceResult bad =
      Call("ValidateStateMachineDefinition",
           {{"definition", R"({"StartAt": "A", "States": {"A": {"Type": "Pass"}}})"}});
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad.output()["result"], "FAIL");
  ASSERT_EQ(bad.output()["diagnostics"].size(), 1u);
  EXPECT_EQ(bad.output()["diagnostics"][0],
            (Json{{"severity", "ERROR"},
                  {"code", "SCHEMA_VALIDATION_FAILED"},
                  {"message", "Exactly one of these fields must be set: [Next, End]"},
                  {"location", "/States/A"}}));
  ServiceResult two =
      Call("ValidateStateMachineDefinition",
           {{"definition", R"({"States": {"A": {"Type": "Pass"}}})"}, {"maxResults", 1}});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two.output()["diagnostics"].size(), 1u);
  EXPECT_EQ(two.output()["result"], "FAIL");
}

TEST_F(StepFunctionsServiceTest, StopExecutionAbortsARunningOne) {
  invoker_.hold = true;
  std::string arn = Create("sm");
  ServiceResult started = Call("StartExecution", {{"stateMachineArn", arn}, {"name", "long"}});
  ASSERT_TRUE(started.ok());
  std::string exec = started.output()["executionArn"];
  invoker_.WaitForCall();
  ServiceResult running = Call("DescribeExecution", {{"executionArn", exec}});
  EXPECT_EQ(running.output()["status"], "RUNNING");
  ServiceResult history = Call("GetExecutionHistory", {{"executionArn", exec}});
  EXPECT_EQ(history.output()["events"].back()["type"], "LambdaFunctionStarted");
  EXPECT_EQ(Call("StartExecution", {{"stateMachineArn", arn}, {"name", "long"}}).error().code,
            "ExecutionAlreadyExists");

  std::thread stopper([&] {
    ServiceResult stopped =
        Call("StopExecution", {{"executionArn", exec}, {"error", "Manual"}, {"cause", "test"}});
    EXPECT_TRUE(stopped.ok());
  });
  // The task finishes; the execution then ends aborted before its next state.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  invoker_.Release();
  stopper.join();
  ServiceResult e = Call("DescribeExecution", {{"executionArn", exec}});
  EXPECT_EQ(e.output()["status"], "ABORTED");
  EXPECT_EQ(e.output()["error"], "Manual");
  ServiceResult list =
      Call("ListExecutions", {{"stateMachineArn", arn}, {"statusFilter", "SUCCEEDED"}});
  EXPECT_TRUE(list.output()["executions"].empty());
}

TEST_F(StepFunctionsServiceTest, ExecutionLogsGoToTheLogGroup) {
  std::string arn = Create(
      "logged", kMachine,
      {{"loggingConfiguration",
        {{"level", "ALL"},
         {"includeExecutionData", true},
         {"destinations",
          {{{"cloudWatchLogsLogGroup",
             {{"logGroupArn",
               "arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/sm:*"}}}}}}}}});
  ServiceResult started = Call("StartExecution", {{"stateMachineArn", arn}, {"name", "r"}});
  ASSERT_TRUE(started.ok());
  service_->WaitForExecution(started.output()["executionArn"]);
  std::lock_guard<std::mutex> lock(sink_.mu);
  EXPECT_EQ(sink_.group, "/aws/vendedlogs/sm");
  EXPECT_EQ(sink_.stream, "states/logged/2015-08-30/r");
  ASSERT_EQ(sink_.lines.size(), 9u);
  Json first = Json::parse(sink_.lines[0].message);
  EXPECT_EQ(first["type"], "ExecutionStarted");
  EXPECT_EQ(Json::parse(sink_.lines.back().message)["type"], "ExecutionSucceeded");
}

// DescribeStateMachine answers only members of its model (the wire would refuse another), also
// after an update.
TEST_F(StepFunctionsServiceTest, DescribeAfterUpdateAnswersTheModelsMembers) {
  std::string arn = Create("updated", kMachine, Json::object());
  ASSERT_TRUE(
      Call("UpdateStateMachine", {{"stateMachineArn", arn}, {"definition", kMachine}}).ok());
  ServiceResult described = Call("DescribeStateMachine", {{"stateMachineArn", arn}});
  ASSERT_TRUE(described.ok());
  for (const auto& [key, value] : described.output().items()) {
    EXPECT_NE(std::string(key), "updateDate");
    EXPECT_NE(key.rfind("_", 0), 0u) << key;
  }
}

TEST_F(StepFunctionsServiceTest, TagsAndDelete) {
  std::string arn =
      Create("sm", kMachine, Json::parse(R"({"tags": [{"key": "team", "value": "a"}]})"));
  ASSERT_TRUE(Call("TagResource", {{"resourceArn", arn},
                                   {"tags", Json::parse(R"([{"key": "env", "value": "dev"}])")}})
                  .ok());
  ServiceResult tags = Call("ListTagsForResource", {{"resourceArn", arn}});
  EXPECT_EQ(tags.output()["tags"].size(), 2u);
  ASSERT_TRUE(
      Call("UntagResource", {{"resourceArn", arn}, {"tagKeys", Json::array({"team"})}}).ok());
  EXPECT_EQ(Call("ListTagsForResource", {{"resourceArn", arn}}).output()["tags"].size(), 1u);
  ASSERT_TRUE(Call("DeleteStateMachine", {{"stateMachineArn", arn}}).ok());
  EXPECT_EQ(Call("DescribeStateMachine", {{"stateMachineArn", arn}}).error().code,
            "StateMachineDoesNotExist");
}

}  // namespace
}  // namespace cf::cloud::stepfunctions
