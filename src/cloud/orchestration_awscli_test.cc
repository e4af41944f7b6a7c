// Debian's awscli against the local cloud's Lambda and Step Functions: functions whose
// `bootstrap` (one in C++, one in shell with curl) speaks the real Runtime API, invoked with
// `aws lambda invoke`; a state machine with Choice, Retry, Catch and Map calling one of them,
// run to completion with its history.

#include <fmt/core.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/clock.h"
#include "cloud/cloud_server.h"
#include "cloud/lambda/zip_archive.h"
#include "testing/awscli.h"
#include "testing/status_matchers.h"

namespace cf::cloud {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class OrchestrationAwsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveAwsCli()) {
      GTEST_SKIP() << "/usr/bin/aws is not installed";
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "cf_orch_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    CloudOptions options;
    options.port = 0;
    options.threads = 4;
    options.data_dir = dir_ + "/cloud";
    auto server = CloudServer::Start(options, clock_, logger_);
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

  ShellResult Aws(const std::string& args) { return RunAwsCli(port_, args); }
  Json AwsOk(const std::string& args) {
    ShellResult r = Aws(args);
    EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
    if (r.output.find_first_not_of(" \n") == std::string::npos) {
      return Json::object();
    }
    Json j = Json::parse(r.output, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.output;
    return j;
  }
  // A zip holding `bootstrap` with `content`, written to a file; its path.
  std::string Zip(const std::string& name, const std::string& bootstrap_name,
                  const std::string& content) {
    std::string path = dir_ + "/" + name + ".zip";
    std::ofstream(path, std::ios::binary)
        << lambda::WriteZip({{bootstrap_name, 0100755, content}, {"README", 0100644, "hi"}});
    return path;
  }
  void CreateFunction(const std::string& name, const std::string& zip,
                      const std::string& extra = "") {
    AwsOk(
        fmt::format("lambda create-function --function-name {} --runtime provided.al2 "
                    "--handler unused --role arn:aws:iam::000000000000:role/fn "
                    "--zip-file fileb://{} {}",
                    name, zip, extra));
    // Pending until the latency profile's delay (zero here), then Active.
    Json c = AwsOk("lambda get-function-configuration --function-name " + name);
    EXPECT_EQ(c["State"], "Active");
  }
  // `aws lambda invoke`: the CLI's own output and the payload file.
  std::pair<Json, std::string> Invoke(const std::string& name, const std::string& payload,
                                      const std::string& extra = "") {
    std::string out = dir_ + "/out.json";
    std::filesystem::remove(out);
    Json meta =
        AwsOk(fmt::format("lambda invoke --function-name {} --cli-binary-format "
                          "raw-in-base64-out --payload '{}' {} {}",
                          name, payload, extra, out));
    return {meta, ReadFile(out)};
  }

  SystemClock clock_;
  NullLogger logger_;
  std::string dir_;
  std::unique_ptr<CloudServer> server_;
  uint16_t port_ = 0;
};

TEST_F(OrchestrationAwsCliTest, CppBootstrapThroughTheRuntimeApi) {
  CreateFunction("cpp", Zip("cpp", "bootstrap", ReadFile(CF_LAMBDA_TEST_BOOTSTRAP)),
                 "--environment Variables={GREETING=hello} --timeout 2 --memory-size 256");
  auto [meta, payload] = Invoke("cpp", R"({"echo": {"n": 1}})");
  EXPECT_EQ(meta["StatusCode"], 200);
  EXPECT_EQ(meta["ExecutedVersion"], "$LATEST");
  EXPECT_FALSE(meta.contains("FunctionError"));
  Json out = Json::parse(payload);
  EXPECT_EQ(out["echo"], Json::parse(R"({"n": 1})"));
  EXPECT_EQ(out["function_arn"], "arn:aws:lambda:us-east-1:000000000000:function:cpp");
  EXPECT_FALSE(out["deadline_ms"].get<std::string>().empty());
  EXPECT_EQ(out["env"]["GREETING"], "hello");
  EXPECT_EQ(out["env"]["AWS_LAMBDA_FUNCTION_NAME"], "cpp");
  EXPECT_EQ(out["env"]["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256");
  EXPECT_EQ(out["env"]["AWS_REGION"], "us-east-1");
  EXPECT_EQ(out["env"]["AWS_ENDPOINT_URL"], fmt::format("http://127.0.0.1:{}", port_));
  EXPECT_EQ(out["env"]["AWS_ACCESS_KEY_ID"].get<std::string>().substr(0, 4), "ASIA");
  EXPECT_FALSE(out["env"]["AWS_SESSION_TOKEN"].get<std::string>().empty());

  // Warm: the same process answers the next event.
  auto [meta2, payload2] = Invoke("cpp", R"({"echo": 2})");
  EXPECT_EQ(Json::parse(payload2)["pid"], out["pid"]);

  // A function error comes back with FunctionError and the runtime's document.
  auto [meta3, payload3] = Invoke("cpp", R"({"fail": "it broke"})");
  EXPECT_EQ(meta3["FunctionError"], "Unhandled");
  EXPECT_EQ(Json::parse(payload3), Json::parse(R"({"errorType": "TestError",
                                                     "errorMessage": "it broke"})"));

  // A timeout kills the environment and says so; the next invocation starts a new one.
  auto [meta4, payload4] = Invoke("cpp", R"({"sleep_ms": 5000})");
  EXPECT_EQ(meta4["FunctionError"], "Unhandled");
  EXPECT_NE(payload4.find("Task timed out after 2.00 seconds"), std::string::npos) << payload4;
  auto [meta5, payload5] = Invoke("cpp", R"({"echo": 3})", "--log-type Tail");
  EXPECT_NE(Json::parse(payload5)["pid"], out["pid"]);
  std::string tail =
      RunShell("echo " + meta5["LogResult"].get<std::string>() + " | base64 -d").output;
  EXPECT_NE(tail.find("START RequestId:"), std::string::npos) << tail;
  EXPECT_NE(tail.find("Init Duration:"), std::string::npos) << tail;

  // The process exiting mid-invocation.
  auto [meta6, payload6] = Invoke("cpp", R"({"exit": 3})");
  EXPECT_EQ(meta6["FunctionError"], "Unhandled");
  EXPECT_NE(payload6.find("Runtime.ExitError"), std::string::npos) << payload6;

  // Everything the function printed, in CloudWatch Logs.
  Json events = AwsOk("logs filter-log-events --log-group-name /aws/lambda/cpp");
  std::string all;
  for (const Json& e : events["events"]) {
    all += e["message"].get<std::string>() + "\n";
  }
  EXPECT_NE(all.find("handling " + out["request_id"].get<std::string>()), std::string::npos);
  EXPECT_NE(all.find("REPORT RequestId: " + out["request_id"].get<std::string>()),
            std::string::npos);
  EXPECT_NE(all.find("Task timed out after 2.00 seconds"), std::string::npos);

  // Event invocations are queued (202); DryRun only checks (204).
  Json queued =
      AwsOk(fmt::format("lambda invoke --function-name cpp --invocation-type Event "
                        "--cli-binary-format raw-in-base64-out --payload '{{}}' {}/o",
                        dir_));
  EXPECT_EQ(queued["StatusCode"], 202);
  Json dry =
      AwsOk(fmt::format("lambda invoke --function-name cpp --invocation-type DryRun {}/o", dir_));
  EXPECT_EQ(dry["StatusCode"], 204);
}

TEST_F(OrchestrationAwsCliTest, ShellBootstrapWithCurlAndTheRoleCredentials) {
  const std::string bootstrap = R"(#!/bin/sh
set -eu
api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  headers=$(mktemp)
  event=$(curl -sS -D "$headers" "$api/invocation/next")
  id=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | cut -d: -f2 | tr -d ' \r\n')
  echo "shell got $event"
  if [ "$event" = '"whoami"' ]; then
    # Debian's awscli predates AWS_ENDPOINT_URL: pass it explicitly.
    body=$(aws --endpoint-url "$AWS_ENDPOINT_URL" sts get-caller-identity --output json 2>&1) || { echo "aws failed: $body"; body='{}'; }
  else
    body="{\"shell\": $event, \"fn\": \"$AWS_LAMBDA_FUNCTION_NAME\"}"
  fi
  curl -sS -X POST "$api/invocation/$id/response" -d "$body" > /dev/null
  rm -f "$headers"
done
)";
  CreateFunction("sh", Zip("sh", "bootstrap", bootstrap), "--timeout 30");
  auto [meta, payload] = Invoke("sh", R"([1, 2])");
  EXPECT_EQ(meta["StatusCode"], 200);
  EXPECT_EQ(Json::parse(payload), Json::parse(R"({"shell": [1, 2], "fn": "sh"})"));
  // The AWS CLI inside the function reaches the local cloud with the role's credentials.
  auto [meta2, who] = Invoke("sh", R"("whoami")");
  Json identity = Json::parse(who, nullptr, false);
  ASSERT_FALSE(identity.is_discarded()) << who;
  EXPECT_EQ(identity["Arn"], "arn:aws:sts::000000000000:assumed-role/fn/sh")
      << who << AwsOk("logs filter-log-events --log-group-name /aws/lambda/sh").dump(1);
}

TEST_F(OrchestrationAwsCliTest, BadPackagesAndRuntimesGetAwsErrors) {
  CreateFunction("nobootstrap", Zip("nb", "main.sh", "#!/bin/sh\n"));
  auto [meta, payload] = Invoke("nobootstrap", "{}");
  EXPECT_EQ(meta["FunctionError"], "Unhandled");
  EXPECT_NE(payload.find("Runtime.InvalidEntrypoint"), std::string::npos) << payload;
  EXPECT_NE(payload.find("Couldn't find valid bootstrap(s): [/var/task/bootstrap "
                         "/opt/bootstrap]"),
            std::string::npos);

  std::string zip = Zip("x", "bootstrap", "#!/bin/sh\n");
  ShellResult bad =
      Aws(fmt::format("lambda create-function --function-name r --runtime "
                      "java11 --handler a.B --role arn:aws:iam::000000000000:role/fn "
                      "--zip-file fileb://{}",
                      zip));
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.output.find("InvalidParameterValueException"), std::string::npos) << bad.output;
  Json list = AwsOk("lambda list-functions");
  EXPECT_EQ(list["Functions"].size(), 1u);  // only nobootstrap
  ShellResult missing = Aws("lambda get-function --function-name ghost");
  EXPECT_NE(missing.output.find("ResourceNotFoundException"), std::string::npos);
  EXPECT_NE(missing.output.find("Function not found: "
                                "arn:aws:lambda:us-east-1:000000000000:function:ghost"),
            std::string::npos)
      << missing.output;
}

TEST_F(OrchestrationAwsCliTest, PermissionsVersionsAndConcurrency) {
  CreateFunction("p", Zip("p", "bootstrap", ReadFile(CF_LAMBDA_TEST_BOOTSTRAP)));
  AwsOk(
      "lambda add-permission --function-name p --statement-id events --action "
      "lambda:InvokeFunction --principal events.amazonaws.com --source-arn "
      "arn:aws:events:us-east-1:000000000000:rule/r");
  Json policy =
      Json::parse(AwsOk("lambda get-policy --function-name p")["Policy"].get<std::string>());
  EXPECT_EQ(policy["Statement"][0]["Principal"]["Service"], "events.amazonaws.com");
  EXPECT_NE(Aws("lambda add-permission --function-name p --statement-id events --action "
                "lambda:InvokeFunction --principal events.amazonaws.com")
                .output.find("ResourceConflictException"),
            std::string::npos);
  AwsOk("lambda remove-permission --function-name p --statement-id events");
  EXPECT_NE(Aws("lambda get-policy --function-name p").output.find("ResourceNotFoundException"),
            std::string::npos);

  Json v = AwsOk("lambda publish-version --function-name p");
  EXPECT_EQ(v["Version"], "1");
  Json versions = AwsOk("lambda list-versions-by-function --function-name p");
  ASSERT_EQ(versions["Versions"].size(), 2u);
  auto [meta, payload] = Invoke("p", R"({"echo": 1})", "--qualifier 1");
  EXPECT_EQ(meta["ExecutedVersion"], "1");

  AwsOk("lambda put-function-concurrency --function-name p --reserved-concurrent-executions 0");
  ShellResult throttled = Aws(fmt::format("lambda invoke --function-name p {}/o", dir_));
  EXPECT_NE(throttled.output.find("TooManyRequestsException"), std::string::npos)
      << throttled.output;
  AwsOk("lambda delete-function-concurrency --function-name p");
  AwsOk("lambda delete-function --function-name p");
  EXPECT_NE(Aws("lambda get-function --function-name p").output.find("ResourceNotFound"),
            std::string::npos);
}

TEST_F(OrchestrationAwsCliTest, StateMachineWithChoiceRetryCatchAndMapCallingLambda) {
  CreateFunction("worker", Zip("w", "bootstrap", ReadFile(CF_LAMBDA_TEST_BOOTSTRAP)));
  std::string definition = R"({
    "StartAt": "Fan",
    "States": {
      "Fan": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
              "ItemSelector": {"echo.$": "$$.Map.Item.Value"},
              "ItemProcessor": {"StartAt": "Work", "States": {
                "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Parameters": {"FunctionName": "worker", "Payload.$": "$"},
                         "ResultSelector": {"v.$": "$.Payload.echo"}, "End": true}}},
              "ResultPath": "$.results", "Next": "Decide"},
      "Decide": {"Type": "Choice", "Choices": [
                   {"Variable": "$.results[0].v", "NumericEquals": 10, "Next": "Flaky"}],
                 "Default": "Nope"},
      "Flaky": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:000000000000:function:worker",
                "Parameters": {"fail": "boom"},
                "Retry": [{"ErrorEquals": ["TestError"], "IntervalSeconds": 1,
                           "MaxAttempts": 1, "BackoffRate": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.caught",
                           "Next": "Done"}],
                "End": true},
      "Nope": {"Type": "Fail", "Error": "Unexpected"},
      "Done": {"Type": "Succeed"}
    }})";
  std::string def_file = dir_ + "/sm.json";
  std::ofstream(def_file) << definition;
  Json created =
      AwsOk(fmt::format("stepfunctions create-state-machine --name flow --definition "
                        "file://{} --role-arn arn:aws:iam::000000000000:role/sfn",
                        def_file));
  std::string arn = created["stateMachineArn"];
  Json started = AwsOk("stepfunctions start-execution --state-machine-arn " + arn +
                       R"( --input '{"items": [10, 20, 30]}')");
  std::string exec = started["executionArn"];
  Json described;
  for (int i = 0; i < 200; ++i) {
    described = AwsOk("stepfunctions describe-execution --execution-arn " + exec);
    if (described["status"] != "RUNNING") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(described["status"], "SUCCEEDED") << described.dump();
  Json output = Json::parse(described["output"].get<std::string>());
  EXPECT_EQ(output["results"], Json::parse(R"([{"v": 10}, {"v": 20}, {"v": 30}])"));
  EXPECT_EQ(output["caught"]["Error"], "TestError");
  Json history = AwsOk("stepfunctions get-execution-history --execution-arn " + exec);
  std::map<std::string, int> counts;
  for (const Json& e : history["events"]) {
    counts[e["type"]]++;
  }
  EXPECT_EQ(counts["MapIterationSucceeded"], 3);
  EXPECT_EQ(counts["TaskSucceeded"], 3);
  EXPECT_EQ(counts["LambdaFunctionFailed"], 2);  // the attempt and its one retry
  EXPECT_EQ(counts["ChoiceStateEntered"], 1);
  EXPECT_EQ(counts["ExecutionSucceeded"], 1);

  ShellResult bad = Aws(
      R"(stepfunctions create-state-machine --name broken --definition '{"StartAt": "X", "States": {}}' --role-arn arn:aws:iam::000000000000:role/sfn)");
  EXPECT_NE(bad.output.find("InvalidDefinition"), std::string::npos) << bad.output;
}

TEST_F(OrchestrationAwsCliTest, ARateRuleFiresAStateMachineUnderATimeScale) {
  // One simulated minute is 0.6 s of real time.
  ShellResult scaled = RunShell(fmt::format(
      "curl -sS -X PUT http://127.0.0.1:{}/_clusterform/config -d '{{\"time_scale\": 0.01}}'",
      port_));
  ASSERT_EQ(scaled.status, 0) << scaled.output;
  Json sm = AwsOk(
      R"(stepfunctions create-state-machine --name scale-down --definition '{"StartAt": "Tick", "States": {"Tick": {"Type": "Pass", "Parameters": {"fired.$": "$.time", "source.$": "$.source"}, "End": true}}}' --role-arn arn:aws:iam::000000000000:role/sfn)");
  std::string arn = sm["stateMachineArn"];
  Json rule = AwsOk("events put-rule --name every-minute --schedule-expression 'rate(1 minute)'");
  EXPECT_EQ(rule["RuleArn"], "arn:aws:events:us-east-1:000000000000:rule/every-minute");
  Json put =
      AwsOk(fmt::format("events put-targets --rule every-minute --targets "
                        "Id=sm,Arn={},RoleArn=arn:aws:iam::000000000000:role/events",
                        arn));
  EXPECT_EQ(put["FailedEntryCount"], 0);
  Json listed = AwsOk("events list-targets-by-rule --rule every-minute");
  ASSERT_EQ(listed["Targets"].size(), 1u);
  Json executions;
  for (int i = 0; i < 100; ++i) {
    executions = AwsOk("stepfunctions list-executions --state-machine-arn " + arn +
                       " --status-filter SUCCEEDED");
    if (executions["executions"].size() >= 2) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(executions["executions"].size(), 2u) << executions.dump();
  Json d = AwsOk("stepfunctions describe-execution --execution-arn " +
                 executions["executions"][0]["executionArn"].get<std::string>());
  Json output = Json::parse(d["output"].get<std::string>());
  EXPECT_EQ(output["source"], "aws.events");
  AwsOk("events disable-rule --name every-minute");
  EXPECT_EQ(AwsOk("events describe-rule --name every-minute")["State"], "DISABLED");
  ShellResult bad = Aws("events put-rule --name bad --schedule-expression 'rate(1 minutes)'");
  EXPECT_NE(bad.output.find("Parameter ScheduleExpression is not valid."), std::string::npos)
      << bad.output;
}

}  // namespace
}  // namespace cf::cloud
